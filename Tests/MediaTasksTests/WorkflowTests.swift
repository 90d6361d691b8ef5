import Foundation
import MediaTasks
import StepFunctions
import StepFunctionsTesting
import Testing

let source = "video-workflow-source-123456789012"

@Suite("video-workflow-orchestration")
struct VideoWorkflowOrchestrationTests {
  let jobs = "video-workflow-jobs"
  let notifications = topicArn("video-workflow-notifications")

  func run(_ key: String, world: MediaWorld) async throws -> ExecutionResult {
    try await runWorkflow(
      "video-workflow-orchestration", input: ["bucket": .string(source), "key": .string(key)],
      options: options(world))
  }

  func record(_ world: MediaWorld) -> JSON? {
    world.dynamoDB.item(inTable: jobs, key: ["JobId": ["S": "test-execution"]])
  }

  @Test("A good upload is transcoded, passes the quality check and is published")
  func happyPath() async throws {
    let world = MediaWorld.sample()
    let result = try await run("uploads/sample-1080p.mp4", world: world)
    #expect(result.status == .succeeded)
    #expect(result.output?["status"] == "PUBLISHED")
    #expect(result.output?["qualityScore"] == 1.0)
    #expect(elapsedSeconds(result) == 155)
    #expect(record(world)?["JobStatus"] == ["S": "PUBLISHED"])
    #expect(record(world)?["QualityScore"] == ["N": "1.0"])
    #expect(world.sns.messages(topicArn: notifications).map(\.subject) == ["Video published"])
    let outputs = world.s3.objects(
      inBucket: "video-workflow-output-123456789012", prefix: "test-execution/"
    ).map(\.key)
    #expect(outputs.contains("test-execution/hls/sample-1080p.m3u8"))
    #expect(outputs.contains("test-execution/mp4/sample-1080p_720p.mp4"))
    #expect(outputs.filter { $0.hasPrefix("test-execution/thumbnails/") }.count == 10)
  }

  @Test("Throttled validation calls are retried with backoff")
  func lambdaRetried() async throws {
    let world = MediaWorld.sample()
    world.lambda.failNext(
      MediaWorld.FunctionName.validateInput, count: 2, error: "Lambda.TooManyRequestsException")
    let result = try await run("uploads/sample-1080p.mp4", world: world)
    #expect(result.status == .succeeded)
    #expect(count("TaskFailed", in: result) == 2)
    #expect(elapsedSeconds(result) == 155 + 2 + 4)
  }

  @Test("A throttled MediaConvert is retried after 10 and 20 seconds")
  func transcodeRetried() async throws {
    let world = MediaWorld.sample()
    world.mediaConvert.behavior.failure = .rejectRequests(
      error: "MediaConvert.TooManyRequestsException", message: "Too many requests", count: 2)
    let result = try await run("uploads/sample-1080p.mp4", world: world)
    #expect(result.status == .succeeded)
    #expect(elapsedSeconds(result) == 155 + 30)
  }

