import StepFunctions

/// Enumerates the executions a state machine can have: every Task may answer as its mock or
/// handler does, or fail with each error its `Retry` and `Catch` name (and those of the Parallel
/// and Map states around it) plus `States.Timeout` and `States.TaskFailed`; every Choice goes the
/// way the data of that execution takes it. Each execution runs on the real engine and the
/// virtual clock, so the semantics are exactly those of ``StateMachine/run(input:options:)``.
///
/// ```swift
/// let report = await Exploration(
///   machine, inputs: [["videoId": "v-1"]],
///   properties: [
///     .statusIs([.succeeded]).or(.errorIs(["VideoProcessingFailed", "InvalidVideo"])),
///     try ExplorationProperty(parsing: "enters TranscodeVideo => enters NotifyFailure|Published"),
///   ]
/// ).run()
/// #expect(report.violations.isEmpty)
/// #expect(report.unreachableStates.isEmpty)
/// ```
///
/// **How it searches.** Depth first over the decisions of the Task invocations, in the order
/// the engine makes them (deterministic, Parallel branches and Map iterations included): the
/// first run answers every invocation as the handlers do; each next run repeats the decisions of
/// the previous one up to the last invocation that has an alternative left, and takes that
/// alternative. Runs that give the same path (states, outcomes, status, error) are reported once.
///
/// **What it collapses, so that it stays small.**
/// - Errors a Task's own catchers handle alike (the same catcher, after the same retrier) are one
///   alternative, named by the first of them; errors no catcher of the Task catches stay apart.
///   Set ``mergesEquivalentErrors`` to `false` to try every name (a catcher's `ResultPath` can
///   pass the name on to a Choice).
/// - An injected error fails every attempt of that entry into the state, so a retrier that
///   matches it runs out; a retry that recovers gives the states of the answer's path.
/// - In a Map, iterations from ``branchingIterations`` on repeat the decisions of the last
///   branching iteration, state by state.
/// - A state entered more than ``visitLimit`` times (in one Map iteration or branch) cuts the run
///   there: the path is reported with the status `TRUNCATED`.
/// - At most ``maxPaths`` distinct paths, and ``maxRuns`` executions, per exploration.
public struct Exploration: Sendable {
  /// The error a run cut at the visit limit is stopped with.
  static let visitLimitError = "Exploration.VisitLimit"

  /// The state machine.
  public var machine: StateMachine
  /// The execution inputs; each is explored in turn (more inputs, more ways through Choices).
  public var inputs: [JSON]
  /// Builds the handlers that answer Tasks, afresh for every run. States no handler serves
  /// answer `{}` (a `.waitForTaskToken` task gets `{}` as its callback's output).
  public var handlers: @Sendable () -> TaskHandlerRegistry
  /// A Step Functions Local test case whose mocked responses answer the states it mocks, with
  /// its counting rules (fresh counters per run; injected failures do not count).
  public var testCase: MockTestCase?
  /// The properties every path must have.
  public var properties: [ExplorationProperty]
  /// The most distinct paths to report.
  public var maxPaths: Int
  /// The most executions to run (a bound on runs that repeat a path already found).
  public var maxRuns: Int
  /// How many times a state may be entered (per Map iteration or branch) before the run is cut.
  public var visitLimit: Int
  /// How many iterations of each Map branch on their own; later ones repeat the last of them.
  public var branchingIterations: Int
  /// Whether errors a Task's catchers handle alike are tried once (see the type's summary).
  public var mergesEquivalentErrors: Bool
  /// The execution options (seed, name, behaviour date...); their handlers are replaced.
  public var options: ExecutionOptions

  /// Creates an exploration.
  public init(
    _ machine: StateMachine, inputs: [JSON] = [.object(JSONObject())],
    handlers: @escaping @Sendable () -> TaskHandlerRegistry = { TaskHandlerRegistry() },
    testCase: MockTestCase? = nil, properties: [ExplorationProperty] = [],
    maxPaths: Int = 1000, visitLimit: Int = 3, branchingIterations: Int = 1,
    mergesEquivalentErrors: Bool = true, options: ExecutionOptions = ExecutionOptions()
  ) {
    self.machine = machine
    self.inputs = inputs
    self.handlers = handlers
    self.testCase = testCase
    self.properties = properties
    self.maxPaths = max(1, maxPaths)
    self.maxRuns = max(1, maxPaths) * 10
    self.visitLimit = max(1, visitLimit)
    self.branchingIterations = max(1, branchingIterations)
    self.mergesEquivalentErrors = mergesEquivalentErrors
    self.options = options
  }

