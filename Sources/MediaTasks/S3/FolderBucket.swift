import Foundation
import StepFunctions

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why a folder cannot be mapped onto a bucket with ``InMemoryS3/mapBucket(_:toFolder:maximumBodySize:)``.
public struct FolderBucketError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong with the folder.
  public enum Kind: Sendable, Hashable {
    /// Nothing exists at the path.
    case missing
    /// Something exists at the path, but it is not a folder.
    case notAFolder
  }

  /// What is wrong.
  public var kind: Kind
  /// The path as given.
  public var path: String

  /// Creates an error.
  public init(kind: Kind, path: String) {
    self.kind = kind
    self.path = path
  }

  /// A sentence naming the path.
  public var description: String {
    switch kind {
    case .missing: return "the folder '\(path)' does not exist"
    case .notAFolder: return "'\(path)' is not a folder"
    }
  }
}

/// A bucket whose objects are the files under a local folder: the key `a/b/c.csv` is the file
/// `FOLDER/a/b/c.csv`. Used only under the lock of the ``InMemoryS3`` that owns it.
///
/// Rules (see `Docs/DistributedMap.md`, "Local folders as buckets"):
/// - a key maps to a path only when it is at most 1,024 bytes, does not start with `/`, has no
///   empty, `.` or `..` segment, and holds no backslash or NUL; other keys fail with
///   `S3.S3Exception` (status 400) and touch nothing;
/// - a path that resolves (through symbolic links) outside the folder is refused the same way;
/// - a key ending in `/` is a folder: putting one with an empty body creates the folder, reading
///   one is `S3.NoSuchKeyException`, and folders are never listed;
/// - sizes and times come from the file's attributes: listing or heading a file never reads it,
///   except to compute the MD5 ETag of a file smaller than ``singlePartLimit``;
/// - `LastModified` is the file's modification time in whole seconds; a file written through the
///   bucket gets the execution's (virtual) time as its modification time.
final class FolderBucket: @unchecked Sendable {
  /// Files at least this large get a multipart-form ETag derived from their key, size and time
  /// instead of the MD5 of their content (8 MiB, the AWS CLI's multipart threshold).
  static let singlePartLimit: Int64 = 8 * 1024 * 1024

  /// One file found under the folder.
  struct Entry {
    /// The key.
    var key: String
    /// The real path of the file.
    var path: String
    /// The size in bytes.
    var size: Int64
    /// `LastModified`.
    var lastModified: Instant
  }

  /// What a write through the bucket said about an object that the file system does not keep,
  /// valid while the file keeps the size and time it was written with.
  private struct Attributes {
    var contentType: String
    var userMetadata: [String: String]
    var media: MediaMetadata?
    var size: Int64
    var lastModified: Instant
  }

  /// The bucket's name.
  let name: String
  /// The folder as given.
  let folder: URL
  /// The folder's real path, without a trailing `/`.
  let root: String
  /// The largest file whose content a `getObject` returns.
  let maximumBodySize: Int64
  private var eTags: [String: (size: Int64, lastModified: Instant, eTag: String)] = [:]
  private var attributes: [String: Attributes] = [:]
  /// The last listing, reused by a request that continues it (same prefix) until a write
  /// through the bucket: paging through 100,000 files walks the folder once, not once per page.
  private var snapshot: (prefix: String, entries: [Entry])?
  private let files = FileManager.default

