/// How a node or an edge is emphasised, shared by the renderers.
enum GraphEmphasis: String, CaseIterable {
  /// Entered by the execution (a path) — green.
  case entered
  /// The state whose failure ended the execution — red.
  case failed
  /// Covered by the test suite — green.
  case covered
  /// Not covered by the test suite — orange, dashed.
  case uncovered

  /// The fill colour.
  var fill: String {
    switch self {
    case .entered, .covered: return "#e6f4ea"
    case .failed: return "#fce8e6"
    case .uncovered: return "#fef7e0"
    }
  }

  /// The border or line colour.
  var stroke: String {
    switch self {
    case .entered, .covered: return "#137333"
    case .failed: return "#c5221f"
    case .uncovered: return "#e37400"
    }
  }

  /// Whether the border or line is dashed.
  var isDashed: Bool { self == .uncovered }
}

extension GraphHighlight {
  /// The emphasis of a node, if any: failed before entered, covered before uncovered.
  func emphasis(of node: StateMachineGraph.Node) -> GraphEmphasis? {
    guard case .state = node.kind, let name = node.stateName else { return nil }
    if failedStates.contains(name) { return .failed }
    if enteredStates.contains(name) { return .entered }
    if coveredStates.contains(name) { return .covered }
    if uncoveredStates.contains(name) { return .uncovered }
    return nil
  }

  /// The emphasis of an edge, if any.
  func emphasis(of edge: StateMachineGraph.Edge) -> GraphEmphasis? {
    if takenEdges.contains(edge.id) { return .entered }
    if coveredEdges.contains(edge.id) { return .covered }
    if uncoveredEdges.contains(edge.id) { return .uncovered }
    return nil
  }

  /// The node's label with the retriers no test fired listed under the name.
  func label(of node: StateMachineGraph.Node) -> String {
    guard case .state = node.kind, let name = node.stateName,
      let retriers = uncoveredRetriers[name], !retriers.isEmpty
    else { return node.label }
    return node.label + "\n"
      + retriers.map {
        GraphText.clipped("Retry not covered: " + $0.joined(separator: ", "))
      }.joined(separator: "\n")
  }
}

extension StateMachineGraph {
  /// The clusters from the outermost to the one at `index`.
  func clusterChain(_ index: Int?) -> [Int] {
    var chain: [Int] = []
    var current = index
    while let cluster = current, clusters.indices.contains(cluster), !chain.contains(cluster) {
      chain.append(cluster)
      current = clusters[cluster].parent
    }
    return chain.reversed()
  }

  /// Walks the nodes in order, opening and closing clusters around them: `open(cluster, depth)`,
  /// `node(node, depth)`, `close(depth)`. Each cluster's nodes are contiguous in ``nodes``.
  func walk(
    open: (Cluster, Int) -> Void, node visit: (Node, Int) -> Void, close: (Int) -> Void
  ) {
    var stack: [Int] = []
    for node in nodes {
      let chain = clusterChain(node.cluster)
      var common = 0
      while common < stack.count, common < chain.count, stack[common] == chain[common] {
        common += 1
      }
      while stack.count > common {
        stack.removeLast()
        close(stack.count)
      }
      for cluster in chain[common...] {
        open(clusters[cluster], stack.count)
        stack.append(cluster)
      }
      visit(node, stack.count)
    }
    while !stack.isEmpty {
      stack.removeLast()
      close(stack.count)
    }
  }
}
