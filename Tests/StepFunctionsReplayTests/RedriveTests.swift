import StepFunctions
import Synchronization
import Testing

/// Counts and remembers the task requests a handler gets.
final class RequestLog: Sendable {
  private let requests = Mutex<[TaskRequest]>([])

  func append(_ request: TaskRequest) { requests.withLock { $0.append(request) } }
  var all: [TaskRequest] { requests.withLock { $0 } }
  var states: [String] { all.map(\.stateName) }
}

/// A handler that fails with `Test.Broken` while `fails(request)` says so, and otherwise
/// answers `["ok": state, "seen": parameters]`; every request is logged.
func flaky(_ log: RequestLog, fails: @escaping @Sendable (TaskRequest) -> Bool)
  -> TaskHandlerRegistry
{
  handlers { request, _ in
    log.append(request)
    if fails(request) { throw TaskFailure(error: "Test.Broken", cause: "broken") }
    return [
      "ok": .string(request.stateName), "seen": .object(request.parameters.objectValue ?? [:]),
    ]
  }
}

/// Redrives `history` with `registry`.
func redrive(
  _ machine: StateMachine, _ history: ExecutionHistory, handlers registry: TaskHandlerRegistry,
  configure: (inout RedriveOptions) -> Void = { _ in }
) async throws(RedriveError) -> ExecutionResult {
  var options = RedriveOptions()
  options.handlers = registry
  configure(&options)
  return try await machine.redrive(history, options: options)
}

/// The events after the recorded ones.
func appended(_ result: ExecutionResult, after recorded: ExecutionHistory) -> [HistoryEvent] {
  Array(result.history.events.dropFirst(recorded.count))
}

@Suite("Redrive continues a failed execution as RedriveExecution does")
struct RedriveTests {
  static let pipeline = """
    {"StartAt": "Prepare", "States": {
      "Prepare": {"Type": "Pass", "Result": {"order": 42}, "Assign": {"customer": "ada"},
        "Next": "Charge"},
      "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "charge", "Order.$": "$.order", "Customer.$": "$customer"},
        "Retry": [{"ErrorEquals": ["Test.Broken"], "MaxAttempts": 2, "IntervalSeconds": 5}],
        "Next": "Done"},
      "Done": {"Type": "Pass", "End": true}}}
    """

