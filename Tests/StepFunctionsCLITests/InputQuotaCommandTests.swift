import StepFunctions
import StepFunctionsCLI
import Testing

/// `sfn validate` and `sfn run` on oversized, empty and non-UTF-8 files.
@Suite("sfn on oversized and empty files")
struct InputQuotaCommandTests {
  /// A valid definition, padded with a `Comment` to `size` bytes.
  static func definition(bytes size: Int) -> [UInt8] {
    let head = #"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}, "Comment": ""#
    return Array((head + String(repeating: "x", count: size - head.utf8.count - 2) + #""}"#).utf8)
  }

  static let files: [String: [UInt8]] = [
    "big.asl.json": definition(bytes: 2 * 1_048_576),
    "quota.asl.json": definition(bytes: 1_048_576),
    // Two megabytes that are not even JSON: only the size may be reported.
    "big-garbage.asl.json": [UInt8](repeating: 0xFF, count: 2 * 1_048_576),
    "pass.asl.json": definition(bytes: 200),
    "big-input.json": Array(("{\"pad\":\"" + String(repeating: "x", count: 300_000) + "\"}").utf8),
    "empty.json": [],
    "blank.json": Array(" \n".utf8),
    "ff.json": [0xFF],
  ]

  static func run(_ arguments: [String]) async -> RunResult {
    let context = CommandContext(
      environment: [:],
      readFile: { path throws(FileReadError) in
        guard let bytes = files[path] else {
          throw FileReadError(reason: "No such file or directory")
        }
        return bytes
      },
      readStandardInput: { () throws(FileReadError) in
        throw FileReadError(reason: "standard input is closed")
      })
    return await runSFN(arguments, context: context)
  }

  static let definitionQuotaMessage =
    "1 validation error detected: Value at 'definition' failed to satisfy constraint: "
    + "Member must have length less than or equal to 1048576 (the definition has 2097152 bytes)"

  @Test(
    "validate refuses a 2 MB definition with AWS's ValidationException, before parsing",
    arguments: ["big.asl.json", "big-garbage.asl.json"])
  func validateOversized(file: String) async {
    let result = await Self.run(["validate", file])
    #expect(result.status != 0)
    #expect(
      result.output
        == "\(file): error: \(Self.definitionQuotaMessage) [ValidationException]\n1 error in 1 file\n"
    )
  }

  @Test("validate --format json reports the quota as the ValidationException code")
  func validateOversizedJSON() async throws {
    let result = await Self.run(["validate", "--format", "json", "big.asl.json"])
    #expect(result.status != 0)
    let response = try JSON(parsing: result.output)
    #expect(response["result"] == "FAIL")
    #expect(response["diagnostics"]?[0]?["code"] == "ValidationException")
    #expect(response["diagnostics"]?[0]?["message"]?.stringValue == Self.definitionQuotaMessage)
  }

  @Test("validate accepts a definition of exactly 1,048,576 bytes")
  func validateAtTheQuota() async {
    let result = await Self.run(["validate", "quota.asl.json"])
    #expect(result.status == 0)
    #expect(result.output == "quota.asl.json: OK\n")
  }

  @Test("run refuses a 2 MB definition with the same diagnostic")
  func runOversizedDefinition() async {
    let result = await Self.run(["run", "big-garbage.asl.json"])
    #expect(result.status != 0)
    #expect(result.output.isEmpty)
    #expect(
      result.error
        == "big-garbage.asl.json: error: \(Self.definitionQuotaMessage) [ValidationException]\n")
  }

  @Test("run refuses a 300 KB input with AWS's ValidationException, before parsing")
  func runOversizedInput() async {
    let result = await Self.run(["run", "pass.asl.json", "--input", "@big-input.json"])
    #expect(result.status != 0)
    #expect(result.output.isEmpty)
    #expect(
      result.error
        == "sfn: error: the input is refused: ValidationException: 1 validation error detected: "
        + "Value at 'input' failed to satisfy constraint: Member must have length less than or "
        + "equal to 262144 (the input has 300010 bytes)\n")
  }

  @Test(
    "An empty file gets one message everywhere; validate keeps AWS's code",
    arguments: [("empty.json", "1:1"), ("blank.json", "2:1")])
  func emptyFile(file: String, location: String) async {
    let message = JSONParseError.emptyInputMessage
    let validate = await Self.run(["validate", file])
    #expect(
      validate.output.hasPrefix(
        "\(file):\(location): error: \(message) [SCHEMA_VALIDATION_FAILED]\n"))
    let runDefinition = await Self.run(["run", file])
    #expect(
      runDefinition.error.hasPrefix(
        "\(file):\(location): error: \(message) [SCHEMA_VALIDATION_FAILED]\n"))
    let runInput = await Self.run(["run", "pass.asl.json", "--input", "@\(file)"])
    #expect(runInput.error == "sfn: error: the input is not valid JSON: \(location): \(message)\n")
  }

  @Test("A byte that is not UTF-8 is named once")
  func invalidByte() async {
    let validate = await Self.run(["validate", "ff.json"])
    #expect(
      validate.output.hasPrefix(
        "ff.json:1:1: error: invalid UTF-8 byte 0xFF [INVALID_JSON_DESCRIPTION]\n"))
    let runInput = await Self.run(["run", "pass.asl.json", "--input", "@ff.json"])
    #expect(
      runInput.error == "sfn: error: the input is not valid JSON: 1:1: invalid UTF-8 byte 0xFF\n")
  }
}
