import Foundation
import StepFunctionsJSON
import StepFunctionsJSONata
import StepFunctionsLanguage

/// Runs one execution: a deterministic discrete-event scheduler over fibers, with a ready queue
/// and a timer queue ordered by (deadline, sequence). Only one fiber runs at a time; when none
/// can run, a virtual clock jumps to the next deadline.
final class Engine {
  let plan: GraphPlan
  /// The definition's `TimeoutSeconds` (the only part of the definition an execution reads
  /// outside the plan; keeping the whole definition would copy it for every execution).
  let timeoutSeconds: Int?
  let options: ExecutionOptions
  let isVirtual: Bool
  @exclusivity(unchecked) var now: Instant
  @exclusivity(unchecked) var random: SeededRandom
  let executionName: String
  let executionArn: String
  /// The state machine's ARN, built when the Context Object first needs it.
  lazy var stateMachineArn =
    "arn:aws:states:\(options.region):\(options.account):stateMachine:\(options.stateMachineName)"
  let input: JSON
  let startTime: Instant
  /// When this run started: the start time, or for a redrive, the redrive time.
  let redriveTime: Instant
  /// The recorded execution this one continues, when it is a redrive.
  let redrive: RedriveStart?
  /// `$$.Execution`, with AWS's members in AWS's order (corpus: `test_query_context_object_values`
  /// and its express twin). `RedriveCount` is 0 for standard executions and absent for express
  /// ones; `RedriveTime` (when the redrive started) appears only in a redriven execution.
  lazy var executionContext: JSON = {
    var object = JSONObject(minimumCapacity: 6)
    object.append(key: "Id", value: .string(executionArn))
    object.append(key: "Input", value: input)
    switch options.stateMachineType {
    case .standard:
      object.append(key: "StartTime", value: .string(startTime.iso8601))
      object.append(key: "Name", value: .string(executionName))
      object.append(key: "RoleArn", value: .string(options.roleArn))
      if Self.contextHasRedriveCount(at: options.behaviorDate) {
        object.append(
          key: "RedriveCount", value: .number(JSONNumber(redrive?.redriveCount ?? 0)))
      }
      if redrive != nil { object.append(key: "RedriveTime", value: .string(redriveTime.iso8601)) }
    case .express:
      object.append(key: "Name", value: .string(executionName))
      object.append(key: "RoleArn", value: .string(options.roleArn))
      object.append(key: "StartTime", value: .string(startTime.iso8601))
    }
    return .object(object)
  }()

  @exclusivity(unchecked) var ready = WorkQueue()
  @exclusivity(unchecked) var timers = TimerQueue()
  let history = HistoryRecorder()
  @exclusivity(unchecked) var lastEventId = 0
  @exclusivity(unchecked) var transitions = 0
  @exclusivity(unchecked) var status = ExecutionStatus.running
  @exclusivity(unchecked) var output: JSON?
  @exclusivity(unchecked) var failureError: String?
  @exclusivity(unchecked) var failureCause: String?
  @exclusivity(unchecked) var root: Fiber?
  /// Parallel and Map joins whose children may still point back at them.
  @exclusivity(unchecked) var openJoins: [ObjectIdentifier: any FiberJoin] = [:]
  /// The Map Runs of the distributed Map states run so far, in the order they started.
  @exclusivity(unchecked) var mapRuns: [MapRunTracker] = []
  /// The Map Runs that may still be running (those that ended are dropped lazily).
  @exclusivity(unchecked) var openMapRuns: [MapRunTracker] = []
  /// Tasks waiting for a callback, by token.
  @exclusivity(unchecked) var tokenWaiters: [String: Fiber] = [:]
  /// How many task tokens were issued (orders the tokens a stuck execution waits on).
  @exclusivity(unchecked) var issuedTokenCount = 0
  /// The tokens waited on when the run stopped because nothing could move the execution on.
  @exclusivity(unchecked) var stuckTokens: [TaskToken] = []
  /// Set while a Task's parameters are evaluated, so `$$.Task.Token` resolves.
  @exclusivity(unchecked) var currentTaskToken: String?
  /// Set only by TestState: records the tested state's data flow and ends the run after it.
  @exclusivity(unchecked) var inspection: StateInspection?
  let inbox: Inbox
  /// Counts coverage events, with ``ExecutionOptions/recordsCoverage`` on.
  let coverageRecorder: CoverageRecorder?
  /// Whether Step Functions' own integrations may need a built-in handler: a registry of
  /// machines to start, or callbacks to relay to the execution that started this one.
  let hasStepFunctionsIntegration: Bool
  /// The executions this one started, once it starts one (with history on).
  @exclusivity(unchecked) var startedExecutionLog: StartedExecutionLog?
  /// What this execution shares with the executions it starts, and they with theirs.
  lazy var executionFamily: ExecutionFamily = {
    if let family = options.executionFamily { return family }
    let family = ExecutionFamily()
    _ = family.claim(executionArn)
    return family
  }()
  /// The random bits of AWS's `$random()` and `$uuid()` in JSONata states.
  lazy var jsonataRandom = JSONataRandomSource()
  /// The options of every JSONata evaluation (AWS's functions among them), built when a
  /// JSONata state first runs; each evaluation sets its clock and seed.
  lazy var jsonataOptions: JSONataOptions = {
    let source = jsonataRandom
    return JSONataOptions(functions: AWSFunctions.functions(random: { source.next() }))
  }()

