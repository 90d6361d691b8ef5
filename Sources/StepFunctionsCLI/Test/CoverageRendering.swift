import StepFunctions
import StepFunctionsTesting

/// How `sfn test --coverage` shows what the test cases covered.
enum CoverageRendering {
  /// The text section printed after the test cases: per state machine, a table of covered
  /// items per kind with percentages, then the uncovered items named.
  static func text(_ coverages: [Coverage]) -> String {
    coverages.map { "\n" + $0.description }.joined()
  }

  /// Adds the `coverage` object (`{"stateMachines": [...]}`) to the JSON report.
  static func adding(_ coverages: [Coverage], to report: JSON) -> JSON {
    guard case .object(var object) = report else { return report }
    object.append(key: "coverage", value: Coverage.json(coverages))
    return .object(object)
  }
}
