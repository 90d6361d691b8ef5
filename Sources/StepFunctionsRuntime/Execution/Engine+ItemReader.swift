import StepFunctionsJSON
import StepFunctionsLanguage

// A distributed Map's `ItemReader` and `ItemBatcher`: the reader calls the handler registered
// for its `Resource` (no Task events: AWS writes none for it) and parses the response as its
// `ReaderConfig` says; the batcher groups the (selected) items into `{"BatchInput", "Items"}`.

/// What a Map state's `ItemReader` and `ItemBatcher` need, evaluated from the state's input
/// before the Map Run starts (a path that gives no integer is a `States.Runtime` error there).
struct ItemSourceSettings {
  /// The reader's request (`Parameters` or `Arguments` evaluated).
  var readerParameters: JSON = .null
  /// `MaxItems`, as given (validated when the Map Run reads).
  var maxItems: Int?
  /// `MaxItemsPerBatch`, as given.
  var maxItemsPerBatch: Int?
  /// `MaxInputBytesPerBatch`, as given.
  var maxInputBytesPerBatch: Int?
  /// `BatchInput`, evaluated.
  var batchInput: JSON?
}

extension Engine {
  /// Evaluates what the reader and batcher of `plan` take from the state input.
  func itemSourceSettings(_ fiber: Fiber, _ plan: MapPlan, effective: JSON) throws(StatesError)
    -> ItemSourceSettings
  {
    var settings = ItemSourceSettings()
    if let reader = plan.reader {
      if let arguments = reader.arguments {
        settings.readerParameters = try evaluateJSONata(arguments, fiber: fiber, input: effective)
      } else if let template = reader.parameters {
        settings.readerParameters = try evaluatePayload(template, current: effective, fiber: fiber)
      } else {
        settings.readerParameters = .object(JSONObject())
      }
      settings.maxItems = try mapInteger(
        reader.maxItems, field: "MaxItemsPath", input: effective, fiber: fiber)
    }
    if let batcher = plan.batcher {
      settings.maxItemsPerBatch = try mapInteger(
        batcher.maxItemsPerBatch, field: "MaxItemsPerBatchPath", input: effective, fiber: fiber)
      settings.maxInputBytesPerBatch = try mapInteger(
        batcher.maxInputBytesPerBatch, field: "MaxInputBytesPerBatchPath", input: effective,
        fiber: fiber)
      if let template = batcher.jsonataBatchInput {
        settings.batchInput = try evaluateJSONata(template, fiber: fiber, input: effective)
      } else if let template = batcher.batchInput {
        settings.batchInput = try evaluatePayload(template, current: effective, fiber: fiber)
      }
    }
    return settings
  }

  /// The inputs of the Map Run's iterations: the reader's items (or `inputItems`), and, with an
  /// `ItemBatcher`, each item passed through `ItemSelector` and the results batched. A failure
  /// is the error that fails the Map Run (`States.ItemReaderFailed` for the reader and batcher).
  nonisolated(nonsending) func mapRunInputs(
    _ fiber: Fiber, _ state: StatePlan, _ plan: MapPlan, settings: ItemSourceSettings,
    inputItems: [JSON], effective: JSON
  ) async -> Result<[JSON], StatesError> {
    var items = inputItems
    if let reader = plan.reader {
      do throws(ItemReaderFailure) {
        items = try await readItems(
          reader, parameters: settings.readerParameters, maxItems: settings.maxItems,
          state: state, fiber: fiber)
      } catch {
        return .failure(StatesError(StatesError.Names.itemReaderFailed, cause: error.cause))
      }
    }
    guard plan.batcher != nil else { return .success(items) }
    // ItemSelector shapes each item before it joins a batch.
    if plan.itemSelector != nil || plan.jsonataItemSelector != nil {
      var selected: [JSON] = []
      selected.reserveCapacity(items.count)
      for (index, item) in items.enumerated() {
        do throws(StatesError) {
          selected.append(
            try selectItem(plan, index: index, item: item, fiber: fiber, effective: effective)
              ?? item)
        } catch {
          return .failure(error)
        }
      }
      items = selected
    }
    if let count = settings.maxItemsPerBatch, count < 1 {
      return .failure(
        StatesError(
          StatesError.Names.itemReaderFailed, cause: "field MaxItemsPerBatch must be positive"))
    }
    if let bytes = settings.maxInputBytesPerBatch, bytes < 1 || bytes > ItemBatcher.maximumBytes {
      return .failure(
        StatesError(
          StatesError.Names.itemReaderFailed,
          cause: "field MaxInputBytesPerBatch must be between 1 and \(ItemBatcher.maximumBytes)"))
    }
    do throws(ItemReaderFailure) {
      return .success(
        try ItemReaderParsing.batches(
          items, maxItems: settings.maxItemsPerBatch,
          maxBytes: settings.maxInputBytesPerBatch ?? ItemBatcher.maximumBytes,
          batchInput: settings.batchInput))
    } catch {
      return .failure(StatesError(StatesError.Names.itemReaderFailed, cause: error.cause))
    }
  }

