import Foundation
import StepFunctions

/// How the simulated MediaConvert behaves: how fast it transcodes and whether it fails.
public struct MediaConvertBehavior: Sendable, Hashable {
  /// A failure to inject.
  public enum Failure: Sendable, Hashable {
    /// `CreateJob` itself is rejected with this error (e.g. `MediaConvert.BadRequestException`,
    /// `MediaConvert.TooManyRequestsException`), `count` times (`nil`: always).
    case rejectRequests(error: String, message: String, count: Int?)
    /// Jobs are accepted but end in `ERROR` with this code and message, `count` times
    /// (`nil`: always).
    case failJobs(errorCode: Int, message: String, count: Int?)
  }

  /// Virtual seconds of transcoding per second of input (0.5: a 10-minute video takes 5
  /// minutes). Larger is slower.
  public var secondsPerMediaSecond: Double
  /// Virtual seconds a job waits in the queue before it starts.
  public var queueSeconds: Double
  /// The failure to inject, if any.
  public var failure: Failure?

  /// Creates a behavior (defaults: 0.5 seconds per media second, 5 seconds in the queue, no
  /// failure).
  public init(
    secondsPerMediaSecond: Double = 0.5, queueSeconds: Double = 5, failure: Failure? = nil
  ) {
    self.secondsPerMediaSecond = secondsPerMediaSecond
    self.queueSeconds = queueSeconds
    self.failure = failure
  }
}

/// What the simulated MediaConvert does with one `CreateJob` request, when a test scripts it with
/// ``MediaConvertSimulator/scriptJobs(_:)`` or ``MediaConvertSimulator/decideJobs(_:)``.
///
/// Whatever the outcome, the world stays consistent: an accepted job is kept (for
/// `aws-sdk:mediaconvert:getJob`, the quality-check and job-status functions), and a job that
/// completes writes its renditions, manifests and thumbnails to the in-memory S3 as a simulated
/// one does, so the services after it find them.
public enum MediaConvertJobOutcome: Sendable, Hashable {
  /// Simulate the job: ``MediaConvertBehavior``'s speed and injected failures, and the input's
  /// own problems (missing, not a video, corrupt).
  case simulated
  /// Accept the job and complete it `afterSeconds` (virtual) seconds after it is submitted,
  /// writing its outputs. An input that is missing, not a video or corrupt still ends the job in
  /// `ERROR`, as MediaConvert would: there is nothing to transcode.
  case complete(afterSeconds: Double)
  /// Accept the job and end it in `ERROR` with this code and message `afterSeconds` after it is
  /// submitted; nothing is written.
  case error(code: Int, message: String, afterSeconds: Double)
  /// Reject the `CreateJob` request itself with this error name (for example
  /// `MediaConvert.TooManyRequestsException`) and message; no job is created. A `Retry` on that
  /// error sends a new request, which takes the next outcome.
  case rejected(error: String, message: String)
}

/// A `CreateJob` request as a job-outcome hook (``MediaConvertSimulator/decideJobs(_:)``) sees it.
public struct MediaConvertJobRequest: Sendable {
  /// 0 for the first `CreateJob` request after the hook was set, then 1, 2... (retries
  /// included).
  public var index: Int
  /// The request's parameters (`Role`, `Settings`, `UserMetadata`...), as the Task sent them.
  public var parameters: JSON
  /// When the request arrived (virtual time).
  public var submittedAt: Instant

  /// The first input's `FileInput` URI, if the request has one.
  public var inputURI: String? {
    parameters["Settings"]?["Inputs"]?[0]?["FileInput"]?.stringValue
  }
}

/// A simulated AWS Elemental MediaConvert: validates `CreateJob` settings the way a user needs
/// (input present in the in-memory S3, output groups with `s3://` destinations and matching
/// containers), writes the outputs to S3 with their media metadata, and times each job in
/// proportion to the input's duration.
///
/// The services after it in a workflow read what it wrote: the quality-check function scores
/// the renditions of the job whose `jobId` it is given, the job-status function tracks the job,
/// `getJob` looks it up. So a test that replaces the `mediaconvert:createJob` handler with a
/// stand-in leaves them with no job and no outputs (`QualityCheckError: There are no transcoded
/// outputs to check.`). To script MediaConvert while the rest of the world stays simulated,
/// script the simulator instead of replacing its handler: ``scriptJobs(_:)`` (an outcome per
/// request, in order), ``decideJobs(_:)`` (an outcome computed from each request), or the
/// ``behavior`` knobs (speed, failure injection).
public final class MediaConvertSimulator: @unchecked Sendable {
  private let lock = NSLock()
  private var _behavior = MediaConvertBehavior()
  private var jobsById: [String: MediaConvertJob] = [:]
  private var jobOrder: [String] = []
  private var outcomeHook: (@Sendable (MediaConvertJobRequest) -> MediaConvertJobOutcome)?
  private var hookRequests = 0
  private let s3: InMemoryS3
  private let identifiers: IdentifierSource
  let region: String
  let account: String

