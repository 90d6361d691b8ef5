import StepFunctions
import Testing

@Suite("Replay reports the first divergence")
struct ReplayDivergenceTests {
  static let review = """
    {"StartAt": "Score", "States": {
      "Score": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "score"}, "ResultSelector": {"score.$": "$.Payload"},
        "Next": "Route"},
      "Route": {"Type": "Choice", "Choices": [
        {"Variable": "$.score", "NumericGreaterThanEquals": THRESHOLD, "Next": "Publish"}],
        "Default": "ManualReview"},
      "ManualReview": {"Type": "Wait", "Seconds": 3600, "Next": "Publish"},
      "Publish": {"Type": "Pass", "End": true}}}
    """

  static func review(threshold: Int) throws -> StateMachine {
    try compile(review.replacingOccurrences(of: "THRESHOLD", with: String(threshold)))
  }

  static func recorded() async throws -> ExecutionResult {
    await record(
      try review(threshold: 80),
      handlers: handlers { _, context in
        try await context.sleep(seconds: 12)
        return ["Payload": 70]
      })
  }

  @Test("A changed Choice names the state entered now and the one entered then")
  func changedPath() async throws {
    let result = try await Self.recorded()
    let report = try await Self.review(threshold: 60).replay(result.history)
    let divergence = try #require(report.divergence)
    #expect(divergence.kind == .mismatch)
    #expect(divergence.eventType == "WaitStateEntered")
    #expect(divergence.stateName == "ManualReview")
    #expect(divergence.pointer == "/type")
    #expect(divergence.recorded == "WaitStateEntered")
    #expect(divergence.replayed == "PassStateEntered")
    #expect(
      divergence.message
        == "the definition now enters `Publish` where the recorded execution entered `ManualReview`"
    )
    #expect(divergence.eventsCompared == divergence.eventId - 1)
    #expect(
      report.description
        == "diverged at event \(divergence.eventId) (WaitStateEntered of `ManualReview`): the definition now enters `Publish` where the recorded execution entered `ManualReview`"
    )
  }

  @Test("A changed Wait diverges by its time when timestamps are exact, not when ignored")
  func changedWait() async throws {
    let result = try await Self.recorded()
    let longer = try compile(
      Self.review.replacingOccurrences(of: "THRESHOLD", with: "80")
        .replacingOccurrences(of: "3600", with: "7200"))
    let exact = try await longer.replay(result.history)
    let divergence = try #require(exact.divergence)
    #expect(divergence.eventType == "WaitStateExited")
    #expect(divergence.pointer == "/timestamp")
    #expect(
      divergence.message.hasPrefix(
        "WaitStateExited of `ManualReview` happens at \"2025-01-01T02:00:12.000Z\" in the replay"))
    var options = ReplayOptions()
    options.timestamps = .ignored
    #expect(try await longer.replay(result.history, options: options).isMatched)
  }

  @Test("A task the recording does not have is reported where the definition first differs")
  func addedState() async throws {
    let result = try await Self.recorded()
    let added = try compile(
      Self.review.replacingOccurrences(of: "THRESHOLD", with: "80")
        .replacingOccurrences(
          of: "\"Publish\": {\"Type\": \"Pass\", \"End\": true}",
          with:
            "\"Publish\": {\"Type\": \"Pass\", \"Next\": \"Notify\"}, \"Notify\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::sns:publish\", \"Parameters\": {\"Message\": \"done\"}, \"End\": true}"
        ))
    let report = try await added.replay(result.history)
    let divergence = try #require(report.divergence)
    #expect(divergence.eventType == "ExecutionSucceeded")
    #expect(
      divergence.message
        == "the replay writes TaskStateEntered of `Notify` where the recorded execution wrote ExecutionSucceeded"
    )
  }

  @Test("A truncated payload stops the replay with a clear report instead of a divergence")
  func truncatedPayload() async throws {
    let result = try await Self.recorded()
    let events = result.history.events
    let position = try #require(events.firstIndex { $0.type == "TaskSucceeded" })
    let truncated = result.history.changing(at: position) {
      $0.setField("output", to: "{\"Payload\": 7")
      $0.setField("outputDetails", to: ["truncated": true])
    }
    let report = try await Self.review(threshold: 80).replay(truncated)
    guard case .incomplete(let limit) = report else {
      Issue.record("expected a truncation, got \(report)")
      return
    }
    #expect(limit.eventId == events[position].id)
    #expect(limit.eventType == "TaskSucceeded")
    #expect(limit.stateName == "Score")
    #expect(limit.reason == .truncatedPayload(members: ["output"]))
    #expect(limit.eventsCompared == position)
    #expect(
      report.description
        == "cannot replay exactly past event \(position): event \(position + 1) (TaskSucceeded of `Score`) has a truncated output in the history (\(position) events matched)"
    )

    // A divergence before the truncated event is still a divergence.
    let renamed = try compile(
      Self.review.replacingOccurrences(of: "THRESHOLD", with: "80")
        .replacingOccurrences(
          of: "\"FunctionName\": \"score\"", with: "\"FunctionName\": \"rescore\""))
    let changed = try await renamed.replay(truncated)
    #expect(changed.divergence?.eventType == "TaskScheduled")
  }

  @Test("A truncated execution input cannot be replayed at all, and says so")
  func truncatedInput() async throws {
    let result = try await Self.recorded()
    let history = result.history.changing(at: 0) {
      $0.details = .fields(
        key: "executionStartedEventDetails",
        ["input": "{\"a\":", "inputDetails": ["truncated": true], "roleArn": "r"])
    }
    let report = try await Self.review(threshold: 80).replay(history)
    #expect(
      report
        == .incomplete(
          ReplayLimit(
            eventId: 1, eventType: "ExecutionStarted", stateName: nil,
            reason: .truncatedPayload(members: ["input"]), eventsCompared: 0)))
  }

  @Test("A history still running when it was exported matches as far as it goes")
  func openHistory() async throws {
    let result = try await Self.recorded()
    let cut = Array(result.history.events.prefix(8))
    let report = try await Self.review(threshold: 80).replay(ExecutionHistory(events: cut))
    #expect(report == .matched(eventsCompared: 8))
  }

  @Test("A history that does not begin with ExecutionStarted cannot be replayed")
  func unreplayable() async throws {
    let machine = try Self.review(threshold: 80)
    await #expect(throws: ReplayError("The history has no events.")) {
      try await machine.replay(ExecutionHistory(events: []))
    }
    let result = try await Self.recorded()
    let headless = ExecutionHistory(events: Array(result.history.events.dropFirst()))
    await #expect(throws: ReplayError.self) { try await machine.replay(headless) }
  }

  @Test("No handler runs: a replay needs none, and the recorded results are what tasks get")
  func noHandler() async throws {
    let result = try await Self.recorded()
    #expect(result.output == ["score": 70])
    let changed = result.history.changing(at: 4) { $0.setField("output", to: ["Payload": 95]) }
    #expect(changed.events[4].type == "TaskSucceeded")
    let report = try await Self.review(threshold: 80).replay(changed)
    let divergence = try #require(report.divergence)
    // The task gets 95 from the history: Score now leaves with it.
    #expect(divergence.eventId == 6)
    #expect(divergence.pointer == "/stateExitedEventDetails/output/score")
    #expect(divergence.recorded == 70)
    #expect(divergence.replayed == 95)
  }

  @Test("The execution ARN gives the replay the recorded names")
  func executionArn() async throws {
    let machine = try compile(
      """
      {"StartAt": "Who", "States": {"Who": {"Type": "Pass",
        "Parameters": {"name.$": "$$.Execution.Name", "machine.$": "$$.StateMachine.Name"},
        "End": true}}}
      """)
    var recording = ExecutionOptions()
    recording.executionName = "nightly-42"
    recording.stateMachineName = "Reports"
    recording.region = "eu-west-1"
    let result = await machine.run(options: recording)
    var options = ReplayOptions()
    options.timestamps = .ignored
    let plain = try await machine.replay(result.history, options: options)
    #expect(plain.divergence?.pointer == "/stateExitedEventDetails/output/name")
    options.executionArn = "arn:aws:states:eu-west-1:123456789012:execution:Reports:nightly-42"
    #expect(try await machine.replay(result.history, options: options).isMatched)
  }
}

@Suite("The replayed execution")
struct ReplayResultTests {
  @Test("replayResult(for:) gives the replayed execution beside the report")
  func replayedExecution() async throws {
    let result = try await ReplayDivergenceTests.recorded()
    let machine = try ReplayDivergenceTests.review(threshold: 80)
    let replayed = try await machine.replayResult(for: result.history)
    #expect(replayed.report == .matched(eventsCompared: result.history.count))
    let execution = try #require(replayed.execution)
    #expect(execution.output == result.output)
    #expect(execution.startDate == result.startDate)
    #expect(execution.stopDate == result.stopDate)
    #expect(execution.history.awsJSON == result.history.awsJSON)
  }
}
