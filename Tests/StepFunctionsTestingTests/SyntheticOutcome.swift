import Foundation
import StepFunctions
import StepFunctionsTesting

/// Builds, from a case's own expected data, the outcome AWS would have returned *before* the
/// corpus was rewritten: payloads as JSON text, concrete timestamps and date-times, a concrete
/// partition, region, account, role and names in place of placeholders, the real ids of Parallel
/// blocks (in a different order) and the `ParallelStateSucceeded` events the recording dropped.
///
/// Comparing that outcome with the case must pass: it proves the comparator undoes every rewrite.
struct SyntheticOutcome {
  static let eventTimestamp = "2024-11-04T11:03:38.123000+00:00"
  static let dateTime = "2024-11-04T11:03:38.456Z"
  static let roleARN = "arn:aws:iam::123456789012:role/StepFunctionsExecutionRole-9a7f"
  static let account = "123456789012"
  static let testWordSuffix = "-q7x2"

  let vocabulary: PlaceholderVocabulary
  /// How many values were changed on the way (placeholders made concrete, payloads serialized).
  private(set) var changes = 0

  init(for testCase: ConformanceCase) {
    vocabulary = PlaceholderVocabulary(for: testCase)
  }

  static func outcome(for testCase: ConformanceCase) -> (outcome: ExecutionOutcome, changes: Int) {
    var builder = SyntheticOutcome(for: testCase)
    let expected = testCase.expected
    var output: JSON?
    if expected.outputRaw != nil {
      output = .string("a raw output the recording replaced")
    } else if let value = expected.output {
      output = builder.concrete(value, key: "output", parentKey: nil, response: false)
    }
    let error = expected.error.map { builder.concreteText($0, key: "error") }
    let cause = expected.cause.map { builder.responseText($0, key: "cause") }
    var events: [JSON]?
    if let recorded = expected.events {
      let concrete = recorded.map {
        builder.concrete($0, key: nil, parentKey: "events", response: true)
      }
      events =
        testCase.eventsNormalization == .parallelBranchEventsSorted
        ? Self.unsortParallelBlocks(concrete) : concrete
    }
    let outcome = ExecutionOutcome(
      status: expected.status, output: output, error: error, cause: cause, events: events)
    return (outcome, builder.changes)
  }

  // MARK: - Values

  /// `value` with placeholders made concrete. In the response structure (`response`), payload
  /// fields become JSON text again.
  mutating func concrete(_ value: JSON, key: String?, parentKey: String?, response: Bool) -> JSON {
    let payload =
      response && (parentKey == "assignedVariables" || key.map(Self.payloadKeys.contains) == true)
    if payload { return .string(responseText(value, key: key)) }
    switch value {
    case .string(let text):
      if response, key == "timestamp", text == "timestamp" {
        changes += 1
        return .string(Self.eventTimestamp)
      }
      return .string(concreteText(text, key: key))
    case .object(let object):
      var result = JSONObject()
      for (memberKey, member) in object {
        result[memberKey] = concrete(member, key: memberKey, parentKey: key, response: response)
      }
      return .object(result)
    case .array(let elements):
      return .array(elements.map { concrete($0, key: nil, parentKey: key, response: response) })
    case .null, .bool, .number:
      return value
    }
  }

  static let payloadKeys: Set<String> = ["input", "output", "cause", "parameters", "result"]

  /// A payload as AWS sends it: JSON text.
  mutating func responseText(_ value: JSON, key: String?) -> String {
    switch value {
    case .string(let text):
      // Recorded text: JSON (kept as text by rule 1) or a plain message.
      if let decoded = try? JSONParser.parse(text) {
        changes += 1
        // A decoded scalar is a real value, never a key-named placeholder.
        let isContainer = decoded.arrayValue != nil || decoded.objectValue != nil
        return concrete(decoded, key: isContainer ? key : nil, parentKey: nil, response: false)
          .serialized()
      }
      return concreteText(text, key: key)
    default:
      changes += 1
      return concrete(value, key: key, parentKey: nil, response: false).serialized()
    }
  }

