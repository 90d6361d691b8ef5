import StepFunctions

/// DynamoDB's quotas that bound what a request can make the simulator do.
enum DynamoDBLimits {
  /// The longest expression string, in bytes (AWS: 4 KB).
  static let expressionBytes = 4096
  /// The deepest nesting of maps and lists in an item (AWS: 32 levels).
  static let nestingLevels = 32
  /// The most elements in a document path (`a.b[0].c`) (AWS: 32).
  static let documentPathDepth = 32
  /// The most operands of `IN` (AWS: 100).
  static let inOperands = 100
  /// The largest item, in bytes (AWS: 400 KB), measured as its JSON text.
  static let itemBytes = 400 * 1024
  /// The deepest nesting of parentheses, `NOT` and functions in one expression. AWS documents
  /// no such limit (its 4 KB length bounds it); the simulator's parser and evaluator recurse,
  /// so it stops at a depth no real expression reaches.
  static let expressionNesting = 100
}

/// Checks and compares DynamoDB attribute values (`{"S": "x"}`, `{"N": "1"}`, `{"M": {...}}`...).
enum AttributeValues {
  static let types: Set<String> = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"]

  static func validate(_ object: JSONObject) throws(TaskFailure) {
    for (name, value) in object { try validate(value, name: name, depth: 1) }
  }

  static func validate(_ value: JSON, name: String, depth: Int = 1) throws(TaskFailure) {
    guard depth <= DynamoDBLimits.nestingLevels + 1 else {
      throw DynamoDBTables.validation(
        "Nesting Levels have exceeded supported limits (attribute \(name))")
    }
    guard case .object(let object) = value, object.count == 1, let type = object.keys.first,
      types.contains(type),
      let inner = object.values.first
    else {
      throw DynamoDBTables.validation(
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes (attribute \(name))"
      )
    }
    switch type {
    case "N":
      guard let text = inner.stringValue else {
        throw DynamoDBTables.validation(
          "The parameter cannot be converted to a numeric value (attribute \(name))")
      }
      if let problem = numberProblem(text) {
        throw DynamoDBTables.validation("\(problem) (attribute \(name))")
      }
    case "NS":
      guard case .array(let members) = inner else {
        throw DynamoDBTables.validation("Invalid attribute value type (attribute \(name))")
      }
      for member in members {
        guard let text = member.stringValue else {
          throw DynamoDBTables.validation(
            "The parameter cannot be converted to a numeric value (attribute \(name))")
        }
        if let problem = numberProblem(text) {
          throw DynamoDBTables.validation("\(problem) (attribute \(name))")
        }
      }
    case "S", "B":
      guard inner.stringValue != nil else {
        throw DynamoDBTables.validation("Invalid attribute value type (attribute \(name))")
      }
    case "M":
      guard case .object(let members) = inner else {
        throw DynamoDBTables.validation("Invalid attribute value type (attribute \(name))")
      }
      for (member, value) in members { try validate(value, name: member, depth: depth + 1) }
    case "L":
      guard case .array(let elements) = inner else {
        throw DynamoDBTables.validation("Invalid attribute value type (attribute \(name))")
      }
      for element in elements { try validate(element, name: name, depth: depth + 1) }
    default:
      break
    }
  }

