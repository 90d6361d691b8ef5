import Foundation
import StepFunctionsCLI
import Testing

@Suite("sfn conformance: finding cases")
struct ConformanceCommandTests {
  /// A case that passes: a Pass state whose result AWS recorded as the output.
  static let passingCase = #"""
    {"name": "mini::pass", "category": "pure",
     "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"b": 2}, "End": true}}},
     "input": {"a": 1}, "expected": {"status": "SUCCEEDED", "output": {"b": 2}, "events": null}}
    """#

  /// Makes a temporary folder holding `files` (name → contents), runs `sfn conformance` on it
  /// with `extra` arguments, and removes the folder.
  static func run(_ files: [String: String], _ extra: [String] = []) async throws -> RunResult {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("sfn-conformance-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for (name, text) in files {
      let url = folder.appendingPathComponent(name)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url)
    }
    let knownFailures = folder.appendingPathComponent("no-known-failures.txt").path
    try Data().write(to: URL(fileURLWithPath: knownFailures))
    let result = await runSFN(
      ["conformance", folder.path, "--known-failures", knownFailures] + extra,
      context: .system(environment: [:]))
    return RunResult(
      status: result.status, output: result.output,
      error: result.error.replacingOccurrences(of: folder.path, with: "DIR"))
  }

  @Test("A --known-failures file that cannot be read is an error (65), not an empty list")
  func missingKnownFailuresFile() async throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("sfn-conformance-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(Self.passingCase.utf8).write(to: folder.appendingPathComponent("case.json"))
    let missing = folder.appendingPathComponent("missing.txt").path
    let result = await runSFN(
      ["conformance", folder.path, "--known-failures", missing],
      context: .system(environment: [:]))
    #expect(result.status == 65)
    #expect(result.output.isEmpty)
    #expect(result.error == "sfn: error: cannot read the known-failures file '\(missing)'\n")
  }

  @Test("An empty folder is an error (65), not '0 passed'")
  func emptyFolder() async throws {
    let result = try await Self.run([:])
    #expect(result.status == 65)
    #expect(result.output.isEmpty)
    #expect(result.error == "sfn: error: no conformance cases found in 'DIR' (no .json files)\n")
  }

  @Test("A folder of unrelated JSON is an error (65) said once, not one error per file")
  func unrelatedJSON() async throws {
    let result = try await Self.run([
      "a.json": #"{"a": 1}"#, "b.json": "not json", "nested/c.json": "[1, 2]",
      "validation.json": #"{"definition": {}, "expected": {"result": "OK"}}"#,
    ])
    #expect(result.status == 65)
    #expect(result.output.isEmpty)
    #expect(
      result.error
        == "sfn: error: no conformance cases found in 'DIR' (4 .json files, none of them a case)\n")
  }

  @Test("Files that are not cases are skipped and counted in one line beside the real cases")
  func skippedFilesCountedOnce() async throws {
    let result = try await Self.run([
      "case.json": Self.passingCase, "manifest.json": #"{"counts": {}}"#, "notes.json": "[]",
    ])
    #expect(result.status == 0)
    #expect(result.error.isEmpty)
    #expect(
      result.output
        == "skipped 2 files that are not conformance cases\n1 passed, 0 failed, 0 skipped\n")
    let verbose = try await Self.run(
      ["case.json": Self.passingCase, "notes.json": "[]"], ["--verbose"])
    #expect(verbose.output.contains("NOT A CASE "))
    #expect(verbose.output.contains("skipped 1 file that is not a conformance case\n"))
  }

  @Test("A file that looks like a case but cannot be decoded is reported and exits 65")
  func brokenCase() async throws {
    let result = try await Self.run([
      "case.json": Self.passingCase,
      "broken.json": #"{"definition": {}, "expected": {"status": "SUCCEEDED"}}"#,
    ])
    #expect(result.status == 65)
    #expect(result.error == "sfn: error: DIR/broken.json: has no \"name\"\n")
    #expect(result.output.hasSuffix("1 passed, 0 failed, 0 skipped\n"))
  }

  @Test("A filter that matches no case is an error (65)")
  func filterMatchesNothing() async throws {
    let result = try await Self.run(["case.json": Self.passingCase], ["--filter", "zzz"])
    #expect(result.status == 65)
    #expect(
      result.error
        == "sfn: error: no conformance case in 'DIR' matches --filter 'zzz' (1 case found)\n")
  }

  @Test("A folder that does not exist is an error (65)")
  func missingFolder() async {
    let result = await runSFN(
      ["conformance", "/nonexistent-sfn-folder"], context: .system(environment: [:]))
    #expect(result.status == 65)
    #expect(result.error == "sfn: error: no such folder '/nonexistent-sfn-folder'\n")
  }
}
