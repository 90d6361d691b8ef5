import Foundation
import StepFunctionsJSON
import StepFunctionsLanguage
import StepFunctionsRuntime
import Testing

/// The S3 objects of the DocC article "Distributed Map and child executions", by `bucket/key`.
actor Objects {
  var bodies: [String: String] = [
    "media/uploads/videos.csv": """
    id,title,seconds
    1,Intro,12
    2,Demo,95
    3,Outro,8
    4,Trailer,30
    5,Credits,4

    """
  ]

  func get(_ name: String) -> String? { bodies[name] }
  func put(_ name: String, _ body: String) { bodies[name] = body }
}

/// The code of the DocC article `DistributedMap.md`, run as tests so that it stays true.
@Suite("DocC article: distributed Map and child executions")
struct DistributedMapArticleTests {
  @Test("The CSV is read, batched by two, the results written to S3 and the Map Run recorded")
  func distributedMapOverCSV() async throws {
    // The article's code, from here...
    let objects = Objects()
    let s3 = ClosureTaskHandler { request, _ in
      let bucket = request.parameters["Bucket"]?.stringValue ?? ""
      let key = request.parameters["Key"]?.stringValue ?? ""
      if request.resource.arn.hasSuffix(":s3:putObject") {
        await objects.put("\(bucket)/\(key)", request.parameters["Body"]?.stringValue ?? "")
        return [:]
      }
      guard let body = await objects.get("\(bucket)/\(key)") else {
        throw TaskFailure(
          error: "S3.NoSuchKeyException", cause: "The specified key does not exist.")
      }
      return ["Body": .string(body)]
    }
    var options = ExecutionOptions()
    options.handlers.register(s3, forIntegration: "s3:getObject")
    options.handlers.register(s3, forIntegration: "s3:putObject")

    let machine = try StateMachine(
      json: """
        {"StartAt": "Process videos",
         "States": {
           "Process videos": {
             "Type": "Map",
             "Label": "Videos",
             "ItemReader": {
               "Resource": "arn:aws:states:::s3:getObject",
               "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
               "Parameters": {"Bucket": "media", "Key": "uploads/videos.csv"}},
             "ItemBatcher": {
               "MaxItemsPerBatch": 2,
               "BatchInput": {"preset.$": "$.preset"}},
             "ItemProcessor": {
               "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
               "StartAt": "Count",
               "States": {
                 "Count": {"Type": "Pass",
                           "Parameters": {"preset.$": "$.BatchInput.preset",
                                          "videos.$": "States.ArrayLength($.Items)"},
                           "End": true}}},
             "ResultWriter": {
               "Resource": "arn:aws:states:::s3:putObject",
               "Parameters": {"Bucket": "media", "Prefix": "results"},
               "WriterConfig": {"OutputType": "JSON", "Transformation": "COMPACT"}},
             "End": true}}}
        """)
    let result = await machine.run(input: ["preset": "720p"], options: options)
    print(result.status)  // SUCCEEDED
    let manifestKey = result.output?["ResultWriterDetails"]?["Key"]?.stringValue ?? ""
    print(manifestKey)  // results/<map run id>/manifest.json

    let run = result.mapRuns[0]
    print(run.status.rawValue, run.itemCounts.total, run.executionCounts.total)  // SUCCEEDED 5 3
    for child in run.executions {
      print(child.name, child.status, child.input)
    }
    print(run.describe)  // DescribeMapRun's JSON
    // ...to here.

    var printed = ""
    print(result.status, to: &printed)
    print(manifestKey, to: &printed)
    print(run.status.rawValue, run.itemCounts.total, run.executionCounts.total, to: &printed)
    let id = String(run.mapRunArn.split(separator: ":").last ?? "")
    #expect(printed == "SUCCEEDED\nresults/\(id)/manifest.json\nSUCCEEDED 5 3\n")
    #expect(result.status == .succeeded)
    #expect(result.output?["MapRunArn"]?.stringValue == run.mapRunArn)
    #expect(
      run.mapRunArn.hasPrefix("arn:aws:states:us-east-1:123456789012:mapRun:StateMachine/Videos:"))
    #expect(manifestKey == "results/\(id)/manifest.json")
    #expect(run.status == .succeeded)
    #expect(run.itemCounts.total == 5)
    #expect(run.itemCounts.succeeded == 5)
    #expect(run.executionCounts.total == 3)
    #expect(run.executionCounts.succeeded == 3)
    #expect(run.describe["status"] == "SUCCEEDED")
    // Each child execution received one batch: two rows, two rows, one row.
    #expect(run.executions.count == 3)
    #expect(run.executions.map { $0.input["Items"]?.arrayValue?.count ?? 0 } == [2, 2, 1])
    #expect(
      run.executions[0].input.serialized()
        == #"{"BatchInput":{"preset":"720p"},"Items":[{"id":"1","title":"Intro","seconds":"12"},{"id":"2","title":"Demo","seconds":"95"}]}"#
    )
    #expect(run.executions.allSatisfy { $0.status == .succeeded })
    // The writer's files: the compact outputs, then the manifest.
    let succeeded = await objects.get("media/results/\(id)/SUCCEEDED_0.json")
    #expect(
      succeeded
        == #"[{"preset":"720p","videos":2},{"preset":"720p","videos":2},{"preset":"720p","videos":1}]"#
    )
    let manifest = try JSON(parsing: await objects.get("media/\(manifestKey)") ?? "")
    #expect(manifest["DestinationBucket"] == "media")
    #expect(manifest["MapRunArn"]?.stringValue == run.mapRunArn)
    #expect(
      manifest["ResultFiles"]?["SUCCEEDED"]?[0]?["Key"]?.stringValue
        == "results/\(id)/SUCCEEDED_0.json")
    #expect(manifest["ResultFiles"]?["FAILED"]?.arrayValue?.isEmpty == true)
    // The Map Run's events, as AWS writes them.
    let types = result.history.events.map(\.type)
    #expect(types.contains("MapRunStarted"))
    #expect(types.contains("MapRunSucceeded"))
  }

  @Test("A .sync:2 task starts the registered machine and gets its output as JSON")
  func childExecutionSync2() async throws {
    // The article's code, from here...
    let transcode = try StateMachine(
      json: """
        {"StartAt": "Render",
         "States": {
           "Render": {"Type": "Pass",
                      "Parameters": {"rendition.$": "States.Format('{}-720p.mp4', $.video)"},
                      "End": true}}}
        """)
    let parent = try StateMachine(
      json: """
        {"StartAt": "Transcode",
         "States": {
           "Transcode": {
             "Type": "Task",
             "Resource": "arn:aws:states:::states:startExecution.sync:2",
             "Parameters": {
               "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Transcode",
               "Input": {"video.$": "$.video",
                         "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"}},
             "ResultSelector": {"status.$": "$.Status", "rendition.$": "$.Output.rendition"},
             "End": true}}}
        """)
    var options = ExecutionOptions()
    options.stateMachines.register(transcode, name: "Transcode")
    let result = await parent.run(input: ["video": "intro"], options: options)
    print(result.status, result.output ?? .null)
    // SUCCEEDED {"status":"SUCCEEDED","rendition":"intro-720p.mp4"}
    let child = result.startedExecutions[0]
    print(child.executionArn)  // arn:aws:states:us-east-1:123456789012:execution:Transcode:…
    print(child.history.events.map(\.type))  // ["ExecutionStarted", "PassStateEntered", …]
    // ...to here.

    #expect(result.status == .succeeded)
    #expect(result.output?.serialized() == #"{"status":"SUCCEEDED","rendition":"intro-720p.mp4"}"#)
    var printed = ""
    print(result.status, result.output ?? .null, to: &printed)
    #expect(printed == #"SUCCEEDED {"status":"SUCCEEDED","rendition":"intro-720p.mp4"}"# + "\n")
    #expect(result.startedExecutions.count == 1)
    #expect(child.status == .succeeded)
    #expect(
      child.executionArn.hasPrefix("arn:aws:states:us-east-1:123456789012:execution:Transcode:"))
    #expect(child.output?["rendition"] == "intro-720p.mp4")
    #expect(
      child.history.events.map(\.type) == [
        "ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded",
      ])
    // The child's input carries the parent's execution ARN, passed as AWS documents it.
    let started = child.history.awsJSON["events"]?[0]?["executionStartedEventDetails"]?["input"]
    let childInput = try JSON(parsing: started?.stringValue ?? "")
    #expect(childInput["video"] == "intro")
    #expect(
      childInput["AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID"]?.stringValue == result.executionArn)
    let parentTypes = result.history.events.map(\.type)
    #expect(
      parentTypes == [
        "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted",
        "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded",
      ])
  }

  @Test("Every line of the article's Swift samples is in these tests")
  func articleMatchesTests() throws {
    let tests = URL(fileURLWithPath: #filePath)
    let root = tests.deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let article = try String(
      contentsOf: root.appendingPathComponent(
        "Sources/StepFunctions/StepFunctions.docc/DistributedMap.md"), encoding: .utf8)
    let testLines = Set(
      try String(contentsOf: tests, encoding: .utf8).split(separator: "\n").map {
        $0.trimmingCharacters(in: .whitespaces)
      })
    var inSwift = false
    var checked = 0
    for line in article.split(separator: "\n") {
      let text = line.trimmingCharacters(in: .whitespaces)
      if text == "```swift" {
        inSwift = true
      } else if text == "```" {
        inSwift = false
      } else if inSwift && !text.hasPrefix("import ") {
        checked += 1
        #expect(testLines.contains(text), "The article's line is not in the tests: \(text)")
      }
    }
    #expect(checked > 80)
  }
}
