import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

/// The smallest valid body of each state type, in each query language. A Choice state goes to a
/// Succeed state named `T`, so every body is used in a machine with `S` and `T`.
enum MinimalState: String, CaseIterable, CustomTestStringConvertible, Sendable {
  case pass = "Pass"
  case task = "Task"
  case choice = "Choice"
  case wait = "Wait"
  case succeed = "Succeed"
  case fail = "Fail"
  case parallel = "Parallel"
  case map = "Map"

  var testDescription: String { rawValue }

  /// The body's members (JSON text without braces).
  func body(_ language: QueryLanguage) -> String {
    switch self {
    case .pass: return #""Type": "Pass", "Next": "T""#
    case .task: return #""Type": "Task", "Resource": "\#(ASL.lambda)", "Next": "T""#
    case .choice:
      let rule =
        language == .jsonata
        ? #"{"Condition": "{% $states.input.x %}", "Next": "T"}"#
        : #"{"Variable": "$.x", "IsPresent": true, "Next": "T"}"#
      return #""Type": "Choice", "Choices": [\#(rule)], "Default": "T""#
    case .wait: return #""Type": "Wait", "Seconds": 1, "Next": "T""#
    case .succeed: return #""Type": "Succeed""#
    case .fail: return #""Type": "Fail""#
    case .parallel: return #""Type": "Parallel", "Branches": [\#(ASL.graph("B"))], "Next": "T""#
    case .map: return #""Type": "Map", "ItemProcessor": \#(ASL.graph("M")), "Next": "T""#
    }
  }

  /// Whether the state goes on to `T` (otherwise `T` would be unreachable).
  var transitions: Bool { self != .succeed && self != .fail }

  /// A machine with `S` (this state, plus `extra` members) and, when `S` transitions, `T`.
  func machine(_ language: QueryLanguage = .jsonPath, extra: String = "") -> String {
    let members = extra.isEmpty ? body(language) : body(language) + ", " + extra
    var states = "\"S\": {\(members)}"
    if transitions { states += #", "T": {"Type": "Succeed"}"# }
    return ASL.machine(states, language: language == .jsonata ? .jsonata : nil)
  }
}

@Suite("Validator: fields each state type allows, per query language")
struct ValidatorStateFieldTests {
  @Test("The smallest state of each type is valid in JSONPath", arguments: MinimalState.allCases)
  func minimalJSONPath(state: MinimalState) {
    #expect(found(state.machine()) == [])
  }

  @Test("The smallest state of each type is valid in JSONata", arguments: MinimalState.allCases)
  func minimalJSONata(state: MinimalState) {
    #expect(found(state.machine(.jsonata)) == [])
  }

  @Test(
    "A field the state type does not have is not supported, at the state",
    arguments: [
      (MinimalState.pass, "\"TimeoutSeconds\": 5"),
      (.pass, "\"Retry\": []"),
      (.pass, "\"Catch\": []"),
      (.pass, "\"Resource\": \"x\""),
      (.wait, "\"Retry\": []"),
      (.wait, "\"Result\": {}"),
      (.choice, "\"ResultPath\": \"$.x\""),
      (.choice, "\"Parameters\": {}"),
      (.succeed, "\"Assign\": {}"),
      (.succeed, "\"ResultPath\": \"$.x\""),
      (.fail, "\"InputPath\": \"$\""),
      (.fail, "\"OutputPath\": \"$\""),
      (.fail, "\"Assign\": {}"),
      (.parallel, "\"TimeoutSeconds\": 5"),
      (.parallel, "\"Iterator\": {}"),
      (.map, "\"TimeoutSeconds\": 5"),
      (.map, "\"Branches\": []"),
      (.task, "\"Result\": {}"),
      (.task, "\"Foo\": 1"),
    ])
  func unsupportedField(state: MinimalState, member: String) throws {
    let key = try #require(member.split(separator: "\"").first.map(String.init))
    #expect(
      found(state.machine(extra: member)) == [
        .schema("Field '\(key)' is not supported", at: "/States/S")
      ])
  }

  @Test(
    "Next and End are not fields of Choice, Succeed and Fail states",
    arguments: [MinimalState.choice, .succeed, .fail])
  func noTransitionFields(state: MinimalState) {
    #expect(
      found(state.machine(extra: #""Next": "S""#)) == [
        .schema("Field 'Next' is not supported", at: "/States/S")
      ])
    #expect(
      found(state.machine(extra: #""End": true"#)) == [
        .schema("Field 'End' is not supported", at: "/States/S")
      ])
  }

