import MediaTasks
import StepFunctions
import StepFunctionsTesting
import Synchronization
import Testing

/// The world's services read what the others wrote; these tests pin down what happens when one
/// of them is replaced, and the ways to script one service while the others stay simulated.
@Suite("Scripting one simulated service")
struct ServiceCouplingTests {
  let input: JSON = [
    "bucket": "video-workflow-source-123456789012", "key": "uploads/sample-1080p.mp4",
  ]

  /// A `createJob.sync` answer that looks complete but that the world knows nothing about.
  static let detachedJob: JSON = [
    "Job": ["Id": "scripted-job-1", "Status": "COMPLETE", "OutputGroupDetails": []]
  ]

  @Test("Replacing MediaConvert's handler leaves the quality check with no job and no outputs")
  func replacedHandlerBreaksTheNextService() async throws {
    let world = MediaWorld.sample()
    let run = await WorkflowTest(try workflow("video-workflow-orchestration"))
      .handlers { $0.merge(world.handlers) }
      .handling("mediaconvert:createJob", with: ScriptedHandler(.returning(Self.detachedJob)))
      .run(input: input)
    run.expectFailed(error: "VideoProcessingFailed")
    run.expectPath([
      "RecordJobStarted", "CheckUpload", "ValidateVideo", "IsVideoValid", "TranscodeVideo",
      "CheckQuality", "RecordJobFailed", "NotifyFailure", "ProcessingFailed",
    ])
    let caught = run.path.steps.first { $0.name == "RecordJobFailed" }?.input["error"]
    #expect(caught?["Error"] == "QualityCheckError")
    #expect(caught?["Cause"]?.stringValue?.contains("There are no transcoded outputs") == true)
    #expect(world.mediaConvert.jobs.isEmpty)
  }

  @Test("A scripted MediaConvert keeps the world consistent: the quality check scores its outputs")
  func scriptedJobsKeepTheWorldConsistent() async throws {
    let world = MediaWorld.sample()
    world.mediaConvert.scriptJobs([
      .rejected(error: "MediaConvert.TooManyRequestsException", message: "Too many requests"),
      .complete(afterSeconds: 2400),
    ])
    let run = await WorkflowTest(try workflow("video-workflow-orchestration"))
      .handlers { $0.merge(world.handlers) }
      .run(input: input)
    run.expectSucceeded()
    run.expectOutput(matching: ["status": "PUBLISHED"])
    #expect(elapsedSeconds(run.result) == 10 + 2400)
    let job = try #require(world.mediaConvert.jobs.first)
    #expect(world.mediaConvert.jobs.count == 1)
    #expect(job.finishedAt == job.submittedAt.advanced(bySeconds: 2400))
    let checked = run.path.steps.first { $0.name == "CheckQuality" }?.output?["quality"]?[
      "checkedOutputs"]
    #expect(
      checked?.arrayValue?.compactMap { $0["uri"]?.stringValue }.sorted()
        == job.videoOutputURIs.sorted())
    #expect(!job.videoOutputURIs.isEmpty)
    for uri in job.videoOutputURIs { #expect(world.s3.object(uri: uri) != nil, "\(uri)") }
  }

  @Test("A scripted job error fails the transcode with the scripted code, after the scripted time")
  func scriptedJobError() async throws {
    let world = MediaWorld.sample()
    world.mediaConvert.scriptJobs([
      .error(code: 1517, message: "Insufficient capacity", afterSeconds: 90)
    ])
    let run = await WorkflowTest(try workflow("video-workflow-orchestration"))
      .handlers { $0.merge(world.handlers) }
      .run(input: input)
    run.expectFailed(error: "VideoProcessingFailed")
    #expect(elapsedSeconds(run.result) == 90)
    let job = try #require(world.mediaConvert.jobs.first)
    #expect(job.finalStatus == "ERROR")
    #expect(job.errorCode == 1517)
    #expect(job.outputs.isEmpty)
    let caught = run.path.steps.first { $0.name == "RecordJobFailed" }?.input["error"]
    #expect(caught?["Error"] == "States.TaskFailed")
    #expect(caught?["Cause"]?.stringValue?.contains("Insufficient capacity") == true)
  }

  @Test("After the script runs out jobs are simulated again; an empty script simulates every job")
  func scriptRunsOut() async throws {
    let world = MediaWorld.sample()
    world.mediaConvert.scriptJobs([.complete(afterSeconds: 60)])
    let test = WorkflowTest(try workflow("video-workflow-orchestration"))
      .handlers { $0.merge(world.handlers) }
      .options { $0.executionName = "first" }
    let first = await test.run(input: input)
    let second = await test.options { $0.executionName = "second" }.run(input: input)
    #expect(elapsedSeconds(first.result) == 60)
    #expect(elapsedSeconds(second.result) == 155)
    world.mediaConvert.scriptJobs([.complete(afterSeconds: 60)])
    world.mediaConvert.scriptJobs([])
    let third = await test.options { $0.executionName = "third" }.run(input: input)
    #expect(elapsedSeconds(third.result) == 155)
    #expect([first, second, third].map(\.status) == [.succeeded, .succeeded, .succeeded])
  }