  @Test("Validation failures beyond the retries are caught, recorded and notified")
  func lambdaExhausted() async throws {
    let world = MediaWorld.sample()
    world.lambda.failNext(
      MediaWorld.FunctionName.validateInput, count: 4, error: "Lambda.ServiceException")
    let result = try await run("uploads/sample-1080p.mp4", world: world)
    #expect(result.status == .failed)
    #expect(result.error == "VideoProcessingFailed")
    #expect(record(world)?["ErrorName"] == ["S": "Lambda.ServiceException"])
    #expect(
      world.sns.messages(topicArn: notifications).last?.json["error"]?["Error"]
        == "Lambda.ServiceException")
  }

  @Test(
    "A transcode that ends in ERROR is caught: the job is marked FAILED and a failure notification goes out"
  )
  func transcodeFails() async throws {
    let world = MediaWorld.sample()
    let result = try await run("uploads/corrupt-upload.mp4", world: world)
    #expect(result.status == .failed)
    #expect(
      statesEntered(result).suffix(3) == ["RecordJobFailed", "NotifyFailure", "ProcessingFailed"])
    #expect(record(world)?["JobStatus"] == ["S": "FAILED"])
    #expect(record(world)?["ErrorName"] == ["S": "States.TaskFailed"])
    #expect(world.sns.messages(topicArn: notifications).last?.subject == "Video processing failed")
  }

  @Test("A missing upload is caught at the S3 check")
  func missingUpload() async throws {
    let world = MediaWorld.sample()
    let result = try await run("uploads/absent.mp4", world: world)
    #expect(result.error == "VideoProcessingFailed")
    #expect(record(world)?["ErrorName"] == ["S": "S3.NoSuchKeyException"])
  }

  @Test("A file that is not a video is recorded INVALID and the execution fails with InvalidVideo")
  func notAVideo() async throws {
    let world = MediaWorld.sample()
    let result = try await run("uploads/meeting-notes.txt", world: world)
    #expect(result.error == "InvalidVideo")
    #expect(record(world)?["JobStatus"] == ["S": "INVALID"])
  }

  @Test("A transcode slower than the two-hour limit times out and is caught")
  func transcodeTimesOut() async throws {
    let world = MediaWorld.sample()
    world.mediaConvert.behavior.secondsPerMediaSecond = 30
    let result = try await run("uploads/sample-1080p.mp4", world: world)
    #expect(result.status == .failed)
    #expect(count("TaskTimedOut", in: result) == 1)
    #expect(elapsedSeconds(result) == 7200)
    #expect(record(world)?["ErrorName"] == ["S": "States.Timeout"])
  }

  @Test("A low-quality upload is archived and recorded REJECTED")
  func rejected() async throws {
    let world = MediaWorld.sample()
    let result = try await run("uploads/webcam-240p.mp4", world: world)
    #expect(result.output?["status"] == "REJECTED")
    #expect(result.output?["qualityScore"] == 0.577)
    #expect(
      world.s3.object(
        uri:
          "s3://video-workflow-archive-123456789012/rejected/test-execution/uploads/webcam-240p.mp4"
      ) != nil)
    #expect(record(world)?["JobStatus"] == ["S": "REJECTED"])
  }

  @Test("A borderline score goes to human review; the sample reviewer approves two hours later")
  func scheduledReview() async throws {
    let world = MediaWorld.sample()
    let result = try await run("uploads/interview-360p.mp4", world: world)
    #expect(result.output?["status"] == "PUBLISHED")
    #expect(result.output?["qualityScore"] == 0.707)
    #expect(elapsedSeconds(result) == 95 + 7200)
    let request = try #require(
      world.sqs.messages(queueUrl: queueUrl("video-workflow-review")).first)
    #expect(request.json["score"] == 0.707)
  }

  @Test(
    "A reviewer answering from outside decides: approve publishes, refuse or ReviewRejected archives",
    arguments: [("approve", "PUBLISHED"), ("refuse", "REJECTED"), ("fail", "REJECTED")])
  func externalReview(answer: String, expected: String) async throws {
    let world = MediaWorld.sample()
    world.sqs.setResponder(nil, forQueue: queueUrl("video-workflow-review"))
    var options = options(world)
    options.waitsForCallbacks = true
    let execution = try workflow("video-workflow-orchestration").start(
      input: ["bucket": .string(source), "key": "uploads/interview-360p.mp4"], options: options)
    let message = await world.sqs.message(at: 0, inQueue: queueUrl("video-workflow-review"))
    let token = try #require(message.json["taskToken"]?.stringValue)
    #expect(token == message.taskToken)
    switch answer {
    case "approve":
      try await execution.sendTaskSuccess(taskToken: token, output: ["approved": true])
    case "refuse":
      try await execution.sendTaskSuccess(taskToken: token, output: ["approved": false])
    default:
      try await execution.sendTaskFailure(
        taskToken: token, error: "ReviewRejected", cause: "Audio out of sync")
    }
    let result = await execution.result()
    CoverageCollector.current?.record(
      result, of: try workflow("video-workflow-orchestration"), as: "video-workflow-orchestration")
    #expect(result.status == .succeeded)
    #expect(result.output?["status"] == .string(expected))
  }
}