  /// A string with its placeholders replaced by plausible real values.
  mutating func concreteText(_ text: String, key: String?) -> String {
    if text == "date" || text == "datetime" {
      changes += 1
      return Self.dateTime
    }
    if text == "timestamp" {
      changes += 1
      return "2016-13-05T21:29:29Z"  // what the recording saw: not a valid date-time
    }
    if text == "snf_role_arn" {
      changes += 1
      return Self.roleARN
    }
    if let key, !key.isEmpty, text == key {
      changes += 1
      return "real value of \(key)"
    }
    guard vocabulary.containsPlaceholder(text) else { return text }
    changes += 1
    var result = ""
    var rest = Substring(text)
    while !rest.isEmpty {
      if rest.hasPrefix("<"), let close = rest.firstIndex(of: ">"),
        PlaceholderVocabulary.isPlaceholderName(rest[rest.index(after: rest.startIndex)..<close])
      {
        result += Self.value(
          forPlaceholder: String(rest[rest.index(after: rest.startIndex)..<close]))
        rest = rest[rest.index(after: close)...]
      } else if rest.hasPrefix(PlaceholderVocabulary.accountID) {
        result += Self.account
        rest = rest.dropFirst(PlaceholderVocabulary.accountID.count)
      } else if rest.hasPrefix("snf_role_arn") {
        result += Self.roleARN
        rest = rest.dropFirst("snf_role_arn".count)
      } else if let word = vocabulary.testWords.first(where: { rest.hasPrefix($0) }) {
        result += word + Self.testWordSuffix
        rest = rest.dropFirst(word.count)
      } else {
        result.append(rest.removeFirst())
      }
    }
    return result
  }

  static func value(forPlaceholder name: String) -> String {
    switch name {
    case "partition": return "aws"
    case "region": return "us-east-1"
    default:
      if name.hasPrefix("uuid:") {
        let digits = String(name.dropFirst(5).filter(\.isNumber).prefix(12))
        return "3f2504e0-4f89-11d3-9a0c-" + String(repeating: "0", count: 12 - digits.count)
          + digits
      }
      return "Real" + name.filter { $0.isLetter || $0.isNumber } + "x9"
    }
  }

  // MARK: - Parallel blocks

  /// Undoes `parallel_branch_events_sorted`: real ids in every block, blocks in reverse order,
  /// and the closing events the recording dropped put back where ids are missing.
  static func unsortParallelBlocks(_ events: [JSON]) -> [JSON] {
    var result: [JSON] = []
    var nextID = 1
    var index = 0
    while index < events.count {
      if ParallelEventNormalization.isBlockEvent(events[index]) {
        var end = index
        while end < events.count, ParallelEventNormalization.isBlockEvent(events[end]) { end += 1 }
        for event in events[index..<end].reversed() {
          result.append(withIDs(event, id: nextID, previous: nextID - 1))
          nextID += 1
        }
        index = end
        continue
      }
      let event = events[index]
      if let id = event["id"]?.numberValue?.intValue, id > nextID {
        // The recording dropped these: a ParallelStateSucceeded, or for a nested Parallel state
        // the inner state's Succeeded and Exited events and the outer Succeeded.
        for position in 0..<(id - nextID) {
          let type = position % 2 == 0 ? "ParallelStateSucceeded" : "ParallelStateExited"
          let dropped: JSON = [
            "id": .number(JSONNumber(nextID)), "previousEventId": .number(JSONNumber(nextID - 1)),
            "timestamp": .string(eventTimestamp), "type": .string(type),
          ]
          result.append(dropped)
          nextID += 1
        }
      }
      result.append(event)
      nextID = (event["id"]?.numberValue?.intValue ?? nextID) + 1
      index += 1
    }
    return result
  }

  static func withIDs(_ event: JSON, id: Int, previous: Int) -> JSON {
    guard case .object(var object) = event else { return event }
    object["id"] = .number(JSONNumber(id))
    object["previousEventId"] = .number(JSONNumber(previous))
    return .object(object)
  }
}
