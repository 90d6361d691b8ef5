import StepFunctionsJSON
import Testing

@testable import StepFunctionsRuntime

@Suite("Answering task tokens from outside a running execution", .timeLimit(.minutes(1)))
struct ExternalCallbackTests {
  static let definition = """
    {"StartAt": "Review", "States": {
      "Review": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": {"Token.$": "$$.Task.Token"}},
        "TimeoutSeconds": 3600, "ResultPath": "$.review", "Next": "Wait"},
      "Wait": {"Type": "Wait", "Seconds": 60, "End": true}}}
    """

  /// One task that waits for a callback, with no timeout: only a callback moves it on.
  static let untimed = """
    {"StartAt": "Ask", "States": {
      "Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": {"Token.$": "$$.Task.Token"}}, "End": true}}}
    """

  /// A Parallel state whose first branch waits on a token and whose second runs a Map whose
  /// iterations each wait on one.
  static let nested = """
    {"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "First", "States": {"First": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": {"Token.$": "$$.Task.Token"}}, "End": true}}},
      {"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemsPath": "$.items", "End": true,
        "ItemProcessor": {"StartAt": "Ask", "States": {"Ask": {"Type": "Task",
          "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
          "Parameters": {"QueueUrl": "q", "MessageBody": {"Token.$": "$$.Task.Token"}},
          "End": true}}}}}}]}}}
    """

  /// A token of the right shape that no execution here issues.
  static let unknownToken = "00000000-0000-4000-8000-000000000000"

  static func options(waits: Bool) -> ExecutionOptions {
    var options = ExecutionOptions()
    options.waitsForCallbacks = waits
    options.handlers.register(
      ClosureTaskHandler { _, _ in ["MessageId": "1"] }, forIntegration: "sqs:sendMessage")
    return options
  }

  /// The first token `execution` announces.
  static func firstToken(of execution: Execution) async throws -> TaskToken {
    var tokens = execution.taskTokens.makeAsyncIterator()
    return try #require(await tokens.next())
  }

  @Test("With waitsForCallbacks, virtual time stands still until the test answers the token")
  func answeredFromOutside() async throws {
    let machine = try StateMachine(json: Self.definition)
    let execution = machine.start(input: [:], options: Self.options(waits: true))
    var answered: [TaskToken] = []
    for await token in execution.taskTokens {
      try await execution.sendTaskSuccess(taskToken: token, output: ["approved": true])
      answered.append(token)
    }
    let result = await execution.result()
    #expect(answered.map(\.stateName) == ["Review"])
    #expect(answered.map(\.scopes) == [[]])
    #expect(answered.allSatisfy { TaskToken.isWellFormed($0.value) })
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
      try await execution.sendTaskFailure(
        taskToken: token, error: "Rejected", cause: "not good enough")
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
    var tokens: [TaskToken] = []
    for await token in execution.taskTokens { tokens.append(token) }
    #expect(tokens.map(\.stateName) == ["Review"])
  }

