import StepFunctionsJSON

/// Reads intrinsic text over its UTF-8 bytes. Offsets in errors are converted to characters only
/// when an error is made.
struct IntrinsicParser {
  private let text: String
  private let bytes: [UInt8]
  private var position = 0

  init(text: String) {
    self.text = text
    self.bytes = Array(text.utf8)
  }

  private enum Byte {
    static let quote: UInt8 = 0x27  // '
    static let backslash: UInt8 = 0x5C
    static let openParen: UInt8 = 0x28
    static let closeParen: UInt8 = 0x29
    static let openBracket: UInt8 = 0x5B
    static let closeBracket: UInt8 = 0x5D
    static let comma: UInt8 = 0x2C
    static let dollar: UInt8 = 0x24
    static let minus: UInt8 = 0x2D
    static let plus: UInt8 = 0x2B
    static let dot: UInt8 = 0x2E
    static let zero: UInt8 = 0x30
    static let nine: UInt8 = 0x39
    static let doubleQuote: UInt8 = 0x22
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D
  }

  private static let prefix = Array("States.".utf8)

  // MARK: Errors

  private func error(_ message: String, at byteOffset: Int? = nil) -> IntrinsicSyntaxError {
    IntrinsicSyntaxError(message: message, offset: characterOffset(byteOffset ?? position))
  }

  /// The offset in characters of the byte at `byteOffset`.
  private func characterOffset(_ byteOffset: Int) -> Int {
    String(decoding: bytes[..<min(byteOffset, bytes.count)], as: UTF8.self).count
  }

