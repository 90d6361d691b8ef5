import Foundation
import MediaTasks
import StepFunctions
import Testing

@Suite("A distributed Map reads its items from the in-memory S3")
struct ItemReaderS3Tests {
  /// The world's S3 handler, registered for the reader resources.
  static func options(_ world: MediaWorld) -> ExecutionOptions {
    var options = ExecutionOptions()
    options.handlers = world.handlers
    let s3 = S3Handler(s3: world.s3)
    options.handlers.register(s3, forIntegration: "s3:getObject")
    options.handlers.register(s3, forIntegration: "s3:listObjectsV2")
    return options
  }

  static func machine(_ reader: String, batcher: String = "") -> String {
    #"""
    {"StartAt": "Fan", "States": {"Fan": {"Type": "Map", "End": true, "ItemReader": \#(reader)\#(batcher),
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "W", "States": {"W": {"Type": "Pass", "End": true}}}}}}
    """#
  }

  @Test("A CSV of uploads, batched by two")
  func csvBatches() async throws {
    let world = MediaWorld()
    _ = try world.s3.putText(
      S3Location(bucket: "data", key: "uploads.csv"),
      body: "key,size\nclip1.mp4,10\nclip2.mp4,20\nclip3.mp4,30\n")
    let machine = try StateMachine(
      json: Self.machine(
        #"{"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "data", "Key": "uploads.csv"}, "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}}"#,
        batcher: #", "ItemBatcher": {"MaxItemsPerBatch": 2}"#))
    let result = await machine.run(input: [:], options: Self.options(world))
    #expect(
      result.output
        == [
          ["Items": [["key": "clip1.mp4", "size": "10"], ["key": "clip2.mp4", "size": "20"]]],
          ["Items": [["key": "clip3.mp4", "size": "30"]]],
        ], "\(result.status) \(result.error ?? "") \(result.cause ?? "")")
  }

  @Test("A listing of frames under a prefix: one item per object, with AWS's fields")
  func listing() async throws {
    let world = MediaWorld()
    for index in 1...3 {
      _ = try world.s3.putText(
        S3Location(bucket: "frames", key: "job/f\(index).png"), body: "png")
    }
    _ = try world.s3.putText(S3Location(bucket: "frames", key: "other/x"), body: "")
    let machine = try StateMachine(
      json: Self.machine(
        #"{"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "frames", "Prefix": "job/"}}"#
      ))
    let result = await machine.run(input: [:], options: Self.options(world))
    let items = result.output?.arrayValue ?? []
    #expect(
      items.map { $0["Key"] } == ["job/f1.png", "job/f2.png", "job/f3.png"], "\(result.cause ?? "")"
    )
    #expect(
      items.first?.objectValue?.keys.sorted() == [
        "Etag", "Key", "LastModified", "Size", "StorageClass",
      ])
    #expect(items.first?["Size"] == 3)
  }

  /// `gzip.compress` (Python 3.11, mtime 0) of sixty S3 Inventory rows,
  /// `"media-uploads","incoming/clip-NNN.mp4","SIZE","2024-12-31T23:00:00.000Z","ETAG"`, for
  /// NNN from 000 to 059 and SIZE = 1000 + 37 × NNN.
  static let gzippedInventoryRows =
    "H4sIAAAAAAACA6XWO27bUBSE4T7LYB0597zuI+tIlU6RnECAZQswsv8wBafVAEMQIEEWP6tvuN1fr7fz6e/j7eN8/dy+brf3y8f99v7n2+Xt9ji11l7uj9yf2367X7x5nsxPYT88vre2ny/7m5/7q/bk2L5sz2KGWAwpZkTMERspxZyIxRHbDykWRCwRyynFkogVYrOkWBGxfsTcXYp1IjYQqyXFBhGbiK0uxSYRW0csIqTYeh4zCBJDE+RMxCBINk2QX0QMgmRqglyIGATJqQlyJWIQpEwT5JWIQZAqTZDfRAyC1JIEMWLPDIJ0lwQxYs8MgvQuCWLEnhkEGU0SxIg9cwgyUhLEiD1zCDKGJIgRe+YQZJokiBF75hBkliSIEXvmEGROSRAj9swhyHJJECP2zCHI6pogxJ45BFlLE4TYMz8E8RaaIMSe+UJsaIIQexaHIG6mCULsWRhiqQlC7Fk4YlMSxIk9i0OQ/e9bEsSJPYtErCRBnNizKMSWJIgTexaHIB4hCeLEnsVArEuCOLFnAUGySYI4sWcBQTIlQZzYs4QgOSVBnNizhCBlkiBO7FlCkCpNEGLPEoLU0gQh9iwhSHdNEGLPEoL0rglC7FlCkNE0QYg9SwgyQhOE2LOEIGNIggSxZwlBpkmCBLFnBUFmSYIEsWcFQeaUBAlizwqCLJcECWLPCoKsLgkSxJ4VBFlLEiSIPatDkPj/bUqM2LPqiA1JkCD2rA5BwpokSBB7VhOx1AQh9qwWYlMTZN+zfxXyb1aMGQAA"

  @Test("An S3 Inventory report with a gzip-compressed data file: its rows are the items")
  func gzippedInventory() async throws {
    let world = MediaWorld()
    let data = [UInt8](try #require(Data(base64Encoded: Self.gzippedInventoryRows)))
    let stored = try world.s3.putData(
      S3Location(bucket: "inventory", key: "uploads/data/part-1.csv.gz"), bytes: data)
    #expect(stored.bytes == data)
    _ = try world.s3.putText(
      S3Location(bucket: "inventory", key: "uploads/2024-12-31T00-00Z/manifest.json"),
      body: #"""
        {"sourceBucket": "media-uploads", "destinationBucket": "arn:aws:s3:::inventory",
         "version": "2016-11-30", "fileFormat": "CSV",
         "fileSchema": "Bucket, Key, Size, LastModifiedDate, ETag",
         "files": [{"key": "uploads/data/part-1.csv.gz", "size": 585, "MD5checksum": "x"}]}
        """#)
    let machine = try StateMachine(
      json: Self.machine(
        #"{"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "inventory", "Key": "uploads/2024-12-31T00-00Z/manifest.json"}, "ReaderConfig": {"InputType": "MANIFEST"}}"#
      ))
    let result = await machine.run(input: [:], options: Self.options(world))
    let items = result.output?.arrayValue ?? []
    #expect(items.count == 60, "\(result.status) \(result.cause ?? "")")
    #expect(
      items.first
        == [
          "Bucket": "media-uploads", "Key": "incoming/clip-000.mp4", "Size": "1000",
          "LastModifiedDate": "2024-12-31T23:00:00.000Z",
          "ETag": "00000000000000000000000000000000",
        ])
    #expect(items.last?["Size"] == "3183")
  }

  @Test("A corrupt gzip data file fails the Map Run with States.ItemReaderFailed")
  func corruptGzip() async throws {
    let world = MediaWorld()
    var data = [UInt8](try #require(Data(base64Encoded: Self.gzippedInventoryRows)))
    data[data.count - 9] ^= 0xff  // the last byte of the DEFLATE stream
    _ = try world.s3.putData(S3Location(bucket: "inventory", key: "d.csv.gz"), bytes: data)
    _ = try world.s3.putText(
      S3Location(bucket: "inventory", key: "manifest.json"),
      body:
        #"{"sourceBucket": "s", "destinationBucket": "arn:aws:s3:::inventory", "fileFormat": "CSV", "fileSchema": "Bucket, Key", "files": [{"key": "d.csv.gz", "size": 1, "MD5checksum": "x"}]}"#
    )
    let machine = try StateMachine(
      json: Self.machine(
        #"{"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "inventory", "Key": "manifest.json"}, "ReaderConfig": {"InputType": "MANIFEST"}}"#
      ))
    let result = await machine.run(input: [:], options: Self.options(world))
    #expect(result.error == "States.ItemReaderFailed")
    #expect(
      result.cause?.hasPrefix(
        "The inventory data file s3://inventory/d.csv.gz cannot be decompressed")
        == true, "\(result.cause ?? "")")
  }

}
