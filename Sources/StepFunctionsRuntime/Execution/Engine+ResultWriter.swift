import StepFunctionsJSON
import StepFunctionsLanguage

extension Engine {
  // MARK: Map Runs

  /// The most times a Map Run may be redriven (AWS's hard limit); one more fails the Map
  /// state with `States.Runtime`.
  static let maximumMapRunRedrives = 1000

  /// Starts the Map Run record of a distributed Map state.
  func startMapRun(
    _ fiber: Fiber, _ state: StatePlan, _ plan: MapPlan, arn: String, id: String,
    stateMachineArn: String, itemCount: Int, maxConcurrency: Int, toleratedCount: Int?,
    toleratedPercentage: Double?, redriven: RedrivenMapRun? = nil
  ) -> MapRunTracker {
    var run = MapRun(
      mapRunArn: arn, executionArn: executionArn, stateName: state.name, label: plan.label,
      executionType: plan.runsExpressChildren ? .express : .standard,
      stateMachineArn: stateMachineArn, status: .running, startDate: now,
      maxConcurrency: maxConcurrency, toleratedFailureCount: toleratedCount ?? 0,
      toleratedFailurePercentage: toleratedPercentage ?? 0)
    run.itemCounts.total = itemCount
    run.itemCounts.pending = itemCount
    run.executionCounts = run.itemCounts
    if let redriven {
      // DescribeMapRun after a redrive: the first start, the redrive's count and date.
      run.startDate = redriven.startDate
      run.redriveCount = redriven.redriveCount
      run.redriveDate = now
    }
    let writer = plan.resultWriter
    let tracker = MapRunTracker(
      run: run, id: id,
      nameSeed: options.seed &+ UInt64(truncatingIfNeeded: mapRuns.count &+ 1) &* 0x2545_F491,
      keepsRecords: writer != nil,
      listsExecutions: options.recordsHistory && !plan.runsExpressChildren)
    tracker.recordedChildren = redriven?.children ?? [:]
    mapRuns.append(tracker)
    openMapRuns.append(tracker)
    return tracker
  }

  /// Sets a Map Run's totals once its items are known: read by an `ItemReader` (the run
  /// started before they were) or batched by an `ItemBatcher` (`executions` batches of
  /// `items` items in all).
  func mapRunCounted(_ tracker: MapRunTracker, items: Int, executions: Int, batchSizes: [Int]?) {
    tracker.run.itemCounts.total = items
    tracker.run.itemCounts.pending = items
    tracker.run.executionCounts.total = executions
    tracker.run.executionCounts.pending = executions
    tracker.batchSizes = batchSizes
  }

  /// Counts the iterations a redrive does not run again (they succeeded in the recording).
  func mapRunSkipped(_ tracker: MapRunTracker, count: Int) {
    guard count > 0 else { return }
    for counts in [\MapRun.itemCounts, \MapRun.executionCounts] {
      tracker.run[keyPath: counts].pending -= count
      tracker.run[keyPath: counts].succeeded += count
    }
  }

  /// Ends the Map Runs still running when the execution ends, with `MapRunAborted`.
  func abortOpenMapRuns() {
    for tracker in openMapRuns where tracker.run.status == .running {
      endAborted(tracker)
    }
    openMapRuns.removeAll()
  }

  /// Ends with `MapRunAborted` the Map Runs started inside `fiber` (a Parallel branch or a Map
  /// iteration being aborted, or a fiber under one).
  func abortMapRuns(under fiber: Fiber) {
    openMapRuns.removeAll { $0.run.status != .running }
    for tracker in openMapRuns {
      guard let parent = tracker.parent, Self.fiber(parent, isWithin: fiber) else { continue }
      endAborted(tracker)
    }
  }

  private func endAborted(_ tracker: MapRunTracker) {
    let parent = tracker.parent
    tracker.end(.aborted, at: now)
    if let fiber = parent, !fiber.isSilent {
      record("MapRunAborted", previous: fiber.cursor) { .none }
    }
  }

