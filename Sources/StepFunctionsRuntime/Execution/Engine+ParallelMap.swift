import StepFunctionsJSON
import StepFunctionsLanguage

extension Engine {
  // MARK: Parallel

  nonisolated(nonsending) func startParallel(
    _ fiber: Fiber, _ state: StatePlan, _ branches: [GraphPlan]
  )
    async throws(StatesError)
  {
    let effective = try select(state.inputPath, from: fiber.input, fiber: fiber)
    let branchInput: JSON
    if let arguments = try jsonataArguments(state, input: effective, fiber: fiber) {
      branchInput = arguments
    } else if let template = state.parameters {
      branchInput = try evaluatePayload(template, current: effective, fiber: fiber)
    } else {
      branchInput = effective
    }
    emit(fiber, "ParallelStateStarted", .none)
    let join = ParallelJoin(fiber: fiber, state: state, count: branches.count)
    join.effectiveInput = effective
    // A redrive runs again only the branches that did not succeed.
    var resumed: [ResumedFiber] = []
    if case .branches(let recorded) = fiber.resumedChildren { resumed = recorded }
    fiber.resumedChildren = nil
    for (index, branch) in branches.enumerated() {
      let recorded = index < resumed.count ? resumed[index] : .fresh
      if case .succeeded(let output) = recorded {
        join.results[index] = output
        join.remaining -= 1
        continue
      }
      coverageRecorder?.record(.branch(state: state.name, branch: index))
      let child = Fiber(
        graph: branch, owner: .branch(join, index: index),
        scope: VariableScope(parent: fiber.scope), input: branchInput,
        cursor: fiber.cursor)
      if case .resumed(let point) = recorded { resume(child, at: point) }
      // Inside a distributed Map's iteration, the branch belongs to the child execution too.
      child.isSilent = fiber.isSilent
      child.childEvents = fiber.childEvents
      join.children.append(child)
    }
    if join.remaining == 0 {
      join.isFinished = true
      await finishParallel(join)
      return
    }
    openJoins[ObjectIdentifier(join)] = join
    for child in join.children {
      guard !join.isFinished, status == .running else { break }
      await runFiber(child)
    }
  }

  func branchFinished(
    _ join: ParallelJoin, index: Int, fiber: Fiber, result: Result<JSON, FiberFailure>
  ) {
    guard !join.isFinished else { return }
    switch result {
    case .success(let output):
      join.results[index] = output
      join.remaining -= 1
      if join.remaining == 0 {
        join.isFinished = true
        ready.append(.finishParallel(join))
      }
    case .failure(let failure):
      join.isFinished = true
      for child in join.children where child !== fiber { abort(child) }
      close(join)
      let parent = join.fiber
      parent.cursor = fiber.cursor
      // (An empty name or cause stands for "none", as a Fail state without Error/Cause gives.)
      let error = StatesError(failure.error ?? "", cause: failure.cause ?? "")
      ready.append(.resumeWithError(parent, error, failedEvent: "ParallelStateFailed"))
    }
  }

  nonisolated(nonsending) func finishParallel(_ join: ParallelJoin) async {
    let parent = join.fiber
    close(join)
    parent.cursor = latestEventId(for: parent)
    emit(parent, "ParallelStateSucceeded", advances: false, .none)
    let results = JSON.array(join.results.map { $0 ?? .null })
    await completeState(
      parent, effectiveInput: join.effectiveInput ?? parent.input, result: results)
  }

  // MARK: Map

