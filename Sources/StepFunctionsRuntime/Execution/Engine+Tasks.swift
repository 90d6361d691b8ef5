import StepFunctionsJSON
import StepFunctionsLanguage

extension Engine {
  /// Schedules and runs a Task's handler. The handler runs now; its result is delivered at the
  /// instant its (virtual) time runs out, or a timeout or missed heartbeat is delivered first.
  nonisolated(nonsending) func startTask(
    _ fiber: Fiber, _ state: StatePlan, _ plan: TaskPlan, isRetry: Bool = false
  )
    async throws(StatesError)
  {
    let effective = try select(state.inputPath, from: fiber.input, fiber: fiber)
    let resource = plan.resource
    let token: String? = plan.issuesTaskToken ? random.nextUUIDString() : nil
    currentTaskToken = token
    defer { currentTaskToken = nil }
    // Only a `.waitForTaskToken` task waits on its token; a `.sync` task's token is only read.
    let callbackToken = resource.pattern == .waitForTaskToken ? token : nil
    let parameters: JSON
    if let arguments = try jsonataArguments(state, input: effective, fiber: fiber) {
      parameters = arguments
    } else if let template = state.parameters {
      parameters = try evaluatePayload(template, current: effective, fiber: fiber)
    } else {
      parameters = effective
    }
    inspection?.parameters = parameters
    let timeout = try dynamicSeconds(
      plan.timeout, field: "TimeoutSecondsPath", input: effective, fiber: fiber)
    let heartbeat = try dynamicSeconds(
      plan.heartbeat, field: "HeartbeatSecondsPath", input: effective, fiber: fiber)
    // The role the task runs as (`Credentials`), evaluated like `Parameters`; AWS records it.
    var roleArn = try plan.credentials.map { (template) throws(StatesError) in
      try evaluatePayload(template, current: effective, fiber: fiber)["RoleArn"]
    }
    if let credentials = plan.jsonataCredentials {
      roleArn = try evaluateJSONata(credentials, fiber: fiber, input: effective)["RoleArn"]
    }
    let family = TaskEventFamily(resource)
    emit(
      fiber, family.scheduled,
      family.scheduledDetails(
        resource, parameters: parameters, region: options.region, timeout: timeout,
        heartbeat: heartbeat, roleArn: roleArn ?? nil))
    var registered = options.handlers.handler(for: resource)
    if registered == nil || hasStepFunctionsIntegration,
      let builtIn = builtInStepFunctionsHandler(resource, registered: registered, token: token)
    {
      registered = builtIn
    }
    guard let handler = registered else {
      throw stateError(
        fiber,
        "No task handler is registered for the resource '\(resource.arn)'. Register one with TaskHandlerRegistry.register(_:forResource:) or register(_:forIntegration: \"\(resource.registrationKey)\")."
      )
    }
    emit(fiber, family.started, family.startedDetails(resource))
    let task = PendingTask(
      state: state, plan: plan, effectiveInput: effective, token: callbackToken, startedAt: now,
      timeout: timeout,
      heartbeat: heartbeat)
    if let token = callbackToken {
      // From here on the token is valid: a callback for it is delivered or refused as AWS does.
      let info = taskToken(token, fiber: fiber, state: state)
      issuedTokenCount += 1
      task.tokenInfo = info
      task.tokenNumber = issuedTokenCount
      inbox.register(info)
    }
    fiber.pendingTask = task
    let request = TaskRequest(
      resource: resource, parameters: parameters, stateName: state.name, attempt: fiber.retryCount,
      taskToken: callbackToken,
      executionArn: executionArn, timeoutSeconds: timeout, heartbeatSeconds: heartbeat,
      scopes: task.tokenInfo?.scopes ?? scopes(of: fiber))
    let context = TaskContext(start: now, isVirtual: isVirtual)
    let outcome: TaskSettlement
    do {
      outcome = .succeeded(try await handler.invoke(request, context: context))
    } catch let failure as TaskFailure {
      outcome = .failed(StatesError(failure.error, cause: failure.cause))
    } catch let failure as StatesError {
      outcome = .failed(failure)
    } catch {
      outcome = .failed(StatesError(StatesError.Names.taskFailed, cause: String(describing: error)))
    }
    let record = context.record
    let finishedAt = task.startedAt.advanced(byMilliseconds: record.elapsedMilliseconds)
    // The first deadline the task misses, if any (AWS reports a missed heartbeat as
    // States.Timeout too).
    var limit: (deadline: Instant, missedHeartbeat: Bool)?
    if let timeout {
      limit = (task.startedAt.advanced(bySeconds: Double(timeout)), false)
    }
    var lastBeat: Int64 = 0
    if let heartbeat {
      let interval = Instant.milliseconds(seconds: Double(heartbeat))
      // Beats are offsets from the start, in order (time spent only grows).
      for beat in record.heartbeats + [record.elapsedMilliseconds] {
        if beat - lastBeat > interval {
          let missed = task.startedAt.advanced(
            byMilliseconds: TaskContext.adding(lastBeat, interval))
          if let current = limit, current.deadline <= missed {
          } else {
            limit = (missed, true)
          }
          break
        }
        lastBeat = beat
      }
    }
    if resource.pattern != .requestResponse {
      if let (offset, response) = record.submission {
        timers.schedule(
          .taskSubmitted(fiber, task, response), at: task.startedAt.advanced(byMilliseconds: offset)
        )
      } else if case .succeeded(let response) = outcome {
        // Without an explicit submission: the handler's result (the callback request for
        // `.waitForTaskToken`, the finished job for `.sync`), when the handler returned.
        timers.schedule(
          .taskSubmitted(fiber, task, response),
          at: resource.pattern == .sync ? task.startedAt : finishedAt)
      }
    }
    let timeoutError = StatesError(StatesError.Names.timeout, cause: "")
    if resource.pattern == .waitForTaskToken, case .succeeded = outcome, let token {
      tokenWaiters[token] = fiber
      if let info = task.tokenInfo { inbox.announce(info) }
      for (offset, callback) in record.callbacks {
        timers.schedule(
          .callback(token, callback, reply: nil),
          at: task.startedAt.advanced(byMilliseconds: offset))
      }
      if let limit {
        timers.schedule(
          .taskSettled(
            fiber, task, .timedOut(timeoutError, missedHeartbeat: limit.missedHeartbeat)),
          at: limit.deadline)
      }
      if let heartbeat {
        // The heartbeat countdown runs while the task waits for its callback.
        task.lastHeartbeat = task.startedAt.advanced(byMilliseconds: lastBeat)
        timers.schedule(
          .taskSettled(fiber, task, .heartbeatDue),
          at: task.lastHeartbeat.advanced(bySeconds: Double(heartbeat)))
      }
      return
    }
    if let limit, limit.deadline < finishedAt {
      timers.schedule(
        .taskSettled(fiber, task, .timedOut(timeoutError, missedHeartbeat: limit.missedHeartbeat)),
        at: limit.deadline)
    } else {
      timers.schedule(.taskSettled(fiber, task, outcome), at: finishedAt)
    }
  }

