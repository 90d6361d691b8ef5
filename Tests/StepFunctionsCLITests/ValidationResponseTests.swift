import StepFunctions
import StepFunctionsCLI
import Testing

@Suite("AWS ValidateStateMachineDefinition response JSON")
struct ValidationResponseTests {
  static let error = Diagnostic.error(
    .schemaValidationFailed, "These fields are required: [States, StartAt]", at: [])
  static let nested = Diagnostic.error(
    .missingTransitionTarget, "Missing 'Next' target: B", at: ["States", "A", "Next"])
  static let warning = Diagnostic.warning(.noDollar, "Looks like a path", at: ["States", "A"])

  @Test("Keys come in AWS's order and a root pointer is written as a slash")
  func shapeAndOrder() {
    let report = ValidationReport(diagnostics: [Self.error, Self.nested], source: nil)
    let text = ValidationResponse(report: report).json().serialized(.pretty)
    #expect(
      text == """
        {
          "result": "FAIL",
          "diagnostics": [
            {
              "severity": "ERROR",
              "code": "SCHEMA_VALIDATION_FAILED",
              "message": "These fields are required: [States, StartAt]",
              "location": "/"
            },
            {
              "severity": "ERROR",
              "code": "MISSING_TRANSITION_TARGET",
              "message": "Missing 'Next' target: B",
              "location": "/States/A/Next"
            }
          ],
          "truncated": false
        }
        """)
  }

  @Test("A clean report is OK with an empty diagnostics array")
  func clean() {
    let json = ValidationResponse(report: ValidationReport(diagnostics: [], source: nil)).json()
    #expect(json.serialized() == #"{"result":"OK","diagnostics":[],"truncated":false}"#)
  }

  @Test("Warnings alone leave the result OK; severity error leaves them out")
  func warningsOnly() {
    let report = ValidationReport(diagnostics: [Self.warning], source: nil)
    let all = ValidationResponse(report: report)
    #expect(all.result == .ok)
    #expect(all.diagnostics == [Self.warning])
    let errorsOnly = ValidationResponse(report: report, severity: .error)
    #expect(errorsOnly.result == .ok)
    #expect(errorsOnly.diagnostics.isEmpty)
    #expect(!errorsOnly.truncated)
  }

  @Test("The result is FAIL whenever there is an error, even if the limit cut it off")
  func resultFromWholeReport() {
    let report = ValidationReport(
      diagnostics: [Self.error, Self.nested, Self.warning], source: nil)
    let one = ValidationResponse(report: report, maxResults: 1)
    #expect(one.result == .fail)
    #expect(one.diagnostics == [Self.error])
    #expect(one.truncated)
    #expect(one.json()["truncated"] == .bool(true))
  }

  @Test("maxResults of 0 or above 100 means 100, as in AWS's API", arguments: [0, 101, 1000])
  func limitDefaults(maxResults: Int) {
    let many = ValidationReport(
      diagnostics: Array(repeating: Self.warning, count: 150), source: nil)
    let response = ValidationResponse(report: many, maxResults: maxResults)
    #expect(response.diagnostics.count == 100)
    #expect(response.truncated)
  }

  @Test("A file name, when given, is the first key")
  func fileKey() {
    let json = ValidationResponse(report: ValidationReport(diagnostics: [], source: nil))
      .json(file: "a \"b\".json")
    #expect(json.objectValue?.keys == ["file", "result", "diagnostics", "truncated"])
    #expect(json["file"] == .string("a \"b\".json"))
  }

  @Test("A diagnostic with a source location gets line and column after AWS's four fields")
  func lineAndColumn() {
    var diagnostic = Diagnostic.error(.invalidStateName, "bad", at: ["States", "x"])
    #expect(
      ValidationResponse.json(for: diagnostic).objectValue?.keys == [
        "severity", "code", "message", "location",
      ])
    diagnostic.location = SourceLocation(line: 4, column: 17, offset: 60)
    let json = ValidationResponse.json(for: diagnostic)
    #expect(
      json.objectValue?.keys == ["severity", "code", "message", "location", "line", "column"])
    #expect(json["line"] == 4)
    #expect(json["column"] == 17)
  }

  @Test("Pointer tokens are escaped in the location")
  func escapedPointer() {
    let diagnostic = Diagnostic.error(.invalidStateName, "bad", at: ["States", "a/b~c"])
    #expect(ValidationResponse.json(for: diagnostic)["location"] == .string("/States/a~1b~0c"))
  }
}
