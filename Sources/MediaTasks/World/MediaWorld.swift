import StepFunctions

/// A self-contained, in-memory AWS for video workflows: S3, MediaConvert, Lambda functions
/// (including a quality check), SNS, SQS, DynamoDB, and ECS/Batch containers. Handlers
/// registered from a world read and change its state, and tests look at the same state
/// afterwards (what was written to S3, which messages were published, which items exist).
///
/// Everything is deterministic: identifiers come from the world's seed, time from the
/// execution's clock.
///
/// The services read each other's state as the real ones do: the quality-check function scores
/// the renditions MediaConvert wrote for a job, conditional DynamoDB writes see earlier items.
/// So a handler replaced by a stand-in leaves the services after it with nothing to read; to
/// script one service while the others stay simulated, script it inside the world (for
/// MediaConvert, ``MediaConvertSimulator/scriptJobs(_:)``). A world also keeps what every
/// execution did: use a new one per test.
///
/// ```swift
/// let world = MediaWorld.sample()
/// var options = ExecutionOptions()
/// options.handlers = world.handlers
/// let result = await machine.run(input: input, options: options)
/// let published = world.sns.messages(topicArn: "arn:aws:sns:us-east-1:123456789012:video-workflow-notifications")
/// ```
public final class MediaWorld: Sendable {
  /// The region in ARNs the services build.
  public let region: String
  /// The account in ARNs the services build.
  public let account: String
  /// Objects and buckets.
  public let s3: InMemoryS3
  /// Transcode jobs.
  public let mediaConvert: MediaConvertSimulator
  /// Lambda functions by name.
  public let lambda: LambdaFunctions
  /// SNS topics and what was published to them.
  public let sns: SNSTopics
  /// SQS queues and what was sent to them.
  public let sqs: SQSQueues
  /// DynamoDB tables.
  public let dynamoDB: DynamoDBTables
  /// ECS tasks and Batch jobs.
  public let containers: ContainerRunner
  let identifiers: IdentifierSource
  private let checker: LockedValue<QualityChecker>

  /// Creates an empty world: no buckets, topics, queues, tables or functions (the built-in
  /// functions can be added with ``registerStandardFunctions()``).
  public init(seed: UInt64 = 0, region: String = "us-east-1", account: String = "123456789012") {
    self.region = region
    self.account = account
    identifiers = IdentifierSource(seed: seed)
    s3 = InMemoryS3(identifiers: identifiers)
    mediaConvert = MediaConvertSimulator(
      s3: s3, identifiers: identifiers, region: region, account: account)
    lambda = LambdaFunctions()
    sns = SNSTopics(identifiers: identifiers)
    sqs = SQSQueues(identifiers: identifiers)
    dynamoDB = DynamoDBTables()
    containers = ContainerRunner(s3: s3, identifiers: identifiers)
    checker = LockedValue(QualityChecker())
  }

  /// The quality checker the quality-check function uses (threshold 0.8 by default).
  public var qualityChecker: QualityChecker {
    get { checker.value }
    set { checker.value = newValue }
  }

  /// The handlers for every integration the world simulates:
  ///
  /// - `aws-sdk:s3:putObject`, `getObject`, `copyObject`, `headObject`, `deleteObject`,
  ///   `listObjectsV2`, and `s3:getObject`, `s3:putObject`, `s3:listObjectsV2` (the resources of
  ///   a distributed Map's `ItemReader` and `ResultWriter`), over ``s3`` and the folders mapped
  ///   onto its buckets;
  /// - `mediaconvert:createJob` (request-response and `.sync`), `aws-sdk:mediaconvert:getJob`;
  /// - `lambda:invoke` (and `.waitForTaskToken`) and every Lambda function ARN;
  /// - `sns:publish`, `sqs:sendMessage` (and their `.waitForTaskToken` forms);
  /// - `dynamodb:putItem`, `getItem`, `updateItem`, `deleteItem`;
  /// - `ecs:runTask` and `batch:submitJob` (request-response, `.sync`, `.waitForTaskToken`).
  public var handlers: TaskHandlerRegistry {
    var registry = TaskHandlerRegistry()
    let s3Handler = S3Handler(s3: s3)
    for action in S3Handler.actions {
      registry.register(s3Handler, forIntegration: "aws-sdk:s3:\(action)")
    }
    // The optimized forms a distributed Map's ItemReader and ResultWriter call.
    for action in ["getObject", "putObject", "listObjectsV2"] {
      registry.register(s3Handler, forIntegration: "s3:\(action)")
    }
    let transcoder = MediaConvertHandler(mediaConvert: mediaConvert)
    registry.register(transcoder, forIntegration: "mediaconvert:createJob")
    registry.register(transcoder, forIntegration: "aws-sdk:mediaconvert:getJob")
    registry.register(
      LambdaInvokeHandler(functions: lambda, identifiers: identifiers),
      forIntegration: "lambda:invoke")
    registry.registerLambdaFunctions(LambdaFunctionHandler(functions: lambda))
    registry.register(SNSPublishHandler(topics: sns), forIntegration: "sns:publish")
    registry.register(SQSSendMessageHandler(queues: sqs), forIntegration: "sqs:sendMessage")
    let tables = DynamoDBHandler(tables: dynamoDB, identifiers: identifiers)
    for action in ["putItem", "getItem", "updateItem", "deleteItem"] {
      registry.register(tables, forIntegration: "dynamodb:\(action)")
    }
    registry.register(
      ECSRunTaskHandler(runner: containers, region: region, account: account),
      forIntegration: "ecs:runTask")
    registry.register(
      BatchSubmitJobHandler(runner: containers, region: region, account: account),
      forIntegration: "batch:submitJob")
    return registry
  }

