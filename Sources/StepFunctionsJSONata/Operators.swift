/// The arithmetic, comparison, range and membership operators.
enum Operators {
  static func numeric(_ lhs: Value?, _ rhs: Value?, _ op: String) throws -> Value? {
    // As jsonata-js's isNumeric, left operand first: an infinite operand is out of range
    // (D1001); NaN, like a non-number, is the operand type error (T2001/T2002).
    if let lhs {
      if let x = lhs.numberValue, x.isInfinite {
        throw JSONataError(
          code: "D1001", token: op, message: "Number out of range: \(Functions.formatNumber(x))")
      }
      if !lhs.isNumber || lhs.numberValue?.isNaN == true {
        throw JSONataError(code: "T2001", token: op, value: lhs.json())
      }
    }
    if let rhs {
      if let y = rhs.numberValue, y.isInfinite {
        throw JSONataError(
          code: "D1001", token: op, message: "Number out of range: \(Functions.formatNumber(y))")
      }
      if !rhs.isNumber || rhs.numberValue?.isNaN == true {
        throw JSONataError(code: "T2002", token: op, value: rhs.json())
      }
    }
    guard let x = lhs?.numberValue, let y = rhs?.numberValue else { return nil }
    let result: Double
    switch op {
    case "+": result = x + y
    case "-": result = x - y
    case "*": result = x * y
    case "/": result = x / y
    default: result = x.truncatingRemainder(dividingBy: y)
    }
    return .number(result)
  }

  static func compare(_ lhs: Value?, _ rhs: Value?, _ op: String) throws -> Value? {
    let lComparable = lhs == nil || lhs?.isString == true || lhs?.isNumber == true
    let rComparable = rhs == nil || rhs?.isString == true || rhs?.isNumber == true
    if !lComparable || !rComparable {
      let offending = (lhs?.isString == true || lhs?.isNumber == true) ? rhs : lhs
      throw JSONataError(code: "T2010", token: op, value: offending?.json())
    }
    guard let lhs, let rhs else { return nil }
    if lhs.isNumber != rhs.isNumber {
      throw JSONataError(
        code: "T2009", token: op, value: lhs.json(),
        message:
          "The values \(Functions.describe(lhs)) and \(Functions.describe(rhs)) either side of operator \(op) must be of the same data type"
      )
    }
    let order: Int
    if let x = lhs.numberValue, let y = rhs.numberValue {
      order = x < y ? -1 : (x == y ? 0 : 1)
    } else {
      order = Functions.compareStrings(lhs.stringValue ?? "", rhs.stringValue ?? "")
    }
    switch op {
    case "<": return .bool(order < 0)
    case "<=": return .bool(order <= 0)
    case ">": return .bool(order > 0)
    default: return .bool(order >= 0)
    }
  }

  static func range(_ lhs: Value?, _ rhs: Value?) throws -> Value? {
    if let lhs, !isInteger(lhs) {
      throw JSONataError(code: "T2003", token: "..", value: lhs.json())
    }
    if let rhs, !isInteger(rhs) {
      throw JSONataError(code: "T2004", token: "..", value: rhs.json())
    }
    guard let start = lhs?.numberValue, let end = rhs?.numberValue else { return nil }
    if start > end { return nil }
    let size = end - start + 1
    if size > 1e7 {
      throw JSONataError(
        code: "D2014", token: "..", value: .number(.init(size)),
        message:
          "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate \(Functions.formatNumber(size))."
      )
    }
    var items: [Value] = []
    items.reserveCapacity(Int(size))
    var value = start
    while value <= end {
      items.append(.number(value))
      value += 1
    }
    return .sequence(items)
  }

  static func isInteger(_ value: Value) -> Bool {
    guard let number = value.numberValue else { return false }
    return number.isFinite && number.rounded(.towardZero) == number
  }

  static func includes(_ lhs: Value?, _ rhs: Value?) -> Bool {
    guard let lhs, let rhs else { return false }
    for item in rhs.asItems where strictEqual(lhs, item) { return true }
    return false
  }

  /// JavaScript's `===`: primitives by value, containers by identity.
  static func strictEqual(_ lhs: Value, _ rhs: Value) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.string(let a), .string(let b)): return a == b
    case (.object(let a), .object(let b)): return a === b
    case (.function(let a), .function(let b)): return a === b
    default:
      if let a = lhs.numberValue, let b = rhs.numberValue { return a == b }
      return false
    }
  }

  /// Structural equality, as jsonata's `isDeepEqual`.
  static func deepEqual(_ lhs: Value?, _ rhs: Value?) -> Bool {
    guard let lhs, let rhs else { return lhs == nil && rhs == nil }
    switch (lhs, rhs) {
    case (.array(let a), .array(let b)):
      guard a.items.count == b.items.count else { return false }
      for (x, y) in zip(a.items, b.items) where !deepEqual(x, y) { return false }
      return true
    case (.object(let a), .object(let b)):
      guard a.count == b.count else { return false }
      for (key, value) in a.members {
        guard let other = b[key], deepEqual(value, other) else { return false }
      }
      return true
    default:
      return strictEqual(lhs, rhs)
    }
  }
}

extension Int {
  /// The integer part of a double, clamped to `Int`'s range (NaN becomes 0): never traps.
  init(clampingDouble value: Double) {
    if value.isNaN {
      self = 0
    } else if value >= 9.2e18 {
      self = Int.max
    } else if value <= -9.2e18 {
      self = Int.min
    } else {
      self = Int(value)
    }
  }
}
