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
  /// The exact content when it is not UTF-8 text (a gzip file, an image): ``body`` then holds
  /// it decoded with U+FFFD in place of invalid bytes, and `getObject` also returns these bytes
  /// as `BodyBase64` (a local addition to S3's response, which a distributed Map's `ItemReader`
  /// reads, for gzip-compressed S3 Inventory data files).
  public var bytes: [UInt8]? = nil

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
///
/// A bucket can also be a local folder (``mapBucket(_:toFolder:maximumBodySize:)``): its objects
/// are then the files under the folder, read and written on disk.
public final class InMemoryS3: @unchecked Sendable {
  private struct Bucket {
    var isVersioned: Bool
    var objects: [String: S3Object] = [:]
  }

  private let lock = NSLock()
  private var buckets: [String: Bucket] = [:]
  private var folders: [String: FolderBucket] = [:]
  private let identifiers: IdentifierSource
  /// Whether writing to a bucket that does not exist creates it (otherwise
  /// `S3.NoSuchBucketException`).
  public var createsMissingBuckets: Bool {
    get { lock.withLock { _createsMissingBuckets } }
    set { lock.withLock { _createsMissingBuckets = newValue } }
  }
  private var _createsMissingBuckets = true

  init(identifiers: IdentifierSource) { self.identifiers = identifiers }

  /// Creates a bucket (no-op when it exists, in memory or as a folder).
  public func createBucket(_ name: String, versioned: Bool = false) {
    lock.withLock {
      if buckets[name] == nil, folders[name] == nil {
        buckets[name] = Bucket(isVersioned: versioned)
      }
    }
  }

  /// Makes the bucket `name` the local folder `folder`, for reading and writing: the object key
  /// `a/b/c.csv` is the file `folder/a/b/c.csv`, `listObjectsV2` lists the files, `putObject`
  /// writes one (creating its folders). An in-memory bucket of that name, and its objects, are
  /// replaced.
  ///
  /// What a folder bucket does differently from an in-memory one:
  /// - keys that cannot be a file safely inside the folder (`..` or `.` segments, `//`, a
  ///   leading `/`, a backslash, NUL, more than 1,024 bytes, a symbolic link leading outside)
  ///   fail with `S3.S3Exception` and touch nothing;
  /// - `ETag` is the quoted MD5 of the content, except for files of 8 MiB or more, which get a
  ///   multipart-form tag computed from the key, size and time without reading the file;
  /// - `LastModified` is the file's modification time in whole seconds, and every write sets it
  ///   to the execution's virtual time, so runs over the same files are reproducible;
  /// - `Body` is the file's bytes read as UTF-8 (invalid sequences become U+FFFD); a file larger
  ///   than `maximumBodySize` fails `getObject` instead of being read;
  /// - content type and user metadata given to `putObject` are kept in memory while the file is
  ///   unchanged; otherwise the content type follows the file's extension;
  /// - no versioning; folders are never listed as objects.
  ///
  /// ```swift
  /// let world = MediaWorld()
  /// try world.s3.mapBucket("data", toFolder: URL(fileURLWithPath: "/tmp/frames"))
  /// ```
  ///
  /// - Parameters:
  ///   - name: the bucket name the state machine uses.
  ///   - folder: an existing folder.
  ///   - maximumBodySize: the largest file `getObject` reads (256 MiB by default).
  /// - Throws: ``FolderBucketError`` when the folder does not exist or is not a folder.
  public func mapBucket(
    _ name: String, toFolder folder: URL, maximumBodySize: Int64 = 256 * 1024 * 1024
  ) throws(FolderBucketError) {
    let bucket = try FolderBucket(name: name, folder: folder, maximumBodySize: maximumBodySize)
    lock.withLock {
      buckets[name] = nil
      folders[name] = bucket
    }
  }

  /// The folder a bucket is mapped onto, or `nil` for an in-memory bucket or none.
  public func folder(ofBucket name: String) -> URL? { lock.withLock { folders[name]?.folder } }

