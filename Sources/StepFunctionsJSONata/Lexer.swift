import StepFunctionsRegex

/// A token of an expression.
struct Token {
  enum Kind { case name, variable, `operator`, string, number, value, regex, end }
  var kind: Kind
  var value: String
  var literal: Value?
  var regex: RegularExpression?
  /// The offset just after the token, in UTF-16 code units (as jsonata-js reports it).
  var position: Int
  /// The text of the token as written.
  var raw: String
}

/// Splits an expression into tokens, one at a time, as jsonata-js's tokenizer does.
struct Lexer {
  static let operators: [String: Int] = [
    ".": 75, "[": 80, "]": 0, "{": 70, "}": 0, "(": 80, ")": 0, ",": 0, "@": 80, "#": 80,
    ";": 80, ":": 80, "?": 20, "+": 50, "-": 50, "*": 60, "/": 60, "%": 60, "|": 20, "=": 40,
    "<": 40, ">": 40, "^": 40, "**": 60, "..": 20, ":=": 10, "!=": 40, "<=": 40, ">=": 40,
    "~>": 40, "and": 30, "or": 25, "in": 40, "&": 50, "!": 0, "~": 0,
  ]
  private static let singleCharacterOperators: Set<UInt16> = Set(
    ".[]{}(),@#;:?+-*/%|=<>^&!~".utf16)
  private static let whitespace: Set<UInt16> = [0x20, 0x09, 0x0A, 0x0D, 0x0B]

  let source: [UInt16]
  private(set) var position = 0

  init(_ text: String) {
    source = Array(text.utf16)
  }

  private func char(_ offset: Int) -> UInt16? {
    offset < source.count && offset >= 0 ? source[offset] : nil
  }

  private func text(_ range: Range<Int>) -> String {
    String(decoding: source[range], as: UTF16.self)
  }

  private func make(_ kind: Token.Kind, _ value: String, start: Int, literal: Value? = nil)
    -> Token
  {
    Token(
      kind: kind, value: value, literal: literal, position: position,
      raw: text(start..<position))
  }

  /// The next token, or nil at the end. `infix` is true after an operand, where `/` divides
  /// rather than starting a regular expression.
  mutating func next(infix: Bool) throws(JSONataError) -> Token? {
    while let c = char(position), Lexer.whitespace.contains(c) { position += 1 }
    guard let current = char(position) else { return nil }
    // comments
    if current == 0x2F, char(position + 1) == 0x2A {
      let start = position
      position += 2
      while !(char(position) == 0x2A && char(position + 1) == 0x2F) {
        position += 1
        if position >= source.count { throw JSONataError(code: "S0106", position: start) }
      }
      position += 2
      return try next(infix: infix)
    }
    let start = position
    if !infix, current == 0x2F {
      position += 1
      return try scanRegex(start: start)
    }
    let nextChar = char(position + 1)
    let pairs: [(UInt16, UInt16, String)] = [
      (0x2E, 0x2E, ".."), (0x3A, 0x3D, ":="), (0x21, 0x3D, "!="), (0x3E, 0x3D, ">="),
      (0x3C, 0x3D, "<="), (0x2A, 0x2A, "**"), (0x7E, 0x3E, "~>"),
    ]
    for (first, second, op) in pairs where current == first && nextChar == second {
      position += 2
      return make(.operator, op, start: start)
    }
    if Lexer.singleCharacterOperators.contains(current) {
      position += 1
      return make(.operator, text(start..<position), start: start)
    }
    if current == 0x22 || current == 0x27 {
      return try scanString(quote: current, start: start)
    }
    if let number = try scanNumber(start: start) { return number }
    if current == 0x60 {
      position += 1
      guard let end = source[position...].firstIndex(of: 0x60) else {
        position = source.count
        throw JSONataError(code: "S0105", position: position)
      }
      let name = text(position..<end)
      position = end + 1
      return make(.name, name, start: start)
    }
    var end = position
    while let c = char(end), !Lexer.whitespace.contains(c),
      !Lexer.singleCharacterOperators.contains(c)
    {
      end += 1
    }
    if current == 0x24 {
      let name = text(position + 1..<end)
      position = end
      return make(.variable, name, start: start)
    }
    let name = text(position..<end)
    position = end
    switch name {
    case "or", "in", "and": return make(.operator, name, start: start)
    case "true": return make(.value, name, start: start, literal: .bool(true))
    case "false": return make(.value, name, start: start, literal: .bool(false))
    case "null": return make(.value, name, start: start, literal: .null)
    default:
      if position == source.count, name.isEmpty { return nil }
      return make(.name, name, start: start)
    }
  }

