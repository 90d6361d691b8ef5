import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

/// A Choice state `S` with one choice rule `rule` (JSON object text) going to `T`.
private func choice(_ rule: String, language: QueryLanguage? = nil) -> String {
  ASL.machine(
    #""S": {"Type": "Choice", "Choices": [\#(rule)], "Default": "T"}, "T": {"Type": "Succeed"}"#,
    language: language)
}

/// The rule of the first choice of the loaded definition.
private func firstRule(_ text: String) throws -> ChoiceRule {
  let definition = try StateMachineDefinition(json: text)
  guard case .choice(let state) = definition.graph.states.first?.kind,
    let branch = state.choices.first
  else { throw ModelShapeError() }
  return branch.rule
}

/// The loaded model did not have the expected shape.
private struct ModelShapeError: Error {}

@Suite("Validator: Choice rules")
struct ValidatorChoiceTests {
  @Test("Choices is required and must not be empty")
  func choicesRequired() {
    #expect(
      found(ASL.machine(#""S": {"Type": "Choice", "Default": "T"}, "T": {"Type": "Succeed"}"#)) == [
        .schema("The field 'Choices' is required but was missing", at: "/States/S")
      ])
    #expect(
      found(
        ASL.machine(
          #""S": {"Type": "Choice", "Choices": [], "Default": "T"}, "T": {"Type": "Succeed"}"#))
        == [
          .schema("The field 'Choices' must not be empty", at: "/States/S/Choices")
        ])
    #expect(
      found(choice("1")) == [.schema("A Choice Rule must be an OBJECT", at: "/States/S/Choices/0")])
  }

  @Test("A choice without Next is reported once, without a missing-target cascade")
  func choiceWithoutNext() {
    #expect(
      found(choice(#"{"Variable": "$.x", "IsPresent": true}"#)) == [
        .schema("The field 'Next' is required but was missing", at: "/States/S/Choices/0")
      ])
  }

  @Test("A rule needs an operator")
  func ruleWithoutOperator() {
    #expect(
      found(choice(#"{"Variable": "$.x", "Next": "T"}"#)) == [
        .schema(
          "A Choice Rule must have exactly one comparison operator, or one of 'And', 'Or', 'Not'",
          at: "/States/S/Choices/0")
      ])
  }

