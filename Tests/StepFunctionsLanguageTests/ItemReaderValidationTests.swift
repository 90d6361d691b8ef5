import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

/// A distributed Map named `S` with the given extra members, in `language`.
private func readerMap(_ extra: String, language: QueryLanguage? = nil) -> String {
  let processor =
    #"{"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "M", "States": {"M": {"Type": "Pass", "End": true}}}"#
  return ASL.single(
    #""Type": "Map", "ItemProcessor": \#(processor), "End": true, \#(extra)"#, language: language)
}

/// An `ItemReader` member calling `s3:getObject` with this `ReaderConfig` (object text).
private func getObject(_ config: String) -> String {
  #""ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b", "Key": "k"}, "ReaderConfig": \#(config)}"#
}

private let configPointer = "/States/S/ItemReader/ReaderConfig"

@Suite("Validator: ItemReader and ItemBatcher")
struct ItemReaderValidationTests {
  @Test(
    "Every InputType, header location and delimiter AWS lists is accepted and loaded",
    arguments: ReaderConfig.CSVDelimiter.allCases)
  func csvConfig(delimiter: ReaderConfig.CSVDelimiter) throws {
    let text = readerMap(
      getObject(
        #"{"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a", "b"], "CSVDelimiter": "\#(delimiter.rawValue)", "MaxItems": 10}"#
      ))
    #expect(found(text) == [])
    let definition = try StateMachineDefinition(json: text)
    guard case .map(let map) = definition.graph.states.first?.kind,
      let reader = map.itemReader
    else {
      Issue.record("expected a Map with an ItemReader")
      return
    }
    #expect(reader.action == .getObject)
    #expect(reader.readerConfig.inputType == .csv)
    #expect(reader.readerConfig.csvHeaderLocation == .given)
    #expect(reader.readerConfig.csvHeaders == ["a", "b"])
    #expect(reader.readerConfig.csvDelimiter == delimiter)
    #expect(reader.readerConfig.maxItems == .literal(10))
  }

  @Test(
    "JSON, JSONL and MANIFEST input types and a listObjectsV2 reader validate without diagnostics",
    arguments: [
      getObject(#"{"InputType": "JSON", "ItemsPointer": "/items"}"#),
      getObject(#"{"InputType": "JSONL", "MaxItemsPath": "$.max"}"#),
      getObject(#"{"InputType": "MANIFEST", "ManifestType": "S3_INVENTORY"}"#),
      #""ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b", "Prefix": "p/"}, "ReaderConfig": {}}"#,
      #""ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket.$": "$.bucket"}}"#,
    ])
  func acceptedReaders(member: String) {
    #expect(found(readerMap(member)) == [])
  }

  @Test("Bad combinations and values are schema errors at the field")
  func badCombinations() {
    #expect(
      errors(readerMap(getObject(#"{"InputType": "CSV", "CSVHeaderLocation": "GIVEN"}"#))) == [
        .schema(
          "The field 'CSVHeaders' is required when 'CSVHeaderLocation' is 'GIVEN'",
          at: configPointer)
      ])
    #expect(
      errors(readerMap(getObject(#"{"InputType": "XML"}"#))) == [
        .schema(
          "The value for the field 'InputType' must be one of [CSV, JSON, JSONL, MANIFEST, PARQUET]",
          at: configPointer + "/InputType")
      ])
    #expect(
      errors(readerMap(getObject(#"{"InputType": "JSON", "MaxItems": 1, "MaxItemsPath": "$.m"}"#)))
        == [
          .schema(
            "The fields 'MaxItems' and 'MaxItemsPath' are mutually exclusive", at: configPointer)
        ])
    #expect(
      errors(readerMap(getObject(#"{"InputType": "CSV", "CSVDelimiter": "COLON"}"#))) == [
        .schema(
          "The value for the field 'CSVDelimiter' must be one of [COMMA, PIPE, SEMICOLON, SPACE, TAB]",
          at: configPointer + "/CSVDelimiter")
      ])
    #expect(
      errors(readerMap(getObject(#"{"InputType": "JSON", "CSVDelimiter": "PIPE"}"#))) == [
        .schema(
          "The field 'CSVDelimiter' is supported only with 'InputType': 'CSV'",
          at: configPointer + "/CSVDelimiter")
      ])
    #expect(
      errors(
        readerMap(
          getObject(
            #"{"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "CSVHeaders": ["a"]}"#))) == [
          .schema(
            "The field 'CSVHeaders' is supported only with 'CSVHeaderLocation': 'GIVEN'",
            at: configPointer + "/CSVHeaders")
        ])
    #expect(
      errors(readerMap(getObject(#"{"InputType": "CSV", "ItemsPointer": "/a"}"#))) == [
        .schema(
          "The field 'ItemsPointer' is supported only with 'InputType': 'JSON'",
          at: configPointer + "/ItemsPointer")
      ])
    #expect(
      errors(readerMap(getObject(#"{"InputType": "JSON", "MaxItems": 100000001}"#))) == [
        .schema("Maximum value is 100000000", at: configPointer + "/MaxItems")
      ])
    #expect(
      errors(readerMap(getObject(#"{"InputType": "JSON", "MaxItems": -1}"#))) == [
        .schema("Minimum value is 0", at: configPointer + "/MaxItems")
      ])
  }

  @Test("A getObject reader needs a ReaderConfig with an InputType; listObjectsV2 takes none")
  func inputTypeRequirements() {
    #expect(
      errors(
        readerMap(
          #""ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b", "Key": "k"}}"#
        )) == [
          .schema(
            "The field 'ReaderConfig' is required but was missing", at: "/States/S/ItemReader")
        ])
    #expect(
      errors(readerMap(getObject("{}"))) == [
        .schema("The field 'InputType' is required but was missing", at: configPointer)
      ])
    #expect(
      errors(
        readerMap(
          #""ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b"}, "ReaderConfig": {"InputType": "CSV"}}"#
        )) == [
          .schema(
            "The field 'InputType' is not supported with arn:aws:states:::s3:listObjectsV2: the items are the objects listed",
            at: configPointer + "/InputType")
        ])
    #expect(
      errors(
        readerMap(
          #""ItemReader": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b"}}"#
        )) == [
          .schema(
            "The value for the field 'Resource' of an ItemReader must be arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2",
            at: "/States/S/ItemReader/Resource")
        ])
  }

  @Test(
    "PARQUET and ATHENA_DATA validate (AWS runs them) with an UNSUPPORTED_LOCALLY warning at the field"
  )
  func unsupportedLocally() {
    #expect(
      found(readerMap(getObject(#"{"InputType": "PARQUET"}"#))) == [
        .warning(
          .unsupportedLocally,
          "'InputType': 'PARQUET' is not supported locally: a local run fails this Map state with States.ItemReaderFailed (on AWS it reads the rows of the Parquet file)",
          at: configPointer + "/InputType")
      ])
    #expect(
      found(readerMap(getObject(#"{"InputType": "CSV", "ManifestType": "ATHENA_DATA"}"#))) == [
        .warning(
          .unsupportedLocally,
          "'ManifestType': 'ATHENA_DATA' is not supported locally: a local run fails this Map state with States.ItemReaderFailed (on AWS it reads the data files an Athena UNLOAD manifest lists)",
          at: configPointer + "/ManifestType")
      ])
  }

  @Test("JSONata readers take Arguments and expressions; JSONPath-only fields are refused")
  func jsonata() {
    let arguments =
      #""ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Arguments": {"Bucket": "{% $states.input.b %}", "Key": "k"}, "ReaderConfig": {"InputType": "JSON", "MaxItems": "{% 2 %}"}}"#
    #expect(found(readerMap(arguments, language: .jsonata)) == [])
    let parameters =
      #""ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b"}, "ReaderConfig": {"InputType": "JSON", "MaxItemsPath": "$.m"}}"#
    #expect(
      errors(readerMap(parameters, language: .jsonata)) == [
        .schema(
          "The field 'Parameters' is supported only in JSONPath; use 'Arguments'",
          at: "/States/S/ItemReader"),
        .schema(
          "The field 'MaxItemsPath' is supported only in JSONPath; use 'MaxItems' with a JSONata expression",
          at: configPointer),
      ])
    #expect(
      found(
        readerMap(
          #""ItemBatcher": {"MaxItemsPerBatch": "{% 2 %}", "BatchInput": {"t": "{% $states.context.Execution.Name %}"}}"#,
          language: .jsonata)) == [])
  }

  @Test("An ItemBatcher needs a limit, within AWS's ranges")
  func batcherLimits() {
    let pointer = "/States/S/ItemBatcher"
    #expect(
      errors(readerMap(#""ItemBatcher": {"BatchInput": {"a": 1}}"#)) == [
        .schema(
          "An ItemBatcher needs at least one of 'MaxItemsPerBatch', 'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch' or 'MaxInputBytesPerBatchPath'",
          at: pointer)
      ])
    #expect(
      errors(readerMap(#""ItemBatcher": {"MaxInputBytesPerBatch": 262145}"#)) == [
        .schema("Maximum value is 262144", at: pointer + "/MaxInputBytesPerBatch")
      ])
    #expect(
      errors(readerMap(#""ItemBatcher": {"MaxItemsPerBatch": 0}"#)) == [
        .schema("Minimum value is 1", at: pointer + "/MaxItemsPerBatch")
      ])
    #expect(
      found(
        readerMap(
          #""ItemBatcher": {"MaxItemsPerBatchPath": "$.n", "MaxInputBytesPerBatch": 1024, "BatchInput": {"k.$": "$.k"}}"#
        )) == [])
  }
}
