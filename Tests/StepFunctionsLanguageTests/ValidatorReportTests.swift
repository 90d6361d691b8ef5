import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

/// One diagnostic as the validator tests compare it: severity, code, message and pointer.
struct Found: Equatable, CustomStringConvertible {
  var severity: Diagnostic.Severity
  var code: String
  var message: String
  var pointer: String

  init(_ diagnostic: Diagnostic) {
    severity = diagnostic.severity
    code = diagnostic.code.rawValue
    message = diagnostic.message
    pointer = diagnostic.pointer.description
  }

  init(severity: Diagnostic.Severity, code: DiagnosticCode, message: String, pointer: String) {
    self.severity = severity
    self.code = code.rawValue
    self.message = message
    self.pointer = pointer
  }

  /// An expected error.
  static func error(_ code: DiagnosticCode, _ message: String, at pointer: String) -> Found {
    Found(severity: .error, code: code, message: message, pointer: pointer)
  }

  /// An expected `SCHEMA_VALIDATION_FAILED` error.
  static func schema(_ message: String, at pointer: String) -> Found {
    error(.schemaValidationFailed, message, at: pointer)
  }

  /// An expected warning.
  static func warning(_ code: DiagnosticCode, _ message: String, at pointer: String) -> Found {
    Found(severity: .warning, code: code, message: message, pointer: pointer)
  }

  var description: String { "\(severity) \(code): \(message) at \(pointer)" }
}

/// Small definitions for the validator tests, written as JSON text.
enum ASL {
  /// A machine whose `States` object has the given members (JSON text without the braces).
  static func machine(
    _ states: String, startAt: String = "S", language: QueryLanguage? = nil, top: String = ""
  ) -> String {
    var head = ""
    if let language { head += "\"QueryLanguage\": \"\(language.rawValue)\", " }
    if !top.isEmpty { head += top + ", " }
    return "{\(head)\"StartAt\": \"\(startAt)\", \"States\": {\(states)}}"
  }

  /// A machine with one state named `S` whose members are `body` (JSON text without braces).
  static func single(_ body: String, language: QueryLanguage? = nil) -> String {
    machine("\"S\": {\(body)}", language: language)
  }

  /// A graph object (a branch or an item processor) with one `Pass` state named `name`.
  static func graph(_ name: String) -> String {
    "{\"StartAt\": \"\(name)\", \"States\": {\"\(name)\": {\"Type\": \"Pass\", \"End\": true}}}"
  }

  /// A lambda function ARN accepted by the validator.
  static let lambda = "arn:aws:lambda:us-east-1:123456789012:function:Transcode"
}

/// Validates `text` and returns every diagnostic in report order.
func found(
  _ text: String, type: ValidationOptions.StateMachineType = .standard
) -> [Found] {
  Validator.validate(text, options: ValidationOptions(stateMachineType: type)).diagnostics.map(
    Found.init)
}

/// Validates `text` and returns the errors only.
func errors(_ text: String, type: ValidationOptions.StateMachineType = .standard) -> [Found] {
  found(text, type: type).filter { $0.severity == .error }
}

@Suite("Validator: top-level fields and the report")
struct ValidatorReportTests {
  @Test("A minimal machine is valid and has no diagnostics")
  func minimalMachine() {
    #expect(found(ASL.single(#""Type": "Succeed""#)) == [])
  }

  @Test("An empty object lacks States and StartAt, reported as AWS does at the root")
  func emptyObject() {
    #expect(found("{}") == [.schema("These fields are required: [States, StartAt]", at: "")])
  }

  @Test("A machine without StartAt names the one missing field in AWS's list form")
  func missingStartAt() {
    let text = #"{"States": {"S": {"Type": "Succeed"}}}"#
    #expect(found(text) == [.schema("These fields are required: [StartAt]", at: "")])
  }

  @Test("A machine without States names the one missing field in AWS's list form")
  func missingStates() {
    #expect(found(#"{"StartAt": "S"}"#) == [.schema("These fields are required: [States]", at: "")])
  }

