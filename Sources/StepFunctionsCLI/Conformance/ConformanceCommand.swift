import Foundation
import StepFunctions
import StepFunctionsTesting

/// `sfn conformance [DIR...] [--known-failures FILE] [--filter TEXT] [--verbose]`: runs recorded
/// AWS executions (the corpus's `localstack/executions` format) and compares status, output,
/// error, cause and events.
///
/// Prints each failing case with a short diff and ends with `N passed, M failed, K skipped`.
/// JSON files that are not execution cases (no `definition` and `expected.status`, or not JSON
/// at all) are skipped and counted once: `skipped 12 files that are not conformance cases`.
///
/// Exit status: 0 when every case passed or is a known failure; 1 when a case fails that the
/// known-failures file does not list; 64 for a bad command line; 65 when a folder cannot be
/// read, a case file cannot be read or decoded, the `--known-failures` file cannot be read, or
/// no case was found (or none matches `--filter`).
public struct ConformanceCommand: Command {
  /// The command's name, options and help.
  public static let configuration = CommandConfiguration(
    name: "conformance",
    abstract: "Run recorded AWS executions and compare the results.",
    discussion: """
      Each DIR is searched (recursively) for case files in the format of the corpus's \
      localstack/executions folder; the default is ../shared/corpus/localstack/executions (or \
      $SFN_CORPUS/localstack/executions). Service cases are replayed with the task results \
      their recorded history holds. Cases whose task results were not recorded (or not \
      replayable) are skipped with their reason. Failures listed in the known-failures file (one \
      'case | reason' per line) do not fail the command. JSON files that are not execution \
      cases are skipped and counted once. Cases whose Map state has an ItemReader are \
      replayed with the S3 objects the --reader-objects file gives for them.

      Exit status: 0 when every case passed or is a known failure; 1 when another case \
      failed; 64 for a bad command line; 65 when a folder, case file or the --known-failures \
      file or the --reader-objects file cannot be read or decoded, or no case was found.
      """,
    options: [
      .option(
        "known-failures", valueName: "file",
        help: "Known failures (default: Tests/KnownFailures/conformance.txt if present)."),
      .option(
        "reader-objects", valueName: "file",
        help:
          "S3 objects the ItemReader cases read (default: Tests/Conformance/item-reader-objects.json if present)."
      ),
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
  /// The file of S3 objects the ItemReader cases read.
  public var readerObjectsFile: String?
  /// A name filter.
  public var filter: String?
  /// Whether to list skips and known failures.
  public var verbose: Bool

  /// Creates the command from parsed arguments.
  public init(arguments: ParsedArguments) throws(UsageError) {
    folders = arguments.positionals("dir")
    knownFailuresFile = arguments.value("known-failures")
    readerObjectsFile = arguments.value("reader-objects")
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
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue
      else {
        standardError.write("sfn: error: no such folder '\(root)'\n")
        return .dataError
      }
      guard
        let enumerator = FileManager.default.enumerator(
          at: URL(fileURLWithPath: root), includingPropertiesForKeys: nil)
      else {
        standardError.write("sfn: error: cannot read the folder '\(root)'\n")
        return .dataError
      }
      for case let file as URL in enumerator where file.pathExtension == "json" {
        files.append(file)
      }
    }
    files.sort { $0.path < $1.path }
    var cases: [ConformanceCase] = []
    var notCases: [URL] = []
    var unusable = 0
    for file in files {
      switch ConformanceCommand.loadCase(file) {
      case .case(let testCase): cases.append(testCase)
      case .notACase: notCases.append(file)
      case .unusable(let message):
        standardError.write("sfn: error: \(message)\n")
        unusable += 1
      }
    }
    let selected = cases.filter { testCase in
      filter.map { testCase.identifier.contains($0) } ?? true
    }
    if selected.isEmpty, unusable == 0 {
      let place = roots.map { "'\($0)'" }.joined(separator: ", ")
      if let filter, !cases.isEmpty {
        standardError.write(
          "sfn: error: no conformance case in \(place) matches --filter '\(filter)' "
            + "(\(ConformanceCommand.count(cases.count, "case")) found)\n")
      } else {
        let searched =
          files.isEmpty
          ? "no .json files"
          : ConformanceCommand.count(files.count, ".json file") + ", none of them a case"
        standardError.write("sfn: error: no conformance cases found in \(place) (\(searched))\n")
      }
      return .dataError
    }
    let knownPath = knownFailuresFile ?? "Tests/KnownFailures/conformance.txt"
    let knownURL = URL(fileURLWithPath: knownPath)
    // A file named on the command line must be readable: a typo would otherwise turn every
    // known failure into an unexpected one (or hide that the list was never read).
    if knownFailuresFile != nil, (try? String(contentsOf: knownURL, encoding: .utf8)) == nil {
      standardError.write("sfn: error: cannot read the known-failures file '\(knownPath)'\n")
      return .dataError
    }
    let known = ConformanceRunner.knownFailures(contentsOf: knownURL)
    let objectsPath = readerObjectsFile ?? ConformanceReaderObjects.defaultPath
    var readerObjects = ConformanceReaderObjects.none
    if readerObjectsFile != nil || FileManager.default.fileExists(atPath: objectsPath) {
      do {
        readerObjects = try ConformanceReaderObjects(contentsOf: URL(fileURLWithPath: objectsPath))
      } catch {
        standardError.write("sfn: error: \(error.description)\n")
        return .dataError
      }
    }
    var summary = ConformanceSummary()
    var unexpected = 0
    var newlyPassing: [String] = []
    if verbose {
      for file in notCases { standardOutput.write("NOT A CASE \(file.path)\n") }
    }
    for testCase in selected {
      switch await ConformanceRunner.run(testCase, readerObjects: readerObjects) {
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
    if !notCases.isEmpty {
      standardOutput.write(
        "skipped \(ConformanceCommand.count(notCases.count, "file")) that "
          + "\(notCases.count == 1 ? "is not a conformance case" : "are not conformance cases")\n")
    }
    standardOutput.write("\(summary)\n")
    if unusable > 0 { return .dataError }
    return unexpected == 0 ? .success : .failure
  }

  /// What a JSON file of a case folder holds.
  enum LoadedFile {
    /// An execution case.
    case `case`(ConformanceCase)
    /// Something else (not JSON, or JSON without a definition and an expected status): skipped.
    case notACase
    /// A case file that cannot be read or decoded.
    case unusable(String)
  }

  /// Reads one file. A file is taken for a case when it is a JSON object with a `definition` and
  /// an `expected` object with a `status`; only then is a decoding problem an error.
  static func loadCase(_ file: URL) -> LoadedFile {
    let data: Data
    do {
      data = try Data(contentsOf: file)
    } catch {
      return .unusable("\(file.path): cannot be read: \(error.localizedDescription)")
    }
    guard let value = try? JSONParser.parse([UInt8](data)), value["definition"] != nil,
      value["expected"]?["status"] != nil
    else { return .notACase }
    do {
      return .case(try ConformanceCase(decoding: value, fileURL: file))
    } catch {
      return .unusable("\(file.path): \(error.message)")
    }
  }

  /// `1 file`, `12 files`.
  static func count(_ number: Int, _ noun: String) -> String {
    "\(number) \(noun)\(number == 1 ? "" : "s")"
  }
}
