import StepFunctions

/// One step of a DynamoDB document path: a member name or a list index.
enum PathElement: Hashable {
  case name(String)
  case index(Int)
}

/// An operand in a DynamoDB expression.
indirect enum ExpressionOperand {
  case path([PathElement])
  case value(String)
  case size([PathElement])
  case ifNotExists([PathElement], ExpressionOperand)
  case listAppend(ExpressionOperand, ExpressionOperand)
  case plus(ExpressionOperand, ExpressionOperand)
  case minus(ExpressionOperand, ExpressionOperand)
}

/// A DynamoDB condition expression.
indirect enum ConditionExpression {
  case and(ConditionExpression, ConditionExpression)
  case or(ConditionExpression, ConditionExpression)
  case not(ConditionExpression)
  case compare(ExpressionOperand, String, ExpressionOperand)
  case between(ExpressionOperand, ExpressionOperand, ExpressionOperand)
  case isIn(ExpressionOperand, [ExpressionOperand])
  case function(String, [ExpressionOperand])
}

/// The actions of a DynamoDB update expression.
struct UpdateExpression {
  var sets: [([PathElement], ExpressionOperand)] = []
  var removes: [[PathElement]] = []
  var adds: [([PathElement], ExpressionOperand)] = []
  var deletes: [([PathElement], ExpressionOperand)] = []

  /// The top-level attributes the update touches.
  var touchedAttributes: [String] {
    var names: [String] = []
    let paths = sets.map(\.0) + removes + adds.map(\.0) + deletes.map(\.0)
    for path in paths {
      if case .name(let name)? = path.first, !names.contains(name) { names.append(name) }
    }
    return names
  }
}

/// Why an expression could not be used: reported as a DynamoDB `ValidationException`.
struct ExpressionError: Error {
  var message: String
}

/// Parses DynamoDB condition and update expressions, resolving `#name` placeholders.
struct ExpressionParser {
  private enum Token: Equatable {
    case word(String)
    case nameRef(String)
    case valueRef(String)
    case number(Int)
    case symbol(String)
  }

  private var tokens: [Token] = []
  private var position = 0
  /// How many parentheses, `NOT`s and function calls enclose the current token.
  private var nesting = 0

  /// How deeply parentheses, `NOT` and functions may nest in an expression, and how many
  /// levels a document path may have: 32, DynamoDB's limit on nested attributes. The parser and
  /// the evaluator take one call per level.
  static let maximumNesting = 32
  private let names: JSONObject
  private let kind: String

  init(_ text: String, names: JSONObject, kind: String) throws(ExpressionError) {
    self.names = names
    self.kind = kind
    tokens = try ExpressionParser.tokenize(text, kind: kind)
  }

  private static func tokenize(_ text: String, kind: String) throws(ExpressionError) -> [Token] {
    var tokens: [Token] = []
    let characters = Array(text)
    var index = 0
    func isWord(_ character: Character) -> Bool {
      character.isLetter || character.isNumber || character == "_"
    }
    while index < characters.count {
      let character = characters[index]
      if character.isWhitespace {
        index += 1
        continue
      }
      if character == "#" || character == ":" {
        var end = index + 1
        while end < characters.count, isWord(characters[end]) { end += 1 }
        guard end > index + 1 else {
          throw ExpressionError(
            message:
              "Invalid \(kind): Syntax error; token: \"\(character)\", near: \"\(character)\"")
        }
        let name = String(characters[index..<end])
        tokens.append(character == "#" ? .nameRef(name) : .valueRef(name))
        index = end
        continue
      }
      if character.isNumber {
        var end = index
        while end < characters.count, characters[end].isNumber { end += 1 }
        tokens.append(.number(Int(String(characters[index..<end])) ?? 0))
        index = end
        continue
      }
      if isWord(character) {
        var end = index
        while end < characters.count, isWord(characters[end]) { end += 1 }
        tokens.append(.word(String(characters[index..<end])))
        index = end
        continue
      }
      let two = index + 1 < characters.count ? String(characters[index...index + 1]) : ""
      if ["<>", "<=", ">="].contains(two) {
        tokens.append(.symbol(two))
        index += 2
        continue
      }
      guard "()=<>,.[]+-".contains(character) else {
        throw ExpressionError(
          message: "Invalid \(kind): Syntax error; token: \"\(character)\", near: \"\(character)\"")
      }
      tokens.append(.symbol(String(character)))
      index += 1
    }
    return tokens
  }

  private var current: Token? { position < tokens.count ? tokens[position] : nil }

