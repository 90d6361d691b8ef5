import MediaTasks
import StepFunctions
import Testing

@Suite("ECS and Batch containers")
struct ContainerTests {
  func world() throws -> MediaWorld {
    let world = MediaWorld()
    try world.s3.putVideo(
      location("s3://in/clip.mp4"),
      MediaMetadata(
        durationSeconds: 40, width: 960, height: 540, bitrate: 2_000_000, damagedSeconds: [25]))
    return world
  }

  func ecs(_ environment: [String: String], definition: String = "proc:3") -> JSON {
    let variables = environment.keys.sorted().map {
      JSON.object(["Name": .string($0), "Value": .string(environment[$0] ?? "")])
    }
    return [
      "Cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/media",
      "TaskDefinition": .string(definition),
      "LaunchType": "FARGATE",
      "Overrides": ["ContainerOverrides": [["Name": "worker", "Environment": .array(variables)]]],
    ]
  }

  @Test("runTask.sync waits for the container and returns the stopped task with exit code 0")
  func ecsSync() async throws {
    let world = try world()
    world.containers.setBehavior(
      ContainerBehavior(work: .transcode, fixedSeconds: 30, secondsPerMediaSecond: 0.5), for: "proc"
    )
    let result = try await call(
      "arn:aws:states:::ecs:runTask.sync",
      ecs(["INPUT_URI": "s3://in/clip.mp4", "OUTPUT_URI": "s3://out/"]), world: world)
    #expect(result.status == .succeeded)
    #expect(result.output?["LastStatus"] == "STOPPED")
    #expect(result.output?["Containers"]?[0]?["ExitCode"] == 0)
    #expect(
      result.output?["TaskDefinitionArn"]
        == "arn:aws:ecs:us-east-1:123456789012:task-definition/proc:3")
    #expect(elapsedSeconds(result) == 50)
    #expect(world.s3.object(uri: "s3://out/clip.mp4")?.media?.damagedSeconds == [])
    #expect(world.containers.runs.map(\.definition) == ["proc"])
  }

  @Test("runTask (request-response) returns the task as it starts, without waiting")
  func ecsRequestResponse() async throws {
    let world = try world()
    let result = try await call("arn:aws:states:::ecs:runTask", ecs([:]), world: world)
    #expect(result.output?["Tasks"]?[0]?["LastStatus"] == "PROVISIONING")
    #expect(result.output?["Failures"] == [])
    #expect(elapsedSeconds(result) == 0)
  }

  @Test(
    "A non-zero exit code fails runTask.sync with States.TaskFailed and the task description as cause"
  )
  func ecsFailure() async throws {
    let world = try world()
    world.containers.setBehavior(ContainerBehavior(exitCode: 2), for: "proc")
    let result = try await call("arn:aws:states:::ecs:runTask.sync", ecs([:]), world: world)
    #expect(result.error == "States.TaskFailed")
    let cause = try JSON(parsing: result.cause ?? "")
    #expect(cause["Containers"]?[0]?["ExitCode"] == 2)
    #expect(cause["StopCode"] == "EssentialContainerExited")
  }

  @Test("A missing input makes the container exit 1 with the reason")
  func missingInput() async throws {
    let world = try world()
    let result = try await call(
      "arn:aws:states:::ecs:runTask.sync",
      ecs(["INPUT_URI": "s3://in/none.mp4", "OUTPUT_URI": "s3://out/"]), world: world)
    let cause = try JSON(parsing: result.cause ?? "")
    #expect(cause["Containers"]?[0]?["ExitCode"] == 1)
    #expect(cause["Containers"]?[0]?["Reason"] == "input not found: s3://in/none.mp4")
  }

  @Test("Transient failures are retried with backoff until the container succeeds")
  func transientRetried() async throws {
    let world = try world()
    world.containers.setBehavior(
      ContainerBehavior(work: .none, fixedSeconds: 10, failuresBeforeSuccess: 2), for: "proc")
    let retry: JSON = [
      [
        "ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 5, "MaxAttempts": 3,
        "BackoffRate": 2,
      ]
    ]
    let result = try await call(
      "arn:aws:states:::ecs:runTask.sync", ecs([:]), world: world, extra: ["Retry": retry])
    #expect(result.status == .succeeded)
    #expect(world.containers.runs.map(\.exitCode) == [137, 137, 0])
    #expect(elapsedSeconds(result) == 10 + 5 + 10 + 10 + 10)
  }

  @Test(
    "runTask.waitForTaskToken: the container reports its result through the token when it stops")
  func ecsCallback() async throws {
    let world = try world()
    world.containers.setBehavior(
      ContainerBehavior(work: .probe, fixedSeconds: 20, secondsPerMediaSecond: 0), for: "probe")
    let result = try await call(
      "arn:aws:states:::ecs:runTask.waitForTaskToken",
      ecs(["INPUT_URI": "s3://in/clip.mp4"], definition: "probe").filteringNulls(), world: world)
    #expect(result.status == .succeeded)
    #expect(result.output?["metadata"]?["width"] == 960)
    #expect(result.output?["status"] == "SUCCEEDED")
    #expect(elapsedSeconds(result) == 20)
    let failed = try await call(
      "arn:aws:states:::ecs:runTask.waitForTaskToken",
      ecs(["INPUT_URI": "s3://in/none.mp4"], definition: "probe"),
      world: world)
    #expect(failed.error == "ContainerError")
    #expect(failed.cause == "input not found: s3://in/none.mp4")
  }

  @Test("submitJob.sync splits a video into chunks, keeping damaged frames with their chunk")
  func batchSplit() async throws {
    let world = try world()
    world.containers.setBehavior(
      ContainerBehavior(work: .split, fixedSeconds: 60, secondsPerMediaSecond: 1), for: "extract")
    let result = try await call(
      "arn:aws:states:::batch:submitJob.sync",
      [
        "JobName": "extract", "JobQueue": "cpu", "JobDefinition": "extract",
        "Parameters": ["inputUri": "s3://in/clip.mp4"],
        "ContainerOverrides": [
          "Environment": [
            ["Name": "OUTPUT_URI", "Value": "s3://frames/c/"],
            ["Name": "CHUNK_SECONDS", "Value": "15"],
          ]
        ],
      ], world: world)
    #expect(result.status == .succeeded)
    #expect(result.output?["Status"] == "SUCCEEDED")
    #expect(result.output?["JobQueue"] == "arn:aws:batch:us-east-1:123456789012:job-queue/cpu")
    #expect(elapsedSeconds(result) == 100)
    let chunks = world.s3.objects(inBucket: "frames")
    #expect(chunks.map(\.key) == ["c/chunk-00000.mp4", "c/chunk-00001.mp4", "c/chunk-00002.mp4"])
    #expect(chunks.map { $0.media?.durationSeconds } == [15, 15, 10])
    #expect(chunks.map { $0.media?.damagedSeconds } == [[], [10], []])
  }

  @Test(
    "Upscaling multiplies the resolution, fails on damaged frames, and concatenation joins the parts"
  )
  func upscaleAndJoin() async throws {
    let world = MediaWorld()
    try world.s3.putVideo(
      location("s3://f/in/a.mp4"),
      MediaMetadata(durationSeconds: 10, width: 960, height: 540, bitrate: 1_000_000))
    try world.s3.putVideo(
      location("s3://f/in/b.mp4"),
      MediaMetadata(
        durationSeconds: 5, width: 960, height: 540, bitrate: 1_000_000, damagedSeconds: [1]))
    world.containers.setBehavior(ContainerBehavior(work: .upscale), for: "model")
    world.containers.setBehavior(ContainerBehavior(work: .concatenate), for: "join")
    func submit(_ definition: String, _ input: String, _ output: String) async throws
      -> ExecutionResult
    {
      try await call(
        "arn:aws:states:::batch:submitJob.sync",
        [
          "JobName": "j", "JobQueue": "gpu", "JobDefinition": .string(definition),
          "Parameters": [
            "inputUri": .string(input), "outputUri": .string(output), "scaleFactor": "3",
          ],
        ], world: world)
    }
    #expect(try await submit("model", "s3://f/in/a.mp4", "s3://f/up/").status == .succeeded)
    let damaged = try await submit("model", "s3://f/in/b.mp4", "s3://f/up/")
    #expect(damaged.error == "States.TaskFailed")
    #expect(try JSON(parsing: damaged.cause ?? "")["Status"] == "FAILED")
    #expect(world.s3.object(uri: "s3://f/up/a.mp4")?.media?.height == 1620)
    #expect(try await submit("join", "s3://f/up/", "s3://f/final.mp4").status == .succeeded)
    #expect(world.s3.object(uri: "s3://f/final.mp4")?.media?.durationSeconds == 10)
  }

  @Test("submitJob without a job queue is refused with Batch.ClientException")
  func batchValidation() async throws {
    let result = try await call(
      "arn:aws:states:::batch:submitJob", ["JobName": "j", "JobDefinition": "d"],
      world: MediaWorld())
    #expect(result.error == "Batch.ClientException")
  }
}

