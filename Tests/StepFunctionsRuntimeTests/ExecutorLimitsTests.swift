import Foundation
import StepFunctionsJSON
import Testing

@testable import StepFunctionsLanguage
@testable import StepFunctionsRuntime

/// The reproducers of issue 10 (found by fuzzing) and the limits that stop them: out-of-range
/// `...Path` values, deadlines past the clock's range, retry storms against the history-event
/// limit, and payloads and variables that double in a loop. Each machine is the reproducer's
/// one line of ASL; each test checks the end AWS gives (or, where AWS records none, the one
/// recorded in Docs/Decisions.md).
@Suite("Limits: what fuzzing found")
struct ExecutorLimitsTests {
  /// A handler that always fails with `Boom`.
  static let failing = ClosureTaskHandler { _, _ in throw TaskFailure(error: "Boom", cause: "") }

  static let historyLimitCause =
    "The execution reached the maximum number of history events (25000)."

  // MARK: Paths out of range (#1, #2)

  @Test("#1 A SecondsPath value past 99,999,999 fails the Wait with States.Runtime")
  func waitSecondsPathOutOfRange() async throws {
    let result = try await Executor.run(
      #"{"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.w", "End": true}}}"#,
      input: ["w": 10_000_000_000_000_000])
    #expect(result.status == .failed)
    #expect(result.error == "States.Runtime")
    #expect(
      result.cause
        == "An error occurred while executing the state 'W' (entered at the event id #2). The SecondsPath parameter references a value greater than the maximum allowed value 99999999: $.w == 10000000000000000"
    )
  }

  @Test("A SecondsPath value of exactly 99,999,999 waits that long")
  func waitSecondsPathAtTheLimit() async throws {
    let result = try await Executor.run(
      #"{"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.w", "End": true}}}"#,
      input: ["w": 99_999_999])
    #expect(result.status == .succeeded)
    #expect(
      result.stopDate.millisecondsSinceEpoch - result.startDate.millisecondsSinceEpoch
        == 99_999_999_000)
  }

  @Test(
    "#2 TimeoutSecondsPath and HeartbeatSecondsPath past 99,999,999 fail the Task with States.Runtime",
    arguments: ["TimeoutSecondsPath", "HeartbeatSecondsPath"])
  func taskSecondsPathOutOfRange(field: String) async throws {
    let result = try await Executor.run(
      #"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "\#(field)": "$.t", "Parameters": {"x": 1}, "End": true}}}"#,
      input: ["t": 10_000_000_000_000_000], handlers: ["lambda:invoke": Executor.echo])
    #expect(result.status == .failed)
    #expect(result.error == "States.Runtime")
    #expect(
      result.cause
        == "An error occurred while executing the state 'T' (entered at the event id #2). The \(field) field refers to value 10000000000000000 which is greater than the maximum allowed value 99999999: $.t"
    )
    #expect(result.events("TaskScheduled").isEmpty)
  }

  @Test("A TimeoutSecondsPath of 1e300 or of a huge integer is out of range too, not a trap")
  func taskSecondsPathHuge() async throws {
    for value: JSON in [1e300, try Executor.json("123456789012345678901234567890")] {
      let result = try await Executor.run(
        #"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSecondsPath": "$.t", "End": true}}}"#,
        input: ["t": value], handlers: ["lambda:invoke": Executor.echo])
      #expect(result.error == "States.Runtime")
      #expect(result.cause?.contains("greater than the maximum allowed value 99999999") == true)
    }
  }

  // MARK: Deadlines past the clock (#3, #6)

  @Test("#3 A BackoffRate of 1e300 pushes the retries to the clock's last instant, then fails")
  func hugeBackoffRate() async throws {
    let result = try await Executor.run(
      #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"fail":"Boom"},"Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":3,"BackoffRate":1e300}],"End":true}}}"#,
      handlers: ["lambda:invoke": Self.failing])
    #expect(result.status == .failed)
    #expect(result.error == "Boom")
    #expect(result.events("TaskFailed").count == 4)
    // First retry after IntervalSeconds (1 s); the next ones would be 1e300 s and ∞ later.
    #expect(result.offsets("TaskScheduled").prefix(2) == [0, 1])
    #expect(result.stopDate == Instant.latest)
    #expect(result.events("TaskScheduled").last?.timestamp.iso8601 == "9999-12-31T23:59:59.999Z")
  }

  @Test("#6 Full jitter over an interval grown past every bound draws a delay without trapping")
  func jitterOverHugeInterval() async throws {
    let result = try await Executor.run(
      #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":99999999,"MaxAttempts":6,"BackoffRate":1e300,"JitterStrategy":"FULL"}],"End":true}}}"#,
      handlers: ["lambda:invoke": Self.failing])
    #expect(result.status == .failed)
    #expect(result.error == "Boom")
    #expect(result.events("TaskFailed").count == 7)
    #expect(result.stopDate <= Instant.latest)
  }

  @Test(
    "A handler that sleeps for ever is cut by TimeoutSeconds; one that sleeps NaN spends nothing")
  func handlerSleepsOutOfRange() async throws {
    let forever = ClosureTaskHandler { _, context in
      try await context.sleep(seconds: .infinity)
      context.scheduleCallback(after: 1e300, .heartbeat)
      return [:]
    }
    let timedOut = try await Executor.run(
      Executor.single(
        #"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 10}"#),
      handlers: ["lambda:invoke": forever])
    #expect(timedOut.error == "States.Timeout")
    #expect(timedOut.offsets("TaskTimedOut") == [10])
    let unbounded = try await Executor.run(
      Executor.single(#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke"}"#),
      handlers: ["lambda:invoke": forever])
    #expect(unbounded.status == .succeeded)
    #expect(unbounded.stopDate == Instant.latest)
    let notANumber = try await Executor.run(
      Executor.single(#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke"}"#),
      handlers: [
        "lambda:invoke": ClosureTaskHandler { _, context in
          try await context.sleep(seconds: .nan)
          try await context.sleep(seconds: -5)
          return [:]
        }
      ])
    #expect(notANumber.status == .succeeded)
    #expect(notANumber.stopDate == notANumber.startDate)
  }

  // MARK: Retry storms and the history limit (#4, #5)

  /// Checks that `result` ended as AWS ends an execution at the history limit: its 25,000th
  /// event is the `ExecutionFailed`, pointing at the 24,999th.
  func expectHistoryLimit(_ result: ExecutionResult, limit: Int = 25_000) {
    #expect(result.status == .failed)
    #expect(result.error == "States.Runtime")
    #expect(
      result.cause == "The execution reached the maximum number of history events (\(limit)).")
    let events = result.history.events
    #expect(events.count == limit)
    #expect(events.last?.type == "ExecutionFailed")
    #expect(events.last?.id == limit)
    #expect(events.last?.previousEventId == limit - 1)
  }

  @Test(
    "#4 #5 A Task retried 99,999,999 times ends at the history limit, whatever the BackoffRate",
    arguments: [1.0, 2.0])
  func taskRetryStorm(rate: Double) async throws {
    let result = try await Executor.run(
      #"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"fail": "Boom"}, "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 99999999, "BackoffRate": \#(rate), "IntervalSeconds": 1}], "End": true}}}"#,
      handlers: ["lambda:invoke": Self.failing])
    expectHistoryLimit(result)
    #expect(result.stopDate <= Instant.latest)
  }

  @Test(
    "#4 #5 A Parallel state retried 99,999,999 times ends at the history limit",
    arguments: [1.0, 2.0])
  func parallelRetryStorm(rate: Double) async throws {
    let result = try await Executor.run(
      #"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom"}}}], "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 99999999, "BackoffRate": \#(rate)}], "End": true}}}"#
    )
    expectHistoryLimit(result)
  }

  @Test("#5 Events are counted when history is not kept: the retry storm still ends")
  func retryStormWithoutHistory() async throws {
    let result = try await Executor.run(
      #"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 100000, "BackoffRate": 1}], "End": true}}}"#,
      handlers: ["lambda:invoke": Self.failing]
    ) { $0.recordsHistory = false }
    #expect(result.status == .failed)
    #expect(result.error == "States.Runtime")
    #expect(result.cause == Self.historyLimitCause)
    #expect(result.history.events.isEmpty)
  }

  @Test("A Map iteration retried without end stops the execution at the history limit")
  func mapRetryStorm() async throws {
    let result = try await Executor.run(
      #"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom"}}}, "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 99999999, "BackoffRate": 1}], "End": true}}}"#,
      input: [1, 2]
    ) { $0.maximumHistoryEvents = 500 }
    expectHistoryLimit(result, limit: 500)
  }

  @Test(
    "A distributed Map iteration that loops for ever fails on its own history limit, not the parent's"
  )
  func distributedIterationLoop() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "M", "States": {"M": {"Type": "Map",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
          "StartAt": "Spin", "States": {
            "Spin": {"Type": "Pass", "Next": "Again"},
            "Again": {"Type": "Choice", "Choices": [{"Variable": "$.never", "IsPresent": true, "Next": "Out"}], "Default": "Spin"},
            "Out": {"Type": "Succeed"}}},
        "End": true}}}
      """#, input: [1]
    ) { $0.maximumHistoryEvents = 300 }
    #expect(result.status == .failed)
    #expect(result.error == "States.ExceedToleratedFailureThreshold")
    #expect(!result.eventTypes.contains("PassStateEntered"))
    #expect(result.history.events.count < 20)
  }

  @Test("A Parallel state inside a distributed Map iteration writes nothing to the parent history")
  func parallelInsideDistributedIteration() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "M", "States": {"M": {"Type": "Map",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
          "StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [
            {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}], "End": true}}},
        "End": true}}}
      """#, input: [1, 2])
    #expect(result.status == .succeeded)
    #expect(result.output == [[1], [2]])
    #expect(!result.eventTypes.contains("ParallelStateEntered"))
    #expect(!result.eventTypes.contains("PassStateEntered"))
  }

  // MARK: Payloads and variables that double (#7, #8)

  @Test(
    "#7 A variable that doubles through an object template fails with States.DataLimitExceeded the first time it passes 256 KiB"
  )
  func assignDoublingObject() async throws {
    let result = try await Executor.run(
      #"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"v": [0]}, "Next": "B"}, "B": {"Type": "Pass", "Assign": {"v": {"a.$": "$v", "b.$": "$v"}}, "Next": "C"}, "C": {"Type": "Choice", "Choices": [{"Variable": "$.never", "IsPresent": true, "Next": "D"}], "Default": "B"}, "D": {"Type": "Succeed"}}}"#
    )
    #expect(result.status == .failed)
    #expect(result.error == "States.DataLimitExceeded")
    #expect(
      result.cause
        == "The state/task 'B' assigned variables with a size exceeding the maximum number of bytes service limit."
    )
    // 2^16 copies of `[0]` pass 256 KiB: stopped after about 17 rounds of four events.
    #expect(result.history.events.count < 100)
  }

  @Test(
    "#7 A variable that doubles through States.Array fails with States.DataLimitExceeded as soon, without measuring every copy"
  )
  func assignDoublingArray() async throws {
    let result = try await Executor.run(
      #"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"v": [0]}, "Next": "B"}, "B": {"Type": "Pass", "Assign": {"v.$": "States.Array($v, $v)"}, "Next": "C"}, "C": {"Type": "Choice", "Choices": [{"Variable": "$.never", "IsPresent": true, "Next": "D"}], "Default": "B"}, "D": {"Type": "Succeed"}}}"#
    )
    #expect(result.status == .failed)
    #expect(result.error == "States.DataLimitExceeded")
    #expect(
      result.cause
        == "The state/task 'B' assigned variables with a size exceeding the maximum number of bytes service limit."
    )
    #expect(result.history.events.count < 100)
  }

  @Test("Assigned variables within the limit are kept; the limit is the payload option")
  func assignWithinLimit() async throws {
    let definition =
      #"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"x.$": "$.text", "y.$": "$.text"}, "Next": "B"}, "B": {"Type": "Pass", "Parameters": {"n.$": "States.ArrayLength(States.Array($x, $y))"}, "End": true}}}"#
    let text = JSON.string(String(repeating: "x", count: 100_000))
    let kept = try await Executor.run(definition, input: ["text": text])
    #expect(kept.status == .succeeded, "\(kept.summary)")
    #expect(kept.output == ["n": 2])
    let tooLarge = try await Executor.run(definition, input: ["text": text]) {
      $0.maximumPayloadBytes = 150_000
    }
    #expect(tooLarge.error == "States.DataLimitExceeded")
    #expect(tooLarge.cause?.contains("'A' assigned variables") == true)
  }

  @Test(
    "#8 Parameters that double the input fail with States.DataLimitExceeded when they pass 256 KiB"
  )
  func parametersDoubling() async throws {
    let result = try await Executor.run(
      #"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"a.$": "$", "b.$": "$"}, "Next": "C"}, "C": {"Type": "Choice", "Choices": [{"Variable": "$.never", "IsPresent": true, "Next": "Done"}], "Default": "P"}, "Done": {"Type": "Succeed"}}}"#
    )
    #expect(result.status == .failed)
    #expect(result.error == "States.DataLimitExceeded")
    #expect(
      result.cause
        == "The state/task 'P' returned a result with a size exceeding the maximum number of bytes service limit."
    )
    #expect(result.history.events.count < 100)
  }

  @Test(
    "Parameters, ResultSelector and ItemSelector results over the limit fail the state that built them",
    arguments: [
      #"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"a.$": "$.s", "b.$": "$.s"}}"#,
      #"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultSelector": {"a.$": "$.s", "b.$": "$.s"}, "ResultPath": null}"#,
      #"{"Type": "Parallel", "Parameters": {"a.$": "$.s", "b.$": "$.s"}, "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": 1, "End": true}}}], "ResultPath": null}"#,
      #"{"Type": "Map", "ItemsPath": "$.items", "ItemSelector": {"a.$": "$.s", "b.$": "$.s"}, "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "Result": 1, "End": true}}}, "ResultPath": null}"#,
    ])
  func templateResultsOverTheLimit(state: String) async throws {
    let text = JSON.string(String(repeating: "s", count: 140_000))
    let result = try await Executor.run(
      Executor.single(state), input: ["s": text, "items": [1]],
      handlers: ["lambda:invoke": Executor.returning(["s": text])])
    #expect(result.status == .failed)
    #expect(result.error == "States.DataLimitExceeded")
    #expect(
      result.cause
        == "The state/task 'S' returned a result with a size exceeding the maximum number of bytes service limit."
    )
  }

  // MARK: String functions

  @Test(
    "States.Format and States.JsonToString stop with States.DataLimitExceeded once their text passes the limit",
    arguments: [
      "States.Format('{}{}{}', $.s, $.s, $.s)",
      "States.Format($.template, $.s, $.s, $.s)",
      "States.JsonToString(States.Array($.s, $.s, $.s))",
      "States.Format('{}', States.Array($.s, $.s, $.s))",
    ])
  func stringFunctionsOverTheLimit(call: String) async throws {
    let result = try await Executor.run(
      Executor.single(#"{"Type": "Pass", "Parameters": {"r.$": "\#(call)"}}"#),
      input: ["s": .string(String(repeating: "s", count: 100_000)), "template": "{}{}{}"])
    #expect(result.status == .failed)
    #expect(result.error == "States.DataLimitExceeded")
    #expect(
      result.cause
        == "The state/task 'S' returned a result with a size exceeding the maximum number of bytes service limit."
    )
  }

  @Test("States.Format within the limit is unchanged")
  func formatWithinTheLimit() async throws {
    let result = try await Executor.run(
      Executor.single(
        #"{"Type": "Pass", "Parameters": {"r.$": "States.Format('{}-{}', $.s, $.a)"}}"#),
      input: ["s": "x", "a": [1, ["k": true]]])
    #expect(result.output == ["r": "x-[1, {k=true}]"])
  }

  // MARK: JSONPath indices

  @Test("Slice and index bounds far outside the array select what Jayway selects, at once")
  func extremeSliceBounds() async throws {
    let input: JSON = ["l": [1, 2, 3]]
    let machine =
      #"{"Type": "Pass", "Parameters": {"a.$": "$.l[-2147483648:2]", "b.$": "$.l[-2147483648:]", "c.$": "$.l[:-2147483648]", "d.$": "$.l[2147483647:]"}}"#
    let result = try await Executor.run(Executor.single(machine), input: input)
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == ["a": [1, 2, 3, 1, 2], "b": [1, 2, 3], "c": [], "d": []])
    let index = try await Executor.run(
      Executor.single(#"{"Type": "Pass", "InputPath": "$.l[-2147483648]"}"#), input: input)
    #expect(index.error == "States.Runtime")
  }

  @Test("Array positions never overflow, whatever the index")
  func arrayPositions() {
    #expect(JSONPath.arrayPosition(Int.min, count: 3) == nil)
    #expect(JSONPath.arrayPosition(Int.max, count: 3) == nil)
    #expect(JSONPath.arrayPosition(-1, count: 3) == 2)
    #expect(JSONPath.arrayPosition(-3, count: 3) == 0)
    #expect(JSONPath.arrayPosition(-4, count: 3) == nil)
    #expect(
      JSONPathWalker.slicePositions(JSONPathSlice(start: Int.min, end: Int.max), count: 2)
        == [0, 1, 0, 1])
    #expect(
      JSONPathWalker.slicePositions(JSONPathSlice(start: Int.min, end: nil), count: 2) == [0, 1])
    #expect(JSONPathWalker.slicePositions(JSONPathSlice(start: nil, end: Int.min), count: 2) == [])
  }
}

