import Foundation
import StepFunctionsJSON
import Testing

@testable import StepFunctionsRuntime

/// JSONata states run as AWS runs them: `$states`, variables, `Arguments`/`Output`/`Assign`,
/// expression fields, and `States.QueryEvaluationError` with AWS's causes and events.
@Suite("Executor: JSONata states")
struct ExecutorJSONataTests {
  /// A JSONata machine of one state `S` (a JSON object text without `End`/`Next`).
  static func single(_ state: String) -> String {
    let body = state.trimmingCharacters(in: .whitespacesAndNewlines).dropLast()
    return #"{"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": "# + body
      + #", "End": true}}}"#
  }

  /// The `EvaluationFailed` event's details.
  static func evaluationFailed(_ result: ExecutionResult) -> JSONObject? {
    result.details("EvaluationFailed")
  }

  // MARK: Pass, Succeed, Fail

  @Test("A Pass state's Output reads $states.input; without Output the input passes through")
  func passOutput() async throws {
    let shaped = try await Executor.run(
      Self.single(#"{"Type": "Pass", "Output": {"sum": "{% $states.input.a + 1 %}", "k": 1}}"#),
      input: ["a": 41])
    #expect(shaped.status == .succeeded, "\(shaped.summary)")
    #expect(shaped.output == ["sum": 42, "k": 1])
    let plain = try await Executor.run(Self.single(#"{"Type": "Pass"}"#), input: ["a": 1])
    #expect(plain.output == ["a": 1])
  }

  @Test("Assign and Output are evaluated from the same values: Output sees the old variable")
  func assignAndOutputSeeTheSameValues() async throws {
    let definition = #"""
      {"QueryLanguage": "JSONata", "StartAt": "One", "States": {
        "One": {"Type": "Pass", "Assign": {"x": 1}, "Next": "Two"},
        "Two": {"Type": "Pass", "Assign": {"x": "{% $x + 1 %}"}, "Output": {"seen": "{% $x %}"},
          "Next": "Three"},
        "Three": {"Type": "Pass", "Output": "{% $x %}", "End": true}}}
      """#
    let result = try await Executor.run(definition)
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.exitedOutputs("Two") == [["seen": 1]])
    #expect(result.output == 2)
    let exited = result.history.events.filter { $0.type == "PassStateExited" }
    guard exited.count == 3, case .object(let event) = exited[1].awsJSON else {
      Issue.record("expected three PassStateExited events")
      return
    }
    let details = event["stateExitedEventDetails"]?.objectValue
    #expect(details?["assignedVariables"] == ["x": "2"])
  }

  @Test(
    "Fields evaluated over JSON directly read variables, and a variable named like a function hides it"
  )
  func directFieldsReadVariables() async throws {
    let definition = #"""
      {"QueryLanguage": "JSONata", "StartAt": "One", "States": {
        "One": {"Type": "Pass", "Assign": {"tag": "t-1", "merge": 1}, "Next": "Two"},
        "Two": {"Type": "Pass", "Output": "{% {'tag': $tag, 'in': $states.input.a & '/' & $tag} %}",
          "Next": "Three"},
        "Three": {"Type": "Pass", "Output": "{% $merge([$states.input, {'b': 2}]) %}", "End": true}}}
      """#
    let result = try await Executor.run(definition, input: ["a": 1.0])
    #expect(result.exitedOutputs("Two") == [["tag": "t-1", "in": "1/t-1"]])
    // `$merge` is the variable (1), not the function: AWS's evaluation error.
    #expect(result.status == .failed, "\(result.summary)")
    #expect(result.error == "States.QueryEvaluationError")
  }

  @Test("A Succeed state's Output is the execution's output")
  func succeedOutput() async throws {
    let result = try await Executor.run(
      Self.single(#"{"Type": "Succeed", "Output": "{% $states.input.v * 2 %}"}"#)
        .replacingOccurrences(of: #", "End": true"#, with: ""),
      input: ["v": 21])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == 42)
  }

  @Test("A Fail state's Error and Cause come from expressions")
  func failFields() async throws {
    let definition = #"""
      {"QueryLanguage": "JSONata", "StartAt": "F", "States": {"F": {"Type": "Fail",
        "Error": "{% $states.input.code %}", "Cause": "{% 'because ' & $states.input.why %}"}}}
      """#
    let result = try await Executor.run(definition, input: ["code": "My.Error", "why": "no"])
    #expect(result.status == .failed)
    #expect(result.error == "My.Error")
    #expect(result.cause == "because no")
  }

  // MARK: Errors

  @Test("An undefined value fails the state with AWS's cause and an EvaluationFailed event")
  func undefinedValue() async throws {
    let result = try await Executor.run(
      Self.single(#"{"Type": "Pass", "Output": {"result": "{%  $doesNotExist  %}"}}"#))
    let cause =
      "An error occurred while executing the state 'S' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined)."
    #expect(result.status == .failed)
    #expect(result.error == "States.QueryEvaluationError")
    #expect(result.cause == cause)
    #expect(
      result.eventTypes == [
        "ExecutionStarted", "PassStateEntered", "EvaluationFailed", "ExecutionFailed",
      ])
    #expect(
      Self.evaluationFailed(result)
        == [
          "error": "States.QueryEvaluationError", "cause": .string(cause),
          "location": "Output/result", "state": "S",
        ])
    // AWS links the event to the one before the state was entered.
    #expect(result.history.events[2].previousEventId == 0)
  }

  @Test("An error raised by the expression is reported with JSONata's code and message")
  func evaluationError() async throws {
    let result = try await Executor.run(
      Self.single(#"{"Type": "Pass", "Output": "{% $notAFunction(1) %}"}"#))
    #expect(result.error == "States.QueryEvaluationError")
    #expect(
      result.cause
        == "An error occurred while executing the state 'S' (entered at the event id #2). The JSONata expression '$notAFunction(1)' specified for the field 'Output' threw an error during evaluation. T1006: Attempted to invoke a non-function"
    )
  }

  @Test("A result JSON cannot hold (NaN, ±Infinity) is D1001, a States.QueryEvaluationError")
  func nonFiniteResult() async throws {
    let result = try await Executor.run(
      Self.single(#"{"Type": "Pass", "Output": {"ratio": "{% 1 / 0 %}"}}"#))
    #expect(result.error == "States.QueryEvaluationError")
    #expect(
      result.cause
        == "An error occurred while executing the state 'S' (entered at the event id #2). The JSONata expression '1 / 0' specified for the field 'Output/ratio' threw an error during evaluation. D1001: Number out of range: Infinity"
    )
  }

  @Test("A function result is an unsupported result type")
  func functionResult() async throws {
    let result = try await Executor.run(
      Self.single(#"{"Type": "Pass", "Output": "{% function($x){$x} %}"}"#))
    #expect(result.error == "States.QueryEvaluationError")
    #expect(result.cause?.hasSuffix("returned an unsupported result type.") == true)
  }

  // MARK: Choice

  static let choice = #"""
    {"QueryLanguage": "JSONata", "StartAt": "C", "States": {
      "C": {"Type": "Choice", "Choices": [
          {"Condition": "{% $states.input.n > 10 %}", "Next": "Big",
           "Output": {"kind": "big"}, "Assign": {"picked": "{% $states.input.n %}"}}],
        "Default": "Small", "Output": {"kind": "small"}},
      "Big": {"Type": "Pass", "Output": {"in": "{% $states.input %}", "picked": "{% $picked %}"},
        "End": true},
      "Small": {"Type": "Pass", "End": true}}}
    """#

  @Test("Choice: the first true Condition picks the rule, whose Output and Assign apply")
  func choiceMatches() async throws {
    let big = try await Executor.run(Self.choice, input: ["n": 11])
    #expect(big.status == .succeeded, "\(big.summary)")
    #expect(big.output == ["in": ["kind": "big"], "picked": 11])
    let small = try await Executor.run(Self.choice, input: ["n": 1])
    #expect(small.output == ["kind": "small"])
  }

  @Test("Choice: a Condition that is not a Boolean is a query evaluation error")
  func choiceNonBoolean() async throws {
    let definition = Self.choice.replacingOccurrences(
      of: "$states.input.n > 10", with: "$states.input.n")
    let result = try await Executor.run(definition, input: ["n": 3])
    #expect(result.error == "States.QueryEvaluationError")
    #expect(
      result.cause?.hasSuffix(
        "The JSONata expression '$states.input.n' specified for the field 'Choices/0/Condition' returned an unexpected result type. Expected 'boolean', but was 'number' for value: 3"
      ) == true, "\(result.summary)")
  }

  // MARK: Task

  @Test("Task: Arguments are the parameters, the result is the default output, Output reads both")
  func taskArgumentsAndOutput() async throws {
    let definition = #"""
      {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": {"FunctionName": "fn", "Payload": {"v": "{% $states.input.v %}"}},
          "TimeoutSeconds": "{% 10.9 %}", "Next": "U"},
        "U": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": {"FunctionName": "fn"},
          "Output": {"before": "{% $states.input %}", "after": "{% $states.result.FunctionName %}"},
          "End": true}}}
      """#
    let result = try await Executor.run(
      definition, input: ["v": 7], handlers: ["lambda:invoke": Executor.echo])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.exitedOutputs("T") == [["FunctionName": "fn", "Payload": ["v": 7]]])
    #expect(
      result.output == ["before": ["FunctionName": "fn", "Payload": ["v": 7]], "after": "fn"])
    // Integer fields are rounded down, as AWS documents.
    #expect(result.details("TaskScheduled")?["timeoutInSeconds"] == 10)
  }

  @Test("Task: a catcher's Output reads $states.errorOutput; a query error can be caught")
  func taskCatch() async throws {
    let definition = #"""
      {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": {"FunctionName": "{% $states.input.missing %}"},
          "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Next": "Caught",
            "Output": {"error": "{% $states.errorOutput.Error %}", "in": "{% $states.input %}"},
            "Assign": {"failed": true}}], "End": true},
        "Caught": {"Type": "Pass", "Output": {"out": "{% $states.input %}", "failed": "{% $failed %}"},
          "End": true}}}
      """#
    let result = try await Executor.run(
      definition, input: ["a": 1], handlers: ["lambda:invoke": Executor.echo])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(
      result.output
        == ["out": ["error": "States.QueryEvaluationError", "in": ["a": 1]], "failed": true])
    #expect(!result.eventTypes.contains("TaskScheduled"))
    #expect(Self.evaluationFailed(result)?["location"] == "Arguments/FunctionName")
  }

  @Test("Task: a query error is retried by a matching retrier, then caught")
  func taskRetry() async throws {
    let definition = #"""
      {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": "{% $states.input.nothing %}",
          "Retry": [{"ErrorEquals": ["States.QueryEvaluationError"], "MaxAttempts": 2,
            "IntervalSeconds": 1}],
          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": true},
        "Caught": {"Type": "Pass", "End": true}}}
      """#
    let result = try await Executor.run(definition, handlers: ["lambda:invoke": Executor.echo])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.events("EvaluationFailed").count == 3)
    #expect(result.output?["Error"] == "States.QueryEvaluationError")
  }

  @Test("Task: a TimeoutSeconds expression that is not a positive integer fails the state")
  func taskTimeoutOutOfRange() async throws {
    let result = try await Executor.run(
      Self.single(
        #"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": "{% 0.5 %}"}"#
      ), handlers: ["lambda:invoke": Executor.echo])
    #expect(result.error == "States.QueryEvaluationError")
    #expect(
      result.cause?.hasSuffix(
        "The JSONata expression '0.5' specified for the field 'TimeoutSeconds' returned 0, which is not an integer from 1 to 99999999."
      ) == true, "\(result.summary)")
  }

  @Test("Fail: an Error expression that is not a string is a query evaluation error")
  func failNonString() async throws {
    let definition = #"""
      {"QueryLanguage": "JSONata", "StartAt": "F", "States": {"F": {"Type": "Fail",
        "Error": "{% 42 %}"}}}
      """#
    let result = try await Executor.run(definition)
    #expect(result.error == "States.QueryEvaluationError")
    #expect(
      result.cause?.hasSuffix(
        "The JSONata expression '42' specified for the field 'Error' returned an unexpected result type. Expected 'string', but was 'number' for value: 42"
      ) == true, "\(result.summary)")
  }

  // MARK: Wait

  @Test("Wait: Seconds and Timestamp come from expressions")
  func waitExpressions() async throws {
    let definition = #"""
      {"QueryLanguage": "JSONata", "StartAt": "W1", "States": {
        "W1": {"Type": "Wait", "Seconds": "{% $states.input.s %}", "Next": "W2"},
        "W2": {"Type": "Wait",
          "Timestamp": "{% $fromMillis($toMillis($states.context.Execution.StartTime) + 100000) %}",
          "Output": "{% $states.input.s %}", "End": true}}}
      """#
    let result = try await Executor.run(definition, input: ["s": 30])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.offsets("WaitStateExited") == [30, 100])
    #expect(result.output == 30)
  }

  @Test("Wait: a Timestamp that is not a date-time fails with AWS's cause")
  func waitBadTimestamp() async throws {
    let result = try await Executor.run(
      Self.single(#"{"Type": "Wait", "Timestamp": "{% '2016-13-05T21:29:29Z' %}"}"#))
    #expect(result.error == "States.QueryEvaluationError")
    #expect(
      result.cause
        == "An error occurred while executing the state 'S' (entered at the event id #2). The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: 2016-13-05T21:29:29Z"
    )
    #expect(Self.evaluationFailed(result)?["location"] == "Timestamp")
  }

  // MARK: Map and Parallel

  @Test("Map: Items, ItemSelector with $states.context.Map.Item, MaxConcurrency, Output")
  func mapFields() async throws {
    let definition = #"""
      {"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map",
        "Items": "{% $states.input.list %}", "MaxConcurrency": "{% 1 %}",
        "ItemSelector": {"i": "{% $states.context.Map.Item.Index %}",
          "v": "{% $states.context.Map.Item.Value %}", "k": "{% $states.input.k %}"},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "P",
          "States": {"P": {"Type": "Pass", "Output": "{% $states.input.v * 10 + $states.input.i %}",
            "End": true}}},
        "Output": {"results": "{% $states.result %}"}, "End": true}}}
      """#
    let result = try await Executor.run(definition, input: ["list": [1, 2], "k": "x"])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == ["results": [10, 21]])
  }

  @Test("Map: Items that are not an array fail the Map state with MapStateFailed")
  func mapItemsNotArray() async throws {
    let result = try await Executor.run(
      Self.single(
        #"{"Type": "Map", "Items": "{% $states.input %}", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}"#
      ),
      input: ["a": 1])
    #expect(result.error == "States.QueryEvaluationError")
    #expect(
      result.cause?.hasSuffix(
        #"specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'object' for value: {"a":1}"#
      ) == true, "\(result.summary)")
    #expect(
      result.eventTypes == [
        "ExecutionStarted", "MapStateEntered", "EvaluationFailed", "MapStateFailed",
        "ExecutionFailed",
      ])
  }

  @Test("Map: an ItemSelector that fails fails the Map state with the query error")
  func mapItemSelectorFails() async throws {
    let result = try await Executor.run(
      Self.single(
        #"{"Type": "Map", "Items": [1], "ItemSelector": {"v": "{% $states.input.none %}"}, "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}"#
      ))
    #expect(result.error == "States.QueryEvaluationError")
    #expect(
      result.cause?.hasSuffix(
        "The JSONata expression '$states.input.none' specified for the field 'ItemSelector/v' returned nothing (undefined)."
      ) == true, "\(result.summary)")
  }

  @Test("Parallel: Arguments are the branches' input, Output reads the results")
  func parallelFields() async throws {
    let definition = #"""
      {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Parallel",
        "Arguments": {"n": "{% $states.input.n + 1 %}"},
        "Branches": [
          {"StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $states.input.n %}", "End": true}}},
          {"StartAt": "B", "States": {"B": {"Type": "Pass", "Output": "{% $states.input.n * 2 %}", "End": true}}}],
        "Output": "{% $sum($states.result) %}", "End": true}}}
      """#
    let result = try await Executor.run(definition, input: ["n": 1])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == 6)
  }

  // MARK: Context, mixed machines, AWS's functions

  @Test("$states.context is the Context Object")
  func contextObject() async throws {
    let result = try await Executor.run(
      Self.single(
        #"{"Type": "Pass", "Output": {"name": "{% $states.context.Execution.Name %}", "state": "{% $states.context.State.Name %}"}}"#
      ))
    #expect(result.output == ["name": "test-execution", "state": "S"])
  }

  @Test("$states read whole has input and context in a Pass state, and result in a Task")
  func statesWhole() async throws {
    let pass = try await Executor.run(
      Self.single(#"{"Type": "Pass", "Output": "{% $keys($states) %}"}"#))
    #expect(pass.output == ["input", "context"], "\(pass.summary)")
    let task = try await Executor.run(
      Self.single(
        #"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Output": "{% ($s := $states; $keys($s)) %}"}"#
      ), handlers: ["lambda:invoke": Executor.echo])
    #expect(task.output == ["input", "result", "context"], "\(task.summary)")
  }

  @Test(
    "Variables of enclosing scopes are visible in a Map iteration; inner assignments stay inside")
  func variableScopes() async throws {
    let definition = #"""
      {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"outer": 5}, "Next": "M"},
        "M": {"Type": "Map", "Items": [1, 2],
          "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass",
            "Assign": {"outer": 0}, "Output": "{% $states.input + $outer %}", "End": true}}},
          "Output": {"r": "{% $states.result %}", "outer": "{% $outer %}"}, "End": true}}}
      """#
    let result = try await Executor.run(definition)
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == ["r": [6, 7], "outer": 5])
  }

  @Test("A JSONata state in a JSONPath machine reads the variables JSONPath states assigned")
  func mixedMachine() async throws {
    let definition = #"""
      {"StartAt": "J", "States": {
        "J": {"Type": "Pass", "Assign": {"v.$": "$.a"}, "Next": "N"},
        "N": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": {"v": "{% $v %}"}, "End": true}}}
      """#
    let result = try await Executor.run(definition, input: ["a": "hello"])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == ["v": "hello"])
  }

  static let randomMachine = single(
    #"{"Type": "Pass", "Output": {"u1": "{% $uuid() %}", "u2": "{% $uuid() %}", "r": "{% $random() %}"}}"#
  )

  @Test("$uuid() and $random() draw from the execution's seed: same seed, same values")
  func randomIsSeeded() async throws {
    let first = try await Executor.run(Self.randomMachine, seed: 7)
    let second = try await Executor.run(Self.randomMachine, seed: 7)
    let other = try await Executor.run(Self.randomMachine, seed: 8)
    #expect(first.status == .succeeded, "\(first.summary)")
    #expect(first.output == second.output)
    #expect(first.history.events.map(\.awsJSON) == second.history.events.map(\.awsJSON))
    #expect(first.output != other.output)
    #expect(first.output?["u1"] != first.output?["u2"])
    #expect(first.output?["u1"]?.stringValue?.count == 36)
  }

  @Test("AWS's functions are available: $partition, $range, $hash, $parse")
  func awsFunctions() async throws {
    let result = try await Executor.run(
      Self.single(
        #"{"Type": "Pass", "Output": {"p": "{% $partition([1,2,3], 2) %}", "r": "{% $range(0, 4, 2) %}", "j": "{% $parse('{\"a\":1}') %}"}}"#
      ))
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == ["p": [[1, 2], [3]], "r": [0, 2, 4], "j": ["a": 1]])
  }
}
