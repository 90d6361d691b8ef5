import Foundation
import StepFunctionsJSON
import StepFunctionsLanguage

/// What a distributed Map state ran: AWS's Map Run, as `DescribeMapRun` and
/// `ListExecutions --map-run-arn` show it, on the execution's virtual clock.
///
/// Counts are kept for every Map Run. The list of child executions is kept only when the
/// execution records its history (``ExecutionOptions/recordsHistory``) and the children are
/// `STANDARD` (AWS does not list `EXPRESS` child executions), so that a Map Run over a million
/// items with history off keeps no per-item record.
public struct MapRun: Sendable {
  /// A Map Run's status (`DescribeMapRun`'s `status`).
  public enum Status: String, Sendable, Hashable {
    /// Still running (the run stopped while the Map state waited).
    case running = "RUNNING"
    /// Every child execution succeeded, or the failures stayed within the tolerance.
    case succeeded = "SUCCEEDED"
    /// More child executions failed than tolerated, or the results could not be written.
    case failed = "FAILED"
    /// The Map state was stopped before its end (the execution ended first).
    case aborted = "ABORTED"
  }

  /// Item or child-execution counts by status (`MapRunItemCounts`, `MapRunExecutionCounts`).
  public struct Counts: Sendable, Hashable {
    /// Not started yet.
    public var pending = 0
    /// Started and not finished.
    public var running = 0
    /// Succeeded.
    public var succeeded = 0
    /// Failed.
    public var failed = 0
    /// Timed out.
    public var timedOut = 0
    /// Aborted (running when the Map Run failed or was aborted).
    public var aborted = 0
    /// All of them.
    public var total = 0
    /// Those whose results the `ResultWriter` exported.
    public var resultsWritten = 0
    /// Unsuccessful ones that cannot be redriven (AWS: a child whose own history is full).
    /// Always 0 locally: every unsuccessful child can be redriven.
    public var failuresNotRedrivable = 0
    /// Unsuccessful ones waiting for a redrive to run them again (0 once the redrive has
    /// started them).
    public var pendingRedrive = 0

    /// Creates counts of zero.
    public init() {}

    /// The counts as `DescribeMapRun` writes them.
    public var json: JSON {
      [
        "pending": .number(JSONNumber(pending)), "running": .number(JSONNumber(running)),
        "succeeded": .number(JSONNumber(succeeded)), "failed": .number(JSONNumber(failed)),
        "timedOut": .number(JSONNumber(timedOut)), "aborted": .number(JSONNumber(aborted)),
        "total": .number(JSONNumber(total)),
        "resultsWritten": .number(JSONNumber(resultsWritten)),
        "failuresNotRedrivable": .number(JSONNumber(failuresNotRedrivable)),
        "pendingRedrive": .number(JSONNumber(pendingRedrive)),
      ]
    }
  }

  /// One child execution (`ListExecutions --map-run-arn`).
  public struct ChildExecution: Sendable {
    /// The index of the item (or, with an `ItemBatcher`, the batch) it runs.
    public var index: Int
    /// How many times it was redriven: a `STANDARD` child that a Map Run redrive ran again is
    /// the same execution, redriven (an `EXPRESS` one is a new execution).
    public var redriveCount = 0
    /// The execution's name.
    public var name: String
    /// The execution's ARN.
    public var executionArn: String
    /// How it ended (``ExecutionStatus/running`` if it had not ended).
    public var status: ExecutionStatus
    /// The input it started with.
    public var input: JSON
    /// How many items it processed: 1, or the size of its batch with an `ItemBatcher`.
    public var itemCount = 1
    /// The output, when it succeeded.
    public var output: JSON?
    /// The error, when it failed.
    public var error: String?
    /// The cause, when it failed.
    public var cause: String?
    /// When it started.
    public var startDate: Instant
    /// When it stopped, if it did.
    public var stopDate: Instant?
    /// Its own event history (`GetExecutionHistory` of the child execution), from
    /// `ExecutionStarted` to its end.
    public var history: [HistoryEvent] = []
  }

  /// The Map Run's ARN (`arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:ID`).
  public var mapRunArn: String
  /// The parent execution's ARN.
  public var executionArn: String
  /// The Map state's name.
  public var stateName: String
  /// The `Label` field, if any.
  public var label: String?
  /// The child workflows' `ExecutionType`.
  public var executionType: ValidationOptions.StateMachineType
  /// The ARN the child executions run under
  /// (`arn:aws:states:REGION:ACCOUNT:stateMachine:MACHINE/LABEL`).
  public var stateMachineArn: String
  /// The status.
  public var status: Status
  /// When the Map Run started.
  public var startDate: Instant
  /// When it stopped, if it did.
  public var stopDate: Instant?
  /// `MaxConcurrency` (0: no limit).
  public var maxConcurrency: Int
  /// `ToleratedFailureCount` (0 when not set).
  public var toleratedFailureCount: Int
  /// `ToleratedFailurePercentage` (0 when not set).
  public var toleratedFailurePercentage: Double
  /// Items by status.
  public var itemCounts = Counts()
  /// Child executions by status.
  public var executionCounts = Counts()
  /// The child executions in the order they started (empty when history is off, and for
  /// `EXPRESS` children). After a redrive, those that succeeded before come first, in item
  /// order.
  public var executions: [ChildExecution] = []
  /// How many times the Map Run was redriven (its parent execution redriven while it had not
  /// succeeded): `MapRunRedriven`'s `redriveCount`.
  public var redriveCount = 0
  /// When it was last redriven.
  public var redriveDate: Instant?

