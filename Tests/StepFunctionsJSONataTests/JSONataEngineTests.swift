import CorpusSupport
import StepFunctionsJSON
import StepFunctionsJSONata
import Testing

/// Evaluates `text` against `input` and returns the result.
private func run(_ text: String, _ input: JSON? = nil, bindings: [String: JSON] = [:]) throws
  -> JSON?
{
  try JSONataExpression(parsing: text).evaluate(input: input, bindings: bindings)
}

/// The error `text` raises, parsing or evaluating.
private func failure(_ text: String, _ input: JSON? = nil, options: JSONataOptions = .init())
  -> JSONataError?
{
  do {
    _ = try JSONataExpression(parsing: text).evaluate(input: input, options: options)
    return nil
  } catch {
    return error
  }
}

@Suite("JSONata parser")
struct JSONataParserTests {
  @Test(
    "Syntax errors carry JSONata's code and the character position",
    arguments: [
      ("(1 + 2", "S0203", 6),
      ("[1, 2", "S0203", 5),
      ("1 +", "S0207", 3),
      ("\"abc", "S0101", 4),
      ("a ?? b", "S0211", 4),
      ("a ?: b", "S0211", 4),
      ("$x := ", "S0207", 6),
      ("1 := 2", "S0212", 1),
      ("/* no end", "S0106", 0),
      ("`name", "S0105", 5),
      ("a.1", "S0213", 3),
      ("function($x, y){1}", "S0208", 14),
      ("a!b", "S0204", 2),
      ("//", "S0301", 1),
    ])
  func syntaxErrors(text: String, code: String, position: Int) {
    let error = failure(text)
    #expect(error?.code == code, "\(text): \(String(describing: error))")
    #expect(error?.position == position, "\(text): \(String(describing: error))")
  }

