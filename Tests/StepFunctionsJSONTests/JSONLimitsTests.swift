import CorpusSupport
import Testing

@testable import StepFunctionsJSON

/// The limits that keep user-supplied JSON from exhausting the stack, the clock or the CPU:
/// the parser's depth ceiling (issue 10, #11) and size measurements that neither overflow nor
/// walk every copy of a value that is shared many times over.
@Suite("JSON limits")
struct JSONLimitsTests {
  /// `depth` nested arrays around `1`.
  static func nested(_ depth: Int) -> [UInt8] {
    Array((String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)).utf8)
  }

  @Test(
    "#11 maximumDepth is clamped to the ceiling, so 100,000 on 16k-deep input is an error, not a crash"
  )
  func depthCeiling() {
    let options = JSONParser.Options(maximumDepth: 100_000)
    #expect(options.maximumDepth == JSONParser.Options.depthCeiling)
    #expect(JSONParser.Options.depthCeiling == 1_000)
    var assigned = JSONParser.Options()
    assigned.maximumDepth = Int.max
    #expect(assigned.maximumDepth == 1_000)
    assigned.maximumDepth = -5
    #expect(assigned.maximumDepth == 0)
    #expect(JSONParser.Options().maximumDepth == 512)
    do {
      let value = try JSONParser.parse(Self.nested(16_384), options: options)
      Issue.record("parsed \(value.typeName)")
    } catch {
      #expect(error.kind == .nestingTooDeep)
      #expect(error.message.contains("nested more than 1000 deep"))
    }
    do {
      _ = try JSONParser.parseDocument(Self.nested(16_384), options: options)
      Issue.record("parsed a document past the ceiling")
    } catch {
      #expect(error.kind == .nestingTooDeep)
    }
  }

  @Test("Input as deep as the ceiling parses, prints, compares and hashes")
  func inputAtTheCeiling() throws {
    let options = JSONParser.Options(maximumDepth: .max)
    let value = try JSONParser.parse(Self.nested(1_000), options: options)
    let document = try JSONParser.parseDocument(Self.nested(1_000), options: options)
    #expect(value.serialized().utf8.count == 2_001)
    #expect(value.serialized(.pretty).utf8.count > 2_001)
    #expect(value.serializedByteCount == 2_001)
    #expect(value.serializedByteBound >= 2_001)
    #expect(value == document.value)
    #expect(Set([value, document.value]).count == 1)
  }

  /// An array holding the same array twice, `levels` deep: 2^levels copies of `[0]` in only
  /// `levels` allocations.
  static func doubledArray(_ levels: Int) -> JSON {
    var value: JSON = [0]
    for _ in 0..<levels { value = .array([value, value]) }
    return value
  }

  /// The same with objects: `{"a": v, "b": v}`.
  static func doubledObject(_ levels: Int) -> JSON {
    var value: JSON = [0]
    for _ in 0..<levels { value = .object(["a": value, "b": value]) }
    return value
  }

  @Test("Measuring against a limit stops once it is passed, however much of the value is shared")
  func limitedMeasurement() {
    let array = Self.doubledArray(60)
    #expect(array.serializedByteCount(limit: 262_144) == 262_145)
    #expect(array.serializedByteBound(limit: 262_144) == 262_145)
    #expect(array.serializedByteBound == Int.max)
    let object = Self.doubledObject(70)
    #expect(object.serializedByteBound == Int.max)
    #expect(object.serializedByteCount(limit: 262_144) == 262_145)
    let small: JSON = ["a": [1, "x\n"], "b": .null]
    #expect(small.serializedByteCount(limit: 1_000) == small.serializedByteCount)
    #expect(small.serializedByteCount(limit: 1_000) == small.serialized().utf8.count)
    #expect(small.serializedByteCount(limit: 5) == 6)
    #expect(small.serializedByteBound(limit: 1_000) == small.serializedByteBound)
    #expect(JSON.string(String(repeating: "q", count: 1_000)).serializedByteCount(limit: 10) == 11)
    #expect(small.serializedByteCount(limit: Int.max) == small.serializedByteCount)
    #expect(small.serializedByteCount(limit: -1) == 0)
  }

  @Test("An unlimited count of a value larger than Int saturates instead of trapping")
  func unlimitedCountSaturates() {
    #expect(
      Self.doubledObject(3).serializedByteCount == Self.doubledObject(3).serialized().utf8.count)
    // 2^64 copies cannot be counted one by one; 2^40 would take hours. Two levels of 2^62-byte
    // bounds are enough to show the arithmetic saturates.
    let huge = Self.doubledObject(70)
    let pair: JSON = ["x": huge, "y": huge]
    #expect(pair.serializedByteBound == Int.max)
  }

  @Test("An object's kept bound saturates, and stays saturated when members change")
  func objectBoundSaturates() {
    let huge = Self.doubledObject(70)
    var object: JSONObject = ["small": 1]
    object.append(key: "huge", value: huge)
    #expect(JSON.object(object).serializedByteBound == Int.max)
    object.removeValue(forKey: "small")
    #expect(JSON.object(object).serializedByteBound == Int.max)
    object["huge"] = 1
    #expect(JSON.object(object).serializedByteBound == Int.max)
    let copy = object
    object["other"] = huge
    #expect(JSON.object(copy).serializedByteBound == Int.max)
    let fresh: JSONObject = ["a": 1, "b": "two"]
    #expect(JSON.object(fresh).serializedByteBound >= JSON.object(fresh).serializedByteCount)
  }
}

