/// Draws a ``StateMachineGraph`` as a Mermaid flowchart (`flowchart TD`), which GitHub and other
/// Markdown viewers render from a ` ```mermaid ` block (DocC shows it as code).
///
/// Node and subgraph identifiers are the graph's generated ones (`n1`, `c1`), never a state's
/// name, so no name can collide with a Mermaid keyword such as `end`. Every label is a quoted
/// string in which `"`, `#`, `&`, `<`, `>`, `%`, `|` and the backtick are written as Mermaid entity
/// codes (`#quot;`, `#35;`, ...), line breaks as `<br>`, and control characters as their Unicode
/// control pictures.
///
/// Shapes follow the state types: Task `( )` rounded, Choice `{ }` rhombus, Pass and Wait
/// `[ ]`, Succeed and Fail `([ ])` stadium, Parallel and Map `[[ ]]`, Start and End `(( ))`.
/// Catch edges are dotted (`-.->`). A highlight adds `classDef`/`class` lines for nodes and
/// `linkStyle` lines for edges. Same graph and highlight, same text.
public struct MermaidRenderer: Sendable {
  /// Creates a renderer.
  public init() {}

  /// The flowchart's text, ending in a line feed.
  ///
  /// - Parameters:
  ///   - graph: the state machine's picture.
  ///   - highlight: what to emphasise (a path or coverage); nothing by default.
  public func render(_ graph: StateMachineGraph, highlighting highlight: GraphHighlight = .init())
    -> String
  {
    var lines = ["flowchart TD"]
    graph.walk(
      open: { cluster, depth in
        lines.append(
          indent(depth) + "subgraph \(cluster.id) [\"\(Self.escape(cluster.label))\"]")
      },
      node: { node, depth in
        lines.append(indent(depth) + shape(node, label: highlight.label(of: node)))
      },
      close: { depth in lines.append(indent(depth) + "end") })
    for edge in graph.edges {
      let arrow = edge.isDashed ? "-.->" : "-->"
      let label = edge.label.map { "|\"\(Self.escape($0))\"|" } ?? ""
      lines.append("  \(edge.source) \(arrow)\(label) \(edge.target)")
    }
    lines += styles(graph, highlight)
    return lines.joined(separator: "\n") + "\n"
  }

  private func indent(_ depth: Int) -> String { String(repeating: "  ", count: depth + 1) }

  private func shape(_ node: StateMachineGraph.Node, label: String) -> String {
    let text = "\"\(Self.escape(label))\""
    switch node.kind {
    case .start, .end: return "\(node.id)((\(text)))"
    case .join: return "\(node.id)((\" \"))"
    case .state(let type):
      switch type {
      case "Task": return "\(node.id)(\(text))"
      case "Choice": return "\(node.id){\(text)}"
      case "Succeed", "Fail": return "\(node.id)([\(text)])"
      case "Parallel", "Map": return "\(node.id)[[\(text)]]"
      default: return "\(node.id)[\(text)]"
      }
    }
  }

  private func styles(_ graph: StateMachineGraph, _ highlight: GraphHighlight) -> [String] {
    guard !highlight.isEmpty else { return [] }
    var lines: [String] = []
    for emphasis in GraphEmphasis.allCases {
      let nodes = graph.nodes.filter { highlight.emphasis(of: $0) == emphasis }.map(\.id)
      if !nodes.isEmpty {
        lines.append(
          "  classDef \(emphasis.rawValue) fill:\(emphasis.fill),stroke:\(emphasis.stroke),stroke-width:2px"
            + (emphasis.isDashed ? ",stroke-dasharray:5 3" : ""))
        lines.append("  class \(nodes.joined(separator: ",")) \(emphasis.rawValue)")
      }
    }
    for emphasis in GraphEmphasis.allCases {
      let indices = graph.edges.indices.filter {
        highlight.emphasis(of: graph.edges[$0]) == emphasis
      }
      if !indices.isEmpty {
        lines.append(
          "  linkStyle \(indices.map(String.init).joined(separator: ",")) stroke:\(emphasis.stroke),stroke-width:\(emphasis == .entered ? 3 : 2)px"
            + (emphasis.isDashed ? ",stroke-dasharray:5 3" : ""))
      }
    }
    return lines
  }

  /// A label's text for a quoted Mermaid string.
  static func escape(_ text: String) -> String {
    var result = ""
    for character in GraphText.visible(text) {
      switch character {
      case "\"": result += "#quot;"
      case "#": result += "#35;"
      case "&": result += "#amp;"
      case "<": result += "#lt;"
      case ">": result += "#gt;"
      case "%": result += "#37;"
      case "`": result += "#96;"
      case "|": result += "#124;"
      case "\n": result += "<br>"
      default: result.append(character)
      }
    }
    return result
  }
}
