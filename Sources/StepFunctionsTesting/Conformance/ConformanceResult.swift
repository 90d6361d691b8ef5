import StepFunctions

/// One way an execution's outcome differs from what AWS recorded.
public struct ConformanceDifference: Sendable, Hashable, CustomStringConvertible {
  /// What kind of difference it is.
  public enum Kind: String, Sendable, Hashable {
    /// Both sides have a value there, and they differ.
    case mismatch
    /// AWS has a value (member, element or event) that the outcome lacks.
    case missing
    /// The outcome has a value (member, element or event) that AWS does not.
    case unexpected
  }

  /// Where: a JSON-Pointer-like path into the case's `expected` object, such as `/status`,
  /// `/output/items/0` or `/events/4/stateExitedEventDetails/output`. Paths into JSON text
  /// payloads continue inside the decoded text. An unexpected event is reported at the index the
  /// expected list would have it.
  public var path: String
  /// The kind of difference.
  public var kind: Kind
  /// The expected value, compact JSON (shortened when long), or `nil` when AWS has none.
  public var expected: String?
  /// The actual value, compact JSON (shortened when long), or `nil` when the outcome has none.
  public var actual: String?
  /// An optional note (for example which actual event was unexpected).
  public var note: String?

  /// Creates a difference.
  public init(path: String, kind: Kind, expected: String?, actual: String?, note: String? = nil) {
    self.path = path
    self.kind = kind
    self.expected = expected
    self.actual = actual
    self.note = note
  }

  /// One line: `/events/3/type: expected "PassStateEntered", got "TaskStateEntered"`.
  public var description: String {
    let location = path.isEmpty ? "/" : path
    var line: String
    switch kind {
    case .mismatch:
      line = "\(location): expected \(expected ?? "nothing"), got \(actual ?? "nothing")"
    case .missing:
      line = "\(location): missing \(expected ?? "value")"
    case .unexpected:
      line = "\(location): unexpected \(actual ?? "value")"
    }
    if let note { line += " (\(note))" }
    return line
  }

  /// The longest snippet kept, in characters.
  public static let snippetLimit = 160

  /// The compact JSON text of `value`, cut to ``snippetLimit`` characters with `…`.
  public static func snippet(_ value: JSON) -> String {
    let text = value.serialized()
    guard text.count > snippetLimit else { return text }
    return String(text.prefix(snippetLimit)) + "…"
  }
}

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
