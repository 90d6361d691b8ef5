import StepFunctionsRegex

/// A scope of variable bindings, linked to the scope it was created in.
///
/// Like ``ObjectBox``, a small frame finds a name by comparing the names in turn and builds a
/// hash index only past ``indexThreshold`` bindings (the built-ins' frame).
final class Frame {
  // A frame is used by one evaluation on one thread, and its storage is never lent out while
  // it changes, so the dynamic exclusivity checks are off.
  @exclusivity(unchecked) private var names: [String] = []
  @exclusivity(unchecked) private var values: [Value?] = []
  @exclusivity(unchecked) private var index: [String: Int]?
  let parent: Frame?
  /// Past this many bindings a frame builds its index (an evaluation's top frame holds AWS's
  /// functions, `$`, `$states` and the variables: seldom more).
  static let indexThreshold = 16

  init(parent: Frame?) {
    self.parent = parent
  }

  /// A frame with room for `capacity` bindings.
  init(parent: Frame?, capacity: Int) {
    self.parent = parent
    names.reserveCapacity(capacity)
    values.reserveCapacity(capacity)
  }

  private func position(of name: String) -> Int? {
    if let index { return index[name] }
    return names.firstIndex(of: name)
  }

  func bind(_ name: String, _ value: Value?) {
    if let position = position(of: name) {
      values[position] = value
      return
    }
    names.append(name)
    values.append(value)
    if index != nil {
      index?[name] = names.count - 1
    } else if names.count > Self.indexThreshold {
      var built: [String: Int] = [:]
      built.reserveCapacity(names.count)
      for (offset, bound) in names.enumerated() { built[bound] = offset }
      index = built
    }
  }

  func lookup(_ name: String) -> Value? {
    var frame: Frame? = self
    while let current = frame {
      if let position = current.position(of: name) { return current.values[position] }
      frame = current.parent
    }
    return nil
  }

  /// A frame binding every member of a tuple.
  static func from(tuple: Tuple, parent: Frame) -> Frame {
    let frame = Frame(parent: parent)
    for (name, value) in tuple { frame.bind(name, value) }
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
