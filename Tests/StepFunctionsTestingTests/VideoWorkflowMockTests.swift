import CorpusSupport
import Foundation
import StepFunctions
import StepFunctionsTesting
import Testing

/// The benchmark video workflow and its Step Functions Local mock file
/// (`../shared/bench/video_workflow*.json`), cross-checked against the moto reference harness
/// (`moto_sfn.py run video_workflow.json --input @video_workflow.input.json --setup
/// video_workflow.setup.json --mock-config video_workflow.mock.json --test-case NAME`).
enum VideoBench {
  static let folder = Corpus.benchExpectedLocation
  static let absenceMessage = Corpus.benchAbsenceMessage

  static func url(_ name: String) -> URL? {
    let url = folder.appendingPathComponent(name)
    return FileManager.default.fileExists(atPath: url.path) ? url : nil
  }

  /// What moto 5.2 reported for each test case: status, error, and the states entered in order.
  /// Moto answers the unmocked SNS publish and DynamoDB putItem with its in-memory services; the
  /// handlers below stand in for those.
  struct Expectation: Sendable, CustomTestStringConvertible {
    var testCase: String
    var status: ExecutionStatus
    var error: String?
    var path: [String]
    var testDescription: String { testCase }
  }

  static let published = [
    "CheckInput", "ValidateInput", "Transcode", "QualityGate", "PublishAndRecord",
    "PublishNotification", "WriteRecord",
    "Done",
  ]

  static let moto: [Expectation] = [
    Expectation(testCase: "HappyPath", status: .succeeded, path: published),
    Expectation(
      testCase: "NeedsReview", status: .succeeded,
      path: [
        "CheckInput", "ValidateInput", "Transcode", "QualityGate", "FlagForReview",
        "PublishAndRecord",
        "PublishNotification", "WriteRecord", "Done",
      ]),
    Expectation(
      testCase: "LowQuality", status: .failed, error: "QualityTooLow",
      path: ["CheckInput", "ValidateInput", "Transcode", "QualityGate", "QualityTooLow"]),
    Expectation(testCase: "TranscodeRetryThenSucceed", status: .succeeded, path: published),
    Expectation(
      testCase: "TranscodeFails", status: .failed, error: "TranscodeFailed",
      path: ["CheckInput", "ValidateInput", "Transcode", "TranscodeFailed"]),
    Expectation(
      testCase: "PublishFails", status: .failed, error: "PublishFailed",
      path: [
        "CheckInput", "ValidateInput", "Transcode", "QualityGate", "PublishAndRecord",
        "PublishNotification",
        "WriteRecord", "PublishNotification", "WriteRecord", "PublishFailed",
      ]),
    Expectation(testCase: "AllMocked", status: .succeeded, path: published),
  ]
}

@Suite("The bench video workflow under its Step Functions Local mocks", .requiresBench)
struct VideoWorkflowMockTests {
  struct Bench {
    var test: WorkflowTest
    var mocks: MockConfiguration
    var input: JSON
  }

  func bench() throws -> Bench? {
    guard let definition = VideoBench.url("video_workflow.json"),
      let mockFile = VideoBench.url("video_workflow.mock.json"),
      let inputFile = VideoBench.url("video_workflow.input.json")
    else {
      Issue.record(Comment(rawValue: VideoBench.absenceMessage))
      return nil
    }
    let mocks = try MockConfiguration(contentsOf: mockFile)
    let input = try JSON(parsing: [UInt8](try Data(contentsOf: inputFile)))
    let test = try WorkflowTest(definitionURL: definition).handlers {
      $0.register(
        ScriptedHandler(.returning(["MessageId": "00000000-0000-0000-0000-000000000002"])),
        forIntegration: "sns:publish")
      $0.register(ScriptedHandler(.returning([:])), forIntegration: "dynamodb:putItem")
    }
    return Bench(test: test, mocks: mocks, input: input)
  }

