import CorpusSupport
import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

@testable import StepFunctionsRuntime

/// `{"a": {"a": ... {} ...}}` with `depth` levels of objects (an empty object innermost).
private func nestedObjects(_ depth: Int) -> JSON {
  var value: JSON = .object(JSONObject())
  for _ in 1..<depth { value = ["a": value] }
  return value
}

/// `[[ ... [] ... ]]` with `depth` levels of arrays.
private func nestedArrays(_ depth: Int) -> JSON {
  var value: JSON = []
  for _ in 1..<depth { value = .array([value]) }
  return value
}

private let limit = ExecutionOptions.maximumNestingDepth

/// The cause of a value nested too deep, as the engine words it for the state `name`.
private func tooDeep(_ what: String) -> String {
  "\(what) has arrays and objects nested more than \(limit) levels deep."
}

@Suite("Depth limits while running: values, filters and long paths")
struct DepthLimitExecutionTests {
  @Test("An input nested 512 deep runs; 513 fails the execution with States.Runtime")
  func inputDepth() async throws {
    let machine = Executor.single(#"{"Type": "Pass"}"#)
    let fine = try await Executor.run(machine, input: nestedObjects(limit))
    #expect(fine.status == .succeeded, "\(fine.summary)")
    #expect(fine.output?.nestingDepth == limit)
    let deep = try await Executor.run(machine, input: nestedArrays(limit + 1))
    #expect(deep.status == .failed)
    #expect(deep.error == "States.Runtime")
    #expect(deep.cause == tooDeep("The execution input"))
  }

  @Test("A loop that wraps its input a level deeper each pass stops at 512 with States.Runtime")
  func parametersLoop() async throws {
    let machine = """
      {"StartAt": "Wrap", "States": {
        "Wrap": {"Type": "Pass", "Parameters": {"a.$": "$"}, "Next": "Again"},
        "Again": {"Type": "Choice", "Choices": [{"Variable": "$.never", "IsPresent": true, "Next": "Done"}],
          "Default": "Wrap"},
        "Done": {"Type": "Succeed"}}}
      """
    let result = try await Executor.run(machine, input: [:])
    #expect(result.status == .failed)
    #expect(result.error == "States.Runtime")
    #expect(result.cause?.hasSuffix(tooDeep("The state's output")) == true, "\(result.summary)")
    // The input `{}` is one level; each pass adds one, and the 512th pass makes 513.
    #expect(result.events("PassStateEntered").count == limit)
    #expect(result.exitedOutputs("Wrap").last?.nestingDepth == limit)
  }

  @Test(
    "A Choice state whose InputPath wraps a 512-deep input in an array fails with States.Runtime")
  func choiceDepth() async throws {
    let machine = """
      {"StartAt": "C", "States": {"C": {"Type": "Choice", "InputPath": "$[?(@)]",
        "Choices": [{"Variable": "$", "IsPresent": true, "Next": "E"}], "Default": "E"},
        "E": {"Type": "Succeed"}}}
      """
    let fine = try await Executor.run(machine, input: nestedObjects(limit - 1))
    #expect(fine.status == .succeeded, "\(fine.summary)")
    #expect(fine.output?.nestingDepth == limit)
    let deep = try await Executor.run(machine, input: nestedObjects(limit))
    #expect(deep.status == .failed, "\(deep.summary)")
    #expect(deep.error == "States.Runtime")
    #expect(deep.cause?.hasSuffix(tooDeep("The state's output")) == true, "\(deep.summary)")
  }

  @Test("A variable nested deeper than 512 fails the state that assigns it")
  func variableDepth() async throws {
    let machine = """
      {"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Assign": {"v": []}, "Next": "Grow"},
        "Grow": {"Type": "Pass", "Assign": {"v.$": "States.Array($v)"}, "Next": "Again"},
        "Again": {"Type": "Choice", "Choices": [{"Variable": "$.never", "IsPresent": true, "Next": "Done"}],
          "Default": "Grow"},
        "Done": {"Type": "Succeed"}}}
      """
    let result = try await Executor.run(machine)
    #expect(result.status == .failed)
    #expect(result.error == "States.Runtime")
    #expect(result.cause?.hasSuffix(tooDeep("A variable assigned by the state")) == true)
    #expect(result.events("PassStateEntered").count == limit + 1)
  }

  @Test("A task result nested deeper than 512 fails the task with States.Runtime")
  func taskResultDepth() async throws {
    let arn = "arn:aws:lambda:us-east-1:123456789012:function:Deep"
    let machine = Executor.single(#"{"Type": "Task", "Resource": "\#(arn)"}"#)
    let fine = try await Executor.run(
      machine, handlers: [arn: Executor.returning(nestedObjects(limit))])
    #expect(fine.status == .succeeded, "\(fine.summary)")
    let deep = try await Executor.run(
      machine, handlers: [arn: Executor.returning(nestedObjects(limit + 1))])
    #expect(deep.status == .failed)
    #expect(deep.error == "States.Runtime")
    #expect(
      deep.cause?.hasSuffix(
        "The task returned a result with arrays and objects nested more than \(limit) levels deep.")
        == true, "\(deep.summary)")
    #expect(deep.history.events.contains { $0.type == "LambdaFunctionFailed" })
  }

  // MARK: Paths at their limits, on a small stack

  @Test("Filters nested 32 deep evaluate on a 512 KiB stack")
  func nestedFilterEvaluation() async throws {
    let depth = JSONPath.maximumNestingDepth
    let path = try JSONPath(
      parsing: "$" + String(repeating: "[?(@", count: depth) + String(repeating: ")]", count: depth)
    )
    var document: JSON = ["leaf": true]
    for _ in 0..<depth { document = .array([document]) }
    let input = document
    let selected = try await SmallStack.run { try path.value(in: input) }
    #expect(selected.arrayValue?.count == 1)
  }

  @Test("A 256-segment path selects through a value 256 deep, with and without a wildcard")
  func longPaths() async throws {
    let count = JSONPath.maximumSegmentCount
    let definite = try JSONPath(parsing: "$" + String(repeating: ".a", count: count))
    let indefinite = try JSONPath(parsing: "$[*]" + String(repeating: ".a", count: count - 1))
    var document: JSON = "end"
    for _ in 0..<count { document = ["a": document] }
    let input = document
    let results = try await SmallStack.run {
      (try definite.value(in: input), try indefinite.value(in: input))
    }
    #expect(results.0 == "end")
    #expect(results.1 == ["end"])
  }

  @Test("Recursive descent walks a value 100,000 deep on a 512 KiB stack, in document order")
  func deepDescent() async throws {
    let results = try await SmallStack.run {
      var document: JSON = ["x": 0]
      for level in 1...100_000 { document = ["a": document, "x": .number(JSONNumber(level))] }
      let path = try JSONPath(parsing: "$..x")
      let values = try path.value(in: document)
      return (values.arrayValue?.count, values.arrayValue?.first, values.arrayValue?.last)
    }
    #expect(results.0 == 100_001)
    #expect(results.1 == 100_000)
    #expect(results.2 == 0)
  }

  @Test("A filter of 10,000 alternatives evaluates without deep recursion, left to right")
  func longFilterChain() async throws {
    let alternatives = (0..<10_000).map { "@.k == \($0)" }.joined(separator: " || ")
    let path = try JSONPath(parsing: "$.items[?(\(alternatives))].k")
    let input: JSON = ["items": [["k": 5], ["k": 10_000], ["k": 9_999]]]
    let selected = try await SmallStack.run { try path.value(in: input) }
    #expect(selected == [5, 9_999])
  }
}
