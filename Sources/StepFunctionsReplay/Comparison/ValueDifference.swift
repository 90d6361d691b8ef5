import StepFunctionsJSON

/// One way a produced value (an execution's outcome, a history event) differs from the recorded
/// one.
///
/// `sfn conformance` reports these as ``ConformanceDifference``s (the same type); replay turns the
/// first one into a ``Divergence``.
public struct ValueDifference: Sendable, Hashable, CustomStringConvertible {
  /// What kind of difference it is.
  public enum Kind: String, Sendable, Hashable {
    /// Both sides have a value there, and they differ.
    case mismatch
    /// The recording has a value (member, element or event) that the produced side lacks.
    case missing
    /// The produced side has a value (member, element or event) that the recording does not.
    case unexpected
  }

  /// Where: a JSON-Pointer-like path into the compared value, such as `/status`,
  /// `/output/items/0` or `/events/4/stateExitedEventDetails/output`. Paths into JSON text
  /// payloads continue inside the decoded text. An unexpected event is reported at the index the
  /// expected list would have it.
  public var path: String
  /// The kind of difference.
  public var kind: Kind
  /// The recorded (expected) value, compact JSON (shortened when long), or `nil` when the
  /// recording has none.
  public var expected: String?
  /// The produced (actual) value, compact JSON (shortened when long), or `nil` when the produced
  /// side has none.
  public var actual: String?
  /// An optional note (for example which actual event was unexpected).
  public var note: String?
  /// The recorded value itself, when the comparator had it (not shortened).
  public var expectedValue: JSON?
  /// The produced value itself, when the comparator had it (not shortened).
  public var actualValue: JSON?

  /// Creates a difference.
  public init(
    path: String, kind: Kind, expected: String?, actual: String?, note: String? = nil,
    expectedValue: JSON? = nil, actualValue: JSON? = nil
  ) {
    self.path = path
    self.kind = kind
    self.expected = expected
    self.actual = actual
    self.note = note
    self.expectedValue = expectedValue
    self.actualValue = actualValue
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

/// Collects the differences an ``EventComparator`` finds, optionally stopping after a few (to
/// test whether two values match at all without building a full report), and the generated
/// identifiers it has paired so far (see ``EventComparator/Rules/matchesGeneratedIdentifiers``).
public struct DifferenceSink: Sendable {
  /// The differences found, in document order.
  public var differences: [ValueDifference] = []
  /// The most differences kept; `nil` for all.
  public var limit: Int?
  /// Generated identifiers paired so far: each recorded identifier with the produced one that
  /// stands for it, and back.
  public var identifiers = IdentifierPairing()

  /// Creates an empty sink that keeps at most `limit` differences (all when `nil`).
  public init(limit: Int? = nil) {
    self.limit = limit
  }

  /// Whether the sink holds as many differences as it keeps.
  public var isFull: Bool {
    guard let limit else { return false }
    return differences.count >= limit
  }

  /// Adds a difference, unless the sink is full.
  public mutating func append(_ difference: ValueDifference) {
    if !isFull { differences.append(difference) }
  }
}

/// A one-to-one pairing of recorded identifiers with produced ones.
///
/// Replay cannot reproduce the identifiers AWS generates — task tokens, `States.UUID` values,
/// ARNs with names it does not know — so the comparator lets a recorded identifier stand for a
/// produced one of the same kind, provided it always stands for the same one: a task token
/// passed on by two states must be the same token in both places.
public struct IdentifierPairing: Sendable, Hashable {
  private var produced: [String: String] = [:]
  private var recorded: [String: String] = [:]

  /// Creates an empty pairing.
  public init() {}

  /// Pairs `recordedValue` with `producedValue`; returns whether that agrees with the pairs made
  /// so far (a refused pair changes nothing).
  public mutating func pair(recorded recordedValue: String, produced producedValue: String) -> Bool
  {
    if let known = produced[recordedValue] { return known == producedValue }
    if let known = recorded[producedValue] { return known == recordedValue }
    produced[recordedValue] = producedValue
    recorded[producedValue] = recordedValue
    return true
  }

  /// The produced identifier `recordedValue` stands for, if paired.
  public func producedValue(for recordedValue: String) -> String? { produced[recordedValue] }

  /// The number of pairs.
  public var count: Int { produced.count }
}
