import Foundation
import StepFunctions
import StepFunctionsTesting

/// `sfn conformance [DIR...] [--known-failures FILE] [--filter TEXT] [--verbose]`: runs recorded
/// AWS executions (the corpus's `localstack/executions` format) and compares status, output,
/// error, cause and events.
///
/// Prints each failing case with a short diff and ends with `N passed, M failed, K skipped`.
/// Exit status 1 when a case fails that the known-failures file does not list.
public struct ConformanceCommand: Command {
  /// The command's name, options and help.
  public static let configuration = CommandConfiguration(
    name: "conformance",
    abstract: "Run recorded AWS executions and compare the results.",
    discussion: """
      Each DIR is searched (recursively) for case files in the format of the corpus's \
      localstack/executions folder; the default is ../shared/corpus/localstack/executions (or \
      $SFN_CORPUS/localstack/executions). Cases that need JSONata or service integrations are \
      skipped with their reason. Failures listed in the known-failures file (one \
      'case | reason' per line) do not fail the command.
      """,
    options: [
      .option(
        "known-failures", valueName: "file",
        help: "Known failures (default: Tests/KnownFailures/conformance.txt if present)."),
      .option("filter", valueName: "text", help: "Only run cases whose name contains this text."),
      .flag("verbose", help: "Also list skipped cases and known failures."),
    ],
    positionals: [
      PositionalDefinition(name: "dir", help: "Folders of case files.", arity: .zeroOrMore)
    ])

  /// The folders to search.
  public var folders: [String]
  /// The known-failures file.
  public var knownFailuresFile: String?
  /// A name filter.
  public var filter: String?
  /// Whether to list skips and known failures.
  public var verbose: Bool

  /// Creates the command from parsed arguments.
  public init(arguments: ParsedArguments) throws(UsageError) {
    folders = arguments.positionals("dir")
    knownFailuresFile = arguments.value("known-failures")
    filter = arguments.value("filter")
    verbose = arguments.isSet("verbose")
  }

  /// Runs every case and prints the results.
  public func run(
    context: CommandContext, standardOutput: inout some TextOutputStream,
    standardError: inout some TextOutputStream
  ) async -> ExitCode {
    var roots = folders
    if roots.isEmpty {
      let corpus =
        context.environment["SFN_CORPUS"].map { $0 + "/localstack/executions" }
        ?? "../shared/corpus/localstack/executions"
      roots = [corpus]
    }
    var files: [URL] = []
    for root in roots {
      let url = URL(fileURLWithPath: root)
      guard
        let enumerator = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil)
      else {
        standardError.write("sfn: error: cannot read the folder '\(root)'\n")
        return .failure
      }
      for case let file as URL in enumerator where file.pathExtension == "json" {
        files.append(file)
      }
      if !FileManager.default.fileExists(atPath: url.path) {
        standardError.write("sfn: error: no such folder '\(root)'\n")
        return .failure
      }
    }
    files.sort { $0.path < $1.path }
    let knownPath = knownFailuresFile ?? "Tests/KnownFailures/conformance.txt"
    let known = ConformanceRunner.knownFailures(contentsOf: URL(fileURLWithPath: knownPath))
    var summary = ConformanceSummary()
    var unexpected = 0
    var newlyPassing: [String] = []
    for file in files {
      let testCase: ConformanceCase
      do {
        testCase = try ConformanceCase.load(contentsOf: file)
      } catch {
        standardError.write("sfn: error: \(error)\n")
        unexpected += 1
        continue
      }
      if let filter, !testCase.identifier.contains(filter) { continue }
      switch await ConformanceRunner.run(testCase) {
      case .skipped(let reason):
        summary.skipped += 1
        if verbose { standardOutput.write("SKIP \(testCase.identifier): \(reason)\n") }
      case .compared(let result):
        if result.passed {
          summary.passed += 1
          if known[testCase.identifier] != nil { newlyPassing.append(testCase.identifier) }
        } else {
          summary.failed += 1
          if let reason = known[testCase.identifier] {
            if verbose { standardOutput.write("KNOWN \(testCase.identifier): \(reason)\n") }
          } else {
            unexpected += 1
            let details = result.rendered(limit: 6).split(
              separator: "\n", omittingEmptySubsequences: false
            ).dropFirst()
            standardOutput.write(
              "FAIL \(testCase.identifier)\n" + details.joined(separator: "\n") + "\n")
          }
        }
      }
    }
    for name in newlyPassing {
      standardOutput.write("note: \(name) passes now; remove it from \(knownPath)\n")
    }
    standardOutput.write("\(summary)\n")
    return unexpected == 0 ? .success : .failure
  }
}