@Suite("media-ingest-pipeline")
struct MediaIngestPipelineTests {
  let assets = "MediaAssets-prod"
  let dlq = queueUrl("media-processing-dlq-prod")

  func run(_ example: String, world: MediaWorld) async throws -> ExecutionResult {
    try await runWorkflow(
      "media-ingest-pipeline", input: exampleInput(example), options: options(world))
  }

  func asset(_ world: MediaWorld, _ key: String) -> JSON? {
    world.dynamoDB.items(inTable: assets).first { $0["sourceKey"] == ["S": .string(key)] }
  }

  @Test(
    "An upload is claimed, transcoded to HLS, DASH and MP4, tracked by callback and recorded COMPLETE"
  )
  func happyPath() async throws {
    let world = MediaWorld.sample()
    let result = try await run("media-ingest-pipeline.input.json", world: world)
    #expect(result.status == .succeeded)
    #expect(result.output?["status"] == "COMPLETE")
    #expect(result.output?["outputs"]?.arrayValue?.count == 7)
    #expect(elapsedSeconds(result) == 455)
    #expect(count("TaskSubmitted", in: result) + count("TaskStarted", in: result) >= 1)
    let record = try #require(asset(world, "incoming/lecture-720p.mp4"))
    #expect(record["status"] == ["S": "COMPLETE"])
    #expect(record["jobId"] == .object(["S": result.output?["jobId"] ?? .null]))
    #expect(world.mediaConvert.jobs.first?.outputs.map(\.groupType).contains(.dash) == true)
  }

  @Test("A duplicate event fails the conditional write and is ignored without a new job")
  func duplicate() async throws {
    let world = MediaWorld.sample()
    let result = try await run("media-ingest-pipeline.duplicate-event.input.json", world: world)
    #expect(result.output?["status"] == "DUPLICATE")
    #expect(world.mediaConvert.jobs.isEmpty)
    let replay = MediaWorld.sample()
    _ = try await run("media-ingest-pipeline.input.json", world: replay)
    let second = try await run("media-ingest-pipeline.input.json", world: replay)
    #expect(second.output?["status"] == "DUPLICATE")
    #expect(replay.mediaConvert.jobs.count == 1)
  }

  @Test("Throttled job submissions are retried with exponential backoff")
  func retried() async throws {
    let world = MediaWorld.sample()
    world.mediaConvert.behavior.failure = .rejectRequests(
      error: "MediaConvert.TooManyRequestsException", message: "Too many requests", count: 2)
    let result = try await run("media-ingest-pipeline.input.json", world: world)
    #expect(result.status == .succeeded)
    #expect(elapsedSeconds(result) == 455 + 5 + 10)
  }

  @Test("A rejected job request is recorded FAILED and sent to the dead-letter queue")
  func badRequestToDLQ() async throws {
    let world = MediaWorld.sample()
    world.mediaConvert.behavior.failure = .rejectRequests(
      error: "MediaConvert.BadRequestException", message: "/settings: invalid", count: nil)
    let result = try await run("media-ingest-pipeline.input.json", world: world)
    #expect(result.error == "MediaIngestFailed")
    let message = try #require(world.sqs.messages(queueUrl: dlq).first)
    #expect(message.json["error"]?["Error"] == "MediaConvert.BadRequestException")
    #expect(message.json["failedState"] == "SendToDeadLetterQueue")
    #expect(asset(world, "incoming/lecture-720p.mp4")?["status"] == ["S": "FAILED"])
  }

