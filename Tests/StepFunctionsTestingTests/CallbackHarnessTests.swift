import StepFunctions
import StepFunctionsTesting
import Testing

@Suite("WorkflowTest with task tokens nobody or the test answers", .timeLimit(.minutes(1)))
struct CallbackHarnessTests {
  static let tokenResource = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"

  /// Sends the message and leaves the token to be answered by someone else, as SQS does.
  static let sendsMessage = ClosureTaskHandler { _, _ in ["MessageId": "m-1"] }

  /// `Approve` waits on a token (no timeout), then `Publish` passes.
  static func approval() throws -> WorkflowTest {
    try WorkflowTest(
      json: """
        {"StartAt": "Approve", "States": {
          "Approve": {"Type": "Task", "Resource": "\(tokenResource)",
            "Parameters": {"QueueUrl": "q", "MessageBody": {"Token.$": "$$.Task.Token"}},
            "ResultPath": "$.approval", "Next": "Publish"},
          "Publish": {"Type": "Pass", "End": true}}}
        """
    ).handling("sqs:sendMessage", with: sendsMessage)
  }

  /// A Map whose iterations each wait on a token.
  static func reviews() throws -> WorkflowTest {
    try WorkflowTest(
      json: """
        {"StartAt": "Reviews", "States": {"Reviews": {"Type": "Map", "End": true,
          "ItemProcessor": {"StartAt": "Review", "States": {"Review": {"Type": "Task",
            "Resource": "\(tokenResource)",
            "Parameters": {"QueueUrl": "q", "MessageBody": {"Token.$": "$$.Task.Token"}},
            "End": true}}}}}}
        """
    ).handling("sqs:sendMessage", with: sendsMessage)
  }

  @Test("A token no handler answers ends the run RUNNING with a report of the waiting state")
  func unansweredToken() async throws {
    let run = try await Self.approval().run(input: ["video": "v-1"])
    #expect(run.status == .running)
    #expect(run.error == ExecutionResult.stuckError)
    #expect(run.stateNames == ["Approve"])
    let waiting = try #require(run.waitingTasks.first)
    #expect(waiting.stateName == "Approve")
    #expect(
      run.setupProblems == [
        "The execution did not end: state 'Approve' waits for a task token that no mock, handler or test answers."
      ])
    let message = try #require(WorkflowChecks.succeeded(run))
    #expect(
      message.hasPrefix(
        "Expected the execution to succeed, but it did not end (it is still RUNNING): The execution is stuck: state 'Approve' waits for task token \(waiting.value)."
      ))
    #expect(message.contains("set-up problem: The execution did not end"))
  }

  @Test("The report names each Map iteration that waits")
  func unansweredIterations() async throws {
    let run = try await Self.reviews().run(input: ["a", "b"])
    #expect(run.status == .running)
    #expect(run.waitingTasks.map(\.mapIterationIndex) == [0, 1])
    #expect(
      run.setupProblems.last
        == "The execution did not end: state 'Review' (Map 'Reviews' iteration 0), state 'Review' (Map 'Reviews' iteration 1) wait for a task token that no mock, handler or test answers."
    )
  }

  @Test("Callbacks from the test answer the tokens while virtual time stands still")
  func answeredByTheTest() async throws {
    let run = try await Self.reviews().run(input: ["a", "b", "c"]) { execution in
      for await token in execution.taskTokens {
        let index = try #require(token.mapIterationIndex)
        try await execution.sendTaskSuccess(
          taskToken: token, output: ["approved": .bool(index != 1)])
      }
    }
    run.expectSucceeded()
    #expect(run.output == [["approved": true], ["approved": false], ["approved": true]])
    #expect(run.waitingTasks.isEmpty)
  }

  @Test("A token the test reads but does not answer ends the run with the report once it returns")
  func readButNotAnswered() async throws {
    let run = try await Self.reviews().run(input: ["a", "b"]) { execution in
      for await token in execution.taskTokens where token.mapIterationIndex == 0 {
        try? await execution.sendTaskSuccess(taskToken: token, output: [:])
      }
    }
    #expect(run.status == .running)
    #expect(run.waitingTasks.map(\.location) == ["state 'Review' (Map 'Reviews' iteration 1)"])
    #expect(run.cause?.contains("finishSendingCallbacks()") == true)
  }

  @Test("A callback on an unknown token throws TaskDoesNotExist out of the run")
  func unknownToken() async throws {
    let error = await #expect(throws: TaskCallbackError.self) {
      _ = try await Self.approval().run(input: [:]) { execution in
        for await token in execution.taskTokens {
          try await execution.sendTaskSuccess(
            taskToken: "00000000-0000-4000-8000-000000000000", output: ["for": .string(token.value)]
          )
        }
      }
    }
    #expect(error?.code == .taskDoesNotExist)
  }

  @Test("A callback on a malformed token throws InvalidToken out of the run")
  func malformedToken() async throws {
    let error = await #expect(throws: TaskCallbackError.self) {
      _ = try await Self.approval().run(input: [:]) { execution in
        for await token in execution.taskTokens {
          try await execution.sendTaskSuccess(taskToken: "not-" + token.value, output: [:])
        }
      }
    }
    #expect(error?.code == .invalidToken)
  }
}