  /// Whether `fiber` is `ancestor` or runs inside it (a branch or iteration of its states).
  static func fiber(_ fiber: Fiber, isWithin ancestor: Fiber) -> Bool {
    var current: Fiber? = fiber
    while let candidate = current {
      if candidate === ancestor { return true }
      switch candidate.owner {
      case .root: current = nil
      case .branch(let join, _): current = join.fiber
      case .iteration(let join, _): current = join.fiber
      }
    }
    return false
  }

  // MARK: ResultWriter

  /// What the `ResultWriter` makes of the child executions' results: the Map state's result.
  /// Exporting, it writes AWS's files through the handler serving its `Resource` and returns
  /// `{"MapRunArn", "ResultWriterDetails": {"Bucket", "Key"}}`; otherwise the transformed list.
  nonisolated(nonsending) func writeResults(
    _ join: MapJoin, _ writer: ResultWriterPlan, _ tracker: MapRunTracker
  )
    async throws(StatesError) -> JSON
  {
    let parent = join.fiber
    guard let resource = writer.resource else {
      var entries: [JSON] = []
      for index in join.items.indices {
        appendEntries(join, index, writer, tracker, to: &entries)
      }
      return .array(entries)
    }
    let arguments: JSON
    if let plan = writer.arguments {
      arguments = try evaluateJSONata(plan, fiber: parent, input: join.effectiveInput)
    } else if let template = writer.parameters {
      arguments = try evaluatePayload(template, current: join.effectiveInput, fiber: parent)
    } else {
      arguments = .object(JSONObject())
    }
    guard case .string(let bucket) = arguments["Bucket"] ?? .null, !bucket.isEmpty else {
      throw StatesError(
        StatesError.Names.resultWriterFailed,
        cause:
          "The ResultWriter's Bucket must be a non-empty string, but was: \((arguments["Bucket"] ?? .null).serialized())"
      )
    }
    var prefix = ""
    switch arguments["Prefix"] {
    case .string(let text)?: prefix = text
    case nil, .null?: break
    case let other?:
      throw StatesError(
        StatesError.Names.resultWriterFailed,
        cause: "The ResultWriter's Prefix must be a string, but was: \(other.serialized())")
    }
    let folder =
      prefix.isEmpty || prefix.hasSuffix("/") ? prefix + tracker.id : prefix + "/" + tracker.id
    // One list per status, split into files of at most `maximumResultFileBytes`.
    var files: [(status: String, entries: [JSON])] = []
    var byStatus: [String: [JSON]] = ["SUCCEEDED": [], "FAILED": [], "PENDING": []]
    for index in join.items.indices {
      let status = resultStatus(join, index, tracker)
      var entries = byStatus[status] ?? []
      byStatus[status] = nil
      appendEntries(join, index, writer, tracker, to: &entries)
      byStatus[status] = entries
    }
    for status in ["SUCCEEDED", "FAILED", "PENDING"] {
      if let entries = byStatus[status], !entries.isEmpty { files.append((status, entries)) }
    }
    var manifestFiles: [String: [JSON]] = ["SUCCEEDED": [], "FAILED": [], "PENDING": []]
    var written = 0
    for (status, entries) in files {
      for body in resultFileBodies(entries, writer.outputType) {
        let key = "\(folder)/\(status)_\(manifestFiles[status]?.count ?? 0).json"
        try await putObject(resource, bucket: bucket, key: key, body: body, join: join)
        manifestFiles[status, default: []].append([
          "Key": .string(key), "Size": .number(JSONNumber(body.utf8.count)),
        ])
      }
      written += entries.count
    }
    // With an ItemBatcher, each child's record holds a batch of items.
    tracker.run.itemCounts.resultsWritten = tracker.batchSizes?.reduce(0, +) ?? written
    tracker.run.executionCounts.resultsWritten = written
    let manifestKey = "\(folder)/manifest.json"
    let manifest: JSON = [
      "DestinationBucket": .string(bucket),
      "MapRunArn": .string(tracker.run.mapRunArn),
      "ResultFiles": [
        "FAILED": .array(manifestFiles["FAILED"] ?? []),
        "PENDING": .array(manifestFiles["PENDING"] ?? []),
        "SUCCEEDED": .array(manifestFiles["SUCCEEDED"] ?? []),
      ],
    ]
    try await putObject(
      resource, bucket: bucket, key: manifestKey, body: manifest.serialized(), join: join)
    return [
      "MapRunArn": .string(tracker.run.mapRunArn),
      "ResultWriterDetails": ["Bucket": .string(bucket), "Key": .string(manifestKey)],
    ]
  }

