import StepFunctionsJSON
import StepFunctionsLanguage
import StepFunctionsRuntime

extension StateMachine {
  /// Replays a recorded execution history against this definition and compares, event by
  /// event, what the definition does now with what the recorded execution did.
  ///
  /// The execution runs on the virtual clock from the recorded start time, with the recorded
  /// input and role (and, with ``ReplayOptions/executionArn``, the recorded names). No task
  /// handler is called: every task gets the result, failure, timeout or callback the recording
  /// shows for that invocation of that state (in that Map iteration or Parallel branch), at the
  /// recorded time. Each produced event is compared with the recorded one by the shared
  /// ``EventComparator`` (``EventComparator/replay(exactTimestamps:)``), and the replay reports
  /// the first difference. A redriven history replays through its redrives: at each recorded
  /// `ExecutionRedriven`, the replay redrives what it produced, at the recorded instant, and the
  /// comparison goes on through the redriven attempt's events.
  ///
  /// ```swift
  /// let report = try await machine.replay(history)
  /// if case .diverged(let divergence) = report { print(divergence.message) }
  /// ```
  ///
  /// - Throws: ``ReplayError`` when the history cannot be replayed at all (no events, or no
  ///   `ExecutionStarted` first).
  public func replay(_ history: ExecutionHistory, options: ReplayOptions = ReplayOptions())
    async throws(ReplayError) -> ReplayReport
  {
    try await replayResult(for: history, options: options).report
  }

  /// Replays a recorded execution history like ``replay(_:options:)`` and returns, beside the
  /// report, the replayed execution itself — its history, output, error and trace — to see
  /// step by step what the definition does with the recorded task results.
  ///
  /// - Throws: ``ReplayError`` when the history cannot be replayed at all.
  public func replayResult(for history: ExecutionHistory, options: ReplayOptions = ReplayOptions())
    async throws(ReplayError) -> ReplayResult
  {
    let recorded = history.events.map(EventView.init)
    guard let first = recorded.first else { throw ReplayError("The history has no events.") }
    guard first.type == "ExecutionStarted" else {
      throw ReplayError(
        "The history's first event (id \(first.id)) is \(first.type), not ExecutionStarted: a history must begin with the execution's start."
      )
    }
    let branches = ParallelBranchIndex(definition)
    let recordedScopes = EventScopes(events: recorded, branches: branches)
    if !first.truncatedMembers.isEmpty {
      let limit = ReplayLimit(
        eventId: first.id, eventType: first.type, stateName: nil,
        reason: .truncatedPayload(members: first.truncatedMembers), eventsCompared: 0)
      return ReplayResult(report: .incomplete(limit), execution: nil)
    }
    let limit = Self.limit(
      recorded, scopes: recordedScopes,
      childExecutionsAnswered: options.childExecutionHandlers != nil)
    guard let input = first.payload("input") else {
      throw ReplayError(
        "The ExecutionStarted event (id \(first.id)) has no input that is JSON text, so the execution cannot be started."
      )
    }

    var execution = ExecutionOptions()
    execution.clock = .virtual(start: first.timestamp)
    execution.seed = options.seed ?? history.seed ?? 0
    execution.recordsCoverage = options.recordsCoverage
    execution.behaviorDate = options.behaviorDate ?? first.timestamp
    if let role = first.string("roleArn") {
      execution.roleArn = role
      if let account = Self.account(inRole: role) { execution.account = account }
    }
    if let region = Self.executionRegion(recorded, scopes: recordedScopes, graph: definition.graph)
    {
      execution.region = region
    }
    execution.stateMachineName = options.stateMachineName ?? execution.stateMachineName
    if let arn = options.executionArn, let parts = Self.executionParts(arn) {
      execution.region = parts.region
      execution.account = parts.account
      execution.stateMachineName = parts.stateMachine
      execution.executionName = parts.name
      execution.stateMachineType = parts.isExpress ? .express : .standard
    }
    let invocations = RecordedInvocation.collect(recorded, scopes: recordedScopes)
    execution.handlers.registerFallback(
      ReplayTaskHandler(
        invocations: invocations, distributedMaps: Self.distributedMaps(in: definition.graph),
        childExecutionHandlers: options.childExecutionHandlers,
        readerMaps: Self.readerMaps(in: definition.graph),
        itemReaderHandlers: options.itemReaderHandlers))
    // A changed definition may loop where the recording did not: stop well past the recording.
    let bound = max(recorded.count * 2, recorded.count + 1000)
    execution.maximumHistoryEvents = min(execution.maximumHistoryEvents ?? bound, bound)

    var result = await run(input: input, options: execution)
    // A redriven execution: each recorded `ExecutionRedriven` redrives what the replay
    // produced, at the recorded instant, and the comparison goes on through it.
    let redrives = recorded.indices.filter {
      recorded[$0].type == "ExecutionRedriven" && $0 < (limit?.position ?? recorded.count)
    }
    for position in redrives where result.history.count < bound {
      guard
        let continued = await redriveReplayed(
          result, at: recorded[position].timestamp, options: execution)
      else { break }
      let earlier = result.coverage
      result = continued
      if let earlier { result.coverage?.merge(earlier) }
    }
    let produced = result.history.events.map(EventView.init)
    let exact: Bool
    switch options.timestamps {
    case .automatic: exact = history.seed != nil
    case .exact: exact = true
    case .ignored: exact = false
    }
    let comparison = ReplayComparison(
      recorded: recorded, recordedScopes: recordedScopes, produced: produced,
      producedScopes: EventScopes(events: produced, branches: branches), exact: exact,
      limit: limit, producedIsStuck: !result.waitingTasks.isEmpty)
    return ReplayResult(report: comparison.report(), execution: result)
  }

