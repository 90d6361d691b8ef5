import StepFunctionsJSON
import Testing

@testable import StepFunctionsLanguage

@Suite("Intrinsic call syntax")
struct IntrinsicSyntaxTests {
  private func parse(_ text: String) throws -> IntrinsicCall {
    try IntrinsicCall(parsing: text)
  }

  private func syntaxError(_ text: String) -> IntrinsicSyntaxError? {
    do {
      _ = try IntrinsicCall(parsing: text)
      return nil
    } catch {
      return error
    }
  }

  @Test("Every function name parses to its case", arguments: IntrinsicFunction.allCases)
  func everyFunctionName(function: IntrinsicFunction) throws {
    let arguments = Array(repeating: "$.x", count: function.minimumArgumentCount)
    let call = try parse("\(function.name)(\(arguments.joined(separator: ", ")))")
    #expect(call.function == function)
    #expect(call.arguments == Array(repeating: .path("$.x"), count: function.minimumArgumentCount))
  }

  @Test("Literals of every kind parse to their values")
  func literals() throws {
    let call = try parse("States.Array('text', 12, -3, 1.5, -0.25, 2e3, true, false, null)")
    #expect(
      call.arguments == [
        .string("text"), .number(JSONNumber(12)), .number(JSONNumber(-3)),
        .number(JSONNumber(1.5)), .number(JSONNumber(-0.25)), .number(JSONNumber(2000.0)),
        .boolean(true), .boolean(false), .null,
      ])
    #expect(call.arguments[1].literalValue?.numberValue?.isInteger == true)
    #expect(call.arguments[3].literalValue?.numberValue?.isInteger == false)
  }

  @Test("A large integer literal keeps its digits")
  func bigInteger() throws {
    let call = try parse("States.Array(123456789012345678901234567890)")
    #expect(call.arguments[0].description == "123456789012345678901234567890")
  }

  @Test(
    "Each of the four escapes decodes to its character",
    arguments: [
      (#"'\''"#, "'"), (#"'\{'"#, "{"), (#"'\}'"#, "}"), (#"'\\'"#, "\\"),
      (#"'a\'b\{c\}d\\e'"#, "a'b{c}d\\e"),
    ])
  func escapes(literal: String, decoded: String) throws {
    let call = try parse("States.StringToJson(\(literal))")
    #expect(call.arguments == [.string(decoded)])
  }

  @Test(
    "Any other backslash escape is rejected",
    arguments: [#"\""#, #"\n"#, #"\t"#, #"\u0041"#, #"\/"#, #"\a"#])
  func invalidEscapes(escape: String) throws {
    let error = try #require(syntaxError("States.StringToJson('x\(escape)y')"))
    #expect(error.message.contains("invalid escape sequence"))
    #expect(error.offset == 22)
  }

  @Test("A backslash at the end of the text is rejected")
  func danglingBackslash() throws {
    let error = try #require(syntaxError(#"States.StringToJson('x\"#))
    #expect(error.message.contains("backslash"))
  }

  @Test("Raw double quotes, newlines and braces are fine inside a string literal")
  func rawCharacters() throws {
    let call = try parse("States.StringSplit('Hello\nWorld \"q\" {a}', '\n')")
    #expect(call.arguments == [.string("Hello\nWorld \"q\" {a}"), .string("\n")])
  }

  @Test("The first argument of States.Format keeps its escapes")
  func formatTemplateKeepsEscapes() throws {
    let call = try parse(#"States.Format('\{{}\} it\'s \\', $.a)"#)
    #expect(call.arguments == [.formatTemplate(#"\{{}\} it\'s \\"#), .path("$.a")])
    #expect(call.literalValue(at: 0) == .string(#"\{{}\} it\'s \\"#))
    #expect(call.literalValue(at: 1) == nil)
  }

  @Test("Later string arguments of States.Format are decoded")
  func formatValuesDecoded() throws {
    let call = try parse(#"States.Format('{}', 'it\'s')"#)
    #expect(call.arguments[1] == .string("it's"))
  }

  @Test(
    "Paths of every shape are kept as written",
    arguments: [
      "$", "$$", "$.a", "$.a.b[0]", "$$.Execution.Input.FunctionInput", "$var", "$var.field[2]",
      "$[0].detail.job_id", "$.abc.['def ghi']", "$['a,b)']", #"$["x y"]"#,
      "$.DescribeRecord.RecordOutputs[?(@.OutputKey == FizzBuzz)].OutputValue",
    ])
  func paths(path: String) throws {
    let call = try parse("States.ArrayGetItem(\(path), 0)")
    #expect(call.arguments == [.path(path), .number(JSONNumber(0))])
  }

  @Test("Nested calls parse recursively")
  func nested() throws {
    let text =
      "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), "
      + "States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))"
    let call = try parse(text)
    #expect(call.function == .arrayGetItem)
    #expect(call.nestingDepth == 4)
    #expect(call.paths == ["$$.StateMachine.Name", "$$.StateMachine.Name"])
    guard case .call(let inner) = call.arguments[1] else {
      Issue.record("expected a nested call")
      return
    }
    #expect(inner.function == .mathAdd)
    #expect(inner.arguments[1] == .number(JSONNumber(-1)))
  }

  @Test("White space around arguments is allowed, none is needed")
  func whitespace() throws {
    let spaced = try parse("States.MathAdd(  $.a ,\t-1\n )")
    let tight = try parse("States.MathAdd($.a,-1)")
    #expect(spaced == tight)
    #expect(try parse("States.UUID( )").arguments.isEmpty)
  }

  @Test(
    "Malformed calls are rejected with a message and an offset",
    arguments: [
      (" States.Array(1)", 0, "must start with 'States.'"),
      ("States.Array(1) ", 15, "after the end of the call"),
      ("States.Xyz($.a)", 0, "'States.Xyz' is not an intrinsic function"),
      ("States.array(1)", 0, "is not an intrinsic function"),
      ("States.Array (1)", 12, "expected '('"),
      ("States.Array(1", 14, "missing ')'"),
      ("States.Array(1,)", 15, "expected an argument after ','"),
      ("States.Array(,1)", 13, "expected a string"),
      ("States.Array(1 2)", 15, "expected ',' or ')'"),
      ("States.Array('a)", 13, "unterminated string literal"),
      ("States.Array(\"a\")", 13, "single quotes"),
      ("States.Array(01)", 13, "leading zeros"),
      ("States.Array(1.)", 15, "expected a digit after '.'"),
      ("States.Array(-)", 14, "expected a digit after '-'"),
      ("States.Array(1x)", 14, "in a number"),
      ("States.Array(truth)", 13, "expected a string"),
      ("States.Array(nul)", 13, "expected a string"),
      ("States.Array($.a[0)", 13, "missing ']'"),
      ("States.Array($['a)", 15, "unterminated quoted name"),
      ("States.Array(abc)", 13, "expected a string"),
      ("$.a", 0, "must start with 'States.'"),
      ("States.", 0, "'States.' is not an intrinsic function"),
      ("", 0, "must start with 'States.'"),
    ])
  func malformed(text: String, offset: Int, message: String) throws {
    let error = try #require(syntaxError(text))
    #expect(error.message.contains(message), "\(error)")
    #expect(error.offset == offset, "\(error)")
  }

  @Test("Offsets count characters, not bytes")
  func offsetsInCharacters() throws {
    let error = try #require(syntaxError("States.Array('é', 'ü' 1)"))
    #expect(error.offset == 22)
  }

  @Test(
    "Argument counts are checked per function",
    arguments: [
      ("States.Format()", "States.Format takes at least 1 argument"),
      ("States.StringToJson()", "takes 1 argument, but 0 were given"),
      ("States.JsonToString($.a, $.b)", "takes 1 argument, but 2 were given"),
      ("States.ArrayPartition($.a)", "takes 2 arguments, but 1 was given"),
      ("States.ArrayRange(1, 2)", "takes 3 arguments"),
      ("States.Hash($.a)", "takes 2 arguments"),
      ("States.JsonMerge($.a, $.b)", "takes 3 arguments"),
      ("States.MathRandom(1)", "takes 2 or 3 arguments"),
      ("States.MathRandom(1, 2, 3, 4)", "takes 2 or 3 arguments, but 4 were given"),
      ("States.UUID(1)", "takes 0 arguments, but 1 was given"),
    ])
  func argumentCounts(text: String, message: String) throws {
    let error = try #require(syntaxError(text))
    #expect(error.message.contains(message), "\(error)")
  }

  @Test("States.Array and States.Format take any number of arguments")
  func variadic() throws {
    #expect(try parse("States.Array()").arguments.isEmpty)
    let many = (0..<50).map(String.init).joined(separator: ",")
    #expect(try parse("States.Array(\(many))").arguments.count == 50)
    #expect(try parse("States.Format('x')").arguments.count == 1)
    #expect(try parse("States.MathRandom(1, 10, 3)").arguments.count == 3)
  }

  @Test("Deep nesting is an error, not a stack overflow")
  func deepNesting() throws {
    let depth = 10_000
    let text =
      String(repeating: "States.Array(", count: depth) + String(repeating: ")", count: depth)
    let error = try #require(syntaxError(text))
    #expect(error.message.contains("nested more than"))
    let allowed = IntrinsicCall.maximumNestingDepth
    let fine =
      String(repeating: "States.Array(", count: allowed) + String(repeating: ")", count: allowed)
    #expect(try parse(fine).nestingDepth == allowed)
  }

  @Test("Values starting with States. are intrinsic calls; everything else is a path")
  func classification() {
    #expect(IntrinsicCall.isIntrinsicCall("States.Format('{}', $.a)"))
    #expect(IntrinsicCall.isIntrinsicCall("States.Nope()"))
    #expect(!IntrinsicCall.isIntrinsicCall("$.States.Format"))
    #expect(!IntrinsicCall.isIntrinsicCall(" States.Array()"))
    #expect(!IntrinsicCall.isIntrinsicCall("states.Array()"))
    #expect(!IntrinsicCall.isIntrinsicCall("$$"))
  }

  @Test(
    "Writing a call back gives text that parses to the same call",
    arguments: [
      #"States.Format('a\'b \{\} {}', $.x, 'c{d}\\e', 1.5, null, States.UUID())"#,
      "States.JsonMerge(States.StringToJson('{\"k\": 1}'), $$.Execution.Input.f, false)",
      "States.MathRandom($.start,$.end,   7)",
      // Found by fuzzing: a backslash or quote followed by a combining mark lost its escape.
      "States.StringToJson('\\\\\u{8E3} \\'\u{301} \\{\u{301}\\}')",
    ])
  func roundTrip(text: String) throws {
    let call = try parse(text)
    let reparsed = try parse(call.description)
    #expect(reparsed == call)
  }

  @Test("Escaping a value protects every reserved character")
  func escapeHelper() {
    #expect(IntrinsicArgument.escape(#"it's {x} \ ok"#) == #"it\'s \{x\} \\ ok"#)
    #expect(IntrinsicArgument.escape("\\\u{301}'\u{8E3}") == "\\\\\u{301}\\'\u{8E3}")
  }

  @Test("The function table knows each function's argument counts")
  func functionTable() {
    #expect(IntrinsicFunction.allCases.count == 18)
    #expect(IntrinsicFunction.mathRandom.accepts(argumentCount: 2))
    #expect(IntrinsicFunction.mathRandom.accepts(argumentCount: 3))
    #expect(!IntrinsicFunction.mathRandom.accepts(argumentCount: 4))
    #expect(IntrinsicFunction.array.maximumArgumentCount == nil)
    #expect(IntrinsicFunction.uuid.accepts(argumentCount: 0))
    #expect(!IntrinsicFunction.format.accepts(argumentCount: 0))
  }
}

@Suite("Intrinsic load-time validation")
struct IntrinsicValidationTests {
  @Test("A bad call gets AWS's schema code and sentence, then the reason, at the member")
  func awsMessage() throws {
    let value = #"States.StringToJson('{"text":"An \"escaped double quote\" here"}')"#
    let diagnostic = try #require(
      IntrinsicValidation.diagnostic(
        field: "parsed.$", value: value,
        at: ["States", "IntrinsicEscape", "Parameters", "parsed.$"]))
    #expect(diagnostic.code == .schemaValidationFailed)
    #expect(diagnostic.severity == .error)
    let reason = try #require(IntrinsicValidation.problems(in: value).first?.message)
    #expect(
      diagnostic.message
        == "The value for the field 'parsed.$' must be a valid JSONPath or a valid intrinsic function call: \(reason)"
    )
    #expect(diagnostic.pointer.description == "/States/IntrinsicEscape/Parameters/parsed.$")
  }

  @Test("The field message is AWS's sentence alone when there is no reason")
  func messageWithoutReason() {
    #expect(
      IntrinsicValidation.invalidFieldMessage(field: "a.$", reason: nil)
        == IntrinsicValidation.invalidFieldMessage(field: "a.$"))
    #expect(
      IntrinsicValidation.invalidFieldMessage(field: "a.$", reason: "why")
        == IntrinsicValidation.invalidFieldMessage(field: "a.$") + ": why")
  }

  @Test("A valid call and a path produce no diagnostic")
  func noDiagnostic() {
    #expect(IntrinsicValidation.diagnostic(field: "a.$", value: "States.UUID()", at: []) == nil)
    #expect(IntrinsicValidation.diagnostic(field: "a.$", value: "$.x", at: []) == nil)
  }

  @Test(
    "Literal arguments of an impossible type are reported",
    arguments: [
      ("States.MathAdd(1,'-1')", "argument 2 of States.MathAdd must be a number, not a string"),
      ("States.ArrayLength('abc')", "must be an array, not a string"),
      ("States.ArrayContains(1, 1)", "must be an array, not a number"),
      ("States.JsonMerge($.a, $.b, true)", "must be false"),
      ("States.JsonMerge($.a, 'x', false)", "must be an object, not a string"),
      ("States.Hash($.a, 'SHA-3')", "'SHA-3' is not a hash algorithm"),
      ("States.Hash($.a, 5)", "must be a string, not a number"),
      ("States.StringToJson(1)", "must be a string, not a number"),
      ("States.JsonToString('abc')", "must be a path"),
      ("States.Format(1)", "must be a string, not a number"),
      (
        "States.Array(States.MathRandom('a', 2))",
        "argument 1 of States.MathRandom must be a number"
      ),
    ])
  func literalTypes(text: String, message: String) throws {
    let problems = IntrinsicValidation.problems(in: text)
    #expect(problems.count == 1)
    #expect(problems.first?.message.contains(message) == true, "\(problems)")
  }

  @Test("Well-typed literals pass")
  func goodLiterals() {
    for text in [
      "States.MathAdd(1, -1)", "States.Hash('x', 'SHA-512')", "States.ArrayRange(1, 9, 2)",
      "States.Format('{} xyz {}', 1, 'def')", "States.Array('Foo', 2020, $.someJson, null)",
      "States.ArrayContains($.clients.unique, 'null')", "States.JsonMerge($.a, $.b, false)",
    ] {
      #expect(IntrinsicValidation.problems(in: text).isEmpty, "\(text)")
    }
  }

  @Test("A syntax error is reported as one problem with its offset")
  func syntaxProblem() throws {
    let problems = IntrinsicValidation.problems(in: "States.Array(1,)")
    #expect(
      problems == [
        IntrinsicValidation.Problem(message: "expected an argument after ','", offset: 15)
      ])
  }
}

@Suite("What looks like an intrinsic call")
struct LooksLikeIntrinsicTests {
  @Test(
    "A 'States.' text with a parenthesis, ASCII or not, looks like a call; without one it does not")
  func looksLikeACall() {
    #expect(ExpressionSyntax.looksLikeIntrinsic("States.Format('{}', $.a)"))
    #expect(ExpressionSyntax.looksLikeIntrinsic("States.Format('é {}', $.a)"))
    #expect(ExpressionSyntax.looksLikeIntrinsic("States.Array()"))
    #expect(!ExpressionSyntax.looksLikeIntrinsic("States.Format"))
    #expect(!ExpressionSyntax.looksLikeIntrinsic("States.Formaté"))
    #expect(!ExpressionSyntax.looksLikeIntrinsic("$.a(b)"))
    #expect(!ExpressionSyntax.looksLikeIntrinsic(""))
  }
}