  @Test(
    "A failed Task is entered again with its recorded input and succeeds when the handler now answers"
  )
  func failedTaskSucceeds() async throws {
    let machine = try compile(Self.pipeline)
    let log = RequestLog()
    let recorded = await record(machine, handlers: flaky(log) { _ in true })
    #expect(recorded.status == .failed)
    #expect(log.all.count == 3)

    let redriveLog = RequestLog()
    let result = try await redrive(
      machine, recorded.history, handlers: flaky(redriveLog) { _ in false })
    #expect(result.status == .succeeded)
    #expect(result.output?["ok"] == "Charge")
    // The recorded events stay, unchanged, and the ids go on.
    let events = result.history.events
    #expect(
      events.prefix(recorded.history.count).map(\.awsJSON) == recorded.history.events.map(\.awsJSON)
    )
    #expect(events.map(\.id) == Array(1...events.count))
    let added = appended(result, after: recorded.history)
    #expect(added.first?.type == "ExecutionRedriven")
    #expect(added.first?.previousEventId == recorded.history.count)
    #expect(added.first?.detail("redriveCount") == 1)
    #expect(added.first?.timestamp == recorded.history.events.last?.timestamp)
    #expect(added[1].type == "TaskStateEntered")
    #expect(added[1].previousEventId == added[0].id)
    #expect(added[1].detail("input") == #"{"order":42}"#)
    // The Pass state that succeeded does not run again; the variable it assigned is restored.
    #expect(!added.contains { $0.type == "PassStateEntered" && $0.detail("name") == "Prepare" })
    #expect(redriveLog.all.first?.parameters["Customer"] == "ada")
    #expect(result.executionArn == recorded.executionArn)
    #expect(result.startDate == recorded.startDate)
  }

  @Test("Retry attempts start again from zero in a redrive")
  func retriesReset() async throws {
    let machine = try compile(Self.pipeline)
    let recorded = await record(machine, handlers: flaky(RequestLog()) { _ in true })
    let log = RequestLog()
    // Fails twice more (both retried), then succeeds: only possible with MaxAttempts counted anew.
    let result = try await redrive(
      machine, recorded.history, handlers: flaky(log) { _ in log.all.count <= 2 })
    #expect(result.status == .succeeded)
    #expect(log.all.count == 3)
    #expect(log.all.map(\.attempt) == [0, 1, 2])
  }

  @Test("A failure a Catch sent to a Fail state is redriven at the Fail state, which fails again")
  func caughtFailure() async throws {
    let machine = try compile(
      """
      {"StartAt": "Work", "States": {
        "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {"FunctionName": "work"},
          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "GiveUp"}], "End": true},
        "GiveUp": {"Type": "Fail", "Error": "Gave.Up", "Cause": "no luck"}}}
      """)
    let recorded = await record(machine, handlers: flaky(RequestLog()) { _ in true })
    #expect(recorded.error == "Gave.Up")
    let log = RequestLog()
    let result = try await redrive(machine, recorded.history, handlers: flaky(log) { _ in false })
    #expect(result.status == .failed)
    #expect(result.error == "Gave.Up")
    #expect(log.all.isEmpty)
    #expect(
      appended(result, after: recorded.history).map(\.type) == [
        "ExecutionRedriven", "FailStateEntered", "ExecutionFailed",
      ])
  }

  @Test("A Map state runs again only the iterations that failed, each from its failed state")
  func mapIterations() async throws {
    let machine = try compile(
      """
      {"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemsPath": "$.items",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Prep",
          "States": {
            "Prep": {"Type": "Pass", "Parameters": {"n.$": "$"}, "Assign": {"tag.$": "$.n"},
              "Next": "Work"},
            "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {"FunctionName": "work", "n.$": "$.n", "tag.$": "$tag"},
              "End": true}}},
        "End": true}}}
      """)
    let input: JSON = ["items": [1, 2, 3, 4]]
    let recordedLog = RequestLog()
    let recorded = await record(
      machine, input: input,
      handlers: flaky(recordedLog) { ($0.parameters["n"]?.numberValue?.intValue ?? 0) % 2 == 0 })
    #expect(recorded.status == .failed)

    let log = RequestLog()
    let result = try await redrive(machine, recorded.history, handlers: flaky(log) { _ in false })
    #expect(result.status == .succeeded)
    let rerun = log.all.compactMap { $0.parameters["n"]?.numberValue?.intValue }.sorted()
    // Item 2 failed; items 3 and 4 were aborted with it: those run again, item 1 does not.
    let succeeded = recorded.history.events.filter { $0.type == "MapIterationSucceeded" }
      .compactMap { $0.detail("index")?.numberValue?.intValue }
    #expect(succeeded == [0])
    #expect(rerun == [2, 3, 4])
    // The variable each iteration's Prep assigned is restored in that iteration.
    #expect(log.all.allSatisfy { $0.parameters["tag"] == $0.parameters["n"] })
    let outputs = (result.output?.arrayValue ?? []).map { $0["seen"]?["n"] }
    #expect(outputs == [1, 2, 3, 4])
    let added = appended(result, after: recorded.history)
    #expect(!added.contains { $0.type == "PassStateEntered" && $0.detail("name") == "Prep" })
    #expect(added.filter { $0.type == "MapIterationStarted" }.count == rerun.count)
    #expect(added.contains { $0.type == "MapStateStarted" && $0.detail("length") == 4 })
  }

  @Test("A Parallel state runs again only the branches that did not succeed")
  func parallelBranches() async throws {
    let machine = try compile(
      """
      {"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "Branches": [
        {"StartAt": "Left", "States": {"Left": {"Type": "Task",
          "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "l"},
          "End": true}}},
        {"StartAt": "Right", "States": {"Right": {"Type": "Task",
          "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "r"},
          "End": true}}}],
        "Next": "After"},
        "After": {"Type": "Pass", "End": true}}}
      """)
    let recorded = await record(machine, handlers: flaky(RequestLog()) { $0.stateName == "Right" })
    #expect(recorded.status == .failed)
    let log = RequestLog()
    let result = try await redrive(machine, recorded.history, handlers: flaky(log) { _ in false })
    #expect(result.status == .succeeded)
    #expect(log.states == ["Right"])
    #expect(result.output?[0]?["ok"] == "Left")
    #expect(result.output?[1]?["ok"] == "Right")
    let added = appended(result, after: recorded.history)
    #expect(
      added.map(\.type).prefix(3) == [
        "ExecutionRedriven", "ParallelStateEntered", "ParallelStateStarted",
      ])
  }

  @Test("$$.Execution.RedriveCount and RedriveTime are set; StartTime stays the first start")
  func contextObject() async throws {
    let machine = try compile(
      """
      {"StartAt": "Read", "States": {"Read": {"Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"count.$": "$$.Execution.RedriveCount", "time.$": "$$.Execution.RedriveTime",
          "start.$": "$$.Execution.StartTime", "retries.$": "$$.State.RetryCount"},
        "End": true}}}
      """)
    let recorded = await record(machine, handlers: flaky(RequestLog()) { _ in true })
    let log = RequestLog()
    let later = Instant(
      millisecondsSinceEpoch: recorded.stopDate.millisecondsSinceEpoch + 3_600_000)
    let result = try await redrive(machine, recorded.history, handlers: flaky(log) { _ in false }) {
      $0.redriveTime = later
    }
    #expect(result.status == .succeeded)
    let parameters = log.all.first?.parameters
    #expect(parameters?["count"] == 1)
    #expect(parameters?["time"] == .string(later.iso8601))
    #expect(parameters?["start"] == .string(recorded.startDate.iso8601))
    #expect(parameters?["retries"] == 0)
    #expect(appended(result, after: recorded.history).first?.timestamp == later)
  }

  @Test("A redriven execution that fails again can be redriven again, with RedriveCount 2")
  func redriveTwice() async throws {
    let machine = try compile(Self.pipeline)
    let recorded = await record(machine, handlers: flaky(RequestLog()) { _ in true })
    let first = try await redrive(
      machine, recorded.history, handlers: flaky(RequestLog()) { _ in true })
    #expect(first.status == .failed)
    let log = RequestLog()
    let second = try await redrive(machine, first.history, handlers: flaky(log) { _ in false })
    #expect(second.status == .succeeded)
    let redriven = second.history.events.filter { $0.type == "ExecutionRedriven" }
    #expect(redriven.map { $0.detail("redriveCount") } == [1, 2])
    #expect(second.history.events.map(\.id) == Array(1...second.history.count))
    #expect(log.states == ["Charge"])
  }

  @Test("Branches that succeeded before the first redrive stay done in the second")
  func parallelTwice() async throws {
    let machine = try compile(
      """
      {"StartAt": "Three", "States": {"Three": {"Type": "Parallel", "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}},
        {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}},
        {"StartAt": "C", "States": {"C": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}],
        "End": true}}}
      """)
    let recorded = await record(machine, handlers: flaky(RequestLog()) { $0.stateName != "A" })
    let first = try await redrive(
      machine, recorded.history, handlers: flaky(RequestLog()) { $0.stateName == "C" })
    #expect(first.status == .failed)
    let log = RequestLog()
    let second = try await redrive(machine, first.history, handlers: flaky(log) { _ in false })
    #expect(second.status == .succeeded)
    #expect(log.states == ["C"])
    #expect(second.output?.arrayValue?.map { $0["ok"] } == ["A", "B", "C"])
  }

  @Test("Two redrives of the same history are byte-identical")
  func deterministic() async throws {
    let machine = try compile(Self.pipeline)
    let recorded = await record(machine, handlers: flaky(RequestLog()) { _ in true })
    let one = try await redrive(
      machine, recorded.history, handlers: flaky(RequestLog()) { _ in false })
    let two = try await redrive(
      machine, recorded.history, handlers: flaky(RequestLog()) { _ in false })
    #expect(one.history.awsCLIText == two.history.awsCLIText)
  }

  @Test("A redrive of an exported and re-imported history gives the same events")
  func importedHistory() async throws {
    let machine = try compile(Self.pipeline)
    let recorded = await record(machine, handlers: flaky(RequestLog()) { _ in true })
    let imported = try ExecutionHistory(importing: Array(recorded.history.awsCLIText.utf8))
    let direct = try await redrive(
      machine, recorded.history, handlers: flaky(RequestLog()) { _ in false })
    let viaFile = try await redrive(machine, imported, handlers: flaky(RequestLog()) { _ in false })
    {
      $0.seed = 0
    }
    #expect(viaFile.status == .succeeded)
    #expect(
      viaFile.history.events.map(\.awsJSON).dropFirst(recorded.history.count)
        == direct.history.events.map(\.awsJSON).dropFirst(recorded.history.count))
  }

  @Test(
    "What AWS refuses is refused with its reason",
    arguments: [
      "succeeded", "running", "express", "expressArn", "period", "openTime", "beforeLaunch",
      "events",
    ])
  func refusals(_ scenario: String) async throws {
    let machine = try compile(Self.pipeline)
    let failing = await record(machine, handlers: flaky(RequestLog()) { _ in true })
    var history = failing.history
    var expected = ""
    var configure: (inout RedriveOptions) -> Void = { _ in }
    let end = failing.stopDate.millisecondsSinceEpoch
    switch scenario {
    case "succeeded":
      history = await record(machine, handlers: flaky(RequestLog()) { _ in false }).history
      expected = "Execution is SUCCEEDED and cannot be redriven"
    case "running":
      history = ExecutionHistory(events: Array(failing.history.events.dropLast()), seed: 0)
      expected = "Execution is RUNNING and cannot be redriven"
    case "express":
      configure = { $0.stateMachineType = .express }
      expected = "RedriveExecution is not supported by EXPRESS state machines"
    case "expressArn":
      configure = {
        $0.executionArn = "arn:aws:states:us-east-1:123456789012:express:M:run:0b5d"
      }
      expected = "RedriveExecution is not supported by EXPRESS state machines"
    case "period":
      configure = {
        $0.redriveTime = Instant(millisecondsSinceEpoch: end + 14 * 86_400_000 + 1)
      }
      expected = "Execution redrivable period exceeded"
    case "openTime":
      history = history.changing(at: 0) {
        $0.timestamp = Instant(millisecondsSinceEpoch: end - 360 * 86_400_000)
      }
      configure = { $0.redriveTime = Instant(millisecondsSinceEpoch: end + 10 * 86_400_000) }
      expected = "Execution has exceeded the max execution time"
    case "beforeLaunch":
      history = history.changing(at: 0) {
        $0.timestamp = Instant(rfc3339: "2023-11-14T23:59:59Z") ?? $0.timestamp
      }
      expected = "Execution was started before the launch of RedriveExecution"
    default:
      var events = failing.history.events
      let closing = events.removeLast()
      let filler = events[1]
      while events.count < 24_998 {
        var event = filler
        event.id = events.count + 1
        events.append(event)
      }
      var last = closing
      last.id = events.count + 1
      events.append(last)
      history = ExecutionHistory(events: events, seed: 0)
      expected = "Execution history event limit exceeded"
    }
    do {
      _ = try await redrive(
        machine, history, handlers: flaky(RequestLog()) { _ in false }, configure: configure)
      Issue.record("\(scenario) was redriven")
    } catch {
      #expect(error.kind == .executionNotRedrivable)
      #expect(error.message.hasPrefix(expected), "\(error)")
    }
  }

  @Test("A history of 24,998 events is still redriven, and the 25,000-event limit covers it all")
  func belowEventLimit() async throws {
    let machine = try compile(Self.pipeline)
    let failing = await record(machine, handlers: flaky(RequestLog()) { _ in true })
    var events = failing.history.events
    let closing = events.removeLast()
    // More failed attempts of the Task: copies of its TaskScheduled..TaskFailed events.
    let filler = events.filter { $0.type == "TaskFailed" }[0]
    while events.count < 24_997 {
      var event = filler
      event.id = events.count + 1
      event.previousEventId = events.count
      events.append(event)
    }
    var last = closing
    last.id = events.count + 1
    last.previousEventId = events.count
    events.append(last)
    let result = try await redrive(
      machine, ExecutionHistory(events: events, seed: 0),
      handlers: flaky(RequestLog()) { _ in false }
    )
    // Not refused; the whole history (recorded and new) stays within 25,000 events, so the
    // redriven execution fails at event 25,000 as AWS's would.
    #expect(result.history.events.dropFirst(24_998).first?.type == "ExecutionRedriven")
    #expect(result.history.count == 25_000)
    #expect(result.error == "States.Runtime")
  }

  @Test(
    "A malformed or truncated history is refused with a clear error, not a crash",
    arguments: [
      "empty", "noStart", "gap", "truncatedInput", "unknownState",
    ])
  func unusableHistories(_ scenario: String) async throws {
    let machine = try compile(Self.pipeline)
    let failing = await record(machine, handlers: flaky(RequestLog()) { _ in true })
    var history = failing.history
    var expected = ""
    switch scenario {
    case "empty":
      history = ExecutionHistory(events: [])
      expected = "The history has no events."
    case "noStart":
      history = ExecutionHistory(events: Array(failing.history.events.dropFirst()))
      expected = "The history's first event (id 2) is PassStateEntered"
    case "gap":
      var events = failing.history.events
      events.remove(at: 3)
      history = ExecutionHistory(events: events)
      expected = "Event 4 of the history has id 5"
    case "truncatedInput":
      guard case .object(var document) = failing.history.awsJSON,
        case .array(var events) = document["events"],
        let position = events.firstIndex(where: { $0["type"] == "TaskStateEntered" }),
        case .object(var event) = events[position],
        case .object(var details) = event["stateEnteredEventDetails"]
      else {
        Issue.record("no TaskStateEntered")
        return
      }
      details["input"] = .string(#"{"ord"#)
      details["inputDetails"] = ["truncated": true]
      event["stateEnteredEventDetails"] = .object(details)
      events[position] = .object(event)
      document["events"] = .array(events)
      history = try ExecutionHistory(importing: .object(document))
      expected = "Event \(position + 1) (TaskStateEntered of `Charge`) has no input"
    default:
      history = failing.history.changing(at: 3) {
        if case .stateEntered(_, let input) = $0.details {
          $0.details = .stateEntered(name: "Vanished", input: input)
        }
      }
      expected = "Event 4 (TaskStateEntered) enters `Vanished`, which the definition does not have"
    }
    do {
      _ = try await redrive(machine, history, handlers: flaky(RequestLog()) { _ in false })
      Issue.record("\(scenario) was redriven")
    } catch {
      #expect(error.kind == .unusableHistory)
      #expect(error.message.hasPrefix(expected), "\(error)")
    }
  }

  @Test("A redrive time before the recorded end is an invalid option")
  func redriveTimeBeforeEnd() async throws {
    let machine = try compile(Self.pipeline)
    let failing = await record(machine, handlers: flaky(RequestLog()) { _ in true })
    do {
      _ = try await redrive(machine, failing.history, handlers: TaskHandlerRegistry()) {
        $0.redriveTime = failing.startDate
      }
      Issue.record("redriven")
    } catch {
      #expect(error.kind == .invalidOption)
    }
  }

  @Test("Inside a failed Map iteration, only the Parallel branch that failed runs again")
  func nested() async throws {
    let machine = try compile(
      """
      {"StartAt": "Each", "States": {"Each": {"Type": "Map", "MaxConcurrency": 1,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Both",
          "States": {"Both": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "L", "States": {"L": {"Type": "Task",
              "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"n.$": "$"}, "End": true}}},
            {"StartAt": "R", "States": {"R": {"Type": "Task",
              "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"n.$": "$"}, "End": true}}}]}}},
        "End": true}}}
      """)
    let recorded = await record(
      machine, input: [1, 2],
      handlers: flaky(RequestLog()) { $0.stateName == "R" && $0.parameters["n"] == 2 })
    #expect(recorded.status == .failed)
    let log = RequestLog()
    let result = try await redrive(machine, recorded.history, handlers: flaky(log) { _ in false })
    #expect(result.status == .succeeded)
    #expect(log.all.map { "\($0.stateName)\($0.parameters["n"] ?? .null)" } == ["R2"])
    #expect(
      result.output?.arrayValue?.map { $0.arrayValue?.map { $0["ok"] } } == [
        ["L", "R"], ["L", "R"],
      ])
  }

  @Test("An ABORTED execution is redriven at the state it was stopped in")
  func aborted() async throws {
    let machine = try compile(
      """
      {"StartAt": "Pause", "States": {"Pause": {"Type": "Wait", "Seconds": 30, "Next": "Work"},
        "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}
      """)
    let finished = await record(machine, handlers: flaky(RequestLog()) { _ in false })
    // The execution as StopExecution would have left it while it waited in Pause.
    var events = Array(finished.history.events.prefix(2))
    events.append(
      HistoryEvent(
        id: 3, previousEventId: 2, timestamp: events[1].timestamp.advanced(bySeconds: 12),
        type: "ExecutionAborted",
        details: .failure(key: "executionAbortedEventDetails", error: "Stopped", cause: nil)))
    let log = RequestLog()
    let result = try await redrive(
      machine, ExecutionHistory(events: events, seed: 0), handlers: flaky(log) { _ in false })
    #expect(result.status == .succeeded)
    #expect(log.states == ["Work"])
    let added = result.history.events.dropFirst(3)
    #expect(added.map(\.type).prefix(2) == ["ExecutionRedriven", "WaitStateEntered"])
    // The whole Wait runs again from the redrive (12 s after the start).
    #expect(
      added.first { $0.type == "WaitStateExited" }?.timestamp
        == events[2].timestamp.advanced(bySeconds: 30))
  }

  @Test("The machine's TimeoutSeconds counts again from the redrive")
  func executionTimeoutRestarts() async throws {
    let machine = try compile(
      """
      {"TimeoutSeconds": 60, "StartAt": "Slow", "States": {"Slow": {"Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}
      """)
    let recorded = await record(
      machine,
      handlers: handlers { _, context in
        try await context.sleep(seconds: 100)
        return [:]
      })
    #expect(recorded.status == .timedOut)
    let result = try await redrive(
      machine, recorded.history,
      handlers: handlers { _, context in
        try await context.sleep(seconds: 30)
        return ["done": true]
      })
    #expect(result.status == .succeeded)
    #expect(
      result.stopDate.millisecondsSinceEpoch - recorded.stopDate.millisecondsSinceEpoch == 30_000)
  }
}