  private func isKeyword(_ token: Token?, _ keyword: String) -> Bool {
    if case .word(let word)? = token { return word.uppercased() == keyword }
    return false
  }

  private mutating func expect(_ symbol: String) throws(ExpressionError) {
    guard current == .symbol(symbol) else { throw syntaxError() }
    position += 1
  }

  /// Enters one more level of nesting, failing past ``maximumNesting``.
  private mutating func enterNesting() throws(ExpressionError) {
    guard nesting < ExpressionParser.maximumNesting else {
      throw ExpressionError(
        message:
          "Invalid \(kind): The expression is nested more than \(ExpressionParser.maximumNesting) levels deep"
      )
    }
    nesting += 1
  }

  /// `operands` joined by `combine` into a balanced tree, in order, so that a long chain of
  /// `AND` or `OR` adds only log2 of its length to the depth of the tree (evaluation still
  /// goes left to right and stops as early).
  private static func balanced(
    _ operands: [ConditionExpression], _ range: Range<Int>,
    _ combine: (ConditionExpression, ConditionExpression) -> ConditionExpression
  ) -> ConditionExpression {
    if range.count == 1 { return operands[range.lowerBound] }
    let middle = range.lowerBound + (range.count + 1) / 2
    return combine(
      balanced(operands, range.lowerBound..<middle, combine),
      balanced(operands, middle..<range.upperBound, combine))
  }

  private func syntaxError() -> ExpressionError {
    let near: String
    switch current {
    case .word(let word)?: near = word
    case .nameRef(let name)?, .valueRef(let name)?: near = name
    case .number(let number)?: near = String(number)
    case .symbol(let symbol)?: near = symbol
    case nil:
      return ExpressionError(
        message: "Invalid \(kind): Syntax error; token: \"<EOF>\", near: end of expression")
    }
    return ExpressionError(
      message: "Invalid \(kind): Syntax error; token: \"\(near)\", near: \"\(near)\"")
  }

  // MARK: Conditions

  mutating func parseCondition() throws(ExpressionError) -> ConditionExpression {
    let condition = try parseOr()
    guard current == nil else { throw syntaxError() }
    return condition
  }

  private mutating func parseOr() throws(ExpressionError) -> ConditionExpression {
    var operands = [try parseAnd()]
    while isKeyword(current, "OR") {
      position += 1
      operands.append(try parseAnd())
    }
    return ExpressionParser.balanced(operands, operands.indices, ConditionExpression.or)
  }

  private mutating func parseAnd() throws(ExpressionError) -> ConditionExpression {
    var operands = [try parseNot()]
    while isKeyword(current, "AND") {
      position += 1
      operands.append(try parseNot())
    }
    return ExpressionParser.balanced(operands, operands.indices, ConditionExpression.and)
  }

  private mutating func parseNot() throws(ExpressionError) -> ConditionExpression {
    if isKeyword(current, "NOT") {
      try enterNesting()
      position += 1
      let inner = try parseNot()
      nesting -= 1
      return .not(inner)
    }
    return try parsePrimary()
  }

  private static let conditionFunctions = [
    "attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains",
  ]

  private mutating func parsePrimary() throws(ExpressionError) -> ConditionExpression {
    if current == .symbol("(") {
      try enterNesting()
      position += 1
      let inner = try parseOr()
      try expect(")")
      nesting -= 1
      return inner
    }
    if case .word(let word)? = current, ExpressionParser.conditionFunctions.contains(word),
      position + 1 < tokens.count, tokens[position + 1] == .symbol("(")
    {
      position += 2
      var arguments = [try parseOperand()]
      while current == .symbol(",") {
        position += 1
        arguments.append(try parseOperand())
      }
      try expect(")")
      let expected = word.hasPrefix("attribute_") && word != "attribute_type" ? 1 : 2
      guard arguments.count == expected else {
        throw ExpressionError(
          message:
            "Invalid \(kind): Incorrect number of operands for operator or function; operator or function: \(word), number of operands: \(arguments.count)"
        )
      }
      if case .path = arguments[0] {
      } else {
        throw ExpressionError(
          message:
            "Invalid \(kind): Operator or function requires a document path; operator or function: \(word)"
        )
      }
      return .function(word, arguments)
    }
    let left = try parseOperand()
    if isKeyword(current, "BETWEEN") {
      position += 1
      let low = try parseOperand()
      guard isKeyword(current, "AND") else { throw syntaxError() }
      position += 1
      return .between(left, low, try parseOperand())
    }
    if isKeyword(current, "IN") {
      position += 1
      try expect("(")
      var options = [try parseOperand()]
      while current == .symbol(",") {
        position += 1
        options.append(try parseOperand())
      }
      try expect(")")
      return .isIn(left, options)
    }
    guard case .symbol(let symbol)? = current, ["=", "<>", "<", "<=", ">", ">="].contains(symbol)
    else {
      throw syntaxError()
    }
    position += 1
    return .compare(left, symbol, try parseOperand())
  }