  @Test("A job that fails is reported by the status processor's callback and dead-lettered")
  func jobFailsByCallback() async throws {
    let world = MediaWorld.sample()
    let result = try await run("media-ingest-pipeline.corrupt-upload-fail.input.json", world: world)
    #expect(result.status == .failed)
    let message = try #require(world.sqs.messages(queueUrl: dlq).first)
    #expect(message.json["error"]?["Error"] == "MediaConvert.JobFailed")
    #expect(message.attributes?["errorName"]?["StringValue"] == "MediaConvert.JobFailed")
  }

  @Test("A transcode slower than two hours times out while waiting for the callback")
  func timeout() async throws {
    let world = MediaWorld.sample()
    world.mediaConvert.behavior.secondsPerMediaSecond = 10
    let result = try await run("media-ingest-pipeline.input.json", world: world)
    #expect(result.status == .failed)
    #expect(elapsedSeconds(result) == 7200)
    #expect(world.sqs.messages(queueUrl: dlq).first?.json["error"]?["Error"] == "States.Timeout")
  }
}

@Suite("video-super-resolution")
struct VideoSuperResolutionTests {
  let notifications = topicArn("vsr-notifications")

  func run(_ example: String, world: MediaWorld) async throws -> ExecutionResult {
    try await runWorkflow(
      "video-super-resolution", input: exampleInput(example), options: options(world))
  }

  @Test(
    "Frames are extracted, every chunk is upscaled and the video is recomposed at twice the resolution"
  )
  func happyPath() async throws {
    let world = MediaWorld.sample()
    let result = try await run("video-super-resolution.input.json", world: world)
    #expect(result.status == .succeeded)
    #expect(result.output?["chunksRecomposed"] == 12)
    // The chunks were listed from S3 and upscaled two per child workflow.
    let run = try #require(result.mapRuns.first)
    #expect(run.itemCounts.total == 12)
    #expect(run.executionCounts.total == 6)
    #expect(run.executionCounts.succeeded == 6)
    // The ResultWriter exported the six children's results next to the chunks.
    let manifestKey = try #require(result.output?["upscaleResults"]?.stringValue)
    #expect(manifestKey.hasPrefix("test-execution/upscale-results/"))
    #expect(manifestKey.hasSuffix("/manifest.json"))
    let manifest = try #require(
      world.s3.object(uri: "s3://vsr-processed-frames-123456789012/" + manifestKey))
    let files = try JSONParser.parse(manifest.body)
    #expect(files["ResultFiles"]?["SUCCEEDED"]?.arrayValue?.count == 1)
    #expect(result.output?["height"] == 1080)
    #expect(world.containers.runs.filter { $0.definition == "vsr-upscale-model" }.count == 12)
    #expect(
      world.s3.object(uri: "s3://vsr-final-videos-123456789012/test-execution/input/clip-540p.mp4")?
        .media?.width == 1920)
    #expect(
      world.sns.messages(topicArn: notifications).first?.subject == "Super-resolution video ready")
    // 90 s extraction; four child workflows of two 105-second upscales, then two more; 120 s
    // recomposition.
    let expected: Double = 90 + 210 + 120
    #expect(elapsedSeconds(result) == expected)
  }

  @Test(
    "A batch with one damaged chunk is within the tolerated 20 % of child workflows; that chunk is left out"
  )
  func toleratedFailure() async throws {
    let world = MediaWorld.sample()
    let result = try await run("video-super-resolution.tolerated-damage.input.json", world: world)
    #expect(result.status == .succeeded)
    #expect(result.output?["chunksRecomposed"] == 11)
    #expect(result.output?["durationSeconds"] == 110.0)
  }

  @Test("Three damaged chunks exceed the tolerated failures: caught and notified")
  func tooManyFailures() async throws {
    let world = MediaWorld.sample()
    let result = try await run("video-super-resolution.badly-damaged-fail.input.json", world: world)
    #expect(result.error == "SuperResolutionFailed")
    let message = try #require(world.sns.messages(topicArn: notifications).first)
    #expect(message.json["error"]?["Error"] == "States.ExceedToleratedFailureThreshold")
  }

  @Test("An upscale interrupted once is retried and the video completes")
  func spotInterruptionRetried() async throws {
    let world = MediaWorld.sample()
    var behavior = world.containers.behavior(for: "vsr-upscale-model")
    behavior.failuresBeforeSuccess = 1
    world.containers.setBehavior(behavior, for: "vsr-upscale-model")
    let result = try await run("video-super-resolution.input.json", world: world)
    #expect(result.status == .succeeded)
    #expect(world.containers.runs.filter { $0.exitCode == 137 }.count == 1)
    #expect(result.output?["chunksRecomposed"] == 12)
  }

  @Test("A recomposition slower than its hour times out and is caught")
  func recomposeTimesOut() async throws {
    let world = MediaWorld.sample()
    var behavior = world.containers.behavior(for: "vsr-recompose-video")
    behavior.secondsPerMediaSecond = 40
    world.containers.setBehavior(behavior, for: "vsr-recompose-video")
    let result = try await run("video-super-resolution.input.json", world: world)
    #expect(result.error == "SuperResolutionFailed")
    #expect(
      world.sns.messages(topicArn: notifications).first?.json["error"]?["Error"] == "States.Timeout"
    )
    let expected: Double = 90 + 210 + 3600
    #expect(elapsedSeconds(result) == expected)
  }

  @Test("The recompose container's callback failure is caught")
  func recomposeCallbackFails() async throws {
    let world = MediaWorld.sample()
    var behavior = world.containers.behavior(for: "vsr-recompose-video")
    behavior.exitCode = 1
    world.containers.setBehavior(behavior, for: "vsr-recompose-video")
    let result = try await run("video-super-resolution.input.json", world: world)
    #expect(result.status == .failed)
    #expect(
      world.sns.messages(topicArn: notifications).first?.json["error"]?["Error"]
        == "RecomposeFailed")
  }
}

