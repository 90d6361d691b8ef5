import Foundation
import StepFunctions

/// Seconds on the monotonic clock, for timing.
func monotonicSeconds() -> Double {
  var spec = timespec()
  clock_gettime(CLOCK_MONOTONIC, &spec)
  return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// The peak resident set size of this process so far (`VmHWM` in `/proc/self/status`), in
/// bytes, or `nil` where `/proc` is not available.
func peakResidentBytes() -> Int? {
  guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
    return nil
  }
  for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
    let digits = line.dropFirst(6).filter(\.isNumber)
    return Int(String(digits)).map { $0 * 1024 }
  }
  return nil
}

/// Why a case could not be measured.
struct BenchError: Error, CustomStringConvertible {
  var message: String
  init(_ message: String) { self.message = message }
  var description: String { message }
}

/// What one case measured: an ordered set of figures, printed as one JSON line or one text line.
struct CaseReport {
  var name: String
  var figures: JSONObject

  init(name: String) {
    self.name = name
    figures = JSONObject()
    figures.append(key: "case", value: .string(name))
  }

  init(name: String, figures: JSONObject) {
    self.name = name
    self.figures = figures
  }

  mutating func set(_ key: String, _ value: Double?) {
    guard let value, value.isFinite else {
      figures[key] = .null
      return
    }
    figures[key] = .number(JSONNumber((value * 1000).rounded() / 1000))
  }

  mutating func set(_ key: String, integer value: Int?) {
    figures[key] = value.map { .number(JSONNumber($0)) } ?? .null
  }

  mutating func set(_ key: String, text value: String) { figures[key] = .string(value) }

  mutating func set(_ key: String, bool value: Bool) { figures[key] = .bool(value) }

  func number(_ key: String) -> Double? { figures[key]?.numberValue?.doubleValue }

  var jsonLine: String { JSON.object(figures).serialized() }

  /// One line for people: the case name, then the figures with their units.
  var textLine: String {
    var parts: [String] = []
    for (key, value) in figures where key != "case" {
      guard let number = value.numberValue?.doubleValue else {
        if case .string(let text) = value {
          parts.append("\(key.replacingOccurrences(of: "_", with: " ")): \(text)")
        }
        if case .bool(let flag) = value {
          parts.append("\(key.replacingOccurrences(of: "_", with: " ")): \(flag)")
        }
        continue
      }
      parts.append(Self.describe(key, number))
    }
    return name.padding(toLength: 30, withPad: " ", startingAt: 0) + parts.joined(separator: "  ")
  }

  static func describe(_ key: String, _ value: Double) -> String {
    switch key {
    case "executions_per_second": return "\(grouped(value)) executions/s"
    case "transitions_per_second": return "\(grouped(value)) transitions/s"
    case "items_per_second": return "\(grouped(value)) items/s"
    case "peak_rss_bytes": return "peak RSS \(String(format: "%.1f", value / 1_048_576)) MiB"
    case "megabytes_per_second": return "\(String(format: "%.1f", value)) MB/s"
    case "foundation_megabytes_per_second":
      return "JSONSerialization \(String(format: "%.1f", value)) MB/s"
    case "parser_megabytes_per_second": return "parser alone \(String(format: "%.1f", value)) MB/s"
    case "ratio", "ratio_main_actor", "ratio_reused_options", "ratio_to_foundation",
      "parser_ratio_to_foundation", "ratio_no_history",
      "ratio_history", "speedup", "speedup_both_passed":
      return "\(key.replacingOccurrences(of: "_", with: " ")) \(String(format: "%.2f", value))×"
    case "loops_2_scaling", "loops_8_scaling":
      return "\(key.replacingOccurrences(of: "_", with: " ")) \(String(format: "%.2f", value))×"
    case "main_actor_executions_per_second":
      return "main actor \(grouped(value)) executions/s"
    case "reused_options_executions_per_second":
      return "reused options \(grouped(value)) executions/s"
    case "seconds": return "\(String(format: "%.3f", value)) s"
    case "megabytes": return "\(String(format: "%.2f", value)) MB"
    default:
      let label = key.replacingOccurrences(of: "_", with: " ")
      return "\(label) \(value == value.rounded() ? grouped(value) : String(format: "%.3f", value))"
    }
  }

  static func grouped(_ value: Double) -> String {
    if value < 100 {
      return value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }
    let digits = String(Int(value.rounded()))
    var result = ""
    for (offset, character) in digits.enumerated() {
      if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
      result.append(character)
    }
    return result
  }
}

/// How the measured loop calls `StateMachine.run(input:options:)`.
enum CallStyle: String, CaseIterable, Sendable {
  /// A fresh `ExecutionOptions` per execution, awaited from a plain (nonisolated) async
  /// function, as a Swift Testing test without a global actor calls it.
  case fresh
  /// A fresh `ExecutionOptions` per execution, awaited from a `@MainActor` function, as a
  /// `@MainActor` test (or top-level code) calls it.
  case mainActor
  /// One `ExecutionOptions` value made before the loop and reused for every execution.
  case reused
}

