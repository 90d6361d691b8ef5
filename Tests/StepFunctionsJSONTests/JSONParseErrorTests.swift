import StepFunctionsJSON
import Testing

/// One malformed input, the error kind it must produce and where.
struct MalformedCase: CustomTestStringConvertible, Sendable {
  var name: String
  var bytes: [UInt8]
  var kind: JSONParseError.Kind
  var line: Int
  var column: Int

  init(_ name: String, _ text: String, _ kind: JSONParseError.Kind, _ line: Int, _ column: Int) {
    self.init(name, Array(text.utf8), kind, line, column)
  }

  init(_ name: String, _ bytes: [UInt8], _ kind: JSONParseError.Kind, _ line: Int, _ column: Int) {
    self.name = name
    self.bytes = bytes
    self.kind = kind
    self.line = line
    self.column = column
  }

  var testDescription: String { name }
}

/// Bytes for a string literal: `"` + `middle` + `"`.
private func quoted(_ middle: [UInt8]) -> [UInt8] { [0x22] + middle + [0x22] }

@Suite("Rejecting malformed JSON")
struct JSONParseErrorTests {
  static let structural: [MalformedCase] = [
    MalformedCase("empty input", "", .emptyInput, 1, 1),
    MalformedCase("only white space", " \n\t\r\n ", .emptyInput, 3, 2),
    MalformedCase("trailing comma in an array", "[1, 2,]", .trailingComma, 1, 6),
    MalformedCase("trailing comma in an array, next line", "[1,\n]", .trailingComma, 1, 3),
    MalformedCase("trailing comma in an object", "{\"a\": 1,\n  }", .trailingComma, 1, 8),
    MalformedCase("a lone comma in an array", "[,]", .unexpectedCharacter, 1, 2),
    MalformedCase("a lone comma in an object", "{,}", .expectedKey, 1, 2),
    MalformedCase("two commas in an array", "[1,,2]", .unexpectedCharacter, 1, 4),
    MalformedCase("a line comment", "{\n  // note\n  \"a\": 1}", .expectedKey, 2, 3),
    MalformedCase("a line comment before a value", "[// x\n1]", .unexpectedCharacter, 1, 2),
    MalformedCase("a block comment", "[1, /* two */ 2]", .unexpectedCharacter, 1, 5),
    MalformedCase("a trailing comment", "1 // one", .trailingCharacters, 1, 3),
    MalformedCase("a single-quoted string", "['a']", .unexpectedCharacter, 1, 2),
    MalformedCase("a single-quoted key", "{'a': 1}", .expectedKey, 1, 2),
    MalformedCase("an unquoted key", "{a: 1}", .expectedKey, 1, 2),
    MalformedCase("a number as a key", "{1: 1}", .expectedKey, 1, 2),
    MalformedCase("a missing colon", "{\"a\" 1}", .expectedColon, 1, 6),
    MalformedCase("an equals sign for a colon", "{\"a\"=1}", .expectedColon, 1, 5),
    MalformedCase("a missing comma in an array", "[1 2]", .expectedCommaOrEnd, 1, 4),
    MalformedCase("a missing comma in an object", "{\"a\":1 \"b\":2}", .expectedCommaOrEnd, 1, 8),
    MalformedCase("a mismatched bracket", "[1}", .expectedCommaOrEnd, 1, 3),
    MalformedCase("a mismatched brace", "{\"a\":1]", .expectedCommaOrEnd, 1, 7),
    MalformedCase("unterminated array", "[1, 2", .unexpectedEndOfInput, 1, 6),
    MalformedCase("unterminated array after a comma", "[1,\n", .unexpectedEndOfInput, 2, 1),
    MalformedCase("unterminated empty array", "[", .unexpectedEndOfInput, 1, 2),
    MalformedCase("unterminated object", "{\"a\": 1", .unexpectedEndOfInput, 1, 8),
    MalformedCase("unterminated object after a key", "{\"a\"", .unexpectedEndOfInput, 1, 5),
    MalformedCase("unterminated object after a colon", "{\"a\":", .unexpectedEndOfInput, 1, 6),
    MalformedCase("unterminated object after a comma", "{\"a\":1,", .unexpectedEndOfInput, 1, 8),
    MalformedCase("unterminated string", "[\"abc", .unexpectedEndOfInput, 1, 2),
    MalformedCase("unterminated key", "{\"ab", .unexpectedEndOfInput, 1, 2),
    MalformedCase("unterminated escape", "\"abc\\", .unexpectedEndOfInput, 1, 5),
    MalformedCase("extra value", "{} {}", .trailingCharacters, 1, 4),
    MalformedCase("extra closing bracket", "[1]]", .trailingCharacters, 1, 4),
    MalformedCase("extra text on a later line", "1\n\n  x", .trailingCharacters, 3, 3),
    MalformedCase("two top-level values", "1 2", .trailingCharacters, 1, 3),
    MalformedCase("a misspelled literal", "[nul]", .unexpectedCharacter, 1, 2),
    MalformedCase("a capitalized literal", "True", .unexpectedCharacter, 1, 1),
    MalformedCase("a truncated literal", "[tru", .unexpectedEndOfInput, 1, 5),
    MalformedCase("a truncated literal at the top", "fals", .unexpectedEndOfInput, 1, 5),
    MalformedCase("a literal with more letters", "nulls", .trailingCharacters, 1, 5),
    MalformedCase("an undefined word", "undefined", .unexpectedCharacter, 1, 1),
    MalformedCase("NaN", "NaN", .unexpectedCharacter, 1, 1),
    MalformedCase("Infinity", "[Infinity]", .unexpectedCharacter, 1, 2),
    MalformedCase("minus Infinity", "-Infinity", .invalidNumber, 1, 1),
    MalformedCase("a vertical tab as white space", "[\u{0B}1]", .unexpectedCharacter, 1, 2),
    MalformedCase("a form feed as white space", "\u{0C}1", .unexpectedCharacter, 1, 1),
    MalformedCase("a no-break space as white space", "[\u{A0}1]", .unexpectedCharacter, 1, 2),
    MalformedCase("a NUL byte between values", "[1,\u{0}2]", .unexpectedCharacter, 1, 4),
  ]