  /// Redrives a replayed execution as the recording was redriven at `time`: the replay's own
  /// events stay, `ExecutionRedriven` follows, and the replay handler answers the tasks; `nil`
  /// when the replayed execution cannot be redriven (it succeeded, say, where the recorded one
  /// failed: the comparison then reports the divergence).
  func redriveReplayed(_ result: ExecutionResult, at time: Instant, options: ExecutionOptions)
    async -> ExecutionResult?
  {
    var redriving = RedriveOptions()
    redriving.redriveTime = time
    redriving.mapRuns = result.mapRuns
    redriving.maximumHistoryEvents = nil
    guard
      let plan = try? RedrivePlanner.plan(
        events: result.history.events, definition: definition, options: redriving)
    else { return nil }
    var options = options
    options.clock = .virtual(start: plan.redriveTime)
    return await redrive(from: plan.start, options: options)
  }

  /// The first event the history does not allow to replay exactly, if any: one with a
  /// truncated payload, or (without handlers for child executions) the event after a
  /// `MapRunStarted`.
  static func limit(_ events: [EventView], scopes: EventScopes, childExecutionsAnswered: Bool)
    -> (position: Int, reason: ReplayLimit.Reason)?
  {
    for (position, event) in events.enumerated() {
      let members = event.truncatedMembers
      if !members.isEmpty { return (position, .truncatedPayload(members: members)) }
      if !childExecutionsAnswered, event.type == "MapRunStarted", position + 1 < events.count {
        return (position + 1, .childExecutions(mapState: scopes.stateNames[position] ?? ""))
      }
    }
    return nil
  }

  /// The names of the Map states with an `ItemReader` in `graph`, at any depth.
  static func readerMaps(in graph: StateGraph) -> Set<String> {
    var names: Set<String> = []
    for state in graph.states {
      switch state.kind {
      case .map(let map):
        if map.itemReader != nil { names.insert(state.name) }
        names.formUnion(readerMaps(in: map.processor))
      case .parallel(let parallel):
        for branch in parallel.branches { names.formUnion(readerMaps(in: branch)) }
      default:
        break
      }
    }
    return names
  }

  /// The names of the distributed Map states in `graph`, at any depth.
  static func distributedMaps(in graph: StateGraph) -> Set<String> {
    var names: Set<String> = []
    for state in graph.states {
      switch state.kind {
      case .map(let map):
        if map.mode == .distributed { names.insert(state.name) }
        names.formUnion(distributedMaps(in: map.processor))
      case .parallel(let parallel):
        for branch in parallel.branches { names.formUnion(distributedMaps(in: branch)) }
      default:
        break
      }
    }
    return names
  }

  /// The account in an IAM role ARN (`arn:aws:iam::ACCOUNT:role/NAME`).
  /// The execution's region as the recording shows it: the `region` of the first recorded task
  /// event whose state's `Resource` does not name a region of its own (a task such as
  /// `arn:aws:lambda:eu-west-1:…` runs where its ARN says, not where the execution runs); the
  /// first task event's region when every task names one; `nil` when no event has a region.
  static func executionRegion(
    _ recorded: [EventView], scopes: EventScopes, graph: StateGraph
  ) -> String? {
    var regional: Set<String> = []
    collectRegionalTasks(graph, into: &regional)
    var first: String?
    for (position, event) in recorded.enumerated() {
      guard let region = event.string("region") else { continue }
      if first == nil { first = region }
      let state = position < scopes.stateNames.count ? scopes.stateNames[position] : nil
      if let state, regional.contains(state) { continue }
      return region
    }
    return first
  }

