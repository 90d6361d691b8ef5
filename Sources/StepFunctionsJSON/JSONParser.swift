/// A strict RFC 8259 parser.
///
/// It rejects trailing commas, comments, invalid escapes, unpaired surrogates, raw control
/// characters in strings, invalid UTF-8 and nesting deeper than ``Options/maximumDepth``, and says
/// where with a line and column. It never traps, whatever the bytes. A leading UTF-8 byte-order
/// mark is skipped.
///
/// ```swift
/// let value = try JSONParser.parse(Array(#"{"b": 1, "a": [true, null]}"#.utf8))
/// let document = try JSONParser.parseDocument(bytes)   // with source locations
/// ```
public enum JSONParser {
  /// Parser settings.
  public struct Options: Sendable {
    /// The deepest nesting any parse accepts, whatever ``maximumDepth`` asks for: 1,000 levels.
    /// The parser keeps its own stack of open arrays and objects, and comparing, serializing,
    /// measuring and freeing objects use stacks of their own, so depth costs them no call stack.
    /// Arrays nested directly in arrays are still freed by the Swift runtime one call per level,
    /// and code outside this module may recurse over values: the ceiling keeps parsed input
    /// where both are safe on a 512 KiB thread.
    public static let depthCeiling = 1_000

    /// How deep arrays and objects may nest (512 by default). Deeper input is an error, not a
    /// stack overflow. Values above ``depthCeiling`` are clamped to it, negative values to 0.
    public var maximumDepth: Int {
      get { clampedDepth }
      set { clampedDepth = Swift.min(Swift.max(newValue, 0), Options.depthCeiling) }
    }
    private var clampedDepth = 512
    /// Whether a key written twice in one object is an error. When `false` the member keeps its
    /// first position and its last value, as Step Functions' own parser does.
    public var rejectsDuplicateKeys: Bool

    /// Creates options; `maximumDepth` is clamped to `0...depthCeiling`.
    public init(maximumDepth: Int = 512, rejectsDuplicateKeys: Bool = false) {
      self.rejectsDuplicateKeys = rejectsDuplicateKeys
      self.maximumDepth = maximumDepth
    }
  }

  /// Parses one JSON text.
  public static func parse(
    _ bytes: [UInt8], options: Options = Options()
  ) throws(JSONParseError) -> JSON {
    let result: Result<JSON, JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
      var reader = JSONReader(buffer: buffer, options: options, recorder: nil)
      do throws(JSONParseError) {
        return .success(try reader.parseDocument())
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }

  /// Parses one JSON text from a string.
  public static func parse(
    _ text: String, options: Options = Options()
  ) throws(JSONParseError) -> JSON {
    try parse(Array(text.utf8), options: options)
  }

  /// Parses one JSON text, recording where every value and key starts and which keys repeat.
  ///
  /// - Complexity: O(*n*) in the length of the text; a few integers are recorded per value.
  public static func parseDocument(
    _ bytes: [UInt8], options: Options = Options()
  ) throws(JSONParseError) -> JSONDocument {
    let recorder = LocationRecorder()
    let result: Result<JSON, JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
      var reader = JSONReader(buffer: buffer, options: options, recorder: recorder)
      do throws(JSONParseError) {
        return .success(try reader.parseDocument())
      } catch {
        return .failure(error)
      }
    }
    let value = try result.get()
    let locations = ValueLocations(
      root: value, valueOffsets: recorder.valueOffsets, keyOffsets: recorder.keyOffsets,
      childBases: recorder.childBases, children: recorder.children)
    return JSONDocument(
      value: value, source: SourceText(bytes), locations: locations,
      duplicateKeys: recorder.duplicates)
  }
}

extension JSON {
  /// Parses a JSON text.
  public init(parsing text: String) throws(JSONParseError) {
    self = try JSONParser.parse(text)
  }

  /// Parses a JSON text given as UTF-8 bytes.
  public init(parsing bytes: [UInt8]) throws(JSONParseError) {
    self = try JSONParser.parse(bytes)
  }
}

