import StepFunctionsJSON

/// The whole-machine rules that run after every field has been read: transitions, reachability,
/// terminal states, unique names, nesting depth. Each rule is a function over the loaded model;
/// the list of rules is data.
enum ValidationRules {
  typealias Rule =
    @Sendable (StateMachineDefinition, ValidationOptions, inout DiagnosticSink) -> Void

  static let all: [Rule] = [
    checkTransitions,
    checkUniqueNames,
    checkNestingDepth,
  ]

  static func check(
    _ definition: StateMachineDefinition, options: ValidationOptions, sink: inout DiagnosticSink
  ) {
    for rule in all { rule(definition, options, &sink) }
  }

  /// Every graph of the machine (the top level, branches, item processors), outermost first.
  static func graphs(of graph: StateGraph, depth: Int = 0, into result: inout [(StateGraph, Int)]) {
    result.append((graph, depth))
    // By index: `for state in` would copy every state (dozens of references each).
    for position in graph.states.indices {
      switch graph.states[position].kind {
      case .parallel(let parallel):
        for branch in parallel.branches { graphs(of: branch, depth: depth + 1, into: &result) }
      case .map(let map):
        graphs(of: map.processor, depth: depth + 1, into: &result)
      default:
        break
      }
    }
  }

  static func allGraphs(_ definition: StateMachineDefinition) -> [(StateGraph, Int)] {
    var result: [(StateGraph, Int)] = []
    graphs(of: definition.graph, into: &result)
    return result
  }

  /// The transitions out of a state, with the pointer of the field that names each target.
  static func targets(of state: State) -> [(String, JSONPointer)] {
    var result: [(String, JSONPointer)] = []
    if case .next(let next) = state.transition {
      result.append((next, state.pointer.appending("Next")))
    }
    if case .choice(let choice) = state.kind {
      for branch in choice.choices {
        result.append((branch.next, branch.pointer.appending("Next")))
      }
      if let fallback = choice.defaultState {
        result.append((fallback, state.pointer.appending("Default")))
      }
    }
    for (index, catcher) in state.catchers.enumerated() {
      result.append(
        (catcher.next, state.pointer.appending("Catch").appending(index).appending("Next")))
    }
    return result
  }

  /// Calls `body` with the name of each transition's target out of a state, in the order of
  /// ``targets(of:)`` (which also builds each field's pointer, needed only to report one).
  @inline(__always)
  static func forEachTarget(of state: State, _ body: (String) -> Void) {
    if case .next(let next) = state.transition { body(next) }
    if case .choice(let choice) = state.kind {
      for branch in choice.choices { body(branch.next) }
      if let fallback = choice.defaultState { body(fallback) }
    }
    for catcher in state.catchers { body(catcher.next) }
  }

  /// `StartAt`, `Next`, `Default` and catchers name states of the same graph; every state is
  /// reachable from `StartAt`; and the graph has a terminal state.
  static func checkTransitions(
    _ definition: StateMachineDefinition, _ options: ValidationOptions, _ sink: inout DiagnosticSink
  ) {
    for (graph, _) in allGraphs(definition) {
      var index: [String: Int] = [:]
      for position in graph.states.indices where index[graph.states[position].name] == nil {
        index[graph.states[position].name] = position
      }
      let declared = Set(graph.declaredNames)
      // An empty `States` is reported by itself; `StartAt` cannot name anything in it.
      if !declared.contains(graph.startAt) && !declared.isEmpty {
        sink.error(
          .missingTransitionTarget, "Missing 'Next' target: \(graph.startAt)",
          at: graph.pointer.appending("StartAt"))
      }
      for position in graph.states.indices {
        var isMissing = false
        forEachTarget(of: graph.states[position]) { target in
          if !declared.contains(target) { isMissing = true }
        }
        guard isMissing else { continue }
        for (target, pointer) in targets(of: graph.states[position])
        where !declared.contains(target) {
          sink.error(.missingTransitionTarget, "Missing 'Next' target: \(target)", at: pointer)
        }
      }
      // Reachability and terminal states only mean something when every state was loaded.
      guard graph.isComplete else { continue }
      var reached = Set<String>()
      var queue: [String] = index[graph.startAt] != nil ? [graph.startAt] : []
      while let name = queue.popLast() {
        guard reached.insert(name).inserted, let position = index[name] else { continue }
        forEachTarget(of: graph.states[position]) { target in
          if index[target] != nil && !reached.contains(target) { queue.append(target) }
        }
      }
      let hasTerminal = graph.states.indices.contains { position in
        switch graph.states[position].kind {
        case .succeed, .fail: return true
        default: return graph.states[position].transition == .end
        }
      }
      if !hasTerminal && !graph.states.isEmpty {
        // AWS reports only this when a graph cannot end; unreachable states are not listed.
        sink.error(.missingEndState, "Workflow has no terminal state", at: graph.pointer)
      } else {
        // AWS's wording: `State "X" is not reachable.` When `StartAt` names no state, AWS lists
        // every state as unreachable too.
        for position in graph.states.indices where !reached.contains(graph.states[position].name) {
          let state = graph.states[position]
          sink.error(
            .missingTransitionTarget, "State \"\(state.name)\" is not reachable.", at: state.pointer
          )
        }
      }
    }
  }

  /// State names are unique across the whole machine, nested graphs included.
  static func checkUniqueNames(
    _ definition: StateMachineDefinition, _ options: ValidationOptions, _ sink: inout DiagnosticSink
  ) {
    var seen = Set<String>()
    for (graph, _) in allGraphs(definition) {
      for position in graph.states.indices where !seen.insert(graph.states[position].name).inserted
      {
        let state = graph.states[position]
        sink.error(.duplicateStateName, "Duplicate State name: \(state.name)", at: state.pointer)
      }
    }
  }

  /// How deeply Parallel and Map states may nest.
  static let maximumNestingDepth = 40

  static func checkNestingDepth(
    _ definition: StateMachineDefinition, _ options: ValidationOptions, _ sink: inout DiagnosticSink
  ) {
    for (graph, depth) in allGraphs(definition) where depth > maximumNestingDepth {
      sink.error(
        .tooDeeplyNested,
        "Parallel and Map states are nested more than \(maximumNestingDepth) levels deep",
        at: graph.pointer)
      return
    }
  }
}
