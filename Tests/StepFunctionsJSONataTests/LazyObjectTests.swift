import StepFunctionsJSON
import StepFunctionsJSONata
import Testing

@Test("Objects read from the input lazily are copied, changed and written back like converted ones")
func lazyObjectsBehaveAsConverted() throws {
  let input: JSON = ["a": ["x": 1, "n": .number(JSONNumber(2.0))], "b": [["c": 1]], "d": 1.5]
  let cases: [(String, String)] = [
    ("$", #"{"a":{"x":1,"n":2},"b":[{"c":1}],"d":1.5}"#),
    (
      "( $t := $ ~> |a|{\"y\": 2}|; [$t, $] )",
      #"[{"a":{"x":1,"n":2,"y":2},"b":[{"c":1}],"d":1.5},{"a":{"x":1,"n":2},"b":[{"c":1}],"d":1.5}]"#
    ),
    ("$ ~> |b|{\"c\": 5}|", #"{"a":{"x":1,"n":2},"b":[{"c":5}],"d":1.5}"#),
    ("$ ~> |a|{}, ['x']|", #"{"a":{"n":2},"b":[{"c":1}],"d":1.5}"#),
    ("$clone(a)", #"{"x":1,"n":2}"#),
    ("$keys($)", #"["a","b","d"]"#),
    ("$merge([a, {\"x\": 3}])", #"{"x":3,"n":2}"#),
    ("$sift(a, function($v) { $v > 1 })", #"{"n":2}"#),
    ("$string(a)", #""{\"x\":1,\"n\":2}""#),
  ]
  for (text, expected) in cases {
    let result = try JSONataExpression(parsing: text).evaluate(input: input)
    #expect(result?.serialized() == expected, "\(text)")
  }
}
