import StepFunctionsJSON
import StepFunctionsLanguage

/// What TestState watches while the engine runs one state: set on an ``Engine`` only for
/// ``StateMachine/testState(named:input:context:variables:mock:inspectionLevel:stateConfiguration:options:)``
/// (normal runs leave ``Engine/inspection`` `nil` and pay one `nil` check per hook).
///
/// The engine runs the tested state with its own pipeline; the hooks record the values between
/// the steps, apply the request's `stateConfiguration` and `context`, answer a mocked state,
/// and end the run when the state is done: when the fiber enters its next state, schedules a
/// retry, or fails.
final class StateInspection {
  /// The fiber that runs the tested state (set before the run starts).
  var fiber: Fiber?
  /// The mock, if any.
  let mock: TestStateMock?
  /// The request's `stateConfiguration`.
  let configuration: TestStateConfiguration
  /// The request's `context`: its members replace those of the Context Object.
  let context: JSONObject?
  /// How many times the tested fiber entered a state: the second entry ends the test.
  var entries = 0

  /// `InputPath`'s value (JSONPath states).
  var afterInputPath: JSON?
  /// `Parameters`' (or `Arguments`') value.
  var parameters: JSON?
  /// The raw result.
  var result: JSON?
  /// The result after `ResultSelector`.
  var afterResultSelector: JSON?
  /// The result after `ResultPath`.
  var afterResultPath: JSON?
  /// The Map fields of the inspection data.
  var map = InspectionData()
  /// Set when a mock answered the state.
  var wasMocked = false

  /// The state entered after the tested one.
  var nextState: String?
  /// The retrier that would run the state again: its index, first delay and the error.
  var retry: (index: Int, delay: Double, error: StatesError)?
  /// The catcher that caught the error: its index and the error.
  var caught: (index: Int, error: StatesError)?

  init(mock: TestStateMock?, configuration: TestStateConfiguration, context: JSONObject?) {
    self.mock = mock
    self.configuration = configuration
    self.context = context
  }
}

extension Engine {
  // MARK: TestState hooks

  /// Readies the tested fiber instead of the machine's `StartAt`.
  func startInspected(_ inspection: StateInspection) {
    guard let fiber = inspection.fiber else { return }
    root = fiber
    ready.append(.run(fiber))
  }

  /// Called by ``step(_:)`` as the fiber enters a state (retry counts reset). The first entry
  /// is the tested state: `stateConfiguration.retrierRetryCount` sets its retry counts and
  /// `InputPath` is recorded. The second entry is the next state: the test ends, `SUCCEEDED`
  /// with the tested state's output. Returns true when the fiber must stop.
  func inspectEntry(_ fiber: Fiber, _ inspection: StateInspection) -> Bool {
    guard fiber === inspection.fiber else { return false }
    inspection.entries += 1
    if inspection.entries > 1 {
      inspection.nextState = fiber.state.name
      finish(.succeeded, output: fiber.input, fiber: fiber)
      return true
    }
    if let count = inspection.configuration.retrierRetryCount {
      fiber.retryCount = count
      for index in fiber.retryCounts.indices { fiber.retryCounts[index] = count }
    }
    let state = fiber.state
    if state.jsonata == nil {
      // (Paths have no side effects: reading InputPath again gives what the state reads.)
      inspection.afterInputPath = try? select(state.inputPath, from: fiber.input, fiber: fiber)
    }
    return false
  }

  /// Called by ``handleError(_:_:failedEvent:missedHeartbeat:reportedByTask:)`` when retrier
  /// `index` would run the tested state again after `delay` seconds: the test ends
  /// `RETRIABLE`. Returns true when it did.
  func inspectRetry(_ fiber: Fiber, index: Int, delay: Double, error: StatesError) -> Bool {
    guard let inspection, fiber === inspection.fiber else { return false }
    inspection.retry = (index, delay, error)
    finish(.failed, error: error.name, cause: error.cause, fiber: fiber)
    return true
  }

