import StepFunctionsJSON

/// Settings for validation.
public struct ValidationOptions: Sendable, Hashable {
  /// The kind of state machine the definition is for; some integrations differ.
  public enum StateMachineType: String, Sendable, Hashable {
    /// Standard workflows (the default).
    case standard = "STANDARD"
    /// Express workflows: no `.sync`, no `.waitForTaskToken`, no activities.
    case express = "EXPRESS"
  }

  /// AWS's quota on a definition's size: 1,048,576 bytes (`CreateStateMachine` and
  /// `ValidateStateMachineDefinition` refuse a longer `definition` with a `ValidationException`).
  public static let definitionSizeQuota = 1_048_576

  /// The kind of state machine.
  public var stateMachineType: StateMachineType
  /// The largest definition accepted, in bytes of UTF-8 text, checked before the text is parsed
  /// (default: ``definitionSizeQuota``). A larger one is refused with a single
  /// ``DiagnosticCode/validationException`` error. `nil` disables the check (for tests and
  /// benchmarks of large definitions).
  public var maximumDefinitionBytes: Int?

  /// Creates options.
  public init(
    stateMachineType: StateMachineType = .standard,
    maximumDefinitionBytes: Int? = ValidationOptions.definitionSizeQuota
  ) {
    self.stateMachineType = stateMachineType
    self.maximumDefinitionBytes = maximumDefinitionBytes
  }

  /// The error for a definition of `byteCount` bytes, or `nil` when it is within
  /// ``maximumDefinitionBytes``.
  ///
  /// The message is AWS's, followed by the actual size.
  public func sizeDiagnostic(byteCount: Int) -> Diagnostic? {
    guard let limit = maximumDefinitionBytes, byteCount > limit else { return nil }
    return Diagnostic(
      severity: .error, code: .validationException,
      message: "1 validation error detected: Value at 'definition' failed to satisfy constraint: "
        + "Member must have length less than or equal to \(limit) (the definition has "
        + "\(byteCount) bytes)",
      pointer: [])
  }
}

/// Everything validation found: all diagnostics (errors first, then in document order), and the
/// source they point into.
public struct ValidationReport: Sendable {
  /// All problems found.
  public var diagnostics: [Diagnostic]
  /// The text that was validated, when validation started from text.
  public var source: SourceText?

  /// Creates a report.
  public init(diagnostics: [Diagnostic], source: SourceText?) {
    self.diagnostics = diagnostics
    self.source = source
  }

  /// Whether any diagnostic is an error (AWS would reject the definition).
  public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

  /// The diagnostics that are errors.
  public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

  /// The diagnostics that are warnings.
  public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
}

/// Checks a state machine definition the way Step Functions does and reports every problem.
public enum Validator {
  /// Validates a definition given as JSON text (UTF-8 bytes).
  ///
  /// A text longer than ``ValidationOptions/maximumDefinitionBytes`` is not parsed: the report
  /// has one ``DiagnosticCode/validationException`` error without a location (AWS refuses the
  /// request itself). Text that is not JSON gives one `INVALID_JSON_DESCRIPTION` error, and
  /// empty text one `SCHEMA_VALIDATION_FAILED` error (AWS's code for a blank definition), both
  /// with the parser's message and location.
  public static func validate(_ bytes: [UInt8], options: ValidationOptions = ValidationOptions())
    -> ValidationReport
  {
    if let tooLarge = options.sizeDiagnostic(byteCount: bytes.count) {
      return ValidationReport(diagnostics: [tooLarge], source: nil)
    }
    do {
      return try StateMachineLoader.load(bytes: bytes, options: options).report
    } catch {
      return ValidationReport(diagnostics: [diagnostic(for: error)], source: SourceText(bytes))
    }
  }

  /// The diagnostic for text that could not be parsed.
  static func diagnostic(for error: JSONParseError) -> Diagnostic {
    Diagnostic(
      severity: .error,
      code: error.kind == .emptyInput ? .schemaValidationFailed : .invalidJSONDescription,
      message: error.message, pointer: [], location: error.location)
  }

  /// Validates a definition given as JSON text.
  public static func validate(_ text: String, options: ValidationOptions = ValidationOptions())
    -> ValidationReport
  {
    validate(Array(text.utf8), options: options)
  }
}
