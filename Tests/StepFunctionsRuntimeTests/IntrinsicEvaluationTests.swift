import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

@testable import StepFunctionsRuntime

private func expectFailure(
  _ text: String, input: JSON = [:], causeContains fragment: String,
  sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
  guard let error = intrinsicFailure(text, input: input) else {
    Issue.record("\(text) succeeded; expected a failure", sourceLocation: sourceLocation)
    return
  }
  #expect(error.name == "States.IntrinsicFailure", sourceLocation: sourceLocation)
  #expect(error.cause.contains(fragment), "\(error.cause)", sourceLocation: sourceLocation)
}

private func parsed(_ text: String) -> JSON {
  (try? JSON(parsing: text)) ?? .null
}

@Suite("States.Format")
struct FormatTests {
  @Test(
    "Values are written the way AWS writes them",
    arguments: [
      (#""""#, "Formatting argument ."),
      (#"" ""#, "Formatting argument  ."),
      (#""HelloWorld""#, "Formatting argument HelloWorld."),
      ("null", "Formatting argument null."),
      ("1", "Formatting argument 1."),
      ("1.1", "Formatting argument 1.1."),
      ("true", "Formatting argument true."),
      (#""{\"Arg1\": 1, \"Arg2\": []}""#, #"Formatting argument {"Arg1": 1, "Arg2": []}."#),
      (#"{"Arg1": 1, "Arg2": []}"#, "Formatting argument {Arg1=1, Arg2=[]}."),
      (
        #"[1, "a", null, [true], {"k": {"n": 1.5}}]"#,
        "Formatting argument [1, a, null, [true], {k={n=1.5}}]."
      ),
      ("{}", "Formatting argument {}."),
    ])
  func rendering(input: String, expected: String) throws {
    let result = try runIntrinsic(
      "States.Format('Formatting argument {}.', $.FunctionInput)",
      input: ["FunctionInput": parsed(input)])
    #expect(result == .string(expected))
  }

  @Test("Placeholders are filled in order")
  func order() throws {
    let input: JSON = ["Error": "error string", "Cause": "cause string"]
    let result = try runIntrinsic(
      "States.Format('This is a custom error message for {}, caused by {}.', $.Error, $.Cause)",
      input: input)
    #expect(result == "This is a custom error message for error string, caused by cause string.")
  }

  @Test("Escaped braces, quotes and backslashes in a literal template are text")
  func escapes() throws {
    let result = try runIntrinsic(#"States.Format('\{"name": {}\} it\'s a \\ {}', 'Bob', 2)"#)
    #expect(result == #"{"name": Bob} it's a \ 2"#)
  }

  @Test("A template from a path may use placeholders and plain quotes")
  func templateFromPath() throws {
    let result = try runIntrinsic(
      "States.Format($.template, $.name)", input: ["template": "It's {}!", "name": "Pikachu"])
    #expect(result == "It's Pikachu!")
  }

  @Test("A template without placeholders and without values is returned as is")
  func noPlaceholders() throws {
    #expect(try runIntrinsic("States.Format('plain')") == "plain")
  }

  @Test("Values are never expanded again")
  func valuesNotExpanded() throws {
    #expect(try runIntrinsic("States.Format('{}', $.v)", input: ["v": "{}"]) == "{}")
  }

  @Test("An escaped backslash before a brace leaves the brace unmatched, as on AWS")
  func escapedBackslashThenBrace() {
    expectFailure(
      #"States.Format('Hello {}, e.g. \\{ "name": "Bob" \\}', $.n)"#, input: ["n": "x"],
      causeContains: "Invalid template in States.Format: matching '}' not found for '{'.")
  }

  @Test("A lone closing brace is an error")
  func loneClosingBrace() {
    expectFailure("States.Format('a } b')", causeContains: "matching '{' not found for '}'")
  }

  @Test("Too few or too many values are errors")
  func counts() {
    expectFailure(
      "States.Format('{} {}', 1)", causeContains: "2 placeholders '{}' but 1 value was given")
    expectFailure(
      "States.Format('{}', 1, 2)", causeContains: "1 placeholder '{}' but 2 values were given")
  }

  @Test("A template that is not a string is an error")
  func nonStringTemplate() {
    expectFailure(
      "States.Format($.t)", input: ["t": 5], causeContains: "must be a string, but it is a number")
  }
}

@Suite("JSON intrinsics")
struct JSONIntrinsicTests {
  @Test(
    "States.StringToJson parses JSON text as AWS does",
    arguments: [
      ("", "null"), (" ", "null"), ("null", "null"), ("-0", "0"), ("1", "1"), ("1.1", "1.1"),
      ("true", "true"), (#""HelloWorld""#, #""HelloWorld""#),
      (#"[1, 2, "HelloWorld"]"#, #"[1,2,"HelloWorld"]"#),
      (#"{"Arg1": 1, "Arg2": []}"#, #"{"Arg1":1,"Arg2":[]}"#),
      (" \n{\"a\": 1}\t", #"{"a":1}"#),
    ])
  func stringToJson(text: String, expected: String) throws {
    let result = try runIntrinsic("States.StringToJson($.s)", input: ["s": .string(text)])
    #expect(result.serialized() == expected)
  }

  @Test("States.StringToJson of a literal with raw double quotes works")
  func stringToJsonLiteral() throws {
    let result = try runIntrinsic(#"States.StringToJson('{"constant_in_literal": "false"}')"#)
    #expect(result == ["constant_in_literal": "false"])
  }

  @Test("States.StringToJson rejects invalid JSON and non-strings")
  func stringToJsonErrors() {
    expectFailure(
      "States.StringToJson($.s)", input: ["s": "{nope"], causeContains: "not valid JSON")
    expectFailure("States.StringToJson($.s)", input: ["s": "1 2"], causeContains: "not valid JSON")
    expectFailure(
      "States.StringToJson($.s)", input: ["s": 1],
      causeContains: "must be a string, but it is a number")
  }

  @Test(
    "States.JsonToString writes compact JSON",
    arguments: [
      ("null", "null"), ("0", "0"), ("1", "1"), ("1.1", "1.1"), ("true", "true"),
      (#""HelloWorld""#, #""HelloWorld""#), (#"[1, 2, "HelloWorld"]"#, #"[1,2,"HelloWorld"]"#),
      (#"{"Arg1": 1, "Arg2": []}"#, #"{"Arg1":1,"Arg2":[]}"#),
      (#""line\nbreak \"q\"""#, #""line\nbreak \"q\"""#),
    ])
  func jsonToString(value: String, expected: String) throws {
    let result = try runIntrinsic("States.JsonToString($.v)", input: ["v": parsed(value)])
    #expect(result == .string(expected))
  }

  @Test("States.JsonMerge is shallow: the second object's members win")
  func jsonMerge() throws {
    let input = parsed(
      #"{"fst": {"a": {"a1": 1, "a2": 2}, "b": 2, "d": 3}, "snd": {"a": {"a3": 1, "a4": 2}, "c": 3, "d": 4}}"#
    )
    let result = try runIntrinsic("States.JsonMerge($.fst, $.snd, false)", input: input)
    #expect(result.serialized() == #"{"a":{"a3":1,"a4":2},"b":2,"c":3,"d":4}"#)
  }

  @Test("States.JsonMerge lists keys in Java HashMap order, as recorded on AWS")
  func jsonMergeOrder() throws {
    let result = try runIntrinsic(
      #"States.JsonMerge(States.StringToJson('{"constant_in_literal": "false"}'), $$.Execution.Input.input_field, false)"#,
      input: ["input_field": ["constant_input_field": "constant_value"]])
    #expect(result.objectValue?.keys == ["constant_input_field", "constant_in_literal"])
  }

  @Test("Java's String.hashCode and HashMap capacities are modelled")
  func javaHashing() {
    #expect(JavaHashMapOrder.javaHashCode("a") == 97)
    #expect(JavaHashMapOrder.javaHashCode("Arg1") == 2_049_211)
    #expect(
      JavaHashMapOrder.javaHashCode("constant_input_field") == Int32(bitPattern: 2_998_650_922))
    #expect(JavaHashMapOrder.capacity(forCount: 12) == 16)
    #expect(JavaHashMapOrder.capacity(forCount: 13) == 32)
    #expect(JavaHashMapOrder.capacity(forCount: 25) == 64)
  }

  @Test("States.JsonMerge rejects deep merging and non-objects")
  func jsonMergeErrors() {
    let input: JSON = ["a": ["x": 1], "b": ["y": 2], "s": "text"]
    expectFailure(
      "States.JsonMerge($.a, $.b, true)", input: input,
      causeContains: "deep merging is not supported")
    expectFailure(
      "States.JsonMerge($.a, $.b, $.s)", input: input,
      causeContains: "argument 3 must be the boolean false")
    expectFailure(
      "States.JsonMerge($.s, $.b, false)", input: input,
      causeContains: "argument 1 must be an object, but it is a string")
    expectFailure(
      "States.JsonMerge($.a, $.s, false)", input: input,
      causeContains: "argument 2 must be an object")
  }
}

@Suite("Array intrinsics")
struct ArrayIntrinsicTests {
  @Test("States.Array collects its arguments in order, of any type")
  func array() throws {
    #expect(try runIntrinsic("States.Array()") == [])
    let input = parsed(#"{"o": {"Arg1": 1, "Arg2": []}, "n": null}"#)
    let result = try runIntrinsic("States.Array('a', 1, 1.1, true, null, $.o, $.n)", input: input)
    #expect(result.serialized() == #"["a",1,1.1,true,null,{"Arg1":1,"Arg2":[]},null]"#)
  }

  @Test(
    "States.ArrayPartition chunks as recorded on AWS",
    arguments: [
      ("[]", 1, "[]"), ("[]", 5, "[]"), ("[0]", 1, "[[0]]"), ("[0]", 5, "[[0]]"),
      ("[0,1]", 1, "[[0],[1]]"), ("[0,1]", 2, "[[0,1]]"), ("[0,1]", 3, "[[0,1]]"),
      ("[0,1,2]", 2, "[[0,1],[2]]"), ("[0,1,2,3]", 2, "[[0,1],[2,3]]"),
      ("[0,1,2,3]", 3, "[[0,1,2],[3]]"), ("[0,1,2,3]", 4, "[[0,1,2,3]]"),
      ("[1,2,3,4,5,6,7,8,9]", 4, "[[1,2,3,4],[5,6,7,8],[9]]"),
    ])
  func partition(array: String, size: Int, expected: String) throws {
    let result = try runIntrinsic(
      "States.ArrayPartition($.a, $.n)",
      input: ["a": parsed(array), "n": .number(JSONNumber(size))])
    #expect(result.serialized() == expected)
  }

  @Test("States.ArrayPartition rounds the chunk size and rejects sizes below 1")
  func partitionSize() throws {
    let result = try runIntrinsic("States.ArrayPartition($.a, 1.5)", input: ["a": [1, 2, 3]])
    #expect(result.serialized() == "[[1,2],[3]]")
    expectFailure(
      "States.ArrayPartition($.a, 0)", input: ["a": [1]],
      causeContains: "chunk size must be a positive integer")
    expectFailure(
      "States.ArrayPartition($.a, -2)", input: ["a": [1]],
      causeContains: "chunk size must be a positive integer")
    expectFailure("States.ArrayPartition($.a, 0.4)", input: ["a": [1]], causeContains: "chunk size")
    expectFailure(
      "States.ArrayPartition($.a, 'x')", input: ["a": [1]],
      causeContains: "argument 2 must be a number, but it is a string")
    expectFailure(
      "States.ArrayPartition($.a, 1)", input: ["a": ["k": 1]],
      causeContains: "argument 1 must be an array, but it is an object")
  }

  @Test(
    "States.ArrayContains compares whole JSON values",
    arguments: [
      ("[]", "null", false), ("[]", "[]", false), ("[]", "1", false),
      ("[[1,2,3],2]", "null", false), ("[[1,2,3],2]", "[1,2,3]", true),
      (#"[{"1":2,"2":[]}]"#, "[]", false), (#"[{"1":2,"2":[]}]"#, #"{"2":[],"1":2}"#, true),
      ("[true,false]", "true", true), ("[true,false]", "false", true), ("[1,2,3]", "5", false),
      ("[null]", "null", true),
    ])
  func contains(array: String, value: String, expected: Bool) throws {
    let result = try runIntrinsic(
      "States.ArrayContains($.a, $.v)", input: ["a": parsed(array), "v": parsed(value)])
    #expect(result == .bool(expected))
  }

  @Test("States.ArrayContains needs an array")
  func containsError() {
    expectFailure(
      "States.ArrayContains($.a, 1)", input: ["a": "abc"],
      causeContains: "argument 1 must be an array")
  }

  @Test(
    "States.ArrayRange counts from the first to the last value by the step",
    arguments: [
      (0, 9, 3, "[0,3,6,9]"), (0, 10, 3, "[0,3,6,9]"), (1, 9, 9, "[1]"), (1, 9, 2, "[1,3,5,7,9]"),
      (9, 1, -4, "[9,5,1]"), (5, 5, 1, "[5]"), (5, 1, 1, "[]"), (1, 5, -1, "[]"),
      (-3, 3, 3, "[-3,0,3]"),
    ])
  func range(first: Int, last: Int, step: Int, expected: String) throws {
    let result = try runIntrinsic("States.ArrayRange(\(first), \(last), \(step))")
    #expect(result.serialized() == expected)
  }

  @Test("States.ArrayRange rounds its arguments")
  func rangeRounds() throws {
    #expect(try runIntrinsic("States.ArrayRange(0.5, 3.4, 1.5)").serialized() == "[1,3]")
  }

  @Test("States.ArrayRange allows 1000 elements and no more")
  func rangeLimit() throws {
    let thousand = try runIntrinsic("States.ArrayRange(1, 1000, 1)")
    #expect(thousand.arrayValue?.count == 1000)
    expectFailure("States.ArrayRange(0, 1000, 1)", causeContains: "more than 1000 elements")
    expectFailure(
      "States.ArrayRange(-9223372036854775808, 9223372036854775807, 1)",
      causeContains: "more than 1000 elements")
  }

  @Test("States.ArrayRange rejects a zero step and non-numbers")
  func rangeErrors() {
    expectFailure("States.ArrayRange(1, 5, 0)", causeContains: "the step must not be 0")
    expectFailure("States.ArrayRange(1, 5, 0.4)", causeContains: "the step must not be 0")
    expectFailure(
      "States.ArrayRange($.s, 5, 1)", input: ["s": "1"],
      causeContains: "argument 1 must be a number, but it is a string")
    expectFailure("States.ArrayRange(1e300, 5, 1)", causeContains: "out of range")
  }

  @Test("States.ArrayGetItem returns the element at a zero-based index")
  func getItem() throws {
    let input: JSON = ["a": [1, 2, 3, 4, 5, 6, 7, 8, 9]]
    #expect(try runIntrinsic("States.ArrayGetItem($.a, 5)", input: input) == 6)
    #expect(try runIntrinsic("States.ArrayGetItem($.a, 0)", input: input) == 1)
    #expect(try runIntrinsic("States.ArrayGetItem($.a, 8)", input: input) == 9)
    #expect(try runIntrinsic("States.ArrayGetItem($.a, 1.5)", input: input) == 3)
  }

  @Test("States.ArrayGetItem rejects indexes out of bounds and bad types")
  func getItemErrors() {
    let input: JSON = ["a": [1, 2, 3]]
    expectFailure(
      "States.ArrayGetItem($.a, 3)", input: input,
      causeContains: "index 3 is out of bounds for an array of 3 elements")
    expectFailure("States.ArrayGetItem($.a, -1)", input: input, causeContains: "out of bounds")
    expectFailure(
      "States.ArrayGetItem($.a, '1')", input: input, causeContains: "argument 2 must be a number")
    expectFailure(
      "States.ArrayGetItem($.a, 0)", input: ["a": 1], causeContains: "argument 1 must be an array")
    expectFailure(
      "States.ArrayGetItem($.a, 0)", input: ["a": []], causeContains: "array of 0 elements")
  }

  @Test("States.ArrayLength counts elements")
  func length() throws {
    #expect(
      try runIntrinsic("States.ArrayLength($.a)", input: ["a": [1, 2, 3, 4, 5, 6, 7, 8, 9]]) == 9)
    #expect(try runIntrinsic("States.ArrayLength($.a)", input: ["a": []]) == 0)
    expectFailure(
      "States.ArrayLength($.a)", input: ["a": "abc"],
      causeContains: "must be an array, but it is a string")
    expectFailure(
      "States.ArrayLength($.a)", input: ["a": nil],
      causeContains: "must be an array, but it is a null")
  }

  @Test("States.ArrayUnique keeps first occurrences in order")
  func unique() throws {
    #expect(
      try runIntrinsic("States.ArrayUnique($.a)", input: ["a": [1, 2, 2, 3, 3, 4]]) == [1, 2, 3, 4])
    let input = parsed(
      #"{"a": [null, null, true, true, false, false, 1, 1, 1.1, 0, 0, "HelloWorld", "HelloWorld", [], [], [null], [null], {"a": 1, "b": 2}, {"a": 1, "b": 2}, {"a": 1, "b": 1}]}"#
    )
    let result = try runIntrinsic("States.ArrayUnique($.a)", input: input)
    #expect(
      result.serialized()
        == #"[null,true,false,1,1.1,0,"HelloWorld",[],[null],{"a":1,"b":2},{"a":1,"b":1}]"#)
    expectFailure(
      "States.ArrayUnique($.a)", input: ["a": ["k": 1]], causeContains: "must be an array")
  }
}

@Suite("Encoding and hashing intrinsics")
struct EncodingIntrinsicTests {
  @Test("States.Base64Encode and States.Base64Decode match the recorded values")
  func recorded() throws {
    #expect(
      try runIntrinsic("States.Base64Encode($.s)", input: ["s": "Data to encode"])
        == "RGF0YSB0byBlbmNvZGU=")
    #expect(try runIntrinsic("States.Base64Encode($.s)", input: ["s": ""]) == "")
    #expect(
      try runIntrinsic("States.Base64Decode($.s)", input: ["s": "RGF0YSB0byBlbmNvZGU="])
        == "Data to encode")
    #expect(try runIntrinsic("States.Base64Decode($.s)", input: ["s": ""]) == "")
    #expect(try runIntrinsic("States.Base64Encode('Hello World')") == "SGVsbG8gV29ybGQ=")
  }

  @Test(
    "Base64 round-trips text of every padding length, including non-ASCII",
    arguments: ["f", "fo", "foo", "foob", "fooba", "foobar", "héllo wörld 🆗"])
  func roundTrip(text: String) throws {
    let encoded = try runIntrinsic("States.Base64Encode($.s)", input: ["s": .string(text)])
    let decoded = try runIntrinsic("States.Base64Decode($.s)", input: ["s": encoded])
    #expect(decoded == .string(text))
  }

  @Test("RFC 4648 vectors encode exactly")
  func rfc4648() {
    let vectors = [
      ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
      ("foobar", "Zm9vYmFy"),
    ]
    for (plain, encoded) in vectors {
      #expect(Base64.encode(Array(plain.utf8)) == encoded)
      #expect(Base64.decode(encoded) == Array(plain.utf8))
    }
  }

  @Test("Decoding is lenient like MIME: line breaks skipped, padding optional")
  func lenientDecoding() throws {
    #expect(
      try runIntrinsic("States.Base64Decode($.s)", input: ["s": "RGF0YSB0\r\nbyBlbmNvZGU"])
        == "Data to encode")
  }

  @Test("Decoding rejects a dangling single character and non-strings")
  func decodingErrors() {
    expectFailure(
      "States.Base64Decode($.s)", input: ["s": "QUJDR"], causeContains: "not valid Base64")
    expectFailure(
      "States.Base64Decode($.s)", input: ["s": 12],
      causeContains: "must be a string, but it is a number")
    expectFailure(
      "States.Base64Encode($.s)", input: ["s": [1]],
      causeContains: "must be a string, but it is an array")
  }

  @Test("Strings longer than 10,000 characters are rejected")
  func lengthLimit() throws {
    let ok = JSON.string(String(repeating: "a", count: 10_000))
    let long = JSON.string(String(repeating: "a", count: 10_001))
    _ = try runIntrinsic("States.Base64Encode($.s)", input: ["s": ok])
    expectFailure(
      "States.Base64Encode($.s)", input: ["s": long], causeContains: "at most 10000 characters")
    expectFailure(
      "States.Base64Decode($.s)", input: ["s": long], causeContains: "at most 10000 characters")
    expectFailure(
      "States.Hash($.s, 'MD5')", input: ["s": long], causeContains: "at most 10000 characters")
  }

  @Test(
    "States.Hash gives the digests recorded on AWS",
    arguments: [
      ("MD5", "812f45842bc6d66ee14572ce20db8e86"),
      ("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
      ("SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
      (
        "SHA-384",
        "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"
      ),
      (
        "SHA-512",
        "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4"
      ),
    ])
  func hash(algorithm: String, digest: String) throws {
    let result = try runIntrinsic(
      "States.Hash($.fst, $.snd)", input: ["fst": "input data", "snd": .string(algorithm)])
    #expect(result == .string(digest))
  }

  @Test("States.Hash rejects unknown algorithms and non-strings")
  func hashErrors() {
    expectFailure(
      "States.Hash('x', $.a)", input: ["a": "sha-256"],
      causeContains:
        "'sha-256' is not a supported algorithm; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512")
    expectFailure(
      "States.Hash($.d, 'MD5')", input: ["d": 5], causeContains: "argument 1 must be a string")
    expectFailure(
      "States.Hash('x', $.a)", input: ["a": 1], causeContains: "argument 2 must be a string")
  }
}

@Suite("Math, string and UUID intrinsics")
struct MathStringIntrinsicTests {
  @Test(
    "States.MathAdd rounds each argument half up, as recorded on AWS",
    arguments: [
      (-9.0, 3.0, -6), (1.49, 1.5, 3), (1.5, 1.51, 4), (-1.49, -1.5, -2), (-1.5, -1.51, -3),
      (1.49, 0, 1), (1.49, -1.49, 0), (1.5, 0, 2), (1.51, 0, 2), (-1.49, 0, -1), (-1.5, 0, -1),
      (-1.51, 0, -2), (0.5, 0, 1), (2.5, 0, 3), (3.5, 0, 4), (-0.5, 0.5, 1), (-0.5, 0, 0),
      (-2.5, 0, -2), (-3.5, 0, -3),
    ])
  func mathAdd(first: Double, second: Double, expected: Int) throws {
    let result = try runIntrinsic(
      "States.MathAdd($.fst, $.snd)",
      input: ["fst": .number(JSONNumber(first)), "snd": .number(JSONNumber(second))])
    #expect(result == .number(JSONNumber(expected)))
    #expect(result.numberValue?.isInteger == true)
  }

  @Test("States.MathAdd takes integers in the 32-bit range")
  func mathAddRange() throws {
    #expect(
      try runIntrinsic("States.MathAdd(2147483647, 2147483647)")
        == .number(JSONNumber(Int64(4_294_967_294))))
    #expect(try runIntrinsic("States.MathAdd($.n, -1)", input: ["n": 111]) == 110)
    expectFailure(
      "States.MathAdd(2147483648, 0)",
      causeContains: "argument 1 (2147483648) must be between -2147483648 and 2147483647")
    expectFailure("States.MathAdd(0, -2147483649)", causeContains: "argument 2")
    expectFailure(
      "States.MathAdd(1, $.s)", input: ["s": "-1"],
      causeContains: "argument 2 must be a number, but it is a string")
    expectFailure("States.MathAdd(99999999999999999999999, 1)", causeContains: "out of range")
  }

  @Test("States.MathRandom stays in [start, end) and repeats for a seed")
  func mathRandom() throws {
    for seed in 0..<200 {
      let value = try runIntrinsic("States.MathRandom(12.5, 44.51)", seed: UInt64(seed))
      let number = try #require(value.numberValue?.int64Value)
      #expect((13..<45).contains(number))
      #expect(value.numberValue?.isInteger == true)
    }
    let negative = try runIntrinsic("States.MathRandom(-99999, -9999)")
    #expect((-99999 ..< -9999).contains(negative.numberValue?.int64Value ?? 0))
    let a = try runIntrinsic("States.MathRandom(0, 999, 3)", seed: 1)
    let b = try runIntrinsic("States.MathRandom(0, 999, 3)", seed: 2)
    #expect(a == b, "the seed argument, not the execution's generator, decides")
    #expect(try runIntrinsic("States.MathRandom(5, 6)") == 5)
  }

  @Test("States.MathRandom rejects an empty range and non-numbers")
  func mathRandomErrors() {
    expectFailure("States.MathRandom(5, 5)", causeContains: "must be less than the end")
    expectFailure("States.MathRandom(9, 1)", causeContains: "must be less than the end")
    expectFailure("States.MathRandom('1', 5)", causeContains: "argument 1 must be a number")
    expectFailure("States.MathRandom(1, 5, 'seed')", causeContains: "argument 3 must be a number")
  }

  @Test(
    "States.StringSplit splits on each delimiter character and drops empty pieces",
    arguments: [
      (" ", ",", [" "]), (" , ", ",", [" ", " "]), (", , ,", ",", [" ", " "]), (",,,,", ",", []),
      ("1,2,3,4,5", ",", ["1", "2", "3", "4", "5"]),
      ("This.is+a,test=string", ".+,=", ["This", "is", "a", "test", "string"]),
      ("split on T and \nnew line", "T\n", ["split on ", " and ", "new line"]),
      ("", ",", []), ("abc", "", ["abc"]), ("a🆗b", "🆗", ["a", "b"]),
    ])
  func stringSplit(text: String, delimiters: String, expected: [String]) throws {
    let result = try runIntrinsic(
      "States.StringSplit($.fst, $.snd)", input: ["fst": .string(text), "snd": .string(delimiters)])
    #expect(result == .array(expected.map { .string($0) }))
  }

  @Test("States.StringSplit handles the recorded multi-line input")
  func stringSplitMultiline() throws {
    let text =
      "Value1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n"
    let result = try runIntrinsic(
      "States.StringSplit($$.Execution.Input.FunctionInput, ',')",
      input: ["FunctionInput": .string(text)])
    let expected = [
      "Value1", "Value2", "Value3\nValue4", "Value5", "Value6\n", "\ntrue", "1",
      "'HelloWorld'\nNull",
      "None", "\n   \n",
    ]
    #expect(result == .array(expected.map { .string($0) }))
  }

  @Test("States.StringSplit needs two strings")
  func stringSplitErrors() {
    expectFailure(
      "States.StringSplit($.a, ',')", input: ["a": 1], causeContains: "argument 1 must be a string")
    expectFailure(
      "States.StringSplit('a', $.d)", input: ["d": nil],
      causeContains: "argument 2 must be a string, but it is a null")
  }

  @Test("States.UUID gives a v4 UUID from the execution's generator")
  func uuid() throws {
    let first = try runIntrinsic("States.UUID()", seed: 3)
    let again = try runIntrinsic("States.UUID()", seed: 3)
    let other = try runIntrinsic("States.UUID()", seed: 4)
    #expect(first == again)
    #expect(first != other)
    let text = try #require(first.stringValue)
    #expect(text.count == 36)
    #expect(Array(text)[14] == "4")
  }
}

@Suite("Intrinsic evaluation plumbing")
struct IntrinsicPlumbingTests {
  @Test("Nested calls are evaluated first, left to right")
  func nested() throws {
    let input: JSON = ["name": "alpha-beta-gamma"]
    let last = try runIntrinsic(
      "States.ArrayGetItem(States.StringSplit($.name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($.name, '-')), -1))",
      input: input)
    #expect(last == "gamma")
    let first = try runIntrinsic(
      "States.ArrayGetItem(States.StringSplit($.name, '-'), 0)", input: input)
    #expect(first == "alpha")
  }

  @Test("A path that does not resolve surfaces the resolver's error")
  func pathErrors() {
    let error = intrinsicFailure("States.ArrayLength($.missing)")
    #expect(error?.name == "States.Runtime")
  }

  @Test(
    "Evaluating with the wrong number of values is an error, not a crash",
    arguments: IntrinsicFunction.allCases)
  func wrongCounts(function: IntrinsicFunction) throws {
    var random = SeededRandom(seed: 0)
    var invalid: [Int] = []
    if function.minimumArgumentCount > 0 { invalid.append(function.minimumArgumentCount - 1) }
    if let maximum = function.maximumArgumentCount { invalid.append(maximum + 1) }
    if invalid.isEmpty {
      // Only States.Array takes any count at all.
      #expect(function == .array)
      #expect(
        try function.evaluate(arguments: [1, 2, 3, 4, 5], random: &random).arrayValue?.count == 5)
    }
    for count in invalid {
      #expect(throws: StatesError.self) {
        try function.evaluate(arguments: Array(repeating: .null, count: count), random: &random)
      }
    }
  }

  @Test(
    "No function traps on any combination of argument types", arguments: IntrinsicFunction.allCases)
  func everyTypeCombination(function: IntrinsicFunction) {
    let samples: [JSON] = [.null, true, 0, -1.5, 1e300, "", "x{", [], [1, "a"], [:], ["k": 1]]
    var random = SeededRandom(seed: 0)
    let count = function.minimumArgumentCount
    var combinations: [[JSON]] = [[]]
    for _ in 0..<count {
      combinations = combinations.flatMap { prefix in samples.map { prefix + [$0] } }
    }
    var outcomes = 0
    for arguments in combinations {
      do {
        _ = try function.evaluate(arguments: arguments, random: &random)
      } catch {
        #expect(error.name == "States.IntrinsicFailure")
      }
      outcomes += 1
    }
    #expect(outcomes == combinations.count)
  }

  @Test("Rounding follows Java's Math.round")
  func rounding() {
    let cases: [(Double, Int64)] = [
      (0.5, 1), (-0.5, 0), (1.5, 2), (-1.5, -1), (2.4999, 2), (-2.5001, -3), (7, 7),
    ]
    for (value, expected) in cases {
      #expect(IntrinsicEvaluator.roundHalfUp(JSONNumber(value)) == expected)
    }
    #expect(IntrinsicEvaluator.roundHalfUp(JSONNumber(Double.infinity)) == nil)
    #expect(IntrinsicEvaluator.roundHalfUp(JSONNumber(1e19)) == nil)
  }
}
