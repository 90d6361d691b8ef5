import StepFunctionsJSON
import Testing

@Suite("JSON Pointer")
struct JSONPointerTests {
  /// The example document of RFC 6901, section 5.
  static let rfcDocument: JSON = [
    "foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\j": 5,
    "k\"l": 6, " ": 7, "m~n": 8,
  ]

  @Test(
    "The RFC 6901 examples resolve",
    arguments: [
      ("", JSONPointerTests.rfcDocument), ("/foo", ["bar", "baz"]), ("/foo/0", "bar"), ("/", 0),
      ("/a~1b", 1), ("/c%d", 2), ("/e^f", 3), ("/g|h", 4), ("/i\\j", 5), ("/k\"l", 6), ("/ ", 7),
      ("/m~0n", 8),
    ] as [(String, JSON)])
  func rfcExamples(text: String, expected: JSON) throws {
    let pointer = try #require(JSONPointer(parsing: text))
    #expect(pointer.resolve(in: Self.rfcDocument) == expected)
    #expect(pointer.description == text)
  }

  @Test(
    "Tokens are unescaped ~1 first, then ~0",
    arguments: [
      ("/~01", ["~1"]), ("/~10", ["/0"]), ("/~0~1", ["~/"]), ("/a/b", ["a", "b"]),
      ("//", ["", ""]), ("/a/", ["a", ""]), ("/é/😀", ["é", "😀"]), ("/~0~0", ["~~"]),
    ] as [(String, [String])])
  func unescaping(text: String, tokens: [String]) throws {
    let pointer = try #require(JSONPointer(parsing: text))
    #expect(pointer.tokens == tokens)
    #expect(pointer.description == text)
  }

  @Test(
    "Malformed pointers are rejected",
    arguments: ["a", "a/b", "#/a", "/~", "/~2", "/a~", "/~a", "/~\u{301}0"])
  func malformed(text: String) {
    #expect(JSONPointer(parsing: text) == nil)
  }

  @Test("Escaping works on code points, even next to combining marks")
  func combiningMarks() throws {
    // "/" + U+0301 is one Character but two code points: the slash must still be escaped.
    let key = "a/\u{301}b~\u{301}"
    let pointer = JSONPointer([key, "x"])
    #expect(pointer.description == "/a~1\u{301}b~0\u{301}/x")
    #expect(JSONPointer(parsing: pointer.description) == pointer)
    // And a bare "/" + combining mark separates tokens.
    #expect(JSONPointer(parsing: "/a/\u{301}")?.tokens == ["a", "\u{301}"])
  }

  @Test("Printing and parsing round-trip for arbitrary tokens")
  func roundTrip() throws {
    let tokens = ["", "~", "/", "~1", "~0/", "States", "Retry", "0", "é/~😀", " "]
    for first in tokens {
      for second in tokens {
        let pointer = JSONPointer([first, second])
        #expect(JSONPointer(parsing: pointer.description) == pointer)
      }
    }
    #expect(JSONPointer().description == "")
    #expect(JSONPointer(parsing: "") == JSONPointer())
  }

  @Test("Array indices must be plain decimal without leading zeros")
  func arrayIndices() throws {
    let value: JSON = ["list": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]]
    let cases: [(String, JSON?)] = [
      ("/list/0", "a"), ("/list/10", "k"), ("/list/11", nil), ("/list/01", nil),
      ("/list/00", nil), ("/list/-", nil), ("/list/-1", nil), ("/list/+1", nil),
      ("/list/1.0", nil), ("/list/ 1", nil), ("/list/1e0", nil), ("/list/", nil),
      ("/list/99999999999999999999999", nil), ("/list/٣", nil),
    ]
    for (text, expected) in cases {
      let pointer = try #require(JSONPointer(parsing: text))
      #expect(pointer.resolve(in: value) == expected, "\(text)")
    }
  }

  @Test("Resolution fails through scalars and missing members")
  func resolutionFailures() {
    let value: JSON = ["a": ["b": 1, "0": "zero"], "s": "text", "n": nil]
    #expect(JSONPointer(["a", "b"]).resolve(in: value) == 1)
    #expect(JSONPointer(["a", "0"]).resolve(in: value) == "zero")
    #expect(JSONPointer(["a", "c"]).resolve(in: value) == nil)
    #expect(JSONPointer(["s", "0"]).resolve(in: value) == nil)
    #expect(JSONPointer(["n"]).resolve(in: value) == .null)
    #expect(JSONPointer(["n", "x"]).resolve(in: value) == nil)
    #expect(JSONPointer(["a", "b", "c"]).resolve(in: value) == nil)
  }

  @Test("Pointers build up and walk back")
  func building() {
    let pointer = JSONPointer().appending("States").appending("Transcode").appending("Retry")
      .appending(0).appending("BackoffRate")
    #expect(pointer.description == "/States/Transcode/Retry/0/BackoffRate")
    #expect(pointer.parent?.description == "/States/Transcode/Retry/0")
    #expect(JSONPointer(["a"]).parent == JSONPointer())
    #expect(JSONPointer().parent == nil)
    #expect(JSONPointer.escape("a~b/c") == "a~0b~1c")
    #expect(JSONPointer.escape("plain") == "plain")
  }
}