  // MARK: Operands and paths

  private mutating func parseOperand() throws(ExpressionError) -> ExpressionOperand {
    if case .valueRef(let name)? = current {
      position += 1
      return .value(name)
    }
    if case .word(let word)? = current, position + 1 < tokens.count,
      tokens[position + 1] == .symbol("(")
    {
      switch word {
      case "size":
        position += 2
        let path = try parsePath()
        try expect(")")
        return .size(path)
      case "if_not_exists":
        try enterNesting()
        position += 2
        let path = try parsePath()
        try expect(",")
        let fallback = try parseOperand()
        try expect(")")
        nesting -= 1
        return .ifNotExists(path, fallback)
      case "list_append":
        try enterNesting()
        position += 2
        let first = try parseOperand()
        try expect(",")
        let second = try parseOperand()
        try expect(")")
        nesting -= 1
        return .listAppend(first, second)
      default:
        throw ExpressionError(message: "Invalid \(kind): Invalid function name; function: \(word)")
      }
    }
    return .path(try parsePath())
  }

  private mutating func parseName() throws(ExpressionError) -> String {
    switch current {
    case .word(let word)?:
      position += 1
      if ExpressionParser.reserved.contains(word.uppercased()) {
        throw ExpressionError(
          message:
            "Invalid \(kind): Attribute name is a reserved keyword; reserved keyword: \(word)")
      }
      return word
    case .nameRef(let reference)?:
      position += 1
      guard let name = names[reference]?.stringValue else {
        throw ExpressionError(
          message:
            "Invalid \(kind): An expression attribute name used in the document path is not defined; attribute name: \(reference)"
        )
      }
      return name
    default:
      throw syntaxError()
    }
  }

  private mutating func parsePath() throws(ExpressionError) -> [PathElement] {
    var path: [PathElement] = [.name(try parseName())]
    while true {
      if path.count > ExpressionParser.maximumNesting {
        throw ExpressionError(
          message:
            "Invalid \(kind): The document path has more than \(ExpressionParser.maximumNesting) levels"
        )
      }
      if current == .symbol(".") {
        position += 1
        path.append(.name(try parseName()))
      } else if current == .symbol("[") {
        position += 1
        guard case .number(let index)? = current else { throw syntaxError() }
        position += 1
        try expect("]")
        path.append(.index(index))
      } else {
        return path
      }
    }
  }

  /// A few of DynamoDB's reserved words that attribute names often collide with.
  static let reserved: Set<String> = [
    "AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE", "STATUS", "NAME", "DATA",
    "KEY",
    "TIMESTAMP", "DATE", "SIZE", "TYPE", "VALUE", "COUNT", "DURATION", "ERROR", "SOURCE", "STATE",
    "USER", "TIME",
  ]

  // MARK: Updates

  mutating func parseUpdate() throws(ExpressionError) -> UpdateExpression {
    var update = UpdateExpression()
    guard current != nil else { throw syntaxError() }
    while let token = current {
      guard case .word(let word) = token else { throw syntaxError() }
      position += 1
      switch word.uppercased() {
      case "SET":
        repeat {
          if current == .symbol(",") { position += 1 }
          let path = try parsePath()
          try expect("=")
          var value = try parseOperand()
          if current == .symbol("+") {
            position += 1
            value = .plus(value, try parseOperand())
          } else if current == .symbol("-") {
            position += 1
            value = .minus(value, try parseOperand())
          }
          update.sets.append((path, value))
        } while current == .symbol(",")
      case "REMOVE":
        repeat {
          if current == .symbol(",") { position += 1 }
          update.removes.append(try parsePath())
        } while current == .symbol(",")
      case "ADD", "DELETE":
        repeat {
          if current == .symbol(",") { position += 1 }
          let path = try parsePath()
          guard case .valueRef(let name)? = current else { throw syntaxError() }
          position += 1
          if word.uppercased() == "ADD" {
            update.adds.append((path, .value(name)))
          } else {
            update.deletes.append((path, .value(name)))
          }
        } while current == .symbol(",")
      default:
        position -= 1
        throw syntaxError()
      }
    }
    return update
  }
}