  @Test(
    "Messages fill in tokens and values as jsonata-js does: quoted as JSON, raw in ${{{token}}}",
    arguments: [
      ("[1, 2", #"Expected "]" before end of expression"#),
      ("(1; 2]", #"Expected ")", got "]""#),
      ("a ?? b", #"The symbol "?" cannot be used as a unary operator"#),
      ("-'x'", #"Cannot negate a non-numeric value: "x""#),
      ("sum([1])", "Attempted to invoke a non-function. Did you mean $sum?"),
    ])
  func messages(text: String, message: String) {
    #expect(failure(text)?.message == message, "\(text)")
  }

  @Test("A group on an empty tuple stream gives the object an empty input gives, not a crash")
  func groupOnEmptyTupleStream() throws {
    let input: JSON = ["order": ["items": [["tags": []]]]]
    let cases = [
      ("a@$x{\"k\": 1}", "a{\"k\": 1}"), ("a#$i{\"k\": $i}", "a{\"k\": $i}"),
      ("order.items@$it.tags@$t{\"k\": 1}", "order.items.tags{\"k\": 1}"),
    ]
    for (text, plain) in cases {
      let grouped = try JSONataExpression(parsing: text).evaluate(input: input)
      let expected = try JSONataExpression(parsing: plain).evaluate(input: input)
      #expect(grouped != nil)
      #expect(grouped == expected, "\(text)")
    }
  }

  @Test("Deeply nested expressions end in an error, not a stack overflow")
  func deepNesting() async throws {
    let text = String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 5_000)
    let code = try await SmallStack.run { failure(text)?.code }
    #expect(code == "U1001")
  }

  @Test("A function signature that is not understood is a syntax error")
  func badSignature() {
    #expect(failure("function($x)<q>{$x}")?.code == "S0401")
  }
}

@Suite("JSONata evaluation")
struct JSONataEvaluationTests {
  static let order: JSON = [
    "Account": [
      "Order": [
        ["OrderID": "1", "Product": [["Name": "Hat", "Price": 34.45, "Quantity": 2]]],
        [
          "OrderID": "2",
          "Product": [
            ["Name": "Cloak", "Price": 107.99, "Quantity": 1],
            ["Name": "Shoe", "Price": 21.67, "Quantity": 3],
          ],
        ],
      ]
    ]
  ]

  @Test("Paths flatten sequences and a singleton sequence is its value")
  func pathsFlatten() throws {
    #expect(try run("Account.Order.Product.Name", Self.order) == ["Hat", "Cloak", "Shoe"])
    #expect(try run("Account.Order[0].Product.Name", Self.order) == "Hat")
    #expect(try run("Account.Order[0].Product[].Name", Self.order) == ["Hat"])
    #expect(try run("Account.Order.Product[Price > 100].Name", Self.order) == "Cloak")
  }

  @Test("Undefined is distinct from null")
  func undefinedAndNull() throws {
    #expect(try run("missing", ["a": 1]) == nil)
    #expect(try run("a", ["a": nil]) == .null)
    #expect(try run("$exists(missing)", ["a": 1]) == false)
  }

  @Test("Integers that pass through untouched stay exact; arithmetic uses doubles")
  func numbers() throws {
    #expect(
      try run("big", ["big": .number(JSONNumber(integerDigits: "12345678901234567890")!)])
        == .number(JSONNumber(integerDigits: "12345678901234567890")!))
    #expect(try run("1 + 2") == 3)
    #expect(try run("$string(1/3)") == "0.333333333333333")
    #expect(try run("$string(1e21)") == "1e+21")
    #expect(try run("$string(0.000001)") == "0.000001")
    #expect(try run("$string(1e-7)") == "1e-7")
  }

  @Test("Sorting, grouping, binding and the chain operator")
  func operators() throws {
    #expect(
      try run("Account.Order.Product^(>Price).Name", Self.order) == ["Cloak", "Hat", "Shoe"])
    #expect(
      try run("Account.Order.Product{Name: Quantity}", Self.order)
        == ["Hat": 2, "Cloak": 1, "Shoe": 3])
    let library: JSON = [
      "loans": [["isbn": "1", "who": "Ann"]],
      "books": [["isbn": "1", "title": "Emma"], ["isbn": "2", "title": "Ulysses"]],
    ]
    #expect(
      try run("loans@$l.books@$b[$l.isbn = $b.isbn].{'who': $l.who, 'title': $b.title}", library)
        == ["who": "Ann", "title": "Emma"])
    // The position is counted within each order's products.
    #expect(try run("Account.Order.Product#$i[$i = 1].Name", Self.order) == "Shoe")
    #expect(try run("[1, 2, 3] ~> $map(function($v) { $v * 2 }) ~> $sum()") == 12)
  }

  @Test("Lambdas close over their scope and can be partially applied")
  func lambdas() throws {
    #expect(try run("($add := function($a, $b) { $a + $b }; $inc := $add(?, 1); $inc(41))") == 42)
    #expect(
      try run("($make := function($n) { function($x) { $x * $n } }; $make(3)(5))") == 15)
  }

  @Test("Tail calls run in constant depth")
  func tailCalls() throws {
    let text =
      "($loop := function($n, $acc) { $n = 0 ? $acc : $loop($n - 1, $acc + 1) }; $loop(5000, 0))"
    #expect(try run(text) == 5000)
  }

  @Test("Transforms copy the input and update the matches")
  func transform() throws {
    let input: JSON = ["a": ["b": 1, "c": 2]]
    #expect(try run("$ ~> |a|{'b': 10}, ['c']|", input) == ["a": ["b": 10]])
    #expect(try run("a.b", input) == 1)
  }

  @Test("Regular expressions are JavaScript's, matched in linear time")
  func regexes() throws {
    #expect(try run("$match('ab12cd345', /[0-9]+/).match") == ["12", "345"])
    #expect(try run("$replace('hello world', /(o)/, '[$1]')") == "hell[o] w[o]rld")
    #expect(try run("$split('a1b2c', /[0-9]/)") == ["a", "b", "c"])
    #expect(try run("$contains('Hello', /^h/i)") == true)
    let long = String(repeating: "a", count: 5_000)
    #expect(try run("$contains(s, /(a+)+b/)", ["s": .string(long)]) == false)
  }

  @Test("Type errors name the operator")
  func typeErrors() {
    let error = failure("1 + 'a'")
    #expect(error?.code == "T2002")
    #expect(error?.token == "+")
    #expect(failure("$sum('a')")?.code == "T0412")
    #expect(failure("$uppercase(1)")?.code == "T0410")
  }

  @Test("Functions added by the caller are callable, and their signature is checked")
  func registeredFunctions() throws {
    let double = try JSONataFunction(name: "double", signature: "<n:n>") { arguments in
      guard case .number(let n)?? = arguments.first else { return nil }
      return .number(JSONNumber(n.doubleValue * 2))
    }
    let expression = try JSONataExpression(parsing: "$double(21)")
    #expect(try expression.evaluate(input: nil, options: .init(functions: [double])) == 42)
    let bad = try JSONataExpression(parsing: "$double('x')")
    #expect(throws: JSONataError.self) {
      try bad.evaluate(input: nil, options: .init(functions: [double]))
    }
  }

  @Test("$eval is absent, as in AWS Step Functions")
  func noEval() {
    #expect(failure("$eval('1')")?.code == "T1006")
  }

  @Test("The clock and the random source come from the options")
  func determinism() throws {
    let options = JSONataOptions(now: 1_510_067_274_972, randomSeed: 7)
    let expression = try JSONataExpression(parsing: "[$now(), $millis(), $random()]")
    let first = try expression.evaluate(input: nil, options: options)
    #expect(first?[0] == "2017-11-07T15:07:54.972Z")
    #expect(first?[1] == 1_510_067_274_972)
    #expect(first == (try expression.evaluate(input: nil, options: options)))
  }

  @Test(
    "A result holding NaN or an infinite number is D1001, not a value JSON cannot hold",
    arguments: [
      ("1/0", "Infinity"), ("-1/0", "-Infinity"), ("0/0", "NaN"), ("[1, 2/0]", "Infinity"),
      (#"{"a": {"b": [0/0]}}"#, "NaN"), ("$sum([1e308, 1e308])", "Infinity"),
      ("[1..2].(1/0)", "Infinity"), ("$map([1], function($x) { $x / 0 })", "Infinity"),
    ])
  func nonFiniteResult(text: String, shown: String) {
    let error = failure(text)
    #expect(error?.code == "D1001")
    #expect(error?.message == "Number out of range: \(shown)")
  }

  @Test("Non-finite numbers that do not reach the result are no error")
  func nonFiniteDiscarded() throws {
    #expect(try run("$exists(1/0)") == true)
    #expect(try run("1/0 > 1") == true)
    #expect(try run("$count([1/0, 0/0])") == 2)
    #expect(try run(#"$type(0/0)"#) == "number")
  }

  @Test("As operands, an infinite number is D1001 and NaN the operand type error, as in jsonata-js")
  func nonFiniteOperands() {
    #expect(failure("(1/0) + 1")?.code == "D1001")
    #expect(failure("1 - (-1/0)")?.code == "D1001")
    #expect(failure("(0/0) * 2")?.code == "T2001")
    #expect(failure("2 * (0/0)")?.code == "T2002")
    // The left operand is checked first, whatever the right one is.
    #expect(failure("(0/0) + (1/0)")?.code == "T2001")
    #expect(failure(#""a" + (1/0)"#)?.code == "T2001")
    #expect(failure("(1/0) + 'a'")?.code == "D1001")
    #expect(failure("$string(1/0)")?.code == "D3001")
    #expect(failure(#"$string({"inf": 1/0})"#)?.code == "D1001")
  }
}

