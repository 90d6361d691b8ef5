import StepFunctionsJSON
import StepFunctionsLanguage

/// A compiled `ItemReader`.
struct ItemReaderPlan: Sendable {
  let resource: TaskResource
  let action: ItemReader.Action
  /// `Parameters` (JSONPath).
  let parameters: PayloadTemplate?
  /// `Arguments` (JSONata).
  let arguments: JSONataPlan?
  let config: ReaderConfig
  let maxItems: DynamicPlan<Int>?
}

/// A compiled `ItemBatcher`.
struct ItemBatcherPlan: Sendable {
  let maxItemsPerBatch: DynamicPlan<Int>?
  let maxInputBytesPerBatch: DynamicPlan<Int>?
  /// `BatchInput` (JSONPath).
  let batchInput: PayloadTemplate?
  /// `BatchInput` (JSONata).
  let jsonataBatchInput: JSONataPlan?
}

extension PlanCompiler {
  static func itemReader(_ reader: ItemReader?) throws(PlanError) -> ItemReaderPlan? {
    guard let reader, let action = reader.action else { return nil }
    return ItemReaderPlan(
      resource: TaskResource(reader.resource), action: action,
      parameters: try reader.parameters.map(PayloadTemplate.compile),
      arguments: reader.arguments.map(JSONataPlan.init), config: reader.readerConfig,
      maxItems: try dynamic(reader.readerConfig.maxItems))
  }

  static func itemBatcher(_ batcher: ItemBatcher?) throws(PlanError) -> ItemBatcherPlan? {
    guard let batcher else { return nil }
    return ItemBatcherPlan(
      maxItemsPerBatch: try dynamic(batcher.maxItemsPerBatch),
      maxInputBytesPerBatch: try dynamic(batcher.maxInputBytesPerBatch),
      batchInput: try batcher.batchInput.map(PayloadTemplate.compile),
      jsonataBatchInput: batcher.compiledBatchInput.map(JSONataPlan.init))
  }
}
