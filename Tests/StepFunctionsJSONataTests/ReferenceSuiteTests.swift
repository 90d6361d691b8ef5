import CorpusSupport
import Foundation
import StepFunctionsJSON
import StepFunctionsJSONata
import Testing

/// One case of the JSONata reference suite (`../shared/corpus/jsonata/groups/*.json`).
struct ReferenceCase: CustomTestStringConvertible, Sendable {
  let key: String
  let expression: String
  let input: JSON?
  let bindings: [String: JSON]
  let expected: Expected
  let timeLimit: Int?
  let depth: Int?
  let unordered: Bool

  enum Expected: Sendable {
    case result(JSON)
    case undefined
    case error(code: String, details: JSON?)
  }

  var testDescription: String { key }

  /// Every case that applies to JSONata 2.0.6: cases added after it (`inBaseline: "new"`)
  /// and `$eval` cases (absent in AWS) are left out.
  static func load() -> [ReferenceCase] { loadWithUnreadable().cases }

  /// The cases, and the group files the project's JSON parser refuses (it rejects lone
  /// surrogate escapes such as `"\ud800"`, which two groups use).
  static func loadWithUnreadable() -> (cases: [ReferenceCase], unreadable: [String]) {
    var unreadable: [String] = []
    var datasets: [String: JSON] = [:]
    for url in Corpus.files(in: "jsonata/datasets") {
      datasets[url.deletingPathExtension().lastPathComponent] = try? Corpus.json(at: url)
    }
    var cases: [ReferenceCase] = []
    for url in Corpus.files(in: "jsonata/groups") {
      let group = url.deletingPathExtension().lastPathComponent
      guard let entries = (try? Corpus.json(at: url))?.arrayValue else {
        unreadable.append(group)
        continue
      }
      for entry in entries {
        guard let id = entry["id"]?.stringValue, let expression = entry["expr"]?.stringValue,
          entry["inBaseline"]?.stringValue != "new", !expression.contains("$eval")
        else { continue }
        var input: JSON? = nil
        if let data = entry["data"] {
          input = data
        } else if let name = entry["dataset"]?.stringValue {
          input = datasets[name]
        }
        let expected: Expected
        if let code = entry["code"]?.stringValue {
          expected = .error(code: code, details: entry["error"])
        } else if let error = entry["error"], let code = error["code"]?.stringValue {
          expected = .error(code: code, details: error)
        } else if entry["undefinedResult"]?.boolValue == true {
          expected = .undefined
        } else if let result = entry["result"] {
          expected = .result(result)
        } else {
          expected = .undefined
        }
        cases.append(
          ReferenceCase(
            key: "\(group)/\(id)", expression: expression, input: input,
            bindings: entry["bindings"]?.objectValue.map {
              Dictionary($0.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
            } ?? [:],
            expected: expected, timeLimit: entry["timelimit"]?.numberValue?.intValue,
            depth: entry["depth"]?.numberValue?.intValue,
            unordered: entry["unordered"]?.boolValue == true))
      }
    }
    return (cases, unreadable)
  }

  /// Runs the case; nil when it passes, else what went wrong.
  func run() -> String? {
    // The suite's time limits are calibrated for jsonata-js; a debug build under a parallel
    // test run is slower, so the cases are bounded by their depth and the step budget, which
    // are deterministic, rather than by the clock.
    var options = JSONataOptions()
    if let depth { options.maximumDepth = depth }
    let outcome: Result<JSON?, JSONataError>
    do {
      let compiled = try JSONataExpression(parsing: expression)
      outcome = .success(try compiled.evaluate(input: input, bindings: bindings, options: options))
    } catch {
      outcome = .failure(error)
    }
    switch (expected, outcome) {
    case (.result(let want), .success(let got?)):
      if ReferenceCase.equal(want, got, unordered: unordered) { return nil }
      return "expected \(want), got \(got)"
    case (.result(let want), .success(nil)):
      return "expected \(want), got undefined"
    case (.undefined, .success(nil)):
      return nil
    case (.undefined, .success(let got?)):
      return "expected undefined, got \(got)"
    case (.error(let code, let details), .failure(let error)):
      guard error.code == code else { return "expected error \(code), got \(error)" }
      if let message = details?["message"]?.stringValue, message != error.message {
        return "expected message \(message), got \(error.message)"
      }
      if let token = details?["token"]?.stringValue, token != error.token {
        return "expected token \(token), got \(error.token ?? "none")"
      }
      return nil
    case (.error(let code, _), .success(let got)):
      return "expected error \(code), got \(got.map { "\($0)" } ?? "undefined")"
    case (_, .failure(let error)):
      return "unexpected error \(error)"
    }
  }

  /// Equality as the suite means it: numbers by value with a tolerance for the last digits of
  /// doubles, arrays in order unless the case says otherwise.
  static func equal(_ a: JSON, _ b: JSON, unordered: Bool = false) -> Bool {
    switch (a, b) {
    case (.number(let x), .number(let y)):
      if x == y { return true }
      let dx = x.doubleValue
      let dy = y.doubleValue
      return abs(dx - dy) <= 1e-13 * max(abs(dx), abs(dy))
    case (.array(let x), .array(let y)):
      guard x.count == y.count else { return false }
      if unordered {
        var remaining = y
        for item in x {
          guard let index = remaining.firstIndex(where: { equal(item, $0) }) else { return false }
          remaining.remove(at: index)
        }
        return true
      }
      return zip(x, y).allSatisfy { equal($0, $1) }
    case (.object(let x), .object(let y)):
      guard x.count == y.count else { return false }
      for (key, value) in x {
        guard let other = y[key], equal(value, other) else { return false }
      }
      return true
    default:
      return a == b
    }
  }
}

@Suite("The JSONata reference suite", .requiresCorpus)
struct ReferenceSuiteTests {
  static let cases = ReferenceCase.load()
  static let knownFailures = Corpus.knownFailures("jsonata.txt")