/// What the parser records for ``JSONDocument``: flat arrays indexed by each value's number in
/// parse order (see ``ValueLocations``), and the path to the value being parsed, turned into a
/// pointer only for a repeated key.
final class LocationRecorder {
  /// One step of the path to the value being parsed.
  enum Step {
    case key(String)
    case index(Int)
  }

  var valueOffsets: [Int] = []
  var keyOffsets: [Int] = []
  var childBases: [Int] = []
  var children: [Int] = []
  /// The numbers of the elements or members of the containers being parsed, innermost last.
  var pending: [Int] = []
  /// The key offset for the next value recorded (an object member's), or -1.
  var nextKeyOffset = -1
  var path: [Step] = []
  var duplicates: [JSONDocument.DuplicateKey] = []

  /// The number the next value recorded will get.
  var nextNumber: Int { valueOffsets.count }

  /// Records a value starting at `offset`.
  @inline(__always)
  func recordValue(at offset: Int) {
    valueOffsets.append(offset)
    keyOffsets.append(nextKeyOffset)
    childBases.append(-1)
    nextKeyOffset = -1
  }

  /// Files the children of the container numbered `number`, kept in ``pending`` from
  /// `pendingStart` on, and drops them from ``pending``.
  func closeContainer(_ number: Int, pendingStart: Int) {
    childBases[number] = children.count
    children.append(contentsOf: pending[pendingStart...])
    pending.removeSubrange(pendingStart...)
  }

  /// The pointer to the value being parsed.
  var pointer: JSONPointer {
    JSONPointer(
      path.map { step in
        switch step {
        case .key(let key): return key
        case .index(let index): return String(index)
        }
      })
  }
}

private enum Byte {
  static let quote: UInt8 = 0x22
  static let backslash: UInt8 = 0x5C
  static let slash: UInt8 = 0x2F
  static let comma: UInt8 = 0x2C
  static let colon: UInt8 = 0x3A
  static let openBracket: UInt8 = 0x5B
  static let closeBracket: UInt8 = 0x5D
  static let openBrace: UInt8 = 0x7B
  static let closeBrace: UInt8 = 0x7D
  static let minus: UInt8 = 0x2D
  static let plus: UInt8 = 0x2B
  static let dot: UInt8 = 0x2E
  static let zero: UInt8 = 0x30
  static let nine: UInt8 = 0x39
}

struct JSONReader {
  let buffer: UnsafeBufferPointer<UInt8>
  let options: JSONParser.Options
  let recorder: LocationRecorder?
  var position = 0
  var scratch: [UInt8] = []

  init(buffer: UnsafeBufferPointer<UInt8>, options: JSONParser.Options, recorder: LocationRecorder?)
  {
    self.buffer = buffer
    self.options = options
    self.recorder = recorder
  }

  // MARK: Errors

  func error(_ kind: JSONParseError.Kind, _ message: String, at offset: Int? = nil)
    -> JSONParseError
  {
    let at = offset ?? position
    return JSONParseError(
      kind: kind, message: message, location: SourceText(Array(buffer)).location(ofOffset: at))
  }

  func describeByte(at offset: Int) -> String {
    guard offset < buffer.count else { return "end of input" }
    let byte = buffer[offset]
    if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
    if byte >= 0x80 {
      // Show the whole scalar when the bytes are valid UTF-8.
      if let length = JSONReader.validScalarLength(buffer, at: offset) {
        let text = String(
          decoding: UnsafeBufferPointer(rebasing: buffer[offset..<offset + length]), as: UTF8.self)
        return "'\(text)'"
      }
      return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }
    let hex = String(byte, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: 4 - hex.count) + hex
  }

