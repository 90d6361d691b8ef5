import StepFunctionsJSON
import Synchronization

/// One event of an execution's history, as Step Functions records it.
///
/// Payloads are kept as JSON values while the execution runs; ``awsJSON`` renders the event in the
/// shape `aws stepfunctions get-execution-history` prints, where payloads are JSON text.
public struct HistoryEvent: Sendable {
  /// The event number, from 1.
  public var id: Int
  /// The event this one follows from (0 for none), assigned the way Step Functions does.
  public var previousEventId: Int
  /// When it happened.
  public var timestamp: Instant
  /// The event type name, e.g. `PassStateEntered`, `TaskScheduled`.
  public var type: String
  /// The type-specific details.
  public var details: Details
  /// What an imported event holds beyond ``details``; `nil` (one null reference, nothing
  /// more) for events the executor records.
  var imported: ImportedPartsStorage?

  /// Creates an event.
  public init(id: Int, previousEventId: Int, timestamp: Instant, type: String, details: Details) {
    self.id = id
    self.previousEventId = previousEventId
    self.timestamp = timestamp
    self.type = type
    self.details = details
  }

  /// The details of an event, by family.
  public enum Details: Sendable {
    /// No details (e.g. `MapStateSucceeded`, `ParallelStateStarted`).
    case none
    /// `ExecutionStarted`.
    case executionStarted(input: JSON, roleArn: String)
    /// `ExecutionSucceeded`.
    case executionSucceeded(output: JSON)
    /// Failures with an optional error and cause (`ExecutionFailed`, `MapStateFailed`, ...);
    /// `key` is the details member name, e.g. `executionFailedEventDetails`.
    case failure(key: String, error: String?, cause: String?)
    /// `...StateEntered`.
    case stateEntered(name: String, input: JSON)
    /// `...StateExited`, with the variables the state assigned.
    case stateExited(name: String, output: JSON, assignedVariables: JSONObject?)
    /// `MapStateStarted`.
    case mapStateStarted(length: Int)
    /// `MapIterationStarted`, `MapIterationSucceeded`, `MapIterationFailed`,
    /// `MapIterationAborted`; `key` is the details member name.
    case mapIteration(key: String, name: String, index: Int)
    /// Events with a fixed set of members (task, Lambda and activity events); `key` is the
    /// details member name, e.g. `taskScheduledEventDetails`. Members named in `payloads` hold
    /// JSON values that the AWS shape shows as JSON text; they are serialized only when the
    /// event is exported.
    case fields(key: String, JSONObject, payloads: Set<String> = [])
  }

  /// The event as `get-execution-history` prints it.
  public var awsJSON: JSON {
    var object = JSONObject(minimumCapacity: 5)
    object.append(key: "timestamp", value: .string(timestamp.iso8601))
    object.append(key: "type", value: .string(type))
    object.append(key: "id", value: .number(JSONNumber(id)))
    object.append(key: "previousEventId", value: .number(JSONNumber(previousEventId)))
    switch details {
    case .none:
      break
    case .executionStarted(let input, let roleArn):
      object.append(
        key: "executionStartedEventDetails",
        value: [
          "input": .string(input.serialized()), "inputDetails": ["truncated": false],
          "roleArn": .string(roleArn),
        ])
    case .executionSucceeded(let output):
      object.append(
        key: "executionSucceededEventDetails",
        value: ["output": .string(output.serialized()), "outputDetails": ["truncated": false]])
    case .failure(let key, let error, let cause):
      var details = JSONObject()
      if let error { details.append(key: "error", value: .string(error)) }
      if let cause { details.append(key: "cause", value: .string(cause)) }
      object.append(key: key, value: .object(details))
    case .stateEntered(let name, let input):
      object.append(
        key: "stateEnteredEventDetails",
        value: [
          "name": .string(name), "input": .string(input.serialized()),
          "inputDetails": ["truncated": false],
        ])
    case .stateExited(let name, let output, let assigned):
      var details: JSONObject = [
        "name": .string(name), "output": .string(output.serialized()),
        "outputDetails": ["truncated": false],
      ]
      if let assigned, !assigned.isEmpty {
        var texts = JSONObject(minimumCapacity: assigned.count)
        for (key, value) in assigned { texts.append(key: key, value: .string(value.serialized())) }
        details.append(key: "assignedVariables", value: .object(texts))
        details.append(key: "assignedVariablesDetails", value: ["truncated": false])
      }
      object.append(key: "stateExitedEventDetails", value: .object(details))
    case .mapStateStarted(let length):
      object.append(
        key: "mapStateStartedEventDetails", value: ["length": .number(JSONNumber(length))])
    case .mapIteration(let key, let name, let index):
      object.append(key: key, value: ["name": .string(name), "index": .number(JSONNumber(index))])
    case .fields(let key, var fields, let payloads):
      for name in payloads {
        if let value = fields[name] { fields[name] = .string(value.serialized()) }
      }
      object.append(key: key, value: .object(fields))
    }
    if let imported { imported.parts.restore(into: &object, details: details) }
    return .object(object)
  }
}