  nonisolated(nonsending) func startMap(_ fiber: Fiber, _ state: StatePlan, _ plan: MapPlan)
    async throws(StatesError)
  {
    let effective = try select(state.inputPath, from: fiber.input, fiber: fiber)
    var items: [JSON] = []
    // With an ItemReader the items come from its resource, once the Map Run has started
    // (AWS ignores ItemsPath then: corpus `test_map_item_reader_base_json_with_items_path`).
    if plan.reader == nil {
      items = try mapInputItems(fiber, state, plan, effective: effective)
    }
    let maxConcurrency =
      try mapInteger(
        plan.maxConcurrency, field: "MaxConcurrencyPath", input: effective, fiber: fiber) ?? 0
    // AWS records length 0 for a Map whose items an ItemReader reads.
    emit(fiber, "MapStateStarted", .mapStateStarted(length: items.count))
    let settings = try itemSourceSettings(fiber, plan, effective: effective)
    var toleratedCount: Int?
    var toleratedPercentage: Double?
    var tracker: MapRunTracker?
    var redriven: RedrivenMapRun?
    if plan.isDistributed, case .mapRun(let run) = fiber.resumedChildren { redriven = run }
    if plan.isDistributed {
      let count = try mapInteger(
        plan.toleratedFailureCount, field: "ToleratedFailureCountPath", input: effective,
        fiber: fiber)
      if let count, count < 0 {
        throw stateError(fiber, "ToleratedFailureCount cannot be negative.")
      }
      let percentage = try mapPercentage(
        plan.toleratedFailurePercentage, input: effective, fiber: fiber)
      if let percentage, percentage < 0 || percentage > 100 {
        throw stateError(fiber, "ToleratedFailurePercentage must be between 0 and 100.")
      }
      toleratedCount = count
      toleratedPercentage = percentage
      let arn: String
      let runId: String
      // (After a redrive, `MapRunRedriven` stands where `MapRunStarted` was.)
      let startedEventId: Int
      let stateMachineArn: String
      if let redriven {
        // A redrive continues the Map Run that did not succeed: same ARN, `MapRunRedriven`.
        guard redriven.redriveCount <= Self.maximumMapRunRedrives else {
          throw StatesError(
            StatesError.Names.runtime,
            cause:
              "The Map Run \(redriven.mapRunArn) has been redriven \(Self.maximumMapRunRedrives) times, the most allowed."
          )
        }
        arn = redriven.mapRunArn
        runId = arn.split(separator: ":").last.map(String.init) ?? arn
        let machine = arn.replacingOccurrences(of: ":mapRun:", with: ":stateMachine:")
        stateMachineArn = String(machine.dropLast(runId.count + 1))
        startedEventId = emit(
          fiber, "MapRunRedriven",
          .fields(
            key: "mapRunRedrivenEventDetails",
            [
              "mapRunArn": .string(arn),
              "redriveCount": .number(JSONNumber(redriven.redriveCount)),
            ]))
      } else {
        let label = "\(options.stateMachineName)/\(plan.label ?? random.nextUUIDString())"
        runId = random.nextUUIDString()
        arn = "arn:aws:states:\(options.region):\(options.account):mapRun:\(label):\(runId)"
        stateMachineArn =
          "arn:aws:states:\(options.region):\(options.account):stateMachine:\(label)"
        startedEventId = emit(
          fiber, "MapRunStarted",
          .fields(key: "mapRunStartedEventDetails", ["mapRunArn": .string(arn)]))
      }
      tracker = startMapRun(
        fiber, state, plan, arn: arn, id: runId, stateMachineArn: stateMachineArn,
        itemCount: items.count, maxConcurrency: maxConcurrency, toleratedCount: count,
        toleratedPercentage: percentage, redriven: redriven)
      tracker?.parent = fiber
      tracker?.startedEventId = startedEventId
    }
    if plan.reader != nil || plan.batcher != nil {
      switch await mapRunInputs(
        fiber, state, plan, settings: settings, inputItems: items, effective: effective)
      {
      case .success(let inputs):
        items = inputs
        let batchSizes =
          plan.batcher == nil ? nil : inputs.map { $0["Items"]?.arrayValue?.count ?? 0 }
        if let tracker {
          mapRunCounted(
            tracker, items: batchSizes?.reduce(0, +) ?? inputs.count, executions: inputs.count,
            batchSizes: batchSizes)
        }
      case .failure(let error):
        // The Map Run fails, and the Map state with it (catchers see the error).
        if plan.isDistributed {
          tracker?.end(.failed, at: now)
          emit(
            fiber, "MapRunFailed",
            .failure(key: "mapRunFailedEventDetails", error: error.name, cause: error.cause))
        }
        ready.append(.resumeWithError(fiber, error, failedEvent: "MapStateFailed"))
        return
      }
    }
    // The tolerance counts items: with an ItemBatcher, a failed child execution fails every
    // item of its batch (AWS: "the maximum number of failed items before the Map Run fails").
    let itemTotal = tracker?.run.itemCounts.total ?? items.count
    var tolerated = toleratedCount ?? 0
    if let percentage = toleratedPercentage {
      // `percentage × count / 100`, multiplied first: 29% of 100 is 29, not 28.999….
      tolerated = max(tolerated, Int((percentage * Double(itemTotal) / 100).rounded(.down)))
    }
    let join = MapJoin(
      fiber: fiber, state: state, plan: plan, items: items, effectiveInput: effective,
      maxConcurrency: maxConcurrency,
      cursor: fiber.cursor)
    join.isDistributed = plan.isDistributed
    join.toleratedFailures = tolerated
    join.mapRun = tracker
    // Batches were built from the selected items: each is an iteration's input as it is.
    join.inputsArePrepared = plan.batcher != nil
    // A redrive runs again only the iterations that did not succeed.
    if case .iterations(let recorded) = fiber.resumedChildren {
      for (index, outcome) in recorded where index >= 0 && index < items.count {
        if case .succeeded(let output) = outcome {
          join.results[index] = output
          join.completed += 1
        } else {
          join.resumed[index] = outcome
        }
      }
    }
    // A redriven Map Run runs again only the child executions that did not succeed.
    if let redriven, let tracker {
      for index in items.indices {
        guard let child = redriven.children[index], child.status == .succeeded else {
          // A STANDARD child is redriven at its own state that did not succeed.
          if let point = redriven.resumed[index] { join.resumed[index] = .resumed(point) }
          continue
        }
        join.results[index] = child.output ?? .null
        join.completed += 1
        tracker.kept(child)
      }
    }
    fiber.resumedChildren = nil
    if let tracker { mapRunSkipped(tracker, count: join.completed) }
    if items.isEmpty || join.completed == items.count {
      await finishMap(join)
      return
    }
    openJoins[ObjectIdentifier(join)] = join
    await launchIterations(join)
  }

