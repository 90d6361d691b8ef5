import StepFunctionsRegex

/// A scope of variable bindings, linked to the scope it was created in.
final class Frame {
  private var bindings: [String: Value?] = [:]
  let parent: Frame?

  init(parent: Frame?) {
    self.parent = parent
  }

  func bind(_ name: String, _ value: Value?) {
    bindings[name] = .some(value)
  }

  func lookup(_ name: String) -> Value? {
    var frame: Frame? = self
    while let current = frame {
      if let value = current.bindings[name] { return value }
      frame = current.parent
    }
    return nil
  }

  /// A frame binding every member of a tuple.
  static func from(tuple: Tuple, parent: Frame) -> Frame {
    let frame = Frame(parent: parent)
    frame.bindings = tuple.mapValues { .some($0) }
    return frame
  }
}

/// A function value: a lambda with its closure, a built-in, a partial application, or a
/// compiled regular expression.
final class FunctionValue {
  enum Kind {
    case lambda(node: Node, input: Value?, environment: Frame)
    case native(NativeFunction)
    case partial(base: FunctionValue, arguments: [Value?], holes: [Bool])
    case regex(RegularExpression)
  }

  let kind: Kind

  init(_ kind: Kind) {
    self.kind = kind
  }

  /// How many arguments the function takes, for the higher-order functions.
  var arity: Int {
    switch kind {
    case .lambda(let node, _, _): return node.arguments.count
    case .native(let native): return native.arity
    case .partial(_, _, let holes): return holes.filter { $0 }.count
    case .regex: return 1
    }
  }

  var signature: Signature? {
    switch kind {
    case .lambda(let node, _, _): return node.signature
    case .native(let native): return native.signature
    case .partial, .regex: return nil
    }
  }

  var isThunk: Bool {
    if case .lambda(let node, _, _) = kind { return node.thunk }
    return false
  }
}

/// A built-in (or registered) function.
struct NativeFunction: @unchecked Sendable {
  typealias Implementation = (Evaluator, [Value?], CallContext) throws -> Value?

  let name: String
  let signature: Signature?
  let arity: Int
  let implementation: Implementation

  init(
    _ name: String, _ signature: String?, arity: Int? = nil,
    _ implementation: @escaping Implementation
  ) {
    self.name = name
    let parsed = signature.flatMap { try? Signature($0) }
    self.signature = parsed
    self.arity = arity ?? parsed?.parameters.count ?? 0
    self.implementation = implementation
  }

  init(name: String, signature: Signature?, arity: Int, implementation: @escaping Implementation) {
    self.name = name
    self.signature = signature
    self.arity = arity
    self.implementation = implementation
  }
}

/// What a built-in sees of its call: the context value and the calling scope.
struct CallContext {
  var input: Value?
  var environment: Frame
}
