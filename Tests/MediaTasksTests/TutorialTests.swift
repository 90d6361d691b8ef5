import Foundation
import MediaTasks
import StepFunctions
import StepFunctionsTesting
import Testing

/// The code of Docs/TestingAVideoWorkflow.md, run as tests so the tutorial stays true.
@Suite("The 'Testing a video workflow' tutorial")
struct TutorialTests {
  /// The package root: the folder two levels above this file's folder (Tests/MediaTasksTests/).
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Tests/MediaTasksTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // the package root
  let definition = TutorialTests.packageRoot.appendingPathComponent(
    "StateMachines/video-workflow-orchestration.asl.json")
  let uploads = "video-workflow-source-123456789012"

  @Test("1. Paths built from #filePath find the files whatever the current directory")
  func pathsFromTheSourceFile() throws {
    #expect(FileManager.default.fileExists(atPath: definition.path))
    // The tutorial's article exists twice (Docs/ and the DocC catalog); they must not drift.
    let docs = try String(
      contentsOf: Self.packageRoot.appendingPathComponent("Docs/TestingAVideoWorkflow.md"),
      encoding: .utf8)
    let catalog = try String(
      contentsOf: Self.packageRoot.appendingPathComponent(
        "Sources/StepFunctionsTesting/StepFunctionsTesting.docc/TestingAVideoWorkflow.md"),
      encoding: .utf8)
    #expect(docs == catalog)
  }

  @Test("2. A good upload is published")
  func happyPath() async throws {
    let world = MediaWorld.sample()
    let run = try await WorkflowTest(definitionURL: definition)
      .handlers { $0.merge(world.handlers) }
      .run(input: ["bucket": .string(uploads), "key": "uploads/sample-1080p.mp4"])

    run.expectSucceeded()
    run.expectPath([
      "RecordJobStarted", "CheckUpload", "ValidateVideo", "IsVideoValid",
      "TranscodeVideo", "CheckQuality", "EvaluateQuality", "PublishContent",
      "NotifyPublished", "RecordJobPublished", "Published",
    ])
    run.expectOutput(matching: ["status": "PUBLISHED"])
  }

  @Test("2. A second run in the same world takes the failure path; a world per run does not")
  func worldPerRun() async throws {
    let input: JSON = ["bucket": .string(uploads), "key": "uploads/sample-1080p.mp4"]
    let world = MediaWorld.sample()
    let shared = try WorkflowTest(definitionURL: definition)
      .handlers { $0.merge(world.handlers) }
    let first = await shared.run(input: input)
    let second = await shared.run(input: input)
    first.expectSucceeded()
    second.expectFailed(error: "VideoProcessingFailed")
    second.expectPath(["RecordJobStarted", "NotifyFailure", "ProcessingFailed"])

    let base = try WorkflowTest(definitionURL: definition)
      .handlers(eachRun: { MediaWorld.sample().handlers })  // a fresh world for every run
    let runs = [await base.run(input: input), await base.run(input: input)]
    for run in runs {
      run.expectSucceeded()
      run.expectOutput(matching: ["status": "PUBLISHED"])
    }
    #expect(runs[0].output == runs[1].output)
  }

  @Test("3. Throttled validation is retried with backoff")
  func retried() async throws {
    let world = MediaWorld.sample()
    world.lambda.failNext(
      MediaWorld.FunctionName.validateInput, count: 2, error: "Lambda.TooManyRequestsException")
    let run = try await WorkflowTest(definitionURL: definition)
      .handlers { $0.merge(world.handlers) }
      .run(input: ["bucket": .string(uploads), "key": "uploads/sample-1080p.mp4"])
    run.expectSucceeded()
    run.expectEntered("ValidateVideo", times: 1)
    #expect(run.history.events.filter { $0.type == "TaskFailed" }.count == 2)
  }

  @Test("4. A transcode slower than two hours times out and is recorded as failed")
  func transcodeTimesOut() async throws {
    let world = MediaWorld.sample()
    world.mediaConvert.behavior.secondsPerMediaSecond = 30
    let run = try await WorkflowTest(definitionURL: definition)
      .handlers { $0.merge(world.handlers) }
      .run(input: ["bucket": .string(uploads), "key": "uploads/sample-1080p.mp4"])
    run.expectFailed(error: "VideoProcessingFailed")
    #expect(run.history.events.contains { $0.type == "TaskTimedOut" })
  }

  @Test("5. A reviewer approves a borderline video")
  func humanReview() async throws {
    let world = MediaWorld.sample()
    world.sqs.setResponder(
      nil, forQueue: "https://sqs.us-east-1.amazonaws.com/123456789012/video-workflow-review")
    var options = ExecutionOptions()
    options.handlers = world.handlers
    options.waitsForCallbacks = true
    let execution = try StateMachine(contentsOf: definition)
      .start(
        input: ["bucket": .string(uploads), "key": "uploads/interview-360p.mp4"], options: options)
    var tokens = 0
    for await token in execution.taskTokens {
      #expect(token.stateName == "RequestHumanReview")
      try await execution.sendTaskSuccess(taskToken: token, output: ["approved": true])
      tokens += 1
    }
    let result = await execution.result()
    #expect(tokens == 1)
    #expect(result.output?["status"] == "PUBLISHED")
  }

