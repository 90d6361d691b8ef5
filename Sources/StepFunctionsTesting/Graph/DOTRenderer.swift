/// Draws a ``StateMachineGraph`` in Graphviz's DOT language (`digraph`), for
/// `dot -Tsvg graph.dot > graph.svg`.
///
/// Parallel states, their branches and Map states are `cluster_` subgraphs (dashed boxes).
/// Identifiers are the graph's generated ones; every label is a quoted DOT string in which `"`
/// and `\` are escaped, line breaks are `\n` and control characters are shown as their Unicode
/// control pictures. Shapes follow the state types: Task a rounded box, Choice a diamond,
/// Succeed and Fail a bold rounded box, Parallel and Map a double box, Start and End ovals, join
/// points dots. Catch edges are dashed. A highlight fills nodes and colours edges. Same graph and
/// highlight, same text.
public struct DOTRenderer: Sendable {
  /// The graph's name, written after `digraph`.
  public var name: String

  /// Creates a renderer.
  ///
  /// - Parameter name: the graph's name (any text; it is quoted).
  public init(name: String = "StateMachine") { self.name = name }

  /// The DOT text, ending in a line feed.
  ///
  /// - Parameters:
  ///   - graph: the state machine's picture.
  ///   - highlight: what to emphasise (a path or coverage); nothing by default.
  public func render(_ graph: StateMachineGraph, highlighting highlight: GraphHighlight = .init())
    -> String
  {
    var lines = [
      "digraph \(Self.quote(name)) {",
      "  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=11];",
      "  node [shape=box, fontname=\"Helvetica\", fontsize=11];",
      "  edge [fontname=\"Helvetica\", fontsize=9];",
    ]
    graph.walk(
      open: { cluster, depth in
        let indent = String(repeating: "  ", count: depth + 1)
        lines.append(indent + "subgraph cluster_\(cluster.id) {")
        lines.append(
          indent
            + "  label=\(Self.quote(cluster.label)); style=\(cluster.kind == .map || cluster.kind == .parallel ? "dashed" : "dotted");"
        )
      },
      node: { node, depth in
        lines.append(
          String(repeating: "  ", count: depth + 1)
            + "\(node.id) [\(attributes(node, highlight).joined(separator: ", "))];")
      },
      close: { depth in lines.append(String(repeating: "  ", count: depth + 1) + "}") })
    for edge in graph.edges {
      var attributes: [String] = []
      if let label = edge.label { attributes.append("label=\(Self.quote(label))") }
      if edge.isDashed { attributes.append("style=dashed") }
      if let emphasis = highlight.emphasis(of: edge) {
        attributes.append("color=\(Self.quote(emphasis.stroke))")
        attributes.append("penwidth=\(emphasis == .entered ? 3 : 2)")
        if emphasis.isDashed, !edge.isDashed { attributes.append("style=dashed") }
      }
      lines.append(
        "  \(edge.source) -> \(edge.target)"
          + (attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]") + ";")
    }
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }

  private func attributes(_ node: StateMachineGraph.Node, _ highlight: GraphHighlight) -> [String] {
    var attributes = ["label=\(Self.quote(highlight.label(of: node)))"]
    var styles: [String] = []
    switch node.kind {
    case .start, .end:
      attributes.append("shape=oval")
      styles = []
    case .join:
      attributes = ["label=\"\"", "shape=point", "width=0.12"]
    case .state(let type):
      switch type {
      case "Task": styles = ["rounded"]
      case "Choice": attributes.append("shape=diamond")
      case "Succeed", "Fail": styles = ["rounded", "bold"]
      case "Parallel", "Map": attributes.append("peripheries=2")
      default: break
      }
    }
    if let emphasis = highlight.emphasis(of: node) {
      styles.append("filled")
      if emphasis.isDashed { styles.append("dashed") }
      attributes.append("fillcolor=\(Self.quote(emphasis.fill))")
      attributes.append("color=\(Self.quote(emphasis.stroke))")
      attributes.append("penwidth=2")
    }
    if node.kind != .join, !styles.isEmpty {
      attributes.append("style=\(Self.quote(styles.joined(separator: ",")))")
    }
    return attributes
  }

  /// `text` as a quoted DOT string.
  static func quote(_ text: String) -> String {
    var result = "\""
    for character in GraphText.visible(text) {
      switch character {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      default: result.append(character)
      }
    }
    return result + "\""
  }
}
