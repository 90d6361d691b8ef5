import CorpusSupport
import Foundation
import StepFunctions
import StepFunctionsCLI
import Testing

/// The `ValidateStateMachineDefinition` responses recorded against real AWS
/// (`localstack/validation/*.json` in the shared corpus).
enum RecordedValidations {
  struct Case: CustomTestStringConvertible, Sendable {
    var file: String
    var definition: [UInt8]
    var type: String
    var expected: JSON
    var testDescription: String { file }
  }

  /// The corpus folder: `$SFN_CORPUS`, else `../shared/corpus` beside the package root.
  static var corpusURL: URL { Corpus.expectedLocation }

  static var folder: URL { corpusURL.appendingPathComponent("localstack/validation") }

  /// Every recorded ValidateStateMachineDefinition case, or an empty list when the corpus is absent.
  static let cases: [Case] = {
    guard
      let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
    else { return [] }
    var result: [Case] = []
    for name in names.sorted() where name.hasSuffix(".json") {
      guard
        let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path),
        let record = try? JSON(parsing: Array(data)),
        record["api"] == .string("ValidateStateMachineDefinition"),
        let definition = record["definition"], let expected = record["expected"]
      else { continue }
      let bytes: [UInt8]
      if record["definition_is_raw_text"] == .bool(true), let text = definition.stringValue {
        bytes = Array(text.utf8)
      } else {
        bytes = Array(definition.serialized().utf8)
      }
      let type = record["state_machine_type"]?.stringValue ?? "STANDARD"
      result.append(Case(file: name, definition: bytes, type: type, expected: expected))
    }
    return result
  }()
}

@Suite("sfn validate --format json against responses recorded from AWS", .requiresCorpus)
struct CorpusResponseShapeTests {
  @Test("The recorded responses are present")
  func corpusPresent() async {
    #expect(RecordedValidations.cases.count >= 10)
  }

  @Test(
    "Our response has AWS's keys, AWS's value types, and an exit status that matches its result",
    arguments: RecordedValidations.cases)
  func shape(recorded: RecordedValidations.Case) async throws {
    let text = String(decoding: recorded.definition, as: UTF8.self)
    let result = await runSFN(
      ["validate", "--format", "json", "--severity", "error", "--type", recorded.type, "def.json"],
      files: ["def.json": text])
    #expect(result.error.isEmpty)
    let ours = try JSON(parsing: result.output)
    let oursObject = try #require(ours.objectValue)
    let theirs = try #require(recorded.expected.objectValue)
    // AWS's recording is stored with sorted keys; ours must be in the API's documented order.
    #expect(oursObject.keys == ["result", "diagnostics", "truncated"])
    #expect(Set(oursObject.keys) == Set(theirs.keys))
    #expect(ours["truncated"] == .bool(false))
    let verdict = try #require(ours["result"]?.stringValue)
    #expect(verdict == "OK" || verdict == "FAIL")
    #expect(result.status == (verdict == "FAIL" ? 1 : 0))
    let diagnostics = try #require(ours["diagnostics"]?.arrayValue)
    #expect((verdict == "FAIL") == !diagnostics.isEmpty)
    let awsKeys = Set(
      (theirs["diagnostics"]?.arrayValue ?? []).flatMap { $0.objectValue?.keys ?? [] })
    for diagnostic in diagnostics {
      let keys = diagnostic.objectValue?.keys ?? []
      // AWS's four fields, then the line and column we add.
      #expect(keys == ["severity", "code", "message", "location", "line", "column"])
      #expect(Set(keys).isSuperset(of: awsKeys))
      #expect(diagnostic["severity"] == .string("ERROR"))
      #expect(diagnostic["location"]?.stringValue?.hasPrefix("/") == true)
    }
    // Syntax errors are found by the JSON layer, which is complete: AWS and we must agree.
    let awsCodes = (theirs["diagnostics"]?.arrayValue ?? []).compactMap { $0["code"]?.stringValue }
    if awsCodes == ["INVALID_JSON_DESCRIPTION"] {
      #expect(verdict == "FAIL")
      #expect(diagnostics.first?["code"] == .string("INVALID_JSON_DESCRIPTION"))
    }
  }
}