  @Test(
    "A rule with two operators is rejected",
    arguments: [
      #"{"Variable": "$.x", "IsPresent": true, "IsNull": false, "Next": "T"}"#,
      #"{"Variable": "$.x", "StringEquals": "a", "And": [], "Next": "T"}"#,
      #"{"And": [], "Or": [], "Next": "T"}"#,
    ])
  func ruleWithSeveralOperators(rule: String) {
    #expect(
      found(choice(rule)) == [
        .schema(
          "A Choice Rule must have exactly one comparison operator, or one of 'And', 'Or', 'Not', not several",
          at: "/States/S/Choices/0")
      ])
  }

  @Test("A comparison needs a Variable")
  func comparisonNeedsVariable() {
    #expect(
      found(choice(#"{"StringEquals": "a", "Next": "T"}"#)) == [
        .schema("The field 'Variable' is required but was missing", at: "/States/S/Choices/0")
      ])
  }

  @Test("Variable does not go with And, Or or Not", arguments: ["And", "Or"])
  func variableWithBoolean(key: String) {
    let rule =
      "{\"Variable\": \"$.x\", \"\(key)\": [{\"Variable\": \"$.y\", \"IsPresent\": true}], \"Next\": \"T\"}"
    #expect(
      found(choice(rule)) == [
        .schema(
          "Field 'Variable' is not supported together with '\(key)'", at: "/States/S/Choices/0")
      ])
  }

  @Test("And, Or and Not nest, and the model keeps the structure")
  func booleanNesting() throws {
    let rule = """
      {"And": [
        {"Variable": "$.a", "NumericGreaterThan": 1},
        {"Or": [{"Variable": "$.b", "IsNull": true}, {"Not": {"Variable": "$.c", "StringEquals": "x"}}]}
      ], "Next": "T"}
      """
    #expect(found(choice(rule)) == [])
    guard case .and(let parts) = try firstRule(choice(rule)), parts.count == 2,
      case .comparison(let first) = parts[0], case .or(let alternatives) = parts[1],
      alternatives.count == 2, case .not(.comparison(let negated)) = alternatives[1]
    else {
      Issue.record("unexpected rule structure")
      return
    }
    #expect(first.variable == "$.a")
    #expect(first.comparator == .numericGreaterThan)
    if case .value(let value) = first.operand {
      #expect(value == .number(JSONNumber(1)))
    } else {
      Issue.record("expected a literal operand")
    }
    #expect(negated.comparator == .stringEquals)
  }

  @Test("And and Or must be non-empty arrays of rules; Not must be one rule")
  func booleanShapes() {
    #expect(
      found(choice(#"{"And": [], "Next": "T"}"#)) == [
        .schema("The field 'And' must not be empty", at: "/States/S/Choices/0/And")
      ])
    #expect(
      found(choice(#"{"Or": {}, "Next": "T"}"#)) == [
        .schema("The value for the field 'Or' must be an ARRAY", at: "/States/S/Choices/0/Or")
      ])
    #expect(
      found(choice(#"{"Or": [1], "Next": "T"}"#)) == [
        .schema("A Choice Rule must be an OBJECT", at: "/States/S/Choices/0/Or/0")
      ])
    #expect(
      found(choice(#"{"Not": [], "Next": "T"}"#)) == [
        .schema("The value for the field 'Not' must be an OBJECT", at: "/States/S/Choices/0/Not")
      ])
  }

  @Test("A nested rule must not have Next, and this is reported once", arguments: ["And", "Not"])
  func nestedNext(key: String) {
    let nested = #"{"Variable": "$.x", "IsPresent": true, "Next": "T"}"#
    let rule =
      key == "Not"
      ? "{\"Not\": \(nested), \"Next\": \"T\"}" : "{\"And\": [\(nested)], \"Next\": \"T\"}"
    let pointer = key == "Not" ? "/States/S/Choices/0/Not" : "/States/S/Choices/0/And/0"
    #expect(
      found(choice(rule)) == [
        .schema("Field 'Next' is not supported in a nested Choice Rule", at: pointer)
      ])
  }

  @Test("A nested rule may have a Comment but not Assign")
  func nestedRuleFields() {
    #expect(
      found(
        choice(#"{"Not": {"Variable": "$.x", "IsPresent": true, "Comment": "c"}, "Next": "T"}"#))
        == [])
    #expect(
      found(choice(#"{"Not": {"Variable": "$.x", "IsPresent": true, "Assign": {}}, "Next": "T"}"#))
        == [
          .schema("Field 'Assign' is not supported", at: "/States/S/Choices/0/Not")
        ])
  }

  @Test(
    "Each operator takes its own operand type",
    arguments: [
      ("StringEquals", "1", "a STRING"),
      ("StringLessThan", "true", "a STRING"),
      ("StringMatches", "null", "a STRING"),
      ("NumericEquals", "\"1\"", "a NUMBER"),
      ("NumericGreaterThanEquals", "[]", "a NUMBER"),
      ("BooleanEquals", "\"true\"", "a BOOLEAN"),
      ("IsNull", "1", "a BOOLEAN"),
      ("IsPresent", "\"yes\"", "a BOOLEAN"),
      ("IsTimestamp", "0", "a BOOLEAN"),
      ("TimestampEquals", "\"2016-13-01T00:00:00Z\"", "an RFC3339 timestamp STRING"),
      ("TimestampLessThan", "1", "an RFC3339 timestamp STRING"),
    ])
  func operandTypes(key: String, value: String, expected: String) {
    let rule = "{\"Variable\": \"$.x\", \"\(key)\": \(value), \"Next\": \"T\"}"
    #expect(
      found(choice(rule)) == [
        .schema(
          "The value for the field '\(key)' must be \(expected)", at: "/States/S/Choices/0/\(key)")
      ])
  }

  @Test(
    "Every operator accepts an operand of its type",
    arguments: Comparator.allCases)
  func everyOperatorAccepted(comparator: Comparator) throws {
    let value: String
    switch comparator.operandKind {
    case .string: value = "\"a\""
    case .number: value = "1.5"
    case .boolean: value = "true"
    case .timestamp: value = "\"2016-03-14T01:59:00Z\""
    }
    let text = choice(
      "{\"Variable\": \"$.x\", \"\(comparator.rawValue)\": \(value), \"Next\": \"T\"}")
    #expect(found(text) == [])
    guard case .comparison(let comparison) = try firstRule(text) else {
      Issue.record("expected a comparison")
      return
    }
    #expect(comparison.comparator == comparator)
  }

  @Test("The ...Path operators take a reference path and the model keeps it as a path")
  func pathOperators() throws {
    let text = choice(#"{"Variable": "$.x", "StringEqualsPath": "$.y", "Next": "T"}"#)
    #expect(found(text) == [])
    guard case .comparison(let comparison) = try firstRule(text),
      case .path(let path) = comparison.operand
    else {
      Issue.record("expected a path operand")
      return
    }
    #expect(path == "$.y")
    #expect(comparison.comparator == .stringEquals)
    #expect(
      found(choice(#"{"Variable": "$.x", "NumericEqualsPath": 1, "Next": "T"}"#)) == [
        .schema(
          "The value for the field 'NumericEqualsPath' must be a STRING",
          at: "/States/S/Choices/0/NumericEqualsPath")
      ])
    let notAPath = errors(choice(#"{"Variable": "$.x", "TimestampEqualsPath": "x", "Next": "T"}"#))
    #expect(notAPath.map(\.pointer) == ["/States/S/Choices/0/TimestampEqualsPath"])
  }

  @Test(
    "Type tests and StringMatches have no ...Path form",
    arguments: ["IsNullPath", "IsPresentPath", "StringMatchesPath", "IsTimestampPath"])
  func noPathForm(key: String) {
    let rule = "{\"Variable\": \"$.x\", \"\(key)\": \"$.y\", \"Next\": \"T\"}"
    #expect(
      found(choice(rule)) == [
        .schema("Field '\(key)' is not supported", at: "/States/S/Choices/0"),
        .schema(
          "A Choice Rule must have exactly one comparison operator, or one of 'And', 'Or', 'Not'",
          at: "/States/S/Choices/0"),
      ])
  }

  @Test("Variable may read the Context Object or a variable")
  func variableForms() {
    #expect(
      found(choice(#"{"Variable": "$$.Execution.Input.x", "IsPresent": true, "Next": "T"}"#)) == [])
    #expect(found(choice(#"{"Variable": "$count", "NumericEquals": 1, "Next": "T"}"#)) == [])
  }

  @Test("A JSONata choice uses Condition, an expression or a Boolean")
  func jsonataCondition() throws {
    let text = choice(
      #"{"Condition": "{% $states.input.n > 1 %}", "Next": "T"}"#, language: .jsonata)
    #expect(found(text) == [])
    guard case .condition(.expression(let expression)) = try firstRule(text) else {
      Issue.record("expected a condition expression")
      return
    }
    #expect(expression.text == " $states.input.n > 1 ")
    #expect(expression.field == "Choices/0/Condition")
    let literal = choice(#"{"Condition": true, "Next": "T"}"#, language: .jsonata)
    #expect(found(literal) == [])
    guard case .condition(.literal(true)) = try firstRule(literal) else {
      Issue.record("expected a literal condition")
      return
    }
  }

  @Test("A JSONata choice needs a Condition that is an expression or a Boolean")
  func jsonataConditionRules() {
    #expect(
      found(choice(#"{"Next": "T"}"#, language: .jsonata)) == [
        .schema("The field 'Condition' is required but was missing", at: "/States/S/Choices/0")
      ])
    #expect(
      found(choice(#"{"Condition": "$states.input.n > 1", "Next": "T"}"#, language: .jsonata)) == [
        .schema(
          "The value for the field 'Condition' must be a JSONata expression or a BOOLEAN",
          at: "/States/S/Choices/0/Condition")
      ])
    #expect(
      found(choice(#"{"Condition": true, "Variable": "$.x", "Next": "T"}"#, language: .jsonata))
        == [
          .schema("Field 'Variable' is not supported", at: "/States/S/Choices/0")
        ])
  }

  @Test("Condition in a JSONPath choice names both query languages")
  func conditionInJSONPath() {
    #expect(
      errors(choice(#"{"Condition": true, "Next": "T"}"#)).first
        == .schema(
          "The QueryLanguage is set to 'JSONPath', but field 'Condition' is only supported for the 'JSONata' QueryLanguage",
          at: "/States/S/Choices/0"))
  }

  @Test("A JSONata choice may have Output and Assign; a JSONPath choice only Assign")
  func choiceOutputAndAssign() {
    #expect(
      found(
        choice(
          #"{"Condition": true, "Output": "{% 1 %}", "Assign": {"x": 1}, "Next": "T"}"#,
          language: .jsonata))
        == [])
    #expect(
      found(choice(#"{"Variable": "$.x", "IsPresent": true, "Assign": {"x": 1}, "Next": "T"}"#))
        == [])
    #expect(
      found(choice(#"{"Variable": "$.x", "IsPresent": true, "Output": {}, "Next": "T"}"#)) == [
        .schema("Field 'Output' is not supported", at: "/States/S/Choices/0")
      ])
  }

  @Test("Default must be a string naming a state")
  func defaultTarget() {
    let text = ASL.machine(
      #""S": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "T"}], "Default": 1}, "T": {"Type": "Succeed"}"#
    )
    #expect(
      found(text) == [
        .schema("The value for the field 'Default' must be a STRING", at: "/States/S/Default")
      ])
  }
}