@Suite("ecs-video-processing")
struct ECSVideoProcessingTests {
  let completion = topicArn("video-processing-completion-prod")
  let errors = topicArn("video-processing-error-prod")

  func run(_ example: String = "ecs-video-processing.input.json", world: MediaWorld) async throws
    -> ExecutionResult
  {
    try await runWorkflow(
      "ecs-video-processing", input: exampleInput(example), options: options(world))
  }

  @Test(
    "The source is probed through a task token, processed to completion and the success is notified"
  )
  func happyPath() async throws {
    let world = MediaWorld.sample()
    let result = try await run(world: world)
    #expect(result.status == .succeeded)
    #expect(result.output?["metadata"]?["durationSeconds"] == 1440.0)
    let expected: Double = 34.4 + 750
    #expect(elapsedSeconds(result) == expected)
    #expect(world.sns.messages(topicArn: completion).count == 1)
    #expect(world.sns.messages(topicArn: errors).isEmpty)
    #expect(
      world.s3.object(uri: "s3://streamtech-video-output-123456789012/processed/episode-01.mp4")
        != nil)
  }

  @Test("Two failed runs are retried after 10 and 20 seconds")
  func retried() async throws {
    let world = MediaWorld.sample()
    var behavior = world.containers.behavior(for: "video-processing-task-prod")
    behavior.failuresBeforeSuccess = 2
    world.containers.setBehavior(behavior, for: "video-processing-task-prod")
    let result = try await run(world: world)
    #expect(result.status == .succeeded)
    #expect(
      world.containers.runs.filter { $0.definition == "video-processing-task-prod" }.map(\.exitCode)
        == [137, 137, 0])
    let expected: Double = 34.4 + 30 + 10 + 30 + 20 + 750
    #expect(elapsedSeconds(result) == expected)
  }

  @Test("Capacity errors launching the probe are retried after 10 and 20 seconds")
  func launchRetried() async throws {
    let world = MediaWorld.sample()
    world.containers.rejectNextLaunches(
      2, error: "ECS.AmazonECSException", cause: "No Container Instances were found")
    let result = try await run(world: world)
    #expect(result.status == .succeeded)
    #expect(count("TaskFailed", in: result) == 2)
    let expected: Double = 10 + 20 + 34.4 + 750
    #expect(elapsedSeconds(result) == expected)
  }

  @Test(
    "After three retries the error is caught, notified on the error topic and the execution fails")
  func retriesExhausted() async throws {
    let world = MediaWorld.sample()
    var behavior = world.containers.behavior(for: "video-processing-task-prod")
    behavior.failuresBeforeSuccess = 4
    world.containers.setBehavior(behavior, for: "video-processing-task-prod")
    let result = try await run(world: world)
    #expect(result.error == "VideoProcessingFailed")
    #expect(
      world.containers.runs.filter { $0.definition == "video-processing-task-prod" }.count == 4)
    #expect(
      world.sns.messages(topicArn: errors).first?.json["error"]?["Error"] == "States.TaskFailed")
    #expect(world.sns.messages(topicArn: completion).isEmpty)
  }

  @Test("Processing longer than 30 minutes times the execution out")
  func executionTimeout() async throws {
    let world = MediaWorld.sample()
    var behavior = world.containers.behavior(for: "video-processing-task-prod")
    behavior.secondsPerMediaSecond = 2
    world.containers.setBehavior(behavior, for: "video-processing-task-prod")
    let result = try await run(world: world)
    #expect(result.status == .timedOut)
    #expect(result.error == "States.Timeout")
    #expect(elapsedSeconds(result) == 1800)
    #expect(world.sns.messages(topicArn: completion).isEmpty)
  }

  @Test("A probe that reports failure through the token is caught")
  func probeFails() async throws {
    let world = MediaWorld.sample()
    let result = try await run("ecs-video-processing.missing-source-fail.input.json", world: world)
    #expect(result.error == "VideoProcessingFailed")
    #expect(
      world.sns.messages(topicArn: errors).first?.json["error"]?["Error"] == "VideoProbeFailed")
  }
}

