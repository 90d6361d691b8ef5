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
      report(error, path: path, bytes: bytes, standardError: &standardError)
      return nil
    }
  }

  /// Prints why the definition in the file at `path` (holding `bytes`) cannot be used: each
  /// validation error with its source excerpt, or the error's description.
  static func report(
    _ error: StateMachineError, path: String, bytes: [UInt8],
    standardError: inout some TextOutputStream
  ) {
    if case .invalidDefinition(let invalid) = error {
      let renderer = DiagnosticTextRenderer(
        fileName: path, source: invalid.report.source ?? SourceText(bytes))
      for diagnostic in invalid.report.errors { standardError.write(renderer.render(diagnostic)) }
    } else {
      standardError.write("sfn: error: \(path): \(error)\n")
    }
  }

  /// Why an `--input` argument could not be used.
  struct InputError: Error {
    var message: String
  }

  /// The execution input an `--input` argument gives: JSON text, or `@FILE` to read it from a
  /// file; `{}` when there is none. Text over `maximumBytes` (AWS's quota by default) is refused
  /// with AWS's `ValidationException` before it is parsed, as `StartExecution` refuses it.
  static func input(
    _ argument: String?, context: CommandContext,
    maximumBytes: Int? = ExecutionInput.sizeQuota
  ) throws(InputError) -> JSON {
    guard let argument else { return .object(JSONObject()) }
    var bytes = Array(argument.utf8)
    if argument.hasPrefix("@") {
      let path = String(argument.dropFirst())
      do {
        bytes = try context.read(path)
      } catch {
        throw InputError(message: "cannot read the input file '\(path)': \(error.reason)")
      }
    }
    do {
      return try ExecutionInput.parse(bytes, maximumBytes: maximumBytes)
    } catch {
      if let parseError = error.parseError {
        throw InputError(message: "the input is not valid JSON: \(parseError)")
      }
      throw InputError(message: "the input is refused: \(error)")
    }
  }
}