  /// Item `index` through the Map state's `ItemSelector` (JSONata or JSONPath), evaluated in the
  /// Map state's context with `$$.Map.Item`; `nil` when the state has no selector.
  func selectItem(_ plan: MapPlan, index: Int, item: JSON, fiber: Fiber, effective: JSON)
    throws(StatesError) -> JSON?
  {
    guard plan.jsonataItemSelector != nil || plan.itemSelector != nil else { return nil }
    fiber.mapItem = (index, item)
    defer { fiber.mapItem = nil }
    if let selector = plan.jsonataItemSelector {
      return try evaluateJSONata(selector, fiber: fiber, input: effective)
    }
    if let selector = plan.itemSelector {
      return try evaluatePayload(selector, current: effective, fiber: fiber)
    }
    return nil
  }

  /// The items of a Map state without an ItemReader: `Items` (JSONata), `ItemsPath`, or the
  /// effective input, which must be an array.
  func mapInputItems(_ fiber: Fiber, _ state: StatePlan, _ plan: MapPlan, effective: JSON)
    throws(StatesError) -> [JSON]
  {
    let itemsValue: JSON
    if let itemsPlan = plan.items {
      itemsValue = try evaluateJSONata(itemsPlan, fiber: fiber, input: effective)
      guard case .array = itemsValue else {
        if case .constant = itemsPlan.template {
          throw queryEvaluationError(
            fiber, "Map state input must be an array but was: \(itemsValue.serialized())",
            location: nil)
        }
        throw unexpectedType(itemsPlan, itemsValue, expected: "array", fiber: fiber)
      }
    } else if let source = plan.itemsPath {
      do {
        itemsValue = try read(source, current: effective, fiber: fiber)
      } catch {
        throw stateError(fiber, error.invalidPathCause)
      }
    } else {
      itemsValue = effective
    }
    guard case .array(let items) = itemsValue else {
      if state.jsonata != nil {
        throw queryEvaluationError(
          fiber, "Map state input must be an array but was: \(itemsValue.serialized())",
          location: nil)
      }
      throw stateError(
        fiber, "Map state input must be an array but was: \(itemsValue.serialized())")
    }
    return items
  }

