import StepFunctionsJSON

// `ItemReader` and `ItemBatcher` of a Map state: AWS's fields, their values and the
// combinations AWS refuses (see Docs/DistributedMap.md and Docs/Decisions.md).

extension Loader {
  /// The largest `MaxItems` AWS accepts; a distributed Map reads no more items than this.
  static let maximumReaderItems = 100_000_000

  mutating func loadItemReader(_ reader: FieldReader, language: QueryLanguage) -> ItemReader? {
    guard let itemReader = reader.reader(for: "ItemReader", &sink) else { return nil }
    let pointer = itemReader.pointer
    itemReader.rejectUnknown(
      allowed: ["Resource", "Parameters", "Arguments", "ReaderConfig"], &sink)
    var model = ItemReader(resource: "", readerConfig: ReaderConfig())
    if !itemReader.has("Resource") {
      sink.schema("The field 'Resource' is required but was missing", at: pointer)
    } else if let resource = itemReader.string("Resource", &sink) {
      model.resource = resource
      if ItemReader.action(of: resource) == nil {
        sink.schema(
          "The value for the field 'Resource' of an ItemReader must be arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2",
          at: pointer.appending("Resource"))
      }
    }
    switch language {
    case .jsonPath:
      if itemReader.has("Arguments") {
        sink.schema(
          "The field 'Arguments' is supported only in JSONata; use 'Parameters'", at: pointer)
      }
      if let parameters = itemReader.raw("Parameters") {
        checkPayloadTemplate(parameters, at: pointer.appending("Parameters"), field: "Parameters")
        model.parameters = parameters
      }
    case .jsonata:
      if itemReader.has("Parameters") {
        sink.schema(
          "The field 'Parameters' is supported only in JSONPath; use 'Arguments'", at: pointer)
      }
      if let arguments = itemReader.raw("Arguments") {
        model.arguments = jsonataTemplate(
          arguments, at: pointer.appending("Arguments"), scope: .plain)
      }
    }
    if let config = itemReader.reader(for: "ReaderConfig", &sink) {
      model.readerConfig = loadReaderConfig(config, action: model.action, language: language)
    } else if model.action == .getObject {
      sink.schema("The field 'ReaderConfig' is required but was missing", at: pointer)
    }
    return model
  }

  /// The value of the string field `key` as one of `Value`'s cases; a schema error listing
  /// them (in declaration order) when it is none of them.
  mutating func enumField<Value: RawRepresentable & CaseIterable>(
    _ key: String, _ config: FieldReader
  ) -> Value? where Value.RawValue == String {
    guard let text = config.string(key, &sink) else { return nil }
    if let value = Value(rawValue: text) { return value }
    let names = Value.allCases.map(\.rawValue).joined(separator: ", ")
    sink.schema(
      "The value for the field '\(key)' must be one of [\(names)]",
      at: config.pointer.appending(key))
    return nil
  }

