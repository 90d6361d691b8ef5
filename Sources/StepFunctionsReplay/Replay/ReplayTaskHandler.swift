import StepFunctionsJSON
import StepFunctionsRuntime
import Synchronization

/// A Task state's invocation in a given Map iteration / Parallel branch: what replay matches a
/// task request to the recording by (with the order of invocation).
struct InvocationKey: Hashable, Sendable {
  var scopes: [TaskToken.Scope]
  var stateName: String
}

/// What the recording says about one task invocation.
struct RecordedInvocation: Sendable {
  /// How the task ended.
  enum Outcome: Sendable {
    case succeeded(JSON)
    case failed(error: String?, cause: String?)
    case timedOut
  }

  /// When it was scheduled.
  var scheduledAt: Instant
  /// The service's response to the submission (`TaskSubmitted`), and when.
  var submission: (at: Instant, response: JSON)?
  /// How it ended, and when; `nil` when the recording ends before the task does.
  var outcome: (at: Instant, outcome: Outcome)?

  /// Every task invocation in `events`, by state, scope and order of scheduling.
  static func collect(_ events: [EventView], scopes: EventScopes) -> [InvocationKey: [Self]] {
    var invocations: [InvocationKey: [Self]] = [:]
    /// The invocation still open in each scope: its key and position in its list.
    var open: [[TaskToken.Scope]: (key: InvocationKey, position: Int)] = [:]
    for (position, event) in events.enumerated() {
      let scope = scopes.scopes[position]
      if EventTypes.taskScheduled.contains(event.type) {
        let key = InvocationKey(scopes: scope, stateName: scopes.stateNames[position] ?? "")
        invocations[key, default: []].append(RecordedInvocation(scheduledAt: event.timestamp))
        open[scope] = (key, (invocations[key]?.count ?? 1) - 1)
        continue
      }
      guard let current = open[scope] else { continue }
      func update(_ change: (inout RecordedInvocation) -> Void) {
        if var invocation = invocations[current.key]?[current.position] {
          change(&invocation)
          invocations[current.key]?[current.position] = invocation
        }
      }
      if event.type == "TaskSubmitted" {
        let response = event.payload("output") ?? .null
        update { $0.submission = (event.timestamp, response) }
      } else if EventTypes.taskSucceeded.contains(event.type) {
        let output = event.payload("output") ?? .null
        update { $0.outcome = (event.timestamp, .succeeded(output)) }
        open[scope] = nil
      } else if EventTypes.taskFailed.contains(event.type) {
        update {
          $0.outcome = (
            event.timestamp, .failed(error: event.string("error"), cause: event.string("cause"))
          )
        }
        open[scope] = nil
      } else if EventTypes.taskTimedOut.contains(event.type) {
        update { $0.outcome = (event.timestamp, .timedOut) }
        open[scope] = nil
      } else if !EventTypes.taskStarted.contains(event.type) {
        open[scope] = nil
      }
    }
    return invocations
  }
}

/// The only task handler of a replay: it answers each invocation with what the recording says
/// that invocation of that state (in that Map iteration / Parallel branch) got — result, failure,
/// timeout, submission response, callback — spending virtual time until the recorded instant, and
/// heartbeating while it waits when the Task has `HeartbeatSeconds`. No user handler is called.
final class ReplayTaskHandler: TaskHandler {
  /// The error of an invocation the recording does not have (the definition now runs a task
  /// the recorded execution did not).
  static let noRecordingError = "Replay.NoRecordedInvocation"

  private let invocations: [InvocationKey: [RecordedInvocation]]
  private let counters = Mutex<[InvocationKey: Int]>([:])
  /// The distributed Map states: their iterations are child executions, not in the history.
  private let distributedMaps: Set<String>
  private let childExecutionHandlers: TaskHandlerRegistry?
  /// The Map states with an `ItemReader`: a request in their name is the reader's.
  private let readerMaps: Set<String>
  private let itemReaderHandlers: TaskHandlerRegistry?

