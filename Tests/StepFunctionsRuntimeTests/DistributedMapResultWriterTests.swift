import Foundation
import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

@testable import StepFunctionsRuntime

/// An S3 stand-in that keeps what `putObject` receives, in order.
final class RecordingBucket: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [(bucket: String, key: String, body: String)] = []

  /// The objects written, in order.
  var puts: [(bucket: String, key: String, body: String)] {
    lock.withLock { stored }
  }

  /// The body written at `key`, if any.
  func body(_ key: String) -> String? { puts.last { $0.key == key }?.body }

  /// A handler for `arn:aws:states:::s3:putObject` that records each object.
  var handler: ClosureTaskHandler {
    ClosureTaskHandler { [self] request, _ in
      let bucket = request.parameters["Bucket"]?.stringValue ?? ""
      let key = request.parameters["Key"]?.stringValue ?? ""
      let body = request.parameters["Body"]?.stringValue ?? ""
      lock.withLock { stored.append((bucket, key, body)) }
      return ["ETag": "\"etag\""]
    }
  }
}

/// Machines with a distributed Map and a `ResultWriter`.
enum WriterASL {
  static let putObject = "arn:aws:states:::s3:putObject"

  /// A distributed Map over the input, whose child workflow is `processor` (states text), with
  /// the extra Map members `extra`.
  static func map(_ extra: String, processor: String? = nil) -> String {
    let states = processor ?? #""Echo": {"Type": "Pass", "End": true}"#
    let start = processor == nil ? "Echo" : "Work"
    return #"""
      {"StartAt": "Fan", "States": {
        "Fan": {"Type": "Map", "End": true, "Label": "Fan", \#(extra)
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "\#(start)", "States": {\#(states)}}}}}
      """#
  }

  /// A child workflow that fails on items with `"fail": true` and echoes the others.
  static let failing = #"""
    "Work": {"Type": "Choice", "Choices": [{"Variable": "$.fail", "BooleanEquals": true, "Next": "Boom"}],
      "Default": "Ok"},
    "Boom": {"Type": "Fail", "Error": "Item.Bad", "Cause": "bad item"},
    "Ok": {"Type": "Pass", "End": true}
    """#

  static func writer(_ config: String? = nil, prefix: String? = "out") -> String {
    let prefixMember = prefix.map { #", "Prefix": "\#($0)""# } ?? ""
    let configMember = config.map { #", "WriterConfig": \#($0)"# } ?? ""
    return
      #""ResultWriter": {"Resource": "\#(putObject)", "Parameters": {"Bucket": "results"\#(prefixMember)}\#(configMember)},"#
  }

  static func run(
    _ definition: String, input: JSON, bucket: RecordingBucket?,
    configure: (inout ExecutionOptions) -> Void = { _ in }
  ) async throws -> ExecutionResult {
    var handlers: [String: ClosureTaskHandler] = [:]
    if let bucket { handlers[putObject] = bucket.handler }
    return try await Executor.run(
      definition, input: input, handlers: handlers, configure: configure)
  }
}

@Suite("Distributed Map: ResultWriter")
struct DistributedMapResultWriterTests {
  @Test(
    "Exporting writes SUCCEEDED_0.json and manifest.json under Prefix/<map run id>/ and outputs the pointer AWS returns"
  )
  func exportsFilesAndPointer() async throws {
    let bucket = RecordingBucket()
    let result = try await WriterASL.run(
      WriterASL.map(WriterASL.writer()), input: ["a", "b"], bucket: bucket)
    #expect(result.status == .succeeded, "\(result.summary)")
    let run = try #require(result.mapRuns.first)
    let id = String(run.mapRunArn.split(separator: ":").last ?? "")
    #expect(run.mapRunArn.contains(":mapRun:StateMachine/Fan:"))
    #expect(
      result.output == [
        "MapRunArn": .string(run.mapRunArn),
        "ResultWriterDetails": ["Bucket": "results", "Key": .string("out/\(id)/manifest.json")],
      ])
    #expect(bucket.puts.map(\.key) == ["out/\(id)/SUCCEEDED_0.json", "out/\(id)/manifest.json"])
    #expect(bucket.puts.allSatisfy { $0.bucket == "results" })
    let succeeded = try #require(bucket.body("out/\(id)/SUCCEEDED_0.json"))
    let manifest = try JSON(parsing: try #require(bucket.body("out/\(id)/manifest.json")))
    #expect(
      manifest == [
        "DestinationBucket": "results", "MapRunArn": .string(run.mapRunArn),
        "ResultFiles": [
          "FAILED": [], "PENDING": [],
          "SUCCEEDED": [
            [
              "Key": .string("out/\(id)/SUCCEEDED_0.json"),
              "Size": .number(JSONNumber(succeeded.utf8.count)),
            ]
          ],
        ],
      ])
    guard case .array(let records) = try JSON(parsing: succeeded) else {
      Issue.record("SUCCEEDED_0.json is not an array")
      return
    }
    #expect(records.count == 2)
    let first = try #require(records.first?.objectValue)
    #expect(
      Array(first.keys) == [
        "ExecutionArn", "Input", "InputDetails", "Name", "Output", "OutputDetails", "RedriveCount",
        "RedriveStatus", "RedriveStatusReason", "StartDate", "StateMachineArn", "Status",
        "StopDate",
      ])
    #expect(first["Input"] == "\"a\"")
    #expect(first["Output"] == "\"a\"")
    #expect(first["Status"] == "SUCCEEDED")
    #expect(first["RedriveStatus"] == "NOT_REDRIVABLE")
    #expect(first["StateMachineArn"] == .string(run.stateMachineArn))
    #expect(
      run.stateMachineArn == "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachine/Fan")
    #expect(
      first["ExecutionArn"]?.stringValue?.hasPrefix(
        "arn:aws:states:us-east-1:123456789012:execution:StateMachine/Fan:") == true)
    #expect(run.itemCounts.resultsWritten == 2)
    // No Task event for the writes: AWS writes none.
    #expect(!result.eventTypes.contains { $0.hasPrefix("Task") })
    #expect(
      result.eventTypes == [
        "ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
        "MapRunSucceeded", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded",
      ])
  }

  struct Shape: Sendable, CustomTestStringConvertible {
    var outputType: String
    var transformation: String
    var body: String
    var testDescription: String { "\(outputType) × \(transformation)" }
  }

  @Test(
    "Each OutputType × COMPACT/FLATTEN writes the file AWS writes",
    arguments: [
      Shape(outputType: "JSON", transformation: "COMPACT", body: #"[[1,2],[3],{"k":4}]"#),
      Shape(outputType: "JSON", transformation: "FLATTEN", body: #"[1,2,3,{"k":4}]"#),
      Shape(outputType: "JSONL", transformation: "COMPACT", body: "[1,2]\n[3]\n{\"k\":4}\n"),
      Shape(outputType: "JSONL", transformation: "FLATTEN", body: "1\n2\n3\n{\"k\":4}\n"),
    ])
  func outputShapes(shape: Shape) async throws {
    let bucket = RecordingBucket()
    let config =
      #"{"OutputType": "\#(shape.outputType)", "Transformation": "\#(shape.transformation)"}"#
    let result = try await WriterASL.run(
      WriterASL.map(WriterASL.writer(config)), input: [[1, 2], [3], ["k": 4]], bucket: bucket)
    #expect(result.status == .succeeded, "\(result.summary)")
    let file = try #require(bucket.puts.first)
    #expect(file.key.hasSuffix("/SUCCEEDED_0.json"))
    #expect(file.body == shape.body)
    #expect(result.output?["ResultWriterDetails"]?["Bucket"] == "results")
  }

  @Test(
    "NONE writes one record per child execution, as a JSON array or as JSON Lines",
    arguments: ["JSON", "JSONL"])
  func noneRecords(outputType: String) async throws {
    let bucket = RecordingBucket()
    let config = #"{"OutputType": "\#(outputType)", "Transformation": "NONE"}"#
    let result = try await WriterASL.run(
      WriterASL.map(WriterASL.writer(config)), input: [[1, 2], [3]], bucket: bucket)
    #expect(result.status == .succeeded, "\(result.summary)")
    let body = try #require(bucket.puts.first?.body)
    let records: [JSON]
    if outputType == "JSON" {
      records = try JSON(parsing: body).arrayValue ?? []
      #expect(body.hasPrefix("["))
    } else {
      #expect(body.hasSuffix("\n"))
      records = try body.split(separator: "\n").map { try JSON(parsing: String($0)) }
    }
    #expect(records.map { $0["Output"] } == ["[1,2]", "[3]"])
    #expect(records.map { $0["Status"] } == ["SUCCEEDED", "SUCCEEDED"])
  }

  @Test(
    "A ResultWriter with only WriterConfig transforms the output without exporting",
    arguments: [
      ("COMPACT", #"[[1,2],[3]]"#), ("FLATTEN", #"[1,2,3]"#),
    ])
  func transformOnly(transformation: String, expected: String) async throws {
    let bucket = RecordingBucket()
    let writer =
      #""ResultWriter": {"WriterConfig": {"OutputType": "JSON", "Transformation": "\#(transformation)"}},"#
    let result = try await WriterASL.run(
      WriterASL.map(writer), input: [[1, 2], [3]], bucket: bucket)
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == (try JSON(parsing: expected)))
    #expect(bucket.puts.isEmpty)
  }

  @Test("WriterConfig alone with NONE outputs the child executions' records")
  func transformOnlyNone() async throws {
    let writer =
      #""ResultWriter": {"WriterConfig": {"OutputType": "JSON", "Transformation": "NONE"}},"#
    let result = try await WriterASL.run(WriterASL.map(writer), input: [7], bucket: nil)
    #expect(result.status == .succeeded, "\(result.summary)")
    let record = try #require(result.output?.arrayValue?.first)
    #expect(record["Input"] == "7")
    #expect(record["Output"] == "7")
    #expect(record["Status"] == "SUCCEEDED")
  }

  @Test("Tolerated failures go to FAILED_0.json with Error and Cause, whatever the transformation")
  func failedFile() async throws {
    let bucket = RecordingBucket()
    let config = #"{"OutputType": "JSON", "Transformation": "COMPACT"}"#
    let result = try await WriterASL.run(
      WriterASL.map(
        WriterASL.writer(config) + #""ToleratedFailureCount": 1,"#, processor: WriterASL.failing),
      input: [["fail": false, "n": 1], ["fail": true, "n": 2]], bucket: bucket)
    #expect(result.status == .succeeded, "\(result.summary)")
    let keys = bucket.puts.map { $0.key.split(separator: "/").last.map(String.init) ?? "" }
    #expect(keys == ["SUCCEEDED_0.json", "FAILED_0.json", "manifest.json"])
    #expect(bucket.puts[0].body == #"[{"fail":false,"n":1}]"#)
    let failed = try #require(try JSON(parsing: bucket.puts[1].body).arrayValue?.first?.objectValue)
    #expect(
      Array(failed.keys) == [
        "Cause", "Error", "ExecutionArn", "Input", "InputDetails", "Name", "RedriveCount",
        "RedriveStatus", "StartDate", "StateMachineArn", "Status", "StopDate",
      ])
    #expect(failed["Error"] == "Item.Bad")
    #expect(failed["Cause"] == "bad item")
    #expect(failed["Status"] == "FAILED")
    #expect(failed["RedriveStatus"] == "REDRIVABLE")
    let manifest = try JSON(parsing: bucket.puts[2].body)
    #expect(manifest["ResultFiles"]?["FAILED"]?.arrayValue?.count == 1)
    #expect(result.mapRuns.first?.itemCounts.resultsWritten == 2)
  }

  @Test("Results longer than the file limit are split into SUCCEEDED_0.json, SUCCEEDED_1.json...")
  func splitsFiles() async throws {
    let bucket = RecordingBucket()
    let config = #"{"OutputType": "JSON", "Transformation": "COMPACT"}"#
    let items = JSON.array((0..<10).map { .string(String(repeating: "x", count: 8) + "\($0)") })
    let result = try await WriterASL.run(
      WriterASL.map(WriterASL.writer(config)), input: items, bucket: bucket
    ) { $0.maximumResultFileBytes = 40 }
    #expect(result.status == .succeeded, "\(result.summary)")
    let files = bucket.puts.dropLast()
    #expect(files.count == 4)
    #expect(
      files.map { $0.key.split(separator: "/").last.map(String.init) ?? "" } == [
        "SUCCEEDED_0.json", "SUCCEEDED_1.json", "SUCCEEDED_2.json", "SUCCEEDED_3.json",
      ])
    #expect(files.allSatisfy { $0.body.utf8.count <= 40 })
    let joined = try files.flatMap { try JSON(parsing: $0.body).arrayValue ?? [] }
    #expect(JSON.array(joined) == items)
    let manifest = try JSON(parsing: try #require(bucket.puts.last?.body))
    let listed = manifest["ResultFiles"]?["SUCCEEDED"]?.arrayValue ?? []
    #expect(listed.map { $0["Size"] } == files.map { .number(JSONNumber($0.body.utf8.count)) })
  }

  @Test("Without Prefix the files are under <map run id>/")
  func noPrefix() async throws {
    let bucket = RecordingBucket()
    let result = try await WriterASL.run(
      WriterASL.map(WriterASL.writer(prefix: nil)), input: [1], bucket: bucket)
    let id = String(result.mapRuns.first?.mapRunArn.split(separator: ":").last ?? "")
    #expect(bucket.puts.map(\.key) == ["\(id)/SUCCEEDED_0.json", "\(id)/manifest.json"])
  }

  @Test("Parameters may read the input with Bucket.$ and Prefix.$")
  func dynamicParameters() async throws {
    let bucket = RecordingBucket()
    let writer =
      #""ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket.$": "$.bucket", "Prefix.$": "$.prefix"}}, "ItemsPath": "$.items","#
    let result = try await WriterASL.run(
      WriterASL.map(writer), input: ["bucket": "dyn", "prefix": "p/q", "items": [1]],
      bucket: bucket)
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(bucket.puts.allSatisfy { $0.bucket == "dyn" && $0.key.hasPrefix("p/q/") })
  }

  @Test("A JSONata Map exports with Arguments")
  func jsonataArguments() async throws {
    let bucket = RecordingBucket()
    let definition = #"""
      {"QueryLanguage": "JSONata", "StartAt": "Fan", "States": {
        "Fan": {"Type": "Map", "End": true, "Items": "{% $states.input.items %}",
          "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
            "Arguments": {"Bucket": "{% $states.input.bucket %}", "Prefix": "j"},
            "WriterConfig": {"OutputType": "JSONL", "Transformation": "COMPACT"}},
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": true}}}}}}
      """#
    let result = try await WriterASL.run(
      definition, input: ["bucket": "jb", "items": [1, 2]], bucket: bucket)
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(bucket.puts.first?.body == "1\n2\n")
    #expect(bucket.puts.allSatisfy { $0.bucket == "jb" && $0.key.hasPrefix("j/") })
  }

  @Test(
    "With no handler for s3:putObject the Map fails with States.ResultWriterFailed, which a Catch can handle"
  )
  func missingHandler() async throws {
    let result = try await WriterASL.run(
      WriterASL.map(WriterASL.writer()), input: [1], bucket: nil)
    #expect(result.status == .failed)
    #expect(result.error == "States.ResultWriterFailed")
    #expect(result.events("MapRunFailed").count == 1)
    #expect(result.details("MapRunFailed")?["error"] == "States.ResultWriterFailed")
    #expect(result.mapRuns.first?.status == .failed)
    let caught = WriterASL.map(
      WriterASL.writer()
        + #""Catch": [{"ErrorEquals": ["States.ResultWriterFailed"], "Next": "Handled"}],"#
    ).replacingOccurrences(
      of: #""End": true, "Label""#, with: #""Next": "Handled", "Label""#
    ).replacingOccurrences(
      of: #"{"StartAt": "Fan", "States": {"#,
      with: #"{"StartAt": "Fan", "States": {"Handled": {"Type": "Pass", "End": true},"#)
    let handled = try await WriterASL.run(caught, input: [1], bucket: nil)
    #expect(handled.status == .succeeded, "\(handled.summary)")
  }

  @Test(
    "A failing putObject handler fails the Map with States.ResultWriterFailed naming the object")
  func failingHandler() async throws {
    let handlers = [
      WriterASL.putObject: ClosureTaskHandler { _, _ in
        throw TaskFailure(error: "S3.AccessDenied", cause: "denied")
      }
    ]
    let result = try await Executor.run(
      WriterASL.map(WriterASL.writer()), input: [1], handlers: handlers)
    #expect(result.error == "States.ResultWriterFailed")
    #expect(result.cause?.contains("S3.AccessDenied: denied") == true)
    #expect(result.cause?.contains("s3://results/out/") == true)
  }

  @Test("The validator checks the ResultWriter's Resource and WriterConfig values")
  func validation() {
    let badResource = WriterASL.map(
      #""ResultWriter": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b"}},"#
    )
    let badType = WriterASL.map(
      #""ResultWriter": {"WriterConfig": {"OutputType": "CSV", "Transformation": "NONE"}},"#)
    let badTransformation = WriterASL.map(
      #""ResultWriter": {"WriterConfig": {"OutputType": "JSON", "Transformation": "ALL"}},"#)
    let empty = WriterASL.map(#""ResultWriter": {},"#)
    for text in [badResource, badType, badTransformation, empty] {
      #expect(Validator.validate(text).hasErrors, "\(text)")
    }
    #expect(!Validator.validate(WriterASL.map(WriterASL.writer())).hasErrors)
    #expect(Validator.validate(WriterASL.map(WriterASL.writer())).warnings.isEmpty)
  }

  @Test("The same seed writes the same files and the same Map Run, byte for byte")
  func determinism() async throws {
    var bodies: [[String]] = []
    var arns: [String] = []
    for _ in 0..<2 {
      let bucket = RecordingBucket()
      let result = try await WriterASL.run(
        WriterASL.map(WriterASL.writer()), input: [1, 2, 3], bucket: bucket)
      bodies.append(bucket.puts.map { $0.key + $0.body })
      arns.append(result.mapRuns.first?.describe.serialized() ?? "")
    }
    #expect(bodies[0] == bodies[1])
    #expect(arns[0] == arns[1])
  }
}
