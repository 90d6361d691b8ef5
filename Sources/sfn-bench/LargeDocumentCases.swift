import Foundation
import StepFunctions

/// Cases for large documents: how validation and input parsing scale with size (5, 10, 20 and
/// 50 MB), through the public API with the size quotas turned off.
enum LargeDocumentCases {
  /// The sizes measured, in megabytes (10^6 bytes).
  static let sizes = [5, 10, 20, 50]

  /// A generated definition (``Generators/largeDefinition(count:)``, pretty-printed) of about
  /// `megabytes` MB.
  static func definition(megabytes: Int) -> [UInt8] {
    let sample = JSONSerializer(style: .pretty).bytes(Generators.largeDefinition(count: 1000))
    let count = megabytes * 1_000_000 * 1000 / sample.count
    return JSONSerializer(style: .pretty).bytes(Generators.largeDefinition(count: count))
  }

  /// The shortest of `runs` timings of `body`, in seconds.
  static func bestTime(runs: Int, _ body: () throws(BenchError) -> Void) throws(BenchError)
    -> Double
  {
    var best = Double.infinity
    for _ in 0..<max(1, runs) {
      let start = monotonicSeconds()
      try body()
      best = min(best, monotonicSeconds() - start)
    }
    return best
  }

  /// Adds `<prefix>_<size>mb_seconds` for each size, and `<prefix>_growth`: the seconds per MB
  /// at the largest size divided by those at the smallest (1 when the cost is linear).
  static func record(
    _ prefix: String, _ seconds: [(megabytes: Double, seconds: Double)],
    into report: inout CaseReport
  ) {
    for (index, size) in sizes.enumerated() where index < seconds.count {
      report.set("\(prefix)_\(size)mb_seconds", seconds[index].seconds)
    }
    if let first = seconds.first, let last = seconds.last {
      report.set(
        "\(prefix)_growth", (last.seconds / last.megabytes) / (first.seconds / first.megabytes))
    }
  }

  /// Each stage on definitions of each size: `JSONParser.parse` alone, `JSONParser.parseDocument`
  /// (with the locations diagnostics need), `Validator.validate` (that parse, then load and
  /// validate) and `StateMachine(bytes:)` (validate and compile).
  static func validateDefinition(_ settings: BenchSettings) throws(BenchError) -> CaseReport {
    var options = ValidationOptions()
    options.maximumDefinitionBytes = nil
    var parse: [(megabytes: Double, seconds: Double)] = []
    var locations: [(megabytes: Double, seconds: Double)] = []
    var validate: [(megabytes: Double, seconds: Double)] = []
    var compile: [(megabytes: Double, seconds: Double)] = []
    let runs = settings.runs ?? 2
    for size in sizes {
      let bytes = definition(megabytes: size)
      let megabytes = Double(bytes.count) / 1_000_000
      parse.append(
        (megabytes, try bestTime(runs: runs) { () throws(BenchError) in try Cases.parse(bytes) }))
      let withLocations = try bestTime(runs: runs) { () throws(BenchError) in
        do {
          _ = try JSONParser.parseDocument(bytes)
        } catch {
          throw BenchError("JSONParser rejected the definition: \(error)")
        }
      }
      locations.append((megabytes, withLocations))
      let validation = try bestTime(runs: runs) { () throws(BenchError) in
        let report = Validator.validate(bytes, options: options)
        guard !report.hasErrors else {
          throw BenchError(
            "the generated definition is invalid: \(report.errors.first?.message ?? "")")
        }
      }
      validate.append((megabytes, validation))
      let machine = try bestTime(runs: runs) { () throws(BenchError) in
        do {
          _ = try StateMachine(bytes: bytes, options: options)
        } catch {
          throw BenchError("the generated definition does not compile: \(error)")
        }
      }
      compile.append((megabytes, machine))
    }
    var report = CaseReport(name: "validate_definition_50mb")
    let largest = validate.last ?? (0, .infinity)
    report.set("executions_per_second", 1 / largest.seconds)
    report.set("transitions_per_second", nil)
    report.set("peak_rss_bytes", integer: peakResidentBytes())
    report.set("megabytes", largest.megabytes)
    report.set("megabytes_per_second", largest.megabytes / largest.seconds)
    record("parse", parse, into: &report)
    record("parse_with_locations", locations, into: &report)
    record("validate", validate, into: &report)
    record("state_machine", compile, into: &report)
    return report
  }

  /// `ExecutionInput.parse` of generated inputs (``Generators/largeInput(bytes:)``) of each
  /// size.
  static func parseInput(_ settings: BenchSettings) throws(BenchError) -> CaseReport {
    var timings: [(megabytes: Double, seconds: Double)] = []
    let runs = settings.runs ?? 2
    for size in sizes {
      let bytes = Generators.largeInput(bytes: size * 1_000_000)
      let seconds = try bestTime(runs: runs) { () throws(BenchError) in
        do {
          _ = try ExecutionInput.parse(bytes, maximumBytes: nil)
        } catch {
          throw BenchError("the generated input was refused: \(error)")
        }
      }
      timings.append((Double(bytes.count) / 1_000_000, seconds))
    }
    var report = CaseReport(name: "parse_input_50mb")
    let largest = timings.last ?? (0, .infinity)
    report.set("executions_per_second", 1 / largest.seconds)
    report.set("transitions_per_second", nil)
    report.set("peak_rss_bytes", integer: peakResidentBytes())
    report.set("megabytes", largest.megabytes)
    report.set("megabytes_per_second", largest.megabytes / largest.seconds)
    record("parse", timings, into: &report)
    return report
  }
}
