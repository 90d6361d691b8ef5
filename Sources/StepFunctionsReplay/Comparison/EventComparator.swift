import StepFunctionsJSON

/// Where a value sits: in the structure of an AWS API response (a history event, a
/// `DescribeExecution` field), whose JSON-text fields are decoded before they are compared, or
/// inside a decoded payload, where nothing is decoded again.
public enum ValueLevel: Sendable, Hashable {
  /// Part of the response structure: payload members (`input`, `output`, `parameters`, ...)
  /// hold JSON text.
  case response
  /// Inside a decoded payload.
  case payload
}

/// The one comparison of execution histories and outcomes: what `sfn conformance` uses to compare
/// an execution with a recording made on AWS, and what replay uses to compare each event it
/// produces with the recorded one.
///
/// Values are compared by meaning: JSON-text payloads (`input`, `output`, `parameters`, `cause`,
/// `result`, assigned variables) are decoded, so white space and member order do not count, and
/// numbers compare by value (but an integer never equals a decimal). ``Rules`` say what else may
/// differ:
///
/// - ``conformance(vocabulary:)``: the recording went through the corpus's rewrite rules, so the
///   produced side is rewritten the same way (date-times become `date`, event timestamps
///   `timestamp`) and placeholders in the recording (`<uuid:1>`, `111111111111`, ...) are
///   wildcards.
/// - ``replay(exactTimestamps:)``: both sides are real histories; identifiers AWS generates
///   (task tokens, UUIDs, execution and Map Run ARNs) match when they correspond one to one, and
///   timestamps, event ids and date-times inside payloads are compared only when the replay's
///   clock can reproduce them.
///
/// Nothing in either input can make the comparison trap; malformed values are reported as
/// differences.
public struct EventComparator: Sendable {
  /// What may differ between the recorded and the produced side.
  public struct Rules: Sendable, Hashable {
    /// How date-times are compared.
    public enum DateTimes: Sendable, Hashable {
      /// As written.
      case exact
      /// The recording was rewritten by the corpus's rule (see ``DateTimeRewriting``): the
      /// produced side is rewritten the same way before comparing.
      case rewritingProduced
      /// Both sides are rewritten: any date-time matches any other, and event timestamps
      /// always match.
      case rewritingBoth
    }

    /// Placeholders in the recorded side that stand for any value (the corpus's); `nil` when
    /// recorded strings are literal.
    public var placeholders: PlaceholderVocabulary?
    /// How date-times are compared.
    public var dateTimes: DateTimes
    /// Whether a recorded identifier AWS generated (a UUID, a task token, an execution, express
    /// or Map Run ARN) matches a produced identifier of the same kind, as long as each recorded
    /// identifier always stands for the same produced one (see ``IdentifierPairing``).
    public var matchesGeneratedIdentifiers: Bool
    /// Whether JSON-text payloads holding a scalar (`"\"done\""`, `"42"`) are decoded before
    /// comparing when their texts differ; containers always are.
    public var decodesScalarPayloads: Bool
    /// Members of an event (`id`, `previousEventId`, `timestamp`) that
    /// ``compareEvent(recorded:produced:into:)`` does not compare.
    public var ignoredEventMembers: Set<String>
    /// Members that may be absent on either side without a difference: fields that some AWS
    /// versions write and others do not (`inputDetails`, `stateMachineAliasArn`, ...).
    public var optionalMembers: Set<String>

    /// Creates rules.
    public init(
      placeholders: PlaceholderVocabulary? = nil, dateTimes: DateTimes = .exact,
      matchesGeneratedIdentifiers: Bool = false, decodesScalarPayloads: Bool = false,
      ignoredEventMembers: Set<String> = [], optionalMembers: Set<String> = []
    ) {
      self.placeholders = placeholders
      self.dateTimes = dateTimes
      self.matchesGeneratedIdentifiers = matchesGeneratedIdentifiers
      self.decodesScalarPayloads = decodesScalarPayloads
      self.ignoredEventMembers = ignoredEventMembers
      self.optionalMembers = optionalMembers
    }
  }

  /// Response fields AWS returns as JSON text.
  public static let payloadKeys: Set<String> = [
    "input", "output", "cause", "parameters", "result",
  ]

