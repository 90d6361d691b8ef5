import StepFunctions
import Testing

@Suite("Replay reproduces recorded executions")
struct ReplayScenarioTests {
  @Test("The execution's region comes from a task whose Resource names none (found by fuzzing)")
  func regionFromUnregionalTask() async throws {
    let machine = try compile(
      """
      {"StartAt": "Claim", "States": {
        "Claim": {"Type": "Task", "Resource": "arn:aws:states:eu-west-1::dynamodb:putItem",
          "Next": "Publish"},
        "Publish": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
          "Parameters": {"Message.$": "$.id"}, "End": true}}}
      """)
    let result = await record(
      machine, input: ["id": "a"], handlers: handlers { request, _ in request.parameters })
    #expect(result.status == .succeeded)
    let regions = result.history.events.compactMap {
      $0.awsJSON.objectValue?.first { $0.key.hasSuffix("EventDetails") }?.value["region"]?
        .stringValue
    }
    #expect(regions == ["eu-west-1", "us-east-1"])
    try await expectReplays(result.history, against: machine)
  }

  @Test("Map iterations that finish out of order replay as recorded")
  func mapIterations() async throws {
    let machine = try compile(
      """
      {"StartAt": "Fan", "States": {"Fan": {"Type": "Map", "ItemsPath": "$.items",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Work",
          "States": {"Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "work", "Payload.$": "$"},
            "ResultSelector": {"done.$": "$.Payload"}, "Next": "Tidy"},
            "Tidy": {"Type": "Pass", "End": true}}},
        "End": true}}}
      """)
    let result = await record(
      machine, input: ["items": [30, 10, 20, 10]],
      handlers: handlers { request, context in
        let seconds = request.parameters["Payload"]?.numberValue?.doubleValue ?? 0
        try await context.sleep(seconds: seconds)
        return ["Payload": ["took": request.parameters["Payload"] ?? .null]]
      })
    #expect(result.status == .succeeded)
    #expect(
      result.output == [
        ["done": ["took": 30]], ["done": ["took": 10]], ["done": ["took": 20]],
        ["done": ["took": 10]],
      ])
    try await expectReplays(result.history, against: machine)
  }

  @Test("Parallel branches with tasks of different lengths replay as recorded")
  func parallelBranches() async throws {
    let machine = try compile(
      """
      {"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "Branches": [
        {"StartAt": "Slow", "States": {"Slow": {"Type": "Task",
          "Resource": "arn:aws:states:::sns:publish", "Parameters": {"Message": "slow"},
          "End": true}}},
        {"StartAt": "Fast", "States": {"Fast": {"Type": "Task",
          "Resource": "arn:aws:states:::sns:publish", "Parameters": {"Message": "fast"},
          "Next": "After"}, "After": {"Type": "Pass", "End": true}}}],
        "End": true}}}
      """)
    let result = await record(
      machine,
      handlers: handlers { request, context in
        try await context.sleep(seconds: request.stateName == "Slow" ? 90 : 5)
        return ["MessageId": .string(request.stateName)]
      })
    #expect(result.status == .succeeded)
    try await expectReplays(result.history, against: machine)
  }

  @Test("Retries with exponential backoff and jitter replay at the recorded times")
  func retryWithBackoff() async throws {
    let machine = try compile(
      """
      {"StartAt": "Flaky", "States": {"Flaky": {"Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
        "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 2, "BackoffRate": 3,
                   "MaxAttempts": 3, "JitterStrategy": "FULL"}],
        "End": true}}}
      """)
    let result = await record(
      machine,
      handlers: handlers { request, _ in
        if request.attempt < 2 {
          throw TaskFailure(error: "Flaky", cause: "try \(request.attempt)")
        }
        return ["Payload": "ok"]
      }, seed: 7)
    #expect(result.status == .succeeded)
    #expect(result.history.events.filter { $0.type == "TaskFailed" }.count == 2)
    try await expectReplays(result.history, against: machine)
  }

  @Test("A caught failure replays through the catcher")
  func caughtFailure() async throws {
    let machine = try compile(
      """
      {"StartAt": "Risky", "States": {"Risky": {"Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Recover"}],
        "End": true},
        "Recover": {"Type": "Pass", "End": true}}}
      """)
    let result = await record(
      machine,
      handlers: handlers { _, context in
        try await context.sleep(seconds: 3)
        throw TaskFailure(error: "Boom", cause: "it broke")
      })
    #expect(result.output?["error"] == ["Error": "Boom", "Cause": "it broke"])
    try await expectReplays(result.history, against: machine)
  }

  @Test("Task tokens answered by callbacks replay with the recorded answers and times")
  func callbacks() async throws {
    let machine = try compile(
      """
      {"StartAt": "Approve", "States": {"Approve": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
        "Next": "Reject"},
        "Reject": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
        "Catch": [{"ErrorEquals": ["Rejected"], "Next": "Done"}], "End": true},
        "Done": {"Type": "Succeed"}}}
      """)
    let result = await record(
      machine,
      handlers: handlers { request, context in
        if request.stateName == "Approve" {
          context.scheduleCallback(after: 300, .success(["approved": true]))
        } else {
          context.scheduleCallback(after: 60, .failure(error: "Rejected", cause: "no"))
        }
        return ["MessageId": .string(request.stateName)]
      })
    #expect(result.status == .succeeded)
    try await expectReplays(result.history, against: machine)
  }

  // Found by fuzzing (FuzzReplay): a callback task whose submission failed has no
  // `TaskSubmitted` event, but the replay answered it with a submission and a failure callback.
  @Test("Callback tasks whose submission failed or never ended replay without a submission")
  func callbacksWithoutSubmission() async throws {
    let machine = try compile(
      """
      {"StartAt": "Refused", "States": {"Refused": {"Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {"FunctionName": "missing", "Payload": {"token.$": "$$.Task.Token"}},
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Slow"}],
        "Next": "Slow"},
        "Slow": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody.$": "$$.Task.Token"},
        "TimeoutSeconds": 60,
        "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": null, "Next": "Late"}],
        "End": true},
        "Late": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody.$": "$$.Task.Token"},
        "HeartbeatSeconds": 20, "End": true}}}
      """)
    let result = await record(
      machine,
      handlers: handlers { request, context in
        switch request.stateName {
        case "Refused": throw TaskFailure(error: "Lambda.ResourceNotFoundException", cause: "no")
        case "Slow": try await context.sleep(seconds: 600)
        default:
          try await context.sleep(seconds: 5)
          throw TaskFailure(error: "SQS.QueueDoesNotExist", cause: "no queue")
        }
        return ["MessageId": "m"]
      })
    let types = result.history.events.map(\.type)
    #expect(!types.contains("TaskSubmitted"))
    #expect(types.filter { $0 == "TaskFailed" }.count == 2)
    #expect(types.contains("TaskTimedOut"))
    try await expectReplays(result.history, against: machine)
  }

  @Test("Heartbeats keep recorded long tasks alive, and a missed heartbeat times out as recorded")
  func heartbeats() async throws {
    let machine = try compile(
      """
      {"StartAt": "Beating", "States": {"Beating": {"Type": "Task",
        "Resource": "arn:aws:states:::ecs:runTask.sync", "Parameters": {"Cluster": "c"},
        "HeartbeatSeconds": 10, "TimeoutSeconds": 500, "Next": "Waiting"},
        "Waiting": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody.$": "$$.Task.Token"},
        "HeartbeatSeconds": 20, "Next": "Silent"},
        "Silent": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync",
        "Parameters": {"Cluster": "c"}, "HeartbeatSeconds": 15,
        "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Done"}], "End": true},
        "Done": {"Type": "Succeed"}}}
      """)
    let result = await record(
      machine,
      handlers: handlers { request, context in
        switch request.stateName {
        case "Beating":
          context.submitted(["TaskArn": "t1"])
          for _ in 0..<5 {
            try await context.sleep(seconds: 8)
            context.heartbeat()
          }
          return ["Status": "STOPPED"]
        case "Waiting":
          for beat in 1...4 { context.scheduleCallback(after: Double(beat) * 15, .heartbeat) }
          context.scheduleCallback(after: 70, .success(["ok": true]))
          return ["MessageId": "m"]
        default:
          context.heartbeat()
          try await context.sleep(seconds: 40)
          return ["Status": "STOPPED"]
        }
      })
    #expect(result.status == .succeeded)
    let types = result.history.events.map(\.type)
    #expect(types.filter { $0 == "TaskSucceeded" }.count == 2)
    #expect(types.contains("TaskTimedOut"))
    try await expectReplays(result.history, against: machine)
  }

  @Test("Tasks and callbacks that timed out time out again at the recorded instant")
  func timeouts() async throws {
    let machine = try compile(
      """
      {"StartAt": "Slow", "States": {"Slow": {"Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
        "TimeoutSeconds": 60,
        "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": null, "Next": "Unanswered"}],
        "End": true},
        "Unanswered": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody.$": "$$.Task.Token"},
        "TimeoutSeconds": 3600, "End": true}}}
      """)
    let result = await record(
      machine,
      handlers: handlers { request, context in
        if request.stateName == "Slow" { try await context.sleep(seconds: 600) }
        return ["MessageId": "m"]
      })
    #expect(result.status == .failed)
    #expect(result.history.events.filter { $0.type == "TaskTimedOut" }.count == 2)
    try await expectReplays(result.history, against: machine)
  }

  @Test(
    "A recorded timeout whose timestamps show no time passing is left to the definition's TimeoutSeconds"
  )
  func timeoutWithoutTiming() async throws {
    let machine = try compile(
      """
      {"StartAt": "Slow", "States": {"Slow": {"Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
        "TimeoutSeconds": 5, "End": true}}}
      """)
    let result = await record(
      machine,
      handlers: handlers { _, context in
        try await context.sleep(seconds: 600)
        return [:]
      })
    #expect(result.history.events.map(\.type).contains("TaskTimedOut"))
    // As a recording whose timestamps were dropped (or rounded away) shows it.
    let start = result.history.events[0].timestamp
    let flattened = ExecutionHistory(
      events: result.history.events.map { event in
        var copy = event
        copy.timestamp = start
        return copy
      })
    var options = ReplayOptions()
    options.timestamps = .ignored
    let replayed = try await machine.replayResult(for: flattened, options: options)
    #expect(replayed.report == .matched(eventsCompared: result.history.count))
    #expect(replayed.execution?.history.events.map(\.type) == result.history.events.map(\.type))
  }

  @Test("Legacy Lambda ARNs and activities replay their own event families")
  func lambdaAndActivity() async throws {
    let machine = try compile(
      """
      {"StartAt": "Legacy", "States": {"Legacy": {"Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:resize",
        "Next": "Worker"},
        "Worker": {"Type": "Task",
        "Resource": "arn:aws:states:us-east-1:123456789012:activity:review",
        "TimeoutSeconds": 30, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}],
        "End": true},
        "Done": {"Type": "Pass", "End": true}}}
      """)
    let result = await record(
      machine, input: ["size": 3],
      handlers: handlers { request, context in
        try await context.sleep(seconds: request.stateName == "Worker" ? 10 : 2)
        if request.stateName == "Worker" { throw TaskFailure(error: "Declined", cause: "") }
        return ["resized": true]
      })
    let types = Set(result.history.events.map(\.type))
    #expect(types.isSuperset(of: ["LambdaFunctionSucceeded", "ActivityFailed"]))
    try await expectReplays(result.history, against: machine)
  }

  @Test("Generated UUIDs match one to one, whatever seed the replay draws from")
  func generatedIdentifiers() async throws {
    let machine = try compile(
      """
      {"StartAt": "Mint", "States": {"Mint": {"Type": "Pass",
        "Parameters": {"id.$": "States.UUID()"}, "Next": "Use"},
        "Use": {"Type": "Pass", "Parameters": {"again.$": "$.id", "fresh.$": "States.UUID()"},
        "End": true}}}
      """)
    let result = await record(machine, seed: 1)
    var options = ReplayOptions()
    options.seed = 2
    options.timestamps = .ignored
    #expect(
      try await machine.replay(result.history, options: options) == .matched(eventsCompared: 6))

    // A recorded identifier that stands for two different replayed ones is a divergence.
    let reused = try compile(
      """
      {"StartAt": "Mint", "States": {"Mint": {"Type": "Pass",
        "Parameters": {"id.$": "States.UUID()"}, "Next": "Use"},
        "Use": {"Type": "Pass", "Parameters": {"again.$": "States.UUID()", "fresh.$": "States.UUID()"},
        "End": true}}}
      """)
    let report = try await reused.replay(result.history, options: options)
    let divergence = try #require(report.divergence)
    #expect(divergence.stateName == "Use")
    #expect(divergence.pointer == "/stateExitedEventDetails/output/again")
    #expect(divergence.kind == .mismatch)
  }

  @Test("Branches that AWS interleaved differently still match when timestamps are ignored")
  func interleavedBranches() async throws {
    let machine = try compile(
      """
      {"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "Branches": [
        {"StartAt": "A1", "States": {"A1": {"Type": "Pass", "Next": "A2"},
                                     "A2": {"Type": "Pass", "End": true}}},
        {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "Next": "B2"},
                                     "B2": {"Type": "Pass", "End": true}}}],
        "Next": "After"}, "After": {"Type": "Pass", "End": true}}}
      """)
    let result = await record(machine)
    let events = result.history.events
    let branchB = events.indices.filter {
      if case .stateEntered(let name, _) = events[$0].details {
        return name == "B1" || name == "B2"
      }
      if case .stateExited(let name, _, _) = events[$0].details {
        return name == "B1" || name == "B2"
      }
      return false
    }
    #expect(branchB.count == 4)
    let firstA = try #require(
      events.firstIndex { $0.type == "PassStateEntered" && $0.previousEventId == 3 })
    let interleaved = result.history.moving(branchB, before: firstA)
    #expect(interleaved.events.map(\.type) == events.map(\.type))

    var options = ReplayOptions()
    options.timestamps = .ignored
    #expect(
      try await machine.replay(interleaved, options: options)
        == .matched(eventsCompared: events.count))
    options.timestamps = .exact
    let report = try await machine.replay(interleaved, options: options)
    #expect(report.divergence?.eventId == events[firstA].id)
    #expect(
      report.divergence?.message
        == "the definition now enters `A1` where the recorded execution entered `B1`")
  }
}
