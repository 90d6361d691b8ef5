import StepFunctionsJSON
import StepFunctionsLanguage

/// Why a path could not be evaluated, with Jayway's message so that AWS's error text can be
/// reproduced exactly.
///
/// AWS reports these failures in two forms, depending on the field:
///
/// - `InputPath`, `OutputPath`, `ItemsPath`, `TimeoutSecondsPath`, `HeartbeatSecondsPath`:
///   ``invalidPathCause``, e.g. `Invalid path '$.x' : No results for path: $['x']`;
/// - Payload Template values (`"name.$"`), `ErrorPath`, `CausePath`: ``notFoundCause(field:input:)``,
///   e.g. `The JSONPath '$.x' specified for the field 'name.$' could not be found in the input '{}'`.
///
/// The executor prefixes both with `An error occurred while executing the state ...`.
public struct JSONPathEvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What went wrong.
  public enum Kind: Sendable, Hashable {
    /// A definite path selected nothing (the last member is missing or an index is out of
    /// range). Jayway: `No results for path: $['a']['b']`.
    case noResults
    /// A member before the last one is missing. Jayway: `Missing property in path $['a']`.
    case missingProperty
    /// A member was looked up in something that is not an object.
    case notAnObject
    /// An index, union or slice was applied to something that is not an array.
    case notAnArray
    /// An index, union or slice was applied to `null`. Jayway: `The path $['a'] is null`.
    case nullValue
    /// A filter was applied to a string, number, Boolean or `null`.
    case filterOnPrimitive
    /// A path function failed (for example `avg()` of an array without numbers).
    case functionFailed
  }

  /// What went wrong.
  public var kind: Kind
  /// The path as written.
  public var path: String
  /// Jayway's message, e.g. `No results for path: $['a']`.
  public var message: String
  /// The index of the segment where evaluation stopped, when there is one.
  public var segmentIndex: Int?

  /// Creates an error.
  public init(kind: Kind, path: String, message: String, segmentIndex: Int? = nil) {
    self.kind = kind
    self.path = path
    self.message = message
    self.segmentIndex = segmentIndex
  }

  /// `Invalid path '<path>' : <message>`, the cause AWS gives for `InputPath`, `OutputPath`,
  /// `ItemsPath` and the `...SecondsPath` fields.
  public var invalidPathCause: String { "Invalid path '\(path)' : \(message)" }

  /// `The JSONPath '<path>' specified for the field '<field>' could not be found in the input
  /// '<input>'`, the cause AWS gives for Payload Template values, `ErrorPath` and `CausePath`.
  public func notFoundCause(field: String, input: JSON) -> String {
    "The JSONPath '\(path)' specified for the field '\(field)' could not be found in the input '"
      + input.serialized() + "'"
  }

  /// `States.Runtime` with ``invalidPathCause``.
  public var invalidPathError: StatesError { .runtime(invalidPathCause) }

  /// `States.Runtime` with ``notFoundCause(field:input:)``.
  public func notFoundError(field: String, input: JSON) -> StatesError {
    .runtime(notFoundCause(field: field, input: input))
  }

  /// ``invalidPathCause``.
  public var description: String { invalidPathCause }
}

/// How Jayway names the Java type of a value in its `Expected to find an object ...` message,
/// for its default JSON provider (json-smart). Which provider AWS uses is not recorded anywhere
/// we can check, so these names are a best guess.
enum JaywayNames {
  static let provider = "com.jayway.jsonpath.spi.json.JsonSmartJsonProvider"

  static func javaClass(of value: JSON) -> String {
    switch value {
    case .null: return "null"
    case .bool: return "java.lang.Boolean"
    case .string: return "java.lang.String"
    case .array: return "net.minidev.json.JSONArray"
    case .object: return "net.minidev.json.JSONObject"
    case .number(let number):
      guard number.isInteger else { return "java.lang.Double" }
      guard let value = number.int64Value else { return "java.math.BigInteger" }
      return Int32(exactly: value) == nil ? "java.lang.Long" : "java.lang.Integer"
    }
  }

  /// How Java prints a value in `Current context is: ...`: strings bare, the rest as JSON.
  static func context(_ value: JSON) -> String {
    if case .string(let string) = value { return string }
    return value.serialized()
  }
}

extension JSONPath {
  func noResultsError() -> JSONPathEvaluationError {
    JSONPathEvaluationError(
      kind: .noResults, path: text, message: "No results for path: " + canonicalDescription)
  }

  func missingPropertyError(at index: Int) -> JSONPathEvaluationError {
    JSONPathEvaluationError(
      kind: .missingProperty, path: text,
      message: "Missing property in path " + canonicalDescription(throughSegment: index + 1),
      segmentIndex: index)
  }

  func notAnObjectError(at index: Int, found value: JSON) -> JSONPathEvaluationError {
    let fragment = segments[index].canonicalFragment
    let message =
      "Expected to find an object with property \(fragment) in path "
      + canonicalDescription(throughSegment: index) + " but found '"
      + JaywayNames.javaClass(of: value)
      + "'. This is not a json object according to the JsonProvider: '"
      + JaywayNames.provider + "'."
    return JSONPathEvaluationError(
      kind: .notAnObject, path: text, message: message, segmentIndex: index)
  }

  func notAnArrayError(at index: Int, found value: JSON) -> JSONPathEvaluationError {
    if case .null = value {
      return JSONPathEvaluationError(
        kind: .nullValue, path: text,
        message: "The path " + canonicalDescription(throughSegment: index) + " is null",
        segmentIndex: index)
    }
    let message =
      "Filter: " + segments[index].canonicalFragment
      + " can only be applied to arrays. Current context is: " + JaywayNames.context(value)
    return JSONPathEvaluationError(
      kind: .notAnArray, path: text, message: message, segmentIndex: index)
  }

  func filterOnPrimitiveError(at index: Int, found value: JSON) -> JSONPathEvaluationError {
    let message =
      "Filter: " + segments[index].canonicalFragment
      + " can not be applied to primitives. Current context is: " + JaywayNames.context(value)
    return JSONPathEvaluationError(
      kind: .filterOnPrimitive, path: text, message: message, segmentIndex: index)
  }

  func functionError(_ message: String, at index: Int) -> JSONPathEvaluationError {
    JSONPathEvaluationError(
      kind: .functionFailed, path: text, message: message, segmentIndex: index)
  }
}