@Suite("JSONata limits")
struct JSONataLimitTests {
  @Test("Unbounded recursion ends in U1001 on a small stack")
  func recursionLimit() async throws {
    let code = try await SmallStack.run {
      failure("($f := function($n) { 1 + $f($n + 1) }; $f(0))")?.code
    }
    #expect(code == "U1001")
  }

  @Test("Expressions nesting past what the caller's stack holds are parsed on a larger one")
  func deepParsingOnSmallStack() async throws {
    let negations = String(repeating: "-", count: 100) + "1"
    let groups = String(repeating: "(", count: 40) + "a" + String(repeating: ")", count: 40)
    let parentheses = String(repeating: "(", count: 60) + "2" + String(repeating: ")", count: 60)
    let results = try await SmallStack.run {
      [
        try run(negations), try run("$contains('xa', /\(groups)/)"), try run(parentheses),
      ]
    }
    #expect(results == [1, true, 2])
  }

  @Test("Deep recursion within the limit runs on a small stack")
  func deepRecursionWithinLimit() async throws {
    let result = try await SmallStack.run {
      try run("($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(90))")
    }
    #expect(result == 90)
  }

  @Test("An endless loop ends in U1001 when the step budget runs out")
  func stepBudget() {
    let error = failure(
      "($f := function($n) { $f($n + 1) }; $f(0))", options: JSONataOptions(maximumSteps: 10_000))
    #expect(error?.code == "U1001")
  }

