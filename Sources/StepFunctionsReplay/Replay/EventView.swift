import StepFunctionsJSON
import StepFunctionsRuntime

/// A history event as replay reads it: in the shape `get-execution-history` prints, whatever
/// representation the ``HistoryEvent`` holds (a typed case or raw fields kept by an importer).
struct EventView {
  let id: Int
  let previousEventId: Int
  let timestamp: Instant
  let type: String
  /// The event in `get-execution-history` shape (payloads as JSON text).
  let json: JSON
  /// The `...EventDetails` member's name, if the event has one.
  let detailsKey: String?
  /// The `...EventDetails` object, if the event has one.
  let details: JSONObject?

  init(_ event: HistoryEvent) {
    id = event.id
    previousEventId = event.previousEventId
    timestamp = event.timestamp
    type = event.type
    json = event.awsJSON
    var key: String?
    var object: JSONObject?
    if case .object(let members) = json {
      for (member, value) in members where member.hasSuffix("EventDetails") {
        key = member
        object = value.objectValue
        break
      }
    }
    detailsKey = key
    details = object
  }

  /// The state (or, for `MapIteration...` events, the Map state) the details name.
  var name: String? { details?["name"]?.stringValue }

  /// The Map iteration index of a `MapIteration...` event.
  var index: Int? { details?["index"]?.numberValue?.intValue }

  /// A details member as a string.
  func string(_ member: String) -> String? { details?[member]?.stringValue }

  /// A payload member (`input`, `output`, ...) decoded from its JSON text; `nil` when absent or
  /// not JSON.
  func payload(_ member: String) -> JSON? {
    guard let value = details?[member] else { return nil }
    guard case .string(let text) = value else { return value }
    return try? JSONParser.parse(Array(text.utf8))
  }

  /// The payload members whose `...Details` say `truncated: true` (`input`, `output`,
  /// `assignedVariables`, ...), in the order the event lists them.
  var truncatedMembers: [String] {
    guard let details else { return [] }
    var members: [String] = []
    for (member, value) in details where member.hasSuffix("Details") {
      if value["truncated"] == .bool(true) { members.append(String(member.dropLast(7))) }
    }
    return members
  }

  var isStateEntered: Bool { type.hasSuffix("StateEntered") }
  var isStateExited: Bool { type.hasSuffix("StateExited") }
}

/// Event type names by role.
enum EventTypes {
  static let taskScheduled: Set<String> = [
    "TaskScheduled", "LambdaFunctionScheduled", "ActivityScheduled",
  ]
  static let taskStarted: Set<String> = ["TaskStarted", "LambdaFunctionStarted", "ActivityStarted"]
  static let taskSucceeded: Set<String> = [
    "TaskSucceeded", "LambdaFunctionSucceeded", "ActivitySucceeded",
  ]
  static let taskFailed: Set<String> = [
    "TaskFailed", "LambdaFunctionFailed", "ActivityFailed", "TaskStartFailed", "TaskSubmitFailed",
    "LambdaFunctionStartFailed", "LambdaFunctionScheduleFailed", "ActivityScheduleFailed",
  ]
  static let taskTimedOut: Set<String> = [
    "TaskTimedOut", "LambdaFunctionTimedOut", "ActivityTimedOut",
  ]
  static let mapIteration: Set<String> = [
    "MapIterationStarted", "MapIterationSucceeded", "MapIterationFailed", "MapIterationAborted",
  ]
  static let parallelClosing: Set<String> = [
    "ParallelStateSucceeded", "ParallelStateFailed", "ParallelStateAborted",
  ]
  static let mapClosing: Set<String> = [
    "MapStateSucceeded", "MapStateFailed", "MapStateAborted", "MapRunSucceeded", "MapRunFailed",
    "MapRunAborted",
  ]
  static let mapOpening: Set<String> = ["MapStateStarted", "MapRunStarted", "MapRunRedriven"]
  static let execution: Set<String> = [
    "ExecutionStarted", "ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut",
    "ExecutionAborted", "ExecutionRedriven",
  ]
  static let executionClosing: Set<String> = [
    "ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted",
  ]
}
