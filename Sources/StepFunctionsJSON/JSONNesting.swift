extension JSON {
  /// How deeply arrays and objects nest in this value: 0 for `null`, a Boolean, a number or a
  /// string, 1 for `[]`, `{}` or `[1, 2]`, 2 for `[[1]]` or `{"a": {}}`; the count
  /// ``JSONParser/Options/maximumDepth`` limits.
  ///
  /// Computed with a stack of its own, so a value of any depth can be measured, on any thread.
  ///
  /// - Complexity: O(*n*) in the number of arrays and objects in the value, except that an
  ///   object whose kept bound (see ``nestingDepthBound``) shows it cannot be the deepest part is
  ///   not entered.
  public var nestingDepth: Int {
    var deepest = 0
    visitContainers { depth, bound in
      deepest = Swift.max(deepest, depth)
      return depth + bound > deepest
    }
    return deepest
  }

  /// Whether arrays and objects nest more than `limit` levels deep in this value (see
  /// ``nestingDepth``), found without measuring more of the value than needed.
  ///
  /// - Complexity: O(1) for an object or a scalar within its bound; otherwise at most O(*n*) in
  ///   the number of arrays and objects, stopping at the first one past `limit`.
  public func isNested(deeperThan limit: Int) -> Bool {
    guard limit >= 0 else { return true }
    guard nestingDepthBound > limit else { return false }
    var found = false
    visitContainers { depth, bound in
      if depth > limit { found = true }
      return !found && depth + bound > limit
    }
    return found
  }

  /// A nesting depth this value is sure not to exceed: exact for a value built without removing
  /// or replacing a member; after such a change an object may keep the bound of what it held.
  ///
  /// Objects keep their members' bound up to date as they change (as they keep their
  /// ``serializedByteBound``), so this costs O(1) for an object.
  ///
  /// - Complexity: O(1) for objects and scalars, O(*n*) in the number of elements for an array
  ///   (arrays inside it included, objects inside it counting one step each).
  public var nestingDepthBound: Int {
    switch self {
    case .null, .bool, .number, .string: return 0
    case .object(let object): return object.nestingDepthBound
    case .array(let elements): return JSON.nestingDepthBound(ofElements: elements)
    }
  }

  /// ``nestingDepthBound`` of an array with `elements`, with a stack of its own for the arrays
  /// inside it.
  static func nestingDepthBound(ofElements elements: [JSON]) -> Int {
    var deepest = 1
    var current = elements
    var depth = 1
    var pending: [(elements: [JSON], depth: Int)] = []
    while true {
      for element in current {
        switch element {
        case .object(let object):
          deepest = Swift.max(deepest, depth + object.nestingDepthBound)
        case .array(let inner):
          if inner.isEmpty {
            deepest = Swift.max(deepest, depth + 1)
          } else {
            pending.append((inner, depth + 1))
          }
        case .null, .bool, .number, .string:
          continue
        }
      }
      guard let next = pending.popLast() else { return deepest }
      current = next.elements
      depth = next.depth
      deepest = Swift.max(deepest, depth)
    }
  }

  /// Visits every array and object in this value with its depth (1 for the value itself) and
  /// the kept bound of how much deeper its own contents go; `enter` says whether to visit what
  /// is inside. Uses a stack of its own.
  private func visitContainers(_ enter: (_ depth: Int, _ bound: Int) -> Bool) {
    var pending: [(value: JSON, depth: Int)] = [(self, 1)]
    while let (value, depth) = pending.popLast() {
      switch value {
      case .object(let object):
        guard enter(depth, object.nestingDepthBound - 1) else { continue }
        for member in object where member.value.isArrayOrObject {
          pending.append((member.value, depth + 1))
        }
      case .array(let elements):
        // An array keeps no bound: `enter` sees the largest it could be.
        guard enter(depth, Int.max - depth) else { continue }
        for element in elements where element.isArrayOrObject {
          pending.append((element, depth + 1))
        }
      case .null, .bool, .number, .string:
        continue
      }
    }
  }

  /// Whether this value is an array or an object.
  var isArrayOrObject: Bool {
    switch self {
    case .array, .object: return true
    case .null, .bool, .number, .string: return false
    }
  }
}