/// An execution's history.
///
/// A history the executor recorded is kept as a compact log while it runs — a small record per
/// state event, pointing at the state's compiled plan for its name and event type — and its
/// ``events`` are built from the log the first time they are read.
public struct ExecutionHistory: Sendable {
  enum Storage: Sendable {
    case events([HistoryEvent])
    case log(HistoryLog)
  }

  var storage: Storage

  /// What importing the history noticed without refusing it — unknown event types and members
  /// (kept), truncated or left-out payloads, missing events — one warning per kind and name,
  /// with the number of occurrences. Empty for a history the executor recorded.
  public var importWarnings: [HistoryImportWarning] = []

  /// The seed the execution ran with (everything random derives from it), when it ran here;
  /// `nil` for a history recorded elsewhere. Not part of the AWS JSON shape.
  public var seed: UInt64?

  /// Creates a history.
  public init(events: [HistoryEvent], seed: UInt64? = nil) {
    storage = .events(events)
    self.seed = seed
  }

  init(log: HistoryLog, seed: UInt64?) {
    storage = .log(log)
    self.seed = seed
  }

  /// The events, in order.
  ///
  /// - Complexity: O(*n*) the first time a recorded history is read (the events are built from
  ///   the log once and kept), O(1) after.
  public var events: [HistoryEvent] {
    get {
      switch storage {
      case .events(let events): return events
      case .log(let log): return log.events
      }
    }
    set { storage = .events(newValue) }
  }

  /// The number of events, without building them.
  public var count: Int {
    switch storage {
    case .events(let events): return events.count
    case .log(let log): return log.count
    }
  }

  /// The history as `aws stepfunctions get-execution-history` prints it: `{"events": [...]}`.
  public var awsJSON: JSON {
    .object(["events": .array(events.map(\.awsJSON))])
  }
}

/// What the engine appends to while an execution runs: one record per event, in id order.
///
/// `...StateEntered` and `...StateExited` events without assigned variables — almost every event
/// of most executions — are a record holding the payload and an unretained reference to the
/// state's plan; any other event is kept whole beside the records.
///
/// Records are kept in a chain of small chunks rather than one growing array: an allocation
/// under 1 KiB never makes the C allocator consolidate its free lists, which a large one does
/// each time — and right after an execution's history is freed, those lists hold every object
/// the execution made.
final class HistoryRecorder {
  struct Record {
    /// The state event's input or output; for other events, the position in `others` as a
    /// number.
    var payload: JSON
    /// The state, for a state event. Unretained: the log keeps the whole plan alive.
    var state: Unmanaged<StatePlan>?
    var previousEventId: Int
    var timestamp: Instant
    var isEntered: Bool
    /// For a `...StateEntered` record: the payload is that of the previous event (the previous
    /// state's exit), which this record does not hold again.
    var sharesPreviousPayload = false
  }

  /// The first chunk, once there is one.
  private(set) var head: RecordChunk?
  /// The last chunk, its records, and how many of them are written (its header's count is
  /// brought up to date when the next chunk starts, and by ``finish()``).
  private var tail: RecordChunk?
  private var tailRecords: UnsafeMutablePointer<Record>?
  private var tailCount = RecordChunk.capacity
  @exclusivity(unchecked) private(set) var others: [HistoryEvent] = []
  private(set) var count = 0

  deinit { finish() }

  /// Brings the last chunk's count up to date, so the chunks hold exactly what was written.
  func finish() {
    tail?.withUnsafeMutablePointerToHeader { $0.pointee.count = tailCount }
  }