  @Test("The reference suite has its 2.0.6 cases")
  func suiteHasCases() {
    #expect(Self.cases.count > 1500, "expected the reference suite's 2.0.6 cases")
  }

  @Test("Only the groups with lone surrogates in their text are not run")
  func unreadableGroups() {
    // Their 6 cases (`$encodeUrl('\ud800')` and friends) cannot be read as JSON by this
    // project's parser, which refuses lone surrogates; they are the only cases not run.
    #expect(
      ReferenceCase.loadWithUnreadable().unreadable == [
        "function-encodeUrl", "function-encodeUrlComponent",
      ])
  }

  /// With `JSONATA_REPORT=/path` set, writes every failing case and its reason there (the
  /// source of Tests/KnownFailures/jsonata.txt) and the pass figures to standard output.
  @Test("The pass rate is reported when asked for")
  func report() async throws {
    guard let path = ProcessInfo.processInfo.environment["JSONATA_REPORT"] else { return }
    var lines: [String] = []
    let trace = ProcessInfo.processInfo.environment["JSONATA_TRACE"] != nil
    for testCase in Self.cases {
      if trace { FileHandle.standardError.write(Data("\(testCase.key)\n".utf8)) }
      if let failure = try await SmallStack.run({ testCase.run() }) {
        lines.append(
          "\(testCase.key) | \(failure.replacingOccurrences(of: "\n", with: " ").prefix(300))")
      }
    }
    try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    print(
      "JSONata reference suite: \(Self.cases.count) applicable, \(Self.cases.count - lines.count) passed, \(lines.count) failed"
    )
    #expect(lines.count <= Self.knownFailures.count)
  }

  @Test("Each case gives JSONata's result or error", arguments: cases)
  func caseMatches(_ testCase: ReferenceCase) async throws {
    let failure = try await SmallStack.run { testCase.run() }
    if let reason = Self.knownFailures[testCase.key] {
      #expect(
        failure != nil,
        "\(testCase.key) passes now; remove it from Tests/KnownFailures/jsonata.txt (was: \(reason))"
      )
      return
    }
    #expect(failure == nil, "\(testCase.key): \(testCase.expression): \(failure ?? "")")
  }
}