  private mutating func scanString(quote: UInt16, start: Int) throws(JSONataError) -> Token {
    position += 1
    var units: [UInt16] = []
    while position < source.count {
      var c = source[position]
      if c == 0x5C {
        position += 1
        guard let escaped = char(position) else { break }
        c = escaped
        switch c {
        case 0x22, 0x5C, 0x2F: units.append(c)
        case 0x62: units.append(0x08)
        case 0x66: units.append(0x0C)
        case 0x6E: units.append(0x0A)
        case 0x72: units.append(0x0D)
        case 0x74: units.append(0x09)
        case 0x75:
          let hexEnd = min(position + 5, source.count)
          let hex = text(position + 1..<hexEnd)
          guard hex.utf16.count == 4, let code = UInt16(hex, radix: 16) else {
            throw JSONataError(code: "S0104", position: position)
          }
          units.append(code)
          position += 4
        default:
          throw JSONataError(
            code: "S0103", position: position, token: text(position..<position + 1))
        }
      } else if c == quote {
        position += 1
        let value = String(decoding: units, as: UTF16.self)
        return make(.string, value, start: start, literal: .string(value))
      } else {
        units.append(c)
      }
      position += 1
    }
    throw JSONataError(code: "S0101", position: position)
  }

  private mutating func scanNumber(start: Int) throws(JSONataError) -> Token? {
    // -?(0|([1-9][0-9]*))(\.[0-9]+)?([Ee][-+]?[0-9]+)?
    func isDigit(_ c: UInt16?) -> Bool { c.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
    var end = position
    if char(end) == 0x2D { end += 1 }
    guard isDigit(char(end)) else { return nil }
    if char(end) == 0x30 {
      end += 1
    } else {
      while isDigit(char(end)) { end += 1 }
    }
    if char(end) == 0x2E, isDigit(char(end + 1)) {
      end += 1
      while isDigit(char(end)) { end += 1 }
    }
    if char(end) == 0x45 || char(end) == 0x65 {
      var exponentEnd = end + 1
      if char(exponentEnd) == 0x2B || char(exponentEnd) == 0x2D { exponentEnd += 1 }
      if isDigit(char(exponentEnd)) {
        while isDigit(char(exponentEnd)) { exponentEnd += 1 }
        end = exponentEnd
      }
    }
    let literal = text(position..<end)
    guard let number = Double(literal), number.isFinite else {
      throw JSONataError(code: "S0102", position: position, token: literal)
    }
    position = end
    return make(.number, literal, start: start, literal: .number(number))
  }

  private mutating func scanRegex(start: Int) throws(JSONataError) -> Token {
    let patternStart = position
    var depth = 0
    func isClosingSlash(_ offset: Int) -> Bool {
      guard char(offset) == 0x2F, depth == 0 else { return false }
      var backslashes = 0
      while char(offset - (backslashes + 1)) == 0x5C { backslashes += 1 }
      return backslashes % 2 == 0
    }
    while position < source.count {
      let c = source[position]
      if isClosingSlash(position) {
        let pattern = text(patternStart..<position)
        if pattern.isEmpty { throw JSONataError(code: "S0301", position: position) }
        position += 1
        var options: RegularExpression.Options = []
        while let flag = char(position), flag == 0x69 || flag == 0x6D {
          options.insert(flag == 0x69 ? .ignoreCase : .multiline)
          position += 1
        }
        do {
          let regex = try RegularExpression(pattern, flavor: .javaScript, options: options)
          var token = make(.regex, pattern, start: start)
          token.regex = regex
          return token
        } catch {
          throw JSONataError(
            code: "S0303", position: patternStart, token: pattern,
            message: "Invalid regular expression /\(pattern)/: \(error)")
        }
      }
      let previous = char(position - 1)
      if (c == 0x28 || c == 0x5B || c == 0x7B) && previous != 0x5C { depth += 1 }
      if (c == 0x29 || c == 0x5D || c == 0x7D) && previous != 0x5C { depth -= 1 }
      position += 1
    }
    throw JSONataError(code: "S0302", position: position)
  }
}
