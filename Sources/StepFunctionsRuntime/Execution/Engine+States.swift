import StepFunctionsJSON
import StepFunctionsLanguage

extension Engine {
  /// Runs a fiber's states one after another until it blocks (Wait, Task, Parallel, Map) or
  /// ends. States that finish at once run synchronously in this loop; only Task, Parallel and
  /// Map states, which may suspend, go through an `await`.
  nonisolated(nonsending) func runFiber(_ fiber: Fiber) async {
    while status == .running, !fiber.isCancelled {
      let state: StatePlan
      switch step(fiber) {
      case .proceed:
        continue
      case .stop:
        return
      case .suspend(let blocked):
        state = blocked
      }
      do throws(StatesError) {
        if let inspection, try await runMocked(fiber, state, inspection) { return }
        switch state.kind {
        case .task(let task): try await startTask(fiber, state, task)
        case .parallel(let branches): try await startParallel(fiber, state, branches)
        case .map(let map): try await startMap(fiber, state, map)
        default: break
        }
        return
      } catch {
        // A Map state whose JSONata fields fail before it starts is recorded as failed.
        let failedEvent =
          state.jsonata != nil && error.name == StatesError.Names.queryEvaluationError
            && state.typeName == "Map" ? "MapStateFailed" : nil
        guard handleError(fiber, error, failedEvent: failedEvent) else { return }
      }
    }
  }

  /// What ``step(_:)`` left to do.
  enum StepOutcome {
    /// The fiber moved to its next state and should keep running.
    case proceed
    /// The fiber blocked or ended.
    case stop
    /// The state (Task, Parallel, Map) was entered; its work may suspend and is started by
    /// ``runFiber(_:)``.
    case suspend(StatePlan)
  }

