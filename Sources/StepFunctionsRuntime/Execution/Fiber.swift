import StepFunctionsJSON

/// One sequential thread of states: the execution's top level, a Parallel branch, or a Map
/// iteration. The scheduler interleaves fibers deterministically.
final class Fiber {
  enum Owner {
    case root
    case branch(ParallelJoin, index: Int)
    case iteration(MapJoin, index: Int)
  }

  let graph: GraphPlan
  let owner: Owner
  let scope: VariableScope
  /// The current state's index.
  @exclusivity(unchecked) var stateIndex: Int
  /// The current state's raw input. Assigning it forgets ``inputByteBound``; use
  /// ``setInput(_:byteBound:)`` to keep a bound that is known.
  var input: JSON {
    get { storedInput }
    set {
      storedInput = newValue
      inputByteBound = nil
      inputRecordId = 0
    }
  }
  @exclusivity(unchecked) private var storedInput: JSON
  /// A number of bytes the compact serialization of ``input`` is known not to exceed (the
  /// length measured for the payload limit, or that plus what later states may have added), so
  /// that the limit need not be checked by measuring every output.
  @exclusivity(unchecked) private(set) var inputByteBound: Int?
  /// The id of a recorded state event whose payload is ``input`` itself (0 when there is none),
  /// so that the next `...StateEntered` event can refer to it instead of holding the input again.
  @exclusivity(unchecked) private(set) var inputRecordId = 0
  /// The id of this fiber's latest event (the next event's `previousEventId`).
  @exclusivity(unchecked) var cursor: Int
  /// The id of the current state's `...StateEntered` event.
  @exclusivity(unchecked) var enteredEventId = 0
  /// The event before the current state's `...StateEntered` event (its `previousEventId`).
  @exclusivity(unchecked) var enteredPreviousEventId = 0
  /// When the current state was entered.
  @exclusivity(unchecked) var enteredTime = Instant(millisecondsSinceEpoch: 0)
  /// Attempts used per retrier of the current state.
  @exclusivity(unchecked) var retryCounts: [Int] = []
  /// Retries of the current state so far (`$$.State.RetryCount`).
  @exclusivity(unchecked) var retryCount = 0
  /// The item whose `ItemSelector` the fiber's Map state is evaluating, for `$$.Map.Item`
  /// (set only during that evaluation: the iteration's own states do not see `$$.Map`).
  @exclusivity(unchecked) var mapItem: (index: Int, value: JSON)?
  /// Set when the fiber was aborted; its pending work is then ignored.
  @exclusivity(unchecked) var isCancelled = false
  /// Set for the iterations of a distributed Map: they run as child executions, whose events
  /// are not part of this execution's history.
  @exclusivity(unchecked) var isSilent = false
  /// For the fibers of a distributed Map's iteration (a child execution on AWS): the events
  /// that child execution has written, which count against its own history limit.
  @exclusivity(unchecked) var childEvents: EventCounter?
  /// The task the fiber is waiting for, if any.
  @exclusivity(unchecked) var pendingTask: PendingTask?
  /// The effective input of a Wait state while it waits.
  @exclusivity(unchecked) var pendingWaitInput: JSON?
  /// In a redrive, what the branches or iterations of the Parallel or Map state the fiber
  /// enters again did in the recording; taken by that state's first start (a retry runs all).
  @exclusivity(unchecked) var resumedChildren: ResumedChildren?

  init(graph: GraphPlan, owner: Owner, scope: VariableScope, input: JSON, cursor: Int) {
    self.graph = graph
    self.owner = owner
    self.scope = scope
    storedInput = input
    self.cursor = cursor
    stateIndex = graph.startIndex
  }

  /// Sets the input together with a bound on its serialized length, when known.
  func setInput(_ value: JSON, byteBound: Int?) {
    storedInput = value
    inputByteBound = byteBound
    inputRecordId = 0
  }

  /// Zeroes the attempt counts for a state with `count` retriers, in place when the fiber
  /// already has that many.
  func resetRetryCounts(_ count: Int) {
    if retryCounts.count == count {
      for index in retryCounts.indices { retryCounts[index] = 0 }
    } else {
      retryCounts = Array(repeating: 0, count: count)
    }
  }

  /// Notes that event `id`, a state event just recorded, holds ``input`` as its payload.
  func inputWasRecorded(as id: Int) { inputRecordId = id }

  var state: StatePlan { graph.states[stateIndex] }
}

