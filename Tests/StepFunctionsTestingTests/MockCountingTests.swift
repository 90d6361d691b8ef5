import StepFunctions
import StepFunctionsTesting
import Testing

/// Builds a one-response test case mocking `state`.
func mockCase(
  _ state: String, _ entries: [(ClosedRange<Int>, MockedOutcome)], name: String = "Case"
)
  -> MockTestCase
{
  MockTestCase(
    name: name,
    mocks: [
      .init(
        stateName: state,
        response: MockedResponse(
          name: "\(state)Response", entries: entries.map { .init(invocations: $0.0, outcome: $0.1) }
        ))
    ])
}

/// The error names of the `TaskFailed` events, in order.
func taskFailures(_ run: WorkflowRun) -> [String] {
  run.history.events.compactMap { event in
    guard event.type == "TaskFailed", case .fields(_, let fields, _) = event.details else {
      return nil
    }
    return fields["error"]?.stringValue
  }
}

@Suite("Mock counting rules")
struct MockCountingTests {
  static let retried = """
    {"StartAt": "Call", "States": {
      "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
               "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2}],
               "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": true},
      "Caught": {"Type": "Pass", "End": true}}}
    """

  @Test("Retries consume one invocation each: a range covers several attempts")
  func retriesAdvanceTheCounter() async throws {
    let mocks = mockCase(
      "Call", [(0...1, .throw(error: "Boom", cause: "first two")), (2...2, .return(["ok": true]))])
    let run = await WorkflowTest(try StateMachine(json: Self.retried)).mocking(mocks).run()
    #expect(run.status == .succeeded)
    #expect(run.output == ["ok": true])
    #expect(run.mockInvocations.map(\.invocationIndex) == [0, 1, 2])
    #expect(run.mockInvocations.map(\.attempt) == [0, 1, 2])
    #expect(taskFailures(run) == ["Boom", "Boom"])
    // Backoff 1 s then 2 s on the virtual clock.
    #expect(
      run.result.stopDate.millisecondsSinceEpoch - run.result.startDate.millisecondsSinceEpoch
        == 3000)
  }

  @Test("A Throw is matched by retriers and catchers like a real service error")
  func throwIsCaught() async throws {
    let mocks = mockCase("Call", [(0...0, .throw(error: "Other", cause: "not retried"))])
    let run = await WorkflowTest(try StateMachine(json: Self.retried)).mocking(mocks).run()
    #expect(run.status == .succeeded)
    #expect(run.stateNames == ["Call", "Caught"])
    #expect(run.output == ["Error": "Other", "Cause": "not retried"])
  }

  @Test(
    "An invocation no key covers fails the execution with States.Runtime, which States.ALL does not catch"
  )
  func uncoveredInvocationFails() async throws {
    let mocks = mockCase("Call", [(0...0, .throw(error: "Boom", cause: "once"))], name: "Short")
    let run = await WorkflowTest(try StateMachine(json: Self.retried)).mocking(mocks).run()
    #expect(run.status == .failed)
    #expect(run.error == "States.Runtime")
    #expect(
      run.cause
        == "The state 'Call' was invoked for the 2nd time (invocation 1) in the test case 'Short', but its mocked response 'CallResponse' covers only the invocations 0. Step Functions Local needs a mocked response for every invocation of a mocked state."
    )
    #expect(run.stateNames == ["Call"])
    #expect(run.uncoveredMockInvocations.map(\.invocationIndex) == [1])
    #expect(
      run.setupProblems == [
        "The state 'Call' was invoked for the 2nd time, but the mocked response 'CallResponse' does not cover invocation 1."
      ])
  }

  @Test("A gap before the first key leaves the first invocation uncovered")
  func gapAtTheStart() async throws {
    let mocks = mockCase("Call", [(1...1, .return(1))])
    let run = await WorkflowTest(try StateMachine(json: Self.retried)).mocking(mocks).run()
    #expect(run.error == "States.Runtime")
    #expect(run.mockInvocations.map(\.invocationIndex) == [0])
    #expect(run.mockInvocations.first?.outcome == nil)
  }

  @Test("A state entered again in a loop continues its count instead of starting over")
  func loopsContinueTheCount() async throws {
    let machine = try StateMachine(
      json: """
        {"StartAt": "Poll", "States": {
          "Poll": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:ec2:describeInstances", "Next": "Ready?"},
          "Ready?": {"Type": "Choice", "Choices": [{"Variable": "$.state", "StringEquals": "running", "Next": "Done"}], "Default": "Poll"},
          "Done": {"Type": "Succeed"}}}
        """)
    let mocks = mockCase(
      "Poll", [(0...1, .return(["state": "pending"])), (2...2, .return(["state": "running"]))])
    let run = await WorkflowTest(machine).mocking(mocks).run()
    #expect(run.status == .succeeded)
    #expect(run.timesEntered("Poll") == 3)
    #expect(run.mockInvocations.map(\.invocationIndex) == [0, 1, 2])
    #expect(run.mockInvocations.map(\.attempt) == [0, 0, 0])
  }

  static func mapMachine(maxConcurrency: Int, retry: Bool) -> String {
    """
    {"StartAt": "Fan", "States": {"Fan": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": \(maxConcurrency),
      "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Work", "States": {
        "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultSelector": {"n.$": "$.n"},
                 \(retry ? #""Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 1, "MaxAttempts": 2}],"# : "")
                 "End": true}}},
      "End": true}}}
    """
  }

  @Test(
    "A mocked state run by three Map iterations uses invocations 0, 1 and 2", arguments: [1, 0])
  func mapIterationsShareTheCounter(maxConcurrency: Int) async throws {
    let mocks = mockCase(
      "Work", [(0...0, .return(["n": 0])), (1...1, .return(["n": 1])), (2...2, .return(["n": 2]))])
    let run = await WorkflowTest(
      try StateMachine(json: Self.mapMachine(maxConcurrency: maxConcurrency, retry: false))
    )
    .mocking(mocks).run(input: ["items": ["a", "b", "c"]])
    #expect(run.status == .succeeded)
    #expect(run.output == [["n": 0], ["n": 1], ["n": 2]])
    #expect(run.mockInvocations.map(\.invocationIndex) == [0, 1, 2])
    #expect(run.path.steps(named: "Work").compactMap(\.mapIterationIndex) == [0, 1, 2])
  }

  @Test(
    "Retries inside Map iterations and later iterations share one counter (Step Functions Local 2.0)"
  )
  func mapRetriesShareTheCounter() async throws {
    // The case Floci verified against Step Functions Local 2.0.0: ["idx1", "idx2"].
    let mocks = mockCase(
      "Work",
      [
        (0...0, .throw(error: "Boom", cause: "attempt0")), (1...1, .return(["n": "idx1"])),
        (2...2, .return(["n": "idx2"])), (3...3, .return(["n": "idx3"])),
      ])
    let run = await WorkflowTest(
      try StateMachine(json: Self.mapMachine(maxConcurrency: 1, retry: true))
    )
    .mocking(mocks).run(input: ["items": [1, 2]])
    #expect(run.status == .succeeded)
    #expect(run.output == [["n": "idx1"], ["n": "idx2"]])
    #expect(run.mockInvocations.map(\.invocationIndex) == [0, 1, 2])
    #expect(run.mockInvocations.map(\.attempt) == [0, 1, 0])
  }

  static let parallel = """
    {"StartAt": "Both", "States": {"Both": {"Type": "Parallel",
      "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 1, "MaxAttempts": 1}],
      "Branches": [
        {"StartAt": "Left", "States": {"Left": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": true}}},
        {"StartAt": "Right", "States": {"Right": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}}],
      "End": true}}}
    """

  @Test("Parallel branches count per state, and a retried Parallel continues each state's count")
  func parallelBranchesCountPerState() async throws {
    let response = { (name: String, entries: [(ClosedRange<Int>, MockedOutcome)]) in
      MockedResponse(name: name, entries: entries.map { .init(invocations: $0.0, outcome: $0.1) })
    }
    let mocks = MockTestCase(
      name: "RetryLeft",
      mocks: [
        .init(
          stateName: "Left",
          response: response(
            "L", [(0...0, .throw(error: "Boom", cause: "")), (1...1, .return("left"))])),
        .init(stateName: "Right", response: response("R", [(0...1, .return("right"))])),
      ])
    let run = await WorkflowTest(try StateMachine(json: Self.parallel)).mocking(mocks).run()
    #expect(run.status == .succeeded)
    #expect(run.output == ["left", "right"])
    #expect(run.mockInvocations.filter { $0.stateName == "Left" }.map(\.invocationIndex) == [0, 1])
    #expect(
      run.mockInvocations.filter { $0.stateName == "Right" }.map(\.invocationIndex) == [0, 1])
    #expect(run.timesEntered("Both") == 1)
    #expect(run.timesEntered("Left") == 2)
  }

  @Test("States a test case does not mock use the registered handlers")
  func unmockedStatesUseHandlers() async throws {
    let recorder = RecordingHandler(returning: "from handler")
    let mocks = mockCase("Left", [(0...0, .return("mocked"))])
    let run = await WorkflowTest(try StateMachine(json: Self.parallel))
      .handling("sqs:sendMessage", with: recorder)
      .mocking(mocks).run(input: ["x": 1])
    #expect(run.output == ["mocked", "from handler"])
    #expect(recorder.calls.map(\.stateName) == ["Right"])
    #expect(run.setupProblems.isEmpty)
  }

  @Test("A state with neither a mock nor a handler fails with a message that says so")
  func unhandledStateFails() async throws {
    let mocks = mockCase("Left", [(0...0, .return("mocked"))], name: "OnlyLeft")
    let run = await WorkflowTest(try StateMachine(json: Self.parallel)).mocking(mocks).run()
    #expect(run.status == .failed)
    #expect(run.error == "States.Runtime")
    let message =
      "The state 'Right' is not mocked in the test case 'OnlyLeft' and no task handler is registered for its resource 'arn:aws:states:::sqs:sendMessage'."
    #expect(run.cause == message)
    #expect(run.unhandledInvocations.map(\.message) == [message])
    #expect(run.setupProblems == [message])
  }

  @Test("A mocked Return answers a .waitForTaskToken task at once")
  func mockedTokenTask() async throws {
    let machine = try StateMachine(
      json:
        #"{"StartAt": "Ask", "States": {"Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "Parameters": {"MessageBody": {"token.$": "$$.Task.Token"}}, "HeartbeatSeconds": 5, "End": true}}}"#
    )
    let run = await WorkflowTest(machine).mocking(
      mockCase("Ask", [(0...0, .return(["approved": true]))])
    ).run()
    #expect(run.status == .succeeded)
    #expect(run.output == ["approved": true])
    #expect(run.result.stopDate == run.result.startDate)
  }

  @Test("Each run starts with fresh counters")
  func countersResetPerRun() async throws {
    let test = WorkflowTest(try StateMachine(json: Self.retried))
      .mocking(mockCase("Call", [(0...0, .return(["run": 1]))]))
    let first = await test.run()
    let second = await test.run()
    #expect(first.status == .succeeded)
    #expect(second.status == .succeeded)
    #expect(second.mockInvocations.map(\.invocationIndex) == [0])
  }
}
