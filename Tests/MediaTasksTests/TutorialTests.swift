import Foundation
import MediaTasks
import StepFunctions
import StepFunctionsTesting
import Testing

/// The code of Docs/TestingAVideoWorkflow.md, run as tests so the tutorial stays true.
@Suite("The 'Testing a video workflow' tutorial")
struct TutorialTests {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  let definition = TutorialTests.packageRoot.appendingPathComponent(
    "StateMachines/video-workflow-orchestration.asl.json")
  let uploads = "video-workflow-source-123456789012"

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

  @Test("6. A mocked transcoder failure is reported")
  func mockedFailure() async throws {
    let mocks = try MockConfiguration(
      json: """
        {"StateMachines": {"VideoWorkflowOrchestration": {"TestCases": {
          "TranscodeFails": {"TranscodeVideo": "MediaConvertDown"}}}},
         "MockedResponses": {"MediaConvertDown": {
          "0-2": {"Throw": {"Error": "MediaConvert.InternalServerErrorException", "Cause": "down"}},
          "3": {"Throw": {"Error": "MediaConvert.InternalServerErrorException", "Cause": "still down"}}}}}
        """, fileName: "MockConfigFile.json")
    let world = MediaWorld.sample()
    let run = try await WorkflowTest(definitionURL: definition)
      .handlers { $0.merge(world.handlers) }
      .mocking(testCase: "TranscodeFails", in: mocks)
      .run(input: ["bucket": .string(uploads), "key": "uploads/sample-1080p.mp4"])
    run.expectFailed(error: "VideoProcessingFailed")
    #expect(run.uncoveredMockInvocations.isEmpty)
  }

  @Test("7. Record and check calls")
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
