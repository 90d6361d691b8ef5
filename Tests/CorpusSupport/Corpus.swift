import Foundation
import StepFunctionsJSON
import Testing

/// Finds the shared data recorded outside this repository — the conformance corpus
/// (`../shared/corpus` beside the package, or `$SFN_CORPUS`) and the benchmark definitions
/// (`../shared/bench`, or the `bench` folder beside `$SFN_CORPUS`) — and the project's own
/// known-failures lists, for tests.
///
/// Tests that need the shared data carry ``Testing/Trait/requiresCorpus`` or
/// ``Testing/Trait/requiresBench``: without the data they are *skipped* with one message that
/// says where the folder was looked for and how to point the tests at it, never failed.
public enum Corpus {
  /// The package root, derived from this file's location.
  public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// Where the corpus is looked for: `$SFN_CORPUS` when set, else `../shared/corpus` beside the
  /// package, as an absolute path.
  public static let expectedLocation: URL = {
    if let override = ProcessInfo.processInfo.environment["SFN_CORPUS"], !override.isEmpty {
      return URL(fileURLWithPath: override).standardizedFileURL
    }
    return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
      .standardizedFileURL
  }()

  /// The corpus folder, or `nil` when it is absent.
  public static let root: URL? = {
    let marker = expectedLocation.appendingPathComponent("localstack").path
    return FileManager.default.fileExists(atPath: marker) ? expectedLocation : nil
  }()

  /// Whether the corpus was found.
  public static var isAvailable: Bool { root != nil }

  /// The message every corpus test is skipped with when the corpus is missing.
  public static let absenceMessage = """
    needs the shared conformance corpus, not found at \(expectedLocation.path); \
    put the shared folder beside the package, or run with SFN_CORPUS=/absolute/path/to/shared/corpus
    """

  /// Where the benchmark definitions are looked for: the `bench` folder beside the corpus.
  public static let benchExpectedLocation: URL = expectedLocation.deletingLastPathComponent()
    .appendingPathComponent("bench")

  /// The shared benchmark folder (`video_workflow.json` and its mock file), or `nil`.
  public static let benchRoot: URL? = {
    let marker = benchExpectedLocation.appendingPathComponent("video_workflow.json").path
    return FileManager.default.fileExists(atPath: marker) ? benchExpectedLocation : nil
  }()

  /// The message every benchmark-folder test is skipped with when the folder is missing.
  public static let benchAbsenceMessage = """
    needs the shared benchmark definitions, not found at \(benchExpectedLocation.path); \
    put the shared folder beside the package, or run with SFN_CORPUS=/absolute/path/to/shared/corpus
    """

  /// Where the fuzzing reproducers are looked for: the `reproducers` folder beside the corpus
  /// (`../shared/reproducers`, or beside `$SFN_CORPUS`).
  public static let reproducersExpectedLocation: URL =
    expectedLocation
    .deletingLastPathComponent().appendingPathComponent("reproducers")

  /// The shared folder of inputs that once crashed or hung the library (`run-*.asl.json` to
  /// run, `asl-*.json` to validate; see its README), or `nil` when it is absent.
  public static let reproducersRoot: URL? = {
    let marker = reproducersExpectedLocation.appendingPathComponent("README.md").path
    return FileManager.default.fileExists(atPath: marker) ? reproducersExpectedLocation : nil
  }()

  /// The message every reproducer test is skipped with when the folder is missing.
  public static let reproducersAbsenceMessage = """
    needs the shared fuzzing reproducers, not found at \(reproducersExpectedLocation.path); \
    put the shared folder beside the package, or run with SFN_CORPUS=/absolute/path/to/shared/corpus
    """

  /// The URL of a path inside the corpus.
  public static func url(_ relativePath: String) -> URL? {
    root?.appendingPathComponent(relativePath)
  }

  /// The files in a corpus folder with the given extension, sorted by name.
  public static func files(in relativePath: String, withExtension ext: String = "json") -> [URL] {
    guard let folder = url(relativePath),
      let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
    else { return [] }
    return names.filter { $0.hasSuffix("." + ext) }.sorted().map {
      folder.appendingPathComponent($0)
    }
  }

  /// Reads and parses a JSON file of the corpus.
  public static func json(at url: URL) throws -> JSON {
    let data = try Data(contentsOf: url)
    return try JSONParser.parse([UInt8](data))
  }

  /// Reads and parses the corpus file at `relativePath`, or `nil` when it is absent or invalid.
  public static func json(_ relativePath: String) -> JSON? {
    guard let url = url(relativePath) else { return nil }
    return try? json(at: url)
  }

  /// The entries of a known-failures file in `Tests/KnownFailures/`: case name → reason.
  /// Lines are `name | reason`; blank lines and lines starting with `#` are ignored.
  public static func knownFailures(_ fileName: String) -> [String: String] {
    let url = packageRoot.appendingPathComponent("Tests/KnownFailures/\(fileName)")
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
    var entries: [String: String] = [:]
    for line in text.split(separator: "\n") {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
      let parts = trimmed.split(separator: "|", maxSplits: 1).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      entries[parts[0]] = parts.count > 1 ? parts[1] : ""
    }
    return entries
  }
}

extension Trait where Self == ConditionTrait {
  /// Runs the test or suite only when the shared conformance corpus is present; otherwise it is
  /// skipped with ``Corpus/absenceMessage``.
  public static var requiresCorpus: Self {
    .enabled(if: Corpus.isAvailable, Comment(rawValue: Corpus.absenceMessage))
  }

  /// Runs the test or suite only when the shared fuzzing reproducers are present; otherwise it
  /// is skipped with ``Corpus/reproducersAbsenceMessage``.
  public static var requiresReproducers: Self {
    .enabled(if: Corpus.reproducersRoot != nil, Comment(rawValue: Corpus.reproducersAbsenceMessage))
  }

  /// Runs the test or suite only when the shared benchmark definitions are present; otherwise it
  /// is skipped with ``Corpus/benchAbsenceMessage``.
  public static var requiresBench: Self {
    .enabled(if: Corpus.benchRoot != nil, Comment(rawValue: Corpus.benchAbsenceMessage))
  }
}
