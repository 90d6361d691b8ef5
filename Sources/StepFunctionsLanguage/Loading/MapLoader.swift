import StepFunctionsJSON

extension Loader {
  mutating func loadMap(_ reader: FieldReader, language: QueryLanguage, depth: Int) -> MapState? {
    let pointer = reader.pointer
    reader.exclusive("ItemProcessor", "Iterator", &sink)
    reader.exclusive("ItemSelector", "Parameters", &sink)
    reader.exclusive("Items", "ItemsPath", &sink)
    let processorKey = reader.has("ItemProcessor") ? "ItemProcessor" : "Iterator"
    guard reader.has(processorKey) else {
      sink.schema("The field 'ItemProcessor' is required but was missing", at: pointer)
      return nil
    }
    guard let processorReader = reader.reader(for: processorKey, &sink) else { return nil }
    var mode = MapState.ProcessorMode.inline
    var executionType: String?
    if let config = processorReader.reader(for: "ProcessorConfig", &sink) {
      config.rejectUnknown(allowed: ["Mode", "ExecutionType"], &sink)
      if let text = config.string("Mode", &sink) {
        if let parsed = MapState.ProcessorMode(rawValue: text) {
          mode = parsed
        } else {
          sink.schema(
            "The value for the field 'Mode' must be one of [INLINE, DISTRIBUTED]",
            at: config.pointer.appending("Mode"))
        }
      }
      executionType = config.string("ExecutionType", &sink)
      if let type = executionType, type != "STANDARD", type != "EXPRESS" {
        sink.schema(
          "The value for the field 'ExecutionType' must be one of [STANDARD, EXPRESS]",
          at: config.pointer.appending("ExecutionType"))
      }
      if mode == .distributed && executionType == nil {
        sink.schema("The field 'ExecutionType' is required but was missing", at: config.pointer)
      }
    }
    let processorReaderWithoutLanguage = processorReader
    guard
      let processor = loadGraph(processorReaderWithoutLanguage, kind: .processor, depth: depth + 1)
    else {
      return nil
    }
    var map = MapState(processor: processor, mode: mode, executionType: executionType)

    if language == .jsonPath, reader.has("ItemsPath") {
      if reader.raw("ItemsPath") == .null {
        sink.schema(
          "The value for the field 'ItemsPath' must be a STRING", at: pointer.appending("ItemsPath")
        )
      } else {
        map.itemsPath = path("ItemsPath", reader, reference: true)
      }
    }
    if let items = reader.raw("Items") {
      switch items {
      case .array:
        map.compiledItems = jsonataTemplate(items, at: pointer.appending("Items"), scope: .plain)
      case .string(let text) where ExpressionSyntax.jsonataExpression(text) != nil:
        map.compiledItems = jsonataTemplate(items, at: pointer.appending("Items"), scope: .plain)
      default:
        sink.schema(
          "The value for the field 'Items' must be an ARRAY or a JSONata expression",
          at: pointer.appending("Items"))
      }
      map.items = items
    }
    let selectorKey = reader.has("ItemSelector") ? "ItemSelector" : "Parameters"
    if let selector = reader.raw(selectorKey) {
      switch language {
      case .jsonPath:
        checkPayloadTemplate(selector, at: pointer.appending(selectorKey), field: selectorKey)
      case .jsonata:
        map.compiledItemSelector = jsonataTemplate(
          selector, at: pointer.appending(selectorKey), scope: .plain)
      }
      map.itemSelector = selector
    }
    map.itemReader = loadItemReader(reader, language: language)
    map.itemBatcher = loadItemBatcher(reader, language: language)
    loadResultWriter(reader, language: language, into: &map)
    let pathSuffix = language == .jsonPath
    map.maxConcurrency = dynamicInteger(
      "MaxConcurrency", pathKey: pathSuffix ? "MaxConcurrencyPath" : nil, reader,
      language: language, range: 0...99_999_999)
    map.toleratedFailureCount = dynamicInteger(
      "ToleratedFailureCount", pathKey: pathSuffix ? "ToleratedFailureCountPath" : nil, reader,
      language: language,
      range: 0...99_999_999)
    map.toleratedFailurePercentage = toleratedPercentage(reader, language: language)
    if let label = reader.string("Label", &sink) {
      if let message = MapLabel.problem(label) {
        sink.schema(message, at: pointer.appending("Label"))
      }
      map.label = label
    }
    return map
  }

  mutating func toleratedPercentage(_ reader: FieldReader, language: QueryLanguage) -> DynamicValue<
    Double
  >? {
    let key = "ToleratedFailurePercentage"
    if language == .jsonPath {
      reader.exclusive(key, key + "Path", &sink)
      if reader.has(key + "Path"), let path = path(key + "Path", reader, reference: true) {
        return .path(path)
      }
    }
    guard let value = reader.raw(key) else { return nil }
    if language == .jsonata, case .string(let text) = value,
      ExpressionSyntax.jsonataExpression(text) != nil
    {
      return embeddedJSONata(text, at: reader.pointer.appending(key), scope: .plain)
        .map { .expression($0) }
    }
    guard let number = reader.number(key, &sink) else { return nil }
    guard number.doubleValue >= 0, number.doubleValue <= 100 else {
      sink.schema(
        "The value for the field '\(key)' must be between 0 and 100",
        at: reader.pointer.appending(key))
      return nil
    }
    return .literal(number.doubleValue)
  }
}

/// The rules for a Map state's `Label`.
enum MapLabel {
  static let forbidden: Set<Character> = [
    " ", ";", "<", ">", "?", "[", "\\", "]", "^", "`", "{", "}", "\"", "|", "~", "#", "$", "%", "&",
    "*", ",", ":",
  ]

  static func problem(_ label: String) -> String? {
    if label.isEmpty { return "Label cannot be empty" }
    if label.count > 40 { return "Label cannot exceed 40 characters" }
    for scalar in label.unicodeScalars {
      let value = scalar.value
      if value < 0x20 || (value >= 0x7F && value <= 0x9F) || forbidden.contains(Character(scalar)) {
        return "Label contains invalid character: '\(scalar.escaped(asASCII: true))'"
      }
    }
    return nil
  }
}
