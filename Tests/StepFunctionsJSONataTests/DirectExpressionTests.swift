import StepFunctionsJSON
import Testing

@testable import StepFunctionsJSONata

/// What an evaluation gave, errors by code, for comparing the direct and the general way.
private func outcome(
  _ expression: JSONataExpression, _ input: JSON?, _ bindings: [String: JSON],
  options: JSONataOptions = JSONataOptions(), direct: Bool
) -> String {
  do {
    let result = try expression.evaluateResult(
      input: input, bindings: bindings, options: options, allowingDirect: direct)
    switch result {
    case .value(let json): return json.serialized()
    case .undefined: return "undefined"
    case .function: return "function"
    }
  } catch {
    return "error \(error.code)"
  }
}

private let passInput: JSON = [
  "name": "video-1", "tags": ["a", "b"], "last": ["step": 0], "price": 2.5,
  "whole": .number(JSONNumber(3.0)), "list": [["x": 1], ["x": 2]],
]

/// Expressions of the shapes ``DirectExpression`` covers (and some it then gives up on).
private let directCases: [(text: String, compiles: Bool)] = [
  ("$states.input", true),
  ("$states.input.name", true),
  ("$states.input.last.step", true),
  ("$states.input.missing.deeper", true),
  ("$states.input.tags", true),
  ("$states.input.list", true),
  ("$states.input.list.x", true),
  ("$states.input.name.x", true),
  ("$states.input.whole", true),
  ("$states.input.price", true),
  ("$states", true),
  ("$unbound.x", true),
  ("$string", true),
  ("{\"a\": $states.input.name, \"b\": 'lit', \"c\": $states.input.missing, \"d\": null}", true),
  (
    "$merge([$states.input, {\"last\": {\"step\": 2, \"prev\": $states.input.last.step, \"label\": $states.input.name & '-' & $states.input.last.step}}])",
    true
  ),
  ("$merge([$states.input.last, {\"step\": 1}, {\"step\": 2, \"more\": true}])", true),
  ("$merge($states.input.last)", true),
  ("$merge($states.input.list)", true),
  ("$merge([])", true),
  ("$merge([1])", true),
  ("$merge($states.input.missing)", true),
  ("[$states.input.tags, [1, 2], 'x', $states.input.missing, [[3]]]", true),
  ("[]", true),
  ("$states.input.name & $states.input.last", true),
  ("$states.input.name & $states.input.price & $states.input.tags & $states.input.missing", true),
  ("name & '/' & last.step", true),
  ("{\"n\": name}", true),
  ("$states.input.tags[0]", false),
  ("$count($states.input.tags)", false),
  ("{\"a\": 1, \"a\": 2}", false),
  ("$states.input.price * 2", false),
]

@Test("Expressions evaluated over JSON directly give what the general evaluator gives")
func directMatchesGeneral() throws {
  let inputs: [JSON?] = [nil, passInput, ["name": "x", "last": ["step": 1.5]], [1, 2], "text"]
  for (text, compiles) in directCases {
    let expression = try JSONataExpression(parsing: text)
    #expect((expression.direct != nil) == compiles, "\(text)")
    for input in inputs {
      let bindings: [String: JSON] = ["states": ["input": input ?? .null]]
      for bound in [bindings, bindings.merging(["merge": 1]) { a, _ in a }] {
        let direct = outcome(expression, input, bound, direct: true)
        let general = outcome(expression, input, bound, direct: false)
        #expect(direct == general, "\(text) on \(input?.serialized() ?? "undefined")")
      }
    }
  }
}

@Test("The direct way is taken for the shapes of AWS fields and keeps numbers as JSONata does")
func directKeepsJSONataNumbers() throws {
  let expression = try JSONataExpression(parsing: "$states.input")
  #expect(expression.direct != nil)
  let input: JSON = ["whole": .number(JSONNumber(3.0)), "big": .number(JSONNumber(Int64.max))]
  let result = try expression.evaluate(input: nil, bindings: ["states": ["input": input]])
  // 3.0 comes back as JSONata writes it (3); the large integer is kept exactly.
  #expect(result?.serialized() == #"{"whole":3,"big":9223372036854775807}"#)
}

@Test("The direct way respects the step and depth budgets and redefined built-ins")
func directRespectsBudgets() throws {
  let expression = try JSONataExpression(
    parsing: "$merge([$states.input, {\"a\": {\"b\": $states.input.x & 'y'}}])")
  #expect(expression.direct != nil)
  let bindings: [String: JSON] = ["states": ["input": ["x": "1"]]]
  var tight = JSONataOptions()
  tight.maximumSteps = 3
  #expect(outcome(expression, nil, bindings, options: tight, direct: true) == "error U1001")
  tight = JSONataOptions(maximumDepth: 2)
  #expect(outcome(expression, nil, bindings, options: tight, direct: true) == "error U1001")
  let redefined = try JSONataFunction(name: "merge", signature: nil) { _ in "mine" }
  let options = JSONataOptions(functions: [redefined])
  #expect(outcome(expression, nil, bindings, options: options, direct: true) == #""mine""#)
}
