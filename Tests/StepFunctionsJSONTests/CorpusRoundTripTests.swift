import CorpusSupport
import Foundation
import StepFunctionsJSON
import Testing

@Suite("Corpus round trips", .requiresCorpus)
struct CorpusRoundTripTests {
  @Test(
    "Every recorded execution parses and round-trips",
    arguments: Corpus.pureExecutionFiles())
  func roundTrip(file: String) throws {
    let url = Corpus.pureExecutions.appendingPathComponent(file)
    let bytes = Array(try Data(contentsOf: url))
    let document = try JSONParser.parseDocument(bytes)
    let value = document.value
    #expect(document.duplicateKeys.isEmpty)

    let compact = JSONSerializer().bytes(value)
    let reread = try JSONParser.parse(compact)
    #expect(reread == value)
    // Byte-stable: writing the re-read value gives the same bytes (so key order survived).
    #expect(JSONSerializer().bytes(reread) == compact)

    let pretty = JSONSerializer(style: .pretty).bytes(value)
    #expect(try JSONParser.parse(pretty) == value)
    #expect(JSONSerializer(style: .pretty).bytes(try JSONParser.parse(pretty)) == pretty)

    // Every recorded pointer resolves, and its offset starts the value's text.
    for (pointer, offset) in document.valueOffsets {
      let resolved = pointer.resolve(in: value)
      #expect(resolved != nil, "\(pointer)")
      #expect(offset < bytes.count)
    }
  }

  /// Whether `bytes` has white space outside strings (so it is not in compact form).
  static func hasInsignificantWhitespace(_ bytes: [UInt8]) -> Bool {
    var inString = false
    var escaped = false
    for byte in bytes {
      if inString {
        if escaped {
          escaped = false
        } else if byte == 0x5C {
          escaped = true
        } else if byte == 0x22 {
          inString = false
        }
      } else if byte == 0x22 {
        inString = true
      } else if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
        return true
      }
    }
    return false
  }

  /// The JSON texts AWS recorded in an execution's events: `input`/`output` that were kept as
  /// text (the corpus decodes only texts that start with `{`) and assigned variable values.
  static func payloadTexts(in execution: JSON) -> [String] {
    var texts: [String] = []
    for event in execution["expected"]?["events"]?.arrayValue ?? [] {
      for (key, details) in event.objectValue ?? JSONObject() where key.hasSuffix("EventDetails") {
        for field in ["input", "output"] {
          if let text = details[field]?.stringValue { texts.append(text) }
        }
        for (_, value) in details["assignedVariables"]?.objectValue ?? JSONObject() {
          if let text = value.stringValue { texts.append(text) }
        }
      }
    }
    return texts
  }

  @Test(
    "Compact payload texts recorded from AWS are reproduced byte for byte",
    arguments: Corpus.pureExecutionFiles())
  func recordedPayloadTexts(file: String) throws {
    let url = Corpus.pureExecutions.appendingPathComponent(file)
    let execution = try JSONParser.parse(Array(try Data(contentsOf: url)))
    for text in Self.payloadTexts(in: execution) {
      let bytes = Array(text.utf8)
      // Text with spaces is the caller's own input, which AWS passes through unchanged.
      guard !Self.hasInsignificantWhitespace(bytes) else { continue }
      let value = try JSONParser.parse(bytes)
      #expect(JSONSerializer().bytes(value) == bytes, "\(text)")
    }
  }

  @Test("The corpus has execution files and compact payload texts to check")
  func corpusIsNotEmpty() throws {
    let files = Corpus.pureExecutionFiles()
    #expect(files.count > 100)
    var compactTexts = 0
    for file in files {
      let url = Corpus.pureExecutions.appendingPathComponent(file)
      let execution = try JSONParser.parse(Array(try Data(contentsOf: url)))
      compactTexts +=
        Self.payloadTexts(in: execution).filter {
          !Self.hasInsignificantWhitespace(Array($0.utf8))
        }.count
    }
    // The byte-for-byte payload test has real material to compare.
    #expect(compactTexts > 100)
  }
}