  /// The names of the Task states (at any depth) whose `Resource` ARN names a region.
  private static func collectRegionalTasks(_ graph: StateGraph, into names: inout Set<String>) {
    for state in graph.states {
      switch state.kind {
      case .task(let task):
        let parts = task.resource.split(
          separator: ":", maxSplits: 4, omittingEmptySubsequences: false)
        if parts.count > 3, !parts[3].isEmpty { names.insert(state.name) }
      case .parallel(let parallel):
        for branch in parallel.branches { collectRegionalTasks(branch, into: &names) }
      case .map(let map):
        collectRegionalTasks(map.processor, into: &names)
      default:
        break
      }
    }
  }

  static func account(inRole role: String) -> String? {
    let parts = role.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count >= 6, parts[0] == "arn", parts[2] == "iam", !parts[4].isEmpty else {
      return nil
    }
    return String(parts[4])
  }

  /// The parts of `arn:PARTITION:states:REGION:ACCOUNT:execution:MACHINE:NAME` (or
  /// `...:express:MACHINE:NAME:ID`).
  static func executionParts(_ arn: String) -> (
    region: String, account: String, stateMachine: String, name: String, isExpress: Bool
  )? {
    let parts = arn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    guard parts.count >= 8, parts[0] == "arn", parts[2] == "states",
      parts[5] == "execution" || parts[5] == "express", !parts[6].isEmpty, !parts[7].isEmpty
    else { return nil }
    return (parts[3], parts[4], parts[6], parts[7], parts[5] == "express")
  }
}

/// Pairs the produced events with the recorded ones and finds the first difference.
struct ReplayComparison {
  let recorded: [EventView]
  let recordedScopes: EventScopes
  let produced: [EventView]
  let producedScopes: EventScopes
  /// Whether timestamps and ids are compared and the events paired in order.
  let exact: Bool
  /// The first recorded event that cannot be replayed exactly, and why.
  let limit: (position: Int, reason: ReplayLimit.Reason)?
  /// Whether the replay stopped waiting for a callback no one can send.
  let producedIsStuck: Bool

  func report() -> ReplayReport {
    let comparator = EventComparator.replay(exactTimestamps: exact)
    let (pairs, extras) = pair()
    let isOpen = !(recorded.last.map { EventTypes.executionClosing.contains($0.type) } ?? false)
    let end = limit?.position ?? recorded.count
    var identifiers = IdentifierPairing()
    var compared = 0
    for position in 0..<end {
      if !isOpen, let extra = extras.first, extra.after < position {
        return .diverged(unexpected(extra.position, compared: compared))
      }
      guard let match = pairs[position] else {
        return .diverged(missing(position, compared: compared))
      }
      var sink = DifferenceSink(limit: 1)
      sink.identifiers = identifiers
      comparator.compareEvent(
        recorded: recorded[position].json, produced: produced[match].json, into: &sink)
      if let difference = sink.differences.first {
        return .diverged(
          mismatch(position, match, difference, compared: compared))
      }
      identifiers = sink.identifiers
      compared += 1
    }
    if let limit {
      let event = recorded[limit.position]
      return .incomplete(
        ReplayLimit(
          eventId: event.id, eventType: event.type,
          stateName: recordedScopes.stateNames[limit.position], reason: limit.reason,
          eventsCompared: compared))
    }
    if !isOpen, let extra = extras.first {
      return .diverged(unexpected(extra.position, compared: compared))
    }
    return .matched(eventsCompared: compared)
  }

  /// For each recorded event (by position), the produced event paired with it; and the
  /// produced events paired with none, each with the position of the recorded event it comes
  /// after (-1 for none), in order.
  private func pair() -> (pairs: [Int?], extras: [(position: Int, after: Int)]) {
    var pairs = [Int?](repeating: nil, count: recorded.count)
    var paired = [Int?](repeating: nil, count: produced.count)
    if exact {
      for position in 0..<min(recorded.count, produced.count) {
        pairs[position] = position
        paired[position] = position
      }
    } else {
      // Each Map iteration and Parallel branch in its own order.
      var waiting: [[TaskToken.Scope]: [Int]] = [:]
      for (position, scope) in recordedScopes.scopes.enumerated() {
        waiting[scope, default: []].append(position)
      }
      var next: [[TaskToken.Scope]: Int] = [:]
      for (position, scope) in producedScopes.scopes.enumerated() {
        let index = next[scope, default: 0]
        guard let list = waiting[scope], index < list.count else { continue }
        next[scope] = index + 1
        pairs[list[index]] = position
        paired[position] = list[index]
      }
    }
    var extras: [(position: Int, after: Int)] = []
    var lastPaired = -1
    for position in produced.indices {
      if let match = paired[position] {
        lastPaired = max(lastPaired, match)
      } else {
        extras.append((position, lastPaired))
      }
    }
    return (pairs, extras)
  }

  // MARK: - Reports

