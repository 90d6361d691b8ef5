import MediaTasks
import StepFunctions
import Testing

@Suite("Quality check")
struct QualityCheckTests {
  let source = MediaMetadata(durationSeconds: 100, width: 1920, height: 1080, bitrate: 8_000_000)

  @Test("A rendition no taller than its source, with enough bits and no drift, scores 1")
  func perfect() {
    let score = QualityChecker().score(
      uri: "s3://o/a.mp4",
      rendition: MediaMetadata(durationSeconds: 100, width: 1280, height: 720, bitrate: 3_000_000),
      source: source)
    #expect(score.score == 1)
  }

  @Test(
    "Each property lowers the score on its own",
    arguments: [
      (
        MediaMetadata(durationSeconds: 100, width: 1280, height: 720, bitrate: 3_000_000), 360,
        100.0, 0.707
      ),
      (
        MediaMetadata(durationSeconds: 100, width: 1280, height: 720, bitrate: 691_200), 1080,
        100.0, 0.5
      ),
      (
        MediaMetadata(durationSeconds: 98, width: 1280, height: 720, bitrate: 3_000_000), 1080,
        100.0, 0.8
      ),
      (
        MediaMetadata(durationSeconds: 80, width: 1280, height: 720, bitrate: 3_000_000), 1080,
        100.0, 0.0
      ),
    ])
  func parts(rendition: MediaMetadata, sourceHeight: Int, sourceDuration: Double, expected: Double)
  {
    let source = MediaMetadata(
      durationSeconds: sourceDuration, width: sourceHeight * 16 / 9, height: sourceHeight,
      bitrate: 5_000_000)
    let score = QualityChecker().score(uri: "s3://o/a", rendition: rendition, source: source)
    #expect(abs(score.score - expected) < 0.001)
  }

  func world() throws -> MediaWorld {
    let world = MediaWorld()
    world.registerStandardFunctions()
    try world.s3.putVideo(
      location("s3://in/src.mp4"),
      media: MediaMetadata(durationSeconds: 100, width: 640, height: 360, bitrate: 1_000_000))
    try world.s3.putVideo(
      location("s3://out/a_720p.mp4"),
      media: MediaMetadata(durationSeconds: 100, width: 1280, height: 720, bitrate: 3_000_000))
    try world.s3.putVideo(
      location("s3://out/a_360p.mp4"),
      media: MediaMetadata(durationSeconds: 100, width: 640, height: 360, bitrate: 1_000_000))
    return world
  }

  @Test(
    "lambda:invoke returns the optimized integration's envelope with the worst rendition's score")
  func invokeEnvelope() async throws {
    let world = try world()
    let result = try await call(
      "arn:aws:states:::lambda:invoke",
      [
        "FunctionName":
          "arn:aws:lambda:us-east-1:123456789012:function:video-workflow-quality-check",
        "Payload": ["sourceUri": "s3://in/src.mp4", "outputPrefix": "s3://out/"],
      ], world: world)
    #expect(result.status == .succeeded)
    #expect(result.output?["StatusCode"] == 200)
    #expect(result.output?["ExecutedVersion"] == "$LATEST")
    #expect(result.output?["SdkHttpMetadata"]?["HttpStatusCode"] == 200)
    let payload = try #require(result.output?["Payload"])
    #expect(payload["score"] == 0.707)
    #expect(payload["passed"] == false)
    #expect(payload["threshold"] == 0.8)
    #expect(payload["checkedOutputs"]?.arrayValue?.count == 2)
  }

