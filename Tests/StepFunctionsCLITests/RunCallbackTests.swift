import StepFunctions
import Testing

@Suite("sfn run and sfn test on a task token nobody answers", .timeLimit(.minutes(1)))
struct RunCallbackTests {
  /// The reproducer `run-waitForTaskToken-no-callback-hang.asl.json`, with the `QueueUrl` the
  /// simulated SQS needs so that the message is sent and the task waits for its token.
  static let files: [String: String] = [
    "wait-for-token.asl.json": #"""
    {"StartAt": "T", "States": {"T": {"Type": "Task",
      "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/review",
        "MessageBody": {"t.$": "$$.Task.Token"}}, "End": true}}}
    """#,
    "mocks.json": #"""
    {"StateMachines": {"wait-for-token": {"TestCases": {"NoAnswer": {}}}}, "MockedResponses": {}}
    """#,
  ]

  @Test("sfn run ends at once, RUNNING, naming the state and the token it waits on; exit 1")
  func runReportsTheWaitingToken() async throws {
    let result = await runSFN(["run", "wait-for-token.asl.json"], files: Self.files)
    #expect(result.status == 1)
    #expect(
      result.output.contains("RUNNING after 0:00.000 of execution time, 1 state transitions\n"))
    #expect(result.output.contains("error: Execution.Stuck\n"))
    #expect(
      result.output.contains("cause: The execution is stuck: state 'T' waits for task token "))
  }

  @Test("sfn run --format json shows the RUNNING status and the report")
  func runJSON() async throws {
    let result = await runSFN(
      ["run", "wait-for-token.asl.json", "--format", "json"], files: Self.files)
    #expect(result.status == 1)
    let json = try JSON(parsing: result.output)
    #expect(json["status"] == "RUNNING")
    #expect(json["error"] == "Execution.Stuck")
    #expect(json["cause"]?.stringValue?.hasPrefix("The execution is stuck: state 'T'") == true)
  }

  @Test("sfn test fails a case whose execution waits on a token no mock answers")
  func testCaseFails() async throws {
    let result = await runSFN(
      ["test", "wait-for-token.asl.json", "--mocks", "mocks.json"], files: Self.files)
    #expect(result.status == 1)
    #expect(result.output.contains("FAIL  RUNNING    wait-for-token / NoAnswer: Execution.Stuck: "))
    #expect(
      result.output.contains(
        "The execution did not end: state 'T' waits for a task token that no mock, handler or test answers."
      ))
  }
}