  /// `SUCCEEDED`, `FAILED` or `PENDING`: the file a child execution's result goes to.
  private func resultStatus(_ join: MapJoin, _ index: Int, _ tracker: MapRunTracker) -> String {
    switch tracker.records[index]?.status {
    case .succeeded?: return "SUCCEEDED"
    case .failed?, .timedOut?, .aborted?: return "FAILED"
    case .running?: return "PENDING"
    case nil:
      // Not run in this attempt: it succeeded in the recording a redrive continues.
      return join.results[index] == nil ? "PENDING" : "SUCCEEDED"
    }
  }

  /// Adds what the transformation makes of child execution `index` to `entries`.
  private func appendEntries(
    _ join: MapJoin, _ index: Int, _ writer: ResultWriterPlan, _ tracker: MapRunTracker,
    to entries: inout [JSON]
  ) {
    let record = tracker.records[index]
    let succeeded = record.map { $0.status == .succeeded } ?? (join.results[index] != nil)
    if succeeded && writer.transformation != .none {
      let output = record?.output ?? join.results[index] ?? .null
      if writer.transformation == .flatten, case .array(let elements) = output {
        entries.append(contentsOf: elements)
      } else {
        entries.append(output)
      }
      return
    }
    // NONE, and a failed child execution whatever the transformation (AWS keeps its record).
    let child =
      record
      ?? tracker.child(index, input: join.items[index], at: tracker.run.startDate)
    entries.append(resultRecord(child, tracker: tracker))
  }

  /// A child execution's record in a result file, with AWS's fields in AWS's (alphabetical)
  /// order: `Input` and `Output` are JSON text.
  func resultRecord(_ child: MapRun.ChildExecution, tracker: MapRunTracker) -> JSON {
    var object = JSONObject(minimumCapacity: 16)
    if child.status != .succeeded && child.status != .running {
      object.append(key: "Cause", value: .string(child.cause ?? ""))
      object.append(key: "Error", value: .string(child.error ?? ""))
    }
    object.append(key: "ExecutionArn", value: .string(child.executionArn))
    object.append(key: "Input", value: .string(child.input.serialized()))
    object.append(key: "InputDetails", value: ["Included": true])
    object.append(key: "Name", value: .string(child.name))
    if child.status == .succeeded {
      object.append(key: "Output", value: .string((child.output ?? .null).serialized()))
      object.append(key: "OutputDetails", value: ["Included": true])
    }
    object.append(key: "RedriveCount", value: .number(JSONNumber(child.redriveCount)))
    switch child.status {
    case .succeeded:
      object.append(key: "RedriveStatus", value: "NOT_REDRIVABLE")
      object.append(
        key: "RedriveStatusReason", value: "Execution is SUCCEEDED and cannot be redriven")
    case .running:
      object.append(key: "RedriveStatus", value: "NOT_REDRIVABLE")
      object.append(
        key: "RedriveStatusReason", value: "Execution is RUNNING and cannot be redriven")
    default:
      object.append(key: "RedriveStatus", value: "REDRIVABLE")
    }
    object.append(key: "StartDate", value: .string(child.startDate.iso8601))
    object.append(key: "StateMachineArn", value: .string(tracker.run.stateMachineArn))
    object.append(key: "Status", value: .string(child.status.rawValue))
    if let stop = child.stopDate {
      object.append(key: "StopDate", value: .string(stop.iso8601))
    }
    return .object(object)
  }

