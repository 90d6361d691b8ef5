import StepFunctions

/// The states an execution went through, in the order they were entered, nested Map and Parallel
/// states included, each with its input and output.
///
/// The path is read from the history: every `...StateEntered` event starts a step and the
/// matching `...StateExited` event gives its output. Events are matched along their
/// `previousEventId` chain, which Step Functions keeps per branch and per Map iteration, so
/// concurrent iterations never get each other's outputs. With the definition at hand, each step
/// also says which Map iteration (by index) and which Parallel branch it ran in.
///
/// ```swift
/// let path = ExecutionPath(history: result.history, definition: machine.definition)
/// path.names            // ["Prepare", "ProcessItems", "Transform", "Transform", "Done"]
/// path.steps[2].mapIterationIndex   // 0
/// ```
public struct ExecutionPath: Sendable, Hashable, RandomAccessCollection, CustomStringConvertible {
  /// The steps, in the order the states were entered.
  public var steps: [PathStep]

  /// Creates a path from steps.
  public init(steps: [PathStep]) { self.steps = steps }

  /// Derives the path from an execution's history. Pass the definition to learn each step's
  /// Parallel branch and Map iteration.
  ///
  /// - Complexity: O(*n*) in the number of events, plus, for states inside Map iterations, the
  ///   length of the iteration so far.
  public init(history: ExecutionHistory, definition: StateMachineDefinition? = nil) {
    steps = PathBuilder(history: history, definition: definition).build()
  }

  /// The first index.
  public var startIndex: Int { steps.startIndex }
  /// One past the last index.
  public var endIndex: Int { steps.endIndex }
  /// The step at `position`.
  public subscript(position: Int) -> PathStep { steps[position] }

  /// The state names, in order.
  public var names: [String] { steps.map(\.name) }

  /// The steps of the state `name`, in order.
  public func steps(named name: String) -> [PathStep] { steps.filter { $0.name == name } }

  /// How many times the state `name` was entered.
  public func count(of name: String) -> Int { steps.reduce(0) { $0 + ($1.name == name ? 1 : 0) } }

  /// The steps as `A → B → Map[0] › C → ...` on one line.
  public var description: String { steps.map(\.label).joined(separator: " → ") }
}

/// One state entered during an execution.
public struct PathStep: Sendable, Hashable, CustomStringConvertible {
  /// A Map iteration or Parallel branch a step ran in.
  public enum Scope: Sendable, Hashable, CustomStringConvertible {
    /// Iteration `index` of the Map state `state`.
    case mapIteration(state: String, index: Int)
    /// Branch `index` (from 0, in definition order) of the Parallel state `state`.
    case parallelBranch(state: String, index: Int)

    /// `Map[2]` or `Parallel/branch 1`.
    public var description: String {
      switch self {
      case .mapIteration(let state, let index): return "\(state)[\(index)]"
      case .parallelBranch(let state, let index): return "\(state)/branch \(index)"
      }
    }
  }

  /// The state's name.
  public var name: String
  /// The state's type as the event names it: `Task`, `Pass`, `Choice`, `Map`, `Parallel`...
  public var type: String
  /// The state's input.
  public var input: JSON
  /// The state's output, or `nil` when it never exited (it failed, or the execution stopped).
  public var output: JSON?
  /// The Map iterations and Parallel branches around the step, outermost first (empty for
  /// top-level states, or when the path was built without the definition).
  public var scopes: [Scope]
  /// The `...StateEntered` event's id.
  public var enteredEventId: Int
  /// The `...StateExited` event's id, if the state exited.
  public var exitedEventId: Int?
  /// When the state was entered.
  public var enteredAt: Instant
  /// When it exited.
  public var exitedAt: Instant?

  /// Creates a step.
  public init(
    name: String, type: String, input: JSON, output: JSON? = nil, scopes: [Scope] = [],
    enteredEventId: Int = 0, exitedEventId: Int? = nil,
    enteredAt: Instant = .defaultVirtualStart, exitedAt: Instant? = nil
  ) {
    self.name = name
    self.type = type
    self.input = input
    self.output = output
    self.scopes = scopes
    self.enteredEventId = enteredEventId
    self.exitedEventId = exitedEventId
    self.enteredAt = enteredAt
    self.exitedAt = exitedAt
  }

  /// The index of the innermost Map iteration the step ran in, if any.
  public var mapIterationIndex: Int? {
    for scope in scopes.reversed() {
      if case .mapIteration(_, let index) = scope { return index }
    }
    return nil
  }

