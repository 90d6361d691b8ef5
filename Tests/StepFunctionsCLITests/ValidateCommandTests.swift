import Foundation
import StepFunctions
import StepFunctionsCLI
import Testing

@Suite("sfn validate")
struct ValidateCommandTests {
  static let valid = #"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}"#
  /// Invalid JSON: the `]` on line 3 closes nothing.
  static let broken = "{\n  \"StartAt\": \"A\",\n  ]\n}\n"
  static let array = "[1, 2]\n"

  @Test("Invalid JSON is an error at its line and column with an excerpt, and exits 1")
  func invalidJSONText() async {
    let result = await runSFN(["validate", "m.asl.json"], files: ["m.asl.json": Self.broken])
    #expect(result.status == 1)
    #expect(result.error.isEmpty)
    let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 5)
    #expect(lines[0].hasPrefix("m.asl.json:3:3: error: "))
    #expect(lines[0].hasSuffix(" [INVALID_JSON_DESCRIPTION]"))
    #expect(lines[1] == "  ]")
    #expect(lines[2] == "  ^")
    #expect(lines[3] == "1 error in 1 file")
    #expect(lines[4] == "")
  }

  @Test("A definition that is not an object fails with SCHEMA_VALIDATION_FAILED")
  func notAnObjectText() async {
    let result = await runSFN(["validate", "a.json"], files: ["a.json": Self.array])
    #expect(result.status == 1)
    #expect(
      result.output.contains(
        " error: Definition must be a valid JSON object [SCHEMA_VALIDATION_FAILED]\n"))
    #expect(result.output.hasSuffix("1 error in 1 file\n"))
  }

  @Test("A clean file prints FILE: OK, no summary, and exits 0")
  func cleanText() async {
    let result = await runSFN(["validate", "ok.json"], files: ["ok.json": Self.valid])
    #expect(result.status == 0)
    #expect(result.output == "ok.json: OK\n")
    #expect(result.error.isEmpty)
  }

  @Test("Several files are reported in order and summed up; one bad file makes the run fail")
  func severalFilesText() async {
    let result = await runSFN(
      ["validate", "ok.json", "a.json", "b.json"],
      files: ["ok.json": Self.valid, "a.json": Self.array, "b.json": Self.broken])
    #expect(result.status == 1)
    let lines = result.output.split(separator: "\n")
    #expect(lines.first == "ok.json: OK")
    #expect(lines.contains { $0.hasPrefix("a.json:1:1: error: ") })
    #expect(lines.contains { $0.hasPrefix("b.json:3:3: error: ") })
    #expect(lines.last == "2 errors in 2 files")
  }

  @Test("A file that cannot be read is reported on stderr and exits 65 without a crash")
  func unreadableFile() async {
    let result = await runSFN(
      ["validate", "missing.json", "ok.json"], files: ["ok.json": Self.valid])
    #expect(result.status == 65)
    #expect(result.error == "sfn: error: cannot read 'missing.json': No such file or directory\n")
    #expect(result.output == "ok.json: OK\n1 error in 1 file\n")
  }

  @Test("An unreadable file exits 65 even when another file has errors")
  func unreadableWinsOverErrors() async {
    let result = await runSFN(
      ["validate", "missing.json", "a.json"], files: ["a.json": Self.array])
    #expect(result.status == 65)
    #expect(result.output.contains("a.json:1:1: error: "))
  }

  @Test("With one file, --format json prints AWS's response object, diagnostics with line:column")
  func jsonSingleFile() async throws {
    let result = await runSFN(
      ["validate", "--format", "json", "a.json"], files: ["a.json": Self.array])
    #expect(result.status == 1)
    #expect(
      result.output == """
        {
          "result": "FAIL",
          "diagnostics": [
            {
              "severity": "ERROR",
              "code": "SCHEMA_VALIDATION_FAILED",
              "message": "Definition must be a valid JSON object",
              "location": "/",
              "line": 1,
              "column": 1
            }
          ],
          "truncated": false
        }

        """)
  }

  @Test("With several files, --format json prints one array, each object starting with file")
  func jsonSeveralFiles() async throws {
    let result = await runSFN(
      ["validate", "ok.json", "--format=json", "b.json"],
      files: ["ok.json": Self.valid, "b.json": Self.broken])
    #expect(result.status == 1)
    let objects = try #require(try JSON(parsing: result.output).arrayValue)
    #expect(objects.count == 2)
    #expect(objects.map { $0["file"] } == [.string("ok.json"), .string("b.json")])
    #expect(objects.map { $0["result"] } == [.string("OK"), .string("FAIL")])
    for object in objects {
      #expect(object.objectValue?.keys == ["file", "result", "diagnostics", "truncated"])
    }
    #expect(objects[0]["diagnostics"] == .array([]))
    let diagnostic = objects[1]["diagnostics"]?[0]
    #expect(
      diagnostic?.objectValue?.keys == [
        "severity", "code", "message", "location", "line", "column",
      ]
    )
    #expect(diagnostic?["code"] == .string("INVALID_JSON_DESCRIPTION"))
    #expect(diagnostic?["line"] == 3)
    #expect(diagnostic?["column"] == 3)
  }

  @Test("A clean file in JSON format exits 0 with result OK")
  func jsonClean() async throws {
    let result = await runSFN(
      ["validate", "--format", "json", "ok.json"], files: ["ok.json": Self.valid])
    #expect(result.status == 0)
    #expect(
      try JSON(parsing: result.output) == ["result": "OK", "diagnostics": [], "truncated": false])
  }

  @Test("An unreadable file gets no JSON object; stdout stays one JSON document; exit 65")
  func jsonUnreadable() async throws {
    let result = await runSFN(
      ["validate", "--format", "json", "gone.json", "ok.json"], files: ["ok.json": Self.valid])
    #expect(result.status == 65)
    #expect(result.error.contains("cannot read 'gone.json'"))
    let objects = try #require(try JSON(parsing: result.output).arrayValue)
    #expect(objects.map { $0["file"] } == [.string("ok.json")])
    let alone = await runSFN(["validate", "--format", "json", "gone.json"])
    #expect(alone.status == 65)
    #expect(alone.output.isEmpty)
  }

  @Test(
    "Binary garbage in a definition is escaped in the excerpt and never reaches the terminal raw")
  func binaryGarbage() async {
    let bytes: [UInt8] = Array(#"{"StartAt": "S", "#.utf8) + [0x1B, 0x5B, 0x32, 0x4A, 0xFF, 0x07]
    let context = CommandContext(readFile: { _ throws(FileReadError) in bytes })
    let result = await runSFN(["validate", "g.json"], context: context)
    #expect(result.status == 1)
    let lines = result.output.split(separator: "\n").map(String.init)
    #expect(lines[0].hasPrefix("g.json:1:18: error: "))
    #expect(lines[1] == #"{"StartAt": "S", \u{1B}[2J\xFF\u{7}"#)
    #expect(lines[2] == String(repeating: " ", count: 17) + "^")
    #expect(!result.output.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
  }

  @Test("A dash reads standard input, shown as <stdin>")
  func standardInput() async {
    let result = await runSFN(["validate", "-"], standardInput: Self.broken)
    #expect(result.status == 1)
    #expect(result.output.hasPrefix("<stdin>:3:3: error: "))
  }

  @Test("--type express and --severity error are accepted in any case")
  func typeAndSeverity() async {
    let result = await runSFN(
      ["validate", "--type", "EXPRESS", "--severity=ERROR", "ok.json"],
      files: ["ok.json": Self.valid])
    #expect(result.status == 0)
    #expect(result.output == "ok.json: OK\n")
  }

  @Test("Arguments become the command's settings")
  func parsedSettings() async throws {
    var arguments = try ArgumentParser.parse(
      ["--type", "express", "--severity", "error", "--max-results", "0", "--format", "json", "x"],
      for: ValidateCommand.configuration)
    var command = try ValidateCommand(arguments: arguments)
    #expect(command.files == ["x"])
    #expect(command.format == .json)
    #expect(command.options.stateMachineType == .express)
    #expect(command.severity == .error)
    #expect(command.maxResults == 100)
    arguments = try ArgumentParser.parse(["a", "b"], for: ValidateCommand.configuration)
    command = try ValidateCommand(arguments: arguments)
    #expect(command.files == ["a", "b"])
    #expect(command.format == .text)
    #expect(command.options.stateMachineType == .standard)
    #expect(command.severity == .warning)
    #expect(command.maxResults == 100)
  }

  @Test("Real files on disk are read, and a directory is an unreadable file")
  func realFiles() async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("sfn-cli-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let broken = directory.appendingPathComponent("broken.asl.json")
    let array = directory.appendingPathComponent("array.asl.json")
    try Data(Self.broken.utf8).write(to: broken)
    try Data(Self.array.utf8).write(to: array)
    let context = CommandContext.system(environment: [:])

    let text = await runSFN(["validate", broken.path, array.path], context: context)
    #expect(text.status == 1)
    #expect(text.output.hasPrefix("\(broken.path):3:3: error: "))
    #expect(
      text.output.contains("\(array.path):1:1: error: Definition must be a valid JSON object"))
    #expect(text.output.hasSuffix("2 errors in 2 files\n"))

    let folder = await runSFN(["validate", directory.path], context: context)
    #expect(folder.status == 65)
    #expect(folder.error == "sfn: error: cannot read '\(directory.path)': Is a directory\n")

    let missing = await runSFN(
      ["validate", directory.appendingPathComponent("nope").path], context: context)
    #expect(missing.status == 65)
    #expect(missing.error.hasSuffix(": No such file or directory\n"))
  }
}