  /// The Map Run as `DescribeMapRun` returns it (dates as ISO 8601 text).
  public var describe: JSON {
    var object = JSONObject()
    object.append(key: "mapRunArn", value: .string(mapRunArn))
    object.append(key: "executionArn", value: .string(executionArn))
    object.append(key: "status", value: .string(status.rawValue))
    object.append(key: "startDate", value: .string(startDate.iso8601))
    if let stopDate { object.append(key: "stopDate", value: .string(stopDate.iso8601)) }
    object.append(key: "maxConcurrency", value: .number(JSONNumber(maxConcurrency)))
    object.append(
      key: "toleratedFailurePercentage", value: .number(JSONNumber(toleratedFailurePercentage)))
    object.append(key: "toleratedFailureCount", value: .number(JSONNumber(toleratedFailureCount)))
    object.append(key: "itemCounts", value: itemCounts.json)
    object.append(key: "executionCounts", value: executionCounts.json)
    object.append(key: "redriveCount", value: .number(JSONNumber(redriveCount)))
    if let redriveDate { object.append(key: "redriveDate", value: .string(redriveDate.iso8601)) }
    return .object(object)
  }

  /// The listed child executions as `ListExecutions --map-run-arn` returns them
  /// (`{"executions": [{"executionArn", "stateMachineArn", "name", "status", "startDate",
  /// "stopDate", "mapRunArn", "itemCount"}]}`), in the order they started.
  public var listExecutions: JSON {
    let entries = executions.map { child -> JSON in
      var object = JSONObject(minimumCapacity: 8)
      object.append(key: "executionArn", value: .string(child.executionArn))
      object.append(key: "stateMachineArn", value: .string(stateMachineArn))
      object.append(key: "name", value: .string(child.name))
      object.append(key: "status", value: .string(child.status.rawValue))
      object.append(key: "startDate", value: .string(child.startDate.iso8601))
      if let stop = child.stopDate {
        object.append(key: "stopDate", value: .string(stop.iso8601))
      }
      object.append(key: "mapRunArn", value: .string(mapRunArn))
      object.append(key: "itemCount", value: .number(JSONNumber(child.itemCount)))
      return .object(object)
    }
    return ["executions": .array(entries)]
  }
}

/// A Map Run while it runs: counts, and the records a `ResultWriter` or the history needs.
final class MapRunTracker {
  @exclusivity(unchecked) var run: MapRun
  /// The Map Run's id (the ARN's last part), the folder of the `ResultWriter`'s files.
  let id: String
  /// The seed the child execution names are drawn from.
  let nameSeed: UInt64
  /// Whether each child's record is kept (for the `ResultWriter`'s files or its `NONE` output).
  let keepsRecords: Bool
  /// Whether the child executions are listed on the record.
  let listsExecutions: Bool
  /// The children's records by item index, while they are kept.
  @exclusivity(unchecked) var records: [Int: MapRun.ChildExecution] = [:]
  /// The index of each listed execution in ``MapRun/executions``.
  @exclusivity(unchecked) var listed: [Int: Int] = [:]
  /// The Map state's fiber while the Map Run runs (for its `MapRunAborted` event).
  @exclusivity(unchecked) var parent: Fiber?
  /// The id of the `MapRunStarted` event (0 in a child execution, whose events are not kept).
  @exclusivity(unchecked) var startedEventId = 0
  /// How many items each child execution gets when an `ItemBatcher` batches them (`nil`: one).
  @exclusivity(unchecked) var batchSizes: [Int]?
  /// The event logs of the listed child executions still running.
  @exclusivity(unchecked) var running: [Int: EventCounter] = [:]
  /// In a Map Run redrive, the child executions the recording lists, by index: a `STANDARD`
  /// child run again keeps its name and ARN.
  @exclusivity(unchecked) var recordedChildren: [Int: MapRun.ChildExecution] = [:]

  init(run: MapRun, id: String, nameSeed: UInt64, keepsRecords: Bool, listsExecutions: Bool) {
    self.run = run
    self.id = id
    self.nameSeed = nameSeed
    self.keepsRecords = keepsRecords
    self.listsExecutions = listsExecutions
  }

