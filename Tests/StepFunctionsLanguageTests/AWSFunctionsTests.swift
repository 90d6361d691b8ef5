import StepFunctionsJSON
import StepFunctionsJSONata
import StepFunctionsLanguage
import Testing

/// Evaluates `expression` with AWS's functions drawing from `seed`.
private func evaluate(_ expression: String, seed: UInt64 = 1) throws(JSONataError) -> JSON? {
  var options = JSONataOptions(randomSeed: seed)
  options.functions = AWSFunctions.functions(random: AWSFunctions.seededSource(seed: seed))
  return try JSONataExpression(parsing: expression).evaluate(input: nil, options: options)
}

/// The error code `expression` fails with, if it fails.
private func errorCode(_ expression: String) -> String? {
  do {
    _ = try evaluate(expression)
    return nil
  } catch {
    return error.code
  }
}

@Suite("AWS's JSONata functions")
struct AWSFunctionsTests {
  @Test("$partition splits an array into chunks, the last one shorter")
  func partition() throws {
    #expect(try evaluate("$partition([1,2,3,4,5], 2)") == [[1, 2], [3, 4], [5]])
    #expect(try evaluate("$partition([1,2,3], 5)") == [[1, 2, 3]])
    #expect(try evaluate("$partition([], 2)") == [])
    #expect(try evaluate("$partition([1,2,3], 2.9)") == [[1, 2], [3]], "rounded down")
    #expect(errorCode("$partition([1,2,3], 0)") == "D3137")
    #expect(errorCode("$partition([1,2,3], 0.5)") == "D3137")
  }

  @Test("$range counts from start towards end by step, end included when reached")
  func range() throws {
    #expect(try evaluate("$range(0, 10, 2)") == [0, 2, 4, 6, 8, 10])
    #expect(try evaluate("$range(0, 9, 2)") == [0, 2, 4, 6, 8])
    #expect(try evaluate("$range(5, 1, -2)") == [5, 3, 1])
    #expect(try evaluate("$range(1, 5, -1)") == [])
    #expect(
      try evaluate("$range(1, 9, 9)") == 1,
      "one item is the item (a JSONata sequence), as AWS answers")
    #expect(try evaluate("$range(0.9, 3.9, 1.5)") == [0, 1, 2, 3], "every argument rounded down")
    #expect(errorCode("$range(0, 10, 0)") == "D3137")
    #expect(errorCode("$range(0, 1e12, 1)") == "D3137")
    #expect(errorCode("$range(0, 10)") == "T0410")
  }

  @Test("$hash gives the hex digest for each algorithm States.Hash offers")
  func hash() throws {
    #expect(try evaluate("$hash('abc', 'MD5')") == "900150983cd24fb0d6963f7d28e17f72")
    #expect(try evaluate("$hash('abc', 'SHA-1')") == "a9993e364706816aba3e25717850c26c9cd0d89d")
    #expect(
      try evaluate("$hash('abc', 'SHA-256')")
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(try evaluate("$hash('abc', 'SHA-384')")?.stringValue?.count == 96)
    #expect(try evaluate("$hash('abc', 'SHA-512')")?.stringValue?.count == 128)
    #expect(errorCode("$hash('abc', 'SHA-3')") == "D3137")
  }

  @Test("$random is in [0, 1); a seed gives the same number each time, rounded down")
  func random() throws {
    let first = try #require(try evaluate("$random()", seed: 5)?.numberValue?.doubleValue)
    #expect(first >= 0 && first < 1)
    #expect(try evaluate("$random()", seed: 5) == .number(JSONNumber(first)))
    #expect(
      try evaluate("[$random(), $random()]", seed: 5) != [
        JSON.number(JSONNumber(first)), .number(JSONNumber(first)),
      ])
    let seeded = try evaluate("$random(42)", seed: 1)
    #expect(try evaluate("$random(42)", seed: 2) == seeded, "a seed ignores the source")
    #expect(try evaluate("$random(42.7)") == seeded)
    #expect(try evaluate("$random(43)") != seeded)
  }

  @Test("$uuid gives version-4 UUIDs from the random source")
  func uuid() throws {
    let text = try #require(try evaluate("$uuid()", seed: 9)?.stringValue)
    let parts = text.split(separator: "-").map(\.count)
    #expect(parts == [8, 4, 4, 4, 12])
    #expect(Array(text)[14] == "4")
    #expect("89ab".contains(Array(text)[19]))
    #expect(text == text.lowercased())
    #expect(try evaluate("$uuid()", seed: 9) == .string(text))
    #expect(try evaluate("$uuid() = $uuid()", seed: 9) == false)
  }

  @Test("$parse reads JSON text")
  func parse() throws {
    #expect(try evaluate(#"$parse('{"a": [1, {"b": null}]}')"#) == ["a": [1, ["b": nil]]])
    #expect(try evaluate("$parse('3')") == 3)
    #expect(errorCode("$parse('{')") == "D3137")
  }
}
