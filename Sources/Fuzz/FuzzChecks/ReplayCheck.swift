import FuzzSupport
import MediaTasks
import StepFunctionsJSON
import StepFunctionsLanguage
import StepFunctionsReplay
import StepFunctionsRuntime

/// The checks of the `FuzzReplay` target: record an execution on the virtual clock, replay its
/// history (``StateMachine/replay(_:options:)``), then replay it changed.
///
/// Input: a definition (a shipped workflow or a fuzzed machine), then a line `#input` and the
/// execution input (as in `FuzzExecution`), then a line `#mutate` and the bytes that change the
/// history (see ``HistoryMutation``). Tasks are answered by ``EchoHandler``; after a line
/// `#input media` instead, by MediaTasks' simulated services (the shipped workflows' world),
/// with ``EchoHandler`` for any other resource. Executions are capped at
/// ``maximumHistoryEvents`` events.
///
/// Invariants: replay never traps. The recorded history, and the same history written as AWS
/// CLI text and imported again, replay as `matched` with every event compared (a history with
/// a distributed Map's Map Run: `incomplete` at the Map Run, whose child executions are not in
/// it; a recording cut short by the event cap is not required to match). A changed history
/// gives `matched` (every event compared), `diverged` or `incomplete` within its events, or a
/// `ReplayError` with a message; two replays of the same history give the same report and the
/// same replayed history.
public enum ReplayCheck {
  /// The line between the definition and the input, followed by ` media` for MediaTasks'
  /// handlers, and a newline.
  public static let inputSeparator = Array("\n#input".utf8)
  /// The line between the input and the mutation bytes.
  public static let mutationSeparator = Array("\n#mutate\n".utf8)
  /// The cap on history events (fewer than AWS's 25,000 keep each input fast).
  public static let maximumHistoryEvents = 400
  /// The seed of the recorded execution.
  public static let seed: UInt64 = 20_251_203
  /// How the cause of an execution stopped by the event cap starts.
  static let historyLimitCause = "The execution reached the maximum number of history events"

  /// The invariants `bytes` breaks (empty when it breaks none, or when it is not a definition
  /// that compiles).
  public static func problems(_ bytes: [UInt8]) async -> [String] {
    let (head, mutationBytes) = FuzzInput.split(bytes, at: mutationSeparator)
    let (definitionBytes, rest) = FuzzInput.split(head, at: inputSeparator)
    let (mode, inputBytes) = rest.map(FuzzInput.firstLine) ?? ("", nil)
    guard let document = try? JSONParser.parseDocument(definitionBytes),
      let definition = StateMachineLoader.load(document).definition,
      let machine = try? StateMachine(definition: definition)
    else { return [] }
    let input: JSON
    if let inputBytes {
      input =
        (try? JSONParser.parse(inputBytes)) ?? .string(String(decoding: inputBytes, as: UTF8.self))
    } else {
      input = [:]
    }

    let recorded = await record(machine, input, media: mode == " media")
    let history = recorded.history
    var problems: [String] = []
    if recorded.cause?.hasPrefix(historyLimitCause) != true {
      problems += await replaysUnchanged(machine, history, imported: false)
      problems += await replaysUnchanged(machine, history, imported: true)
      problems += await replaysRedriven(machine, recorded, media: mode == " media")
    }
    if let mutationBytes {
      problems += await replaysChanged(machine, history, mutationBytes)
    }
    return problems
  }

  /// Runs `machine` on `input` as the recording to replay.
  static func record(_ machine: StateMachine, _ input: JSON, media: Bool) async
    -> ExecutionResult
  {
    var options = ExecutionOptions()
    options.seed = seed
    options.maximumHistoryEvents = maximumHistoryEvents
    var handlers = media ? MediaTasks.defaultHandlers : TaskHandlerRegistry()
    handlers.registerFallback(EchoHandler())
    options.handlers = handlers
    return await machine.run(input: input, options: options)
  }

  /// A failed execution redriven with the same handlers: the whole history, through its
  /// `ExecutionRedriven`, must replay as matched (a distributed Map's child executions aside).
  static func replaysRedriven(_ machine: StateMachine, _ recorded: ExecutionResult, media: Bool)
    async -> [String]
  {
    guard recorded.status != .succeeded, recorded.status != .running,
      !recorded.history.events.contains(where: { $0.type == "MapRunStarted" })
    else { return [] }
    var options = RedriveOptions()
    options.maximumHistoryEvents = maximumHistoryEvents
    var handlers = media ? MediaTasks.defaultHandlers : TaskHandlerRegistry()
    handlers.registerFallback(EchoHandler())
    options.handlers = handlers
    // What AWS would refuse, or a history a redrive cannot continue, is no problem here.
    guard let redriven = try? await machine.redrive(recorded.history, options: options),
      redriven.cause?.hasPrefix(historyLimitCause) != true
    else { return [] }
    let history = redriven.history
    do {
      let report = try await machine.replay(history)
      if report == .matched(eventsCompared: history.count) { return [] }
      return ["the redriven history replays as \(report), not matched (\(history.count) events)"]
    } catch {
      return ["the redriven history cannot be replayed: \(error)"]
    }
  }

