import CorpusSupport
import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

/// A JSONata Pass state `S` with `extra` members.
private func pass(_ extra: String) -> String {
  ASL.single(#""Type": "Pass", "End": true, \#(extra)"#, language: .jsonata)
}

/// A JSONata Task state `S` with `extra` members.
private func task(_ extra: String) -> String {
  ASL.single(
    #""Type": "Task", "Resource": "\#(ASL.lambda)", "End": true, \#(extra)"#, language: .jsonata)
}

/// The only error of `text`, with its `line:column`.
private func onlyError(_ text: String) -> (found: Found, location: String)? {
  let report = Validator.validate(text)
  guard report.errors.count == 1, let error = report.errors.first else { return nil }
  return (Found(error), error.location?.description ?? "")
}

@Suite("Validator: JSONata expressions are parsed at load")
struct ValidatorJSONataTests {
  @Test(
    "A syntax error is INVALID_JSONATA_EXPRESSION with JSONata's message and code",
    arguments: [
      ("10 + * 2", "S0201"), ("$sum($states.input.n", "S0203"), ("420.", "S0207"),
      ("$states.input ?? 1", "S0211"), ("\\\"open", "S0101"), ("a[1,2)", "S0202"),
    ])
  func syntaxErrors(expression: String, code: String) throws {
    let result = try #require(onlyError(pass(#""Output": {"v": "{% \#(expression) %}"}"#)))
    #expect(result.found.code == "INVALID_JSONATA_EXPRESSION")
    #expect(result.found.message.hasSuffix("(JSONata \(code))"))
    #expect(result.found.pointer == "/States/S/Output/v")
  }

  @Test("A syntax error is located at its character inside the definition file")
  func syntaxErrorLocation() throws {
    let text = """
      {"QueryLanguage": "JSONata", "StartAt": "S", "States": {
        "S": {"Type": "Pass", "End": true,
          "Output": "{% 10 + * 2 %}"}}}
      """
    let result = try #require(onlyError(text))
    // `2`, the token JSONata stops at: column 26 of line 3.
    #expect(result.location == "3:26")
    // Escapes in the JSON string count as the one character they stand for.
    let escaped = """
      {"QueryLanguage": "JSONata", "StartAt": "S", "States": {
        "S": {"Type": "Pass", "End": true,
          "Output": "{% \\"\\u00e9\\" & * 2 %}"}}}
      """
    let shifted = try #require(onlyError(escaped))
    #expect(shifted.location == "3:34")
    // Non-ASCII text before the error counts one column per character.
    let accented = """
      {"QueryLanguage": "JSONata", "StartAt": "S", "States": {
        "S": {"Type": "Pass", "End": true,
          "Output": "{% 'é😀' & * 2 %}"}}}
      """
    let wide = try #require(onlyError(accented))
    #expect(wide.location == "3:28")
  }

  @Test("An unfinished expression is located just after its last character")
  func endOfExpression() throws {
    let text = """
      {"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": {"Type": "Pass", "End": true, "Output": "{% $sum(1    %}"}}}
      """
    let result = try #require(onlyError(text))
    #expect(result.found.message == "Expected \")\" before end of expression (JSONata S0203)")
    let column = try #require(text.range(of: "$sum(1")).upperBound
    #expect(result.location == "1:\(text.distance(from: text.startIndex, to: column) + 1)")
  }

  @Test(
    "An expression may not read $, $$ or a field at its top level",
    arguments: [
      ("$", "Reference to '$' at the top level is not supported."),
      ("$.a", "Reference to '$' at the top level is not supported."),
      ("$$.Execution.Id", "Reference to '$$' is not supported."),
      ("phone", "Reference to 'phone' at the top level is not supported."),
      ("order.total * 2", "Reference to 'order' at the top level is not supported."),
      ("{aaa: 1}", "Reference to 'aaa' at the top level is not supported."),
      ("$map([1], function($x){ b })", "Reference to 'b' at the top level is not supported."),
    ])
  func topLevelReferences(expression: String, message: String) throws {
    let result = try #require(onlyError(pass(#""Output": "{% \#(expression) %}""#)))
    #expect(result.found == .error(.unsupportedJSONataExpression, message, at: "/States/S/Output"))
  }

  @Test(
    "Names read from a value, not from the top level, are accepted",
    arguments: [
      "$states.input.items[value > 3].name", "$states.input.a.b", "$x", "$count($states.input.l)",
      "$states.input.items^(price)", "$states.input.items{type: $sum(price)}", "{'a': 1}",
      "$states.context.Execution.Id", "($v := 1; $v + 1)", "$states.input.l.$string()",
    ])
  func acceptedReferences(expression: String) {
    #expect(errors(pass(#""Output": "{% \#(expression) %}""#)) == [])
  }

  @Test("$states.result is only in a Task, Parallel or Map state's Output and Assign")
  func statesResult() {
    #expect(errors(task(#""Output": "{% $states.result %}""#)) == [])
    #expect(errors(task(#""Assign": {"r": "{% $states.result.Payload %}"}"#)) == [])
    let unavailable = Found.error(
      .unsupportedJSONataExpression, "Field '$states.result' does not exist.",
      at: "/States/S/Arguments/x")
    #expect(errors(task(#""Arguments": {"x": "{% $states.result %}"}"#)) == [unavailable])
    #expect(
      errors(pass(#""Output": "{% $states.result %}""#)) == [
        .error(
          .unsupportedJSONataExpression, "Field '$states.result' does not exist.",
          at: "/States/S/Output")
      ])
  }

  @Test("$states.errorOutput is only in a Catcher's Output and Assign")
  func statesErrorOutput() {
    let catcher = #""Catch": [{"ErrorEquals": ["States.ALL"], "Next": "S", "#
    #expect(
      errors(
        task(
          catcher
            + #""Output": "{% $states.errorOutput %}", "Assign": {"e": "{% $states.errorOutput.Error %}"}}]"#
        )) == [])
    #expect(
      errors(task(#""Output": {"e": "{% $states.errorOutput %}"}"#)) == [
        .error(
          .unsupportedJSONataExpression, "Field '$states.errorOutput' does not exist.",
          at: "/States/S/Output/e")
      ])
    #expect(
      errors(task(catcher + #""Output": "{% $states.result %}"}]"#)) == [
        .error(
          .unsupportedJSONataExpression, "Field '$states.result' does not exist.",
          at: "/States/S/Catch/0/Output")
      ])
  }

  @Test("Every JSONata field is parsed: numbers, Condition, Items, ItemSelector, Error, Timestamp")
  func everyField() {
    let broken = "{% 1 + %}"
    let cases: [(String, String)] = [
      (task(#""TimeoutSeconds": "\#(broken)""#), "/States/S/TimeoutSeconds"),
      (task(#""HeartbeatSeconds": "\#(broken)""#), "/States/S/HeartbeatSeconds"),
      (task(#""Credentials": {"RoleArn": "\#(broken)"}"#), "/States/S/Credentials/RoleArn"),
      (
        ASL.single(#""Type": "Wait", "Seconds": "\#(broken)", "End": true"#, language: .jsonata),
        "/States/S/Seconds"
      ),
      (
        ASL.single(#""Type": "Wait", "Timestamp": "\#(broken)", "End": true"#, language: .jsonata),
        "/States/S/Timestamp"
      ),
      (
        ASL.single(#""Type": "Fail", "Error": "\#(broken)""#, language: .jsonata),
        "/States/S/Error"
      ),
      (
        ASL.machine(
          #""S": {"Type": "Choice", "Choices": [{"Condition": "\#(broken)", "Next": "T"}]}, "T": {"Type": "Succeed"}"#,
          language: .jsonata), "/States/S/Choices/0/Condition"
      ),
      (
        ASL.single(
          #""Type": "Map", "Items": ["\#(broken)"], "ItemProcessor": \#(ASL.graph("P")), "End": true"#,
          language: .jsonata), "/States/S/Items/0"
      ),
      (
        ASL.single(
          #""Type": "Map", "ItemSelector": {"a": {"b": "\#(broken)"}}, "ItemProcessor": \#(ASL.graph("P")), "End": true"#,
          language: .jsonata), "/States/S/ItemSelector/a/b"
      ),
      (
        ASL.single(
          #""Type": "Map", "MaxConcurrency": "\#(broken)", "ToleratedFailurePercentage": 5, "ItemProcessor": \#(ASL.graph("P")), "End": true"#,
          language: .jsonata), "/States/S/MaxConcurrency"
      ),
    ]
    for (text, pointer) in cases {
      #expect(
        errors(text).map { "\($0.code) \($0.pointer)" } == [
          "INVALID_JSONATA_EXPRESSION \(pointer)"
        ], "\(text)")
    }
  }

  @Test("A {% %} string in a JSONPath state is a plain string, not parsed")
  func jsonPathStatesDoNotParse() {
    #expect(
      errors(
        ASL.single(#""Type": "Pass", "End": true, "Parameters": {"a": "{% 1 + %}"}"#))
        == [])
  }

  @Test("A definition given as a JSON value gets the same diagnostics, without a location")
  func valueDefinitions() throws {
    let value = try JSONParser.parse(Array(pass(#""Output": "{% phone %}""#).utf8))
    let report = StateMachineLoader.load(value).report
    #expect(report.errors.map(\.code) == [.unsupportedJSONataExpression])
    #expect(report.errors.first?.location == nil)
  }
}

@Suite("AWS-accepted JSONata definitions load", .requiresCorpus)
struct AcceptedJSONataDefinitionTests {
  @Test("Every JSONata definition AWS ran or that the sample collection deploys is accepted")
  func acceptedDefinitions() {
    let cases = ValidationCase.load().filter { testCase in
      testCase.expectValid && !testCase.suite.hasPrefix("fixtures")
        && String(decoding: testCase.definition, as: UTF8.self).contains("\"JSONata\"")
    }
    #expect(cases.count > 100, "expected the corpus's JSONata definitions")
    var expressions = 0
    for testCase in cases {
      let result: StateMachineDefinition
      do {
        result = try StateMachineDefinition(bytes: testCase.definition, options: testCase.options)
      } catch {
        Issue.record("\(testCase.key): \(error)")
        continue
      }
      expressions += result.graph.states.reduce(0) { count, state in
        count + (state.io.compiledOutput?.expressions.count ?? 0)
          + (state.io.compiledArguments?.expressions.count ?? 0)
          + (state.compiledAssign?.expressions.count ?? 0)
      }
    }
    #expect(expressions > 100, "expected compiled expressions in the accepted definitions")
  }
}
