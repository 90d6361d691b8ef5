import Foundation
import StepFunctions

/// Gathers the ``Coverage`` of any number of executions, per state machine, from tests that may
/// run in parallel: every method is safe to call from any task.
///
/// ```swift
/// let coverage = CoverageCollector()
///
/// @Test("The happy path publishes")
/// func happyPath() async throws {
///   let run = await WorkflowTest(machine).collectingCoverage(into: coverage, as: "VideoWorkflow")
///     .run(input: input)
///   run.expectSucceeded()
/// }
/// ```
///
/// Runs of a ``WorkflowTest`` record into the collector given to
/// ``WorkflowTest/collectingCoverage(into:as:)``, else into ``current`` (which the
/// ``CoverageTrait`` trait and ``collecting(_:)`` set); ``run(_:as:input:options:)`` runs a
/// ``StepFunctionsRuntime/StateMachine`` directly. State machines are told apart by name: the
/// first definition recorded under a name gives the items.
public final class CoverageCollector: @unchecked Sendable {
  private let lock = NSLock()
  private var byName: [String: Coverage] = [:]

  /// The collector the current task records into, set by ``collecting(_:)`` and by the
  /// ``CoverageTrait`` trait; `nil` outside them.
  @TaskLocal public static var current: CoverageCollector?

  /// Creates an empty collector.
  public init() {}

  /// Adds `machine`'s items under `name`, uncovered, if the collector has none yet — so that a
  /// machine no execution ran still shows, at 0%.
  public func register(_ machine: StateMachine, as name: String) {
    lock.withLock {
      if byName[name] == nil { byName[name] = Coverage(machine, name: name) }
    }
  }

  /// Adds what `result`, an execution of `machine`, covered under `name` (nothing, if it ran
  /// without ``StepFunctionsRuntime/ExecutionOptions/recordsCoverage``).
  public func record(_ result: ExecutionResult, of machine: StateMachine, as name: String) {
    lock.withLock {
      var coverage = byName[name] ?? Coverage(machine, name: name)
      coverage.add(result)
      byName[name] = coverage
    }
  }

  /// Adds what a replay of `machine` covered under `name` (run it with
  /// ``StepFunctionsReplay/ReplayOptions/recordsCoverage`` on).
  public func record(_ replay: ReplayResult, of machine: StateMachine, as name: String) {
    if let execution = replay.execution { record(execution, of: machine, as: name) }
  }

  /// Runs `machine` with coverage recorded and adds what it covered under `name`.
  public func run(
    _ machine: StateMachine, as name: String, input: JSON = .object(JSONObject()),
    options: ExecutionOptions = ExecutionOptions()
  ) async -> ExecutionResult {
    var options = options
    options.recordsCoverage = true
    let result = await machine.run(input: input, options: options)
    record(result, of: machine, as: name)
    return result
  }

  /// The coverage gathered under `name`, if any.
  public func coverage(of name: String) -> Coverage? { lock.withLock { byName[name] } }

  /// The coverage of every state machine, by name.
  public var coverages: [Coverage] {
    lock.withLock { byName.values.sorted { $0.stateMachineName < $1.stateMachineName } }
  }

  /// Runs `body` with this collector as ``current``, so that the ``WorkflowTest`` runs inside
  /// it record here.
  public func collecting<Result>(_ body: () async throws -> Result) async rethrows -> Result {
    try await Self.$current.withValue(self) { try await body() }
  }
}