  /// Fields some AWS versions write and others do not, and fields a local execution cannot
  /// know (the alias or version it was started through, the worker that took an activity task).
  public static let versionDependentMembers: Set<String> = [
    "inputDetails", "outputDetails", "assignedVariablesDetails", "stateMachineAliasArn",
    "stateMachineVersionArn", "taskCredentials", "activityStartedEventDetails",
  ]

  /// The rules.
  public var rules: Rules

  /// Creates a comparator with `rules`.
  public init(rules: Rules) {
    self.rules = rules
  }

  /// The comparator `sfn conformance` uses: the produced side goes through the corpus's rewrite
  /// rules, and `vocabulary`'s placeholders in the recording are wildcards.
  public static func conformance(vocabulary: PlaceholderVocabulary) -> EventComparator {
    EventComparator(rules: Rules(placeholders: vocabulary, dateTimes: .rewritingProduced))
  }

  /// The comparator replay uses. With `exactTimestamps`, event timestamps, ids, previous event
  /// ids and date-times inside payloads must be equal (a history recorded by this library on a
  /// virtual clock replays to the millisecond); without, they are not compared (AWS's own
  /// latencies cannot be reproduced). Generated identifiers match one to one either way.
  public static func replay(exactTimestamps: Bool) -> EventComparator {
    EventComparator(
      rules: Rules(
        dateTimes: exactTimestamps ? .exact : .rewritingBoth, matchesGeneratedIdentifiers: true,
        decodesScalarPayloads: true,
        ignoredEventMembers: exactTimestamps ? [] : ["id", "previousEventId", "timestamp"],
        optionalMembers: versionDependentMembers))
  }

  // MARK: - Events

  /// Appends to `sink` every difference between a recorded history event and the produced one,
  /// both in the shape `get-execution-history` prints. Paths are JSON Pointers into the event.
  ///
  /// The `type` is compared first, then the details, then the other members, so the first
  /// difference names what matters most; ``Rules/ignoredEventMembers`` are skipped.
  public func compareEvent(recorded: JSON, produced: JSON, into sink: inout DifferenceSink) {
    guard case .object(let recordedObject) = recorded, case .object(let producedObject) = produced
    else {
      compare(
        recorded, produced, at: JSONPointer(), key: nil, parentKey: "events", level: .response,
        into: &sink)
      return
    }
    var ordered = JSONObject(minimumCapacity: recordedObject.count)
    if let type = recordedObject["type"] { ordered.append(key: "type", value: type) }
    for (key, value) in recordedObject where key.hasSuffix("EventDetails") {
      ordered.append(key: key, value: value)
    }
    for (key, value) in recordedObject where key != "type" && !key.hasSuffix("EventDetails") {
      ordered.append(key: key, value: value)
    }
    var producedCopy = producedObject
    for member in rules.ignoredEventMembers {
      ordered[member] = nil
      producedCopy[member] = nil
    }
    compare(
      .object(ordered), .object(producedCopy), at: JSONPointer(), key: nil, parentKey: "events",
      level: .response, into: &sink)
  }

  /// Appends to `sink` the differences between two event lists, aligned so that a missing or
  /// extra event is reported once rather than as a shift of everything after it (see the
  /// conformance comparator). With `parallelBlocksSorted`, the produced list is normalized the
  /// way the corpus's `parallel_branch_events_sorted` recordings were, and each Parallel block
  /// is compared as a multiset (see ``ParallelEventNormalization``).
  public func compareEventLists(
    expected: [JSON], actual: [JSON], parallelBlocksSorted: Bool, into sink: inout DifferenceSink
  ) {
    var comparison = EventListComparison(values: self, parallelBlocksSorted: parallelBlocksSorted)
    comparison.compare(expected: expected, actual: actual, into: &sink)
  }

  // MARK: - Values

  /// Whether `expected` and `actual` match, with no report.
  public func matches(
    _ expected: JSON, _ actual: JSON, key: String?, parentKey: String?, level: ValueLevel
  ) -> Bool {
    var sink = DifferenceSink(limit: 1)
    compare(
      expected, actual, at: JSONPointer(), key: key, parentKey: parentKey, level: level, into: &sink
    )
    return sink.differences.isEmpty
  }

