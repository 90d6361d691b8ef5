import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

/// The distributed-Map fields AWS accepts and this version cannot run yet.
enum UnsupportedFieldsASL {
  static let itemReader =
    #""ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Bucket": "b", "Key": "items.json"}}"#
  static let itemBatcher = #""ItemBatcher": {"MaxItemsPerBatch": 2}"#
  static let resultWriter =
    #""ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix": "out"}}"#

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
    "ResultWriter gets an UNSUPPORTED_LOCALLY warning at the field, and no error",
    arguments: [
      (
        "ResultWriter", UnsupportedFieldsASL.resultWriter,
        "exports its results with the ResultWriter"
      )
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

  @Test("ItemReader and ItemBatcher run locally: the model lists only ResultWriter as unsupported")
  func modelListsFields() throws {
    let text = UnsupportedFieldsASL.map(
      [
        UnsupportedFieldsASL.resultWriter, UnsupportedFieldsASL.itemBatcher,
        UnsupportedFieldsASL.itemReader,
      ].joined(separator: ", "))
    let definition = try StateMachineDefinition(json: text)
    guard case .map(let map) = definition.graph.states.first?.kind else {
      Issue.record("expected a Map state")
      return
    }
    #expect(map.unsupportedFields == [.resultWriter])
    let report = Validator.validate(text)
    #expect(!report.hasErrors)
    #expect(report.warnings.map(\.pointer.description) == ["/States/S/ResultWriter"])
  }

  @Test("A Map without those fields gets no such warning")
  func plainMapHasNoWarning() {
    #expect(found(UnsupportedFieldsASL.map(#""MaxConcurrency": 2"#)) == [])
  }
}