  private func mismatch(_ position: Int, _ match: Int, _ difference: ValueDifference, compared: Int)
    -> Divergence
  {
    let event = recorded[position]
    let replayed = produced[match]
    return Divergence(
      kind: .mismatch, eventId: event.id, eventType: event.type,
      stateName: recordedScopes.stateNames[position], scopes: recordedScopes.scopes[position],
      pointer: difference.path == "/" ? "" : difference.path,
      recorded: difference.expectedValue, replayed: difference.actualValue,
      message: DivergenceWording.mismatch(
        recorded: event, recordedState: recordedScopes.stateNames[position], produced: replayed,
        producedState: producedScopes.stateNames[match], difference: difference),
      eventsCompared: compared)
  }

  private func missing(_ position: Int, compared: Int) -> Divergence {
    let event = recorded[position]
    let state = recordedScopes.stateNames[position]
    var message =
      "the replay has no event here where the recorded execution wrote \(DivergenceWording.name(event.type, state))"
    if producedIsStuck {
      message += " (the replay stopped, waiting for a callback the recording does not answer)"
    }
    return Divergence(
      kind: .missing, eventId: event.id, eventType: event.type, stateName: state,
      scopes: recordedScopes.scopes[position], pointer: "", recorded: event.json, replayed: nil,
      message: message, eventsCompared: compared)
  }

  private func unexpected(_ position: Int, compared: Int) -> Divergence {
    let event = produced[position]
    let state = producedScopes.stateNames[position]
    let message =
      "the replay goes on with \(DivergenceWording.name(event.type, state)) where the recorded execution wrote nothing more"
    return Divergence(
      kind: .unexpected, eventId: event.id, eventType: event.type, stateName: state,
      scopes: producedScopes.scopes[position], pointer: "", recorded: nil, replayed: event.json,
      message: message, eventsCompared: compared)
  }
}

/// The one-line explanations of divergences.
enum DivergenceWording {
  /// `TaskScheduled of `Publish``.
  static func name(_ type: String, _ state: String?) -> String {
    state.map { "\(type) of `\($0)`" } ?? type
  }

  static func mismatch(
    recorded: EventView, recordedState: String?, produced: EventView, producedState: String?,
    difference: ValueDifference
  ) -> String {
    let path = difference.path
    let tokens = JSONPointer(parsing: path)?.tokens ?? []
    let recordedText = difference.expected ?? "nothing"
    let producedText = difference.actual ?? "nothing"
    let what = name(recorded.type, recordedState)

    if path == "/type" || (recorded.isStateEntered && tokens.last == "name" && tokens.count == 2) {
      if recorded.isStateEntered, produced.isStateEntered, let now = produced.name,
        let before = recorded.name
      {
        return "the definition now enters `\(now)` where the recorded execution entered `\(before)`"
      }
      return
        "the replay writes \(name(produced.type, producedState)) where the recorded execution wrote \(what)"
    }
    let member = tokens.count >= 2 ? tokens[1] : (tokens.first ?? "")
    let inside =
      tokens.count > 2
      ? " at /" + tokens.dropFirst(2).map(JSONPointer.escape).joined(separator: "/") : ""
    let values = ": recorded \(recordedText), replayed \(producedText)"
    switch difference.kind {
    case .missing:
      return "\(what): the replay lacks \(difference.note ?? "the value at \(path)")"
    case .unexpected:
      return "\(what): the replay adds \(difference.note ?? "a value at \(path)")"
    case .mismatch:
      break
    }
    if tokens.count == 1 {
      switch tokens[0] {
      case "timestamp":
        return
          "\(what) happens at \(producedText) in the replay, at \(recordedText) in the recording"
      case "id", "previousEventId":
        return
          "\(what) has \(tokens[0]) \(producedText) in the replay, \(recordedText) in the recording (the events come in a different order)"
      default:
        return "\(what) differs at \(path)\(values)"
      }
    }
    let state = recordedState.map { "`\($0)`" } ?? "the state"
    switch member {
    case "parameters" where EventTypes.taskScheduled.contains(recorded.type),
      "input" where EventTypes.taskScheduled.contains(recorded.type):
      return "the definition now sends different parameters to \(state)\(inside)\(values)"
    case "input" where recorded.isStateEntered:
      return "\(state) is now entered with a different input\(inside)\(values)"
    case "output" where recorded.isStateExited:
      return "\(state) now leaves with a different output\(inside)\(values)"
    case "output" where recorded.type == "ExecutionSucceeded":
      return "the execution now ends with a different output\(inside)\(values)"
    case "error", "cause":
      return "\(what) now has a different \(member)\(values)"
    case "assignedVariables":
      return "\(state) now assigns different variables\(inside)\(values)"
    default:
      return "\(what) differs at \(path)\(values)"
    }
  }
}
