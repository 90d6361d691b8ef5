extension JSON {
  /// Whether two values mean the same JSON: the same type, numbers equal by value (`1500`
  /// equals `1.5e3`), arrays with equal elements in the same order, objects with the same keys
  /// and equal values in any order.
  ///
  /// Compares with a stack of its own, so values of any depth compare on any thread.
  ///
  /// - Complexity: O(*n*) in the size of the smaller value; stops at the first difference.
  public static func == (lhs: JSON, rhs: JSON) -> Bool {
    var pending: [(JSON, JSON)] = []
    var left = lhs
    var right = rhs
    while true {
      switch (left, right) {
      case (.null, .null):
        break
      case (.bool(let a), .bool(let b)):
        guard a == b else { return false }
      case (.number(let a), .number(let b)):
        guard a == b else { return false }
      case (.string(let a), .string(let b)):
        guard a == b else { return false }
      case (.array(let a), .array(let b)):
        guard a.count == b.count else { return false }
        for position in a.indices
        where !JSON.shallowlyEqual(a[position], b[position], into: &pending) {
          return false
        }
      case (.object(let a), .object(let b)):
        guard a.count == b.count else { return false }
        guard a.storage !== b.storage else { break }
        if a.keys == b.keys {
          for position in a.indices
          where !JSON.shallowlyEqual(a.value(at: position), b.value(at: position), into: &pending) {
            return false
          }
        } else {
          for member in a {
            guard let other = b[member.key],
              JSON.shallowlyEqual(member.value, other, into: &pending)
            else { return false }
          }
        }
      default:
        return false
      }
      guard let next = pending.popLast() else { return true }
      (left, right) = next
    }
  }

  /// Compares `lhs` and `rhs` as far as can be done without looking inside them: false when
  /// they differ in type, size or scalar value; true otherwise, with the pair left in `pending`
  /// when both are non-empty arrays or objects whose contents remain to be compared.
  private static func shallowlyEqual(
    _ lhs: JSON, _ rhs: JSON, into pending: inout [(JSON, JSON)]
  ) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.number(let a), .number(let b)): return a == b
    case (.string(let a), .string(let b)): return a == b
    case (.array(let a), .array(let b)):
      guard a.count == b.count else { return false }
      if !a.isEmpty { pending.append((lhs, rhs)) }
      return true
    case (.object(let a), .object(let b)):
      guard a.count == b.count else { return false }
      if !a.isEmpty && a.storage !== b.storage { pending.append((lhs, rhs)) }
      return true
    default: return false
    }
  }

  /// How many levels of arrays and objects ``hash(into:)`` looks into. Equal values agree at
  /// every depth, so hashing only the upper levels stays consistent with `==`, and it keeps
  /// hashing a value of any depth to a bounded recursion.
  static let hashedDepth = 16

  /// Hashes consistently with `==`: object members in any order hash alike, and numbers by
  /// value. Arrays and objects below ``hashedDepth`` levels count by their size only.
  public func hash(into hasher: inout Hasher) {
    hash(into: &hasher, depth: 0)
  }

  func hash(into hasher: inout Hasher, depth: Int) {
    switch self {
    case .null:
      hasher.combine(0 as UInt8)
    case .bool(let flag):
      hasher.combine(1 as UInt8)
      hasher.combine(flag)
    case .number(let number):
      hasher.combine(2 as UInt8)
      hasher.combine(number)
    case .string(let text):
      hasher.combine(3 as UInt8)
      hasher.combine(text)
    case .array(let elements):
      hasher.combine(4 as UInt8)
      hasher.combine(elements.count)
      guard depth < JSON.hashedDepth else { return }
      for element in elements { element.hash(into: &hasher, depth: depth + 1) }
    case .object(let object):
      hasher.combine(5 as UInt8)
      object.hash(into: &hasher, depth: depth)
    }
  }
}

extension JSONObject {
  /// The members hashed independently of their order, at `depth` levels down a value (see
  /// ``JSON/hashedDepth``).
  func hash(into hasher: inout Hasher, depth: Int) {
    hasher.combine(count)
    guard depth < JSON.hashedDepth else { return }
    var combined = 0
    for (key, value) in self {
      var member = Hasher()
      member.combine(key)
      value.hash(into: &member, depth: depth + 1)
      combined = combined &+ member.finalize()
    }
    hasher.combine(combined)
  }
}
