import StepFunctionsJSON
import Testing

@testable import StepFunctionsRuntime

@Suite("Executor: Parallel and inline Map")
struct ExecutorParallelMapTests {
  static let parallel = #"""
    {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 10, "Next": "A"},
        "A": {"Type": "Pass", "Result": "a", "End": true}}},
      {"StartAt": "Fast", "States": {"Fast": {"Type": "Pass", "Parameters": {"b.$": "$.x"}, "End": true}}}]}}}
    """#

  @Test("Parallel returns the branch outputs in branch order, whichever finishes first")
  func parallelOrder() async throws {
    let result = try await Executor.run(ExecutorParallelMapTests.parallel, input: ["x": 1])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == ["a", ["b": 1]])
    #expect(result.eventTypes.first(where: { $0.hasPrefix("Parallel") }) == "ParallelStateEntered")
    #expect(result.eventTypes.contains("ParallelStateStarted"))
    #expect(result.offsets("ParallelStateSucceeded") == [10])
    #expect(result.offsets("ParallelStateExited") == [10])
    #expect(
      result.eventTypes.suffix(3) == [
        "ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded",
      ])
  }

  @Test(
    "Parallel applies Parameters to each branch's input and ResultSelector/ResultPath to the array")
  func parallelProcessing() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "P", "States": {"P": {"Type": "Parallel", "Parameters": {"v.$": "$.n"},
        "ResultSelector": {"first.$": "$[0].v", "count.$": "States.ArrayLength($)"}, "ResultPath": "$.out", "End": true,
        "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                     {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]}}}
      """#,
      input: ["n": 4])
    #expect(result.output == ["n": 4, "out": ["first": 4, "count": 2]])
  }

  static let failingParallel = #"""
    {"StartAt": "P", "States": {"P": {"Type": "Parallel", %CATCH% "End": true, "Branches": [
      {"StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 100, "Next": "NeverReached"},
        "NeverReached": {"Type": "Pass", "End": true}}},
      {"StartAt": "Broken", "States": {"Broken": {"Type": "Fail", "Error": "Branch.Error", "Cause": "branch 1"}}}]}
     %RECOVERED%}}
    """#

  @Test("A failing branch fails the Parallel state and stops the other branches")
  func parallelFailure() async throws {
    let definition = ExecutorParallelMapTests.failingParallel.replacingOccurrences(
      of: "%CATCH%", with: ""
    )
    .replacingOccurrences(of: "%RECOVERED%", with: "")
    let result = try await Executor.run(definition)
    #expect(result.status == .failed, "\(result.summary)")
    #expect(result.error == "Branch.Error")
    #expect(result.cause == "branch 1")
    #expect(result.enteredInputs("NeverReached").isEmpty)
    #expect(result.eventTypes.contains("ParallelStateFailed"))
    #expect(!result.eventTypes.contains("ParallelStateSucceeded"))
    #expect(result.offsets("ExecutionFailed") == [0])
  }

  @Test("A Catch on the Parallel state catches a branch's error")
  func parallelCatch() async throws {
    let definition = ExecutorParallelMapTests.failingParallel.replacingOccurrences(
      of: "%CATCH%",
      with:
        #""Catch": [{"ErrorEquals": ["Branch.Error"], "ResultPath": "$.failure", "Next": "Recovered"}],"#
    ).replacingOccurrences(
      of: #""End": true, "Branches""#, with: #""Next": "Recovered", "Branches""#
    )
    .replacingOccurrences(of: "%RECOVERED%", with: #", "Recovered": {"Type": "Pass", "End": true}"#)
    let result = try await Executor.run(definition, input: ["id": 7])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == ["id": 7, "failure": ["Error": "Branch.Error", "Cause": "branch 1"]])
    #expect(result.enteredInputs("NeverReached").isEmpty)
  }

  @Test("Map runs the processor for each item and returns the results in item order")
  func mapOrder() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "End": true,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "W", "States": {
          "W": {"Type": "Wait", "SecondsPath": "$.delay", "Next": "Out"},
          "Out": {"Type": "Pass", "Parameters": {"name.$": "$.name"}, "End": true}}}}}}
      """#,
      input: [
        "items": [
          ["name": "a", "delay": 3], ["name": "b", "delay": 1], ["name": "c", "delay": 2],
        ]
      ])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == [["name": "a"], ["name": "b"], ["name": "c"]])
    #expect(result.details("MapStateStarted") == ["length": 3])
    #expect(result.events("MapIterationStarted").count == 3)
    #expect(result.events("MapIterationSucceeded").count == 3)
    #expect(result.offsets("MapStateSucceeded") == [3])
  }

  @Test(
    "MaxConcurrency 1 runs the items one after another; 0 runs them all at once",
    arguments: [(1, 30.0), (0, 10.0), (2, 20.0)])
  func maxConcurrency(limit: Int, duration: Double) async throws {
    let result = try await Executor.run(
      """
      {"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": \(limit), "End": true,
        "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": true}}}}}}
      """,
      input: [1, 2, 3])
    #expect(result.output == [1, 2, 3])
    #expect(result.offsets("MapStateSucceeded") == [duration])
  }

  @Test("MaxConcurrencyPath reads the limit from the input")
  func maxConcurrencyPath() async throws {
    let definition = #"""
      {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrencyPath": "$.limit", "End": true,
        "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": true}}}}}}
      """#
    let serial = try await Executor.run(definition, input: ["items": [1, 2], "limit": 1])
    #expect(serial.offsets("MapStateSucceeded") == [10])
    let bad = try await Executor.run(definition, input: ["items": [1, 2], "limit": "many"])
    #expect(bad.status == .failed)
    #expect(bad.error == "States.Runtime")
    #expect(
      bad.cause?.contains(
        #"The MaxConcurrencyPath field refers to value "many" which is not a valid integer: $.limit"#
      ) == true)
  }

  @Test("ItemSelector sees $$.Map.Item.Index and Value and the Map state's input")
  func itemSelector() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.list", "End": true,
        "ItemSelector": {"index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value", "prefix.$": "$.prefix"},
        "ItemProcessor": {"StartAt": "F", "States": {"F": {"Type": "Pass",
          "Parameters": {"s.$": "States.Format('{}{}:{}', $.prefix, $.index, $.value)"}, "End": true}}}}}}
      """#,
      input: ["prefix": "#", "list": ["x", "y"]])
    #expect(result.output == [["s": "#0:x"], ["s": "#1:y"]])
  }

  @Test("The older Iterator and Parameters fields work like ItemProcessor and ItemSelector")
  func olderFields() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "M", "States": {"M": {"Type": "Map", "Parameters": {"i.$": "$$.Map.Item.Index"}, "End": true,
        "Iterator": {"StartAt": "F", "States": {"F": {"Type": "Pass", "End": true}}}}}}
      """#,
      input: ["a", "b", "c"])
    #expect(result.output == [["i": 0], ["i": 1], ["i": 2]])
  }

  @Test("An empty array gives an empty result without iterations")
  func emptyMap() async throws {
    let result = try await Executor.run(
      #"{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "F", "States": {"F": {"Type": "Pass", "End": true}}}}}}"#,
      input: [])
    #expect(result.output == [])
    #expect(result.details("MapStateStarted") == ["length": 0])
    #expect(result.events("MapIterationStarted").isEmpty)
  }

  @Test(
    "Items that are not an array fail with States.Runtime and AWS's message",
    arguments: ["1", "null", "true", #"{"a":1}"#, #""s""#])
  func notAnArray(input: String) async throws {
    let result = try await Executor.run(
      #"{"StartAt": "MapIterateState", "States": {"MapIterateState": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "F", "States": {"F": {"Type": "Pass", "End": true}}}}}}"#,
      input: Executor.json(input))
    #expect(result.status == .failed)
    #expect(result.error == "States.Runtime")
    #expect(
      result.cause
        == "An error occurred while executing the state 'MapIterateState' (entered at the event id #2). Map state input must be an array but was: \(input)"
    )
  }

  @Test("A failing iteration fails the Map state; its Catch catches it")
  func mapFailure() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "M", "States": {"M": {"Type": "Map", "Next": "Done",
          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
          "ItemProcessor": {"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "Bad"}], "Default": "Good"},
            "Bad": {"Type": "Fail", "Error": "Item.Bad", "Cause": "two"},
            "Good": {"Type": "Pass", "End": true}}}},
        "Done": {"Type": "Pass", "End": true},
        "Caught": {"Type": "Pass", "End": true}}}
      """#,
      input: [1, 2, 3])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == ["Error": "Item.Bad", "Cause": "two"])
    #expect(result.eventTypes.contains("MapIterationFailed"))
    #expect(result.eventTypes.contains("MapStateFailed"))
    #expect(result.enteredInputs("Done").isEmpty)
  }
}
