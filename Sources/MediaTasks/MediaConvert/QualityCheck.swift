import StepFunctions

/// The score of one transcoded rendition against its source.
public struct QualityScore: Sendable, Hashable {
  /// The rendition.
  public var uri: String
  /// 1 when the rendition is not taller than its source, less when it was upscaled:
  /// `sqrt(sourceHeight / height)`.
  public var resolutionScore: Double
  /// 1 when the rendition has at least 0.05 bits per pixel per frame, proportionally less below.
  public var bitrateScore: Double
  /// 1 when the rendition is as long as its source; falls by 0.1 for every 1 % of drift.
  public var durationScore: Double
  /// The product of the three.
  public var score: Double
  /// The rendition's properties.
  public var media: MediaMetadata

  /// The score as JSON (`uri`, `score`, the three parts, `width`, `height`, `bitrate`,
  /// `durationSeconds`), rounded to three decimals.
  public var json: JSON {
    [
      "uri": .string(uri), "score": .rounded(score, places: 3),
      "resolutionScore": .rounded(resolutionScore, places: 3),
      "bitrateScore": .rounded(bitrateScore, places: 3),
      "durationScore": .rounded(durationScore, places: 3),
      "width": .number(JSONNumber(media.width)), "height": .number(JSONNumber(media.height)),
      "bitrate": .number(JSONNumber(media.bitrate)),
      "durationSeconds": .rounded(media.durationSeconds, places: 3),
    ]
  }
}

/// Scores transcoded renditions from their metadata, deterministically: resolution (penalizing
/// upscaling beyond the source), bitrate (bits per pixel per frame) and duration drift against
/// the source. A job's score is its worst rendition's; it passes at or above the threshold.
public struct QualityChecker: Sendable, Hashable {
  /// The score a job needs to pass (default 0.8).
  public var threshold: Double
  /// Bits per pixel per frame at which the bitrate part is 1 (default 0.05).
  public var targetBitsPerPixel: Double

  /// Creates a checker.
  public init(threshold: Double = 0.8, targetBitsPerPixel: Double = 0.05) {
    self.threshold = threshold
    self.targetBitsPerPixel = targetBitsPerPixel
  }

  /// Scores one rendition against its source.
  public func score(uri: String, rendition: MediaMetadata, source: MediaMetadata) -> QualityScore {
    let resolution =
      rendition.height > source.height && rendition.height > 0
      ? (Double(source.height) / Double(rendition.height)).squareRoot() : 1
    let pixelsPerSecond =
      Double(rendition.width) * Double(rendition.height) * max(rendition.frameRate, 1)
    let bitsPerPixel = pixelsPerSecond > 0 ? Double(rendition.bitrate) / pixelsPerSecond : 0
    let bitrate = min(1, bitsPerPixel / targetBitsPerPixel)
    let drift =
      source.durationSeconds > 0
      ? abs(rendition.durationSeconds - source.durationSeconds) / source.durationSeconds : 1
    let duration = max(0, 1 - drift * 10)
    return QualityScore(
      uri: uri, resolutionScore: resolution, bitrateScore: bitrate, durationScore: duration,
      score: resolution * bitrate * duration, media: rendition)
  }
}

extension MediaWorld {
  /// The quality-check Lambda function. Event: `sourceUri` (or `jobId`), the renditions as
  /// `outputs` (URIs), `outputPrefix` (every video under it) or `jobId` (the job's renditions),
  /// and an optional `threshold`. Payload: `score`, `threshold`, `passed`, `checkedOutputs`.
  /// Raises `QualityCheckError` when there is nothing to check or a file is missing.
  func qualityCheckFunction(_ event: JSON) throws -> JSON {
    let job = event["jobId"]?.stringValue.flatMap { mediaConvert.job(id: $0) }
    let sourceURI = event["sourceUri"]?.stringValue ?? job?.input.uri
    guard let sourceURI else {
      throw LambdaError(
        type: "QualityCheckError", message: "The event names no sourceUri and no known jobId.")
    }
    guard let source = s3.object(uri: sourceURI)?.media else {
      throw LambdaError(
        type: "QualityCheckError", message: "The source \(sourceURI) is not a video in S3.")
    }
    var uris: [String] = []
    if case .array(let list)? = event["outputs"] {
      uris = list.compactMap(\.stringValue)
    } else if let prefix = event["outputPrefix"]?.stringValue.flatMap(S3Location.init(uri:)) {
      uris = s3.objects(under: prefix).filter { ($0.media?.height ?? 0) > 0 }.map(\.location.uri)
    } else if let job {
      uris = job.videoOutputURIs
    }
    guard !uris.isEmpty else {
      throw LambdaError(
        type: "QualityCheckError", message: "There are no transcoded outputs to check.")
    }
    var checker = qualityChecker
    if let threshold = event["threshold"]?.doubleLike {
      guard threshold.isFinite else {
        throw LambdaError(
          type: "QualityCheckError",
          message:
            "The threshold must be a finite number, got \(event["threshold"]?.textForm ?? "")."
        )
      }
      checker.threshold = threshold
    }
    var scores: [QualityScore] = []
    for uri in uris {
      guard let rendition = s3.object(uri: uri)?.media else {
        throw LambdaError(
          type: "QualityCheckError", message: "The output \(uri) is missing or is not a video.")
      }
      scores.append(checker.score(uri: uri, rendition: rendition, source: source))
    }
    let worst = scores.map(\.score).min() ?? 0
    let rounded = (worst * 1000).rounded() / 1000
    return [
      "sourceUri": .string(sourceURI), "score": .number(JSONNumber(rounded)),
      "threshold": .number(JSONNumber(checker.threshold)),
      "passed": .bool(rounded >= checker.threshold),
      "checkedOutputs": .array(scores.map(\.json)),
    ]
  }
}
