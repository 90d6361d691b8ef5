import StepFunctionsJSON

/// One problem found in a state machine definition: what, how bad, and where.
///
/// Diagnostics are data. The validator returns all of them instead of stopping at the first, and
/// the CLI renders them like a compiler (`file:12:9: error: message [CODE]`) or as AWS's
/// `ValidateStateMachineDefinition` response.
public struct Diagnostic: Sendable, Hashable {
  /// How serious a diagnostic is.
  public enum Severity: String, Sendable, Hashable, Comparable {
    /// The definition would be rejected by AWS.
    case error = "ERROR"
    /// The definition is accepted, but something looks wrong.
    case warning = "WARNING"

    /// Errors sort before warnings.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .error && rhs == .warning }
  }

  /// How serious it is.
  public var severity: Severity
  /// A stable code, AWS's where AWS has one (`SCHEMA_VALIDATION_FAILED`, ...).
  public var code: DiagnosticCode
  /// What is wrong, in AWS's words where we know them.
  public var message: String
  /// Where in the definition, as a JSON Pointer (`/States/Transcode/Next`).
  public var pointer: JSONPointer
  /// Where in the text, when the definition was parsed from text.
  public var location: SourceLocation?

  /// Creates a diagnostic.
  public init(
    severity: Severity, code: DiagnosticCode, message: String, pointer: JSONPointer,
    location: SourceLocation? = nil
  ) {
    self.severity = severity
    self.code = code
    self.message = message
    self.pointer = pointer
    self.location = location
  }

  /// An error.
  public static func error(_ code: DiagnosticCode, _ message: String, at pointer: JSONPointer)
    -> Diagnostic
  {
    Diagnostic(severity: .error, code: code, message: message, pointer: pointer)
  }

  /// A warning.
  public static func warning(_ code: DiagnosticCode, _ message: String, at pointer: JSONPointer)
    -> Diagnostic
  {
    Diagnostic(severity: .warning, code: code, message: message, pointer: pointer)
  }
}

/// A diagnostic's stable code. The constants mirror the codes AWS's
/// `ValidateStateMachineDefinition` returns.
public struct DiagnosticCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
  /// The code text, e.g. `MISSING_TRANSITION_TARGET`.
  public var rawValue: String

  /// Creates a code.
  public init(rawValue: String) { self.rawValue = rawValue }

  /// The code text.
  public var description: String { rawValue }

  /// The request breaks one of the API's constraints: AWS answers with a `ValidationException`
  /// instead of a validation response. Used for a definition longer than
  /// ``ValidationOptions/maximumDefinitionBytes``.
  public static let validationException = DiagnosticCode(rawValue: "ValidationException")
  /// The definition is not valid JSON.
  public static let invalidJSONDescription = DiagnosticCode(rawValue: "INVALID_JSON_DESCRIPTION")
  /// A field is missing, misplaced, of the wrong type or out of range.
  public static let schemaValidationFailed = DiagnosticCode(rawValue: "SCHEMA_VALIDATION_FAILED")
  /// `Next`, `Default`, a choice's `Next` or a catcher's `Next` names no state in scope.
  public static let missingTransitionTarget = DiagnosticCode(rawValue: "MISSING_TRANSITION_TARGET")
  /// No state (or branch, or processor) can end the execution.
  public static let missingEndState = DiagnosticCode(rawValue: "MISSING_END_STATE")
  /// Two states share a name, anywhere in the machine.
  public static let duplicateStateName = DiagnosticCode(rawValue: "DUPLICATE_STATE_NAME")
  /// A state name is empty, too long or has forbidden characters.
  public static let invalidStateName = DiagnosticCode(rawValue: "INVALID_STATE_NAME")
  /// Parallel and Map states are nested too deeply.
  public static let tooDeeplyNested = DiagnosticCode(rawValue: "TOO_DEEPLY_NESTED")
  /// A Task's `Resource` is not a resource Step Functions can call.
  public static let invalidResource = DiagnosticCode(rawValue: "INVALID_RESOURCE")
  /// A JSONata expression (`{% … %}`) has a syntax error. The message is JSONata's, followed
  /// by its code (`S0xxx`); the location is the place in the expression.
  public static let invalidJSONataExpression = DiagnosticCode(
    rawValue: "INVALID_JSONATA_EXPRESSION")
  /// A JSONata expression reads something Step Functions does not provide where it is: `$`,
  /// `$$` or a field name at its top level, `$states.result` or `$states.errorOutput` outside
  /// the fields that have them.
  public static let unsupportedJSONataExpression = DiagnosticCode(
    rawValue: "UNSUPPORTED_JSONATA_EXPRESSION")
  /// Warning: a payload-template value looks like a path but its key does not end in `.$`.
  public static let noDollar = DiagnosticCode(rawValue: "NO_DOLLAR")
  /// Warning: a key ends in `.$` ... or a path-like field value does not look like a path.
  public static let noPath = DiagnosticCode(rawValue: "NO_PATH")
  /// Warning: a Pass state's `Result` is a string that looks like a path, but `Result` is static.
  public static let passResultIsStatic = DiagnosticCode(rawValue: "PASS_RESULT_IS_STATIC")
  /// Warning, not an AWS code: a field AWS accepts that this version cannot run yet (a Map's
  /// `ItemReader`, `ItemBatcher` or `ResultWriter`); a local run fails the state with
  /// `States.Runtime` instead of running it differently from AWS.
  public static let unsupportedLocally = DiagnosticCode(rawValue: "UNSUPPORTED_LOCALLY")
}