  /// The bodies of one status's result files: a JSON array, or JSON Lines, each at most
  /// ``ExecutionOptions/maximumResultFileBytes`` long unless one entry alone is longer.
  func resultFileBodies(_ entries: [JSON], _ type: ResultWriterPlan.OutputType) -> [String] {
    let limit = max(options.maximumResultFileBytes, 1)
    var bodies: [String] = []
    var current: [String] = []
    var size = 0
    func close() {
      guard !current.isEmpty else { return }
      switch type {
      case .json: bodies.append("[" + current.joined(separator: ",") + "]")
      case .jsonLines: bodies.append(current.joined(separator: "\n") + "\n")
      }
      current.removeAll()
      size = 0
    }
    for entry in entries {
      let text = entry.serialized()
      // "[" + "]" or the separators: one byte per entry, and one for the array's brackets.
      let added = text.utf8.count + 1
      if !current.isEmpty && size + added + 1 > limit { close() }
      current.append(text)
      size += added
    }
    close()
    return bodies
  }

  /// Writes one object through the handler serving the `ResultWriter`'s `Resource`
  /// (`putObject` with `Bucket`, `Key`, `Body`). Writes leave no Task event (AWS writes none).
  nonisolated(nonsending) private func putObject(
    _ resource: TaskResource, bucket: String, key: String, body: String, join: MapJoin
  ) async throws(StatesError) {
    guard let handler = options.handlers.handler(for: resource) else {
      throw StatesError(
        StatesError.Names.resultWriterFailed,
        cause:
          "No task handler serves \(resource.arn): register one (for example MediaTasks' S3) to receive the ResultWriter's objects."
      )
    }
    let request = TaskRequest(
      resource: resource,
      parameters: ["Bucket": .string(bucket), "Key": .string(key), "Body": .string(body)],
      stateName: join.state.name, attempt: 0, taskToken: nil, executionArn: executionArn,
      timeoutSeconds: nil, heartbeatSeconds: nil, scopes: scopes(of: join.fiber))
    let context = TaskContext(start: now, isVirtual: isVirtual)
    do {
      _ = try await handler.invoke(request, context: context)
    } catch let failure as TaskFailure {
      throw StatesError(
        StatesError.Names.resultWriterFailed,
        cause: "Writing s3://\(bucket)/\(key) failed: \(failure.error): \(failure.cause)")
    } catch {
      throw StatesError(
        StatesError.Names.resultWriterFailed,
        cause: "Writing s3://\(bucket)/\(key) failed: \(error)")
    }
  }
}

extension Engine {
  // MARK: EXPRESS child executions

  /// How long an `EXPRESS` child execution may run (AWS: five minutes, as for any Express
  /// execution).
  static let expressChildSeconds = 300.0

  /// The cause of an `EXPRESS` child execution's `States.Timeout`.
  static let expressChildTimeoutCause =
    "The EXPRESS child workflow execution exceeded the maximum duration of 300 seconds."

  /// Notes an `EXPRESS` child's deadline; one timer per Map state covers the earliest.
  func expressChildStarted(_ join: MapJoin, index: Int) {
    let deadline = now.advanced(bySeconds: Engine.expressChildSeconds)
    join.expressDeadlines[index] = deadline
    // Children start in time order: a later child's deadline is never the earliest.
    if join.expressTimerAt == nil {
      join.expressTimerAt = deadline
      timers.schedule(.expressChildDeadline(join), at: deadline)
    }
  }

  /// Times out the `EXPRESS` children whose five minutes are up (they fail with
  /// `States.Timeout`, counted as timed out in the Map Run) and sets the next timer.
  func expressChildDeadlinePassed(_ join: MapJoin) {
    join.expressTimerAt = nil
    guard !join.isFinished else { return }
    let expired = join.expressDeadlines.filter { $0.value <= now }.keys.sorted()
    for index in expired {
      join.expressDeadlines[index] = nil
      guard let child = join.children[index] else { continue }
      abort(child)
      iterationFinished(
        join, index: index, fiber: child,
        result: .failure(
          FiberFailure(
            error: StatesError.Names.timeout, cause: Engine.expressChildTimeoutCause)),
        timedOut: true)
      if join.isFinished { return }
    }
    if let next = join.expressDeadlines.values.min() {
      join.expressTimerAt = next
      timers.schedule(.expressChildDeadline(join), at: next)
    }
  }
}

