import StepFunctionsJSON
import Testing

@testable import StepFunctionsRuntime

/// One compiled machine and one input shared by executions running at the same time on several
/// threads: the plan is read (through unretained references) and the input's storage is shared
/// by every execution, so this checks that nothing one execution does is seen by another.
@Suite("Executor: concurrent executions of one machine")
struct ExecutorConcurrencyTests {
  static let definition = """
    {"StartAt": "Init", "States": {
      "Init": {"Type": "Pass", "Parameters": {"i": 0, "sum": 0, "tags.$": "$.tags"},
               "ResultPath": "$.c", "Next": "Add"},
      "Add": {"Type": "Pass", "Parameters": {
                "i.$": "States.MathAdd($.c.i, 1)", "sum.$": "States.MathAdd($.c.sum, $.c.i)",
                "tags.$": "$.c.tags", "label.$": "States.Format('{}-{}', $.name, $.c.i)"},
              "ResultPath": "$.c", "Next": "Check"},
      "Check": {"Type": "Choice", "Choices": [{"Variable": "$.c.i", "NumericLessThan": 200,
                "Next": "Add"}], "Default": "Fan"},
      "Fan": {"Type": "Map", "ItemsPath": "$.c.tags", "ResultPath": "$.fan", "End": true,
              "ItemProcessor": {"StartAt": "Echo", "States": {
                "Echo": {"Type": "Pass", "Parameters": {"tag.$": "$"}, "End": true}}}}}}
    """

  @Test("Eight executions at once give the same output and history as one alone")
  func sharedPlanAndInput() async throws {
    let machine = try Executor.machine(Self.definition)
    let input: JSON = ["name": "video-1", "tags": ["a", "b", "c"]]
    var configured = ExecutionOptions()
    configured.executionName = "concurrent"
    let options = configured
    let alone = await machine.run(input: input, options: options)
    #expect(alone.status == .succeeded)
    #expect(alone.output?["c"]?["sum"] == 19_900)
    let expected = alone.history.awsJSON.serialized()
    let results = await withTaskGroup(of: ExecutionResult.self) { group in
      for _ in 0..<8 { group.addTask { await machine.run(input: input, options: options) } }
      var results: [ExecutionResult] = []
      for await result in group { results.append(result) }
      return results
    }
    #expect(results.count == 8)
    // Read every history from several tasks at once, too.
    let histories = await withTaskGroup(of: String.self) { group in
      for result in results + results {
        group.addTask { result.history.awsJSON.serialized() }
      }
      var histories: [String] = []
      for await history in group { histories.append(history) }
      return histories
    }
    #expect(histories.allSatisfy { $0 == expected })
    for result in results { #expect(result.output == alone.output) }
    #expect(input == ["name": "video-1", "tags": ["a", "b", "c"]])
  }
}
