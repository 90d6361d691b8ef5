import StepFunctionsJSON
import StepFunctionsRuntime
import Testing

@Suite("Answering task tokens from outside a running execution")
struct ExternalCallbackTests {
  static let definition = """
    {"StartAt": "Review", "States": {
      "Review": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": {"Token.$": "$$.Task.Token"}},
        "TimeoutSeconds": 3600, "ResultPath": "$.review", "Next": "Wait"},
      "Wait": {"Type": "Wait", "Seconds": 60, "End": true}}}
    """

  static func options(waits: Bool) -> ExecutionOptions {
    var options = ExecutionOptions()
    options.waitsForCallbacks = waits
    options.handlers.register(
      ClosureTaskHandler { _, _ in ["MessageId": "1"] }, forIntegration: "sqs:sendMessage")
    return options
  }

  @Test("With waitsForCallbacks, virtual time stands still until the test answers the token")
  func answeredFromOutside() async throws {
    let machine = try StateMachine(json: Self.definition)
    let execution = machine.start(input: [:], options: Self.options(waits: true))
    var answered = 0
    for await token in execution.taskTokens {
      execution.sendTaskSuccess(taskToken: token, output: ["approved": true])
      answered += 1
    }
    let result = await execution.result()
    #expect(answered == 1)
    #expect(result.status == .succeeded)
    #expect(result.output == ["review": ["approved": true]])
    #expect(
      result.stopDate.millisecondsSinceEpoch - result.startDate.millisecondsSinceEpoch == 60_000)
  }

  @Test("A failure sent from outside goes through the task's error handling")
  func failedFromOutside() async throws {
    let machine = try StateMachine(json: Self.definition)
    let execution = machine.start(input: [:], options: Self.options(waits: true))
    for await token in execution.taskTokens {
      execution.sendTaskFailure(taskToken: token, error: "Rejected", cause: "not good enough")
    }
    let result = await execution.result()
    #expect(result.status == .failed)
    #expect(result.error == "Rejected")
    #expect(result.cause == "not good enough")
  }

  @Test("Tokens announced before anyone asks for them are delivered to a later reader")
  func tokensAfterTheEnd() async throws {
    let machine = try StateMachine(json: Self.definition)
    let execution = machine.start(input: [:], options: Self.options(waits: false))
    let result = await execution.result()
    #expect(result.status == .failed)
    var tokens: [String] = []
    for await token in execution.taskTokens { tokens.append(token) }
    #expect(tokens.count == 1)
    #expect(tokens.first?.isEmpty == false)
  }

  @Test("Without it, the task's timeout fires in virtual time when nobody answers")
  func timesOutWhenUnanswered() async throws {
    let machine = try StateMachine(json: Self.definition)
    let result = await machine.run(input: [:], options: Self.options(waits: false))
    #expect(result.status == .failed)
    #expect(result.error == "States.Timeout")
    #expect(
      result.stopDate.millisecondsSinceEpoch - result.startDate.millisecondsSinceEpoch == 3_600_000)
  }

  @Test("stop() ends a waiting execution as ABORTED")
  func stopWhileWaiting() async throws {
    let machine = try StateMachine(json: Self.definition)
    let execution = machine.start(input: [:], options: Self.options(waits: true))
    for await _ in execution.taskTokens { execution.stop(error: "Cancelled", cause: "by the test") }
    let result = await execution.result()
    #expect(result.status == .aborted)
    #expect(result.error == "Cancelled")
    #expect(result.history.events.last?.type == "ExecutionAborted")
  }
}