  /// The child execution for item `index`: its name and ARN, derived from the seed (so that no
  /// draw from the execution's random source changes what later states draw).
  func child(_ index: Int, input: JSON, at start: Instant) -> MapRun.ChildExecution {
    if run.redriveCount > 0, run.executionType == .standard {
      var child = MapRun.ChildExecution(
        index: index, name: "", executionArn: "", status: .running, input: input,
        startDate: start)
      if let recorded = recordedChildren[index] {
        // The same execution, redriven: its name, ARN, input and first start stay.
        child.name = recorded.name
        child.executionArn = recorded.executionArn
        child.input = recorded.input
        child.startDate = recorded.startDate
        child.redriveCount = recorded.redriveCount + 1
      } else {
        // Never started before: a new execution.
        let fresh = named(index)
        child.name = fresh.name
        child.executionArn = fresh.arn
      }
      child.itemCount = items(index)
      return child
    }
    let fresh = named(index)
    var record = MapRun.ChildExecution(
      index: index, name: fresh.name, executionArn: fresh.arn, status: .running, input: input,
      startDate: start)
    record.itemCount = items(index)
    return record
  }

  /// The name and ARN child execution `index` gets, from the seed.
  private func named(_ index: Int) -> (name: String, arn: String) {
    // A Map Run redrive starts new EXPRESS executions: new names.
    let redrives = run.executionType == .express ? UInt64(truncatingIfNeeded: run.redriveCount) : 0
    var random = SeededRandom(
      seed: nameSeed &+ UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9 &+ redrives
        &* 0x9E37_79B9_7F4A_7C15)
    let name = random.nextUUIDString()
    let base = run.stateMachineArn.replacingOccurrences(of: ":stateMachine:", with: ":execution:")
    let arn: String
    switch run.executionType {
    case .standard: arn = "\(base):\(name)"
    case .express:
      arn =
        base.replacingOccurrences(of: ":execution:", with: ":express:") + ":\(name):"
        + random.nextUUIDString()
    }
    return (name, arn)
  }

  /// Keeps, in a Map Run redrive, the record of a child execution that succeeded before and
  /// does not run again.
  func kept(_ child: MapRun.ChildExecution) {
    if keepsRecords { records[child.index] = child }
    if listsExecutions {
      listed[child.index] = run.executions.count
      run.executions.append(child)
    }
  }

  /// The number of items child execution `index` gets.
  func items(_ index: Int) -> Int {
    guard let batchSizes, index >= 0, index < batchSizes.count else { return 1 }
    return batchSizes[index]
  }

  func started(_ index: Int, input: JSON, at now: Instant) {
    let items = items(index)
    run.executionCounts.pending -= 1
    run.executionCounts.running += 1
    run.itemCounts.pending -= items
    run.itemCounts.running += items
    guard keepsRecords || listsExecutions else { return }
    let record = child(index, input: input, at: now)
    if keepsRecords { records[index] = record }
    if listsExecutions {
      listed[index] = run.executions.count
      run.executions.append(record)
    }
  }

  func finished(
    _ index: Int, status: ExecutionStatus, output: JSON?, error: String?, cause: String?,
    at now: Instant, history: [HistoryEvent]? = nil
  ) {
    running[index] = nil
    let items = items(index)
    run.executionCounts.running -= 1
    run.itemCounts.running -= items
    switch status {
    case .succeeded:
      run.executionCounts.succeeded += 1
      run.itemCounts.succeeded += items
    case .timedOut:
      run.executionCounts.timedOut += 1
      run.itemCounts.timedOut += items
    case .aborted:
      run.executionCounts.aborted += 1
      run.itemCounts.aborted += items
    default:
      run.executionCounts.failed += 1
      run.itemCounts.failed += items
    }
    func update(_ record: inout MapRun.ChildExecution) {
      record.status = status
      record.output = output
      record.error = error
      record.cause = cause
      record.stopDate = now
    }
    if keepsRecords, var record = records[index] {
      update(&record)
      records[index] = record
    }
    if let position = listed[index] {
      update(&run.executions[position])
      if let history { run.executions[position].history = history }
    }
  }

  /// Ends the Map Run: the children still running count as aborted.
  func end(_ status: MapRun.Status, at now: Instant) {
    guard run.status == .running else { return }
    parent = nil
    defer { running.removeAll() }
    run.status = status
    run.stopDate = now
    if status != .succeeded {
      run.executionCounts.aborted += run.executionCounts.running
      run.itemCounts.aborted += run.itemCounts.running
      run.executionCounts.running = 0
      run.itemCounts.running = 0
      for position in run.executions.indices where run.executions[position].status == .running {
        run.executions[position].status = .aborted
        run.executions[position].stopDate = now
      }
      for (index, counter) in running {
        guard let position = listed[index], var log = counter.log else { continue }
        log.append(
          HistoryEvent(
            id: log.count + 1, previousEventId: log.count, timestamp: now,
            type: "ExecutionAborted",
            details: .failure(key: "executionAbortedEventDetails", error: nil, cause: nil)))
        run.executions[position].history = log
      }
    }
  }
}
