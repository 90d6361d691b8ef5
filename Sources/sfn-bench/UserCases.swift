import Foundation
import MediaTasks
import StepFunctions

/// Cases that measure what a test suite pays: the fixed cost of one execution, loading and
/// running each shipped workflow once, and executions on several tasks at once.
enum UserCases {
  static let all: [BenchCase] = [
    BenchCase(
      name: "fixed_cost",
      summary:
        "a one-state Pass machine: the fixed cost of an execution, and of ExecutionOptions()",
      isShared: false
    ) { (settings) throws(BenchError) in try await fixedCost(settings) },
    BenchCase(
      name: "test_suite",
      summary:
        "load + validate + compile + run once each shipped workflow (StateMachines/) on MediaTasks",
      isShared: false
    ) { (settings) throws(BenchError) in try await testSuite(settings) },
    BenchCase(
      name: "parallel_scaling",
      summary: "pass_chain.json in 1, 2 and 8 concurrent execution loops (a task group)",
      isShared: false
    ) { (settings) throws(BenchError) in try await parallelScaling(settings) },
  ]

  /// The one-state machine of `fixed_cost`.
  static let oneState = #"{"StartAt":"Done","States":{"Done":{"Type":"Pass","End":true}}}"#

  static func fixedCost(_ settings: BenchSettings) async throws(BenchError) -> CaseReport {
    let machine = try settings.machine(bytes: Array(oneState.utf8), label: "one-state machine")
    let loop = ExecutionLoop(machine: machine, input: .object(JSONObject()))
    var report = try await Cases.styledReport("fixed_cost", loop, settings)
    for (key, rateKey) in [
      ("nanoseconds_per_execution", "executions_per_second"),
      ("main_actor_nanoseconds_per_execution", "main_actor_executions_per_second"),
      ("reused_options_nanoseconds_per_execution", "reused_options_executions_per_second"),
    ] {
      if let rate = report.number(rateKey) { report.set(key, 1e9 / rate) }
    }
    // ExecutionOptions() alone, kept alive so that it is really built.
    var kept = ExecutionOptions()
    let perOptions = try Cases.timePerCall(seconds: settings.seconds / 4) {
      () throws(BenchError) in
      for _ in 0..<1000 { kept = ExecutionOptions() }
    }
    withExtendedLifetime(kept) {}
    report.set("nanoseconds_per_options", perOptions * 1e6)
    return report
  }

  /// One test of a shipped workflow: its name, the input, and the workflows it starts.
  struct WorkflowTest {
    var name: String
    var input: JSON
    var children: [String]
  }

  static func stateMachinesFolder(_ settings: BenchSettings) -> String {
    // The bench folder is ../shared/bench from the package root.
    let root = ((settings.benchDirectory as NSString).deletingLastPathComponent as NSString)
      .deletingLastPathComponent
    let beside = (root as NSString).appendingPathComponent("StateMachines")
    return FileManager.default.fileExists(atPath: beside) ? beside : "StateMachines"
  }

  static func testSuite(_ settings: BenchSettings) async throws(BenchError) -> CaseReport {
    let folder = stateMachinesFolder(settings)
    let files =
      ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
      .filter { $0.hasSuffix(".asl.json") }.sorted()
    guard !files.isEmpty else { throw BenchError("no workflows in \(folder)") }
    var tests: [WorkflowTest] = []
    for file in files {
      let name = String(file.dropLast(".asl.json".count))
      let example = name.hasSuffix(".jsonata") ? String(name.dropLast(".jsonata".count)) : name
      let inputPath = "\(folder)/examples/\(example).input.json"
      guard let data = FileManager.default.contents(atPath: inputPath),
        let input = try? JSONParser.parse([UInt8](data))
      else { throw BenchError("cannot read \(inputPath)") }
      // media-ingest-backfill starts media-ingest-pipeline as a child execution.
      let children = name == "media-ingest-backfill" ? ["media-ingest-pipeline"] : []
      tests.append(WorkflowTest(name: name, input: input, children: children))
    }
    func load(_ name: String) throws(BenchError) -> StateMachine {
      do {
        return try StateMachine(contentsOf: URL(fileURLWithPath: "\(folder)/\(name).asl.json"))
      } catch {
        throw BenchError("\(name): \(error)")
      }
    }
    /// One test as WorkflowTests runs it: a sample world, its handlers, a fixed name.
    func runTest(_ test: WorkflowTest, loadSeconds: inout Double) async throws(BenchError)
      -> ExecutionResult
    {
      let start = monotonicSeconds()
      let machine = try load(test.name)
      var options = ExecutionOptions()
      for child in test.children { options.stateMachines.register(try load(child), name: child) }
      loadSeconds += monotonicSeconds() - start
      let world = MediaWorld.sample()
      options.handlers = world.handlers
      options.executionName = "test-execution"
      return await machine.run(input: test.input, options: options)
    }
    var ignored = 0.0
    for test in tests {
      let result = try await runTest(test, loadSeconds: &ignored)
      guard result.status == .succeeded else {
        throw BenchError("\(test.name) ended \(result.status): \(result.error ?? "")")
      }
    }
    var rounds = 0
    var loadSeconds = 0.0
    var transitions = 0
    let start = monotonicSeconds()
    var now = start
    while rounds < max(3, settings.runs ?? 0)
      || (settings.runs == nil && now - start < settings.seconds)
    {
      for test in tests {
        transitions += try await runTest(test, loadSeconds: &loadSeconds).stateTransitions
      }
      rounds += 1
      now = monotonicSeconds()
    }
    let perTest = (now - start) / Double(rounds * tests.count)
    var report = CaseReport(name: "test_suite")
    report.set("executions_per_second", 1 / perTest)
    report.set("transitions_per_second", Double(transitions) / (now - start))
    report.set("peak_rss_bytes", integer: peakResidentBytes())
    report.set("workflows", integer: tests.count)
    report.set("microseconds_per_test", perTest * 1e6)
    report.set(
      "microseconds_loading_per_test", loadSeconds / Double(rounds * tests.count) * 1e6)
    return report
  }

  static func parallelScaling(_ settings: BenchSettings) async throws(BenchError) -> CaseReport {
    let loop = ExecutionLoop(
      machine: try settings.machine("pass_chain.json"),
      input: try settings.json("pass_chain.input.json"))
    _ = try await loop.check()
    var report = CaseReport(name: "parallel_scaling")
    var single = 0.0
    let share = settings.runs == nil ? settings.seconds / 3 : 0
    for width in [1, 2, 8] {
      let start = monotonicSeconds()
      let runs = await withTaskGroup(of: Int.self) { group in
        for _ in 0..<width {
          group.addTask {
            await loop.loopFresh(seconds: share, minimumRuns: settings.runs ?? 3).runs
          }
        }
        return await group.reduce(0, +)
      }
      let rate = Double(runs) / (monotonicSeconds() - start)
      if width == 1 {
        single = rate
        report.set("executions_per_second", rate)
        report.set("transitions_per_second", nil)
        report.set("peak_rss_bytes", integer: peakResidentBytes())
      } else {
        report.set("loops_\(width)_executions_per_second", rate)
        report.set("loops_\(width)_scaling", rate / single)
      }
    }
    report.set("cpus", integer: ProcessInfo.processInfo.activeProcessorCount)
    report.set("peak_rss_bytes", integer: peakResidentBytes())
    return report
  }
}