  /// Runs a mocked Task, Parallel or Map state: its input processing as the engine does, then
  /// the mock's result through the state's output processing, or the mock's error through its
  /// retriers and catchers. Returns false when the state is not mocked (a Task runs its
  /// handler).
  nonisolated(nonsending) func runMocked(
    _ fiber: Fiber, _ state: StatePlan, _ inspection: StateInspection
  )
    async throws(StatesError) -> Bool
  {
    guard fiber === inspection.fiber, let mock = inspection.mock else { return false }
    inspection.wasMocked = true
    let effective = try select(state.inputPath, from: fiber.input, fiber: fiber)
    switch state.kind {
    case .task(let plan):
      let token: String? = plan.issuesTaskToken ? random.nextUUIDString() : nil
      currentTaskToken = token
      let parameters = try effectiveParameters(state, effective: effective, fiber: fiber)
      currentTaskToken = nil
      inspection.parameters = parameters
      let task = PendingTask(
        state: state, plan: plan, effectiveInput: effective, token: nil, startedAt: now,
        timeout: nil, heartbeat: nil)
      fiber.pendingTask = task
      switch mock.outcome {
      case .result(let value): await settleTask(fiber, task, .succeeded(value))
      case .error(let error, let cause):
        await settleTask(fiber, task, .failed(StatesError(error, cause: cause)))
      }
      return true
    case .parallel:
      inspection.parameters = try effectiveParameters(state, effective: effective, fiber: fiber)
    case .map(let plan):
      try inspectMap(fiber, state, plan, effective: effective, inspection)
    default:
      return false
    }
    switch mock.outcome {
    case .result(let value):
      await completeState(fiber, effectiveInput: effective, result: value)
    case .error(let error, let cause):
      throw StatesError(error, cause: cause)
    }
    return true
  }

  /// A Task's or Parallel's `Arguments` (JSONata), else its `Parameters`, else its effective
  /// input.
  private func effectiveParameters(_ state: StatePlan, effective: JSON, fiber: Fiber)
    throws(StatesError) -> JSON
  {
    if let arguments = try jsonataArguments(state, input: effective, fiber: fiber) {
      return arguments
    }
    if let template = state.parameters {
      return try evaluatePayload(template, current: effective, fiber: fiber)
    }
    return effective
  }

  /// Records a mocked Map's items, selected items, batches, concurrency and tolerance, and
  /// fails it with `States.ExceedToleratedFailureThreshold` when
  /// `stateConfiguration.mapIterationFailureCount` is more than its tolerance allows (a Map
  /// without `ToleratedFailureCount`/`ToleratedFailurePercentage` ignores the count, as AWS's
  /// recorded responses show).
  private func inspectMap(
    _ fiber: Fiber, _ state: StatePlan, _ plan: MapPlan, effective: JSON,
    _ inspection: StateInspection
  ) throws(StatesError) {
    var items: [JSON] = []
    if plan.reader == nil {
      items = try mapInputItems(fiber, state, plan, effective: effective)
      if state.jsonata == nil { inspection.map.afterItemsPath = .array(items) }
      if plan.itemSelector != nil || plan.jsonataItemSelector != nil {
        var selected: [JSON] = []
        selected.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
          selected.append(
            try selectItem(plan, index: index, item: item, fiber: fiber, effective: effective)
              ?? item)
        }
        inspection.map.afterItemSelector = .array(selected)
        items = selected
      }
      if plan.batcher != nil {
        let settings = try itemSourceSettings(fiber, plan, effective: effective)
        if let batches = try? ItemReaderParsing.batches(
          items, maxItems: settings.maxItemsPerBatch,
          maxBytes: settings.maxInputBytesPerBatch ?? ItemBatcher.maximumBytes,
          batchInput: settings.batchInput)
        {
          inspection.map.afterItemBatcher = .array(batches)
        }
      }
    }
    inspection.map.maxConcurrency =
      try mapInteger(
        plan.maxConcurrency, field: "MaxConcurrencyPath", input: effective, fiber: fiber) ?? 0
    let count = try mapInteger(
      plan.toleratedFailureCount, field: "ToleratedFailureCountPath", input: effective,
      fiber: fiber)
    let percentage = try mapPercentage(
      plan.toleratedFailurePercentage, input: effective, fiber: fiber)
    inspection.map.toleratedFailureCount = count
    inspection.map.toleratedFailurePercentage = percentage
    guard let failures = inspection.configuration.mapIterationFailureCount,
      count != nil || percentage != nil, case .result = inspection.mock?.outcome
    else { return }
    var tolerated = count ?? 0
    if let percentage {
      tolerated = max(tolerated, Int((percentage * Double(items.count) / 100).rounded(.down)))
    }
    if failures > tolerated {
      throw StatesError(
        StatesError.Names.exceedToleratedFailureThreshold,
        cause: "The specified tolerated failure threshold was exceeded")
    }
  }
}
