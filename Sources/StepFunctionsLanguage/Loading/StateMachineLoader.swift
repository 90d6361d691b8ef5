import StepFunctionsJSON

/// Turns a parsed definition into a typed ``StateMachine`` and diagnostics. (In progress.)
public enum StateMachineLoader {
  /// The outcome of loading.
  public struct Result: Sendable {
    /// All problems found.
    public var report: ValidationReport
  }

  /// Loads a parsed document.
  public static func load(_ document: JSONDocument, options: ValidationOptions) -> Result {
    var diagnostics: [Diagnostic] = []
    if document.value.objectValue == nil {
      diagnostics.append(
        .error(.schemaValidationFailed, "Definition must be a valid JSON object", at: []))
    }
    for index in diagnostics.indices {
      diagnostics[index].location = document.location(of: diagnostics[index].pointer)
    }
    return Result(report: ValidationReport(diagnostics: diagnostics, source: document.source))
  }
}
