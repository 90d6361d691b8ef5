import CorpusSupport
import Foundation
import StepFunctions
import StepFunctionsCLI
import Synchronization
import Testing

/// Files a command wrote, kept in memory.
final class WrittenFiles: Sendable {
  private let files = Mutex<[String: [UInt8]]>([:])

  /// The text written to `path`, if any.
  subscript(path: String) -> String? {
    files.withLock { $0[path] }.map { String(decoding: $0, as: UTF8.self) }
  }

  func write(_ path: String, _ bytes: [UInt8]) {
    files.withLock { $0[path] = bytes }
  }
}

/// A context that reads `read` (in-memory files, else the real file system when `readsDisk`),
/// and writes into `written`, except to paths in `unwritable`.
func writingContext(
  _ read: [String: String], readsDisk: Bool = false, into written: WrittenFiles,
  unwritable: Set<String> = []
) -> CommandContext {
  CommandContext(
    environment: [:],
    readFile: { path throws(FileReadError) in
      if let text = read[path] { return Array(text.utf8) }
      guard readsDisk, let data = FileManager.default.contents(atPath: path) else {
        throw FileReadError(reason: "No such file or directory")
      }
      return [UInt8](data)
    },
    writeFile: { path, bytes throws(FileWriteError) in
      if unwritable.contains(path) { throw FileWriteError(reason: "Permission denied") }
      written.write(path, bytes)
    })
}

@Suite("sfn run --history-out")
struct HistoryOutTests {
  @Test("--history-out writes the history exactly as the AWS CLI prints get-execution-history")
  func writesCLIShape() async throws {
    let written = WrittenFiles()
    let result = await runSFN(
      ["run", "wait.asl.json", "--input", #"{"a": 1}"#, "--history-out", "h.json"],
      context: writingContext(RunCommandTests.files, into: written))
    #expect(result.status == 0)
    #expect(result.error.isEmpty)
    let text = try #require(written["h.json"])
    #expect(
      text.hasPrefix(
        #"""
        {
            "events": [
                {
                    "timestamp": "2025-01-01T00:00:00+00:00",
                    "type": "ExecutionStarted",
                    "id": 1,
                    "previousEventId": 0,
                    "executionStartedEventDetails": {
                        "input": "{\"a\":1}",
                        "inputDetails": {
                            "truncated": false
                        },
                        "roleArn": "arn:aws:iam::123456789012:role/StepFunctionsExecutionRole"
                    }
                },
                {
                    "timestamp": "2025-01-01T00:00:00+00:00",
                    "type": "WaitStateEntered",
        """#))
    #expect(text.contains(#""timestamp": "2025-01-01T00:01:30+00:00""#))
    #expect(text.hasSuffix("\n        }\n    ]\n}\n"))
    // The same events `--format json --history` prints.
    let printed = try JSON(
      parsing: await runSFN(
        ["run", "wait.asl.json", "--input", #"{"a": 1}"#, "--format", "json", "--history"],
        files: RunCommandTests.files
      ).output)
    let imported = try ExecutionHistory(importing: Array(text.utf8), fileName: "h.json")
    #expect(imported.importWarnings.isEmpty)
    #expect(imported.awsJSON["events"] == printed["events"])
  }

  @Test("The history of a failed execution is written too; the exit status stays 1")
  func failedExecution() async throws {
    let written = WrittenFiles()
    let result = await runSFN(
      ["run", "fail.json", "--history-out", "out/h.json"],
      context: writingContext(RunCommandTests.files, into: written))
    #expect(result.status == 1)
    let history = try ExecutionHistory(importing: Array(try #require(written["out/h.json"]).utf8))
    #expect(
      history.events.map(\.type) == ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"])
  }

  @Test("A history file that cannot be written is an error with exit status 73, after the result")
  func unwritable() async {
    let written = WrittenFiles()
    let result = await runSFN(
      ["run", "wait.asl.json", "--input", #"{"a": 1}"#, "--history-out", "locked.json"],
      context: writingContext(RunCommandTests.files, into: written, unwritable: ["locked.json"]))
    #expect(result.status == 73)
    #expect(result.output.contains("SUCCEEDED after 1:30.000"))
    #expect(
      result.error == "sfn: error: cannot write the history to 'locked.json': Permission denied\n")
  }

  @Test(
    "On the real file system the file is created, replaced, or refused with the system's reason")
  func realFiles() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sfn-history-out-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let definition = folder.appendingPathComponent("pass.asl.json")
    try Data(#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#.utf8).write(
      to: definition)
    let output = folder.appendingPathComponent("history.json")
    try Data(String(repeating: "x", count: 100_000).utf8).write(to: output)
    let context = CommandContext.system(environment: [:])
    let result = await runSFN(
      ["run", definition.path, "--history-out", output.path], context: context)
    #expect(result.status == 0)
    let text = try String(contentsOf: output, encoding: .utf8)
    let history = try ExecutionHistory(importing: Array(text.utf8))
    #expect(history.awsCLIText == text)
    #expect(
      history.events.map(\.type) == [
        "ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded",
      ])
    let missing = folder.appendingPathComponent("no/such/folder/h.json").path
    let refused = await runSFN(
      ["run", definition.path, "--history-out", missing], context: context)
    #expect(refused.status == 73)
    #expect(
      refused.error
        == "sfn: error: cannot write the history to '\(missing)': No such file or directory\n")
  }

  @Test("sfn run --help describes --history-out")
  func help() async {
    let result = await runSFN(["run", "--help"])
    #expect(result.status == 0)
    #expect(result.output.contains("--history-out <file>"))
    #expect(result.output.contains("get-execution-history"))
    #expect(result.output.contains("73 when the history file cannot be written"))
  }

  /// Every shipped workflow with each of its example inputs, as `(definition, input)` paths.
  static func shippedExamples() -> [(definition: String, input: String)] {
    let folder = Corpus.packageRoot.appendingPathComponent("StateMachines")
    let examples = folder.appendingPathComponent("examples")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? []
    return names.filter { $0.hasSuffix(".input.json") }.sorted().map { name in
      let workflow = String(name.prefix { $0 != "." })
      return (
        folder.appendingPathComponent(workflow + ".asl.json").path,
        examples.appendingPathComponent(name).path
      )
    }
  }

  @Test(
    "Every shipped workflow's history, written with --history-out, imports and exports identically")
  func shippedWorkflows() async throws {
    let examples = Self.shippedExamples()
    #expect(examples.count >= 10)
    for (definition, input) in examples {
      let written = WrittenFiles()
      let result = await runSFN(
        ["run", definition, "--input", "@" + input, "--history-out", "h.json"],
        context: writingContext([:], readsDisk: true, into: written))
      #expect(result.status == 0 || result.status == 1, "\(input): \(result.error)")
      let text = try #require(written["h.json"], "\(input)")
      let history = try ExecutionHistory(importing: Array(text.utf8), fileName: input)
      #expect(history.importWarnings.isEmpty, "\(input): \(history.importWarnings)")
      #expect(history.count > 2)
      #expect(history.awsCLIText == text, "\(input)")
      let again = try ExecutionHistory(importing: history.awsJSON)
      #expect(again.awsCLIText == text, "\(input)")
    }
  }
}