  static let numbers: [MalformedCase] = [
    MalformedCase("a leading zero", "01", .invalidNumber, 1, 1),
    MalformedCase("a leading zero after a minus", "[-01]", .invalidNumber, 1, 2),
    MalformedCase("two zeros", "00", .invalidNumber, 1, 1),
    MalformedCase("a lone minus", "-", .invalidNumber, 1, 1),
    MalformedCase("a minus and a space", "[- 1]", .invalidNumber, 1, 2),
    MalformedCase("a trailing dot", "1.", .invalidNumber, 1, 1),
    MalformedCase("a dot before an exponent", "[1.e5]", .invalidNumber, 1, 2),
    MalformedCase("a leading dot", ".5", .invalidNumber, 1, 1),
    MalformedCase("a leading dot in an array", "[1, .5]", .invalidNumber, 1, 5),
    MalformedCase("a leading plus", "+1", .invalidNumber, 1, 1),
    MalformedCase("an empty exponent", "1e", .invalidNumber, 1, 1),
    MalformedCase("an exponent sign without digits", "[1E+]", .invalidNumber, 1, 2),
    MalformedCase("an exponent with a dot", "1e5.5", .trailingCharacters, 1, 4),
    MalformedCase("two dots", "1.2.3", .trailingCharacters, 1, 4),
    MalformedCase("a hexadecimal number", "0x1F", .trailingCharacters, 1, 2),
    MalformedCase("an overflowing decimal", "[1e400]", .invalidNumber, 1, 2),
    MalformedCase("an overflowing negative decimal", "-1.5E309", .invalidNumber, 1, 1),
  ]

