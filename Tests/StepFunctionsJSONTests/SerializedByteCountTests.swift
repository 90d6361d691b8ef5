import StepFunctionsJSON
import Testing

@Suite("The serialized byte count matches the serializer")
struct SerializedByteCountTests {
  static let values: [JSON] = [
    nil, true, false, 0, -1, 9, 10, -10, 99, 100, 123_456_789, .number(JSONNumber(Int64.max)),
    .number(JSONNumber(Int64.min)), 0.5, -0.0, 1e-05, 1.5e+20, 3.3,
    .number(JSONNumber(integerDigits: "123456789012345678901234567890") ?? JSONNumber(0)), "",
    "plain",
    "quote \" backslash \\ slash /", "controls \u{08}\u{0C}\n\r\t and \u{01}\u{1F}",
    "non-ASCII é ✓ 😀", .string(String(repeating: "long text with \"escapes\" ", count: 40)), [],
    [1, "two", nil], [:], ["a": 1], ["k\"ey": ["nested": [true, false, ["deep": "x\n"]]]],
    .object(JSONObject((0..<20).map { ("key\($0)", JSON.number(JSONNumber($0))) })),
  ]

  @Test("The count equals the length of the compact serialization", arguments: values)
  func countMatchesSerializer(value: JSON) {
    #expect(value.serializedByteCount == JSONSerializer().bytes(value).count)
  }

  @Test("The count of a parsed document equals the length of its compact serialization")
  func countMatchesForParsedText() throws {
    let text =
      #"{"name":"vidéo","tags":["a","b"],"n":[1,-2,3.25,1e300],"o":{"x":null,"y":"\u0000\t"}}"#
    let value = try JSONParser.parse(text)
    #expect(value.serializedByteCount == JSONSerializer().bytes(value).count)
  }
}

@Suite("The serialized byte bound is never below the count")
struct SerializedByteBoundTests {
  @Test("The bound is at least the serialized length", arguments: SerializedByteCountTests.values)
  func boundIsAtLeastTheCount(value: JSON) {
    #expect(value.serializedByteBound >= value.serializedByteCount)
  }

  @Test("Integers of every bit length fit their bound, with at most one byte to spare")
  func integersOfEveryLength() {
    for bits in 0..<64 {
      let top = bits == 0 ? 0 : Int64(truncatingIfNeeded: (UInt64(1) << bits) - 1)
      let bottom = bits == 0 ? 0 : Int64(1) << (bits - 1)
      for magnitude in [top, bottom] {
        for value in [magnitude, -magnitude] {
          let json = JSON.number(JSONNumber(value))
          #expect(json.serializedByteBound >= json.serializedByteCount, "\(value)")
          #expect(json.serializedByteBound <= json.serializedByteCount + 1, "\(value)")
        }
      }
    }
    let extreme = JSON.number(JSONNumber(Int64.min))
    #expect(extreme.serializedByteBound >= extreme.serializedByteCount)
  }

  @Test("The longest Double texts fit the decimal bound")
  func longestDecimals() {
    for value in [
      -2.2250738585072014e-308, -1.7976931348623157e+308, -Double.leastNonzeroMagnitude,
      -0.00012345678901234567,
    ] {
      let json = JSON.number(JSONNumber(value))
      #expect(json.serializedByteBound >= json.serializedByteCount)
    }
  }
}

@Suite("Numbers serialize as their description")
struct NumberSerializationTests {
  @Test(
    "An integer is written as its digits",
    arguments: [0, 1, -1, 9, 10, -10, 1234567890, Int64.max, Int64.min, Int64.min + 1])
  func integerDigits(value: Int64) {
    #expect(JSON.number(JSONNumber(value)).serialized() == String(value))
  }
}
