import Foundation
import StepFunctions

/// Runs conformance cases through the executor and compares the outcome with what AWS recorded.
public enum ConformanceRunner {
  /// What happened to one case.
  public enum Verdict: Sendable {
    /// The case cannot run locally yet, with the reason.
    case skipped(ConformanceSkipReason)
    /// The case ran (or failed to build) and was compared.
    case compared(ConformanceResult)
  }

  /// Runs one case: builds the machine from the recorded definition, runs it on a virtual clock
  /// with the recorded input, and compares status, output, error, cause and events. A service
  /// case is not run with task handlers but replayed: every task gets the result, failure or
  /// timeout its recorded history shows (see ``ConformanceCase/recordedHistory()``).
  ///
  /// A case whose Map state reads its items with an `ItemReader` replays with the objects
  /// `readerObjects` gives for it (and is skipped without them).
  public static func run(
    _ testCase: ConformanceCase, readerObjects: ConformanceReaderObjects = .none
  ) async -> Verdict {
    if let reason = testCase.skipReason { return .skipped(reason) }
    let objects = readerObjects.objectsByCase[testCase.identifier]
    if testCase.usesItemReader, objects == nil { return .skipped(.readerObjectsUnknown) }
    if testCase.category == .service { return await replay(testCase, objects: objects ?? []) }
    let type: ValidationOptions.StateMachineType =
      testCase.stateMachineType == .express ? .express : .standard
    let machine: StateMachine
    do {
      machine = try StateMachine(
        bytes: JSONSerializer().bytes(testCase.definition),
        options: ValidationOptions(stateMachineType: type))
    } catch {
      return .compared(
        ConformanceResult(
          caseName: testCase.identifier,
          differences: [
            ConformanceDifference(
              path: "/definition", kind: .mismatch, expected: "a runnable state machine",
              actual: "\(error)")
          ]))
    }
    var options = ExecutionOptions()
    options.stateMachineName = "StateMachine"
    options.stateMachineType = type
    options.behaviorDate = testCase.behaviorDate
    let result = await machine.run(input: testCase.input, options: options)
    return .compared(
      ConformanceComparator.compare(
        testCase, outcome(of: result, includeEvents: testCase.stateMachineType != .express)))
  }

  /// The executor's result in the shape the comparator reads.
  public static func outcome(of result: ExecutionResult, includeEvents: Bool) -> ExecutionOutcome {
    ExecutionOutcome(
      status: ConformanceStatus(rawValue: result.status.rawValue), output: result.output,
      error: result.error,
      cause: result.cause, events: includeEvents ? result.history.events.map(\.awsJSON) : nil)
  }

  /// Reads a known-failures file: one `case-identifier | reason` per line; blank lines and `#`
  /// comments are ignored.
  public static func knownFailures(contentsOf url: URL) -> [String: String] {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
    var entries: [String: String] = [:]
    for line in text.split(separator: "\n") {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
      let parts = trimmed.split(separator: "|", maxSplits: 1).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      entries[parts[0]] = parts.count > 1 ? parts[1] : ""
    }
    return entries
  }
}
