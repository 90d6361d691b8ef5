import Foundation
import StepFunctions
import Synchronization
import Testing

/// The package's root folder, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// Compiles a definition written as JSON text.
func compile(_ text: String) throws -> StateMachine {
  try StateMachine(json: text)
}

/// Runs `machine` with `handlers` on the virtual clock.
func record(
  _ machine: StateMachine, input: JSON = [:], handlers: TaskHandlerRegistry = TaskHandlerRegistry(),
  seed: UInt64 = 0
) async -> ExecutionResult {
  var options = ExecutionOptions()
  options.handlers = handlers
  options.seed = seed
  return await machine.run(input: input, options: options)
}

/// A registry with one fallback handler made from `body`.
func handlers(_ body: @escaping @Sendable (TaskRequest, TaskContext) async throws -> JSON)
  -> TaskHandlerRegistry
{
  var registry = TaskHandlerRegistry()
  registry.registerFallback(ClosureTaskHandler(body))
  return registry
}

/// Replays `history` with the timestamps compared exactly and ignored, and expects both to
/// match every event.
func expectReplays(
  _ history: ExecutionHistory, against machine: StateMachine,
  sourceLocation: Testing.SourceLocation = #_sourceLocation
) async throws {
  for timestamps in [ReplayOptions.Timestamps.exact, .ignored] {
    var options = ReplayOptions()
    options.timestamps = timestamps
    let report = try await machine.replay(history, options: options)
    #expect(
      report == .matched(eventsCompared: history.count), "\(timestamps): \(report)",
      sourceLocation: sourceLocation)
  }
}

extension ExecutionHistory {
  /// The history with the event at `position` changed by `change`.
  func changing(at position: Int, _ change: (inout HistoryEvent) -> Void) -> ExecutionHistory {
    var events = self.events
    change(&events[position])
    return ExecutionHistory(events: events, seed: seed)
  }

  /// The history with the events at `positions` moved, in this order, to just before the event
  /// now at `target`, and every id and previous event id renumbered to match — as AWS may
  /// interleave concurrent branches differently from this library.
  func moving(_ positions: [Int], before target: Int) -> ExecutionHistory {
    let original = events
    var order = original.indices.filter { !positions.contains($0) }
    let insertion = order.firstIndex(of: target) ?? order.count
    order.insert(contentsOf: positions, at: insertion)
    var newId: [Int: Int] = [0: 0]
    for (offset, position) in order.enumerated() { newId[original[position].id] = offset + 1 }
    let moved = order.map { position -> HistoryEvent in
      var event = original[position]
      event.id = newId[event.id] ?? event.id
      event.previousEventId = newId[event.previousEventId] ?? event.previousEventId
      return event
    }
    return ExecutionHistory(events: moved, seed: seed)
  }
}

extension HistoryEvent {
  /// A details member, as the event shows it in `get-execution-history` shape.
  func detail(_ member: String) -> JSON? {
    guard case .object(let object) = awsJSON else { return nil }
    for (key, value) in object where key.hasSuffix("EventDetails") { return value[member] }
    return nil
  }

  /// Replaces a member of a `.fields` event's details (the task events) with `value`.
  mutating func setField(_ member: String, to value: JSON) {
    guard case .fields(let key, var fields, let payloads) = details else { return }
    fields[member] = value
    details = .fields(key: key, fields, payloads: payloads)
  }
}

/// The tasks of distributed Map iterations (child executions) of one run: what each got and how
/// long it took, so a replay can answer them the same way.
final class ChildTaskRecording: Sendable {
  /// The distributed Map states of the shipped workflows.
  static let distributedMaps: Set<String> = ["UpscaleChunks", "ReprocessUploads"]

  private let answers = Mutex<
    [String: [(milliseconds: Int64, outcome: Result<JSON, TaskFailure>)]]
  >(
    [:])
  private static func key(_ request: TaskRequest) -> String {
    "\(request.scopes)|\(request.stateName)|\(request.attempt)"
  }

  /// Whether `request` is one replay cannot answer from the history: a task inside a
  /// distributed Map iteration (a child execution), or the Map state's own ItemReader call.
  private static func isUnrecorded(_ request: TaskRequest) -> Bool {
    distributedMaps.contains(request.stateName)
      || request.scopes.contains {
        if case .mapIteration(let name, _) = $0 { return distributedMaps.contains(name) }
        return false
      }
  }