  /// Why `text` is not a number DynamoDB stores, in DynamoDB's words, or `nil` when it is one:
  /// an optionally signed decimal with an optional exponent, at most 38 significant digits, and
  /// zero or a magnitude from 1E-130 to 9.9999999999999999999999999999999999999E+125.
  static func numberProblem(_ text: String) -> String? {
    let invalid = "The parameter cannot be converted to a numeric value: \(text.prefix(64))"
    var bytes = Substring(text).utf8[...]
    if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
      bytes = bytes.dropFirst()
    }
    var digits: [UInt8] = []
    var digitsBeforePoint = 0
    var seenPoint = false
    while let byte = bytes.first, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") {
      bytes = bytes.dropFirst()
      if byte == UInt8(ascii: ".") {
        guard !seenPoint else { return invalid }
        seenPoint = true
      } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
        digits.append(byte)
        if !seenPoint { digitsBeforePoint += 1 }
      } else {
        return invalid
      }
    }
    guard !digits.isEmpty else { return invalid }
    var exponent = 0
    if !bytes.isEmpty {
      bytes = bytes.dropFirst()
      var negative = false
      if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
        negative = bytes.first == UInt8(ascii: "-")
        bytes = bytes.dropFirst()
      }
      guard !bytes.isEmpty else { return invalid }
      for byte in bytes {
        guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return invalid }
        // Saturate: any exponent past a million is out of range either way.
        exponent = Swift.min(exponent * 10 + Int(byte - UInt8(ascii: "0")), 1_000_000)
      }
      if negative { exponent = -exponent }
    }
    guard let first = digits.firstIndex(where: { $0 != UInt8(ascii: "0") }) else { return nil }
    let last = digits.lastIndex(where: { $0 != UInt8(ascii: "0") }) ?? first
    if last - first + 1 > 38 {
      return "Attempting to store more than 38 significant digits in a Number"
    }
    // The power of ten of the leading significant digit.
    let magnitude = digitsBeforePoint - first - 1 + exponent
    if magnitude > 125 {
      return
        "Number overflow. Attempting to store a number with magnitude larger than supported range"
    }
    if magnitude < -130 {
      return
        "Number underflow. Attempting to store a number with magnitude smaller than supported range"
    }
    return nil
  }

  static func number(_ value: JSON) -> Double? {
    guard let text = value["N"]?.stringValue, numberProblem(text) == nil else { return nil }
    return Double(text)
  }

  /// The attribute value holding `value`, the result of arithmetic: a `ValidationException`
  /// when DynamoDB could not store it (past its range, or not a number at all).
  static func number(from value: Double) throws(ExpressionError) -> JSON {
    guard value.isFinite else {
      throw ExpressionError(
        message:
          "Number overflow. Attempting to store a number with magnitude larger than supported range"
      )
    }
    let text = numberText(value)
    if let problem = numberProblem(text) { throw ExpressionError(message: problem) }
    return ["N": .string(text)]
  }

  static func equal(_ a: JSON, _ b: JSON) -> Bool {
    if let x = number(a), let y = number(b) { return x == y }
    return a == b
  }

  /// -1, 0, 1 for two numbers, strings or binaries; `nil` for other pairs.
  static func order(_ a: JSON, _ b: JSON) -> Int? {
    if let x = number(a), let y = number(b) { return x < y ? -1 : (x == y ? 0 : 1) }
    for type in ["S", "B"] {
      if let x = a[type]?.stringValue, let y = b[type]?.stringValue {
        if x == y { return 0 }
        return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
      }
    }
    return nil
  }

  static func numberText(_ value: Double) -> String { MediaMetadata.format(value) }
}

/// Evaluates condition expressions against an item and applies update expressions to one.
struct ExpressionEvaluator {
  let values: JSONObject

  private func value(_ name: String) throws(ExpressionError) -> JSON {
    guard let value = values[name] else {
      throw ExpressionError(
        message:
          "Invalid Expression: An expression attribute value used in expression is not defined; attribute value: \(name)"
      )
    }
    return value
  }

  static func get(_ path: [PathElement], in item: JSONObject) -> JSON? {
    guard case .name(let first)? = path.first, var current = item[first] else { return nil }
    for element in path.dropFirst() {
      switch element {
      case .name(let name):
        guard let next = current["M"]?[name] else { return nil }
        current = next
      case .index(let index):
        guard let list = current["L"]?.arrayValue, index >= 0, index < list.count else {
          return nil
        }
        current = list[index]
      }
    }
    return current
  }

