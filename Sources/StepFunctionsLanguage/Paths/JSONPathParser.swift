import StepFunctionsJSON

/// A recursive-descent parser for ASL paths in Jayway's dialect.
///
/// Where Jayway and RFC 9535 disagree on syntax this follows Jayway (the ASL reference), with
/// three deliberate differences: the ASL specification's backslash escapes in dot names
/// (`$.store\.book`), variable roots (`$name`) and the Context Object root (`$$`), and a
/// stricter rule that segments follow one another directly (Jayway also accepts `$['a']b`).
struct JSONPathParser {
  let text: String
  let scalars: [Unicode.Scalar]
  var position = 0
  /// How many filters, parentheses, `!` negations and array or object literals enclose the
  /// current position (see ``JSONPath/maximumNestingDepth``).
  var nesting = 0

  init(_ text: String) {
    self.text = text
    self.scalars = Array(text.unicodeScalars)
  }

  // MARK: Helpers

  var isAtEnd: Bool { position >= scalars.count }

  func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
    let index = position + ahead
    return index < scalars.count ? scalars[index] : nil
  }

  func fail(_ message: String, at offset: Int? = nil) -> JSONPathSyntaxError {
    JSONPathSyntaxError(message: message, offset: offset ?? position, text: text)
  }

  static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
    scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
  }

  static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }

  static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
    (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
  }

  /// Characters that end a path written inside a filter.
  static func endsFilterPath(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case " ", "\t", "\n", "\r", ")", "<", ">", "=", "!", "~", "&", "|", ",": return true
    default: return false
    }
  }

  static func isVariableStart(_ scalar: Unicode.Scalar) -> Bool {
    scalar == "_" || scalar.properties.isIDStart
  }

  static func isVariableContinue(_ scalar: Unicode.Scalar) -> Bool {
    scalar.properties.isIDContinue
  }

  mutating func skipBlanks() {
    while let scalar = peek(), Self.isBlank(scalar) { position += 1 }
  }

  mutating func expect(_ scalar: Unicode.Scalar, _ message: String) throws(JSONPathSyntaxError) {
    guard peek() == scalar else { throw fail(message) }
    position += 1
  }

  func describe(_ scalar: Unicode.Scalar) -> String {
    Self.isBlank(scalar) ? "whitespace" : "'\(Character(scalar))'"
  }

  /// Enters one more level of nesting at `position`, failing there past
  /// ``JSONPath/maximumNestingDepth``: the parser, the evaluator and the filter tree recurse
  /// once per level, so the bound keeps them far from the end of the stack.
  mutating func enterNesting() throws(JSONPathSyntaxError) {
    guard nesting < JSONPath.maximumNestingDepth else {
      throw fail(
        "filters, parentheses, '!' and array or object literals are nested more than "
          + "\(JSONPath.maximumNestingDepth) levels deep (at character \(position))")
    }
    nesting += 1
  }

  mutating func leaveNesting() { nesting -= 1 }

  /// The operands in `range` (never empty) joined by `combine` into a balanced tree, in order:
  /// `a || b || c || d` is `(a || b) || (c || d)`. Evaluation still goes left to right and
  /// stops as early, and a long chain adds only log2 of its length to the depth of the tree.
  static func balanced(
    _ operands: [JSONPathFilter], _ range: Range<Int>,
    _ combine: (JSONPathFilter, JSONPathFilter) -> JSONPathFilter
  ) -> JSONPathFilter {
    if range.count == 1 { return operands[range.lowerBound] }
    let middle = range.lowerBound + (range.count + 1) / 2
    return combine(
      balanced(operands, range.lowerBound..<middle, combine),
      balanced(operands, middle..<range.upperBound, combine))
  }

  // MARK: Paths

  mutating func parseTopLevel() throws(JSONPathSyntaxError) -> (
    root: JSONPath.Root, segments: [JSONPathSegment]
  ) {
    guard let first = peek() else { throw fail("a path must not be empty") }
    guard first == "$" else { throw fail("a path must start with '$'") }
    position = 1
    let root: JSONPath.Root
    if peek() == "$" {
      position += 1
      root = .context
    } else if let next = peek(), Self.isVariableStart(next) {
      let start = position
      while let scalar = peek(), Self.isVariableContinue(scalar) { position += 1 }
      var name = ""
      name.unicodeScalars.append(contentsOf: scalars[start..<position])
      root = .variable(name)
    } else {
      root = .document
    }
    let segments = try parseSegments(inFilter: false)
    if let scalar = peek() {
      throw fail("unexpected \(describe(scalar)); expected '.' or '['")
    }
    return (root, segments)
  }

  mutating func parseSegments(inFilter: Bool) throws(JSONPathSyntaxError) -> [JSONPathSegment] {
    var segments: [JSONPathSegment] = []
    while let scalar = peek() {
      if inFilter && Self.endsFilterPath(scalar) { break }
      guard segments.count < JSONPath.maximumSegmentCount else {
        throw fail(
          "a path has at most \(JSONPath.maximumSegmentCount) segments after its root; "
            + "this one has more (at character \(position))")
      }
      if case .function = segments.last {
        throw fail("a function must be the last segment of a path")
      }
      switch scalar {
      case ".":
        if peek(1) == "." {
          position += 2
          guard let next = peek(), !(inFilter && Self.endsFilterPath(next)) else {
            throw fail("a path must not end with '..'")
          }
          segments.append(.descendant(try parseDescendantSelector(inFilter: inFilter)))
        } else {
          position += 1
          guard let next = peek(), !(inFilter && Self.endsFilterPath(next)) else {
            throw fail("a path must not end with '.'")
          }
          switch next {
          case "[": segments.append(try parseBracket())
          case "*":
            position += 1
            segments.append(.wildcard)
          default: segments.append(try parseDotName(inFilter: inFilter, allowFunction: true))
          }
        }
      case "[":
        segments.append(try parseBracket())
      default:
        throw fail("unexpected \(describe(scalar)); expected '.' or '['")
      }
    }
    return segments
  }

  mutating func parseDescendantSelector(inFilter: Bool) throws(JSONPathSyntaxError)
    -> JSONPathSegment
  {
    switch peek() {
    case "[": return try parseBracket()
    case "*":
      position += 1
      return .wildcard
    case ".": throw fail("'...' is not valid; use '..' followed by a name, '*' or '['")
    default: return try parseDotName(inFilter: inFilter, allowFunction: false)
    }
  }

  /// A name after `.`, up to the next `.`, `[` or `(`, with the ASL specification's backslash
  /// escapes (`\.`, `\[`, `\uXXXX`, ...). A name followed by `()` is a function.
  mutating func parseDotName(inFilter: Bool, allowFunction: Bool) throws(JSONPathSyntaxError)
    -> JSONPathSegment
  {
    let start = position
    var name = ""
    var isFunction = false
    while let scalar = peek() {
      if scalar == "." || scalar == "[" { break }
      if scalar == "(" {
        isFunction = true
        break
      }
      if inFilter && Self.endsFilterPath(scalar) { break }
      if Self.isBlank(scalar) {
        throw fail("use bracket notation (['my name']) for a name that contains blanks")
      }
      if scalar == "\\" {
        position += 1
        guard let escaped = peek() else {
          throw fail("a backslash must be followed by a character")
        }
        if escaped == "u" {
          position -= 1
          name.unicodeScalars.append(try parseUnicodeEscape())
        } else {
          name.unicodeScalars.append(escaped)
          position += 1
        }
        continue
      }
      name.unicodeScalars.append(scalar)
      position += 1
    }
    if isFunction {
      guard allowFunction else { throw fail("a function cannot follow '..'") }
      guard let function = JSONPathFunction(rawValue: name) else {
        throw fail("unknown function '\(name)()'", at: start)
      }
      position += 1  // (
      skipBlanks()
      guard peek() == ")" else { throw fail("functions with parameters are not supported") }
      position += 1
      return .function(function)
    }
    guard !name.isEmpty else { throw fail("expected a member name", at: start) }
    return .name(name)
  }

  /// `\uXXXX`, with a following `\uXXXX` for a surrogate pair. `position` is at the backslash.
  mutating func parseUnicodeEscape() throws(JSONPathSyntaxError) -> Unicode.Scalar {
    let start = position
    let first = try readHexQuad()
    if first >= 0xD800 && first <= 0xDBFF {
      guard peek() == "\\", peek(1) == "u" else {
        throw fail("an unpaired surrogate escape is not a character", at: start)
      }
      let second = try readHexQuad()
      guard second >= 0xDC00 && second <= 0xDFFF,
        let scalar = Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
      else { throw fail("an unpaired surrogate escape is not a character", at: start) }
      return scalar
    }
    guard let scalar = Unicode.Scalar(first) else {
      throw fail("an unpaired surrogate escape is not a character", at: start)
    }
    return scalar
  }

  /// Reads `\uXXXX` at `position` and returns the code unit.
  mutating func readHexQuad() throws(JSONPathSyntaxError) -> UInt32 {
    let start = position
    position += 2  // \u
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard let scalar = peek(), let digit = Self.hexValue(scalar) else {
        throw fail("'\\u' must be followed by four hexadecimal digits", at: start)
      }
      value = value * 16 + digit
      position += 1
    }
    return value
  }

  static func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
    switch scalar {
    case "0"..."9": return scalar.value - 0x30
    case "a"..."f": return scalar.value - 0x61 + 10
    case "A"..."F": return scalar.value - 0x41 + 10
    default: return nil
    }
  }

  // MARK: Brackets

  mutating func parseBracket() throws(JSONPathSyntaxError) -> JSONPathSegment {
    let open = position
    position += 1
    skipBlanks()
    guard let scalar = peek() else { throw fail("'[' is not closed", at: open) }
    switch scalar {
    case "'", "\"":
      return try parseBracketNames(delimiter: scalar)
    case "*":
      position += 1
      skipBlanks()
      try expect("]", "expected ']' after '[*'")
      return .wildcard
    case "?":
      position += 1
      skipBlanks()
      guard peek() == "(" else { throw fail("a filter must be written '[?(...)]'") }
      // The filter's own parentheses count as its level of nesting (see `parseUnary`).
      let filter = try parseOr()
      let beforeClose = position
      skipBlanks()
      guard peek() == "]" else { throw fail("expected ')]' to end the filter") }
      guard beforeClose > 0, scalars[beforeClose - 1] == ")" else {
        throw fail("a filter must be written '[?(...)]'", at: beforeClose)
      }
      position += 1
      return .filter(filter)
    default:
      if Self.isDigit(scalar) || scalar == "-" || scalar == ":" {
        return try parseIndexOrSlice(open: open)
      }
      throw fail("expected a quoted name, an index, a slice, '*' or '?(' after '['")
    }
  }

  mutating func parseBracketNames(delimiter: Unicode.Scalar) throws(JSONPathSyntaxError)
    -> JSONPathSegment
  {
    var names: [String] = []
    while true {
      skipBlanks()
      guard peek() == delimiter else {
        throw fail("expected a name quoted with \(Character(delimiter)), as the first one is")
      }
      names.append(try parseQuoted(delimiter: delimiter))
      skipBlanks()
      switch peek() {
      case ",": position += 1
      case "]":
        position += 1
        return names.count == 1 ? .name(names[0]) : .names(names)
      default: throw fail("expected ',' or ']' after a quoted name")
      }
    }
  }

  /// A quoted string at `position` (on the opening quote), with Jayway's escapes: `\\`, the
  /// delimiting quote, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\uXXXX`; any other escaped character stands for
  /// itself.
  mutating func parseQuoted(delimiter: Unicode.Scalar) throws(JSONPathSyntaxError) -> String {
    let open = position
    position += 1
    var value = ""
    while true {
      guard let scalar = peek() else {
        throw fail("the quoted string is not closed; expected \(Character(delimiter))", at: open)
      }
      if scalar == delimiter {
        position += 1
        return value
      }
      if scalar == "\\" {
        guard let escaped = peek(1) else {
          throw fail("the quoted string is not closed; expected \(Character(delimiter))", at: open)
        }
        switch escaped {
        case "b": value.unicodeScalars.append("\u{08}")
        case "f": value.unicodeScalars.append("\u{0C}")
        case "n": value.unicodeScalars.append("\n")
        case "r": value.unicodeScalars.append("\r")
        case "t": value.unicodeScalars.append("\t")
        case "u":
          value.unicodeScalars.append(try parseUnicodeEscape())
          continue
        case _ where (escaped == "\"" || escaped == "'") && escaped != delimiter:
          // The other quote is not an escape: AWS reads `['a\"b']` as the name `a\"b`
          // (corpus: ESCAPE_SEQUENCES_JSONPATH).
          value.unicodeScalars.append("\\")
          value.unicodeScalars.append(escaped)
        default: value.unicodeScalars.append(escaped)
        }
        position += 2
        continue
      }
      value.unicodeScalars.append(scalar)
      position += 1
    }
  }

  /// `[0]`, `[-1]`, `[0,1]`, `[1:3]`, `[:2]`, `[-2:]`, read as Jayway does: indexes are 32-bit
  /// integers, a slice needs a start or an end, and a slice step is read but ignored.
  mutating func parseIndexOrSlice(open: Int) throws(JSONPathSyntaxError) -> JSONPathSegment {
    let start = position
    while let scalar = peek(), scalar != "]" { position += 1 }
    guard !isAtEnd else { throw fail("'[' is not closed", at: open) }
    var content = String(String.UnicodeScalarView(scalars[start..<position]))
    position += 1
    while content.last == " " { content.removeLast() }
    for scalar in content.unicodeScalars
    where
      !(Self.isDigit(scalar) || scalar == "," || scalar == "-" || scalar == ":" || scalar == " ")
    {
      throw fail("unexpected '\(Character(scalar))' in an index or slice", at: start)
    }
    if content.contains(":") {
      guard !content.contains(" ") else {
        throw fail("a slice must not contain blanks", at: start)
      }
      let parts = Self.javaSplit(content, on: ":")
      func read(_ index: Int) throws(JSONPathSyntaxError) -> Int? {
        guard index < parts.count, !parts[index].isEmpty else { return nil }
        guard let value = Self.parseInt32(parts[index]) else {
          throw fail("'\(parts[index])' is not a valid slice bound", at: start)
        }
        return value
      }
      let from = try read(0)
      let to = try read(1)
      let step = parts.count > 2 ? Self.parseInt32(parts[2]) : nil
      guard from != nil || to != nil else {
        throw fail("a slice needs a start or an end", at: start)
      }
      return .slice(JSONPathSlice(start: from, end: to, step: step))
    }
    let parts = Self.javaSplit(content, on: ",")
    var indices: [Int] = []
    for part in parts {
      let trimmed = part.trimmingBlanks()
      guard let value = Self.parseInt32(trimmed) else {
        throw fail("'\(trimmed)' is not a valid array index (a 32-bit integer)", at: start)
      }
      indices.append(value)
    }
    switch indices.count {
    case 0: throw fail("expected an index", at: start)
    case 1: return .index(indices[0])
    default: return .indices(indices)
    }
  }

  /// Splits like Java's `String.split`: empty trailing parts are dropped.
  static func javaSplit(_ text: String, on separator: Character) -> [String] {
    var parts = text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    while let last = parts.last, last.isEmpty { parts.removeLast() }
    return parts
  }

  /// Parses like Java's `Integer.parseInt`: optional sign, decimal digits, 32-bit range.
  static func parseInt32(_ text: String) -> Int? {
    guard let value = Int32(text) else { return nil }
    return Int(value)
  }

  // MARK: Filters

  mutating func parseOr() throws(JSONPathSyntaxError) -> JSONPathFilter {
    var operands = [try parseAnd()]
    while true {
      skipBlanks()
      guard peek() == "|", peek(1) == "|" else {
        return Self.balanced(operands, operands.indices, JSONPathFilter.or)
      }
      position += 2
      operands.append(try parseAnd())
    }
  }

  mutating func parseAnd() throws(JSONPathSyntaxError) -> JSONPathFilter {
    var operands = [try parseUnary()]
    while true {
      skipBlanks()
      guard peek() == "&", peek(1) == "&" else {
        return Self.balanced(operands, operands.indices, JSONPathFilter.and)
      }
      position += 2
      operands.append(try parseUnary())
    }
  }

  mutating func parseUnary() throws(JSONPathSyntaxError) -> JSONPathFilter {
    skipBlanks()
    if peek() == "!" && peek(1) != "=" {
      let savepoint = position
      position += 1
      skipBlanks()
      if peek() == "@" || peek() == "$" {
        position = savepoint
      } else {
        position = savepoint
        try enterNesting()
        position += 1
        let inner = try parseUnary()
        leaveNesting()
        return .not(inner)
      }
    }
    if peek() == "(" {
      try enterNesting()
      position += 1
      let inner = try parseOr()
      skipBlanks()
      try expect(")", "expected ')'")
      leaveNesting()
      return inner
    }
    return try parseRelation()
  }

  mutating func parseRelation() throws(JSONPathSyntaxError) -> JSONPathFilter {
    skipBlanks()
    var negated = false
    if peek() == "!" {
      negated = true
      position += 1
      skipBlanks()
    }
    let operandStart = position
    let left = try parseOperand()
    skipBlanks()
    if let comparison = try parseOperator() {
      let right = try parseOperand()
      return .comparison(left, comparison, right)
    }
    guard case .path(let path) = left else {
      throw fail("expected a comparison operator after a literal", at: operandStart)
    }
    return .exists(path, negated: negated)
  }

  mutating func parseOperator() throws(JSONPathSyntaxError) -> JSONPathComparisonOperator? {
    skipBlanks()
    guard let first = peek() else { return nil }
    let start = position
    if "<>=!~".unicodeScalars.contains(first) {
      while let scalar = peek(), "<>=!~".unicodeScalars.contains(scalar) { position += 1 }
      let symbol = String(String.UnicodeScalarView(scalars[start..<position]))
      guard let comparison = JSONPathComparisonOperator(rawValue: symbol) else {
        throw fail("the filter operator '\(symbol)' is not supported", at: start)
      }
      return comparison
    }
    if Self.isLetter(first) {
      while let scalar = peek(), Self.isLetter(scalar) { position += 1 }
      let word = String(String.UnicodeScalarView(scalars[start..<position])).lowercased()
      guard let comparison = JSONPathComparisonOperator(rawValue: word) else {
        throw fail("the filter operator '\(word)' is not supported", at: start)
      }
      return comparison
    }
    return nil
  }

  mutating func parseOperand() throws(JSONPathSyntaxError) -> JSONPathFilterOperand {
    skipBlanks()
    guard let scalar = peek() else { throw fail("expected a value in the filter") }
    switch scalar {
    case "@", "$":
      return .path(try parseFilterPath())
    case "'", "\"":
      return .literal(.string(try parseQuoted(delimiter: scalar)))
    case "/":
      return .regex(try parseRegex())
    case "[", "{":
      return .literal(try parseLiteralValue())
    default:
      if scalar == "-" || Self.isDigit(scalar) { return .literal(try parseNumber()) }
      if Self.isLetter(scalar) || scalar == "_" {
        let start = position
        let word = parseWord()
        if peek() == "(" {
          throw fail(
            "filter functions such as 'length(@.a)' are not supported; Jayway writes '@.a.length()'",
            at: start)
        }
        return .literal(word)
      }
      throw fail("unexpected \(describe(scalar)) in the filter")
    }
  }

  mutating func parseFilterPath() throws(JSONPathSyntaxError) -> JSONPath {
    let start = position
    let root: JSONPath.Root = peek() == "@" ? .current : .document
    position += 1
    let segments = try parseSegments(inFilter: true)
    let pathText = String(String.UnicodeScalarView(scalars[start..<position]))
    return JSONPath(text: pathText, root: root, segments: segments)
  }

  mutating func parseRegex() throws(JSONPathSyntaxError) -> JSONPathRegex {
    let open = position
    position += 1
    let start = position
    while true {
      guard let scalar = peek() else {
        throw fail("the regular expression is not closed; expected '/'", at: open)
      }
      if scalar == "\\" {
        position += 2
        continue
      }
      if scalar == "/" { break }
      position += 1
    }
    let pattern = String(String.UnicodeScalarView(scalars[start..<position]))
    position += 1
    let flagStart = position
    while let scalar = peek(), Self.isLetter(scalar) { position += 1 }
    let flags = String(String.UnicodeScalarView(scalars[flagStart..<position]))
    do {
      return try JSONPathRegex(pattern: pattern, flags: flags)
    } catch {
      throw fail("invalid regular expression: \(error.message)", at: start + error.offset)
    }
  }

  mutating func parseNumber() throws(JSONPathSyntaxError) -> JSON {
    let start = position
    while let scalar = peek(),
      Self.isDigit(scalar) || scalar == "-" || scalar == "+" || scalar == "." || scalar == "e"
        || scalar == "E"
    {
      position += 1
    }
    let literal = String(String.UnicodeScalarView(scalars[start..<position]))
    if let integer = Int64(literal) { return .number(JSONNumber(integer)) }
    if let decimal = Double(literal), decimal.isFinite { return .number(JSONNumber(decimal)) }
    throw fail("'\(literal)' is not a number", at: start)
  }

  /// `true`, `false`, `null`, or a bare word, which is read as a string (`@.type == PAID`).
  /// Jayway's own reading of bare words varies between versions; AWS accepts definitions that use
  /// them, and reading them as strings matches what their authors meant.
  mutating func parseWord() -> JSON {
    let start = position
    while let scalar = peek(), !Self.endsFilterPath(scalar), scalar != "]", scalar != "(" {
      position += 1
    }
    let word = String(String.UnicodeScalarView(scalars[start..<position]))
    switch word {
    case "true": return .bool(true)
    case "false": return .bool(false)
    case "null": return .null
    default: return .string(word)
    }
  }

  /// A JSON value in a filter, where strings may also be single-quoted.
  mutating func parseLiteralValue() throws(JSONPathSyntaxError) -> JSON {
    skipBlanks()
    guard let scalar = peek() else { throw fail("expected a value") }
    switch scalar {
    case "[", "{":
      try enterNesting()
      let value = try parseContainerLiteral(scalar)
      leaveNesting()
      return value
    case "'", "\"":
      return .string(try parseQuoted(delimiter: scalar))
    default:
      if scalar == "-" || Self.isDigit(scalar) { return try parseNumber() }
      let start = position
      while let letter = peek(), Self.isLetter(letter) { position += 1 }
      switch String(String.UnicodeScalarView(scalars[start..<position])) {
      case "true": return .bool(true)
      case "false": return .bool(false)
      case "null": return .null
      default: throw fail("expected a JSON value", at: start)
      }
    }
  }

  /// An array or object literal in a filter, `position` on its `open` bracket or brace.
  mutating func parseContainerLiteral(_ open: Unicode.Scalar) throws(JSONPathSyntaxError) -> JSON {
    switch open {
    case "[":
      position += 1
      var elements: [JSON] = []
      skipBlanks()
      if peek() == "]" {
        position += 1
        return .array(elements)
      }
      while true {
        elements.append(try parseLiteralValue())
        skipBlanks()
        switch peek() {
        case ",": position += 1
        case "]":
          position += 1
          return .array(elements)
        default: throw fail("expected ',' or ']' in an array literal")
        }
      }
    default:
      position += 1
      var object = JSONObject()
      skipBlanks()
      if peek() == "}" {
        position += 1
        return .object(object)
      }
      while true {
        skipBlanks()
        guard let quote = peek(), quote == "'" || quote == "\"" else {
          throw fail("expected a quoted key in an object literal")
        }
        let key = try parseQuoted(delimiter: quote)
        skipBlanks()
        try expect(":", "expected ':' in an object literal")
        object[key] = try parseLiteralValue()
        skipBlanks()
        switch peek() {
        case ",": position += 1
        case "}":
          position += 1
          return .object(object)
        default: throw fail("expected ',' or '}' in an object literal")
        }
      }
    }
  }
}

extension String {
  func trimmingBlanks() -> String {
    var scalars = Substring(self).unicodeScalars
    while let first = scalars.first, JSONPathParser.isBlank(first) { scalars.removeFirst() }
    while let last = scalars.last, JSONPathParser.isBlank(last) { scalars.removeLast() }
    return String(scalars)
  }
}
