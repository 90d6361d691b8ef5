import Foundation
import StepFunctionsJSON
import Testing

@testable import StepFunctionsRuntime

@Suite("Executor: errors, Retry, Catch, timeouts and limits")
struct ExecutorErrorHandlingTests {
  /// A Task on `lambda:invoke` with the given Retry/Catch members, then `Next` → `Done`.
  static func task(_ members: String, parameters: String = #"{"n.$": "$$.State.RetryCount"}"#)
    -> String
  {
    """
    {"StartAt": "Work", "States": {
      "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": \(parameters),
        \(members), "Next": "Done"},
      "Done": {"Type": "Pass", "Next": "Handled"},
      "Handled": {"Type": "Pass", "End": true}}}
    """
  }

  /// A handler that throws `TaskFailure(error:)` with the names in turn (the last one forever).
  static func failing(_ names: [String], thenReturn value: JSON? = nil) -> ClosureTaskHandler {
    ClosureTaskHandler { request, _ in
      if let value, request.attempt >= names.count { return value }
      let name = names[min(request.attempt, names.count - 1)]
      throw TaskFailure(error: name, cause: "attempt \(request.attempt)")
    }
  }

  @Test("A retrier's defaults are 1 s, 3 attempts and a backoff rate of 2.0")
  func defaults() async throws {
    let result = try await Executor.run(
      ExecutorErrorHandlingTests.task(#""Retry": [{"ErrorEquals": ["States.ALL"]}]"#),
      handlers: ["lambda:invoke": ExecutorErrorHandlingTests.failing(["Boom"])])
    #expect(result.status == .failed)
    #expect(result.error == "Boom")
    #expect(result.cause == "attempt 3")
    #expect(result.offsets("TaskScheduled") == [0, 1, 3, 7])
    #expect(result.offsets("TaskFailed") == [0, 1, 3, 7])
    #expect(result.events("TaskStateEntered").count == 1)
  }

  @Test("$$.State.RetryCount and the request's attempt count the retries")
  func retryCount() async throws {
    let result = try await Executor.run(
      ExecutorErrorHandlingTests.task(
        #""Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 2}]"#),
      handlers: [
        "lambda:invoke": ExecutorErrorHandlingTests.failing(["Boom", "Boom"], thenReturn: "ok")
      ])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == "ok")
    let parameters = result.events("TaskScheduled").compactMap { event -> JSON? in
      guard let text = event.awsJSON["taskScheduledEventDetails"]?["parameters"]?.stringValue
      else { return nil }
      return try? JSON(parsing: text)
    }
    #expect(parameters == [["n": 0], ["n": 1], ["n": 2]])
    #expect(result.offsets("TaskScheduled") == [0, 2, 6])
  }

  struct Backoff: CustomTestStringConvertible, Sendable {
    var retrier: String
    var offsets: [Double]
    var testDescription: String { retrier }
  }

  static let backoffs: [Backoff] = [
    Backoff(
      retrier:
        #"{"ErrorEquals": ["Boom"], "IntervalSeconds": 2, "MaxAttempts": 4, "BackoffRate": 1.5}"#,
      offsets: [0, 2, 5, 9.5, 16.25]),
    Backoff(
      retrier:
        #"{"ErrorEquals": ["Boom"], "IntervalSeconds": 1, "MaxAttempts": 4, "BackoffRate": 10, "MaxDelaySeconds": 5}"#,
      offsets: [0, 1, 6, 11, 16]),
    Backoff(
      retrier:
        #"{"ErrorEquals": ["Boom"], "IntervalSeconds": 3, "MaxAttempts": 2, "BackoffRate": 1}"#,
      offsets: [0, 3, 6]),
    Backoff(retrier: #"{"ErrorEquals": ["Boom"], "MaxAttempts": 0}"#, offsets: [0]),
  ]

  @Test(
    "IntervalSeconds, BackoffRate, MaxAttempts and MaxDelaySeconds set the exact virtual retry times",
    arguments: backoffs)
  func backoff(_ example: Backoff) async throws {
    let result = try await Executor.run(
      ExecutorErrorHandlingTests.task(#""Retry": [\#(example.retrier)]"#),
      handlers: ["lambda:invoke": ExecutorErrorHandlingTests.failing(["Boom"])])
    #expect(result.status == .failed)
    #expect(result.offsets("TaskScheduled") == example.offsets)
  }

  @Test("A retry storm of 20 exponential retries runs through 12 virtual days at once")
  func retryStorm() async throws {
    let result = try await Executor.run(
      ExecutorErrorHandlingTests.task(
        #""Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 1, "MaxAttempts": 20, "BackoffRate": 2.0}]"#
      ),
      handlers: ["lambda:invoke": ExecutorErrorHandlingTests.failing(["Boom"])])
    #expect(result.status == .failed)
    #expect(result.events("TaskScheduled").count == 21)
    #expect(result.offsets("TaskScheduled").last == 1_048_575)
    #expect(result.stopDate.iso8601 == "2025-01-13T03:16:15.000Z")
  }

  @Test(
    "JitterStrategy FULL draws each delay between 0 and the backoff, the same way for the same seed"
  )
  func jitter() async throws {
    let definition = ExecutorErrorHandlingTests.task(
      #""Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 10, "MaxAttempts": 5, "BackoffRate": 2, "JitterStrategy": "FULL"}]"#
    )
    let handlers = ["lambda:invoke": ExecutorErrorHandlingTests.failing(["Boom"])]
    var runs: [[Double]] = []
    for seed: UInt64 in [1, 1, 2] {
      let result = try await Executor.run(definition, seed: seed, handlers: handlers)
      let offsets = result.offsets("TaskScheduled")
      #expect(offsets.count == 6)
      let delays = zip(offsets.dropFirst(), offsets).map { $0 - $1 }
      for (attempt, delay) in delays.enumerated() {
        #expect(delay >= 0 && delay <= 10 * pow(2, Double(attempt)), "attempt \(attempt): \(delay)")
      }
      runs.append(offsets)
    }
    #expect(runs[0] == runs[1])
    #expect(runs[0] != runs[2])
    #expect(runs[0] != [0, 10, 30, 70, 150, 310])
  }

  @Test(
    "The first retrier that names the error is used; when it is spent the error goes to the catchers"
  )
  func retrierOrder() async throws {
    let result = try await Executor.run(
      ExecutorErrorHandlingTests.task(
        #"""
        "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 1}, {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}],
        "Catch": [{"ErrorEquals": ["Other"], "Next": "Done"}, {"ErrorEquals": ["Boom"], "ResultPath": "$.error", "Next": "Handled"}]
        """#),
      input: ["keep": true],
      handlers: ["lambda:invoke": ExecutorErrorHandlingTests.failing(["Boom"])])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.events("TaskScheduled").count == 2)
    #expect(result.output == ["keep": true, "error": ["Error": "Boom", "Cause": "attempt 1"]])
    #expect(result.enteredInputs("Handled").count == 1)
  }

  @Test("Each retrier counts its own attempts")
  func separateCounters() async throws {
    let result = try await Executor.run(
      ExecutorErrorHandlingTests.task(
        #""Retry": [{"ErrorEquals": ["A"], "MaxAttempts": 1, "IntervalSeconds": 1}, {"ErrorEquals": ["B"], "MaxAttempts": 1, "IntervalSeconds": 1}]"#
      ),
      handlers: ["lambda:invoke": ExecutorErrorHandlingTests.failing(["A", "B"], thenReturn: "ok")])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.offsets("TaskScheduled") == [0, 1, 2])
  }

  @Test(
    "A catcher's output is {Error, Cause} placed by its ResultPath; the default replaces the input")
  func catcherOutput() async throws {
    let result = try await Executor.run(
      ExecutorErrorHandlingTests.task(
        #""Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}]"#),
      input: ["dropped": true],
      handlers: ["lambda:invoke": ExecutorErrorHandlingTests.failing(["Boom"])])
    #expect(result.output == ["Error": "Boom", "Cause": "attempt 0"])
    #expect(result.exitedOutputs("Work") == [["Error": "Boom", "Cause": "attempt 0"]])
    #expect(
      result.eventTypes == [
        "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed",
        "TaskStateExited",
        "PassStateEntered", "PassStateExited", "ExecutionSucceeded",
      ])
  }

  @Test("A catcher's Assign sees the error output")
  func catcherAssign() async throws {
    let result = try await Executor.run(
      """
      {"StartAt": "Work", "States": {
        "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
          "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"why.$": "$.Cause"}, "ResultPath": null, "Next": "Report"}]},
        "Report": {"Type": "Pass", "Parameters": {"why.$": "$why", "input.$": "$"}, "End": true}}}
      """,
      input: ["a": 1],
      handlers: ["lambda:invoke": ExecutorErrorHandlingTests.failing(["Boom"])])
    #expect(result.output == ["why": "attempt 0", "input": ["a": 1]])
  }

  @Test("States.Runtime is neither retried nor caught, by States.ALL or by its own name")
  func runtimeNotCaughtByAll() async throws {
    let handlers = ["lambda:invoke": Executor.echo]
    let all = try await Executor.run(
      ExecutorErrorHandlingTests.task(
        #""Retry": [{"ErrorEquals": ["States.ALL"]}], "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}]"#,
        parameters: #"{"x.$": "$.missing"}"#),
      handlers: handlers)
    #expect(all.status == .failed)
    #expect(all.error == "States.Runtime")
    #expect(all.events("TaskScheduled").isEmpty)
    let named = try await Executor.run(
      ExecutorErrorHandlingTests.task(
        #""Retry": [{"ErrorEquals": ["States.Runtime"]}], "Catch": [{"ErrorEquals": ["States.Runtime"], "Next": "Handled"}]"#,
        parameters: #"{"x.$": "$.missing"}"#),
      handlers: handlers)
    #expect(named.status == .failed)
    #expect(named.error == "States.Runtime")
    #expect(named.events("TaskScheduled").isEmpty)
    #expect(named.events("TaskStateEntered").count == 1)
  }

  @Test(
    "An intrinsic function's type error is States.IntrinsicFailure with the state named in the cause"
  )
  func intrinsicTypeError() async throws {
    let result = try await Executor.run(
      Executor.single(#"{"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.a, 1)"}}"#),
      input: ["a": "one"])
    #expect(result.status == .failed)
    #expect(result.error == "States.IntrinsicFailure")
    #expect(result.cause?.contains("States.MathAdd") == true)
    #expect(
      result.cause?.hasPrefix(
        "An error occurred while executing the state 'S' (entered at the event id #2).") == true)
  }

  @Test(
    "A task result over 256 KiB fails the task with States.DataLimitExceeded, which States.ALL catches"
  )
  func oversizedTaskResult() async throws {
    let big = JSON.string(String(repeating: "a", count: 262_145))
    let handlers = ["lambda:invoke": Executor.returning(["Payload": big])]
    let uncaught = try await Executor.run(
      Executor.single(#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke"}"#),
      handlers: handlers)
    #expect(uncaught.status == .failed)
    #expect(uncaught.error == "States.DataLimitExceeded")
    #expect(
      uncaught.cause
        == "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit."
    )
    #expect(
      uncaught.eventTypes == [
        "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed",
        "ExecutionFailed",
      ])
    let caught = try await Executor.run(
      ExecutorErrorHandlingTests.task(
        #""Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}]"#), handlers: handlers)
    #expect(caught.status == .succeeded, "\(caught.summary)")
    #expect(caught.output?["Error"] == "States.DataLimitExceeded")
  }

  @Test("A legacy Lambda's oversized result names the function ARN")
  func oversizedLambdaResult() async throws {
    let arn = "arn:aws:lambda:us-east-1:123456789012:function:Big"
    let result = try await Executor.run(
      Executor.single(#"{"Type": "Task", "Resource": "\#(arn)"}"#)
    ) { options in
      options.handlers.registerLambdaFunctions(
        Executor.returning(.string(String(repeating: "b", count: 300_000))))
    }
    #expect(result.error == "States.DataLimitExceeded")
    #expect(
      result.cause
        == "The state/task '\(arn)' returned a result with a size exceeding the maximum number of bytes service limit."
    )
    #expect(result.events("LambdaFunctionFailed").count == 1)
  }

  @Test(
    "A task that reports States.DataLimitExceeded itself (a replayed oversized result) is caught by States.ALL"
  )
  func dataLimitReportedByTask() async throws {
    let handlers = [
      "lambda:invoke": ExecutorErrorHandlingTests.failing(["States.DataLimitExceeded"])
    ]
    let caught = try await Executor.run(
      ExecutorErrorHandlingTests.task(
        #""Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}]"#), handlers: handlers)
    #expect(caught.status == .succeeded, "\(caught.summary)")
    #expect(caught.output?["Error"] == "States.DataLimitExceeded")
    #expect(caught.events("TaskFailed").count == 1)
  }

  @Test(
    "A state output over the limit fails the execution with States.DataLimitExceeded naming the state"
  )
  func oversizedStateOutput() async throws {
    let result = try await Executor.run(
      #"{"StartAt": "State_1", "States": {"State_1": {"Type": "Pass", "Parameters": {"a.$": "$.text", "b.$": "$.text"}, "End": true}}}"#,
      input: ["text": .string(String(repeating: "x", count: 140_000))])
    #expect(result.status == .failed)
    #expect(result.error == "States.DataLimitExceeded")
    #expect(
      result.cause
        == "The state/task 'State_1' returned a result with a size exceeding the maximum number of bytes service limit."
    )
    #expect(result.eventTypes == ["ExecutionStarted", "PassStateEntered", "ExecutionFailed"])
  }

  @Test("An input over the limit is refused as StartExecution refuses it; the limits are options")
  func oversizedInput() async throws {
    let definition = Executor.single(#"{"Type": "Pass"}"#)
    let input: JSON = ["text": .string(String(repeating: "x", count: 300_000))]
    let refused = try await Executor.run(definition, input: input)
    #expect(refused.status == .failed)
    #expect(refused.error == "ValidationException")
    #expect(refused.eventTypes.isEmpty)
    let payloadLimited = try await Executor.run(definition, input: input) {
      $0.maximumInputBytes = nil
    }
    #expect(payloadLimited.error == "States.DataLimitExceeded")
    #expect(payloadLimited.eventTypes == ["ExecutionStarted", "ExecutionFailed"])
    let unlimited = try await Executor.run(definition, input: input) {
      $0.maximumInputBytes = nil
      $0.maximumPayloadBytes = nil
    }
    #expect(unlimited.status == .succeeded)
  }

  @Test("The machine's TimeoutSeconds ends the execution TIMED_OUT with an ExecutionTimedOut event")
  func executionTimeout() async throws {
    let result = try await Executor.run(
      #"{"TimeoutSeconds": 5, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": true}}}"#
    )
    #expect(result.status == .timedOut)
    #expect(result.error == "States.Timeout")
    #expect(result.output == nil)
    #expect(result.eventTypes == ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"])
    #expect(result.offsets("ExecutionTimedOut") == [5])
    #expect(result.details("ExecutionTimedOut")?["error"] == "States.Timeout")
    #expect(result.stopDate.iso8601 == "2025-01-01T00:00:05.000Z")
  }

  @Test(
    "An execution that reaches the history-event limit fails with States.Runtime, its ExecutionFailed being the last allowed event"
  )
  func historyLimit() async throws {
    let loop = #"""
      {"StartAt": "Loop", "States": {
        "Loop": {"Type": "Pass", "Next": "Again"},
        "Again": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "BooleanEquals": true, "Next": "Done"}], "Default": "Loop"},
        "Done": {"Type": "Succeed"}}}
      """#
    let result = try await Executor.run(loop, input: ["stop": false]) {
      $0.maximumHistoryEvents = 100
    }
    // As AWS records it: event 100 is the ExecutionFailed, after the machine's 99th event.
    #expect(result.status == .failed)
    #expect(result.error == "States.Runtime")
    #expect(result.cause == "The execution reached the maximum number of history events (100).")
    #expect(result.history.events.count == 100)
    #expect(result.eventTypes.last == "ExecutionFailed")
    #expect(result.history.events.last?.previousEventId == 99)
    let defaultLimit = try await Executor.run(loop, input: ["stop": false]) {
      $0.recordsHistory = false
    }
    #expect(defaultLimit.status == .failed)
    #expect(defaultLimit.history.events.isEmpty)
  }

  @Test("stop() aborts a waiting execution with ExecutionAborted")
  func stop() async throws {
    let machine = try Executor.machine(
      #"{"StartAt": "Wait", "States": {"Wait": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}}}"#
    )
    let tokens = TokenBox()
    var options = ExecutionOptions()
    options.waitsForCallbacks = true
    options.handlers.register(
      ClosureTaskHandler { request, _ in
        tokens.set(request.taskToken ?? "")
        return [:]
      }, forIntegration: "sqs:sendMessage")
    let execution = machine.start(options: options)
    _ = await tokens.wait()
    execution.stop(error: "Operator", cause: "stopped by hand")
    let result = await execution.result()
    #expect(result.status == .aborted)
    #expect(result.error == "Operator")
    #expect(result.cause == "stopped by hand")
    #expect(result.eventTypes.last == "ExecutionAborted")
    #expect(
      result.details("ExecutionAborted") == ["error": "Operator", "cause": "stopped by hand"])
  }
}
