import StepFunctions

// TEMPORARY — to be replaced by the history importer (`ExecutionHistory(importing:)`, issue 11
// item 1) when it is merged: `sfn replay` reads histories only through `loadHistory(bytes:)`, so
// switching means making that function call the importer and deleting the rest of this file.

/// Why a history file could not be read as a history.
struct HistoryLoadError: Error, Sendable, CustomStringConvertible {
  /// What is wrong, naming the event and field.
  var message: String

  var description: String { message }
}

/// Reads an execution history: what `aws stepfunctions get-execution-history --output json`
/// prints (`{"events": [...]}`), `sfn run --format json --history` output (which has `events`
/// too), or a bare array of events.
///
/// A minimal reader: each event keeps its `...EventDetails` object as written, with the JSON-text
/// payloads (`input`, `output`, `parameters`) decoded when they are JSON; timestamps are
/// ISO-8601 strings (any offset and precision) or epoch seconds.
func loadHistory(bytes: [UInt8]) throws(HistoryLoadError) -> ExecutionHistory {
  let document: JSON
  do {
    document = try JSONParser.parse(bytes)
  } catch {
    throw HistoryLoadError(message: "not JSON: \(error)")
  }
  let list: [JSON]
  if case .array(let events) = document {
    list = events
  } else if case .array(let events)? = document["events"] {
    list = events
  } else {
    throw HistoryLoadError(
      message:
        "expected an object with an \"events\" array (get-execution-history output) or an array of events"
    )
  }
  var events: [HistoryEvent] = []
  events.reserveCapacity(list.count)
  for (position, value) in list.enumerated() {
    events.append(try HistoryReading.event(value, position: position))
  }
  return ExecutionHistory(events: events)
}

/// The pieces of ``loadHistory(bytes:)``.
enum HistoryReading {
  /// Payload members shown as JSON text.
  static let payloadMembers: Set<String> = ["input", "output", "parameters"]

  static func event(_ value: JSON, position: Int) throws(HistoryLoadError) -> HistoryEvent {
    guard case .object(let object) = value else {
      throw HistoryLoadError(message: "events[\(position)]: an event must be an object")
    }
    func fail(_ text: String) -> HistoryLoadError {
      HistoryLoadError(message: "events[\(position)]: \(text)")
    }
    guard case .string(let type)? = object["type"], !type.isEmpty else {
      throw fail("missing \"type\" (a string)")
    }
    guard let id = object["id"]?.numberValue?.intValue, id > 0 else {
      throw fail("\(type): missing \"id\" (a positive integer)")
    }
    let previous = object["previousEventId"]?.numberValue?.intValue ?? 0
    let timestamp: Instant
    switch object["timestamp"] {
    case .string(let text)?:
      guard let instant = Instant(rfc3339: text) else {
        throw fail("\(type) (id \(id)): \"timestamp\" is not an ISO-8601 date-time: \(text)")
      }
      timestamp = instant
    case .number(let number)?:
      let milliseconds = (number.doubleValue * 1000).rounded()
      guard milliseconds.isFinite, abs(milliseconds) < 1e15 else {
        throw fail("\(type) (id \(id)): \"timestamp\" is out of range")
      }
      timestamp = Instant(millisecondsSinceEpoch: Int64(milliseconds))
    default:
      throw fail("\(type) (id \(id)): missing \"timestamp\" (a date-time or epoch seconds)")
    }
    var details = HistoryEvent.Details.none
    for (key, member) in object where key.hasSuffix("EventDetails") {
      guard case .object(var fields) = member else {
        throw fail("\(type) (id \(id)): \"\(key)\" is not an object")
      }
      var payloads: Set<String> = []
      for name in payloadMembers {
        guard case .string(let text)? = fields[name],
          let decoded = try? JSONParser.parse(Array(text.utf8))
        else { continue }
        fields[name] = decoded
        payloads.insert(name)
      }
      details = .fields(key: key, fields, payloads: payloads)
      break
    }
    return HistoryEvent(
      id: id, previousEventId: previous, timestamp: timestamp, type: type, details: details)
  }
}
