import Foundation
import StepFunctions
import StepFunctionsTesting
import Testing

@Suite("Conformance: the S3 objects of ItemReader cases")
struct ConformanceReaderObjectsTests {
  func write(_ text: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "reader-objects-\(UUID().uuidString).json")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  @Test("A file of objects by case loads; an entry without Body is refused with its place")
  func loading() throws {
    let good = try write(
      #"{"cases": {"c1": [{"Bucket": "b", "Key": "k", "Body": "[1]"}], "c2": []}}"#)
    defer { try? FileManager.default.removeItem(at: good) }
    let objects = try ConformanceReaderObjects(contentsOf: good)
    #expect(objects.objectsByCase["c1"] == [.init(bucket: "b", key: "k", body: "[1]")])
    #expect(objects.objectsByCase["c2"] == [])
    let bad = try write(#"{"cases": {"c1": [{"Bucket": "b", "Key": "k"}]}}"#)
    defer { try? FileManager.default.removeItem(at: bad) }
    #expect(throws: ConformanceCaseError.self) { try ConformanceReaderObjects(contentsOf: bad) }
    do {
      _ = try ConformanceReaderObjects(contentsOf: bad)
    } catch {
      #expect(error.message == "cases/c1/0 needs Bucket, Key and Body strings")
    }
  }

  @Test("The handlers serve getObject and listObjectsV2, and fail a missing key with S3.NoSuchKey")
  func handlers() async throws {
    let registry = ConformanceReaderObjects.handlers(serving: [
      .init(bucket: "b", key: "p/one", body: "1"), .init(bucket: "b", key: "q", body: "22"),
    ])
    let machine = try StateMachine(
      json: #"""
        {"StartAt": "Fan", "States": {"Fan": {"Type": "Map", "End": true,
          "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b", "Prefix": "p/"}},
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "W", "States": {"W": {"Type": "Pass", "End": true}}}}}}
        """#)
    var options = ExecutionOptions()
    options.handlers = registry
    let result = await machine.run(input: [:], options: options)
    #expect(result.output?.arrayValue?.map { $0["Key"] } == ["p/one"])
    let missing = try StateMachine(
      json: #"""
        {"StartAt": "Fan", "States": {"Fan": {"Type": "Map", "End": true,
          "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b", "Key": "nope"}, "ReaderConfig": {"InputType": "JSON"}},
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "W", "States": {"W": {"Type": "Pass", "End": true}}}}}}
        """#)
    let failed = await missing.run(input: [:], options: options)
    #expect(failed.error == "States.ItemReaderFailed")
    #expect(
      failed.cause == "S3.NoSuchKey: The specified key does not exist. (Bucket: b, Key: nope)")
  }
}