  /// Reads the items of `reader`: at most `maxItems` (0 or `nil`: no limit but AWS's
  /// 100,000,000).
  nonisolated(nonsending) func readItems(
    _ reader: ItemReaderPlan, parameters: JSON, maxItems: Int?, state: StatePlan, fiber: Fiber
  ) async throws(ItemReaderFailure) -> [JSON] {
    if let maxItems, maxItems < 0 { throw ItemReaderFailure("field MaxItems must be positive") }
    let limit =
      maxItems.map {
        $0 == 0 ? ItemReaderLimits.maximumItems : min($0, ItemReaderLimits.maximumItems)
      }
      ?? ItemReaderLimits.maximumItems
    let config = reader.config
    switch reader.action {
    case .listObjectsV2:
      return try await listObjects(reader, parameters: parameters, limit: limit, fiber: fiber)
    case .getObject:
      if config.inputType == .parquet {
        throw ItemReaderFailure(
          "InputType PARQUET is not supported locally: this runtime cannot read Parquet files (convert the data to CSV or JSON Lines to test it here)."
        )
      }
      if config.manifestType == .athenaData {
        throw ItemReaderFailure(
          "ManifestType ATHENA_DATA is not supported locally: this runtime cannot read Athena UNLOAD manifests."
        )
      }
      let text = try await objectText(reader.resource, parameters: parameters, fiber: fiber)
      switch config.inputType {
      case .json:
        return try ItemReaderParsing.jsonItems(text, pointer: config.itemsPointer, limit: limit)
      case .jsonl:
        return try ItemReaderParsing.jsonLinesItems(text, limit: limit)
      case .csv:
        return try ItemReaderParsing.csvItems(text, config: config, limit: limit)
      case .manifest:
        return try await inventoryItems(
          reader.resource, manifest: text, limit: limit, fiber: fiber)
      case .parquet, nil:
        throw ItemReaderFailure("The ItemReader's ReaderConfig has no InputType.")
      }
    }
  }

  /// The rows of the CSV data files an S3 inventory manifest lists.
  nonisolated(nonsending) func inventoryItems(
    _ resource: TaskResource, manifest text: String, limit: Int, fiber: Fiber
  )
    async throws(ItemReaderFailure) -> [JSON]
  {
    let manifest = try ItemReaderParsing.inventoryManifest(text)
    var items: [JSON] = []
    for key in manifest.keys where items.count < limit {
      let name = "s3://\(manifest.bucket)/\(key)"
      let (text, bytes) = try await objectContent(
        resource, parameters: ["Bucket": .string(manifest.bucket), "Key": .string(key)],
        fiber: fiber)
      var data = text
      if let bytes, Gzip.isGzip(bytes) {
        // S3 Inventory writes its CSV data files gzip-compressed (`.csv.gz`).
        do throws(Gzip.DecodingError) {
          let content = try Gzip.decompress(
            bytes, maximumBytes: ItemReaderLimits.maximumObjectBytes)
          data = String(decoding: content, as: UTF8.self)
        } catch {
          throw ItemReaderFailure(
            "The inventory data file \(name) cannot be decompressed: \(error).")
        }
      } else if ItemReaderParsing.looksCompressed(data) {
        throw ItemReaderFailure(
          "The inventory data file \(name) is gzip-compressed, but the s3:getObject handler returned it only as text (Body), which cannot hold its bytes: return them base64-encoded in BodyBase64, as MediaTasks' S3 does."
        )
      }
      let records = try ItemReaderParsing.csvRecords(
        data, delimiter: ",", limit: limit - items.count)
      items += try ItemReaderParsing.rows(records, headers: manifest.columns)
    }
    return items
  }

  /// The objects a `listObjectsV2` reader lists, page after page while `IsTruncated`.
  nonisolated(nonsending) func listObjects(
    _ reader: ItemReaderPlan, parameters: JSON, limit: Int, fiber: Fiber
  )
    async throws(ItemReaderFailure) -> [JSON]
  {
    var items: [JSON] = []
    var token: String?
    var seenTokens: Set<String> = []
    var emptyPages = 0
    while items.count < limit {
      var request = parameters
      if let token, case .object(var object) = request {
        object["ContinuationToken"] = .string(token)
        request = .object(object)
      }
      let page = try await callReader(reader.resource, parameters: request, fiber: fiber)
      var listed = 0
      if case .array(let contents) = page["Contents"] ?? .null {
        for entry in contents where items.count < limit {
          items.append(ItemReaderParsing.listedObject(entry))
          listed += 1
        }
      }
      emptyPages = listed == 0 ? emptyPages + 1 : 0
      guard page["IsTruncated"] == .bool(true) else { break }
      guard case .string(let next) = page["NextContinuationToken"] ?? .null else {
        throw ItemReaderFailure(
          "The s3:listObjectsV2 response is truncated (IsTruncated) but has no NextContinuationToken."
        )
      }
      guard seenTokens.insert(next).inserted, emptyPages < ItemReaderLimits.maximumEmptyPages
      else {
        throw ItemReaderFailure(
          "The s3:listObjectsV2 responses do not progress (continuation token '\(next)' repeats, or \(emptyPages) pages in a row list no object)."
        )
      }
      token = next
    }
    return items
  }