@Suite("Instants saturate")
struct InstantSaturationTests {
  @Test("Moving past the last instant stops there; moving by NaN does not move")
  func saturates() {
    let start = Instant.defaultVirtualStart
    #expect(start.advanced(bySeconds: .infinity) == .latest)
    #expect(start.advanced(bySeconds: 1e300) == .latest)
    #expect(start.advanced(byMilliseconds: Int64.max) == .latest)
    #expect(start.advanced(bySeconds: .nan) == start)
    #expect(Instant.latest.iso8601 == "9999-12-31T23:59:59.999Z")
    let beyond = Instant(millisecondsSinceEpoch: Instant.latest.millisecondsSinceEpoch + 5)
    #expect(beyond.advanced(bySeconds: 10) == beyond)
    #expect(start.advanced(bySeconds: -.infinity) < start)
    #expect(
      Instant(millisecondsSinceEpoch: Int64.min).advanced(byMilliseconds: -1).millisecondsSinceEpoch
        == Int64.min)
    #expect(start.advanced(bySeconds: 1.5) == start.advanced(byMilliseconds: 1500))
  }

  @Test("Seconds convert to milliseconds without trapping")
  func milliseconds() {
    #expect(Instant.milliseconds(seconds: 1e300) == Int64.max)
    #expect(Instant.milliseconds(seconds: -1e300) == Int64.min)
    #expect(Instant.milliseconds(seconds: .nan) == 0)
    #expect(Instant.milliseconds(seconds: 9.3e15) == Int64.max)
    #expect(Instant.milliseconds(seconds: 9.2e15) == 9_200_000_000_000_000_000)
    #expect(Instant.milliseconds(seconds: 0.0015) == 2)
  }

  @Test("Any instant prints without trapping")
  func printsExtremes() {
    #expect(!Instant(millisecondsSinceEpoch: Int64.max).iso8601.isEmpty)
    #expect(!Instant(millisecondsSinceEpoch: Int64.min).iso8601.isEmpty)
  }

  @Test("Retry delays are finite or infinite, never a trap")
  func retryDelays() {
    var random = SeededRandom(seed: 1)
    var retrier = Retrier(errorEquals: ["States.ALL"])
    retrier.backoffRate = 1e300
    #expect(Engine.retryDelay(retrier, attempts: 0, random: &random) == 1)
    #expect(Engine.retryDelay(retrier, attempts: 2, random: &random) == .infinity)
    retrier.maxDelaySeconds = 60
    #expect(Engine.retryDelay(retrier, attempts: 2, random: &random) == 60)
    retrier.maxDelaySeconds = nil
    retrier.jitterStrategy = .full
    for attempts in [0, 1, 2, 3] {
      let delay = Engine.retryDelay(retrier, attempts: attempts, random: &random)
      #expect(delay >= 0 && delay.isFinite)
    }
  }
}
