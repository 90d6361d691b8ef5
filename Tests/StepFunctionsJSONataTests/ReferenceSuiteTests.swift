import CorpusSupport
import Foundation
import StepFunctionsJSON
import StepFunctionsJSONata
import Testing

/// A case of the reference suite (loaded by `CorpusSupport`), run by the engine.
typealias ReferenceCase = JSONataReferenceCase

extension JSONataReferenceCase {
  /// Runs the case; nil when it passes, else what went wrong.
  func run() -> String? {
    // The suite's time limits are calibrated for jsonata-js; a debug build under a parallel
    // test run is slower, so the cases are bounded by their depth and the step budget, which
    // are deterministic, rather than by the clock.
    var options = JSONataOptions()
    if let depth { options.maximumDepth = depth }
    do {
      let compiled = try JSONataExpression(parsing: expression)
      return check(
        .success(try compiled.evaluate(input: input, bindings: bindings, options: options)))
    } catch {
      return check(
        .failure(Failure(code: error.code, message: error.message, token: error.token)))
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
