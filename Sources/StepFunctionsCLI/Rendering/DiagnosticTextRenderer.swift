import StepFunctions

/// Renders diagnostics the way compilers do, one block per diagnostic:
///
/// ```
/// machine.asl.json:12:9: error: State 'Missing' is not defined [MISSING_TRANSITION_TARGET]
///         "Next": "Missing"
///         ^
/// ```
///
/// A diagnostic without a location gets one line, `machine.asl.json: error: message [CODE]`,
/// followed by ` at /pointer` when the pointer is not the root.
public struct DiagnosticTextRenderer: Sendable {
  /// The file name printed at the start of each block, as the user typed it.
  public var fileName: String
  /// The text the locations point into; without it, no excerpt is shown.
  public var source: SourceText?

  /// Creates a renderer for one file.
  public init(fileName: String, source: SourceText?) {
    self.fileName = fileName
    self.source = source
  }

  /// The block for one diagnostic, each line ending in a newline. Control characters in the
  /// message (which may quote the definition) are escaped, as in the excerpt.
  public func render(_ diagnostic: Diagnostic) -> String {
    let label = diagnostic.severity == .error ? "error" : "warning"
    let said = SourceExcerpt.escapingControlCharacters(diagnostic.message)
    let message = "\(label): \(said) [\(diagnostic.code.rawValue)]"
    guard let location = diagnostic.location else {
      let pointer = diagnostic.pointer.tokens.isEmpty ? "" : " at \(diagnostic.pointer)"
      return "\(fileName): \(message)\(pointer)\n"
    }
    var text = "\(fileName):\(location.line):\(location.column): \(message)\n"
    if let source, let excerpt = SourceExcerpt(source: source, location: location) {
      text += excerpt.line + "\n" + excerpt.caret + "\n"
    }
    return text
  }
}

/// Counts of problems over a run of `sfn validate`, and their one-line summary:
/// `2 errors, 1 warning in 1 file`.
public struct ValidationSummary: Sendable, Hashable, CustomStringConvertible {
  /// The number of errors (including files that could not be read).
  public var errors: Int
  /// The number of warnings.
  public var warnings: Int
  /// The number of files with at least one error or warning.
  public var filesWithProblems: Int

  /// Creates a summary.
  public init(errors: Int = 0, warnings: Int = 0, filesWithProblems: Int = 0) {
    self.errors = errors
    self.warnings = warnings
    self.filesWithProblems = filesWithProblems
  }

  /// Whether nothing was found.
  public var isClean: Bool { errors == 0 && warnings == 0 }

  /// `1 error in 1 file`, `2 errors, 3 warnings in 2 files`, `1 warning in 1 file`, or
  /// `no problems` when clean.
  public var description: String {
    var parts: [String] = []
    if errors > 0 { parts.append(ValidationSummary.count(errors, "error")) }
    if warnings > 0 { parts.append(ValidationSummary.count(warnings, "warning")) }
    if parts.isEmpty { return "no problems" }
    return parts.joined(separator: ", ") + " in "
      + ValidationSummary.count(filesWithProblems, "file")
  }

  private static func count(_ number: Int, _ noun: String) -> String {
    "\(number) \(noun)\(number == 1 ? "" : "s")"
  }
}
