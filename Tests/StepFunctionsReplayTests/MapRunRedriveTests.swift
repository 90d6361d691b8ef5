import StepFunctions
import Synchronization
import Testing

@Suite("Redrive of a distributed Map: the Map Run is redriven")
struct MapRunRedriveTests {
  /// A distributed Map whose child executions call one Task with their item's `n`.
  static func machine(_ extra: String = "", type: String = "STANDARD") throws -> StateMachine {
    try compile(
      """
      {"StartAt": "Fan", "States": {"Fan": {"Type": "Map", "End": true, \(extra)
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "\(type)"},
          "StartAt": "Work", "States": {
            "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {"FunctionName": "work", "n.$": "$.n"}, "End": true}}}}}}
      """)
  }

  static let input: JSON = [["n": 0], ["n": 1], ["n": 2], ["n": 3]]

  /// The item numbers the logged requests carried, sorted.
  static func numbers(_ log: RequestLog) -> [Int] {
    log.all.compactMap { $0.parameters["n"]?.numberValue?.intValue }.sorted()
  }

  /// A recorded run in which the child execution of item 1 fails (and the Map Run with it).
  static func failedRun(_ machine: StateMachine, log: RequestLog = RequestLog()) async
    -> ExecutionResult
  {
    await record(
      machine, input: input,
      handlers: flaky(log) { $0.parameters["n"]?.numberValue?.intValue == 1 })
  }

  /// Redrive options with the recorded Map Run records.
  static func options(_ recorded: ExecutionResult) -> (inout RedriveOptions) -> Void {
    { $0.mapRuns = recorded.mapRuns }
  }