  init(
    plan: GraphPlan, timeoutSeconds: Int?, input: JSON,
    options: consuming ExecutionOptions, inbox: Inbox, redrive: RedriveStart? = nil
  ) {
    self.redrive = redrive
    self.plan = plan
    self.timeoutSeconds = timeoutSeconds
    self.input = input
    self.inbox = inbox
    coverageRecorder = options.recordsCoverage ? CoverageRecorder() : nil
    hasStepFunctionsIntegration = !options.stateMachines.isEmpty || options.callbackRelay != nil
    switch options.clock {
    case .virtual(let start):
      isVirtual = true
      now = start
    case .system:
      isVirtual = false
      now = Engine.systemNow()
    }
    redriveTime = now
    startTime = redrive?.startTime ?? now
    var generator = SeededRandom(seed: options.seed)
    let name = options.executionName ?? generator.nextUUIDString()
    random = generator
    executionName = name
    if options.stateMachineType == .express {
      executionArn = Engine.arn(
        options, kind: "express", name: name, suffix: generator.nextUUIDString())
      random = generator
    } else {
      executionArn = Engine.arn(options, kind: "execution", name: name, suffix: nil)
    }
    if let redrive {
      // The name is the recorded execution's (drawn from its seed); what the redrive draws
      // differs from what the recorded run drew (task tokens, UUIDs), and from one redrive to
      // the next.
      random = SeededRandom(
        seed: options.seed &+ UInt64(clamping: redrive.redriveCount) &* 0x9E37_79B9_7F4A_7C15)
    }
    // Last, so that the options move in rather than being copied.
    self.options = options
  }

  /// `arn:aws:states:REGION:ACCOUNT:KIND:MACHINE:NAME[:SUFFIX]`, built in one allocation.
  static func arn(_ options: ExecutionOptions, kind: String, name: String, suffix: String?)
    -> String
  {
    let region = options.region
    let account = options.account
    let machine = options.stateMachineName
    var count = 19 + region.utf8.count + account.utf8.count + kind.utf8.count
    count += machine.utf8.count + name.utf8.count
    if let suffix { count += 1 + suffix.utf8.count }
    return String(unsafeUninitializedCapacity: count) { buffer in
      var position = 0
      func write(_ text: String) {
        for byte in text.utf8 {
          buffer[position] = byte
          position += 1
        }
      }
      write("arn:aws:states:")
      write(region)
      write(":")
      write(account)
      write(":")
      write(kind)
      write(":")
      write(machine)
      write(":")
      write(name)
      if let suffix {
        write(":")
        write(suffix)
      }
      return position
    }
  }

