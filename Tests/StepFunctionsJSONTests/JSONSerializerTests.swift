import StepFunctionsJSON
import Testing

@Suite("Serializing JSON")
struct JSONSerializerTests {
  static let sample: JSON = [
    "name": "Transcode", "retry": [["ErrorEquals": ["States.ALL"], "BackoffRate": 1.5, "Max": 3]],
    "empty": [:], "list": [], "flag": false, "nothing": nil,
  ]

  @Test("Compact output has no white space and keeps member order")
  func compact() {
    #expect(
      Self.sample.serialized()
        == #"{"name":"Transcode","retry":[{"ErrorEquals":["States.ALL"],"BackoffRate":1.5,"Max":3}],"empty":{},"list":[],"flag":false,"nothing":null}"#
    )
  }

  @Test("Pretty output indents by two spaces, one member per line")
  func pretty() {
    let expected = """
      {
        "name": "Transcode",
        "retry": [
          {
            "ErrorEquals": [
              "States.ALL"
            ],
            "BackoffRate": 1.5,
            "Max": 3
          }
        ],
        "empty": {},
        "list": [],
        "flag": false,
        "nothing": null
      }
      """
    #expect(Self.sample.serialized(.pretty) == expected)
    #expect(JSON.number(JSONNumber(1)).serialized(.pretty) == "1")
  }

  @Test("The serializer entry points produce the same bytes")
  func entryPoints() {
    for style in [JSONSerializer.Style.compact, .pretty] {
      let serializer = JSONSerializer(style: style)
      var appended: [UInt8] = Array("prefix:".utf8)
      serializer.write(Self.sample, into: &appended)
      #expect(appended == Array("prefix:".utf8) + serializer.bytes(Self.sample))
      #expect(serializer.string(Self.sample) == Self.sample.serialized(style))
    }
    #expect(Self.sample.description == Self.sample.serialized())
  }

  @Test(
    "Control characters, quotes and backslashes are escaped; other text is written as UTF-8",
    arguments: [
      ("plain", #""plain""#), ("quote \" here", #""quote \" here""#),
      ("back\\slash", #""back\\slash""#), ("/", #""/""#), ("\n\r\t", #""\n\r\t""#),
      ("\u{08}\u{0C}", #""\b\f""#), ("\u{0}", #""\u0000""#), ("\u{1}\u{1F}", #""\u0001\u001f""#),
      ("\u{0B}", #""\u000b""#), ("\u{7F}", "\"\u{7F}\""), ("é😀中", #""é😀中""#),
      ("\u{2028}", "\"\u{2028}\""), ("", #""""#),
    ])
  func stringEscaping(text: String, written: String) throws {
    let value = JSON.string(text)
    #expect(value.serialized() == written)
    #expect(try JSONParser.parse(written) == value)
  }

  @Test("Every control character is escaped and reads back")
  func allControlCharacters() throws {
    var text = ""
    for code in 0..<0x20 { text.unicodeScalars.append(Unicode.Scalar(UInt8(code))) }
    let written = JSON.string(text).serialized()
    #expect(!written.utf8.contains(where: { $0 < 0x20 }))
    #expect(try JSONParser.parse(written) == .string(text))
  }

  @Test("Keys are escaped like strings")
  func keyEscaping() throws {
    let value: JSON = ["a\"b": 1, "line\nbreak": 2, "tab\t": ["\u{1}": true]]
    let written = value.serialized()
    #expect(written == #"{"a\"b":1,"line\nbreak":2,"tab\t":{"\u0001":true}}"#)
    #expect(try JSONParser.parse(written) == value)
  }

  @Test("Serialization is byte-stable across runs and copies")
  func stable() throws {
    let text =
      #"{"z":[3,2,1],"a":{"y":1.25,"x":"é"},"m":null,"big":123456789012345678901234567890}"#
    let value = try JSONParser.parse(text)
    let first = JSONSerializer().bytes(value)
    for _ in 0..<20 {
      let copy = value
      #expect(JSONSerializer().bytes(copy) == first)
    }
    #expect(String(decoding: first, as: UTF8.self) == text)
    let reread = try JSONParser.parse(first)
    #expect(JSONSerializer().bytes(reread) == first)
    #expect(
      JSONSerializer(style: .pretty).bytes(reread) == JSONSerializer(style: .pretty).bytes(value))
  }

  @Test("Numbers are written in their canonical form")
  func numbers() throws {
    let value = try JSONParser.parse(
      "[1.5e3, 1500, -0, -0.0, 1E-5, 1e20, 0.1, 9223372036854775808]")
    #expect(value.serialized() == "[1500.0,1500,0,-0.0,1e-05,1e+20,0.1,9223372036854775808]")
  }

  @Test("Pretty output parses back to the same value and the same compact text")
  func prettyRoundTrip() throws {
    let pretty = Self.sample.serialized(.pretty)
    let reread = try JSONParser.parse(pretty)
    #expect(reread == Self.sample)
    #expect(reread.serialized() == Self.sample.serialized())
  }
}