/// The parser keeps its own stack of open arrays and objects (issue 10: the recursive parser
/// overflowed a 512 KiB thread at about 400 levels): depth costs it no call stack, and errors
/// met inside nested values keep their messages and locations.
@Suite("JSON parser without recursion")
struct JSONParserStackTests {
  /// `{"a": [{"a": [ ... 1 ... ]}]}`: objects and arrays in turn, `depth` levels in all.
  static func alternating(_ depth: Int) -> [UInt8] {
    var open = ""
    var close = ""
    for level in 0..<depth {
      open += level % 2 == 0 ? #"{"a": "# : "["
      close = (level % 2 == 0 ? "}" : "]") + close
    }
    return Array((open + "1" + close).utf8)
  }

  @Test(
    "Input as deep as the ceiling parses, with locations, on a 128 KiB thread",
    arguments: [false, true])
  func ceilingOnASmallStack(objectsOnly: Bool) async throws {
    let bytes =
      objectsOnly
      ? Array(
        (String(repeating: #"{"k":"#, count: 1_000) + "true" + String(repeating: "}", count: 1_000))
          .utf8)
      : Self.alternating(1_000)
    let results = try await SmallStack.run(size: 128 * 1024) {
      let options = JSONParser.Options(maximumDepth: .max)
      let value = try JSONParser.parse(bytes, options: options)
      let document = try JSONParser.parseDocument(bytes, options: options)
      let pointer = JSONPointer(
        (0..<999).map { level in objectsOnly || level % 2 == 0 ? (objectsOnly ? "k" : "a") : "0" })
      return (
        value.nestingDepth, value == document.value, document.location(of: pointer).column,
        document.valueOffsets.count, document.keyOffsets.count
      )
    }
    #expect(results.0 == 1_000)
    #expect(results.1)
    // The innermost container starts after 999 openings of five bytes (objects only) or of
    // six and one bytes in turn.
    #expect(results.2 == (objectsOnly ? 999 * 5 + 1 : 500 * 6 + 499 * 1 + 1))
    #expect(results.3 == 1_001)
    #expect(results.4 == (objectsOnly ? 1_000 : 500))
  }

  @Test(
    "Errors past the ceiling or at the end of 1,000 open levels are located, on a 128 KiB thread")
  func errorsAtDepthOnASmallStack() async throws {
    let errors = try await SmallStack.run(size: 128 * 1024) {
      let options = JSONParser.Options(maximumDepth: .max)
      var found: [(JSONParseError.Kind, String, Int)] = []
      let inputs = [
        Self.alternating(1_001), Array(String(repeating: "[", count: 1_000).utf8),
        Array((String(repeating: #"{"a":"#, count: 1_000) + "1,}").utf8),
      ]
      for input in inputs {
        do throws(JSONParseError) {
          _ = try JSONParser.parseDocument(input, options: options)
        } catch {
          found.append((error.kind, error.message, error.location.column))
        }
      }
      return found.map { "\($0.0) \($0.1) @\($0.2)" }
    }
    #expect(
      errors == [
        "nestingTooDeep arrays and objects are nested more than 1000 deep @\(500 * 6 + 500 + 1)",
        "unexpectedEndOfInput unexpected end of input; expected a value @1001",
        "trailingComma trailing comma before '}' @\(1_000 * 5 + 2)",
      ])
  }

  /// A malformed input, the kind and message of its error and the column.
  struct NestedError: Sendable, CustomTestStringConvertible {
    var text: String
    var kind: JSONParseError.Kind
    var message: String
    var column: Int
    var options = JSONParser.Options()
    var testDescription: String { text }
  }

  static let nestedErrors: [NestedError] = [
    .init(text: "[[[1,]]]", kind: .trailingComma, message: "trailing comma before ']'", column: 5),
    .init(
      text: #"[{"a": {"b": 1,}}]"#, kind: .trailingComma, message: "trailing comma before '}'",
      column: 15),
    .init(
      text: #"{"a": [{"b" 1}]}"#, kind: .expectedColon,
      message: "unexpected '1'; expected ':' after the key", column: 13),
    .init(
      text: #"{"a": [[1 2]]}"#, kind: .expectedCommaOrEnd,
      message: "unexpected '2'; expected ',' or ']'", column: 11),
    .init(
      text: #"[{"a": 1 "b": 2}]"#, kind: .expectedCommaOrEnd,
      message: "unexpected '\"'; expected ',' or '}'", column: 10),
    .init(
      text: #"[[{"a": [1], 'b': 2}]]"#, kind: .expectedKey,
      message: "object keys must use double quotes, not single quotes", column: 14),
    .init(
      text: #"{"a": {"b": [1, 2"#, kind: .unexpectedEndOfInput,
      message: "unexpected end of input; expected ',' or ']'", column: 18),
    .init(
      text: #"{"a": {"b": {"#, kind: .unexpectedEndOfInput,
      message: "unexpected end of input; expected a string key", column: 14),
    .init(
      text: #"[[], {"x": [{}, [tru]]}]"#, kind: .unexpectedCharacter,
      message: "invalid literal; expected 'true'", column: 18),
    .init(
      text: #"{"a": [{"b": 1, "b": 2}]}"#, kind: .duplicateKey, message: #"duplicate key "b""#,
      column: 17, options: JSONParser.Options(rejectsDuplicateKeys: true)),
    .init(
      text: #"{"a": [{"b": [1]}]}"#, kind: .nestingTooDeep,
      message: "arrays and objects are nested more than 3 deep", column: 14,
      options: JSONParser.Options(maximumDepth: 3)),
    .init(
      text: "[[]]", kind: .nestingTooDeep,
      message: "arrays and objects are nested more than 0 deep",
      column: 1, options: JSONParser.Options(maximumDepth: 0)),
  ]

  @Test(
    "Errors inside nested arrays and objects keep their messages and locations",
    arguments: nestedErrors)
  func nestedError(_ testCase: NestedError) {
    let bytes = Array(testCase.text.utf8)
    for recordsLocations in [false, true] {
      do throws(JSONParseError) {
        if recordsLocations {
          _ = try JSONParser.parseDocument(bytes, options: testCase.options)
        } else {
          _ = try JSONParser.parse(bytes, options: testCase.options)
        }
        Issue.record("parsed \(testCase.text)")
      } catch {
        #expect(error.kind == testCase.kind)
        #expect(error.message == testCase.message)
        #expect(error.location.line == 1)
        #expect(error.location.column == testCase.column)
      }
    }
  }

  @Test("A repeated key deep inside keeps its first position and its last value, and is reported")
  func deepDuplicate() throws {
    let text = #"[{"x": [{"k": 1, "j": [], "k": {"m": 2}}]}]"#
    let document = try JSONParser.parseDocument(Array(text.utf8))
    #expect(document.value == [["x": [["k": ["m": 2], "j": []]]]])
    #expect(document.value.serialized() == #"[{"x":[{"k":{"m":2},"j":[]}]}]"#)
    #expect(document.duplicateKeys.map(\.pointer) == [["0", "x", "0", "k"]])
    #expect(document.duplicateKeys.map(\.offset) == [26])
    #expect(document.location(of: ["0", "x", "0", "k"]).column == 32)
    #expect(document.keyLocation(of: ["0", "x", "0", "k"]).column == 10)
    #expect(document.location(of: ["0", "x", "0", "k", "m"]).column == 38)
  }
}
