import CorpusSupport
import Foundation
import StepFunctions
import StepFunctionsCLI
import Testing

/// Every input in the shared fuzzing reproducers folder (`../shared/reproducers`, issue 10):
/// each `run-*.asl.json` runs through `sfn run --format json` (with its `run-*.input*.json` when
/// there is one) and must end with a status, not a crash or a hang; each `asl-*.json` goes
/// through `sfn validate` and must end with a verdict. The precise outcomes are checked by the
/// regression tests written from these files (`ExecutorLimitsTests`, `JSONLimitsTests`).
@Suite("The fuzzing reproducers end cleanly", .requiresReproducers)
struct ReproducerTests {
  /// Reproducers that still crash or hang, so are not run: file name → reason. Each belongs to
  /// work under way elsewhere; remove the entry when that work lands.
  static let knownIssues: [String: String] = [:]

  /// The reproducer files, by name (empty without the folder: the suite is then skipped).
  static let names: [String] = {
    guard let root = Corpus.reproducersRoot,
      let names = try? FileManager.default.contentsOfDirectory(atPath: root.path)
    else { return [] }
    return names.filter {
      ($0.hasPrefix("run-") && $0.hasSuffix(".asl.json"))
        || ($0.hasPrefix("asl-") && $0.hasSuffix(".json"))
    }.sorted()
  }()

  /// The folder's files as `sfn` sees them, by name.
  static func files() throws -> [String: String] {
    guard let root = Corpus.reproducersRoot else { return [:] }
    var files: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: root.path)
    where name.hasSuffix(".json") {
      files[name] = try String(contentsOf: root.appendingPathComponent(name), encoding: .utf8)
    }
    return files
  }

  @Test("The folder has reproducers to run and to validate")
  func folderIsNotEmpty() {
    #expect(Self.names.contains { $0.hasPrefix("run-") })
    #expect(Self.names.contains { $0.hasPrefix("asl-") })
  }

  @Test("Each reproducer ends with a status or a verdict", arguments: names)
  func reproducerEnds(name: String) async throws {
    if let reason = Self.knownIssues[name] {
      withKnownIssue(Comment(rawValue: reason)) {
        Issue.record("\(name) is not run: \(reason)")
      }
      return
    }
    let files = try Self.files()
    if name.hasPrefix("asl-") {
      let result = await runSFN(["validate", name, "--format", "json"], files: files)
      #expect(result.status == 0 || result.status == 1, "\(result.error)")
      let response = try JSON(parsing: result.output)
      #expect(response["result"] == "OK" || response["result"] == "FAIL")
      return
    }
    let stem = String(name.dropLast(".asl.json".count))
    var arguments = ["run", name, "--format", "json"]
    if let input = files.keys.sorted().first(where: { $0.hasPrefix(stem + ".input") }) {
      arguments += ["--input", "@" + input]
    }
    let result = await runSFN(arguments, files: files)
    #expect(result.status == 0 || result.status == 1, "\(result.error)")
    let response = try JSON(parsing: result.output)
    let status = response["status"]?.stringValue ?? ""
    #expect(["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"].contains(status), "\(result.output)")
  }
}