  /// `registry`'s handlers, recording what they answer inside distributed Map iterations and
  /// to the distributed Map states' ItemReaders, in order.
  func recording(_ registry: TaskHandlerRegistry) -> TaskHandlerRegistry {
    var wrapped = TaskHandlerRegistry()
    wrapped.registerFallback(
      ClosureTaskHandler { request, context in
        guard let handler = registry.handler(for: request.resource) else {
          throw TaskFailure(error: "States.Runtime", cause: "no handler")
        }
        let start = context.now.millisecondsSinceEpoch
        let outcome: Result<JSON, TaskFailure>
        do {
          outcome = .success(try await handler.invoke(request, context: context))
        } catch let failure as TaskFailure {
          outcome = .failure(failure)
        }
        if Self.isUnrecorded(request) {
          let elapsed = context.now.millisecondsSinceEpoch - start
          self.answers.withLock { $0[Self.key(request), default: []].append((elapsed, outcome)) }
        }
        return try outcome.get()
      })
    return wrapped
  }

  /// Records, from the child executions' own histories (`ExecutionResult.mapRuns`), what the
  /// Task `stateName` of each iteration of the distributed Map `mapState` was answered: the
  /// answers of tasks run by a handler built into the engine (`states:startExecution` with
  /// machines registered), which ``recording(_:)`` does not see.
  func recordChildTasks(named stateName: String, of mapState: String, from result: ExecutionResult)
  {
    guard let run = result.mapRuns.first(where: { $0.stateName == mapState }) else { return }
    for (index, child) in run.executions.enumerated() {
      let events = child.history
      let key = "child|\(mapState)|\(index)|\(stateName)"
      guard let scheduled = events.first(where: { $0.type == "TaskScheduled" }) else { continue }
      guard
        let end = events.first(where: { $0.type == "TaskSucceeded" || $0.type == "TaskFailed" })
      else {
        // Aborted before its task ended (the Map Run failed first): it never ends in a replay
        // either, before the Map Run fails again.
        let never = TaskFailure(error: "Test.Aborted", cause: key)
        answers.withLock { $0[key] = [(864_000_000, .failure(never))] }
        continue
      }
      let json = end.awsJSON
      let outcome: Result<JSON, TaskFailure>
      if end.type == "TaskSucceeded" {
        let text = json["taskSucceededEventDetails"]?["output"]?.stringValue ?? "null"
        outcome = .success((try? JSONParser.parse(text)) ?? .null)
      } else {
        let details = json["taskFailedEventDetails"]
        outcome = .failure(
          TaskFailure(
            error: details?["error"]?.stringValue ?? "", cause: details?["cause"]?.stringValue ?? ""
          ))
      }
      let elapsed =
        end.timestamp.millisecondsSinceEpoch - scheduled.timestamp.millisecondsSinceEpoch
      answers.withLock { $0[key] = [(elapsed, outcome)] }
    }
  }

  /// How many times each key was answered, in one replay.
  private final class Served: Sendable {
    let counts = Mutex<[String: Int]>([:])
  }

  /// Handlers that answer each recorded task as it was answered, in the order it was (a new
  /// set of handlers starts again from the first answer).
  var replaying: TaskHandlerRegistry {
    let served = Served()
    var registry = TaskHandlerRegistry()
    registry.registerFallback(
      ClosureTaskHandler { [self] request, context in
        var key = Self.key(request)
        for case .mapIteration(let name, let index) in request.scopes
        where self.answers.withLock({ $0["child|\(name)|\(index)|\(request.stateName)"] != nil }) {
          key = "child|\(name)|\(index)|\(request.stateName)"
        }
        let ordinal = served.counts.withLock { served in
          defer { served[key, default: 0] += 1 }
          return served[key, default: 0]
        }
        guard let answers = self.answers.withLock({ $0[key] }), ordinal < answers.count else {
          throw TaskFailure(error: "Test.Unrecorded", cause: key)
        }
        let answer = answers[ordinal]
        try await context.sleep(seconds: Double(answer.milliseconds) / 1000)
        return try answer.outcome.get()
      })
    return registry
  }
}
