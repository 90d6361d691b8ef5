import Foundation
import StepFunctions

/// Where the shared definitions live and how long to measure.
struct BenchSettings {
  var benchDirectory: String
  /// The shared corpus (for the JSONata reference suite).
  var corpusDirectory: String
  var seconds: Double
  /// Exactly this many measured executions per case (for profiling), instead of `seconds`.
  var runs: Int?

  func path(_ file: String) -> String { (benchDirectory as NSString).appendingPathComponent(file) }

  func bytes(_ file: String) throws(BenchError) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path(file)) else {
      throw BenchError(
        "cannot read \(path(file)) (set --bench-dir to the folder of the shared benchmark files)")
    }
    return [UInt8](data)
  }

  func json(_ file: String) throws(BenchError) -> JSON {
    do {
      return try JSONParser.parse(try bytes(file))
    } catch let error as JSONParseError {
      throw BenchError("\(path(file)): \(error)")
    } catch let error as BenchError {
      throw error
    } catch {
      throw BenchError("\(path(file)): \(error)")
    }
  }

  func machine(_ file: String) throws(BenchError) -> StateMachine {
    try machine(bytes: try bytes(file), label: path(file))
  }

  func machine(bytes: [UInt8], label: String) throws(BenchError) -> StateMachine {
    do {
      return try StateMachine(bytes: bytes)
    } catch {
      throw BenchError("\(label): \(error)")
    }
  }
}

/// One benchmark case.
struct BenchCase: Sendable {
  var name: String
  var summary: String
  /// Whether `--versus-moto` runs it (one of the four shared definitions).
  var isShared: Bool
  var run: @Sendable (BenchSettings) async throws(BenchError) -> CaseReport
}

/// The shared definitions: file, input, and how moto runs it.
struct SharedDefinition: Sendable {
  var caseName: String
  var definition: String
  var input: String?
  var mockTestCase: String?
  /// moto's executions in one side-by-side run (it stops earlier after `--moto-seconds`).
  var motoRepeat: Int
}

enum Cases {
  static let shared: [SharedDefinition] = [
    SharedDefinition(
      caseName: "pass_chain", definition: "pass_chain.json", input: "pass_chain.input.json",
      motoRepeat: 400),
    SharedDefinition(
      caseName: "choice_loop", definition: "choice_loop.json", input: nil, motoRepeat: 40),
    SharedDefinition(
      caseName: "map_1000", definition: "map_1000.json", input: "map_1000.input.json", motoRepeat: 4
    ),
    SharedDefinition(
      caseName: "video_workflow", definition: "video_workflow.json",
      input: "video_workflow.input.json",
      mockTestCase: "AllMocked", motoRepeat: 1500),
  ]

  /// Every case, in the order `--list` shows them.
  static let all: [BenchCase] = executionAndParsing + LoadCases.all

  static let executionAndParsing: [BenchCase] =
    shared.map { (definition: SharedDefinition) -> BenchCase in
      var summary = definition.definition + ", full history"
      if let testCase = definition.mockTestCase { summary += ", mock test case " + testCase }
      return BenchCase(name: definition.caseName, summary: summary, isShared: true) {
        (settings) throws(BenchError) in try await runShared(definition, settings: settings)
      }
    } + [
      BenchCase(
        name: "pass_chain_no_history", summary: "pass_chain.json with history off", isShared: false
      ) { (settings) throws(BenchError) in
        let loop = ExecutionLoop(
          machine: try settings.machine("pass_chain.json"),
          input: try settings.json("pass_chain.input.json")
        ) { $0.recordsHistory = false }
        return executionReport(
          "pass_chain_no_history",
          try await loop.measure(seconds: settings.seconds, exactRuns: settings.runs))
      },
      BenchCase(
        name: "choice_loop_no_history", summary: "choice_loop.json with history off",
        isShared: false
      ) { (settings) throws(BenchError) in
        let loop = ExecutionLoop(
          machine: try settings.machine("choice_loop.json"), input: .object(JSONObject())
        ) { $0.recordsHistory = false }
        return executionReport(
          "choice_loop_no_history",
          try await loop.measure(seconds: settings.seconds, exactRuns: settings.runs))
      },
      BenchCase(
        name: "pass_100_no_history", summary: "100 plain Pass states, history off", isShared: false
      ) { (settings) throws(BenchError) in
        try await plainChain("pass_100_no_history", history: false, settings)
      },
      BenchCase(
        name: "pass_100_history", summary: "100 plain Pass states, full history", isShared: false
      ) { (settings) throws(BenchError) in
        try await plainChain("pass_100_history", history: true, settings)
      },
      BenchCase(
        name: "map_100000", summary: "map_1000.json over 100,000 items, full history, no quotas",
        isShared: false
      ) { (settings) throws(BenchError) in try await bigMap(settings) },
      BenchCase(
        name: "parse_definition_1000",
        summary:
          "parse + validate + compile a 1,000-state definition; JSONSerialization on the same bytes",
        isShared: false
      ) { (settings) throws(BenchError) in try parseDefinition(settings) },
      BenchCase(
        name: "parse_input_10mb", summary: "JSONParser on a 10 MB input next to JSONSerialization",
        isShared: false
      ) { (settings) throws(BenchError) in try parseInput(settings) },
      BenchCase(
        name: "validate_definition_50mb",
        summary: "Validator.validate of 5, 10, 20, 50 MB definitions, quota off; stages at 50 MB",
        isShared: false
      ) { (settings) throws(BenchError) in try LargeDocumentCases.validateDefinition(settings) },
      BenchCase(
        name: "parse_input_50mb",
        summary: "ExecutionInput.parse of 5, 10, 20, 50 MB inputs, quota off", isShared: false
      ) { (settings) throws(BenchError) in try LargeDocumentCases.parseInput(settings) },
    ] + UserCases.all + DistributedMapCases.all + JSONataCases.all