  @Test("The time limit ends a long evaluation in U1001")
  func timeLimit() {
    let error = failure(
      "[1..1000000].($ * 2) ~> $sum()", options: JSONataOptions(timeLimit: .milliseconds(1)))
    #expect(error?.code == "U1001")
  }

  @Test("Ranges larger than 1e7 are refused")
  func rangeLimit() {
    #expect(failure("[1..20000000]")?.code == "D2014")
  }
}

@Suite("JSONata evaluation shortcuts")
struct JSONataShortcutTests {
  @Test("An object constructor with literal keys keeps their order, drops undefined values")
  func literalKeys() throws {
    let input: JSON = ["a": 1, "b": ["c": "x"]]
    let built = try run(#"{"z": a, "y": b.c, "w": missing, "v": 2.5}"#, input)
    #expect(built?.serialized() == #"{"z":1,"y":"x","v":2.5}"#)
    #expect(try run(#"{"k": $}"#, nil) == [:])
  }

  @Test("Duplicate literal keys are still D1009, in a constructor and after a path")
  func duplicateLiteralKeys() {
    #expect(failure(#"{"a": 1, "a": 2}"#)?.code == "D1009")
    #expect(failure(#"x{"a": 1, "a": 2}"#, ["x": 1])?.code == "D1009")
  }

  @Test("A signature check fails the same way every time, and a good call after it passes")
  func signatureChecksRepeat() throws {
    for _ in 0..<3 {
      #expect(failure("$uppercase(1)")?.code == "T0410")
      #expect(failure(#"$sum(["a", "b"])"#)?.code == "T0412")
      #expect(try run(#"$uppercase("a")"#) == "A")
      #expect(try run("[1..3].$string()") == ["1", "2", "3"])
    }
  }

  @Test("Functions set on the options after they are made are visible; bindings come first")
  func functionsSetLater() throws {
    var options = JSONataOptions()
    options.functions = [
      try JSONataFunction(name: "seven", signature: "<:n>") { _ in .number(JSONNumber(7)) }
    ]
    #expect(try JSONataExpression(parsing: "$seven()").evaluate(input: nil, options: options) == 7)
    #expect(
      try JSONataExpression(parsing: "$seven").evaluate(
        input: nil, bindings: ["seven": "bound"], options: options) == "bound")
  }

  @Test("Plain paths from a variable or the input follow objects and flatten arrays")
  func plainPaths() throws {
    let order: JSON = ["items": [["sku": "a"], ["sku": "b"]], "customer": ["name": "Ann"]]
    #expect(try run("$o.customer.name", bindings: ["o": order]) == "Ann")
    #expect(try run("customer.name", order) == "Ann")
    #expect(try run("items.sku", order) == ["a", "b"])
    #expect(try run("$o.customer.missing.name", bindings: ["o": order]) == nil)
    #expect(try run("customer.name.first", order) == nil)
  }
}
