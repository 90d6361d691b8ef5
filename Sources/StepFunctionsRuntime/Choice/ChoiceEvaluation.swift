import StepFunctionsJSON
import StepFunctionsLanguage

extension Engine {
  /// Whether a choice rule matches `input`.
  func matches(_ rule: ChoiceRulePlan, input: JSON, fiber: Fiber) throws(StatesError) -> Bool {
    switch rule {
    case .and(let rules):
      for rule in rules where try !matches(rule, input: input, fiber: fiber) { return false }
      return true
    case .or(let rules):
      for rule in rules where try matches(rule, input: input, fiber: fiber) { return true }
      return false
    case .not(let rule):
      return try !matches(rule, input: input, fiber: fiber)
    case .compare(let variable, let comparator, let operand):
      let value: JSON?
      do {
        value = try read(variable, current: input, fiber: fiber)
      } catch {
        value = nil
        if comparator != .isPresent { throw stateError(fiber, error.invalidPathCause) }
      }
      let expected: JSON
      switch operand {
      case .value(let literal): expected = literal
      case .path(let source):
        do {
          expected = try read(source, current: input, fiber: fiber)
        } catch {
          throw stateError(fiber, error.invalidPathCause)
        }
      }
      return ChoiceComparison.evaluate(comparator, value: value, operand: expected)
    case .condition(.literal(let value)):
      return value
    case .condition(.expression(let plan)):
      let value = try evaluateJSONata(plan, fiber: fiber, input: input)
      guard case .bool(let result) = value else {
        throw unexpectedType(plan, value, expected: "boolean", fiber: fiber)
      }
      return result
    case .condition(.path(let source)):
      // Conditions are JSONata: the loader never gives a path here.
      throw stateError(fiber, "Invalid Condition: \(source.text)")
    }
  }
}

/// The comparison operators' semantics.
enum ChoiceComparison {
  static func evaluate(_ comparator: Comparator, value: JSON?, operand: JSON) -> Bool {
    switch comparator {
    case .isPresent:
      return (value != nil) == (operand.boolValue ?? true)
    default:
      break
    }
    guard let value else { return false }
    switch comparator {
    case .isNull: return (value == .null) == (operand.boolValue ?? true)
    case .isNumeric: return (value.numberValue != nil) == (operand.boolValue ?? true)
    case .isString: return (value.stringValue != nil) == (operand.boolValue ?? true)
    case .isBoolean: return (value.boolValue != nil) == (operand.boolValue ?? true)
    case .isTimestamp:
      let isTimestamp = value.stringValue.map(Timestamp.isRFC3339) ?? false
      return isTimestamp == (operand.boolValue ?? true)
    case .booleanEquals:
      guard let left = value.boolValue, let right = operand.boolValue else { return false }
      return left == right
    case .stringMatches:
      guard let text = value.stringValue, let pattern = operand.stringValue else { return false }
      return wildcardMatch(Array(text.unicodeScalars), pattern: wildcardPattern(pattern))
    case .stringEquals, .stringLessThan, .stringGreaterThan, .stringLessThanEquals,
      .stringGreaterThanEquals:
      guard let left = value.stringValue, let right = operand.stringValue else { return false }
      return order(compareUTF16(left, right), comparator)
    case .numericEquals, .numericLessThan, .numericGreaterThan, .numericLessThanEquals,
      .numericGreaterThanEquals:
      guard let left = value.numberValue, let right = operand.numberValue else { return false }
      return order(left < right ? -1 : (left == right ? 0 : 1), comparator)
    case .timestampEquals, .timestampLessThan, .timestampGreaterThan, .timestampLessThanEquals,
      .timestampGreaterThanEquals:
      guard let leftText = value.stringValue, let rightText = operand.stringValue,
        let left = Timestamp.parse(leftText), let right = Timestamp.parse(rightText)
      else { return false }
      return order(left < right ? -1 : (left == right ? 0 : 1), comparator)
    case .isPresent:
      return false
    }
  }

  /// Interprets a three-way comparison result for the operator's relation.
  static func order(_ result: Int, _ comparator: Comparator) -> Bool {
    switch comparator {
    case .stringEquals, .numericEquals, .timestampEquals: return result == 0
    case .stringLessThan, .numericLessThan, .timestampLessThan: return result < 0
    case .stringGreaterThan, .numericGreaterThan, .timestampGreaterThan: return result > 0
    case .stringLessThanEquals, .numericLessThanEquals, .timestampLessThanEquals: return result <= 0
    default: return result >= 0
    }
  }

  /// Compares strings by UTF-16 code units, as Java's `String.compareTo` does.
  static func compareUTF16(_ left: String, _ right: String) -> Int {
    var leftIterator = left.utf16.makeIterator()
    var rightIterator = right.utf16.makeIterator()
    while true {
      switch (leftIterator.next(), rightIterator.next()) {
      case (nil, nil): return 0
      case (nil, _): return -1
      case (_, nil): return 1
      case (let a?, let b?):
        if a != b { return a < b ? -1 : 1 }
      }
    }
  }

  enum PatternElement: Equatable {
    case literal(Unicode.Scalar)
    case star
  }

  /// `StringMatches` patterns: `*` matches any run of characters; `\*` and `\\` are literal.
  static func wildcardPattern(_ pattern: String) -> [PatternElement] {
    var elements: [PatternElement] = []
    var iterator = pattern.unicodeScalars.makeIterator()
    while let scalar = iterator.next() {
      if scalar == "\\" {
        if let escaped = iterator.next() {
          elements.append(.literal(escaped))
        } else {
          elements.append(.literal("\\"))
        }
      } else if scalar == "*" {
        elements.append(.star)
      } else {
        elements.append(.literal(scalar))
      }
    }
    return elements
  }

  /// Glob matching with backtracking over the last star: O(n·m) worst case, no recursion.
  static func wildcardMatch(_ text: [Unicode.Scalar], pattern: [PatternElement]) -> Bool {
    var textIndex = 0
    var patternIndex = 0
    var starIndex: Int?
    var resumeIndex = 0
    while textIndex < text.count {
      if patternIndex < pattern.count, case .literal(let scalar) = pattern[patternIndex],
        scalar == text[textIndex]
      {
        textIndex += 1
        patternIndex += 1
      } else if patternIndex < pattern.count, pattern[patternIndex] == .star {
        starIndex = patternIndex
        resumeIndex = textIndex
        patternIndex += 1
      } else if let star = starIndex {
        patternIndex = star + 1
        resumeIndex += 1
        textIndex = resumeIndex
      } else {
        return false
      }
    }
    while patternIndex < pattern.count, pattern[patternIndex] == .star { patternIndex += 1 }
    return patternIndex == pattern.count
  }
}
