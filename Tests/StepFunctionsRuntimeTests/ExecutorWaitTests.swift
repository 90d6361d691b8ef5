import StepFunctionsJSON
import Testing

@testable import StepFunctionsRuntime

@Suite("Executor: Wait states and virtual time")
struct ExecutorWaitTests {
  /// 2025-01-01T00:00:00Z, the default virtual start.
  static let start = Instant.defaultVirtualStart

  @Test("Seconds waits that long in virtual time: WaitStateExited is stamped that much later")
  func seconds() async throws {
    let result = try await Executor.run(
      Executor.single(#"{"Type": "Wait", "Seconds": 90}"#), input: ["a": 1])
    #expect(result.status == .succeeded)
    #expect(result.output == ["a": 1])
    #expect(
      result.eventTypes == [
        "ExecutionStarted", "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded",
      ])
    #expect(result.offsets("WaitStateEntered") == [0])
    #expect(result.offsets("WaitStateExited") == [90])
    #expect(result.stopDate == ExecutorWaitTests.start.advanced(bySeconds: 90))
  }

  @Test("A 24-hour Wait finishes at once in real time, 86,400 virtual seconds later")
  func dayLongWait() async throws {
    let result = try await Executor.run(Executor.single(#"{"Type": "Wait", "Seconds": 86400}"#))
    #expect(result.status == .succeeded)
    #expect(result.stopDate.iso8601 == "2025-01-02T00:00:00.000Z")
    #expect(result.history.events.last?.timestamp.iso8601 == "2025-01-02T00:00:00.000Z")
  }

  @Test("A virtual clock can start at any instant; history timestamps follow it")
  func customStart() async throws {
    let begin = try #require(Instant(rfc3339: "2030-06-15T12:00:00Z"))
    let result = try await Executor.run(Executor.single(#"{"Type": "Wait", "Seconds": 1}"#)) {
      options in
      options.clock = .virtual(start: begin)
    }
    #expect(result.startDate == begin)
    #expect(
      result.history.events.map(\.timestamp.iso8601) == [
        "2030-06-15T12:00:00.000Z", "2030-06-15T12:00:00.000Z", "2030-06-15T12:00:01.000Z",
        "2030-06-15T12:00:01.000Z",
      ])
  }

  @Test("SecondsPath reads the wait from the effective input")
  func secondsPath() async throws {
    let result = try await Executor.run(
      Executor.single(#"{"Type": "Wait", "InputPath": "$.config", "SecondsPath": "$.delay"}"#),
      input: ["config": ["delay": 3600]])
    #expect(result.status == .succeeded)
    #expect(result.output == ["delay": 3600])
    #expect(result.offsets("WaitStateExited") == [3600])
  }

  @Test("Timestamp waits until that instant, honouring its offset")
  func timestamp() async throws {
    let result = try await Executor.run(
      Executor.single(#"{"Type": "Wait", "Timestamp": "2025-01-01T02:30:00+01:00"}"#))
    #expect(result.offsets("WaitStateExited") == [5400])
  }

  @Test("A Timestamp in the past does not wait")
  func pastTimestamp() async throws {
    let result = try await Executor.run(
      Executor.single(#"{"Type": "Wait", "Timestamp": "2016-03-14T01:59:00Z"}"#))
    #expect(result.status == .succeeded)
    #expect(result.offsets("WaitStateExited") == [0])
  }

  @Test("TimestampPath reads the instant from the input, fractions included")
  func timestampPath() async throws {
    let result = try await Executor.run(
      Executor.single(#"{"Type": "Wait", "TimestampPath": "$.until"}"#),
      input: ["until": "2025-01-01T00:00:02.500Z"])
    #expect(result.offsets("WaitStateExited") == [2.5])
  }

  struct BadValue: CustomTestStringConvertible, Sendable {
    var field: String
    var input: String
    var cause: String
    var testDescription: String { "\(field) with \(input)" }
  }

  static let badValues: [BadValue] = [
    BadValue(
      field: #""SecondsPath": "$.s""#, input: #"{"s": 1.5}"#,
      cause: "The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5"),
    BadValue(
      field: #""SecondsPath": "$.s""#, input: #"{"s": -1}"#,
      cause: "The SecondsPath parameter references a negative value: $.s == -1"),
    BadValue(
      field: #""SecondsPath": "$.s""#, input: #"{"t": 1}"#,
      cause: "The SecondsPath parameter does not reference an input value: $.s"),
    BadValue(
      field: #""TimestampPath": "$.t""#, input: #"{"t": "2016-12-05T21:29:29"}"#,
      cause:
        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.t == 2016-12-05T21:29:29"
    ),
    BadValue(
      field: #""TimestampPath": "$.t""#, input: #"{"t": "2016-13-05T21:29:29Z"}"#,
      cause:
        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.t == 2016-13-05T21:29:29Z"
    ),
    BadValue(
      field: #""TimestampPath": "$.t""#, input: #"{"s": 1}"#,
      cause: "The TimestampPath parameter does not reference an input value: $.t"),
  ]

  @Test(
    "A bad SecondsPath or TimestampPath value fails with States.Runtime and AWS's message",
    arguments: badValues)
  func badValue(_ example: BadValue) async throws {
    let result = try await Executor.run(
      #"{"StartAt": "WaitState", "States": {"WaitState": {"Type": "Wait", \#(example.field), "End": true}}}"#,
      input: Executor.json(example.input))
    #expect(result.status == .failed)
    #expect(result.error == "States.Runtime")
    #expect(
      result.cause
        == "An error occurred while executing the state 'WaitState' (entered at the event id #2). \(example.cause)"
    )
    #expect(result.eventTypes == ["ExecutionStarted", "WaitStateEntered", "ExecutionFailed"])
  }

  @Test("Consecutive Waits add up, and $$.State.EnteredTime shows virtual time")
  func enteredTime() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "W1", "States": {
        "W1": {"Type": "Wait", "Seconds": 60, "Next": "W2"},
        "W2": {"Type": "Wait", "Seconds": 3600, "Next": "Stamp"},
        "Stamp": {"Type": "Pass", "Parameters": {"entered.$": "$$.State.EnteredTime", "started.$": "$$.Execution.StartTime"}, "End": true}}}
      """#)
    #expect(
      result.output == [
        "entered": "2025-01-01T01:01:00.000Z", "started": "2025-01-01T00:00:00.000Z",
      ])
  }
}
