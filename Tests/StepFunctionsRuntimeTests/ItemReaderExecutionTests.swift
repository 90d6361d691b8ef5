import Foundation
import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

@testable import StepFunctionsRuntime

/// An S3 bucket in memory for reader tests: `getObject` returns `Body` (and `ContentLength`, or
/// the claimed one), `listObjectsV2` lists keys under `Prefix`, `pageSize` at a time.
struct ReaderBucket: Sendable {
  var objects: [String: String]
  var claimedLength: [String: Int] = [:]
  var pageSize = 1000

  var handlers: [String: ClosureTaskHandler] {
    let objects = objects
    let claimed = claimedLength
    let pageSize = pageSize
    return [
      "s3:getObject": ClosureTaskHandler { request, _ in
        let key = request.parameters["Key"]?.stringValue ?? ""
        guard let body = objects[key] else {
          throw TaskFailure(error: "S3.NoSuchKey", cause: "The specified key does not exist.")
        }
        return [
          "Body": .string(body),
          "ContentLength": .number(JSONNumber(claimed[key] ?? body.utf8.count)),
        ]
      },
      "s3:listObjectsV2": ClosureTaskHandler { request, _ in
        let prefix = request.parameters["Prefix"]?.stringValue ?? ""
        let keys = objects.keys.filter { $0.hasPrefix(prefix) }.sorted()
        let start = Int(request.parameters["ContinuationToken"]?.stringValue ?? "0") ?? 0
        let page = keys.dropFirst(start).prefix(pageSize)
        let next = start + page.count
        var response: JSONObject = [
          "Contents": .array(
            page.map { key in
              [
                "Key": .string(key), "LastModified": "2024-01-01T00:00:10Z",
                "ETag": .string("\"e-\(key)\""),
                "Size": .number(JSONNumber(objects[key]?.utf8.count ?? 0)),
                "StorageClass": "STANDARD",
              ]
            }),
          "IsTruncated": .bool(next < keys.count),
        ]
        if next < keys.count { response["NextContinuationToken"] = .string(String(next)) }
        return .object(response)
      },
    ]
  }
}

