import CorpusSupport
import Foundation
import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

/// One validation case from the corpus: a definition and the verdict expected for it.
struct ValidationCase: CustomTestStringConvertible, Sendable {
  var suite: String
  var name: String
  var definition: [UInt8]
  var expectValid: Bool
  var expectedCode: String?
  var options: ValidationOptions

  var key: String { "\(suite)/\(name)" }
  var testDescription: String { key }

  static func load() -> [ValidationCase] {
    fixtureCases() + awsVerdictCases() + executionCases() + realworldCases()
  }

  /// statelint and asl-validator fixtures (`validation/manifest.json`).
  static func fixtureCases() -> [ValidationCase] {
    guard let manifestURL = Corpus.url("validation/manifest.json"),
      let manifest = try? Corpus.json(at: manifestURL), let cases = manifest["cases"]?.arrayValue
    else { return [] }
    return cases.compactMap { entry in
      guard let name = entry["name"]?.stringValue, let file = entry["file"]?.stringValue,
        let url = Corpus.url("validation/" + file), let data = try? Data(contentsOf: url)
      else { return nil }
      return ValidationCase(
        suite: "fixtures", name: name, definition: [UInt8](data),
        expectValid: entry["expected"]?.stringValue == "valid",
        expectedCode: nil, options: ValidationOptions())
    }
  }

  /// Verdicts AWS gave (`localstack/validation`).
  static func awsVerdictCases() -> [ValidationCase] {
    Corpus.files(in: "localstack/validation").compactMap { url in
      guard let entry = try? Corpus.json(at: url), let definition = entry["definition"],
        let expected = entry["expected"]
      else { return nil }
      let bytes: [UInt8]
      if entry["definition_is_raw_text"]?.boolValue == true, let text = definition.stringValue {
        bytes = Array(text.utf8)
      } else {
        bytes = JSONSerializer(style: .pretty).bytes(definition)
      }
      let valid = expected["result"]?.stringValue == "OK"
      var code: String?
      if let message = expected["message"]?.stringValue, let range = message.range(of: "'") {
        let afterQuote = message[range.upperBound...]
        if let colon = afterQuote.firstIndex(of: ":") {
          let candidate = String(afterQuote[..<colon])
          if !candidate.isEmpty, candidate.allSatisfy({ $0.isUppercase || $0 == "_" }) {
            code = candidate
          }
        }
      } else if let first = expected["diagnostics"]?[0]?["code"]?.stringValue {
        code = first
      }
      let type =
        entry["state_machine_type"]?.stringValue == "EXPRESS"
        ? ValidationOptions.StateMachineType.express : .standard
      return ValidationCase(
        suite: "aws-verdicts", name: url.deletingPathExtension().lastPathComponent,
        definition: bytes,
        expectValid: valid, expectedCode: code, options: ValidationOptions(stateMachineType: type))
    }
  }

  /// Every definition that ran on AWS was accepted by AWS (`localstack/executions`), except those
  /// whose placeholders were filled in by the test at run time.
  static func executionCases() -> [ValidationCase] {
    ["pure", "service"].flatMap { folder in
      Corpus.files(in: "localstack/executions/\(folder)").compactMap { url -> ValidationCase? in
        guard let entry = try? Corpus.json(at: url), let definition = entry["definition"] else {
          return nil
        }
        if let placeholders = entry["definition_placeholders"]?.arrayValue, !placeholders.isEmpty {
          return nil
        }
        let type =
          entry["state_machine_type"]?.stringValue == "EXPRESS"
          ? ValidationOptions.StateMachineType.express : .standard
        return ValidationCase(
          suite: "executions-\(folder)", name: url.deletingPathExtension().lastPathComponent,
          definition: JSONSerializer(style: .pretty).bytes(definition), expectValid: true,
          expectedCode: nil,
          options: ValidationOptions(stateMachineType: type))
      }
    }
  }

  /// Deployable real-world definitions (`realworld`), except those the manifest marks suspect.
  static func realworldCases() -> [ValidationCase] {
    guard let manifestURL = Corpus.url("realworld/manifest.json"),
      let manifest = (try? Corpus.json(at: manifestURL))?.arrayValue
    else { return [] }
    return manifest.compactMap { entry in
      guard let file = entry["file"]?.stringValue,
        entry["suspect"] == nil || entry["suspect"] == .null || entry["suspect"] == .array([]),
        let url = Corpus.url("realworld/" + file), let data = try? Data(contentsOf: url)
      else { return nil }
      return ValidationCase(
        suite: "realworld", name: file, definition: [UInt8](data), expectValid: true,
        expectedCode: nil,
        options: ValidationOptions())
    }
  }
}

@Suite("Validation verdicts match the corpus", .requiresCorpus)
struct CorpusValidationTests {
  static let cases = ValidationCase.load()
  static let knownFailures = Corpus.knownFailures("validation.txt")

  @Test("The corpus has the validation and execution cases")
  func corpusHasCases() {
    #expect(Self.cases.count > 1000, "expected the corpus's validation and execution cases")
  }

  @Test("Each corpus definition gets AWS's verdict", arguments: cases)
  func verdictMatches(_ testCase: ValidationCase) {
    let report = Validator.validate(testCase.definition, options: testCase.options)
    let errors = report.errors.map { "\($0.code): \($0.message) at \($0.pointer)" }
    var passed = report.hasErrors != testCase.expectValid
    if passed, !testCase.expectValid, let code = testCase.expectedCode {
      passed = report.errors.contains { $0.code.rawValue == code }
    }
    if let reason = Self.knownFailures[testCase.key] {
      #expect(
        !passed,
        "\(testCase.key) passes now; remove it from Tests/KnownFailures/validation.txt (was: \(reason))"
      )
      return
    }
    if testCase.expectValid {
      #expect(passed, "expected no error, got: \(errors.joined(separator: "; "))")
    } else {
      #expect(
        passed,
        "expected an error\(testCase.expectedCode.map { " with code \($0)" } ?? ""), got: \(errors.joined(separator: "; "))"
      )
    }
  }
}
