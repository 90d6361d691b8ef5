import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

@testable import StepFunctionsRuntime

@Suite("Executor: Map fields that cannot run locally yet fail clearly")
struct ExecutorUnsupportedMapFieldTests {
  static let itemReader =
    #""ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Bucket": "b", "Key": "items.json"}}"#
  static let itemBatcher = #""ItemBatcher": {"MaxItemsPerBatch": 2}"#

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
    "A Map with ItemReader or ItemBatcher loads, then fails with States.Runtime naming the field",
    arguments: [
      (itemReader, "ItemReader", "reads its items with the ItemReader's resource"),
      (itemBatcher, "ItemBatcher", "passes its items to the child workflows in batches"),
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

  @Test("Several such fields are all named in one cause")
  func severalFields() async throws {
    let result = try await Executor.run(
      Self.machine([Self.itemBatcher, Self.itemReader].joined(separator: ", ")),
      input: ["items": [1]])
    #expect(result.error == "States.Runtime")
    #expect(
      result.cause
        == "ItemReader and ItemBatcher are not supported locally yet: the Map state 'Fan' cannot run here (on AWS it reads its items with the ItemReader's resource; it passes its items to the child workflows in batches)."
    )
  }

  @Test(
    "Neither a Catch naming States.Runtime nor States.ALL catches the failure",
    arguments: [#""States.Runtime""#, #""States.ALL""#])
  func catchers(errorName: String) async throws {
    let result = try await Executor.run(
      Self.machine(Self.itemBatcher, catching: errorName), input: ["items": [1]])
    #expect(result.status == .failed, "\(result.summary)")
    #expect(result.error == "States.Runtime")
  }
}