  /// The history replayed as recorded (or exported as AWS CLI text and imported) must match.
  static func replaysUnchanged(_ machine: StateMachine, _ history: ExecutionHistory, imported: Bool)
    async -> [String]
  {
    var replayed = history
    var options = ReplayOptions()
    let form = imported ? "the recorded history, exported and imported," : "the recorded history"
    if imported {
      do {
        replayed = try ExecutionHistory(importing: Array(history.awsCLIText.utf8))
      } catch {
        return ["\(form) does not import: \(error)"]
      }
      options.seed = seed
    }
    let hasMapRun = history.events.contains { $0.type == "MapRunStarted" }
    do {
      let report = try await machine.replay(replayed, options: options)
      switch report {
      case .matched(let count) where !hasMapRun && count == history.count:
        return []
      case .incomplete(let limit) where hasMapRun:
        if case .childExecutions = limit.reason { return [] }
      default:
        break
      }
      let expected = hasMapRun ? "incomplete at the Map Run" : "matched (\(history.count) events)"
      return ["\(form) replays as \(report), not \(expected)"]
    } catch {
      return ["\(form) cannot be replayed: \(error)"]
    }
  }

  /// A changed history replays to some report or a located error, the same way twice.
  static func replaysChanged(
    _ machine: StateMachine, _ history: ExecutionHistory, _ mutationBytes: [UInt8]
  ) async -> [String] {
    let mutation = HistoryMutation(mutationBytes)
    var changed = ExecutionHistory(events: mutation.apply(to: history.events), seed: history.seed)
    if mutation.throughText {
      do {
        changed = try ExecutionHistory(importing: Array(changed.awsCLIText.utf8))
      } catch {
        if error.message.isEmpty { return ["a changed history's import error has no message"] }
        return []
      }
    }
    var options = ReplayOptions()
    options.timestamps = mutation.timestamps
    options.seed = seed
    let first = await outcome(machine, changed, options)
    let second = await outcome(machine, changed, options)
    var problems: [String] = []
    if first != second {
      problems.append("two replays of one changed history differ:\n\(first)\n---\n\(second)")
    }
    switch first {
    case .report(let report, _):
      switch report {
      case .matched(let count) where count != changed.count:
        problems.append("a changed history of \(changed.count) events matched \(count)")
      case .diverged(let divergence) where divergence.message.isEmpty:
        problems.append("a divergence without a message: \(divergence)")
      case .diverged(let divergence) where divergence.eventsCompared > changed.count:
        problems.append("\(divergence.eventsCompared) of \(changed.count) events compared")
      case .incomplete(let limit) where limit.eventsCompared > changed.count:
        problems.append("\(limit.eventsCompared) of \(changed.count) events compared")
      default: break
      }
    case .error(let message):
      if message.isEmpty { problems.append("a ReplayError without a message") }
    }
    return problems
  }

  /// What one replay gave: its report and the replayed history as text, or its error.
  enum Outcome: Equatable, CustomStringConvertible {
    case report(ReplayReport, history: [UInt8])
    case error(String)

    var description: String {
      switch self {
      case .report(let report, let history):
        return "\(report)\n\(String(decoding: history, as: UTF8.self))"
      case .error(let message): return "ReplayError: \(message)"
      }
    }
  }

  static func outcome(
    _ machine: StateMachine, _ history: ExecutionHistory, _ options: ReplayOptions
  ) async -> Outcome {
    do {
      let result = try await machine.replayResult(for: history, options: options)
      let events = result.execution.map { JSONSerializer().bytes($0.history.awsJSON) } ?? []
      return .report(result.report, history: events)
    } catch {
      return .error(error.message)
    }
  }
}

/// Changes to a recorded history, read from fuzzer bytes.
///
/// The first byte sets the replay: bit 0 ignores timestamps (``ReplayOptions/Timestamps/ignored``,
/// else ``ReplayOptions/Timestamps/exact``), bit 1 writes the changed history as AWS CLI text and
/// imports it before replaying. Each following group of three bytes is one change — what, at
/// which event (modulo the count), and an argument: a payload or name replaced, an event
/// dropped, duplicated or moved, a timestamp shifted, an id or previous id renumbered. At most
/// ``maximumChanges`` changes are read.
public struct HistoryMutation: Sendable {
  /// The most changes one input makes.
  public static let maximumChanges = 8