  func unexpected(expecting: String) -> JSONParseError {
    if position >= buffer.count {
      return error(.unexpectedEndOfInput, "unexpected end of input; expected \(expecting)")
    }
    if let invalid = invalidUTF8Error() { return invalid }
    let byte = buffer[position]
    if atComment { return error(.unexpectedCharacter, "comments are not allowed in JSON") }
    if byte == 0x27 {
      return error(.unexpectedCharacter, "strings must use double quotes, not single quotes")
    }
    if byte == 0x4E || byte == 0x49 {  // N, I
      return error(
        .unexpectedCharacter,
        "unexpected \(describeByte(at: position)); NaN and Infinity are not JSON values")
    }
    return error(
      .unexpectedCharacter, "unexpected \(describeByte(at: position)); expected \(expecting)")
  }

  /// An `invalidUTF8` error when the bytes at the current position are not well-formed UTF-8.
  func invalidUTF8Error() -> JSONParseError? {
    guard position < buffer.count, buffer[position] >= 0x80,
      JSONReader.validScalarLength(buffer, at: position) == nil
    else { return nil }
    let hex = String(buffer[position], radix: 16, uppercase: true)
    return error(.invalidUTF8, "invalid UTF-8 byte 0x\(hex)")
  }

  /// An error of `kind` about the byte at the current position, unless that byte starts an
  /// invalid UTF-8 sequence (then the error says so).
  func unexpectedByte(_ kind: JSONParseError.Kind, _ explanation: String) -> JSONParseError {
    if let invalid = invalidUTF8Error() { return invalid }
    if atComment { return error(kind, "comments are not allowed in JSON") }
    return error(kind, "unexpected \(describeByte(at: position)); \(explanation)")
  }

  /// Whether the current position starts `//` or `/*`.
  var atComment: Bool {
    position + 1 < buffer.count && buffer[position] == Byte.slash
      && (buffer[position + 1] == Byte.slash || buffer[position + 1] == 0x2A)
  }

  // MARK: Structure

  mutating func parseDocument() throws(JSONParseError) -> JSON {
    if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
    skipWhitespace()
    if position >= buffer.count {
      throw error(.emptyInput, JSONParseError.emptyInputMessage)
    }
    let value = try parseValue()
    skipWhitespace()
    if position < buffer.count {
      if let invalid = invalidUTF8Error() { throw invalid }
      if atComment { throw error(.trailingCharacters, "comments are not allowed in JSON") }
      throw error(
        .trailingCharacters,
        "unexpected \(describeByte(at: position)) after the end of the JSON value")
    }
    return value
  }

  @inline(__always)
  mutating func skipWhitespace() {
    while position < buffer.count {
      switch buffer[position] {
      case 0x20, 0x0A, 0x0D, 0x09: position += 1
      default: return
      }
    }
  }

  /// An array or object whose contents are being parsed. The parser keeps the innermost one in
  /// a local variable and the ones around it on a stack of its own instead of recursing, so the
  /// depth of the input costs no call stack.
  struct OpenContainer {
    /// Whether this is an object (otherwise an array).
    let isObject: Bool
    /// With a recorder: this container's number, and where its children's numbers start in
    /// ``LocationRecorder/pending``.
    let number: Int
    let pendingStart: Int
    /// The elements so far (an array).
    var elements: [JSON] = []
    /// The members so far (an object).
    var object = JSONObject()
    /// While a container inside this one is parsed: the key of the member it is the value of,
    /// and the position of an earlier member with that key or -1 (an object).
    var key = ""
    var existing = -1

    init(isObject: Bool, number: Int, pendingStart: Int) {
      self.isObject = isObject
      self.number = number
      self.pendingStart = pendingStart
    }
  }