  @Test("A hook decides each job from its request, numbered from the hook's start")
  func hookDecidesFromTheRequest() async throws {
    let world = MediaWorld.sample()
    let seen = RequestLog()
    world.mediaConvert.decideJobs { request in
      seen.append("\(request.index) \(request.inputURI ?? "none")")
      return request.inputURI?.hasSuffix("webcam-240p.mp4") == true
        ? .error(code: 1999, message: "Scripted", afterSeconds: 1) : .simulated
    }
    let test = WorkflowTest(try workflow("video-workflow-orchestration"))
      .handlers { $0.merge(world.handlers) }
    let good = await test.options { $0.executionName = "good" }.run(input: input)
    let webcam = await test.options { $0.executionName = "webcam" }
      .run(input: [
        "bucket": "video-workflow-source-123456789012", "key": "uploads/webcam-240p.mp4",
      ])
    good.expectSucceeded()
    webcam.expectFailed(error: "VideoProcessingFailed")
    #expect(
      seen.entries == [
        "0 s3://video-workflow-source-123456789012/uploads/sample-1080p.mp4",
        "1 s3://video-workflow-source-123456789012/uploads/webcam-240p.mp4",
      ])
    #expect(world.mediaConvert.jobs.map(\.finalStatus) == ["COMPLETE", "ERROR"])
  }

  @Test("A scripted completion cannot transcode a corrupt input: the job still ends in ERROR")
  func scriptedCompletionOfACorruptInput() async throws {
    let world = MediaWorld.sample()
    world.mediaConvert.scriptJobs([.complete(afterSeconds: 30)])
    let run = await WorkflowTest(try workflow("video-workflow-orchestration"))
      .handlers { $0.merge(world.handlers) }
      .run(input: [
        "bucket": "video-workflow-source-123456789012", "key": "uploads/corrupt-upload.mp4",
      ])
    run.expectFailed(error: "VideoProcessingFailed")
    #expect(world.mediaConvert.jobs.map(\.errorCode) == [1040])
    #expect(elapsedSeconds(run.result) == 30)
  }

  @Test("Scripted times that are negative, NaN or infinite never crash the clock")
  func scriptedTimesAreClamped() async throws {
    let world = MediaWorld.sample()
    world.mediaConvert.scriptJobs([
      .complete(afterSeconds: -5), .complete(afterSeconds: .nan),
      .complete(afterSeconds: .infinity),
    ])
    let test = WorkflowTest(try workflow("video-workflow-orchestration"))
      .handlers { $0.merge(world.handlers) }
    var elapsed: [Double] = []
    var errors: [String?] = []
    for name in ["negative", "nan", "infinite"] {
      let run = await test.options { $0.executionName = name }.run(input: input)
      elapsed.append(elapsedSeconds(run.result))
      errors.append(run.error)
    }
    // The third job would take ten years; TranscodeVideo's two-hour TimeoutSeconds ends it.
    #expect(elapsed == [0, 0, 7200])
    #expect(errors == [nil, nil, "VideoProcessingFailed"])
  }

  @Test("One state mocked from code, the consumer of its result mocked too, the rest simulated")
  func oneStateFromCode() async throws {
    let world = MediaWorld.sample()
    let run = await WorkflowTest(try workflow("video-workflow-orchestration"))
      .handlers { $0.merge(world.handlers) }
      .handling(state: "TranscodeVideo", with: ScriptedHandler(.returning(Self.detachedJob)))
      .handling(
        state: "CheckQuality",
        with: ScriptedHandler(
          .returning([
            "Payload": ["score": 0.65, "threshold": 0.8, "passed": false, "checkedOutputs": []]
          ]))
      )
      .run(input: input)
    run.expectSucceeded()
    run.expectOutput(matching: ["status": "PUBLISHED"])
    run.expectEntered("RequestHumanReview", times: 1)
    // ValidateVideo shares lambda:invoke with CheckQuality and still ran in the world.
    #expect(
      run.path.steps.first { $0.name == "ValidateVideo" }?.output?["validation"]?["valid"] == true)
    #expect(world.mediaConvert.jobs.isEmpty)
  }
}

/// A thread-safe list of strings a hook appends to.
final class RequestLog: Sendable {
  private let lines = Mutex<[String]>([])

  func append(_ line: String) { lines.withLock { $0.append(line) } }

  var entries: [String] { lines.withLock { $0 } }
}
