import Foundation
import StepFunctions

/// One object in the in-memory S3.
public struct S3Object: Sendable, Hashable {
  /// The bucket.
  public var bucket: String
  /// The key.
  public var key: String
  /// The body as text (empty for media files, whose bytes are not kept).
  public var body: String
  /// The size in bytes (the body's length, or the media file's estimated size).
  public var size: Int64
  /// The entity tag, with its quotes (`"\"9b2cf535f27731c974343645a3985328\""`).
  public var eTag: String
  /// The version ID, when the bucket is versioned.
  public var versionId: String?
  /// The content type.
  public var contentType: String
  /// When the object was written.
  public var lastModified: Instant
  /// User metadata (`x-amz-meta-*`), sorted by name.
  public var userMetadata: [String: String]
  /// What a video probe would find in the file, when it is a video.
  public var media: MediaMetadata?

  /// Where the object is.
  public var location: S3Location { S3Location(bucket: bucket, key: key) }

  /// The S3 `Metadata` map a head or get request returns: the user metadata plus the media
  /// metadata tags.
  public var metadataJSON: JSON {
    var merged = userMetadata
    for (name, value) in media?.userMetadata ?? [] where merged[name] == nil {
      merged[name] = value
    }
    var object = JSONObject()
    for name in merged.keys.sorted() {
      object.append(key: name, value: .string(merged[name] ?? ""))
    }
    return .object(object)
  }
}

/// An in-memory S3: buckets of objects with media metadata. Thread-safe; every method takes a
/// lock, so tests may read it while an execution runs.
public final class InMemoryS3: @unchecked Sendable {
  private struct Bucket {
    var isVersioned: Bool
    var objects: [String: S3Object] = [:]
  }

  private let lock = NSLock()
  private var buckets: [String: Bucket] = [:]
  private let identifiers: IdentifierSource
  /// Whether writing to a bucket that does not exist creates it (otherwise
  /// `S3.NoSuchBucketException`).
  public var createsMissingBuckets: Bool {
    get { lock.withLock { _createsMissingBuckets } }
    set { lock.withLock { _createsMissingBuckets = newValue } }
  }
  private var _createsMissingBuckets = true

  init(identifiers: IdentifierSource) { self.identifiers = identifiers }

  /// Creates a bucket (no-op when it exists).
  public func createBucket(_ name: String, versioned: Bool = false) {
    lock.withLock {
      if buckets[name] == nil { buckets[name] = Bucket(isVersioned: versioned) }
    }
  }

  /// The bucket names, sorted.
  public var bucketNames: [String] { lock.withLock { buckets.keys.sorted() } }

  /// Whether the bucket exists.
  public func bucketExists(_ name: String) -> Bool { lock.withLock { buckets[name] != nil } }

  /// Stores a video file with its media metadata (size and ETag derived from it).
  @discardableResult
  public func putVideo(
    _ location: S3Location, media: MediaMetadata, contentType: String = "video/mp4",
    userMetadata: [String: String] = [:], at instant: Instant = .defaultVirtualStart
  ) throws(TaskFailure) -> S3Object {
    let tag =
      "\(location.uri)|\(media.durationSeconds)|\(media.width)x\(media.height)|\(media.bitrate)"
    return try store(
      location, body: "", size: media.estimatedSizeBytes, eTagSource: tag, contentType: contentType,
      userMetadata: userMetadata, media: media, at: instant)
  }

  /// Stores a text object.
  @discardableResult
  public func putText(
    _ location: S3Location, body: String, contentType: String = "text/plain",
    userMetadata: [String: String] = [:], at instant: Instant = .defaultVirtualStart
  ) throws(TaskFailure) -> S3Object {
    try store(
      location, body: body, size: Int64(body.utf8.count), eTagSource: body,
      contentType: contentType,
      userMetadata: userMetadata, media: nil, at: instant)
  }

