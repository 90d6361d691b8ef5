import StepFunctions

/// What to emphasise in a picture of a state machine: the path one execution took (states
/// entered, the failed state, edges taken), or what a test suite covered and missed.
///
/// States are named by their state names (unique across a machine) and edges by
/// ``StateMachineGraph/Edge/ID`` (the state they leave and their kind). Names the graph does not
/// have are ignored when drawing (``StateMachineGraph/unknownNames(in:)`` lists them).
///
/// ```swift
/// let highlight = GraphHighlight(history: run.history, definition: machine.definition)
/// print(MermaidRenderer().render(StateMachineGraph(definition: machine.definition),
///                                highlighting: highlight))
/// ```
public struct GraphHighlight: Sendable, Hashable {
  /// The states an execution entered, in the order first entered (drawn green).
  public var enteredStates: [String]
  /// The states whose failure ended the execution (drawn red): the state that failed and the
  /// Parallel or Map states it failed.
  public var failedStates: Set<String>
  /// The transitions an execution took (drawn thick and green).
  public var takenEdges: Set<StateMachineGraph.Edge.ID>
  /// States a test suite entered (drawn green).
  public var coveredStates: Set<String>
  /// States a test suite never entered (drawn orange, dashed).
  public var uncoveredStates: Set<String>
  /// Choice rules, `Default`s, catchers and branches a test suite took (drawn green).
  public var coveredEdges: Set<StateMachineGraph.Edge.ID>
  /// Choice rules, `Default`s, catchers and branches a test suite never took (drawn orange).
  public var uncoveredEdges: Set<StateMachineGraph.Edge.ID>
  /// Retriers a test suite never saw fire, by state: the `ErrorEquals` of each, in definition
  /// order (listed in the state's label).
  public var uncoveredRetriers: [String: [[String]]]

  /// Creates a highlight; everything is empty unless given.
  public init(
    enteredStates: [String] = [], failedStates: Set<String> = [],
    takenEdges: Set<StateMachineGraph.Edge.ID> = [], coveredStates: Set<String> = [],
    uncoveredStates: Set<String> = [], coveredEdges: Set<StateMachineGraph.Edge.ID> = [],
    uncoveredEdges: Set<StateMachineGraph.Edge.ID> = [],
    uncoveredRetriers: [String: [[String]]] = [:]
  ) {
    self.enteredStates = enteredStates
    self.failedStates = failedStates
    self.takenEdges = takenEdges
    self.coveredStates = coveredStates
    self.uncoveredStates = uncoveredStates
    self.coveredEdges = coveredEdges
    self.uncoveredEdges = uncoveredEdges
    self.uncoveredRetriers = uncoveredRetriers
  }

  /// Whether nothing is highlighted.
  public var isEmpty: Bool { allStateNames.isEmpty && allEdges.isEmpty }

  /// Every state name mentioned.
  var allStateNames: Set<String> {
    Set(enteredStates).union(failedStates).union(coveredStates).union(uncoveredStates)
      .union(uncoveredRetriers.keys)
  }

  /// Every edge mentioned.
  var allEdges: Set<StateMachineGraph.Edge.ID> {
    takenEdges.union(coveredEdges).union(uncoveredEdges)
  }

