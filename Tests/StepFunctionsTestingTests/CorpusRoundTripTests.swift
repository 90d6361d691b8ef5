import CorpusSupport
import Foundation
import StepFunctions
import StepFunctionsTesting
import Testing

@Suite("The conformance corpus loads and classifies", .requiresCorpus)
struct ConformanceCorpusLoadingTests {
  @Test("Every execution case file of the corpus loads")
  func everyFileLoads() {
    #expect(ExecutionCorpus.failures.isEmpty, "\(ExecutionCorpus.failures.map(\.description))")
    #expect(ExecutionCorpus.sets.count == 2)
    if let count = ExecutionCorpus.manifestCaseCount {
      #expect(ExecutionCorpus.entries.count == count)
    } else {
      Issue.record("localstack/manifest.json has no counts.execution_cases")
    }
  }

  @Test("Cases come sorted by file name within each folder")
  func casesAreSorted() {
    for item in ExecutionCorpus.sets {
      let names = item.set.cases.map(\.fileName)
      #expect(names == names.sorted(), "\(item.folder)")
    }
  }

  @Test("Every pure case can run locally, and each skip has its reason")
  func classification() {
    var counts: [ConformanceSkipReason: Int] = [:]
    var runnable = 0
    for entry in ExecutionCorpus.entries {
      let testCase = entry.testCase
      let reasons = testCase.skipReasons
      if testCase.category == .pure {
        #expect(reasons.isEmpty, "\(entry.testDescription)")
      }
      #expect(
        reasons.contains(.noRecordedTaskResults)
          == (testCase.category == .service && !testCase.hasExpectedEvents),
        "\(entry.testDescription)")
      if testCase.category == .pure, !testCase.definitionPlaceholders.isEmpty {
        #expect(reasons.contains(.definitionHasPlaceholders), "\(entry.testDescription)")
      }
      if testCase.category == .service {
        // Replay fills in every test-time Resource of the corpus and starts from the recorded
        // input, whatever placeholders it holds.
        #expect(!reasons.contains(.definitionHasPlaceholders), "\(entry.testDescription)")
        #expect(!reasons.contains(.inputHasPlaceholders), "\(entry.testDescription)")
      }
      #expect(testCase.isRunnable == reasons.isEmpty)
      if let first = reasons.first { counts[first, default: 0] += 1 } else { runnable += 1 }
    }
    // Every pure case (JSONPath, JSONata and mixed), and the service cases replay can answer:
    // all but 3 without a history and 1 running tasks in distributed Maps whose results the
    // recording does not give (the ItemReader cases run with the objects of
    // Tests/Conformance/item-reader-objects.json).
    #expect(runnable == 918 + 215)
    #expect(runnable > 0)
    print(
      "conformance corpus: \(runnable) runnable; skipped: "
        + ConformanceSkipReason.allCases.map { "\(counts[$0, default: 0]) \($0.rawValue)" }.joined(
          separator: ", "))
  }

  @Test("Express executions are not skipped, they only have no events")
  func expressCasesRun() {
    let express = ExecutionCorpus.entries.filter { $0.testCase.stateMachineType == .express }
    #expect(!express.isEmpty)
    for entry in express {
      #expect(!entry.testCase.hasExpectedEvents, "\(entry.testDescription)")
    }
    #expect(express.contains { $0.testCase.isRunnable })
  }

  @Test("A case file decodes every field")
  func decodesFields() throws {
    guard
      let testCase = ExecutionCorpus.testCase(
        "pure", "assign_test_assign_base__TestAssignBase__test_base_cases_BASE_SCOPE_MAP_")
    else {
      Issue.record("the case is missing from the corpus")
      return
    }
    #expect(
      testCase.name
        == "tests/aws/services/stepfunctions/v2/assign/test_assign_base.py::TestAssignBase::test_base_cases[BASE_SCOPE_MAP]"
    )
    #expect(testCase.category == .pure)
    #expect(testCase.queryLanguage == .jsonPath)
    #expect(testCase.stateMachineType == .standard)
    #expect(testCase.usesAssign)
    #expect(testCase.stateTypes == ["Map": 1, "Pass": 3])
    #expect(testCase.definition["StartAt"] == "State0")
    #expect(testCase.input == ["input_value": "input_value_literal"])
    #expect(testCase.expected.status == .succeeded)
    #expect(testCase.expected.output == [1, 2, 3])
    #expect(testCase.expected.events?.count == 22)
    #expect(
      testCase.source.skipSnapshotVerifyPaths == [
        "$..redriveCount", "$..redriveStatus", "$..RedriveCount",
      ])
    #expect(testCase.source.snapshotEntry == "get_execution_history")
    #expect(testCase.eventsNormalization == nil)
    #expect(testCase.isRunnable)
  }
}

