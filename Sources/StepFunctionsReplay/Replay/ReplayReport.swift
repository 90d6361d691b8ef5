import StepFunctionsJSON
import StepFunctionsRuntime

/// What replaying a recorded history against a definition found.
public enum ReplayReport: Sendable, Hashable, CustomStringConvertible {
  /// Every event the definition produced matches the recorded one; `eventsCompared` events were
  /// compared.
  case matched(eventsCompared: Int)
  /// The definition produced something else than the recording, first at ``Divergence``.
  case diverged(Divergence)
  /// The events matched as far as the history allows an exact replay: past that point it holds a
  /// truncated payload, or the events of a distributed Map's child executions are elsewhere.
  case incomplete(ReplayLimit)

  /// How many events were compared and matched (before the divergence or the truncated event).
  public var eventsCompared: Int {
    switch self {
    case .matched(let count): return count
    case .diverged(let divergence): return divergence.eventsCompared
    case .incomplete(let limit): return limit.eventsCompared
    }
  }

  /// Whether every event matched.
  public var isMatched: Bool {
    if case .matched = self { return true }
    return false
  }

  /// The divergence, when the replay diverged.
  public var divergence: Divergence? {
    if case .diverged(let divergence) = self { return divergence }
    return nil
  }

  /// `matched (42 events)`, `diverged at event 17 (TaskScheduled of `Publish`): ...`, or
  /// `cannot replay exactly past event 11: ...`.
  public var description: String {
    switch self {
    case .matched(let count): return "matched (\(count) event\(count == 1 ? "" : "s"))"
    case .diverged(let divergence): return "diverged at \(divergence)"
    case .incomplete(let limit): return limit.description
    }
  }
}

/// The first place where a replay differs from the recorded history.
public struct Divergence: Sendable, Hashable, CustomStringConvertible {
  /// How the replayed events differ there.
  public enum Kind: String, Sendable, Hashable {
    /// The replay produced this event, but different (see ``Divergence/pointer``).
    case mismatch
    /// The recording has this event; the replay produced nothing in its place.
    case missing
    /// The replay produced an event the recording does not have.
    case unexpected
  }

  /// How the replayed events differ.
  public var kind: Kind
  /// The recorded event's id; for an ``Kind/unexpected`` event, the id the replay gave it.
  public var eventId: Int
  /// The recorded event's type (`TaskScheduled`); for an ``Kind/unexpected`` event, the replayed
  /// one's.
  public var eventType: String
  /// The state the event belongs to, if any (the Map state for `MapIteration...` events).
  public var stateName: String?
  /// The Map iterations and Parallel branches the event belongs to, outermost first.
  public var scopes: [TaskToken.Scope]
  /// A JSON Pointer into the event (in `get-execution-history` shape) where the two differ;
  /// inside a JSON-text payload it goes on into the decoded value
  /// (`/taskScheduledEventDetails/parameters/Message`). Empty for a whole event.
  public var pointer: String
  /// The recorded value at ``pointer`` (the whole event for a ``Kind/missing`` one), or `nil`.
  public var recorded: JSON?
  /// The replayed value at ``pointer`` (the whole event for an ``Kind/unexpected`` one), or
  /// `nil`.
  public var replayed: JSON?
  /// One line saying what changed: "the definition now enters `Publish` where the recorded
  /// execution entered `ManualReview`".
  public var message: String
  /// How many events matched before this one.
  public var eventsCompared: Int

  /// Creates a divergence.
  public init(
    kind: Kind, eventId: Int, eventType: String, stateName: String?, scopes: [TaskToken.Scope],
    pointer: String, recorded: JSON?, replayed: JSON?, message: String, eventsCompared: Int
  ) {
    self.kind = kind
    self.eventId = eventId
    self.eventType = eventType
    self.stateName = stateName
    self.scopes = scopes
    self.pointer = pointer
    self.recorded = recorded
    self.replayed = replayed
    self.message = message
    self.eventsCompared = eventsCompared
  }

  /// Where, in words: ``eventType`` of `state`, in Map 'Fan' iteration 2.
  public var location: String {
    var text = eventType
    if let stateName { text += " of `\(stateName)`" }
    if !scopes.isEmpty { text += ", in " + scopes.map(\.description).joined(separator: ", ") }
    return text
  }

  /// `event 17 (TaskScheduled of `Publish`): the definition now ...`.
  public var description: String { "event \(eventId) (\(location)): \(message)" }
}

/// Where a replay had to stop because the history does not hold what an exact replay needs.
public struct ReplayLimit: Sendable, Hashable, CustomStringConvertible {
  /// Why the replay cannot go on exactly.
  public enum Reason: Sendable, Hashable {
    /// The event's payload members (`input`, `output`, ...) are truncated in the history.
    case truncatedPayload(members: [String])
    /// The iterations of the distributed Map state ran as child executions, whose events are in
    /// their own histories (see ``ReplayOptions/childExecutionHandlers``).
    case childExecutions(mapState: String)
  }