  @Test("The same Map Run is redriven: MapRunRedriven with its ARN and redriveCount 1")
  func mapRunRedrivenEvent() async throws {
    let machine = try Self.machine()
    let recorded = await Self.failedRun(machine)
    #expect(recorded.status == .failed)
    let original = try #require(recorded.mapRuns.first)
    #expect(original.status == .failed)

    let result = try await redrive(
      machine, recorded.history, handlers: flaky(RequestLog()) { _ in false },
      configure: Self.options(recorded))
    #expect(result.status == .succeeded, "\(result.error ?? "") \(result.cause ?? "")")
    let added = appended(result, after: recorded.history)
    #expect(
      added.map(\.type) == [
        "ExecutionRedriven", "MapStateEntered", "MapStateStarted", "MapRunRedriven",
        "MapRunSucceeded", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded",
      ])
    let event = try #require(added.first { $0.type == "MapRunRedriven" })
    #expect(
      event.awsJSON["mapRunRedrivenEventDetails"]
        == ["mapRunArn": .string(original.mapRunArn), "redriveCount": 1])
    #expect(!added.contains { $0.type == "MapRunStarted" })
  }

  @Test("Only the child executions that did not succeed run again; the others keep their output")
  func onlyUnsuccessfulChildren() async throws {
    let machine = try Self.machine()
    let recordedLog = RequestLog()
    let recorded = await Self.failedRun(machine, log: recordedLog)
    let original = try #require(recorded.mapRuns.first)
    let succeeded = original.executions.filter { $0.status == .succeeded }.map(\.index)
    #expect(!succeeded.isEmpty)
    #expect(succeeded.count < 4)

    let log = RequestLog()
    let result = try await redrive(
      machine, recorded.history, handlers: flaky(log) { _ in false },
      configure: Self.options(recorded))
    #expect(result.status == .succeeded)
    #expect(Self.numbers(log) == (0..<4).filter { !succeeded.contains($0) })
    // Every item has its result, in item order: the kept ones as they were recorded.
    let outputs = (result.output?.arrayValue ?? []).map { $0["seen"]?["n"] }
    #expect(outputs == [0, 1, 2, 3])
  }

  @Test("The Map Run record after the redrive: same ARN and start, redriveCount and date, counts")
  func recordAfterRedrive() async throws {
    let machine = try Self.machine()
    let recorded = await Self.failedRun(machine)
    let original = try #require(recorded.mapRuns.first)
    let redriveTime = try #require(recorded.history.events.last?.timestamp)
      .advanced(bySeconds: 3600)
    let result = try await redrive(
      machine, recorded.history, handlers: flaky(RequestLog()) { _ in false }
    ) {
      $0.mapRuns = recorded.mapRuns
      $0.redriveTime = redriveTime
    }
    let run = try #require(result.mapRuns.first)
    #expect(result.mapRuns.count == 1)
    #expect(run.mapRunArn == original.mapRunArn)
    #expect(run.stateMachineArn == original.stateMachineArn)
    #expect(run.startDate == original.startDate)
    #expect(run.redriveCount == 1)
    #expect(run.redriveDate == redriveTime)
    #expect(run.status == .succeeded)
    var expected = MapRun.Counts()
    expected.succeeded = 4
    expected.total = 4
    #expect(run.itemCounts == expected)
    #expect(run.executionCounts == expected)
    #expect(run.describe["redriveCount"] == 1)
    #expect(run.describe["redriveDate"] == .string(redriveTime.iso8601))
    // The STANDARD children run again are the same executions, redriven.
    #expect(run.executions.count == 4)
    #expect(original.executions.contains { $0.status != .succeeded })
    for child in run.executions {
      #expect(child.status == .succeeded)
      guard let before = original.executions.first(where: { $0.index == child.index }) else {
        // Never started before: a new execution.
        #expect(child.redriveCount == 0)
        continue
      }
      #expect(child.executionArn == before.executionArn)
      #expect(child.redriveCount == (before.status == .succeeded ? 0 : 1))
    }
  }

  @Test("Without the Map Run's record, every child execution runs again in the same Map Run")
  func withoutRecord() async throws {
    let machine = try Self.machine()
    let recorded = await Self.failedRun(machine)
    let log = RequestLog()
    let result = try await redrive(
      machine, recorded.history, handlers: flaky(log) { _ in false })
    #expect(result.status == .succeeded)
    #expect(Self.numbers(log) == [0, 1, 2, 3])
    #expect(result.mapRuns.first?.mapRunArn == recorded.mapRuns.first?.mapRunArn)
    #expect(appended(result, after: recorded.history).contains { $0.type == "MapRunRedriven" })
  }

  @Test("A Map Run redriven twice has redriveCount 2, and what succeeded in either stays done")
  func secondRedrive() async throws {
    let machine = try Self.machine()
    let recorded = await Self.failedRun(machine)
    // The first redrive fixes item 1 but item 3 now fails.
    let first = try await redrive(
      machine, recorded.history,
      handlers: flaky(RequestLog()) { $0.parameters["n"]?.numberValue?.intValue == 3 },
      configure: Self.options(recorded))
    #expect(first.status == .failed)
    #expect(first.mapRuns.first?.redriveCount == 1)
    let log = RequestLog()
    let second = try await redrive(
      machine, first.history, handlers: flaky(log) { _ in false }, configure: Self.options(first))
    #expect(second.status == .succeeded)
    #expect(Self.numbers(log) == [3])
    let events = appended(second, after: first.history).filter { $0.type == "MapRunRedriven" }
    #expect(events.first?.awsJSON["mapRunRedrivenEventDetails"]?["redriveCount"] == 2)
    #expect(second.mapRuns.first?.redriveCount == 2)
    #expect(second.mapRuns.first?.mapRunArn == recorded.mapRuns.first?.mapRunArn)
  }

  @Test("A Map Run already redriven 1,000 times fails the Map state with States.Runtime")
  func redriveLimit() async throws {
    let machine = try Self.machine()
    let recorded = await Self.failedRun(machine)
    let arn = try #require(recorded.mapRuns.first?.mapRunArn)
    // The history as if the Map Run had been redriven 1,000 times before the end.
    var events = recorded.history.events
    let closing = events.removeLast()
    events.append(
      HistoryEvent(
        id: events.count + 1, previousEventId: events.count, timestamp: closing.timestamp,
        type: "MapRunRedriven",
        details: .fields(
          key: "mapRunRedrivenEventDetails", ["mapRunArn": .string(arn), "redriveCount": 1000])))
    var moved = closing
    moved.id = events.count + 1
    moved.previousEventId = events.count
    events.append(moved)
    let history = ExecutionHistory(events: events, seed: recorded.history.seed)
    let result = try await redrive(machine, history, handlers: flaky(RequestLog()) { _ in false })
    #expect(result.status == .failed)
    #expect(result.error == "States.Runtime")
    #expect(result.cause?.contains("1000") == true)
  }

  @Test("A Map Run that failed reading its items is not redriven: a new Map Run starts")
  func itemReaderFailureStartsNewRun() async throws {
    let machine = try Self.machine(
      #""ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Bucket": "b", "Key": "items.json"}},"#
    )
    // No handler serves the reader: the Map Run fails with States.ItemReaderFailed.
    let recorded = await record(machine, input: [:])
    #expect(recorded.error == "States.ItemReaderFailed")
    var registry = TaskHandlerRegistry()
    registry.register(
      ClosureTaskHandler { _, _ in ["Body": #"[{"n": 5}]"#] },
      forResource: "arn:aws:states:::s3:getObject")
    registry.registerFallback(ClosureTaskHandler { _, _ in ["ok": true] })
    let result = try await redrive(machine, recorded.history, handlers: registry)
    #expect(result.status == .succeeded, "\(result.error ?? "") \(result.cause ?? "")")
    let added = appended(result, after: recorded.history)
    #expect(added.contains { $0.type == "MapRunStarted" })
    #expect(!added.contains { $0.type == "MapRunRedriven" })
    #expect(result.mapRuns.first?.mapRunArn != recorded.mapRuns.first?.mapRunArn)
    #expect(result.mapRuns.first?.redriveCount == 0)
  }

  @Test(
    "A redriven Map Run's ResultWriter writes all results again to the same Map Run's folder"
  )
  func resultWriterAfterRedrive() async throws {
    let machine = try Self.machine(
      #""ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "runs"}},"#
    )
    let recorded = await Self.failedRun(machine)
    #expect(recorded.status == .failed)
    let original = try #require(recorded.mapRuns.first)
    let runId = try #require(original.mapRunArn.split(separator: ":").last)
    let writes = Mutex<[String: String]>([:])
    var registry = flaky(RequestLog()) { _ in false }
    registry.register(
      ClosureTaskHandler { request, _ in
        let key = request.parameters["Key"]?.stringValue ?? ""
        writes.withLock { $0[key] = request.parameters["Body"]?.stringValue }
        return [:]
      }, forResource: "arn:aws:states:::s3:putObject")
    let result = try await redrive(
      machine, recorded.history, handlers: registry, configure: Self.options(recorded))
    #expect(result.status == .succeeded, "\(result.error ?? "") \(result.cause ?? "")")
    let files = writes.withLock { $0 }
    #expect(
      files.keys.sorted() == ["runs/\(runId)/SUCCEEDED_0.json", "runs/\(runId)/manifest.json"])
    let body = try JSONParser.parse(Array((files["runs/\(runId)/SUCCEEDED_0.json"] ?? "").utf8))
    let records = body.arrayValue ?? []
    #expect(records.count == 4)
    let before = Dictionary(
      uniqueKeysWithValues: original.executions.map { ($0.executionArn, $0.status) })
    for record in records {
      let arn = record["ExecutionArn"]?.stringValue ?? ""
      let redriven = before[arn].map { $0 != .succeeded } ?? false
      #expect(record["RedriveCount"] == (redriven ? 1 : 0))
      #expect(record["Status"] == "SUCCEEDED")
    }
    let manifest = try JSONParser.parse(Array((files["runs/\(runId)/manifest.json"] ?? "").utf8))
    #expect(manifest["MapRunArn"] == .string(original.mapRunArn))
    #expect(result.output?["MapRunArn"] == .string(original.mapRunArn))
    #expect(result.mapRuns.first?.itemCounts.resultsWritten == 4)
  }

  @Test(
    "A STANDARD child is redriven at its own failed state: its history goes on after ExecutionRedriven"
  )
  func childRedrivenAtFailedState() async throws {
    let machine = try compile(
      """
      {"StartAt": "Fan", "States": {"Fan": {"Type": "Map", "End": true,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
          "StartAt": "Prep", "States": {
            "Prep": {"Type": "Pass", "Parameters": {"n.$": "$.n"}, "Assign": {"tag.$": "$.n"},
              "Next": "Work"},
            "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {"FunctionName": "work", "n.$": "$.n", "tag.$": "$tag"},
              "End": true}}}}}}
      """)
    let recorded = await Self.failedRun(machine)
    let failed = try #require(recorded.mapRuns.first?.executions.first { $0.status == .failed })
    let log = RequestLog()
    let result = try await redrive(
      machine, recorded.history, handlers: flaky(log) { _ in false },
      configure: Self.options(recorded))
    #expect(result.status == .succeeded)
    // The variable Prep assigned in the recorded attempt is restored.
    #expect(!log.all.isEmpty)
    #expect(log.all.allSatisfy { $0.parameters["tag"] == $0.parameters["n"] })
    let child = try #require(
      result.mapRuns.first?.executions.first { $0.executionArn == failed.executionArn })
    #expect(child.status == .succeeded)
    #expect(child.redriveCount == 1)
    #expect(child.startDate == failed.startDate)
    let history = child.history
    #expect(history.prefix(failed.history.count).map(\.awsJSON) == failed.history.map(\.awsJSON))
    let added = history.dropFirst(failed.history.count).map(\.type)
    #expect(added.first == "ExecutionRedriven")
    #expect(added.contains("TaskStateEntered"))
    #expect(!added.contains("PassStateEntered"))
    #expect(added.last == "ExecutionSucceeded")
    #expect(history.map(\.id) == Array(1...history.count))
  }

  @Test("A Map Run that succeeded before the Map state failed is not redriven: a new one starts")
  func succeededRunStartsNewRun() async throws {
    // The Map Run succeeds; the ResultSelector then fails the Map state (States.Runtime).
    let machine = try Self.machine(#""ResultSelector": {"first.$": "$[5]"},"#)
    let recorded = await record(
      machine, input: Self.input, handlers: flaky(RequestLog()) { _ in false })
    #expect(recorded.status == .failed)
    #expect(recorded.mapRuns.first?.status == .succeeded)
    let log = RequestLog()
    let result = try await redrive(
      machine, recorded.history, handlers: flaky(log) { _ in false },
      configure: Self.options(recorded))
    let added = appended(result, after: recorded.history)
    #expect(added.contains { $0.type == "MapRunStarted" })
    #expect(!added.contains { $0.type == "MapRunRedriven" })
    #expect(Self.numbers(log) == [0, 1, 2, 3])
  }

  @Test("Two Map Run redrives of the same history are byte-identical")
  func deterministic() async throws {
    let machine = try Self.machine()
    let recorded = await Self.failedRun(machine)
    var texts: [String] = []
    for _ in 0..<2 {
      let result = try await redrive(
        machine, recorded.history, handlers: flaky(RequestLog()) { _ in false },
        configure: Self.options(recorded))
      texts.append(
        result.history.awsCLIText
          + result.mapRuns.map { $0.describe.serialized() + $0.listExecutions.serialized() }
          .joined())
    }
    #expect(texts[0] == texts[1])
  }

  @Test("EXPRESS children run again are new executions, with new names")
  func expressChildren() async throws {
    let machine = try Self.machine(type: "EXPRESS")
    let recorded = await Self.failedRun(machine)
    #expect(recorded.status == .failed)
    let log = RequestLog()
    let result = try await redrive(
      machine, recorded.history, handlers: flaky(log) { _ in false },
      configure: Self.options(recorded))
    #expect(result.status == .succeeded)
    // EXPRESS children are not listed: the record cannot say which succeeded; all run again.
    #expect(Self.numbers(log) == [0, 1, 2, 3])
    #expect(result.mapRuns.first?.redriveCount == 1)
  }
}