extension InMemoryS3 {
  /// Shorthand for tests.
  @discardableResult
  func putVideo(_ location: S3Location, _ media: MediaMetadata) throws -> S3Object {
    try putVideo(location, media: media)
  }
}

@Suite("Out-of-range values from a definition or input fail the task instead of the process")
struct RobustnessTests {
  @Test(
    "Container parameters out of range make the container exit 1",
    arguments: [
      ("split", "CHUNK_SECONDS", "nan"), ("split", "CHUNK_SECONDS", "0.001"),
      ("upscale", "SCALE_FACTOR", "1000000000"),
    ])
  func containerParameters(work: String, variable: String, value: String) async throws {
    let world = MediaWorld()
    try world.s3.putVideo(
      location("s3://in/a.mp4"),
      MediaMetadata(durationSeconds: 600, width: 640, height: 360, bitrate: 1_000_000))
    world.containers.setBehavior(
      ContainerBehavior(work: work == "split" ? .split : .upscale), for: "job")
    let result = try await call(
      "arn:aws:states:::batch:submitJob.sync",
      [
        "JobName": "j", "JobQueue": "q", "JobDefinition": "job",
        "Parameters": [
          "INPUT_URI": "s3://in/a.mp4", "OUTPUT_URI": "s3://out/",
          .init(stringLiteral: variable): .string(value),
        ],
      ], world: world)
    #expect(result.error == "States.TaskFailed")
    #expect(world.containers.runs.first?.exitCode == 1)
  }

  @Test(
    "Absurd video settings are a MediaConvert.BadRequestException", arguments: ["Width", "Height"])
  func absurdSettings(field: String) async throws {
    let world = MediaWorld()
    try world.s3.putVideo(
      location("s3://in/a.mp4"),
      MediaMetadata(durationSeconds: 6, width: 640, height: 360, bitrate: 1_000_000))
    let settings: JSON = [
      "Inputs": [["FileInput": "s3://in/a.mp4"]],
      "OutputGroups": [
        [
          "OutputGroupSettings": [
            "Type": "FILE_GROUP_SETTINGS", "FileGroupSettings": ["Destination": "s3://out/"],
          ],
          "Outputs": [
            ["VideoDescription": [.init(stringLiteral: field): 9_223_372_036_854_775_807]]
          ],
        ]
      ],
    ]
    let result = try await call(
      "arn:aws:states:::mediaconvert:createJob",
      ["Role": "arn:aws:iam::123456789012:role/R", "Settings": settings], world: world)
    #expect(result.error == "MediaConvert.BadRequestException")
  }
}
