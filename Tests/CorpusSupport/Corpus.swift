import Foundation
import StepFunctionsJSON

/// Finds the shared conformance corpus (`../shared/corpus` beside the package, or
/// `$SFN_CORPUS`) and the project's known-failures lists, for tests.
public enum Corpus {
  /// The package root, derived from this file's location.
  public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The corpus folder, or `nil` when it is absent.
  public static let root: URL? = {
    if let override = ProcessInfo.processInfo.environment["SFN_CORPUS"], !override.isEmpty {
      let url = URL(fileURLWithPath: override)
      return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
    let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    return FileManager.default.fileExists(atPath: url.path) ? url : nil
  }()

  /// The message tests record when the corpus is missing.
  public static let absenceMessage =
    "The conformance corpus was not found at ../shared/corpus (or $SFN_CORPUS); corpus tests did not run."

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