@Suite("stream-ingest-processing")
struct StreamIngestProcessingTests {
  let table = "video-metadata-dev"
  let dlq = queueUrl("video-processing-dlq-dev")

  func run(_ example: String = "stream-ingest-processing.input.json", world: MediaWorld)
    async throws -> ExecutionResult
  {
    try await runWorkflow(
      "stream-ingest-processing", input: exampleInput(example), options: options(world))
  }

  @Test(
    "Every record is decoded, processed by the container (reporting by callback) and its metadata written"
  )
  func happyPath() async throws {
    let world = MediaWorld.sample()
    let result = try await run(world: world)
    #expect(result.output?["status"] == "PROCESSED")
    let items = world.dynamoDB.items(inTable: table)
    // Written as the containers finish: the 42-second video first, the 310-second one last.
    #expect(
      items.compactMap { $0["videoId"]?["S"]?.stringValue } == ["vid-1002", "vid-1001", "vid-1003"])
    #expect(items.last?["height"] == ["N": "2160"])
    #expect(
      world.dynamoDB.item(inTable: table, key: ["videoId": ["S": "vid-1001"]])?["durationSeconds"]
        == ["N": "95.0"])
    let expected: Double = 20 + 0.25 * 310
    #expect(elapsedSeconds(result) == expected)
    #expect(world.sqs.messages(queueUrl: dlq).isEmpty)
  }

  @Test("A failing record goes to the dead-letter queue while the others are processed")
  func partialFailure() async throws {
    let world = MediaWorld.sample()
    let result = try await run(
      "stream-ingest-processing.one-record-dead-lettered.input.json", world: world)
    #expect(result.output?["status"] == "PARTIALLY_PROCESSED")
    #expect(result.output?["failedVideoIds"] == ["vid-9999"])
    let message = try #require(world.sqs.messages(queueUrl: dlq).first)
    #expect(message.json["video"]?["videoId"] == "vid-9999")
    #expect(message.json["error"]?["Error"] == "VideoProcessingFailed")
  }

  @Test("A replayed batch finds the metadata already written and reports duplicates")
  func replay() async throws {
    let world = MediaWorld.sample()
    _ = try await run(world: world)
    let again = try await run(world: world)
    #expect(
      again.output?["results"]?.arrayValue?.compactMap { $0["status"]?.stringValue } == [
        "DUPLICATE", "DUPLICATE", "DUPLICATE",
      ])
    #expect(world.dynamoDB.items(inTable: table).count == 3)
  }

  @Test("Launch errors are retried with backoff")
  func launchRetried() async throws {
    let world = MediaWorld.sample()
    world.containers.rejectNextLaunches(
      2, error: "ECS.AmazonECSException", cause: "No Container Instances were found")
    let result = try await run(world: world)
    #expect(result.output?["status"] == "PROCESSED")
    #expect(count("TaskFailed", in: result) == 2)
  }

  @Test(
    "A processor that does not answer within 15 minutes times out and the record is dead-lettered")
  func timeout() async throws {
    let world = MediaWorld.sample()
    var behavior = world.containers.behavior(for: "stream-video-processor-dev")
    behavior.secondsPerMediaSecond = 10
    world.containers.setBehavior(behavior, for: "stream-video-processor-dev")
    let result = try await run(world: world)
    #expect(result.output?["status"] == "PARTIALLY_PROCESSED")
    #expect(result.output?["failedVideoIds"] == ["vid-1001", "vid-1003"])
    #expect(
      world.sqs.messages(queueUrl: dlq).map { $0.json["error"]?["Error"] } == [
        "States.Timeout", "States.Timeout",
      ])
  }

  @Test("A batch in which every record fails fails the execution")
  func allFail() async throws {
    let world = MediaWorld.sample()
    let result = try await run("stream-ingest-processing.all-records-fail.input.json", world: world)
    #expect(result.error == "AllRecordsFailed")
    #expect(world.sqs.messages(queueUrl: dlq).count == 2)
  }
}

