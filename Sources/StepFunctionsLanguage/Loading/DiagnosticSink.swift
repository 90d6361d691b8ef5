import StepFunctionsJSON

/// Collects diagnostics while a definition is loaded and checked.
struct DiagnosticSink {
  var diagnostics: [Diagnostic] = []
  /// For diagnostics about a place inside a string value (a JSONata expression's error), by
  /// index in ``diagnostics``: the UTF-16 offset in the decoded string.
  var stringOffsets: [Int: Int] = [:]

  /// An error at a place inside the string value at `pointer` (UTF-16 offset `stringOffset` of
  /// the decoded string), or at the value when the offset is nil.
  mutating func error(
    _ code: DiagnosticCode, _ message: String, at pointer: JSONPointer, stringOffset: Int?
  ) {
    if let stringOffset { stringOffsets[diagnostics.count] = stringOffset }
    error(code, message, at: pointer)
  }

  mutating func error(_ code: DiagnosticCode, _ message: String, at pointer: JSONPointer) {
    diagnostics.append(.error(code, message, at: pointer))
  }

  mutating func schema(_ message: String, at pointer: JSONPointer) {
    error(.schemaValidationFailed, message, at: pointer)
  }

  mutating func warning(_ code: DiagnosticCode, _ message: String, at pointer: JSONPointer) {
    diagnostics.append(.warning(code, message, at: pointer))
  }
}

/// Typed access to the fields of one JSON object of the definition, reporting type errors at
/// the field's pointer.
struct FieldReader {
  let object: JSONObject
  let pointer: JSONPointer

  func has(_ key: String) -> Bool { object[key] != nil }

  func raw(_ key: String) -> JSON? { object[key] }

  func string(_ key: String, _ sink: inout DiagnosticSink) -> String? {
    guard let value = object[key] else { return nil }
    guard case .string(let text) = value else {
      sink.schema("The value for the field '\(key)' must be a STRING", at: pointer.appending(key))
      return nil
    }
    return text
  }

  func bool(_ key: String, _ sink: inout DiagnosticSink) -> Bool? {
    guard let value = object[key] else { return nil }
    guard case .bool(let flag) = value else {
      sink.schema("The value for the field '\(key)' must be a BOOLEAN", at: pointer.appending(key))
      return nil
    }
    return flag
  }

  func number(_ key: String, _ sink: inout DiagnosticSink) -> JSONNumber? {
    guard let value = object[key] else { return nil }
    guard case .number(let number) = value else {
      sink.schema("The value for the field '\(key)' must be a NUMBER", at: pointer.appending(key))
      return nil
    }
    return number
  }

  /// An integer field within `range`. Out of range, AWS's words: "Maximum value is 99999999"
  /// (recorded for a Wait's `Seconds`), "Minimum value is 1".
  func integer(_ key: String, in range: ClosedRange<Int>, _ sink: inout DiagnosticSink) -> Int? {
    guard let number = number(key, &sink) else { return nil }
    guard number.isIntegral else {
      sink.schema("The value for the field '\(key)' must be an INTEGER", at: pointer.appending(key))
      return nil
    }
    // An integer too large for `Int` is out of range, not "not an integer".
    guard let value = number.intValue, range.contains(value) else {
      let isBelow = number.intValue.map { $0 < range.lowerBound } ?? (number.doubleValue < 0)
      sink.schema(
        isBelow ? "Minimum value is \(range.lowerBound)" : "Maximum value is \(range.upperBound)",
        at: pointer.appending(key))
      return nil
    }
    return value
  }

  func objectField(_ key: String, _ sink: inout DiagnosticSink) -> JSONObject? {
    guard let value = object[key] else { return nil }
    guard case .object(let nested) = value else {
      sink.schema("The value for the field '\(key)' must be an OBJECT", at: pointer.appending(key))
      return nil
    }
    return nested
  }

  func array(_ key: String, _ sink: inout DiagnosticSink) -> [JSON]? {
    guard let value = object[key] else { return nil }
    guard case .array(let elements) = value else {
      sink.schema("The value for the field '\(key)' must be an ARRAY", at: pointer.appending(key))
      return nil
    }
    return elements
  }

  /// A required array field that should not be empty: reports it missing (and returns `nil`),
  /// of the wrong type (`nil`), or empty (the empty array).
  func requiredNonEmptyArray(_ key: String, _ sink: inout DiagnosticSink) -> [JSON]? {
    guard has(key) else {
      sink.schema("The field '\(key)' is required but was missing", at: pointer)
      return nil
    }
    guard let elements = array(key, &sink) else { return nil }
    if elements.isEmpty {
      sink.schema("The field '\(key)' must not be empty", at: pointer.appending(key))
    }
    return elements
  }

  func reader(for key: String, _ sink: inout DiagnosticSink) -> FieldReader? {
    objectField(key, &sink).map { FieldReader(object: $0, pointer: pointer.appending(key)) }
  }

  /// Reports every field not in `allowed` as unsupported.
  func rejectUnknown(allowed: Set<String>, _ sink: inout DiagnosticSink) {
    for key in object.keys where !allowed.contains(key) {
      sink.schema("Field '\(key)' is not supported", at: pointer)
    }
  }

  /// Reports `first` and `second` both present.
  func exclusive(_ first: String, _ second: String, _ sink: inout DiagnosticSink) {
    if has(first) && has(second) {
      sink.schema("The fields '\(first)' and '\(second)' are mutually exclusive", at: pointer)
    }
  }

  func requireFields(_ keys: [String], _ sink: inout DiagnosticSink) -> Bool {
    let missing = keys.filter { !has($0) }
    guard missing.isEmpty else {
      // AWS lists the missing fields even when there is one: `These fields are required: [StartAt]`.
      sink.schema("These fields are required: [\(missing.joined(separator: ", "))]", at: pointer)
      return false
    }
    return true
  }
}
