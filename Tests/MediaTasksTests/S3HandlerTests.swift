import MediaTasks
import StepFunctions
import Testing

@Suite("In-memory S3 through the AWS SDK integration")
struct S3HandlerTests {
  let put = "arn:aws:states:::aws-sdk:s3:putObject"

  @Test("putObject stores the body and returns its MD5 ETag; getObject reads it back")
  func putThenGet() async throws {
    let world = MediaWorld()
    world.s3.createBucket("docs")
    let stored = try await call(
      put, ["Bucket": "docs", "Key": "a.txt", "Body": "text data"], world: world)
    #expect(stored.status == .succeeded)
    #expect(stored.output?["ETag"] == "\"332eec544317a6d340b8e77da7fe54ad\"")
    #expect(stored.output?["ServerSideEncryption"] == "AES256")
    let read = try await call(
      "arn:aws:states:::aws-sdk:s3:getObject", ["Bucket": "docs", "Key": "a.txt"], world: world)
    #expect(read.output?["Body"] == "text data")
    #expect(read.output?["ContentLength"] == 9)
    #expect(read.output?["LastModified"] == "2025-01-01T00:00:00.000Z")
    #expect(world.s3.object(uri: "s3://docs/a.txt")?.body == "text data")
  }

  @Test("A JSON body is stored as JSON text")
  func jsonBody() async throws {
    let world = MediaWorld()
    _ = try await call(
      put, ["Bucket": "docs", "Key": "m.json", "Body": ["a": [1, 2]]], world: world)
    #expect(world.s3.object(uri: "s3://docs/m.json")?.body == #"{"a":[1,2]}"#)
  }

  @Test("headObject reports the media metadata of a video as S3 user metadata, without a body")
  func headVideo() async throws {
    let world = MediaWorld()
    try world.s3.putVideo(
      location("s3://media/in.mp4"),
      media: MediaMetadata(durationSeconds: 60, width: 1280, height: 720, bitrate: 3_000_000))
    let head = try await call(
      "arn:aws:states:::aws-sdk:s3:headObject", ["Bucket": "media", "Key": "in.mp4"], world: world)
    #expect(head.output?["Body"] == nil)
    #expect(head.output?["ContentLength"] == 22_500_000)
    #expect(head.output?["ContentType"] == "video/mp4")
    #expect(head.output?["Metadata"]?["duration-seconds"] == "60")
    #expect(head.output?["Metadata"]?["height"] == "720")
  }

  @Test(
    "A missing key fails with S3.NoSuchKeyException and the SDK's message",
    arguments: ["getObject", "headObject"])
  func missingKey(action: String) async throws {
    let world = MediaWorld()
    world.s3.createBucket("docs")
    let result = try await call(
      "arn:aws:states:::aws-sdk:s3:\(action)", ["Bucket": "docs", "Key": "nope"], world: world)
    #expect(result.status == .failed)
    #expect(result.error == "S3.NoSuchKeyException")
    #expect(result.cause?.hasPrefix("The specified key does not exist.") == true)
  }

  @Test(
    "A missing bucket fails with S3.NoSuchBucketException, and writes need it when auto-creation is off"
  )
  func missingBucket() async throws {
    let world = MediaWorld()
    world.s3.createsMissingBuckets = false
    let read = try await call(
      "arn:aws:states:::aws-sdk:s3:getObject", ["Bucket": "ghost", "Key": "k"], world: world)
    #expect(read.error == "S3.NoSuchBucketException")
    let write = try await call(put, ["Bucket": "ghost", "Key": "k", "Body": "x"], world: world)
    #expect(write.error == "S3.NoSuchBucketException")
    #expect(world.s3.bucketNames.isEmpty)
  }

