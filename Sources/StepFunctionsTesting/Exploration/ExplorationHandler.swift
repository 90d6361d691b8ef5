import StepFunctions
import Synchronization

/// What the explorer makes one Task invocation do.
enum ExplorationDecision: Hashable, Sendable {
  /// Answer as the mock file or the handlers do (or `{}` when neither covers the state).
  case answer
  /// Fail with this error (every attempt of the entry, retries included).
  case inject(String)
}

/// The Task states of a definition, with the answers each invocation can take.
struct ExplorationCatalog: Sendable {
  /// The alternatives of each Task state, by name: `.answer` first, then one injected error per
  /// class of equivalent errors, in the order the errors are listed.
  var alternatives: [String: [ExplorationDecision]] = [:]
  /// Every state name, nested ones included, in document order.
  var stateNames: [String] = []

  init(definition: StateMachineDefinition, mergesEquivalentErrors: Bool) {
    DefinitionWalk.visit(definition.graph) { state, _ in stateNames.append(state.name) }
    collect(definition.graph, around: [], merging: mergesEquivalentErrors)
  }

  /// The error names a Task can fail with: those its own `Retry` and `Catch` name, then those of
  /// the Parallel and Map states around it (innermost first), then `States.Timeout` and
  /// `States.TaskFailed`; `States.ALL` is left out (the last two stand for it).
  static func candidateErrors(_ state: State, around: [State]) -> [String] {
    var names: [String] = []
    for holder in [state] + around.reversed() {
      for list in holder.retriers.map(\.errorEquals) + holder.catchers.map(\.errorEquals) {
        for name in list where name != StatesError.Names.all && !names.contains(name) {
          names.append(name)
        }
      }
    }
    for name in [StatesError.Names.timeout, StatesError.Names.taskFailed]
    where !names.contains(name) {
      names.append(name)
    }
    return names
  }

  private mutating func collect(_ graph: StateGraph, around: [State], merging: Bool) {
    for state in graph.states {
      switch state.kind {
      case .task:
        var decisions: [ExplorationDecision] = [.answer]
        var seen: Set<String> = []
        for error in Self.candidateErrors(state, around: around) {
          let key = merging ? Self.handlingKey(error, state) : error
          if seen.insert(key).inserted { decisions.append(.inject(error)) }
        }
        alternatives[state.name] = decisions
      case .parallel(let parallel):
        for branch in parallel.branches {
          collect(branch, around: around + [state], merging: merging)
        }
      case .map(let map):
        collect(map.processor, around: around + [state], merging: merging)
      default:
        break
      }
    }
  }

  /// Errors a Task's own `Catch` catches with the same catcher after the same retrier are
  /// handled alike; an error no catcher of the Task catches keeps its name (it ends the
  /// execution, or reaches a Parallel or Map, by name).
  static func handlingKey(_ error: String, _ state: State) -> String {
    let retrier = state.retriers.firstIndex { retrier in
      matches(retrier.errorEquals, error) && retrier.maxAttempts > 0
    }
    guard let catcher = state.catchers.firstIndex(where: { matches($0.errorEquals, error) }) else {
      return "uncaught:" + error
    }
    return "retrier:\(retrier.map(String.init) ?? "-") catcher:\(catcher)"
  }

  /// How retriers and catchers match a task's error (as the engine does): by name, by
  /// `States.ALL`, or by `States.TaskFailed` for every error not named `States.…`.
  static func matches(_ errorEquals: [String], _ error: String) -> Bool {
    errorEquals.contains { candidate in
      candidate == error || candidate == StatesError.Names.all
        || (candidate == StatesError.Names.taskFailed && !error.hasPrefix("States."))
    }
  }
}

/// Holds the execution once `StateMachine.start` returns it, for a handler that must stop it.
final class ExecutionSlot: Sendable {
  private let state = Mutex<(Execution?, [CheckedContinuation<Execution, Never>])>((nil, []))

  func fill(_ execution: Execution) {
    let waiting = state.withLock { slot in
      slot.0 = execution
      defer { slot.1 = [] }
      return slot.1
    }
    for continuation in waiting { continuation.resume(returning: execution) }
  }

  func execution() async -> Execution {
    await withCheckedContinuation { continuation in
      let ready = state.withLock { slot -> Execution? in
        if let execution = slot.0 { return execution }
        slot.1.append(continuation)
        return nil
      }
      if let ready { continuation.resume(returning: ready) }
    }
  }
}

/// The task handler of one exploration run: takes each Task invocation's decision from the
/// prefix it was given (then `.answer`), records the choices it had, and cuts the run when a
/// state is entered more often than the visit limit.
final class ExplorationHandler: TaskHandler {
  struct Choice: Hashable {
    var index: Int
    var count: Int
  }

