import StepFunctionsJSON
import StepFunctionsLanguage

/// A filter operand after evaluation. `undefined` is what a path that selects nothing gives: it
/// equals nothing, not even `null`.
enum FilterValue {
  case undefined
  case value(JSON)
  case regex(JSONPathRegex)
}

extension JSONPathWalker {
  /// Whether `filter` holds for `current` (the filter's `@`). `$` is the evaluation root.
  func test(_ filter: JSONPathFilter, current: JSON) -> Bool {
    switch filter {
    case .or(let left, let right):
      return test(left, current: current) || test(right, current: current)
    case .and(let left, let right):
      return test(left, current: current) && test(right, current: current)
    case .not(let inner):
      return !test(inner, current: current)
    case .exists(let path, let negated):
      return exists(path, current: current) != negated
    case .comparison(let left, let comparison, let right):
      return JaywayComparison.evaluate(
        operand(left, current: current), comparison, operand(right, current: current))
    }
  }

  func start(of path: JSONPath, current: JSON) -> JSON {
    path.root == .current ? current : root
  }

  /// Jayway's existence test: a definite path exists when it resolves (even to `null`); an
  /// indefinite one when it selects something.
  func exists(_ path: JSONPath, current: JSON) -> Bool {
    let start = start(of: path, current: current)
    do {
      if path.isDefinite {
        _ = try path.definiteValue(in: start)
        return true
      }
      return !(try path.matches(in: start, document: root)).isEmpty
    } catch {
      return false
    }
  }

  func operand(_ operand: JSONPathFilterOperand, current: JSON) -> FilterValue {
    switch operand {
    case .literal(let value):
      return .value(value)
    case .regex(let regex):
      return .regex(regex)
    case .path(let path):
      do {
        return .value(try path.value(in: start(of: path, current: current), document: root))
      } catch {
        return .undefined
      }
    }
  }
}

/// Jayway's relational operators.
enum JaywayComparison {
  static func evaluate(
    _ left: FilterValue, _ comparison: JSONPathComparisonOperator, _ right: FilterValue
  ) -> Bool {
    switch comparison {
    case .equal: return equals(left, right)
    case .notEqual: return !equals(left, right)
    case .strictEqual: return strictlyEquals(left, right)
    case .strictNotEqual: return !strictlyEquals(left, right)
    case .less: return order(left, right).map { $0 < 0 } ?? false
    case .lessOrEqual: return order(left, right).map { $0 <= 0 } ?? false
    case .greater: return order(left, right).map { $0 > 0 } ?? false
    case .greaterOrEqual: return order(left, right).map { $0 >= 0 } ?? false
    case .matches: return regexMatches(left, right)
    case .in: return isElement(left, of: right)
    case .notIn: return !isElement(left, of: right)
    case .subsetOf:
      guard case .value(.array(let elements)) = left else { return false }
      return elements.allSatisfy { isElement(.value($0), of: right) }
    case .anyOf:
      guard case .value(.array(let elements)) = left, case .value(.array) = right else {
        return false
      }
      return elements.contains { isElement(.value($0), of: right) }
    case .noneOf:
      guard case .value(.array(let elements)) = left, case .value(.array) = right else {
        return false
      }
      return !elements.contains { isElement(.value($0), of: right) }
    case .size:
      guard case .value(.number(let number)) = right, let expected = number.intValue,
        case .value(let value) = left
      else { return false }
      switch value {
      case .string(let string): return string.utf16.count == expected
      case .array(let array): return array.count == expected
      case .object(let object): return object.count == expected
      default: return false
      }
    case .empty:
      guard case .value(.bool(let expected)) = right, case .value(let value) = left else {
        return false
      }
      switch value {
      case .string(let string): return string.isEmpty == expected
      case .array(let array): return array.isEmpty == expected
      case .object(let object): return object.isEmpty == expected
      default: return false
      }
    case .contains:
      guard case .value(let container) = left, case .value(let item) = right else { return false }
      switch (container, item) {
      case (.string(let string), .string(let part)):
        return containsUTF16(string, part)
      case (.array(let array), _):
        return array.contains { jaywayEquals(item, $0) }
      default:
        return false
      }
    }
  }

  /// `==` as Jayway's value nodes define it: JSON structures compare deeply; a number equals a
  /// string that reads as the same number, and a string equals a number printed the same way.
  static func equals(_ left: FilterValue, _ right: FilterValue) -> Bool {
    guard case .value(let lhs) = left, case .value(let rhs) = right else {
      if case .regex(let a) = left, case .regex(let b) = right { return a == b }
      return false
    }
    return jaywayEquals(lhs, rhs)
  }

  static func jaywayEquals(_ lhs: JSON, _ rhs: JSON) -> Bool {
    switch (lhs, rhs) {
    case (.number(let a), .string(let b)):
      guard let number = javaDecimal(b) else { return false }
      return a == number
    case (.string(let a), .number(let b)):
      return a == b.description
    default:
      return lhs == rhs
    }
  }

  static func strictlyEquals(_ left: FilterValue, _ right: FilterValue) -> Bool {
    guard case .value(let lhs) = left, case .value(let rhs) = right else { return false }
    guard lhs.typeName == rhs.typeName else { return false }
    return lhs == rhs
  }