  /// Enters the fiber's current state and processes it when it needs no `await`.
  ///
  /// The state's input stays in the fiber (and in the history) while the state runs; it is read
  /// in place, not copied, by the state's paths.
  func step(_ fiber: Fiber) -> StepOutcome {
    let state = fiber.state
    transitions += 1
    fiber.enteredTime = now
    fiber.retryCount = 0
    if !state.retriers.isEmpty { fiber.resetRetryCounts(state.retriers.count) }
    if let inspection, inspectEntry(fiber, inspection) { return .stop }
    fiber.enteredPreviousEventId = fiber.cursor
    fiber.enteredEventId = emitEntered(fiber, state)
    // The history-event limit ended the execution, or the child execution this fiber runs in.
    guard status == .running else { return .stop }
    coverageRecorder?.record(.stateEntered(state.name))
    if let error = childHistoryLimitError(fiber) {
      failFiber(fiber, error)
      return .stop
    }
    do throws(StatesError) {
      switch state.kind {
      case .pass(let result):
        if let io = state.jsonata {
          return try completeJSONata(fiber, state, io, result: nil, next: state.next)
            ? .proceed : .stop
        }
        let value: JSON
        var byteBound: Int?
        if case .identity = state.inputPath {
          value = try passResult(
            result, state, effectiveInput: fiber.input, fiber: fiber, byteBound: &byteBound)
        } else {
          let effective = try select(state.inputPath, from: fiber.input, fiber: fiber)
          value = try passResult(
            result, state, effectiveInput: effective, fiber: fiber, byteBound: &byteBound)
        }
        return try complete(fiber, state, result: value, resultByteBound: byteBound)
          ? .proceed : .stop
      case .choice(let choice):
        if state.jsonata != nil { return try stepJSONataChoice(fiber, state, choice) }
        let effective = try select(state.inputPath, from: fiber.input, fiber: fiber)
        var target: Int?
        var branchAssign: PayloadTemplate?
        for (rule, branch) in choice.branches.enumerated() {
          guard try matches(branch.rule, input: effective, fiber: fiber) else { continue }
          target = branch.next
          branchAssign = branch.assign
          coverageRecorder?.record(.choiceRule(state: state.name, rule: rule))
          break
        }
        if target == nil {
          target = choice.defaultIndex
          branchAssign = state.assign
          if target != nil { coverageRecorder?.record(.choiceDefault(state: state.name)) }
        }
        guard let next = target else {
          throw StatesError(
            StatesError.Names.noChoiceMatched,
            cause: "No Matches!")
        }
        let assigned =
          branchAssign == nil ? nil : try assign(branchAssign, current: effective, fiber: fiber)
        if state.selectsWholeInput {
          // With `$` for InputPath and OutputPath the output is the input, size and all.
          if let assigned {
            try checkNesting(output: .null, assigned: assigned, fiber: fiber)
          }
          commit(assigned, to: fiber)
          if let id = emitExited(fiber, state, output: fiber.input, assigned: assigned) {
            fiber.inputWasRecorded(as: id)
          }
        } else {
          let output = try select(state.outputPath, from: effective, fiber: fiber)
          try checkNesting(output: output, assigned: assigned, fiber: fiber)
          commit(assigned, to: fiber)
          let id = emitExited(fiber, state, output: output, assigned: assigned)
          fiber.setInput(output, byteBound: nil)
          if let id { fiber.inputWasRecorded(as: id) }
        }
        fiber.stateIndex = next
        return .proceed
      case .wait(let wait):
        let effective = try select(state.inputPath, from: fiber.input, fiber: fiber)
        let deadline = try waitDeadline(wait, input: effective, fiber: fiber)
        fiber.pendingWaitInput = effective
        timers.schedule(.waitElapsed(fiber), at: max(deadline, now))
        return .stop
      case .succeed:
        if let io = state.jsonata {
          var output = fiber.input
          if let plan = io.output {
            output = try evaluateJSONata(plan, fiber: fiber, input: fiber.input)
            try checkNesting(output: output, fiber: fiber)
            try checkPayloadSize(output, fiber: fiber)
          }
          emitExited(fiber, state, output: output, assigned: nil)
          fiberSucceeded(fiber, output: output)
          return .stop
        }
        let effective = try select(state.inputPath, from: fiber.input, fiber: fiber)
        let output = try select(state.outputPath, from: effective, fiber: fiber)
        emitExited(fiber, state, output: output, assigned: nil)
        fiberSucceeded(fiber, output: output)
        return .stop
      case .fail(let errorField, let causeField):
        let input = fiber.input
        let error = try failValue(errorField, field: "ErrorPath", input: input, fiber: fiber)
        let cause = try failValue(causeField, field: "CausePath", input: input, fiber: fiber)
        failFiber(fiber, error: error, cause: cause)
        return .stop
      case .task, .parallel, .map:
        return .suspend(state)
      }
    } catch {
      return handleError(fiber, error) ? .proceed : .stop
    }
  }

  /// A Pass state's result: its Result, else its Parameters (whose size bound goes to
  /// `byteBound`), else its effective input.
  @inline(__always)
  func passResult(
    _ result: JSON?, _ state: StatePlan, effectiveInput: JSON, fiber: Fiber,
    byteBound: inout Int?
  ) throws(StatesError) -> JSON {
    if let result { return result }
    if let parameters = state.parameters {
      let value = try evaluatePayload(
        parameters, current: effectiveInput, fiber: fiber, byteBound: &byteBound)
      inspection?.parameters = value
      return value
    }
    return effectiveInput
  }