  init(
    invocations: [InvocationKey: [RecordedInvocation]], distributedMaps: Set<String>,
    childExecutionHandlers: TaskHandlerRegistry?, readerMaps: Set<String> = [],
    itemReaderHandlers: TaskHandlerRegistry? = nil
  ) {
    self.invocations = invocations
    self.distributedMaps = distributedMaps
    self.childExecutionHandlers = childExecutionHandlers
    self.readerMaps = readerMaps
    self.itemReaderHandlers = itemReaderHandlers
  }

  func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    // A distributed Map's ResultWriter writing its files (the request names the Map state, which
    // no Task state can share): AWS records no event for the writes, so they are accepted.
    if distributedMaps.contains(request.stateName),
      request.resource.arn == "arn:aws:states:::s3:putObject"
    {
      return .object(JSONObject())
    }
    // State names are unique in a state machine: a request named after a Map state is its
    // ItemReader's, which the history does not record.
    if readerMaps.contains(request.stateName) {
      guard let handler = itemReaderHandlers?.handler(for: request.resource) else {
        throw TaskFailure(
          error: Self.noRecordingError,
          cause:
            "AWS records no event for what the ItemReader of the Map state '\(request.stateName)' read, and no handler answers '\(request.resource.arn)' (give one in ReplayOptions.itemReaderHandlers)."
        )
      }
      return try await handler.invoke(request, context: context)
    }
    if let map = request.scopes.lazy.compactMap(Self.mapName).first(where: distributedMaps.contains)
    {
      guard let handler = childExecutionHandlers?.handler(for: request.resource) else {
        throw TaskFailure(
          error: Self.noRecordingError,
          cause:
            "The Task state '\(request.stateName)' runs in a child execution of the distributed Map state '\(map)', whose events are not in the replayed history, and no handler for child executions answers it."
        )
      }
      return try await handler.invoke(request, context: context)
    }
    let key = InvocationKey(scopes: request.scopes, stateName: request.stateName)
    let ordinal = counters.withLock { counters in
      let ordinal = counters[key, default: 0]
      counters[key] = ordinal + 1
      return ordinal
    }
    guard let list = invocations[key], ordinal < list.count else {
      let place = request.scopes.map { " in \($0)" }.joined()
      throw TaskFailure(
        error: Self.noRecordingError,
        cause:
          "The recorded history has no invocation number \(ordinal + 1) of the Task state '\(request.stateName)'\(place): the definition now runs a task the recorded execution did not."
      )
    }
    let invocation = list[ordinal]
    let heartbeat = request.heartbeatSeconds.map { Int64(min($0, Self.neverSeconds)) * 1000 }
    // A callback task the recording shows submitted (`TaskSubmitted`) gets its recorded
    // callback. Without that event its submission failed, timed out or had not ended when the
    // recording did: it ends as any other task, never submitted.
    if request.resource.pattern == .waitForTaskToken, invocation.submission != nil {
      return try await answerCallback(invocation, heartbeat: heartbeat, context: context)
    }
    if request.resource.pattern == .sync, let submission = invocation.submission {
      try await spend(until: submission.at, heartbeat: heartbeat, context: context)
      context.submitted(submission.response)
    }
    guard let (end, outcome) = invocation.outcome else {
      // The recording ends while the task runs: it never finishes here either (until a
      // timeout set in the definition ends it).
      try await context.sleep(seconds: Self.never)
      throw TaskFailure(error: StatesError.Names.timeout, cause: "")
    }
    switch outcome {
    case .succeeded(let output):
      try await spend(until: end, heartbeat: heartbeat, context: context)
      return output
    case .failed(let error, let cause):
      try await spend(until: end, heartbeat: heartbeat, context: context)
      throw TaskFailure(error: error ?? "", cause: cause ?? "")
    case .timedOut:
      // Alive until one heartbeat interval before the recorded timeout, then silent: the
      // definition's own TimeoutSeconds or HeartbeatSeconds ends the task.
      if end <= invocation.scheduledAt {
        // The recording shows no time passing (its timestamps were dropped or rounded): only
        // the definition's timeouts can say when the task timed out.
        try await context.sleep(seconds: Self.never)
        throw TaskFailure(error: StatesError.Names.timeout, cause: "")
      }
      if let heartbeat {
        try await spend(
          until: end.advanced(byMilliseconds: -heartbeat), heartbeat: heartbeat, context: context,
          beatsAtEnd: true)
      }
      try await spend(until: end.advanced(byMilliseconds: 1000), heartbeat: nil, context: context)
      throw TaskFailure(error: StatesError.Names.timeout, cause: "")
    }
  }

  private static func mapName(_ scope: TaskToken.Scope) -> String? {
    if case .mapIteration(let name, _) = scope { return name }
    return nil
  }

  /// A `.waitForTaskToken` task: the submission response now (at its recorded instant), the
  /// recorded callback later, with heartbeats in between.
  private func answerCallback(
    _ invocation: RecordedInvocation, heartbeat: Int64?, context: TaskContext
  ) async throws -> JSON {
    if let submission = invocation.submission {
      try await spend(until: submission.at, heartbeat: heartbeat, context: context)
    }
    let response = invocation.submission?.response ?? .null
    guard let (end, outcome) = invocation.outcome else { return response }
    let wait = Self.milliseconds(from: context.now, to: end)
    var beatsUntil = wait
    if case .timedOut = outcome, let heartbeat { beatsUntil = wait - heartbeat }
    if let heartbeat, heartbeat > 1 {
      // Just inside each interval, so no heartbeat deadline falls due at the same instant.
      var offset = heartbeat - 1
      var count = 0
      while offset < beatsUntil, count < Self.maximumScheduledHeartbeats {
        count += 1
        context.scheduleCallback(after: Double(offset) / 1000, .heartbeat)
        offset += heartbeat - 1
      }
      if case .timedOut = outcome, beatsUntil > 0 {
        context.scheduleCallback(after: Double(beatsUntil) / 1000, .heartbeat)
      }
    }
    let after = Double(max(0, wait)) / 1000
    switch outcome {
    case .succeeded(let output):
      context.scheduleCallback(after: after, .success(output))
    case .failed(let error, let cause):
      context.scheduleCallback(after: after, .failure(error: error ?? "", cause: cause ?? ""))
    case .timedOut:
      break
    }
    return response
  }

  /// Spends virtual time until `end` (nothing when it has passed), heartbeating every
  /// `heartbeat` milliseconds when given — and at `end` itself with `beatsAtEnd`.
  private func spend(
    until end: Instant, heartbeat: Int64?, context: TaskContext, beatsAtEnd: Bool = false
  ) async throws {
    var remaining = Self.milliseconds(from: context.now, to: end)
    guard remaining > 0 else { return }
    if let heartbeat, heartbeat > 0 {
      while remaining > heartbeat {
        try await context.sleep(seconds: Double(heartbeat) / 1000)
        context.heartbeat()
        remaining -= heartbeat
      }
    }
    try await context.sleep(seconds: Double(remaining) / 1000)
    if beatsAtEnd { context.heartbeat() }
  }

  /// Longer than any execution may run (a year and a day), in seconds.
  static let neverSeconds = 366 * 86_400
  static let never = Double(neverSeconds)

  /// The most heartbeat callbacks scheduled for one waiting task (a million: a heartbeat every
  /// 30 seconds for a year); a recorded wait needing more is kept alive only that long.
  static let maximumScheduledHeartbeats = 1_000_000

  /// The milliseconds from `start` to `end`, between 0 and ``never`` (history timestamps may be
  /// anything).
  static func milliseconds(from start: Instant, to end: Instant) -> Int64 {
    let (difference, overflow) = end.millisecondsSinceEpoch.subtractingReportingOverflow(
      start.millisecondsSinceEpoch)
    if overflow { return end > start ? Int64(neverSeconds) * 1000 : 0 }
    return min(max(difference, 0), Int64(neverSeconds) * 1000)
  }
}
