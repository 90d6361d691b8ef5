import StepFunctionsJSON
import Testing

@testable import StepFunctionsRuntime

@Suite("JSONPath filter regular expressions match in linear time")
struct FilterRegexTests {
  @Test("Reproducer #9: a filter regex that backtracks catastrophically elsewhere ends at once")
  func redosReproducer() async throws {
    // ../shared/reproducers/run-filter-regex-redos.asl.json with its 20-'a' input.
    let definition = #"""
      {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"r.$": "$.l[?(@ =~ /(a+)+b/)]"}, "End": true}}}
      """#
    let result = try await Executor.run(
      definition, input: try Executor.json(#"{"l": ["aaaaaaaaaaaaaaaaaaaa"]}"#))
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == ["r": []])
  }

  @Test("A hostile filter regex over long values selects exactly the values that match")
  func longValues() async throws {
    let definition = #"""
      {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"r.$": "$.l[?(@ =~ /(a|aa)*(a+)+b/)]"}, "End": true}}}
      """#
    let long = String(repeating: "a", count: 5_000)
    let input: JSON = ["l": [.string(long), .string(long + "b"), "b", "ab"]]
    let result = try await Executor.run(definition, input: input)
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == ["r": [.string(long + "b"), "ab"]])
  }
}
