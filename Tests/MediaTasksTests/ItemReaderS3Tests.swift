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
}