  /// Numbers by value, strings by UTF-16 code units (Java's `compareTo`); anything else is
  /// unordered.
  static func order(_ left: FilterValue, _ right: FilterValue) -> Int? {
    guard case .value(let lhs) = left, case .value(let rhs) = right else { return nil }
    switch (lhs, rhs) {
    case (.number(let a), .number(let b)):
      return a == b ? 0 : (a < b ? -1 : 1)
    case (.string(let a), .string(let b)):
      var first = a.utf16.makeIterator()
      var second = b.utf16.makeIterator()
      while true {
        switch (first.next(), second.next()) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case (let x?, let y?): if x != y { return x < y ? -1 : 1 }
        }
      }
    default:
      return nil
    }
  }

  static func isElement(_ left: FilterValue, of right: FilterValue) -> Bool {
    guard case .value(let item) = left, case .value(.array(let elements)) = right else {
      return false
    }
    return elements.contains { jaywayEquals(item, $0) }
  }

  /// `=~`: exactly one side is a regular expression, which must match the whole of the other
  /// side's text (a string, or a number or Boolean as printed).
  static func regexMatches(_ left: FilterValue, _ right: FilterValue) -> Bool {
    let regex: JSONPathRegex
    let subject: FilterValue
    switch (left, right) {
    case (.regex, .regex): return false
    case (.regex(let pattern), _):
      regex = pattern
      subject = right
    case (_, .regex(let pattern)):
      regex = pattern
      subject = left
    default: return false
    }
    let text: String
    switch subject {
    case .value(.string(let string)): text = string
    case .value(.number(let number)): text = number.description
    case .value(.bool(let bool)): text = bool ? "true" : "false"
    default: text = ""
    }
    return regex.wholeMatches(text)
  }

  /// Reads a string as Java's `BigDecimal` would: optional sign, digits with an optional
  /// fraction, optional exponent.
  static func javaDecimal(_ text: String) -> JSONNumber? {
    let scalars = Array(text.unicodeScalars)
    guard !scalars.isEmpty else { return nil }
    var index = 0
    if scalars[index] == "-" || scalars[index] == "+" { index += 1 }
    var digits = 0
    while index < scalars.count, scalars[index] >= "0", scalars[index] <= "9" {
      index += 1
      digits += 1
    }
    if index < scalars.count, scalars[index] == "." {
      index += 1
      while index < scalars.count, scalars[index] >= "0", scalars[index] <= "9" {
        index += 1
        digits += 1
      }
    }
    guard digits > 0 else { return nil }
    if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
      index += 1
      if index < scalars.count, scalars[index] == "-" || scalars[index] == "+" { index += 1 }
      var exponentDigits = 0
      while index < scalars.count, scalars[index] >= "0", scalars[index] <= "9" {
        index += 1
        exponentDigits += 1
      }
      guard exponentDigits > 0 else { return nil }
    }
    guard index == scalars.count else { return nil }
    if let integer = Int64(text) { return JSONNumber(integer) }
    guard let decimal = Double(text), decimal.isFinite else { return nil }
    return JSONNumber(decimal)
  }

  static func containsUTF16(_ string: String, _ part: String) -> Bool {
    let haystack = Array(string.utf16)
    let needle = Array(part.utf16)
    guard !needle.isEmpty else { return true }
    guard needle.count <= haystack.count else { return false }
    for start in 0...(haystack.count - needle.count)
    where haystack[start..<start + needle.count].elementsEqual(needle) {
      return true
    }
    return false
  }
}

extension JSONPath {
  /// Applies a Jayway path function to `value`.
  func apply(
    _ function: JSONPathFunction, to value: JSON, at index: Int
  ) throws(JSONPathEvaluationError) -> JSON {
    switch function {
    case .length, .size:
      switch value {
      case .array(let array): return .number(JSONNumber(array.count))
      case .object(let object): return .number(JSONNumber(object.count))
      case .string(let string): return .number(JSONNumber(string.utf16.count))
      default: return .null
      }
    case .keys:
      guard case .object(let object) = value else { return .null }
      return .array(object.keys.map { .string($0) })
    case .first, .last:
      guard case .array(let array) = value,
        let element = function == .first ? array.first : array.last
      else {
        throw functionError(
          "Aggregation function attempted to calculate value using empty array", at: index)
      }
      return element
    case .min, .max, .avg, .stddev, .sum:
      var numbers: [Double] = []
      if case .array(let array) = value {
        for case .number(let number) in array { numbers.append(number.doubleValue) }
      }
      guard let first = numbers.first else {
        throw functionError(
          "Aggregation function attempted to calculate value using empty array", at: index)
      }
      let result: Double
      switch function {
      case .min: result = numbers.reduce(first) { Swift.min($0, $1) }
      case .max: result = numbers.reduce(first) { Swift.max($0, $1) }
      case .sum: result = numbers.reduce(0, +)
      case .avg: result = numbers.reduce(0, +) / Double(numbers.count)
      default:
        let count = Double(numbers.count)
        let mean = numbers.reduce(0, +) / count
        let meanOfSquares = numbers.reduce(0) { $0 + $1 * $1 } / count
        result = (meanOfSquares - mean * mean).squareRoot()
      }
      return .number(JSONNumber(result))
    }
  }
}
