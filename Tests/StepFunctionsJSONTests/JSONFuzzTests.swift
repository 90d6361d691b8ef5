import StepFunctionsJSON
import Testing

@Suite("Fuzzing the parser")
struct JSONFuzzTests {
  /// Valid documents to mutate.
  static let seeds: [String] = [
    #"{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"x":[1,2.5,-3e2,true,false,null]},"End":true}}}"#,
    #"[0, -0, 1.5e3, 9223372036854775808, -1E-7, "a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00", {}, []]"#,
    "{\n  \"ключ\": \"значение\",\n  \"emoji\": \"😀\",\n  \"nested\": {\"a\": {\"b\": {\"c\": [[[]]]}}}\n}",
    #""just a string with \u0041 escapes""#,
    "123456789012345678901234567890",
    #"{"a":1,"a":2,"b":{"a":3}}"#,
  ]

  /// Bytes a mutation likes to insert: JSON syntax, escapes, digits and awkward UTF-8.
  static let alphabet: [UInt8] =
    Array(#"{}[],:"\/-+.eE0123456789tfnu aA"#.utf8) + [
      0x00, 0x0A, 0x0D, 0x09, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xEF, 0xF0, 0xF4,
      0xF8, 0xFF,
    ]

  /// Parses `bytes` and checks the contract: a located error, or a value that round-trips.
  static func check(_ bytes: [UInt8], recordingLocations: Bool) {
    do {
      let value: JSON
      if recordingLocations {
        let document = try JSONParser.parseDocument(bytes)
        value = document.value
        for offset in document.valueOffsets.values { #expect(offset >= 0 && offset < bytes.count) }
        for offset in document.keyOffsets.values { #expect(offset >= 0 && offset < bytes.count) }
      } else {
        value = try JSONParser.parse(bytes)
      }
      let written = JSONSerializer().bytes(value)
      let reread = try JSONParser.parse(written)
      #expect(reread == value, "\(bytes)")
      #expect(JSONSerializer().bytes(reread) == written, "\(bytes)")
      let pretty = JSONSerializer(style: .pretty).bytes(value)
      #expect(try JSONParser.parse(pretty) == value, "\(bytes)")
    } catch {
      let location = error.location
      #expect(location.offset >= 0 && location.offset <= bytes.count, "\(bytes): \(error)")
      #expect(location.line >= 1 && location.column >= 1, "\(bytes): \(error)")
      #expect(location.line <= SourceText(bytes).lineCount, "\(bytes): \(error)")
      #expect(!error.message.isEmpty)
    }
  }

  static func mutate(_ input: [UInt8], using generator: inout SplitMix64) -> [UInt8] {
    var bytes = input
    let rounds = Int.random(in: 1...4, using: &generator)
    for _ in 0..<rounds {
      let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &generator)
      switch Int.random(in: 0..<6, using: &generator) {
      case 0 where !bytes.isEmpty:  // flip one bit
        bytes[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &generator)
      case 1 where !bytes.isEmpty:  // replace a byte
        bytes[position] = alphabet.randomElement(using: &generator) ?? 0
      case 2:  // insert a byte
        bytes.insert(alphabet.randomElement(using: &generator) ?? 0, at: position)
      case 3 where !bytes.isEmpty:  // delete a byte
        bytes.remove(at: position)
      case 4 where !bytes.isEmpty:  // duplicate a slice
        let end = min(bytes.count, position + Int.random(in: 1...8, using: &generator))
        bytes.insert(contentsOf: bytes[position..<end], at: position)
      default:  // truncate
        bytes.removeSubrange(position..<bytes.count)
      }
    }
    return bytes
  }

  @Test("Mutated documents either fail with a located error or round-trip", arguments: 0..<4)
  func mutatedDocuments(shard: Int) {
    var generator = SplitMix64(seed: 0xC0FFEE &+ UInt64(shard))
    var failures = 0
    var successes = 0
    for iteration in 0..<1_000 {
      let seed = Self.seeds[iteration % Self.seeds.count]
      let bytes = Self.mutate(Array(seed.utf8), using: &generator)
      if (try? JSONParser.parse(bytes)) == nil { failures += 1 } else { successes += 1 }
      Self.check(bytes, recordingLocations: iteration % 3 == 0)
    }
    // The mutations exercise both outcomes.
    #expect(failures > 100)
    #expect(successes > 10)
  }

  @Test("Random byte strings never crash the parser", arguments: 0..<2)
  func randomBytes(shard: Int) {
    var generator = SplitMix64(seed: 0xBAD_5EED &+ UInt64(shard))
    for iteration in 0..<1_500 {
      let length = Int.random(in: 0...48, using: &generator)
      let bytes: [UInt8]
      if iteration % 2 == 0 {
        bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
      } else {
        bytes = (0..<length).map { _ in Self.alphabet.randomElement(using: &generator) ?? 0 }
      }
      Self.check(bytes, recordingLocations: iteration % 2 == 1)
    }
  }

  @Test("Every prefix of a valid document is handled")
  func prefixes() {
    for seed in Self.seeds {
      let bytes = Array(seed.utf8)
      for length in 0...bytes.count {
        Self.check(Array(bytes[..<length]), recordingLocations: true)
      }
    }
  }

  @Test("The generator is deterministic")
  func deterministic() {
    var a = SplitMix64(seed: 42)
    var b = SplitMix64(seed: 42)
    let first = (0..<8).map { _ in a.next() }
    #expect(first == (0..<8).map { _ in b.next() })
    #expect(Set(first).count == 8)
  }
}
