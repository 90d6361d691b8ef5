import StepFunctions

/// One way an execution's outcome differs from what AWS recorded: the conformance name of the
/// ``ValueDifference`` the shared ``EventComparator`` reports. Paths point into the case's
/// `expected` object, such as `/status`, `/output/items/0` or
/// `/events/4/stateExitedEventDetails/output`.
public typealias ConformanceDifference = ValueDifference

/// The verdict on one case: it passes when there is no difference.
public struct ConformanceResult: Sendable, Hashable {
  /// The case's name.
  public var caseName: String
  /// The differences, in document order of the expected data (status, output, error, cause,
  /// events).
  public var differences: [ConformanceDifference]

  /// Creates a result.
  public init(caseName: String, differences: [ConformanceDifference] = []) {
    self.caseName = caseName
    self.differences = differences
  }

  /// Whether the outcome matched.
  public var passed: Bool { differences.isEmpty }

  /// A short human-readable report: `PASS name`, or `FAIL name` followed by one indented line per
  /// difference (at most `limit`, then a count of the rest).
  public func rendered(limit: Int = 20) -> String {
    guard !passed else { return "PASS \(caseName)" }
    var lines = ["FAIL \(caseName)"]
    let shown = max(limit, 1)
    for difference in differences.prefix(shown) { lines.append("  \(difference)") }
    if differences.count > shown {
      lines.append("  … and \(differences.count - shown) more difference(s)")
    }
    return lines.joined(separator: "\n")
  }
}

/// Running totals for a conformance run.
public struct ConformanceSummary: Sendable, Hashable, CustomStringConvertible {
  /// Cases whose outcome matched.
  public var passed: Int
  /// Cases whose outcome differed (or that could not be run).
  public var failed: Int
  /// Cases not run (see ``ConformanceSkipReason``).
  public var skipped: Int

  /// Creates a summary.
  public init(passed: Int = 0, failed: Int = 0, skipped: Int = 0) {
    self.passed = passed
    self.failed = failed
    self.skipped = skipped
  }

  /// Counts one result.
  public mutating func record(_ result: ConformanceResult) {
    if result.passed { passed += 1 } else { failed += 1 }
  }

  /// Counts one skipped case.
  public mutating func recordSkip() { skipped += 1 }

  /// All cases counted.
  public var total: Int { passed + failed + skipped }

  /// `N passed, M failed, K skipped`.
  public var description: String { "\(passed) passed, \(failed) failed, \(skipped) skipped" }
}
