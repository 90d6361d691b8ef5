import StepFunctions

/// Collects differences, optionally stopping after a few (to test whether two values match at
/// all without building a full report).
struct DifferenceSink {
  var differences: [ConformanceDifference] = []
  var limit: Int?

  var isFull: Bool {
    guard let limit else { return false }
    return differences.count >= limit
  }

  mutating func append(_ difference: ConformanceDifference) {
    if !isFull { differences.append(difference) }
  }
}

/// Where a value sits: in the structure of an AWS API response, whose JSON-text fields the
/// corpus decoded (README rule 1), or inside a decoded payload, where nothing is decoded again.
enum ValueLevel {
  case response
  case payload
}

/// Compares one expected value from the corpus with the matching actual value, applying the
/// corpus's rewrite rules to the actual side and reading placeholders in the expected side as
/// wildcards.
struct ValueComparison {
  /// Response fields AWS returns as JSON text.
  static let payloadKeys: Set<String> = ["input", "output", "cause", "parameters", "result"]

  var vocabulary: PlaceholderVocabulary

  /// Whether `expected` and `actual` match, with no report.
  func matches(
    _ expected: JSON, _ actual: JSON, key: String?, parentKey: String?, level: ValueLevel
  ) -> Bool {
    var sink = DifferenceSink(limit: 1)
    compare(
      expected, actual, at: JSONPointer(), key: key, parentKey: parentKey, level: level, into: &sink
    )
    return sink.differences.isEmpty
  }

  /// Appends to `sink` every difference between `expected` and `actual`, in document order.
  ///
  /// - Parameters:
  ///   - key: the member name the values sit under (for key-based rules), if any.
  ///   - parentKey: the member name of the enclosing object, if any.
  ///   - level: whether the values are part of the response structure or of a decoded payload.
  func compare(
    _ expected: JSON, _ actual: JSON, at path: JSONPointer, key: String?, parentKey: String?,
    level: ValueLevel, into sink: inout DifferenceSink
  ) {
    if sink.isFull { return }
    if case .string(let text) = expected, vocabulary.isWholeValueWildcard(text, key: key) { return }

    let payloadPosition = level == .response && isPayloadPosition(key: key, parentKey: parentKey)
    let childLevel: ValueLevel = payloadPosition ? .payload : level

    switch expected {
    case .object(let expectedObject):
      switch actual {
      case .object(let actualObject):
        compareObjects(
          expectedObject, actualObject, at: path, key: key, level: childLevel, into: &sink)
      case .string(let text) where level == .response:
        if let decoded = Self.decodeObjectText(text) ?? decodeQuotedCause(text, key: key) {
          compare(
            expected, decoded, at: path, key: key, parentKey: parentKey, level: .payload,
            into: &sink)
        } else {
          mismatch(expected, actual, at: path, into: &sink)
        }
      default:
        mismatch(expected, actual, at: path, into: &sink)
      }

    case .array(let expectedArray):
      switch actual {
      case .array(let actualArray):
        compareArrays(
          expectedArray, actualArray, at: path, key: key, level: childLevel, into: &sink)
      case .string(let text) where payloadPosition:
        if let decoded = Self.decodeText(text), case .array = decoded {
          compare(
            expected, decoded, at: path, key: key, parentKey: parentKey, level: .payload,
            into: &sink)
        } else {
          mismatch(expected, actual, at: path, into: &sink)
        }
      default:
        mismatch(expected, actual, at: path, into: &sink)
      }

    case .string(let expectedText):
      guard case .string(let actualText) = actual else {
        mismatch(expected, actual, at: path, into: &sink)
        return
      }
      let rewritten = rewrite(actualText, key: key, level: level)
      if vocabulary.matches(expected: expectedText, actual: rewritten) { return }
      // JSON text payloads that are not objects stay text; compare them as JSON so that white
      // space and member order do not count.
      if payloadPosition, let expectedValue = Self.decodeText(expectedText),
        let actualValue = Self.decodeText(actualText),
        expectedValue.isContainer || actualValue.isContainer
      {
        compare(
          expectedValue, actualValue, at: path, key: key, parentKey: parentKey, level: .payload,
          into: &sink)
        return
      }
      mismatch(expected, .string(rewritten), at: path, into: &sink)

    case .number(let expectedNumber):
      if case .number(let actualNumber) = actual {
        if expectedNumber != actualNumber || expectedNumber.isInteger != actualNumber.isInteger {
          mismatch(expected, actual, at: path, into: &sink)
        }
      } else if case .string(let text) = actual, payloadPosition,
        let decoded = Self.decodeText(text)
      {
        compare(
          expected, decoded, at: path, key: key, parentKey: parentKey, level: .payload, into: &sink)
      } else {
        mismatch(expected, actual, at: path, into: &sink)
      }

    case .bool, .null:
      if case .string(let text) = actual, payloadPosition, let decoded = Self.decodeText(text) {
        compare(
          expected, decoded, at: path, key: key, parentKey: parentKey, level: .payload, into: &sink)
      } else if expected != actual {
        mismatch(expected, actual, at: path, into: &sink)
      }
    }
  }

