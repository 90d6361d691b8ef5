import StepFunctionsJSON
import Testing

@testable import StepFunctionsRuntime

@Suite("Executor: Pass, Succeed, Fail and input/output processing")
struct ExecutorPassTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var label: String
    var state: String
    var input: String
    var output: String
    var testDescription: String { label }
  }

  static let processing: [Case] = [
    Case(
      label: "no fields: the input passes through", state: #"{"Type": "Pass"}"#,
      input: #"{"a": 1}"#, output: #"{"a": 1}"#),
    Case(
      label: "Result replaces the input", state: #"{"Type": "Pass", "Result": {"x": [1, 2]}}"#,
      input: #"{"a": 1}"#, output: #"{"x": [1, 2]}"#),
    Case(
      label: "Result with ResultPath merges into the input",
      state: #"{"Type": "Pass", "Result": "r", "ResultPath": "$.b.c"}"#, input: #"{"a": 1}"#,
      output: #"{"a": 1, "b": {"c": "r"}}"#),
    Case(
      label: "ResultPath overwrites an existing member in place",
      state: #"{"Type": "Pass", "Result": 9, "ResultPath": "$.a"}"#, input: #"{"a": 1, "z": 2}"#,
      output: #"{"a": 9, "z": 2}"#),
    Case(
      label: "ResultPath null discards the result",
      state: #"{"Type": "Pass", "Result": 9, "ResultPath": null}"#, input: #"{"a": 1}"#,
      output: #"{"a": 1}"#),
    Case(
      label: "InputPath selects the effective input",
      state: #"{"Type": "Pass", "InputPath": "$.a"}"#, input: #"{"a": {"b": 2}, "c": 3}"#,
      output: #"{"b": 2}"#),
    Case(
      label: "InputPath null gives an empty object",
      state: #"{"Type": "Pass", "InputPath": null}"#, input: #"{"a": 1}"#, output: #"{}"#),
    Case(
      label: "OutputPath selects part of the combined value",
      state: #"{"Type": "Pass", "Result": 5, "ResultPath": "$.r", "OutputPath": "$.r"}"#,
      input: #"{"a": 1}"#, output: "5"),
    Case(
      label: "OutputPath null gives an empty object",
      state: #"{"Type": "Pass", "OutputPath": null}"#, input: #"{"a": 1}"#, output: "{}"),
    Case(
      label: "ResultPath places into the raw input, not the InputPath selection",
      state: #"{"Type": "Pass", "InputPath": "$.a", "ResultPath": "$.copy"}"#,
      input: #"{"a": [1], "b": 2}"#,
      output: #"{"a": [1], "b": 2, "copy": [1]}"#),
    Case(
      label: "Parameters builds the result from the effective input",
      state:
        #"{"Type": "Pass", "InputPath": "$.in", "Parameters": {"k.$": "$.v", "lit": "$.v", "n": {"deep.$": "$"}}}"#,
      input: #"{"in": {"v": 7}}"#, output: #"{"k": 7, "lit": "$.v", "n": {"deep": {"v": 7}}}"#),
    Case(
      label: "Parameters may call intrinsic functions",
      state:
        #"{"Type": "Pass", "Parameters": {"s.$": "States.Format('{}-{}', $.a, $.b)", "n.$": "States.MathAdd($.a, 1)"}}"#,
      input: #"{"a": 1, "b": "x"}"#, output: #"{"s": "1-x", "n": 2}"#),
    Case(
      label: "A string input passes through as a string",
      state: #"{"Type": "Pass"}"#, input: #""text""#, output: #""text""#),
    Case(
      label: "ResultPath $ replaces a non-object input",
      state: #"{"Type": "Pass", "Result": {"a": 1}, "ResultPath": "$"}"#, input: "[1, 2]",
      output: #"{"a": 1}"#),
  ]

  @Test("Pass input/output processing matches the AWS data flow", arguments: processing)
  func passProcessing(_ example: Case) async throws {
    let result = try await Executor.run(
      Executor.single(example.state), input: Executor.json(example.input))
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == (try Executor.json(example.output)))
  }

  @Test(
    "A Pass machine writes ExecutionStarted, PassStateEntered/Exited and ExecutionSucceeded, linked by previousEventId"
  )
  func passHistory() async throws {
    let result = try await Executor.run(
      #"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Result": 1, "End": true}}}"#,
      input: ["x": 1])
    #expect(
      result.eventTypes == [
        "ExecutionStarted", "PassStateEntered", "PassStateExited", "PassStateEntered",
        "PassStateExited", "ExecutionSucceeded",
      ])
    #expect(result.history.events.map(\.id) == [1, 2, 3, 4, 5, 6])
    #expect(result.history.events.map(\.previousEventId) == [0, 0, 2, 3, 4, 5])
    #expect(result.enteredInputs("B") == [["x": 1]])
    #expect(result.exitedOutputs("B") == [1])
    #expect(result.stateTransitions == 2)
    let exited = try #require(result.history.events[2].awsJSON.objectValue)
    #expect(
      exited["stateExitedEventDetails"]
        == ["name": "A", "output": #"{"x":1}"#, "outputDetails": ["truncated": false]])
  }

  @Test(
    "A path that selects nothing fails with States.Runtime and AWS's message",
    arguments: ["InputPath", "OutputPath"])
  func missingPath(field: String) async throws {
    let result = try await Executor.run(
      Executor.single(#"{"Type": "Pass", "\#(field)": "$.NoSuch\#(field)"}"#), input: ["a": 1])
    #expect(result.status == .failed)
    #expect(result.error == "States.Runtime")
    #expect(
      result.cause
        == "An error occurred while executing the state 'S' (entered at the event id #2). Invalid path '$.NoSuch\(field)' : No results for path: $['NoSuch\(field)']"
    )
  }

  @Test("A Parameters path that selects nothing names the field and shows the input")
  func missingParameterPath() async throws {
    let result = try await Executor.run(
      Executor.single(#"{"Type": "Pass", "Parameters": {"value.$": "$.missing"}}"#), input: ["a": 1]
    )
    #expect(result.status == .failed)
    #expect(result.error == "States.Runtime")
    #expect(
      result.cause
        == #"An error occurred while executing the state 'S' (entered at the event id #2). The JSONPath '$.missing' specified for the field 'value.$' could not be found in the input '{"a":1}'"#
    )
  }

  @Test("A ResultPath into a non-object fails with States.Runtime, not a crash")
  func resultPathIntoScalar() async throws {
    let result = try await Executor.run(
      Executor.single(#"{"Type": "Pass", "Result": 1, "ResultPath": "$.a.b"}"#),
      input: ["a": "text"])
    #expect(result.status == .failed)
    #expect(result.error != nil)
    #expect(result.cause?.hasPrefix("An error occurred while executing the state 'S'") == true)
  }

  @Test("Succeed applies InputPath and OutputPath and ends the execution")
  func succeed() async throws {
    let result = try await Executor.run(
      #"{"StartAt": "S", "States": {"S": {"Type": "Succeed", "InputPath": "$.a", "OutputPath": "$.b"}}}"#,
      input: ["a": ["b": [1, 2]]])
    #expect(result.status == .succeeded)
    #expect(result.output == [1, 2])
    #expect(
      result.eventTypes == [
        "ExecutionStarted", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded",
      ])
  }

  @Test("Fail with Error and Cause fails the execution with both, and writes no FailStateExited")
  func failLiteral() async throws {
    let result = try await Executor.run(
      #"{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "MyError", "Cause": "it broke"}}}"#
    )
    #expect(result.status == .failed)
    #expect(result.error == "MyError")
    #expect(result.cause == "it broke")
    #expect(result.output == nil)
    #expect(result.eventTypes == ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"])
    #expect(result.details("ExecutionFailed") == ["error": "MyError", "cause": "it broke"])
  }

  @Test("Fail without Error or Cause fails with neither")
  func failBare() async throws {
    let result = try await Executor.run(#"{"StartAt": "F", "States": {"F": {"Type": "Fail"}}}"#)
    #expect(result.status == .failed)
    #expect(result.error == nil)
    #expect(result.cause == nil)
    #expect(result.details("ExecutionFailed") == [:])
  }

  @Test("Fail reads ErrorPath and CausePath from the input, including intrinsic calls")
  func failPaths() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.kind",
        "CausePath": "States.Format('{} of {} failed', $.n, $$.Execution.Name)"}}}
      """#,
      input: ["kind": "Custom.Error", "n": 3])
    #expect(result.status == .failed)
    #expect(result.error == "Custom.Error")
    #expect(result.cause == "3 of test-execution failed")
  }

  @Test("A CausePath that selects nothing fails with States.Runtime naming the field")
  func failMissingCausePath() async throws {
    let result = try await Executor.run(
      #"{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "CausePath": "$.NoSuchCausePath"}}}"#,
      input: ["a": 1])
    #expect(result.status == .failed)
    #expect(result.error == "States.Runtime")
    #expect(
      result.cause
        == #"An error occurred while executing the state 'F' (entered at the event id #2). The JSONPath '$.NoSuchCausePath' specified for the field 'CausePath' could not be found in the input '{"a":1}'"#
    )
  }
}
