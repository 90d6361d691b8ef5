import StepFunctionsJSON

/// The values `ResultWriter.WriterConfig` accepts, as AWS lists them.
public enum ResultWriterConfig {
  /// The only `ResultWriter.Resource` AWS accepts.
  public static let putObjectResource = "arn:aws:states:::s3:putObject"
  /// `WriterConfig.OutputType` values.
  public static let outputTypes = ["JSON", "JSONL"]
  /// `WriterConfig.Transformation` values.
  public static let transformations = ["NONE", "COMPACT", "FLATTEN"]
}

extension Loader {
  /// Checks a distributed Map's `ResultWriter` (AWS's field combinations: `WriterConfig` alone,
  /// `Resource` with `Parameters`/`Arguments`, or all of them) and keeps it on `map`.
  mutating func loadResultWriter(
    _ reader: FieldReader, language: QueryLanguage, into map: inout MapState
  ) {
    guard let writer = reader.reader(for: "ResultWriter", &sink) else { return }
    let argumentsKey = language == .jsonata ? "Arguments" : "Parameters"
    writer.rejectUnknown(allowed: ["Resource", argumentsKey, "WriterConfig"], &sink)
    if !writer.has("Resource") && !writer.has("WriterConfig") {
      sink.schema("The field 'Resource' is required but was missing", at: writer.pointer)
    }
    if let resource = writer.string("Resource", &sink),
      resource != ResultWriterConfig.putObjectResource
    {
      sink.schema(
        "The value for the field 'Resource' must be \(ResultWriterConfig.putObjectResource)",
        at: writer.pointer.appending("Resource"))
    }
    if writer.has("Resource") && !writer.has(argumentsKey) {
      sink.schema(
        "The field '\(argumentsKey)' is required but was missing", at: writer.pointer)
    }
    if let arguments = writer.raw(argumentsKey) {
      let pointer = writer.pointer.appending(argumentsKey)
      switch language {
      case .jsonPath:
        checkPayloadTemplate(arguments, at: pointer, field: argumentsKey)
      case .jsonata:
        map.compiledResultWriterArguments = jsonataTemplate(arguments, at: pointer, scope: .plain)
      }
    }
    if let config = writer.reader(for: "WriterConfig", &sink) {
      config.rejectUnknown(allowed: ["OutputType", "Transformation"], &sink)
      for (key, allowed) in [
        ("OutputType", ResultWriterConfig.outputTypes),
        ("Transformation", ResultWriterConfig.transformations),
      ] {
        if let value = config.string(key, &sink), !allowed.contains(value) {
          sink.schema(
            "The value for the field '\(key)' must be one of [\(allowed.joined(separator: ", "))]",
            at: config.pointer.appending(key))
        }
      }
    }
    map.resultWriter = reader.raw("ResultWriter")
  }
}
