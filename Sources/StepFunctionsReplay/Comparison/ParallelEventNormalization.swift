import StepFunctionsJSON

/// The rewriting the recordings marked `parallel_branch_events_sorted` went through, applied to an
/// actual history so the two can be compared.
///
/// The recording tool walked the events once: a `ParallelStateStarted` opened a new block (the
/// events after it); each event inside a block got `id: [0]` and `previousEventId: 0`; and every
/// `ParallelStateSucceeded`, `ParallelStateFailed`, `ParallelStateAborted` or
/// `ParallelStateExited` replaced everything from the start of the last block up to itself with
/// that block's events. A block's closing `ParallelStateSucceeded` (and, for nested Parallel
/// states, the inner state's closing events) therefore vanished. The walk also skipped the event
/// after each removal, since it went on by position. This type reproduces all of that, except the
/// block's sort order, which depended on AWS's hidden timestamps: blocks are compared as
/// multisets instead.
public enum ParallelEventNormalization {
  /// The `id` the recording gave events inside a block: `[0]`.
  public static let blockEventID: JSON = .array([.number(JSONNumber(0))])

  static let closingTypes: Set<String> = [
    "ParallelStateSucceeded", "ParallelStateAborted", "ParallelStateExited", "ParallelStateFailed",
  ]

  /// `events` rewritten as the recordings were. Events that are not objects are kept as they
  /// are and end any open block.
  public static func normalize(_ events: [JSON]) -> [JSON] {
    var events = events
    var blockStart = 0
    var block: [JSON] = []
    var inBlock = false
    var index = 0
    while index < events.count {
      let type = events[index]["type"]?.stringValue
      if let type, closingTypes.contains(type) {
        let lower = min(max(blockStart, 0), events.count)
        let upper = max(lower, min(index, events.count))
        events.replaceSubrange(lower..<upper, with: block)
        inBlock = false
      } else if type == "ParallelStateStarted" {
        inBlock = true
        block = []
        blockStart = index + 1
      } else if type == nil {
        inBlock = false
      } else if inBlock, case .object(var object) = events[index] {
        object["id"] = blockEventID
        object["previousEventId"] = .number(JSONNumber(0))
        events[index] = .object(object)
        block.append(events[index])
      }
      index += 1
    }
    return events
  }

  /// Whether `event` lies inside a normalized block (its `id` is `[0]`).
  public static func isBlockEvent(_ event: JSON) -> Bool {
    event["id"] == blockEventID
  }
}
