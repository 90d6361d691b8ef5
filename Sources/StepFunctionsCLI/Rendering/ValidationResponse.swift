import StepFunctions

/// A validation report in the shape of AWS's `ValidateStateMachineDefinition` response:
///
/// ```json
/// {
///   "result": "FAIL",
///   "diagnostics": [
///     {
///       "severity": "ERROR",
///       "code": "SCHEMA_VALIDATION_FAILED",
///       "message": "These fields are required: [States, StartAt]",
///       "location": "/",
///       "line": 1,
///       "column": 1
///     }
///   ],
///   "truncated": false
/// }
/// ```
///
/// Like the API, it can leave out warnings (`severity`) and cap the number of diagnostics
/// (`maxResults`, at most 100), setting `truncated` when some were cut.
///
/// Beyond AWS's fields, each diagnostic whose place in the text is known gets `line` and
/// `column` (1-based; the column counts Unicode scalars), after AWS's four fields, so that tools
/// reading AWS's shape keep working.
public struct ValidationResponse: Sendable, Hashable {
  /// The verdict.
  public enum Result: String, Sendable, Hashable {
    /// No errors (warnings may be present).
    case ok = "OK"
    /// At least one error.
    case fail = "FAIL"
  }

  /// The most diagnostics AWS returns in one response, and the default.
  public static let maximumResults = 100

  /// `FAIL` exactly when the report has an error (whether or not it was kept).
  public var result: Result
  /// The diagnostics kept, in the report's order.
  public var diagnostics: [Diagnostic]
  /// Whether diagnostics were dropped because of the limit.
  public var truncated: Bool

  /// Creates a response from a report.
  ///
  /// - Parameters:
  ///   - severity: the least serious severity to include: `.error` keeps only errors,
  ///     `.warning` keeps both (AWS's `severity` request field).
  ///   - maxResults: the most diagnostics to keep; 0 or anything above 100 means 100 (AWS's
  ///     `maxResults`).
  public init(
    report: ValidationReport, severity: Diagnostic.Severity = .warning,
    maxResults: Int = maximumResults
  ) {
    let limit =
      (1...ValidationResponse.maximumResults).contains(maxResults)
      ? maxResults : ValidationResponse.maximumResults
    let kept = report.diagnostics.filter { $0.severity <= severity }
    result = report.hasErrors ? .fail : .ok
    diagnostics = Array(kept.prefix(limit))
    truncated = kept.count > limit
  }

  /// The response as JSON, keys in AWS's order: `result`, `diagnostics` (each with `severity`,
  /// `code`, `message`, `location`), `truncated`. When `file` is given, a leading `"file"` member
  /// names the definition it is about.
  ///
  /// `location` is the diagnostic's JSON Pointer, `/` for the root, as AWS writes it.
  public func json(file: String? = nil) -> JSON {
    var object = JSONObject(minimumCapacity: 4)
    if let file { object.append(key: "file", value: .string(file)) }
    object.append(key: "result", value: .string(result.rawValue))
    object.append(
      key: "diagnostics", value: .array(diagnostics.map(ValidationResponse.json(for:))))
    object.append(key: "truncated", value: .bool(truncated))
    return .object(object)
  }

  /// One diagnostic as AWS writes it (`severity`, `code`, `message`, `location`), then `line`
  /// and `column` when the diagnostic has a ``Diagnostic/location``.
  public static func json(for diagnostic: Diagnostic) -> JSON {
    var object = JSONObject(minimumCapacity: 6)
    object.append(key: "severity", value: .string(diagnostic.severity.rawValue))
    object.append(key: "code", value: .string(diagnostic.code.rawValue))
    object.append(key: "message", value: .string(diagnostic.message))
    let pointer = diagnostic.pointer.description
    object.append(key: "location", value: .string(pointer.isEmpty ? "/" : pointer))
    if let location = diagnostic.location {
      object.append(key: "line", value: .number(JSONNumber(location.line)))
      object.append(key: "column", value: .number(JSONNumber(location.column)))
    }
    return .object(object)
  }
}
