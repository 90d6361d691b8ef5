import CorpusSupport
import Foundation
import StepFunctions
import StepFunctionsCLI
import Testing

@Suite("sfn test-state")
struct TestStateCommandTests {
  static let definition = """
    {"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
            "Parameters": {"Message.$": "$.text"}, "ResultPath": "$.sent",
            "Retry": [{"ErrorEquals": ["SNS.Throttled"], "MaxAttempts": 2}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"}],
            "Next": "M"},
      "Done": {"Type": "Succeed"},
      "Failed": {"Type": "Fail", "Error": "Notify", "Cause": "could not notify"},
      "M": {"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}},
            "Next": "Done"}}}
    """
  static let files = ["m.asl.json": definition]

  @Test("Prints the status, next state and output; exit 0 for SUCCEEDED")
  func succeeded() async {
    let run = await runSFN(
      [
        "test-state", "m.asl.json", "--state", "T", "--input", #"{"text": "hi"}"#,
        "--mock-result", #"{"MessageId": "1"}"#,
      ], files: Self.files)
    #expect(run.status == 0)
    #expect(
      run.output
        == """
        status: SUCCEEDED
        next state: M
        output: {"text":"hi","sent":{"MessageId":"1"}}

        """)
  }

  @Test("--format json prints AWS's TestState response; RETRIABLE exits 1")
  func jsonRetriable() async throws {
    let run = await runSFN(
      [
        "test-state", "m.asl.json", "--state", "T", "--mock-error", "SNS.Throttled",
        "--mock-cause", "busy", "--inspection-level", "DEBUG", "--format", "json", "--input",
        #"{"text": "hi"}"#,
      ], files: Self.files)
    #expect(run.status == 1)
    let response = try JSONParser.parse(Array(run.output.utf8))
    let expected = try JSONParser.parse(
      Array(
        #"""
        {"error": "SNS.Throttled", "cause": "busy",
         "inspectionData": {"input": "{\"text\":\"hi\"}", "afterInputPath": "{\"text\":\"hi\"}",
           "afterParameters": "{\"Message\":\"hi\"}",
           "errorDetails": {"retryIndex": 0, "retryBackoffIntervalSeconds": 1}},
         "status": "RETRIABLE"}
        """#.utf8))
    #expect(response == expected)
  }

  @Test("CAUGHT_ERROR names the catcher's Next and exits 1; --retrier-retry-count uses up retries")
  func caught() async {
    let run = await runSFN(
      [
        "test-state", "m.asl.json", "--state", "T", "--mock-error", "SNS.Throttled",
        "--retrier-retry-count", "2", "--inspection-level", "DEBUG", "--input", "{\"text\": 1}",
      ], files: Self.files)
    #expect(run.status == 1)
    #expect(
      run.output.hasPrefix("status: CAUGHT_ERROR\nnext state: Failed\nerror: SNS.Throttled\n"))
    #expect(run.output.contains("  errorDetails:\n    catchIndex: 0\n"))
  }

  @Test("Inputs, variables and the mock come from files with @FILE")
  func files() async {
    var files = Self.files
    files["in.json"] = #"{"text": "from file"}"#
    files["mock.json"] = #"{"MessageId": "2"}"#
    let run = await runSFN(
      [
        "test-state", "m.asl.json", "--state", "T", "--input", "@in.json", "--mock-result",
        "@mock.json", "--variables", #"{"v": 1}"#, "--inspection-level", "DEBUG",
      ], files: files)
    #expect(run.status == 0)
    #expect(run.output.contains(#"  afterParameters: {"Message":"from file"}"#))
    #expect(run.output.contains(#"  variables: {"v":1}"#))
  }

  @Test("A request AWS refuses exits 64 with AWS's exception name")
  func refused() async {
    let unknown = await runSFN(
      ["test-state", "m.asl.json", "--state", "Nope"], files: Self.files)
    #expect(unknown.status == 64)
    #expect(
      unknown.error
        == "sfn: error: ValidationException: The state 'Nope' does not exist in the definition.\n")
    let map = await runSFN(["test-state", "m.asl.json", "--state", "M"], files: Self.files)
    #expect(map.status == 64)
    #expect(map.error.hasPrefix("sfn: error: InvalidDefinition: TestState API does not support"))
    let mockOnFail = await runSFN(
      ["test-state", "m.asl.json", "--state", "Failed", "--mock-result", "{}"], files: Self.files)
    #expect(mockOnFail.status == 64)
    #expect(
      mockOnFail.error.contains("State type 'Fail' is not supported when a mock is specified"))
    let both = await runSFN(
      ["test-state", "m.asl.json", "--state", "T", "--mock-result", "{}", "--mock-error", "E"],
      files: Self.files)
    #expect(both.status == 64)
    let noState = await runSFN(["test-state", "m.asl.json"], files: Self.files)
    #expect(noState.status == 64)
  }

  @Test("A definition or JSON argument that cannot be used exits 65")
  func dataErrors() async {
    let missing = await runSFN(["test-state", "nope.json", "--state", "T"], files: Self.files)
    #expect(missing.status == 65)
    let badInput = await runSFN(
      ["test-state", "m.asl.json", "--state", "T", "--input", "{"], files: Self.files)
    #expect(badInput.status == 65)
    let badVariables = await runSFN(
      ["test-state", "m.asl.json", "--state", "T", "--variables", "[1]"], files: Self.files)
    #expect(badVariables.status == 65)
  }

  @Test("The shipped video workflow: a failed transcode is caught to RecordJobFailed")
  func videoWorkflow() async {
    let root = Corpus.packageRoot.path
    let run = await runSFN(
      [
        "test-state", root + "/StateMachines/video-workflow-orchestration.asl.json",
        "--state", "TranscodeVideo",
        "--input", "@" + root + "/StateMachines/examples/video-workflow-orchestration.input.json",
        "--mock-error", "MediaConvert.InternalServerErrorException", "--retrier-retry-count", "3",
        "--format", "json",
      ], context: .system(environment: [:]))
    #expect(run.status == 1)
    #expect(
      run.output.contains(#""nextState" : "RecordJobFailed""#)
        || run.output.contains(#""nextState": "RecordJobFailed""#))
    #expect(run.output.contains("CAUGHT_ERROR"))
  }
}