  /// Maps `name` onto `folder`, which must exist and be a folder.
  init(name: String, folder: URL, maximumBodySize: Int64) throws(FolderBucketError) {
    let path = folder.path
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
      throw FolderBucketError(kind: .missing, path: path)
    }
    guard isFolder.boolValue, let real = FolderBucket.realPath(path) else {
      throw FolderBucketError(kind: .notAFolder, path: path)
    }
    self.name = name
    self.folder = folder
    root = real.count > 1 && real.hasSuffix("/") ? String(real.dropLast()) : real
    self.maximumBodySize = maximumBodySize
  }

  // MARK: Keys and paths

  /// The key's segments, and whether it names a folder (ends in `/`).
  func segments(of key: String) throws(TaskFailure) -> (segments: [String], isFolder: Bool) {
    guard key.utf8.count <= 1024 else {
      throw TaskFailure(
        error: "S3.S3Exception",
        cause: "Your key is too long (Service: S3, Status Code: 400, Request ID: local-folder)")
    }
    if key.hasPrefix("/") { throw refusal(key, "it starts with '/'") }
    if key.contains("\\") { throw refusal(key, "it contains a backslash") }
    if key.utf8.contains(0) { throw refusal(key, "it contains a NUL character") }
    var parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    let isFolder = parts.count > 1 && parts.last == ""
    if isFolder { parts.removeLast() }
    for part in parts {
      if part.isEmpty { throw refusal(key, "it has an empty segment ('//')") }
      if part == "." || part == ".." { throw refusal(key, "it has a '\(part)' segment") }
    }
    return (parts, isFolder)
  }

  /// Whether a file or folder name can be a key segment.
  static func isValidSegment(_ name: String) -> Bool {
    !name.isEmpty && name != "." && name != ".." && !name.contains("\\") && !name.contains("/")
      && !name.utf8.contains(0)
  }

  private func refusal(_ key: String, _ reason: String) -> TaskFailure {
    TaskFailure(
      error: "S3.S3Exception",
      cause:
        "The key '\(key)' cannot be a file in the folder bucket '\(name)' (\(folder.path)): \(reason). (Service: S3, Status Code: 400, Request ID: local-folder)"
    )
  }

  private func outside(_ key: String) -> TaskFailure {
    refusal(key, "its path leads outside the folder through a symbolic link")
  }

  private func failure(_ key: String, _ error: any Error) -> TaskFailure {
    TaskFailure(
      error: "S3.S3Exception",
      cause:
        "The file for '\(key)' in the folder bucket '\(name)' (\(folder.path)) cannot be used: \(error.localizedDescription) (Service: S3, Status Code: 500, Request ID: local-folder)"
    )
  }

  /// Whether a real path is the folder or lies under it.
  private func isInside(_ real: String, orRoot: Bool = false) -> Bool {
    if orRoot, real == root { return true }
    return root == "/" ? real != "/" : real.hasPrefix(root + "/")
  }

  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  private func type(at path: String) -> FileAttributeType? {
    (try? files.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
  }

  private func entry(key: String, path: String) -> Entry? {
    guard let attributes = try? files.attributesOfItem(atPath: path),
      attributes[.type] as? FileAttributeType == .typeRegular
    else { return nil }
    let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
    let date = attributes[.modificationDate] as? Date ?? Date(timeIntervalSince1970: 0)
    return Entry(key: key, path: path, size: size, lastModified: FolderBucket.instant(date))
  }

  /// A file time in whole seconds.
  static func instant(_ date: Date) -> Instant {
    let seconds = date.timeIntervalSince1970.rounded(.down)
    guard seconds.isFinite, abs(seconds) < 9e15 else { return Instant(millisecondsSinceEpoch: 0) }
    return Instant(millisecondsSinceEpoch: Int64(seconds) * 1000)
  }

  // MARK: Reading

  /// The file for `key`, or `nil` when there is none (or the key names a folder).
  func file(forKey key: String) throws(TaskFailure) -> Entry? {
    let (segments, isFolder) = try self.segments(of: key)
    if isFolder { return nil }
    let path = root + "/" + segments.joined(separator: "/")
    guard let real = FolderBucket.realPath(path) else { return nil }
    guard isInside(real) else { throw outside(key) }
    return entry(key: key, path: real)
  }

  /// The object for `key` (its body read only when `includesBody`), or `nil`.
  func object(forKey key: String, includesBody: Bool) throws(TaskFailure) -> S3Object? {
    guard let entry = try file(forKey: key) else { return nil }
    var body = ""
    var bytes: [UInt8]?
    if includesBody {
      guard entry.size <= maximumBodySize else {
        throw TaskFailure(
          error: "S3.S3Exception",
          cause:
            "The object '\(key)' in the folder bucket '\(name)' is \(entry.size) bytes; a folder bucket returns a Body of at most \(maximumBodySize) bytes. (Service: S3, Status Code: 400, Request ID: local-folder)"
        )
      }
      do {
        let data = try Data(contentsOf: URL(fileURLWithPath: entry.path))
        if let text = String(data: data, encoding: .utf8) {
          body = text
        } else {
          body = String(decoding: data, as: UTF8.self)
          bytes = [UInt8](data)
        }
      } catch {
        throw failure(key, error)
      }
    }
    return object(for: entry, body: body, bytes: bytes)
  }

  /// The object an entry describes.
  func object(for entry: Entry, body: String = "", bytes: [UInt8]? = nil) -> S3Object {
    let kept = attributes[entry.key].flatMap {
      $0.size == entry.size && $0.lastModified == entry.lastModified ? $0 : nil
    }
    return S3Object(
      bucket: name, key: entry.key, body: body, size: entry.size, eTag: eTag(of: entry),
      versionId: nil,
      contentType: kept?.contentType ?? FolderBucket.contentType(forKey: entry.key),
      lastModified: entry.lastModified, userMetadata: kept?.userMetadata ?? [:],
      media: kept?.media, bytes: bytes)
  }

  /// The ETag: the MD5 of the content, quoted, for a file under ``singlePartLimit`` (cached by
  /// size and time); otherwise `"<MD5 of key, size and time>-<8 MiB parts>"`, the form of a
  /// multipart upload's ETag, without reading the file.
  func eTag(of entry: Entry) -> String {
    if let cached = eTags[entry.key], cached.size == entry.size,
      cached.lastModified == entry.lastModified
    {
      return cached.eTag
    }
    let tag: String
    if entry.size < FolderBucket.singlePartLimit,
      let data = try? Data(contentsOf: URL(fileURLWithPath: entry.path))
    {
      tag = "\"" + HashAlgorithm.md5.hexDigest(of: [UInt8](data)) + "\""
    } else {
      let parts = (entry.size + FolderBucket.singlePartLimit - 1) / FolderBucket.singlePartLimit
      let source = "\(entry.key)|\(entry.size)|\(entry.lastModified.millisecondsSinceEpoch)"
      tag = "\"" + HashAlgorithm.md5.hexDigest(of: source) + "-\(max(parts, 1))\""
    }
    eTags[entry.key] = (entry.size, entry.lastModified, tag)
    return tag
  }

  /// The files whose keys start with `prefix`, in key order (UTF-8 bytes). Folders whose keys
  /// cannot lead to the prefix are not walked; symbolic links to folders are not followed; a
  /// symbolic link to a file inside the folder is listed under its own key; names that cannot be
  /// key segments are skipped with what is under them. With `continuing`, the previous listing
  /// of the same prefix is reused when no write through the bucket happened since.
  func entries(prefix: String, continuing: Bool = false) -> [Entry] {
    if continuing, let snapshot, snapshot.prefix == prefix { return snapshot.entries }
    var found: [Entry] = []
    walk(path: root, keyPrefix: "", prefix: prefix, into: &found)
    found.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    snapshot = (prefix, found)
    return found
  }

  private func walk(path: String, keyPrefix: String, prefix: String, into found: inout [Entry]) {
    guard let names = try? files.contentsOfDirectory(atPath: path) else { return }
    for name in names where FolderBucket.isValidSegment(name) {
      let key = keyPrefix + name
      let child = path + "/" + name
      switch type(at: child) {
      case .typeDirectory?:
        let folderKey = key + "/"
        if folderKey.hasPrefix(prefix) || prefix.hasPrefix(folderKey) {
          walk(path: child, keyPrefix: folderKey, prefix: prefix, into: &found)
        }
      case .typeRegular?:
        if key.hasPrefix(prefix), let entry = entry(key: key, path: child) {
          found.append(entry)
        }
      case .typeSymbolicLink?:
        if key.hasPrefix(prefix), let real = FolderBucket.realPath(child), isInside(real),
          let entry = entry(key: key, path: real)
        {
          found.append(entry)
        }
      default:
        continue
      }
    }
  }

  // MARK: Writing

  /// Writes `bytes` as the object `key` (creating its folders) with the modification time
  /// `instant`, and returns the object. A key ending in `/` with no bytes creates the folder.
  func write(
    key: String, bytes: [UInt8], contentType: String, userMetadata: [String: String],
    media: MediaMetadata?, at instant: Instant
  ) throws(TaskFailure) -> S3Object {
    let (segments, isFolder) = try self.segments(of: key)
    snapshot = nil
    let folderSegments = isFolder ? segments : Array(segments.dropLast())
    let directory = try makeFolders(folderSegments, key: key)
    if isFolder {
      guard bytes.isEmpty else {
        throw refusal(key, "a key ending in '/' is a folder, which cannot hold content")
      }
      return S3Object(
        bucket: name, key: key, body: "", size: 0,
        eTag: "\"" + HashAlgorithm.md5.hexDigest(of: [UInt8]()) + "\"", versionId: nil,
        contentType: contentType, lastModified: FolderBucket.instant(FolderBucket.date(instant)),
        userMetadata: userMetadata, media: media)
    }
    let path = try target(directory + "/" + (segments.last ?? ""), key: key)
    do {
      try Data(bytes).write(to: URL(fileURLWithPath: path))
    } catch {
      throw failure(key, error)
    }
    try? files.setAttributes([.modificationDate: FolderBucket.date(instant)], ofItemAtPath: path)
    guard let entry = entry(key: key, path: path) else {
      throw refusal(key, "the file could not be read back after writing it")
    }
    attributes[key] = Attributes(
      contentType: contentType, userMetadata: userMetadata, media: media, size: entry.size,
      lastModified: entry.lastModified)
    let text = String(bytes: bytes, encoding: .utf8)
    let body = text ?? String(decoding: bytes, as: UTF8.self)
    return object(
      for: entry, body: media == nil ? body : "", bytes: text == nil && media == nil ? bytes : nil)
  }

  /// Copies the file of `source` (an entry of any folder bucket) to `key` of this bucket.
  func copy(
    _ source: Entry, sourceObject: S3Object, to key: String, userMetadata: [String: String],
    at instant: Instant
  ) throws(TaskFailure) -> S3Object {
    let (segments, isFolder) = try self.segments(of: key)
    if isFolder { throw refusal(key, "a key ending in '/' is a folder, which cannot hold content") }
    snapshot = nil
    let directory = try makeFolders(Array(segments.dropLast()), key: key)
    let path = try target(directory + "/" + (segments.last ?? ""), key: key)
    if path != source.path {
      do {
        if files.fileExists(atPath: path) { try files.removeItem(atPath: path) }
        try files.copyItem(atPath: source.path, toPath: path)
      } catch {
        throw failure(key, error)
      }
    }
    try? files.setAttributes([.modificationDate: FolderBucket.date(instant)], ofItemAtPath: path)
    guard let entry = entry(key: key, path: path) else {
      throw refusal(key, "the file could not be read back after copying it")
    }
    attributes[key] = Attributes(
      contentType: sourceObject.contentType, userMetadata: userMetadata,
      media: sourceObject.media, size: entry.size, lastModified: entry.lastModified)
    return object(for: entry)
  }

  /// Deletes the file of `key`; returns whether there was one. A key ending in `/` removes its
  /// folder when the folder is empty.
  func delete(key: String) throws(TaskFailure) -> Bool {
    let (segments, isFolder) = try self.segments(of: key)
    snapshot = nil
    let path = root + "/" + segments.joined(separator: "/")
    guard type(at: path) != nil else { return false }
    if isFolder {
      guard type(at: path) == .typeDirectory,
        (try? files.contentsOfDirectory(atPath: path))?.isEmpty == true
      else { return false }
    } else {
      guard try file(forKey: key) != nil else { return false }
    }
    do {
      try files.removeItem(atPath: path)
    } catch {
      throw failure(key, error)
    }
    attributes[key] = nil
    eTags[key] = nil
    return true
  }

  /// Creates the folders `segments` under the root one by one, refusing any that is a file or a
  /// symbolic link leading outside; returns the real path of the last one.
  private func makeFolders(_ segments: [String], key: String) throws(TaskFailure) -> String {
    var directory = root
    var walked = ""
    for segment in segments {
      walked += segment + "/"
      let next = directory + "/" + segment
      switch type(at: next) {
      case .typeDirectory?:
        directory = next
      case .typeSymbolicLink?:
        guard let real = FolderBucket.realPath(next), isInside(real, orRoot: true) else {
          throw outside(key)
        }
        guard type(at: real) == .typeDirectory else {
          throw refusal(key, "'\(walked.dropLast())' is a file, not a folder")
        }
        directory = real
      case nil:
        do {
          try files.createDirectory(atPath: next, withIntermediateDirectories: false)
        } catch {
          throw failure(key, error)
        }
        directory = next
      default:
        throw refusal(key, "'\(walked.dropLast())' is a file, not a folder")
      }
    }
    return directory
  }

  /// The path to write for the file at `path`: itself, or the file a symbolic link inside the
  /// folder leads to; a folder there, or a link leading outside, is refused.
  private func target(_ path: String, key: String) throws(TaskFailure) -> String {
    switch type(at: path) {
    case nil, .typeRegular?:
      return path
    case .typeSymbolicLink?:
      guard let real = FolderBucket.realPath(path), isInside(real) else { throw outside(key) }
      guard type(at: real) == .typeRegular else {
        throw refusal(key, "its path is a folder (other keys start with '\(key)/')")
      }
      return real
    case .typeDirectory?:
      throw refusal(key, "its path is a folder (other keys start with '\(key)/')")
    default:
      throw refusal(key, "its path is not a regular file")
    }
  }

  static func date(_ instant: Instant) -> Date {
    Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000)
  }

  /// The content type a file gets when no write through the bucket gave one: what the AWS CLI
  /// (`aws s3 cp`) sets from the extension, else `binary/octet-stream` (S3's default).
  static func contentType(forKey key: String) -> String {
    let name = key.split(separator: "/").last.map(String.init) ?? key
    guard let dot = name.lastIndex(of: ".") else { return "binary/octet-stream" }
    switch name[name.index(after: dot)...].lowercased() {
    case "json": return "application/json"
    case "csv": return "text/csv"
    case "txt", "log": return "text/plain"
    case "html", "htm": return "text/html"
    case "xml": return "text/xml"
    case "mp4": return "video/mp4"
    case "mov": return "video/quicktime"
    case "png": return "image/png"
    case "jpg", "jpeg": return "image/jpeg"
    default: return "binary/octet-stream"
    }
  }
}
