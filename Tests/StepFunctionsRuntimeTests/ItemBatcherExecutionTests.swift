import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

@testable import StepFunctionsRuntime

/// A distributed Map over `$.items` with `batcher` (an ItemBatcher object text) and the extra
/// members; each iteration returns its input.
private func batchMachine(_ batcher: String, extra: String = "") -> String {
  #"""
  {"StartAt": "Fan", "States": {
    "Fan": {"Type": "Map", "End": true, "ItemsPath": "$.items", "ItemBatcher": \#(batcher)\#(extra.isEmpty ? "" : ", " + extra),
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true}}}}}}
  """#
}

@Suite("Executor: distributed Map ItemBatcher")
struct ItemBatcherExecutionTests {
  static let items: JSON = ["items": ["aaaa", "bbbb", "cccc", "dddd", "eeee"]]

  func batches(_ batcher: String, extra: String = "", input: JSON = items) async throws -> [JSON] {
    let result = try await Executor.run(batchMachine(batcher, extra: extra), input: input)
    #expect(result.status == .succeeded, "\(result.summary)")
    return result.output?.arrayValue ?? []
  }

  @Test("MaxItemsPerBatch: each iteration gets {\"Items\": [...]} of at most that many, in order")
  func itemsLimit() async throws {
    #expect(
      try await batches(#"{"MaxItemsPerBatch": 2}"#) == [
        ["Items": ["aaaa", "bbbb"]], ["Items": ["cccc", "dddd"]], ["Items": ["eeee"]],
      ])
  }

  @Test("MaxInputBytesPerBatch counts the whole batch's compact JSON")
  func bytesLimit() async throws {
    // {"Items":["aaaa","bbbb"]} is 25 bytes; a third item would make 32.
    #expect(
      try await batches(#"{"MaxInputBytesPerBatch": 25}"#) == [
        ["Items": ["aaaa", "bbbb"]], ["Items": ["cccc", "dddd"]], ["Items": ["eeee"]],
      ])
    #expect(
      try await batches(#"{"MaxInputBytesPerBatch": 24}"#) == [
        ["Items": ["aaaa"]], ["Items": ["bbbb"]], ["Items": ["cccc"]], ["Items": ["dddd"]],
        ["Items": ["eeee"]],
      ])
  }

  @Test("Both limits: a batch closes at whichever is reached first")
  func bothLimits() async throws {
    #expect(
      try await batches(#"{"MaxItemsPerBatch": 3, "MaxInputBytesPerBatch": 25}"#).count == 3)
    #expect(
      try await batches(#"{"MaxItemsPerBatch": 1, "MaxInputBytesPerBatch": 262144}"#).count == 5)
  }

  @Test("BatchInput is evaluated once and comes first in every batch; its size counts")
  func batchInput() async throws {
    let output = try await batches(
      #"{"MaxItemsPerBatch": 4, "BatchInput": {"job.$": "$.job", "fixed": 1}}"#,
      input: ["items": ["aaaa", "bbbb", "cccc", "dddd", "eeee"], "job": "j1"])
    #expect(
      output == [
        ["BatchInput": ["job": "j1", "fixed": 1], "Items": ["aaaa", "bbbb", "cccc", "dddd"]],
        ["BatchInput": ["job": "j1", "fixed": 1], "Items": ["eeee"]],
      ])
    // {"BatchInput":{"k":1},"Items":["aaaa"]} is 39 bytes; a second item would make 46.
    #expect(
      try await batches(#"{"MaxInputBytesPerBatch": 45, "BatchInput": {"k": 1}}"#).count == 5)
  }

  @Test("ItemSelector shapes each item before it is batched")
  func selectorBeforeBatching() async throws {
    let output = try await batches(
      #"{"MaxItemsPerBatch": 5}"#,
      extra: #""ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index"}"#,
      input: ["items": ["x", "y"]])
    #expect(output == [["Items": [["v": "x", "i": 0], ["v": "y", "i": 1]]]])
  }

  @Test("Path forms read the input; bad values fail before or in the Map Run as AWS does")
  func pathForms() async throws {
    #expect(
      try await batches(
        #"{"MaxItemsPerBatchPath": "$.n"}"#, input: ["items": [1, 2, 3], "n": 2]
      ).count == 2)
    let fraction = try await Executor.run(
      batchMachine(#"{"MaxItemsPerBatchPath": "$.n"}"#), input: ["items": [1], "n": "x"])
    #expect(fraction.error == "States.Runtime")
    #expect(fraction.cause?.hasSuffix("which is not a valid integer: $.n") == true)
    let zero = try await Executor.run(
      batchMachine(#"{"MaxItemsPerBatchPath": "$.n"}"#), input: ["items": [1], "n": 0])
    #expect(zero.error == "States.ItemReaderFailed")
    #expect(zero.cause == "field MaxItemsPerBatch must be positive")
    let tooMany = try await Executor.run(
      batchMachine(#"{"MaxInputBytesPerBatchPath": "$.n"}"#), input: ["items": [1], "n": 262_145])
    #expect(tooMany.cause == "field MaxInputBytesPerBatch must be between 1 and 262144")
  }

  @Test("An item larger than the byte limit fails the Map Run")
  func itemTooLarge() async throws {
    let result = try await Executor.run(
      batchMachine(#"{"MaxInputBytesPerBatch": 20}"#), input: ["items": ["a-long-item-here"]])
    #expect(result.error == "States.ItemReaderFailed")
    #expect(
      result.cause
        == "The item at index 0 does not fit in a batch of at most 20 bytes (MaxInputBytesPerBatch, at most 256 KiB)."
    )
    #expect(result.eventTypes.contains("MapRunFailed"))
  }

  @Test("Without a byte limit, batches still stay within AWS's 256 KiB")
  func defaultByteLimit() async throws {
    // Read from an object: an execution input this large would exceed AWS's 256 KiB quota.
    let line = "\"" + String(repeating: "x", count: 100_000) + "\"\n"
    let bucket = ReaderBucket(objects: ["data": line + line + line])
    let result = try await Executor.run(
      readerMachine(
        #"{"InputType": "JSONL"}"#, extra: #""ItemBatcher": {"MaxItemsPerBatch": 10}"#,
        iterationOutput: "States.ArrayLength($.Items)"),
      handlers: bucket.handlers)
    #expect(result.output == [2, 1], "\(result.summary)")
  }

  @Test("JSONata: limits and BatchInput are expressions")
  func jsonata() async throws {
    let machine = #"""
      {"QueryLanguage": "JSONata", "StartAt": "Fan", "States": {
        "Fan": {"Type": "Map", "End": true, "Items": "{% $states.input.items %}",
          "ItemBatcher": {"MaxItemsPerBatch": "{% $states.input.n %}",
            "BatchInput": {"name": "{% $states.context.Execution.Name %}"}},
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true}}}}}}
      """#
    let result = try await Executor.run(machine, input: ["items": [1, 2, 3], "n": 2])
    #expect(
      result.output
        == [
          ["BatchInput": ["name": "test-execution"], "Items": [1, 2]],
          ["BatchInput": ["name": "test-execution"], "Items": [3]],
        ], "\(result.summary)")
  }
}
