import StepFunctions
import StepFunctionsCLI
import Testing

@Suite("sfn graph")
struct GraphCommandTests {
  static let definition = """
    {"StartAt": "Check", "States": {
      "Check": {"Type": "Choice",
        "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "Done"}],
        "Default": "Broken"},
      "Done": {"Type": "Succeed"},
      "Broken": {"Type": "Fail", "Error": "Broken"}}}
    """
  static let files = ["m.asl.json": definition, "bad.asl.json": #"{"StartAt": "X", "States": {}}"#]

  @Test("Mermaid is the default and goes to standard output")
  func mermaidToStandardOutput() async {
    let result = await runSFN(["graph", "m.asl.json"], files: Self.files)
    #expect(result.status == 0)
    #expect(result.error == "")
    #expect(result.output.hasPrefix("flowchart TD\n"))
    #expect(result.output.contains(#"n1 -->|"$.ok == true"| n2"#))
    #expect(!result.output.contains("classDef"))
  }

  @Test("--format dot --output FILE writes DOT to the file")
  func dotToFile() async {
    let written = WrittenFiles()
    let result = await runSFN(
      ["graph", "m.asl.json", "--format", "dot", "--output", "m.dot"],
      context: writingContext(Self.files, into: written))
    #expect(result.status == 0)
    #expect(result.output == "")
    #expect(written["m.dot"]?.hasPrefix("digraph \"m\" {\n") == true)
  }

  @Test("--history highlights the path and the failed state")
  func history() async {
    let written = WrittenFiles()
    let context = writingContext(Self.files, into: written)
    let run = await runSFN(
      ["run", "m.asl.json", "--input", #"{"ok": false}"#, "--history-out", "h.json"],
      context: context)
    #expect(run.status == 1)
    guard let history = written["h.json"] else {
      Issue.record("no history written")
      return
    }
    var files = Self.files
    files["h.json"] = history
    let result = await runSFN(["graph", "m.asl.json", "--history", "h.json"], files: files)
    #expect(result.status == 0)
    #expect(result.output.contains("  class n1 entered\n"))
    #expect(result.output.contains("  class n3 failed\n"))
    #expect(result.output.contains("  linkStyle 0,2 stroke:#137333,stroke-width:3px\n"))
  }

  @Test("--coverage colours covered and uncovered parts")
  func coverage() async {
    var files = Self.files
    files["c.json"] = """
      {"coverage": {"stateMachines": [{"name": "M", "items": [
        {"kind": "state", "state": "Check", "covered": true, "hits": 1},
        {"kind": "choiceRule", "state": "Check", "rule": 0, "next": "Done", "covered": false, "hits": 0}
      ]}]}}
      """
    let result = await runSFN(
      ["graph", "m.asl.json", "--coverage", "c.json", "--format", "dot"], files: files)
    #expect(result.status == 0)
    #expect(result.output.contains(##"n1 [label="Check", shape=diamond, fillcolor="#e6f4ea""##))
    #expect(result.output.contains(##"n1 -> n2 [label="$.ok == true", color="#e37400""##))
  }

  @Test("A coverage report naming unknown states draws, with a warning")
  func unknownStatesWarn() async {
    var files = Self.files
    files["c.json"] =
      #"{"stateMachines": [{"name": "M", "items": [{"kind": "state", "state": "Gone", "covered": true}]}]}"#
    let result = await runSFN(["graph", "m.asl.json", "--coverage", "c.json"], files: files)
    #expect(result.status == 0)
    #expect(
      result.error
        == "sfn: warning: the coverage report names states or transitions the definition does not have: Gone\n"
    )
  }

  @Test("Bad command lines exit 64, unreadable or invalid data 65, an unwritable output 73")
  func exitCodes() async {
    var files = Self.files
    files["c.json"] = #"{"stateMachines": []}"#
    files["h.json"] = #"{"events": [{"type": 3}]}"#
    let cases: [([String], Int32, String)] = [
      (["graph", "m.asl.json", "--history", "h.json", "--coverage", "c.json"], 64, "not both"),
      (["graph", "m.asl.json", "--state-machine", "M"], 64, "needs '--coverage"),
      (["graph", "m.asl.json", "--format", "svg"], 64, "svg"),
      (["graph"], 64, "Missing"),
      (["graph", "missing.asl.json"], 65, "cannot read 'missing.asl.json'"),
      (["graph", "bad.asl.json"], 65, "bad.asl.json"),
      (["graph", "m.asl.json", "--history", "nope.json"], 65, "cannot read 'nope.json'"),
      (["graph", "m.asl.json", "--history", "h.json"], 65, "h.json"),
      (["graph", "m.asl.json", "--coverage", "c.json"], 65, "no state machines"),
    ]
    for (arguments, status, message) in cases {
      let result = await runSFN(arguments, files: files)
      #expect(result.status == status, "\(arguments)")
      #expect(result.error.contains(message), "\(arguments): \(result.error)")
    }
    let written = WrittenFiles()
    let result = await runSFN(
      ["graph", "m.asl.json", "--output", "locked.mmd"],
      context: writingContext(Self.files, into: written, unwritable: ["locked.mmd"]))
    #expect(result.status == 73)
    #expect(
      result.error == "sfn: error: cannot write the graph to 'locked.mmd': Permission denied\n")
  }

  @Test("sfn --help lists graph")
  func listed() async {
    let result = await runSFN(["--help"])
    #expect(result.output.contains("graph"))
  }
}
