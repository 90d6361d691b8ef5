import Foundation
import StepFunctions

/// The distributed Map at scale: 100,000 items read by an `ItemReader` from one JSON Lines
/// object, in batches of 100 (1,000 child workflows), with history off — what a backfill over a
/// large listing costs locally.
enum ItemReaderCases {
  /// The number of items in the JSON Lines object.
  static let itemCount = 100_000

  /// The definition: a distributed Map whose reader gets `s3://bench-data/items.jsonl`, batches
  /// 100 items per child workflow, and whose child counts its batch with `States.ArrayLength`.
  static let definition: JSON = [
    "StartAt": "Fan",
    "States": [
      "Fan": [
        "Type": "Map",
        "ItemReader": [
          "Resource": "arn:aws:states:::s3:getObject",
          "ReaderConfig": ["InputType": "JSONL"],
          "Parameters": ["Bucket": "bench-data", "Key": "items.jsonl"],
        ],
        "ItemBatcher": ["MaxItemsPerBatch": 100, "BatchInput": ["run.$": "$.run"]],
        "MaxConcurrency": 1000,
        "ItemProcessor": [
          "ProcessorConfig": ["Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"],
          "StartAt": "Count",
          "States": [
            "Count": [
              "Type": "Pass",
              "Parameters": [
                "run.$": "$.BatchInput.run", "items.$": "States.ArrayLength($.Items)",
                "first.$": "$.Items[0].id",
              ],
              "End": true,
            ]
          ],
        ],
        "End": true,
      ]
    ],
  ]

  /// The JSON Lines object: one small video record per line.
  static func jsonLines() -> String {
    var text = ""
    text.reserveCapacity(itemCount * 64)
    for index in 0..<itemCount {
      text += #"{"id":\#(index),"key":"frames/frame-\#(index).png","bytes":\#(1000 + index % 997)}"#
      text += "\n"
    }
    return text
  }

  /// One execution through the public API with fresh options (history off, quotas off), the S3
  /// object served by a closure handler for `arn:aws:states:::s3:getObject`; reports the
  /// seconds and the process's peak resident memory.
  static func jsonLines100000(_ settings: BenchSettings) async throws(BenchError) -> CaseReport {
    let machine = try settings.machine(
      bytes: JSONSerializer().bytes(definition), label: "distributed Map definition")
    let body = JSON.string(jsonLines())
    let size = JSON.number(JSONNumber(body.stringValue?.utf8.count ?? 0))
    let reader = ClosureTaskHandler { _, _ in ["Body": body, "ContentLength": size] }
    var best = Double.infinity
    var result: ExecutionResult?
    for _ in 0..<max(1, settings.runs ?? 3) {
      var options = ExecutionOptions()
      options.recordsHistory = false
      options.maximumHistoryEvents = nil
      options.maximumPayloadBytes = nil
      options.handlers.register(reader, forResource: "arn:aws:states:::s3:getObject")
      let start = monotonicSeconds()
      let run = await machine.run(input: ["run": "bench"], options: options)
      best = min(best, monotonicSeconds() - start)
      result = run
    }
    guard let result, result.status == .succeeded, case .array(let batches)? = result.output,
      batches.count == itemCount / 100,
      batches.allSatisfy({ $0["items"] == 100 })
    else {
      throw BenchError(
        "the execution ended \(result?.status.rawValue ?? "?"): \(result?.error ?? "") \(result?.cause ?? "") (expected \(itemCount / 100) batches of 100)"
      )
    }
    var report = CaseReport(name: "distributed_map_100000")
    report.set("executions_per_second", 1 / best)
    report.set("transitions_per_second", Double(result.stateTransitions) / best)
    report.set("peak_rss_bytes", integer: peakResidentBytes())
    report.set("items_per_second", Double(itemCount) / best)
    report.set("seconds", best)
    report.set("child_workflows", integer: batches.count)
    return report
  }
}