  /// Finishes a state that produced `result`: ResultSelector, Assign, ResultPath, OutputPath,
  /// the `...StateExited` event, then the transition. Returns true when the fiber goes on.
  /// `resultByteBound` is a bound already known on the size of `result`.
  func complete(
    _ fiber: Fiber, _ state: StatePlan, result: consuming JSON, resultByteBound: Int? = nil
  ) throws(StatesError) -> Bool {
    if let io = state.jsonata {
      return try completeJSONata(fiber, state, io, result: result, next: state.next)
    }
    var resultByteBound = resultByteBound
    inspection?.result = copy result
    if let selector = state.resultSelector {
      result = try evaluatePayload(
        selector, current: result, fiber: fiber, byteBound: &resultByteBound)
    }
    inspection?.afterResultSelector = copy result
    let assigned =
      state.assign == nil ? nil : try assign(state.assign, current: result, fiber: fiber)
    var output: JSON
    if let key = state.resultPathMember {
      // `$.key`, the commonest ResultPath.
      output = fiber.input
      if !JSONPath.placeMember(result, into: &output, key: key) {
        output = try place(result, into: fiber.input, using: state.resultPath, fiber: fiber)
      }
    } else {
      switch state.resultPath {
      case .replace:
        output = result
      case .discard:
        output = fiber.input
      case .path(let path):
        output = fiber.input
        if let names = state.resultPathNames {
          if !JSONPath.place(result, into: &output, names: names[...]) {
            output = try place(result, into: fiber.input, using: state.resultPath, fiber: fiber)
          }
        } else {
          do {
            try path.assign(result, into: &output)
          } catch {
            throw stateError(fiber, error.cause, name: error.statesError.name)
          }
        }
      }
    }
    inspection?.afterResultPath = output
    switch state.outputPath {
    case .identity: break
    case .empty: output = .object(JSONObject())
    case .path: output = try select(state.outputPath, from: output, fiber: fiber)
    }
    // Before anything measures the output: a value nested too deep is refused first.
    try checkNesting(output: output, assigned: assigned, fiber: fiber)
    commit(assigned, to: fiber)
    var outputByteBound: Int?
    if let limit = options.maximumPayloadBytes {
      // A bound within the limit proves the output is; otherwise the output is measured. An
      // output that is the result unchanged was measured with it.
      var bound: Int
      if let resultByteBound, state.resultPathMember == nil, case .replace = state.resultPath,
        case .identity = state.outputPath
      {
        bound = resultByteBound
      } else {
        bound = payloadByteBound(output, by: state, fiber: fiber, limit: limit)
      }
      if bound > limit {
        bound = output.serializedByteCount(limit: limit)
        if bound > limit { throw payloadLimitError(state) }
      }
      outputByteBound = bound
    }
    let id = emitExited(fiber, state, output: output, assigned: assigned)
    return transition(
      fiber, output: output, next: state.next, byteBound: outputByteBound, recordedAs: id)
  }

  /// A bound on the serialized length of a state's `output`: the input's bound when the
  /// output is the input unchanged (a pass-through Pass state, or a `null` ResultPath with `$`
  /// for OutputPath), whose bound may be exact from an earlier measurement; otherwise the
  /// output's own bound, which costs O(1) for an object (objects keep theirs up to date).
  func payloadByteBound(_ output: JSON, by state: StatePlan, fiber: Fiber, limit: Int) -> Int {
    if case .identity = state.outputPath, let inputBound = fiber.inputByteBound {
      if state.passesInputThrough { return inputBound }
      if case .discard = state.resultPath { return inputBound }
    }
    return output.serializedByteBound(limit: limit)
  }

  /// Moves the fiber on, or ends it when the state was its last.
  /// `recordedAs` is the id of the state event just recorded with `output` as its payload.
  func transition(
    _ fiber: Fiber, output: JSON, next: Int?, byteBound: Int? = nil, recordedAs: Int? = nil
  ) -> Bool {
    fiber.setInput(output, byteBound: byteBound)
    if let recordedAs { fiber.inputWasRecorded(as: recordedAs) }
    guard let next else {
      fiberSucceeded(fiber, output: output)
      return false
    }
    fiber.stateIndex = next
    return true
  }

  /// Completes a state whose work finished later (Wait, Task, Parallel, Map), then keeps the
  /// fiber running.
  nonisolated(nonsending) func completeState(_ fiber: Fiber, effectiveInput: JSON, result: JSON?)
    async
  {
    let state = fiber.state
    let proceed: Bool
    do throws(StatesError) {
      if case .wait = state.kind, let io = state.jsonata {
        fiber.pendingWaitInput = nil
        proceed = try completeJSONata(fiber, state, io, result: nil, next: state.next)
      } else if case .wait = state.kind {
        fiber.pendingWaitInput = nil
        let assigned = try assign(state.assign, current: effectiveInput, fiber: fiber)
        let output = try select(state.outputPath, from: effectiveInput, fiber: fiber)
        try checkNesting(output: output, assigned: assigned, fiber: fiber)
        commit(assigned, to: fiber)
        emitExited(fiber, state, output: output, assigned: assigned)
        proceed = transition(fiber, output: output, next: state.next)
      } else {
        proceed = try complete(fiber, state, result: result ?? .null)
      }
    } catch {
      proceed = handleError(fiber, error)
    }
    if proceed { await runFiber(fiber) }
  }