  /// The largest number of seconds `TimeoutSeconds`, `HeartbeatSeconds` and a Wait's `Seconds`
  /// may give (AWS's limit for the literal fields); their `...Path` forms are held to it too.
  static let maximumSeconds = 99_999_999

  /// `TimeoutSecondsPath` / `HeartbeatSecondsPath` (or their literal forms): a positive integer
  /// of at most ``maximumSeconds``, else `States.Runtime`.
  func dynamicSeconds(_ value: DynamicPlan<Int>?, field: String, input: JSON, fiber: Fiber)
    throws(StatesError) -> Int?
  {
    try resolve(
      value, input: input, fiber: fiber,
      expression: { (plan) throws(StatesError) in
        let seconds = try jsonataInteger(plan, input: input, fiber: fiber)
        guard seconds > 0, seconds <= Engine.maximumSeconds else {
          let (text, name) = Engine.describe(plan)
          throw queryEvaluationError(
            fiber,
            "The JSONata expression '\(text)' specified for the field '\(name)' returned \(seconds), which is not an integer from 1 to \(Engine.maximumSeconds).",
            location: name)
        }
        return seconds
      },
      convert: { (read, source) throws(StatesError) in
        guard case .number(let number) = read, number.isIntegral, number.doubleValue > 0 else {
          throw stateError(
            fiber,
            "The \(field) field refers to value \(read.serialized()) which is not a valid positive integer: \(source.text)"
          )
        }
        guard let seconds = number.intValue, seconds <= Engine.maximumSeconds else {
          throw stateError(
            fiber,
            "The \(field) field refers to value \(read.serialized()) which is greater than the maximum allowed value \(Engine.maximumSeconds): \(source.text)"
          )
        }
        return seconds
      })
  }

