import CorpusSupport
import Foundation
import StepFunctions
import Testing

/// `sfn explore`: the shipped workflows against path sets derived by hand from their
/// definitions, the text and JSON reports, properties and exit statuses.
@Suite("sfn explore")
struct ExploreCommandTests {
  /// The files of this package's `StateMachines/` folder, by path relative to the package.
  static func shipped(_ names: [String]) throws -> [String: String] {
    var files: [String: String] = [:]
    for name in names {
      files[name] = try String(
        contentsOf: Corpus.packageRoot.appendingPathComponent(name), encoding: .utf8)
    }
    return files
  }

  static func explore(_ arguments: [String], files: [String: String]) async throws -> (
    RunResult, JSON
  ) {
    let result = await runSFN(["explore"] + arguments + ["--format", "json"], files: files)
    return (result, try JSON(parsing: result.output))
  }

  /// `states | status error` of every path.
  static func endings(_ report: JSON) -> [String] {
    (report["paths"]?.arrayValue ?? []).map { path in
      let states = (path["states"]?.arrayValue ?? []).compactMap(\.stringValue)
      return states.joined(separator: ",") + " | " + (path["status"]?.stringValue ?? "?")
        + (path["error"]?.stringValue.map { " " + $0 } ?? "")
    }
  }

  @Test("ecs-video-processing: the 15 paths derived from its Retry and Catch fields")
  func ecsVideoProcessing() async throws {
    let definition = "StateMachines/ecs-video-processing.asl.json"
    let input = "StateMachines/examples/ecs-video-processing.input.json"
    let (result, report) = try await Self.explore(
      [definition, "--input", "@" + input], files: Self.shipped([definition, input]))
    #expect(result.status == 0, "\(result.error)")
    // ProbeVideo: the answer; ECS.AmazonECSException (retried twice, then caught; States.Timeout
    // is handled alike); States.TaskFailed (caught, not retried).
    // RunVideoProcessingTask: the answer; States.TaskFailed (retried 3 times, then caught; the
    // ECS error alike); States.Timeout (caught, not retried: States.TaskFailed does not match it).
    // NotifySuccess and NotifyError: the answer, States.Timeout, States.TaskFailed (uncaught).
    let notifyError = [
      " | FAILED VideoProcessingFailed", " | FAILED States.Timeout", " | FAILED States.TaskFailed",
    ]
    var expected = [
      "ProbeVideo,RunVideoProcessingTask,NotifySuccess,ProcessingSucceeded | SUCCEEDED",
      "ProbeVideo,RunVideoProcessingTask,NotifySuccess | FAILED States.Timeout",
      "ProbeVideo,RunVideoProcessingTask,NotifySuccess | FAILED States.TaskFailed",
    ]
    for _ in 0..<2 {
      expected += [
        "ProbeVideo,RunVideoProcessingTask,NotifyError,ProcessingFailed" + notifyError[0],
        "ProbeVideo,RunVideoProcessingTask,NotifyError" + notifyError[1],
        "ProbeVideo,RunVideoProcessingTask,NotifyError" + notifyError[2],
      ]
    }
    for _ in 0..<2 {
      expected += [
        "ProbeVideo,NotifyError,ProcessingFailed" + notifyError[0],
        "ProbeVideo,NotifyError" + notifyError[1],
        "ProbeVideo,NotifyError" + notifyError[2],
      ]
    }
    #expect(Self.endings(report) == expected)
    let outcomes = (report["paths"]?.arrayValue ?? []).map { path in
      (path["outcomes"]?.arrayValue ?? []).map { outcome in
        (outcome["state"]?.stringValue ?? "") + ":" + (outcome["error"]?.stringValue ?? "ok")
          + "×" + String(outcome["attempts"]?.numberValue?.intValue ?? 0)
      }.joined(separator: " ")
    }
    #expect(
      outcomes[3] == "ProbeVideo:ok×1 RunVideoProcessingTask:States.TaskFailed×4 NotifyError:ok×1")
    #expect(
      outcomes[6] == "ProbeVideo:ok×1 RunVideoProcessingTask:States.Timeout×1 NotifyError:ok×1")
    #expect(outcomes[9] == "ProbeVideo:ECS.AmazonECSException×3 NotifyError:ok×1")
    #expect(outcomes[12] == "ProbeVideo:States.TaskFailed×1 NotifyError:ok×1")
    #expect(report["unreachable"] == [])
    #expect(report["violations"] == [])
  }

  @Test("media-ingest-pipeline: 117 paths, counted by hand from its Retry and Catch fields")
  func mediaIngestPipeline() async throws {
    let definition = "StateMachines/media-ingest-pipeline.asl.json"
    let input = "StateMachines/examples/media-ingest-pipeline.input.json"
    let (result, report) = try await Self.explore(
      [definition, "--input", "@" + input], files: Self.shipped([definition, input]))
    #expect(result.status == 0, "\(result.error)")
    // SendToDeadLetterQueue (D): the answer, then 4 uncaught errors (two SQS ones, retried, and
    // States.Timeout, States.TaskFailed) = 5 endings. RecordFailure (R): the answer, a DynamoDB
    // error (retried, caught), States.Timeout (caught) = 3 × D. ClaimAsset: the answer; a
    // DynamoDB error → D; ConditionalCheckFailed → AlreadyProcessed; States.Timeout → D.
    // SubmitTranscodeJob, RecordJobSubmitted, RecordJobComplete: 2 failure classes each → R;
    // WaitForTranscode: 1 (every error caught by States.ALL alike, no retrier) → R.
    // D instances: 2 + 3 × (2 + 2 + 1 + 2) = 23; paths: 23 × 5 + AlreadyProcessed + IngestComplete.
    let endings = Self.endings(report)
    #expect(endings.count == 117)
    func count(_ suffix: String) -> Int { endings.filter { $0.hasSuffix(suffix) }.count }
    #expect(count(" | SUCCEEDED") == 2)
    #expect(count("IngestFailed | FAILED MediaIngestFailed") == 23)
    #expect(count(" | FAILED SQS.AmazonSQSException") == 23)
    #expect(count(" | FAILED SQS.SdkClientException") == 23)
    #expect(count(" | FAILED States.Timeout") == 23)
    #expect(count(" | FAILED States.TaskFailed") == 23)
    #expect(
      endings.first
        == "PrepareAsset,ClaimAsset,SubmitTranscodeJob,RecordJobSubmitted,WaitForTranscode,RecordJobComplete,IngestComplete | SUCCEEDED"
    )
    #expect(endings.contains("PrepareAsset,ClaimAsset,AlreadyProcessed | SUCCEEDED"))
    #expect(report["unreachable"] == [])
  }

  @Test("Every shipped workflow is explored to the end with its example input")
  func everyShippedWorkflow() async throws {
    let folder = Corpus.packageRoot.appendingPathComponent("StateMachines")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".asl.json") }.sorted()
    #expect(names.count >= 7)
    for name in names {
      let definition = "StateMachines/" + name
      let base = name.replacingOccurrences(of: ".jsonata", with: "")
        .replacingOccurrences(of: ".asl.json", with: "")
      let input = "StateMachines/examples/\(base).input.json"
      // media-ingest-backfill starts media-ingest-pipeline for every item (without it, its
      // IngestUpload answers {}, which its ResultSelector cannot read).
      let child = "StateMachines/media-ingest-pipeline.asl.json"
      let machine =
        name == "media-ingest-backfill.asl.json"
        ? ["--machine", "media-ingest-pipeline=" + child] : []
      let (result, report) = try await Self.explore(
        [definition, "--input", "@" + input] + machine,
        files: Self.shipped([definition, input, child]))
      #expect(result.status == 0, "\(name): \(result.error)")
      #expect(!result.error.contains("warning"), "\(name): \(result.error)")
      let paths = report["paths"]?.arrayValue ?? []
      #expect(paths.contains { $0["status"] == "SUCCEEDED" }, "\(name)")
      #expect(paths.count > 1, "\(name)")
    }
  }

  static let small = """
    {"StartAt": "Work", "States": {
      "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultPath": null,
        "Catch": [{"ErrorEquals": ["Fatal"], "Next": "Broken"}], "Next": "Route"},
      "Route": {"Type": "Choice",
        "Choices": [{"Variable": "$.rare", "IsPresent": true, "Next": "Never"}],
        "Default": "Done"},
      "Broken": {"Type": "Fail", "Error": "Broken"},
      "Never": {"Type": "Pass", "End": true},
      "Done": {"Type": "Succeed"}}}
    """

  @Test(
    "The text report lists the paths with their outcomes, the unreachable states and the violations"
  )
  func textReport() async {
    let result = await runSFN(
      ["explore", "m.json", "--no-handlers", "--expect", "enters Work => enters Done"],
      files: ["m.json": Self.small])
    #expect(result.status == 1)
    #expect(
      result.output == """
        4 paths (1 SUCCEEDED, 3 FAILED) from 4 runs
        1. Work → Route → Done (SUCCEEDED)
           outcomes: Work: ok
        2. Work → Broken (FAILED Broken)
           outcomes: Work: Fatal (injected)
        3. Work (FAILED States.Timeout)
           outcomes: Work: States.Timeout (injected)
        4. Work (FAILED States.TaskFailed)
           outcomes: Work: States.TaskFailed (injected)

        Unreachable states: Never

        Violated properties:
          enters Work => enters Done (3 paths)
            shortest counterexample: Work (FAILED States.Timeout)
              outcomes: Work: States.Timeout (injected)

        """)
  }

  @Test("JSON output is one object with paths, unreachable and violations")
  func jsonReport() async throws {
    let (result, report) = try await Self.explore(
      ["m.json", "--no-handlers", "--expect", "status SUCCEEDED or error Broken"],
      files: ["m.json": Self.small])
    #expect(result.status == 1)
    #expect(report.objectValue?.keys == ["paths", "unreachable", "violations"])
    #expect(report["unreachable"] == ["Never"])
    #expect(
      report["paths"]?[0] == [
        "states": ["Work", "Route", "Done"],
        "outcomes": [["state": "Work", "error": nil, "attempts": 1, "injected": false]],
        "status": "SUCCEEDED", "error": nil,
      ])
    #expect(report["violations"]?[0]?["property"] == "status SUCCEEDED or error Broken")
    #expect(report["violations"]?[0]?["violatingPaths"] == 2)
    #expect(report["violations"]?[0]?["counterexample"]?["error"] == "States.Timeout")
  }

  @Test("Two runs of sfn explore print byte-identical reports")
  func determinism() async throws {
    let definition = "StateMachines/video-workflow-orchestration.asl.json"
    let input = "StateMachines/examples/video-workflow-orchestration.input.json"
    let files = try Self.shipped([definition, input])
    let first = await runSFN(["explore", definition, "--input", "@" + input], files: files)
    let second = await runSFN(["explore", definition, "--input", "@" + input], files: files)
    #expect(first.status == 0)
    #expect(first.output == second.output)
  }

  @Test("A mock file's test case answers the states it mocks")
  func mockFile() async throws {
    let definition = "StateMachines/video-workflow-orchestration.asl.json"
    let input = "StateMachines/examples/video-workflow-orchestration.input.json"
    let mocks = "StateMachines/examples/video-workflow-orchestration.mocks.json"
    let files = try Self.shipped([definition, input, mocks])
    // LowQuality mocks CheckQuality with a low score: the answer path is the rejection, and
    // publishing is no longer reachable from this input.
    let (result, report) = try await Self.explore(
      [definition, "--input", "@" + input, "--mocks", mocks, "--test-case", "LowQuality"],
      files: files)
    #expect(result.status == 0, "\(result.error)")
    #expect(
      Self.endings(report).first
        == "RecordJobStarted,CheckUpload,ValidateVideo,IsVideoValid,TranscodeVideo,CheckQuality,EvaluateQuality,ArchiveRejectedVideo,RecordJobRejected,NotifyRejected,Rejected | SUCCEEDED"
    )
    let unreachable = (report["unreachable"]?.arrayValue ?? []).compactMap(\.stringValue)
    #expect(unreachable.contains("Published"))
    #expect(!unreachable.contains("Rejected"))
    // A file with several test cases needs --test-case.
    let ambiguous = await runSFN(["explore", definition, "--mocks", mocks], files: files)
    #expect(ambiguous.status == 64)
    #expect(ambiguous.error.contains("Give --test-case"))
  }

  @Test("--every-error, --visit-limit and --map-iterations reach the exploration")
  func boundOptions() async throws {
    let files = [
      "m.json": Self.small,
      "map.json": """
      {"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemsPath": "$.items",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Work", "States": {
          "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Skipped"}], "End": true},
          "Skipped": {"Type": "Pass", "End": true}}}, "End": true}}}
      """,
      "loop.json": """
      {"StartAt": "Poll", "States": {
        "Poll": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultPath": null,
          "Next": "Again?"},
        "Again?": {"Type": "Choice",
          "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Stopped"}],
          "Default": "Poll"},
        "Stopped": {"Type": "Succeed"}}}
      """,
    ]
    func pathCount(_ arguments: [String]) async throws -> Int {
      let (result, report) = try await Self.explore(arguments + ["--no-handlers"], files: files)
      #expect(result.status == 0, "\(arguments): \(result.error)")
      return report["paths"]?.arrayValue?.count ?? -1
    }
    // Work: the answer, Fatal (its catcher), States.Timeout and States.TaskFailed (uncaught).
    #expect(try await pathCount(["m.json"]) == 4)
    #expect(try await pathCount(["m.json", "--every-error"]) == 4)
    // Two items, Work caught alike for every error: all answered, or all skipped (1 branching
    // iteration); 2 × 2 with 2 branching iterations.
    #expect(try await pathCount(["map.json", "--input", #"{"items": [1, 2]}"#]) == 2)
    #expect(
      try await pathCount(["map.json", "--input", #"{"items": [1, 2]}"#, "--map-iterations", "2"])
        == 4)
    // Poll: the answer, States.Timeout, States.TaskFailed at each of its N visits, then the cut.
    #expect(try await pathCount(["loop.json", "--visit-limit", "1"]) == 3)
    #expect(try await pathCount(["loop.json", "--visit-limit", "2"]) == 5)
    let (_, cut) = try await Self.explore(
      ["loop.json", "--no-handlers", "--visit-limit", "1"], files: files)
    #expect(cut["paths"]?[0]?["status"] == "TRUNCATED")
    #expect(cut["paths"]?[0]?["truncatedAt"] == "Poll")
  }

  @Test("Bad command lines exit 64, unreadable data 65")
  func exitStatuses() async {
    let files = ["m.json": Self.small, "bad.json": "{"]
    let badProperty = await runSFN(
      ["explore", "m.json", "--expect", "enters"], files: files)
    #expect(badProperty.status == 64)
    #expect(
      badProperty.error.contains(
        "The property 'enters' does not parse: Expected a name after 'enters' (at character 7)"))
    let unknownState = await runSFN(
      ["explore", "m.json", "--expect", "enters Transcode"], files: files)
    #expect(unknownState.status == 64)
    #expect(
      unknownState.error.contains("names the state 'Transcode', which the definition does not have")
    )
    let zero = await runSFN(["explore", "m.json", "--max-paths", "0"], files: files)
    #expect(zero.status == 64)
    let testCaseWithoutMocks = await runSFN(
      ["explore", "m.json", "--test-case", "A"], files: files)
    #expect(testCaseWithoutMocks.status == 64)
    #expect(await runSFN(["explore", "missing.json"], files: files).status == 65)
    #expect(await runSFN(["explore", "bad.json"], files: files).status == 65)
    #expect(await runSFN(["explore", "m.json", "--input", "{"], files: files).status == 65)
    let limited = await runSFN(["explore", "m.json", "--max-paths", "2"], files: files)
    #expect(limited.status == 0)
    #expect(limited.error.contains("warning: the exploration stopped after 2 paths"))
  }
}