  /// The path an execution took, read from its history: the states entered, the transitions
  /// between them, and, when the execution failed, timed out or was aborted, the state whose
  /// failure ended it (with the Parallel and Map states around it).
  ///
  /// A transition is read from two states entered one after the other in the same scope (the
  /// top level, one Parallel branch, one Map iteration): when the first exited, the `Next`,
  /// Choice rule or `Default` that leads to the second; when it did not (it failed), the
  /// catcher that does. A history does not say which of several Choice rules (or catchers)
  /// with the same target matched, so each of them is highlighted.
  ///
  /// - Parameters:
  ///   - history: a recorded or imported history.
  ///   - definition: the definition the execution ran.
  public init(history: ExecutionHistory, definition: StateMachineDefinition) {
    self.init()
    let path = ExecutionPath(history: history, definition: definition)
    let states = DefinitionIndex(definition)
    var seen: Set<String> = []
    for step in path.steps where seen.insert(step.name).inserted { enteredStates.append(step.name) }
    let finalType = history.events.last?.type
    let ended =
      finalType == "ExecutionFailed" || finalType == "ExecutionTimedOut"
      || finalType == "ExecutionAborted"

    // Steps by scope (the top level, each branch, each iteration), in order.
    var groups: [[PathStep.Scope]: [PathStep]] = [:]
    var order: [[PathStep.Scope]] = []
    for step in path.steps {
      if groups[step.scopes] == nil { order.append(step.scopes) }
      groups[step.scopes, default: []].append(step)
    }
    if !path.steps.isEmpty { takenEdges.insert(.init(state: nil, kind: .start)) }
    for scopes in order {
      let steps = groups[scopes] ?? []
      if !steps.isEmpty, let scope = scopes.last {
        switch scope {
        case .parallelBranch(let state, let index):
          takenEdges.insert(.init(state: state, kind: .branch(index)))
        case .mapIteration(let state, _):
          takenEdges.insert(.init(state: state, kind: .branch(0)))
        }
      }
      for (from, to) in zip(steps, steps.dropFirst()) {
        guard let state = states.state(named: from.name) else { continue }
        for kind in Self.kinds(from: state, exited: from.exitedEventId != nil, to: to.name) {
          takenEdges.insert(.init(state: from.name, kind: kind))
        }
      }
      if let last = steps.last, last.exitedEventId != nil,
        let state = states.state(named: last.name),
        state.endsScope
      {
        takenEdges.insert(.init(state: last.name, kind: .end))
      }
    }

    // Failed states, outermost first: the last step of its scope that never exited, at the top
    // level when the execution ended badly, inside a scope when the scope's state failed.
    guard ended else { return }
    for scopes in order.sorted(by: { $0.count < $1.count }) {
      guard let last = groups[scopes]?.last, last.exitedEventId == nil else { continue }
      let containerFailed: Bool
      switch scopes.last {
      case nil: containerFailed = true
      case .parallelBranch(let state, _), .mapIteration(let state, _):
        containerFailed = failedStates.contains(state)
      }
      if containerFailed { failedStates.insert(last.name) }
    }
  }

  /// The kinds of the transitions from `state` to the state named `next`: the `Next`, Choice
  /// rules or `Default` that lead there when the state exited, else (or when none does) the
  /// catchers that do.
  private static func kinds(from state: State, exited: Bool, to next: String)
    -> [StateMachineGraph.Edge.Kind]
  {
    var kinds: [StateMachineGraph.Edge.Kind] = []
    if exited {
      if case .choice(let choice) = state.kind {
        for (index, branch) in choice.choices.enumerated() where branch.next == next {
          kinds.append(.choiceRule(index))
        }
        if choice.defaultState == next { kinds.append(.choiceDefault) }
      } else if case .next(let name) = state.transition, name == next {
        kinds.append(.next)
      }
    }
    if kinds.isEmpty {
      for (index, catcher) in state.catchers.enumerated() where catcher.next == next {
        kinds.append(.catcher(index))
      }
    }
    return kinds
  }
}

/// Every state of a definition by name, at any depth.
struct DefinitionIndex {
  private var states: [String: State] = [:]

  init(_ definition: StateMachineDefinition) { add(definition.graph) }

  private mutating func add(_ graph: StateGraph) {
    for state in graph.states {
      if states[state.name] == nil { states[state.name] = state }
      switch state.kind {
      case .parallel(let parallel): for branch in parallel.branches { add(branch) }
      case .map(let map): add(map.processor)
      default: break
      }
    }
  }

  func state(named name: String) -> State? { states[name] }
}

extension State {
  /// Whether the state ends its scope (`End: true`, `Succeed`, `Fail`): it has an `end` edge.
  var endsScope: Bool {
    switch kind {
    case .succeed, .fail: return true
    case .choice: return false
    default: return transition == .end
    }
  }
}
