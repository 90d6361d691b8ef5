import StepFunctionsJSON
import Testing

@testable import StepFunctionsRuntime

@Suite("Executor: Choice rules")
struct ExecutorChoiceTests {
  struct Rule: CustomTestStringConvertible, Sendable {
    var rule: String
    var input: String
    var matches: Bool
    var testDescription: String { "\(rule) on \(input) → \(matches)" }

    init(_ rule: String, _ input: String, _ matches: Bool) {
      self.rule = rule
      self.input = input
      self.matches = matches
    }
  }

  /// Runs a Choice with one rule going to `Yes`, and `Default` going to `No`.
  static func choose(_ rule: String, input: String) async throws -> ExecutionResult {
    let definition = """
      {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [\(rule.dropLast()), "Next": "Yes"}], "Default": "No"},
        "Yes": {"Type": "Pass", "Result": "yes", "End": true},
        "No": {"Type": "Pass", "Result": "no", "End": true}}}
      """
    return try await Executor.run(definition, input: Executor.json(input))
  }

  static let comparisons: [Rule] = [
    // Strings, compared as Java compares them (UTF-16 code units).
    Rule(#"{"Variable": "$.v", "StringEquals": "Hello"}"#, #"{"v": "Hello"}"#, true),
    Rule(#"{"Variable": "$.v", "StringEquals": "Hello"}"#, #"{"v": "hello"}"#, false),
    Rule(#"{"Variable": "$.v", "StringEquals": "1"}"#, #"{"v": 1}"#, false),
    Rule(#"{"Variable": "$.v", "StringLessThan": "b"}"#, #"{"v": "a"}"#, true),
    Rule(#"{"Variable": "$.v", "StringLessThan": "b"}"#, #"{"v": "b"}"#, false),
    Rule(#"{"Variable": "$.v", "StringLessThanEquals": "b"}"#, #"{"v": "b"}"#, true),
    Rule(#"{"Variable": "$.v", "StringGreaterThan": "a"}"#, #"{"v": "ab"}"#, true),
    Rule(#"{"Variable": "$.v", "StringGreaterThanEquals": "b"}"#, #"{"v": "a"}"#, false),
    Rule(#"{"Variable": "$.v", "StringLessThan": "\uffff"}"#, #"{"v": "😀"}"#, true),
    Rule(#"{"Variable": "$.v", "StringEqualsPath": "$.w"}"#, #"{"v": "x", "w": "x"}"#, true),
    Rule(#"{"Variable": "$.v", "StringLessThanPath": "$.w"}"#, #"{"v": "x", "w": "y"}"#, true),
    Rule(#"{"Variable": "$.v", "StringGreaterThanPath": "$.w"}"#, #"{"v": "x", "w": "y"}"#, false),
    Rule(
      #"{"Variable": "$.v", "StringLessThanEqualsPath": "$.w"}"#, #"{"v": "y", "w": "y"}"#, true),
    Rule(
      #"{"Variable": "$.v", "StringGreaterThanEqualsPath": "$.w"}"#, #"{"v": "z", "w": "y"}"#, true),
    // Numbers, by value.
    Rule(#"{"Variable": "$.v", "NumericEquals": 1}"#, #"{"v": 1.0}"#, true),
    Rule(#"{"Variable": "$.v", "NumericEquals": 1}"#, #"{"v": "1"}"#, false),
    Rule(#"{"Variable": "$.v", "NumericLessThan": 1}"#, #"{"v": 0.5}"#, true),
    Rule(#"{"Variable": "$.v", "NumericLessThanEquals": 1}"#, #"{"v": 1}"#, true),
    Rule(#"{"Variable": "$.v", "NumericGreaterThan": -1}"#, #"{"v": -1}"#, false),
    Rule(#"{"Variable": "$.v", "NumericGreaterThanEquals": -1}"#, #"{"v": -1}"#, true),
    Rule(#"{"Variable": "$.v", "NumericEqualsPath": "$.w"}"#, #"{"v": 150, "w": 1.5e2}"#, true),
    Rule(#"{"Variable": "$.v", "NumericLessThanPath": "$.w"}"#, #"{"v": 1, "w": 2}"#, true),
    Rule(#"{"Variable": "$.v", "NumericGreaterThanPath": "$.w"}"#, #"{"v": 1, "w": 2}"#, false),
    Rule(#"{"Variable": "$.v", "NumericLessThanEqualsPath": "$.w"}"#, #"{"v": 3, "w": 2}"#, false),
    Rule(
      #"{"Variable": "$.v", "NumericGreaterThanEqualsPath": "$.w"}"#, #"{"v": 2, "w": 2}"#, true),
    Rule(#"{"Variable": "$.v", "NumericEqualsPath": "$.w"}"#, #"{"v": 2, "w": "2"}"#, false),
    // Booleans.
    Rule(#"{"Variable": "$.v", "BooleanEquals": true}"#, #"{"v": true}"#, true),
    Rule(#"{"Variable": "$.v", "BooleanEquals": true}"#, #"{"v": "true"}"#, false),
    Rule(#"{"Variable": "$.v", "BooleanEqualsPath": "$.w"}"#, #"{"v": false, "w": false}"#, true),
    // Timestamps, compared as instants (offsets and fractions count).
    Rule(
      #"{"Variable": "$.v", "TimestampEquals": "2012-10-09T19:00:55Z"}"#,
      #"{"v": "2012-10-09T21:00:55+02:00"}"#, true),
    Rule(
      #"{"Variable": "$.v", "TimestampEquals": "2012-10-09T19:00:55Z"}"#,
      #"{"v": "2012-10-09T19:00:55"}"#, false),
    Rule(
      #"{"Variable": "$.v", "TimestampLessThan": "2012-10-09T19:00:55Z"}"#,
      #"{"v": "2012-10-09T19:00:54.999Z"}"#, true),
    Rule(
      #"{"Variable": "$.v", "TimestampLessThanEquals": "2012-10-09T19:00:55Z"}"#,
      #"{"v": "2012-10-09T14:00:55-05:00"}"#, true),
    Rule(
      #"{"Variable": "$.v", "TimestampGreaterThan": "2012-10-09T19:00:55Z"}"#,
      #"{"v": "2012-10-09T20:00:56+01:00"}"#, true),
    Rule(
      #"{"Variable": "$.v", "TimestampGreaterThanEquals": "2012-10-09T19:00:55Z"}"#,
      #"{"v": "2012-10-09T19:00:54Z"}"#, false),
    Rule(
      #"{"Variable": "$.v", "TimestampEquals": "2012-10-09T19:00:55Z"}"#, #"{"v": 1349809255}"#,
      false),
    Rule(
      #"{"Variable": "$.v", "TimestampEqualsPath": "$.w"}"#,
      #"{"v": "2012-10-09T19:00:55Z", "w": "2012-10-09T19:00:55Z"}"#, true),
    Rule(
      #"{"Variable": "$.v", "TimestampLessThanPath": "$.w"}"#,
      #"{"v": "2012-10-09T19:00:55Z", "w": "2012-10-09T19:00:56Z"}"#, true),
    Rule(
      #"{"Variable": "$.v", "TimestampGreaterThanPath": "$.w"}"#,
      #"{"v": "2012-10-09T19:00:55Z", "w": "2012-10-09T19:00:56Z"}"#, false),
    Rule(
      #"{"Variable": "$.v", "TimestampLessThanEqualsPath": "$.w"}"#,
      #"{"v": "2012-10-09T19:00:57Z", "w": "2012-10-09T19:00:56Z"}"#, false),
    Rule(
      #"{"Variable": "$.v", "TimestampGreaterThanEqualsPath": "$.w"}"#,
      #"{"v": "2012-10-09T19:00:56Z", "w": "2012-10-09T19:00:56Z"}"#, true),
    // Type tests.
    Rule(#"{"Variable": "$.v", "IsNull": true}"#, #"{"v": null}"#, true),
    Rule(#"{"Variable": "$.v", "IsNull": false}"#, #"{"v": 0}"#, true),
    Rule(#"{"Variable": "$.v", "IsPresent": true}"#, #"{"v": null}"#, true),
    Rule(#"{"Variable": "$.v", "IsPresent": true}"#, #"{"w": 1}"#, false),
    Rule(#"{"Variable": "$.v", "IsPresent": false}"#, #"{"w": 1}"#, true),
    Rule(#"{"Variable": "$.v.deeper", "IsPresent": false}"#, #"{"w": 1}"#, true),
    Rule(#"{"Variable": "$.v", "IsNumeric": true}"#, #"{"v": 1.5}"#, true),
    Rule(#"{"Variable": "$.v", "IsNumeric": true}"#, #"{"v": "1.5"}"#, false),
    Rule(#"{"Variable": "$.v", "IsString": true}"#, #"{"v": ""}"#, true),
    Rule(#"{"Variable": "$.v", "IsString": false}"#, #"{"v": []}"#, true),
    Rule(#"{"Variable": "$.v", "IsBoolean": true}"#, #"{"v": false}"#, true),
    Rule(#"{"Variable": "$.v", "IsBoolean": true}"#, #"{"v": 0}"#, false),
    Rule(
      #"{"Variable": "$.v", "IsTimestamp": true}"#, #"{"v": "2016-03-14T01:59:00+05:30"}"#, true),
    Rule(#"{"Variable": "$.v", "IsTimestamp": true}"#, #"{"v": "2016-03-14 01:59:00Z"}"#, false),
    // StringMatches: `*` is a wildcard, `\*` a literal star, `\\` a literal backslash.
    Rule(#"{"Variable": "$.v", "StringMatches": "log-*.txt"}"#, #"{"v": "log-2024-01.txt"}"#, true),
    Rule(
      #"{"Variable": "$.v", "StringMatches": "log-*.txt"}"#, #"{"v": "log-2024-01.txt.gz"}"#, false),
    Rule(#"{"Variable": "$.v", "StringMatches": "*"}"#, #"{"v": ""}"#, true),
    Rule(#"{"Variable": "$.v", "StringMatches": "a*b*c"}"#, #"{"v": "aXbYbZc"}"#, true),
    Rule(#"{"Variable": "$.v", "StringMatches": "a\\*b"}"#, #"{"v": "a*b"}"#, true),
    Rule(#"{"Variable": "$.v", "StringMatches": "a\\*b"}"#, #"{"v": "axb"}"#, false),
    Rule(#"{"Variable": "$.v", "StringMatches": "a\\\\*"}"#, #"{"v": "a\\bc"}"#, true),
    Rule(#"{"Variable": "$.v", "StringMatches": "a\\\\*"}"#, #"{"v": "abc"}"#, false),
    Rule(#"{"Variable": "$.v", "StringMatches": "*"}"#, #"{"v": 5}"#, false),
    // Compound rules.
    Rule(
      #"{"And": [{"Variable": "$.a", "NumericGreaterThan": 1}, {"Variable": "$.b", "StringEquals": "x"}]}"#,
      #"{"a": 2, "b": "x"}"#, true),
    Rule(
      #"{"And": [{"Variable": "$.a", "NumericGreaterThan": 1}, {"Variable": "$.b", "StringEquals": "x"}]}"#,
      #"{"a": 2, "b": "y"}"#, false),
    Rule(
      #"{"Or": [{"Variable": "$.a", "NumericGreaterThan": 1}, {"Variable": "$.b", "StringEquals": "x"}]}"#,
      #"{"a": 0, "b": "x"}"#, true),
    Rule(
      #"{"Or": [{"Variable": "$.a", "NumericGreaterThan": 1}, {"Variable": "$.b", "StringEquals": "x"}]}"#,
      #"{"a": 0, "b": "y"}"#, false),
    Rule(#"{"Not": {"Variable": "$.a", "StringEquals": "x"}}"#, #"{"a": "y"}"#, true),
    Rule(
      #"{"Not": {"And": [{"Variable": "$.a", "IsPresent": true}, {"Not": {"Variable": "$.a", "IsNull": true}}]}}"#,
      #"{"a": null}"#, true),
    // Variables.
    Rule(#"{"Variable": "$$.Execution.Name", "StringEquals": "test-execution"}"#, "{}", true),
  ]

  @Test("Each comparator, its Path form and And/Or/Not decide as AWS does", arguments: comparisons)
  func comparator(_ example: Rule) async throws {
    let result = try await ExecutorChoiceTests.choose(example.rule, input: example.input)
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == (example.matches ? "yes" : "no"))
  }

  @Test("The first matching rule wins; Choice writes ChoiceStateEntered/Exited and keeps the input")
  func firstMatchWins() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [
          {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"},
          {"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Medium"},
          {"Variable": "$.n", "NumericGreaterThan": 0, "Next": "Small"}]},
        "Big": {"Type": "Pass", "Result": "big", "End": true},
        "Medium": {"Type": "Pass", "Result": "medium", "ResultPath": "$.size", "End": true},
        "Small": {"Type": "Pass", "Result": "small", "End": true}}}
      """#,
      input: ["n": 5])
    #expect(result.output == ["n": 5, "size": "medium"])
    #expect(
      result.eventTypes == [
        "ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited", "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
      ])
    #expect(result.exitedOutputs("C") == [["n": 5]])
  }

  @Test("Choice applies InputPath before the rules and OutputPath to what it passes on")
  func choicePaths() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "InputPath": "$.inner", "OutputPath": "$.keep",
          "Choices": [{"Variable": "$.flag", "BooleanEquals": true, "Next": "Done"}]},
        "Done": {"Type": "Succeed"}}}
      """#,
      input: ["inner": ["flag": true, "keep": ["k": 1]], "flag": false])
    #expect(result.status == .succeeded)
    #expect(result.output == ["k": 1])
  }

  @Test("No matching rule and no Default fails with States.NoChoiceMatched")
  func noChoiceMatched() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "Done"}]},
        "Done": {"Type": "Succeed"}}}
      """#,
      input: ["n": 2])
    #expect(result.status == .failed)
    #expect(result.error == "States.NoChoiceMatched")
    #expect(result.eventTypes == ["ExecutionStarted", "ChoiceStateEntered", "ExecutionFailed"])
  }

  @Test("A comparison on a path that selects nothing fails with States.Runtime")
  func comparisonOnMissingPath() async throws {
    let result = try await ExecutorChoiceTests.choose(
      #"{"Variable": "$.missing", "StringEquals": "x"}"#, input: "{}")
    #expect(result.status == .failed)
    #expect(result.error == "States.Runtime")
    #expect(
      result.cause?.contains("Invalid path '$.missing' : No results for path: $['missing']") == true
    )
  }

  @Test("IsPresent on a variable that was never assigned is false, not an error")
  func isPresentOnMissingVariable() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "Assign": {"other": 1}, "Next": "C"},
        "C": {"Type": "Choice", "Choices": [
          {"Variable": "$other", "IsPresent": true, "Next": "Check"}], "Default": "Fail"},
        "Check": {"Type": "Choice", "Choices": [
          {"Not": {"Variable": "$other.missing", "IsPresent": true}, "Next": "Done"}], "Default": "Fail"},
        "Done": {"Type": "Succeed"},
        "Fail": {"Type": "Fail", "Error": "Wrong"}}}
      """#)
    #expect(result.status == .succeeded, "\(result.summary)")
  }

  @Test(
    "A Choice rule's Assign applies when it matches; the state's own Assign applies with Default")
  func choiceAssign() async throws {
    let definition = #"""
      {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Assign": {"picked": "default"},
          "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Assign": {"picked.$": "$.n"}, "Next": "Out"}],
          "Default": "Out"},
        "Out": {"Type": "Pass", "Parameters": {"picked.$": "$picked"}, "End": true}}}
      """#
    let matched = try await Executor.run(definition, input: ["n": 1])
    #expect(matched.output == ["picked": 1])
    let defaulted = try await Executor.run(definition, input: ["n": 2])
    #expect(defaulted.output == ["picked": "default"])
  }
}
