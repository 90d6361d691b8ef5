import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

@testable import StepFunctionsRuntime

@Suite("Executor: child executions with states:startExecution")
struct ChildExecutionTests {
  static let account = "123456789012"
  static let childArn = "arn:aws:states:us-east-1:123456789012:stateMachine:Child"

  /// A child that waits `seconds` and returns `{"doubled": input.n * 2}`-like output.
  static let waitingChild = #"""
    {"StartAt": "Wait", "States": {
      "Wait": {"Type": "Wait", "Seconds": 60, "Next": "Done"},
      "Done": {"Type": "Pass", "Parameters": {"got.$": "$"}, "End": true}}}
    """#

  static let failingChild = #"""
    {"StartAt": "Wait", "States": {
      "Wait": {"Type": "Wait", "Seconds": 5, "Next": "Boom"},
      "Boom": {"Type": "Fail", "Error": "SomeFailure", "Cause": "It broke."}}}
    """#

  static let slowChild = #"""
    {"TimeoutSeconds": 10, "StartAt": "Wait", "States": {
      "Wait": {"Type": "Wait", "Seconds": 3600, "End": true}}}
    """#

  /// A parent with one Task starting `Child` with `resource`'s pattern and `extra` fields.
  static func parent(_ suffix: String, input: String = #"{"n": 1}"#, extra: String = "")
    -> String
  {
    #"""
    {"StartAt": "Start", "States": {"Start": {"Type": "Task",
      "Resource": "arn:aws:states:::states:startExecution\#(suffix)",
      "Parameters": {"StateMachineArn": "\#(childArn)", "Name": "run-1", "Input": \#(input)},
      \#(extra) "End": true}}}
    """#
  }

  /// Runs `definition` with `children` registered by name.
  static func run(
    _ definition: String, children: [String: String] = ["Child": waitingChild], seed: UInt64 = 0,
    configure: (inout ExecutionOptions) -> Void = { _ in }
  ) async throws -> ExecutionResult {
    try await Executor.run(definition, seed: seed) { options in
      for (name, text) in children.sorted(by: { $0.key < $1.key }) {
        if let machine = try? StateMachine(json: text) {
          options.stateMachines.register(machine, name: name)
        }
      }
      configure(&options)
    }
  }

  static let start = Instant.defaultVirtualStart.millisecondsSinceEpoch

  @Test("Request-response returns ExecutionArn and StartDate at once; the child runs on")
  func requestResponse() async throws {
    let result = try await Self.run(Self.parent(""))
    #expect(result.status == .succeeded, "\(result.summary)")
    let output = try #require(result.output?.objectValue)
    #expect(
      output.keys == ["ExecutionArn", "SdkHttpMetadata", "SdkResponseMetadata", "StartDate"])
    #expect(
      output["ExecutionArn"] == "arn:aws:states:us-east-1:123456789012:execution:Child:run-1")
    #expect(output["StartDate"] == .number(JSONNumber(Self.start)))
    #expect(result.stopDate.millisecondsSinceEpoch == Self.start)
    #expect(result.eventTypes.contains("TaskSubmitted") == false)
    let child = try #require(result.startedExecutions.first)
    #expect(child.status == .succeeded)
    #expect(child.output == ["got": ["n": 1]])
    #expect(child.stopDate.millisecondsSinceEpoch == Self.start + 60_000)
  }

  @Test(
    ".sync returns DescribeExecution's shape with Input and Output as text, when the child ends")
  func sync() async throws {
    let result = try await Self.run(Self.parent(".sync"))
    #expect(result.status == .succeeded, "\(result.summary)")
    let expected: JSON = [
      "ExecutionArn": "arn:aws:states:us-east-1:123456789012:execution:Child:run-1",
      "Input": #"{"n":1}"#, "InputDetails": ["Included": true], "Name": "run-1",
      "Output": #"{"got":{"n":1}}"#, "OutputDetails": ["Included": true],
      "RedriveCount": 0, "RedriveStatus": "NOT_REDRIVABLE",
      "RedriveStatusReason": "Execution is SUCCEEDED and cannot be redriven",
      "StartDate": .number(JSONNumber(Self.start)), "StateMachineArn": .string(Self.childArn),
      "Status": "SUCCEEDED", "StopDate": .number(JSONNumber(Self.start + 60_000)),
    ]
    #expect(result.output == expected)
    #expect(
      result.eventTypes == [
        "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted",
        "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded",
      ])
    #expect(result.offsets("TaskSubmitted") == [0])
    #expect(result.offsets("TaskSucceeded") == [60])
    let submitted = try #require(result.details("TaskSubmitted"))
    #expect(submitted["resource"] == "startExecution.sync")
    #expect(submitted["resourceType"] == "states")
    let submittedOutput = try JSON(parsing: submitted["output"]?.stringValue ?? "")
    #expect(
      submittedOutput["ExecutionArn"]
        == "arn:aws:states:us-east-1:123456789012:execution:Child:run-1")
  }

  @Test(".sync:2 returns the same shape with Input and Output as JSON values")
  func sync2() async throws {
    let result = try await Self.run(Self.parent(".sync:2", input: #""{\"n\": 1}""#))
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output?["Input"] == ["n": 1])
    #expect(result.output?["Output"] == ["got": ["n": 1]])
    let scheduled = try #require(result.details("TaskScheduled"))
    #expect(scheduled["resource"] == "startExecution.sync:2")
  }

  @Test("A failed child fails a .sync or .sync:2 task with States.TaskFailed and the description")
  func failedChild() async throws {
    for suffix in [".sync", ".sync:2"] {
      let result = try await Self.run(
        Self.parent(suffix), children: ["Child": Self.failingChild])
      #expect(result.status == .failed)
      #expect(result.error == "States.TaskFailed")
      let cause = try JSON(parsing: result.cause ?? "")
      #expect(cause.objectValue?.keys.prefix(3) == ["Cause", "Error", "ExecutionArn"])
      #expect(cause["Error"] == "SomeFailure")
      #expect(cause["Cause"] == "It broke.")
      #expect(cause["Status"] == "FAILED")
      #expect(cause["RedriveStatus"] == "REDRIVABLE")
      #expect(cause["Output"] == nil)
      #expect(cause["Input"] == (suffix == ".sync" ? #"{"n":1}"# : ["n": 1]))
      #expect(result.offsets("TaskFailed") == [5], "\(suffix)")
    }
    // Request-response does not wait: the parent succeeds whatever the child does.
    let started = try await Self.run(Self.parent(""), children: ["Child": Self.failingChild])
    #expect(started.status == .succeeded)
    #expect(started.startedExecutions.first?.status == .failed)
  }

  @Test("A timed-out child fails a .sync task with its TIMED_OUT description; Catch sees it")
  func timedOutChild() async throws {
    let result = try await Self.run(
      Self.parent(
        ".sync",
        extra: #""Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Caught"}], "#
      )
      .replacingOccurrences(
        of: #""End": true}}}"#,
        with: #""End": true}, "Caught": {"Type": "Pass", "End": true}}}"#),
      children: ["Child": Self.slowChild])
    #expect(result.status == .succeeded, "\(result.summary)")
    let cause = try JSON(parsing: result.output?["Cause"]?.stringValue ?? "")
    #expect(cause["Status"] == "TIMED_OUT")
    #expect(cause["Error"] == "States.Timeout")
    #expect(result.offsets("TaskFailed") == [10])
  }

  @Test("The parent's TimeoutSeconds ends a .sync task before a long child ends")
  func parentTimeout() async throws {
    let result = try await Self.run(
      Self.parent(".sync", extra: #""TimeoutSeconds": 30,"#))
    #expect(result.status == .failed)
    #expect(result.error == "States.Timeout")
    #expect(result.offsets("TaskTimedOut") == [30])
  }

  @Test("An unknown machine fails with StateMachineDoesNotExist and AWS's cause")
  func unknownMachine() async throws {
    let result = try await Self.run(Self.parent(".sync"), children: [:])
    #expect(result.status == .failed)
    #expect(result.error == "StepFunctions.StateMachineDoesNotExistException")
    let cause = result.cause ?? ""
    #expect(
      cause.hasPrefix(
        "State Machine Does Not Exist: '\(Self.childArn)' (Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist; Request ID: "
      ))
    #expect(cause.hasSuffix("; Proxy: null)"))
    #expect(result.eventTypes.contains("TaskSubmitted") == false)
    // A name registered for another region or account does not answer.
    let elsewhere = try await Self.run(
      Self.parent("").replacingOccurrences(of: "us-east-1", with: "eu-west-1"))
    #expect(elsewhere.error == "StepFunctions.StateMachineDoesNotExistException")
  }

  @Test("A machine registered by ARN runs with that ARN's account and region")
  func registeredByArn() async throws {
    let arn = "arn:aws:states:eu-west-1:111122223333:stateMachine:Remote"
    let definition = Self.parent(".sync").replacingOccurrences(of: Self.childArn, with: arn)
    let result = try await Executor.run(definition) { options in
      if let machine = try? StateMachine(json: Self.waitingChild) {
        let registered = options.stateMachines.register(machine, arn: arn)
        #expect(registered)
      }
      if let machine = try? StateMachine(json: Self.failingChild) {
        let registered = options.stateMachines.register(machine, arn: "not-an-arn")
        #expect(registered == false)
      }
    }
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output?["StateMachineArn"] == .string(arn))
    #expect(
      result.output?["ExecutionArn"]
        == "arn:aws:states:eu-west-1:111122223333:execution:Remote:run-1")
  }

  @Test("Input may be JSON text; text that is not JSON is InvalidExecutionInput; no Input is {}")
  func inputForms() async throws {
    let text = try await Self.run(Self.parent(".sync", input: #""\"hello\"""#))
    #expect(text.output?["Input"] == #""hello""#)
    #expect(text.startedExecutions.first?.output == ["got": "hello"])
    let none = try await Self.run(Self.parent(".sync", input: "null"))
    #expect(none.output?["Input"] == "{}")
    let bad = try await Self.run(Self.parent(".sync", input: #""{nope""#))
    #expect(bad.error == "StepFunctions.InvalidExecutionInputException")
    #expect(bad.cause?.hasPrefix("Invalid State Machine Execution Input: '") == true)
  }

  @Test("A name already used for the machine is ExecutionAlreadyExists; a bad name InvalidName")
  func names() async throws {
    let twice = #"""
      {"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution",
          "Parameters": {"StateMachineArn": "\#(Self.childArn)", "Name": "same"}, "Next": "B"},
        "B": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution",
          "Parameters": {"StateMachineArn": "\#(Self.childArn)", "Name": "same"}, "End": true}}}
      """#
    let result = try await Self.run(twice)
    #expect(result.error == "StepFunctions.ExecutionAlreadyExistsException")
    #expect(
      result.cause?.hasPrefix(
        "Execution Already Exists: 'arn:aws:states:us-east-1:123456789012:execution:Child:same'")
        == true)
    let badName = try await Self.run(
      Self.parent("").replacingOccurrences(of: "run-1", with: "has space"))
    #expect(badName.error == "StepFunctions.InvalidNameException")
  }

  @Test("Nested children: a child's .sync child runs on the same clock, and both are recorded")
  func nested() async throws {
    let middle = #"""
      {"StartAt": "Pause", "States": {
        "Pause": {"Type": "Wait", "Seconds": 10, "Next": "Grandchild"},
        "Grandchild": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
          "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Child",
            "Input": {"from": "middle"}}, "OutputPath": "$.Output", "End": true}}}
      """#
    let definition = Self.parent(".sync:2").replacingOccurrences(of: ":Child", with: ":Middle")
    let result = try await Self.run(
      definition, children: ["Child": Self.waitingChild, "Middle": middle])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output?["Output"] == ["got": ["from": "middle"]])
    #expect(result.offsets("TaskSucceeded") == [70])
    let child = try #require(result.startedExecutions.first)
    #expect(child.executionArn.hasSuffix(":execution:Middle:run-1"))
    let grandchild = try #require(child.startedExecutions.first)
    #expect(grandchild.startDate.millisecondsSinceEpoch == Self.start + 10_000)
    #expect(grandchild.stopDate.millisecondsSinceEpoch == Self.start + 70_000)
    // The grandchild's default name is a UUID drawn from the seeds.
    #expect(grandchild.executionArn.split(separator: ":").last?.count == 36)
  }

  /// A child that waits, then answers the token in its input with `sendTask…`.
  static func callbackChild(_ action: String, _ fields: String, wait: Int = 30) -> String {
    #"""
    {"StartAt": "Wait", "States": {
      "Wait": {"Type": "Wait", "Seconds": \#(wait), "Next": "Answer"},
      "Answer": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sfn:\#(action)",
        "Parameters": {"TaskToken.$": "$.token", \#(fields)}, "End": true}}}
    """#
  }

  static let tokenInput = #"{"token.$": "$$.Task.Token"}"#

  @Test(".waitForTaskToken: the child's SendTaskSuccess answers the parent when it is sent")
  func waitForTaskToken() async throws {
    let result = try await Self.run(
      Self.parent(".waitForTaskToken", input: Self.tokenInput),
      children: ["Child": Self.callbackChild("sendTaskSuccess", #""Output": "{\"ok\": true}""#)])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == ["ok": true])
    #expect(result.offsets("TaskSubmitted") == [0])
    #expect(result.offsets("TaskSucceeded") == [30])
    let child = try #require(result.startedExecutions.first)
    #expect(child.status == .succeeded)
    #expect(child.output == [:])
  }

  @Test(".waitForTaskToken: SendTaskFailure fails the parent's task with the child's error")
  func waitForTaskTokenFailure() async throws {
    let result = try await Self.run(
      Self.parent(".waitForTaskToken", input: Self.tokenInput),
      children: [
        "Child": Self.callbackChild(
          "sendTaskFailure", #""Error": "Rejected", "Cause": "no thanks""#, wait: 7)
      ])
    #expect(result.status == .failed)
    #expect(result.error == "Rejected")
    #expect(result.cause == "no thanks")
    #expect(result.offsets("TaskFailed") == [7])
  }

  @Test(".waitForTaskToken: a child that fails without answering leaves the parent to time out")
  func waitForTaskTokenChildFails() async throws {
    let result = try await Self.run(
      Self.parent(".waitForTaskToken", input: Self.tokenInput, extra: #""TimeoutSeconds": 100,"#),
      children: ["Child": Self.failingChild])
    #expect(result.status == .failed)
    #expect(result.error == "States.Timeout")
    #expect(result.offsets("TaskTimedOut") == [100])
    // A callback sent after the parent's task timed out is refused, as AWS refuses it.
    let late = try await Self.run(
      Self.parent(".waitForTaskToken", input: Self.tokenInput, extra: #""TimeoutSeconds": 10,"#),
      children: ["Child": Self.callbackChild("sendTaskSuccess", #""Output": "{}""#)])
    #expect(late.error == "States.Timeout")
    #expect(late.startedExecutions.first?.error == "Sfn.TaskTimedOutException")
  }

  @Test("A grandchild can answer the grandparent's token; an unknown token is InvalidToken")
  func grandchildCallback() async throws {
    let middle = #"""
      {"StartAt": "Start", "States": {"Start": {"Type": "Task",
        "Resource": "arn:aws:states:::states:startExecution.sync",
        "Parameters": {"StateMachineArn": "\#(Self.childArn)", "Input": {"token.$": "$.token"}},
        "End": true}}}
      """#
    let definition = Self.parent(".waitForTaskToken", input: Self.tokenInput)
      .replacingOccurrences(of: ":Child", with: ":Middle")
    let result = try await Self.run(
      definition,
      children: [
        "Middle": middle, "Child": Self.callbackChild("sendTaskSuccess", #""Output": "42""#),
      ])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == 42)
    #expect(result.offsets("TaskSucceeded") == [30])
    let unknown = try await Self.run(
      Self.parent(".sync", input: #"{"token": "00000000-0000-4000-8000-000000000000"}"#),
      children: ["Child": Self.callbackChild("sendTaskSuccess", #""Output": "{}""#)])
    let child = try #require(unknown.startedExecutions.first)
    #expect(child.error == "Sfn.InvalidTokenException")
    #expect(child.cause?.hasPrefix("Invalid Token: 'Invalid token' (Service: Sfn,") == true)
  }

  @Test("A .sync task whose child answers its $$.Task.Token returns the callback's output")
  func syncWithTaskToken() async throws {
    let result = try await Self.run(
      Self.parent(".sync", input: Self.tokenInput),
      children: [
        "Child": Self.callbackChild("sendTaskSuccess", #""Output": "\"SENT\"""#, wait: 12)
      ])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == "SENT")
    #expect(result.offsets("TaskSucceeded") == [12])
  }

  @Test(
    "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID reaches the child only when the parent passes it")
  func startedBy() async throws {
    let input = #"{"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"}"#
    let result = try await Self.run(Self.parent(".sync:2", input: input))
    let parentArn = "arn:aws:states:us-east-1:123456789012:execution:StateMachine:test-execution"
    #expect(
      result.output?["Input"] == ["AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID": .string(parentArn)]
    )
    let without = try await Self.run(Self.parent(".sync:2"))
    #expect(without.output?["Input"] == ["n": 1])
  }

  @Test("Same seed, same histories; another seed draws other default names")
  func determinism() async throws {
    let definition = Self.parent(".sync").replacingOccurrences(of: #""Name": "run-1", "#, with: "")
    let first = try await Self.run(definition, seed: 7)
    let second = try await Self.run(definition, seed: 7)
    #expect(first.history.awsCLIText == second.history.awsCLIText)
    #expect(
      first.startedExecutions.first?.history.awsCLIText
        == second.startedExecutions.first?.history.awsCLIText)
    #expect(first.output == second.output)
    let other = try await Self.run(definition, seed: 8)
    #expect(other.output?["Name"] != first.output?["Name"])
  }

  @Test(
    "The AWS SDK integration returns ExecutionArn and StartDate; without history the child is kept, with no events"
  )
  func sdkIntegration() async throws {
    let definition = #"""
      {"StartAt": "S", "States": {"S": {"Type": "Task",
        "Resource": "arn:aws:states:::aws-sdk:sfn:startExecution",
        "Parameters": {"StateMachineArn": "\#(Self.childArn)", "Input": {"a": 1}}, "End": true}}}
      """#
    let result = try await Self.run(definition)
    #expect(result.output?.objectValue?.keys == ["ExecutionArn", "StartDate"])
    #expect(result.output?["StartDate"] == "2025-01-01T00:00:00.000Z")
    let quiet = try await Self.run(definition) { $0.recordsHistory = false }
    #expect(quiet.status == .succeeded)
    #expect(quiet.startedExecutions.count == 1)
    #expect(quiet.startedExecutions.first?.status == .succeeded)
    #expect(quiet.startedExecutions.first?.history.events.isEmpty == true)
  }

  @Test("A handler registered for states:startExecution is used while no machine is registered")
  func registeredHandlerWins() async throws {
    let result = try await Executor.run(
      Self.parent(".sync"), handlers: ["states:startExecution": Executor.returning(["mock": true])])
    #expect(result.output == ["mock": true])
    let registryWins = try await Self.run(Self.parent(".sync")) { options in
      options.handlers.register(
        Executor.returning(["mock": true]), forIntegration: "states:startExecution")
    }
    #expect(registryWins.output?["Status"] == "SUCCEEDED")
  }
}