  private func operand(_ operand: ExpressionOperand, _ item: JSONObject) throws(ExpressionError)
    -> JSON?
  {
    switch operand {
    case .path(let path): return Self.get(path, in: item)
    case .value(let name): return try value(name)
    case .size(let path):
      guard let found = Self.get(path, in: item), let type = found.objectValue?.keys.first,
        let inner = found.objectValue?.values.first
      else { return nil }
      let size: Int
      switch type {
      case "S", "B": size = inner.stringValue?.utf8.count ?? 0
      case "L", "SS", "NS", "BS": size = inner.arrayValue?.count ?? 0
      case "M": size = inner.objectValue?.count ?? 0
      default: return nil
      }
      return ["N": .string(String(size))]
    case .ifNotExists(let path, let fallback):
      if let found = Self.get(path, in: item) { return found }
      return try self.operand(fallback, item)
    case .listAppend(let first, let second):
      guard let a = try self.operand(first, item)?["L"]?.arrayValue,
        let b = try self.operand(second, item)?["L"]?.arrayValue
      else {
        throw ExpressionError(
          message:
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append"
        )
      }
      return ["L": .array(a + b)]
    case .plus(let first, let second), .minus(let first, let second):
      guard let a = try self.operand(first, item).flatMap(AttributeValues.number),
        let b = try self.operand(second, item).flatMap(AttributeValues.number)
      else {
        throw ExpressionError(
          message:
            "Invalid UpdateExpression: The provided expression refers to an attribute that does not exist in the item, or an operand is not a number"
        )
      }
      let isPlus: Bool
      if case .plus = operand { isPlus = true } else { isPlus = false }
      return try AttributeValues.number(from: isPlus ? a + b : a - b)
    }
  }

  func evaluate(_ condition: ConditionExpression, _ item: JSONObject) throws(ExpressionError)
    -> Bool
  {
    switch condition {
    case .and(let a, let b):
      guard try evaluate(a, item) else { return false }
      return try evaluate(b, item)
    case .or(let a, let b):
      if try evaluate(a, item) { return true }
      return try evaluate(b, item)
    case .not(let inner):
      let value = try evaluate(inner, item)
      return !value
    case .compare(let left, let symbol, let right):
      guard let a = try operand(left, item), let b = try operand(right, item) else {
        return symbol == "<>"
      }
      switch symbol {
      case "=": return AttributeValues.equal(a, b)
      case "<>": return !AttributeValues.equal(a, b)
      default:
        guard let order = AttributeValues.order(a, b) else { return false }
        switch symbol {
        case "<": return order < 0
        case "<=": return order <= 0
        case ">": return order > 0
        default: return order >= 0
        }
      }
    case .between(let subject, let low, let high):
      guard let value = try operand(subject, item), let lower = try operand(low, item),
        let upper = try operand(high, item), let first = AttributeValues.order(lower, value),
        let second = AttributeValues.order(value, upper)
      else { return false }
      return first <= 0 && second <= 0
    case .isIn(let subject, let options):
      guard let value = try operand(subject, item) else { return false }
      for option in options {
        if let candidate = try operand(option, item), AttributeValues.equal(value, candidate) {
          return true
        }
      }
      return false
    case .function(let name, let arguments):
      guard case .path(let path)? = arguments.first else { return false }
      let found = Self.get(path, in: item)
      switch name {
      case "attribute_exists": return found != nil
      case "attribute_not_exists": return found == nil
      case "attribute_type":
        guard let type = try operand(arguments[1], item)?["S"]?.stringValue else { return false }
        return found?.objectValue?.keys.first == type
      case "begins_with":
        guard let found, let prefix = try operand(arguments[1], item) else { return false }
        if let text = found["S"]?.stringValue, let start = prefix["S"]?.stringValue {
          return text.hasPrefix(start)
        }
        return false
      default:  // contains
        guard let found, let needle = try operand(arguments[1], item) else { return false }
        if let text = found["S"]?.stringValue, let part = needle["S"]?.stringValue {
          return text.contains(part)
        }
        for type in ["L", "SS", "NS", "BS"] {
          if let list = found[type]?.arrayValue {
            return list.contains { element in
              type == "L"
                ? AttributeValues.equal(element, needle)
                : needle.objectValue?.values.first == element
            }
          }
        }
        return false
      }
    }
  }