  init(s3: InMemoryS3, identifiers: IdentifierSource, region: String, account: String) {
    self.s3 = s3
    self.identifiers = identifiers
    self.region = region
    self.account = account
  }

  /// Speed and failure injection.
  public var behavior: MediaConvertBehavior {
    get { lock.withLock { _behavior } }
    set { lock.withLock { _behavior = newValue } }
  }

  /// Every job submitted, oldest first.
  public var jobs: [MediaConvertJob] { lock.withLock { jobOrder.compactMap { jobsById[$0] } } }

  /// The job with this ID.
  public func job(id: String) -> MediaConvertJob? { lock.withLock { jobsById[id] } }

  /// Scripts the outcomes of the next `CreateJob` requests, in order: the first request gets
  /// `outcomes[0]`, the second `outcomes[1]`, and requests after the last are ``MediaConvertJobOutcome/simulated``.
  /// Replaces any earlier script or hook; an empty list goes back to simulating every job.
  ///
  /// ```swift
  /// world.mediaConvert.scriptJobs([
  ///   .rejected(error: "MediaConvert.TooManyRequestsException", message: "Too many requests"),
  ///   .complete(afterSeconds: 2400),   // the retry: done 40 minutes later, outputs in S3
  /// ])
  /// ```
  public func scriptJobs(_ outcomes: [MediaConvertJobOutcome]) {
    guard !outcomes.isEmpty else {
      decideJobs(nil)
      return
    }
    decideJobs { request in
      request.index < outcomes.count ? outcomes[request.index] : .simulated
    }
  }

  /// Lets `decide` choose the outcome of every `CreateJob` request from now on (numbered from 0
  /// in ``MediaConvertJobRequest/index``), for example from its input file. `nil` goes back to
  /// simulating every job. `decide` is called before the request is checked, once per request.
  public func decideJobs(
    _ decide: (@Sendable (MediaConvertJobRequest) -> MediaConvertJobOutcome)?
  ) {
    lock.withLock {
      outcomeHook = decide
      hookRequests = 0
    }
  }

  /// The scripted outcome of the request arriving now: ``MediaConvertJobOutcome/simulated`` when
  /// nothing is scripted.
  private func outcome(for parameters: JSON, now: Instant) -> MediaConvertJobOutcome {
    let next = lock.withLock {
      () -> (decide: @Sendable (MediaConvertJobRequest) -> MediaConvertJobOutcome, index: Int)? in
      guard let decide = outcomeHook else { return nil }
      hookRequests += 1
      return (decide, hookRequests - 1)
    }
    guard let next else { return .simulated }
    return next.decide(
      MediaConvertJobRequest(index: next.index, parameters: parameters, submittedAt: now))
  }

  /// Scripted seconds, made safe for the clock: negative or NaN is 0, at most ten years.
  private static func scriptedSeconds(_ seconds: Double) -> Double {
    seconds > 0 ? min(seconds, 10 * 365 * 24 * 3600) : 0
  }

  /// Takes one use of the injected failure when it is a rejection (`rejecting`) or a job failure.
  private func takeFailure(rejecting: Bool) -> MediaConvertBehavior.Failure? {
    lock.withLock {
      guard let failure = _behavior.failure else { return nil }
      switch failure {
      case .rejectRequests(let error, let message, let count):
        guard rejecting else { return nil }
        if let count {
          _behavior.failure =
            count > 1 ? .rejectRequests(error: error, message: message, count: count - 1) : nil
        }
      case .failJobs(let code, let message, let count):
        guard !rejecting else { return nil }
        if let count {
          _behavior.failure =
            count > 1 ? .failJobs(errorCode: code, message: message, count: count - 1) : nil
        }
      }
      return failure
    }
  }