  @Test(
    "A JSONPath-only field in a JSONata state names both query languages",
    arguments: [
      (MinimalState.pass, "InputPath", "\"$\""),
      (.pass, "OutputPath", "\"$\""),
      (.pass, "ResultPath", "\"$.r\""),
      (.pass, "Parameters", "{}"),
      (.pass, "Result", "{}"),
      (.task, "ResultSelector", "{}"),
      (.task, "TimeoutSecondsPath", "\"$.t\""),
      (.task, "HeartbeatSecondsPath", "\"$.h\""),
      (.wait, "InputPath", "\"$\""),
      (.fail, "ErrorPath", "\"$.e\""),
      (.fail, "CausePath", "\"$.c\""),
      (.map, "ItemsPath", "\"$.items\""),
      (.map, "MaxConcurrencyPath", "\"$.m\""),
      (.parallel, "ResultSelector", "{}"),
    ])
  func jsonPathFieldInJSONata(state: MinimalState, key: String, value: String) {
    let text = state.machine(.jsonata, extra: "\"\(key)\": \(value)")
    #expect(
      found(text) == [
        .schema(
          "The QueryLanguage is set to 'JSONata', but field '\(key)' is only supported for the 'JSONPath' QueryLanguage",
          at: "/States/S")
      ])
  }

  @Test(
    "A JSONata-only field in a JSONPath state names both query languages, as AWS words it",
    arguments: [
      (MinimalState.pass, "Output", "{}"),
      (.task, "Output", "{}"),
      (.task, "Arguments", "{}"),
      (.parallel, "Arguments", "{}"),
      (.map, "Items", "[]"),
      (.succeed, "Output", "{}"),
      (.choice, "Output", "{}"),
    ])
  func jsonataFieldInJSONPath(state: MinimalState, key: String, value: String) {
    let text = state.machine(extra: "\"\(key)\": \(value)")
    #expect(
      found(text) == [
        .schema(
          "The QueryLanguage is set to 'JSONPath', but field '\(key)' is only supported for the 'JSONata' QueryLanguage",
          at: "/States/S")
      ])
  }

  @Test("A JSONPath state cannot be declared inside a JSONata machine")
  func jsonPathStateInJSONataMachine() {
    let text = ASL.single(
      #""Type": "Pass", "QueryLanguage": "JSONPath", "End": true"#, language: .jsonata)
    #expect(
      found(text) == [
        .schema(
          "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
          at: "/States/S")
      ])
  }

  @Test("A JSONata state inside a JSONPath machine uses JSONata fields")
  func jsonataStateInJSONPathMachine() throws {
    let text = ASL.single(
      #""Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% 1 %}", "End": true"#)
    #expect(found(text) == [])
    let definition = try StateMachineDefinition(json: text)
    #expect(definition.queryLanguage == .jsonPath)
    #expect(definition.graph.states.first?.queryLanguage == .jsonata)
  }

  @Test(
    "QueryLanguage must be exactly JSONPath or JSONata",
    arguments: ["\"jsonata\"", "\"JSONPATH\"", "\"\""])
  func invalidQueryLanguage(value: String) {
    let top =
      "{\"QueryLanguage\": \(value), \"StartAt\": \"S\", \"States\": {\"S\": {\"Type\": \"Succeed\"}}}"
    #expect(
      found(top) == [
        .schema(
          "The value for the field 'QueryLanguage' must be one of [JSONPath, JSONata]",
          at: "/QueryLanguage")
      ])
    let state = ASL.single("\"Type\": \"Succeed\", \"QueryLanguage\": \(value)")
    #expect(
      found(state) == [
        .schema(
          "The value for the field 'QueryLanguage' must be one of [JSONPath, JSONata]",
          at: "/States/S/QueryLanguage")
      ])
  }

  @Test("A misspelt QueryLanguage is reported once; the state's fields are checked as meant")
  func misspeltQueryLanguage() {
    let jsonPathTypo =
      "{\"QueryLanguage\": \"jsonpath\", \"StartAt\": \"S\", \"States\": {\"S\": {\"Type\": \"Pass\", \"Parameters\": {}, \"End\": true}}}"
    #expect(
      found(jsonPathTypo) == [
        .schema(
          "The value for the field 'QueryLanguage' must be one of [JSONPath, JSONata]",
          at: "/QueryLanguage")
      ])
    let jsonataTypo = ASL.single(
      #""Type": "Pass", "QueryLanguage": "JSONATA", "Output": {}, "End": true"#)
    #expect(
      found(jsonataTypo) == [
        .schema(
          "The value for the field 'QueryLanguage' must be one of [JSONPath, JSONata]",
          at: "/States/S/QueryLanguage")
      ])
    let downgradeTypo = ASL.single(
      #""Type": "Pass", "QueryLanguage": "Jsonpath", "End": true"#, language: .jsonata)
    #expect(
      found(downgradeTypo) == [
        .schema(
          "The value for the field 'QueryLanguage' must be one of [JSONPath, JSONata]",
          at: "/States/S/QueryLanguage")
      ])
  }

  @Test("QueryLanguage must be a string")
  func queryLanguageType() {
    let text = ASL.single(#""Type": "Succeed", "QueryLanguage": 1"#)
    #expect(
      found(text) == [
        .schema(
          "The value for the field 'QueryLanguage' must be a STRING", at: "/States/S/QueryLanguage")
      ])
  }

  @Test("Next and End: true together are mutually exclusive")
  func nextAndEnd() {
    let text = ASL.machine(
      #""S": {"Type": "Pass", "Next": "T", "End": true}, "T": {"Type": "Succeed"}"#)
    #expect(
      found(text) == [
        .schema("The fields 'Next' and 'End' are mutually exclusive", at: "/States/S")
      ])
  }

  @Test("A state that can continue needs Next or End: true")
  func neitherNextNorEnd() {
    #expect(
      found(ASL.single(#""Type": "Pass""#)) == [
        .schema("Either 'Next' or 'End' with the value true is required", at: "/States/S")
      ])
  }

  @Test("End: false without Next is reported at End")
  func endFalseWithoutNext() {
    #expect(
      found(ASL.single(#""Type": "Pass", "End": false"#)) == [
        .schema("'End' is false but no 'Next' is given", at: "/States/S/End")
      ])
  }

  @Test("End: false with Next is a plain transition")
  func endFalseWithNext() throws {
    let text = ASL.machine(
      #""S": {"Type": "Pass", "End": false, "Next": "T"}, "T": {"Type": "Succeed"}"#)
    #expect(found(text) == [])
    let definition = try StateMachineDefinition(json: text)
    #expect(definition.graph.states.first?.transition == .next("T"))
  }

  @Test("Next must be a string and End a Boolean")
  func transitionFieldTypes() {
    #expect(
      found(ASL.single(#""Type": "Pass", "End": "yes""#)) == [
        .schema("The value for the field 'End' must be a BOOLEAN", at: "/States/S/End")
      ])
    #expect(
      found(ASL.single(#""Type": "Pass", "Next": 3"#)) == [
        .schema("The value for the field 'Next' must be a STRING", at: "/States/S/Next")
      ])
  }

  @Test("Type is required, must be a string and must name a state type")
  func stateType() {
    #expect(
      found(ASL.single(#""End": true"#)) == [
        .schema("The field 'Type' is required but was missing", at: "/States/S")
      ])
    #expect(
      found(ASL.single(#""Type": "Sleep", "End": true"#)) == [
        .schema(
          "The value for the field 'Type' must be one of [Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map]",
          at: "/States/S/Type")
      ])
    #expect(
      found(ASL.single(#""Type": 1, "End": true"#)) == [
        .schema("The value for the field 'Type' must be a STRING", at: "/States/S/Type")
      ])
  }

  @Test("A state must be an object")
  func stateMustBeAnObject() {
    #expect(
      found(ASL.machine(#""S": "Pass""#)) == [
        .schema("The value for the state 'S' must be an OBJECT", at: "/States/S")
      ])
  }

  @Test("A state's Comment must be a string")
  func stateComment() {
    #expect(
      found(ASL.single(#""Type": "Succeed", "Comment": 1"#)) == [
        .schema("The value for the field 'Comment' must be a STRING", at: "/States/S/Comment")
      ])
  }
}