  struct Record {
    var trace: [Choice] = []
    var outcomes: [TaskOutcome] = []
    var visits: [String: Int] = [:]
    /// The decision and outcome index of the latest entry of a state, by `name|scopes`.
    var latest: [String: (ExplorationDecision, Int)] = [:]
    /// Decisions by `name|scopes#visit`, for Map iterations that repeat an earlier one.
    var byEntry: [String: ExplorationDecision] = [:]
    var cutState: String?
  }

  let catalog: ExplorationCatalog
  let prefix: [Int]
  let visitLimit: Int
  let branchingIterations: Int
  let handlers: TaskHandlerRegistry
  let responder: MockResponder?
  let slot: ExecutionSlot
  private let record = Mutex(Record())

  init(
    catalog: ExplorationCatalog, prefix: [Int], visitLimit: Int, branchingIterations: Int,
    handlers: TaskHandlerRegistry, testCase: MockTestCase?, slot: ExecutionSlot
  ) {
    self.catalog = catalog
    self.prefix = prefix
    self.visitLimit = visitLimit
    self.branchingIterations = branchingIterations
    self.handlers = handlers
    self.responder = testCase.map { MockResponder(testCase: $0, handlers: handlers) }
    self.slot = slot
  }

  var result: Record { record.withLock { $0 } }

  func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    guard let alternatives = catalog.alternatives[request.stateName] else {
      // An ItemReader or ResultWriter call of a Map state: not a decision point.
      return try await answer(request, context: context)
    }
    let entry = request.stateName + "|" + request.scopes.map(\.description).joined(separator: "/")
    enum Step {
      case perform(ExplorationDecision, Int)
      case cut
    }
    let step = record.withLock { record -> Step in
      if record.cutState != nil { return .cut }
      if request.attempt > 0, let (decision, index) = record.latest[entry] {
        record.outcomes[index].attempts += 1
        return .perform(decision, index)
      }
      let visit = record.visits[entry, default: 0] + 1
      record.visits[entry] = visit
      if visit > visitLimit {
        record.cutState = request.stateName
        return .cut
      }
      let decision: ExplorationDecision
      if let source = repeatedEntry(request, visit: visit), let earlier = record.byEntry[source] {
        decision = earlier
      } else {
        let position = record.trace.count
        let choice = position < prefix.count ? min(prefix[position], alternatives.count - 1) : 0
        record.trace.append(Choice(index: choice, count: alternatives.count))
        decision = alternatives[choice]
      }
      record.byEntry[entry + "#\(visit)"] = decision
      var outcome = TaskOutcome(stateName: request.stateName)
      if case .inject(let error) = decision {
        outcome.error = error
        outcome.isInjected = true
      }
      record.outcomes.append(outcome)
      record.latest[entry] = (decision, record.outcomes.count - 1)
      return .perform(decision, record.outcomes.count - 1)
    }
    switch step {
    case .cut:
      await slot.execution().stop(
        error: Exploration.visitLimitError,
        cause: "The exploration cut the run at the state '\(request.stateName)'.")
      return .null
    case .perform(.inject(let error), _):
      throw TaskFailure(error: error, cause: "Injected by the exploration.")
    case .perform(.answer, let index):
      do {
        let value = try await answer(request, context: context)
        record.withLock { $0.outcomes[index].error = nil }
        return value
      } catch {
        let name: String
        switch error {
        case let failure as TaskFailure: name = failure.error
        case let failure as StatesError: name = failure.name
        default: name = StatesError.Names.taskFailed
        }
        record.withLock { $0.outcomes[index].error = name }
        throw error
      }
    }
  }

  /// For an invocation in a Map iteration at or past ``branchingIterations``: the entry of the
  /// last branching iteration it repeats (same state, same visit number).
  private func repeatedEntry(_ request: TaskRequest, visit: Int) -> String? {
    var repeats = false
    let scopes = request.scopes.map { scope -> String in
      if case .mapIteration(let map, let index) = scope, index >= branchingIterations {
        repeats = true
        return TaskToken.Scope.mapIteration(mapState: map, index: branchingIterations - 1)
          .description
      }
      return scope.description
    }
    guard repeats else { return nil }
    return request.stateName + "|" + scopes.joined(separator: "/") + "#\(visit)"
  }

  /// The answer of the mock file, else of the handlers, else `{}`.
  private func answer(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    if let responder, responder.testCase.response(forState: request.stateName) != nil {
      return try await responder.invoke(request, context: context)
    }
    if let handler = handlers.handler(for: request.resource) {
      return try await handler.invoke(request, context: context)
    }
    if request.resource.pattern == .waitForTaskToken {
      context.scheduleCallback(after: 0, .success(.object(JSONObject())))
      return .null
    }
    return .object(JSONObject())
  }
}