/// The example inputs in `StateMachines/examples`, as `(workflow, file)`.
func exampleFiles() -> [String] {
  let folder = stateMachinesFolder.appendingPathComponent("examples")
  let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
  return names.filter { $0.hasSuffix(".input.json") }.sorted()
}

@Suite("Example inputs")
struct ExampleInputTests {
  @Test("There are example inputs for every workflow")
  func everyWorkflowHasExamples() throws {
    let all = try FileManager.default.contentsOfDirectory(atPath: stateMachinesFolder.path)
      .filter { $0.hasSuffix(".asl.json") }.map { String($0.dropLast(".asl.json".count)) }.sorted()
    // `<name>.jsonata` is `<name>` written in JSONata and shares its examples.
    let workflows = all.filter { !$0.hasSuffix(".jsonata") }
    #expect(workflows.count == 6)
    for name in all where name.hasSuffix(".jsonata") {
      #expect(workflows.contains(String(name.dropLast(".jsonata".count))), "\(name)")
    }
    for name in workflows {
      #expect(exampleFiles().contains("\(name).input.json"), "no example input for \(name)")
    }
  }

  @Test(
    "Each example runs on the default handlers and ends as its name says", arguments: exampleFiles()
  )
  func runs(file: String) async throws {
    let name = String(file.prefix { $0 != "." })
    let machine = try workflow(name)
    var options = ExecutionOptions()
    options.handlers = MediaTasks.defaultHandlers
    // Any shipped workflow can be started as a child execution (`sfn run --machine`).
    for other in try FileManager.default.contentsOfDirectory(atPath: stateMachinesFolder.path)
    where other.hasSuffix(".asl.json") {
      let otherName = String(other.dropLast(".asl.json".count))
      options.stateMachines.register(try workflow(otherName), name: otherName)
    }
    let result = await run(machine, as: name, input: try exampleInput(file), options: options)
    let expected: ExecutionStatus = file.contains("fail") ? .failed : .succeeded
    #expect(result.status == expected, "\(file): \(result.error ?? "") \(result.cause ?? "")")
  }
}