/// A distributed Map `Fan` with `reader` (the ReaderConfig object text, or a whole `ItemReader`
/// member when it starts with `"ItemReader"`) and the extra members.
///
/// With `iterationOutput` (a path or intrinsic call), each iteration returns its value for its
/// input.
func readerMachine(
  _ reader: String, key: String = "data", extra: String = "", catching: Bool = false,
  iterationOutput: String? = nil
) -> String {
  let member =
    reader.hasPrefix("\"ItemReader\"")
    ? reader
    : #""ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b", "Key": "\#(key)"}, "ReaderConfig": \#(reader)}"#
  let catcher =
    catching
    ? #", "Catch": [{"ErrorEquals": ["States.ItemReaderFailed"], "Next": "Caught"}]"# : ""
  let caught = catching ? #", "Caught": {"Type": "Pass", "End": true}"# : ""
  let work =
    iterationOutput.map { #", "Parameters": {"value.$": "\#($0)"}, "OutputPath": "$.value""# } ?? ""
  return #"""
    {"StartAt": "Fan", "States": {
      "Fan": {"Type": "Map", "End": true, \#(member)\#(extra.isEmpty ? "" : ", " + extra)\#(catcher),
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
          "StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true\#(work)}}}}\#(caught)}}
    """#
}

@Suite("Executor: distributed Map ItemReader")
struct ItemReaderExecutionTests {
  static let records =
    #"[{"id": 1, "name": "a"}, {"id": 2, "name": "b"}, {"id": 3, "name": "c"}]"#

  func run(
    _ definition: String, bucket: ReaderBucket, input: JSON = [:]
  ) async throws -> ExecutionResult {
    try await Executor.run(definition, input: input, handlers: bucket.handlers)
  }

  @Test("A JSON array object gives one iteration per element; no Task event is written")
  func jsonArray() async throws {
    let result = try await run(
      readerMachine(#"{"InputType": "JSON"}"#),
      bucket: ReaderBucket(objects: ["data": Self.records]))
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == (try Executor.json(Self.records)))
    #expect(
      result.eventTypes == [
        "ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
        "MapRunSucceeded", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded",
      ])
    // AWS records length 0 when an ItemReader gives the items.
    #expect(result.details("MapStateStarted")?["length"] == 0)
  }

  @Test("ItemsPointer selects the array inside a JSON object; ItemsPath is ignored with a reader")
  func itemsPointer() async throws {
    let object = #"{"meta": {}, "page": {"items": [10, 20]}}"#
    let result = try await run(
      readerMachine(
        #"{"InputType": "JSON", "ItemsPointer": "/page/items"}"#, extra: #""ItemsPath": "$.none""#),
      bucket: ReaderBucket(objects: ["data": object]))
    #expect(result.output == [10, 20], "\(result.summary)")
  }

  @Test("JSON Lines: one item per line, blank lines and CRLF endings allowed")
  func jsonLines() async throws {
    let result = try await run(
      readerMachine(#"{"InputType": "JSONL"}"#),
      bucket: ReaderBucket(objects: ["data": "{\"a\": 1}\r\n\n[2]\n\"three\"\n"]))
    #expect(result.output == [["a": 1], [2], "three"], "\(result.summary)")
  }

  @Test(
    "CSV with FIRST_ROW headers, for every delimiter, with quoted fields",
    arguments: ReaderConfig.CSVDelimiter.allCases)
  func csvDelimiters(delimiter: ReaderConfig.CSVDelimiter) async throws {
    let d = String(Character(delimiter.character))
    let text = "name\(d)note\nann\(d)\"says \"\"hi\"\"\(d) twice\"\nbob\(d)\"two\nlines\"\n"
    let result = try await run(
      readerMachine(
        #"{"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "CSVDelimiter": "\#(delimiter.rawValue)"}"#
      ),
      bucket: ReaderBucket(objects: ["data": text]))
    #expect(
      result.output
        == [
          ["name": "ann", "note": .string("says \"hi\"\(d) twice")],
          ["name": "bob", "note": "two\nlines"],
        ], "\(result.summary)")
  }

  @Test("CSV with GIVEN headers: every row is data, short rows get \"\", extra fields are dropped")
  func csvGiven() async throws {
    let result = try await run(
      readerMachine(
        #"{"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["x", "y"]}"#),
      bucket: ReaderBucket(objects: ["data": "1,2,3\r\n4\r\n"]))
    #expect(result.output == [["x": "1", "y": "2"], ["x": "4", "y": ""]], "\(result.summary)")
  }

  @Test(
    "MaxItems: 0 means all, fewer stops early, exactly or more than the count gives all",
    arguments: [(0, 3), (1, 1), (2, 2), (3, 3), (4, 3), (100_000_000, 3)])
  func maxItems(limit: Int, expected: Int) async throws {
    let result = try await run(
      readerMachine(#"{"InputType": "JSON", "MaxItems": \#(limit)}"#),
      bucket: ReaderBucket(objects: ["data": Self.records]))
    #expect(result.output?.arrayValue?.count == expected, "\(result.summary)")
  }

  @Test("MaxItemsPath: a negative value fails the Map Run; a non-integer is States.Runtime")
  func maxItemsPath() async throws {
    let machine = readerMachine(
      #"{"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItemsPath": "$.max"}"#)
    let bucket = ReaderBucket(objects: ["data": "a\n1\n2\n"])
    let negative = try await run(machine, bucket: bucket, input: ["max": -1])
    #expect(negative.error == "States.ItemReaderFailed")
    #expect(negative.cause == "field MaxItems must be positive")
    #expect(
      negative.eventTypes == [
        "ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunFailed",
        "MapStateFailed", "ExecutionFailed",
      ])
    #expect(negative.details("MapRunFailed")?["error"] == "States.ItemReaderFailed")
    let fraction = try await run(machine, bucket: bucket, input: ["max": 1.5])
    #expect(fraction.error == "States.Runtime")
    #expect(
      fraction.cause
        == "An error occurred while executing the state 'Fan' (entered at the event id #2). The MaxItemsPath field refers to value \"1.5\" which is not a valid integer: $.max"
    )
    #expect(!fraction.eventTypes.contains("MapRunStarted"))
    let two = try await run(machine, bucket: bucket, input: ["max": 1])
    #expect(two.output == [["a": "1"]])
  }

  @Test("listObjectsV2 pages through the listing; each item is AWS's object summary")
  func listObjects() async throws {
    var bucket = ReaderBucket(objects: ["in/a": "1", "in/b": "22", "in/c": "333", "out/x": ""])
    bucket.pageSize = 2
    let reader =
      #""ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b", "Prefix": "in/"}}"#
    let result = try await run(readerMachine(reader), bucket: bucket)
    #expect(result.status == .succeeded, "\(result.summary)")
    let items = result.output?.arrayValue ?? []
    #expect(items.map { $0["Key"] } == ["in/a", "in/b", "in/c"])
    #expect(
      items.first
        == [
          "Etag": "\"e-in/a\"", "Key": "in/a", "LastModified": 1_704_067_210, "Size": 1,
          "StorageClass": "STANDARD",
        ])
    let limited = try await run(
      readerMachine(
        #""ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b"}, "ReaderConfig": {"MaxItems": 1}}"#
      ), bucket: bucket)
    #expect(limited.output?.arrayValue?.count == 1)
  }

  @Test("An S3 inventory manifest: the rows of its CSV data files, named by fileSchema")
  func inventoryManifest() async throws {
    let manifest = #"""
      {"sourceBucket": "src", "destinationBucket": "arn:aws:s3:::inv", "fileFormat": "CSV",
       "fileSchema": "Bucket, Key, Size",
       "files": [{"key": "data/1.csv.gz", "size": 1}, {"key": "data/2.csv.gz", "size": 1}]}
      """#
    let bucket = ReaderBucket(objects: [
      "manifest.json": manifest, "data/1.csv.gz": "\"src\",\"a.mp4\",\"10\"\n",
      "data/2.csv.gz": "\"src\",\"b.mp4\",\"20\"\n\"src\",\"c.mp4\",\"30\"\n",
    ])
    let result = try await run(
      readerMachine(#"{"InputType": "MANIFEST"}"#, key: "manifest.json"), bucket: bucket)
    #expect(
      result.output
        == [
          ["Bucket": "src", "Key": "a.mp4", "Size": "10"],
          ["Bucket": "src", "Key": "b.mp4", "Size": "20"],
          ["Bucket": "src", "Key": "c.mp4", "Size": "30"],
        ], "\(result.summary)")
    let limited = try await run(
      readerMachine(#"{"InputType": "MANIFEST", "MaxItems": 2}"#, key: "manifest.json"),
      bucket: bucket)
    #expect(limited.output?.arrayValue?.count == 2)
  }

  @Test(
    "Reader failures fail the Map Run with States.ItemReaderFailed and a cause naming the problem",
    arguments: [
      (
        #"{"InputType": "JSON"}"#, #"{"Hello": "world"}"#,
        "Attempting to map over non-iterable node."
      ),
      (
        #"{"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}"#, "a,a\n1,2\n",
        "CSV headers cannot contain duplicates."
      ),
      (
        #"{"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}"#, "a,b\n\"x\"y,2\n",
        "Malformed CSV at line 2: a quoted field must be followed by the delimiter or the end of the line, not 'y'."
      ),
      (
        #"{"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}"#, "a,b\n1,2\n\"open,3\n",
        "Malformed CSV at line 3: a quoted field is not closed before the end of the object."
      ),
      (
        #"{"InputType": "JSONL"}"#, "{\"a\": 1}\n{oops}\n",
        "Line 2 of the JSON Lines object is not valid JSON: "
      ),
      (
        #"{"InputType": "JSON", "ItemsPointer": "/x"}"#, "[]",
        "The ItemsPointer '/x' does not point"
      ),
      (
        #"{"InputType": "PARQUET"}"#, "PAR1",
        "InputType PARQUET is not supported locally"
      ),
    ])
  func readerFailures(config: String, body: String, cause: String) async throws {
    let result = try await run(
      readerMachine(config), bucket: ReaderBucket(objects: ["data": body]))
    #expect(result.status == .failed)
    #expect(result.error == "States.ItemReaderFailed")
    #expect(result.cause?.hasPrefix(cause) == true, "\(result.summary)")
    #expect(result.details("MapRunFailed")?["cause"]?.stringValue == result.cause)
  }

  @Test("A Catch for States.ItemReaderFailed catches a reader failure")
  func caught() async throws {
    let result = try await run(
      readerMachine(#"{"InputType": "JSON"}"#, key: "missing", catching: true),
      bucket: ReaderBucket(objects: [:]))
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output?["Error"] == "States.ItemReaderFailed")
    #expect(result.output?["Cause"] == "S3.NoSuchKey: The specified key does not exist.")
  }

  @Test("Without a handler for the reader's resource, the Map Run fails saying how to register one")
  func noHandler() async throws {
    let result = try await Executor.run(readerMachine(#"{"InputType": "JSON"}"#))
    #expect(result.error == "States.ItemReaderFailed")
    #expect(
      result.cause?.hasPrefix(
        "No task handler is registered for the ItemReader resource 'arn:aws:states:::s3:getObject'")
        == true, "\(result.summary)")
  }

  @Test("Hostile: a 10 GB ContentLength claim is refused before the body is read")
  func hugeClaim() async throws {
    var bucket = ReaderBucket(objects: ["data": "[]"])
    bucket.claimedLength["data"] = 10_737_418_240
    let result = try await run(readerMachine(#"{"InputType": "JSON"}"#), bucket: bucket)
    #expect(result.error == "States.ItemReaderFailed")
    #expect(
      result.cause
        == "The object s3://b/data is 10737418240 bytes (ContentLength): more than the 268435456 bytes an ItemReader reads locally."
    )
  }

  @Test("Hostile: a manifest naming a missing data file fails with the S3 error")
  func manifestMissingFile() async throws {
    let manifest =
      #"{"destinationBucket": "arn:aws:s3:::inv", "fileFormat": "CSV", "fileSchema": "Bucket, Key", "files": [{"key": "gone.csv.gz"}]}"#
    let result = try await run(
      readerMachine(#"{"InputType": "MANIFEST"}"#, key: "m"),
      bucket: ReaderBucket(objects: ["m": manifest]))
    #expect(result.error == "States.ItemReaderFailed")
    #expect(result.cause == "S3.NoSuchKey: The specified key does not exist.")
  }

  @Test(
    "Hostile: a gzip-compressed inventory data file given only as text (no BodyBase64) and an ORC inventory are refused clearly"
  )
  func compressedInventory() async throws {
    let manifest =
      #"{"destinationBucket": "arn:aws:s3:::inv", "fileFormat": "CSV", "fileSchema": "Bucket, Key", "files": [{"key": "d.csv.gz"}]}"#
    let compressed = try await run(
      readerMachine(#"{"InputType": "MANIFEST"}"#, key: "m"),
      bucket: ReaderBucket(objects: ["m": manifest, "d.csv.gz": "\u{1F}\u{FFFD}\u{8}\0"]))
    #expect(
      compressed.cause
        == "The inventory data file s3://inv/d.csv.gz is gzip-compressed, but the s3:getObject handler returned it only as text (Body), which cannot hold its bytes: return them base64-encoded in BodyBase64, as MediaTasks' S3 does."
    )
    let orc = try await run(
      readerMachine(#"{"InputType": "MANIFEST"}"#, key: "m"),
      bucket: ReaderBucket(objects: [
        "m": manifest.replacingOccurrences(of: "\"CSV\"", with: "\"ORC\"")
      ]))
    #expect(
      orc.cause == "The S3 inventory's fileFormat is ORC: only CSV inventories can be read locally."
    )
  }

  @Test("Hostile: a listing that never ends (a repeating continuation token) is refused")
  func endlessListing() async throws {
    let endless = ClosureTaskHandler { _, _ in
      ["Contents": [], "IsTruncated": true, "NextContinuationToken": "same"]
    }
    let reader =
      #""ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b"}}"#
    let result = try await Executor.run(
      readerMachine(reader), handlers: ["s3:listObjectsV2": endless])
    #expect(result.error == "States.ItemReaderFailed")
    #expect(result.cause?.contains("do not progress") == true, "\(result.summary)")
  }

  @Test("Hostile: a huge object with a small MaxItems reads only what it needs")
  func hugeCountSmallLimit() async throws {
    let lines = String(repeating: "{\"n\": 1}\n", count: 200_000)
    let result = try await run(
      readerMachine(#"{"InputType": "JSONL", "MaxItems": 2}"#),
      bucket: ReaderBucket(objects: ["data": lines]))
    #expect(result.output == [["n": 1], ["n": 1]], "\(result.summary)")
  }

  @Test("JSONata: Arguments and a MaxItems expression")
  func jsonata() async throws {
    let machine = #"""
      {"QueryLanguage": "JSONata", "StartAt": "Fan", "States": {
        "Fan": {"Type": "Map", "End": true,
          "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
            "Arguments": {"Bucket": "b", "Key": "{% $states.input.key %}"},
            "ReaderConfig": {"InputType": "JSON", "MaxItems": "{% $states.input.max %}"}},
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true}}}}}}
      """#
    let result = try await run(
      machine, bucket: ReaderBucket(objects: ["data": Self.records]),
      input: ["key": "data", "max": 2])
    #expect(result.output?.arrayValue?.count == 2, "\(result.summary)")
  }
}
