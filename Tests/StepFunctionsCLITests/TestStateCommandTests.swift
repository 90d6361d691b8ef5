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

  /// The words of a shell command line: spaces separate, quotes group (no escapes inside).
  static func words(_ line: String) -> [String] {
    var words: [String] = []
    var current = ""
    var quote: Character?
    var inWord = false
    for character in line {
      if let open = quote {
        if character == open { quote = nil } else { current.append(character) }
      } else if character == "'" || character == "\"" {
        quote = character
        inWord = true
      } else if character == " " {
        if inWord { words.append(current) }
        current = ""
        inWord = false
      } else {
        current.append(character)
        inWord = true
      }
    }
    if inWord { words.append(current) }
    return words
  }

  @Test("The tutorial's `sfn test-state` commands print what the tutorial shows")
  func tutorial() async throws {
    let root = Corpus.packageRoot
    let text = try String(
      contentsOf: root.appendingPathComponent("Docs/TestingAVideoWorkflow.md"), encoding: .utf8)
    let after = try #require(text.components(separatedBy: "## 11. Testing one state").last)
    let section = try #require(after.components(separatedBy: "\n## ").first)
    var commands: [(line: String, expected: String)] = []
    for block in section.components(separatedBy: "```").enumerated() where block.offset % 2 == 1 {
      var line: String?
      var expected = ""
      for row in block.element.split(separator: "\n", omittingEmptySubsequences: false) {
        if row.hasPrefix("$ ") {
          if let current = line { commands.append((current, expected)) }
          line = String(row.dropFirst(2))
          expected = ""
        } else if let current = line, current.hasSuffix("\\") {
          line = String(current.dropLast()) + " " + row.trimmingCharacters(in: .whitespaces)
        } else if line != nil, !row.isEmpty {
          expected += row + "\n"
        }
      }
      if let line { commands.append((line, expected)) }
    }
    #expect(commands.count == 3)
    for (line, expected) in commands {
      var arguments = Self.words(line)
      #expect(Array(arguments.prefix(3)) == ["swift", "run", "sfn"])
      arguments = arguments.dropFirst(3).map {
        $0.replacingOccurrences(of: "StateMachines/", with: root.path + "/StateMachines/")
      }
      let run = await runSFN(arguments, context: .system(environment: [:]))
      #expect(run.output == expected, "\(line)")
    }
  }

  @Test(
    "Without --state, a file holding one state is tested as AWS tests a single-state definition")
  func singleState() async {
    let state = """
      {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
       "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Report"}], "Next": "Done"}
      """
    let succeeded = await runSFN(
      ["test-state", "s.json", "--mock-result", #"{"MessageId": "1"}"#],
      files: ["s.json": state])
    #expect(succeeded.status == 0)
    #expect(
      succeeded.output == """
        status: SUCCEEDED
        next state: Done
        output: {"MessageId":"1"}

        """)
    let caught = await runSFN(
      ["test-state", "s.json", "--mock-error", "Boom", "--mock-cause", "no"],
      files: ["s.json": state])
    #expect(caught.status == 1)
    #expect(caught.output.hasPrefix("status: CAUGHT_ERROR\nnext state: Report\n"))
  }

  @Test(
    "Without --state, a whole machine is refused (65) and an invalid state is reported at its line")
  func singleStateRefusals() async {
    let machine = await runSFN(["test-state", "m.asl.json"], files: Self.files)
    #expect(machine.status == 64)
    #expect(machine.error.contains("is a state machine: name the state to test with --state"))
    let invalid = await runSFN(
      ["test-state", "s.json"], files: ["s.json": "{\n  \"Type\": \"Pass\",\n  \"Next\": 5\n}"])
    #expect(invalid.status == 65)
    #expect(invalid.error.contains("s.json:3:"))
  }
}