@Suite("media-ingest-backfill")
struct MediaIngestBackfillTests {
  let notifications = topicArn("media-backfill-notifications")
  let reports = "media-backfill-reports-123456789012"

  func run(_ example: String, world: MediaWorld) async throws -> ExecutionResult {
    var options = options(world)
    options.stateMachines.register(
      try workflow("media-ingest-pipeline"), name: "media-ingest-pipeline")
    return try await runWorkflow(
      "media-ingest-backfill", input: exampleInput(example), options: options)
  }

  @Test(
    "Every upload in the inventory is re-ingested by a child execution; the corrupt one is within the tolerated 10 %"
  )
  func backfill() async throws {
    let world = MediaWorld.sample()
    let result = try await run("media-ingest-backfill.input.json", world: world)
    #expect(result.status == .succeeded, "\(result.error ?? "") \(result.cause ?? "")")
    #expect(result.output?["status"] == "COMPLETE")
    // The inventory lists the ten uploads; each ran media-ingest-pipeline to its end.
    let run = try #require(result.mapRuns.first)
    #expect(run.itemCounts.total == 10)
    #expect(run.executionCounts.succeeded == 9)
    #expect(run.executionCounts.failed == 1)
    // Nine assets are recorded COMPLETE (eight new, one already ingested before), the corrupt
    // upload is dead-lettered.
    let complete = world.dynamoDB.items(inTable: "MediaAssets-prod").filter {
      $0["status"] == ["S": "COMPLETE"]
    }
    #expect(complete.count == 9)
    #expect(
      world.sqs.messages(
        queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/media-processing-dlq-prod"
      ).count == 1)
    // The per-upload results are in the reports bucket, listed by the manifest.
    let manifestKey = try #require(result.output?["resultsManifest"]?.stringValue)
    let manifest = try #require(world.s3.object(uri: "s3://\(reports)/\(manifestKey)"))
    let files = try JSONParser.parse(manifest.body)
    #expect(files["ResultFiles"]?["SUCCEEDED"]?.arrayValue?.count == 1)
    #expect(files["ResultFiles"]?["FAILED"]?.arrayValue?.count == 1)
    #expect(
      world.sns.messages(topicArn: notifications).map(\.subject) == ["Media backfill complete"])
  }

  @Test("With no failure tolerated, the corrupt upload fails the backfill: caught and notified")
  func strict() async throws {
    let world = MediaWorld.sample()
    let result = try await run("media-ingest-backfill.strict-fail.input.json", world: world)
    #expect(result.status == .failed)
    #expect(result.error == "MediaBackfillFailed")
    let message = try #require(world.sns.messages(topicArn: notifications).first)
    #expect(message.subject == "Media backfill failed")
    #expect(message.json["error"]?["Error"] == "States.ExceedToleratedFailureThreshold")
  }

  @Test("Without media-ingest-pipeline registered, every child fails and the backfill is caught")
  func pipelineMissing() async throws {
    let world = MediaWorld.sample()
    let result = try await runWorkflow(
      "media-ingest-backfill", input: exampleInput("media-ingest-backfill.input.json"),
      options: options(world))
    #expect(result.error == "MediaBackfillFailed")
    #expect(result.mapRuns.first?.executionCounts.failed ?? 0 >= 2)
  }
}
