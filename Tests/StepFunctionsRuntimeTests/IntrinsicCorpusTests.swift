import CorpusSupport
import Foundation
import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

@testable import StepFunctionsRuntime

/// Single-state executions from the recorded corpus whose outcome depends only on intrinsic
/// functions: a Pass state's `Parameters`, or a Fail state's `ErrorPath`/`CausePath`. Other
/// executions that use intrinsics need the executor; they are listed as skipped, with a reason.
enum IntrinsicCorpus {
  static let root: URL = Corpus.expectedLocation

  static var isPresent: Bool {
    FileManager.default.fileExists(atPath: root.appendingPathComponent("localstack").path)
  }

  struct Case: Sendable, CustomTestStringConvertible {
    var file: String
    var record: JSON
    var testDescription: String { file }
  }

  static func load(_ url: URL) -> JSON? {
    guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
    return try? JSONParser.parse([UInt8](data))
  }

  static func usesIntrinsics(_ definition: JSON) -> Bool {
    let text = definition.serialized()
    return IntrinsicFunction.allCases.contains { text.contains($0.name + "(") }
  }

  /// Runnable cases and (file, reason) for every skipped one.
  static let cases: (runnable: [Case], skipped: [(String, String)]) = {
    var runnable: [Case] = []
    var skipped: [(String, String)] = []
    let directory = root.appendingPathComponent("localstack/executions/pure")
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
      .filter { $0.hasSuffix(".json") }.sorted()
    for name in names {
      guard let record = load(directory.appendingPathComponent(name)),
        let definition = record["definition"], usesIntrinsics(definition)
      else { continue }
      if let reason = skipReason(record) {
        skipped.append((name, reason))
      } else {
        runnable.append(Case(file: name, record: record))
      }
    }
    return (runnable, skipped)
  }()

  static func skipReason(_ record: JSON) -> String? {
    guard record["query_language"] == "JSONPath" else { return "not a JSONPath machine" }
    guard let states = record["definition"]?["States"]?.objectValue, states.count == 1,
      let state = states.first?.value
    else { return "more than one state: needs the executor" }
    if state["Assign"] != nil || state["InputPath"] != nil || state["ResultSelector"] != nil {
      return "uses Assign/InputPath/ResultSelector: needs the executor"
    }
    var paths: [String] = []
    switch state["Type"]?.stringValue {
    case "Pass":
      guard let parameters = state["Parameters"]?.objectValue else {
        return "Pass without Parameters"
      }
      for (key, value) in parameters {
        guard key.hasSuffix(".$") else {
          if case .object = value { return "nested payload template" }
          continue
        }
        guard let text = value.stringValue else { return "non-string .$ value" }
        if IntrinsicCall.isIntrinsicCall(text) {
          guard let call = try? IntrinsicCall(parsing: text) else { return "call does not parse" }
          paths += call.paths
        } else {
          paths.append(text)
        }
      }
      guard record["expected"]?["status"] == "SUCCEEDED" else { return "Pass that did not succeed" }
    case "Fail":
      for field in ["ErrorPath", "CausePath"] {
        if let text = state[field]?.stringValue, let call = try? IntrinsicCall(parsing: text) {
          paths += call.paths
        }
      }
    default:
      return "a \(state["Type"]?.stringValue ?? "?") state: needs the executor"
    }
    if let unsupported = paths.first(where: { !TestPaths.isSupported($0) }) {
      return "reads \(unsupported), which only the executor provides"
    }
    return nil
  }

  /// Whether `actual` matches `expected`, where the corpus replaced random results by
  /// `RandomNumberGenerated` (an integer) and `generated-uuid` (a v4 UUID). Objects must list
  /// their keys in the same order; numbers must be written the same way.
  static func matches(_ actual: JSON, _ expected: JSON) -> Bool {
    switch expected {
    case .string("RandomNumberGenerated"):
      return actual.numberValue?.isInteger == true
    case .string("generated-uuid"):
      guard let text = actual.stringValue else { return false }
      let characters = Array(text)
      return characters.count == 36 && characters[14] == "4" && "89ab".contains(characters[19])
    case .array(let expectedElements):
      guard let elements = actual.arrayValue, elements.count == expectedElements.count else {
        return false
      }
      return zip(elements, expectedElements).allSatisfy { matches($0, $1) }
    case .object(let expectedMembers):
      guard let members = actual.objectValue, members.keys == expectedMembers.keys else {
        return false
      }
      return zip(members.values, expectedMembers.values).allSatisfy { matches($0, $1) }
    default:
      return actual.serialized() == expected.serialized()
    }
  }
}

@Suite("Intrinsics against recorded AWS executions", .requiresCorpus)
struct IntrinsicCorpusTests {
  @Test("The corpus yields runnable cases")
  func corpusYieldsCases() {
    #expect(IntrinsicCorpus.cases.runnable.count >= 100)
  }

  @Test("Skipped corpus cases are listed with their reasons")
  func skippedCases() {
    for (file, reason) in IntrinsicCorpus.cases.skipped {
      print("skipped \(file): \(reason)")
      #expect(!reason.isEmpty)
    }
    print(
      "intrinsic corpus: \(IntrinsicCorpus.cases.runnable.count) run, \(IntrinsicCorpus.cases.skipped.count) skipped"
    )
  }

  @Test("The recorded result is reproduced", arguments: IntrinsicCorpus.cases.runnable)
  func recorded(testCase: IntrinsicCorpus.Case) throws {
    let record = testCase.record
    let input = record["input"] ?? [:]
    let state = try #require(record["definition"]?["States"]?.objectValue?.first?.value)
    let expected = try #require(record["expected"])
    var random = SeededRandom(seed: 11)
    func value(of text: String) throws -> JSON {
      if IntrinsicCall.isIntrinsicCall(text) {
        let call = try IntrinsicCall(parsing: text)
        return try IntrinsicEvaluator.evaluate(call, random: &random) {
          (path: String) throws(StatesError) -> JSON in
          guard let value = TestPaths.resolve(path, in: input) else {
            throw StatesError.runtime("path \(path) not found")
          }
          return value
        }
      }
      return try #require(TestPaths.resolve(text, in: input))
    }

    if state["Type"] == "Fail" {
      if let text = state["ErrorPath"]?.stringValue {
        #expect(try value(of: text) == expected["error"])
      }
      if let text = state["CausePath"]?.stringValue {
        #expect(try value(of: text) == expected["cause"])
      }
      return
    }

    var result = JSONObject()
    for (key, member) in try #require(state["Parameters"]?.objectValue) {
      if key.hasSuffix(".$"), let text = member.stringValue {
        result[String(key.dropLast(2))] = try value(of: text)
      } else {
        result[key] = member
      }
    }
    var output = JSON.object(result)
    if let resultPath = state["ResultPath"]?.stringValue, resultPath != "$" {
      let name = String(resultPath.dropFirst(2))
      var merged = input.objectValue ?? JSONObject()
      merged[name] = output
      output = .object(merged)
    }
    if let outputPath = state["OutputPath"]?.stringValue {
      output = try #require(TestPaths.resolve(outputPath, in: output))
    }
    let expectedOutput = try #require(expected["output"])
    #expect(
      IntrinsicCorpus.matches(output, expectedOutput),
      "got \(output.serialized()), AWS gave \(expectedOutput.serialized())")
  }
}