  @Test("The mock file has the seven test cases of the video workflow")
  func mockFile() throws {
    guard let bench = try bench() else { return }
    #expect(bench.mocks.stateMachines.map(\.name) == ["VideoWorkflow"])
    #expect(
      bench.mocks.stateMachines.first?.testCases.map(\.name) == VideoBench.moto.map(\.testCase))
  }

  @Test(
    "Each test case ends as moto's run of the same mocks does, by the same path",
    arguments: VideoBench.moto)
  func matchesMoto(_ expected: VideoBench.Expectation) async throws {
    guard let bench = try bench() else { return }
    let run = await (try bench.test.mocking(testCase: expected.testCase, in: bench.mocks)).run(
      input: bench.input)
    run.expectStatus(expected.status)
    #expect(run.error == expected.error)
    run.expectPath(expected.path)
    run.expectEveryTaskAnswered()
  }

  @Test("Retries consume the flaky transcoder's mocked responses in order")
  func retryCounting() async throws {
    guard let bench = try bench() else { return }
    let flaky = await
      (try bench.test.mocking(testCase: "TranscodeRetryThenSucceed", in: bench.mocks)).run(
        input: bench.input)
    #expect(
      flaky.mockInvocations.map(\.description) == [
        "Transcode #0 → TranscodeFlaky: Throw Lambda.ServiceException: transient",
        #"Transcode #1 → TranscodeFlaky: Return {"StatusCode":200,"Payload":{"outputUri":"s3://media-out/v-123/1080p.mp4","qualityScore":90}}"#,
      ])
    flaky.expectOutput(matching: ["transcode": ["qualityScore": 90]])
    let failing = await (try bench.test.mocking(testCase: "TranscodeFails", in: bench.mocks)).run(
      input: bench.input)
    #expect(failing.mockInvocations.map(\.invocationIndex) == [0, 1, 2])
    #expect(
      taskFailures(failing) == [
        "Lambda.ServiceException", "Lambda.ServiceException", "Lambda.ServiceException",
      ])
    // Retry backoff: 1 s, then 2 s.
    #expect(elapsedSeconds(failing) == 3)
  }

  @Test(
    "The Parallel's States.TaskFailed retrier re-runs the branches, using SnsAccessDenied's second invocation"
  )
  func parallelRetryCounting() async throws {
    guard let bench = try bench() else { return }
    let run = await (try bench.test.mocking(testCase: "PublishFails", in: bench.mocks)).run(
      input: bench.input)
    #expect(
      run.mockInvocations.filter { $0.stateName == "PublishNotification" }.map(\.invocationIndex)
        == [0, 1])
    #expect(run.output == nil)
    #expect(run.cause == "publishing or recording the video failed")
  }

  @Test(
    "Without handlers for the unmocked states, only the cases that never reach them answer every task"
  )
  func withoutHandlers() async throws {
    guard let bench = try bench() else { return }
    let bare = WorkflowTest(bench.test.machine)
    var answered: [String] = []
    for expected in VideoBench.moto {
      let run = await (try bare.mocking(testCase: expected.testCase, in: bench.mocks)).run(
        input: bench.input)
      if run.setupProblems.isEmpty { answered.append(expected.testCase) }
    }
    #expect(answered == ["LowQuality", "TranscodeFails", "AllMocked"])
  }
}

extension VideoWorkflowMockTests {
  @Test(
    "The mock test cases, an invalid input and two throttled services cover the whole bench workflow"
  )
  func coverage() async throws {
    guard let bench = try bench() else { return }
    let collector = CoverageCollector()
    for expected in VideoBench.moto {
      _ = await (try bench.test.mocking(testCase: expected.testCase, in: bench.mocks))
        .collectingCoverage(into: collector).run(input: bench.input)
    }
    let mocksAlone = try #require(collector.coverage(of: "video_workflow"))
    print(mocksAlone)
    // What the mock file leaves out: an invalid input, and the throttling retriers of the two
    // services it always answers at once.
    #expect(
      mocksAlone.uncovered.map(\.description) == [
        "Default of CheckInput → InvalidInput", "state InvalidInput", "Fail state InvalidInput",
        "retrier 0 of PublishNotification [SNS.InternalErrorException, SNS.ThrottledException]",
        "retrier 0 of WriteRecord [DynamoDB.ProvisionedThroughputExceededException]",
      ])
    let invalid = await bench.test.collectingCoverage(into: collector).run(input: [:])
    invalid.expectFailed()
    #expect(invalid.stateNames.last == "InvalidInput")
    let happy = try bench.test.mocking(testCase: "HappyPath", in: bench.mocks)
      .collectingCoverage(into: collector)
    let throttled =
      await happy
      .handling(
        state: "PublishNotification",
        with: ScriptedHandler([
          .throwing("SNS.ThrottledException"), .returning(["MessageId": "m-1"]),
        ])
      )
      .handling(
        state: "WriteRecord",
        with: ScriptedHandler([
          .throwing("DynamoDB.ProvisionedThroughputExceededException"), .returning([:]),
        ])
      )
      .run(input: bench.input)
    throttled.expectSucceeded()
    let coverage = try #require(collector.coverage(of: "video_workflow"))
    print(coverage)
    #expect(coverage.uncovered.isEmpty)
  }
}