  // MARK: - Containers

  private func compareObjects(
    _ expected: JSONObject, _ actual: JSONObject, at path: JSONPointer, key: String?,
    level: ValueLevel,
    into sink: inout DifferenceSink
  ) {
    for (memberKey, expectedValue) in expected {
      if sink.isFull { return }
      let memberPath = path.appending(memberKey)
      if let actualValue = actual[memberKey] {
        compare(
          expectedValue, actualValue, at: memberPath, key: memberKey, parentKey: key, level: level,
          into: &sink)
      } else {
        sink.append(
          ConformanceDifference(
            path: memberPath.description, kind: .missing,
            expected: ConformanceDifference.snippet(expectedValue),
            actual: nil, note: "member \"\(memberKey)\""))
      }
    }
    for (memberKey, actualValue) in actual where expected[memberKey] == nil {
      if sink.isFull { return }
      sink.append(
        ConformanceDifference(
          path: path.appending(memberKey).description, kind: .unexpected, expected: nil,
          actual: ConformanceDifference.snippet(actualValue), note: "member \"\(memberKey)\""))
    }
  }

  private func compareArrays(
    _ expected: [JSON], _ actual: [JSON], at path: JSONPointer, key: String?, level: ValueLevel,
    into sink: inout DifferenceSink
  ) {
    for index in 0..<max(expected.count, actual.count) {
      if sink.isFull { return }
      let elementPath = path.appending(index)
      if index < expected.count, index < actual.count {
        compare(
          expected[index], actual[index], at: elementPath, key: nil, parentKey: key, level: level,
          into: &sink)
      } else if index < expected.count {
        sink.append(
          ConformanceDifference(
            path: elementPath.description, kind: .missing,
            expected: ConformanceDifference.snippet(expected[index]),
            actual: nil, note: "element \(index) of \(expected.count)"))
      } else {
        sink.append(
          ConformanceDifference(
            path: elementPath.description, kind: .unexpected, expected: nil,
            actual: ConformanceDifference.snippet(actual[index]),
            note: "element \(index), expected \(expected.count)"))
      }
    }
  }

  // MARK: - Rewrite rules

  private func isPayloadPosition(key: String?, parentKey: String?) -> Bool {
    if parentKey == "assignedVariables" { return true }
    guard let key else { return false }
    return Self.payloadKeys.contains(key)
  }

  /// README rule 2 applied to one actual string: date-times become `date`; under a key matching
  /// /timestamp/i a value becomes `date` when it is a date-time and `timestamp` otherwise; an
  /// event's own `timestamp` is always `timestamp`.
  func rewrite(_ text: String, key: String?, level: ValueLevel) -> String {
    if let key, key.lowercased().contains("timestamp") {
      if key == "timestamp", level == .response { return "timestamp" }
      return DateTimeRewriting.isDateTime(text) ? DateTimeRewriting.replacement : "timestamp"
    }
    return DateTimeRewriting.replacingDateTimes(in: text)
  }

  /// README rule 1: a JSON text starting with `{` that parses to an object.
  static func decodeObjectText(_ text: String) -> JSON? {
    guard text.utf8.first == UInt8(ascii: "{"), let value = decodeText(text), case .object = value
    else {
      return nil
    }
    return value
  }

  /// Any JSON text, or `nil` when `text` is not JSON.
  static func decodeText(_ text: String) -> JSON? {
    try? JSONParser.parse(Array(text.utf8))
  }

  /// A cause of the form `... '{json}'`, which the corpus may have cut to its JSON part.
  private func decodeQuotedCause(_ text: String, key: String?) -> JSON? {
    guard let key, key.lowercased() == "cause", text.hasSuffix("}'"),
      let open = text.range(of: "'{")
    else { return nil }
    let inner = text[text.index(after: open.lowerBound)..<text.index(before: text.endIndex)]
    return Self.decodeObjectText(String(inner))
  }

  private func mismatch(
    _ expected: JSON, _ actual: JSON, at path: JSONPointer, into sink: inout DifferenceSink
  ) {
    sink.append(
      ConformanceDifference(
        path: path.description, kind: .mismatch, expected: ConformanceDifference.snippet(expected),
        actual: ConformanceDifference.snippet(actual)))
  }
}

extension JSON {
  /// Whether the value is an array or an object.
  fileprivate var isContainer: Bool {
    switch self {
    case .array, .object: return true
    case .null, .bool, .number, .string: return false
    }
  }
}
