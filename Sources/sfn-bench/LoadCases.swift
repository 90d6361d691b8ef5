import Foundation
import StepFunctions

/// Loading a definition: each stage of `StateMachine(json:)` on its own, and how validation
/// scales with size.
enum LoadCases {
  static let all: [BenchCase] = [
    BenchCase(
      name: "load_definition_1000",
      summary:
        "stages of loading a realistic 1,000-state definition (JSONPath and JSONata), MB/s each",
      isShared: false
    ) { (settings) throws(BenchError) in try loadDefinition(settings) },
    BenchCase(
      name: "validate_linearity",
      summary: "Validator.validate and ExecutionInput.parse at 1, 10, 50 MB: seconds per MB",
      isShared: false
    ) { (settings) throws(BenchError) in try linearity(settings) },
  ]

  /// The realistic 1,000-state definition, pretty-printed.
  static func definitionText(states: Int, jsonata: Bool = true) -> String {
    String(
      decoding: JSONSerializer(style: .pretty).bytes(
        Generators.realisticDefinition(count: states, jsonata: jsonata)), as: UTF8.self)
  }

  /// The stages of `load_definition_1000`, in the order timed.
  enum Stage: Int, CaseIterable {
    case parse, parseDocument, load, validate, compile, whole
  }

  /// Runs one stage once.
  static func run(
    _ stage: Stage, text: String, bytes: [UInt8], document: JSONDocument,
    definition: StateMachineDefinition
  ) throws(BenchError) {
    switch stage {
    case .parse:
      try Cases.parse(bytes)
    case .parseDocument:
      do { _ = try JSONParser.parseDocument(bytes) } catch { throw BenchError("\(error)") }
    case .load:
      guard StateMachineLoader.load(document).definition != nil else {
        throw BenchError("the loader refused the definition")
      }
    case .validate:
      guard !Validator.validate(bytes).hasErrors else {
        throw BenchError("the validator refused the definition")
      }
    case .compile:
      do { _ = try StateMachine(definition: definition) } catch { throw BenchError("\(error)") }
    case .whole:
      do { _ = try StateMachine(json: text) } catch { throw BenchError("\(error)") }
    }
  }

  /// Each stage's best seconds per call over `rounds` rounds, the stages alternating within a
  /// round so that every stage meets the same moments of a noisy host.
  static func loadDefinition(_ settings: BenchSettings) throws(BenchError) -> CaseReport {
    let text = definitionText(states: 1000)
    let bytes = Array(text.utf8)
    let megabytes = Double(bytes.count) / 1_000_000
    let document: JSONDocument
    let definition: StateMachineDefinition
    do {
      document = try JSONParser.parseDocument(bytes)
      definition = try StateMachineDefinition(bytes: bytes)
      _ = try StateMachine(json: text)
    } catch {
      throw BenchError("the generated definition does not load: \(error)")
    }
    let rounds = settings.runs ?? 3
    let share = settings.seconds / Double(rounds * Stage.allCases.count)
    var times = [Double](repeating: .infinity, count: Stage.allCases.count)
    for _ in 0..<rounds {
      for stage in Stage.allCases {
        let seconds = try Cases.timePerCall(seconds: share) { () throws(BenchError) in
          try run(stage, text: text, bytes: bytes, document: document, definition: definition)
        }
        times[stage.rawValue] = min(times[stage.rawValue], seconds)
      }
    }
    var report = CaseReport(name: "load_definition_1000")
    let whole = times[5]
    report.set("executions_per_second", 1 / whole)
    report.set("transitions_per_second", nil)
    report.set("peak_rss_bytes", integer: peakResidentBytes())
    report.set("megabytes", megabytes)
    report.set("states", integer: 1000)
    // 0: the definition takes the path without locations (see StateMachineLoader.load(bytes:)).
    report.set("diagnostics", integer: Validator.validate(bytes).diagnostics.count)
    report.set("megabytes_per_second", megabytes / whole)
    report.set("parser_megabytes_per_second", megabytes / times[0])
    report.set("parse_document_mb_per_second", megabytes / times[1])
    report.set("load_document_mb_per_second", megabytes / times[2])
    report.set("validate_mb_per_second", megabytes / times[3])
    report.set("compile_mb_per_second", megabytes / times[4])
    report.set("whole_ms", whole * 1000)
    report.set("ratio_whole_to_parser", times[0] / whole)
    // The same, on a definition of the same kinds without the JSONata states.
    let plain = definitionText(states: 1000, jsonata: false)
    let plainBytes = Array(plain.utf8)
    var plainParse = Double.infinity
    var plainWhole = Double.infinity
    for _ in 0..<rounds {
      plainParse = min(
        plainParse,
        try Cases.timePerCall(seconds: share) { () throws(BenchError) in
          try Cases.parse(plainBytes)
        })
      plainWhole = min(
        plainWhole,
        try Cases.timePerCall(seconds: share) { () throws(BenchError) in
          do { _ = try StateMachine(json: plain) } catch { throw BenchError("\(error)") }
        })
    }
    let plainMegabytes = Double(plainBytes.count) / 1_000_000
    report.set("jsonpath_only_megabytes", plainMegabytes)
    report.set("jsonpath_only_whole_mb_per_second", plainMegabytes / plainWhole)
    report.set("jsonpath_only_parser_mb_per_second", plainMegabytes / plainParse)
    report.set("jsonpath_only_ratio_whole_to_parser", plainParse / plainWhole)
    return report
  }

  static let linearSizes = [1, 10, 50]

  static func linearity(_ settings: BenchSettings) throws(BenchError) -> CaseReport {
    var options = ValidationOptions()
    options.maximumDefinitionBytes = nil
    var report = CaseReport(name: "validate_linearity")
    report.set("executions_per_second", nil)
    report.set("transitions_per_second", nil)
    let sample = definitionText(states: 1000).utf8.count
    var definitionSeconds: [Double] = []
    var inputSeconds: [Double] = []
    for size in linearSizes {
      let states = max(10, size * 1_000_000 * 1000 / sample)
      let bytes = Array(definitionText(states: states).utf8)
      let megabytes = Double(bytes.count) / 1_000_000
      let runs = size >= 50 ? 1 : 2
      let seconds = try LargeDocumentCases.bestTime(runs: runs) { () throws(BenchError) in
        guard !Validator.validate(bytes, options: options).hasErrors else {
          throw BenchError("the generated definition is invalid")
        }
      }
      definitionSeconds.append(seconds / megabytes)
      report.set("validate_\(size)mb_seconds_per_mb", seconds / megabytes)
      let input = Generators.largeInput(bytes: size * 1_000_000)
      let inputMegabytes = Double(input.count) / 1_000_000
      let inputTime = try LargeDocumentCases.bestTime(runs: runs) { () throws(BenchError) in
        do { _ = try ExecutionInput.parse(input, maximumBytes: nil) } catch {
          throw BenchError("the generated input was refused: \(error)")
        }
      }
      inputSeconds.append(inputTime / inputMegabytes)
      report.set("input_\(size)mb_seconds_per_mb", inputTime / inputMegabytes)
    }
    if let first = definitionSeconds.first, let last = definitionSeconds.last {
      report.set("validate_growth", last / first)
    }
    if let first = inputSeconds.first, let last = inputSeconds.last {
      report.set("input_growth", last / first)
    }
    report.set("peak_rss_bytes", integer: peakResidentBytes())
    return report
  }
}