  /// The bucket names (in memory and folders), sorted.
  public var bucketNames: [String] {
    lock.withLock { Set(buckets.keys).union(folders.keys).sorted() }
  }

  /// Whether the bucket exists (in memory or as a folder).
  public func bucketExists(_ name: String) -> Bool {
    lock.withLock { buckets[name] != nil || folders[name] != nil }
  }

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

  /// Stores an object from its bytes: as text when they are UTF-8, else keeping the exact bytes
  /// (``S3Object/bytes``).
  @discardableResult
  public func putData(
    _ location: S3Location, bytes: [UInt8], contentType: String = "binary/octet-stream",
    userMetadata: [String: String] = [:], at instant: Instant = .defaultVirtualStart
  ) throws(TaskFailure) -> S3Object {
    if let text = String(bytes: bytes, encoding: .utf8) {
      return try putText(
        location, body: text, contentType: contentType, userMetadata: userMetadata, at: instant)
    }
    let eTag = "\"" + HashAlgorithm.md5.hexDigest(of: bytes) + "\""
    let version = identifiers.characters(
      32, from: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._")
    return try lock.locked { () throws(TaskFailure) -> S3Object in
      if let folder = folders[location.bucket] {
        return try folder.write(
          key: location.key, bytes: bytes, contentType: contentType,
          userMetadata: userMetadata, media: nil, at: instant)
      }
      if buckets[location.bucket] == nil {
        guard _createsMissingBuckets else { throw S3Errors.noSuchBucket(location.bucket) }
        buckets[location.bucket] = Bucket(isVersioned: false)
      }
      let versioned = buckets[location.bucket]?.isVersioned ?? false
      let object = S3Object(
        bucket: location.bucket, key: location.key, body: String(decoding: bytes, as: UTF8.self),
        size: Int64(bytes.count), eTag: eTag, versionId: versioned ? version : nil,
        contentType: contentType, lastModified: instant, userMetadata: userMetadata, media: nil,
        bytes: bytes)
      buckets[location.bucket]?.objects[location.key] = object
      return object
    }
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
      if let folder = folders[location.bucket] {
        return try folder.write(
          key: location.key, bytes: Array(body.utf8), contentType: contentType,
          userMetadata: userMetadata, media: media, at: instant)
      }
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

  /// Copies the object at `source` to `destination`: file to file when both are folder buckets
  /// (the bytes never pass through memory as text), otherwise through the object's body.
  /// `sourceVersion`, when given, must be the source's version (else `S3.NoSuchKeyException`).
  /// Returns the source and the copy.
  func copy(
    from source: S3Location, sourceVersion: String?, to destination: S3Location,
    userMetadata: [String: String]?, at instant: Instant
  ) throws(TaskFailure) -> (original: S3Object, copy: S3Object) {
    let fileCopy = try lock.locked { () throws(TaskFailure) -> (S3Object, S3Object)? in
      guard let from = folders[source.bucket], let to = folders[destination.bucket] else {
        return nil
      }
      guard let entry = try from.file(forKey: source.key) else { throw S3Errors.noSuchKey }
      if sourceVersion != nil { throw S3Errors.noSuchKey }
      let original = from.object(for: entry)
      let copy = try to.copy(
        entry, sourceObject: original, to: destination.key,
        userMetadata: userMetadata ?? original.userMetadata, at: instant)
      return (original, copy)
    }
    if let fileCopy { return fileCopy }
    let original = try requireObject(source)
    if let sourceVersion, original.versionId != sourceVersion { throw S3Errors.noSuchKey }
    let copy = try storeCopy(original, at: destination, userMetadata: userMetadata, at: instant)
    return (original, copy)
  }

  /// The object at `location`, or `nil`. For a folder bucket the file is read (its body is
  /// empty when the file is larger than the bucket's maximum body size).
  public func object(at location: S3Location) -> S3Object? {
    lock.withLock {
      if let folder = folders[location.bucket] {
        if let object = try? folder.object(forKey: location.key, includesBody: true) {
          return object
        }
        return try? folder.object(forKey: location.key, includesBody: false)
      }
      return buckets[location.bucket]?.objects[location.key]
    }
  }

  /// The object at `s3://bucket/key`, or `nil`.
  public func object(uri: String) -> S3Object? {
    S3Location(uri: uri).flatMap { object(at: $0) }
  }

  /// The object, or `S3.NoSuchBucketException` / `S3.NoSuchKeyException`. A folder bucket's
  /// file is read only when `includesBody`.
  func requireObject(_ location: S3Location, includesBody: Bool = true) throws(TaskFailure)
    -> S3Object
  {
    try lock.locked { () throws(TaskFailure) -> S3Object in
      if let folder = folders[location.bucket] {
        guard let object = try folder.object(forKey: location.key, includesBody: includesBody)
        else { throw S3Errors.noSuchKey }
        return object
      }
      guard let bucket = buckets[location.bucket] else {
        throw S3Errors.noSuchBucket(location.bucket)
      }
      guard let object = bucket.objects[location.key] else { throw S3Errors.noSuchKey }
      return object
    }
  }

  /// The objects in `bucket` whose keys start with `prefix`, in key order. For a folder bucket
  /// the files are listed without their bodies (read one with ``object(at:)``).
  public func objects(inBucket bucket: String, prefix: String = "") -> [S3Object] {
    lock.withLock {
      if let folder = folders[bucket] {
        return folder.entries(prefix: prefix).map { folder.object(for: $0) }
      }
      return (buckets[bucket]?.objects.values.filter { $0.key.hasPrefix(prefix) } ?? [])
        .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }
  }

  /// One object as `listObjectsV2` shows it, its ETag computed only when asked for.
  struct Listed {
    /// The key.
    var key: String
    /// The size in bytes.
    var size: Int64
    /// `LastModified`.
    var lastModified: Instant
    fileprivate var eTag: String?
    fileprivate var entry: FolderBucket.Entry?
  }

  /// The objects of `bucket` whose keys start with `prefix`, in key order (UTF-8 bytes), without
  /// reading any file. A folder bucket reuses its previous listing when `continuing` one (see
  /// `FolderBucket.entries(prefix:continuing:)`).
  func listing(inBucket bucket: String, prefix: String, continuing: Bool = false) -> [Listed] {
    lock.withLock {
      if let folder = folders[bucket] {
        return folder.entries(prefix: prefix, continuing: continuing).map {
          Listed(key: $0.key, size: $0.size, lastModified: $0.lastModified, eTag: nil, entry: $0)
        }
      }
      return (buckets[bucket]?.objects.values.filter { $0.key.hasPrefix(prefix) } ?? [])
        .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        .map {
          Listed(key: $0.key, size: $0.size, lastModified: $0.lastModified, eTag: $0.eTag)
        }
    }
  }

  /// The ETag of a listed object of `bucket`.
  func eTag(of listed: Listed, inBucket bucket: String) -> String {
    if let eTag = listed.eTag { return eTag }
    return lock.withLock {
      guard let entry = listed.entry, let folder = folders[bucket] else { return "\"\"" }
      return folder.eTag(of: entry)
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
      if let folder = folders[location.bucket] { return try folder.delete(key: location.key) }
      guard buckets[location.bucket] != nil else { throw S3Errors.noSuchBucket(location.bucket) }
      return buckets[location.bucket]?.objects.removeValue(forKey: location.key) != nil
    }
  }

  func requireBucket(_ name: String) throws(TaskFailure) {
    try lock.locked { () throws(TaskFailure) in
      guard buckets[name] != nil || folders[name] != nil else {
        throw S3Errors.noSuchBucket(name)
      }
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