  /// Whether the recorded string `expected`, found under `key`, stands for any value (a whole
  /// placeholder of ``Rules/placeholders``).
  public func isWildcard(_ expected: String, key: String?) -> Bool {
    rules.placeholders?.isWholeValueWildcard(expected, key: key) ?? false
  }

  /// Whether the produced string `actual` matches the recorded string `expected`: equal, or
  /// matching its placeholders.
  public func textMatches(expected: String, actual: String) -> Bool {
    if let placeholders = rules.placeholders {
      return placeholders.matches(expected: expected, actual: actual)
    }
    return expected == actual
  }

  /// Appends to `sink` every difference between `expected` (recorded) and `actual` (produced),
  /// in document order.
  ///
  /// - Parameters:
  ///   - path: where the values are, for the reported paths.
  ///   - key: the member name the values sit under (for key-based rules), if any.
  ///   - parentKey: the member name of the enclosing object, if any.
  ///   - level: whether the values are part of the response structure or of a decoded payload.
  public func compare(
    _ expected: JSON, _ actual: JSON, at path: JSONPointer, key: String?, parentKey: String?,
    level: ValueLevel, into sink: inout DifferenceSink
  ) {
    if sink.isFull { return }
    if case .string(let text) = expected, isWildcard(text, key: key) { return }

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
      compareStrings(
        expectedText, actualText, at: path, key: key, parentKey: parentKey, level: level,
        payloadPosition: payloadPosition, into: &sink)

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

  private func compareStrings(
    _ expectedText: String, _ actualText: String, at path: JSONPointer, key: String?,
    parentKey: String?, level: ValueLevel, payloadPosition: Bool, into sink: inout DifferenceSink
  ) {
    let rewritten: String
    let expectedForm: String
    switch rules.dateTimes {
    case .exact:
      rewritten = actualText
      expectedForm = expectedText
    case .rewritingProduced:
      rewritten = rewrite(actualText, key: key, level: level)
      expectedForm = expectedText
    case .rewritingBoth:
      rewritten = rewrite(actualText, key: key, level: level)
      expectedForm = rewrite(expectedText, key: key, level: level)
    }
    if textMatches(expected: expectedForm, actual: rewritten) { return }
    // JSON text payloads that are not objects stay text; compare them as JSON so that white
    // space and member order do not count.
    if payloadPosition, let expectedValue = Self.decodeText(expectedText),
      let actualValue = Self.decodeText(actualText),
      expectedValue.isContainer || actualValue.isContainer || rules.decodesScalarPayloads
    {
      compare(
        expectedValue, actualValue, at: path, key: key, parentKey: parentKey, level: .payload,
        into: &sink)
      return
    }
    if rules.matchesGeneratedIdentifiers,
      GeneratedIdentifier.canStand(for: actualText, recorded: expectedText)
    {
      if sink.identifiers.pair(recorded: expectedText, produced: actualText) { return }
      let earlier = sink.identifiers.producedValue(for: expectedText)
      sink.append(
        ValueDifference(
          path: path.description, kind: .mismatch,
          expected: ValueDifference.snippet(.string(expectedText)),
          actual: ValueDifference.snippet(.string(actualText)),
          note: earlier.map { "the recording uses this identifier where the replay used \($0)" }
            ?? "the replay uses this identifier for another recorded one",
          expectedValue: .string(expectedText), actualValue: .string(actualText)))
      return
    }
    let shown = rules.dateTimes == .rewritingProduced ? rewritten : actualText
    mismatch(.string(expectedText), .string(shown), at: path, into: &sink)
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
      } else if !rules.optionalMembers.contains(memberKey) {
        sink.append(
          ValueDifference(
            path: memberPath.description, kind: .missing,
            expected: ValueDifference.snippet(expectedValue),
            actual: nil, note: "member \"\(memberKey)\"", expectedValue: expectedValue))
      }
    }
    for (memberKey, actualValue) in actual where expected[memberKey] == nil {
      if sink.isFull { return }
      if rules.optionalMembers.contains(memberKey) { continue }
      sink.append(
        ValueDifference(
          path: path.appending(memberKey).description, kind: .unexpected, expected: nil,
          actual: ValueDifference.snippet(actualValue), note: "member \"\(memberKey)\"",
          actualValue: actualValue))
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
          ValueDifference(
            path: elementPath.description, kind: .missing,
            expected: ValueDifference.snippet(expected[index]),
            actual: nil, note: "element \(index) of \(expected.count)",
            expectedValue: expected[index]))
      } else {
        sink.append(
          ValueDifference(
            path: elementPath.description, kind: .unexpected, expected: nil,
            actual: ValueDifference.snippet(actual[index]),
            note: "element \(index), expected \(expected.count)", actualValue: actual[index]))
      }
    }
  }

  // MARK: - Rewrite rules

  private func isPayloadPosition(key: String?, parentKey: String?) -> Bool {
    if parentKey == "assignedVariables" { return true }
    guard let key else { return false }
    return Self.payloadKeys.contains(key)
  }

  /// The corpus's date-time rule applied to one string: date-times become `date`; under a key
  /// matching /timestamp/i a value becomes `date` when it is a date-time and `timestamp`
  /// otherwise; an event's own `timestamp` is always `timestamp`.
  public func rewrite(_ text: String, key: String?, level: ValueLevel) -> String {
    if let key, key.lowercased().contains("timestamp") {
      if key == "timestamp", level == .response { return "timestamp" }
      return DateTimeRewriting.isDateTime(text) ? DateTimeRewriting.replacement : "timestamp"
    }
    return DateTimeRewriting.replacingDateTimes(in: text)
  }

  /// A JSON text starting with `{` that parses to an object.
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
      ValueDifference(
        path: path.description, kind: .mismatch, expected: ValueDifference.snippet(expected),
        actual: ValueDifference.snippet(actual), expectedValue: expected, actualValue: actual))
  }
}

