import StepFunctionsLanguage
import StepFunctionsRuntime

/// Where each event of a history belongs: the Map iterations and Parallel branches around it
/// (outermost first) and the state it is about.
///
/// A history does not say which branch or iteration an event belongs to, but its
/// `previousEventId`s do: each thread of execution (the top level, a Parallel branch, a Map
/// iteration) points at its own latest event. So, walking the events in order:
///
/// - an event belongs where its previous event belongs, except that
/// - the first event after a `MapIterationStarted` opens that iteration, and the first event
///   after a `ParallelStateStarted` opens a branch (which one: the branch of the definition that
///   contains the event's state);
/// - `MapIteration...` events belong to the Map state's own scope (they may point into the
///   previous iteration), and so do `MapState{Succeeded,Failed,Aborted}` and
///   `ParallelState{Succeeded,Failed,Aborted}` (which point into a child);
/// - a `...StateExited` event belongs to the innermost enclosing scope where its state was the
///   latest entered (a Parallel state's exit may point into a branch).
///
/// The same walk reads a recorded and a replayed history, so both are cut the same way.
struct EventScopes {
  typealias Path = [TaskToken.Scope]

  /// For each event, by position: the scopes around it, outermost first.
  private(set) var scopes: [Path] = []
  /// For each event, by position: the state it is about, if any (for `MapIteration...` events,
  /// the Map state; for task events, the Task state).
  private(set) var stateNames: [String?] = []

  init(events: [EventView], branches: ParallelBranchIndex) {
    var positionOfId: [Int: Int] = [:]
    positionOfId.reserveCapacity(events.count)
    /// The scope an iteration opened by a `MapIterationStarted` (by position) runs in.
    var iterationScopes: [Int: Path] = [:]
    /// The latest state entered in each scope.
    var latestEntered: [Path: String] = [:]
    /// Branches opened after each `ParallelStateStarted` (by position) whose state the
    /// definition does not place in a branch, to number them apart.
    var unknownBranches: [Int: Int] = [:]
    scopes.reserveCapacity(events.count)
    stateNames.reserveCapacity(events.count)

    for (position, event) in events.enumerated() {
      positionOfId[event.id] = position
      var previousPosition: Int?
      if event.previousEventId != 0, event.previousEventId < event.id,
        let found = positionOfId[event.previousEventId]
      {
        previousPosition = found
      }
      let previous = previousPosition.map { events[$0] }
      let base = previousPosition.map { scopes[$0] } ?? []
      var scope: Path
      var stateName: String?

      if EventTypes.execution.contains(event.type) {
        scope = []
      } else if EventTypes.mapIteration.contains(event.type) {
        let mapName = event.name ?? ""
        scope = Self.strip(base) {
          if case .mapIteration(let name, _) = $0 { return name == mapName }
          return false
        }
        stateName = mapName
        if event.type == "MapIterationStarted" {
          iterationScopes[position] =
            scope + [.mapIteration(mapState: mapName, index: event.index ?? -1)]
        }
      } else if EventTypes.parallelClosing.contains(event.type) {
        scope = Self.strip(base) {
          if case .parallelBranch = $0 { return true }
          return false
        }
      } else if EventTypes.mapClosing.contains(event.type) {
        if let previous,
          EventTypes.mapIteration.contains(previous.type)
            || EventTypes.mapOpening.contains(previous.type)
        {
          scope = base
        } else {
          scope = Self.strip(base) {
            if case .mapIteration = $0 { return true }
            return false
          }
        }
      } else if let previousPosition, let opened = iterationScopes[previousPosition] {
        scope = opened
      } else if let previousPosition, let previous, previous.type == "ParallelStateStarted" {
        let parallelName = latestEntered[base] ?? ""
        let index: Int
        if let name = event.name, let known = branches.branch(of: name, in: parallelName) {
          index = known
        } else {
          let count = unknownBranches[previousPosition, default: 0]
          unknownBranches[previousPosition] = count + 1
          index = -1 - count
        }
        scope = base + [.parallelBranch(parallelState: parallelName, index: index)]
      } else if event.isStateExited, let name = event.name {
        scope = base
        var candidate = base
        while true {
          if latestEntered[candidate] == name {
            scope = candidate
            break
          }
          if candidate.isEmpty { break }
          candidate.removeLast()
        }
      } else {
        scope = base
      }

      if event.isStateEntered || event.isStateExited, let name = event.name {
        stateName = name
      }
      if event.isStateEntered, let name = event.name { latestEntered[scope] = name }
      if stateName == nil, !EventTypes.execution.contains(event.type) {
        stateName = latestEntered[scope]
      }
      scopes.append(scope)
      stateNames.append(stateName)
    }
  }

  /// `path` cut before its innermost element that `matches`; `path` itself when none does.
  private static func strip(_ path: Path, where matches: (TaskToken.Scope) -> Bool) -> Path {
    guard let index = path.lastIndex(where: matches) else { return path }
    return Array(path[..<index])
  }
}

/// Which branch of each Parallel state every state name belongs to, from a definition (state
/// names are unique across a whole state machine).
struct ParallelBranchIndex: Sendable {
  private var branches: [String: [String: Int]] = [:]

  init(_ definition: StateMachineDefinition) {
    index(definition.graph)
  }

  /// The branch of the Parallel state `parallel` that holds the state `name` (at any depth).
  func branch(of name: String, in parallel: String) -> Int? { branches[parallel]?[name] }

  private mutating func index(_ graph: StateGraph) {
    for state in graph.states {
      switch state.kind {
      case .parallel(let parallel):
        for (position, branch) in parallel.branches.enumerated() {
          for name in Self.names(in: branch) { branches[state.name, default: [:]][name] = position }
          index(branch)
        }
      case .map(let map):
        index(map.processor)
      default:
        break
      }
    }
  }

  private static func names(in graph: StateGraph) -> [String] {
    var names: [String] = []
    for state in graph.states {
      names.append(state.name)
      switch state.kind {
      case .parallel(let parallel):
        for branch in parallel.branches { names += self.names(in: branch) }
      case .map(let map):
        names += self.names(in: map.processor)
      default:
        break
      }
    }
    return names
  }
}
