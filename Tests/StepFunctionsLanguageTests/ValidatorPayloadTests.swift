import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

/// A Pass state `S` with `extra` members.
private func pass(_ extra: String, language: QueryLanguage? = nil) -> String {
  ASL.single(#""Type": "Pass", "End": true, \#(extra)"#, language: language)
}

/// A Task state `S` with `extra` members.
private func task(_ extra: String, language: QueryLanguage? = nil) -> String {
  ASL.single(
    #""Type": "Task", "Resource": "\#(ASL.lambda)", "End": true, \#(extra)"#, language: language)
}

@Suite("Validator: payload templates, paths, JSONata strings and Assign")
struct ValidatorPayloadTests {
  // MARK: JSONPath payload templates

  @Test(
    "Values of .$ keys may be paths, Context Object paths, variables and intrinsic calls",
    arguments: [
      "$", "$.a.b", "$$.Execution.Id", "$var", "$var.field", "States.Format('{}', $.a)",
      "States.UUID()",
    ])
  func dynamicValuesAccepted(value: String) {
    #expect(found(pass("\"Parameters\": {\"x.$\": \"\(value)\"}")) == [])
  }

  @Test(
    "A .$ value that is neither a path nor an intrinsic call gets AWS's message, the reason, and the member's pointer",
    arguments: [
      ("a.b", "a path must start with '$'"), ("", "a path must not be empty"),
      ("States.Format", "expected '(' right after States.Format, found end of text"),
      ("hello $.a", "a path must start with '$'"),
      ("States.Nope(1)", "'States.Nope' is not an intrinsic function"),
      ("States.ArrayLength()", "States.ArrayLength takes 1 argument, but 0 were given"),
      ("States.MathAdd(1, '2')", "argument 2 of States.MathAdd must be a number, not a string"),
    ])
  func dynamicValueRejected(value: String, reason: String) {
    #expect(
      found(pass("\"Parameters\": {\"x.$\": \"\(value)\"}")) == [
        .schema(
          "The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call: \(reason)",
          at: "/States/S/Parameters/x.$")
      ])
  }

  @Test("The line and column of a bad .$ value are those of the value, not of the template")
  func dynamicValueLocation() throws {
    let text = """
      {"StartAt": "S", "States": {"S": {"Type": "Pass", "End": true,
        "Parameters": {
          "ok.$": "$.a",
          "x.$": "States.Nope(1)"}}}}
      """
    let diagnostic = try #require(Validator.validate(text).errors.first)
    #expect(diagnostic.pointer.description == "/States/S/Parameters/x.$")
    #expect(diagnostic.location?.line == 4)
    #expect(diagnostic.location?.column == 12)
  }

  // Found by fuzzing (Tests/Fuzz): the call syntax accepted these path arguments, the plan
  // compiler did not, so a definition the validator accepted could not be compiled.
  @Test(
    "An intrinsic call whose path argument is not a valid path gets AWS's message",
    arguments: [
      "States.Format('{}-{}', $.a, $$xE.ecution.Name)", "States.ArrayLength($.)",
      "States.Array(States.JsonToString($..))", "States.Format('{}', $[?(@.a =~ /(/)])",
    ])
  func intrinsicPathArgumentRejected(value: String) {
    let text =
      #"{"StartAt": "S", "States": {"S": {"Type": "Pass", "End": true, "Parameters": {"x.$": "\#(value)"}}}}"#
    let errors = Validator.validate(text).errors
    #expect(errors.count == 1)
    #expect(errors.first?.code == .schemaValidationFailed)
    #expect(errors.first?.pointer.description == "/States/S/Parameters/x.$")
    #expect(
      errors.first?.message.hasPrefix(
        "The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call: the path"
      ) == true, "\(errors)")
    #expect(IntrinsicValidation.problems(in: value).count == 1)
  }

  @Test("A nested template reports at the nested member, inside arrays too")
  func nestedDynamicValue() {
    #expect(
      found(task(#""Parameters": {"a": [{"b": {"x.$": "bad"}}]}"#)) == [
        .schema(
          "The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call: a path must start with '$'",
          at: "/States/S/Parameters/a/0/b/x.$")
      ])
  }

  @Test(
    "ResultSelector and Credentials report a bad intrinsic call at the member with the reason",
    arguments: ["ResultSelector", "Credentials"])
  func otherTemplates(key: String) {
    let extra = key == "Credentials" ? #""RoleArn": "arn:aws:iam::1:role/r", "# : ""
    #expect(
      found(task("\"\(key)\": {\(extra)\"n.$\": \"States.ArrayLength()\"}")) == [
        .schema(
          "The value for the field 'n.$' must be a valid JSONPath or a valid intrinsic function call: States.ArrayLength takes 1 argument, but 0 were given",
          at: "/States/S/\(key)/n.$")
      ])
  }

  @Test("Fail's ErrorPath and CausePath say what is wrong with an intrinsic call, at the field")
  func failPaths() {
    let text = ASL.single(
      #""Type": "Fail", "ErrorPath": "States.Nope(1)", "CausePath": "States.ArrayLength()""#)
    #expect(
      found(text) == [
        .schema(
          "The value for the field 'ErrorPath' must be a valid Reference Path or intrinsic function: 'States.Nope' is not an intrinsic function",
          at: "/States/S/ErrorPath"),
        .schema(
          "The value for the field 'CausePath' must be a valid Reference Path or intrinsic function: States.ArrayLength takes 1 argument, but 0 were given",
          at: "/States/S/CausePath"),
      ])
  }

  @Test("A .$ value must be a string")
  func dynamicValueType() {
    #expect(
      found(pass(#""Parameters": {"x.$": 1}"#)) == [
        .schema("The value for the field 'x.$' must be a STRING", at: "/States/S/Parameters/x.$")
      ])
  }

  @Test("A key given both as k and k.$ is defined twice")
  func keyDefinedTwice() {
    #expect(
      found(pass(#""Parameters": {"x": 1, "x.$": "$.x"}"#)) == [
        .schema("The field 'x' is defined twice: as 'x' and as 'x.$'", at: "/States/S/Parameters")
      ])
  }

  @Test(
    "Parameters and ResultSelector must be objects",
    arguments: [("Parameters", "\"$.a\""), ("Parameters", "[1]"), ("ResultSelector", "\"x\"")])
  func templateMustBeObject(key: String, value: String) {
    #expect(
      found(task("\"\(key)\": \(value)")) == [
        .schema("The value for the field '\(key)' must be an OBJECT", at: "/States/S/\(key)")
      ])
  }

  @Test("A Map's Parameters and ItemSelector are payload templates")
  func mapSelector() {
    for key in ["Parameters", "ItemSelector"] {
      let text = ASL.single(
        "\"Type\": \"Map\", \"ItemProcessor\": \(ASL.graph("M")), \"End\": true, \"\(key)\": {\"v.$\": \"nope\"}"
      )
      #expect(
        found(text) == [
          .schema(
            "The value for the field 'v.$' must be a valid JSONPath or a valid intrinsic function call: a path must start with '$'",
            at: "/States/S/\(key)/v.$")
        ])
    }
  }

  // MARK: Warnings

  @Test(
    "A plain key whose value looks like a path or an intrinsic call gets NO_DOLLAR",
    arguments: ["$.a", "$$.Execution.Id", "States.Format('{}', $.a)"])
  func noDollar(value: String) throws {
    let result = found(pass("\"Parameters\": {\"x\": \"\(value)\"}"))
    #expect(result.count == 1)
    let warning = try #require(result.first)
    #expect(warning.severity == .warning)
    #expect(warning.code == "NO_DOLLAR")
    #expect(warning.pointer == "/States/S/Parameters/x")
  }

  @Test("Plain strings in templates get no warning")
  func plainStringsNoWarning() {
    #expect(found(pass(#""Parameters": {"x": "hello", "y": "$", "z": "price in $"}"#)) == [])
  }

  @Test(
    "A Fail state's Error or Cause that looks like a path gets NO_PATH",
    arguments: ["Error", "Cause"])
  func noPath(key: String) throws {
    let result = found(ASL.single("\"Type\": \"Fail\", \"\(key)\": \"$.detail\""))
    let warning = try #require(result.first)
    #expect(result.count == 1)
    #expect(warning.severity == .warning)
    #expect(warning.code == "NO_PATH")
    #expect(warning.pointer == "/States/S/\(key)")
  }

  @Test("A Pass Result that looks dynamic gets PASS_RESULT_IS_STATIC")
  func passResultIsStatic() {
    let string = found(pass(#""Result": "$.a""#))
    #expect(string.map(\.code) == ["PASS_RESULT_IS_STATIC"])
    #expect(string.map(\.pointer) == ["/States/S/Result"])
    #expect(string.map(\.severity) == [.warning])
    let key = found(pass(#""Result": {"a": {"b.$": "$.x"}}"#))
    #expect(key.map(\.code) == ["PASS_RESULT_IS_STATIC"])
    #expect(key.map(\.pointer) == ["/States/S/Result/a/b.$"])
    #expect(found(pass(#""Result": {"a": "plain"}"#)) == [])
  }

  // MARK: Paths

  @Test("InputPath, OutputPath and ResultPath may be null")
  func nullPaths() throws {
    let text = pass(#""InputPath": null, "OutputPath": null, "ResultPath": null"#)
    #expect(found(text) == [])
    let io = try #require(try StateMachineDefinition(json: text).graph.states.first?.io)
    #expect(io.inputPath == .null)
    #expect(io.outputPath == .null)
    #expect(io.resultPath == .null)
  }

  @Test(
    "Path fields of the wrong type are rejected",
    arguments: ["InputPath", "OutputPath", "ResultPath"])
  func pathType(key: String) {
    #expect(
      found(pass("\"\(key)\": 1")) == [
        .schema("The value for the field '\(key)' must be a STRING or null", at: "/States/S/\(key)")
      ])
  }

  @Test("A path that does not start with $ is rejected at the field")
  func pathSyntax() {
    #expect(errors(pass(#""InputPath": "a.b""#)).map(\.pointer) == ["/States/S/InputPath"])
    #expect(errors(pass(#""ResultPath": "result""#)).map(\.pointer) == ["/States/S/ResultPath"])
  }

  @Test("ResultPath cannot write into the Context Object")
  func resultPathContextObject() {
    #expect(
      found(pass(#""ResultPath": "$$.Execution.x""#)) == [
        .schema(
          "The field 'ResultPath' cannot reference the Context Object", at: "/States/S/ResultPath")
      ])
    let catcher = task(
      #""Catch": [{"ErrorEquals": ["States.ALL"], "Next": "S", "ResultPath": "$$.x"}]"#)
    #expect(
      found(catcher) == [
        .schema(
          "The field 'ResultPath' cannot reference the Context Object",
          at: "/States/S/Catch/0/ResultPath")
      ])
  }

  @Test("ResultPath cannot write into a variable")
  func resultPathVariable() {
    #expect(
      found(pass(#""ResultPath": "$myVar""#)) == [
        .schema("The field 'ResultPath' cannot reference a variable", at: "/States/S/ResultPath")
      ])
    #expect(found(pass(#""ResultPath": "$.result""#)) == [])
    #expect(found(pass(#""ResultPath": "$""#)) == [])
  }

  // MARK: JSONata strings

  @Test("JSONata expressions may appear anywhere in Output, Arguments and Assign")
  func jsonataTemplates() {
    let text = task(
      #""Arguments": {"a": "{% $states.input.a %}", "b": ["{% 1 + 1 %}", "plain"]}, "Output": "{% $states.result %}", "Assign": {"v": "{% $states.input %}"}"#,
      language: .jsonata)
    #expect(found(text) == [])
  }

  @Test(
    "A string that starts or ends like JSONata must be a whole {% %} expression",
    arguments: ["{% 1", "1 %}", "{%1 + 2"])
  func unclosedJSONata(value: String) {
    #expect(
      found(pass("\"Output\": {\"x\": \"\(value)\"}", language: .jsonata)) == [
        .schema(
          "The value '\(value)' is not a valid JSONata expression: it must be written as {% expression %}",
          at: "/States/S/Output/x")
      ])
  }

  @Test("An empty JSONata expression is rejected as JSONata rejects it")
  func emptyJSONata() {
    #expect(
      found(pass(#""Assign": {"x": "{%  %}"}"#, language: .jsonata)) == [
        .error(
          .invalidJSONataExpression, "Unexpected end of expression (JSONata S0207)",
          at: "/States/S/Assign/x")
      ])
  }

  @Test("Arguments is an object or a JSONata expression")
  func argumentsShape() {
    #expect(found(task(#""Arguments": "{% $states.input %}""#, language: .jsonata)) == [])
    for value in ["\"text\"", "1", "[1]"] {
      #expect(
        found(task("\"Arguments\": \(value)", language: .jsonata)) == [
          .schema(
            "The value for the field 'Arguments' must be an OBJECT or a JSONata expression",
            at: "/States/S/Arguments")
        ])
    }
  }

  @Test("JSONata strings in a JSONPath template are plain strings")
  func jsonataInJSONPathTemplate() {
    #expect(found(pass(#""Parameters": {"x": "{% 1 %}"}"#)) == [])
  }

  // MARK: Assign

  @Test(
    "Assign variable names must be 1 to 80 characters without spaces, dots, $ or brackets",
    arguments: ["a.b", "a b", "a$", "a[0]", "", String(repeating: "v", count: 81)])
  func invalidVariableNames(name: String) {
    #expect(
      found(pass("\"Assign\": {\"\(name)\": 1}")) == [
        .schema(
          "The variable name '\(name)' is not valid: it must be 1 to 80 characters long with no white space, '.', '$', '[' or ']'",
          at: "/States/S/Assign/\(name)")
      ])
  }

  @Test(
    "Assign variable names may be Unicode and up to 80 characters; .$ marks a dynamic value in JSONPath"
  )
  func validVariableNames() {
    let long = String(repeating: "v", count: 80)
    #expect(
      found(pass("\"Assign\": {\"\(long)\": 1, \"prix_€\": 2, \"_x\": 3, \"y.$\": \"$.y\"}")) == [])
  }

  @Test("In JSONata, .$ is part of the name and makes it invalid")
  func dollarSuffixInJSONata() {
    #expect(
      found(pass(#""Assign": {"y.$": "{% 1 %}"}"#, language: .jsonata)) == [
        .schema(
          "The variable name 'y.$' is not valid: it must be 1 to 80 characters long with no white space, '.', '$', '[' or ']'",
          at: "/States/S/Assign/y.$")
      ])
  }

  @Test("Assign must be an object and its .$ values are checked like a template")
  func assignShapeAndValues() {
    #expect(
      found(pass(#""Assign": []"#)) == [
        .schema("The value for the field 'Assign' must be an OBJECT", at: "/States/S/Assign")
      ])
    #expect(
      found(pass(#""Assign": {"y.$": "nope"}"#)) == [
        .schema(
          "The value for the field 'y.$' must be a valid JSONPath or a valid intrinsic function call: a path must start with '$'",
          at: "/States/S/Assign/y.$")
      ])
    #expect(
      found(pass(#""Assign": {"y.$": "States.Nope()"}"#)) == [
        .schema(
          "The value for the field 'y.$' must be a valid JSONPath or a valid intrinsic function call: 'States.Nope' is not an intrinsic function",
          at: "/States/S/Assign/y.$")
      ])
  }
}