  func mapInteger(_ value: DynamicPlan<Int>?, field: String, input: JSON, fiber: Fiber)
    throws(StatesError) -> Int?
  {
    try resolve(
      value, input: input, fiber: fiber,
      expression: { (plan) throws(StatesError) in
        try jsonataInteger(plan, input: input, fiber: fiber)
      },
      convert: { (read, source) throws(StatesError) in
        if case .number(let number) = read, number.isInteger, let integer = number.intValue {
          return integer
        }
        if case .string(let text) = read, let integer = Int(text) { return integer }
        throw stateError(
          fiber,
          "The \(field) field refers to value \"\(read.stringValue ?? read.serialized())\" which is not a valid integer: \(source.text)"
        )
      })
  }

  func mapPercentage(_ value: DynamicPlan<Double>?, input: JSON, fiber: Fiber) throws(StatesError)
    -> Double?
  {
    try resolve(
      value, input: input, fiber: fiber,
      expression: { (plan) throws(StatesError) in
        try jsonataNumber(plan, input: input, fiber: fiber)
      },
      convert: { (read, source) throws(StatesError) in
        if case .number(let number) = read { return number.doubleValue }
        if case .string(let text) = read, let number = Double(text) { return number }
        throw stateError(
          fiber,
          "The ToleratedFailurePercentagePath field refers to value \"\(read.stringValue ?? read.serialized())\" which is not a valid float: \(source.text)"
        )
      })
  }

  /// Starts iterations while the concurrency limit allows, each run until it blocks.
  nonisolated(nonsending) func launchIterations(_ join: MapJoin) async {
    guard !join.isLaunching else { return }
    join.isLaunching = true
    defer { join.isLaunching = false }
    while !join.isFinished, status == .running, join.nextIndex < join.items.count,
      join.maxConcurrency == 0 || join.running < join.maxConcurrency
    {
      let index = join.nextIndex
      join.nextIndex += 1
      // In a redrive, an iteration that succeeded in the recording keeps its recorded output.
      if join.results[index] != nil { continue }
      join.running += 1
      coverageRecorder?.record(.branch(state: join.state.name, branch: 0))
      let parent = join.fiber
      let child = Fiber(
        graph: join.plan.processor, owner: .iteration(join, index: index),
        scope: VariableScope(parent: parent.scope),
        input: .null, cursor: join.cursor)
      child.isSilent = join.isDistributed || parent.isSilent
      // Each iteration of a distributed Map is a child execution with its own event count.
      child.childEvents = join.isDistributed ? EventCounter() : parent.childEvents
      join.children[index] = child
      emit(
        child, "MapIterationStarted",
        .mapIteration(key: "mapIterationStartedEventDetails", name: join.state.name, index: index))
      if case .resumed(let point) = join.resumed.removeValue(forKey: index) {
        // The iteration continues where it stopped, with the input recorded there.
        resume(child, at: point)
      } else if join.inputsArePrepared {
        child.input = join.items[index]
      } else {
        // ItemSelector is the Map state's field, evaluated in its context (`$$.Map.Item` only
        // here); without one the child gets the item.
        switch Result(catching: { () throws(StatesError) in
          try selectItem(
            join.plan, index: index, item: join.items[index], fiber: parent,
            effective: join.effectiveInput)
        }) {
        case .success(let input):
          child.input = input ?? join.items[index]
        case .failure(let error):
          // The child execution starts with the item and fails at once.
          startChildExecution(join, index: index, fiber: child, input: join.items[index])
          iterationFinished(
            join, index: index, fiber: child,
            result: .failure(FiberFailure(error: error.name, cause: error.cause)))
          continue
        }
      }
      startChildExecution(join, index: index, fiber: child, input: child.input)
      if join.plan.runsExpressChildren { expressChildStarted(join, index: index) }
      await runFiber(child)
    }
  }

