import StepFunctionsJSON

/// Where a redriven execution (AWS's `RedriveExecution`) continues: the recorded events, which
/// stay, and the states to run again. Built from a recorded history by `StepFunctionsReplay`
/// (`StateMachine.redrive(_:options:)`), which checks that the execution may be redriven.
package struct RedriveStart: Sendable {
  /// The recorded events, ids 1 to *n* in order; the redrive appends after them.
  package var events: [HistoryEvent]
  /// The execution's input, as `ExecutionStarted` recorded it (`$$.Execution.Input`).
  package var input: JSON
  /// When the execution first started (`$$.Execution.StartTime`).
  package var startTime: Instant
  /// This redrive's number (1 for the first): `ExecutionRedriven`'s `redriveCount` and
  /// `$$.Execution.RedriveCount`.
  package var redriveCount: Int
  /// Where the top level continues; `nil` to start again at `StartAt` with the input (no state
  /// was entered).
  package var root: ResumePoint?

  /// Creates a redrive start.
  package init(
    events: [HistoryEvent], input: JSON, startTime: Instant, redriveCount: Int,
    root: ResumePoint?
  ) {
    self.events = events
    self.input = input
    self.startTime = startTime
    self.redriveCount = redriveCount
    self.root = root
  }
}

/// A state a redriven fiber enters again: the one that did not succeed in the recording.
package struct ResumePoint: Sendable {
  /// The state's name.
  package var stateName: String
  /// The input the state was recorded receiving.
  package var input: JSON
  /// The variables the fiber's own scope held (assigned by earlier states of the same scope).
  package var variables: JSONObject
  /// For a Parallel or Map state: what each branch or iteration did; `nil` to run them all.
  package var children: ResumedChildren?

  /// Creates a resume point.
  package init(
    stateName: String, input: JSON, variables: JSONObject, children: ResumedChildren?
  ) {
    self.stateName = stateName
    self.input = input
    self.variables = variables
    self.children = children
  }
}

/// What the branches of a Parallel state or the iterations of a Map state did in the recording.
package enum ResumedChildren: Sendable {
  /// Per branch, by index.
  case branches([ResumedFiber])
  /// Per iteration index; an index not present runs from the start.
  case iterations([Int: ResumedFiber])
  /// A distributed Map's Map Run, redriven: the same Map Run runs again the child executions
  /// that did not succeed.
  case mapRun(RedrivenMapRun)
}

/// A distributed Map's Map Run that a redrive continues (AWS writes `MapRunRedriven`).
package struct RedrivenMapRun: Sendable {
  /// The Map Run's ARN, kept.
  package var mapRunArn: String
  /// This redrive's number for the Map Run (1 for its first): `MapRunRedriven`'s
  /// `redriveCount`.
  package var redriveCount: Int
  /// When the Map Run first started (`MapRunStarted`).
  package var startDate: Instant
  /// The child executions the Map Run's record lists (`ExecutionResult.mapRuns`), by index:
  /// those that succeeded keep their output and do not run again. Empty when no record was
  /// given: every child execution runs again.
  package var children: [Int: MapRun.ChildExecution]
  /// For the `STANDARD` children that did not succeed and whose history the record keeps, by
  /// index: the state each is redriven at (its own `RedriveExecution`). The others start again.
  package var resumed: [Int: ResumePoint]

  /// Creates a redriven Map Run.
  package init(
    mapRunArn: String, redriveCount: Int, startDate: Instant,
    children: [Int: MapRun.ChildExecution], resumed: [Int: ResumePoint] = [:]
  ) {
    self.mapRunArn = mapRunArn
    self.redriveCount = redriveCount
    self.startDate = startDate
    self.children = children
    self.resumed = resumed
  }
}

/// What one branch or iteration does in a redrive.
package enum ResumedFiber: Sendable {
  /// It succeeded with this output: it does not run again.
  case succeeded(output: JSON)
  /// It did not succeed: it continues at this state.
  case resumed(ResumePoint)
  /// It never ran (or ran no state): it runs from the start.
  case fresh
}

extension StateMachine {
  /// Runs a redrive: the recorded events stay, `ExecutionRedriven` follows, and the execution
  /// continues from `start` with the handlers of `options`. `options.clock` gives the redrive
  /// time; `options.seed` is the recorded execution's seed (its name derives from it unless
  /// `options.executionName` is set).
  nonisolated(nonsending) package func redrive(from start: RedriveStart, options: ExecutionOptions)
    async
    -> ExecutionResult
  {
    let engine = Engine(
      plan: plan, timeoutSeconds: definition.timeoutSeconds, input: start.input, options: options,
      inbox: Inbox(source: .none), redrive: start)
    return await engine.run()
  }
}
