/// A name an expression reads that a host may want to restrict before evaluating it: the
/// context item, a field of the input read at the top level, or a field of a variable.
///
/// AWS Step Functions evaluates expressions without an input document, so it refuses `$`, `$$`
/// and bare field names at the top level, and checks which `$states` fields an expression uses.
public struct JSONataReference: Sendable, Hashable {
  /// What is read.
  public enum Kind: Sendable, Hashable {
    /// `$`: the context item, at the top level of the expression.
    case contextItem
    /// `$$`: the root of the input, at the top level of the expression.
    case root
    /// A field name read from the context at the top level (`phone` in `phone.number`).
    case field(String)
    /// A field read directly from a variable, anywhere in the expression: `$v.f` is
    /// `variableField(variable: "v", field: "f")`.
    case variableField(variable: String, field: String)
  }

  /// What is read.
  public var kind: Kind
  /// Where its token starts in the expression, in UTF-16 code units.
  public var position: Int
}

extension JSONataExpression {
  /// The names the expression reads that depend on where it is evaluated, in the order
  /// written: `$`, `$$` and bare field names read at the top level (not inside a later path
  /// step, a predicate, a sort term or a grouping, which read the value before them), and
  /// `$variable.field` paths anywhere.
  public var references: [JSONataReference] {
    var walker = ReferenceWalker(source: Array(text.utf16))
    walker.topLevel(root, depth: 0)
    walker.everywhere(root, depth: 0)
    return walker.found.sorted { $0.position < $1.position }
  }
}

/// Walks a parsed expression collecting ``JSONataReference``s.
private struct ReferenceWalker {
  let source: [UInt16]
  var found: [JSONataReference] = []
  /// Parsing limits nesting, so the walks stay shallow; this is a second guard.
  static let maximumDepth = 400

  /// Where a name or variable token ending at `end` starts.
  func start(of node: Node, sigil: Bool) -> Int {
    var start = node.position - node.value.utf16.count - (sigil ? 1 : 0)
    let last = node.position - 1
    // A quoted name (`` `a b` ``) ends with its closing backquote.
    if !sigil, last >= 0, last < source.count, source[last] == 0x60 { start -= 2 }
    return max(0, min(start, source.count))
  }

  /// Reads of the context at the top level.
  mutating func topLevel(_ node: Node?, depth: Int) {
    guard let node, depth < Self.maximumDepth else { return }
    switch node.kind {
    case .path:
      topLevel(node.steps.first, depth: depth + 1)
    case .name:
      found.append(
        JSONataReference(kind: .field(node.value), position: start(of: node, sigil: false)))
    case .variable:
      if node.value.isEmpty {
        found.append(JSONataReference(kind: .contextItem, position: start(of: node, sigil: true)))
      } else if node.value == "$" {
        found.append(JSONataReference(kind: .root, position: max(0, node.position - 2)))
      }
    case .unary:
      for item in node.expressions { topLevel(item, depth: depth + 1) }
      for (key, value) in node.pairs {
        topLevel(key, depth: depth + 1)
        topLevel(value, depth: depth + 1)
      }
      topLevel(node.expression, depth: depth + 1)
    case .binary, .apply:
      topLevel(node.lhs, depth: depth + 1)
      topLevel(node.rhs, depth: depth + 1)
    case .bind:
      topLevel(node.rhs, depth: depth + 1)
    case .function, .partial:
      topLevel(node.procedure, depth: depth + 1)
      for argument in node.arguments { topLevel(argument, depth: depth + 1) }
    case .lambda:
      topLevel(node.body, depth: depth + 1)
    case .condition:
      topLevel(node.condition, depth: depth + 1)
      topLevel(node.then, depth: depth + 1)
      topLevel(node.otherwise, depth: depth + 1)
    case .block:
      for item in node.expressions { topLevel(item, depth: depth + 1) }
    default:
      break
    }
  }

  /// `$variable.field` paths, anywhere.
  mutating func everywhere(_ node: Node?, depth: Int) {
    guard let node, depth < Self.maximumDepth else { return }
    if node.kind == .path, node.steps.count >= 2, node.steps[0].kind == .variable,
      !node.steps[0].value.isEmpty, node.steps[0].value != "$", node.steps[1].kind == .name
    {
      let variable = node.steps[0]
      found.append(
        JSONataReference(
          kind: .variableField(variable: variable.value, field: node.steps[1].value),
          position: start(of: variable, sigil: true)))
    }
    var children: [Node?] = [
      node.lhs, node.rhs, node.expression, node.condition, node.then, node.otherwise,
      node.procedure, node.body, node.pattern, node.update, node.delete,
    ]
    children += node.expressions + node.steps + node.arguments
    children += node.pairs.flatMap { [$0.0, $0.1] }
    children += (node.predicate ?? []) + (node.stages ?? [])
    children += node.group.map { $0.pairs.flatMap { [$0.0, $0.1] } } ?? []
    children += node.terms.map(\.expression)
    for child in children { everywhere(child, depth: depth + 1) }
  }
}