  static func loop(for definition: SharedDefinition, settings: BenchSettings) throws(BenchError)
    -> ExecutionLoop
  {
    let input =
      try definition.input.map { (file) throws(BenchError) in try settings.json(file) }
      ?? .object(JSONObject())
    let machine = try settings.machine(definition.definition)
    guard let testCase = definition.mockTestCase else {
      return ExecutionLoop(machine: machine, input: input)
    }
    // The mock file is read once, as a test suite reads it once; each execution registers it.
    let mockFile = try settings.json("video_workflow.mock.json")
    let mocks = try MockFileHandler(
      mockFile: mockFile, stateMachine: "VideoWorkflow", testCase: testCase)
    return ExecutionLoop(machine: machine, input: input) { options in
      options.stateMachineName = "VideoWorkflow"
      options.handlers.registerFallback(mocks)
    }
  }

  static func runShared(_ definition: SharedDefinition, settings: BenchSettings)
    async throws(BenchError) -> CaseReport
  {
    let loop = try loop(for: definition, settings: settings)
    var report = try await styledReport(definition.caseName, loop, settings)
    let first = try await loop.check()
    report.set("output", text: first.output?.serialized() ?? "null")
    return report
  }

  /// The report of a loop measured in every call style: the main figures are those of fresh
  /// options from a plain async context; the main actor's and the reused options' follow.
  static func styledReport(_ name: String, _ loop: ExecutionLoop, _ settings: BenchSettings)
    async throws(BenchError) -> CaseReport
  {
    let styles = try await loop.measureStyles(seconds: settings.seconds, exactRuns: settings.runs)
    guard let fresh = styles[.fresh] else { throw BenchError("\(name): nothing measured") }
    var report = executionReport(name, fresh)
    if let mainActor = styles[.mainActor] {
      report.set("main_actor_executions_per_second", mainActor.executionsPerSecond)
    }
    if let reused = styles[.reused] {
      report.set("reused_options_executions_per_second", reused.executionsPerSecond)
    }
    return report
  }

  static func executionReport(_ name: String, _ totals: ExecutionLoop.Totals) -> CaseReport {
    var report = CaseReport(name: name)
    report.set("executions_per_second", totals.executionsPerSecond)
    report.set("transitions_per_second", totals.transitionsPerSecond)
    report.set("peak_rss_bytes", integer: peakResidentBytes())
    report.set("executions", integer: totals.runs)
    report.set(
      "transitions_per_execution", Double(totals.transitions) / Double(max(1, totals.runs)))
    return report
  }

  static func plainChain(_ name: String, history: Bool, _ settings: BenchSettings)
    async throws(BenchError)
    -> CaseReport
  {
    let definition = Generators.plainPassChain(count: 100)
    let loop = ExecutionLoop(
      machine: try settings.machine(
        bytes: JSONSerializer().bytes(definition), label: "generated Pass chain"),
      input: ["name": "video-1", "tags": ["a", "b"]]
    ) { $0.recordsHistory = history }
    return executionReport(
      name, try await loop.measure(seconds: settings.seconds, exactRuns: settings.runs))
  }