  /// The text of the object `parameters` name: the `Body` of the handler's GetObject response,
  /// refused when it (or its `ContentLength`) exceeds ``ItemReaderLimits/maximumObjectBytes``.
  nonisolated(nonsending) func objectText(_ resource: TaskResource, parameters: JSON, fiber: Fiber)
    async throws(ItemReaderFailure) -> String
  {
    try await objectContent(resource, parameters: parameters, fiber: fiber).text
  }

  /// The text of the object `parameters` name, and its exact bytes when the handler gives them
  /// (`BodyBase64`: a binary object, such as a gzip-compressed inventory data file); refused
  /// when it (or its `ContentLength`) exceeds ``ItemReaderLimits/maximumObjectBytes``.
  nonisolated(nonsending) func objectContent(
    _ resource: TaskResource, parameters: JSON, fiber: Fiber
  )
    async throws(ItemReaderFailure) -> (text: String, bytes: [UInt8]?)
  {
    let response = try await callReader(resource, parameters: parameters, fiber: fiber)
    let name = Self.objectName(parameters)
    let maximum = ItemReaderLimits.maximumObjectBytes
    if case .number(let length) = response["ContentLength"] ?? .null,
      length.doubleValue > Double(maximum)
    {
      throw ItemReaderFailure(
        "The object \(name) is \(length) bytes (ContentLength): more than the \(maximum) bytes an ItemReader reads locally."
      )
    }
    if case .string(let encoded) = response["BodyBase64"] ?? .null {
      guard encoded.utf8.count / 4 * 3 <= maximum + 3 else {
        throw ItemReaderFailure(
          "The object \(name) is more than the \(maximum) bytes an ItemReader reads locally.")
      }
      guard let bytes = Base64.decode(encoded) else {
        throw ItemReaderFailure(
          "The s3:getObject response for \(name) has a BodyBase64 that is not valid base64.")
      }
      return (String(decoding: bytes, as: UTF8.self), bytes)
    }
    guard case .string(let body) = response["Body"] ?? .null else {
      throw ItemReaderFailure(
        "The s3:getObject response for \(name) has no Body text: the handler must return the object's content as a string in Body."
      )
    }
    if body.utf8.count > maximum {
      throw ItemReaderFailure(
        "The object \(name) is \(body.utf8.count) bytes: more than the \(maximum) bytes an ItemReader reads locally."
      )
    }
    return (body, nil)
  }

  /// `s3://bucket/key` for a request.
  static func objectName(_ parameters: JSON) -> String {
    "s3://\(parameters["Bucket"]?.stringValue ?? "")/\(parameters["Key"]?.stringValue ?? "")"
  }

  /// Calls the handler registered for the reader's resource. No history event is written.
  nonisolated(nonsending) func callReader(_ resource: TaskResource, parameters: JSON, fiber: Fiber)
    async throws(ItemReaderFailure) -> JSON
  {
    guard let handler = options.handlers.handler(for: resource) else {
      throw ItemReaderFailure(
        "No task handler is registered for the ItemReader resource '\(resource.arn)'. Register one (for example MediaTasks' S3 handler) with TaskHandlerRegistry.register(_:forIntegration: \"\(resource.registrationKey)\")."
      )
    }
    let request = TaskRequest(
      resource: resource, parameters: parameters, stateName: fiber.state.name, attempt: 0,
      taskToken: nil, executionArn: executionArn, timeoutSeconds: nil, heartbeatSeconds: nil,
      scopes: scopes(of: fiber))
    do {
      return try await handler.invoke(
        request, context: TaskContext(start: now, isVirtual: isVirtual))
    } catch let failure as TaskFailure {
      throw ItemReaderFailure(
        failure.cause.isEmpty ? failure.error : "\(failure.error): \(failure.cause)")
    } catch let failure as StatesError {
      throw ItemReaderFailure(
        failure.cause.isEmpty ? failure.name : "\(failure.name): \(failure.cause)")
    } catch {
      throw ItemReaderFailure(String(describing: error))
    }
  }
}
