import MediaTasks
import StepFunctions
import Testing

@Suite("A distributed Map's ResultWriter over the in-memory S3")
struct ResultWriterS3Tests {
  @Test("The files AWS writes land in the bucket, and the manifest points at them")
  func writesIntoInMemoryS3() async throws {
    let world = MediaWorld()
    world.s3.createBucket("results")
    let machine = try StateMachine(
      json: #"""
        {"StartAt": "Fan", "States": {
          "Fan": {"Type": "Map", "End": true, "ToleratedFailureCount": 1,
            "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
              "Parameters": {"Bucket": "results", "Prefix": "runs"}},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
              "StartAt": "Check", "States": {
                "Check": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": false,
                  "Next": "Reject"}], "Default": "Accept"},
                "Reject": {"Type": "Fail", "Error": "Frame.Corrupt", "Cause": "bad frame"},
                "Accept": {"Type": "Pass", "End": true}}}}}}
        """#)
    var options = options(world)
    options.handlers.register(
      S3Handler(s3: world.s3), forResource: "arn:aws:states:::s3:putObject")
    let result = await machine.run(
      input: [["ok": true, "frame": 1], ["ok": false, "frame": 2]], options: options)
    #expect(result.status == .succeeded, "\(result.status) \(result.cause ?? "")")
    let key = try #require(result.output?["ResultWriterDetails"]?["Key"]?.stringValue)
    let manifest = try JSON(
      parsing: try #require(world.s3.object(uri: "s3://results/\(key)")?.body))
    #expect(manifest["DestinationBucket"] == "results")
    for status in ["SUCCEEDED", "FAILED"] {
      let files = manifest["ResultFiles"]?[status]?.arrayValue ?? []
      #expect(files.count == 1, "\(status)")
      for file in files {
        let fileKey = try #require(file["Key"]?.stringValue)
        let object = try #require(world.s3.object(uri: "s3://results/\(fileKey)"))
        #expect(file["Size"] == .number(JSONNumber(object.body.utf8.count)))
        let records = try JSON(parsing: object.body).arrayValue ?? []
        #expect(records.first?["Status"] == .string(status))
      }
    }
    #expect(world.s3.objects(inBucket: "results", prefix: "runs/").count == 3)
  }
}
