import StepFunctions
import StepFunctionsCLI
import Testing

@Suite("sfn run --machine NAME=FILE")
struct RunMachineOptionTests {
  static let files: [String: String] = [
    "parent.json": #"""
    {"StartAt": "Start", "States": {"Start": {"Type": "Task",
      "Resource": "arn:aws:states:::states:startExecution.sync:2",
      "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Child",
        "Name": "c1", "Input": {"n": 2}},
      "OutputPath": "$.Output", "End": true}}}
    """#,
    "child.json": #"""
    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 45, "Next": "P"},
      "P": {"Type": "Pass", "Parameters": {"twice.$": "States.MathAdd($.n, $.n)"}, "End": true}}}
    """#,
    "invalid.json": #"{"StartAt": 1}"#,
  ]

  static func run(_ arguments: [String]) async -> RunResult {
    await runSFN(["run"] + arguments, files: files)
  }

  @Test("A machine given with --machine runs as the parent's child on the same clock")
  func runsChild() async throws {
    let result = await Self.run(["parent.json", "--machine", "Child=child.json"])
    #expect(result.status == 0, "\(result.error)")
    #expect(result.output.contains("SUCCEEDED after 0:45.000 of execution time"))
    #expect(result.output.contains(#""twice" : 4"#) || result.output.contains(#""twice": 4"#))
  }

  @Test("With --format json --history, the child's result and events are listed")
  func jsonListsChild() async throws {
    let result = await Self.run([
      "parent.json", "--machine", "Child=child.json", "--format", "json", "--history",
    ])
    #expect(result.status == 0, "\(result.error)")
    let json = try JSON(parsing: result.output)
    let child = try #require(json["startedExecutions"]?.arrayValue?.first)
    #expect(child["executionArn"] == "arn:aws:states:us-east-1:123456789012:execution:Child:c1")
    #expect(child["status"] == "SUCCEEDED")
    #expect(child["output"] == ["twice": 4])
    #expect(child["events"]?.arrayValue?.first?["type"] == "ExecutionStarted")
  }

  @Test("With --format json alone, the child's result is listed without events")
  func jsonListsChildWithoutHistory() async throws {
    let result = await Self.run([
      "parent.json", "--machine", "Child=child.json", "--format", "json",
    ])
    #expect(result.status == 0, "\(result.error)")
    let json = try JSON(parsing: result.output)
    let child = try #require(json["startedExecutions"]?.arrayValue?.first)
    #expect(child["status"] == "SUCCEEDED")
    #expect(child["output"] == ["twice": 4])
    #expect(child["events"] == nil)
  }

  @Test("Without --machine the child does not exist: the run fails with AWS's error")
  func missingMachine() async {
    let result = await Self.run(["parent.json"])
    #expect(result.status == 1)
    #expect(result.output.contains("StepFunctions.StateMachineDoesNotExistException"))
  }

  @Test("A value that is not NAME=FILE, a bad name or a repeated name is a usage error (64)")
  func usageErrors() async {
    for arguments in [
      ["--machine", "child.json"], ["--machine", "=child.json"], ["--machine", "a:b=child.json"],
      ["--machine", "Child="], ["--machine", "Child=child.json", "--machine", "Child=child.json"],
    ] {
      let result = await Self.run(["parent.json"] + arguments)
      #expect(result.status == 64, "\(arguments)")
      #expect(result.error.contains("--machine"), "\(arguments): \(result.error)")
    }
  }

  @Test("An unreadable or invalid machine file is a data error (65) that names the file")
  func badFiles() async {
    let missing = await Self.run(["parent.json", "--machine", "Child=nowhere.json"])
    #expect(missing.status == 65)
    #expect(missing.error.contains("nowhere.json"))
    let invalid = await Self.run(["parent.json", "--machine", "Child=invalid.json"])
    #expect(invalid.status == 65)
    #expect(invalid.error.contains("invalid.json"))
  }

  @Test("sfn run --help describes --machine")
  func help() async {
    let result = await runSFN(["run", "--help"])
    #expect(result.status == 0)
    #expect(result.output.contains("--machine <name=file>"))
    #expect(result.output.contains("arn:aws:states:::states:startExecution"))
  }
}
