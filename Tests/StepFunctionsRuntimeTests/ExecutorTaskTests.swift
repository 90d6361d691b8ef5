import Foundation
import StepFunctionsJSON
import Testing

@testable import StepFunctionsRuntime

@Suite("Executor: Task states, integration patterns and their events")
struct ExecutorTaskTests {
  static let lambdaInvoke = #"""
    {"StartAt": "Invoke", "States": {"Invoke": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "fn", "Payload.$": "$"}, "ResultSelector": {"body.$": "$.Payload"},
      "ResultPath": "$.result", "End": true}}}
    """#

  @Test(
    "A request-response service integration writes TaskScheduled/Started/Succeeded with AWS's details"
  )
  func requestResponse() async throws {
    let handler = ClosureTaskHandler { request, _ in
      #expect(request.resource.pattern == .requestResponse)
      #expect(request.resource.kind == .serviceIntegration(service: "lambda", action: "invoke"))
      #expect(request.stateName == "Invoke")
      #expect(request.attempt == 0)
      #expect(request.taskToken == nil)
      #expect(
        request.executionArn
          == "arn:aws:states:us-east-1:123456789012:execution:StateMachine:test-execution")
      return ["Payload": ["echo": request.parameters["Payload"] ?? nil], "StatusCode": 200]
    }
    let result = try await Executor.run(
      ExecutorTaskTests.lambdaInvoke, input: ["x": 1], handlers: ["lambda:invoke": handler])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == ["x": 1, "result": ["body": ["echo": ["x": 1]]]])
    #expect(
      result.eventTypes == [
        "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
      ])
    #expect(
      result.details("TaskScheduled")
        == [
          "resourceType": "lambda", "resource": "invoke", "region": "us-east-1",
          "parameters": #"{"FunctionName":"fn","Payload":{"x":1}}"#,
        ])
    #expect(result.details("TaskStarted") == ["resourceType": "lambda", "resource": "invoke"])
    #expect(
      result.details("TaskSucceeded")
        == [
          "resourceType": "lambda", "resource": "invoke",
          "output": #"{"Payload":{"echo":{"x":1}},"StatusCode":200}"#,
          "outputDetails": ["truncated": false],
        ])
    #expect(result.history.events.map(\.previousEventId) == [0, 0, 2, 3, 4, 5, 6])
  }

  @Test("A .sync task charges the handler's virtual sleep to the task")
  func syncPattern() async throws {
    let handler = ClosureTaskHandler { request, context in
      #expect(request.resource.pattern == .sync)
      try await context.sleep(seconds: 1200)
      return ["Status": "SUCCEEDED", "At": .string(context.now.iso8601)]
    }
    let result = try await Executor.run(
      Executor.single(
        #"{"Type": "Task", "Resource": "arn:aws:states:::mediaconvert:createJob.sync"}"#),
      handlers: ["mediaconvert:createJob": handler])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == ["Status": "SUCCEEDED", "At": "2025-01-01T00:20:00.000Z"])
    #expect(result.details("TaskScheduled")?["resource"] == "createJob.sync")
    #expect(result.offsets("TaskStarted") == [0])
    #expect(result.offsets("TaskSucceeded") == [1200])
    #expect(result.stopDate.iso8601 == "2025-01-01T00:20:00.000Z")
  }

  static let callbackMachine = #"""
    {"StartAt": "Wait for callback", "States": {"Wait for callback": {"Type": "Task",
      "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}, "End": true}}}
    """#

  @Test(
    "A .waitForTaskToken task puts the token in $$.Task.Token and waits for the callback the handler schedules"
  )
  func waitForTaskTokenScheduled() async throws {
    let handler = ClosureTaskHandler { request, context in
      let token = try #require(request.taskToken)
      #expect(request.parameters["MessageBody"]?["token"] == .string(token))
      context.scheduleCallback(after: 45, .success(["approved": true]))
      return ["MessageId": "m-1"]
    }
    let result = try await Executor.run(
      ExecutorTaskTests.callbackMachine, handlers: ["sqs:sendMessage": handler])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == ["approved": true])
    #expect(result.details("TaskScheduled")?["resource"] == "sendMessage.waitForTaskToken")
    #expect(result.offsets("TaskSucceeded") == [45])
    #expect(
      result.eventTypes == [
        "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted",
        "TaskSucceeded",
        "TaskStateExited", "ExecutionSucceeded",
      ])
    #expect(
      result.details("TaskSubmitted")
        == [
          "resourceType": "sqs", "resource": "sendMessage.waitForTaskToken",
          "output": #"{"MessageId":"m-1"}"#,
          "outputDetails": ["truncated": false],
        ])
    #expect(result.history.events.map(\.previousEventId) == [0, 0, 2, 3, 4, 5, 6, 7])
  }

  @Test("A .waitForTaskToken task fails when the callback is a failure")
  func waitForTaskTokenFailure() async throws {
    let handler = ClosureTaskHandler { _, context in
      context.scheduleCallback(after: 5, .failure(error: "Rejected", cause: "no"))
      return [:]
    }
    let result = try await Executor.run(
      ExecutorTaskTests.callbackMachine, handlers: ["sqs:sendMessage": handler])
    #expect(result.status == .failed)
    #expect(result.error == "Rejected")
    #expect(result.cause == "no")
    #expect(
      result.details("TaskFailed")
        == [
          "resourceType": "sqs", "resource": "sendMessage.waitForTaskToken", "error": "Rejected",
          "cause": "no",
        ])
  }

  /// Starts `callbackMachine` and returns the execution once its task waits on a token.
  static func startWaitingForCallback() async throws -> (Execution, String) {
    let machine = try Executor.machine(ExecutorTaskTests.callbackMachine)
    let tokens = TokenBox()
    var options = ExecutionOptions()
    options.waitsForCallbacks = true
    options.handlers.register(
      ClosureTaskHandler { request, _ in
        if let token = request.taskToken { tokens.set(token) }
        return [:]
      }, forIntegration: "sqs:sendMessage")
    let execution = machine.start(options: options)
    return (execution, await tokens.wait())
  }

  @Test("sendTaskSuccess from outside completes a .waitForTaskToken task")
  func externalCallback() async throws {
    let (execution, token) = try await Self.startWaitingForCallback()
    try await execution.sendTaskHeartbeat(taskToken: token)
    await #expect(throws: TaskCallbackError.self) {
      try await execution.sendTaskSuccess(taskToken: "not-a-token", output: ["wrong": true])
    }
    try await execution.sendTaskSuccess(taskToken: token, output: ["ok": 1])
    let result = await execution.result()
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.output == ["ok": 1])
  }

  @Test("sendTaskFailure from outside fails a .waitForTaskToken task")
  func externalFailure() async throws {
    let (execution, token) = try await Self.startWaitingForCallback()
    try await execution.sendTaskFailure(taskToken: token, error: "Worker.Error", cause: "disk full")
    let result = await execution.result()
    #expect(result.status == .failed)
    #expect(result.error == "Worker.Error")
    #expect(result.cause == "disk full")
  }

  @Test("A legacy Lambda ARN writes LambdaFunction* events with the ARN and input")
  func legacyLambda() async throws {
    let arn = "arn:aws:lambda:us-east-1:123456789012:function:Resize"
    let result = try await Executor.run(
      Executor.single(#"{"Type": "Task", "Resource": "\#(arn)"}"#), input: ["size": 2]
    ) { options in
      options.handlers.registerLambdaFunctions(
        ClosureTaskHandler { request, _ in
          #expect(request.resource.kind == .lambdaFunction(name: "Resize"))
          return ["resized": request.parameters]
        })
    }
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(
      result.eventTypes == [
        "ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted",
        "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded",
      ])
    #expect(
      result.details("LambdaFunctionScheduled")
        == [
          "resource": .string(arn), "input": #"{"size":2}"#, "inputDetails": ["truncated": false],
        ])
    #expect(result.details("LambdaFunctionStarted") == nil)
    #expect(
      result.details("LambdaFunctionSucceeded")
        == ["output": #"{"resized":{"size":2}}"#, "outputDetails": ["truncated": false]])
  }

  @Test("An activity writes Activity* events; a failure carries error and cause")
  func activity() async throws {
    let arn = "arn:aws:states:us-east-1:123456789012:activity:Approve"
    let definition = Executor.single(#"{"Type": "Task", "Resource": "\#(arn)"}"#)
    let succeeded = try await Executor.run(
      definition, input: ["v": 1], handlers: ["activity:Approve": Executor.echo])
    #expect(succeeded.output == ["v": 1])
    #expect(
      succeeded.eventTypes == [
        "ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted",
        "ActivitySucceeded",
        "TaskStateExited", "ExecutionSucceeded",
      ])
    #expect(
      succeeded.details("ActivityScheduled")
        == ["resource": .string(arn), "input": #"{"v":1}"#, "inputDetails": ["truncated": false]])
    let failed = try await Executor.run(
      definition,
      handlers: [
        "activity:Approve": ClosureTaskHandler { _, _ in
          throw TaskFailure(error: "Programmatic Error", cause: "bad")
        }
      ])
    #expect(failed.status == .failed)
    #expect(failed.details("ActivityFailed") == ["error": "Programmatic Error", "cause": "bad"])
  }

  @Test("A task with no handler fails with a message naming the resource and how to register one")
  func missingHandler() async throws {
    let result = try await Executor.run(
      Executor.single(
        #"{"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Parameters": {"Message": "hi"}}"#
      ))
    #expect(result.status == .failed)
    #expect(result.error == "States.Runtime")
    let cause = try #require(result.cause)
    #expect(cause.contains("arn:aws:states:::sns:publish"))
    #expect(cause.contains(#"register(_:forIntegration: "sns:publish")"#))
  }

  @Test("Handlers are found by exact ARN first, then integration, SDK service, and fallback")
  func registryLookup() async throws {
    var registry = TaskHandlerRegistry()
    registry.register(Executor.returning("integration"), forIntegration: "aws-sdk:s3:putObject")
    registry.register(Executor.returning("service"), forIntegration: "aws-sdk:s3")
    registry.register(
      Executor.returning("exact"), forResource: "arn:aws:states:::aws-sdk:s3:getObject")
    registry.registerFallback(Executor.returning("fallback"))
    let cases: [(String, JSON)] = [
      ("arn:aws:states:::aws-sdk:s3:putObject", "integration"),
      ("arn:aws:states:::aws-sdk:s3:listBuckets", "service"),
      ("arn:aws:states:::aws-sdk:s3:getObject", "exact"),
      ("arn:aws:states:::aws-sdk:dynamodb:getItem", "fallback"),
    ]
    for (arn, expected) in cases {
      let result = try await Executor.run(
        Executor.single(#"{"Type": "Task", "Resource": "\#(arn)"}"#)
      ) { options in
        options.handlers = registry
      }
      #expect(result.output == expected, "\(arn)")
    }
  }

  @Test("A handler's TaskFailure becomes a TaskFailed event and the execution's error")
  func taskFailure() async throws {
    let result = try await Executor.run(
      ExecutorTaskTests.lambdaInvoke,
      handlers: [
        "lambda:invoke": ClosureTaskHandler { _, _ in
          throw TaskFailure(error: "Lambda.Unknown", cause: "boom")
        }
      ])
    #expect(result.status == .failed)
    #expect(result.error == "Lambda.Unknown")
    #expect(result.cause == "boom")
    #expect(
      result.eventTypes == [
        "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed",
        "ExecutionFailed",
      ])
  }

  struct PlainError: Error, CustomStringConvertible {
    var description: String { "plain failure" }
  }

  @Test("Any other error a handler throws becomes States.TaskFailed with its description")
  func otherError() async throws {
    let result = try await Executor.run(
      ExecutorTaskTests.lambdaInvoke,
      handlers: ["lambda:invoke": ClosureTaskHandler { _, _ in throw PlainError() }])
    #expect(result.status == .failed)
    #expect(result.error == "States.TaskFailed")
    #expect(result.cause == "plain failure")
  }

  @Test("TimeoutSeconds fails a task that runs too long with States.Timeout at the deadline")
  func timeout() async throws {
    let slow = ClosureTaskHandler { _, context in
      try await context.sleep(seconds: 600)
      return "late"
    }
    let result = try await Executor.run(
      Executor.single(
        #"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 10}"#),
      handlers: ["lambda:invoke": slow])
    #expect(result.status == .failed)
    #expect(result.error == "States.Timeout")
    #expect(result.offsets("TaskTimedOut") == [10])
    #expect(result.details("TaskScheduled")?["timeoutInSeconds"] == 10)
    #expect(
      result.details("TaskTimedOut") == [
        "resourceType": "lambda", "resource": "invoke", "error": "States.Timeout",
      ])
    #expect(result.events("TaskSucceeded").isEmpty)
  }

  @Test("A task that finishes within TimeoutSeconds succeeds")
  func withinTimeout() async throws {
    let quick = ClosureTaskHandler { _, context in
      try await context.sleep(seconds: 9)
      return "done"
    }
    let result = try await Executor.run(
      Executor.single(
        #"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSecondsPath": "$.t"}"#
      ),
      input: ["t": 10], handlers: ["lambda:invoke": quick])
    #expect(result.output == "done")
    #expect(result.offsets("TaskSucceeded") == [9])
    #expect(result.details("TaskScheduled")?["timeoutInSeconds"] == 10)
  }

  @Test(
    "A TimeoutSecondsPath that selects nothing or no positive integer fails with States.Runtime")
  func badTimeoutPath() async throws {
    let definition = Executor.single(
      #"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSecondsPath": "$.t"}"#
    )
    let missing = try await Executor.run(
      definition, input: [:], handlers: ["lambda:invoke": Executor.echo])
    #expect(missing.error == "States.Runtime")
    #expect(missing.cause?.hasSuffix("Invalid path '$.t' : No results for path: $['t']") == true)
    let negative = try await Executor.run(
      definition, input: ["t": -5], handlers: ["lambda:invoke": Executor.echo])
    #expect(negative.error == "States.Runtime")
    #expect(negative.status == .failed)
  }

  @Test("Heartbeats from the handler keep a long task alive past HeartbeatSeconds")
  func heartbeatsKeepAlive() async throws {
    let worker = ClosureTaskHandler { _, context in
      for _ in 0..<6 {
        try await context.sleep(seconds: 8)
        context.heartbeat()
      }
      return "finished"
    }
    let result = try await Executor.run(
      Executor.single(
        #"{"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob.sync", "HeartbeatSeconds": 10}"#
      ),
      handlers: ["batch:submitJob": worker])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.offsets("TaskSucceeded") == [48])
    #expect(result.details("TaskScheduled")?["heartbeatInSeconds"] == 10)
  }

  @Test(
    "A missed heartbeat times the task out when the heartbeat interval runs out (AWS reports States.Timeout)"
  )
  func missedHeartbeat() async throws {
    let worker = ClosureTaskHandler { _, context in
      try await context.sleep(seconds: 8)
      context.heartbeat()
      try await context.sleep(seconds: 30)
      return "finished"
    }
    let result = try await Executor.run(
      Executor.single(
        #"{"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob.sync", "HeartbeatSeconds": 10, "TimeoutSeconds": 600}"#
      ),
      handlers: ["batch:submitJob": worker])
    #expect(result.status == .failed)
    #expect(result.error == "States.Timeout")
    #expect(result.offsets("TaskTimedOut") == [18])
  }

  @Test(
    "States.HeartbeatTimeout catches a missed heartbeat but not a TimeoutSeconds timeout; States.Timeout catches both",
    arguments: [
      (false, "States.HeartbeatTimeout", "Caught"), (true, "States.HeartbeatTimeout", "Uncaught"),
      (false, "States.Timeout", "Caught"), (true, "States.Timeout", "Caught"),
    ])
  func heartbeatCatcher(beats: Bool, caught: String, expected: String) async throws {
    let definition = """
      {"StartAt": "Work", "States": {
        "Work": {"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob.sync", "HeartbeatSeconds": 10,
          "TimeoutSeconds": 30, "Catch": [{"ErrorEquals": ["\(caught)"], "Next": "Caught"}], "End": true},
        "Caught": {"Type": "Pass", "End": true}}}
      """
    let worker = ClosureTaskHandler { _, context in
      for _ in 0..<12 {
        try await context.sleep(seconds: 8)
        if beats { context.heartbeat() }
      }
      return "late"
    }
    let result = try await Executor.run(definition, handlers: ["batch:submitJob": worker])
    #expect(result.offsets("TaskTimedOut") == [beats ? 30 : 10])
    if expected == "Caught" {
      #expect(result.status == .succeeded, "\(result.summary)")
      #expect(result.output == ["Error": "States.Timeout", "Cause": ""])
    } else {
      #expect(result.status == .failed)
      #expect(result.error == "States.Timeout")
    }
  }

  @Test("A .waitForTaskToken task with no heartbeat times out after HeartbeatSecondsPath seconds")
  func callbackHeartbeatTimeout() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "Send", "States": {"Send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "TimeoutSeconds": 600, "HeartbeatSecondsPath": "$.beat",
        "Parameters": {"MessageBody": {"TaskToken.$": "$$.Task.Token"}}, "End": true}}}
      """#,
      input: ["beat": 5], handlers: ["sqs:sendMessage": Executor.returning([:])])
    #expect(result.status == .failed)
    #expect(result.error == "States.Timeout")
    #expect(result.offsets("TaskTimedOut") == [5])
    #expect(
      result.details("TaskTimedOut") == [
        "resourceType": "sqs", "resource": "sendMessage.waitForTaskToken",
        "error": "States.Timeout",
      ])
  }

  @Test(
    "Scheduled heartbeat callbacks keep a .waitForTaskToken task alive until its success arrives")
  func callbackHeartbeats() async throws {
    let handler = ClosureTaskHandler { _, context in
      context.scheduleCallback(after: 4, .heartbeat)
      context.scheduleCallback(after: 8, .heartbeat)
      context.scheduleCallback(after: 12, .success("done"))
      return [:]
    }
    let result = try await Executor.run(
      #"""
      {"StartAt": "Send", "States": {"Send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "HeartbeatSeconds": 5, "Parameters": {"MessageBody": {"TaskToken.$": "$$.Task.Token"}}, "End": true}}}
      """#,
      handlers: ["sqs:sendMessage": handler])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(result.offsets("TaskSucceeded") == [12])
  }
}

/// Hands a task token from a handler to the test.
final class TokenBox: @unchecked Sendable {
  private let lock = NSLock()
  private var token: String?

  func set(_ value: String) { lock.withLock { token = value } }

  func wait() async -> String {
    while true {
      if let token = lock.withLock({ token }) { return token }
      await Task.yield()
    }
  }
}