  /// The id of the first event that cannot be replayed exactly.
  public var eventId: Int
  /// Its type.
  public var eventType: String
  /// The state it belongs to, if any.
  public var stateName: String?
  /// Why the replay cannot go on exactly.
  public var reason: Reason
  /// How many events matched before it.
  public var eventsCompared: Int

  /// Creates a limit.
  public init(
    eventId: Int, eventType: String, stateName: String?, reason: Reason, eventsCompared: Int
  ) {
    self.eventId = eventId
    self.eventType = eventType
    self.stateName = stateName
    self.reason = reason
    self.eventsCompared = eventsCompared
  }

  /// `cannot replay exactly past event 11: event 12 (TaskSucceeded of `Fetch`) has a truncated
  /// output in the history (11 events matched)`.
  public var description: String {
    let what = stateName.map { "\(eventType) of `\($0)`" } ?? eventType
    let why: String
    switch reason {
    case .truncatedPayload(let members):
      let list = members.isEmpty ? "payload" : members.joined(separator: " and ")
      why = "event \(eventId) (\(what)) has a truncated \(list) in the history"
    case .childExecutions(let mapState):
      why =
        "the iterations of the distributed Map state `\(mapState)` ran as child executions, whose events are in their own histories"
    }
    return
      "cannot replay exactly past event \(eventId - 1): \(why) (\(eventsCompared) event\(eventsCompared == 1 ? "" : "s") matched)"
  }
}

/// A replay's report together with the replayed execution.
public struct ReplayResult: Sendable {
  /// How the replayed events compare with the recorded ones.
  public var report: ReplayReport
  /// The replayed execution (its history, output, error, timing), or `nil` when the history
  /// could not even be started (its input is truncated).
  public var execution: ExecutionResult?

  /// Creates a result.
  public init(report: ReplayReport, execution: ExecutionResult?) {
    self.report = report
    self.execution = execution
  }
}

/// How to replay a history.
public struct ReplayOptions: Sendable {
  /// Whether timestamps can be compared.
  public enum Timestamps: Sendable, Hashable {
    /// ``exact`` for a history this library recorded (its ``ExecutionHistory/seed`` is set),
    /// ``ignored`` for any other.
    case automatic
    /// Timestamps, event ids, previous event ids and date-times inside payloads must be
    /// equal, and the events in the same order: a history recorded on this library's virtual
    /// clock replays to the millisecond.
    case exact
    /// Timestamps, event ids and previous event ids are not compared, date-times inside payloads
    /// match any date-time, and events of different Map iterations and Parallel branches may
    /// interleave differently: each iteration and branch is compared in its own order. This is
    /// what AWS itself varies from run to run.
    case ignored
  }

  /// Whether timestamps can be compared (``Timestamps/automatic`` by default).
  public var timestamps: Timestamps = .automatic
  /// The recorded execution's ARN, when known (a history does not hold it): its state machine
  /// name, execution name, region and account are then those the replay uses, so `$$.Execution`
  /// and `$$.StateMachine` match.
  public var executionArn: String?
  /// The state machine's name when ``executionArn`` is not given (default `StateMachine`).
  public var stateMachineName: String?
  /// The handlers for the tasks of distributed Map iterations, which run as child executions
  /// whose events are not in the replayed history. Without them a replay stops at the first
  /// Map Run (``ReplayReport/incomplete(_:)``); with them, those tasks are answered by these
  /// handlers and the Map Run's events are compared like any other.
  public var childExecutionHandlers: TaskHandlerRegistry?
  /// The handlers that answer the `ItemReader` of distributed Map states (`s3:getObject`,
  /// `s3:listObjectsV2`). AWS records no event for what a reader reads, so a replay cannot take
  /// the items from the history: without a handler here for its resource, the Map Run fails
  /// with `States.ItemReaderFailed` saying so. Task states calling the same resource still get
  /// their recorded results.
  public var itemReaderHandlers: TaskHandlerRegistry?
  /// The seed for what the recording cannot give (`States.MathRandom`, `JitterStrategy`,
  /// generated names): by default the history's own ``ExecutionHistory/seed``, else 0.
  public var seed: UInt64?
  /// The date whose AWS behaviour the replay reproduces (``ExecutionOptions/behaviorDate``): by
  /// default the recorded `ExecutionStarted` time, so that a history replays as AWS ran it then.
  public var behaviorDate: Instant?
  /// Whether the replayed execution counts what it covers into its
  /// ``StepFunctionsRuntime/ExecutionResult/coverage`` (off by default), through its redrives.
  public var recordsCoverage = false

  /// Creates default options.
  public init() {}
}

/// Why a history cannot be replayed at all.
public struct ReplayError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong, naming the event.
  public var message: String

  /// Creates an error.
  public init(_ message: String) { self.message = message }

  /// The message.
  public var description: String { message }
}
