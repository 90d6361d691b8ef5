import StepFunctions

/// A state machine as a picture: nodes, edges and clusters, laid out the way the Step Functions
/// console draws a workflow, ready for ``MermaidRenderer`` or ``DOTRenderer``.
///
/// - Every state is a node; a `Start` and an `End` marker bracket the top level.
/// - `Next` is a plain edge; each Choice rule is an edge labelled with a short rendering of the
///   rule (`$.quality >= 90`, or a JSONata `Condition`); `Default` is an edge labelled
///   `Default`; each `Catch` entry is a dashed edge labelled with its `ErrorEquals`.
/// - A Parallel state is a cluster holding its state node, one cluster per branch, and a join
///   point; a Map state is a cluster holding its state node, its item processor's states and a
///   join point. The state node has a `branch i` edge to each branch's `StartAt`; the states that
///   end a branch have an `end` edge to the join point, from which the Parallel or Map state's
///   own `Next` and `Catch` edges leave.
/// - `Succeed`, `Fail` and `End: true` states have an `end` edge to the `End` marker (or, inside
///   a branch, to the join point), as in the console.
///
/// Node and cluster identifiers are generated (`n1`, `c1`, ...), so a state's name, whatever its
/// characters, appears only in labels. State names are unique across a whole machine (the
/// validator enforces it), so a name identifies a node, and an edge is identified by the state it
/// leaves and its ``Edge/Kind`` (``Edge/ID``).
///
/// ```swift
/// let graph = StateMachineGraph(definition: machine.definition)
/// print(MermaidRenderer().render(graph))
/// ```
public struct StateMachineGraph: Sendable {
  /// The nodes: `Start`, then the states in definition order (a Parallel or Map state followed
  /// by its nested states and its join point), then `End`.
  public var nodes: [Node]
  /// The edges, in a stable order: `Start`, then each state's edges in definition order.
  public var edges: [Edge]
  /// The clusters (Parallel states, their branches, Map states), outer ones before inner ones.
  public var clusters: [Cluster]

  /// A node of the graph.
  public struct Node: Sendable, Hashable {
    /// What a node stands for.
    public enum Kind: Sendable, Hashable {
      /// The `Start` marker.
      case start
      /// The `End` marker.
      case end
      /// A state, with its `Type` (`Task`, `Choice`, ...).
      case state(type: String)
      /// Where the branches (or iterations) of the Parallel or Map state join.
      case join
    }

    /// A generated identifier, safe in Mermaid and DOT (`start`, `n3`, `j1`, `stop`).
    public var id: String
    /// What the node stands for.
    public var kind: Kind
    /// The state's name; for a join point, the name of its Parallel or Map state.
    public var stateName: String?
    /// The text drawn in the node.
    public var label: String
    /// The index in ``StateMachineGraph/clusters`` of the innermost cluster holding the node,
    /// or `nil` at the top level.
    public var cluster: Int?
  }

  /// A transition drawn as an arrow.
  public struct Edge: Sendable, Hashable {
    /// Which transition of a state an edge is.
    public enum Kind: Sendable, Hashable, CustomStringConvertible {
      /// From the `Start` marker to the top level's `StartAt`.
      case start
      /// `Next` (for a Parallel or Map state, leaving from its join point).
      case next
      /// The Choice rule at this index of `Choices` (from 0).
      case choiceRule(Int)
      /// The Choice state's `Default`.
      case choiceDefault
      /// The `Catch` entry at this index (from 0).
      case catcher(Int)
      /// From a Parallel state to the `StartAt` of its branch at this index (from 0); from a
      /// Map state to its item processor's `StartAt` (branch 0).
      case branch(Int)
      /// From a state that ends its scope (`End: true`, `Succeed`, `Fail`) to the `End` marker
      /// or to its Parallel or Map state's join point.
      case end

      /// `next`, `choice rule 0`, `Default`, `catch 1`, `branch 0`, `start`, `end`.
      public var description: String {
        switch self {
        case .start: return "start"
        case .next: return "next"
        case .choiceRule(let index): return "choice rule \(index)"
        case .choiceDefault: return "Default"
        case .catcher(let index): return "catch \(index)"
        case .branch(let index): return "branch \(index)"
        case .end: return "end"
        }
      }
    }

    /// An edge's identity: the state it leaves (`nil` for the `Start` edge) and its kind.
    public struct ID: Sendable, Hashable, CustomStringConvertible {
      /// The state the edge leaves; `nil` for the edge from the `Start` marker.
      public var state: String?
      /// Which of the state's transitions it is.
      public var kind: Kind

