import StepFunctions

/// One file a transcode job wrote.
public struct TranscodedOutput: Sendable, Hashable {
  /// The kind of output group that wrote it.
  public enum GroupType: String, Sendable, Hashable {
    /// Apple HLS (`HLS_GROUP_SETTINGS`).
    case hls = "HLS_GROUP_SETTINGS"
    /// MPEG-DASH (`DASH_ISO_GROUP_SETTINGS`).
    case dash = "DASH_ISO_GROUP_SETTINGS"
    /// Plain files such as MP4 or frame captures (`FILE_GROUP_SETTINGS`).
    case file = "FILE_GROUP_SETTINGS"
    /// CMAF (`CMAF_GROUP_SETTINGS`).
    case cmaf = "CMAF_GROUP_SETTINGS"
  }

  /// What the file is.
  public enum Role: String, Sendable, Hashable {
    /// A playable rendition (MP4 file, HLS variant playlist, DASH representation).
    case video
    /// An audio-only rendition.
    case audio
    /// A master playlist or manifest (`.m3u8`, `.mpd`).
    case manifest
    /// A still image (frame capture).
    case thumbnail
  }

  /// Where it was written.
  public var location: S3Location
  /// The output group type.
  public var groupType: GroupType
  /// What the file is.
  public var role: Role
  /// The video properties, for renditions.
  public var media: MediaMetadata?
}

/// A MediaConvert job as the simulator keeps it: what was asked, what was written, and when
/// each phase happens in (virtual) time.
public struct MediaConvertJob: Sendable, Hashable {
  /// The job ID (`1735689600000-k3v9qa`: submit time in milliseconds and six characters).
  public var id: String
  /// The job ARN.
  public var arn: String
  /// The queue ARN.
  public var queue: String
  /// The IAM role the job runs as.
  public var role: String
  /// The `Settings` as submitted.
  public var settings: JSON
  /// The `UserMetadata` as submitted.
  public var userMetadata: JSON
  /// The first input file.
  public var input: S3Location
  /// What the input file holds, when it exists.
  public var inputMedia: MediaMetadata?
  /// The files written (renditions, manifests, thumbnails).
  public var outputs: [TranscodedOutput]
  /// The `OutputGroupDetails` MediaConvert reports on completion.
  public var outputGroupDetails: JSON
  /// When the job was submitted.
  public var submittedAt: Instant
  /// When transcoding starts.
  public var startedAt: Instant
  /// When the job ends.
  public var finishedAt: Instant
  /// The error code when the job ends in `ERROR`.
  public var errorCode: Int?
  /// The error message when the job ends in `ERROR`.
  public var errorMessage: String?

  /// The status the job ends with: `COMPLETE` or `ERROR`.
  public var finalStatus: String { errorCode == nil ? "COMPLETE" : "ERROR" }

  /// The status at `instant`: `SUBMITTED`, `PROGRESSING`, then `COMPLETE` or `ERROR`.
  public func status(at instant: Instant) -> String {
    if instant < startedAt { return "SUBMITTED" }
    if instant < finishedAt { return "PROGRESSING" }
    return finalStatus
  }

  /// The URIs of the playable renditions.
  public var videoOutputURIs: [String] { outputs.filter { $0.role == .video }.map(\.location.uri) }

  /// The `{"Job": {...}}` document `CreateJob`/`GetJob` return, as it looks at `instant`.
  public func document(at instant: Instant) -> JSON {
    let status = status(at: instant)
    var job: JSONObject = [
      "AccelerationSettings": ["Mode": "DISABLED"], "AccelerationStatus": "NOT_APPLICABLE",
      "Arn": .string(arn),
      "BillingTagsSource": "JOB",
      "CreatedAt": .number(JSONNumber(submittedAt.millisecondsSinceEpoch)),
      "Id": .string(id), "Messages": ["Info": [], "Warning": []],
    ]
    if status == "COMPLETE" { job["OutputGroupDetails"] = outputGroupDetails }
    if status == "ERROR" {
      job["ErrorCode"] = .number(JSONNumber(errorCode ?? 0))
      job["ErrorMessage"] = .string(errorMessage ?? "")
    }
    job["Priority"] = 0
    job["Queue"] = .string(queue)
    job["Role"] = .string(role)
    job["Settings"] = settings
    job["Status"] = .string(status)
    job["StatusUpdateInterval"] = "SECONDS_60"
    var timing: JSONObject = ["SubmitTime": .number(JSONNumber(submittedAt.millisecondsSinceEpoch))]
    if status != "SUBMITTED" {
      timing["StartTime"] = .number(JSONNumber(startedAt.millisecondsSinceEpoch))
    }
    if status == "COMPLETE" || status == "ERROR" {
      timing["FinishTime"] = .number(JSONNumber(finishedAt.millisecondsSinceEpoch))
    }
    job["Timing"] = .object(timing)
    job["UserMetadata"] = userMetadata
    job["Warnings"] = []
    return ["Job": .object(job)]
  }
}