  @Test("States must be an object and StartAt a string")
  func wrongTopLevelTypes() {
    #expect(
      found(#"{"StartAt": "S", "States": []}"#) == [
        .schema("The value for the field 'States' must be an OBJECT", at: "/States")
      ])
    #expect(
      found(#"{"StartAt": 1, "States": {"S": {"Type": "Succeed"}}}"#) == [
        .schema("The value for the field 'StartAt' must be a STRING", at: "/StartAt")
      ])
  }

  @Test("An empty States object is reported once, without a cascade")
  func emptyStates() {
    #expect(
      errors(#"{"StartAt": "S", "States": {}}"#) == [
        .schema("The field 'States' must not be empty", at: "/States")
      ])
  }

  @Test("An unknown top-level field is not supported")
  func unknownTopLevelField() {
    let text = ASL.machine(#""S": {"Type": "Succeed"}"#, top: #""Foo": 1"#)
    #expect(found(text) == [.schema("Field 'Foo' is not supported", at: "")])
  }

  @Test("Comment, Version and TimeoutSeconds are accepted at the top level")
  func acceptedTopLevelFields() throws {
    let text = ASL.machine(
      #""S": {"Type": "Succeed"}"#,
      top: #""Comment": "c", "Version": "1.0", "TimeoutSeconds": 60"#)
    #expect(found(text) == [])
    let definition = try StateMachineDefinition(json: text)
    #expect(definition.comment == "c")
    #expect(definition.version == "1.0")
    #expect(definition.timeoutSeconds == 60)
  }

  @Test(
    "Top-level TimeoutSeconds must be a non-negative integer within range",
    arguments: [
      ("-1", "Minimum value is 0"),
      ("100000000", "Maximum value is 99999999"),
      ("1.5", "The value for the field 'TimeoutSeconds' must be an INTEGER"),
      ("\"60\"", "The value for the field 'TimeoutSeconds' must be a NUMBER"),
    ])
  func topLevelTimeout(value: String, message: String) {
    let text = ASL.machine(#""S": {"Type": "Succeed"}"#, top: "\"TimeoutSeconds\": \(value)")
    #expect(found(text) == [.schema(message, at: "/TimeoutSeconds")])
  }

  @Test("Version and Comment must be strings")
  func versionAndCommentTypes() {
    let text = ASL.machine(#""S": {"Type": "Succeed"}"#, top: #""Version": 1, "Comment": true"#)
    #expect(
      found(text) == [
        .schema("The value for the field 'Version' must be a STRING", at: "/Version"),
        .schema("The value for the field 'Comment' must be a STRING", at: "/Comment"),
      ])
  }

  @Test(
    "A definition that is not an object is rejected at the root",
    arguments: ["[]", "1", "\"text\"", "null", "true"])
  func notAnObject(text: String) {
    #expect(found(text) == [.schema("Definition must be a valid JSON object", at: "")])
  }

  @Test(
    "Empty text is SCHEMA_VALIDATION_FAILED, AWS's code for a blank definition, with the parser's one message",
    arguments: [("", 1, 1), (" ", 1, 2), ("\n  \n", 3, 1)])
  func emptyInput(text: String, line: Int, column: Int) throws {
    let report = Validator.validate(text)
    #expect(
      report.diagnostics.map(Found.init) == [
        .schema(JSONParseError.emptyInputMessage, at: "")
      ])
    let location = try #require(report.diagnostics.first?.location)
    #expect(location.line == line && location.column == column)
    let parseError = try #require(throws: JSONParseError.self) { try JSONParser.parse(text) }
    #expect(parseError.location == location)
  }

  @Test("Loading empty text as a definition reports the validator's diagnostic")
  func emptyDefinitionLoad() throws {
    let error = try #require(throws: DefinitionError.self) {
      try StateMachineDefinition(json: "  ")
    }
    #expect(
      error.report.diagnostics.map(Found.init) == [
        .schema(JSONParseError.emptyInputMessage, at: "")
      ])
    #expect(
      error.description == "1:3: \(JSONParseError.emptyInputMessage) [SCHEMA_VALIDATION_FAILED]")
  }

  @Test("Text that is not JSON is INVALID_JSON_DESCRIPTION with the line and column of the error")
  func invalidJSON() throws {
    let report = Validator.validate("{\n  \"StartAt\": \"S\",\n  ]")
    let diagnostic = try #require(report.diagnostics.first)
    #expect(report.diagnostics.count == 1)
    #expect(diagnostic.code == .invalidJSONDescription)
    #expect(diagnostic.severity == .error)
    #expect(diagnostic.pointer == [])
    let location = try #require(diagnostic.location)
    #expect(location.line == 3 && location.column == 3)
  }

  @Test("A word that is not JSON is INVALID_JSON_DESCRIPTION at line 1")
  func notADefinition() throws {
    let report = Validator.validate("not a definition")
    #expect(report.diagnostics.map(\.code) == [.invalidJSONDescription])
    #expect(report.diagnostics.first?.location?.line == 1)
  }

  @Test("A key written twice is reported at the member, with its line and column")
  func duplicateKey() throws {
    let text = """
      {
        "StartAt": "S",
        "States": {
          "S": {"Type": "Pass", "End": true, "End": true}
        }
      }
      """
    let report = Validator.validate(text)
    #expect(
      report.diagnostics.map(Found.init) == [
        .schema("Duplicate field 'End'", at: "/States/S/End")
      ])
    let location = try #require(report.diagnostics.first?.location)
    #expect(location.line == 4)
  }

  @Test("Diagnostics come errors first, then in document order")
  func sortedErrorsFirstThenByPosition() {
    let text = """
      {
        "StartAt": "A",
        "States": {
          "A": {"Type": "Pass", "Parameters": {"x": "$.a"}, "Next": "B"},
          "B": {"Type": "Pass", "TimeoutSeconds": 1, "Next": "C"},
          "C": {"Type": "Fail", "Error": "$.e"}
        },
        "TimeoutSeconds": -1
      }
      """
    let report = Validator.validate(text)
    let severities = report.diagnostics.map(\.severity)
    #expect(severities == severities.sorted())
    let errorOffsets = report.errors.compactMap(\.location?.offset)
    let warningOffsets = report.warnings.compactMap(\.location?.offset)
    #expect(errorOffsets == errorOffsets.sorted())
    #expect(warningOffsets == warningOffsets.sorted())
    #expect(report.errors.map(\.pointer.description) == ["/States/B", "/TimeoutSeconds"])
    #expect(report.warnings.map(\.code) == [.noDollar, .noPath])
  }

  @Test("Every diagnostic from text input has a location pointing at its value")
  func everyDiagnosticHasALocation() throws {
    let text = """
      {
        "StartAt": "A",
        "States": {
          "A": {
            "Type": "Task",
            "Resource": "not-an-arn",
            "TimeoutSeconds": 0,
            "Next": "Missing"
          },
          "B": {"Type": "Wait", "End": true},
          "C": {"Type": "Pass", "Result": "$.x", "End": true}
        }
      }
      """
    let report = Validator.validate(text)
    #expect(!report.diagnostics.isEmpty)
    for diagnostic in report.diagnostics {
      #expect(diagnostic.location != nil, "no location for \(diagnostic.message)")
    }
    let resource = try #require(report.diagnostics.first { $0.code == .invalidResource })
    #expect(resource.location?.line == 6)
    #expect(resource.location?.column == 19)
    let timeout = try #require(
      report.diagnostics.first { $0.pointer.tokens.last == "TimeoutSeconds" })
    #expect(timeout.location?.line == 7)
    #expect(timeout.location?.column == 25)
  }

  @Test("The report carries the source text it was computed from")
  func reportCarriesSource() {
    let text = ASL.single(#""Type": "Succeed""#)
    #expect(Validator.validate(text).source?.bytes == Array(text.utf8))
  }

  @Test("Validating bytes and text gives the same diagnostics")
  func bytesAndTextAgree() {
    let text = ASL.single(#""Type": "Pass""#)
    let fromText = Validator.validate(text).diagnostics
    let fromBytes = Validator.validate(Array(text.utf8)).diagnostics
    #expect(fromText == fromBytes)
    #expect(!fromText.isEmpty)
  }

  @Test("StateMachineDefinition(json:) throws every error with its location")
  func definitionErrorCarriesTheReport() {
    let text = "{\n\"StartAt\": \"S\",\n\"States\": {\"S\": {\"Type\": \"Pass\"}}}"
    do {
      _ = try StateMachineDefinition(json: text)
      Issue.record("expected a DefinitionError")
    } catch {
      #expect(
        error.report.errors.map(Found.init) == [
          .schema("Either 'Next' or 'End' with the value true is required", at: "/States/S")
        ])
      #expect(
        error.description
          == "3:17: Either 'Next' or 'End' with the value true is required [SCHEMA_VALIDATION_FAILED]"
      )
    }
  }

  @Test("StateMachineDefinition(json:) reports invalid JSON as INVALID_JSON_DESCRIPTION")
  func definitionFromInvalidJSON() {
    do {
      _ = try StateMachineDefinition(json: "{")
      Issue.record("expected a DefinitionError")
    } catch {
      #expect(error.report.errors.map(\.code) == [.invalidJSONDescription])
      #expect(error.report.errors.first?.location != nil)
    }
  }

  @Test("Warnings alone do not stop a definition from loading")
  func warningsDoNotBlockLoading() throws {
    let text = ASL.single(#""Type": "Fail", "Error": "$.error""#)
    #expect(errors(text) == [])
    let definition = try StateMachineDefinition(json: text)
    #expect(definition.graph.states.count == 1)
  }

  @Test(
    "A definition with only a warning gets it with its location (loading without locations found it)"
  )
  func warningOnlyHasLocation() throws {
    let text = """
      {
        "StartAt": "A",
        "States": {
          "A": {"Type": "Pass", "Parameters": {"x": "$.a"}, "End": true}
        }
      }
      """
    let report = Validator.validate(text)
    #expect(
      report.diagnostics.map(\.code) == [.noDollar] && !report.hasErrors)
    let location = try #require(report.diagnostics.first?.location)
    #expect(location.line == 4)
    #expect(report.source?.bytes == Array(text.utf8))
  }

  @Test("A valid definition loads from text the same model as from a document with locations")
  func validTextLoadsTheDocumentsModel() throws {
    let text = """
      {"StartAt": "A", "TimeoutSeconds": 60, "States": {
        "A": {"Type": "Pass", "Parameters": {"x.$": "$.a"}, "Next": "B"},
        "B": {"Type": "Parallel", "Branches": [{"StartAt": "C", "States": {"C": {"Type": "Succeed"}}}],
              "End": true}}}
      """
    let fromText = try StateMachineDefinition(json: text)
    let fromDocument = try #require(
      StateMachineLoader.load(try JSONParser.parseDocument(Array(text.utf8))).definition)
    #expect(fromText.json == fromDocument.json)
    #expect(fromText.graph.states.map(\.name) == fromDocument.graph.states.map(\.name))
    #expect(fromText.graph.states.map(\.pointer) == fromDocument.graph.states.map(\.pointer))
    #expect(fromText.timeoutSeconds == 60)
    #expect(Validator.validate(text).diagnostics.isEmpty)
  }
}