      /// Creates an identity.
      public init(state: String?, kind: Kind) {
        self.state = state
        self.kind = kind
      }

      /// `Transcode / catch 0`.
      public var description: String { "\(state ?? "Start") / \(kind)" }
    }

    /// The state and transition kind.
    public var id: ID
    /// The node the edge leaves (``Node/id``).
    public var source: String
    /// The node the edge enters (``Node/id``).
    public var target: String
    /// The text on the edge: a Choice rule, `Default`, the `ErrorEquals` of a catcher.
    public var label: String?

    /// Whether the edge is drawn dashed: `Catch` edges are.
    public var isDashed: Bool {
      if case .catcher = id.kind { return true }
      return false
    }
  }

  /// A box around the states of a Parallel state, of one of its branches, or of a Map state.
  public struct Cluster: Sendable, Hashable {
    /// What a cluster holds.
    public enum Kind: Sendable, Hashable {
      /// A Parallel state: its node, its branches' clusters and its join point.
      case parallel
      /// The branch at this index (from 0) of the enclosing Parallel state.
      case branch(Int)
      /// A Map state: its node, its item processor's states and its join point.
      case map
    }

    /// A generated identifier (`c1`).
    public var id: String
    /// What the cluster holds.
    public var kind: Kind
    /// The Parallel or Map state.
    public var stateName: String
    /// The title drawn on the box: `Publish (Parallel)`, `Branch 1`, `ProcessItems (Map)`,
    /// `Upscale (Distributed Map)`.
    public var label: String
    /// The index in ``StateMachineGraph/clusters`` of the enclosing cluster, if any.
    public var parent: Int?
  }

  /// Builds the picture of a validated definition.
  ///
  /// - Complexity: O(*n* + *e*) in the number of states and transitions.
  public init(definition: StateMachineDefinition) {
    var builder = Builder()
    builder.build(definition.graph)
    nodes = builder.nodes
    edges = builder.edges
    clusters = builder.clusters
  }

  /// The node of the state `name`, if the machine has one.
  public func node(forState name: String) -> Node? {
    nodes.first { $0.stateName == name && $0.kind != .join }
  }

  /// The edge with the given identity, if the machine has one.
  public func edge(_ id: Edge.ID) -> Edge? { edges.first { $0.id == id } }

  /// The names ``GraphHighlight`` uses that this graph has no state or edge for, sorted: a
  /// history or a coverage report of another definition.
  public func unknownNames(in highlight: GraphHighlight) -> [String] {
    let states = Set(nodes.filter { $0.kind != .join }.compactMap(\.stateName))
    let edgeIDs = Set(edges.map(\.id))
    var unknown: Set<String> = []
    for name in highlight.allStateNames where !states.contains(name) { unknown.insert(name) }
    for id in highlight.allEdges where !edgeIDs.contains(id) { unknown.insert(id.description) }
    return unknown.sorted()
  }
}

/// Walks a definition once, depth first, assigning identifiers in definition order.
private struct Builder {
  var nodes: [StateMachineGraph.Node] = []
  var edges: [StateMachineGraph.Edge] = []
  var clusters: [StateMachineGraph.Cluster] = []
  private var stateCount = 0
  private var joinCount = 0
  /// The node identifier of every state, by name (names are unique across the machine).
  private var nodeIDs: [String: String] = [:]

  mutating func build(_ graph: StateGraph) {
    nodes.append(.init(id: "start", kind: .start, stateName: nil, label: "Start", cluster: nil))
    assignIdentifiers(graph)
    let stop = StateMachineGraph.Node(
      id: "stop", kind: .end, stateName: nil, label: "End", cluster: nil)
    if let first = nodeIDs[graph.startAt] {
      edges.append(
        .init(id: .init(state: nil, kind: .start), source: "start", target: first, label: nil))
    }
    addStates(of: graph, cluster: nil, endTarget: stop.id)
    nodes.append(stop)
  }

  /// Gives every state (at any depth) its node identifier first, so that edges can name targets
  /// written later in the definition.
  private mutating func assignIdentifiers(_ graph: StateGraph) {
    for state in graph.states {
      stateCount += 1
      nodeIDs[state.name] = "n\(stateCount)"
      switch state.kind {
      case .parallel(let parallel): for branch in parallel.branches { assignIdentifiers(branch) }
      case .map(let map): assignIdentifiers(map.processor)
      default: break
      }
    }
  }

