import CorpusSupport
import Foundation
import StepFunctionsJSON
import Testing

@testable import StepFunctionsRuntime

/// `StateMachine.testState`: AWS's TestState API, locally.
@Suite("TestState")
struct TestStateTests {
  static func machine(_ text: String) throws -> StateMachine { try StateMachine(json: text) }

  static func json(_ text: String) throws -> JSON { try JSONParser.parse(Array(text.utf8)) }

  // MARK: Pass

  static let pass = """
    {"StartAt": "P", "States": {
      "P": {"Type": "Pass", "InputPath": "$.data", "Parameters": {"v.$": "$.x"},
            "ResultPath": "$.r", "OutputPath": "$.r", "Next": "Done"},
      "Done": {"Type": "Succeed"}}}
    """

  @Test("A JSONPath Pass state reports each step of its data flow at DEBUG")
  func passDebug() async throws {
    let input = try Self.json(#"{"data": {"x": 1}, "other": 2}"#)
    let result = try await Self.machine(Self.pass).testState(
      named: "P", input: input, inspectionLevel: .debug)
    #expect(result.status == .succeeded)
    #expect(result.nextState == "Done")
    #expect(result.output == ["v": 1])
    #expect(result.error == nil && result.cause == nil)
    var expected = InspectionData()
    expected.input = input
    expected.afterInputPath = ["x": 1]
    expected.afterParameters = ["v": 1]
    expected.afterResultSelector = ["v": 1]
    expected.afterResultPath = try Self.json(#"{"data": {"x": 1}, "other": 2, "r": {"v": 1}}"#)
    #expect(result.inspectionData == expected)
  }

  @Test("At INFO there is no inspection data; the answer is the same otherwise")
  func infoLevel() async throws {
    let machine = try Self.machine(Self.pass)
    let input = try Self.json(#"{"data": {"x": 1}}"#)
    let info = try await machine.testState(named: "P", input: input)
    let trace = try await machine.testState(named: "P", input: input, inspectionLevel: .trace)
    #expect(info.inspectionData == nil)
    #expect(trace.inspectionData != nil)
    #expect(info.status == trace.status && info.output == trace.output)
    #expect(info.nextState == trace.nextState)
  }

  @Test("AWS's response shape: payloads as JSON text, keys as AWS names them")
  func awsShape() async throws {
    let result = try await Self.machine(Self.pass).testState(
      named: "P", input: try Self.json(#"{"data": {"x": 1}}"#), inspectionLevel: .debug)
    let expected = try Self.json(
      #"""
      {"output": "{\"v\":1}",
       "inspectionData": {"input": "{\"data\":{\"x\":1}}", "afterInputPath": "{\"x\":1}",
         "afterParameters": "{\"v\":1}", "afterResultSelector": "{\"v\":1}",
         "afterResultPath": "{\"data\":{\"x\":1},\"r\":{\"v\":1}}"},
       "nextState": "Done", "status": "SUCCEEDED"}
      """#)
    #expect(result.awsJSON == expected)
    #expect(
      result.awsJSON.objectValue?.keys == ["output", "inspectionData", "nextState", "status"])
  }

  // MARK: Task

  static let task = """
    {"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "f", "Payload.$": "$.order"},
            "ResultSelector": {"total.$": "$.Payload.total"}, "ResultPath": "$.priced",
            "Retry": [{"ErrorEquals": ["Other"], "MaxAttempts": 1},
                      {"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 2,
                       "BackoffRate": 3, "MaxAttempts": 3}],
            "Catch": [{"ErrorEquals": ["Other"], "Next": "Done"},
                      {"ErrorEquals": ["States.ALL"], "ResultPath": "$.failure", "Next": "Recover"}],
            "Next": "Done"},
      "Recover": {"Type": "Pass", "End": true},
      "Done": {"Type": "Succeed"}}}
    """

  @Test("A mocked Task's result goes through ResultSelector and ResultPath")
  func taskMockResult() async throws {
    let input = try Self.json(#"{"order": {"id": 7}}"#)
    let mocked = try Self.json(#"{"Payload": {"total": 42}, "StatusCode": 200}"#)
    let result = try await Self.machine(Self.task).testState(
      named: "T", input: input, mock: .result(mocked), inspectionLevel: .debug)
    #expect(result.status == .succeeded)
    #expect(result.nextState == "Done")
    let output = try Self.json(#"{"order": {"id": 7}, "priced": {"total": 42}}"#)
    #expect(result.output == output)
    var expected = InspectionData()
    expected.input = input
    expected.afterInputPath = input
    expected.afterParameters = try Self.json(#"{"FunctionName": "f", "Payload": {"id": 7}}"#)
    expected.result = mocked
    expected.afterResultSelector = ["total": 42]
    expected.afterResultPath = output
    #expect(result.inspectionData == expected)
  }

  @Test("A Task without a mock runs the handler the options give")
  func taskHandler() async throws {
    var options = ExecutionOptions()
    options.handlers.register(
      ClosureTaskHandler { request, _ in
        ["Payload": ["total": request.parameters["Payload"]?["id"] ?? .null]]
      }, forIntegration: "lambda:invoke")
    let result = try await Self.machine(Self.task).testState(
      named: "T", input: try Self.json(#"{"order": {"id": 7}}"#), options: options)
    #expect(result.status == .succeeded)
    #expect(result.output?["priced"] == ["total": 7])
  }

  @Test("An unmocked callback task that nothing answers ends FAILED with the engine's report")
  func unansweredToken() async throws {
    let machine = try Self.machine(
      #"{"StartAt": "Ask", "States": {"Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "Parameters": {"token.$": "$$.Task.Token"}, "End": true}}}"#
    )
    var options = ExecutionOptions()
    options.handlers.register(ClosureTaskHandler { _, _ in [:] }, forIntegration: "sqs:sendMessage")
    let result = try await machine.testState(named: "Ask", options: options)
    #expect(result.status == .failed)
    #expect(result.error == ExecutionResult.stuckError)
    let mocked = try await machine.testState(named: "Ask", mock: .result(["approved": true]))
    #expect(mocked.status == .succeeded && mocked.output == ["approved": true])
  }

  @Test(
    "A mocked error with a retrier that has attempts left is RETRIABLE, with its index and backoff")
  func retriable() async throws {
    let machine = try Self.machine(Self.task)
    let input: JSON = ["order": ["id": 7]]
    let first = try await machine.testState(
      named: "T", input: input, mock: .error("Lambda.TooManyRequestsException", cause: "slow down"),
      inspectionLevel: .debug)
    #expect(first.status == .retriable)
    #expect(first.error == "Lambda.TooManyRequestsException")
    #expect(first.cause == "slow down")
    #expect(first.nextState == nil && first.output == nil)
    #expect(
      first.inspectionData?.errorDetails
        == InspectionErrorDetails(retryIndex: 1, retryBackoffIntervalSeconds: 2))
    let third = try await machine.testState(
      named: "T", input: input, mock: .error("Lambda.TooManyRequestsException", cause: "slow down"),
      inspectionLevel: .debug, stateConfiguration: TestStateConfiguration(retrierRetryCount: 2))
    #expect(third.status == .retriable)
    #expect(third.inspectionData?.errorDetails?.retryBackoffIntervalSeconds == 18)
  }

  @Test("Retries used up, the matching catcher gives CAUGHT_ERROR with its Next and ResultPath")
  func caught() async throws {
    let input = try Self.json(#"{"order": {"id": 7}}"#)
    let result = try await Self.machine(Self.task).testState(
      named: "T", input: input, mock: .error("Lambda.TooManyRequestsException", cause: "slow"),
      inspectionLevel: .debug, stateConfiguration: TestStateConfiguration(retrierRetryCount: 3))
    #expect(result.status == .caughtError)
    #expect(result.nextState == "Recover")
    #expect(result.error == "Lambda.TooManyRequestsException")
    #expect(result.cause == "slow")
    let output = try Self.json(
      #"{"order": {"id": 7}, "failure": {"Error": "Lambda.TooManyRequestsException", "Cause": "slow"}}"#
    )
    #expect(result.output == output)
    #expect(result.inspectionData?.errorDetails == InspectionErrorDetails(catchIndex: 1))
    #expect(result.awsJSON["status"] == "CAUGHT_ERROR")
    #expect(result.awsJSON["inspectionData"]?["errorDetails"] == ["catchIndex": 1])
  }

  @Test("An error no retrier or catcher handles is FAILED")
  func failed() async throws {
    let machine = try Self.machine(
      #"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": true}}}"#
    )
    let result = try await machine.testState(
      named: "T", mock: .error("SNS.NotFound", cause: "no topic"), inspectionLevel: .debug)
    #expect(result.status == .failed)
    #expect(result.error == "SNS.NotFound" && result.cause == "no topic")
    #expect(result.nextState == nil && result.output == nil)
    #expect(result.inspectionData?.errorDetails == nil)
  }

  @Test("retrierRetryCount is the state's $$.State.RetryCount")
  func retryCountInContext() async throws {
    let machine = try Self.machine(
      #"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Parameters": {"n.$": "$$.State.RetryCount"}, "End": true}}}"#
    )
    let result = try await machine.testState(
      named: "T", mock: .result([:]), inspectionLevel: .debug,
      stateConfiguration: TestStateConfiguration(retrierRetryCount: 2))
    #expect(result.inspectionData?.afterParameters == ["n": 2])
  }

  @Test("A given Context Object replaces the run's members")
  func contextObject() async throws {
    let machine = try Self.machine(
      #"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Parameters": {"name.$": "$$.Execution.Name", "sm.$": "$$.StateMachine.Name"}, "End": true}}}"#
    )
    let result = try await machine.testState(
      named: "T", context: ["Execution": ["Name": "job-42"]], mock: .result([:]),
      inspectionLevel: .debug)
    #expect(result.inspectionData?.afterParameters == ["name": "job-42", "sm": "StateMachine"])
  }

  // MARK: Choice, Wait, Succeed, Fail

  static let flow = """
    {"StartAt": "C", "States": {
      "C": {"Type": "Choice", "InputPath": "$.in",
            "Choices": [{"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"}],
            "Default": "Small"},
      "Big": {"Type": "Wait", "Seconds": 3600, "OutputPath": "$.n", "Next": "Strict"},
      "Small": {"Type": "Succeed", "OutputPath": "$.n"},
      "Stop": {"Type": "Fail", "Error": "Bad", "Cause": "bad input"},
      "Strict": {"Type": "Choice", "Choices": [{"Variable": "$.n", "IsPresent": true, "Next": "Stop"}]}}}
    """

  @Test("Choice: the rule taken, or Default, gives nextState; no match is FAILED")
  func choice() async throws {
    let machine = try Self.machine(Self.flow)
    let big = try await machine.testState(
      named: "C", input: ["in": ["n": 11]], inspectionLevel: .debug)
    #expect(big.status == .succeeded && big.nextState == "Big")
    #expect(big.output == ["n": 11])
    #expect(big.inspectionData?.afterInputPath == ["n": 11])
    #expect(big.inspectionData?.afterParameters == nil && big.inspectionData?.result == nil)
    let small = try await machine.testState(named: "C", input: ["in": ["n": 1]])
    #expect(small.nextState == "Small")
    let none = try await machine.testState(named: "Strict", input: [:])
    #expect(none.status == .failed)
    #expect(none.error == "States.NoChoiceMatched")
  }

  @Test("Wait runs on the virtual clock; Succeed ends with no next state; Fail is FAILED")
  func waitSucceedFail() async throws {
    let machine = try Self.machine(Self.flow)
    let wait = try await machine.testState(named: "Big", input: ["n": 11], inspectionLevel: .debug)
    #expect(wait.status == .succeeded && wait.nextState == "Strict" && wait.output == 11)
    #expect(wait.inspectionData?.afterInputPath == ["n": 11])
    let succeed = try await machine.testState(named: "Small", input: ["n": 5])
    #expect(succeed.status == .succeeded && succeed.nextState == nil && succeed.output == 5)
    let fail = try await machine.testState(named: "Stop", input: [:])
    #expect(fail.status == .failed && fail.error == "Bad" && fail.cause == "bad input")
    #expect(fail.output == nil)
  }

  // MARK: Parallel and Map

  static let parallel = """
    {"StartAt": "Par", "States": {
      "Par": {"Type": "Parallel", "Parameters": {"id.$": "$.id"},
              "ResultSelector": {"first.$": "$[0]"}, "ResultPath": "$.out",
              "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}],
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Oops"}],
              "Next": "Done"},
      "Oops": {"Type": "Pass", "End": true},
      "Done": {"Type": "Succeed"}}}
    """

  @Test("A Parallel state takes a mock of its whole result: one element per branch")
  func parallelMock() async throws {
    let machine = try Self.machine(Self.parallel)
    let result = try await machine.testState(
      named: "Par", input: ["id": 3], mock: .result([["a": 1], ["b": 2]]),
      inspectionLevel: .debug)
    #expect(result.status == .succeeded && result.nextState == "Done")
    #expect(result.output == ["id": 3, "out": ["first": ["a": 1]]])
    var expected = InspectionData()
    expected.input = ["id": 3]
    expected.afterInputPath = ["id": 3]
    expected.afterParameters = ["id": 3]
    expected.result = [["a": 1], ["b": 2]]
    expected.afterResultSelector = ["first": ["a": 1]]
    expected.afterResultPath = ["id": 3, "out": ["first": ["a": 1]]]
    #expect(result.inspectionData == expected)
    let caught = try await machine.testState(
      named: "Par", input: ["id": 3], mock: .error("States.BranchFailed", cause: "B failed"),
      stateConfiguration: TestStateConfiguration(errorCausedByState: "B"))
    #expect(caught.status == .caughtError && caught.nextState == "Oops")
  }

  @Test("Parallel mock rules: an array, as long as the branches; no mock is InvalidDefinition")
  func parallelRules() async throws {
    let machine = try Self.machine(Self.parallel)
    await #expect(
      throws: TestStateError(.validationException, "Mocked result must be an array.")
    ) {
      _ = try await machine.testState(named: "Par", mock: .result(["a": 1]))
    }
    await #expect(
      throws: TestStateError(
        .validationException,
        "Mocked result must contain the same number of items as number of Parallel branches.")
    ) {
      _ = try await machine.testState(named: "Par", mock: .result([1]))
    }
    await #expect(
      throws: TestStateError(.invalidDefinition, TestStateRequest.mapOrParallelMessage)
    ) {
      _ = try await machine.testState(named: "Par")
    }
    await #expect(throws: TestStateError.self) {
      _ = try await machine.testState(
        named: "Par", mock: .error("X"),
        stateConfiguration: TestStateConfiguration(errorCausedByState: "Done"))
    }
  }

  static let map = """
    {"StartAt": "M", "States": {
      "M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
            "ItemSelector": {"value.$": "$$.Map.Item.Value", "tag.$": "$.tag"},
            "ItemProcessor": {"StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true}}},
            "ResultPath": "$.results", "Next": "D"},
      "Done": {"Type": "Succeed"},
      "D": {"Type": "Map", "ItemsPath": "$.items", "ToleratedFailureCount": 1,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                              "StartAt": "Each", "States": {"Each": {"Type": "Pass", "End": true}}},
            "Retry": [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 1}],
            "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Done"},
                      {"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "Next": "Handle"}],
            "End": true},
      "Handle": {"Type": "Pass", "End": true}}}
    """

  @Test("A mocked Map reports its items, selected items, concurrency and result")
  func mapMock() async throws {
    let input: JSON = ["items": [1, 2], "tag": "t"]
    let result = try await Self.machine(Self.map).testState(
      named: "M", input: input, mock: .result(["x", "y"]), inspectionLevel: .debug)
    #expect(result.status == .succeeded && result.nextState == "D")
    #expect(result.output == ["items": [1, 2], "tag": "t", "results": ["x", "y"]])
    var expected = InspectionData()
    expected.input = input
    expected.afterInputPath = input
    expected.afterItemsPath = [1, 2]
    expected.afterItemSelector = [["value": 1, "tag": "t"], ["value": 2, "tag": "t"]]
    expected.maxConcurrency = 2
    expected.result = ["x", "y"]
    expected.afterResultSelector = ["x", "y"]
    expected.afterResultPath = ["items": [1, 2], "tag": "t", "results": ["x", "y"]]
    #expect(result.inspectionData == expected)
    let shape = result.awsJSON["inspectionData"]
    #expect(shape?["afterItemsPath"] == "[1,2]")
    #expect(shape?["maxConcurrency"] == 2)
  }

  @Test("mapIterationFailureCount over the tolerance fails the Map as AWS does")
  func mapTolerance() async throws {
    let machine = try Self.machine(Self.map)
    let input: JSON = ["items": [1, 2, 3]]
    let within = try await machine.testState(
      named: "D", input: input, mock: .result([1, 1, 1]), inspectionLevel: .debug,
      stateConfiguration: TestStateConfiguration(mapIterationFailureCount: 1))
    #expect(within.status == .succeeded && within.output == [1, 1, 1])
    #expect(within.inspectionData?.toleratedFailureCount == 1)
    #expect(within.inspectionData?.maxConcurrency == 0)
    let over = try await machine.testState(
      named: "D", input: input, mock: .result([0, 0, 1]), inspectionLevel: .debug,
      stateConfiguration: TestStateConfiguration(mapIterationFailureCount: 2))
    #expect(over.status == .caughtError)
    #expect(over.error == "States.ExceedToleratedFailureThreshold")
    #expect(over.cause == "The specified tolerated failure threshold was exceeded")
    #expect(over.nextState == "Handle")
    #expect(over.inspectionData?.errorDetails == InspectionErrorDetails(catchIndex: 1))
    #expect(
      over.output
        == [
          "Error": "States.ExceedToleratedFailureThreshold",
          "Cause": "The specified tolerated failure threshold was exceeded",
        ])
    let retried = try await machine.testState(
      named: "D", input: input, mock: .error("States.Timeout", cause: "slow"),
      inspectionLevel: .debug)
    #expect(retried.status == .retriable)
    #expect(
      retried.inspectionData?.errorDetails
        == InspectionErrorDetails(retryIndex: 0, retryBackoffIntervalSeconds: 1))
  }

  @Test("Map mock rules: an array; no mock is InvalidDefinition; a state inside can be tested")
  func mapRules() async throws {
    let machine = try Self.machine(Self.map)
    await #expect(
      throws: TestStateError(.validationException, "Mocked result must be an array.")
    ) {
      _ = try await machine.testState(named: "M", input: ["items": []], mock: .result(["a": 1]))
    }
    await #expect(
      throws: TestStateError(.invalidDefinition, TestStateRequest.mapOrParallelMessage)
    ) {
      _ = try await machine.testState(named: "M", input: ["items": []])
    }
    let inner = try await machine.testState(named: "Work", input: ["value": 1])
    #expect(inner.status == .succeeded && inner.nextState == nil && inner.output == ["value": 1])
  }

  // MARK: JSONata

  static let jsonata = """
    {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Arguments": {"FunctionName": "f", "Payload": {"id": "{% $states.input.id %}", "rate": "{% $rate %}"}},
            "Assign": {"total": "{% $states.result.Payload.total %}"},
            "Output": {"total": "{% $states.result.Payload.total * $rate %}"},
            "Next": "Done"},
      "Done": {"Type": "Succeed"}}}
    """

  @Test("A JSONata Task reports afterArguments, its result and the variables after Assign")
  func jsonataTask() async throws {
    let result = try await Self.machine(Self.jsonata).testState(
      named: "T", input: ["id": 9], variables: ["rate": 2],
      mock: .result(["Payload": ["total": 5]]), inspectionLevel: .debug)
    #expect(result.status == .succeeded && result.nextState == "Done")
    #expect(result.output == ["total": 10])
    var expected = InspectionData()
    expected.input = ["id": 9]
    expected.afterArguments = ["FunctionName": "f", "Payload": ["id": 9, "rate": 2]]
    expected.result = ["Payload": ["total": 5]]
    expected.variables = ["rate": 2, "total": 5]
    #expect(result.inspectionData == expected)
  }

  // MARK: HTTP Task at TRACE

  @Test("At TRACE an HTTP Task shows the request and response")
  func httpTrace() async throws {
    let machine = try Self.machine(
      #"{"StartAt": "H", "States": {"H": {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "Parameters": {"ApiEndpoint": "https://api.example.com/v1", "Method": "POST", "Headers": {"x-id": "1"}, "QueryParameters": {"q": "a"}, "RequestBody": {"k": "v"}, "Authentication": {"ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/c/1"}}, "End": true}}}"#
    )
    var options = ExecutionOptions()
    options.handlers.register(
      ClosureTaskHandler { _, _ in
        [
          "StatusCode": 201, "StatusText": "Created", "Headers": ["ct": ["json"]],
          "ResponseBody": ["ok": true],
        ]
      }, forIntegration: "http:invoke")
    let trace = try await machine.testState(
      named: "H", inspectionLevel: .trace, options: options)
    #expect(
      trace.inspectionData?.request
        == InspectionHTTPRequest(
          protocol: "https", method: "POST", url: "https://api.example.com/v1?q=a",
          headers: "x-id: 1", body: #"{"k":"v"}"#))
    #expect(
      trace.inspectionData?.response
        == InspectionHTTPResponse(
          protocol: "https", statusCode: "201", statusMessage: "Created", headers: "ct: json",
          body: #"{"ok":true}"#))
    let debug = try await machine.testState(
      named: "H", inspectionLevel: .debug, options: options)
    #expect(debug.inspectionData?.request == nil && debug.inspectionData?.response == nil)
  }

  // MARK: Bad requests

  @Test("Bad requests give AWS's exception names and messages")
  func badRequests() async throws {
    let machine = try Self.machine(Self.flow)
    await #expect(
      throws: TestStateError(
        .validationException, "The state 'Nope' does not exist in the definition.")
    ) {
      _ = try await machine.testState(named: "Nope")
    }
    for (name, type) in [("Small", "Succeed"), ("Stop", "Fail"), ("C", "Choice"), ("Big", "Wait")] {
      await #expect(
        throws: TestStateError(
          .validationException, "State type '\(type)' is not supported when a mock is specified")
      ) {
        _ = try await machine.testState(named: name, mock: .result([:]))
      }
    }
    let pass = try Self.machine(Self.pass)
    await #expect(
      throws: TestStateError(
        .validationException, "State type 'Pass' is not supported when a mock is specified")
    ) {
      _ = try await pass.testState(named: "P", mock: .error("X"))
    }
    await #expect(throws: TestStateError.self) {
      _ = try await machine.testState(named: "Small", context: ["State": [:]])
    }
    await #expect(throws: TestStateError.self) {
      _ = try await machine.testState(
        named: "Small", stateConfiguration: TestStateConfiguration(retrierRetryCount: -1))
    }
  }

  // MARK: A shipped workflow

  static func videoWorkflow() throws -> StateMachine {
    try StateMachine(
      contentsOf: Corpus.packageRoot.appendingPathComponent(
        "StateMachines/video-workflow-orchestration.asl.json"))
  }

  @Test("The video workflow: a throttled transcode is retried, then caught to RecordJobFailed")
  func videoTranscode() async throws {
    let machine = try Self.videoWorkflow()
    let input: JSON = ["bucket": "b", "key": "k.mp4", "validation": ["valid": true]]
    let throttled = TestStateMock.error("MediaConvert.TooManyRequestsException", cause: "busy")
    let first = try await machine.testState(
      named: "TranscodeVideo", input: input, mock: throttled, inspectionLevel: .debug)
    #expect(first.status == .retriable)
    #expect(
      first.inspectionData?.errorDetails
        == InspectionErrorDetails(retryIndex: 0, retryBackoffIntervalSeconds: 10))
    let last = try await machine.testState(
      named: "TranscodeVideo", input: input, mock: throttled,
      stateConfiguration: TestStateConfiguration(retrierRetryCount: 3))
    #expect(last.status == .caughtError && last.nextState == "RecordJobFailed")
    let valid = try await machine.testState(named: "IsVideoValid", input: input)
    #expect(valid.nextState == "TranscodeVideo")
    let invalid = try await machine.testState(
      named: "IsVideoValid", input: ["validation": ["valid": false]])
    #expect(invalid.nextState == "RecordInvalidVideo")
    let rejected = try await machine.testState(named: "InvalidVideo", input: [:])
    #expect(rejected.status == .failed && rejected.error == "InvalidVideo")
  }

  @Test("The same request gives the same answer")
  func deterministic() async throws {
    let machine = try Self.videoWorkflow()
    let input: JSON = ["bucket": "b", "key": "k.mp4", "validation": ["valid": true]]
    let first = try await machine.testState(
      named: "TranscodeVideo", input: input,
      mock: .result(["Job": ["Id": "j", "Status": "COMPLETE", "OutputGroupDetails": []]]),
      inspectionLevel: .debug)
    let second = try await machine.testState(
      named: "TranscodeVideo", input: input,
      mock: .result(["Job": ["Id": "j", "Status": "COMPLETE", "OutputGroupDetails": []]]),
      inspectionLevel: .debug)
    #expect(first == second)
    #expect(first.status == .succeeded && first.nextState == "CheckQuality")
    #expect(
      first.output?["transcode"] == ["jobId": "j", "status": "COMPLETE", "outputGroupDetails": []])
  }
}
