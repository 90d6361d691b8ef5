import StepFunctionsJSON
import StepFunctionsLanguage
import StepFunctionsRuntime

extension StateMachine {
  /// Continues a recorded `FAILED`, `ABORTED` or `TIMED_OUT` execution the way AWS's
  /// `RedriveExecution` does, with `options.handlers` answering the tasks it runs.
  ///
  /// The recorded events stay; an `ExecutionRedriven` event follows (its `redriveCount` is one
  /// more than the history's `ExecutionRedriven` events); the execution enters again the state
  /// that did not succeed, with the input recorded for it and the variables its scope held. A
  /// Parallel state runs again only the branches that did not succeed, an inline Map state only
  /// the iterations that did not (the others keep their recorded outputs); inside them, each
  /// continues at its own state that did not succeed. A distributed Map state redrives its Map
  /// Run (`MapRunRedriven`, same ARN): the child executions that succeeded, as
  /// ``RedriveOptions/mapRuns`` records them, keep their output; the others run again, the
  /// `STANDARD` ones redriven at their own state that did not succeed. A new Map Run starts
  /// instead when the recorded one succeeded, never started, or failed with
  /// `States.ItemReaderFailed`, `States.Runtime` or `States.DataLimitExceeded`. A Parallel or Map
  /// state whose execution failed with `States.DataLimitExceeded` runs again in full.
  /// Retry counts start again from 0, and the machine's `TimeoutSeconds` counts from the redrive.
  /// `$$.Execution.RedriveCount` and `$$.Execution.RedriveTime` are set.
  ///
  /// ```swift
  /// var options = RedriveOptions()
  /// options.handlers.register(fixedTranscoder, forIntegration: "mediaconvert:createJob")
  /// let result = try await machine.redrive(history, options: options)
  /// print(result.status, result.history.count)   // the whole history, ids continuing
  /// ```
  ///
  /// - Throws: ``RedriveError``: `ExecutionNotRedrivable` for what AWS refuses (a `SUCCEEDED`
  ///   or still running execution, an express one, one started before 2023-11-15, one with
  ///   24,999 events or more, a redrive more than 14 days after the end or a year after the
  ///   start), or a history that cannot be continued.
  public func redrive(_ history: ExecutionHistory, options: RedriveOptions = RedriveOptions())
    async throws(RedriveError) -> ExecutionResult
  {
    let events = history.events
    let start = try RedrivePlanner.plan(
      events: events, definition: definition, options: options)
    var execution = ExecutionOptions()
    execution.clock = .virtual(start: start.redriveTime)
    execution.seed = options.seed ?? history.seed ?? 0
    execution.handlers = options.handlers
    execution.maximumHistoryEvents = options.maximumHistoryEvents
    execution.recordsCoverage = options.recordsCoverage
    if let role = start.roleArn {
      execution.roleArn = role
      if let account = Self.account(inRole: role) { execution.account = account }
    }
    let views = start.views
    if let region = views.lazy.compactMap({ $0.string("region") }).first {
      execution.region = region
    }
    execution.stateMachineName = options.stateMachineName ?? execution.stateMachineName
    if let arn = options.executionArn, let parts = Self.executionParts(arn) {
      execution.region = parts.region
      execution.account = parts.account
      execution.stateMachineName = parts.stateMachine
      execution.executionName = parts.name
    }
    return await redrive(from: start.start, options: execution)
  }
}

/// Reads a recorded history into a ``RedriveStart``: checks what AWS checks, then finds, scope
/// by scope, the state to enter again and what each branch and iteration did.
struct RedrivePlanner {
  /// What the planner found.
  struct Plan {
    var start: RedriveStart
    var views: [EventView]
    var redriveTime: Instant
    var roleArn: String?
  }

  /// AWS launched `RedriveExecution` on 2023-11-15: older executions cannot be redriven.
  static let launch = Instant(millisecondsSinceEpoch: 1_700_006_400_000)
  /// The redrivable period after an execution ends (14 days).
  static let redrivablePeriod: Int64 = 14 * 86_400_000
  /// The most an execution may stay open, from its start (one year).
  static let maximumOpenTime: Int64 = 365 * 86_400_000
  /// A history must have fewer events than this to be redriven (room for `ExecutionRedriven`
  /// and one more event within 25,000).
  static let eventLimit = 24_999