  // MARK: Errors, retries, catchers

  /// Applies the state's retriers and catchers to `error`. Returns true when a catcher sent the
  /// fiber on to its next state.
  /// A `missedHeartbeat` timeout (named `States.Timeout`) also matches `States.HeartbeatTimeout`.
  /// `States.Runtime` from the engine fails the fiber whatever the retriers and catchers say.
  /// `States.ALL` does not match `States.DataLimitExceeded`, unless the error is a task's
  /// failure (`reportedByTask`: AWS's `States.ALL` catches the `States.DataLimitExceeded` of an
  /// oversized task result).
  func handleError(
    _ fiber: Fiber, _ error: StatesError, failedEvent: String? = nil, missedHeartbeat: Bool = false,
    reportedByTask: Bool = false
  ) -> Bool {
    // A redriven Parallel or Map state that fails before starting (or is retried) runs all.
    fiber.resumedChildren = nil
    if let limitError = childHistoryLimitError(fiber) {
      failFiber(fiber, limitError)
      return false
    }
    let state = fiber.state
    // `States.Runtime` from the engine itself (a path that selects nothing, a missing handler,
    // the history limit) ends the execution: AWS neither retries nor catches it, not even with
    // a retrier or catcher naming it (corpus: `test_catch_states_runtime`).
    if error.name == StatesError.Names.runtime && !reportedByTask {
      if let failedEvent { emit(fiber, failedEvent, .none) }
      failFiber(fiber, error)
      return false
    }
    // Past the check above, a `States.Runtime` error is a task's own, so `States.ALL` matches it.
    let retriable = reportedByTask || error.name != StatesError.Names.dataLimitExceeded
    for (index, retrier) in state.retriers.enumerated()
    where Engine.matches(retrier.errorEquals, error.name, missedHeartbeat: missedHeartbeat) {
      guard retriable || !retrier.errorEquals.contains(StatesError.Names.all) else { continue }
      let attempts = fiber.retryCounts[index]
      if attempts < retrier.maxAttempts {
        fiber.retryCounts[index] += 1
        fiber.retryCount += 1
        coverageRecorder?.record(.retrier(state: state.name, retrier: index))
        let delay = Engine.retryDelay(retrier, attempts: attempts, random: &random)
        if inspection != nil, inspectRetry(fiber, index: index, delay: delay, error: error) {
          return false
        }
        timers.schedule(.retry(fiber), at: now.advanced(bySeconds: delay))
        return false
      }
      break
    }
    if let failedEvent { emit(fiber, failedEvent, .none) }
    for (catchIndex, catcher) in state.catchers.enumerated()
    where Engine.matches(catcher.errorEquals, error.name, missedHeartbeat: missedHeartbeat) {
      guard retriable || !catcher.errorEquals.contains(StatesError.Names.all) else { continue }
      inspection?.caught = (catchIndex, error)
      coverageRecorder?.record(.catcher(state: state.name, catcher: catchIndex))
      let errorOutput: JSON = ["Error": .string(error.name), "Cause": .string(error.cause)]
      if let io = catcher.jsonata {
        do {
          let input = fiber.input
          let assigned = try jsonataAssign(
            io.assign, fiber: fiber, input: input, errorOutput: errorOutput)
          var output = errorOutput
          if let plan = io.output {
            output = try evaluateJSONata(plan, fiber: fiber, input: input, errorOutput: errorOutput)
          }
          try checkNesting(output: output, assigned: assigned, fiber: fiber)
          try checkPayloadSize(output, fiber: fiber)
          commit(assigned, to: fiber)
          emitExited(fiber, state, output: output, assigned: assigned)
          fiber.input = output
          fiber.stateIndex = catcher.next
          return true
        } catch {
          failFiber(fiber, error)
          return false
        }
      }
      do {
        let assigned = try assign(catcher.assign, current: errorOutput, fiber: fiber)
        let output = try place(
          errorOutput, into: fiber.input, using: catcher.resultPath, fiber: fiber)
        try checkNesting(output: output, assigned: assigned, fiber: fiber)
        commit(assigned, to: fiber)
        emitExited(fiber, state, output: output, assigned: assigned)
        fiber.input = output
        fiber.stateIndex = catcher.next
        return true
      } catch {
        failFiber(fiber, error)
        return false
      }
    }
    failFiber(fiber, error)
    return false
  }