  private func describeCurrent() -> String {
    guard position < bytes.count else { return "end of text" }
    let byte = bytes[position]
    if byte > 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
    let utf8 = text.utf8
    if let index = utf8.index(utf8.startIndex, offsetBy: position, limitedBy: utf8.endIndex),
      let scalar = text.unicodeScalars[index...].first
    {
      let hex = String(scalar.value, radix: 16, uppercase: true)
      return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
    return "byte 0x" + String(byte, radix: 16, uppercase: true)
  }

  // MARK: Structure

  mutating func parseWholeCall() throws(IntrinsicSyntaxError) -> IntrinsicCall {
    guard bytes.starts(with: IntrinsicParser.prefix) else {
      throw error("an intrinsic function call must start with 'States.'", at: 0)
    }
    let call = try parseCall(depth: 1)
    guard position == bytes.count else {
      throw error("unexpected \(describeCurrent()) after the end of the call")
    }
    return call
  }

  @inline(__always)
  private mutating func skipWhitespace() {
    while position < bytes.count {
      switch bytes[position] {
      case 0x20, 0x09, 0x0A, 0x0D: position += 1
      default: return
      }
    }
  }

  private static func isNameByte(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
      || (byte >= Byte.zero && byte <= Byte.nine)
  }

  private mutating func parseCall(depth: Int) throws(IntrinsicSyntaxError) -> IntrinsicCall {
    let start = position
    guard depth <= IntrinsicCall.maximumNestingDepth else {
      // The offset is in the message too: the validator reports messages at the field.
      throw error(
        "intrinsic function calls are nested more than \(IntrinsicCall.maximumNestingDepth) deep"
          + " (at character \(characterOffset(position)))")
    }
    guard bytes[position...].starts(with: IntrinsicParser.prefix) else {
      throw error("expected an intrinsic function name starting with 'States.'")
    }
    position += IntrinsicParser.prefix.count
    while position < bytes.count, IntrinsicParser.isNameByte(bytes[position]) { position += 1 }
    let name = String(decoding: bytes[start..<position], as: UTF8.self)
    guard let function = IntrinsicFunction(rawValue: name) else {
      throw error("'\(name)' is not an intrinsic function", at: start)
    }
    guard position < bytes.count, bytes[position] == Byte.openParen else {
      throw error("expected '(' right after \(name), found \(describeCurrent())")
    }
    position += 1
    var arguments: [IntrinsicArgument] = []
    skipWhitespace()
    if position < bytes.count, bytes[position] == Byte.closeParen {
      position += 1
    } else {
      while true {
        skipWhitespace()
        let isTemplate = function == .format && arguments.isEmpty
        arguments.append(try parseArgument(depth: depth, keepingEscapes: isTemplate))
        skipWhitespace()
        guard position < bytes.count else {
          throw error("missing ')' to close \(name)")
        }
        if bytes[position] == Byte.comma {
          position += 1
          skipWhitespace()
          if position < bytes.count, bytes[position] == Byte.closeParen {
            throw error("expected an argument after ','")
          }
          continue
        }
        if bytes[position] == Byte.closeParen {
          position += 1
          break
        }
        throw error("expected ',' or ')' in the arguments of \(name), found \(describeCurrent())")
      }
    }
    guard function.accepts(argumentCount: arguments.count) else {
      let given = arguments.count == 1 ? "1 was given" : "\(arguments.count) were given"
      throw error(
        "\(name) takes \(function.expectedArgumentCountDescription) argument"
          + (function.expectedArgumentCountDescription == "1" ? "" : "s") + ", but \(given)",
        at: start)
    }
    return IntrinsicCall(function: function, arguments: arguments)
  }

  private mutating func parseArgument(depth: Int, keepingEscapes: Bool) throws(IntrinsicSyntaxError)
    -> IntrinsicArgument
  {
    guard position < bytes.count else { throw error("expected an argument, found end of text") }
    switch bytes[position] {
    case Byte.quote:
      let (value, raw) = try parseString()
      return keepingEscapes ? .formatTemplate(raw) : .string(value)
    case Byte.dollar:
      return .path(try parsePath())
    case Byte.minus, Byte.zero...Byte.nine:
      return .number(try parseNumber())
    case 0x53:  // S
      return .call(try parseCall(depth: depth + 1))
    case 0x74:  // t
      try expectKeyword("true")
      return .boolean(true)
    case 0x66:  // f
      try expectKeyword("false")
      return .boolean(false)
    case 0x6E:  // n
      try expectKeyword("null")
      return .null
    case Byte.doubleQuote:
      throw error("string literals in intrinsic functions use single quotes, not double quotes")
    default:
      throw error(
        "expected a string, number, true, false, null, path or intrinsic function call, found "
          + describeCurrent())
    }
  }

  // MARK: Tokens

  /// Whether the byte at the current position ends a bare token (a number or a keyword).
  private var atTokenEnd: Bool {
    guard position < bytes.count else { return true }
    switch bytes[position] {
    case 0x20, 0x09, 0x0A, 0x0D, Byte.comma, Byte.closeParen: return true
    default: return false
    }
  }

  private mutating func expectKeyword(_ keyword: StaticString) throws(IntrinsicSyntaxError) {
    let start = position
    let length = keyword.utf8CodeUnitCount
    let matches = keyword.withUTF8Buffer { expected -> Bool in
      guard start + length <= bytes.count else { return false }
      for offset in 0..<length where bytes[start + offset] != expected[offset] { return false }
      return true
    }
    if matches {
      position += length
      if atTokenEnd { return }
    }
    throw error(
      "expected a string, number, true, false, null, path or intrinsic function call", at: start)
  }

  /// Reads a single-quoted string. Returns the decoded value and the text between the quotes.
  private mutating func parseString() throws(IntrinsicSyntaxError) -> (String, String) {
    let open = position
    position += 1
    var decoded: [UInt8] = []
    let contentStart = position
    while position < bytes.count {
      let byte = bytes[position]
      if byte == Byte.quote {
        let raw = String(decoding: bytes[contentStart..<position], as: UTF8.self)
        position += 1
        return (String(decoding: decoded, as: UTF8.self), raw)
      }
      if byte == Byte.backslash {
        guard position + 1 < bytes.count else {
          throw error("a backslash must be followed by ', {, } or \\", at: position)
        }
        let escaped = bytes[position + 1]
        switch escaped {
        case Byte.quote, Byte.openBrace, Byte.closeBrace, Byte.backslash:
          decoded.append(escaped)
          position += 2
          continue
        default:
          position += 1
          throw error(
            "invalid escape sequence \\ followed by \(describeCurrent()) in a string literal;"
              + " only \\', \\{, \\} and \\\\ are allowed",
            at: position - 1)
        }
      }
      decoded.append(byte)
      position += 1
    }
    throw error("unterminated string literal", at: open)
  }

  /// Reads a path: from `$` up to a `,`, `)` or white space outside brackets. Quoted names in
  /// brackets may hold any of those.
  private mutating func parsePath() throws(IntrinsicSyntaxError) -> String {
    let start = position
    var depth = 0
    scan: while position < bytes.count {
      let byte = bytes[position]
      switch byte {
      case Byte.openBracket:
        depth += 1
      case Byte.closeBracket:
        if depth > 0 { depth -= 1 }
      case Byte.quote, Byte.doubleQuote:
        if depth > 0 {
          try skipQuotedName(quote: byte)
          continue scan
        }
      case Byte.comma, Byte.closeParen, 0x20, 0x09, 0x0A, 0x0D:
        if depth == 0 { break scan }
      default:
        break
      }
      position += 1
    }
    if depth > 0 { throw error("missing ']' in the path", at: start) }
    return String(decoding: bytes[start..<position], as: UTF8.self)
  }

  private mutating func skipQuotedName(quote: UInt8) throws(IntrinsicSyntaxError) {
    let open = position
    position += 1
    while position < bytes.count {
      let byte = bytes[position]
      if byte == Byte.backslash {
        position += 2
        continue
      }
      position += 1
      if byte == quote { return }
    }
    throw error("unterminated quoted name in the path", at: open)
  }

  /// Reads a number with JSON's grammar: `-`? int (`.` digits)? (`e` sign? digits)?.
  private mutating func parseNumber() throws(IntrinsicSyntaxError) -> JSONNumber {
    let start = position
    var isInteger = true
    if bytes[position] == Byte.minus { position += 1 }
    guard position < bytes.count, bytes[position] >= Byte.zero, bytes[position] <= Byte.nine else {
      throw error("expected a digit after '-'")
    }
    if bytes[position] == Byte.zero {
      position += 1
      if position < bytes.count, bytes[position] >= Byte.zero, bytes[position] <= Byte.nine {
        throw error("numbers must not have leading zeros", at: start)
      }
    } else {
      skipDigits()
    }
    if position < bytes.count, bytes[position] == Byte.dot {
      isInteger = false
      position += 1
      guard position < bytes.count, bytes[position] >= Byte.zero, bytes[position] <= Byte.nine
      else { throw error("expected a digit after '.'") }
      skipDigits()
    }
    if position < bytes.count, bytes[position] == 0x65 || bytes[position] == 0x45 {
      isInteger = false
      position += 1
      if position < bytes.count, bytes[position] == Byte.plus || bytes[position] == Byte.minus {
        position += 1
      }
      guard position < bytes.count, bytes[position] >= Byte.zero, bytes[position] <= Byte.nine
      else { throw error("expected a digit in the exponent") }
      skipDigits()
    }
    guard atTokenEnd else {
      throw error("unexpected \(describeCurrent()) in a number")
    }
    let literal = String(decoding: bytes[start..<position], as: UTF8.self)
    if isInteger, let number = JSONNumber(integerDigits: literal) { return number }
    guard let value = Double(literal), value.isFinite else {
      throw error("the number \(literal) is out of range", at: start)
    }
    return JSONNumber(value)
  }

  private mutating func skipDigits() {
    while position < bytes.count, bytes[position] >= Byte.zero, bytes[position] <= Byte.nine {
      position += 1
    }
  }
}
