import StepFunctionsJSON

/// The form of an expression in the shapes AWS state machines mostly hold, evaluated over the
/// input's and bindings' JSON directly — no runtime values, scopes or evaluator are made.
///
/// Covered: literals; paths of plain names after `$variable` or from the context (as
/// ``Evaluator/walkSimplePath`` follows them); object constructors with distinct literal keys;
/// array constructors; `&`; and `$merge(…)`. Anything else, or anything unusual found while
/// evaluating (an array on a path, a value of an unexpected type, an error, a variable that is
/// not a binding, `$merge` redefined), gives ``Fallback`` and the expression is evaluated the
/// general way from the start — so results and errors are exactly the general evaluator's.
/// Nothing covered has effects, so starting again is safe.
struct DirectExpression: Sendable {
  indirect enum Part: Sendable {
    case literal(JSON)
    /// A path: the binding slot it starts from (nil: the context), the names it follows, and
    /// whether its value may be passed on as it is (rather than only read, as `&` reads it).
    case path(slot: Int?, names: [String], passed: Bool)
    /// An object constructor: its keys, prepared once as a shape, and its values.
    case object(shape: JSONObject.Shape, values: [Part])
    /// An array constructor: each item, and whether it is itself an array constructor (kept
    /// whole rather than flattened).
    case array([(part: Part, isConstructor: Bool)])
    case concatenate(Part, Part)
    case merge(Part)
  }

  /// Thrown when the general evaluator must run.
  struct Fallback: Error {}

  /// Why a member of an object constructor could not be made.
  private enum Member: Error {
    case undefined
    case fallback
  }

  let root: Part
  /// The variables the paths start from, by slot.
  let variables: [String]
  /// The built-in functions the expression calls, which bindings or extra functions must not
  /// redefine.
  let builtins: [String]
  /// Bounds on the steps and depth the general evaluator would count: the fast path is taken
  /// only when the options allow at least these, so that it never answers where the general
  /// evaluation would have run out of budget.
  let stepBound: Int
  let depthBound: Int

  /// How deep a tree is compiled (deeper ones take the general way).
  static let maximumDepth = 24

  /// Compiles `root`, or nil when it is not of the covered shapes.
  init?(_ root: Node) {
    var compiler = Compiler()
    guard let part = compiler.part(root, depth: 1) else { return nil }
    self.root = part
    variables = compiler.variables
    builtins = compiler.builtins
    stepBound = 4 * compiler.nodes + 8
    depthBound = 2 * compiler.deepest + 4
  }

  private struct Compiler {
    var variables: [String] = []
    var builtins: [String] = []
    var nodes = 0
    var deepest = 0

    /// Whether `node` carries nothing that changes how it is evaluated (predicates, grouping,
    /// bindings, array-keeping, parent references).
    static func isPlain(_ node: Node) -> Bool {
      node.predicate == nil && node.stages == nil && node.group == nil && node.focus == nil
        && node.indexName == nil && !node.tuple && node.ancestor == nil && !node.keepArray
        && !node.keepSingletonArray && node.seekingParent == nil
    }

    mutating func slot(_ name: String) -> Int {
      if let known = variables.firstIndex(of: name) { return known }
      variables.append(name)
      return variables.count - 1
    }

    mutating func part(_ node: Node, depth: Int, passed: Bool = true) -> Part? {
      guard depth <= DirectExpression.maximumDepth, Compiler.isPlain(node) else { return nil }
      nodes += 1
      deepest = max(deepest, depth)
      switch node.kind {
      case .string, .number, .value:
        guard let literal = node.literal, let json = literal.json(),
          Value.writesBackUnchanged(json)
        else { return nil }
        return .literal(json)
      case .path:
        guard node.isSimplePath else { return nil }
        nodes += node.steps.count
        return .path(
          slot: node.simpleVariable.map { slot($0) }, names: node.simpleNames, passed: passed)
      case .variable:
        guard !node.value.isEmpty else { return nil }
        return .path(slot: slot(node.value), names: [], passed: passed)
      case .unary where node.value == "{":
        guard let keys = node.literalKeys, keys.count == node.pairs.count else { return nil }
        nodes += keys.count
        var values: [Part] = []
        values.reserveCapacity(keys.count)
        for (_, value) in node.pairs {
          guard let part = part(value, depth: depth + 1) else { return nil }
          values.append(part)
        }
        return .object(shape: JSONObject.Shape(keys), values: values)
      case .unary where node.value == "[":
        var items: [(part: Part, isConstructor: Bool)] = []
        for item in node.expressions {
          guard let part = part(item, depth: depth + 1) else { return nil }
          items.append((part, item.kind == .unary && item.value == "["))
        }
        return .array(items)
      case .binary where node.value == "&":
        guard let lhs = node.lhs, let rhs = node.rhs,
          let left = part(lhs, depth: depth + 1, passed: false),
          let right = part(rhs, depth: depth + 1, passed: false)
        else { return nil }
        return .concatenate(left, right)
      case .function:
        guard let procedure = node.procedure, Compiler.isPlain(procedure),
          node.arguments.count == 1, Compiler.builtinName(procedure) == "merge",
          let argument = part(node.arguments[0], depth: depth + 1)
        else { return nil }
        nodes += 1
        if !builtins.contains("merge") { builtins.append("merge") }
        return .merge(argument)
      default:
        return nil
      }
    }

