import StepFunctions
import StepFunctionsCLI
import Testing

@Suite("sfn run")
struct RunCommandTests {
  static let files: [String: String] = [
    "wait.asl.json": #"""
    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 90, "Next": "P"},
      "P": {"Type": "Pass", "Parameters": {"id.$": "States.UUID()", "a.$": "$.a", "machine.$": "$$.StateMachine.Name"}, "End": true}}}
    """#,
    "fail.json":
      #"{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Broken", "Cause": "on purpose"}}}"#,
    "invalid.json": #"{"StartAt": 1}"#,
    "input.json": #"{"a": 5}"#,
    "bad-input.json": #"{"a": "#,
    "task.json":
      #"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::athena:startQueryExecution", "End": true}}}"#,
  ]

  static func run(_ arguments: [String]) async -> RunResult {
    await runSFN(["run"] + arguments, files: files)
  }

  @Test("The text trace lists the states with virtual times, then the status and output; exit 0")
  func textTrace() async throws {
    let result = await RunCommandTests.run(["wait.asl.json", "--input", #"{"a": 1}"#])
    #expect(result.status == 0)
    #expect(result.error.isEmpty)
    let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(
      String.init)
    #expect(
      lines.prefix(4) == [
        "0:00.000  → W (Wait)", "1:30.000  → P (Pass)", "",
        "SUCCEEDED after 1:30.000 of execution time, 2 state transitions",
      ])
    let output = try JSON(parsing: lines.dropFirst(4).joined(separator: "\n"))
    #expect(output["a"] == 1)
    #expect(output["machine"] == "wait")
    #expect(output["id"]?.stringValue?.count == 36)
  }

  @Test("--history prints every event in the text trace")
  func textHistory() async {
    let result = await RunCommandTests.run(["wait.asl.json", "--input", #"{"a": 1}"#, "--history"])
    #expect(result.status == 0)
    #expect(
      result.output.hasPrefix(
        "0:00.000    ExecutionStarted\n0:00.000  → W (Wait)\n1:30.000  ← W: {\"a\":1}\n"))
    #expect(result.output.contains("    ExecutionSucceeded\n"))
  }

  @Test("A failed execution prints its error and cause and exits 1")
  func failedExecution() async {
    let result = await RunCommandTests.run(["fail.json"])
    #expect(result.status == 1)
    #expect(
      result.output.hasSuffix(
        "FAILED after 0:00.000 of execution time, 1 state transitions\nerror: Broken\ncause: on purpose\n"
      ))
  }

  @Test("--format json prints exactly status, output, error and cause")
  func jsonShape() async throws {
    let succeeded = try JSON(
      parsing: await RunCommandTests.run([
        "wait.asl.json", "--input", "@input.json", "--format", "json",
      ]).output)
    #expect(succeeded.objectValue?.keys.map { $0 } == ["status", "output", "error", "cause"])
    #expect(succeeded["status"] == "SUCCEEDED")
    #expect(succeeded["output"]?["a"] == 5)
    #expect(succeeded["error"] == .null)
    #expect(succeeded["cause"] == .null)
    let failed = await RunCommandTests.run(["fail.json", "--format", "json"])
    #expect(failed.status == 1)
    #expect(
      try JSON(parsing: failed.output) == [
        "status": "FAILED", "output": nil, "error": "Broken", "cause": "on purpose",
      ])
  }

  @Test("--format json --history adds the events in get-execution-history shape")
  func jsonHistory() async throws {
    let result = await RunCommandTests.run([
      "wait.asl.json", "--input", "@input.json", "--format", "json", "--history",
    ])
    #expect(result.status == 0)
    let value = try JSON(parsing: result.output)
    #expect(value.objectValue?.keys.map { $0 } == ["status", "output", "error", "cause", "events"])
    let events = try #require(value["events"]?.arrayValue)
    #expect(
      events.compactMap { $0["type"]?.stringValue } == [
        "ExecutionStarted", "WaitStateEntered", "WaitStateExited", "PassStateEntered",
        "PassStateExited", "ExecutionSucceeded",
      ])
    #expect(events[2]["timestamp"] == "2025-01-01T00:01:30.000Z")
    #expect(events[0]["executionStartedEventDetails"]?["input"] == #"{"a":5}"#)
  }

  @Test(
    "--format json without --history (which keeps no events, to bound memory) gives the same status, output, error and cause"
  )
  func jsonWithoutHistoryMatches() async throws {
    for file in ["wait.asl.json", "fail.json"] {
      let plain = try JSON(
        parsing: await RunCommandTests.run([file, "--input", "@input.json", "--format", "json"])
          .output)
      var withHistory = try JSON(
        parsing: await RunCommandTests.run([
          file, "--input", "@input.json", "--format", "json", "--history",
        ]).output
      ).objectValue
      withHistory?.removeValue(forKey: "events")
      #expect(withHistory.map(JSON.object) == plain)
    }
  }

  @Test("--seed changes the random values, and the same seed repeats them")
  func seed() async {
    let first = await RunCommandTests.run([
      "wait.asl.json", "--input", "@input.json", "--format", "json", "--seed", "1",
    ])
    let again = await RunCommandTests.run([
      "wait.asl.json", "--input", "@input.json", "--format", "json", "--seed", "1",
    ])
    let other = await RunCommandTests.run([
      "wait.asl.json", "--input", "@input.json", "--format", "json", "--seed", "2",
    ])
    #expect(first.output == again.output)
    #expect(first.output != other.output)
  }

  @Test("A negative seed is taken as the seed's value and refused: seeds are 0 to 2^64-1")
  func negativeSeed() async {
    let result = await RunCommandTests.run(["wait.asl.json", "--seed", "-1"])
    #expect(result.status == 64)
    #expect(
      result.error.hasPrefix(
        "Error: The value '-1' is invalid for '--seed <n>'. Please provide a whole number from 0 to 18446744073709551615.\n"
      ))
    #expect(!result.error.contains("Missing value"))
  }

  @Test(
    "An input that cannot be read or is not JSON exits 65 with a message on stderr",
    arguments: [
      (["wait.asl.json", "--input", #"{"a": "#], "the input is not valid JSON"),
      (["wait.asl.json", "--input", "@bad-input.json"], "the input is not valid JSON"),
      (["wait.asl.json", "--input", "@missing.json"], "cannot read the input file 'missing.json'"),
    ])
  func badInput(arguments: [String], message: String) async {
    let result = await RunCommandTests.run(arguments)
    #expect(result.status == 65)
    #expect(result.output.isEmpty)
    #expect(result.error.contains(message), "\(result.error)")
  }

  @Test(
    "Command-line mistakes exit 64 with a message on stderr",
    arguments: [
      (["wait.asl.json", "--seed", "x"], "The value 'x' is invalid for '--seed <n>'"),
      (
        ["wait.asl.json", "--format", "yaml"], "The value 'yaml' is invalid for '--format <format>'"
      ),
      ([], "Missing expected argument"),
    ])
  func usageErrors(arguments: [String], message: String) async {
    let result = await RunCommandTests.run(arguments)
    #expect(result.status == 64)
    #expect(result.output.isEmpty)
    #expect(result.error.contains(message), "\(result.error)")
  }

  @Test("An unreadable or invalid definition exits 65 with diagnostics; a failed execution 1")
  func badDefinition() async {
    let missing = await RunCommandTests.run(["nope.json"])
    #expect(missing.status == 65)
    #expect(missing.error == "sfn: error: cannot read 'nope.json': No such file or directory\n")
    let invalid = await RunCommandTests.run(["invalid.json"])
    #expect(invalid.status == 65)
    #expect(
      invalid.error.contains(
        "invalid.json:1:13: error: The value for the field 'StartAt' must be a STRING [SCHEMA_VALIDATION_FAILED]"
      ))
  }

  @Test("A Task with no registered handler fails the execution with a hint, exit 1")
  func missingHandler() async {
    let result = await RunCommandTests.run(["task.json"])
    #expect(result.status == 1)
    #expect(result.output.contains("error: States.Runtime\n"))
    #expect(result.output.contains("arn:aws:states:::athena:startQueryExecution"))
  }
}
