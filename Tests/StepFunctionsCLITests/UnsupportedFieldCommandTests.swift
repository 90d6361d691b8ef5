import StepFunctions
import StepFunctionsCLI
import Testing

@Suite("sfn validate and sfn run on Map fields that cannot run locally yet")
struct UnsupportedFieldCommandTests {
  static let batching = #"""
    {"StartAt": "Fan", "States": {
      "Fan": {"Type": "Map", "ItemsPath": "$.items", "End": true,
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix": "out"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
          "StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true}}}}}}
    """#

  @Test("validate warns about ResultWriter at the field with UNSUPPORTED_LOCALLY and exits 0")
  func validateWarns() async {
    let result = await runSFN(["validate", "m.json"], files: ["m.json": Self.batching])
    #expect(result.status == 0)
    #expect(result.error.isEmpty)
    let lines = result.output.split(separator: "\n").map(String.init)
    #expect(
      lines.first
        == "m.json:3:21: warning: 'ResultWriter' is not supported locally yet: a local run fails this Map state with States.Runtime (on AWS it exports its results with the ResultWriter) [UNSUPPORTED_LOCALLY]"
    )
    #expect(lines.last == "1 warning in 1 file")
  }

  @Test("run ends FAILED with States.Runtime and a cause naming ResultWriter and the Map state")
  func runFails() async {
    let result = await runSFN(
      ["run", "m.json", "--input", #"{"items": [1, 2, 3]}"#], files: ["m.json": Self.batching])
    #expect(result.status == 1)
    #expect(
      result.output.hasSuffix(
        "error: States.Runtime\ncause: ResultWriter is not supported locally yet: the Map state 'Fan' cannot run here (on AWS it exports its results with the ResultWriter).\n"
      ), "\(result.output)")
  }
}