/// The shapes of identifiers AWS generates and a replay cannot reproduce.
enum GeneratedIdentifier {
  /// ARN resource types of identifiers Step Functions generates for an execution.
  static let generatedARNTypes: Set<Substring> = ["execution", "express", "mapRun"]

  /// Whether the produced identifier `produced` can stand for the recorded `recorded`: two
  /// UUIDs; a UUID (a task token or `States.UUID` value the replay drew) for an opaque AWS task
  /// token; or two Step Functions execution, express or Map Run ARNs.
  static func canStand(for produced: String, recorded: String) -> Bool {
    if isUUID(produced) { return isUUID(recorded) || isOpaqueToken(recorded) }
    if let producedType = statesARNType(produced), let recordedType = statesARNType(recorded) {
      return producedType == recordedType && generatedARNTypes.contains(producedType)
    }
    return false
  }

  /// `8-4-4-4-12` hexadecimal digits, either case.
  static func isUUID(_ text: String) -> Bool {
    let bytes = text.utf8
    guard bytes.count == 36 else { return false }
    for (offset, byte) in bytes.enumerated() {
      if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
        guard byte == UInt8(ascii: "-") else { return false }
      } else if !isHexDigit(byte) {
        return false
      }
    }
    return true
  }

  /// A long run of Base64 (standard or URL-safe) characters, as AWS task tokens are.
  static func isOpaqueToken(_ text: String) -> Bool {
    let bytes = text.utf8
    guard bytes.count >= 32 else { return false }
    return bytes.allSatisfy { byte in
      (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
        || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "+")
        || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "_")
        || byte == UInt8(ascii: "-")
    }
  }

  /// The resource type of an `arn:PARTITION:states:REGION:ACCOUNT:TYPE:...` ARN.
  static func statesARNType(_ text: String) -> Substring? {
    guard text.hasPrefix("arn:") else { return nil }
    let parts = text.split(separator: ":", maxSplits: 6, omittingEmptySubsequences: false)
    guard parts.count == 7, parts[2] == "states" else { return nil }
    return parts[5]
  }

  private static func isHexDigit(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46)
      || (byte >= 0x61 && byte <= 0x66)
  }
}

extension JSON {
  /// Whether the value is an array or an object.
  fileprivate var isContainer: Bool {
    switch self {
    case .null, .bool, .number, .string: return false
    case .array, .object: return true
    }
  }
}
