import Foundation
import MediaTasks
import StepFunctions
import StepFunctionsTesting
import Testing

/// Runs every test of each shipped workflow's own suites (its suite in WorkflowTests.swift, its
/// example inputs, its failure injections, and for the video workflow the tutorial's suites)
/// inside a coverage collection, prints the coverage, and checks that what stays uncovered is exactly what
/// `Docs/Coverage.md` names as deliberately uncovered.
@Suite("Coverage of the shipped workflows by their own tests")
struct ShippedWorkflowCoverageTests {
  /// What each workflow's tests deliberately leave uncovered, as `Docs/Coverage.md` lists it
  /// with the reasons.
  static let deliberatelyUncovered: [String: [String]] = [
    "media-ingest-backfill": [
      "retrier 0 of IngestUpload [StepFunctions.ExecutionLimitExceededException]"
    ]
  ]

  /// Runs `tests` collecting coverage, prints each workflow's, and checks it against
  /// ``deliberatelyUncovered``.
  static func check(
    _ names: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation,
    running tests: () async throws -> Void
  ) async throws {
    let collector = CoverageCollector()
    for name in names { collector.register(try workflow(name), as: name) }
    try await collector.collecting {
      try await tests()
      for name in names { try await FailureInjectionTests().everyRetrierAndCatcher(of: name) }
    }
    for name in names {
      let coverage = try #require(collector.coverage(of: name), sourceLocation: sourceLocation)
      print(coverage)
      #expect(
        coverage.uncovered.map(\.description) == deliberatelyUncovered[name] ?? [],
        "\(name)", sourceLocation: sourceLocation)
    }
  }

  /// Runs the example inputs of `workflow`.
  static func examples(of workflow: String) async throws {
    for file in exampleFiles() where file.hasPrefix(workflow + ".") {
      try await ExampleInputTests().runs(file: file)
    }
  }

  @Test("video-workflow-orchestration, in both query languages")
  func videoWorkflowOrchestration() async throws {
    try await Self.check(
      ["video-workflow-orchestration", "video-workflow-orchestration.jsonata"]
    ) {
      let suite = VideoWorkflowOrchestrationTests()
      try await suite.happyPath()
      try await suite.lambdaRetried()
      try await suite.transcodeRetried()
      try await suite.lambdaExhausted()
      try await suite.transcodeFails()
      try await suite.missingUpload()
      try await suite.notAVideo()
      try await suite.transcodeTimesOut()
      try await suite.rejected()
      try await suite.scheduledReview()
      for (answer, expected) in [
        ("approve", "PUBLISHED"), ("refuse", "REJECTED"), ("fail", "REJECTED"),
      ] {
        try await suite.externalReview(answer: answer, expected: expected)
      }
      try await Self.examples(of: "video-workflow-orchestration")
      let tutorial = TutorialTests()
      try await tutorial.happyPath()
      try await tutorial.worldPerRun()
      try await tutorial.retried()
      try await tutorial.transcodeTimesOut()
      try await tutorial.humanReview()
      try await tutorial.mockedFailure()
      try await tutorial.oneStateFromCode()
      try await tutorial.oneStateFromCodeAsAMock()
      try await tutorial.standInBreaksTheNextService()
      try await tutorial.scriptedMediaConvert()
      try await tutorial.recordCalls()
      let languages = TutorialJSONataTests()
      for (name, status) in [
        ("input", "SUCCEEDED"), ("human-review", "SUCCEEDED"),
        ("low-quality-rejected", "SUCCEEDED"), ("corrupt-upload-fail", "FAILED"),
        ("missing-upload-fail", "FAILED"), ("not-a-video-fail", "FAILED"),
      ] {
        try await languages.exampleInputs(name: name, status: status)
      }
      for testCase in ["TranscodeFails", "BorderlineQuality", "LowQuality"] {
        try await languages.mockedTestCases(testCase: testCase)
      }
      try await languages.retriesAndTimeouts()
      try await languages.reviewRefused()
      try await languages.bothLanguages()
    }
  }

  @Test("media-ingest-pipeline")
  func mediaIngestPipeline() async throws {
    try await Self.check(["media-ingest-pipeline"]) {
      let suite = MediaIngestPipelineTests()
      try await suite.happyPath()
      try await suite.duplicate()
      try await suite.retried()
      try await suite.badRequestToDLQ()
      try await suite.jobFailsByCallback()
      try await suite.timeout()
      try await Self.examples(of: "media-ingest-pipeline")
    }
  }

  @Test("video-super-resolution")
  func videoSuperResolution() async throws {
    try await Self.check(["video-super-resolution"]) {
      let suite = VideoSuperResolutionTests()
      try await suite.happyPath()
      try await suite.toleratedFailure()
      try await suite.tooManyFailures()
      try await suite.spotInterruptionRetried()
      try await suite.recomposeTimesOut()
      try await suite.recomposeCallbackFails()
      try await FailureInjectionTests().chunkListUnreadable()
      try await Self.examples(of: "video-super-resolution")
    }
  }

  @Test("ecs-video-processing")
  func ecsVideoProcessing() async throws {
    try await Self.check(["ecs-video-processing"]) {
      let suite = ECSVideoProcessingTests()
      try await suite.happyPath()
      try await suite.retried()
      try await suite.launchRetried()
      try await suite.retriesExhausted()
      try await suite.executionTimeout()
      try await suite.probeFails()
      try await Self.examples(of: "ecs-video-processing")
    }
  }

  @Test("stream-ingest-processing")
  func streamIngestProcessing() async throws {
    try await Self.check(["stream-ingest-processing"]) {
      let suite = StreamIngestProcessingTests()
      try await suite.happyPath()
      try await suite.partialFailure()
      try await suite.replay()
      try await suite.launchRetried()
      try await suite.timeout()
      try await suite.allFail()
      try await Self.examples(of: "stream-ingest-processing")
    }
  }

  @Test("media-ingest-backfill")
  func mediaIngestBackfill() async throws {
    try await Self.check(["media-ingest-backfill"]) {
      let suite = MediaIngestBackfillTests()
      try await suite.backfill()
      try await suite.strict()
      try await suite.pipelineMissing()
      try await Self.examples(of: "media-ingest-backfill")
    }
  }

  @Test("Docs/Coverage.md names each deliberately uncovered item with its workflow")
  func documented() throws {
    let text = try String(
      contentsOf: packageRoot.appendingPathComponent("Docs/Coverage.md"), encoding: .utf8)
    let section = try #require(text.components(separatedBy: "### Deliberately uncovered").last)
    for (workflow, items) in Self.deliberatelyUncovered {
      for item in items { #expect(section.contains("- \(workflow): `\(item)`")) }
    }
    let listed = section.components(separatedBy: "\n- ").count - 1
    #expect(listed == Self.deliberatelyUncovered.values.map(\.count).reduce(0, +))
  }

  @Test("Every suite of WorkflowTests.swift is run by a coverage test above")
  func everySuiteIsRun() throws {
    let text = try String(
      contentsOf: packageRoot.appendingPathComponent("Tests/MediaTasksTests/WorkflowTests.swift"),
      encoding: .utf8)
    let mine = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
    // Each test method of the workflow suites is called here (a new test must be added here).
    var missing: [String] = []
    for line in text.split(separator: "\n") where line.hasPrefix("  func ") {
      let name = line.dropFirst("  func ".count).prefix { $0 != "(" }
      guard !["run", "record", "asset", "everyWorkflowHasExamples", "runs"].contains(String(name))
      else { continue }
      if !mine.contains(".\(name)(") { missing.append(String(name)) }
    }
    #expect(missing == [])
  }
}