  @Test("6. The transcoder fails four times and the failure is reported")
  func mockedFailure() async throws {
    let mocks = try MockConfiguration(
      contentsOf: Self.packageRoot.appendingPathComponent(
        "StateMachines/examples/video-workflow-orchestration.mocks.json"))
    let world = MediaWorld.sample()
    let run = try await WorkflowTest(definitionURL: definition)
      .handlers { $0.merge(world.handlers) }
      .mocking(testCase: "TranscodeFails", in: mocks)
      .run(input: ["bucket": .string(uploads), "key": "uploads/sample-1080p.mp4"])
    run.expectFailed(error: "VideoProcessingFailed")
    #expect(run.mockInvocations.map(\.invocationIndex) == [0, 1, 2, 3])
    #expect(run.uncoveredMockInvocations.isEmpty)
  }

  @Test("7. A borderline score from a stand-in quality check goes to human review")
  func oneStateFromCode() async throws {
    let world = MediaWorld.sample()
    let run = try await WorkflowTest(definitionURL: definition)
      .handlers { $0.merge(world.handlers) }
      .handling(
        state: "CheckQuality",
        with: ScriptedHandler(
          .returning([
            "Payload": [
              "score": 0.65, "threshold": 0.8, "passed": false, "checkedOutputs": [],
            ]
          ]))
      )
      .run(input: ["bucket": .string(uploads), "key": "uploads/sample-1080p.mp4"])
    run.expectSucceeded()
    run.expectEntered("RequestHumanReview", times: 1)
    // ValidateVideo, on the same lambda:invoke integration, still ran in the world.
    #expect(
      run.path.steps.first { $0.name == "ValidateVideo" }?.output?["validation"]?["valid"] == true)
  }

  @Test("7. The same state mocked from code with Step Functions Local's counting rules")
  func oneStateFromCodeAsAMock() async throws {
    let world = MediaWorld.sample()
    let score: JSON = [
      "Payload": ["score": 0.65, "threshold": 0.8, "passed": false, "checkedOutputs": []]
    ]
    let run = try await WorkflowTest(definitionURL: definition)
      .handlers { $0.merge(world.handlers) }
      .mocking(
        MockTestCase(
          name: "Borderline",
          mocks: [
            .init(
              stateName: "CheckQuality",
              response: MockedResponse(
                name: "Score", entries: [.init(invocations: 0...0, outcome: .return(score))]))
          ])
      )
      .run(input: ["bucket": .string(uploads), "key": "uploads/sample-1080p.mp4"])
    run.expectSucceeded()
    run.expectEntered("RequestHumanReview", times: 1)
    #expect(
      run.mockInvocations.map(\.description) == [
        "CheckQuality #0 → Score: Return \(score.serialized())"
      ])
  }

  @Test("8. Standing in for TranscodeVideo alone leaves the quality check with nothing to check")
  func standInBreaksTheNextService() async throws {
    let world = MediaWorld.sample()
    let run = try await WorkflowTest(definitionURL: definition)
      .handlers { $0.merge(world.handlers) }
      .handling(
        state: "TranscodeVideo",
        with: ScriptedHandler(
          .returning(["Job": ["Id": "job-1", "Status": "COMPLETE", "OutputGroupDetails": []]]))
      )
      .run(input: ["bucket": .string(uploads), "key": "uploads/sample-1080p.mp4"])
    run.expectFailed(error: "VideoProcessingFailed")
    let caught = run.path.steps.first { $0.name == "RecordJobFailed" }?.input["error"]
    #expect(caught?["Error"] == "QualityCheckError")
    #expect(
      caught?["Cause"]?.stringValue?.contains("There are no transcoded outputs to check.") == true)
  }

  @Test("8. A throttled MediaConvert, then a 40-minute job whose renditions pass the quality check")
  func scriptedMediaConvert() async throws {
    let world = MediaWorld.sample()
    world.mediaConvert.scriptJobs([
      .rejected(error: "MediaConvert.TooManyRequestsException", message: "Too many requests"),
      .complete(afterSeconds: 2400),
    ])
    let run = try await WorkflowTest(definitionURL: definition)
      .handlers { $0.merge(world.handlers) }
      .run(input: ["bucket": .string(uploads), "key": "uploads/sample-1080p.mp4"])
    run.expectSucceeded()
    run.expectOutput(matching: ["status": "PUBLISHED"])
    #expect(world.mediaConvert.jobs.count == 1)
  }

  @Test("9. Record and check calls")
  func recordCalls() async throws {
    let world = MediaWorld.sample()
    let notifications = RecordingHandler(returning: ["MessageId": "m-1"])
    let run = await WorkflowTest(try StateMachine(contentsOf: definition))
      .handlers {
        $0.merge(world.handlers)
        $0.register(notifications, forIntegration: "sns:publish")
      }
      .run(input: ["bucket": .string(uploads), "key": "uploads/sample-1080p.mp4"])
    run.expectSucceeded()
    notifications.expectCalled(withParametersMatching: ["Subject": "Video published"])
  }
}
