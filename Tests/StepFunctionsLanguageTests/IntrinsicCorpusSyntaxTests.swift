import CorpusSupport
import Foundation
import StepFunctionsJSON
import Testing

@testable import StepFunctionsLanguage

/// Reads the shared conformance corpus (never copied into this repository): `$SFN_CORPUS`, or
/// `../shared/corpus` next to the package.
enum LanguageCorpus {
  static let root: URL = Corpus.expectedLocation

  static func files(in folder: String) -> [URL] {
    let directory = root.appendingPathComponent(folder)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.hasSuffix(".json") }.sorted().map {
      directory.appendingPathComponent($0)
    }
  }

  static func load(_ url: URL) -> JSON? {
    guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
    return try? JSONParser.parse([UInt8](data))
  }

  /// Intrinsic call texts in the payload templates (and `ErrorPath`/`CausePath`) of JSONPath
  /// states, recursing into branches and item processors: (pointer, field, value).
  static func intrinsicFields(in definition: JSON, jsonata: Bool = false) -> [(
    String, String, String
  )] {
    var found: [(String, String, String)] = []
    let topJSONata = jsonata || definition["QueryLanguage"] == "JSONata"
    guard let states = definition["States"]?.objectValue else { return found }
    for (name, state) in states {
      let stateJSONata =
        state["QueryLanguage"].map { $0 == "JSONata" } ?? topJSONata
      if !stateJSONata {
        for template in ["Parameters", "ResultSelector", "ItemSelector", "Assign", "Credentials"] {
          if let value = state[template] {
            collect(value, pointer: "/States/\(name)/\(template)", into: &found)
          }
        }
        for field in ["ErrorPath", "CausePath"] {
          if let text = state[field]?.stringValue, IntrinsicCall.isIntrinsicCall(text) {
            found.append(("/States/\(name)", field, text))
          }
        }
      }
      for branch in state["Branches"]?.arrayValue ?? [] {
        found += intrinsicFields(in: branch, jsonata: stateJSONata)
      }
      for key in ["Iterator", "ItemProcessor"] {
        if let processor = state[key] {
          found += intrinsicFields(in: processor, jsonata: stateJSONata)
        }
      }
    }
    return found
  }

  private static func collect(
    _ value: JSON, pointer: String, into found: inout [(String, String, String)]
  ) {
    switch value {
    case .object(let members):
      for (key, member) in members {
        if key.hasSuffix(".$"), let text = member.stringValue, IntrinsicCall.isIntrinsicCall(text) {
          found.append((pointer, key, text))
        } else {
          collect(member, pointer: pointer + "/" + key, into: &found)
        }
      }
    case .array(let elements):
      for (index, element) in elements.enumerated() {
        collect(element, pointer: pointer + "/\(index)", into: &found)
      }
    default: break
    }
  }

  /// Every intrinsic text from executions AWS accepted and ran.
  static let acceptedCalls: [String] = {
    var calls: [String] = []
    for folder in ["localstack/executions/pure", "localstack/executions/service"] {
      for url in files(in: folder) {
        guard let definition = load(url)?["definition"] else { continue }
        calls += intrinsicFields(in: definition).map(\.2)
      }
    }
    return Array(Set(calls)).sorted()
  }()

  /// CreateStateMachine verdicts about intrinsic text.
  static let rejectedDefinitions: [URL] = files(in: "localstack/validation").filter {
    $0.lastPathComponent.contains("illegal_escapes")
  }
}

@Suite("Intrinsic syntax against the recorded corpus", .requiresCorpus)
struct IntrinsicCorpusSyntaxTests {
  @Test("The corpus has intrinsic calls to check")
  func corpusHasCalls() {
    #expect(LanguageCorpus.acceptedCalls.count > 50)
  }

  @Test(
    "Every intrinsic call in an execution AWS ran parses and passes the load-time checks",
    arguments: LanguageCorpus.acceptedCalls)
  func acceptedCallParses(text: String) {
    #expect(
      IntrinsicValidation.problems(in: text).isEmpty, "\(IntrinsicValidation.problems(in: text))")
  }

  @Test(
    "Definitions AWS rejected for their intrinsic text get AWS's code and sentence, at the member",
    arguments: LanguageCorpus.rejectedDefinitions)
  func rejected(url: URL) throws {
    let record = try #require(LanguageCorpus.load(url))
    let definition = try #require(record["definition"])
    let expected = try #require(record["expected"]?["message"]?.stringValue)
    let fields = LanguageCorpus.intrinsicFields(in: definition)
    #expect(fields.count == 1)
    let (pointerText, field, value) = try #require(fields.first)
    let pointer = try #require(JSONPointer(parsing: pointerText))
    let diagnostic = try #require(
      IntrinsicValidation.diagnostic(field: field, value: value, at: pointer.appending(field)))
    // AWS's words with its location (the template); we add the reason and point at the member.
    let sentence = IntrinsicValidation.invalidFieldMessage(field: field)
    #expect(
      "Invalid State Machine Definition: '\(diagnostic.code): \(sentence) at \(pointer)'"
        == expected)
    #expect(diagnostic.message.hasPrefix(sentence + ": "))
    #expect(diagnostic.message.count > sentence.count + 2)
    #expect(diagnostic.pointer == pointer.appending(field))
  }

  @Test("Linters' valid intrinsic fixtures parse; their invalid ones do not")
  func linterFixtures() throws {
    var checked = 0
    for url in LanguageCorpus.files(in: "validation/valid") {
      guard let definition = LanguageCorpus.load(url) else { continue }
      for (_, _, text) in LanguageCorpus.intrinsicFields(in: definition) {
        #expect(IntrinsicValidation.problems(in: text).isEmpty, "\(url.lastPathComponent): \(text)")
        checked += 1
      }
    }
    #expect(checked >= 40)
    // The invalid fixtures whose problem is the intrinsic text itself (the manifest says so).
    let invalid: [(String, String)] = [
      ("statelint__invalid-function-invocation.json", "States.Xyz($.result)"),
      (
        "statelint__states-array-invocation-leftpad.json", " States.Array('Foo', $.xyz, 'Bar', 2.3)"
      ),
      ("aslvalidator__invalid-math-add.json", "States.MathAdd(1,'-1')"),
    ]
    for (file, text) in invalid {
      let url = LanguageCorpus.root.appendingPathComponent("validation/invalid/\(file)")
      let contents = try #require(FileManager.default.contents(atPath: url.path))
      let body = String(decoding: contents, as: UTF8.self)
      #expect(body.contains(text), "\(file) holds \(text)")
      #expect(!IntrinsicValidation.problems(in: text).isEmpty, "\(text) must be rejected")
    }
  }
}
