import StepFunctionsJSON
import StepFunctionsLanguage

/// A distributed Map's compiled `ResultWriter`.
struct ResultWriterPlan: Sendable {
  /// `WriterConfig.Transformation`.
  enum Transformation: String, Sendable {
    /// Each child execution's record: ARN, input, output, status, dates.
    case none = "NONE"
    /// Only the outputs of the child executions that succeeded.
    case compact = "COMPACT"
    /// As `COMPACT`, with an output that is an array spliced into the list.
    case flatten = "FLATTEN"
  }

  /// `WriterConfig.OutputType`.
  enum OutputType: String, Sendable {
    /// The file holds one JSON array.
    case json = "JSON"
    /// The file holds one JSON value per line (JSON Lines).
    case jsonLines = "JSONL"
  }

  /// `Resource` (`arn:aws:states:::s3:putObject`); `nil` when the writer only transforms.
  let resource: TaskResource?
  /// `Parameters` of a JSONPath Map state (`Bucket`, `Prefix`).
  let parameters: PayloadTemplate?
  /// `Arguments` of a JSONata Map state.
  let arguments: JSONataPlan?
  let transformation: Transformation
  let outputType: OutputType

  /// Compiles `ResultWriter` (already validated by the loader).
  static func compile(_ map: MapState) throws(PlanError) -> ResultWriterPlan? {
    guard case .object(let writer) = map.resultWriter else { return nil }
    var resource: TaskResource?
    if case .string(let arn) = writer["Resource"] { resource = TaskResource(arn) }
    var transformation: Transformation = resource == nil ? .compact : .none
    var outputType = OutputType.json
    if case .object(let config) = writer["WriterConfig"] {
      if case .string(let text) = config["Transformation"],
        let value = Transformation(rawValue: text)
      {
        transformation = value
      }
      if case .string(let text) = config["OutputType"], let value = OutputType(rawValue: text) {
        outputType = value
      }
    }
    var parameters: PayloadTemplate?
    if map.compiledResultWriterArguments == nil, let value = writer["Parameters"] {
      parameters = try PayloadTemplate.compile(value)
    }
    return ResultWriterPlan(
      resource: resource, parameters: parameters,
      arguments: map.compiledResultWriterArguments.map(JSONataPlan.init),
      transformation: transformation, outputType: outputType)
  }
}