  let definition: StateMachineDefinition
  let views: [EventView]
  let scopes: EventScopes
  /// The positions of the `ExecutionRedriven` events.
  let redriven: [Int]
  /// Whether Parallel and Map states run again in full (the execution failed with
  /// `States.DataLimitExceeded`).
  let rerunsWhole: Bool
  /// The Parallel and Map states of the definition, by name.
  let compound: [String: Compound]
  /// Every state name of the definition.
  let names: Set<String>
  /// The positions of the events of each scope, in order.
  let positions: [Path: [Int]]
  /// The recorded execution's Map Run records (``RedriveOptions/mapRuns``).
  var mapRuns: [MapRun] = []

  /// The errors of a failed Map Run for which AWS starts a new Map Run instead of redriving
  /// it (no child execution ran, or the failure is in the Map state's own data).
  static let newMapRunErrors: Set<String> = [
    StatesError.Names.dataLimitExceeded, StatesError.Names.runtime,
    StatesError.Names.itemReaderFailed,
  ]

  enum Compound {
    case parallel(branches: Int)
    case map(distributed: Bool)
  }

  typealias Path = [TaskToken.Scope]

  static func plan(
    events: [HistoryEvent], definition: StateMachineDefinition, options: RedriveOptions
  )
    throws(RedriveError) -> Plan
  {
    guard let first = events.first else {
      throw RedriveError(.unusableHistory, "The history has no events.")
    }
    guard first.type == "ExecutionStarted" else {
      throw RedriveError(
        .unusableHistory,
        "The history's first event (id \(first.id)) is \(first.type), not ExecutionStarted: a history must begin with the execution's start."
      )
    }
    for (position, event) in events.enumerated() where event.id != position + 1 {
      throw RedriveError(
        .unusableHistory,
        "Event \(position + 1) of the history has id \(event.id): a redrive continues the event ids, so the history must hold every event from id 1 in order (is it truncated, or merged from pages out of order?)."
      )
    }
    let views = events.map(EventView.init)
    // `events` is not empty, so neither is `views`.
    let last = views[views.count - 1]
    switch last.type {
    case "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted":
      break
    case "ExecutionSucceeded":
      throw RedriveError(.executionNotRedrivable, "Execution is SUCCEEDED and cannot be redriven")
    default:
      throw RedriveError(.executionNotRedrivable, "Execution is RUNNING and cannot be redriven")
    }
    if options.stateMachineType == .express
      || options.executionArn.flatMap(StateMachine.executionParts)?.isExpress == true
    {
      throw RedriveError(
        .executionNotRedrivable,
        "RedriveExecution is not supported by EXPRESS state machines: only standard executions can be redriven"
      )
    }
    let startTime = first.timestamp
    if startTime < launch {
      throw RedriveError(
        .executionNotRedrivable, "Execution was started before the launch of RedriveExecution")
    }
    if events.count >= eventLimit {
      throw RedriveError(.executionNotRedrivable, "Execution history event limit exceeded")
    }
    let end = last.timestamp
    let redriveTime = options.redriveTime ?? end
    if redriveTime < end {
      throw RedriveError(
        .invalidOption,
        "The redrive time \(redriveTime.iso8601) is before the recorded execution ended (\(end.iso8601))."
      )
    }
    if redriveTime.millisecondsSinceEpoch - end.millisecondsSinceEpoch > redrivablePeriod {
      throw RedriveError(.executionNotRedrivable, "Execution redrivable period exceeded")
    }
    if redriveTime.millisecondsSinceEpoch - startTime.millisecondsSinceEpoch > maximumOpenTime {
      throw RedriveError(.executionNotRedrivable, "Execution has exceeded the max execution time")
    }
    let started = views[0]
    guard started.truncatedMembers.isEmpty, let input = started.payload("input") else {
      throw RedriveError(
        .unusableHistory,
        "The ExecutionStarted event (id \(first.id)) has no input that is JSON text (or it is truncated), so the execution cannot be continued."
      )
    }

    var planner = RedrivePlanner(views: views, definition: definition)
    planner.mapRuns = options.mapRuns
    let root = try planner.resume(in: [], after: 0)
    if root.point == nil, root.entered {
      throw RedriveError(
        .unusableHistory,
        "The history ends (event \(last.id), \(last.type)) with no state left unfinished at the top level, so there is no state to continue from."
      )
    }
    let start = RedriveStart(
      events: events, input: input, startTime: startTime, redriveCount: planner.redriven.count + 1,
      root: root.point)
    return Plan(
      start: start, views: views, redriveTime: redriveTime, roleArn: started.string("roleArn"))
  }