  @Test("Without it, the task's timeout fires in virtual time when nobody answers")
  func timesOutWhenUnanswered() async throws {
    let machine = try StateMachine(json: Self.definition)
    let result = await machine.run(input: [:], options: Self.options(waits: false))
    #expect(result.status == .failed)
    #expect(result.error == "States.Timeout")
    #expect(result.waitingTasks.isEmpty)
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

  // MARK: Refused callbacks

  @Test("A well-formed token no task was given is refused with TaskDoesNotExist")
  func unknownToken() async throws {
    let machine = try StateMachine(json: Self.definition)
    let execution = machine.start(input: [:], options: Self.options(waits: true))
    let token = try await Self.firstToken(of: execution)
    let refusal = await #expect(throws: TaskCallbackError.self) {
      try await execution.sendTaskSuccess(taskToken: Self.unknownToken, output: ["wrong": true])
    }
    #expect(refusal?.code == .taskDoesNotExist)
    #expect(refusal?.taskToken == Self.unknownToken)
    #expect(refusal?.description.hasPrefix("TaskDoesNotExist: ") == true)
    let expected = TaskCallbackError(
      code: .taskDoesNotExist, taskToken: Self.unknownToken,
      message: "No task of this execution was given the task token '\(Self.unknownToken)'.")
    await #expect(throws: expected) {
      try await execution.sendTaskFailure(taskToken: Self.unknownToken, error: "E")
    }
    await #expect(throws: expected) {
      try await execution.sendTaskHeartbeat(taskToken: Self.unknownToken)
    }
    // The refused callbacks changed nothing: the real token still completes the task.
    try await execution.sendTaskSuccess(taskToken: token, output: ["approved": true])
    let result = await execution.result()
    #expect(result.status == .succeeded)
    #expect(result.output == ["review": ["approved": true]])
  }

  @Test(
    "A malformed token is refused with InvalidToken",
    arguments: ["not-", "", "upper", "long", "control"])
  func malformedToken(kind: String) async throws {
    let machine = try StateMachine(json: Self.definition)
    let execution = machine.start(input: [:], options: Self.options(waits: true))
    let token = try await Self.firstToken(of: execution)
    let sent: String
    switch kind {
    case "not-": sent = "not-" + token.value
    case "upper": sent = token.value.uppercased()
    case "long": sent = String(repeating: "a", count: TaskToken.maximumLength + 1)
    case "control": sent = "\u{1B}[31m" + token.value
    default: sent = ""
    }
    let refusal = await #expect(throws: TaskCallbackError.self) {
      try await execution.sendTaskSuccess(taskToken: sent, output: [:])
    }
    #expect(refusal?.code == .invalidToken)
    #expect(refusal?.message.contains("\u{1B}") == false)
    #expect((refusal?.taskToken.count ?? .max) <= 81)
    execution.stop()
    #expect(await execution.result().status == .aborted)
  }

  @Test("A token whose task already closed is refused with TaskTimedOut, during and after the run")
  func closedTask() async throws {
    let machine = try StateMachine(json: Self.definition)
    let execution = machine.start(input: [:], options: Self.options(waits: true))
    let token = try await Self.firstToken(of: execution)
    try await execution.sendTaskSuccess(taskToken: token, output: ["approved": true])
    let again = await #expect(throws: TaskCallbackError.self) {
      try await execution.sendTaskSuccess(taskToken: token, output: ["approved": false])
    }
    #expect(again?.code == .taskTimedOut)
    #expect(again?.message.contains("state 'Review'") == true)
    let result = await execution.result()
    #expect(result.output == ["review": ["approved": true]])
    let late = await #expect(throws: TaskCallbackError.self) {
      try await execution.sendTaskHeartbeat(taskToken: token)
    }
    #expect(late?.code == .taskTimedOut)
    #expect(late?.message.contains("no longer running") == true)
  }

  @Test("The token of a task that timed out is refused with TaskTimedOut")
  func timedOutTask() async throws {
    let machine = try StateMachine(json: Self.definition)
    let execution = machine.start(input: [:], options: Self.options(waits: false))
    let result = await execution.result()
    #expect(result.error == "States.Timeout")
    let token = try await Self.firstToken(of: execution)
    await #expect(throws: TaskCallbackError.self) {
      try await execution.sendTaskFailure(taskToken: token, error: "Late")
    }
    let refusal = await #expect(throws: TaskCallbackError.self) {
      try await execution.sendTaskSuccess(taskToken: token.value, output: [:])
    }
    #expect(refusal?.code == .taskTimedOut)
  }

  // MARK: Stuck executions

  @Test("run() of a task waiting on a token nobody can send stops RUNNING with a report")
  func stuckRun() async throws {
    let machine = try StateMachine(json: Self.untimed)
    for waits in [false, true] {
      let result = await machine.run(input: [:], options: Self.options(waits: waits))
      #expect(result.status == .running)
      #expect(result.error == ExecutionResult.stuckError)
      let waiting = try #require(result.waitingTasks.first)
      #expect(result.waitingTasks.count == 1)
      #expect(waiting.stateName == "Ask")
      #expect(waiting.scopes.isEmpty)
      let cause = try #require(result.cause)
      #expect(
        cause.hasPrefix(
          "The execution is stuck: state 'Ask' waits for task token \(waiting.value)."))
      #expect(cause.contains("it runs with StateMachine.run"))
      // No closing event: AWS would still show the execution running.
      #expect(result.history.events.last?.type == "TaskSubmitted")
      #expect(result.stopDate == result.startDate)
    }
  }

  @Test("start() without waitsForCallbacks stops an execution only a callback could move on")
  func stuckStartWithoutCallbacks() async throws {
    let machine = try StateMachine(json: Self.untimed)
    let execution = machine.start(input: [:], options: Self.options(waits: false))
    let result = await execution.result()
    #expect(result.status == .running)
    #expect(result.cause?.contains("ExecutionOptions.waitsForCallbacks is off") == true)
    let token = try #require(result.waitingTasks.first)
    let refusal = await #expect(throws: TaskCallbackError.self) {
      try await execution.sendTaskSuccess(taskToken: token, output: [:])
    }
    #expect(refusal?.code == .taskTimedOut)
  }

  @Test("finishSendingCallbacks() stops an execution that waits for callbacks from outside")
  func finishedCallbacks() async throws {
    let machine = try StateMachine(json: Self.untimed)
    let execution = machine.start(input: [:], options: Self.options(waits: true))
    let token = try await Self.firstToken(of: execution)
    execution.finishSendingCallbacks()
    let result = await execution.result()
    #expect(result.status == .running)
    #expect(result.waitingTasks == [token])
    #expect(result.cause?.contains("finishSendingCallbacks()") == true)
  }

  @Test("Releasing the Execution handle stops an execution that waits for callbacks from outside")
  func releasedHandle() async throws {
    let machine = try StateMachine(json: Self.untimed)
    // The handle lives only inside this function: the test keeps nothing but the engine's task.
    func startAndRelease() async throws -> Task<ExecutionResult, Never> {
      let execution = machine.start(input: [:], options: Self.options(waits: true))
      _ = try await Self.firstToken(of: execution)
      return execution.task
    }
    let task = try await startAndRelease()
    let result = await task.value
    #expect(result.status == .running)
    #expect(result.waitingTasks.map(\.stateName) == ["Ask"])
    #expect(result.cause?.contains("Execution handle") == true)
  }

  @Test("A token loop that leaves a token unanswered ends once only that token could move it on")
  func loopEndsWhenIdle() async throws {
    let machine = try StateMachine(json: Self.nested)
    let execution = machine.start(
      input: ["items": ["a", "b"]], options: Self.options(waits: true))
    var read: [TaskToken] = []
    for await token in execution.taskTokens {
      read.append(token)
      if token.stateName == "Ask" {
        try await execution.sendTaskSuccess(taskToken: token, output: ["item": true])
      }
    }
    #expect(read.map(\.stateName) == ["First", "Ask", "Ask"])
    execution.finishSendingCallbacks()
    let result = await execution.result()
    #expect(result.status == .running)
    #expect(result.waitingTasks == [read[0]])
  }

  // MARK: Where tokens belong

  @Test("Tokens name their state with the Parallel branch and Map iteration around it")
  func tokenScopes() async throws {
    let machine = try StateMachine(json: Self.nested)
    let result = await machine.run(
      input: ["items": ["a", "b", "c"]], options: Self.options(waits: false))
    #expect(result.status == .running)
    #expect(
      result.waitingTasks.map(\.location) == [
        "state 'First' (Parallel 'Both' branch 0)",
        "state 'Ask' (Parallel 'Both' branch 1 › Map 'Each' iteration 0)",
        "state 'Ask' (Parallel 'Both' branch 1 › Map 'Each' iteration 1)",
        "state 'Ask' (Parallel 'Both' branch 1 › Map 'Each' iteration 2)",
      ])
    #expect(result.waitingTasks.map(\.mapIterationIndex) == [nil, 0, 1, 2])
    #expect(result.waitingTasks.map(\.parallelBranchIndex) == [0, 1, 1, 1])
    #expect(
      result.waitingTasks[1].scopes == [
        .parallelBranch(parallelState: "Both", index: 1), .mapIteration(mapState: "Each", index: 0),
      ])
    let cause = try #require(result.cause)
    for token in result.waitingTasks {
      #expect(cause.contains("\(token.location) waits for task token \(token.value)"))
    }
  }

  @Test("A test answers each Map iteration's token by its index")
  func answerByIteration() async throws {
    let machine = try StateMachine(json: Self.nested)
    let execution = machine.start(
      input: ["items": ["a", "b", "c"]], options: Self.options(waits: true))
    for await token in execution.taskTokens {
      let output: JSON =
        token.mapIterationIndex.map { ["iteration": .number(JSONNumber($0))] } ?? "first"
      try await execution.sendTaskSuccess(taskToken: token, output: output)
    }
    let result = await execution.result()
    #expect(result.status == .succeeded)
    #expect(
      result.output == ["first", [["iteration": 0], ["iteration": 1], ["iteration": 2]]])
  }

  @Test("Stuck runs are deterministic: same definition, input and seed give the same report")
  func deterministicReport() async throws {
    let machine = try StateMachine(json: Self.nested)
    let input: JSON = ["items": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]]
    let first = await machine.run(input: input, options: Self.options(waits: false))
    let second = await machine.run(input: input, options: Self.options(waits: false))
    #expect(first.cause == second.cause)
    #expect(first.waitingTasks == second.waitingTasks)
    #expect(first.waitingTasks.count == 13)
    #expect(first.cause?.contains("; and 3 more.") == true)
  }
}
