// AWS's behaviour that changed over time, reproduced as of `ExecutionOptions.behaviorDate`
// (`nil`: today). Each date comes from the corpus's recordings (see Docs/Decisions.md).

extension Engine {
  /// The first day on which the corpus's recordings show AWS writing a distributed Map's
  /// `MapStateExited` after `MapRunStarted` (its `previousEventId`); every recording up to
  /// 2024-06-19 points at `MapRunSucceeded` instead.
  static let mapStateExitedOrderingChange = Instant(millisecondsSinceEpoch: 1_731_456_000_000)

  /// Whether `MapStateExited` follows `MapRunStarted` for an execution reproducing AWS's
  /// behaviour on `date` (`nil`: today's).
  static func mapStateExitedFollowsMapRunStarted(at date: Instant?) -> Bool {
    guard let date else { return true }
    return !(date < mapStateExitedOrderingChange)
  }

  /// The day AWS launched redrive (2023-11-15) and added `RedriveCount` to `$$.Execution`:
  /// the corpus's recordings from 2023-10-24 have no such member, every later one has it.
  static let redriveLaunch = Instant(millisecondsSinceEpoch: 1_700_006_400_000)

  /// Whether `$$.Execution` has `RedriveCount` for an execution reproducing AWS on `date`.
  static func contextHasRedriveCount(at date: Instant?) -> Bool {
    guard let date else { return true }
    return !(date < redriveLaunch)
  }
}