  /// The most files the simulator writes for one job (renditions, manifests and frame
  /// captures): a job asking for more is a bad request rather than minutes of work.
  static let maximumFilesPerJob = 100_000

  /// An integer setting at `field` (`/settings/.../width`): `nil` when it is absent or `null`,
  /// a `BadRequestException` naming the field when it is not an integer in `range` (a JSON
  /// integer or a string of digits, as the simulator has always accepted).
  static func integerSetting(_ value: JSON?, field: String, in range: ClosedRange<Int>)
    throws(TaskFailure) -> Int?
  {
    guard let value, value != .null else { return nil }
    var integer: Int?
    switch value {
    case .number(let number) where number.isIntegral:
      integer = number.intValue ?? (number.doubleValue < 0 ? Int.min : Int.max)
    case .string(let text):
      integer = Int(text)
    default:
      integer = nil
    }
    guard let integer else { throw badRequest("\(field): Should be of type integer") }
    if integer < range.lowerBound {
      throw badRequest("\(field): Should be greater than or equal to \(range.lowerBound)")
    }
    if integer > range.upperBound {
      throw badRequest("\(field): Should be less than or equal to \(range.upperBound)")
    }
    return integer
  }

  static func badRequest(_ message: String) -> TaskFailure {
    TaskFailure(
      error: "MediaConvert.BadRequestException",
      cause:
        "\(message) (Service: AWSMediaConvert; Status Code: 400; Error Code: BadRequestException; Request ID: in-memory; Proxy: null)"
    )
  }

  /// Validates and submits a job (`CreateJob`); writes its outputs to S3.
  func createJob(_ request: JSON, now: Instant) throws(TaskFailure) -> MediaConvertJob {
    let outcome = outcome(for: request, now: now)
    let parameters = try Parameters(request, service: "MediaConvert")
    switch outcome {
    case .rejected(let error, let message):
      throw TaskFailure(error: error, cause: message)
    case .simulated:
      if case .rejectRequests(let error, let message, _)? = takeFailure(rejecting: true) {
        throw TaskFailure(error: error, cause: message)
      }
    case .complete, .error:
      break
    }
    guard let role = parameters.string("Role"), role.hasPrefix("arn:aws:iam::"),
      role.contains(":role/")
    else {
      throw Self.badRequest("/role: Role is required and must be an IAM role ARN")
    }
    guard case .object(let settings)? = parameters["Settings"] else {
      throw Self.badRequest(
        "/settings: Required (a job needs Settings, or a JobTemplate this simulator does not know)")
    }
    guard case .array(let inputs)? = settings["Inputs"], let firstInput = inputs.first else {
      throw Self.badRequest("/settings/inputs: Should have at least 1 items")
    }
    guard let fileInput = firstInput["FileInput"]?.stringValue else {
      throw Self.badRequest("/settings/inputs/0/fileInput: Required")
    }
    guard let input = S3Location(uri: fileInput), !input.isPrefix else {
      throw Self.badRequest(
        "/settings/inputs/0/fileInput: '\(fileInput)' is not an s3://bucket/key URI of a file")
    }
    guard case .array(let groups)? = settings["OutputGroups"], !groups.isEmpty else {
      throw Self.badRequest("/settings/outputGroups: Should have at least 1 items")
    }
    let source = s3.object(at: input)
    let inputMedia = source?.media
    var plans: [OutputGroupPlan] = []
    for (index, group) in groups.enumerated() {
      plans.append(try OutputGroupPlan(group, index: index, input: input, source: inputMedia))
    }
    if let inputMedia {
      var files = 0
      for plan in plans { files = files.addingSaturating(plan.fileCount(source: inputMedia)) }
      guard files <= Self.maximumFilesPerJob else {
        throw Self.badRequest(
          "/settings/outputGroups: the job would write \(files) files (renditions, manifests and frame captures); the simulator writes at most \(Self.maximumFilesPerJob) per job"
        )
      }
    }
    var behavior = self.behavior
    var errorCode: Int?
    var errorMessage: String?
    if case .error(let code, let message, _) = outcome {
      errorCode = code
      errorMessage = message
    } else if source == nil {
      errorCode = 1030
      errorMessage =
        "Failed probe/open: [Failed to open input file \(fileInput): HeadObject failed: Not Found]"
    } else if inputMedia == nil {
      errorCode = 1010
      errorMessage =
        "Unable to open input file [\(fileInput)]: [Failed probe/open: [No parser found for container format.]]"
    } else if inputMedia?.isCorrupt == true {
      errorCode = 1040
      errorMessage =
        "Demuxer: [ReadPacketData File read failed - end of file hit at length [\(source?.size ?? 0)]. Is file truncated?]"
    } else if case .simulated = outcome,
      case .failJobs(let code, let message, _)? = takeFailure(rejecting: false)
    {
      errorCode = code
      errorMessage = message
    }
    behavior.queueSeconds = max(0, behavior.queueSeconds)
    let startedAt: Instant
    let finishedAt: Instant
    switch outcome {
    case .complete(let seconds), .error(_, _, let seconds):
      let total = Self.scriptedSeconds(seconds)
      startedAt = now.advanced(bySeconds: min(behavior.queueSeconds, total))
      finishedAt = now.advanced(bySeconds: total)
    case .simulated, .rejected:
      let duration = inputMedia?.durationSeconds ?? 0
      startedAt = now.advanced(bySeconds: behavior.queueSeconds)
      let transcodeSeconds =
        errorCode == nil ? max(1, duration * max(0, behavior.secondsPerMediaSecond)) : 1
      finishedAt = startedAt.advanced(bySeconds: transcodeSeconds)
    }
    var outputs: [TranscodedOutput] = []
    if errorCode == nil, let inputMedia {
      for plan in plans {
        outputs += try plan.write(to: s3, source: inputMedia, at: finishedAt)
      }
    }
    let id = "\(now.millisecondsSinceEpoch)-\(identifiers.characters(6))"
    let queue =
      parameters.string("Queue").map { name in
        name.hasPrefix("arn:") ? name : "arn:aws:mediaconvert:\(region):\(account):queues/\(name)"
      } ?? "arn:aws:mediaconvert:\(region):\(account):queues/Default"
    let job = MediaConvertJob(
      id: id, arn: "arn:aws:mediaconvert:\(region):\(account):jobs/\(id)", queue: queue, role: role,
      settings: .object(settings),
      userMetadata: parameters["UserMetadata"] ?? .object(JSONObject()), input: input,
      inputMedia: inputMedia, outputs: outputs,
      outputGroupDetails: .array(plans.map { $0.details(source: inputMedia) }), submittedAt: now,
      startedAt: startedAt, finishedAt: finishedAt, errorCode: errorCode, errorMessage: errorMessage
    )
    lock.withLock {
      jobsById[id] = job
      jobOrder.append(id)
    }
    return job
  }
}

