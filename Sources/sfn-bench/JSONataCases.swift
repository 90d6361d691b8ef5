import Foundation
import StepFunctions
import StepFunctionsJSONata

/// The JSONata cases: a transform-heavy machine, JSONata against JSONPath on the same work, and
/// the JSONata reference suite next to jsonatapy.
enum JSONataCases {
  static let all: [BenchCase] = [
    BenchCase(
      name: "jsonata_transform",
      summary: "JSONata machine: 3 Pass states and a Map (100 items) transforming 100 orders",
      isShared: false
    ) { (settings) throws(BenchError) in try await transform(settings) },
    BenchCase(
      name: "jsonata_vs_jsonpath",
      summary: "100 Pass states as pass_chain.json, in JSONPath and in JSONata; cost ratio",
      isShared: false
    ) { (settings) throws(BenchError) in try await versusJSONPath(settings) },
    BenchCase(
      name: "jsonata_suite",
      summary: "compile + evaluate the JSONata reference suite, ours and jsonatapy (python3)",
      isShared: false
    ) { (settings) throws(BenchError) in try await JSONataSuite.run(settings) },
  ]

  static func transform(_ settings: BenchSettings) async throws(BenchError) -> CaseReport {
    let machine = try settings.machine(
      bytes: JSONSerializer().bytes(JSONataGenerators.transformMachine()),
      label: "generated JSONata transform machine")
    let loop = ExecutionLoop(
      machine: machine, input: JSONataGenerators.ordersInput(count: 100),
      options: ExecutionOptions())
    var report = Cases.executionReport(
      "jsonata_transform",
      try await loop.measure(seconds: settings.seconds, exactRuns: settings.runs))
    let first = try await loop.check()
    report.set("output_bytes", integer: first.output?.serialized().utf8.count)
    report.set("output", text: first.output?.serialized() ?? "null")
    return report
  }

  /// Both chains, history off and on, measured in alternating rounds (the best of each kept,
  /// since the machine's speed drifts); the ratio is JSONPath's executions per second over
  /// JSONata's, that is the cost of a JSONata Pass state in JSONPath ones.
  static func versusJSONPath(_ settings: BenchSettings) async throws(BenchError) -> CaseReport {
    let count = 100
    func loop(_ language: JSONataGenerators.Language, history: Bool) throws(BenchError)
      -> ExecutionLoop
    {
      var options = ExecutionOptions()
      options.recordsHistory = history
      return ExecutionLoop(
        machine: try settings.machine(
          bytes: JSONSerializer().bytes(
            JSONataGenerators.passChain(count: count, language: language)),
          label: "generated \(language) Pass chain"),
        input: JSONataGenerators.passChainInput, options: options)
    }
    let jsonPathOutput = try await loop(.jsonPath, history: true).check().output
    let jsonataOutput = try await loop(.jsonata, history: true).check().output
    var report = CaseReport(name: "jsonata_vs_jsonpath")
    report.set("same_output", bool: jsonPathOutput != nil && jsonPathOutput == jsonataOutput)
    let rounds = settings.runs == nil ? 3 : 1
    for history in [false, true] {
      var best: [Double] = [0, 0]
      for _ in 0..<rounds {
        for (index, language) in [JSONataGenerators.Language.jsonPath, .jsonata].enumerated() {
          let totals = try await loop(language, history: history).measure(
            seconds: settings.seconds / Double(4 * rounds), exactRuns: settings.runs)
          best[index] = max(best[index], totals.executionsPerSecond)
        }
      }
      let suffix = history ? "history" : "no_history"
      report.set("jsonpath_executions_per_second_\(suffix)", best[0])
      report.set("jsonata_executions_per_second_\(suffix)", best[1])
      report.set("jsonpath_ns_per_state_\(suffix)", 1e9 / (best[0] * Double(count)))
      report.set("jsonata_ns_per_state_\(suffix)", 1e9 / (best[1] * Double(count)))
      report.set("ratio_\(suffix)", best[0] / best[1])
    }
    report.set("peak_rss_bytes", integer: peakResidentBytes())
    return report
  }
}