  init(views: [EventView], definition: StateMachineDefinition) {
    self.definition = definition
    self.views = views
    scopes = EventScopes(events: views, branches: ParallelBranchIndex(definition))
    redriven = views.indices.filter { views[$0].type == "ExecutionRedriven" }
    var positions: [Path: [Int]] = [:]
    for (position, path) in scopes.scopes.enumerated() {
      positions[path, default: []].append(position)
    }
    self.positions = positions
    let closing = views.last
    rerunsWhole =
      closing?.type == "ExecutionFailed"
      && closing?.string("error") == StatesError.Names.dataLimitExceeded
    var compound: [String: Compound] = [:]
    var names: Set<String> = []
    Self.index(definition.graph, into: &compound, names: &names)
    self.compound = compound
    self.names = names
  }

  private static func index(
    _ graph: StateGraph, into compound: inout [String: Compound], names: inout Set<String>
  ) {
    for state in graph.states {
      names.insert(state.name)
      switch state.kind {
      case .parallel(let parallel):
        compound[state.name] = .parallel(branches: parallel.branches.count)
        for branch in parallel.branches { index(branch, into: &compound, names: &names) }
      case .map(let map):
        compound[state.name] = .map(distributed: map.mode == .distributed)
        index(map.processor, into: &compound, names: &names)
      default:
        break
      }
    }
  }

  /// Whether an `ExecutionRedriven` event lies strictly between two positions.
  private func redrivenBetween(_ lower: Int, _ upper: Int) -> Bool {
    redriven.contains { $0 > lower && $0 < upper }
  }

  /// What one scope (the top level, a branch, an iteration) did after position `after`: the
  /// state it left unfinished (with its input, the scope's variables and, for a Parallel or
  /// Map state, its children), whether it entered any state, and the output of its last exit.
  func resume(in path: Path, after: Int) throws(RedriveError) -> (
    point: ResumePoint?, entered: Bool, output: JSON?
  ) {
    var open: (name: String, position: Int, window: Int)?
    var entered = false
    var output: JSON?
    var variables = JSONObject()
    for position in positions[path, default: []] where position > after {
      let event = views[position]
      guard let name = event.name else { continue }
      if event.isStateEntered {
        entered = true
        if let current = open, current.name == name, redrivenBetween(current.position, position) {
          // A redrive entering the state again continues the same attempt.
          open = (name, position, current.window)
        } else {
          open = (name, position, position)
        }
      } else if event.isStateExited {
        if open?.name == name { open = nil }
        output = event.payload("output")
        if let assigned = event.details?["assignedVariables"]?.objectValue {
          for (variable, text) in assigned {
            variables[variable] = try decoded(text, event: event, member: "assignedVariables")
          }
        }
      }
    }
    guard let open else { return (nil, entered, output) }
    let event = views[open.position]
    guard names.contains(open.name) else {
      throw RedriveError(
        .unusableHistory,
        "Event \(event.id) (\(event.type)) enters `\(open.name)`, which the definition does not have: a redrive continues an execution with the definition that recorded it."
      )
    }
    guard !event.truncatedMembers.contains("input"), let input = event.payload("input") else {
      throw RedriveError(
        .unusableHistory,
        "Event \(event.id) (\(event.type) of `\(open.name)`) has no input that is JSON text (or it is truncated): the redrive enters that state again with it."
      )
    }
    let children = try self.children(of: open.name, in: path, after: open.window)
    return (
      ResumePoint(stateName: open.name, input: input, variables: variables, children: children),
      entered, output
    )
  }