  /// Explores every input and checks the properties.
  public func run() async -> ExplorationReport {
    let catalog = ExplorationCatalog(
      definition: machine.definition, mergesEquivalentErrors: mergesEquivalentErrors)
    var paths: [ExploredPath] = []
    var seen: Set<ExploredPath.Key> = []
    var runs = 0
    var complete = true
    search: for (inputIndex, input) in inputs.enumerated() {
      var prefix: [Int] = []
      while true {
        guard runs < maxRuns, paths.count < maxPaths else {
          complete = false
          break search
        }
        runs += 1
        let (path, trace) = await runOnce(input: input, prefix: prefix, catalog: catalog)
        var found = path
        found.inputIndex = inputIndex
        if seen.insert(found.key).inserted { paths.append(found) }
        var next = trace
        var advanced = false
        while let last = next.popLast() {
          if last.index + 1 < last.count {
            prefix = next.map(\.index) + [last.index + 1]
            advanced = true
            break
          }
        }
        if !advanced { break }
      }
    }
    let entered = Set(paths.flatMap(\.states))
    let unreachable = catalog.stateNames.filter { !entered.contains($0) }
    let violations = properties.compactMap { property -> PropertyViolation? in
      let failing = paths.filter { !property.holds($0) }
      guard let shortest = failing.min(by: { $0.states.count < $1.states.count }) else {
        return nil
      }
      return PropertyViolation(
        property: property, counterexample: shortest, violatingPathCount: failing.count)
    }
    return ExplorationReport(
      paths: paths, unreachableStates: unreachable, violations: violations,
      isComplete: complete, runCount: runs, inputCount: inputs.count)
  }

  /// One execution with the decisions `prefix`.
  private func runOnce(input: JSON, prefix: [Int], catalog: ExplorationCatalog) async -> (
    ExploredPath, [ExplorationHandler.Choice]
  ) {
    let slot = ExecutionSlot()
    let handler = ExplorationHandler(
      catalog: catalog, prefix: prefix, visitLimit: visitLimit,
      branchingIterations: branchingIterations, handlers: handlers(), testCase: testCase,
      slot: slot)
    var options = self.options
    var registry = TaskHandlerRegistry()
    registry.registerFallback(handler)
    options.handlers = registry
    options.waitsForCallbacks = false
    if let testCase, options.stateMachineName == ExecutionOptions().stateMachineName {
      options.stateMachineName = testCase.stateMachineName
    }
    let execution = machine.start(input: input, options: options)
    slot.fill(execution)
    let result = await execution.result()
    let record = handler.result
    let steps = ExecutionPath(history: result.history, definition: machine.definition).steps
    var path = ExploredPath(
      entries: Self.entries(steps, mapRuns: result.mapRuns), outcomes: record.outcomes,
      result: result, visitLimit: visitLimit, cutState: record.cutState)
    if path.status == .truncated, path.truncatedAt == nil { path.truncatedAt = record.cutState }
    return (path, record.trace)
  }
}

extension Exploration {
  /// The states entered, each with the Map iterations and Parallel branches around it; the
  /// states of a distributed Map's child executions (whose events are not in the parent's
  /// history) follow the Map state's entry, child by child.
  static func entries(_ steps: [PathStep], mapRuns: [MapRun]) -> [(name: String, scope: String)] {
    var children: [String: [(name: String, scope: String)]] = [:]
    for run in mapRuns {
      for child in run.executions.sorted(by: { $0.index < $1.index }) {
        for event in child.history {
          if case .stateEntered(let name, _) = event.details {
            children[run.stateName, default: []].append(
              (name, "\(run.stateName)[\(child.index)]"))
          }
        }
      }
    }
    var entries: [(name: String, scope: String)] = []
    for step in steps {
      entries.append((step.name, step.scopes.map(\.description).joined(separator: "/")))
      if let nested = children.removeValue(forKey: step.name) { entries += nested }
    }
    return entries
  }
}