  static let strings: [MalformedCase] = [
    MalformedCase("an unknown escape", #""a\x""#, .invalidEscape, 1, 3),
    MalformedCase("an escaped single quote", #""\'""#, .invalidEscape, 1, 2),
    MalformedCase("an escaped zero", #""\0""#, .invalidEscape, 1, 2),
    MalformedCase("an uppercase U escape", #""\U0041""#, .invalidEscape, 1, 2),
    MalformedCase("a short unicode escape", #""\u12""#, .invalidEscape, 1, 2),
    MalformedCase("a unicode escape with a non-hex digit", #""ab\u12G4""#, .invalidEscape, 1, 4),
    MalformedCase("a unicode escape at the end of input", #""\u00"#, .invalidEscape, 1, 2),
    MalformedCase("a lone high surrogate", #""\uD800""#, .unpairedSurrogate, 1, 2),
    MalformedCase("a lone low surrogate", #""\uDC00""#, .unpairedSurrogate, 1, 2),
    MalformedCase("surrogates in the wrong order", #""x\uDE00\uD83D""#, .unpairedSurrogate, 1, 3),
    MalformedCase("a high surrogate then a letter", #""\uD83Dx""#, .unpairedSurrogate, 1, 2),
    MalformedCase("a high surrogate then another escape", #""\uD83D\n""#, .unpairedSurrogate, 1, 2),
    MalformedCase("two high surrogates", #""\uD83D\uD83D""#, .unpairedSurrogate, 1, 2),
    MalformedCase(
      "a high surrogate then a non-surrogate", #""\uD83D\u0041""#, .unpairedSurrogate, 1, 2),
    MalformedCase("a high surrogate then a bad escape", #""\uD83D\uZZZZ""#, .invalidEscape, 1, 8),
    MalformedCase("a raw newline in a string", "[\"a\nb\"]", .controlCharacterInString, 1, 4),
    MalformedCase("a raw tab in a string", "\"a\tb\"", .controlCharacterInString, 1, 3),
    MalformedCase("a raw NUL in a string", "\"\u{0}\"", .controlCharacterInString, 1, 2),
    MalformedCase(
      "a raw unit separator in a key", "{\"\u{1F}\":1}", .controlCharacterInString, 1, 3),
    MalformedCase("a raw newline after an escape", "\"\\n\n\"", .controlCharacterInString, 1, 4),
  ]

  static let utf8: [MalformedCase] = [
    MalformedCase("a lone continuation byte", quoted([0x80]), .invalidUTF8, 1, 2),
    MalformedCase("an invalid byte 0xFF", quoted([0x61, 0xFF]), .invalidUTF8, 1, 3),
    MalformedCase("an invalid byte 0xFE", quoted([0xFE]), .invalidUTF8, 1, 2),
    MalformedCase("an overlong slash (C0 AF)", quoted([0xC0, 0xAF]), .invalidUTF8, 1, 2),
    MalformedCase("an overlong NUL (C1 80)", quoted([0xC1, 0x80]), .invalidUTF8, 1, 2),
    MalformedCase("an overlong three-byte form", quoted([0xE0, 0x80, 0xAF]), .invalidUTF8, 1, 2),
    MalformedCase(
      "an overlong four-byte form", quoted([0xF0, 0x80, 0x80, 0xAF]), .invalidUTF8, 1, 2),
    MalformedCase("an encoded high surrogate", quoted([0xED, 0xA0, 0x80]), .invalidUTF8, 1, 2),
    MalformedCase("an encoded low surrogate", quoted([0xED, 0xBF, 0xBF]), .invalidUTF8, 1, 2),
    MalformedCase(
      "a code point past U+10FFFF", quoted([0xF4, 0x90, 0x80, 0x80]), .invalidUTF8, 1, 2),
    MalformedCase("a five-byte lead", quoted([0xF8, 0x88, 0x80, 0x80, 0x80]), .invalidUTF8, 1, 2),
    MalformedCase("a truncated two-byte sequence", quoted([0xC3]), .invalidUTF8, 1, 2),
    MalformedCase("a truncated three-byte sequence", quoted([0xE2, 0x82]), .invalidUTF8, 1, 2),
    MalformedCase(
      "a truncated four-byte sequence", quoted([0xF0, 0x9F, 0x98]), .invalidUTF8, 1, 2),
    MalformedCase(
      "a truncated sequence then ASCII", quoted([0xE2, 0x82, 0x41]), .invalidUTF8, 1, 2),
    MalformedCase(
      "invalid UTF-8 after an escape", quoted([0x5C, 0x6E, 0x61, 0xC3, 0x28]), .invalidUTF8, 1, 5),
    MalformedCase(
      "invalid UTF-8 after valid non-ASCII", quoted([0xC3, 0xA9, 0xFF]), .invalidUTF8, 1, 3),
    MalformedCase(
      "invalid UTF-8 in a key", [0x7B] + quoted([0xFF]) + Array(":1}".utf8), .invalidUTF8, 1, 3),
    MalformedCase("invalid UTF-8 as a value", [0x5B, 0xFF, 0x5D], .invalidUTF8, 1, 2),
    MalformedCase("invalid UTF-8 at the top", [0xC0, 0x80], .invalidUTF8, 1, 1),
    MalformedCase("invalid UTF-8 after a value", [0x31, 0x20, 0xFF], .invalidUTF8, 1, 3),
    MalformedCase("invalid UTF-8 instead of a comma", [0x5B, 0x31, 0xFF], .invalidUTF8, 1, 3),
    MalformedCase("a UTF-16 byte-order mark", [0xFE, 0xFF, 0x00, 0x31], .invalidUTF8, 1, 1),
    MalformedCase("UTF-16 text", [0x00, 0x5B, 0x00, 0x5D], .unexpectedCharacter, 1, 1),
  ]

  @Test("Structural mistakes are reported with their kind and position", arguments: structural)
  func structuralErrors(_ testCase: MalformedCase) {
    expectParseError(testCase.bytes, testCase.kind, at: testCase.line, testCase.column)
  }

  @Test("Malformed numbers are reported with their kind and position", arguments: numbers)
  func numberErrors(_ testCase: MalformedCase) {
    expectParseError(testCase.bytes, testCase.kind, at: testCase.line, testCase.column)
  }

  @Test("Malformed strings are reported with their kind and position", arguments: strings)
  func stringErrors(_ testCase: MalformedCase) {
    expectParseError(testCase.bytes, testCase.kind, at: testCase.line, testCase.column)
  }

  @Test("Invalid UTF-8 is reported with its kind and position", arguments: utf8)
  func utf8Errors(_ testCase: MalformedCase) {
    expectParseError(testCase.bytes, testCase.kind, at: testCase.line, testCase.column)
  }

  @Test("Columns count Unicode scalars, not bytes")
  func unicodeColumns() {
    // "é" is 2 bytes, "😀" is 4 bytes, "中" is 3 bytes: each is one column.
    expectParseError(#"["é", "😀", "中", x]"#, .unexpectedCharacter, at: 1, 17)
    expectParseError("{\"ключ\": 1,\n \"значение\": tru}", .unexpectedCharacter, at: 2, 14)
    // A combining sequence counts one column per scalar.
    expectParseError("[\"e\u{301}\", ?]", .unexpectedCharacter, at: 1, 8)
  }

  @Test("Line breaks of every JSON kind advance the line; CR alone does not")
  func lineBreaks() {
    expectParseError("[\r\n1,\r\n?]", .unexpectedCharacter, at: 3, 1)
    expectParseError("[\n\n\n  ?]", .unexpectedCharacter, at: 4, 3)
    expectParseError("[\r?]", .unexpectedCharacter, at: 1, 3)
  }

  @Test("An error describes itself as line:column: message")
  func description() throws {
    do {
      _ = try JSONParser.parse("{\n  \"a\": [1, 2,]\n}")
      Issue.record("expected an error")
    } catch {
      #expect(error.kind == .trailingComma)
      // The error points at the comma itself.
      #expect(error.location == StepFunctionsJSON.SourceLocation(line: 2, column: 13, offset: 14))
      #expect(error.description == "2:13: \(error.message)")
      #expect(error.message.contains("trailing comma"))
    }
  }

  @Test("Messages name the offending character")
  func messages() {
    func message(_ text: String) -> String {
      do {
        _ = try JSONParser.parse(text)
        return ""
      } catch { return error.message }
    }
    #expect(message("[1 @]").contains("'@'"))
    #expect(message("[1 é]").contains("'é'"))
    #expect(message("[\u{1}]").contains("U+0001"))
    #expect(message("\"\\q\"").contains("\\q"))
    #expect(message("{'a':1}").contains("double quotes"))
    #expect(message("[1 // x\n]").contains("comments"))
    #expect(message("NaN").contains("NaN"))
    #expect(message(#""\uDC00""#).contains("DC00"))
  }

  @Test(
    "An invalid UTF-8 byte is named once, in hexadecimal",
    arguments: [[0xFF], [0x5B, 0xFF, 0x5D], quoted([0x61, 0xFE]), [0x31, 0x20, 0xC0, 0x80]])
  func invalidByteMessage(_ bytes: [UInt8]) throws {
    let error = try #require(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
    let byte = try #require(bytes.first { $0 >= 0x80 })
    let named = "invalid UTF-8 byte 0x\(String(byte, radix: 16, uppercase: true))"
    #expect(error.message == named || error.message == named + " in a string")
  }

  @Test("Empty text has one message, whatever its white space", arguments: ["", " ", "\n\t\r\n"])
  func emptyMessage(_ text: String) throws {
    let error = try #require(throws: JSONParseError.self) { try JSONParser.parse(text) }
    #expect(error.kind == .emptyInput)
    #expect(error.message == JSONParseError.emptyInputMessage)
    #expect(error.message == "the text is empty; expected a JSON value")
  }

  @Test("Rejected duplicate keys point at the repeated key")
  func duplicateKeyError() {
    let options = JSONParser.Options(rejectsDuplicateKeys: true)
    expectParseError(
      "{\"States\": {},\n \"States\": {}}", .duplicateKey, at: 2, 2, options: options)
  }
}