  /// The names of the built-in Lambda functions.
  public enum FunctionName {
    /// Checks that an uploaded file is a video the pipeline accepts. Event: `bucket`, `key`
    /// (or `uri`), optional `allowedExtensions`. Payload: `valid`, `reason` when not, and the
    /// video's `durationSeconds`, `width`, `height`, `bitrate`, `format`, `sizeBytes`.
    public static let validateInput = "video-workflow-validate-input"
    /// Scores a transcode's renditions (see ``QualityChecker``). Event: `jobId` and/or
    /// `sourceUri`, `outputs` or `outputPrefix`, optional `threshold`. Payload: `score`,
    /// `threshold`, `passed`, `checkedOutputs`.
    public static let qualityCheck = "video-workflow-quality-check"
    /// Tracks a MediaConvert job and answers the task token it is given when the job ends, the
    /// way an EventBridge-driven status processor does: `SendTaskSuccess` with `jobId`,
    /// `status`, `outputs` at completion, `SendTaskFailure` (`MediaConvert.JobFailed`) on error.
    /// Event: `jobId`, `taskToken`.
    public static let jobStatusProcessor = "job-status-processor-prod"
  }

  /// Adds the three built-in functions under their ``FunctionName`` names. The functions keep
  /// the world alive for as long as any handler registry built from it.
  public func registerStandardFunctions() {
    lambda.register(FunctionName.validateInput) { event, _ in try self.validateInputFunction(event)
    }
    lambda.register(FunctionName.qualityCheck) { event, _ in try self.qualityCheckFunction(event) }
    lambda.register(FunctionName.jobStatusProcessor) { event, invocation in
      try self.jobStatusFunction(event, invocation)
    }
  }

  func validateInputFunction(_ event: JSON) throws -> JSON {
    let location: S3Location
    if let uri = event["uri"]?.stringValue, let parsed = S3Location(uri: uri) {
      location = parsed
    } else if let bucket = event["bucket"]?.stringValue, let key = event["key"]?.stringValue {
      location = S3Location(bucket: bucket, key: key)
    } else {
      throw LambdaError(
        type: "InvalidRequestError", message: "The event needs bucket and key, or uri.")
    }
    let allowed =
      event["allowedExtensions"]?.arrayValue?.compactMap(\.stringValue) ?? [
        "mp4", "mov", "avi", "mkv",
      ]
    let format =
      location.fileName.contains(".")
      ? (location.fileName.split(separator: ".").last.map(String.init) ?? "") : ""
    func invalid(_ reason: String) -> JSON {
      ["valid": false, "reason": .string(reason), "uri": .string(location.uri)]
    }
    guard allowed.contains(format.lowercased()) else {
      return invalid("The extension '\(format)' is not one of \(allowed.joined(separator: ", ")).")
    }
    guard let object = s3.object(at: location) else {
      throw LambdaError(type: "VideoNotFoundError", message: "No object at \(location.uri).")
    }
    guard let media = object.media else { return invalid("The file is not a video stream.") }
    guard media.durationSeconds > 0, media.width > 0, media.height > 0 else {
      return invalid("The video has no frames.")
    }
    return [
      "valid": true, "uri": .string(location.uri), "format": .string(format.lowercased()),
      "sizeBytes": .number(JSONNumber(object.size)),
      "durationSeconds": .rounded(media.durationSeconds, places: 3),
      "width": .number(JSONNumber(media.width)), "height": .number(JSONNumber(media.height)),
      "bitrate": .number(JSONNumber(media.bitrate)),
    ]
  }

  func jobStatusFunction(_ event: JSON, _ invocation: LambdaInvocation) throws -> JSON {
    guard let id = event["jobId"]?.stringValue, let job = mediaConvert.job(id: id) else {
      throw LambdaError(
        type: "JobNotFoundError",
        message: "No MediaConvert job \(event["jobId"]?.textForm ?? "null").")
    }
    let now = invocation.context.now
    let delay = max(0, Arithmetic.seconds(from: now, to: job.finishedAt))
    if invocation.request.taskToken != nil || event["taskToken"] != nil {
      if job.errorCode == nil {
        let outputs = job.outputs.filter { $0.role != .thumbnail }.map {
          JSON.string($0.location.uri)
        }
        invocation.context.scheduleCallback(
          after: delay,
          .success([
            "jobId": .string(job.id), "status": "COMPLETE", "outputs": .array(outputs),
            "durationMs": .number(
              JSONNumber(Instant.milliseconds(seconds: job.inputMedia?.durationSeconds ?? 0))),
          ]))
      } else {
        invocation.context.scheduleCallback(
          after: delay,
          .failure(
            error: "MediaConvert.JobFailed",
            cause: "Job \(job.id) ended in ERROR \(job.errorCode ?? 0): \(job.errorMessage ?? "")"))
      }
    }
    return ["jobId": .string(job.id), "status": .string(job.status(at: now)), "tracking": true]
  }
}

/// A value behind a lock.
final class LockedValue<Value: Sendable>: @unchecked Sendable {
  private let lock = NSLockBox()
  private var stored: Value

  init(_ value: Value) { stored = value }

  var value: Value {
    get { lock.run { stored } }
    set { lock.run { stored = newValue } }
  }
}