  /// Parses the value at the current position and everything inside it, with a stack of open
  /// containers rather than one call per level.
  mutating func parseValue() throws(JSONParseError) -> JSON {
    // The innermost open container (when `depth` > 0), the key of its member being parsed and
    // the position of an earlier member with that key (an object), and the containers around
    // it, innermost last.
    var current = OpenContainer(isObject: false, number: 0, pendingStart: 0)
    var key = ""
    var existing = -1
    var depth = 0
    var open: [OpenContainer] = []
    parsing: while true {
      // The value that starts here: a scalar, an empty container, or a container opened.
      guard position < buffer.count else { throw unexpected(expecting: "a value") }
      if let recorder { recorder.recordValue(at: position) }
      var value: JSON
      switch buffer[position] {
      case Byte.quote: value = .string(try parseString())
      case Byte.openBrace, Byte.openBracket:
        let isObject = buffer[position] == Byte.openBrace
        guard depth < options.maximumDepth else {
          throw error(
            .nestingTooDeep, "arrays and objects are nested more than \(options.maximumDepth) deep")
        }
        position += 1
        let number = (recorder?.nextNumber ?? 1) - 1
        let pendingStart = recorder?.pending.count ?? 0
        skipWhitespace()
        if position < buffer.count,
          buffer[position] == (isObject ? Byte.closeBrace : Byte.closeBracket)
        {
          position += 1
          recorder?.closeContainer(number, pendingStart: pendingStart)
          value = isObject ? .object(JSONObject()) : .array([])
          break
        }
        if depth > 0 {
          swap(&current.key, &key)
          current.existing = existing
          open.append(current)
        }
        current = OpenContainer(isObject: isObject, number: number, pendingStart: pendingStart)
        depth += 1
        if isObject {
          let keyOffset: Int
          (key, keyOffset) = try readKey(commaOffset: nil)
          existing = try beginMember(
            key, at: keyOffset, earlier: current.object.position(of: key),
            pendingStart: pendingStart)
        } else {
          beginElement(at: 0)
        }
        continue parsing
      case Byte.minus, Byte.zero...Byte.nine: value = .number(try parseNumber())
      case 0x74:
        try expectLiteral("true")
        value = .bool(true)
      case 0x66:
        try expectLiteral("false")
        value = .bool(false)
      case 0x6E:
        try expectLiteral("null")
        value = .null
      case Byte.dot, Byte.plus:
        throw error(.invalidNumber, "a number must start with a digit or '-'")
      default: throw unexpected(expecting: "a value")
      }
      // `value` is complete: add it to the innermost open container, then either start that
      // container's next value or close it and add it to the one around it, and so on out.
      while depth > 0 {
        recorder?.path.removeLast()
        skipWhitespace()
        if current.isObject {
          if existing >= 0 {
            current.object.setValue(value, at: existing)
          } else {
            current.object.append(key: key, value: value)
          }
          guard position < buffer.count else { throw unexpected(expecting: "',' or '}'") }
          switch buffer[position] {
          case Byte.comma:
            let commaOffset = position
            position += 1
            let keyOffset: Int
            (key, keyOffset) = try readKey(commaOffset: commaOffset)
            existing = try beginMember(
              key, at: keyOffset, earlier: current.object.position(of: key),
              pendingStart: current.pendingStart)
            continue parsing
          case Byte.closeBrace:
            position += 1
            recorder?.closeContainer(current.number, pendingStart: current.pendingStart)
            value = .object(current.object)
          default:
            throw unexpectedByte(.expectedCommaOrEnd, "expected ',' or '}'")
          }
        } else {
          current.elements.append(consume value)
          guard position < buffer.count else { throw unexpected(expecting: "',' or ']'") }
          switch buffer[position] {
          case Byte.comma:
            let commaOffset = position
            position += 1
            skipWhitespace()
            if position < buffer.count, buffer[position] == Byte.closeBracket {
              throw error(.trailingComma, "trailing comma before ']'", at: commaOffset)
            }
            beginElement(at: current.elements.count)
            continue parsing
          case Byte.closeBracket:
            position += 1
            recorder?.closeContainer(current.number, pendingStart: current.pendingStart)
            value = .array(current.elements)
          default:
            throw unexpectedByte(.expectedCommaOrEnd, "expected ',' or ']'")
          }
        }
        // The container is closed: the one around it, if any, becomes the innermost.
        depth -= 1
        guard let enclosing = open.popLast() else { break }
        current = enclosing
        swap(&key, &current.key)
        existing = current.existing
      }
      return value
    }
  }

  /// Records (with a recorder) that the next value is the element at `index` of the innermost
  /// open array.
  @inline(__always)
  mutating func beginElement(at index: Int) {
    skipWhitespace()
    if let recorder {
      recorder.pending.append(recorder.nextNumber)
      recorder.path.append(.index(index))
    }
  }