/// One output group of a job, checked and resolved to file names.
struct OutputGroupPlan {
  struct Output {
    var nameModifier: String
    var container: String
    var isFrameCapture: Bool
    var isAudioOnly: Bool
    var width: Int?
    var height: Int?
    var bitrate: Int?
    var frameRate: Double?
    var codec: String
    var maxCaptures: Int
    var captureRate: Double
  }

  var type: TranscodedOutput.GroupType
  var destination: S3Location
  var baseName: String
  var outputs: [Output]

  init(_ group: JSON, index: Int, input: S3Location, source: MediaMetadata?) throws(TaskFailure) {
    let path = "/settings/outputGroups/\(index)"
    guard let settings = group["OutputGroupSettings"]?.objectValue else {
      throw MediaConvertSimulator.badRequest("\(path)/outputGroupSettings: Required")
    }
    let typeName = settings["Type"]?.stringValue ?? ""
    guard let type = TranscodedOutput.GroupType(rawValue: typeName) else {
      throw MediaConvertSimulator.badRequest(
        "\(path)/outputGroupSettings/type: '\(typeName)' is not one of HLS_GROUP_SETTINGS, DASH_ISO_GROUP_SETTINGS, FILE_GROUP_SETTINGS, CMAF_GROUP_SETTINGS"
      )
    }
    let settingsKey: String
    switch type {
    case .hls: settingsKey = "HlsGroupSettings"
    case .dash: settingsKey = "DashIsoGroupSettings"
    case .file: settingsKey = "FileGroupSettings"
    case .cmaf: settingsKey = "CmafGroupSettings"
    }
    guard let destinationText = settings[settingsKey]?["Destination"]?.stringValue else {
      throw MediaConvertSimulator.badRequest(
        "\(path)/outputGroupSettings/\(settingsKey)/destination: Required")
    }
    guard let destination = S3Location(uri: destinationText) else {
      throw MediaConvertSimulator.badRequest(
        "\(path)/outputGroupSettings/\(settingsKey)/destination: '\(destinationText)' is not an s3:// URI"
      )
    }
    self.type = type
    if destination.isPrefix {
      self.destination = destination
      baseName = input.baseName
    } else {
      self.destination = S3Location(bucket: destination.bucket, key: destination.directory)
      baseName = destination.fileName
    }
    guard case .array(let outputList)? = group["Outputs"], !outputList.isEmpty else {
      throw MediaConvertSimulator.badRequest("\(path)/outputs: Should have at least 1 items")
    }
    var outputs: [Output] = []
    for (outputIndex, output) in outputList.enumerated() {
      outputs.append(
        try OutputGroupPlan.output(output, type: type, path: "\(path)/outputs/\(outputIndex)"))
    }
    self.outputs = outputs
  }

