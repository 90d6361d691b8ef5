import Foundation
import StepFunctions
import StepFunctionsCLI
import Testing

/// Runs `body` with a new empty folder, removed afterwards.
private func withFolder<T>(_ body: (URL) async throws -> T) async throws -> T {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("sfn-bucket-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  return try await body(folder)
}

/// Reads the object `$.key` of the bucket `data` and writes its body back as `out/copy.csv`.
private let copyDefinition = """
  {
    "StartAt": "Read",
    "States": {
      "Read": {
        "Type": "Task",
        "Resource": "arn:aws:states:::s3:getObject",
        "Parameters": {"Bucket": "data", "Key.$": "$.key"},
        "ResultSelector": {"text.$": "$.Body", "size.$": "$.ContentLength"},
        "Next": "Write"
      },
      "Write": {
        "Type": "Task",
        "Resource": "arn:aws:states:::s3:putObject",
        "Parameters": {"Bucket": "data", "Key": "out/copy.csv", "Body.$": "$.text"},
        "ResultSelector": {"ETag.$": "$.ETag"},
        "ResultPath": "$.written",
        "End": true
      }
    }
  }
  """

/// A distributed Map reading `uploads.csv` (header row) from the bucket `data`, two rows per
/// child workflow, with its results exported under `results/`.
private let csvMapDefinition = """
  {
    "StartAt": "EachUpload",
    "States": {
      "EachUpload": {
        "Type": "Map",
        "ItemReader": {
          "Resource": "arn:aws:states:::s3:getObject",
          "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
          "Parameters": {"Bucket": "data", "Key": "uploads.csv"}
        },
        "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"run": "nightly"}},
        "ItemProcessor": {
          "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
          "StartAt": "Count",
          "States": {
            "Count": {
              "Type": "Pass",
              "Parameters": {"run.$": "$.BatchInput.run", "keys.$": "$.Items[*].key"},
              "End": true
            }
          }
        },
        "ResultWriter": {
          "Resource": "arn:aws:states:::s3:putObject",
          "Parameters": {"Bucket": "data", "Prefix": "results"}
        },
        "End": true
      }
    }
  }
  """

@Suite("sfn run and sfn test --bucket NAME=DIR")
struct BucketOptionTests {
  @Test(
    "sfn run drives a distributed Map over a CSV file in the folder: CSV ItemReader, ItemBatcher, and the ResultWriter's files left in the folder"
  )
  func distributedMapOverFolder() async throws {
    try await withFolder { folder in
      let csv = "key,size\nclips/a.mp4,10\nclips/b.mp4,20\nclips/c.mp4,30\n"
      try Data(csv.utf8).write(to: folder.appendingPathComponent("uploads.csv"))
      let result = await runSFN(
        ["run", "map.asl.json", "--format", "json", "--bucket", "data=\(folder.path)"],
        files: ["map.asl.json": csvMapDefinition])
      #expect(result.status == 0, "\(result.error)")
      let printed = try JSON(parsing: Array(result.output.utf8))
      #expect(printed["status"] == "SUCCEEDED")
      let manifestKey = try #require(
        printed["output"]?["ResultWriterDetails"]?["Key"]?.stringValue)
      #expect(printed["output"]?["ResultWriterDetails"]?["Bucket"] == "data")
      #expect(manifestKey.hasPrefix("results/") && manifestKey.hasSuffix("/manifest.json"))
      // The files AWS writes: the manifest, and one SUCCEEDED file with a record per child.
      let runFolder = folder.appendingPathComponent(manifestKey).deletingLastPathComponent()
      let manifest = try JSON(
        parsing: [UInt8](try Data(contentsOf: folder.appendingPathComponent(manifestKey))))
      #expect(manifest["DestinationBucket"] == "data")
      let succeeded = try #require(manifest["ResultFiles"]?["SUCCEEDED"]?.arrayValue)
      #expect(succeeded.count == 1)
      let file = try #require(succeeded.first?["Key"]?.stringValue)
      #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path))
      let records = try JSON(
        parsing: [UInt8](try Data(contentsOf: runFolder.appendingPathComponent("SUCCEEDED_0.json")))
      )
      let outputs = try (records.arrayValue ?? []).map { record in
        try JSON(parsing: Array((record["Output"]?.stringValue ?? "").utf8))
      }
      #expect(
        outputs == [
          ["run": "nightly", "keys": ["clips/a.mp4", "clips/b.mp4"]],
          ["run": "nightly", "keys": ["clips/c.mp4"]],
        ])
      #expect(records.arrayValue?.allSatisfy { $0["Status"] == "SUCCEEDED" } == true)
    }
  }

  @Test("sfn run reads a file from the folder and writes one back through S3 tasks")
  func runOverFolder() async throws {
    try await withFolder { folder in
      try Data("id,name\n1,a\n".utf8).write(to: folder.appendingPathComponent("in.csv"))
      let result = await runSFN(
        [
          "run", "copy.asl.json", "--input", #"{"key": "in.csv"}"#, "--format", "json",
          "--bucket", "data=\(folder.path)",
        ], files: ["copy.asl.json": copyDefinition])
      #expect(result.status == 0, "\(result.error)")
      let printed = try JSON(parsing: Array(result.output.utf8))
      #expect(printed["status"] == "SUCCEEDED")
      #expect(printed["output"]?["size"] == 12)
      let eTag = "\"" + HashAlgorithm.md5.hexDigest(of: "id,name\n1,a\n") + "\""
      #expect(printed["output"]?["written"]?["ETag"] == .string(eTag))
      let copy = try String(
        contentsOf: folder.appendingPathComponent("out/copy.csv"), encoding: .utf8)
      #expect(copy == "id,name\n1,a\n")
    }
  }

  @Test("sfn run --help and sfn test --help describe --bucket", arguments: ["run", "test"])
  func help(command: String) async {
    let result = await runSFN([command, "--help"])
    #expect(result.status == 0)
    #expect(result.output.contains("[--bucket <name=dir> ...]"))
    #expect(result.output.contains("With --bucket NAME=DIR (repeatable)"))
  }

  @Test("A key that would leave the folder fails the task with S3.S3Exception")
  func traversalFails() async throws {
    try await withFolder { folder in
      let result = await runSFN(
        [
          "run", "copy.asl.json", "--input", #"{"key": "../etc/passwd"}"#, "--bucket",
          "data=\(folder.path)",
        ], files: ["copy.asl.json": copyDefinition])
      #expect(result.status == 1)
      #expect(result.output.contains("S3.S3Exception"))
    }
  }

  @Test(
    "A malformed --bucket value is a usage error (64)",
    arguments: [
      ["--bucket", "data"], ["--bucket", "=dir"], ["--bucket", "data="],
      ["--bucket", "a/b=dir"], ["--bucket", "d=x", "--bucket", "d=y"],
    ])
  func badUsage(arguments: [String]) async {
    for command in ["run", "test"] {
      let extra = command == "test" ? ["--mocks", "mocks.json"] : []
      let result = await runSFN(
        [command, "copy.asl.json"] + extra + arguments, files: ["copy.asl.json": copyDefinition])
      #expect(result.status == 64, "\(command) \(arguments): \(result.error)")
      #expect(result.error.contains("--bucket"))
    }
  }

  @Test("A --bucket folder that does not exist, or is a file, is a data error (65) naming it")
  func missingFolder() async throws {
    try await withFolder { folder in
      let file = folder.appendingPathComponent("file.txt")
      try Data().write(to: file)
      for path in [folder.appendingPathComponent("missing").path, file.path] {
        let run = await runSFN(
          ["run", "copy.asl.json", "--bucket", "data=\(path)"],
          files: ["copy.asl.json": copyDefinition])
        #expect(run.status == 65)
        #expect(run.error.contains("'\(path)'"), "\(run.error)")
        let test = await runSFN(
          ["test", "copy.asl.json", "--mocks", "mocks.json", "--bucket", "data=\(path)"],
          files: ["copy.asl.json": copyDefinition, "mocks.json": mockFile])
        #expect(test.status == 65)
        #expect(test.error.contains("'\(path)'"), "\(test.error)")
      }
    }
  }

  @Test("A relative --bucket folder is named as given")
  func relativeFolder() async {
    let run = await runSFN(
      ["run", "copy.asl.json", "--bucket", "data=no-such-folder-\(UUID().uuidString)/x"],
      files: ["copy.asl.json": copyDefinition])
    #expect(run.status == 65)
    #expect(
      run.error.hasPrefix("sfn: error: --bucket: the folder 'no-such-folder-"), "\(run.error)")
    #expect(run.error.hasSuffix("/x' does not exist\n"), "\(run.error)")
  }

  @Test("sfn test runs its cases over the folder for the states they do not mock")
  func testOverFolder() async throws {
    try await withFolder { folder in
      try Data("a,b\n".utf8).write(to: folder.appendingPathComponent("in.csv"))
      let result = await runSFN(
        [
          "test", "copy.asl.json", "--mocks", "mocks.json", "--input", #"{"key": "in.csv"}"#,
          "--expect-status", "SUCCEEDED", "--bucket", "data=\(folder.path)",
        ], files: ["copy.asl.json": copyDefinition, "mocks.json": mockFile])
      #expect(result.status == 0, "\(result.output) \(result.error)")
      let copy = try String(
        contentsOf: folder.appendingPathComponent("out/copy.csv"), encoding: .utf8)
      #expect(copy == "a,b\n")
    }
  }
}

/// A mock file with one test case that mocks nothing, so both tasks use the handlers.
private let mockFile = """
  {
    "StateMachines": {
      "copy": {"TestCases": {"Plain": {}}}
    },
    "MockedResponses": {}
  }
  """
