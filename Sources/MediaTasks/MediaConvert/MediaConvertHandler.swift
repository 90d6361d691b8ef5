import StepFunctions

/// The MediaConvert optimized integration: `arn:aws:states:::mediaconvert:createJob` returns the
/// job as submitted (`Status: SUBMITTED`); `createJob.sync` waits for the job (spending virtual
/// time in proportion to the input's duration) and returns it `COMPLETE`, or fails with
/// `States.TaskFailed` (cause: the job document) when it ends in `ERROR`.
/// The SDK integration `arn:aws:states:::aws-sdk:mediaconvert:getJob` returns a job as it
/// stands now.
public struct MediaConvertHandler: TaskHandler {
  /// The simulator it submits to.
  public let mediaConvert: MediaConvertSimulator

  /// Creates a handler over `mediaConvert`.
  public init(mediaConvert: MediaConvertSimulator) { self.mediaConvert = mediaConvert }

  /// Submits (and for `.sync`, runs) the job, or looks one up for `getJob`.
  public func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    if case .sdkIntegration(_, "getJob") = request.resource.kind {
      guard let id = request.parameters["Id"]?.stringValue, let job = mediaConvert.job(id: id)
      else {
        throw TaskFailure(
          error: "MediaConvert.NotFoundException",
          cause:
            "The specified job was not found. (Service: AWSMediaConvert; Status Code: 404; Error Code: NotFoundException; Request ID: in-memory; Proxy: null)"
        )
      }
      return job.document(at: context.now)
    }
    let job = try mediaConvert.createJob(request.parameters, now: context.now)
    guard request.resource.pattern == .sync else { return job.document(at: context.now) }
    let seconds = Arithmetic.seconds(from: context.now, to: job.finishedAt)
    try await context.sleep(seconds: seconds)
    let document = job.document(at: job.finishedAt)
    if job.errorCode != nil {
      throw TaskFailure(
        error: StatesError.Names.taskFailed, cause: (document["Job"] ?? document).serialized())
    }
    return document
  }
}
