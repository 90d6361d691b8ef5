import StepFunctionsJSON

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
public struct ExecutionHistory: Sendable {
  /// The events, in order.
  public var events: [HistoryEvent]
  /// The seed the execution ran with (everything random derives from it), when it ran here;
  /// `nil` for a history recorded elsewhere. Not part of the AWS JSON shape.
  public var seed: UInt64?

  /// Creates a history.
  public init(events: [HistoryEvent], seed: UInt64? = nil) {
    self.events = events
    self.seed = seed
  }

  /// The history as `aws stepfunctions get-execution-history` prints it: `{"events": [...]}`.
  public var awsJSON: JSON {
    .object(["events": .array(events.map(\.awsJSON))])
  }
}
