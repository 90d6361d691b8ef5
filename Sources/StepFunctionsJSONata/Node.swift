import StepFunctionsRegex

/// A node of a parsed expression. The parser builds a raw tree and then rewrites it (paths
/// into steps, predicates into stages, tail calls into thunks, parent references into
/// slots); the rewritten tree is immutable and is what the evaluator walks.
///
/// `@unchecked Sendable`: nodes are only changed while the expression is being parsed, before
/// the tree is shared.
final class Node: @unchecked Sendable {
  enum Kind {
    // raw and processed
    case path, binary, unary, name, string, number, value, wildcard, descendant, parent
    case condition, block, bind, regex, function, partial, lambda, variable, apply, sort
    case transform, `operator`, end, filter, index
  }

  var kind: Kind
  /// The operator, name, or variable name.
  var value: String
  /// The literal of a `string`, `number` or `value` node.
  var literal: Value?
  var position: Int

  var lhs: Node?
  var rhs: Node?
  var expression: Node?
  var expressions: [Node] = []
  /// Object constructor pairs (`{k: v}`), for `unary {` and `binary {`.
  var pairs: [(Node, Node)] = []
  var steps: [Node] = []
  var predicate: [Node]?
  var stages: [Node]?
  var group: Group?
  var focus: String?
  var indexName: String?
  var tuple = false
  var ancestor: Slot?
  var keepArray = false
  var keepSingletonArray = false
  var consarray = false
  var condition: Node?
  var then: Node?
  var otherwise: Node?
  var procedure: Node?
  var arguments: [Node] = []
  var signature: Signature?
  var body: Node?
  var thunk = false
  var terms: [(descending: Bool, expression: Node)] = []
  var pattern: Node?
  var update: Node?
  var delete: Node?
  var slot: Slot?
  var seekingParent: [Slot]?
  var regex: RegularExpression?
  /// Whether this is a path the evaluator can follow directly (``Evaluator/isSimplePath(_:)``),
  /// set by ``markSimplePaths(in:)`` once the tree is built.
  @exclusivity(unchecked) var isSimplePath = false
  /// For a simple path: the variable it starts from (nil when it starts from the context),
  /// and the names it then follows.
  @exclusivity(unchecked) var simpleVariable: String?
  @exclusivity(unchecked) var simpleNames: [String] = []
  /// For an object constructor (`unary {`) whose keys are distinct string literals: the keys.
  @exclusivity(unchecked) var literalKeys: [String]?

  init(_ kind: Kind, value: String = "", position: Int) {
    self.kind = kind
    self.value = value
    self.position = position
  }

  /// Sets ``isSimplePath`` on every path of the tree under `root` (iteratively: a tree can be
  /// deeper than the caller's stack allows recursion).
  static func markSimplePaths(in root: Node) {
    var pending = [root]
    var visited: Set<ObjectIdentifier> = []
    while let node = pending.popLast() {
      guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
      node.isSimplePath = Evaluator.isSimplePath(node)
      if node.kind == .unary, node.value == "{" {
        node.literalKeys = literalKeys(of: node.pairs)
      }
      if let pairs = node.group?.pairs { node.group?.literalKeys = literalKeys(of: pairs) }
      if node.isSimplePath {
        let startsWithVariable = node.steps[0].kind == .variable
        node.simpleVariable = startsWithVariable ? node.steps[0].value : nil
        node.simpleNames = node.steps.dropFirst(startsWithVariable ? 1 : 0).map(\.value)
      }
      for child in [
        node.lhs, node.rhs, node.expression, node.condition, node.then, node.otherwise,
        node.procedure, node.body, node.pattern, node.update, node.delete,
      ] {
        if let child { pending.append(child) }
      }
      pending.append(contentsOf: node.expressions)
      pending.append(contentsOf: node.steps)
      pending.append(contentsOf: node.arguments)
      pending.append(contentsOf: node.predicate ?? [])
      pending.append(contentsOf: node.stages ?? [])
      for (key, value) in node.pairs { pending.append(contentsOf: [key, value]) }
      for (key, value) in node.group?.pairs ?? [] { pending.append(contentsOf: [key, value]) }
      for term in node.terms { pending.append(term.expression) }
    }
  }

  /// The keys of `pairs` when every one is a distinct string literal (no predicate, no
  /// grouping), which an object constructor then need not evaluate nor check.
  static func literalKeys(of pairs: [(Node, Node)]) -> [String]? {
    guard !pairs.isEmpty else { return nil }
    var keys: [String] = []
    keys.reserveCapacity(pairs.count)
    for (key, _) in pairs {
      guard key.kind == .string, key.predicate == nil, key.group == nil,
        case .string(let name)? = key.literal, !keys.contains(name)
      else { return nil }
      keys.append(name)
    }
    return keys
  }

  /// A grouping clause `{k: v}` after a step.
  struct Group {
    var pairs: [(Node, Node)]
    var position: Int
    /// The keys when they are distinct string literals (``Node/literalKeys(of:)``).
    var literalKeys: [String]? = nil
  }
}

/// A reference from a `%` (parent) operator to the step whose context it names.
final class Slot: @unchecked Sendable {
  var label: String
  var level: Int
  var index: Int
  init(label: String, level: Int, index: Int) {
    self.label = label
    self.level = level
    self.index = index
  }
}
