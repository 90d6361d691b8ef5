import Foundation
import StepFunctions

/// The AWS SDK S3 integration (`arn:aws:states:::aws-sdk:s3:ACTION`) over an ``InMemoryS3``:
/// `putObject`, `getObject`, `copyObject`, `headObject`, `deleteObject` and `listObjectsV2`,
/// with the SDK's parameter names (`Bucket`, `Key`, `Body`, `CopySource`, `Prefix`...) and
/// response shapes (`ETag`, `VersionId`, `LastModified`...). A missing key fails with
/// `S3.NoSuchKeyException`, a missing bucket with `S3.NoSuchBucketException`.
///
/// `listObjectsV2` takes `Prefix`, `Delimiter` (keys sharing a prefix up to the delimiter are
/// rolled up into `CommonPrefixes`), `MaxKeys` (at most 1,000), `StartAfter` and
/// `ContinuationToken`, in UTF-8 byte order of the keys as S3 sorts them. The same actions serve
/// the optimized integrations `arn:aws:states:::s3:getObject`, `s3:putObject` and
/// `s3:listObjectsV2` a distributed Map's `ItemReader` and `ResultWriter` call. Buckets mapped onto
/// local folders (``InMemoryS3/mapBucket(_:toFolder:maximumBodySize:)``) work the same way.
public struct S3Handler: TaskHandler {
  /// The S3 actions this handler implements.
  public static let actions = [
    "putObject", "getObject", "copyObject", "headObject", "deleteObject", "listObjectsV2",
  ]

  /// The store it reads and writes.
  public let s3: InMemoryS3

  /// Creates a handler over `s3`.
  public init(s3: InMemoryS3) { self.s3 = s3 }