  static func systemNow() -> Instant {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Instant(
      millisecondsSinceEpoch: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
  }

  // MARK: Events

  /// Records an event for `fiber`: its `previousEventId` is the fiber's cursor, and the cursor
  /// moves to the new event unless `advances` is false.
  @discardableResult
  func emit(
    _ fiber: Fiber, _ type: String, advances: Bool = true,
    _ details: @autoclosure () -> HistoryEvent.Details
  ) -> Int {
    if fiber.isSilent {
      fiber.childEvents?.count += 1
      if fiber.childEvents?.log != nil, !isDistributedIterationEvent(fiber, type) {
        return logChildEvent(fiber, type, advances: advances, details())
      }
      return fiber.cursor
    }
    guard reserveEventId() else { return lastEventId }
    let id = record(type, previous: fiber.cursor, details)
    if advances { fiber.cursor = id }
    return id
  }

  /// Records an event. Nothing is recorded once the execution has ended.
  @discardableResult
  func record(_ type: String, previous: Int, _ details: () -> HistoryEvent.Details) -> Int {
    guard status == .running else { return lastEventId }
    lastEventId += 1
    if options.recordsHistory {
      history.append(
        HistoryEvent(
          id: lastEventId, previousEventId: previous, timestamp: now, type: type, details: details()
        ))
    }
    return lastEventId
  }

  /// Whether the execution may write one more event of its own (not its end): false once it
  /// has ended, and false when the event would be the last one `maximumHistoryEvents` allows —
  /// the execution then fails instead, with that event being its `ExecutionFailed` (as AWS
  /// does: `States.Runtime`, "The execution reached the maximum number of history events
  /// (25000)." as event 25,000). Events are counted whether or not history is recorded.
  @inline(__always)
  func reserveEventId() -> Bool {
    guard status == .running else { return false }
    guard let limit = options.maximumHistoryEvents, lastEventId + 1 >= limit else { return true }
    finish(
      .failed, error: StatesError.Names.runtime,
      cause: Engine.historyLimitCause(limit), fiber: nil)
    return false
  }

  /// AWS's cause for an execution that reached the history-event limit.
  static func historyLimitCause(_ limit: Int) -> String {
    "The execution reached the maximum number of history events (\(limit))."
  }

  /// Records a `...StateEntered` event (`entered`) or a `...StateExited` event without assigned
  /// variables for the fiber's current state, as ``emit(_:_:advances:_:)`` does. With
  /// `sharesPrevious`, the payload is the previous event's (see ``emitEntered(_:_:)``) and
  /// `payload` is not kept.
  @discardableResult
  func emitStateEvent(
    _ fiber: Fiber, _ state: StatePlan, entered: Bool, _ payload: JSON,
    sharesPrevious: Bool = false
  ) -> Int {
    if fiber.isSilent {
      fiber.childEvents?.count += 1
      if fiber.childEvents?.log != nil {
        return logChildEvent(
          fiber, entered ? state.enteredEventType : state.exitedEventType, advances: true,
          entered
            ? .stateEntered(name: state.name, input: payload)
            : .stateExited(name: state.name, output: payload, assignedVariables: nil))
      }
      return fiber.cursor
    }
    guard reserveEventId() else { return lastEventId }
    lastEventId += 1
    if options.recordsHistory {
      history.appendStateEvent(
        state, entered: entered, payload: payload, sharesPrevious: sharesPrevious,
        previousEventId: fiber.cursor, timestamp: now)
    }
    fiber.cursor = lastEventId
    return lastEventId
  }

  /// Records the `...StateEntered` event of the fiber's current state, whose payload is the
  /// fiber's input. When the fiber's previous event already holds that input (the previous
  /// state's exit), the record refers to it instead of holding the input again.
  func emitEntered(_ fiber: Fiber, _ state: StatePlan) -> Int {
    if fiber.inputRecordId != 0 && fiber.inputRecordId == fiber.cursor {
      return emitStateEvent(fiber, state, entered: true, .null, sharesPrevious: true)
    }
    return emitStateEvent(fiber, state, entered: true, fiber.input)
  }

  /// Records a `...StateExited` event for the fiber's current state. Returns the event's id
  /// when it was recorded compactly with `output` as its payload (see ``emitEntered(_:_:)``).
  @discardableResult
  func emitExited(_ fiber: Fiber, _ state: StatePlan, output: JSON, assigned: JSONObject?) -> Int? {
    if let assigned {
      emit(
        fiber, state.exitedEventType,
        .stateExited(name: state.name, output: output, assignedVariables: assigned))
      return nil
    }
    if fiber.isSilent {
      // (Not counted against the child execution's limit, as before; logged when kept.)
      if fiber.childEvents?.log != nil {
        logChildEvent(
          fiber, state.exitedEventType, advances: true,
          .stateExited(name: state.name, output: output, assignedVariables: nil))
      }
      return nil
    }
    return emitStateEvent(fiber, state, entered: false, output)
  }

  // MARK: Running

  nonisolated(nonsending) func run() async -> ExecutionResult {
    if redrive == nil,
      let refusal = ExecutionInput.sizeError(of: input, maximumBytes: options.maximumInputBytes)
    {
      // AWS refuses StartExecution: no execution, so no event either.
      status = .failed
      failureError = refusal.name.rawValue
      failureCause = refusal.message
      inbox.close()
      return ExecutionResult(
        status: status, output: nil, error: failureError, cause: failureCause,
        history: ExecutionHistory(log: HistoryLog(history, plan: plan), seed: options.seed),
        startDate: startTime, stopDate: now, executionArn: executionArn, stateTransitions: 0)
    }
    if let redrive {
      startRedriven(redrive)
    } else if let inspection {
      startInspected(inspection)
    } else {
      start()
    }
    while status == .running {
      if let work = ready.popFirst() {
        await perform(work)
        continue
      }
      if let deadline = timers.nextDeadline {
        // Commands from outside (stop, callbacks) take effect before time moves on.
        if inbox.hasCommands, inbox.apply(to: self) { continue }
        if !tokenWaiters.isEmpty, inbox.expectsOutsideCallbacks {
          await inbox.waitForCommand(engine: self)
          continue
        }
        if !isVirtual {
          if await inbox.waitUntil(deadline: deadline, engine: self) { continue }
        }
        if deadline > now { now = deadline }
        if let (_, work) = timers.popFirst() { ready.append(work) }
        continue
      }
      if !tokenWaiters.isEmpty {
        if inbox.apply(to: self) { continue }
        if inbox.expectsOutsideCallbacks {
          await inbox.waitForCommand(engine: self)
          continue
        }
        // Only a callback could move the execution on, and none can come: AWS would wait (up
        // to the execution's one-year limit); the run stops here, still RUNNING, with a report.
        stuckTokens = waitingTokens()
        break
      }
      finish(
        .failed, error: StatesError.Names.runtime,
        cause: "The execution has nothing left to run and is waiting for nothing.", fiber: nil)
    }
    inbox.close()
    // Callbacks applied but not performed before the end are refused like later ones.
    while let work = ready.popFirst() {
      if case .callback(let token, _, let reply?) = work {
        reply.resume(returning: inbox.refusal(for: token))
      }
    }
    for join in openJoins.values { join.releaseChildren() }
    openJoins.removeAll()
    let stuck = !stuckTokens.isEmpty
    var result = ExecutionResult(
      status: status, output: output,
      error: stuck ? ExecutionResult.stuckError : failureError,
      cause: stuck ? stuckReport(stuckTokens) : failureCause,
      history: ExecutionHistory(log: HistoryLog(history, plan: plan), seed: options.seed),
      startDate: startTime,
      stopDate: now, executionArn: executionArn,
      stateTransitions: transitions, waitingTasks: stuckTokens)
    result.mapRuns = mapRuns.map(\.run)
    result.coverage = coverageRecorder?.coverage
    if let startedExecutionLog { result.startedExecutions = startedExecutionLog.results }
    return result
  }

  /// Records `ExecutionStarted` and readies the top-level fiber at `StartAt` (or fails the
  /// execution at once when its input is nested too deep or too large).
  private func start() {
    record("ExecutionStarted", previous: 0) {
      .executionStarted(input: input, roleArn: options.roleArn)
    }
    // An input nested too deep is refused before anything measures it.
    let depthLimit = ExecutionOptions.maximumNestingDepth
    let tooDeep = input.isNested(deeperThan: depthLimit)
    let inputByteCount =
      tooDeep ? nil : options.maximumPayloadBytes.map { input.serializedByteCount(limit: $0) }
    if tooDeep {
      finish(
        .failed, error: StatesError.Names.runtime,
        cause:
          "The execution input has arrays and objects nested more than \(depthLimit) levels deep.",
        fiber: nil)
    } else if let limit = options.maximumPayloadBytes, let inputByteCount, inputByteCount > limit {
      finish(
        .failed, error: StatesError.Names.dataLimitExceeded,
        cause: "The input exceeds the maximum number of bytes service limit.", fiber: nil)
    } else {
      let fiber = Fiber(
        graph: plan, owner: .root, scope: VariableScope(parent: nil), input: input, cursor: 0)
      fiber.setInput(input, byteBound: inputByteCount)
      root = fiber
      if let timeout = timeoutSeconds {
        timers.schedule(.executionTimeout, at: now.advanced(bySeconds: Double(timeout)))
      }
      ready.append(.run(fiber))
    }
  }

  /// Continues a recorded execution (`RedriveExecution`): its events stay, `ExecutionRedriven`
  /// follows, and the top-level fiber enters again the state that did not succeed, with the
  /// input and variables recorded for it. The machine's `TimeoutSeconds` counts from now.
  private func startRedriven(_ redrive: RedriveStart) {
    for event in redrive.events { history.append(event) }
    lastEventId = redrive.events.last?.id ?? 0
    let redriven = record("ExecutionRedriven", previous: lastEventId) {
      .fields(
        key: "executionRedrivenEventDetails",
        ["redriveCount": .number(JSONNumber(redrive.redriveCount))])
    }
    let fiber = Fiber(
      graph: plan, owner: .root, scope: VariableScope(parent: nil), input: input,
      cursor: redriven)
    if let point = redrive.root { resume(fiber, at: point) }
    root = fiber
    if let timeout = timeoutSeconds {
      timers.schedule(.executionTimeout, at: now.advanced(bySeconds: Double(timeout)))
    }
    ready.append(.run(fiber))
  }

  /// Points a fiber at the state a redrive enters again, with its recorded input and variables.
  func resume(_ fiber: Fiber, at point: ResumePoint) {
    if let index = fiber.graph.states.firstIndex(where: { $0.name == point.stateName }) {
      fiber.stateIndex = index
    }
    fiber.input = point.input
    for (name, value) in point.variables { fiber.scope.values[name] = value }
    fiber.resumedChildren = point.children
  }

  /// The tokens tasks wait on, in the order they were issued.
  func waitingTokens() -> [TaskToken] {
    tokenWaiters.values.compactMap { fiber -> (Int, TaskToken)? in
      guard let task = fiber.pendingTask, let token = task.tokenInfo else { return nil }
      return (task.tokenNumber, token)
    }.sorted { $0.0 < $1.0 }.map(\.1)
  }

  /// The cause of a run that stopped because only callbacks nobody can send could move it on.
  func stuckReport(_ tokens: [TaskToken]) -> String {
    let shown = tokens.prefix(10).map { "\($0.location) waits for task token \($0.value)" }
    var list = shown.joined(separator: "; ")
    if tokens.count > shown.count { list += "; and \(tokens.count - shown.count) more" }
    return
      "The execution is stuck: \(list). Nothing else can run, no timer is set, and no callback can come: \(inbox.noCallbackReason). AWS would keep the execution RUNNING until a callback arrives or the execution times out. To move it on, answer the token from outside (StateMachine.start with ExecutionOptions.waitsForCallbacks on, then Execution.sendTaskSuccess), have the task's handler or mock answer it (TaskContext.scheduleCallback), or give the task a TimeoutSeconds or HeartbeatSeconds."
  }

  nonisolated(nonsending) func perform(_ work: Work) async {
    switch work {
    case .run(let fiber):
      guard !fiber.isCancelled else { return }
      await runFiber(fiber)
    case .waitElapsed(let fiber):
      guard !fiber.isCancelled else { return }
      await completeState(fiber, effectiveInput: fiber.pendingWaitInput ?? fiber.input, result: nil)
    case .retry(let fiber):
      guard !fiber.isCancelled else { return }
      await retryState(fiber)
    case .taskSettled(let fiber, let task, let settlement):
      guard !fiber.isCancelled, !task.isSettled else { return }
      await settleTask(fiber, task, settlement)
    case .taskSubmitted(let fiber, let task, let response):
      guard !fiber.isCancelled, !task.isSettled else { return }
      let family = TaskEventFamily(task.plan.resource)
      if family.isService {
        emit(fiber, "TaskSubmitted", family.submittedDetails(task.plan.resource, output: response))
      }
    case .callback(let token, let callback, let reply):
      if let reply {
        // A callback from outside: answered before it takes effect.
        let refusal = callbackRefusal(token)
        reply.resume(returning: refusal)
        if refusal != nil { return }
      }
      await deliver(callback, token: token)
    case .finishParallel(let join):
      guard !join.fiber.isCancelled else { return }
      await finishParallel(join)
    case .finishMap(let join):
      guard !join.fiber.isCancelled else { return }
      await finishMap(join)
    case .launchMap(let join):
      guard !join.fiber.isCancelled else { return }
      await launchIterations(join)
    case .expressChildDeadline(let join):
      guard !join.fiber.isCancelled else { return }
      expressChildDeadlinePassed(join)
    case .resumeWithError(let fiber, let error, let failedEvent):
      guard !fiber.isCancelled else { return }
      if handleError(fiber, error, failedEvent: failedEvent) { await runFiber(fiber) }
    case .executionTimeout:
      guard status == .running else { return }
      let fiber = root
      abortOpenMapRuns()
      record("ExecutionTimedOut", previous: fiber?.cursor ?? 0) {
        .failure(key: "executionTimedOutEventDetails", error: StatesError.Names.timeout, cause: nil)
      }
      cancelAll()
      status = .timedOut
      failureError = StatesError.Names.timeout
    }
  }

  /// Ends the execution.
  func finish(
    _ outcome: ExecutionStatus, output: JSON? = nil, error: String? = nil, cause: String? = nil,
    fiber: Fiber?
  ) {
    guard status == .running else { return }
    let previous = fiber?.cursor ?? lastEventId
    abortOpenMapRuns()
    switch outcome {
    case .succeeded:
      record("ExecutionSucceeded", previous: previous) {
        .executionSucceeded(output: output ?? .null)
      }
      self.output = output
    case .aborted:
      record("ExecutionAborted", previous: previous) {
        .failure(key: "executionAbortedEventDetails", error: error, cause: cause)
      }
      failureError = error
      failureCause = cause
    default:
      record("ExecutionFailed", previous: previous) {
        .failure(key: "executionFailedEventDetails", error: error, cause: cause)
      }
      failureError = error
      failureCause = cause
    }
    cancelAll()
    status = outcome
  }

  func cancelAll() {
    root?.isCancelled = true
    tokenWaiters.removeAll()
  }

  /// Stops the execution from outside.
  func abort(error: String?, cause: String?) {
    finish(.aborted, error: error, cause: cause, fiber: nil)
  }
}
