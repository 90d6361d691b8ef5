import CorpusSupport
import Foundation
import StepFunctions
import StepFunctionsTesting
import Testing

/// A corpus execution case, named by its file for test output.
struct ExecutionCaseFile: CustomTestStringConvertible, Sendable {
  var url: URL
  var testDescription: String { url.deletingPathExtension().lastPathComponent }

  static func all() -> [ExecutionCaseFile] {
    Corpus.files(in: "localstack/executions/pure").map { ExecutionCaseFile(url: $0) }
  }

  static func service() -> [ExecutionCaseFile] {
    Corpus.files(in: "localstack/executions/service").map { ExecutionCaseFile(url: $0) }
  }
}

@Suite("Recorded AWS executions run the same locally", .requiresCorpus)
struct ConformanceCorpusTests {
  static let cases = ExecutionCaseFile.all()
  static let serviceCases = ExecutionCaseFile.service()
  static let knownFailures = ConformanceRunner.knownFailures(
    contentsOf: Corpus.packageRoot.appendingPathComponent("Tests/KnownFailures/conformance.txt"))
  static let readerObjectsURL = Corpus.packageRoot.appendingPathComponent(
    ConformanceReaderObjects.defaultPath)
  /// The S3 objects of the ItemReader cases (none if the file cannot be read: the test
  /// `readerObjectsLoad` then fails).
  static let readerObjects =
    (try? ConformanceReaderObjects(contentsOf: readerObjectsURL)) ?? .none

  @Test(
    "The ItemReader objects file loads, and names only service cases of the corpus that use an ItemReader"
  )
  func readerObjectsLoad() throws {
    let objects = try ConformanceReaderObjects(contentsOf: Self.readerObjectsURL)
    let readers = try Self.serviceCases.map { try ConformanceCase.load(contentsOf: $0.url) }
      .filter(\.usesItemReader).map(\.identifier)
    #expect(Set(objects.objectsByCase.keys) == Set(readers))
  }

  @Test("The execution corpus has every pure and service case")
  func corpusIsPresent() {
    #expect(Self.cases.count == 918, "expected the 918 pure execution cases")
    #expect(Self.serviceCases.count == 219, "expected the 219 service execution cases")
  }

  @Test(
    "Each runnable pure case matches AWS: status, output, error, cause and events", arguments: cases
  )
  func caseMatches(_ file: ExecutionCaseFile) async throws {
    let testCase = try ConformanceCase.load(contentsOf: file.url)
    switch await ConformanceRunner.run(testCase, readerObjects: Self.readerObjects) {
    case .skipped(let reason):
      // Every pure case runs, whatever its query language.
      Issue.record("a pure case was skipped: \(reason)")
    case .compared(let result):
      expectKnown(testCase, result)
    }
  }

  @Test(
    "Each replayable service case matches AWS when replayed with its recorded task results",
    arguments: serviceCases
  )
  func serviceCaseMatches(_ file: ExecutionCaseFile) async throws {
    let testCase = try ConformanceCase.load(contentsOf: file.url)
    switch await ConformanceRunner.run(testCase, readerObjects: Self.readerObjects) {
    case .skipped(let reason):
      // No history, a Map ResultWriter, or tasks in distributed Map child executions.
      #expect(
        reason != .definitionHasPlaceholders && reason != .inputHasPlaceholders,
        "\(testCase.identifier) was skipped: \(reason)")
    case .compared(let result):
      expectKnown(testCase, result)
    }
  }

  /// A listed case must fail (the list only shrinks); any other must pass.
  private func expectKnown(_ testCase: ConformanceCase, _ result: ConformanceResult) {
    if let reason = Self.knownFailures[testCase.identifier] {
      #expect(
        !result.passed,
        "\(testCase.identifier) passes now; remove it from Tests/KnownFailures/conformance.txt (was: \(reason))"
      )
    } else {
      #expect(result.passed, "\(result.rendered(limit: 12))")
    }
  }

  @Test("Cases that cannot run yet are skipped with their reason, and the counts are as expected")
  func skippedCasesAreListed() throws {
    var reasons: [ConformanceSkipReason: Int] = [:]
    var runnable = 0
    for file in Self.cases
      + Corpus.files(in: "localstack/executions/service").map(ExecutionCaseFile.init)
    {
      let testCase = try ConformanceCase.load(contentsOf: file.url)
      if let reason = testCase.skipReason {
        reasons[reason, default: 0] += 1
      } else {
        runnable += 1
      }
    }
    for (reason, count) in reasons.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
      print("conformance: \(count) cases skipped: \(reason)")
    }
    #expect(runnable == 1133, "the 918 pure cases and 215 service cases run")
    #expect(reasons[.noRecordedTaskResults] == 3)
    #expect(reasons[.distributedMapTaskResultsNotRecorded] == 1)
    #expect(reasons.values.reduce(0, +) == 4)
  }

  @Test("The pass rate over pure cases (JSONPath, JSONata and mixed) is at least 98%")
  func passRate() async throws {
    var summary = ConformanceSummary()
    for file in Self.cases {
      let testCase = try ConformanceCase.load(contentsOf: file.url)
      switch await ConformanceRunner.run(testCase, readerObjects: Self.readerObjects) {
      case .skipped: summary.skipped += 1
      case .compared(let result):
        if result.passed { summary.passed += 1 } else { summary.failed += 1 }
      }
    }
    print("conformance: \(summary)")
    #expect(summary.passed * 100 >= (summary.passed + summary.failed) * 98, "\(summary)")
  }

  @Test(
    "Of the service cases with recorded events, at least 95% of the JSONPath ones and 90% of the JSONata ones pass through replay (skipped ones count as not passing)"
  )
  func servicePassRate() async throws {
    var jsonPath = ConformanceSummary()
    var jsonata = ConformanceSummary()
    for file in Self.serviceCases {
      let testCase = try ConformanceCase.load(contentsOf: file.url)
      guard testCase.expected.events != nil else { continue }
      let outcome = await ConformanceRunner.run(testCase, readerObjects: Self.readerObjects)
      func count(_ summary: inout ConformanceSummary) {
        switch outcome {
        case .skipped: summary.skipped += 1
        case .compared(let result):
          if result.passed { summary.passed += 1 } else { summary.failed += 1 }
        }
      }
      if testCase.queryLanguage == .jsonPath { count(&jsonPath) } else { count(&jsonata) }
    }
    print("conformance (service, replayed): JSONPath \(jsonPath); JSONata and mixed \(jsonata)")
    let jsonPathTotal = jsonPath.passed + jsonPath.failed + jsonPath.skipped
    let jsonataTotal = jsonata.passed + jsonata.failed + jsonata.skipped
    #expect(jsonPathTotal == 179, "\(jsonPath)")
    #expect(jsonPath.passed * 100 >= jsonPathTotal * 95, "\(jsonPath)")
    #expect(jsonataTotal == 37, "\(jsonata)")
    #expect(jsonata.passed * 100 >= jsonataTotal * 90, "\(jsonata)")
  }
}