    /// The name of a procedure written `$name`.
    static func builtinName(_ procedure: Node) -> String? {
      switch procedure.kind {
      case .variable: return procedure.value
      case .path:
        guard procedure.steps.count == 1, procedure.steps[0].kind == .variable,
          isPlain(procedure.steps[0])
        else { return nil }
        return procedure.steps[0].value
      default: return nil
      }
    }
  }

  // MARK: - Evaluating

  /// Evaluates the expression, or throws ``Fallback``. Nil is `undefined`.
  func evaluate(input: JSON?, bindings: [String: JSON], functions: FunctionFrame) throws(Fallback)
    -> JSON?
  {
    for name in builtins where functions.binds(name) { throw Fallback() }
    // A name that is not a binding may be a built-in or undefined: the general way.
    if variables.count == 1, bindings.count <= 4 {
      // The usual case (`$states` alone): a few bindings are compared rather than hashed.
      var found: JSON?
      for (name, value) in bindings {
        if name == variables[0] {
          found = value
        } else if builtins.contains(name) {
          throw Fallback()
        }
      }
      guard let found else { throw Fallback() }
      return try evaluate(root, input, CollectionOfOne(found))
    }
    for name in builtins where bindings[name] != nil { throw Fallback() }
    var values: [JSON] = []
    values.reserveCapacity(variables.count)
    for name in variables {
      guard let value = bindings[name] else { throw Fallback() }
      values.append(value)
    }
    return try evaluate(root, input, values)
  }

  /// Evaluates the expression with the variables given by `variable` (nil: not bound), or
  /// throws ``Fallback``.
  func evaluate(input: JSON?, variable: (String) -> JSON?, functions: FunctionFrame)
    throws(Fallback) -> JSON?
  {
    for name in builtins where functions.binds(name) || variable(name) != nil {
      throw Fallback()
    }
    if variables.count == 1 {
      guard let value = variable(variables[0]) else { throw Fallback() }
      return try evaluate(root, input, CollectionOfOne(value))
    }
    var values: [JSON] = []
    values.reserveCapacity(variables.count)
    for name in variables {
      guard let value = variable(name) else { throw Fallback() }
      values.append(value)
    }
    return try evaluate(root, input, values)
  }

  private func evaluate<Variables: RandomAccessCollection<JSON>>(
    _ part: Part, _ input: JSON?, _ variables: Variables
  ) throws(Fallback) -> JSON? where Variables.Index == Int {
    switch part {
    case .literal(let json):
      return json
    case .path(let slot, let names, let passed):
      var current: JSON?
      if let slot {
        current = variables[slot]
      } else {
        // An array context is wrapped as a sequence by the general evaluator.
        if case .array? = input { throw Fallback() }
        current = input
      }
      for name in names {
        switch current {
        case .object(let object)?: current = object[name]
        case nil: return nil
        default: throw Fallback()
        }
      }
      // A value passed on as it is must read back as the general evaluator writes it.
      if passed, let current, !Value.writesBackUnchanged(current) { throw Fallback() }
      return current
    case .object(let shape, let parts):
      // Every value defined (the usual case): the object shares the shape's keys.
      do throws(Member) {
        return .object(
          try JSONObject(shape: shape) { position throws(Member) in
            do {
              guard let value = try evaluate(parts[position], input, variables) else {
                throw Member.undefined
              }
              return value
            } catch {
              throw Member.fallback
            }
          })
      } catch {
        guard error == .undefined else { throw Fallback() }
        // Some value undefined: its member is left out.
        var object = JSONObject(minimumCapacity: parts.count)
        for (key, part) in zip(shape.orderedKeys, parts) {
          if let value = try evaluate(part, input, variables) {
            object.append(key: key, value: value)
          }
        }
        return .object(object)
      }
    case .array(let items):
      var elements: [JSON] = []
      elements.reserveCapacity(items.count)
      for (part, isConstructor) in items {
        guard let value = try evaluate(part, input, variables) else { continue }
        if !isConstructor, case .array(let inner) = value {
          elements.append(contentsOf: inner)
        } else {
          elements.append(value)
        }
      }
      return .array(elements)
    case .concatenate(let lhs, let rhs):
      let left = try evaluate(lhs, input, variables)
      let right = try evaluate(rhs, input, variables)
      return .string(try DirectExpression.string(left) + DirectExpression.string(right))
    case .merge(let argument):
      let objects: [JSON]
      switch try evaluate(argument, input, variables) {
      case .object(let object)?: return .object(object)
      case .array(let elements)?: objects = elements
      default: throw Fallback()
      }
      guard case .object(var result)? = objects.first else { throw Fallback() }
      for element in objects.dropFirst() {
        guard case .object(let object) = element else { throw Fallback() }
        for (key, value) in object { result[key] = value }
      }
      return .object(result)
    }
  }

  /// `$string` of an operand of `&` (undefined is the empty string).
  private static func string(_ json: JSON?) throws(Fallback) -> String {
    switch json {
    case nil: return ""
    case .string(let string)?: return string
    case let json?:
      do {
        return try Functions.string(Value(json: json))
      } catch {
        throw Fallback()
      }
    }
  }
}
