import StepFunctionsJSON

/// Work the engine can do now or at a deadline.
enum Work {
  /// Run (or continue) the fiber's current state.
  case run(Fiber)
  /// A Wait state's time is up.
  case waitElapsed(Fiber)
  /// Retry the fiber's Task (or Parallel/Map) after its backoff.
  case retry(Fiber)
  /// A task's handler finished (or failed, or timed out) at this point in time.
  case taskSettled(Fiber, PendingTask, TaskSettlement)
  /// A `.sync` or `.waitForTaskToken` task's job was submitted (`TaskSubmitted`).
  case taskSubmitted(Fiber, PendingTask, JSON)
  /// A callback for a task token: scheduled by the task's handler, or (with a reply to answer)
  /// sent from outside.
  case callback(String, TaskContext.Callback, reply: Inbox.Reply?)
  /// The execution's `TimeoutSeconds` ran out.
  case executionTimeout
  /// Every branch of a Parallel state succeeded.
  case finishParallel(ParallelJoin)
  /// Every iteration of a Map state succeeded.
  case finishMap(MapJoin)
  /// A Map state may start more iterations.
  case launchMap(MapJoin)
  /// The earliest running `EXPRESS` child execution of a distributed Map reached its five
  /// minutes.
  case expressChildDeadline(MapJoin)
  /// A Parallel or Map state failed with this error: apply its retriers and catchers, writing
  /// `failedEvent` first unless the error is retried.
  case resumeWithError(Fiber, StatesError, failedEvent: String)
}

/// How a task ended.
enum TaskSettlement {
  case succeeded(JSON)
  case failed(StatesError)
  /// `TimeoutSeconds` ran out, or (`missedHeartbeat`) `HeartbeatSeconds` passed without a
  /// heartbeat. AWS names both `States.Timeout`; only the latter also matches
  /// `States.HeartbeatTimeout` in retriers and catchers.
  case timedOut(StatesError, missedHeartbeat: Bool)
  /// A heartbeat deadline set by the last heartbeat of a callback task: it times the task out
  /// unless a later heartbeat moved the deadline.
  case heartbeatDue
}

/// The timer queue: a binary min-heap ordered by (deadline, sequence), so timers that fall due
/// together fire in the order they were set.
struct TimerQueue {
  private var heap: [(deadline: Instant, sequence: Int, work: Work)] = []
  private var sequence = 0

  var isEmpty: Bool { heap.isEmpty }
  var nextDeadline: Instant? { heap.first?.deadline }

  mutating func schedule(_ work: Work, at deadline: Instant) {
    sequence += 1
    heap.append((deadline, sequence, work))
    var child = heap.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard precedes(child, parent) else { break }
      heap.swapAt(child, parent)
      child = parent
    }
  }

  mutating func popFirst() -> (Instant, Work)? {
    guard !heap.isEmpty else { return nil }
    heap.swapAt(0, heap.count - 1)
    let first = heap.removeLast()
    var parent = 0
    while true {
      let left = 2 * parent + 1
      let right = left + 1
      var smallest = parent
      if left < heap.count, precedes(left, smallest) { smallest = left }
      if right < heap.count, precedes(right, smallest) { smallest = right }
      if smallest == parent { break }
      heap.swapAt(parent, smallest)
      parent = smallest
    }
    return (first.deadline, first.work)
  }

  private func precedes(_ a: Int, _ b: Int) -> Bool {
    heap[a].deadline < heap[b].deadline
      || (heap[a].deadline == heap[b].deadline && heap[a].sequence < heap[b].sequence)
  }
}

/// A first-in, first-out queue with amortized O(1) removal from the front.
struct WorkQueue {
  private var items: [Work] = []
  private var head = 0

  var isEmpty: Bool { head == items.count }

  mutating func append(_ work: Work) { items.append(work) }

  mutating func popFirst() -> Work? {
    guard head < items.count else { return nil }
    let work = items[head]
    head += 1
    if head > 1024 && head * 2 > items.count {
      items.removeFirst(head)
      head = 0
    }
    return work
  }
}