  // MARK: Updates

  private static func set(
    _ value: JSON?, at path: ArraySlice<PathElement>, in container: inout JSON
  ) throws(ExpressionError) {
    guard let first = path.first else { return }
    let rest = path.dropFirst()
    let invalid = ExpressionError(
      message: "The document path provided in the update expression is invalid for update")
    switch first {
    case .name(let name):
      guard case .object(var wrapper) = container, case .object(var members)? = wrapper["M"] else {
        throw invalid
      }
      if rest.isEmpty {
        members[name] = value
      } else {
        guard var child = members[name] else { throw invalid }
        try set(value, at: rest, in: &child)
        members[name] = child
      }
      wrapper["M"] = .object(members)
      container = .object(wrapper)
    case .index(let index):
      guard case .object(var wrapper) = container, case .array(var elements)? = wrapper["L"] else {
        throw invalid
      }
      if rest.isEmpty {
        if let value {
          if index < elements.count { elements[index] = value } else { elements.append(value) }
        } else if index < elements.count {
          elements.remove(at: index)
        }
      } else {
        guard index < elements.count else { throw invalid }
        var child = elements[index]
        try set(value, at: rest, in: &child)
        elements[index] = child
      }
      wrapper["L"] = .array(elements)
      container = .object(wrapper)
    }
  }

  static func set(_ value: JSON?, at path: [PathElement], in item: inout JSONObject)
    throws(ExpressionError)
  {
    var root: JSON = ["M": .object(item)]
    try set(value, at: path[...], in: &root)
    item = root["M"]?.objectValue ?? item
  }

  func apply(_ update: UpdateExpression, to original: JSONObject) throws(ExpressionError)
    -> JSONObject
  {
    var item = original
    var computed: [([PathElement], JSON)] = []
    for (path, value) in update.sets {
      guard let result = try operand(value, original) else {
        throw ExpressionError(
          message: "The provided expression refers to an attribute that does not exist in the item")
      }
      computed.append((path, result))
    }
    for (path, result) in computed { try Self.set(result, at: path, in: &item) }
    for path in update.removes { try Self.set(nil, at: path, in: &item) }
    for (path, operand) in update.adds {
      guard let addend = try self.operand(operand, item) else { continue }
      let existing = Self.get(path, in: item)
      if let amount = AttributeValues.number(addend) {
        let base = existing.flatMap(AttributeValues.number) ?? 0
        try Self.set(try AttributeValues.number(from: base + amount), at: path, in: &item)
      } else if let type = addend.objectValue?.keys.first, ["SS", "NS", "BS"].contains(type),
        let additions = addend[type]?.arrayValue
      {
        var members = existing?[type]?.arrayValue ?? []
        var present = Set(members)
        for member in additions where present.insert(member).inserted { members.append(member) }
        try Self.set(.object([type: .array(members)]), at: path, in: &item)
      } else {
        throw ExpressionError(
          message:
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD"
        )
      }
    }
    for (path, operand) in update.deletes {
      guard let removal = try self.operand(operand, item),
        let type = removal.objectValue?.keys.first,
        let members = removal[type]?.arrayValue,
        let existing = Self.get(path, in: item)?[type]?.arrayValue
      else { continue }
      let removed = Set(members)
      let remaining = existing.filter { !removed.contains($0) }
      try Self.set(
        remaining.isEmpty ? nil : .object([type: .array(remaining)]), at: path, in: &item)
    }
    return item
  }
}