  /// A value given literally or read from a path (`...Path` fields), converted by `convert`; a
  /// path that does not resolve is AWS's `Invalid path` error. A JSONata expression gives its
  /// value through `expression`.
  func resolve<Value>(
    _ value: DynamicPlan<Value>?, input: JSON, fiber: Fiber,
    expression: (JSONataPlan) throws(StatesError) -> Value,
    convert: (JSON, ValueSource) throws(StatesError) -> Value
  ) throws(StatesError) -> Value? {
    switch value {
    case nil: return nil
    case .literal(let literal): return literal
    case .expression(let plan): return try expression(plan)
    case .path(let source):
      let read: JSON
      do {
        read = try self.read(source, current: input, fiber: fiber)
      } catch {
        throw stateError(fiber, error.invalidPathCause)
      }
      return try convert(read, source)
    }
  }

  /// Delivers a task's outcome: success completes the state; failure and timeout go through
  /// retriers and catchers.
  nonisolated(nonsending) func settleTask(
    _ fiber: Fiber, _ task: PendingTask, _ settlement: TaskSettlement
  ) async {
    var settlement = settlement
    if case .heartbeatDue = settlement {
      // A later heartbeat moved the deadline: this one is stale.
      guard let heartbeat = task.heartbeat,
        task.lastHeartbeat.advanced(bySeconds: Double(heartbeat)) <= now
      else { return }
      settlement = .timedOut(
        StatesError(StatesError.Names.timeout, cause: ""), missedHeartbeat: true)
    }
    task.isSettled = true
    fiber.pendingTask = nil
    if let token = task.token { tokenWaiters[token] = nil }
    let family = TaskEventFamily(task.plan.resource)
    let resource = task.plan.resource
    switch settlement {
    case .succeeded(let result):
      if let error = nestingError(ofTaskResult: result, fiber: fiber) {
        // Before the result is measured or recorded: a value nested too deep is refused first.
        emit(
          fiber, family.failed, family.failureDetails(resource, key: family.failedKey, error: error)
        )
        if handleError(fiber, error) { await runFiber(fiber) }
        return
      }
      if let limit = options.maximumPayloadBytes, result.serializedByteCount(limit: limit) > limit {
        // AWS fails the task itself: `TaskFailed` naming the resource type (or the ARN).
        let error = StatesError(
          StatesError.Names.dataLimitExceeded,
          cause:
            "The state/task '\(family.isService ? resource.resourceType : resource.arn)' returned a result with a size exceeding the maximum number of bytes service limit."
        )
        emit(
          fiber, family.failed, family.failureDetails(resource, key: family.failedKey, error: error)
        )
        if handleError(fiber, error, reportedByTask: true) { await runFiber(fiber) }
        return
      }
      emit(fiber, family.succeeded, family.succeededDetails(resource, output: result))
      await completeState(fiber, effectiveInput: task.effectiveInput, result: result)
    case .failed(let error):
      emit(
        fiber, family.failed, family.failureDetails(resource, key: family.failedKey, error: error))
      // A task that reports `States.DataLimitExceeded` (as a replayed oversized result does) is
      // caught by `States.ALL` like the engine's own oversized-result failure above.
      let byTask = error.name == StatesError.Names.dataLimitExceeded
      if handleError(fiber, error, reportedByTask: byTask) { await runFiber(fiber) }
    case .timedOut(let error, let missedHeartbeat):
      emit(
        fiber, family.timedOut,
        family.failureDetails(resource, key: family.timedOutKey, error: error))
      if handleError(fiber, error, missedHeartbeat: missedHeartbeat) { await runFiber(fiber) }
    case .heartbeatDue:
      break
    }
  }