  /// Runs the S3 action the resource names.
  public func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    let action: String
    switch request.resource.kind {
    case .sdkIntegration(_, let name), .serviceIntegration(_, let name): action = name
    default: action = request.resource.resourceName
    }
    let parameters = try Parameters(request.parameters, service: "S3")
    switch action {
    case "putObject": return try putObject(parameters, now: context.now)
    case "getObject": return try getObject(parameters, includesBody: true)
    case "headObject": return try getObject(parameters, includesBody: false)
    case "copyObject": return try copyObject(parameters, now: context.now)
    case "deleteObject": return try deleteObject(parameters)
    case "listObjectsV2": return try listObjects(parameters)
    default:
      throw TaskFailure(
        error: "S3.S3Exception",
        cause:
          "The in-memory S3 does not implement '\(action)'. It implements \(S3Handler.actions.joined(separator: ", "))."
      )
    }
  }

  private func location(_ parameters: Parameters, action: String) throws(TaskFailure) -> S3Location
  {
    guard let bucket = parameters.string("Bucket"), !bucket.isEmpty else {
      throw S3Errors.missingParameter("Bucket", action: action)
    }
    guard let key = parameters.string("Key"), !key.isEmpty else {
      throw S3Errors.missingParameter("Key", action: action)
    }
    return S3Location(bucket: bucket, key: key)
  }

  private func userMetadata(_ value: JSON?) -> [String: String] {
    guard case .object(let object) = value else { return [:] }
    var result: [String: String] = [:]
    for (key, value) in object { result[key.lowercased()] = value.textForm }
    return result
  }

  private func putObject(_ parameters: Parameters, now: Instant) throws -> JSON {
    let location = try location(parameters, action: "PutObject")
    let body = parameters["Body"]?.textForm ?? ""
    let object = try s3.putText(
      location, body: body, contentType: parameters.string("ContentType") ?? "binary/octet-stream",
      userMetadata: userMetadata(parameters["Metadata"]), at: now)
    var result: JSONObject = ["ETag": .string(object.eTag), "ServerSideEncryption": "AES256"]
    if let version = object.versionId { result["VersionId"] = .string(version) }
    return .object(result)
  }

  private func describe(_ object: S3Object, includesBody: Bool) -> JSON {
    var result: JSONObject = [
      "AcceptRanges": "bytes", "ContentLength": .number(JSONNumber(object.size)),
      "ContentType": .string(object.contentType), "ETag": .string(object.eTag),
      "LastModified": .string(object.lastModified.iso8601), "Metadata": object.metadataJSON,
      "ServerSideEncryption": "AES256",
    ]
    if let version = object.versionId { result["VersionId"] = .string(version) }
    if includesBody {
      result["Body"] = .string(object.body)
      // Not text: the exact bytes too (a local addition, read by a distributed Map's ItemReader).
      if let bytes = object.bytes {
        result["BodyBase64"] = .string(Data(bytes).base64EncodedString())
      }
    }
    return .object(result)
  }

  private func getObject(_ parameters: Parameters, includesBody: Bool) throws -> JSON {
    let location = try location(parameters, action: includesBody ? "GetObject" : "HeadObject")
    return describe(
      try s3.requireObject(location, includesBody: includesBody), includesBody: includesBody)
  }

  private func copyObject(_ parameters: Parameters, now: Instant) throws -> JSON {
    let destination = try location(parameters, action: "CopyObject")
    guard var source = parameters.string("CopySource"), !source.isEmpty else {
      throw S3Errors.missingParameter("CopySource", action: "CopyObject")
    }
    if source.hasPrefix("/") { source.removeFirst() }
    var sourceVersion: String?
    if let range = source.range(of: "?versionId=") {
      sourceVersion = String(source[range.upperBound...])
      source = String(source[..<range.lowerBound])
    }
    let bucket = source.prefix { $0 != "/" }
    let key =
      (source.dropFirst(bucket.count + 1)).removingPercentEncoding
      ?? String(source.dropFirst(bucket.count + 1))
    let replaces = parameters.string("MetadataDirective") == "REPLACE"
    let (original, copy) = try s3.copy(
      from: S3Location(bucket: String(bucket), key: key), sourceVersion: sourceVersion,
      to: destination, userMetadata: replaces ? userMetadata(parameters["Metadata"]) : nil,
      at: now)
    var result: JSONObject = [
      "CopyObjectResult": [
        "ETag": .string(copy.eTag), "LastModified": .string(copy.lastModified.iso8601),
      ],
      "ServerSideEncryption": "AES256",
    ]
    if let version = original.versionId { result["CopySourceVersionId"] = .string(version) }
    if let version = copy.versionId { result["VersionId"] = .string(version) }
    return .object(result)
  }

  private func deleteObject(_ parameters: Parameters) throws -> JSON {
    let location = try location(parameters, action: "DeleteObject")
    try s3.deleteObject(location)
    return .object(JSONObject())
  }

  private func listObjects(_ parameters: Parameters) throws -> JSON {
    guard let bucket = parameters.string("Bucket"), !bucket.isEmpty else {
      throw S3Errors.missingParameter("Bucket", action: "ListObjectsV2")
    }
    try s3.requireBucket(bucket)
    let prefix = parameters.string("Prefix") ?? ""
    let delimiter = parameters.string("Delimiter") ?? ""
    let maximum = max(0, min(parameters["MaxKeys"]?.intLike ?? 1000, 1000))
    let token = parameters.string("ContinuationToken")
    let startAfter = parameters.string("StartAfter")
    let after = token ?? startAfter ?? ""
    // Each entry is an object or, with a delimiter, a common prefix standing for every key
    // under it; pages count both, in key order, as S3 does.
    var entries: [(key: String, object: InMemoryS3.Listed?)] = []
    for object in s3.listing(inBucket: bucket, prefix: prefix, continuing: token != nil) {
      if !delimiter.isEmpty,
        let range = object.key.utf8.dropFirst(prefix.utf8.count).firstRange(of: delimiter.utf8)
      {
        let common = String(decoding: object.key.utf8[..<range.upperBound], as: UTF8.self)
        if entries.last?.key != common { entries.append((common, nil)) }
      } else {
        entries.append((object.key, object))
      }
    }
    let matching = entries.filter {
      after.isEmpty || after.utf8.lexicographicallyPrecedes($0.key.utf8)
    }
    let page = matching.prefix(maximum)
    var result = JSONObject()
    let commonPrefixes = page.filter { $0.object == nil }
    if !commonPrefixes.isEmpty {
      result.append(
        key: "CommonPrefixes",
        value: .array(commonPrefixes.map { ["Prefix": .string($0.key)] }))
    }
    let contents = page.compactMap(\.object)
    if !contents.isEmpty {
      result.append(
        key: "Contents",
        value: .array(
          contents.map {
            [
              "ETag": .string(s3.eTag(of: $0, inBucket: bucket)), "Key": .string($0.key),
              "LastModified": .string($0.lastModified.iso8601),
              "Size": .number(JSONNumber($0.size)), "StorageClass": "STANDARD",
            ]
          }))
    }
    if let token { result.append(key: "ContinuationToken", value: .string(token)) }
    if !delimiter.isEmpty { result.append(key: "Delimiter", value: .string(delimiter)) }
    let truncated = matching.count > page.count
    result.append(key: "IsTruncated", value: .bool(truncated))
    result.append(key: "KeyCount", value: .number(JSONNumber(page.count)))
    result.append(key: "MaxKeys", value: .number(JSONNumber(maximum)))
    result.append(key: "Name", value: .string(bucket))
    if truncated, let last = page.last {
      result.append(key: "NextContinuationToken", value: .string(last.key))
    }
    result.append(key: "Prefix", value: .string(prefix))
    if let startAfter { result.append(key: "StartAfter", value: .string(startAfter)) }
    return .object(result)
  }
}
