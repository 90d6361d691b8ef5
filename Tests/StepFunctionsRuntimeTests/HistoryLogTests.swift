import StepFunctionsJSON
import Testing

@testable import StepFunctionsRuntime

/// The history is recorded as a compact log and built into events when read; these tests check
/// that what is read is the same whichever way it was kept.
@Suite("History log")
struct HistoryLogTests {
  static let definition = """
    {"StartAt": "P", "States": {
      "P": {"Type": "Pass", "Parameters": {"a.$": "$.x"}, "ResultPath": "$.p", "Next": "A"},
      "A": {"Type": "Pass", "Assign": {"v": 1}, "Next": "T"},
      "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
            "ResultPath": null, "Next": "C"},
      "C": {"Type": "Choice", "Choices": [{"Variable": "$.p.a", "NumericEquals": 3,
            "Next": "Done"}], "Default": "Done"},
      "Done": {"Type": "Succeed"}}}
    """

  @Test("Events read from the log have ids in order, types, names and payloads")
  func eventsFromLog() async throws {
    let result = try await Executor.run(
      Self.definition, input: ["x": 3],
      handlers: ["arn:aws:lambda:us-east-1:123456789012:function:f": Executor.returning("done")])
    #expect(result.status == .succeeded)
    let events = result.history.events
    #expect(result.history.count == events.count)
    #expect(events.map(\.id) == Array(1...events.count))
    #expect(
      events.map(\.type) == [
        "ExecutionStarted", "PassStateEntered", "PassStateExited", "PassStateEntered",
        "PassStateExited", "TaskStateEntered", "LambdaFunctionScheduled",
        "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited",
        "ChoiceStateEntered", "ChoiceStateExited", "SucceedStateEntered", "SucceedStateExited",
        "ExecutionSucceeded",
      ])
    guard case .stateExited(let name, let output, let assigned) = events[2].details else {
      Issue.record("expected a state exited event, got \(events[2].details)")
      return
    }
    #expect(name == "P")
    #expect(output == ["x": 3, "p": ["a": 3]])
    #expect(assigned == nil)
    guard case .stateExited(_, _, let assignedByA) = events[4].details else {
      Issue.record("expected a state exited event, got \(events[4].details)")
      return
    }
    #expect(assignedByA == ["v": 1])
    guard case .stateEntered(let entered, let input) = events[10].details else {
      Issue.record("expected a state entered event, got \(events[10].details)")
      return
    }
    #expect(entered == "C")
    #expect(input == ["x": 3, "p": ["a": 3]])
  }

  @Test("Reading the events twice gives the same events; replacing them replaces them")
  func readTwiceAndReplace() async throws {
    var result = try await Executor.run(
      Self.definition, input: ["x": 1],
      handlers: ["arn:aws:lambda:us-east-1:123456789012:function:f": Executor.returning(nil)])
    let first = result.history.awsJSON
    #expect(result.history.awsJSON == first)
    result.history.events.removeLast()
    #expect(result.history.count == 14)
    #expect(result.history.events.last?.type == "SucceedStateExited")
  }

  @Test("With history off the log is empty")
  func historyOff() async throws {
    let result = try await Executor.run(
      Self.definition, input: ["x": 1],
      handlers: ["arn:aws:lambda:us-east-1:123456789012:function:f": Executor.returning(nil)]
    ) { $0.recordsHistory = false }
    #expect(result.status == .succeeded)
    #expect(result.history.count == 0)
    #expect(result.history.events.isEmpty)
  }

  @Test("A long history spans many record chunks and reads back whole")
  func longHistory() async throws {
    let loop = """
      {"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": {"i": 0}, "ResultPath": "$.c", "Next": "Add"},
        "Add": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.c.i, 1)"},
                "ResultPath": "$.c", "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.c.i", "NumericLessThan": 2000,
                  "Next": "Add"}], "Default": "Done"},
        "Done": {"Type": "Succeed"}}}
      """
    let result = try await Executor.run(loop) { $0.maximumHistoryEvents = nil }
    #expect(result.status == .succeeded)
    let events = result.history.events
    #expect(result.history.count == 8_006)
    #expect(events.count == 8_006)
    #expect(events.map(\.id) == Array(1...events.count))
    // Every state's input is the output of the state before it.
    var previousOutput: JSON?
    for event in events {
      switch event.details {
      case .stateEntered(_, let input):
        if let previousOutput { #expect(input == previousOutput) }
      case .stateExited(_, let output, _):
        previousOutput = output
      default:
        break
      }
    }
    #expect(previousOutput == ["c": ["i": 2000]])
  }
}
