import StepFunctions
import Synchronization
import Testing

@Suite("Replay of a redriven execution goes on past ExecutionRedriven")
struct ReplayRedrivenTests {
  /// A recorded execution that failed at `Charge` and was redriven with a handler that works.
  static func redriven(_ machine: StateMachine) async throws -> ExecutionResult {
    let recorded = await record(machine, handlers: flaky(RequestLog()) { _ in true })
    #expect(recorded.status == .failed)
    return try await redrive(
      machine, recorded.history, handlers: flaky(RequestLog()) { _ in false })
  }

  @Test("A redriven execution replays as matched, every event compared, timestamps exact or not")
  func redrivenMatches() async throws {
    let machine = try compile(RedriveTests.pipeline)
    let result = try await Self.redriven(machine)
    #expect(result.status == .succeeded)
    #expect(result.history.events.contains { $0.type == "ExecutionRedriven" })
    try await expectReplays(result.history, against: machine)
  }

  @Test("A redriven history exported as get-execution-history prints it replays as matched")
  func exportedMatches() async throws {
    let machine = try compile(RedriveTests.pipeline)
    let result = try await Self.redriven(machine)
    let imported = try ExecutionHistory(importing: Array(result.history.awsCLIText.utf8))
    let report = try await machine.replay(imported)
    #expect(report == .matched(eventsCompared: imported.count), "\(report)")
  }

  @Test("An execution redriven twice replays through both redrives")
  func twoRedrives() async throws {
    let machine = try compile(RedriveTests.pipeline)
    let recorded = await record(machine, handlers: flaky(RequestLog()) { _ in true })
    let first = try await redrive(
      machine, recorded.history, handlers: flaky(RequestLog()) { _ in true })
    #expect(first.status == .failed)
    let second = try await redrive(
      machine, first.history, handlers: flaky(RequestLog()) { _ in false })
    #expect(second.status == .succeeded)
    #expect(second.history.events.filter { $0.type == "ExecutionRedriven" }.count == 2)
    try await expectReplays(second.history, against: machine)
  }

  @Test("A definition changed after the failed state diverges after ExecutionRedriven")
  func divergesAfterRedrive() async throws {
    let machine = try compile(RedriveTests.pipeline)
    let result = try await Self.redriven(machine)
    let redrivenId = try #require(
      result.history.events.first { $0.type == "ExecutionRedriven" }?.id)
    let changed = try compile(
      RedriveTests.pipeline.replacingOccurrences(
        of: #""Done": {"Type": "Pass", "End": true}"#,
        with: #""Done": {"Type": "Pass", "Result": "changed", "End": true}"#))
    let report = try await changed.replay(result.history)
    let divergence = try #require(report.divergence, "\(report)")
    #expect(divergence.eventId > redrivenId)
    #expect(divergence.eventType == "PassStateExited")
    #expect(divergence.stateName == "Done")
  }

  @Test("A task result changed in the redriven attempt diverges after that task's result event")
  func changedResultAfterRedrive() async throws {
    let machine = try compile(RedriveTests.pipeline)
    let result = try await Self.redriven(machine)
    let events = result.history.events
    let position = try #require(events.lastIndex { $0.type == "TaskSucceeded" })
    let changed = result.history.changing(at: position) {
      $0.setField("output", to: ["ok": "Other"])
    }
    let report = try await machine.replay(changed)
    let divergence = try #require(report.divergence, "\(report)")
    #expect(divergence.eventId > events[position].id)
  }

  @Test("A replay whose first attempt succeeds where the recording failed diverges at the redrive")
  func noFailureToRedrive() async throws {
    let machine = try compile(RedriveTests.pipeline)
    let result = try await Self.redriven(machine)
    // The definition now catches the failure: the first attempt ends otherwise.
    let catching = try compile(
      RedriveTests.pipeline.replacingOccurrences(
        of: #""Next": "Done"},"#,
        with: #""Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}], "Next": "Done"},"#))
    let report = try await catching.replay(result.history)
    #expect(report.divergence != nil, "\(report)")
  }

  @Test(
    "Round trip: a distributed Map that failed, redriven with a fixed handler, exported, replays as matched"
  )
  func distributedMapRoundTrip() async throws {
    let machine = try MapRunRedriveTests.machine()
    let recorded = await MapRunRedriveTests.failedRun(machine)
    #expect(recorded.status == .failed)
    let result = try await redrive(
      machine, recorded.history, handlers: flaky(RequestLog()) { _ in false }
    ) { $0.mapRuns = recorded.mapRuns }
    #expect(result.status == .succeeded)
    #expect(result.history.events.contains { $0.type == "MapRunRedriven" })
    let imported = try ExecutionHistory(importing: Array(result.history.awsCLIText.utf8))

    // The child executions' tasks are not in the history: a handler answers them as they were
    // answered (item 1 failing the first time only).
    func options(_ timestamps: ReplayOptions.Timestamps) -> ReplayOptions {
      let failures = Mutex(0)
      var options = ReplayOptions()
      options.timestamps = timestamps
      options.childExecutionHandlers = flaky(RequestLog()) { request in
        guard request.parameters["n"]?.numberValue?.intValue == 1 else { return false }
        return failures.withLock {
          $0 += 1
          return $0 == 1
        }
      }
      return options
    }
    let report = try await machine.replay(imported, options: options(.automatic))
    #expect(report == .matched(eventsCompared: imported.count), "\(report)")
    let exact = try await machine.replay(result.history, options: options(.exact))
    #expect(exact == .matched(eventsCompared: result.history.count), "\(exact)")
  }
}
