import StepFunctions

/// Checks and compares DynamoDB attribute values (`{"S": "x"}`, `{"N": "1"}`, `{"M": {...}}`...).
enum AttributeValues {
  static let types: Set<String> = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"]

  /// How many levels of `M` and `L` values an item may nest, its top-level attributes being
  /// the first: DynamoDB's limit of 32.
  static let maximumNestingLevels = 32

  static func validate(_ object: JSONObject) throws(TaskFailure) {
    for (name, value) in object { try validate(value, name: name, level: 1) }
  }

  static func validate(_ value: JSON, name: String, level: Int) throws(TaskFailure) {
    guard level <= maximumNestingLevels else {
      throw DynamoDBTables.validation(
        "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
      )
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
      guard let text = inner.stringValue, Double(text) != nil else {
        throw DynamoDBTables.validation(
          "The parameter cannot be converted to a numeric value (attribute \(name))")
      }
    case "S", "B":
      guard inner.stringValue != nil else {
        throw DynamoDBTables.validation("Invalid attribute value type (attribute \(name))")
      }
    case "M":
      guard case .object(let members) = inner else {
        throw DynamoDBTables.validation("Invalid attribute value type (attribute \(name))")
      }
      for (member, value) in members { try validate(value, name: member, level: level + 1) }
    case "L":
      guard case .array(let elements) = inner else {
        throw DynamoDBTables.validation("Invalid attribute value type (attribute \(name))")
      }
      for element in elements { try validate(element, name: name, level: level + 1) }
    default:
      break
    }
  }

  static func number(_ value: JSON) -> Double? {
    value["N"]?.stringValue.flatMap(Double.init)
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
      return ["N": .string(AttributeValues.numberText(isPlus ? a + b : a - b))]
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
        try Self.set(["N": .string(AttributeValues.numberText(base + amount))], at: path, in: &item)
      } else if let type = addend.objectValue?.keys.first, ["SS", "NS", "BS"].contains(type),
        let additions = addend[type]?.arrayValue
      {
        var members = existing?[type]?.arrayValue ?? []
        for member in additions where !members.contains(member) { members.append(member) }
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
      let remaining = existing.filter { !members.contains($0) }
      try Self.set(
        remaining.isEmpty ? nil : .object([type: .array(remaining)]), at: path, in: &item)
    }
    return item
  }
}
