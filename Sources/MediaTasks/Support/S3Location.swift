/// An `s3://bucket/key` address.
public struct S3Location: Sendable, Hashable, CustomStringConvertible {
  /// The bucket name.
  public var bucket: String
  /// The object key (empty for the whole bucket; ends in `/` for a prefix).
  public var key: String

  /// Creates a location.
  public init(bucket: String, key: String) {
    self.bucket = bucket
    self.key = key
  }

  /// Parses `s3://bucket/key`; `nil` unless the text starts with `s3://` and names a bucket.
  public init?(uri: String) {
    guard uri.hasPrefix("s3://") else { return nil }
    let rest = uri.dropFirst(5)
    let bucket = rest.prefix { $0 != "/" }
    guard !bucket.isEmpty else { return nil }
    self.bucket = String(bucket)
    key = String(rest.dropFirst(bucket.count + (rest.count > bucket.count ? 1 : 0)))
  }

  /// `s3://bucket/key`.
  public var uri: String { "s3://\(bucket)/\(key)" }

  /// The URI.
  public var description: String { uri }

  /// Whether the key names a prefix (“folder”) rather than an object.
  public var isPrefix: Bool { key.isEmpty || key.hasSuffix("/") }

  /// The last path component of the key.
  public var fileName: String {
    String(key.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
  }

  /// The file name without its extension.
  public var baseName: String {
    let name = fileName
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
    return String(name[..<dot])
  }

  /// The key up to and including its last `/` (empty for a key at the root).
  public var directory: String {
    guard let slash = key.lastIndex(of: "/") else { return "" }
    return String(key[...slash])
  }
}
