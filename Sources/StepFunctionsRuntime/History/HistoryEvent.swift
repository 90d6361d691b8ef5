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
struct HistoryRecorder {
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

  var records: [Record] = []
  var others: [HistoryEvent] = []

  var count: Int { records.count }

  mutating func reserveCapacity(_ count: Int) { records.reserveCapacity(count) }

  mutating func appendStateEvent(
    _ state: StatePlan, entered: Bool, payload: JSON, previousEventId: Int, timestamp: Instant
  ) {
    records.append(
      Record(
        payload: payload, state: Unmanaged.passUnretained(state),
        previousEventId: previousEventId, timestamp: timestamp, isEntered: entered))
  }

  mutating func appendEnteredSharingPrevious(
    _ state: StatePlan, previousEventId: Int, timestamp: Instant
  ) {
    records.append(
      Record(
        payload: .null, state: Unmanaged.passUnretained(state), previousEventId: previousEventId,
        timestamp: timestamp, isEntered: true, sharesPreviousPayload: true))
  }

  mutating func append(_ event: HistoryEvent) {
    records.append(
      Record(
        payload: .number(JSONNumber(others.count)), state: nil,
        previousEventId: event.previousEventId, timestamp: event.timestamp, isEntered: false))
    others.append(event)
  }
}

/// A finished execution's recorded events, built into ``HistoryEvent`` values when first read.
final class HistoryLog: Sendable {
  private let records: [HistoryRecorder.Record]
  private let others: [HistoryEvent]
  /// Keeps alive the state plans the records point at.
  private let plan: GraphPlan
  /// The events, once built.
  private let built = Mutex<[HistoryEvent]?>(nil)

  init(_ recorder: HistoryRecorder, plan: GraphPlan) {
    records = recorder.records
    others = recorder.others
    self.plan = plan
  }

  var count: Int { records.count }

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
    events.reserveCapacity(records.count)
    for (position, record) in records.enumerated() {
      guard let reference = record.state else {
        if case .number(let number) = record.payload, let index = number.intValue {
          events.append(others[index])
        }
        continue
      }
      let state = reference.takeUnretainedValue()
      let payload =
        record.sharesPreviousPayload ? records[record.previousEventId - 1].payload : record.payload
      events.append(
        HistoryEvent(
          id: position + 1, previousEventId: record.previousEventId,
          timestamp: record.timestamp,
          type: record.isEntered ? state.enteredEventType : state.exitedEventType,
          details: record.isEntered
            ? .stateEntered(name: state.name, input: payload)
            : .stateExited(name: state.name, output: payload, assignedVariables: nil)))
    }
    return events
  }
}
