/// One decision an execution made that coverage counts: a state entered, a Choice rule or
/// `Default` taken, a retrier that fired, a catcher that caught, a Parallel branch or Map
/// iteration started. State names identify states: they are unique across a whole definition,
/// Parallel branches and Map processors included.
public enum CoverageEvent: Sendable, Hashable {
  /// The state was entered (its `...StateEntered` event); retries do not enter it again.
  case stateEntered(String)
  /// The Choice state took its rule at `rule`, a 0-based position in `Choices`.
  case choiceRule(state: String, rule: Int)
  /// The Choice state took its `Default`.
  case choiceDefault(state: String)
  /// The retrier at `retrier` (0-based position in `Retry`) scheduled a retry.
  case retrier(state: String, retrier: Int)
  /// The catcher at `catcher` (0-based position in `Catch`) caught an error.
  case catcher(state: String, catcher: Int)
  /// A Parallel state's branch at `branch` (0-based position in `Branches`) started, or, with
  /// `branch` 0, one iteration of a Map state's item processor (inline or distributed).
  case branch(state: String, branch: Int)
}

/// What one execution covered: how many times each ``CoverageEvent`` happened, in its Parallel
/// branches, Map iterations and distributed Map child executions too. Recorded only with
/// ``ExecutionOptions/recordsCoverage`` on (see ``ExecutionResult/coverage``).
public struct ExecutionCoverage: Sendable, Hashable {
  /// How many times each event happened; an event that never happened is absent.
  public var hits: [CoverageEvent: Int]

  /// Creates a record, empty by default.
  public init(hits: [CoverageEvent: Int] = [:]) { self.hits = hits }

  /// How many times `event` happened.
  public func count(of event: CoverageEvent) -> Int { hits[event] ?? 0 }

  /// Adds the counts of `other` (a redrive of the same execution, say) to these.
  public mutating func merge(_ other: ExecutionCoverage) {
    hits.merge(other.hits, uniquingKeysWith: +)
  }
}

/// Counts an execution's coverage events while it runs (engine-confined, like the engine).
final class CoverageRecorder {
  var coverage = ExecutionCoverage()

  @inline(__always)
  func record(_ event: CoverageEvent) { coverage.hits[event, default: 0] += 1 }
}