  /// The token with the state that waits on it and the Map iterations and Parallel branches
  /// around that state, outermost first.
  func taskToken(_ value: String, fiber: Fiber, state: StatePlan) -> TaskToken {
    TaskToken(value: value, stateName: state.name, scopes: scopes(of: fiber))
  }

  /// The Map iterations and Parallel branches `fiber` runs in, outermost first.
  func scopes(of fiber: Fiber) -> [TaskToken.Scope] {
    var scopes: [TaskToken.Scope] = []
    var current = fiber
    while true {
      switch current.owner {
      case .root:
        return scopes.reversed()
      case .branch(let join, let index):
        scopes.append(.parallelBranch(parallelState: join.state.name, index: index))
        current = join.fiber
      case .iteration(let join, let index):
        scopes.append(.mapIteration(mapState: join.state.name, index: index))
        current = join.fiber
      }
    }
  }

  /// Why a callback from outside for `token` cannot be delivered now, or `nil` when a task
  /// waits on the token.
  func callbackRefusal(_ token: String) -> TaskCallbackError? {
    if let fiber = tokenWaiters[token], let task = fiber.pendingTask, task.token == token,
      !task.isSettled
    {
      return nil
    }
    return inbox.refusal(for: token)
  }

  /// A callback for a task token, from the handler's script or from outside.
  nonisolated(nonsending) func deliver(_ callback: TaskContext.Callback, token: String) async {
    guard let fiber = tokenWaiters[token], let task = fiber.pendingTask, task.token == token,
      !task.isSettled
    else {
      return
    }
    switch callback {
    case .success(let output):
      await settleTask(fiber, task, .succeeded(output))
    case .failure(let error, let cause):
      await settleTask(fiber, task, .failed(StatesError(error, cause: cause)))
    case .heartbeat:
      task.lastHeartbeat = now
      if let heartbeat = task.heartbeat {
        timers.schedule(
          .taskSettled(fiber, task, .heartbeatDue), at: now.advanced(bySeconds: Double(heartbeat)))
      }
    }
  }
}

/// The event names and details of one kind of task: service integrations (`Task...`), legacy
/// Lambda ARNs (`LambdaFunction...`) and activities (`Activity...`).
struct TaskEventFamily {
  let prefix: String
  let detailsPrefix: String
  let isActivity: Bool
  let isService: Bool

  init(_ resource: TaskResource) {
    switch resource.kind {
    case .lambdaFunction:
      prefix = "LambdaFunction"
      detailsPrefix = "lambdaFunction"
      isActivity = false
      isService = false
    case .activity:
      prefix = "Activity"
      detailsPrefix = "activity"
      isActivity = true
      isService = false
    default:
      prefix = "Task"
      detailsPrefix = "task"
      isActivity = false
      isService = true
    }
  }

  /// `{"truncated": false}`, built once and shared by every event that shows it.
  static let notTruncated: JSON = ["truncated": false]

  // The names as string literals (no allocation, no reference counting) for each family.
  var scheduled: String {
    isService ? "TaskScheduled" : isActivity ? "ActivityScheduled" : "LambdaFunctionScheduled"
  }
  var started: String {
    isService ? "TaskStarted" : isActivity ? "ActivityStarted" : "LambdaFunctionStarted"
  }
  var succeeded: String {
    isService ? "TaskSucceeded" : isActivity ? "ActivitySucceeded" : "LambdaFunctionSucceeded"
  }
  var failed: String {
    isService ? "TaskFailed" : isActivity ? "ActivityFailed" : "LambdaFunctionFailed"
  }
  var timedOut: String {
    isService ? "TaskTimedOut" : isActivity ? "ActivityTimedOut" : "LambdaFunctionTimedOut"
  }
  var failedKey: String {
    isService
      ? "taskFailedEventDetails"
      : isActivity ? "activityFailedEventDetails" : "lambdaFunctionFailedEventDetails"
  }
  var timedOutKey: String {
    isService
      ? "taskTimedOutEventDetails"
      : isActivity ? "activityTimedOutEventDetails" : "lambdaFunctionTimedOutEventDetails"
  }
  var scheduledKey: String {
    isService
      ? "taskScheduledEventDetails"
      : isActivity ? "activityScheduledEventDetails" : "lambdaFunctionScheduledEventDetails"
  }
  var succeededKey: String {
    isService
      ? "taskSucceededEventDetails"
      : isActivity ? "activitySucceededEventDetails" : "lambdaFunctionSucceededEventDetails"
  }