  /// Reads the next member's key and its colon (after an object's `{`, or after the comma at
  /// `commaOffset`), skipping white space before the value; returns the key and its offset,
  /// which the caller notes with ``beginMember(_:at:earlier:pendingStart:)``.
  mutating func readKey(commaOffset: Int?) throws(JSONParseError) -> (key: String, offset: Int) {
    skipWhitespace()
    guard position < buffer.count, buffer[position] == Byte.quote else {
      if let commaOffset, position < buffer.count, buffer[position] == Byte.closeBrace {
        throw error(.trailingComma, "trailing comma before '}'", at: commaOffset)
      }
      if position >= buffer.count { throw unexpected(expecting: "a string key") }
      if buffer[position] == 0x27 {
        throw error(.expectedKey, "object keys must use double quotes, not single quotes")
      }
      throw unexpectedByte(.expectedKey, "object keys must be strings in double quotes")
    }
    let keyOffset = position
    let key = try parseString()
    skipWhitespace()
    guard position < buffer.count, buffer[position] == Byte.colon else {
      if position >= buffer.count { throw unexpected(expecting: "':' after the key") }
      throw unexpectedByte(.expectedColon, "expected ':' after the key")
    }
    position += 1
    skipWhitespace()
    return (key, keyOffset)
  }

  /// Notes that the next value is that of the member `key`, read at `keyOffset`, whose object
  /// has an earlier member
  /// with that key at `earlier`; returns `earlier`, or -1. `pendingStart` is where the object's
  /// children's numbers start in ``LocationRecorder/pending``.
  @inline(__always)
  mutating func beginMember(_ key: String, at keyOffset: Int, earlier: Int?, pendingStart: Int)
    throws(JSONParseError) -> Int
  {
    if earlier != nil, options.rejectsDuplicateKeys {
      throw error(.duplicateKey, "duplicate key \"\(key)\"", at: keyOffset)
    }
    if let recorder {
      recorder.path.append(.key(key))
      let member = recorder.nextNumber
      if let earlier {
        // The member keeps its first position and first key; its value is the new one.
        recorder.duplicates.append(.init(pointer: recorder.pointer, offset: keyOffset))
        let slot = pendingStart + earlier
        recorder.nextKeyOffset = recorder.keyOffsets[recorder.pending[slot]]
        recorder.pending[slot] = member
      } else {
        recorder.nextKeyOffset = keyOffset
        recorder.pending.append(member)
      }
    }
    return earlier ?? -1
  }

  mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
    let start = position
    let length = literal.utf8CodeUnitCount
    let available = min(length, buffer.count - start)
    let matches = literal.withUTF8Buffer { expected -> Bool in
      for offset in 0..<available where buffer[start + offset] != expected[offset] { return false }
      return true
    }
    guard matches else {
      throw error(.unexpectedCharacter, "invalid literal; expected '\(literal)'", at: start)
    }
    guard available == length else {
      throw error(
        .unexpectedEndOfInput, "unexpected end of input inside '\(literal)'", at: buffer.count)
    }
    position += length
  }

  // MARK: Strings

  mutating func parseString() throws(JSONParseError) -> String {
    let quoteOffset = position
    position += 1
    let start = position
    var hasNonASCII = false
    while position < buffer.count {
      let byte = buffer[position]
      if byte == Byte.quote {
        let range = start..<position
        position += 1
        if hasNonASCII { try validateUTF8(range) }
        return String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
      }
      if byte == Byte.backslash {
        return try parseEscapedString(start: start, quoteOffset: quoteOffset)
      }
      if byte < 0x20 {
        throw error(
          .controlCharacterInString,
          "raw control character \(describeByte(at: position)) in a string; write it as an escape")
      }
      if byte >= 0x80 { hasNonASCII = true }
      position += 1
    }
    throw error(.unexpectedEndOfInput, "unterminated string", at: quoteOffset)
  }

  mutating func parseEscapedString(start: Int, quoteOffset: Int) throws(JSONParseError) -> String {
    scratch.removeAll(keepingCapacity: true)
    var segmentStart = start
    while position < buffer.count {
      let byte = buffer[position]
      if byte == Byte.quote || byte == Byte.backslash {
        let segment = segmentStart..<position
        try validateUTF8(segment)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[segment]))
        if byte == Byte.quote {
          position += 1
          return String(decoding: scratch, as: UTF8.self)
        }
        try parseEscape()
        segmentStart = position
        continue
      }
      if byte < 0x20 {
        throw error(
          .controlCharacterInString,
          "raw control character \(describeByte(at: position)) in a string; write it as an escape")
      }
      position += 1
    }
    throw error(.unexpectedEndOfInput, "unterminated string", at: quoteOffset)
  }

  mutating func parseEscape() throws(JSONParseError) {
    let escapeOffset = position
    position += 1
    guard position < buffer.count else {
      throw error(.unexpectedEndOfInput, "unterminated escape sequence", at: escapeOffset)
    }
    let code = buffer[position]
    position += 1
    switch code {
    case Byte.quote: scratch.append(Byte.quote)
    case Byte.backslash: scratch.append(Byte.backslash)
    case Byte.slash: scratch.append(Byte.slash)
    case 0x62: scratch.append(0x08)
    case 0x66: scratch.append(0x0C)
    case 0x6E: scratch.append(0x0A)
    case 0x72: scratch.append(0x0D)
    case 0x74: scratch.append(0x09)
    case 0x75:
      let first = try parseHex4(escapeOffset: escapeOffset)
      var scalarValue = UInt32(first)
      if first >= 0xD800 && first <= 0xDBFF {
        guard position + 1 < buffer.count, buffer[position] == Byte.backslash,
          buffer[position + 1] == 0x75
        else {
          throw error(
            .unpairedSurrogate,
            "high surrogate \\u\(hex(first)) is not followed by a low surrogate",
            at: escapeOffset)
        }
        let secondOffset = position
        position += 2
        let second = try parseHex4(escapeOffset: secondOffset)
        guard second >= 0xDC00 && second <= 0xDFFF else {
          throw error(
            .unpairedSurrogate, "high surrogate \\u\(hex(first)) is followed by \\u\(hex(second))",
            at: escapeOffset)
        }
        scalarValue = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
      } else if first >= 0xDC00 && first <= 0xDFFF {
        throw error(
          .unpairedSurrogate, "low surrogate \\u\(hex(first)) without a high surrogate before it",
          at: escapeOffset)
      }
      guard let scalar = Unicode.Scalar(scalarValue) else {
        throw error(.invalidEscape, "invalid Unicode escape", at: escapeOffset)
      }
      scratch.append(contentsOf: scalar.utf8)
    default:
      throw error(
        .invalidEscape,
        "invalid escape '\\\(describeByte(at: position - 1).trimmingQuotes)'; JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
        at: escapeOffset)
    }
  }

  func hex(_ value: UInt16) -> String {
    let text = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: 4 - text.count) + text
  }

  mutating func parseHex4(escapeOffset: Int) throws(JSONParseError) -> UInt16 {
    guard position + 4 <= buffer.count else {
      throw error(.invalidEscape, "\\u must be followed by four hex digits", at: escapeOffset)
    }
    var value: UInt16 = 0
    for _ in 0..<4 {
      let byte = buffer[position]
      let digit: UInt8
      switch byte {
      case 0x30...0x39: digit = byte - 0x30
      case 0x41...0x46: digit = byte - 0x41 + 10
      case 0x61...0x66: digit = byte - 0x61 + 10
      default:
        throw error(.invalidEscape, "\\u must be followed by four hex digits", at: escapeOffset)
      }
      value = value << 4 | UInt16(digit)
      position += 1
    }
    return value
  }

  func validateUTF8(_ range: Range<Int>) throws(JSONParseError) {
    var offset = range.lowerBound
    while offset < range.upperBound {
      if buffer[offset] < 0x80 {
        offset += 1
        continue
      }
      guard let length = JSONReader.validScalarLength(buffer, at: offset),
        offset + length <= range.upperBound
      else {
        let hex = String(buffer[offset], radix: 16, uppercase: true)
        throw error(.invalidUTF8, "invalid UTF-8 byte 0x\(hex) in a string", at: offset)
      }
      offset += length
    }
  }

  /// The length of the well-formed UTF-8 scalar starting at `offset`, or `nil` (overlong forms,
  /// surrogates and values past U+10FFFF are not well formed).
  static func validScalarLength(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int? {
    let lead = buffer[offset]
    let length: Int
    var lowest: UInt8 = 0x80
    var highest: UInt8 = 0xBF
    switch lead {
    case 0xC2...0xDF: length = 2
    case 0xE0:
      length = 3
      lowest = 0xA0
    case 0xE1...0xEC, 0xEE...0xEF: length = 3
    case 0xED:
      length = 3
      highest = 0x9F
    case 0xF0:
      length = 4
      lowest = 0x90
    case 0xF1...0xF3: length = 4
    case 0xF4:
      length = 4
      highest = 0x8F
    default: return nil
    }
    guard offset + length <= buffer.count else { return nil }
    let second = buffer[offset + 1]
    guard second >= lowest && second <= highest else { return nil }
    for index in 2..<max(2, length) where buffer[offset + index] & 0xC0 != 0x80 { return nil }
    return length
  }

  // MARK: Numbers

  mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
    let start = position
    var negative = false
    if buffer[position] == Byte.minus {
      negative = true
      position += 1
    }
    guard position < buffer.count, isDigit(buffer[position]) else {
      throw error(.invalidNumber, "a '-' must be followed by a digit", at: start)
    }
    var integer: UInt64 = 0
    var digitCount = 0
    if buffer[position] == Byte.zero {
      position += 1
      digitCount = 1
      if position < buffer.count, isDigit(buffer[position]) {
        throw error(.invalidNumber, "numbers cannot have leading zeros", at: start)
      }
    } else {
      while position < buffer.count, isDigit(buffer[position]) {
        if digitCount < 19 { integer = integer &* 10 &+ UInt64(buffer[position] - Byte.zero) }
        digitCount += 1
        position += 1
      }
    }
    var isInteger = true
    if position < buffer.count, buffer[position] == Byte.dot {
      isInteger = false
      position += 1
      guard position < buffer.count, isDigit(buffer[position]) else {
        throw error(.invalidNumber, "a '.' in a number must be followed by a digit", at: start)
      }
      while position < buffer.count, isDigit(buffer[position]) { position += 1 }
    }
    if position < buffer.count, buffer[position] == 0x65 || buffer[position] == 0x45 {
      isInteger = false
      position += 1
      if position < buffer.count, buffer[position] == Byte.plus || buffer[position] == Byte.minus {
        position += 1
      }
      guard position < buffer.count, isDigit(buffer[position]) else {
        throw error(.invalidNumber, "an exponent must have digits", at: start)
      }
      while position < buffer.count, isDigit(buffer[position]) { position += 1 }
    }
    let text = UnsafeBufferPointer(rebasing: buffer[start..<position])
    if isInteger {
      if digitCount <= 18 {
        let magnitude = Int64(integer)
        return JSONNumber(negative ? -magnitude : magnitude)
      }
      if let number = JSONNumber(integerDigits: String(decoding: text, as: UTF8.self)) {
        return number
      }
    }
    guard let value = Double(String(decoding: text, as: UTF8.self)), value.isFinite else {
      throw error(.invalidNumber, "number is out of range", at: start)
    }
    return JSONNumber(value)
  }

  @inline(__always)
  func isDigit(_ byte: UInt8) -> Bool { byte >= Byte.zero && byte <= Byte.nine }
}

extension String {
  fileprivate var trimmingQuotes: String {
    if count >= 2, first == "'", last == "'" { return String(dropFirst().dropLast()) }
    return self
  }
}
