import Foundation
import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

@testable import StepFunctionsRuntime

/// Shared helpers for the executor suites: build a machine from inline ASL text, run it on the
/// virtual clock, and read the history.
enum Executor {
  /// A machine from ASL text; a definition the validator rejects is a test failure.
  static func machine(_ definition: String) throws -> StateMachine {
    try StateMachine(json: definition)
  }

  /// Runs `definition` on `input` with handlers and options.
  static func run(
    _ definition: String, input: JSON = [:], seed: UInt64 = 0,
    handlers: [String: ClosureTaskHandler] = [:],
    configure: (inout ExecutionOptions) -> Void = { _ in }
  ) async throws -> ExecutionResult {
    let machine = try machine(definition)
    var options = ExecutionOptions()
    options.seed = seed
    options.executionName = "test-execution"
    for (key, handler) in handlers.sorted(by: { $0.key < $1.key }) {
      if key.hasPrefix("arn:") {
        options.handlers.register(handler, forResource: key)
      } else {
        options.handlers.register(handler, forIntegration: key)
      }
    }
    configure(&options)
    return await machine.run(input: input, options: options)
  }

  /// A one-state machine: `state` (a JSON object text without `End`/`Next`) as `S`, ending the
  /// execution.
  static func single(_ state: String) -> String {
    let body = state.trimmingCharacters(in: .whitespacesAndNewlines).dropLast()
    return #"{"StartAt": "S", "States": {"S": "# + body + #", "End": true}}}"#
  }

  /// Parses JSON text written in a test.
  static func json(_ text: String) throws -> JSON { try JSON(parsing: text) }

  /// A handler that returns `value`.
  static func returning(_ value: JSON) -> ClosureTaskHandler {
    ClosureTaskHandler { _, _ in value }
  }

  /// A handler that echoes its parameters.
  static let echo = ClosureTaskHandler { request, _ in request.parameters }
}

extension ExecutionResult {
  /// The event types, in order.
  var eventTypes: [String] { history.events.map(\.type) }

  /// The events of one type.
  func events(_ type: String) -> [HistoryEvent] { history.events.filter { $0.type == type } }

  /// Seconds of virtual time from the start of the execution to `event`.
  func offset(of event: HistoryEvent) -> Double {
    Double(event.timestamp.millisecondsSinceEpoch - startDate.millisecondsSinceEpoch) / 1000
  }

  /// Offsets (seconds) of every event of `type`.
  func offsets(_ type: String) -> [Double] { events(type).map { offset(of: $0) } }

  /// The details object of the first event of `type`, as `get-execution-history` prints it.
  func details(_ type: String) -> JSONObject? {
    guard let event = events(type).first, case .object(let object) = event.awsJSON else {
      return nil
    }
    for (key, value) in object where key.hasSuffix("EventDetails") { return value.objectValue }
    return nil
  }

  /// The outputs of every `...StateExited` event for state `name`, parsed.
  func exitedOutputs(_ name: String) -> [JSON] {
    history.events.compactMap { event in
      if case .stateExited(let exited, let output, _) = event.details, exited == name {
        return output
      }
      return nil
    }
  }

  /// The inputs of every `...StateEntered` event for state `name`.
  func enteredInputs(_ name: String) -> [JSON] {
    history.events.compactMap { event in
      if case .stateEntered(let entered, let input) = event.details, entered == name {
        return input
      }
      return nil
    }
  }

  /// "STATUS output|error: cause", for readable failure messages.
  var summary: String {
    "\(status.rawValue) \(output?.serialized() ?? "") \(error ?? "") \(cause ?? "")"
  }
}