  @Test("The threshold in the event or the world decides whether the score passes")
  func threshold() async throws {
    let world = try world()
    let event: JSON = [
      "sourceUri": "s3://in/src.mp4", "outputs": ["s3://out/a_720p.mp4"], "threshold": 0.7,
    ]
    let lenient = try await call(
      "arn:aws:states:::lambda:invoke",
      ["FunctionName": "video-workflow-quality-check", "Payload": event], world: world)
    #expect(lenient.output?["Payload"]?["passed"] == true)
    world.qualityChecker = QualityChecker(threshold: 0.75)
    let strict = try await call(
      "arn:aws:states:::lambda:invoke",
      [
        "FunctionName": "video-workflow-quality-check",
        "Payload": ["sourceUri": "s3://in/src.mp4", "outputs": ["s3://out/a_720p.mp4"]],
      ],
      world: world)
    #expect(strict.output?["Payload"]?["passed"] == false)
  }

  @Test("A Lambda function ARN as the Resource returns the payload itself")
  func directArn() async throws {
    let world = try world()
    let result = try await call(
      "arn:aws:lambda:us-east-1:123456789012:function:video-workflow-quality-check",
      ["sourceUri": "s3://in/src.mp4", "outputs": ["s3://out/a_360p.mp4"]], world: world)
    #expect(result.output?["score"] == 1.0)
    #expect(result.output?["StatusCode"] == nil)
    #expect(count("LambdaFunctionSucceeded", in: result) == 1)
  }

  @Test("A missing rendition raises QualityCheckError with a Lambda error document as cause")
  func missingRendition() async throws {
    let world = try world()
    let result = try await call(
      "arn:aws:states:::lambda:invoke",
      [
        "FunctionName": "video-workflow-quality-check",
        "Payload": ["sourceUri": "s3://in/src.mp4", "outputs": ["s3://out/none.mp4"]],
      ],
      world: world)
    #expect(result.error == "QualityCheckError")
    let cause = try JSON(parsing: result.cause ?? "")
    #expect(cause["errorType"] == "QualityCheckError")
    #expect(cause["errorMessage"]?.stringValue?.contains("s3://out/none.mp4") == true)
  }

  @Test("An unknown function fails with Lambda.ResourceNotFoundException")
  func unknownFunction() async throws {
    let world = try world()
    let result = try await call(
      "arn:aws:states:::lambda:invoke", ["FunctionName": "nope", "Payload": [:]], world: world)
    #expect(result.error == "Lambda.ResourceNotFoundException")
  }

  @Test("Injected Lambda failures come first and are retried; every invocation is logged")
  func injectedFailures() async throws {
    let world = try world()
    world.lambda.failNext(
      "video-workflow-quality-check", count: 2, error: "Lambda.TooManyRequestsException",
      cause: "Rate exceeded")
    let retry: JSON = [
      [
        "ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 2, "MaxAttempts": 3,
        "BackoffRate": 2,
      ]
    ]
    let result = try await call(
      "arn:aws:states:::lambda:invoke",
      [
        "FunctionName": "video-workflow-quality-check",
        "Payload": ["sourceUri": "s3://in/src.mp4", "outputPrefix": "s3://out/"],
      ],
      world: world, extra: ["Retry": retry])
    #expect(result.status == .succeeded)
    #expect(count("TaskFailed", in: result) == 2)
    #expect(elapsedSeconds(result) == 6)
    #expect(world.lambda.invocations.count == 3)
  }

  @Test("The validation function accepts videos and explains what it refuses")
  func validation() async throws {
    let world = try world()
    try world.s3.putText(location("s3://in/notes.txt"), body: "hello")
    try world.s3.putText(location("s3://in/fake.mp4"), body: "not a video")
    func validate(_ key: String) async throws -> JSON? {
      try await call(
        "arn:aws:lambda:us-east-1:123456789012:function:video-workflow-validate-input",
        ["bucket": "in", "key": .string(key)],
        world: world
      ).output
    }
    #expect(try await validate("src.mp4")?["valid"] == true)
    #expect(try await validate("src.mp4")?["height"] == 360)
    #expect(try await validate("notes.txt")?["valid"] == false)
    #expect(try await validate("fake.mp4")?["reason"] == "The file is not a video stream.")
  }
}
