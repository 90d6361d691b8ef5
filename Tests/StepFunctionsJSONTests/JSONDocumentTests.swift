import StepFunctionsJSON
import Testing

@Suite("Source locations")
struct JSONDocumentTests {
  static let definition = """
    {
      "Comment": "Transcode a video",
      "StartAt": "Transcode",
      "States": {
        "Transcode": {
          "Type": "Task",
          "Resource": "arn:aws:states:::mediaconvert:createJob.sync",
          "Retry": [
            {
              "ErrorEquals": ["States.ALL"],
              "BackoffRate": 2.5,
              "MaxAttempts": 3
            }
          ],
          "End": true
        }
      }
    }
    """

  @Test("A pointer into a definition maps to the line and column where its value starts")
  func valueLocations() throws {
    let document = try JSONParser.parseDocument(Array(Self.definition.utf8))
    let cases: [(String, Int, Int)] = [
      ("", 1, 1), ("/Comment", 2, 14), ("/States", 4, 13), ("/States/Transcode", 5, 18),
      ("/States/Transcode/Retry", 8, 16), ("/States/Transcode/Retry/0", 9, 9),
      ("/States/Transcode/Retry/0/ErrorEquals/0", 10, 27),
      ("/States/Transcode/Retry/0/BackoffRate", 11, 26), ("/States/Transcode/End", 15, 14),
    ]
    for (text, line, column) in cases {
      let pointer = try #require(JSONPointer(parsing: text))
      let location = document.location(of: pointer)
      #expect(location.line == line, "\(text)")
      #expect(location.column == column, "\(text)")
      // The offset points at the first byte of the value's text.
      let resolved = try #require(pointer.resolve(in: document.value))
      let written = resolved.serialized()
      let slice = document.source.bytes[location.offset...].prefix(written.utf8.count)
      if case .object = resolved {
      } else if case .array = resolved {
      } else {
        #expect(Array(slice) == Array(written.utf8), "\(text)")
      }
    }
  }

  @Test("Key locations point at the key; missing pointers fall back to the nearest parent")
  func keyLocations() throws {
    let document = try JSONParser.parseDocument(Array(Self.definition.utf8))
    let backoff = JSONPointer(["States", "Transcode", "Retry", "0", "BackoffRate"])
    #expect(document.keyLocation(of: backoff).description == "11:11")
    #expect(document.location(of: backoff).description == "11:26")
    // An array element has no key: its key location is its value location.
    #expect(document.keyLocation(of: ["States", "Transcode", "Retry", "0"]).description == "9:9")
    // A pointer to something absent reports its nearest existing ancestor.
    #expect(document.location(of: ["States", "Transcode", "Next"]).description == "5:18")
    #expect(document.keyLocation(of: ["States", "Missing", "Type"]).description == "4:13")
    #expect(document.location(of: ["Nope"]).description == "1:1")
  }