  @Test("copyObject copies object and metadata; versioned buckets return version IDs")
  func copy() async throws {
    let world = MediaWorld()
    world.s3.createBucket("src", versioned: true)
    world.s3.createBucket("archive", versioned: true)
    try world.s3.putVideo(
      location("s3://src/up/clip.mp4"),
      media: MediaMetadata(durationSeconds: 10, width: 640, height: 360, bitrate: 800_000))
    let result = try await call(
      "arn:aws:states:::aws-sdk:s3:copyObject",
      ["Bucket": "archive", "Key": "rejected/clip.mp4", "CopySource": "src/up/clip.mp4"],
      world: world)
    #expect(result.status == .succeeded)
    #expect(result.output?["CopyObjectResult"]?["ETag"] != nil)
    #expect(result.output?["VersionId"]?.stringValue?.count == 32)
    #expect(
      result.output?["CopySourceVersionId"]
        == .string(world.s3.object(uri: "s3://src/up/clip.mp4")?.versionId ?? ""))
    #expect(world.s3.object(uri: "s3://archive/rejected/clip.mp4")?.media?.height == 360)
  }

  @Test("copyObject from a missing source fails with S3.NoSuchKeyException")
  func copyMissing() async throws {
    let world = MediaWorld()
    world.s3.createBucket("src")
    let result = try await call(
      "arn:aws:states:::aws-sdk:s3:copyObject",
      ["Bucket": "src", "Key": "b", "CopySource": "src/a"], world: world)
    #expect(result.error == "S3.NoSuchKeyException")
  }

  @Test("deleteObject removes the object and succeeds even when it was already gone")
  func delete() async throws {
    let world = MediaWorld()
    try world.s3.putText(location("s3://docs/a.txt"), body: "x")
    let first = try await call(
      "arn:aws:states:::aws-sdk:s3:deleteObject", ["Bucket": "docs", "Key": "a.txt"], world: world)
    #expect(first.status == .succeeded)
    #expect(world.s3.object(uri: "s3://docs/a.txt") == nil)
    let again = try await call(
      "arn:aws:states:::aws-sdk:s3:deleteObject", ["Bucket": "docs", "Key": "a.txt"], world: world)
    #expect(again.status == .succeeded)
  }

  @Test("listObjectsV2 lists keys under a prefix in order and pages with MaxKeys")
  func list() async throws {
    let world = MediaWorld()
    for key in ["f/b", "f/a", "g/c", "f/c"] {
      try world.s3.putText(location("s3://bk/\(key)"), body: key)
    }
    let all = try await call(
      "arn:aws:states:::aws-sdk:s3:listObjectsV2", ["Bucket": "bk", "Prefix": "f/"], world: world)
    #expect(
      all.output?["Contents"]?.arrayValue?.compactMap { $0["Key"]?.stringValue } == [
        "f/a", "f/b", "f/c",
      ])
    #expect(all.output?["KeyCount"] == 3)
    #expect(all.output?["IsTruncated"] == false)
    let page = try await call(
      "arn:aws:states:::aws-sdk:s3:listObjectsV2", ["Bucket": "bk", "Prefix": "f/", "MaxKeys": 2],
      world: world)
    #expect(page.output?["IsTruncated"] == true)
    #expect(page.output?["NextContinuationToken"] == "f/b")
    let next = try await call(
      "arn:aws:states:::aws-sdk:s3:listObjectsV2",
      ["Bucket": "bk", "Prefix": "f/", "ContinuationToken": "f/b"],
      world: world)
    #expect(next.output?["Contents"]?.arrayValue?.compactMap { $0["Key"]?.stringValue } == ["f/c"])
  }

  @Test("A request without a Key is refused with the parameter's name")
  func missingParameter() async throws {
    let world = MediaWorld()
    let result = try await call(put, ["Bucket": "docs"], world: world)
    #expect(result.error == "S3.S3Exception")
    #expect(result.cause?.contains("'Key'") == true)
  }

  @Test(
    "An S3 action the store does not implement has no handler, so the execution says which key to register"
  )
  func unimplementedAction() async throws {
    let world = MediaWorld()
    let result = try await call(
      "arn:aws:states:::aws-sdk:s3:getBucketPolicy", ["Bucket": "docs"], world: world)
    #expect(result.status == .failed)
    #expect(result.cause?.contains("aws-sdk:s3:getBucketPolicy") == true)
  }

  @Test("s3:// URIs split into bucket and key, file name and directory")
  func locations() throws {
    let parsed = try location("s3://bucket/dir/sub/file.name.mp4")
    #expect(parsed.bucket == "bucket")
    #expect(parsed.key == "dir/sub/file.name.mp4")
    #expect(parsed.fileName == "file.name.mp4")
    #expect(parsed.baseName == "file.name")
    #expect(parsed.directory == "dir/sub/")
    #expect(!parsed.isPrefix)
    #expect(try location("s3://bucket/dir/").isPrefix)
    #expect(S3Location(uri: "https://bucket/key") == nil)
    #expect(S3Location(uri: "s3:///key") == nil)
  }
}