  /// The seconds to wait before retry number `attempts + 1` of `retrier`:
  /// `IntervalSeconds × BackoffRate^attempts`, capped by `MaxDelaySeconds`, drawn uniformly
  /// from zero to that with `JitterStrategy: FULL`. A huge rate gives an infinite delay rather
  /// than a trap; the deadline it gives saturates at ``Instant/latest``.
  static func retryDelay(_ retrier: Retrier, attempts: Int, random: inout SeededRandom) -> Double {
    var delay = Double(retrier.intervalSeconds) * pow(retrier.backoffRate, Double(attempts))
    if let cap = retrier.maxDelaySeconds { delay = min(delay, Double(cap)) }
    if retrier.jitterStrategy == .full {
      // Whole milliseconds from 0 to the delay; the bound is kept inside `UInt64`.
      let milliseconds = max(1, delay * 1000)
      let bound: UInt64 = milliseconds < 1.8e19 ? UInt64(milliseconds) : 18_000_000_000_000_000_000
      delay = Double(random.next(upperBound: bound + 1)) / 1000
    }
    return delay
  }

  /// For a fiber of a distributed Map's iteration (a child execution on AWS, with a history of
  /// its own): the `States.Runtime` error that fails it once its events reach
  /// `maximumHistoryEvents`, so that a loop or a retry storm inside it ends. `nil` otherwise
  /// (the execution's own events are limited by ``reserveEventId()``).
  func childHistoryLimitError(_ fiber: Fiber) -> StatesError? {
    guard let events = fiber.childEvents, let limit = options.maximumHistoryEvents,
      events.count >= limit - 1
    else { return nil }
    return StatesError(StatesError.Names.runtime, cause: Engine.historyLimitCause(limit))
  }

  static func matches(_ errorEquals: [String], _ name: String, missedHeartbeat: Bool = false)
    -> Bool
  {
    for candidate in errorEquals {
      if candidate == name { return true }
      if missedHeartbeat && candidate == StatesError.Names.heartbeatTimeout { return true }
      if candidate == StatesError.Names.all { return true }
      // `States.TaskFailed` matches every error a task reports that is not a `States.` error
      // (recorded on AWS: it catches `S3.NoSuchBucketException` and a Lambda's `Exception`).
      if candidate == StatesError.Names.taskFailed, !name.hasPrefix("States.") { return true }
    }
    return false
  }

  /// Runs the fiber's current state again after a retrier's backoff.
  nonisolated(nonsending) func retryState(_ fiber: Fiber) async {
    let state = fiber.state
    do throws(StatesError) {
      switch state.kind {
      case .task(let task): try await startTask(fiber, state, task, isRetry: true)
      case .parallel(let branches): try await startParallel(fiber, state, branches)
      case .map(let map): try await startMap(fiber, state, map)
      default: break
      }
    } catch {
      if handleError(fiber, error) { await runFiber(fiber) }
    }
  }

  // MARK: Fiber ends

  func fiberSucceeded(_ fiber: Fiber, output: JSON) {
    switch fiber.owner {
    case .root:
      finish(.succeeded, output: output, fiber: fiber)
    case .branch(let join, let index):
      branchFinished(join, index: index, fiber: fiber, result: .success(output))
    case .iteration(let join, let index):
      iterationFinished(join, index: index, fiber: fiber, result: .success(output))
    }
  }

  func failFiber(_ fiber: Fiber, error: String?, cause: String?) {
    switch fiber.owner {
    case .root:
      finish(.failed, error: error, cause: cause, fiber: fiber)
    case .branch(let join, let index):
      branchFinished(
        join, index: index, fiber: fiber, result: .failure(FiberFailure(error: error, cause: cause))
      )
    case .iteration(let join, let index):
      iterationFinished(
        join, index: index, fiber: fiber, result: .failure(FiberFailure(error: error, cause: cause))
      )
    }
  }

