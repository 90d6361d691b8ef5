import Foundation
import MediaTasks
import StepFunctions

/// One `--bucket NAME=DIR` argument: the bucket `NAME` of the simulated S3 is the local folder
/// `DIR`, read and written on disk.
public struct BucketFolder: Sendable, Hashable {
  /// The bucket name the state machine uses.
  public var bucket: String
  /// The folder, as given (relative paths are relative to the working directory).
  public var path: String

  /// Creates a mapping.
  public init(bucket: String, path: String) {
    self.bucket = bucket
    self.path = path
  }

  /// The `--bucket` option, shared by `sfn run` and `sfn test`.
  static let option = OptionDefinition.option(
    "bucket", valueName: "name=dir",
    help: "Serve the S3 bucket NAME from the local folder DIR (read and write). Repeatable.",
    isRepeatable: true)

  /// Parses every `--bucket NAME=DIR` value.
  ///
  /// - Throws: ``UsageError`` for a value without `=`, an empty name or folder, a name with `/`,
  ///   or a bucket given twice.
  static func parse(_ arguments: ParsedArguments) throws(UsageError) -> [BucketFolder] {
    var result: [BucketFolder] = []
    for value in arguments.values("bucket") {
      guard let equals = value.firstIndex(of: "=") else {
        throw UsageError(
          "The value '\(value)' is invalid for '--bucket <name=dir>'. Please write the bucket name, '=', and the folder: --bucket data=./frames."
        )
      }
      let bucket = String(value[..<equals])
      let path = String(value[value.index(after: equals)...])
      guard !bucket.isEmpty, !path.isEmpty, !bucket.contains("/") else {
        throw UsageError(
          "The value '\(value)' is invalid for '--bucket <name=dir>'. Please give a bucket name without '/' and a folder: --bucket data=./frames."
        )
      }
      if result.contains(where: { $0.bucket == bucket }) {
        throw UsageError("The bucket '\(bucket)' is given twice with '--bucket'.")
      }
      result.append(BucketFolder(bucket: bucket, path: path))
    }
    return result
  }

  /// The default handlers (a fresh ``MediaTasks/MediaWorld/sample(seed:)`` world) with
  /// `folders` mapped onto their buckets.
  ///
  /// - Throws: ``FolderBucketError`` naming (as given on the command line) the first folder, in
  ///   argument order, that does not exist or is not a folder.
  static func handlers(mapping folders: [BucketFolder]) throws(FolderBucketError)
    -> TaskHandlerRegistry
  {
    let world = MediaWorld.sample()
    for folder in folders {
      do {
        try world.s3.mapBucket(folder.bucket, toFolder: URL(fileURLWithPath: folder.path))
      } catch {
        throw FolderBucketError(kind: error.kind, path: folder.path)
      }
    }
    return world.handlers
  }
}