  private mutating func addStates(of graph: StateGraph, cluster: Int?, endTarget: String) {
    for state in graph.states {
      guard let id = nodeIDs[state.name] else { continue }
      switch state.kind {
      case .parallel(let parallel):
        let outer = addCluster(
          kind: .parallel, state: state.name, label: "\(state.name) (Parallel)", parent: cluster)
        addNode(id: id, state: state, cluster: outer)
        let join = addJoin(for: state.name, cluster: outer)
        for (index, branch) in parallel.branches.enumerated() {
          let inner = addCluster(
            kind: .branch(index), state: state.name, label: "Branch \(index + 1)", parent: outer)
          addEdge(state.name, .branch(index), from: id, to: branch.startAt, label: nil)
          addStates(of: branch, cluster: inner, endTarget: join)
        }
        moveJoinToEnd(join)
        addTransitions(of: state, from: join, endTarget: endTarget)
      case .map(let map):
        let outer = addCluster(
          kind: .map, state: state.name,
          label: "\(state.name) (\(map.mode == .distributed ? "Distributed Map" : "Map"))",
          parent: cluster)
        addNode(id: id, state: state, cluster: outer)
        let join = addJoin(for: state.name, cluster: outer)
        addEdge(state.name, .branch(0), from: id, to: map.processor.startAt, label: nil)
        addStates(of: map.processor, cluster: outer, endTarget: join)
        moveJoinToEnd(join)
        addTransitions(of: state, from: join, endTarget: endTarget)
      default:
        addNode(id: id, state: state, cluster: cluster)
        addTransitions(of: state, from: id, endTarget: endTarget)
      }
    }
  }

  private mutating func addNode(id: String, state: State, cluster: Int?) {
    nodes.append(
      .init(
        id: id, kind: .state(type: state.typeName), stateName: state.name, label: state.name,
        cluster: cluster))
  }

  private mutating func addCluster(
    kind: StateMachineGraph.Cluster.Kind, state: String, label: String, parent: Int?
  ) -> Int {
    clusters.append(
      .init(
        id: "c\(clusters.count + 1)", kind: kind, stateName: state, label: label, parent: parent))
    return clusters.count - 1
  }

  private mutating func addJoin(for state: String, cluster: Int) -> String {
    joinCount += 1
    let id = "j\(joinCount)"
    nodes.append(.init(id: id, kind: .join, stateName: state, label: "", cluster: cluster))
    return id
  }

  /// Keeps the join point after the nested states in ``nodes``, so renderers that draw nodes in
  /// order put it below them.
  private mutating func moveJoinToEnd(_ id: String) {
    guard let index = nodes.firstIndex(where: { $0.id == id }) else { return }
    nodes.append(nodes.remove(at: index))
  }

  /// The state's own transitions: `Next`/`End`, Choice rules and `Default`, `Catch`.
  private mutating func addTransitions(of state: State, from source: String, endTarget: String) {
    switch state.kind {
    case .choice(let choice):
      for (index, branch) in choice.choices.enumerated() {
        addEdge(
          state.name, .choiceRule(index), from: source, to: branch.next,
          label: ChoiceRuleLabel.text(branch.rule))
      }
      if let defaultState = choice.defaultState {
        addEdge(state.name, .choiceDefault, from: source, to: defaultState, label: "Default")
      }
    case .succeed, .fail:
      edges.append(
        .init(
          id: .init(state: state.name, kind: .end), source: source, target: endTarget, label: nil))
    default:
      switch state.transition {
      case .next(let next): addEdge(state.name, .next, from: source, to: next, label: nil)
      case .end:
        edges.append(
          .init(
            id: .init(state: state.name, kind: .end), source: source, target: endTarget,
            label: nil))
      case .none: break
      }
    }
    for (index, catcher) in state.catchers.enumerated() {
      addEdge(
        state.name, .catcher(index), from: source, to: catcher.next,
        label: GraphText.clipped("Catch: " + catcher.errorEquals.joined(separator: ", ")))
    }
  }

  private mutating func addEdge(
    _ state: String, _ kind: StateMachineGraph.Edge.Kind, from source: String,
    to targetName: String,
    label: String?
  ) {
    // A validated definition names only states in scope; skip a dangling name rather than trap.
    guard let target = nodeIDs[targetName] else { return }
    edges.append(
      .init(id: .init(state: state, kind: kind), source: source, target: target, label: label))
  }
}