  mutating func loadReaderConfig(
    _ config: FieldReader, action: ItemReader.Action?, language: QueryLanguage
  ) -> ReaderConfig {
    let pointer = config.pointer
    config.rejectUnknown(
      allowed: [
        "InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter", "MaxItems",
        "MaxItemsPath", "ItemsPointer", "ManifestType",
      ], &sink)
    var model = ReaderConfig()
    if config.has("InputType") {
      model.inputType = enumField("InputType", config)
    } else if action == .getObject {
      sink.schema("The field 'InputType' is required but was missing", at: pointer)
    }
    if action == .listObjectsV2, model.inputType != nil {
      sink.schema(
        "The field 'InputType' is not supported with arn:aws:states:::s3:listObjectsV2: the items are the objects listed",
        at: pointer.appending("InputType"))
    }
    let isCSV = model.inputType == .csv
    if config.has("CSVHeaderLocation") {
      if let location: ReaderConfig.CSVHeaderLocation = enumField("CSVHeaderLocation", config) {
        model.csvHeaderLocation = location
      }
      if !isCSV { onlyForCSV("CSVHeaderLocation", config) }
    }
    if let headers = config.array("CSVHeaders", &sink) {
      var names: [String] = []
      for (index, header) in headers.enumerated() {
        guard case .string(let name) = header else {
          sink.schema(
            "The value for the field 'CSVHeaders' must be an ARRAY of STRING",
            at: pointer.appending("CSVHeaders").appending(String(index)))
          continue
        }
        names.append(name)
      }
      if headers.isEmpty {
        sink.schema("The field 'CSVHeaders' must not be empty", at: pointer.appending("CSVHeaders"))
      }
      model.csvHeaders = names
      if model.csvHeaderLocation != .given {
        sink.schema(
          "The field 'CSVHeaders' is supported only with 'CSVHeaderLocation': 'GIVEN'",
          at: pointer.appending("CSVHeaders"))
      }
    } else if model.csvHeaderLocation == .given {
      sink.schema(
        "The field 'CSVHeaders' is required when 'CSVHeaderLocation' is 'GIVEN'", at: pointer)
    }
    if config.has("CSVDelimiter") {
      if let delimiter: ReaderConfig.CSVDelimiter = enumField("CSVDelimiter", config) {
        model.csvDelimiter = delimiter
      }
      if !isCSV { onlyForCSV("CSVDelimiter", config) }
    }
    if language == .jsonata, config.has("MaxItemsPath") {
      sink.schema(
        "The field 'MaxItemsPath' is supported only in JSONPath; use 'MaxItems' with a JSONata expression",
        at: pointer)
    }
    model.maxItems = dynamicInteger(
      "MaxItems", pathKey: language == .jsonPath ? "MaxItemsPath" : nil, config,
      language: language, range: 0...Self.maximumReaderItems)
    if let text = config.string("ItemsPointer", &sink) {
      if let parsed = JSONPointer(parsing: text) {
        model.itemsPointer = parsed
      } else {
        sink.schema(
          "The value for the field 'ItemsPointer' must be a JSON Pointer (such as /items)",
          at: pointer.appending("ItemsPointer"))
      }
      if model.inputType != .json {
        sink.schema(
          "The field 'ItemsPointer' is supported only with 'InputType': 'JSON'",
          at: pointer.appending("ItemsPointer"))
      }
    }
    if let text = config.string("ManifestType", &sink) {
      if let type = ReaderConfig.ManifestType(rawValue: text) {
        model.manifestType = type
        switch type {
        case .s3Inventory:
          if model.inputType != .manifest {
            sink.schema(
              "'ManifestType': 'S3_INVENTORY' requires 'InputType': 'MANIFEST'",
              at: pointer.appending("ManifestType"))
          }
        case .athenaData:
          sink.warning(
            .unsupportedLocally,
            "'ManifestType': 'ATHENA_DATA' is not supported locally: a local run fails this Map state with States.ItemReaderFailed (on AWS it reads the data files an Athena UNLOAD manifest lists)",
            at: pointer.appending("ManifestType"))
        }
      } else {
        sink.schema(
          "The value for the field 'ManifestType' must be one of [ATHENA_DATA, S3_INVENTORY]",
          at: pointer.appending("ManifestType"))
      }
    }
    if model.inputType == .parquet {
      sink.warning(
        .unsupportedLocally,
        "'InputType': 'PARQUET' is not supported locally: a local run fails this Map state with States.ItemReaderFailed (on AWS it reads the rows of the Parquet file)",
        at: pointer.appending("InputType"))
    }
    return model
  }

  private mutating func onlyForCSV(_ key: String, _ config: FieldReader) {
    sink.schema(
      "The field '\(key)' is supported only with 'InputType': 'CSV'",
      at: config.pointer.appending(key))
  }

  mutating func loadItemBatcher(_ reader: FieldReader, language: QueryLanguage) -> ItemBatcher? {
    guard let batcher = reader.reader(for: "ItemBatcher", &sink) else { return nil }
    let pointer = batcher.pointer
    batcher.rejectUnknown(
      allowed: [
        "MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch",
        "MaxInputBytesPerBatchPath", "BatchInput",
      ],
      &sink)
    var model = ItemBatcher()
    if language == .jsonata {
      for key in ["MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"] where batcher.has(key) {
        sink.schema(
          "The field '\(key)' is supported only in JSONPath; use '\(key.dropLast(4))' with a JSONata expression",
          at: pointer)
      }
    }
    let pathSuffix = language == .jsonPath
    model.maxItemsPerBatch = dynamicInteger(
      "MaxItemsPerBatch", pathKey: pathSuffix ? "MaxItemsPerBatchPath" : nil, batcher,
      language: language, range: 1...Self.maximumReaderItems)
    model.maxInputBytesPerBatch = dynamicInteger(
      "MaxInputBytesPerBatch", pathKey: pathSuffix ? "MaxInputBytesPerBatchPath" : nil, batcher,
      language: language, range: 1...ItemBatcher.maximumBytes)
    let limits = [
      "MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch",
      "MaxInputBytesPerBatchPath",
    ]
    if !limits.contains(where: batcher.has) {
      sink.schema(
        "An ItemBatcher needs at least one of 'MaxItemsPerBatch', 'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch' or 'MaxInputBytesPerBatchPath'",
        at: pointer)
    }
    if let input = batcher.raw("BatchInput") {
      switch language {
      case .jsonPath:
        checkPayloadTemplate(input, at: pointer.appending("BatchInput"), field: "BatchInput")
        model.batchInput = input
      case .jsonata:
        model.compiledBatchInput = jsonataTemplate(
          input, at: pointer.appending("BatchInput"), scope: .plain)
      }
    }
    return model
  }
}