  private static func output(_ output: JSON, type: TranscodedOutput.GroupType, path: String)
    throws(TaskFailure)
    -> Output
  {
    let video = output["VideoDescription"]
    let preset = output["Preset"]?.stringValue
    guard video != nil || preset != nil || output["AudioDescriptions"] != nil else {
      throw MediaConvertSimulator.badRequest(
        "\(path): An output needs a VideoDescription, AudioDescriptions or a Preset")
    }
    let codec = video?["CodecSettings"]?["Codec"]?.stringValue ?? "H_264"
    let isFrameCapture = codec == "FRAME_CAPTURE"
    let defaultContainer: String
    switch type {
    case .hls: defaultContainer = "M3U8"
    case .dash: defaultContainer = "MPD"
    case .cmaf: defaultContainer = "CMFC"
    case .file: defaultContainer = isFrameCapture ? "RAW" : "MP4"
    }
    let container = output["ContainerSettings"]?["Container"]?.stringValue ?? defaultContainer
    let allowed: [String]
    switch type {
    case .hls: allowed = ["M3U8"]
    case .dash: allowed = ["MPD"]
    case .cmaf: allowed = ["CMFC"]
    case .file: allowed = isFrameCapture ? ["RAW"] : ["MP4", "MOV", "MXF", "M2TS", "WEBM", "MKV"]
    }
    guard allowed.contains(container) else {
      throw MediaConvertSimulator.badRequest(
        "\(path)/containerSettings/container: \(container) cannot be used in a \(type.rawValue) output group\(isFrameCapture ? " with FRAME_CAPTURE" : "") (expected \(allowed.joined(separator: " or ")))"
      )
    }
    let sideRange = 1...8192
    let bitrateRange = 1...1_152_000_000
    var width = try MediaConvertSimulator.integerSetting(
      video?["Width"], field: "\(path)/videoDescription/width", in: sideRange)
    var height = try MediaConvertSimulator.integerSetting(
      video?["Height"], field: "\(path)/videoDescription/height", in: sideRange)
    var bitrate: Int?
    if let codecSettings = video?["CodecSettings"]?.objectValue {
      for (key, value) in codecSettings where key.hasSuffix("Settings") {
        let field =
          "\(path)/videoDescription/codecSettings/\(key.prefix(1).lowercased())\(key.dropFirst())"
        if let value = try MediaConvertSimulator.integerSetting(
          value["Bitrate"], field: "\(field)/bitrate", in: bitrateRange)
        {
          bitrate = value
        } else if let value = try MediaConvertSimulator.integerSetting(
          value["MaxBitrate"], field: "\(field)/maxBitrate", in: bitrateRange)
        {
          bitrate = value
        }
      }
    }
    if let preset, video == nil {
      // System preset names carry their resolution and bitrate: `..._720p_29_97fps_3500kbps`.
      let words = preset.split(whereSeparator: { $0 == "_" || $0 == "-" })
      func digits(_ text: Substring) -> Substring? {
        !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber } ? text : nil
      }
      for word in words {
        if word.hasSuffix("p"), let number = digits(word.dropLast()) {
          guard let value = Int(number), sideRange.contains(value) else {
            throw MediaConvertSimulator.badRequest(
              "\(path)/preset: '\(preset)' names a height of \(number) pixels; heights are 1 to 8192"
            )
          }
          height = value
        }
        if word.hasSuffix("kbps"), let number = digits(word.dropLast(4)) {
          guard let kilobits = Int(number), let value = Arithmetic.product(kilobits, 1000),
            bitrateRange.contains(value)
          else {
            throw MediaConvertSimulator.badRequest(
              "\(path)/preset: '\(preset)' names a bitrate of \(number) kbps; bitrates are 1 to 1152000 kbps"
            )
          }
          bitrate = value
        }
      }
      if width == nil, let height { width = Arithmetic.evenScaled(height, by: 16, over: 9) }
    }
    var frameRate: Double?
    if let numerator = video?["CodecSettings"]?.objectValue?.values.compactMap({
      $0["FramerateNumerator"]?.doubleLike
    })
    .first,
      let denominator = video?["CodecSettings"]?.objectValue?.values.compactMap({
        $0["FramerateDenominator"]?.doubleLike
      }).first, denominator > 0
    {
      frameRate = numerator / denominator
    }
    let capture = video?["CodecSettings"]?["FrameCaptureSettings"]
    let captureNumerator = capture?["FramerateNumerator"]?.doubleLike ?? 1
    let captureDenominator = capture?["FramerateDenominator"]?.doubleLike ?? 10
    // A width derived from a preset's height can still exceed MediaConvert's limit.
    if let width, !sideRange.contains(width) {
      throw MediaConvertSimulator.badRequest(
        "\(path)/preset: '\(preset ?? "")' gives a width of \(width) pixels; widths are 1 to 8192")
    }
    if let frameRate, !(frameRate > 0 && frameRate <= 240) {
      throw MediaConvertSimulator.badRequest(
        "\(path)/videoDescription: the frame rate must be between 0 and 240")
    }
    guard captureDenominator > 0, captureNumerator > 0, captureNumerator / captureDenominator <= 240
    else {
      throw MediaConvertSimulator.badRequest(
        "\(path)/videoDescription/codecSettings/frameCaptureSettings: the capture rate must be between 0 and 240"
      )
    }
    return Output(
      nameModifier: output["NameModifier"]?.stringValue ?? "", container: container,
      isFrameCapture: isFrameCapture,
      isAudioOnly: video == nil && preset == nil,
      width: width, height: height, bitrate: bitrate, frameRate: frameRate, codec: codec,
      maxCaptures: min(max(1, capture?["MaxCaptures"]?.intLike ?? 10), 10_000),
      captureRate: captureNumerator / captureDenominator)
  }

  /// The rendition `output` makes from `source`.
  static func media(_ output: Output, source: MediaMetadata) -> MediaMetadata {
    var width = output.width
    var height = output.height
    if width == nil, let height, source.height > 0 {
      width = Arithmetic.evenScaled(height, by: source.width, over: source.height)
    }
    if height == nil, let width, source.width > 0 {
      height = Arithmetic.evenScaled(width, by: source.height, over: source.width)
    }
    let finalHeight = height ?? source.height
    let defaultBitrate: Int
    switch finalHeight {
    case 1080...: defaultBitrate = 5_000_000
    case 720..<1080: defaultBitrate = 3_000_000
    case 480..<720: defaultBitrate = 1_200_000
    default: defaultBitrate = 600_000
    }
    return MediaMetadata(
      durationSeconds: source.durationSeconds, width: width ?? source.width, height: finalHeight,
      bitrate: output.bitrate ?? defaultBitrate, frameRate: output.frameRate ?? source.frameRate,
      codec: output.codec)
  }

  /// How many frames a frame-capture output writes from `source`: one per capture interval,
  /// at least 1 and at most its `MaxCaptures`.
  static func captureCount(_ output: Output, source: MediaMetadata) -> Int {
    let frames = (source.durationSeconds * output.captureRate).rounded(.down) + 1
    guard frames.isFinite else { return output.maxCaptures }
    return min(output.maxCaptures, max(1, Arithmetic.clampedInt(frames)))
  }

  /// How many files the group writes from `source`: its renditions or frame captures, and the
  /// HLS or DASH manifest.
  func fileCount(source: MediaMetadata) -> Int {
    var count = type == .file ? 0 : 1
    for output in outputs {
      count = count.addingSaturating(
        output.isFrameCapture ? OutputGroupPlan.captureCount(output, source: source) : 1)
    }
    return count
  }

  /// Writes the group's files to S3 and returns them.
  func write(to s3: InMemoryS3, source: MediaMetadata, at instant: Instant) throws(TaskFailure)
    -> [TranscodedOutput]
  {
    var written: [TranscodedOutput] = []
    func location(_ name: String) -> S3Location {
      S3Location(bucket: destination.bucket, key: destination.key + name)
    }
    var variantLines: [String] = []
    for output in outputs {
      if output.isFrameCapture {
        let count = OutputGroupPlan.captureCount(output, source: source)
        let rendition = OutputGroupPlan.media(output, source: source)
        for index in 0..<count {
          let digits = String(index)
          let name =
            "\(baseName)\(output.nameModifier).\(String(repeating: "0", count: max(0, 7 - digits.count)))\(digits).jpg"
          let target = location(name)
          try s3.store(
            target, body: "",
            size: Int64(Arithmetic.saturatingProduct(rendition.width, rendition.height) / 10),
            eTagSource: target.uri,
            contentType: "image/jpeg",
            userMetadata: ["width": String(rendition.width), "height": String(rendition.height)],
            media: nil,
            at: instant)
          written.append(
            TranscodedOutput(location: target, groupType: type, role: .thumbnail, media: nil))
        }
        continue
      }
      var rendition = OutputGroupPlan.media(output, source: source)
      if output.isAudioOnly {
        rendition = MediaMetadata(
          durationSeconds: source.durationSeconds, width: 0, height: 0, bitrate: 96_000,
          frameRate: 0, codec: "AAC")
      }
      let name: String
      var contentType: String
      switch type {
      case .hls:
        name = "\(baseName)\(output.nameModifier).m3u8"
        contentType = "application/vnd.apple.mpegurl"
        variantLines.append(
          "#EXT-X-STREAM-INF:BANDWIDTH=\(rendition.bitrate),RESOLUTION=\(rendition.width)x\(rendition.height)\n\(name)"
        )
      case .dash, .cmaf:
        name = "\(baseName)\(output.nameModifier).mp4"
        contentType = "video/mp4"
        variantLines.append(
          "<Representation id=\"\(name)\" bandwidth=\"\(rendition.bitrate)\" width=\"\(rendition.width)\" height=\"\(rendition.height)\"/>"
        )
      case .file:
        name = "\(baseName)\(output.nameModifier).\(output.container.lowercased())"
        contentType = output.container == "MOV" ? "video/quicktime" : "video/mp4"
      }
      if output.isAudioOnly { contentType = "audio/mp4" }
      let target = location(name)
      try s3.store(
        target, body: "", size: rendition.estimatedSizeBytes, eTagSource: target.uri,
        contentType: contentType,
        userMetadata: [:], media: rendition, at: instant)
      written.append(
        TranscodedOutput(
          location: target, groupType: type, role: output.isAudioOnly ? .audio : .video,
          media: rendition))
    }
    switch type {
    case .hls:
      let target = location("\(baseName).m3u8")
      let body = "#EXTM3U\n#EXT-X-VERSION:3\n" + variantLines.joined(separator: "\n") + "\n"
      try s3.putText(target, body: body, contentType: "application/vnd.apple.mpegurl", at: instant)
      written.append(
        TranscodedOutput(location: target, groupType: type, role: .manifest, media: nil))
    case .dash, .cmaf:
      let target = location("\(baseName).mpd")
      let seconds = MediaMetadata.format(source.durationSeconds)
      let body =
        "<?xml version=\"1.0\"?>\n<MPD mediaPresentationDuration=\"PT\(seconds)S\"><Period><AdaptationSet>\n"
        + variantLines.joined(separator: "\n") + "\n</AdaptationSet></Period></MPD>\n"
      try s3.putText(target, body: body, contentType: "application/dash+xml", at: instant)
      written.append(
        TranscodedOutput(location: target, groupType: type, role: .manifest, media: nil))
    case .file:
      break
    }
    return written
  }

  /// This group's entry in `OutputGroupDetails`.
  func details(source: MediaMetadata?) -> JSON {
    var entries: [JSON] = []
    for output in outputs {
      guard let source else { continue }
      let rendition = OutputGroupPlan.media(output, source: source)
      var entry: JSONObject = [
        "DurationInMs": .number(JSONNumber(Instant.milliseconds(seconds: source.durationSeconds)))
      ]
      if !output.isAudioOnly {
        entry["VideoDetails"] = [
          "HeightInPx": .number(JSONNumber(rendition.height)),
          "WidthInPx": .number(JSONNumber(rendition.width)),
        ]
      }
      entries.append(.object(entry))
    }
    return [
      "OutputDetails": .array(entries),
      "Type": .string(type.rawValue.replacingOccurrences(of: "_SETTINGS", with: "")),
    ]
  }
}