  /// What the branches or iterations of the Parallel or Map state `name` did after its latest
  /// start that was not a redrive continuing it (a retry starts them all again).
  private func children(of name: String, in path: Path, after window: Int) throws(RedriveError)
    -> ResumedChildren?
  {
    guard let kind = compound[name], !rerunsWhole else { return nil }
    if case .map(distributed: true) = kind { return mapRun(of: name, in: path, after: window) }
    var start: Int?
    var previous: Int?
    for position in positions[path, default: []] where position > window {
      let type = views[position].type
      guard type == "ParallelStateStarted" || type == "MapStateStarted",
        scopes.stateNames[position] == name
      else { continue }
      if let previous, redrivenBetween(previous, position) {
        // Started again by a redrive: the branches and iterations of the earlier start count.
      } else {
        start = position
      }
      previous = position
    }
    guard let start else { return nil }
    switch kind {
    case .parallel(let count):
      var branches: [ResumedFiber] = []
      for index in 0..<count {
        let branch = try resume(
          in: path + [.parallelBranch(parallelState: name, index: index)], after: start)
        branches.append(Self.outcome(branch))
      }
      return .branches(branches)
    case .map:
      var succeeded: Set<Int> = []
      var started: [Int] = []
      for position in positions[path, default: []] where position > start {
        let event = views[position]
        guard event.name == name, let index = event.index else { continue }
        if event.type == "MapIterationStarted", !started.contains(index) { started.append(index) }
        if event.type == "MapIterationSucceeded" { succeeded.insert(index) }
      }
      var iterations: [Int: ResumedFiber] = [:]
      for index in started {
        let iteration = try resume(
          in: path + [.mapIteration(mapState: name, index: index)], after: start)
        if succeeded.contains(index) {
          iterations[index] = .succeeded(output: iteration.output ?? .null)
        } else if let point = iteration.point {
          iterations[index] = .resumed(point)
        }
      }
      return .iterations(iterations)
    }
  }

  /// The Map Run of the distributed Map state `name` a redrive continues: the latest one
  /// started after `window`, unless it succeeded or failed in a way that makes AWS start a new
  /// one; `nil` for a new Map Run.
  private func mapRun(of name: String, in path: Path, after window: Int) -> ResumedChildren? {
    var arn: String?
    var startDate = Instant(millisecondsSinceEpoch: 0)
    var redrives = 0
    var ended: (type: String, error: String?)?
    for position in positions[path, default: []] where position > window {
      let event = views[position]
      guard scopes.stateNames[position] == name else { continue }
      switch event.type {
      case "MapRunStarted":
        arn = event.string("mapRunArn")
        startDate = event.timestamp
        redrives = 0
        ended = nil
      case "MapRunRedriven" where event.string("mapRunArn") == arn:
        redrives = max(redrives + 1, event.details?["redriveCount"]?.numberValue?.intValue ?? 0)
        ended = nil
      case "MapRunSucceeded", "MapRunFailed", "MapRunAborted":
        ended = (event.type, event.string("error"))
      default:
        break
      }
    }
    guard let arn, ended?.type != "MapRunSucceeded" else { return nil }
    if let error = ended?.error, Self.newMapRunErrors.contains(error) { return nil }
    var children: [Int: MapRun.ChildExecution] = [:]
    var resumed: [Int: ResumePoint] = [:]
    if let record = mapRuns.last(where: { $0.mapRunArn == arn }) {
      for child in record.executions {
        children[child.index] = child
        // A STANDARD child that did not succeed is redriven at its own unfinished state, read
        // from its history like a parent's; one whose history cannot be continued starts again.
        guard child.status != .succeeded, child.history.count > 1 else { continue }
        let planner = RedrivePlanner(
          views: child.history.map(EventView.init), definition: definition)
        if let point = (try? planner.resume(in: [], after: 0))?.point {
          resumed[child.index] = point
        }
      }
    }
    return .mapRun(
      RedrivenMapRun(
        mapRunArn: arn, redriveCount: redrives + 1, startDate: startDate, children: children,
        resumed: resumed))
  }

  private static func outcome(_ scope: (point: ResumePoint?, entered: Bool, output: JSON?))
    -> ResumedFiber
  {
    if let point = scope.point { return .resumed(point) }
    if scope.entered { return .succeeded(output: scope.output ?? .null) }
    return .fresh
  }

  /// A JSON-text member value decoded, or a located error.
  private func decoded(_ value: JSON, event: EventView, member: String) throws(RedriveError) -> JSON
  {
    guard case .string(let text) = value else { return value }
    do {
      return try JSONParser.parse(Array(text.utf8))
    } catch {
      throw RedriveError(
        .unusableHistory,
        "Event \(event.id) (\(event.type)) has \(member) that are not JSON text, so the variables cannot be restored."
      )
    }
  }
}
