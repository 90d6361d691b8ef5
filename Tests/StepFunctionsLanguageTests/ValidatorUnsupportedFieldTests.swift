import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

/// The distributed-Map fields AWS accepts and this version cannot run yet.
enum UnsupportedFieldsASL {
  static let itemReader =
    #""ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Bucket": "b", "Key": "items.json"}}"#
  static let itemBatcher = #""ItemBatcher": {"MaxItemsPerBatch": 2}"#

  /// A distributed Map named `S` with the given extra members.
  static func map(_ extra: String) -> String {
    let processor =
      #"{"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#
    return ASL.single(#""Type": "Map", "ItemProcessor": \#(processor), "End": true, \#(extra)"#)
  }
}

@Suite("Validator: fields AWS accepts that cannot run locally yet")
struct ValidatorUnsupportedFieldTests {
  @Test(
    "ItemReader and ItemBatcher each get an UNSUPPORTED_LOCALLY warning at the field, and no error",
    arguments: [
      (
        "ItemReader", UnsupportedFieldsASL.itemReader,
        "reads its items with the ItemReader's resource"
      ),
      (
        "ItemBatcher", UnsupportedFieldsASL.itemBatcher,
        "passes its items to the child workflows in batches"
      ),
    ])
  func warning(field: String, member: String, behavior: String) {
    #expect(
      found(UnsupportedFieldsASL.map(member)) == [
        .warning(
          .unsupportedLocally,
          "'\(field)' is not supported locally yet: a local run fails this Map state with States.Runtime (on AWS it \(behavior))",
          at: "/States/S/\(field)")
      ])
  }

  @Test(
    "The model lists the unsupported fields in a fixed order; the warnings come in document order")
  func modelListsFields() throws {
    let text = UnsupportedFieldsASL.map(
      [UnsupportedFieldsASL.itemBatcher, UnsupportedFieldsASL.itemReader].joined(
        separator: ", "))
    let definition = try StateMachineDefinition(json: text)
    guard case .map(let map) = definition.graph.states.first?.kind else {
      Issue.record("expected a Map state")
      return
    }
    #expect(map.unsupportedFields == [.itemReader, .itemBatcher])
    let report = Validator.validate(text)
    #expect(!report.hasErrors)
    #expect(
      report.warnings.map(\.pointer.description) == [
        "/States/S/ItemBatcher", "/States/S/ItemReader",
      ])
  }

  @Test("A Map without those fields gets no such warning")
  func plainMapHasNoWarning() {
    #expect(found(UnsupportedFieldsASL.map(#""MaxConcurrency": 2"#)) == [])
  }
}
