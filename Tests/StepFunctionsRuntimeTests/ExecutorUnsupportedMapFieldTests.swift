import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

@testable import StepFunctionsRuntime

@Suite("Executor: Map fields that cannot run locally yet fail clearly")
struct ExecutorUnsupportedMapFieldTests {
  static let resultWriter =
    #""ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix": "out"}}"#

  /// A Pass state, then a distributed Map named `Fan` over `$.items` with the extra members;
  /// with `catching`, a Catch for those errors leads to `Handled`.
  static func machine(_ extra: String, catching errors: String? = nil) -> String {
    let catcher =
      errors.map {
        #", "Catch": [{"ErrorEquals": [\#($0)], "ResultPath": "$.error", "Next": "Handled"}]"#
      }
      ?? ""
    let handled = errors == nil ? "" : #""Handled": {"Type": "Pass", "End": true},"#
    return #"""
      {"StartAt": "Start", "States": {
        "Start": {"Type": "Pass", "Next": "Fan"}, \#(handled)
        "Fan": {"Type": "Map", "ItemsPath": "$.items", "End": true, \#(extra)\#(catcher),
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true}}}}}}
      """#
  }

  @Test(
    "A Map with ResultWriter loads, then fails with States.Runtime naming the field",
    arguments: [
      (resultWriter, "ResultWriter", "exports its results with the ResultWriter")
    ])
  func oneField(member: String, field: String, behavior: String) async throws {
    let result = try await Executor.run(Self.machine(member), input: ["items": [1, 2, 3]])
    #expect(result.status == .failed)
    #expect(result.error == "States.Runtime")
    #expect(
      result.cause
        == "\(field) is not supported locally yet: the Map state 'Fan' cannot run here (on AWS it \(behavior))."
    )
    #expect(
      result.eventTypes == [
        "ExecutionStarted", "PassStateEntered", "PassStateExited", "MapStateEntered",
        "ExecutionFailed",
      ])
  }

  @Test(
    "Neither a Catch naming States.Runtime nor States.ALL catches the failure",
    arguments: [#""States.Runtime""#, #""States.ALL""#])
  func catchers(errorName: String) async throws {
    let result = try await Executor.run(
      Self.machine(Self.resultWriter, catching: errorName), input: ["items": [1]])
    #expect(result.status == .failed, "\(result.summary)")
    #expect(result.error == "States.Runtime")
  }
}