/// A count of events shared by the fibers of one child execution.
final class EventCounter {
  @exclusivity(unchecked) var count = 0
  /// The child execution's own history, when it is kept (history on, `STANDARD` children).
  @exclusivity(unchecked) var log: [HistoryEvent]?
}

/// A Task invocation in flight.
final class PendingTask {
  let state: StatePlan
  let plan: TaskPlan
  let effectiveInput: JSON
  let token: String?
  let startedAt: Instant
  let timeout: Int?
  let heartbeat: Int?
  @exclusivity(unchecked) var lastHeartbeat: Instant
  @exclusivity(unchecked) var isSettled = false
  /// The token with its state and scopes, for `.waitForTaskToken` tasks.
  @exclusivity(unchecked) var tokenInfo: TaskToken?
  /// The token's place in the order tokens were issued.
  @exclusivity(unchecked) var tokenNumber = 0

  init(
    state: StatePlan, plan: TaskPlan, effectiveInput: JSON, token: String?, startedAt: Instant,
    timeout: Int?,
    heartbeat: Int?
  ) {
    self.state = state
    self.plan = plan
    self.effectiveInput = effectiveInput
    self.token = token
    self.startedAt = startedAt
    self.timeout = timeout
    self.heartbeat = heartbeat
    lastHeartbeat = startedAt
  }
}

/// A Parallel or Map join, which holds its child fibers while they run (and they hold it).
protocol FiberJoin: AnyObject {
  /// Drops the references to the child fibers.
  func releaseChildren()
}

/// Joins the branches of a Parallel state.
final class ParallelJoin: FiberJoin {
  let fiber: Fiber
  let state: StatePlan
  @exclusivity(unchecked) var results: [JSON?]
  @exclusivity(unchecked) var remaining: Int
  @exclusivity(unchecked) var children: [Fiber] = []
  @exclusivity(unchecked) var isFinished = false
  @exclusivity(unchecked) var effectiveInput: JSON?

  init(fiber: Fiber, state: StatePlan, count: Int) {
    self.fiber = fiber
    self.state = state
    results = Array(repeating: nil, count: count)
    remaining = count
  }

  func releaseChildren() { children.removeAll() }
}

/// Joins the iterations of a Map state and launches them within its concurrency limit.
final class MapJoin: FiberJoin {
  let fiber: Fiber
  let state: StatePlan
  let plan: MapPlan
  let items: [JSON]
  let effectiveInput: JSON
  let maxConcurrency: Int
  @exclusivity(unchecked) var results: [JSON?]
  @exclusivity(unchecked) var nextIndex = 0
  @exclusivity(unchecked) var running = 0
  @exclusivity(unchecked) var completed = 0
  /// The cursor the next iteration starts from.
  @exclusivity(unchecked) var cursor: Int
  @exclusivity(unchecked) var children: [Int: Fiber] = [:]
  @exclusivity(unchecked) var isFinished = false
  @exclusivity(unchecked) var isLaunching = false
  /// Distributed mode: iterations are child executions, failures may be tolerated.
  @exclusivity(unchecked) var isDistributed = false
  @exclusivity(unchecked) var failures = 0
  @exclusivity(unchecked) var toleratedFailures = 0
  /// Distributed mode: the Map Run's record.
  @exclusivity(unchecked) var mapRun: MapRunTracker?
  /// `EXPRESS` children: when each running child execution reaches its five minutes.
  @exclusivity(unchecked) var expressDeadlines: [Int: Instant] = [:]
  /// `EXPRESS` children: when the pending deadline timer fires, if one is set.
  @exclusivity(unchecked) var expressTimerAt: Instant?
  /// In a redrive, what each iteration did in the recording: succeeded ones do not run again,
  /// the others continue where they stopped.
  @exclusivity(unchecked) var resumed: [Int: ResumedFiber] = [:]
  /// Whether ``items`` are the iterations' inputs as they are (an ItemBatcher's batches,
  /// built from the items after ItemSelector).
  @exclusivity(unchecked) var inputsArePrepared = false

  init(
    fiber: Fiber, state: StatePlan, plan: MapPlan, items: [JSON], effectiveInput: JSON,
    maxConcurrency: Int, cursor: Int
  ) {
    self.fiber = fiber
    self.state = state
    self.plan = plan
    self.items = items
    self.effectiveInput = effectiveInput
    self.maxConcurrency = maxConcurrency
    self.cursor = cursor
    results = Array(repeating: nil, count: items.count)
  }

  func releaseChildren() { children.removeAll() }
}
