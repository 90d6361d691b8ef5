import FuzzChecks
import FuzzSupport
import StepFunctionsJSON
import StepFunctionsLanguage
import StepFunctionsRuntime

/// Fuzzes the executor: a fuzzed definition run on a fuzzed input, on the virtual clock.
///
/// Input: the definition, then a line `#input`, then the execution input (no such line: the
/// input is `{}`; input that is not JSON: the input is that text as a string). Every Task state
/// is served by ``EchoHandler``, which answers deterministically from its parameters. Work is
/// capped by ``maximumHistoryEvents``.
///
/// Invariants: a definition the validator accepts compiles (JSONata excepted) and runs to an end
/// (never `RUNNING`); two runs with one seed give byte-identical status, error, cause, output and
/// history; a run without history ends the same way; the history is numbered 1, 2, 3..., each
/// event follows an earlier one, time never goes back, it starts with `ExecutionStarted` and
/// ends with the event of the final status; there are no more events than the limit allows; a
/// failed execution has an error, a succeeded one an output within the payload limit.
enum ExecutionTarget {
  /// The line between the definition and the input.
  static let separator = Array("\n#input\n".utf8)
  /// The cap on history events (AWS allows 25,000; fewer keep each input fast).
  static let maximumHistoryEvents = 400
  /// The seed of both runs.
  static let seed: UInt64 = 20_251_203

  static func test(_ bytes: [UInt8]) {
    let (definitionBytes, inputBytes) = FuzzInput.split(bytes, at: separator)
    guard let document = try? JSONParser.parseDocument(definitionBytes) else { return }
    guard let definition = StateMachineLoader.load(document).definition else { return }
    let machine: StateMachine
    do {
      machine = try StateMachine(definition: definition)
    } catch {
      if case .unsupported(let message) = error, message.contains("JSONata") { return }
      Invariant.fail("a valid definition does not compile: \(error)")
    }
    let input: JSON
    if let inputBytes {
      input =
        (try? JSONParser.parse(inputBytes)) ?? .string(String(decoding: inputBytes, as: UTF8.self))
    } else {
      input = [:]
    }

    let first = Run(machine, input, recordsHistory: true)
    let second = Run(machine, input, recordsHistory: true)
    Invariant.require(
      first.summary == second.summary,
      "two runs with one seed differ:\n\(first.summary)\n---\n\(second.summary)")
    Invariant.require(
      first.history == second.history, "two runs with one seed write different histories")
    let quiet = Run(machine, input, recordsHistory: false)
    Invariant.require(
      quiet.summary == first.summary,
      "a run without history ends differently:\n\(quiet.summary)\n---\n\(first.summary)")
    check(first.result)
  }

  /// One execution, reduced to bytes that two runs must share.
  struct Run {
    var result: ExecutionResult
    var summary: String
    var history: [UInt8]

    init(_ machine: StateMachine, _ input: JSON, recordsHistory: Bool) {
      var options = ExecutionOptions()
      options.seed = ExecutionTarget.seed
      options.maximumHistoryEvents = ExecutionTarget.maximumHistoryEvents
      options.recordsHistory = recordsHistory
      options.handlers.registerFallback(EchoHandler())
      let settings = options
      let result = FuzzDriver.wait { await machine.run(input: input, options: settings) }
      self.result = result
      summary = [
        result.status.rawValue, result.error ?? "-", result.cause ?? "-",
        result.output.map { $0.serialized() } ?? "-", result.executionArn,
        "\(result.startDate.millisecondsSinceEpoch)", "\(result.stopDate.millisecondsSinceEpoch)",
      ].joined(separator: "\n")
      history = recordsHistory ? JSONSerializer().bytes(result.history.awsJSON) : []
    }
  }

  static func check(_ result: ExecutionResult) {
    Invariant.require(result.status != .running, "the execution ended RUNNING")
    Invariant.require(
      result.stopDate >= result.startDate, "the execution stopped before it started")
    switch result.status {
    case .failed, .timedOut:
      Invariant.require(result.error != nil, "a \(result.status) execution without an error")
    case .succeeded:
      guard let output = result.output else {
        Invariant.fail("a SUCCEEDED execution without output")
      }
      Invariant.require(
        output.serializedByteCount <= 262_144,
        "the output (\(output.serializedByteCount) bytes) passes the payload limit")
    case .running, .aborted:
      break
    }
    let events = result.history.events
    Invariant.require(
      events.count <= maximumHistoryEvents,
      "\(events.count) events, past the limit of \(maximumHistoryEvents)")
    guard let firstEvent = events.first, let lastEvent = events.last else {
      Invariant.fail("an empty history")
    }
    Invariant.require(
      firstEvent.type == "ExecutionStarted", "the history starts with \(firstEvent.type)")
    let finalType: String
    switch result.status {
    case .succeeded: finalType = "ExecutionSucceeded"
    case .failed: finalType = "ExecutionFailed"
    case .timedOut: finalType = "ExecutionTimedOut"
    case .aborted: finalType = "ExecutionAborted"
    case .running: finalType = "-"
    }
    Invariant.require(
      lastEvent.type == finalType, "a \(result.status) history ends with \(lastEvent.type)")
    var previousTime = firstEvent.timestamp
    for (position, event) in events.enumerated() {
      Invariant.require(event.id == position + 1, "event \(position + 1) is numbered \(event.id)")
      Invariant.require(
        event.previousEventId >= 0 && event.previousEventId < event.id,
        "event \(event.id) (\(event.type)) follows event \(event.previousEventId)")
      Invariant.require(
        event.timestamp >= previousTime,
        "event \(event.id) (\(event.type)) at \(event.timestamp) comes before \(previousTime)")
      previousTime = event.timestamp
    }
  }
}