  /// How the changed history is replayed.
  public var timestamps: ReplayOptions.Timestamps
  /// Whether the changed history goes through AWS CLI text and the importer.
  public var throughText: Bool
  /// The changes: (what, where, argument).
  public var changes: [(kind: UInt8, position: Int, argument: UInt8)]

  /// Reads the changes from `bytes`.
  public init(_ bytes: [UInt8]) {
    let flags = bytes.first ?? 0
    timestamps = flags & 1 == 0 ? .exact : .ignored
    throughText = flags & 2 != 0
    changes = []
    var offset = 1
    while offset + 3 <= bytes.count, changes.count < Self.maximumChanges {
      changes.append((bytes[offset], Int(bytes[offset + 1]), bytes[offset + 2]))
      offset += 3
    }
  }

  /// Values a payload is replaced with.
  static let replacements: [JSON] = [
    .null, 0, -1, 1.5, "fuzz", "", true, [], [:], ["fuzz": 1], [1, "a"], "2016-03-14T01:59:00Z",
  ]

  /// Timestamp shifts, in milliseconds.
  static let shifts: [Int64] = [
    1, -1, 1_000, -1_000, 60_000, 3_600_000, -86_400_000, 31_536_000_000, Int64.max / 2,
    Int64.min / 2,
  ]

  /// `events` with the changes made.
  public func apply(to events: [HistoryEvent]) -> [HistoryEvent] {
    var events = events
    for change in changes where !events.isEmpty {
      let position = change.position % events.count
      let argument = Int(change.argument)
      switch change.kind % 6 {
      case 0:
        events[position].details = Self.changed(events[position].details, argument)
      case 1:
        events.remove(at: position)
      case 2:
        events.insert(events[position], at: position)
      case 3:
        let event = events.remove(at: position)
        events.insert(event, at: argument % (events.count + 1))
      case 4:
        let shift = Self.shifts[argument % Self.shifts.count]
        let (sum, overflow) = events[position].timestamp.millisecondsSinceEpoch
          .addingReportingOverflow(shift)
        events[position].timestamp = Instant(millisecondsSinceEpoch: overflow ? shift : sum)
      default:
        if argument & 1 == 0 {
          events[position].id = argument / 2 - 4
        } else {
          events[position].previousEventId = argument / 2 - 4
        }
      }
    }
    return events
  }

  /// `details` with one payload, name, error or number replaced.
  static func changed(_ details: HistoryEvent.Details, _ argument: Int) -> HistoryEvent.Details {
    let value = replacements[argument % replacements.count]
    let renames = argument & 0x80 != 0
    switch details {
    case .none:
      return .failure(key: "fuzzEventDetails", error: "Fuzz", cause: nil)
    case .executionStarted(_, let role):
      return .executionStarted(input: value, roleArn: renames ? "arn:aws:iam::1:role/fuzz" : role)
    case .executionSucceeded:
      return .executionSucceeded(output: value)
    case .failure(let key, let error, let cause):
      return renames
        ? .failure(key: key, error: error.map { $0 + "X" } ?? "Fuzz", cause: cause)
        : .failure(key: key, error: error, cause: value.stringValue ?? value.serialized())
    case .stateEntered(let name, let input):
      return renames
        ? .stateEntered(name: name + "X", input: input)
        : .stateEntered(
          name: name, input: value)
    case .stateExited(let name, let output, let assigned):
      if renames {
        return .stateExited(name: name + "X", output: output, assignedVariables: assigned)
      }
      if argument & 0x40 != 0 {
        return .stateExited(name: name, output: output, assignedVariables: ["fuzz": value])
      }
      return .stateExited(name: name, output: value, assignedVariables: assigned)
    case .mapStateStarted(let length):
      return .mapStateStarted(length: length + argument % 5 - 2)
    case .mapIteration(let key, let name, let index):
      return renames
        ? .mapIteration(key: key, name: name + "X", index: index)
        : .mapIteration(key: key, name: name, index: index + argument % 5 - 2)
    case .fields(let key, var fields, let payloads):
      guard !fields.isEmpty else {
        return .fields(key: key, ["fuzz": value], payloads: payloads)
      }
      let position = argument % fields.count
      let member = fields[position]
      if payloads.contains(member.key) || !renames {
        fields.setValue(value, at: position)
      } else {
        fields.setValue(.string((member.value.stringValue ?? "") + "X"), at: position)
      }
      return .fields(key: key, fields, payloads: payloads)
    }
  }
}