  func iterationFinished(
    _ join: MapJoin, index: Int, fiber: Fiber, result: Result<JSON, FiberFailure>,
    timedOut: Bool = false
  ) {
    guard !join.isFinished else { return }
    join.children[index] = nil
    join.running -= 1
    join.expressDeadlines[index] = nil
    if let tracker = join.mapRun {
      switch result {
      case .success(let output):
        tracker.finished(
          index, status: .succeeded, output: output, error: nil, cause: nil, at: now,
          history: endChildExecution(fiber, result: result, timedOut: timedOut))
      case .failure(let failure):
        tracker.finished(
          index, status: timedOut ? .timedOut : .failed, output: nil, error: failure.error,
          cause: failure.cause, at: now,
          history: endChildExecution(fiber, result: result, timedOut: timedOut))
      }
    }
    switch result {
    case .success(let output):
      join.results[index] = output
      join.completed += 1
      emit(
        fiber, "MapIterationSucceeded", advances: false,
        .mapIteration(key: "mapIterationSucceededEventDetails", name: join.state.name, index: index)
      )
      join.cursor = fiber.cursor
      if join.completed == join.items.count {
        join.isFinished = true
        ready.append(.finishMap(join))
      } else if !join.isLaunching {
        ready.append(.launchMap(join))
      }
    case .failure(let failure):
      if join.isDistributed {
        join.failures += join.mapRun?.items(index) ?? 1
        if join.failures <= join.toleratedFailures {
          join.results[index] = [
            "Error": failure.error.map(JSON.string) ?? .null,
            "Cause": failure.cause.map(JSON.string) ?? .null,
          ]
          join.completed += 1
          if join.completed == join.items.count {
            join.isFinished = true
            ready.append(.finishMap(join))
          } else if !join.isLaunching {
            ready.append(.launchMap(join))
          }
          return
        }
        join.isFinished = true
        for (_, child) in join.children { abort(child) }
        close(join)
        let parent = join.fiber
        join.mapRun?.end(.failed, at: now)
        emit(parent, "MapRunFailed", .none)
        let error = StatesError(
          StatesError.Names.exceedToleratedFailureThreshold,
          cause: "The specified tolerance threshold was exceeded")
        ready.append(.resumeWithError(parent, error, failedEvent: "MapStateFailed"))
        return
      }
      join.isFinished = true
      emit(
        fiber, "MapIterationFailed", advances: false,
        .mapIteration(key: "mapIterationFailedEventDetails", name: join.state.name, index: index))
      for (_, child) in join.children { abort(child) }
      close(join)
      let parent = join.fiber
      parent.cursor = fiber.cursor
      // (An empty name or cause stands for "none", as a Fail state without Error/Cause gives.)
      let error = StatesError(failure.error ?? "", cause: failure.cause ?? "")
      ready.append(.resumeWithError(parent, error, failedEvent: "MapStateFailed"))
    }
  }

  nonisolated(nonsending) func finishMap(_ join: MapJoin) async {
    let parent = join.fiber
    close(join)
    var results: JSON?
    if join.isDistributed {
      if let writer = join.plan.resultWriter, let tracker = join.mapRun {
        do {
          results = try await writeResults(join, writer, tracker)
        } catch {
          // AWS fails the Map Run when its results cannot be written.
          tracker.end(.failed, at: now)
          emit(
            parent, "MapRunFailed",
            .failure(key: "mapRunFailedEventDetails", error: error.name, cause: error.cause))
          ready.append(.resumeWithError(parent, error, failedEvent: "MapStateFailed"))
          return
        }
      }
      join.mapRun?.end(.succeeded, at: now)
      emit(parent, "MapRunSucceeded", .none)
      emit(parent, "MapStateSucceeded", advances: false, .none)
      // Since November 2024, AWS's MapStateExited points at MapRunStarted; before, at
      // MapRunSucceeded (see ExecutionOptions.behaviorDate).
      if Self.mapStateExitedFollowsMapRunStarted(at: options.behaviorDate),
        let started = join.mapRun?.startedEventId, started > 0
      {
        parent.cursor = started
      }
    } else {
      parent.cursor = latestEventId(for: parent)
      emit(parent, "MapStateSucceeded", advances: false, .none)
    }
    await completeState(
      parent, effectiveInput: join.effectiveInput,
      result: results ?? JSON.array(join.results.map { $0 ?? .null }))
  }

  /// Forgets a join's children: they point back at the join, so the cycle must be broken once
  /// the join is done (or the execution ends) for the memory to be freed.
  func close(_ join: some FiberJoin) {
    join.releaseChildren()
    openJoins[ObjectIdentifier(join)] = nil
  }

  /// Cancels a fiber and everything it started.
  func abort(_ fiber: Fiber) {
    fiber.isCancelled = true
    if !openMapRuns.isEmpty { abortMapRuns(under: fiber) }
    if let token = fiber.pendingTask?.token { tokenWaiters[token] = nil }
  }
}
