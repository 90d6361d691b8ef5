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

  /// The kind of state machine.
  public var stateMachineType: StateMachineType

  /// Creates options.
  public init(stateMachineType: StateMachineType = .standard) {
    self.stateMachineType = stateMachineType
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
  public static func validate(_ bytes: [UInt8], options: ValidationOptions = ValidationOptions())
    -> ValidationReport
  {
    let document: JSONDocument
    do {
      document = try JSONParser.parseDocument(bytes)
    } catch {
      if error.kind == .emptyInput {
        let diagnostic = Diagnostic(
          severity: .error, code: .schemaValidationFailed,
          message: "Definition must be a valid JSON object",
          pointer: [], location: SourceText(bytes).location(ofOffset: 0))
        return ValidationReport(diagnostics: [diagnostic], source: SourceText(bytes))
      }
      let diagnostic = Diagnostic(
        severity: .error, code: .invalidJSONDescription, message: error.message, pointer: [],
        location: error.location)
      return ValidationReport(diagnostics: [diagnostic], source: SourceText(bytes))
    }
    return StateMachineLoader.load(document, options: options).report
  }

  /// Validates a definition given as JSON text.
  public static func validate(_ text: String, options: ValidationOptions = ValidationOptions())
    -> ValidationReport
  {
    validate(Array(text.utf8), options: options)
  }
}