extension Engine {
  // MARK: Child execution histories

  /// Counts a child execution as started and, when its history is kept, writes its
  /// `ExecutionStarted` and points its cursor there.
  func startChildExecution(_ join: MapJoin, index: Int, fiber: Fiber, input: JSON) {
    guard let tracker = join.mapRun else { return }
    tracker.started(index, input: input, at: now)
    guard tracker.listsExecutions, let counter = fiber.childEvents else { return }
    if tracker.run.redriveCount > 0, tracker.run.executionType == .standard,
      let recorded = tracker.recordedChildren[index], let first = recorded.history.first,
      first.type == "ExecutionStarted"
    {
      // A STANDARD child redriven with the Map Run: its history goes on (`ExecutionRedriven`).
      var log = recorded.history
      log.append(
        HistoryEvent(
          id: log.count + 1, previousEventId: log.count, timestamp: now,
          type: "ExecutionRedriven",
          details: .fields(
            key: "executionRedrivenEventDetails",
            ["redriveCount": .number(JSONNumber(recorded.redriveCount + 1))])))
      counter.log = log
      tracker.running[index] = counter
      fiber.cursor = log.count
      return
    }
    counter.log = [
      HistoryEvent(
        id: 1, previousEventId: 0, timestamp: now, type: "ExecutionStarted",
        details: .executionStarted(input: input, roleArn: options.roleArn))
    ]
    tracker.running[index] = counter
    fiber.cursor = 1
  }

  /// Ends a child execution's kept history with its closing event; `nil` when not kept.
  func endChildExecution(
    _ fiber: Fiber, result: Result<JSON, FiberFailure>, timedOut: Bool
  ) -> [HistoryEvent]? {
    guard let counter = fiber.childEvents, counter.log != nil else { return nil }
    switch result {
    case .success(let output):
      logChildEvent(
        fiber, "ExecutionSucceeded", advances: true, .executionSucceeded(output: output))
    case .failure(let failure):
      logChildEvent(
        fiber, timedOut ? "ExecutionTimedOut" : "ExecutionFailed", advances: true,
        .failure(
          key: timedOut ? "executionTimedOutEventDetails" : "executionFailedEventDetails",
          error: failure.error, cause: failure.cause))
    }
    defer { counter.log = nil }
    return counter.log
  }

  /// Appends an event to the kept history of the child execution `fiber` runs in.
  @discardableResult
  func logChildEvent(
    _ fiber: Fiber, _ type: String, advances: Bool, _ details: HistoryEvent.Details
  ) -> Int {
    guard let counter = fiber.childEvents, var log = counter.log else { return fiber.cursor }
    counter.log = nil
    let id = log.count + 1
    log.append(
      HistoryEvent(
        id: id, previousEventId: fiber.cursor, timestamp: now, type: type, details: details))
    counter.log = log
    if advances { fiber.cursor = id }
    return id
  }

  /// Whether `type` is a `MapIteration...` event of a distributed Map's own iteration: the
  /// parent's bookkeeping, not part of the child execution's history.
  func isDistributedIterationEvent(_ fiber: Fiber, _ type: String) -> Bool {
    guard case .iteration(let join, _) = fiber.owner, join.isDistributed else { return false }
    return type.hasPrefix("MapIteration")
  }

  /// The id of the latest event of the history `fiber` writes to: the execution's, or the
  /// child execution's own when it is kept.
  func latestEventId(for fiber: Fiber) -> Int {
    if fiber.isSilent, let log = fiber.childEvents?.log { return log.count }
    return lastEventId
  }
}
