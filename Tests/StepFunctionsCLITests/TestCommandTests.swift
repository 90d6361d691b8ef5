import CorpusSupport
import Foundation
import StepFunctions
import StepFunctionsTesting
import Testing

@testable import StepFunctionsCLI

/// The bench video workflow's files (`../shared/bench`), read into memory, or `nil` (with an
/// issue recorded) when a file is missing. Tests that call it carry `.requiresBench`.
func videoBenchFiles() -> [String: String]? {
  guard let folder = Corpus.benchRoot else {
    Issue.record(Comment(rawValue: Corpus.benchAbsenceMessage))
    return nil
  }
  var files: [String: String] = [:]
  for name in ["video_workflow.json", "video_workflow.mock.json", "video_workflow.input.json"] {
    guard let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    else {
      Issue.record("\(name) is missing from \(folder.path)")
      return nil
    }
    files[name] = text
  }
  return files
}

@Suite("sfn test")
struct TestCommandTests {
  static let benchArguments = [
    "test", "video_workflow.json", "--mocks", "video_workflow.mock.json", "--input",
    "@video_workflow.input.json",
  ]

  @Test(
    "All test cases run against the default media handlers, each with its path and mocks",
    .requiresBench)
  func allCasesWithDefaultHandlers() async throws {
    guard let files = videoBenchFiles() else { return }
    let result = await runSFN(Self.benchArguments, files: files)
    // The default media handlers answer every state a test case does not mock, so every case
    // passes (each ends however its mocks steer it). The in-memory world has no topic or table
    // for this workflow, so the cases that reach publishing end in its PublishFailed catcher:
    // the status column shows it.
    #expect(result.status == 0)
    #expect(result.error == "")
    let lines = result.output.split(separator: "\n").map(String.init)
    let verdicts = lines.filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }.map {
      $0.split(separator: ":")[0]
    }
    #expect(
      verdicts == [
        "PASS  FAILED     VideoWorkflow / HappyPath",
        "PASS  FAILED     VideoWorkflow / NeedsReview",
        "PASS  FAILED     VideoWorkflow / LowQuality",
        "PASS  FAILED     VideoWorkflow / TranscodeRetryThenSucceed",
        "PASS  FAILED     VideoWorkflow / TranscodeFails",
        "PASS  FAILED     VideoWorkflow / PublishFails",
        "PASS  SUCCEEDED  VideoWorkflow / AllMocked",
      ])
    #expect(
      lines.contains(
        "PASS  FAILED     VideoWorkflow / LowQuality: QualityTooLow: transcode quality score below 50"
      ))
    #expect(
      lines.contains(
        "      path: CheckInput → ValidateInput → Transcode → QualityGate → QualityTooLow"))
    #expect(
      lines.contains(
        "      mock: Transcode #0 Throw Lambda.ServiceException, #1 Throw Lambda.ServiceException, #2 Throw Lambda.ServiceException"
      ))
    #expect(lines.last == "7 passed, 0 failed (7 test cases: 1 SUCCEEDED, 6 FAILED)")
  }

  @Test(
    "One test case with an expected status passes with exit status 0 and prints the path",
    .requiresBench)
  func oneCase() async throws {
    guard let files = videoBenchFiles() else { return }
    let result = await runSFN(
      Self.benchArguments + ["--test-case", "AllMocked", "--expect-status", "succeeded"],
      files: files)
    #expect(result.status == 0)
    #expect(
      result.output == """
        PASS  SUCCEEDED  VideoWorkflow / AllMocked
              path: CheckInput → ValidateInput → Transcode → QualityGate → PublishAndRecord → PublishNotification → WriteRecord → Done
              mock: Transcode #0 Return
              mock: PublishNotification #0 Return
              mock: WriteRecord #0 Return

        1 passed, 0 failed (1 test case: 1 SUCCEEDED)

        """)
  }

  @Test("A case whose status differs from --expect-status fails", .requiresBench)
  func expectedStatusMismatch() async throws {
    guard let files = videoBenchFiles() else { return }
    let result = await runSFN(
      Self.benchArguments + ["--test-case", "LowQuality", "--expect-status", "SUCCEEDED"],
      files: files)
    #expect(result.status == 1)
    #expect(result.output.contains("FAIL  FAILED     VideoWorkflow / LowQuality: QualityTooLow"))
    #expect(result.output.contains("      problem: expected the status SUCCEEDED, got FAILED\n"))
  }

  @Test("With handlers for SNS and DynamoDB every case passes with moto's outcome", .requiresBench)
  func allCasesWithHandlers() async throws {
    guard let files = videoBenchFiles() else { return }
    let expected: [(String, String)] = [
      ("HappyPath", "SUCCEEDED"), ("NeedsReview", "SUCCEEDED"), ("LowQuality", "FAILED"),
      ("TranscodeRetryThenSucceed", "SUCCEEDED"), ("TranscodeFails", "FAILED"),
      ("PublishFails", "FAILED"),
      ("AllMocked", "SUCCEEDED"),
    ]
    for (testCase, status) in expected {
      let parsed = try ArgumentParser.parse(
        Array(Self.benchArguments.dropFirst()) + [
          "--test-case", testCase, "--expect-status", status, "--format", "json",
        ],
        for: TestCommand.configuration)
      var command = try TestCommand(arguments: parsed)
      command.makeHandlers = {
        var registry = SFNCommand.defaultHandlers
        registry.register(
          ClosureTaskHandler { _, _ in ["MessageId": "m-1"] }, forIntegration: "sns:publish")
        registry.register(ClosureTaskHandler { _, _ in [:] }, forIntegration: "dynamodb:putItem")
        return registry
      }
      var output = ""
      var error = ""
      let exit = await command.run(
        context: memoryContext(files), standardOutput: &output, standardError: &error)
      #expect(exit == .success, "\(testCase): \(output)")
      let report = try JSON(parsing: output)
      #expect(report["passed"] == 1)
      #expect(report["testCases"]?[0]?["status"]?.stringValue == status)
    }
  }

  @Test(
    "JSON output has one object per case with status, path and mocked invocations", .requiresBench)
  func jsonFormat() async throws {
    guard let files = videoBenchFiles() else { return }
    let result = await runSFN(
      Self.benchArguments + ["--test-case", "TranscodeRetryThenSucceed", "--format", "json"],
      files: files)
    // The default media handlers answer the states the case does not mock, so every task
    // invocation is answered and the case passes (the in-memory world has no such topic, so the
    // workflow itself ends in its PublishFailed catcher).
    #expect(result.status == 0)
    let report = try JSON(parsing: result.output)
    #expect(report["passed"] == 1)
    #expect(report["failed"] == 0)
    let testCase = try #require(report["testCases"]?[0])
    #expect(testCase["testCase"] == "TranscodeRetryThenSucceed")
    #expect(testCase["passed"] == true)
    #expect(
      testCase["mockInvocations"] == [
        [
          "stateName": "Transcode", "invocationIndex": 0, "attempt": 0,
          "responseName": "TranscodeFlaky", "outcome": "Throw Lambda.ServiceException",
        ],
        [
          "stateName": "Transcode", "invocationIndex": 1, "attempt": 1,
          "responseName": "TranscodeFlaky", "outcome": "Return",
        ],
      ])
    // One vocabulary: the JSON keys are the names of MockInvocation's properties.
    let swiftNames = Mirror(
      reflecting: MockInvocation(
        stateName: "S", invocationIndex: 0, attempt: 0, responseName: "R", outcome: nil)
    ).children.compactMap(\.label)
    #expect(testCase["mockInvocations"]?[0]?.objectValue?.keys == swiftNames)
    let path = try #require(testCase["path"]?.arrayValue)
    #expect(
      path.compactMap { $0["name"]?.stringValue }.prefix(5) == [
        "CheckInput", "ValidateInput", "Transcode", "QualityGate", "PublishAndRecord",
      ])
    #expect(path.first { $0["name"] == "WriteRecord" }?["parallelBranchIndex"] == 1)
    #expect(testCase["problems"]?.arrayValue?.isEmpty ?? true)
  }

  static let definition =
    #"{"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}"#

  @Test("The state machine defaults to the only one, else the one named after the definition file")
  func stateMachineSelection() async {
    let two =
      #"{"StateMachines": {"orders": {"TestCases": {"Ok": {"Call": "R"}}}, "other": {"TestCases": {"Ok": {"Call": "R"}}}}, "MockedResponses": {"R": {"0": {"Return": 1}}}}"#
    let named = await runSFN(
      ["test", "flows/orders.asl.json", "--mocks", "m.json"],
      files: ["flows/orders.asl.json": Self.definition, "m.json": two])
    #expect(named.status == 0)
    #expect(named.output.hasPrefix("PASS  SUCCEEDED  orders / Ok\n"))
    let ambiguous = await runSFN(
      ["test", "flow.json", "--mocks", "m.json"],
      files: ["flow.json": Self.definition, "m.json": two])
    #expect(ambiguous.status == 64)
    #expect(
      ambiguous.error
        == "sfn: error: The mock configuration has no state machine 'flow'. It has: 'orders', 'other'. Give --state-machine.\n"
    )
    let chosen = await runSFN(
      ["test", "flow.json", "--mocks", "m.json", "--state-machine", "other"],
      files: ["flow.json": Self.definition, "m.json": two])
    #expect(chosen.output.hasPrefix("PASS  SUCCEEDED  other / Ok\n"))
  }

  @Test("An uncovered mocked invocation fails the case with the reason")
  func uncoveredInvocation() async {
    let mocks =
      #"{"StateMachines": {"M": {"TestCases": {"Gap": {"Call": "R"}}}}, "MockedResponses": {"R": {"1": {"Return": 1}}}}"#
    let result = await runSFN(
      ["test", "d.json", "--mocks", "m.json"], files: ["d.json": Self.definition, "m.json": mocks])
    #expect(result.status == 1)
    #expect(
      result.output.contains(
        "FAIL  FAILED     M / Gap: States.Runtime: The state 'Call' was invoked for the 1st time (invocation 0)"
      ))
    #expect(result.output.contains("      mock: Call #0 not covered\n"))
    #expect(
      result.output.contains(
        "      problem: The state 'Call' was invoked for the 1st time, but the mocked response 'R' does not cover invocation 0.\n"
      ))
  }

  @Test("Mocks of states the definition does not have are reported as warnings")
  func unusedMockWarning() async {
    let mocks =
      #"{"StateMachines": {"M": {"TestCases": {"T": {"Call": "R", "Cal": "R"}}}}, "MockedResponses": {"R": {"0": {"Return": 1}}}}"#
    let result = await runSFN(
      ["test", "d.json", "--mocks", "m.json"], files: ["d.json": Self.definition, "m.json": mocks])
    #expect(result.status == 0)
    #expect(
      result.output.contains(
        "      warning: the test case mocks 'Cal', which is not a Task state of the definition\n"))
  }

  struct Failure: Sendable, CustomTestStringConvertible {
    var name: String
    var arguments: [String]
    var files: [String: String]
    var status: Int32
    var error: String
    var testDescription: String { name }
  }

  static let validMocks =
    #"{"StateMachines": {"M": {"TestCases": {"T": {"Call": "R"}}}}, "MockedResponses": {"R": {"0": {"Return": 1}}}}"#

  static let failures: [Failure] = [
    Failure(
      name: "missing --mocks", arguments: ["test", "d.json"], files: [:], status: 64,
      error: "Error: Missing expected argument '--mocks <file>'\n"),
    Failure(
      name: "bad --expect-status",
      arguments: ["test", "d.json", "--mocks", "m.json", "--expect-status", "DONE"], files: [:],
      status: 64, error: "Error: "),
    Failure(
      name: "unknown test case",
      arguments: ["test", "d.json", "--mocks", "m.json", "--test-case", "X"],
      files: ["d.json": definition, "m.json": validMocks], status: 64,
      error: "sfn: error: The state machine 'M' has no test case 'X'. It has: 'T'.\n"),
    Failure(
      name: "unknown state machine",
      arguments: ["test", "d.json", "--mocks", "m.json", "--state-machine", "N"],
      files: ["d.json": definition, "m.json": validMocks], status: 64,
      error: "sfn: error: The mock configuration has no state machine 'N'. It has: 'M'.\n"),
    Failure(
      name: "bad input", arguments: ["test", "d.json", "--mocks", "m.json", "--input", "{"],
      files: ["d.json": definition, "m.json": validMocks], status: 65,
      error: "sfn: error: the input is not valid JSON"),
    Failure(
      name: "unreadable definition", arguments: ["test", "d.json", "--mocks", "m.json"],
      files: ["m.json": validMocks],
      status: 65, error: "sfn: error: cannot read 'd.json': No such file or directory\n"),
    Failure(
      name: "unreadable mock file", arguments: ["test", "d.json", "--mocks", "m.json"],
      files: ["d.json": definition],
      status: 65, error: "sfn: error: cannot read 'm.json': No such file or directory\n"),
    Failure(
      name: "invalid mock file", arguments: ["test", "d.json", "--mocks", "m.json"],
      files: [
        "d.json": definition,
        "m.json":
          "{\"StateMachines\": {\"M\": {\"TestCases\": {\"T\": {\"Call\": \"Nope\"}}}},\n \"MockedResponses\": {}}",
      ],
      status: 65,
      error:
        "m.json:1:54: error: the test case 'T' uses the mocked response 'Nope', which 'MockedResponses' does not define\n"
    ),
    Failure(
      name: "invalid definition", arguments: ["test", "d.json", "--mocks", "m.json"],
      files: ["d.json": #"{"StartAt": "Nowhere", "States": {}}"#, "m.json": validMocks], status: 65,
      error: "d.json:"),
    Failure(
      name: "state machine without test cases", arguments: ["test", "d.json", "--mocks", "m.json"],
      files: [
        "d.json": definition,
        "m.json": #"{"StateMachines": {"M": {"TestCases": {}}}, "MockedResponses": {}}"#,
      ],
      status: 65, error: "sfn: error: The state machine 'M' has no test cases in 'm.json'.\n"),
  ]

  @Test(
    "Bad command lines exit 64; unreadable or invalid files and inputs exit 65, with a message",
    arguments: failures)
  func failuresExit(_ failure: Failure) async {
    let result = await runSFN(failure.arguments, files: failure.files)
    #expect(result.status == failure.status)
    #expect(result.error.hasPrefix(failure.error), "stderr: \(result.error)")
    #expect(result.output == "")
  }

  @Test("sfn lists the test command and documents it in its help")
  func help() async {
    let group = await runSFN(["--help"])
    #expect(
      group.output.contains(
        "  test                    Run the test cases of a Step Functions Local mock file\n"))
    let help = await runSFN(["test", "--help"])
    #expect(help.status == 0)
    #expect(help.output.contains("--mocks <file>"))
    #expect(help.output.contains("USAGE: sfn test --mocks <file> [--test-case <name>]"))
    #expect(help.output.contains("Exit status: 0 when every case passed; 1 when one failed;"))
    #expect(help.output.contains("--expect-status <status>"))
  }
}
