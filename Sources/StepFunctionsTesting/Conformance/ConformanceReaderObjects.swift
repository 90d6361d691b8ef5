import Foundation
import StepFunctions

/// The S3 objects the corpus's `ItemReader` cases read, which their recordings do not hold (AWS
/// writes no event for what a reader reads): for each case, the objects its test put in its
/// bucket before it started the execution.
///
/// The file (`Tests/Conformance/item-reader-objects.json`) is JSON:
///
/// ```json
/// {"cases": {"<case identifier>": [{"Bucket": "bucket-name", "Key": "file.csv", "Body": "..."}]}}
/// ```
///
/// A replay of such a case answers the reader from an in-memory bucket holding them
/// (``ReplayOptions/itemReaderHandlers``).
public struct ConformanceReaderObjects: Sendable {
  /// One stored object.
  public struct Object: Sendable, Hashable {
    /// The bucket.
    public var bucket: String
    /// The key.
    public var key: String
    /// The content.
    public var body: String

    /// Creates an object.
    public init(bucket: String, key: String, body: String) {
      self.bucket = bucket
      self.key = key
      self.body = body
    }
  }

  /// The objects of each case, by case identifier.
  public var objectsByCase: [String: [Object]]

  /// No objects: every `ItemReader` case is skipped.
  public static let none = ConformanceReaderObjects(objectsByCase: [:])

  /// The default file, relative to the package root.
  public static let defaultPath = "Tests/Conformance/item-reader-objects.json"

  /// Creates the table.
  public init(objectsByCase: [String: [Object]]) { self.objectsByCase = objectsByCase }

  /// Reads a file in the format above.
  ///
  /// - Throws: ``ConformanceCaseError`` when the file cannot be read or is not in that format.
  public init(contentsOf url: URL) throws(ConformanceCaseError) {
    let text: String
    do {
      text = try String(contentsOf: url, encoding: .utf8)
    } catch {
      throw ConformanceCaseError(fileURL: url, message: "cannot read the file")
    }
    let document: JSON
    do {
      document = try JSON(parsing: text)
    } catch {
      throw ConformanceCaseError(fileURL: url, message: "not JSON: \(error.description)")
    }
    guard case .object(let cases) = document["cases"] ?? .null else {
      throw ConformanceCaseError(fileURL: url, message: "no \"cases\" object")
    }
    var table: [String: [Object]] = [:]
    for (name, entries) in cases {
      guard case .array(let list) = entries else {
        throw ConformanceCaseError(fileURL: url, message: "cases/\(name) is not an array")
      }
      var objects: [Object] = []
      for (index, entry) in list.enumerated() {
        guard case .string(let bucket) = entry["Bucket"] ?? .null,
          case .string(let key) = entry["Key"] ?? .null,
          case .string(let body) = entry["Body"] ?? .null
        else {
          throw ConformanceCaseError(
            fileURL: url, message: "cases/\(name)/\(index) needs Bucket, Key and Body strings")
        }
        objects.append(Object(bucket: bucket, key: key, body: body))
      }
      table[name] = objects
    }
    objectsByCase = table
  }

  /// Handlers serving `s3:getObject` and `s3:listObjectsV2` from `objects`, with the response
  /// shapes of the S3 API (a missing key fails with `S3.NoSuchKey`).
  public static func handlers(serving objects: [Object]) -> TaskHandlerRegistry {
    var registry = TaskHandlerRegistry()
    registry.register(
      ClosureTaskHandler { request, _ in
        let bucket = request.parameters["Bucket"]?.stringValue ?? ""
        let key = request.parameters["Key"]?.stringValue ?? ""
        guard let object = objects.first(where: { $0.bucket == bucket && $0.key == key }) else {
          throw TaskFailure(
            error: "S3.NoSuchKey",
            cause: "The specified key does not exist. (Bucket: \(bucket), Key: \(key))")
        }
        return [
          "Body": .string(object.body),
          "ContentLength": .number(JSONNumber(object.body.utf8.count)),
        ]
      }, forIntegration: "s3:getObject")
    registry.register(
      ClosureTaskHandler { request, _ in
        let bucket = request.parameters["Bucket"]?.stringValue ?? ""
        let prefix = request.parameters["Prefix"]?.stringValue ?? ""
        let listed = objects.filter { $0.bucket == bucket && $0.key.hasPrefix(prefix) }
          .sorted { $0.key < $1.key }
        let contents = listed.map { object -> JSON in
          [
            "Key": .string(object.key), "LastModified": "2024-01-01T00:00:00Z",
            "ETag": .string("\"\(object.key)\""),
            "Size": .number(JSONNumber(object.body.utf8.count)), "StorageClass": "STANDARD",
          ]
        }
        return [
          "Contents": .array(contents), "IsTruncated": false,
          "KeyCount": .number(JSONNumber(contents.count)),
          "Name": .string(bucket), "Prefix": .string(prefix),
        ]
      }, forIntegration: "s3:listObjectsV2")
    return registry
  }
}
