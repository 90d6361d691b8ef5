import StepFunctionsJSON
import Testing

@testable import StepFunctionsRuntime

@Suite("Executor: determinism and bad inputs")
struct ExecutorDeterminismTests {
  static let randomMachine = #"""
    {"StartAt": "Draw", "States": {
      "Draw": {"Type": "Pass", "Parameters": {"id.$": "States.UUID()", "roll.$": "States.MathRandom(1, 1000)",
        "name.$": "$$.Execution.Name", "items.$": "$$.Execution.Input"}, "Next": "Fan"},
      "Fan": {"Type": "Map", "ItemsPath": "$.items", "ItemSelector": {"i.$": "$$.Map.Item.Index", "u.$": "States.UUID()"},
        "ResultPath": "$.fan", "Next": "Flaky",
        "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": true}}}},
      "Flaky": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultPath": "$.flaky", "End": true,
        "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 5, "MaxAttempts": 3, "JitterStrategy": "FULL"}]}}}
    """#

  static func runRandom(seed: UInt64) async throws -> ExecutionResult {
    let machine = try Executor.machine(randomMachine)
    var options = ExecutionOptions()
    options.seed = seed
    options.handlers.register(
      ClosureTaskHandler { request, _ in
        if request.attempt < 3 { throw TaskFailure(error: "Flaky", cause: "try again") }
        return ["attempts": .number(JSONNumber(request.attempt + 1))]
      }, forIntegration: "lambda:invoke")
    return await machine.run(input: [1, 2, 3], options: options)
  }

  @Test("The same seed gives byte-identical output and history; another seed does not")
  func sameSeedSameBytes() async throws {
    let first = try await ExecutorDeterminismTests.runRandom(seed: 7)
    let second = try await ExecutorDeterminismTests.runRandom(seed: 7)
    let other = try await ExecutorDeterminismTests.runRandom(seed: 8)
    #expect(first.status == .succeeded, "\(first.summary)")
    #expect(first.output?["flaky"] == ["attempts": 4])
    #expect(first.history.awsJSON.serialized() == second.history.awsJSON.serialized())
    #expect(first.output?.serialized() == second.output?.serialized())
    #expect(first.stopDate == second.stopDate)
    #expect(first.output?.serialized() != other.output?.serialized())
    #expect(first.history.awsJSON.serialized() != other.history.awsJSON.serialized())
  }

  struct BadInput: CustomTestStringConvertible, Sendable {
    var state: String
    var input: String
    var error: String
    var testDescription: String { "\(state) on \(input)" }
  }

  static let badInputs: [BadInput] = [
    BadInput(
      state: #"{"Type": "Pass", "InputPath": "$.a.b"}"#, input: "null", error: "States.Runtime"),
    BadInput(
      state: #"{"Type": "Pass", "InputPath": "$.a"}"#, input: "[1, 2]", error: "States.Runtime"),
    BadInput(
      state: #"{"Type": "Pass", "InputPath": "$[5]"}"#, input: "[1, 2]", error: "States.Runtime"),
    BadInput(
      state: #"{"Type": "Pass", "Parameters": {"x.$": "$.a.b.c"}}"#, input: #"{"a": "text"}"#,
      error: "States.Runtime"),
    BadInput(
      state: #"{"Type": "Pass", "Result": 1, "ResultPath": "$.a"}"#, input: "7",
      error: "States.ReferencePathConflict"),
    BadInput(
      state: #"{"Type": "Pass", "Parameters": {"x.$": "States.StringToJson($.s)"}}"#,
      input: #"{"s": "{not json"}"#, error: "States.IntrinsicFailure"),
    BadInput(
      state: #"{"Type": "Pass", "Parameters": {"x.$": "States.ArrayGetItem($.a, 9)"}}"#,
      input: #"{"a": [1]}"#, error: "States.IntrinsicFailure"),
    BadInput(
      state: #"{"Type": "Pass", "Parameters": {"x.$": "States.MathAdd($.n, 1)"}}"#,
      input: #"{"n": [1]}"#, error: "States.IntrinsicFailure"),
    BadInput(
      state: #"{"Type": "Wait", "SecondsPath": "$.s"}"#, input: #"{"s": 1e30}"#,
      error: "States.Runtime"),
    BadInput(
      state: #"{"Type": "Wait", "TimestampPath": "$.t"}"#, input: #"{"t": 5}"#,
      error: "States.Runtime"),
    BadInput(
      state:
        #"{"Type": "Map", "ItemsPath": "$.x", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}}"#,
      input: #"{"x": "abc"}"#, error: "States.Runtime"),
  ]

  @Test(
    "Inputs that do not fit the definition fail with a clear ASL error, never a crash",
    arguments: badInputs)
  func badInput(_ example: BadInput) async throws {
    let result = try await Executor.run(
      Executor.single(example.state), input: Executor.json(example.input))
    #expect(result.status == .failed)
    #expect(result.error == example.error, "\(result.summary)")
    #expect(
      result.cause?.hasPrefix("An error occurred while executing the state 'S'") == true,
      "\(result.summary)")
  }
}