@Suite(
  "Every corpus case passes against the outcome AWS returned before rewriting", .requiresCorpus)
struct CorpusRoundTripTests {
  /// Cases the synthetic round trip cannot reproduce, with the reason. Empty: none is excluded.
  static let excluded: [String: String] = [:]

  @Test(
    "The synthetic AWS outcome of each case matches the case", arguments: ExecutionCorpus.entries)
  func roundTrip(_ entry: CorpusEntry) {
    let (outcome, changes) = SyntheticOutcome.outcome(for: entry.testCase)
    let result = ConformanceComparator.compare(entry.testCase, outcome)
    if let reason = Self.excluded[entry.testDescription] {
      #expect(
        !result.passed, "\(entry.testDescription) passes now; remove its exclusion (\(reason))")
      return
    }
    #expect(result.passed, "\(result.rendered())")
    if entry.testCase.hasExpectedEvents {
      // The outcome really was in AWS's shape: timestamps and payload texts were restored.
      #expect(changes > 0)
      #expect(outcome.events != entry.testCase.expected.events)
    }
  }

  @Test("The round trip covers the whole corpus")
  func coverage() {
    var summary = ConformanceSummary()
    for entry in ExecutionCorpus.entries {
      if Self.excluded[entry.testDescription] != nil {
        summary.recordSkip()
        continue
      }
      let (outcome, _) = SyntheticOutcome.outcome(for: entry.testCase)
      summary.record(ConformanceComparator.compare(entry.testCase, outcome))
    }
    print("synthetic round trip: \(summary)")
    #expect(summary.failed == 0)
    #expect(summary.total == ExecutionCorpus.entries.count)
  }

  @Test("Comparing each case with its neighbour's outcome reports differences")
  func neighbours() {
    let entries = ExecutionCorpus.entries
    guard entries.count > 1 else {
      Issue.record("the corpus has fewer than two execution cases")
      return
    }
    var failures = 0
    var identical = 0
    for (index, entry) in entries.enumerated() {
      let neighbour = entries[(index + 1) % entries.count].testCase
      let (outcome, _) = SyntheticOutcome.outcome(for: neighbour)
      let result = ConformanceComparator.compare(entry.testCase, outcome)
      if entry.testCase.expected == neighbour.expected {
        identical += 1
        #expect(result.passed, "\(result.rendered())")
      } else if !result.passed {
        failures += 1
      }
    }
    print("neighbour comparisons: \(failures) differ, \(identical) identical expectations")
    // Different recordings with equal-looking results are rare (and then only up to wildcards).
    #expect(failures + identical > entries.count * 95 / 100)
  }
}

@Suite("Conformance case files")
struct ConformanceCaseFileTests {
  @Test("A malformed case file is reported, not trapped on")
  func malformedFile() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "conformance-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let files: [(String, String)] = [
      (
        "a.json",
        #"{"name": "ok", "category": "pure", "definition": {}, "input": {}, "expected": {"status": "SUCCEEDED", "output": null}}"#
      ),
      (
        "b.json",
        #"{"name": "bad category", "category": "cloud", "definition": {}, "expected": {"status": "FAILED"}}"#
      ),
      ("c.json", #"{"name": "no status", "category": "pure", "definition": {}, "expected": {}}"#),
      ("d.json", "not json"),
      (
        "e.json",
        #"{"name": "events not a list", "category": "pure", "definition": {}, "expected": {"status": "SUCCEEDED", "events": 3}}"#
      ),
      ("f.txt", "ignored"),
    ]
    for (name, text) in files {
      try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }
    let set = try ConformanceCase.loadFolder(folder)
    #expect(set.cases.map(\.name) == ["ok"])
    #expect(set.cases.first?.expected.output == .null)
    #expect(
      set.failures.map { $0.fileURL.lastPathComponent } == ["b.json", "c.json", "d.json", "e.json"])
    #expect(set.failures.first?.message == "unknown category \"cloud\"")
  }
}
