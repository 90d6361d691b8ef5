import StepFunctions

/// Reading and compiling a definition file for the commands that run one (`run`, `test`), with
/// problems reported the same way everywhere: unreadable files and invalid definitions as
/// compiler-style diagnostics on standard error.
enum DefinitionLoading {
  /// The compiled machine, or `nil` after reporting why not.
  static func machine(
    at path: String, context: CommandContext, standardError: inout some TextOutputStream
  ) -> StateMachine? {
    let bytes: [UInt8]
    do {
      bytes = try context.read(path)
    } catch {
      standardError.write("sfn: error: cannot read '\(path)': \(error.reason)\n")
      return nil
    }
    do {
      return try StateMachine(bytes: bytes)
    } catch {
      if case .invalidDefinition(let invalid) = error {
        let renderer = DiagnosticTextRenderer(
          fileName: path, source: invalid.report.source ?? SourceText(bytes))
        for diagnostic in invalid.report.errors { standardError.write(renderer.render(diagnostic)) }
      } else {
        standardError.write("sfn: error: \(path): \(error)\n")
      }
      return nil
    }
  }
}