  @Test("Every value of a document has a recorded location")
  func everyValueRecorded() throws {
    let document = try JSONParser.parseDocument(Array(Self.definition.utf8))
    var pointers: [JSONPointer] = []
    func walk(_ value: JSON, _ pointer: JSONPointer) {
      pointers.append(pointer)
      switch value {
      case .array(let elements):
        for (index, element) in elements.enumerated() { walk(element, pointer.appending(index)) }
      case .object(let object):
        for (key, member) in object { walk(member, pointer.appending(key)) }
      default: break
      }
    }
    walk(document.value, JSONPointer())
    #expect(Set(pointers) == Set(document.valueOffsets.keys))
    #expect(
      document.keyOffsets.count
        == pointers.filter { pointer in
          guard let parent = pointer.parent else { return false }
          return parent.resolve(in: document.value)?.objectValue != nil
        }.count)
    #expect(document.duplicateKeys.isEmpty)
  }

  @Test("Locations count Unicode scalars in columns")
  func unicodeColumns() throws {
    let text = "{\"名前\": \"é😀\", \"x\": [1, 2]}"
    let document = try JSONParser.parseDocument(Array(text.utf8))
    #expect(document.location(of: ["名前"]).description == "1:8")
    #expect(document.keyLocation(of: ["x"]).description == "1:14")
    #expect(document.location(of: ["x", "1"]).description == "1:23")
  }

  @Test("A repeated key's locations describe the value that was kept")
  func duplicateKeyLocations() throws {
    let text = """
      {"a": {"old": 1},
       "b": 2,
       "a": {"new": 3}}
      """
    let document = try JSONParser.parseDocument(Array(text.utf8))
    #expect(document.value == ["a": ["new": 3], "b": 2])
    #expect(document.duplicateKeys.map(\.pointer) == [["a"]])
    #expect(
      document.source.location(ofOffset: document.duplicateKeys[0].offset).description == "3:2")
    #expect(document.location(of: ["a"]).description == "3:7")
    #expect(document.location(of: ["a", "new"]).description == "3:15")
    // The first key keeps its position in the object and its key location.
    #expect(document.keyLocation(of: ["a"]).description == "1:2")
    // Nothing is left pointing into the replaced value.
    #expect(document.valueOffsets[["a", "old"]] == nil)
    #expect(document.keyOffsets[["a", "old"]] == nil)
  }

  @Test("Offsets map to lines and columns, clamped to the text")
  func sourceText() {
    let source = SourceText("ab\ncé\r\n\nx")
    #expect(source.lineCount == 4)
    #expect(source.location(ofOffset: 0) == SourceLocation(line: 1, column: 1, offset: 0))
    #expect(source.location(ofOffset: 2).description == "1:3")
    #expect(source.location(ofOffset: 3).description == "2:1")
    #expect(source.location(ofOffset: 4).description == "2:2")
    #expect(source.location(ofOffset: 5).description == "2:2")  // inside "é": counted as "é"
    #expect(source.location(ofOffset: 6).description == "2:3")  // the CR after "é"
    #expect(source.location(ofOffset: 8).description == "3:1")
    #expect(source.location(ofOffset: 9).description == "4:1")
    #expect(source.location(ofOffset: 100) == SourceLocation(line: 4, column: 2, offset: 10))
    #expect(source.location(ofOffset: -5) == SourceLocation(line: 1, column: 1, offset: 0))
    #expect(source.lineText(2) == "cé")
    #expect(source.lineText(3) == "")
    #expect(source.lineText(4) == "x")
    #expect(source.lineText(0) == nil)
    #expect(source.lineText(5) == nil)
    #expect(SourceText("").location(ofOffset: 0).description == "1:1")
  }

  @Test("Each byte that is not valid UTF-8 counts as one column")
  func invalidBytesColumns() {
    // "a", a stray continuation byte, "é", a truncated sequence (E2 82), "b".
    let source = SourceText([0x61, 0x80, 0xC3, 0xA9, 0xE2, 0x82, 0x62])
    let columns = (0...7).map { source.location(ofOffset: $0).column }
    #expect(columns == [1, 2, 3, 3, 4, 5, 6, 7])
  }

  @Test("A byte-order mark takes no column and is not part of the first line")
  func byteOrderMarkColumns() {
    let source = SourceText([0xEF, 0xBB, 0xBF, 0x7B, 0x7D, 0x0A, 0x31])
    #expect(source.hasByteOrderMark)
    #expect(!SourceText("{}").hasByteOrderMark)
    #expect(source.location(ofOffset: 0).column == 1)
    #expect(source.location(ofOffset: 3).column == 1)
    #expect(source.location(ofOffset: 4).column == 2)
    #expect(source.location(ofOffset: 6).description == "2:1")
    #expect(source.lineText(1) == "{}")
    #expect(source.lineText(2) == "1")
  }

  @Test("Values replaced by repeated keys, nested and many times, leave no stale locations")
  func manyDuplicates() throws {
    var text = "{"
    for index in 0..<2_000 { text += #""k": {"n\#(index)": [\#(index)]}, "# }
    text += #""k": {"last": [true]}, "x": {"k": 1, "k": {"deep": {"k": 2, "k": 3}}}}"#
    let document = try JSONParser.parseDocument(Array(text.utf8))
    #expect(document.value == ["k": ["last": [true]], "x": ["k": ["deep": ["k": 3]]]])
    #expect(document.duplicateKeys.count == 2_000 + 2)
    #expect(
      Set(document.valueOffsets.keys) == [
        [], ["k"], ["k", "last"], ["k", "last", "0"], ["x"], ["x", "k"], ["x", "k", "deep"],
        ["x", "k", "deep", "k"],
      ])
    #expect(
      Set(document.keyOffsets.keys) == [
        ["k"], ["k", "last"], ["x"], ["x", "k"], ["x", "k", "deep"], ["x", "k", "deep", "k"],
      ])
    // The kept value is the "3" right before the closing "}}}}".
    #expect(document.location(of: ["x", "k", "deep", "k"]).column == text.count - 4)
  }

  @Test(
    "Array tokens are canonical indexes: others resolve to the array",
    arguments: ["01", "-1", "+1", "1.0", "", "3", "99999999999999999999", "x"])
  func arrayTokens(token: String) throws {
    let document = try JSONParser.parseDocument(Array(#"{"a": [10, 20, 30]}"#.utf8))
    #expect(document.location(of: ["a", token]) == document.location(of: ["a"]))
    #expect(document.keyLocation(of: ["a", token]) == document.location(of: ["a"]))
    #expect(document.location(of: ["a", "2"]).description == "1:16")
    // An element has no key: its key location is its own.
    #expect(document.keyLocation(of: ["a", "2"]).description == "1:16")
  }

  @Test("Locations describe the text as parsed, whatever is done to the value afterwards")
  func locationsOutliveChanges() throws {
    var document = try JSONParser.parseDocument(Array(#"{"a": {"b": [1, {"c": 2}]}}"#.utf8))
    let before = document.location(of: ["a", "b", "1", "c"])
    #expect(before.description == "1:23")
    document.value = ["a": "replaced"]
    #expect(document.location(of: ["a", "b", "1", "c"]) == before)
    #expect(document.valueOffsets.count == 6)
  }

  @Test("Lookups in a document with many members and elements stay exact")
  func wideDocument() throws {
    var text = "{"
    for number in 0..<2000 {
      if number > 0 { text += ",\n" }
      text += "\"k\(number)\": [\(number), {\"v\": \(number)}]"
    }
    text += "}"
    let document = try JSONParser.parseDocument(Array(text.utf8))
    for number in [0, 1, 999, 1999] {
      #expect(document.keyLocation(of: ["k\(number)"]).line == number + 1)
      #expect(document.location(of: ["k\(number)", "1", "v"]).line == number + 1)
      #expect(
        document.location(of: ["k\(number)", "1", "v"]).offset
          == document.valueOffsets[["k\(number)", "1", "v"]])
    }
  }

  @Test("Locations order by offset")
  func ordering() {
    let early = SourceLocation(line: 1, column: 9, offset: 8)
    let late = SourceLocation(line: 2, column: 1, offset: 10)
    #expect(early < late)
    #expect([late, early].sorted() == [early, late])
  }
}
