import StepFunctionsJSON
import Testing

@Suite("Parsing valid JSON")
struct JSONParserTests {
  @Test("Every kind of value parses")
  func allKinds() throws {
    let value = try JSONParser.parse(
      #" { "n": null, "t": true, "f": false, "i": -12, "d": 2.5e-1, "s": "hi", "a": [1, [], {}], "o": {"k": "v"} } "#
    )
    let expected: JSON = [
      "n": nil, "t": true, "f": false, "i": -12, "d": 0.25, "s": "hi", "a": [1, [], [:]],
      "o": ["k": "v"],
    ]
    #expect(value == expected)
    #expect(value.objectValue?.keys == ["n", "t", "f", "i", "d", "s", "a", "o"])
  }

  @Test(
    "A top-level scalar is a valid document",
    arguments: [
      ("null", JSON.null), ("true", true), ("false", false), ("0", 0), ("-1.5", -1.5),
      (#""text""#, "text"), ("[]", []), ("{}", [:]), (" \t\r\n 7 \n", 7),
    ] as [(String, JSON)])
  func topLevelScalars(text: String, expected: JSON) throws {
    #expect(try JSONParser.parse(text) == expected)
  }

  @Test(
    "Escapes decode to the characters they name",
    arguments: [
      (#""\"""#, "\""), (#""\\""#, "\\"), (#""\/""#, "/"), (#""\b""#, "\u{08}"),
      (#""\f""#, "\u{0C}"), (#""\n""#, "\n"), (#""\r""#, "\r"), (#""\t""#, "\t"),
      (#""\u00e9""#, "é"), (#""\u00E9""#, "é"), (#""\u0000""#, "\u{0}"),
      (#""\u001f""#, "\u{1F}"), (#""\u4e2d\u6587""#, "中文"), (#""\uFFFF""#, "\u{FFFF}"),
      (#""\ud83d\ude00""#, "😀"), (#""\uD83C\uDD97""#, "🆗"), (#""\uDBFF\uDFFF""#, "\u{10FFFF}"),
      (#""a\nb\tc\u0041""#, "a\nb\tcA"), (#""caf\u00e9 \u2603 ok""#, "café ☃ ok"),
      (#""é😀 raw""#, "é😀 raw"), (#""\\u0041""#, "\\u0041"),
    ])
  func escapes(text: String, expected: String) throws {
    #expect(try JSONParser.parse(text) == .string(expected))
  }

  @Test("Escaped and raw forms of the same key are the same key")
  func escapedKeys() throws {
    let document = try JSONParser.parseDocument(Array(#"{"caf\u00e9": 1, "café": 2}"#.utf8))
    #expect(document.value == ["café": 2])
    #expect(document.duplicateKeys.map(\.pointer) == [["café"]])
  }

  @Test("A UTF-8 byte-order mark is skipped")
  func byteOrderMark() throws {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(#"{"a": [1]}"#.utf8)
    #expect(try JSONParser.parse(bytes) == ["a": [1]])
    let document = try JSONParser.parseDocument(bytes)
    #expect(document.location(of: []).column == 1)
    #expect(document.location(of: ["a"]).column == 7)
    #expect(document.location(of: ["a", "0"]).column == 8)
    #expect(document.source.lineText(1) == #"{"a": [1]}"#)
    // Only a leading mark is skipped.
    expectParseError([0x20, 0xEF, 0xBB, 0xBF, 0x31], .unexpectedCharacter, at: 1, 2)
    expectParseError([0xEF, 0xBB, 0xBF], .emptyInput, at: 1, 1)
  }

  @Test("Nesting up to the limit parses; one level more is an error")
  func depthLimit() throws {
    let limit = 512
    let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
    let value = try JSONParser.parse(deepest)
    var depth = 0
    var current = value
    while case .array(let elements) = current {
      depth += 1
      guard let first = elements.first else { break }
      current = first
    }
    #expect(depth == limit)
    let tooDeep = "[" + deepest + "]"
    expectParseError(tooDeep, .nestingTooDeep, at: 1, limit + 1)
    let objects =
      String(repeating: #"{"a":"#, count: limit + 1) + "1"
      + String(repeating: "}", count: limit + 1)
    expectParseError(objects, .nestingTooDeep, at: 1, 5 * limit + 1)
  }

  @Test("The depth limit is configurable")
  func customDepth() throws {
    let options = JSONParser.Options(maximumDepth: 2)
    #expect(try JSONParser.parse("[[1]]", options: options) == [[1]])
    #expect(try JSONParser.parse(#"{"a":{"b":1}}"#, options: options) == ["a": ["b": 1]])
    expectParseError("[[[1]]]", .nestingTooDeep, at: 1, 3, options: options)
    expectParseError(#"[{"a":[]}]"#, .nestingTooDeep, at: 1, 7, options: options)
    // Scalars do not count as a level.
    #expect(try JSONParser.parse("1", options: JSONParser.Options(maximumDepth: 0)) == 1)
    expectParseError("[]", .nestingTooDeep, at: 1, 1, options: JSONParser.Options(maximumDepth: 0))
  }

  @Test("Deep nesting far past the limit fails cleanly instead of overflowing the stack")
  func hugeNesting() {
    let count = 200_000
    expectParseError(String(repeating: "[", count: count), .nestingTooDeep, at: 1, 513)
    expectParseError(String(repeating: #"{"":"#, count: count), .nestingTooDeep, at: 1, 4 * 512 + 1)
  }

  @Test("Duplicate keys keep the first position and the last value")
  func duplicateKeys() throws {
    let document = try JSONParser.parseDocument(Array(#"{"a": 1, "b": 2, "a": 3}"#.utf8))
    #expect(document.value.objectValue?.keys == ["a", "b"])
    #expect(document.value["a"] == 3)
    #expect(document.duplicateKeys.map(\.pointer) == [["a"]])
    #expect(document.duplicateKeys.map(\.offset) == [17])
  }

  @Test("Duplicate keys are an error when the parser is told to reject them")
  func rejectDuplicateKeys() {
    let options = JSONParser.Options(rejectsDuplicateKeys: true)
    expectParseError("{\"a\": 1,\n  \"a\": 2}", .duplicateKey, at: 2, 3, options: options)
    expectParseError(#"[{"x":{"y":1,"y":2}}]"#, .duplicateKey, at: 1, 14, options: options)
    #expect((try? JSONParser.parse(#"{"a":{"a":1}}"#, options: options)) == ["a": ["a": 1]])
  }

  @Test("Strings and String-based entry points agree with bytes")
  func entryPoints() throws {
    let text = #"{"ключ": ["значение", 1.25]}"#
    let fromBytes = try JSONParser.parse(Array(text.utf8))
    #expect(try JSON(parsing: text) == fromBytes)
    #expect(try JSON(parsing: Array(text.utf8)) == fromBytes)
    #expect(fromBytes["ключ"]?[0] == "значение")
  }

  @Test("Long strings with and without escapes parse exactly")
  func longStrings() throws {
    let plain = String(repeating: "abcdéf😀", count: 5_000)
    #expect(try JSONParser.parse("\"" + plain + "\"") == .string(plain))
    let escapedText = String(repeating: #"x\"\\\n\u00e9"#, count: 5_000)
    let expected = String(repeating: "x\"\\\né", count: 5_000)
    #expect(try JSONParser.parse("\"" + escapedText + "\"") == .string(expected))
  }
}
