import StepFunctions

/// `sfn validate FILE... [--format text|json] [--type standard|express] [--severity ...]
/// [--max-results N]`: checks definitions the way Step Functions does.
///
/// Text output (the default) prints compiler-style blocks for each problem, `FILE: OK` for each
/// file without any, and, when anything was found, a closing summary such as
/// `2 errors, 1 warning in 1 file`.
///
/// JSON output is one JSON document. For one file it is exactly AWS's
/// `ValidateStateMachineDefinition` response (see ``ValidationResponse``); for several files it
/// is an array of such objects, in the order given, each with a leading `"file"` member. Each
/// diagnostic has AWS's four fields (`severity`, `code`, `message`, `location`) and, after them,
/// the `line` and `column` it points at.
///
/// Standard input (`-`) is called `<stdin>` in the output.
///
/// A file that cannot be read is reported on standard error (`sfn: error: cannot read ...`) in
/// both formats; it has no JSON object.
///
/// Exit status: 0 when no file has an error (warnings are fine); 1 when any has; 64 for a bad
/// command line; 65 when a file cannot be read (whatever the others hold).
public struct ValidateCommand: Command {
  /// The output formats.
  public enum Format: String, Sendable, Hashable, CaseIterable {
    /// Compiler-style text.
    case text
    /// AWS's response JSON.
    case json
  }

  /// The command's name, options and help.
  public static let configuration = CommandConfiguration(
    name: "validate",
    abstract: "Check state machine definitions the way Step Functions does.",
    discussion: """
      Each FILE is an Amazon States Language definition; '-' reads standard input. Problems are \
      printed like compiler diagnostics, or with --format json as AWS's \
      ValidateStateMachineDefinition response, each diagnostic with its line and column added. \
      With several files, --format json prints one array of those objects, each starting with \
      a "file" member.

      Exit status: 0 when no file has an error (warnings are fine); 1 when any has; 64 for a \
      bad command line; 65 when a file cannot be read.
      """,
    options: [
      .option(
        "format", help: "How to print the results.", allowedValues: Format.allCases.map(\.rawValue),
        defaultValue: Format.text.rawValue),
      .option(
        "type", help: "The kind of state machine the definitions are for.",
        allowedValues: ["standard", "express"], defaultValue: "standard"),
      .option(
        "severity",
        help: "The least serious diagnostics to report; AWS's API defaults to 'error'.",
        allowedValues: ["error", "warning"], defaultValue: "warning"),
      .option(
        "max-results", valueName: "n",
        help: "The most diagnostics to report per file, 1 to 100; 0 means 100, as in AWS's API.",
        defaultValue: "100"),
    ],
    positionals: [
      PositionalDefinition(
        name: "file", help: "Definition files to check ('-' for standard input).",
        arity: .oneOrMore)
    ])

  /// The files to check, as given.
  public var files: [String]
  /// The output format.
  public var format: Format
  /// The validation settings (state machine type).
  public var options: ValidationOptions
  /// The least serious severity reported.
  public var severity: Diagnostic.Severity
  /// The most diagnostics reported per file (1...100).
  public var maxResults: Int

  /// Creates the command directly.
  public init(
    files: [String], format: Format = .text, options: ValidationOptions = ValidationOptions(),
    severity: Diagnostic.Severity = .warning, maxResults: Int = ValidationResponse.maximumResults
  ) {
    self.files = files
    self.format = format
    self.options = options
    self.severity = severity
    self.maxResults = maxResults
  }

  /// Creates the command from parsed arguments.
  public init(arguments: ParsedArguments) throws(UsageError) {
    files = arguments.positionals("file")
    format = arguments.value("format").flatMap(Format.init(rawValue:)) ?? .text
    options = ValidationOptions(
      stateMachineType: arguments.value("type") == "express" ? .express : .standard)
    severity = arguments.value("severity") == "error" ? .error : .warning
    let rawLimit = arguments.value("max-results") ?? "100"
    guard let limit = Int(rawLimit), (0...ValidationResponse.maximumResults).contains(limit) else {
      throw UsageError(
        "The value '\(rawLimit)' is invalid for '--max-results <n>'. Please provide a whole "
          + "number from 0 to 100.")
    }
    maxResults = limit == 0 ? ValidationResponse.maximumResults : limit
  }

  /// Validates every file and prints the results.
  public func run(
    context: CommandContext, standardOutput: inout some TextOutputStream,
    standardError: inout some TextOutputStream
  ) async -> ExitCode {
    var summary = ValidationSummary()
    var anyError = false
    var anyUnreadable = false
    var objects: [JSON] = []
    for file in files {
      let name = file == "-" ? "<stdin>" : file
      let bytes: [UInt8]
      do {
        bytes = try context.read(file)
      } catch {
        standardError.write("sfn: error: cannot read '\(name)': \(error.reason)\n")
        summary.errors += 1
        summary.filesWithProblems += 1
        anyUnreadable = true
        continue
      }
      let report = Validator.validate(bytes, options: options)
      let response = ValidationResponse(report: report, severity: severity, maxResults: maxResults)
      anyError = anyError || response.result == .fail
      switch format {
      case .json:
        objects.append(response.json(file: files.count > 1 ? name : nil))
      case .text:
        standardOutput.write(
          renderText(response, file: name, source: report.source ?? SourceText(bytes)))
        let errors = response.diagnostics.count { $0.severity == .error }
        summary.errors += errors
        summary.warnings += response.diagnostics.count - errors
        if !response.diagnostics.isEmpty { summary.filesWithProblems += 1 }
      }
    }
    switch format {
    case .json:
      let serializer = JSONSerializer(style: .pretty)
      if files.count > 1 {
        standardOutput.write(serializer.string(.array(objects)) + "\n")
      } else if let object = objects.first {
        standardOutput.write(serializer.string(object) + "\n")
      }
    case .text:
      if !summary.isClean { standardOutput.write("\(summary)\n") }
    }
    if anyUnreadable { return .dataError }
    return anyError ? .failure : .success
  }

  /// The text for one file: its diagnostics, a note when some were cut, or `FILE: OK`.
  private func renderText(_ response: ValidationResponse, file: String, source: SourceText)
    -> String
  {
    guard !response.diagnostics.isEmpty else { return "\(file): OK\n" }
    let renderer = DiagnosticTextRenderer(fileName: file, source: source)
    var text = ""
    for diagnostic in response.diagnostics { text += renderer.render(diagnostic) }
    if response.truncated {
      text += "\(file): note: more diagnostics were found than --max-results (\(maxResults)) "
      text += "allows\n"
    }
    return text
  }
}