  func failFiber(_ fiber: Fiber, _ error: StatesError) {
    failFiber(
      fiber, error: error.name.isEmpty ? nil : error.name,
      cause: error.cause.isEmpty ? nil : error.cause)
  }

  // MARK: Wait and Fail helpers

  func waitDeadline(_ wait: WaitPlan, input: JSON, fiber: Fiber) throws(StatesError) -> Instant {
    switch wait {
    case .seconds(let seconds):
      return now.advanced(bySeconds: Double(seconds))
    case .timestamp(let instant):
      return instant
    case .secondsPath(let source):
      let value: JSON
      do {
        value = try read(source, current: input, fiber: fiber)
      } catch {
        throw stateError(
          fiber, "The SecondsPath parameter does not reference an input value: \(source.text)")
      }
      guard case .number(let number) = value, number.isInteger, let seconds = number.int64Value
      else {
        throw stateError(
          fiber,
          "The SecondsPath parameter cannot be parsed as a long value: \(source.text) == \(value.serialized())"
        )
      }
      guard seconds >= 0 else {
        throw stateError(
          fiber,
          "The SecondsPath parameter references a negative value: \(source.text) == \(seconds)")
      }
      guard seconds <= Engine.maximumSeconds else {
        throw stateError(
          fiber,
          "The SecondsPath parameter references a value greater than the maximum allowed value \(Engine.maximumSeconds): \(source.text) == \(seconds)"
        )
      }
      return now.advanced(bySeconds: Double(seconds))
    case .secondsExpression(let plan):
      let value = try evaluateJSONata(plan, fiber: fiber, input: input)
      guard case .number(let number) = value, number.doubleValue.isFinite else {
        throw unexpectedType(plan, value, expected: "number", fiber: fiber)
      }
      let seconds = number.doubleValue.rounded(.down)
      guard seconds >= 0, seconds <= Double(Engine.maximumSeconds) else {
        let (text, field) = Engine.describe(plan)
        throw queryEvaluationError(
          fiber,
          "The JSONata expression '\(text)' specified for the field '\(field)' returned \(value.serialized()), which is not an integer from 0 to \(Engine.maximumSeconds).",
          location: field)
      }
      return now.advanced(bySeconds: seconds)
    case .timestampExpression(let plan):
      let value = try evaluateJSONata(plan, fiber: fiber, input: input)
      guard case .string(let text) = value else {
        throw unexpectedType(plan, value, expected: "string", fiber: fiber)
      }
      guard let instant = Instant(rfc3339: text) else {
        throw queryEvaluationError(
          fiber,
          "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: \(text)",
          location: Engine.describe(plan).field, afterEvaluation: true)
      }
      return instant
    case .timestampPath(let source):
      let value: JSON
      do {
        value = try read(source, current: input, fiber: fiber)
      } catch {
        throw stateError(
          fiber, "The TimestampPath parameter does not reference an input value: \(source.text)")
      }
      guard case .string(let text) = value, let instant = Instant(rfc3339: text) else {
        let shown = value.stringValue ?? value.serialized()
        throw stateError(
          fiber,
          "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: \(source.text) == \(shown)"
        )
      }
      return instant
    }
  }

  func failValue(_ field: FailField?, field name: String, input: JSON, fiber: Fiber)
    throws(StatesError) -> String?
  {
    guard let field else { return nil }
    switch field {
    case .literal(let text):
      return text
    case .expression(let plan):
      let value = try evaluateJSONata(plan, fiber: fiber, input: input)
      guard case .string(let text) = value else {
        throw unexpectedType(plan, value, expected: "string", fiber: fiber)
      }
      return text
    case .intrinsic(let call):
      let value = try evaluate(call, current: input, fiber: fiber)
      return value.stringValue ?? value.serialized()
    case .path(let source):
      let value: JSON
      do {
        value = try read(source, current: input, fiber: fiber)
      } catch {
        throw stateError(fiber, error.notFoundCause(field: name, input: input))
      }
      return value.stringValue ?? value.serialized()
    }
  }
}

/// How a branch or iteration ended, when it failed.
struct FiberFailure: Error {
  var error: String?
  var cause: String?
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
