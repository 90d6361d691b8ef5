import StepFunctions

/// What the in-memory services know about a video file: the facts a transcoder, a quality check
/// or a frame extractor would read from the stream.
public struct MediaMetadata: Sendable, Hashable {
  /// Running time in seconds.
  public var durationSeconds: Double
  /// Frame width in pixels.
  public var width: Int
  /// Frame height in pixels.
  public var height: Int
  /// Average bitrate in bits per second.
  public var bitrate: Int
  /// Frames per second.
  public var frameRate: Double
  /// Video codec (`H_264`, `H_265`, `PRORES`...).
  public var codec: String
  /// Whether the stream cannot be decoded at all (a transcoder or container fails on it).
  public var isCorrupt: Bool
  /// Positions, in seconds, of damaged frames: a chunk that contains one cannot be upscaled.
  public var damagedSeconds: [Double]

  /// Creates metadata.
  public init(
    durationSeconds: Double, width: Int, height: Int, bitrate: Int, frameRate: Double = 30,
    codec: String = "H_264", isCorrupt: Bool = false, damagedSeconds: [Double] = []
  ) {
    self.durationSeconds = durationSeconds
    self.width = width
    self.height = height
    self.bitrate = bitrate
    self.frameRate = frameRate
    self.codec = codec
    self.isCorrupt = isCorrupt
    self.damagedSeconds = damagedSeconds
  }

  /// The size in bytes a file of this duration and bitrate has.
  public var estimatedSizeBytes: Int64 {
    let bytes = (durationSeconds * Double(bitrate) / 8).rounded()
    guard bytes.isFinite, bytes > 0 else { return 0 }
    return bytes < 9e18 ? Int64(bytes) : Int64(9e18)
  }

  /// The metadata as S3 user metadata (`x-amz-meta-*` names without the prefix), the way a
  /// probe step tags uploaded videos.
  public var userMetadata: [(String, String)] {
    var pairs: [(String, String)] = [
      ("bitrate", String(bitrate)),
      ("codec", codec),
      ("duration-seconds", MediaMetadata.format(durationSeconds)),
      ("frame-rate", MediaMetadata.format(frameRate)),
      ("height", String(height)),
      ("width", String(width)),
    ]
    if isCorrupt { pairs.append(("corrupt", "true")) }
    return pairs
  }

  /// The metadata as a JSON object (`durationSeconds`, `width`, `height`, `bitrate`,
  /// `frameRate`, `codec`).
  public var json: JSON {
    var object: JSONObject = [
      "durationSeconds": .rounded(durationSeconds, places: 3), "width": .number(JSONNumber(width)),
      "height": .number(JSONNumber(height)), "bitrate": .number(JSONNumber(bitrate)),
      "frameRate": .rounded(frameRate, places: 3), "codec": .string(codec),
    ]
    if isCorrupt { object["corrupt"] = true }
    return .object(object)
  }

  static func format(_ value: Double) -> String {
    value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
  }
}