  /// The members shown as JSON text in `...Scheduled` and `...Succeeded` events.
  static let scheduledPayloads: Set<String> = ["parameters", "input"]
  static let outputPayload: Set<String> = ["output"]

  func scheduledDetails(
    _ resource: TaskResource, parameters: JSON, region: String, timeout: Int?, heartbeat: Int?,
    roleArn: JSON? = nil
  )
    -> HistoryEvent.Details
  {
    var fields = JSONObject(minimumCapacity: 6)
    if isService {
      fields.append(key: "resourceType", value: .string(resource.resourceType))
      fields.append(key: "resource", value: .string(resource.resourceName))
      fields.append(
        key: "region", value: .string(resource.region.isEmpty ? region : resource.region))
      fields.append(key: "parameters", value: parameters)
    } else {
      fields.append(key: "resource", value: .string(resource.arn))
      fields.append(key: "input", value: parameters)
      fields.append(key: "inputDetails", value: TaskEventFamily.notTruncated)
    }
    if let timeout { fields.append(key: "timeoutInSeconds", value: .number(JSONNumber(timeout))) }
    if let heartbeat {
      fields.append(key: "heartbeatInSeconds", value: .number(JSONNumber(heartbeat)))
    }
    if let roleArn, !isActivity {
      fields.append(key: "taskCredentials", value: ["roleArn": roleArn])
    }
    return .fields(key: scheduledKey, fields, payloads: TaskEventFamily.scheduledPayloads)
  }

  func startedDetails(_ resource: TaskResource) -> HistoryEvent.Details {
    guard isService else { return .none }
    return .fields(
      key: "taskStartedEventDetails",
      ["resourceType": .string(resource.resourceType), "resource": .string(resource.resourceName)])
  }

  func submittedDetails(_ resource: TaskResource, output: JSON) -> HistoryEvent.Details {
    .fields(
      key: "taskSubmittedEventDetails",
      [
        "resourceType": .string(resource.resourceType), "resource": .string(resource.resourceName),
        "output": output, "outputDetails": ["truncated": false],
      ], payloads: TaskEventFamily.outputPayload)
  }

  func succeededDetails(_ resource: TaskResource, output: JSON) -> HistoryEvent.Details {
    var fields = JSONObject(minimumCapacity: 6)
    if isService {
      fields.append(key: "resourceType", value: .string(resource.resourceType))
      fields.append(key: "resource", value: .string(resource.resourceName))
    }
    fields.append(key: "output", value: output)
    fields.append(key: "outputDetails", value: TaskEventFamily.notTruncated)
    return .fields(key: succeededKey, fields, payloads: TaskEventFamily.outputPayload)
  }

  func failureDetails(_ resource: TaskResource, key: String, error: StatesError)
    -> HistoryEvent.Details
  {
    var fields = JSONObject(minimumCapacity: 6)
    if isService {
      fields.append(key: "resourceType", value: .string(resource.resourceType))
      fields.append(key: "resource", value: .string(resource.resourceName))
    }
    fields.append(key: "error", value: .string(error.name))
    if !error.cause.isEmpty { fields.append(key: "cause", value: .string(error.cause)) }
    return .fields(key: key, fields)
  }
}

extension TaskResource {
  /// The key to register a handler under for this resource.
  var registrationKey: String {
    switch kind {
    case .serviceIntegration(let service, let action): return "\(service):\(action)"
    case .sdkIntegration(let service, let action): return "aws-sdk:\(service):\(action)"
    case .lambdaFunction(let name): return "lambda:function:\(name)"
    case .activity(let name): return "activity:\(name)"
    case .other: return arn
    }
  }
}