  /// The index of the innermost Parallel branch the step ran in, if any.
  public var parallelBranchIndex: Int? {
    for scope in scopes.reversed() {
      if case .parallelBranch(_, let index) = scope { return index }
    }
    return nil
  }

  /// The name, with the Map iteration indices around it: `Transform` or `ProcessItems[2] › Transform`.
  public var label: String {
    let iterations = scopes.compactMap { scope -> String? in
      if case .mapIteration = scope { return scope.description }
      return nil
    }
    return (iterations + [name]).joined(separator: " › ")
  }

  /// `Name (Type)` with scopes, input and output.
  public var description: String {
    var text = "\(label) (\(type)) input: \(input.serialized())"
    if let output { text += " output: \(output.serialized())" }
    return text
  }
}

/// Walks the history once, pairing entered and exited events along `previousEventId` chains.
private struct PathBuilder {
  let events: [HistoryEvent]
  let positionById: [Int: Int]
  let containers: [String: [DefinitionWalk.Container]]

  init(history: ExecutionHistory, definition: StateMachineDefinition?) {
    events = history.events
    var positions: [Int: Int] = [:]
    positions.reserveCapacity(events.count)
    for (position, event) in events.enumerated() { positions[event.id] = position }
    positionById = positions
    var containers: [String: [DefinitionWalk.Container]] = [:]
    if let definition {
      DefinitionWalk.visit(definition.graph) { state, around in
        if containers[state.name] == nil { containers[state.name] = around }
      }
    }
    self.containers = containers
  }

  func build() -> [PathStep] {
    var steps: [PathStep] = []
    var stepByEnteredId: [Int: Int] = [:]
    var openByName: [String: [Int]] = [:]
    for (position, event) in events.enumerated() {
      switch event.details {
      case .stateEntered(let name, let input):
        let type =
          event.type.hasSuffix("StateEntered") ? String(event.type.dropLast(12)) : event.type
        let step = PathStep(
          name: name, type: type, input: input, scopes: scopes(of: name, from: position),
          enteredEventId: event.id, enteredAt: event.timestamp)
        stepByEnteredId[event.id] = steps.count
        openByName[name, default: []].append(steps.count)
        steps.append(step)
      case .stateExited(let name, let output, _):
        guard let index = enteredStep(for: name, from: position, stepByEnteredId, openByName) else {
          continue
        }
        steps[index].output = output
        steps[index].exitedEventId = event.id
        steps[index].exitedAt = event.timestamp
        openByName[name]?.removeAll { $0 == index }
      default:
        continue
      }
    }
    return steps
  }

  /// The open step an exit belongs to: the nearest entry of that name up the exit's chain, else
  /// the latest open entry of that name.
  private func enteredStep(
    for name: String, from position: Int, _ stepByEnteredId: [Int: Int],
    _ openByName: [String: [Int]]
  ) -> Int? {
    let open = openByName[name] ?? []
    guard !open.isEmpty else { return nil }
    if open.count == 1 { return open[0] }
    var current = events[position].previousEventId
    var hops = 0
    while current > 0, hops < events.count, let next = positionById[current] {
      if case .stateEntered(let entered, _) = events[next].details, entered == name,
        let index = stepByEnteredId[events[next].id], open.contains(index)
      {
        return index
      }
      current = events[next].previousEventId
      hops += 1
    }
    return open.last
  }

  /// The Map iterations and Parallel branches around the state `name` entered at `position`.
  private func scopes(of name: String, from position: Int) -> [PathStep.Scope] {
    guard let around = containers[name], !around.isEmpty else { return [] }
    var iterations: [String: Int] = [:]
    var wanted = Set(around.filter(\.isMap).map(\.name))
    var current = events[position].previousEventId
    var hops = 0
    while !wanted.isEmpty, current > 0, hops < events.count, let next = positionById[current] {
      if case .mapIteration(_, let map, let index) = events[next].details,
        events[next].type == "MapIterationStarted", wanted.contains(map)
      {
        iterations[map] = index
        wanted.remove(map)
      }
      current = events[next].previousEventId
      hops += 1
    }
    return around.compactMap { container in
      if container.isMap {
        return iterations[container.name].map { .mapIteration(state: container.name, index: $0) }
      }
      return .parallelBranch(state: container.name, index: container.branch)
    }
  }
}
