import Foundation
import StepFunctions
import Testing

/// `sfn test` runs every test case against fresh handlers (a fresh in-memory world), so a case's
/// result does not depend on which cases run before it, after it, or at all.
@Suite("sfn test: every test case runs on its own")
struct TestCaseIsolationTests {
  static let definitionPath = "StateMachines/video-workflow-orchestration.asl.json"
  static let input =
    #"{"bucket": "video-workflow-source-123456789012", "key": "uploads/sample-1080p.mp4"}"#

  /// The orchestration workflow from this package's `StateMachines/`.
  static func definition() throws -> String {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    return try String(
      contentsOf: root.appendingPathComponent(definitionPath), encoding: .utf8)
  }

  /// Each case's mocks, as the `TestCases` entry writes them. Together they reach four
  /// different endings of the workflow.
  static let cases: [(name: String, mocks: String)] = [
    ("Published", #"{"NotifyPublished": "MessageSent"}"#),
    ("TranscodeDown", #"{"TranscodeVideo": "MediaConvertDown"}"#),
    ("Borderline", #"{"CheckQuality": "ScoreBorderline"}"#),
    ("Rejected", #"{"CheckQuality": "ScoreLow"}"#),
    ("NothingMocked", "{}"),
  ]

  static let responses = """
    "MockedResponses": {
      "MessageSent": {"0": {"Return": {"MessageId": "m-1"}}},
      "MediaConvertDown": {"0-3": {"Throw": {"Error": "MediaConvert.InternalServerErrorException", "Cause": "down"}}},
      "ScoreBorderline": {"0": {"Return": {"Payload": {"score": 0.7, "threshold": 0.8, "passed": false, "checkedOutputs": []}}}},
      "ScoreLow": {"0": {"Return": {"Payload": {"score": 0.2, "threshold": 0.8, "passed": false, "checkedOutputs": []}}}}
    }
    """

  /// A mock file whose test cases are `entries` (name and mocks), in that order.
  static func mockFile(_ entries: [(name: String, mocks: String)]) -> String {
    let testCases = entries.map { "\"\($0.name)\": \($0.mocks)" }.joined(separator: ",\n")
    return """
      {"StateMachines": {"VideoWorkflowOrchestration": {"TestCases": {
      \(testCases)
      }}},
      \(responses)}
      """
  }

  /// Runs `sfn test --format json` on a mock file with `entries` and returns each case's report
  /// by name, without the fields that name the case.
  static func run(_ entries: [(name: String, mocks: String)], testCase: String? = nil)
    async throws -> [(name: String, report: JSON)]
  {
    let arguments =
      [
        "test", definitionPath, "--mocks", "mocks.json", "--input", "@input.json", "--format",
        "json",
      ] + (testCase.map { ["--test-case", $0] } ?? [])
    let result = await runSFN(
      arguments,
      files: [
        definitionPath: try definition(), "mocks.json": mockFile(entries), "input.json": input,
      ])
    #expect(result.error == "")
    let report = try JSON(parsing: result.output)
    let testCases = try #require(report["testCases"]?.arrayValue)
    return testCases.map { entry in
      var object = entry.objectValue ?? JSONObject()
      let name = object["testCase"]?.stringValue ?? ""
      object.removeValue(forKey: "testCase")
      return (name, .object(object))
    }
  }

  @Test("The same test case three times gives three identical PASS lines and paths")
  func sameCaseThreeTimes() async throws {
    let mocks = #"{"NotifyPublished": "MessageSent"}"#
    let result = await runSFN(
      ["test", Self.definitionPath, "--mocks", "mocks.json", "--input", "@input.json"],
      files: [
        Self.definitionPath: try Self.definition(),
        "mocks.json": Self.mockFile([("Copy", mocks), ("Copy2", mocks), ("Copy3", mocks)]),
        "input.json": Self.input,
      ])
    #expect(result.status == 0)
    let lines = result.output.split(separator: "\n").map(String.init)
    let verdicts = lines.filter { $0.hasPrefix("PASS") || $0.hasPrefix("FAIL") }
    #expect(
      verdicts == [
        "PASS  SUCCEEDED  VideoWorkflowOrchestration / Copy",
        "PASS  SUCCEEDED  VideoWorkflowOrchestration / Copy2",
        "PASS  SUCCEEDED  VideoWorkflowOrchestration / Copy3",
      ])
    let paths = lines.filter { $0.hasPrefix("      path: ") }
    #expect(paths.count == 3)
    #expect(Set(paths).count == 1)
    #expect(
      paths.first
        == "      path: RecordJobStarted → CheckUpload → ValidateVideo → IsVideoValid → TranscodeVideo → CheckQuality → EvaluateQuality → PublishContent → NotifyPublished → RecordJobPublished → Published"
    )
    #expect(lines.last == "3 passed, 0 failed (3 test cases: 3 SUCCEEDED)")
  }

  @Test(
    "A test case gives the same status, path and output alone, first, last, twice and in a full run",
    arguments: cases.map(\.name))
  func independentOfOrder(_ name: String) async throws {
    guard let entry = Self.cases.first(where: { $0.name == name }) else {
      Issue.record("No case \(name)")
      return
    }
    let others = Self.cases.filter { $0.name != name }
    let alone = try await Self.run([entry])
    try #require(alone.count == 1)
    let expected = alone[0].report
    // The case reached a real ending of the workflow on its own.
    #expect(expected["passed"] == true)
    #expect(expected["path"]?.arrayValue?.isEmpty == false)

    var runs: [(String, [(name: String, report: JSON)])] = []
    runs.append(("first", try await Self.run([entry] + others)))
    runs.append(("last", try await Self.run(others + [entry])))
    runs.append(("twice", try await Self.run([entry, (name + "Again", entry.mocks)])))
    runs.append(("selected from all", try await Self.run(Self.cases, testCase: name)))
    runs.append(("reversed full run", try await Self.run(Self.cases.reversed())))
    for (label, reports) in runs {
      let mine = reports.filter { $0.name == name || $0.name == name + "Again" }
      #expect(!mine.isEmpty, "\(label): no report for \(name)")
      for report in mine {
        #expect(
          report.report == expected,
          "\(label): \(report.name) differs from the case run alone:\n\(report.report.serialized())\nalone:\n\(expected.serialized())"
        )
      }
    }
  }

  @Test("The example mock file beside the workflows passes, each case with its own ending")
  func exampleMockFile() async throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let mocksPath = "StateMachines/examples/video-workflow-orchestration.mocks.json"
    let result = await runSFN(
      ["test", Self.definitionPath, "--mocks", mocksPath, "--input", "@input.json"],
      files: [
        Self.definitionPath: try Self.definition(),
        mocksPath: try String(contentsOf: root.appendingPathComponent(mocksPath), encoding: .utf8),
        "input.json": Self.input,
      ])
    #expect(result.status == 0)
    let verdicts = result.output.split(separator: "\n").filter {
      $0.hasPrefix("PASS") || $0.hasPrefix("FAIL")
    }.map { $0.split(separator: ":")[0] }
    #expect(
      verdicts == [
        "PASS  FAILED     VideoWorkflowOrchestration / TranscodeFails",
        "PASS  SUCCEEDED  VideoWorkflowOrchestration / BorderlineQuality",
        "PASS  SUCCEEDED  VideoWorkflowOrchestration / LowQuality",
      ])
    #expect(result.output.hasSuffix("3 passed, 0 failed (3 test cases: 2 SUCCEEDED, 1 FAILED)\n"))
  }

  @Test("The cases reach different endings, each on its own terms")
  func casesReachTheirOwnEndings() async throws {
    let reports = try await Self.run(Self.cases)
    let endings = reports.map { report in
      "\(report.name): \(report.report["status"]?.stringValue ?? "") at \(report.report["path"]?.arrayValue?.last?["name"]?.stringValue ?? "")"
    }
    #expect(
      endings == [
        "Published: SUCCEEDED at Published",
        "TranscodeDown: FAILED at ProcessingFailed",
        "Borderline: SUCCEEDED at Published",
        "Rejected: SUCCEEDED at Rejected",
        "NothingMocked: SUCCEEDED at Published",
      ])
  }
}
