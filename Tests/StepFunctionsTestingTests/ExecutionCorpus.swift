import CorpusSupport
import Foundation
import StepFunctions
import StepFunctionsTesting
import Testing

/// One execution case of the corpus, as a test argument.
struct CorpusEntry: CustomTestStringConvertible, Sendable {
  var folder: String
  var testCase: ConformanceCase

  var testDescription: String { "\(folder)/\(testCase.identifier)" }
}

/// The corpus's execution cases (`localstack/executions/{pure,service}`), loaded once.
enum ExecutionCorpus {
  static let folders = ["pure", "service"]

  static let sets: [(folder: String, set: ConformanceCaseSet)] = folders.compactMap { folder in
    guard let url = Corpus.url("localstack/executions/\(folder)"),
      let set = try? ConformanceCase.loadFolder(url)
    else { return nil }
    return (folder, set)
  }

  static let entries: [CorpusEntry] = sets.flatMap { item in
    item.set.cases.map { CorpusEntry(folder: item.folder, testCase: $0) }
  }

  static let failures: [ConformanceCaseError] = sets.flatMap(\.set.failures)

  /// The case of `folder` whose file name (without `.json`) is `identifier`.
  static func testCase(_ folder: String, _ identifier: String) -> ConformanceCase? {
    entries.first { $0.folder == folder && $0.testCase.identifier == identifier }?.testCase
  }

  /// The corpus manifest's counts (`counts.by`).
  static let manifestCounts: JSONObject? = {
    guard let url = Corpus.url("localstack/manifest.json"), let manifest = try? Corpus.json(at: url)
    else {
      return nil
    }
    return manifest["counts"]?["by"]?.objectValue
  }()

  static let manifestCaseCount: Int? = {
    guard let url = Corpus.url("localstack/manifest.json"), let manifest = try? Corpus.json(at: url)
    else {
      return nil
    }
    return manifest["counts"]?["execution_cases"]?.numberValue?.intValue
  }()
}
