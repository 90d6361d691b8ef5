import Foundation
import MediaTasks
import StepFunctions
import Testing

/// Runs `body` with a new empty folder, removed afterwards.
private func withFolder<T>(_ body: (URL) async throws -> T) async throws -> T {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("folder-bucket-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  return try await body(folder)
}

/// Writes `text` to `folder/relative`, creating its folders, with the modification time
/// `seconds` after the epoch.
private func writeFile(
  _ folder: URL, _ relative: String, _ bytes: [UInt8], modified seconds: Double = 1_700_000_000
) throws {
  let url = folder.appendingPathComponent(relative)
  try FileManager.default.createDirectory(
    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
  try Data(bytes).write(to: url)
  try FileManager.default.setAttributes(
    [.modificationDate: Date(timeIntervalSince1970: seconds)], ofItemAtPath: url.path)
}

private func text(_ folder: URL, _ relative: String) -> String? {
  (try? Data(contentsOf: folder.appendingPathComponent(relative)))
    .map { String(decoding: $0, as: UTF8.self) }
}

private let sdk = "arn:aws:states:::aws-sdk:s3:"

/// A world whose bucket `data` is `folder`.
private func folderWorld(_ folder: URL) throws -> MediaWorld {
  let world = MediaWorld()
  try world.s3.mapBucket("data", toFolder: folder)
  return world
}

@Suite("S3 buckets mapped onto local folders")
struct FolderBucketTests {
  @Test("putObject writes the file (creating folders) and getObject reads it back with its ETag")
  func putThenGet() async throws {
    try await withFolder { folder in
      let world = try folderWorld(folder)
      let put = try await call(
        sdk + "putObject",
        ["Bucket": "data", "Key": "out/2025/a.txt", "Body": "text data"], world: world)
      #expect(put.status == .succeeded)
      #expect(put.output?["ETag"] == "\"332eec544317a6d340b8e77da7fe54ad\"")
      #expect(text(folder, "out/2025/a.txt") == "text data")
      let get = try await call(
        sdk + "getObject", ["Bucket": "data", "Key": "out/2025/a.txt"], world: world)
      #expect(get.output?["Body"] == "text data")
      #expect(get.output?["ContentLength"] == 9)
      #expect(get.output?["ETag"] == "\"332eec544317a6d340b8e77da7fe54ad\"")
      #expect(get.output?["ContentType"] == "binary/octet-stream")
      // The write set the file's time to the execution's virtual time.
      #expect(get.output?["LastModified"] == "2025-01-01T00:00:00.000Z")
      let attributes = try FileManager.default.attributesOfItem(
        atPath: folder.appendingPathComponent("out/2025/a.txt").path)
      #expect(
        (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 == 1_735_689_600)
    }
  }

  @Test("Files put on disk are read with their size, MD5 ETag, time and extension's content type")
  func filesOnDisk() async throws {
    try await withFolder { folder in
      try writeFile(
        folder, "uploads/list.csv", Array("id,name\n1,a\n".utf8), modified: 1_700_000_000.75)
      let world = try folderWorld(folder)
      let get = try await call(
        sdk + "getObject", ["Bucket": "data", "Key": "uploads/list.csv"], world: world)
      #expect(get.output?["Body"] == "id,name\n1,a\n")
      #expect(get.output?["ContentLength"] == 12)
      #expect(get.output?["ContentType"] == "text/csv")
      #expect(
        get.output?["ETag"]
          == .string("\"" + HashAlgorithm.md5.hexDigest(of: "id,name\n1,a\n") + "\""))
      #expect(get.output?["LastModified"] == "2023-11-14T22:13:20.000Z")
      let head = try await call(
        sdk + "headObject", ["Bucket": "data", "Key": "uploads/list.csv"], world: world)
      #expect(head.output?["Body"] == nil)
      #expect(head.output?["ContentLength"] == 12)
      #expect(world.s3.object(uri: "s3://data/uploads/list.csv")?.body == "id,name\n1,a\n")
    }
  }

  @Test("listObjectsV2 lists files in UTF-8 byte order with Prefix, MaxKeys and continuation")
  func listing() async throws {
    try await withFolder { folder in
      for name in ["b.txt", "a/2.txt", "a/1.txt", "Z.txt", "é.txt", "a.txt", "a/sub/3.txt"] {
        try writeFile(folder, name, Array(name.utf8))
      }
      try FileManager.default.createDirectory(
        at: folder.appendingPathComponent("empty"), withIntermediateDirectories: true)
      let world = try folderWorld(folder)
      let all = try await call(sdk + "listObjectsV2", ["Bucket": "data"], world: world)
      let keys = all.output?["Contents"]?.arrayValue?.compactMap { $0["Key"]?.stringValue }
      #expect(keys == ["Z.txt", "a.txt", "a/1.txt", "a/2.txt", "a/sub/3.txt", "b.txt", "é.txt"])
      #expect(all.output?["KeyCount"] == 7)
      #expect(all.output?["IsTruncated"] == false)
      let first = all.output?["Contents"]?[0]
      #expect(first?["Size"] == 5)
      #expect(first?["LastModified"] == "2023-11-14T22:13:20.000Z")
      #expect(first?["ETag"] == .string("\"" + HashAlgorithm.md5.hexDigest(of: "Z.txt") + "\""))
      #expect(first?["StorageClass"] == "STANDARD")

      let prefixed = try await call(
        sdk + "listObjectsV2", ["Bucket": "data", "Prefix": "a/", "MaxKeys": 2], world: world)
      #expect(
        prefixed.output?["Contents"]?.arrayValue?.compactMap { $0["Key"]?.stringValue }
          == ["a/1.txt", "a/2.txt"])
      #expect(prefixed.output?["IsTruncated"] == true)
      let token = try #require(prefixed.output?["NextContinuationToken"]?.stringValue)
      let next = try await call(
        sdk + "listObjectsV2",
        ["Bucket": "data", "Prefix": "a/", "MaxKeys": 2, "ContinuationToken": .string(token)],
        world: world)
      #expect(
        next.output?["Contents"]?.arrayValue?.compactMap { $0["Key"]?.stringValue }
          == ["a/sub/3.txt"])
      #expect(next.output?["IsTruncated"] == false)
      #expect(next.output?["ContinuationToken"] == .string(token))

      let after = try await call(
        sdk + "listObjectsV2", ["Bucket": "data", "StartAfter": "a/2.txt"], world: world)
      #expect(
        after.output?["Contents"]?.arrayValue?.compactMap { $0["Key"]?.stringValue }
          == ["a/sub/3.txt", "b.txt", "é.txt"])
      #expect(after.output?["StartAfter"] == "a/2.txt")
    }
  }

  @Test("Paging continues the listing it started; a write through the bucket starts a new one")
  func pagingSnapshot() async throws {
    try await withFolder { folder in
      try writeFile(folder, "a.txt", Array("a".utf8))
      try writeFile(folder, "c.txt", Array("c".utf8))
      let world = try folderWorld(folder)
      let first = try await call(
        sdk + "listObjectsV2", ["Bucket": "data", "MaxKeys": 1], world: world)
      #expect(first.output?["NextContinuationToken"] == "a.txt")
      // A file added behind the bucket's back does not change the listing being paged.
      try writeFile(folder, "b.txt", Array("b".utf8))
      let next = try await call(
        sdk + "listObjectsV2", ["Bucket": "data", "ContinuationToken": "a.txt"], world: world)
      #expect(
        next.output?["Contents"]?.arrayValue?.compactMap { $0["Key"]?.stringValue } == ["c.txt"])
      _ = try await call(
        sdk + "putObject", ["Bucket": "data", "Key": "d.txt", "Body": "d"], world: world)
      let fresh = try await call(
        sdk + "listObjectsV2", ["Bucket": "data", "ContinuationToken": "a.txt"], world: world)
      #expect(
        fresh.output?["Contents"]?.arrayValue?.compactMap { $0["Key"]?.stringValue }
          == ["b.txt", "c.txt", "d.txt"])
    }
  }

  @Test(
    "A Delimiter rolls keys up into CommonPrefixes, in memory and in a folder",
    arguments: [true, false])
  func delimiter(inFolder: Bool) async throws {
    try await withFolder { folder in
      let world: MediaWorld
      if inFolder {
        world = try folderWorld(folder)
      } else {
        world = MediaWorld()
        world.s3.createBucket("data")
      }
      for key in ["a/1.txt", "a/2.txt", "b.txt", "c/d/e.txt", "f.txt"] {
        try world.s3.putText(S3Location(bucket: "data", key: key), body: key)
      }
      let page = try await call(
        sdk + "listObjectsV2", ["Bucket": "data", "Delimiter": "/", "MaxKeys": 3], world: world)
      #expect(page.output?["CommonPrefixes"] == [["Prefix": "a/"], ["Prefix": "c/"]])
      #expect(
        page.output?["Contents"]?.arrayValue?.compactMap { $0["Key"]?.stringValue } == ["b.txt"])
      #expect(page.output?["KeyCount"] == 3)
      #expect(page.output?["Delimiter"] == "/")
      #expect(page.output?["NextContinuationToken"] == "c/")
      let rest = try await call(
        sdk + "listObjectsV2",
        ["Bucket": "data", "Delimiter": "/", "ContinuationToken": "c/"], world: world)
      #expect(
        rest.output?["Contents"]?.arrayValue?.compactMap { $0["Key"]?.stringValue } == ["f.txt"])
      #expect(rest.output?["CommonPrefixes"] == nil)
      let nested = try await call(
        sdk + "listObjectsV2", ["Bucket": "data", "Delimiter": "/", "Prefix": "c/"], world: world)
      #expect(nested.output?["CommonPrefixes"] == [["Prefix": "c/d/"]])
    }
  }

  @Test("deleteObject removes the file; deleting a missing key succeeds as in S3")
  func delete() async throws {
    try await withFolder { folder in
      try writeFile(folder, "a/x.txt", Array("x".utf8))
      let world = try folderWorld(folder)
      let deleted = try await call(
        sdk + "deleteObject", ["Bucket": "data", "Key": "a/x.txt"], world: world)
      #expect(deleted.status == .succeeded)
      #expect(
        !FileManager.default.fileExists(atPath: folder.appendingPathComponent("a/x.txt").path))
      let again = try await call(
        sdk + "deleteObject", ["Bucket": "data", "Key": "a/x.txt"], world: world)
      #expect(again.status == .succeeded)
      let get = try await call(
        sdk + "getObject", ["Bucket": "data", "Key": "a/x.txt"], world: world)
      #expect(get.error == "S3.NoSuchKeyException")
    }
  }

  @Test("copyObject copies between folder buckets, and between a folder and memory")
  func copy() async throws {
    try await withFolder { folder in
      let other = folder.appendingPathComponent("other")
      let data = folder.appendingPathComponent("data")
      try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
      try writeFile(data, "in/frame.bin", [0, 1, 2, 255])
      let world = MediaWorld()
      try world.s3.mapBucket("data", toFolder: data)
      try world.s3.mapBucket("other", toFolder: other)
      world.s3.createBucket("memory")
      let copied = try await call(
        sdk + "copyObject",
        ["Bucket": "other", "Key": "out/frame.bin", "CopySource": "data/in/frame.bin"],
        world: world)
      #expect(copied.status == .succeeded)
      let bytes = try Data(contentsOf: other.appendingPathComponent("out/frame.bin"))
      #expect([UInt8](bytes) == [0, 1, 2, 255])
      #expect(
        copied.output?["CopyObjectResult"]?["ETag"]
          == .string("\"" + HashAlgorithm.md5.hexDigest(of: [0, 1, 2, 255]) + "\""))
      try world.s3.putText(S3Location(bucket: "memory", key: "note.txt"), body: "from memory")
      _ = try await call(
        sdk + "copyObject",
        ["Bucket": "data", "Key": "notes/note.txt", "CopySource": "memory/note.txt"],
        world: world)
      #expect(text(data, "notes/note.txt") == "from memory")
      _ = try await call(
        sdk + "copyObject",
        ["Bucket": "memory", "Key": "back.txt", "CopySource": "data/notes/note.txt"],
        world: world)
      #expect(world.s3.object(uri: "s3://memory/back.txt")?.body == "from memory")
    }
  }

  @Test(
    "Keys that would leave the folder or cannot be files fail with S3.S3Exception and write nothing",
    arguments: ["../x", "a/../../x", "/etc/passwd", "a\\..\\x", "a//b", "./x", "a/./b", "a\u{0}b"])
  func traversal(key: String) async throws {
    try await withFolder { parent in
      let folder = parent.appendingPathComponent("bucket")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      let world = try folderWorld(folder)
      for action in ["putObject", "getObject", "headObject", "deleteObject"] {
        let result = try await call(
          sdk + action, ["Bucket": "data", "Key": .string(key), "Body": "owned"], world: world)
        #expect(result.error == "S3.S3Exception", "\(action)")
        #expect(result.cause?.contains("cannot be a file in the folder bucket 'data'") == true)
      }
      #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["bucket"])
      #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
  }

  @Test("A symbolic link leading outside the folder is neither read, written through nor listed")
  func symbolicLinkOut() async throws {
    try await withFolder { parent in
      let folder = parent.appendingPathComponent("bucket")
      let outside = parent.appendingPathComponent("outside")
      try writeFile(outside, "secret.txt", Array("secret".utf8))
      try writeFile(folder, "inside.txt", Array("inside".utf8))
      let files = FileManager.default
      try files.createSymbolicLink(
        atPath: folder.appendingPathComponent("secret.txt").path,
        withDestinationPath: outside.appendingPathComponent("secret.txt").path)
      try files.createSymbolicLink(
        atPath: folder.appendingPathComponent("out").path, withDestinationPath: outside.path)
      try files.createSymbolicLink(
        atPath: folder.appendingPathComponent("alias.txt").path,
        withDestinationPath: folder.appendingPathComponent("inside.txt").path)
      let world = try folderWorld(folder)
      for key in ["secret.txt", "out/secret.txt"] {
        let get = try await call(
          sdk + "getObject", ["Bucket": "data", "Key": .string(key)], world: world)
        #expect(get.error == "S3.S3Exception")
        #expect(get.cause?.contains("outside the folder") == true)
      }
      for key in ["secret.txt", "out/new.txt", "out/sub/new.txt"] {
        let put = try await call(
          sdk + "putObject", ["Bucket": "data", "Key": .string(key), "Body": "x"], world: world)
        #expect(put.error == "S3.S3Exception")
      }
      #expect(text(outside, "secret.txt") == "secret")
      #expect(try files.contentsOfDirectory(atPath: outside.path) == ["secret.txt"])
      let list = try await call(sdk + "listObjectsV2", ["Bucket": "data"], world: world)
      #expect(
        list.output?["Contents"]?.arrayValue?.compactMap { $0["Key"]?.stringValue }
          == ["alias.txt", "inside.txt"])
      let alias = try await call(
        sdk + "getObject", ["Bucket": "data", "Key": "alias.txt"], world: world)
      #expect(alias.output?["Body"] == "inside")
    }
  }

  @Test("Mapping a folder that does not exist, or a file, throws an error naming it")
  func missingFolder() async throws {
    try await withFolder { parent in
      let s3 = MediaWorld().s3
      let missing = parent.appendingPathComponent("nope")
      #expect(throws: FolderBucketError(kind: .missing, path: missing.path)) {
        try s3.mapBucket("data", toFolder: missing)
      }
      try writeFile(parent, "file.txt", [])
      let file = parent.appendingPathComponent("file.txt")
      #expect(throws: FolderBucketError(kind: .notAFolder, path: file.path)) {
        try s3.mapBucket("data", toFolder: file)
      }
      #expect(FolderBucketError(kind: .missing, path: "/x").description.contains("'/x'"))
      #expect(!s3.bucketExists("data"))
    }
  }

  @Test(
    "A file that is not UTF-8 is returned with U+FFFD for invalid bytes, its exact bytes in BodyBase64, its size and MD5"
  )
  func binaryContent() async throws {
    try await withFolder { folder in
      let bytes: [UInt8] = [0xFF, 0xFE, 0x41, 0xC3]
      try writeFile(folder, "blob.bin", bytes)
      let world = try folderWorld(folder)
      let get = try await call(
        sdk + "getObject", ["Bucket": "data", "Key": "blob.bin"], world: world)
      #expect(get.status == .succeeded)
      #expect(get.output?["Body"] == "\u{FFFD}\u{FFFD}A\u{FFFD}")
      #expect(get.output?["BodyBase64"] == .string(Data(bytes).base64EncodedString()))
      #expect(get.output?["ContentLength"] == 4)
      #expect(get.output?["ETag"] == .string("\"" + HashAlgorithm.md5.hexDigest(of: bytes) + "\""))
    }
  }

  @Test("A sparse 10 GB file is headed and listed from its attributes; getObject refuses it")
  func largeFile() async throws {
    try await withFolder { folder in
      let url = folder.appendingPathComponent("huge.bin")
      #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
      let handle = try FileHandle(forWritingTo: url)
      try handle.truncate(atOffset: 10 * 1024 * 1024 * 1024)
      try handle.close()
      let world = try folderWorld(folder)
      let clock = ContinuousClock()
      let started = clock.now
      let head = try await call(
        sdk + "headObject", ["Bucket": "data", "Key": "huge.bin"], world: world)
      #expect(head.output?["ContentLength"] == 10_737_418_240)
      let eTag = try #require(head.output?["ETag"]?.stringValue)
      #expect(eTag.hasSuffix("-1280\""))
      let list = try await call(sdk + "listObjectsV2", ["Bucket": "data"], world: world)
      #expect(list.output?["Contents"]?[0]?["Size"] == 10_737_418_240)
      #expect(list.output?["Contents"]?[0]?["ETag"] == .string(eTag))
      let get = try await call(
        sdk + "getObject", ["Bucket": "data", "Key": "huge.bin"], world: world)
      #expect(get.error == "S3.S3Exception")
      #expect(get.cause?.contains("10737418240 bytes") == true)
      // Reading 10 GB would take far longer than this.
      #expect(started.duration(to: clock.now) < .seconds(5))
    }
  }

  @Test("A key ending in '/' with an empty body creates a folder, which is never an object")
  func folderKeys() async throws {
    try await withFolder { folder in
      let world = try folderWorld(folder)
      let put = try await call(
        sdk + "putObject", ["Bucket": "data", "Key": "frames/", "Body": ""], world: world)
      #expect(put.status == .succeeded)
      var isFolder: ObjCBool = false
      #expect(
        FileManager.default.fileExists(
          atPath: folder.appendingPathComponent("frames").path, isDirectory: &isFolder))
      #expect(isFolder.boolValue)
      let get = try await call(
        sdk + "getObject", ["Bucket": "data", "Key": "frames/"], world: world)
      #expect(get.error == "S3.NoSuchKeyException")
      let withBody = try await call(
        sdk + "putObject", ["Bucket": "data", "Key": "frames/", "Body": "x"], world: world)
      #expect(withBody.error == "S3.S3Exception")
      let list = try await call(sdk + "listObjectsV2", ["Bucket": "data"], world: world)
      #expect(list.output?["Contents"] == nil)
      #expect(list.output?["KeyCount"] == 0)
      try writeFile(folder, "file", [])
      let under = try await call(
        sdk + "putObject", ["Bucket": "data", "Key": "file/x", "Body": "x"], world: world)
      #expect(under.error == "S3.S3Exception")
      #expect(under.cause?.contains("'file' is a file") == true)
    }
  }

  @Test("The optimized s3:getObject, s3:putObject and s3:listObjectsV2 resources reach the bucket")
  func optimizedResources() async throws {
    try await withFolder { folder in
      let world = try folderWorld(folder)
      let put = try await call(
        "arn:aws:states:::s3:putObject", ["Bucket": "data", "Key": "r.json", "Body": ["a": 1]],
        world: world)
      #expect(put.status == .succeeded)
      #expect(text(folder, "r.json") == #"{"a":1}"#)
      let get = try await call(
        "arn:aws:states:::s3:getObject", ["Bucket": "data", "Key": "r.json"], world: world)
      #expect(get.output?["Body"] == #"{"a":1}"#)
      #expect(get.output?["ContentType"] == "binary/octet-stream")
      let list = try await call(
        "arn:aws:states:::s3:listObjectsV2", ["Bucket": "data"], world: world)
      #expect(list.output?["Contents"]?[0]?["Key"] == "r.json")
    }
  }

  @Test("putObject's ContentType and Metadata are kept while the file is unchanged")
  func keptAttributes() async throws {
    try await withFolder { folder in
      let world = try folderWorld(folder)
      _ = try await call(
        sdk + "putObject",
        [
          "Bucket": "data", "Key": "r.dat", "Body": "{}", "ContentType": "application/json",
          "Metadata": ["Source": "test"],
        ], world: world)
      let head = try await call(
        sdk + "headObject", ["Bucket": "data", "Key": "r.dat"], world: world)
      #expect(head.output?["ContentType"] == "application/json")
      #expect(head.output?["Metadata"] == ["source": "test"])
      try writeFile(folder, "r.dat", Array("changed".utf8))
      let changed = try await call(
        sdk + "headObject", ["Bucket": "data", "Key": "r.dat"], world: world)
      #expect(changed.output?["ContentType"] == "binary/octet-stream")
      #expect(changed.output?["ContentLength"] == 7)
    }
  }
}