  /// Stores `object` as given at its location, assigning a version when the bucket is versioned.
  @discardableResult
  func store(
    _ location: S3Location, body: String, size: Int64, eTagSource: String, contentType: String,
    userMetadata: [String: String], media: MediaMetadata?, at instant: Instant
  ) throws(TaskFailure) -> S3Object {
    let eTag = "\"" + HashAlgorithm.md5.hexDigest(of: eTagSource) + "\""
    let version = identifiers.characters(
      32, from: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._")
    return try lock.locked { () throws(TaskFailure) -> S3Object in
      if buckets[location.bucket] == nil {
        guard _createsMissingBuckets else { throw S3Errors.noSuchBucket(location.bucket) }
        buckets[location.bucket] = Bucket(isVersioned: false)
      }
      let versioned = buckets[location.bucket]?.isVersioned ?? false
      let object = S3Object(
        bucket: location.bucket, key: location.key, body: body, size: size, eTag: eTag,
        versionId: versioned ? version : nil, contentType: contentType, lastModified: instant,
        userMetadata: userMetadata, media: media)
      buckets[location.bucket]?.objects[location.key] = object
      return object
    }
  }

  /// Stores a copy of `object` at `location`.
  @discardableResult
  func storeCopy(
    _ object: S3Object, at location: S3Location, userMetadata: [String: String]?,
    at instant: Instant
  )
    throws(TaskFailure) -> S3Object
  {
    try store(
      location, body: object.body, size: object.size, eTagSource: object.eTag,
      contentType: object.contentType,
      userMetadata: userMetadata ?? object.userMetadata, media: object.media, at: instant)
  }

  /// The object at `location`, or `nil`.
  public func object(at location: S3Location) -> S3Object? {
    lock.withLock { buckets[location.bucket]?.objects[location.key] }
  }

  /// The object at `s3://bucket/key`, or `nil`.
  public func object(uri: String) -> S3Object? {
    S3Location(uri: uri).flatMap { object(at: $0) }
  }

  /// The object, or `S3.NoSuchBucketException` / `S3.NoSuchKeyException`.
  func requireObject(_ location: S3Location) throws(TaskFailure) -> S3Object {
    try lock.locked { () throws(TaskFailure) -> S3Object in
      guard let bucket = buckets[location.bucket] else {
        throw S3Errors.noSuchBucket(location.bucket)
      }
      guard let object = bucket.objects[location.key] else { throw S3Errors.noSuchKey }
      return object
    }
  }

  /// The objects in `bucket` whose keys start with `prefix`, in key order.
  public func objects(inBucket bucket: String, prefix: String = "") -> [S3Object] {
    lock.withLock {
      (buckets[bucket]?.objects.values.filter { $0.key.hasPrefix(prefix) } ?? [])
        .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }
  }

  /// The objects under an `s3://bucket/prefix` location, in key order.
  public func objects(under location: S3Location) -> [S3Object] {
    objects(inBucket: location.bucket, prefix: location.key)
  }

  /// Every object in every bucket, ordered by bucket then key.
  public var allObjects: [S3Object] {
    bucketNames.flatMap { objects(inBucket: $0) }
  }

  /// Deletes the object; returns whether there was one. A missing bucket throws
  /// `S3.NoSuchBucketException`.
  @discardableResult
  func deleteObject(_ location: S3Location) throws(TaskFailure) -> Bool {
    try lock.locked { () throws(TaskFailure) -> Bool in
      guard buckets[location.bucket] != nil else { throw S3Errors.noSuchBucket(location.bucket) }
      return buckets[location.bucket]?.objects.removeValue(forKey: location.key) != nil
    }
  }

  func requireBucket(_ name: String) throws(TaskFailure) {
    try lock.locked { () throws(TaskFailure) in
      guard buckets[name] != nil else { throw S3Errors.noSuchBucket(name) }
    }
  }
}

/// S3 errors as the AWS SDK integration names them.
enum S3Errors {
  static let noSuchKey = TaskFailure(
    error: "S3.NoSuchKeyException",
    cause:
      "The specified key does not exist. (Service: S3, Status Code: 404, Request ID: in-memory)")

  static func noSuchBucket(_ name: String) -> TaskFailure {
    TaskFailure(
      error: "S3.NoSuchBucketException",
      cause:
        "The specified bucket does not exist: \(name) (Service: S3, Status Code: 404, Request ID: in-memory)"
    )
  }

  static func missingParameter(_ name: String, action: String) -> TaskFailure {
    TaskFailure(
      error: "S3.S3Exception",
      cause:
        "\(action): the parameter '\(name)' is required. (Service: S3, Status Code: 400, Request ID: in-memory)"
    )
  }
}