/// Runs executions of one machine until enough time has passed and counts what they did.
///
/// Unless told otherwise it builds the options afresh for every execution with `makeOptions`
/// (a default `ExecutionOptions()` plus what the case needs), as a test does.
struct ExecutionLoop: Sendable {
  var machine: StateMachine
  var input: JSON
  var makeOptions: @Sendable () -> ExecutionOptions

  init(machine: StateMachine, input: JSON, makeOptions: @escaping @Sendable () -> ExecutionOptions)
  {
    self.machine = machine
    self.input = input
    self.makeOptions = makeOptions
  }

  /// A loop that runs every execution with a copy of `options`.
  init(machine: StateMachine, input: JSON, options: ExecutionOptions) {
    self.init(machine: machine, input: input) { options }
  }

  /// A loop whose options are the default ones changed by `configure`.
  init(
    machine: StateMachine, input: JSON,
    configure: @escaping @Sendable (inout ExecutionOptions) -> Void = { _ in }
  ) {
    self.init(machine: machine, input: input) {
      var options = ExecutionOptions()
      configure(&options)
      return options
    }
  }

  struct Totals: Sendable {
    var runs = 0
    var transitions = 0
    var seconds = 0.0
    var executionsPerSecond: Double { Double(runs) / seconds }
    var transitionsPerSecond: Double { Double(transitions) / seconds }
  }

  /// Checks one execution succeeds and returns it.
  func check() async throws(BenchError) -> ExecutionResult {
    let result = await machine.run(input: input, options: makeOptions())
    guard result.status == .succeeded else {
      throw BenchError(
        "the execution ended \(result.status.rawValue): \(result.error ?? "") \(result.cause ?? "")"
      )
    }
    return result
  }

  /// Runs for at least `seconds` (and at least `minimumRuns` executions) after a short warm-up,
  /// calling `run` in the given style.
  ///
  /// With `exactRuns` (for profiling), runs exactly that many executions after one check,
  /// whatever the time.
  func measure(
    seconds: Double, minimumRuns: Int = 3, exactRuns: Int? = nil, style: CallStyle = .fresh
  ) async throws(BenchError) -> Totals {
    _ = try await check()
    let seconds = exactRuns == nil ? seconds : 0
    let warmUp = exactRuns == nil ? min(0.2, seconds / 10) : 0
    let minimumRuns = exactRuns ?? minimumRuns
    switch style {
    case .fresh:
      _ = await loopFresh(seconds: warmUp, minimumRuns: 0)
      return await loopFresh(seconds: seconds, minimumRuns: minimumRuns)
    case .mainActor:
      _ = await loopOnMainActor(seconds: warmUp, minimumRuns: 0)
      return await loopOnMainActor(seconds: seconds, minimumRuns: minimumRuns)
    case .reused:
      _ = await loopReused(seconds: warmUp, minimumRuns: 0)
      return await loopReused(seconds: seconds, minimumRuns: minimumRuns)
    }
  }

  /// Measures each call style in `rounds` alternating rounds sharing `seconds`, keeping each
  /// style's best rate (the host is shared: alternating spreads its slow periods over all).
  func measureStyles(
    seconds: Double, exactRuns: Int?, styles: [CallStyle] = CallStyle.allCases, rounds: Int = 3
  ) async throws(BenchError) -> [CallStyle: Totals] {
    if exactRuns != nil {
      return [.fresh: try await measure(seconds: 0, exactRuns: exactRuns, style: .fresh)]
    }
    var best: [CallStyle: Totals] = [:]
    let share = seconds / Double(rounds * styles.count)
    for _ in 0..<rounds {
      for style in styles {
        let totals = try await measure(seconds: share, style: style)
        if let known = best[style], known.executionsPerSecond >= totals.executionsPerSecond {
          continue
        }
        best[style] = totals
      }
    }
    return best
  }

  /// Executions with fresh options, awaited from this nonisolated async function.
  func loopFresh(seconds: Double, minimumRuns: Int) async -> Totals {
    await freshLoop(seconds: seconds, minimumRuns: minimumRuns)
  }

  /// Executions with fresh options, awaited from the main actor.
  @MainActor func loopOnMainActor(seconds: Double, minimumRuns: Int) async -> Totals {
    await freshLoop(seconds: seconds, minimumRuns: minimumRuns)
  }

  /// The loop both run, on the caller's executor (so from the main actor, on the main actor).
  nonisolated(nonsending) func freshLoop(seconds: Double, minimumRuns: Int) async -> Totals {
    var totals = Totals()
    let start = monotonicSeconds()
    var now = start
    while totals.runs < minimumRuns || now - start < seconds {
      let result = await machine.run(input: input, options: makeOptions())
      totals.runs += 1
      totals.transitions += result.stateTransitions
      now = monotonicSeconds()
    }
    totals.seconds = now - start
    return totals
  }

  /// Executions that all reuse one options value.
  func loopReused(seconds: Double, minimumRuns: Int) async -> Totals {
    let options = makeOptions()
    var totals = Totals()
    let start = monotonicSeconds()
    var now = start
    while totals.runs < minimumRuns || now - start < seconds {
      let result = await machine.run(input: input, options: options)
      totals.runs += 1
      totals.transitions += result.stateTransitions
      now = monotonicSeconds()
    }
    totals.seconds = now - start
    return totals
  }
}