/// What an exploration found.
public struct ExplorationReport: Sendable {
  /// The distinct paths, in the order the search found them.
  public var paths: [ExploredPath]
  /// The states (nested ones included, in document order) that no path entered.
  public var unreachableStates: [String]
  /// The properties that do not hold, each with its shortest counterexample.
  public var violations: [PropertyViolation]
  /// `false` when the search stopped at ``Exploration/maxPaths`` or ``Exploration/maxRuns``
  /// before trying every alternative (then ``unreachableStates`` may name reachable states).
  public var isComplete: Bool
  /// How many executions ran.
  public var runCount: Int
  /// How many inputs were explored.
  public var inputCount: Int

  /// Creates a report.
  public init(
    paths: [ExploredPath], unreachableStates: [String], violations: [PropertyViolation],
    isComplete: Bool, runCount: Int, inputCount: Int = 1
  ) {
    self.paths = paths
    self.unreachableStates = unreachableStates
    self.violations = violations
    self.isComplete = isComplete
    self.runCount = runCount
    self.inputCount = inputCount
  }

  /// `{"paths": [...], "unreachable": [...], "violations": [...]}`: each path as
  /// ``ExploredPath/json(includingInput:)`` (with `"input"`, its index, when several inputs were
  /// explored), each violation as `{"property", "violatingPaths", "counterexample"}`.
  public var json: JSON {
    let withInput = inputCount > 1
    var object = JSONObject()
    object.append(key: "paths", value: .array(paths.map { $0.json(includingInput: withInput) }))
    object.append(key: "unreachable", value: .array(unreachableStates.map(JSON.string)))
    object.append(
      key: "violations",
      value: .array(
        violations.map { violation in
          var entry = JSONObject()
          entry.append(key: "property", value: .string(violation.property.description))
          entry.append(
            key: "violatingPaths", value: .number(JSONNumber(violation.violatingPathCount)))
          entry.append(
            key: "counterexample", value: violation.counterexample.json(includingInput: withInput))
          return .object(entry)
        }))
    return .object(object)
  }
}

/// A property that does not hold on every path.
public struct PropertyViolation: Sendable {
  /// The property.
  public var property: ExplorationProperty
  /// The violating path with the fewest states (the first found among equals).
  public var counterexample: ExploredPath
  /// How many paths violate it.
  public var violatingPathCount: Int

  /// Creates a violation.
  public init(property: ExplorationProperty, counterexample: ExploredPath, violatingPathCount: Int)
  {
    self.property = property
    self.counterexample = counterexample
    self.violatingPathCount = violatingPathCount
  }
}

/// What one Task invocation did on a path (an entry into the state, retries included).
public struct TaskOutcome: Sendable, Hashable, CustomStringConvertible {
  /// The Task state's name.
  public var stateName: String
  /// The error it failed with, or `nil` when it succeeded (as far as its handler's answer
  /// shows: a failure a `.waitForTaskToken` handler sends later shows in the path only).
  public var error: String?
  /// How many times it was invoked (1 plus its retries).
  public var attempts: Int
  /// Whether the exploration injected the error (rather than a mock or handler answering).
  public var isInjected: Bool

  /// Creates an outcome.
  public init(stateName: String, error: String? = nil, attempts: Int = 1, isInjected: Bool = false)
  {
    self.stateName = stateName
    self.error = error
    self.attempts = attempts
    self.isInjected = isInjected
  }

  /// `CheckUpload: ok`, `CheckUpload: S3.S3Exception ×3 (injected)`.
  public var description: String {
    guard let error else { return "\(stateName): ok" + (attempts > 1 ? " ×\(attempts)" : "") }
    return "\(stateName): \(error)" + (attempts > 1 ? " ×\(attempts)" : "")
      + (isInjected ? " (injected)" : "")
  }

  /// `{"state", "error", "attempts", "injected"}`.
  public var json: JSON {
    var object = JSONObject()
    object.append(key: "state", value: .string(stateName))
    object.append(key: "error", value: error.map(JSON.string) ?? .null)
    object.append(key: "attempts", value: .number(JSONNumber(attempts)))
    object.append(key: "injected", value: .bool(isInjected))
    return .object(object)
  }
}

