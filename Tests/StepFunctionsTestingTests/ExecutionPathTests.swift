import StepFunctions
import StepFunctionsTesting
import Testing

@Suite("The path taken")
struct ExecutionPathTests {
  /// Start → Both(Parallel: [A → B], [Fan(Map over $.items: Double)]) → Done.
  static let nested = """
    {"StartAt": "Start", "States": {
      "Start": {"Type": "Pass", "Next": "Both"},
      "Both": {"Type": "Parallel", "Next": "Done", "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "a", "Next": "B"}, "B": {"Type": "Pass", "End": true}}},
        {"StartAt": "Fan", "States": {"Fan": {"Type": "Map", "ItemsPath": "$.items", "End": true,
          "ItemProcessor": {"StartAt": "Double", "States": {
            "Double": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($, $)"}, "End": true}}}}}}]},
      "Done": {"Type": "Succeed"}}}
    """

  @Test(
    "Nested Parallel branches and Map iterations appear in order, each with its scopes, input and output"
  )
  func nestedStates() async throws {
    let run = try await WorkflowTest(json: Self.nested).run(input: ["items": [1, 2, 3]])
    #expect(run.status == .succeeded)
    let names = run.stateNames
    #expect(names.first == "Start")
    #expect(names.last == "Done")
    #expect(
      names.sorted() == ["A", "B", "Both", "Done", "Double", "Double", "Double", "Fan", "Start"])
    let index = { (name: String) in names.firstIndex(of: name) ?? -1 }
    #expect(index("Both") < index("A"))
    #expect(index("A") < index("B"))
    #expect(index("Both") < index("Fan"))
    #expect(index("Fan") < index("Double"))

    let doubles = run.path.steps(named: "Double")
    #expect(doubles.compactMap(\.mapIterationIndex).sorted() == [0, 1, 2])
    for step in doubles {
      let item = try #require(step.input.numberValue?.intValue)
      #expect(step.mapIterationIndex == item - 1)
      #expect(step.output == ["v": .number(JSONNumber(item * 2))])
      #expect(
        step.scopes == [
          .parallelBranch(state: "Both", index: 1), .mapIteration(state: "Fan", index: item - 1),
        ])
      #expect(step.type == "Pass")
    }
    let a = try #require(run.path.steps(named: "A").first)
    #expect(a.scopes == [.parallelBranch(state: "Both", index: 0)])
    #expect(a.output == "a")
    #expect(a.parallelBranchIndex == 0)
    #expect(a.mapIterationIndex == nil)
    let both = try #require(run.path.steps(named: "Both").first)
    #expect(both.scopes.isEmpty)
    #expect(both.type == "Parallel")
    #expect(both.output == ["a", [["v": 2], ["v": 4], ["v": 6]]])  // B passes on A's result
    #expect(try #require(run.path.steps(named: "Fan").first).type == "Map")
    #expect(
      run.path.steps.allSatisfy { step in
        step.exitedEventId.map { $0 > step.enteredEventId } ?? false
      })
  }

  @Test("Steps are labelled with their Map iterations and the path prints on one line")
  func labels() async throws {
    let run = try await WorkflowTest(json: Self.nested).run(input: ["items": [5]])
    let double = try #require(run.path.steps(named: "Double").first)
    #expect(double.label == "Fan[0] › Double")
    #expect(run.path.description.hasPrefix("Start → Both → "))
    #expect(run.path.description.contains("Fan[0] › Double"))
  }

  @Test("Concurrent Map iterations of a loop get their own outputs")
  func concurrentIterationsArePairedByChain() async throws {
    let machine = """
      {"StartAt": "Each", "States": {"Each": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "Wait", "States": {
        "Wait": {"Type": "Wait", "SecondsPath": "$.s", "Next": "Echo"},
        "Echo": {"Type": "Pass", "Parameters": {"done.$": "$.s"}, "End": true}}}}}}
      """
    let run = try await WorkflowTest(json: machine).run(input: [["s": 30], ["s": 10], ["s": 20]])
    #expect(run.status == .succeeded)
    for step in run.path.steps(named: "Wait") + run.path.steps(named: "Echo") {
      let index = try #require(step.mapIterationIndex)
      let seconds = [30, 10, 20][index]
      #expect(step.input == ["s": .number(JSONNumber(seconds))])
      if step.name == "Echo" { #expect(step.output == ["done": .number(JSONNumber(seconds))]) }
      if step.name == "Wait" {
        let waited =
          try #require(step.exitedAt).millisecondsSinceEpoch - step.enteredAt.millisecondsSinceEpoch
        #expect(waited == Int64(seconds) * 1000)
      }
    }
    // The shortest wait finishes first, so iteration 1's Echo is entered before the others.
    #expect(run.path.steps(named: "Echo").compactMap(\.mapIterationIndex) == [1, 2, 0])
  }

  @Test("A state that fails has no output; a loop's state is counted each time")
  func failuresAndLoops() async throws {
    let machine = """
      {"StartAt": "Count", "States": {
        "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 3, "Next": "Count"}], "Default": "Stop"},
        "Stop": {"Type": "Fail", "Error": "Stopped", "Cause": "enough"}}}
      """
    let run = try await WorkflowTest(json: machine).run(input: ["n": 0])
    #expect(run.stateNames == ["Count", "Check", "Count", "Check", "Count", "Check", "Stop"])
    #expect(run.timesEntered("Count") == 3)
    #expect(run.path.steps(named: "Count").map(\.output) == [["n": 1], ["n": 2], ["n": 3]])
    #expect(run.path.steps(named: "Stop").first?.output == nil)
    #expect(run.error == "Stopped")
  }

  @Test("Without the definition the path still lists every state, without scopes")
  func withoutDefinition() async throws {
    let machine = try StateMachine(json: Self.nested)
    let result = await machine.run(input: ["items": [1, 2]])
    let path = ExecutionPath(history: result.history)
    #expect(path.count == 8)
    #expect(path.allSatisfy { $0.scopes.isEmpty })
    #expect(path.steps(named: "Double").count == 2)
    #expect(Set(path.steps(named: "Double").compactMap(\.output)) == [["v": 2], ["v": 4]])
  }
}
