import Foundation
import StepFunctions

/// Cases for distributed Map states: how a Map Run scales with history off.
enum DistributedMapCases {
  static let all: [BenchCase] = [
    BenchCase(
      name: "distributed_map_1m_no_history",
      summary: "a distributed Map over 1,000,000 items (a Pass child), history off, quotas off",
      isShared: false
    ) { (settings) throws(BenchError) in try await millionItems(settings) },
    BenchCase(
      name: "distributed_map_100000_jsonl",
      summary:
        "a distributed Map reading 100,000 items from a JSON Lines object, batches of 100, history off",
      isShared: false
    ) { (settings) throws(BenchError) in try await ItemReaderCases.jsonLines100000(settings) },
  ]

  /// One execution of a distributed Map over a million numbers whose result is discarded
  /// (`ResultPath: null`): the Map Run keeps counts, not a record per item.
  static func millionItems(_ settings: BenchSettings) async throws(BenchError) -> CaseReport {
    let count = 1_000_000
    let definition = """
      {"StartAt": "Fan", "States": {"Fan": {"Type": "Map", "ResultPath": null, "End": true,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
          "StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": true}}}}}}
      """
    let machine = try settings.machine(
      bytes: Array(definition.utf8), label: "generated distributed Map")
    var options = ExecutionOptions()
    options.recordsHistory = false
    options.maximumInputBytes = nil
    options.maximumPayloadBytes = nil
    let input = JSON.array((0..<count).map { .number(JSONNumber($0)) })
    let start = monotonicSeconds()
    let result = await machine.run(input: input, options: options)
    let seconds = monotonicSeconds() - start
    guard result.status == .succeeded, let run = result.mapRuns.first else {
      throw BenchError(
        "the execution ended \(result.status.rawValue): \(result.error ?? "") \(result.cause ?? "")"
      )
    }
    var report = CaseReport(name: "distributed_map_1m_no_history")
    report.set("seconds", seconds)
    report.set("items_per_second", Double(count) / seconds)
    report.set("peak_rss_bytes", integer: peakResidentBytes())
    report.set("succeeded", integer: run.itemCounts.succeeded)
    report.set("child_executions_kept", integer: run.executions.count)
    return report
  }
}