/// One distinct execution the exploration found.
public struct ExploredPath: Sendable, Hashable, CustomStringConvertible {
  /// How a path ended: an execution status, or cut at the visit limit.
  public enum Status: String, Sendable, Hashable, CaseIterable {
    /// The execution succeeded.
    case succeeded = "SUCCEEDED"
    /// The execution failed.
    case failed = "FAILED"
    /// The execution timed out.
    case timedOut = "TIMED_OUT"
    /// The execution was aborted.
    case aborted = "ABORTED"
    /// The execution stopped waiting for a callback that cannot come.
    case running = "RUNNING"
    /// The exploration cut the run: a state was entered more than the visit limit.
    case truncated = "TRUNCATED"
  }

  /// The states entered, in order, nested ones included.
  public var states: [String]
  /// The Task invocations, in the order the engine made them.
  public var outcomes: [TaskOutcome]
  /// How the path ended.
  public var status: Status
  /// The execution's error, if it did not succeed (`nil` when truncated).
  public var error: String?
  /// The execution's cause, if any.
  public var cause: String?
  /// For a truncated path, the state entered once too often.
  public var truncatedAt: String?
  /// The index of the input that found it.
  public var inputIndex: Int

  /// Creates a path.
  public init(
    states: [String], outcomes: [TaskOutcome], status: Status, error: String? = nil,
    cause: String? = nil, truncatedAt: String? = nil, inputIndex: Int = 0
  ) {
    self.states = states
    self.outcomes = outcomes
    self.status = status
    self.error = error
    self.cause = cause
    self.truncatedAt = truncatedAt
    self.inputIndex = inputIndex
  }

  init(
    entries: [(name: String, scope: String)], outcomes: [TaskOutcome], result: ExecutionResult,
    visitLimit: Int, cutState: String?
  ) {
    // Cut at the first entry past the visit limit (same state, same Map iteration or branch).
    var counts: [String: Int] = [:]
    var kept: [String] = []
    var cutAt: String?
    for entry in entries {
      let key = entry.name + "|" + entry.scope
      counts[key, default: 0] += 1
      kept.append(entry.name)
      if counts[key, default: 0] > visitLimit {
        cutAt = entry.name
        break
      }
    }
    states = kept
    self.outcomes = outcomes
    inputIndex = 0
    if cutState != nil || cutAt != nil {
      status = .truncated
      truncatedAt = cutAt ?? cutState
      error = nil
      cause = nil
      return
    }
    status = Status(rawValue: result.status.rawValue) ?? .failed
    error = result.status == .succeeded ? nil : result.error
    cause = result.status == .succeeded ? nil : result.cause
    truncatedAt = nil
  }

  struct Key: Hashable {
    var states: [String]
    var outcomes: [TaskOutcome]
    var status: Status
    var error: String?
    var truncatedAt: String?
  }

  var key: Key {
    Key(states: states, outcomes: outcomes, status: status, error: error, truncatedAt: truncatedAt)
  }

  /// `A → B → C (FAILED States.TaskFailed)`.
  public var description: String {
    var text = states.isEmpty ? "(no states entered)" : states.joined(separator: " → ")
    text += " (\(status.rawValue)"
    if let error { text += " \(error)" }
    if let truncatedAt { text += " at \(truncatedAt)" }
    return text + ")"
  }

  /// `{"states", "outcomes", "status", "error"}`, plus `"truncatedAt"` for a truncated path and
  /// `"input"` when asked.
  public func json(includingInput: Bool = false) -> JSON {
    var object = JSONObject()
    if includingInput { object.append(key: "input", value: .number(JSONNumber(inputIndex))) }
    object.append(key: "states", value: .array(states.map(JSON.string)))
    object.append(key: "outcomes", value: .array(outcomes.map(\.json)))
    object.append(key: "status", value: .string(status.rawValue))
    object.append(key: "error", value: error.map(JSON.string) ?? .null)
    if let truncatedAt { object.append(key: "truncatedAt", value: .string(truncatedAt)) }
    return .object(object)
  }
}