  static func bigMap(_ settings: BenchSettings) async throws(BenchError) -> CaseReport {
    let count = 100_000
    let machine = try settings.machine("map_1000.json")
    var options = ExecutionOptions()
    options.maximumHistoryEvents = nil
    options.maximumPayloadBytes = nil
    let input = Generators.mapInput(count: count)
    let start = monotonicSeconds()
    let result = await machine.run(input: input, options: options)
    let seconds = monotonicSeconds() - start
    guard result.status == .succeeded else {
      throw BenchError(
        "the execution ended \(result.status.rawValue): \(result.error ?? "") \(result.cause ?? "")"
      )
    }
    var report = CaseReport(name: "map_100000")
    report.set("executions_per_second", 1 / seconds)
    report.set("transitions_per_second", Double(result.stateTransitions) / seconds)
    report.set("peak_rss_bytes", integer: peakResidentBytes())
    report.set("items_per_second", Double(count) / seconds)
    report.set("seconds", seconds)
    report.set("history_events", integer: result.history.count)
    return report
  }

  /// Repeats `body` for at least `seconds` and returns the seconds per call.
  static func timePerCall(seconds: Double, _ body: () throws(BenchError) -> Void) throws(BenchError)
    -> Double
  {
    try body()
    var calls = 0
    let start = monotonicSeconds()
    var now = start
    while calls < 3 || now - start < seconds {
      try body()
      calls += 1
      now = monotonicSeconds()
    }
    return (now - start) / Double(calls)
  }

  static func foundationParse(_ data: Data) throws(BenchError) {
    do {
      _ = try JSONSerialization.jsonObject(with: data)
    } catch {
      throw BenchError("JSONSerialization rejected the input: \(error)")
    }
  }

  static func parse(_ bytes: [UInt8]) throws(BenchError) {
    do {
      _ = try JSONParser.parse(bytes)
    } catch {
      throw BenchError("JSONParser rejected the input: \(error)")
    }
  }

  static func parseDefinition(_ settings: BenchSettings) throws(BenchError) -> CaseReport {
    let bytes = JSONSerializer(style: .pretty).bytes(Generators.largeDefinition(count: 1000))
    let data = Data(bytes)
    let megabytes = Double(bytes.count) / 1_000_000
    let share = settings.seconds / 3
    let full = try timePerCall(seconds: share) { () throws(BenchError) in
      _ = try settings.machine(bytes: bytes, label: "generated definition")
    }
    let parser = try timePerCall(seconds: share) { () throws(BenchError) in try parse(bytes) }
    let foundation = try timePerCall(seconds: share) { () throws(BenchError) in
      try foundationParse(data)
    }
    var report = CaseReport(name: "parse_definition_1000")
    report.set("executions_per_second", 1 / full)
    report.set("transitions_per_second", nil)
    report.set("peak_rss_bytes", integer: peakResidentBytes())
    report.set("megabytes", megabytes)
    report.set("megabytes_per_second", megabytes / full)
    report.set("parser_megabytes_per_second", megabytes / parser)
    report.set("foundation_megabytes_per_second", megabytes / foundation)
    report.set("ratio_to_foundation", foundation / full)
    report.set("parser_ratio_to_foundation", foundation / parser)
    return report
  }

  static func parseInput(_ settings: BenchSettings) throws(BenchError) -> CaseReport {
    let bytes = Generators.largeInput(bytes: 10_000_000)
    let data = Data(bytes)
    let megabytes = Double(bytes.count) / 1_000_000
    let ours = try timePerCall(seconds: settings.seconds / 2) { () throws(BenchError) in
      try parse(bytes)
    }
    let foundation = try timePerCall(seconds: settings.seconds / 2) { () throws(BenchError) in
      try foundationParse(data)
    }
    var report = CaseReport(name: "parse_input_10mb")
    report.set("executions_per_second", 1 / ours)
    report.set("transitions_per_second", nil)
    report.set("peak_rss_bytes", integer: peakResidentBytes())
    report.set("megabytes", megabytes)
    report.set("megabytes_per_second", megabytes / ours)
    report.set("foundation_megabytes_per_second", megabytes / foundation)
    report.set("ratio_to_foundation", foundation / ours)
    return report
  }
}