  @inline(__always)
  private func append(_ record: consuming Record) {
    if tailCount == RecordChunk.capacity { startChunk() }
    // `tailRecords` is set by `startChunk()`.
    (tailRecords.unsafelyUnwrapped + tailCount).initialize(to: record)
    tailCount += 1
    count += 1
  }

  private func startChunk() {
    finish()
    let chunk = RecordChunk.make()
    if let tail {
      tail.withUnsafeMutablePointerToHeader { $0.pointee.next = chunk }
    } else {
      head = chunk
    }
    tail = chunk
    tailRecords = chunk.withUnsafeMutablePointerToElements { $0 }
    tailCount = 0
  }

  /// Appends a state event; with `sharesPrevious`, its payload is the previous event's.
  func appendStateEvent(
    _ state: StatePlan, entered: Bool, payload: consuming JSON, sharesPrevious: Bool,
    previousEventId: Int, timestamp: Instant
  ) {
    append(
      Record(
        payload: payload, state: Unmanaged.passUnretained(state),
        previousEventId: previousEventId, timestamp: timestamp, isEntered: entered,
        sharesPreviousPayload: sharesPrevious))
  }

  func append(_ event: HistoryEvent) {
    append(
      Record(
        payload: .number(JSONNumber(others.count)), state: nil,
        previousEventId: event.previousEventId, timestamp: event.timestamp, isEntered: false))
    others.append(event)
  }
}

/// The header of a ``RecordChunk``.
struct RecordChunkHeader {
  var count: Int
  var next: RecordChunk?
}

/// Up to ``capacity`` history records in one allocation of under 1 KiB, and the next chunk.
final class RecordChunk: ManagedBuffer<RecordChunkHeader, HistoryRecorder.Record> {
  static let capacity = 16

  static func make() -> RecordChunk {
    unsafeDowncast(
      create(minimumCapacity: capacity) { _ in RecordChunkHeader(count: 0, next: nil) },
      to: RecordChunk.self)
  }

  deinit {
    withUnsafeMutablePointers { header, records in
      for position in 0..<header.pointee.count { _ = (records + position).move() }
    }
  }
}

/// A finished execution's recorded events, built into ``HistoryEvent`` values when first read.
final class HistoryLog: @unchecked Sendable {
  /// Read-only once the log is made; `deinit` unlinks the chain.
  private var head: RecordChunk?
  let count: Int
  private let others: [HistoryEvent]
  /// Keeps alive the state plans the records point at.
  private let plan: GraphPlan
  /// The events, once built.
  private let built = Mutex<[HistoryEvent]?>(nil)

  init(_ recorder: HistoryRecorder, plan: GraphPlan) {
    recorder.finish()
    head = recorder.head
    count = recorder.count
    others = recorder.others
    self.plan = plan
  }

  deinit {
    // Chunk by chunk: letting each chunk free the next would recurse once per chunk.
    var chunk = head
    head = nil
    while let current = chunk {
      chunk = current.withUnsafeMutablePointerToHeader { header in
        defer { header.pointee.next = nil }
        return header.pointee.next
      }
    }
  }

  var events: [HistoryEvent] {
    built.withLock { built in
      if let built { return built }
      let events = build()
      built = events
      return events
    }
  }

  private func build() -> [HistoryEvent] {
    var events: [HistoryEvent] = []
    events.reserveCapacity(count)
    var chunk = head
    while let current = chunk {
      current.withUnsafeMutablePointers { header, records in
        for position in 0..<header.pointee.count {
          append(records[position], to: &events)
        }
        chunk = header.pointee.next
      }
    }
    return events
  }

  private func append(_ record: HistoryRecorder.Record, to events: inout [HistoryEvent]) {
    guard let reference = record.state else {
      if case .number(let number) = record.payload, let index = number.intValue {
        events.append(others[index])
      }
      return
    }
    let state = reference.takeUnretainedValue()
    var payload = record.payload
    if record.sharesPreviousPayload,
      case .stateExited(_, let output, _) = events[record.previousEventId - 1].details
    {
      payload = output
    }
    events.append(
      HistoryEvent(
        id: events.count + 1, previousEventId: record.previousEventId,
        timestamp: record.timestamp,
        type: record.isEntered ? state.enteredEventType : state.exitedEventType,
        details: record.isEntered
          ? .stateEntered(name: state.name, input: payload)
          : .stateExited(name: state.name, output: payload, assignedVariables: nil)))
  }
}
