import StepFunctions
import StepFunctionsTesting
import Testing

/// A one-Task machine on `resource` with optional timeout, heartbeat and retry.
func taskMachine(
  _ resource: String = "arn:aws:states:::lambda:invoke", timeout: Int? = nil, heartbeat: Int? = nil,
  retryOn: String? = nil, parameters: String? = nil
) throws -> StateMachine {
  var fields = [#""Type": "Task""#, #""Resource": "\#(resource)""#, #""End": true"#]
  if let timeout { fields.append(#""TimeoutSeconds": \#(timeout)"#) }
  if let heartbeat { fields.append(#""HeartbeatSeconds": \#(heartbeat)"#) }
  if let retryOn {
    fields.append(
      #""Retry": [{"ErrorEquals": ["\#(retryOn)"], "IntervalSeconds": 1, "MaxAttempts": 5, "BackoffRate": 1}]"#
    )
  }
  if let parameters { fields.append(#""Parameters": \#(parameters)"#) }
  return try StateMachine(
    json: #"{"StartAt": "Work", "States": {"Work": {\#(fields.joined(separator: ", "))}}}"#)
}

/// Virtual seconds from the start to the end of the run.
func elapsedSeconds(_ run: WorkflowRun) -> Double {
  Double(run.result.stopDate.millisecondsSinceEpoch - run.result.startDate.millisecondsSinceEpoch)
    / 1000
}

@Suite("Scripted and recording handlers")
struct HandlerTests {
  @Test("A scripted handler answers successive calls with successive responses")
  func sequence() async throws {
    let handler = ScriptedHandler([
      .throwing("Boom", cause: "once"), .throwing("Boom"), .returning(["ok": 3]),
    ])
    let run = await WorkflowTest(try taskMachine(retryOn: "Boom")).handling(
      "lambda:invoke", with: handler
    ).run()
    #expect(run.status == .succeeded)
    #expect(run.output == ["ok": 3])
    #expect(handler.callCount == 3)
    #expect(taskFailures(run) == ["Boom", "Boom"])
  }

  @Test("After the last response the handler repeats it by default, or fails when told to")
  func exhaustion() async throws {
    let repeating = ScriptedHandler([.throwing("Boom")])
    let repeated = await WorkflowTest(try taskMachine(retryOn: "Boom")).handling(
      "lambda:invoke", with: repeating
    ).run()
    #expect(repeated.error == "Boom")
    #expect(repeating.callCount == 6)

    let strict = ScriptedHandler([.throwing("Boom")], whenExhausted: .fail)
    let failed = await WorkflowTest(try taskMachine(retryOn: "Boom")).handling(
      "lambda:invoke", with: strict
    ).run()
    #expect(failed.error == "States.TaskFailed")
    #expect(failed.cause == "The scripted handler has 1 response but the state 'Work' made call 2.")
  }

  @Test("A response that takes N virtual seconds delivers its result N seconds later")
  func taking() async throws {
    let run = await WorkflowTest(try taskMachine())
      .handling("lambda:invoke", with: ScriptedHandler(.returning("done").taking(seconds: 1200)))
      .run()
    #expect(run.status == .succeeded)
    #expect(elapsedSeconds(run) == 1200)
    let succeeded = run.history.events.first { $0.type == "TaskSucceeded" }
    #expect(succeeded?.timestamp == run.result.startDate.advanced(bySeconds: 1200))
  }

  @Test("A response slower than TimeoutSeconds fails the task with States.Timeout at the deadline")
  func timeout() async throws {
    let run = await WorkflowTest(try taskMachine(timeout: 60))
      .handling("lambda:invoke", with: ScriptedHandler(.returning("late").taking(seconds: 120)))
      .run()
    #expect(run.error == "States.Timeout")
    #expect(elapsedSeconds(run) == 60)
  }

  @Test("Heartbeats keep a long task alive; without them HeartbeatSeconds fails it")
  func heartbeats() async throws {
    let beating = await WorkflowTest(try taskMachine(heartbeat: 30))
      .handling(
        "lambda:invoke",
        with: ScriptedHandler(.returning("ok").taking(seconds: 100).heartbeating(every: 20))
      )
      .run()
    #expect(beating.status == .succeeded)
    #expect(elapsedSeconds(beating) == 100)
    let silent = await WorkflowTest(try taskMachine(heartbeat: 30))
      .handling("lambda:invoke", with: ScriptedHandler(.returning("ok").taking(seconds: 100))).run()
    // AWS reports a missed heartbeat as States.Timeout (corpus: test_heartbeat_timeout).
    #expect(silent.error == "States.Timeout")
    #expect(elapsedSeconds(silent) == 30)
  }

  static let tokenResource = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"

  @Test("A task token is answered after M virtual seconds through a scheduled callback")
  func tokenCallback() async throws {
    let recorder = RecordingHandler(
      wrapping: ScriptedHandler(.answeringTaskToken(with: ["approved": true], after: 3600)))
    let run = await WorkflowTest(
      try taskMachine(Self.tokenResource, parameters: #"{"token.$": "$$.Task.Token"}"#)
    )
    .handling("sqs:sendMessage", with: recorder).run()
    #expect(run.status == .succeeded)
    #expect(run.output == ["approved": true])
    #expect(elapsedSeconds(run) == 3600)
    let call = try #require(recorder.calls.first)
    #expect(call.taskToken != nil)
    #expect(call.parameters["token"]?.stringValue == call.taskToken)
  }

  @Test("A task token can be failed after M seconds, or never answered so the timeout decides")
  func tokenFailureAndSilence() async throws {
    let failed = await WorkflowTest(try taskMachine(Self.tokenResource))
      .handling(
        "sqs:sendMessage",
        with: ScriptedHandler(.failingTaskToken(error: "Rejected", cause: "no", after: 90))
      )
      .run()
    #expect(failed.error == "Rejected")
    #expect(failed.cause == "no")
    #expect(elapsedSeconds(failed) == 90)

    let silent = await WorkflowTest(try taskMachine(Self.tokenResource, timeout: 300))
      .handling("sqs:sendMessage", with: ScriptedHandler(.neverAnswering)).run()
    #expect(silent.error == "States.Timeout")
    #expect(elapsedSeconds(silent) == 300)
  }

  @Test("Scheduled heartbeats keep a waiting task token alive")
  func tokenHeartbeats() async throws {
    let run = await WorkflowTest(try taskMachine(Self.tokenResource, heartbeat: 60))
      .handling(
        "sqs:sendMessage",
        with: ScriptedHandler(.answeringTaskToken(with: "ok", after: 200).heartbeating(every: 50))
      ).run()
    #expect(run.status == .succeeded)
    #expect(elapsedSeconds(run) == 200)
    let silent = await WorkflowTest(try taskMachine(Self.tokenResource, heartbeat: 60))
      .handling(
        "sqs:sendMessage", with: ScriptedHandler(.answeringTaskToken(with: "ok", after: 200))
      ).run()
    // AWS reports a missed heartbeat as States.Timeout (corpus: test_heartbeat_timeout).
    #expect(silent.error == "States.Timeout")
    #expect(elapsedSeconds(silent) == 60)
  }

  @Test("Echoing and computed responses use the task's parameters")
  func echoAndCompute() async throws {
    let machine = try taskMachine(parameters: #"{"FunctionName": "f", "Payload": {"n.$": "$.n"}}"#)
    let echoed = await WorkflowTest(machine).handling(
      "lambda:invoke", with: ScriptedHandler(.echoingParameters)
    )
    .run(input: ["n": 4])
    #expect(echoed.output == ["FunctionName": "f", "Payload": ["n": 4]])
    let computed = await WorkflowTest(machine)
      .handling(
        "lambda:invoke",
        with: ScriptedHandler(
          .computing { request in
            guard let n = request.parameters["Payload"]?["n"]?.numberValue?.intValue else {
              throw TaskFailure(error: "BadInput", cause: "n")
            }
            return ["square": .number(JSONNumber(n * n))]
          })
      ).run(input: ["n": 4])
    #expect(computed.output == ["square": 16])
  }

  @Test("A recording handler keeps every call's state, attempt, parameters and start time")
  func recording() async throws {
    let recorder = RecordingHandler(
      wrapping: ScriptedHandler([.throwing("Boom"), .returning("ok")]))
    let run = await WorkflowTest(try taskMachine(retryOn: "Boom", parameters: #"{"id.$": "$.id"}"#))
      .handling("lambda:invoke", with: recorder).run(input: ["id": "v-1"])
    #expect(run.status == .succeeded)
    #expect(recorder.calls.map(\.stateName) == ["Work", "Work"])
    #expect(recorder.calls.map(\.attempt) == [0, 1])
    #expect(recorder.calls.map(\.parameters) == [["id": "v-1"], ["id": "v-1"]])
    #expect(
      recorder.calls.map(\.startedAt) == [
        run.result.startDate, run.result.startDate.advanced(bySeconds: 1),
      ])
    #expect(recorder.calls(inState: "Other").isEmpty)
    #expect(recorder.calls.first?.resource.arn == "arn:aws:states:::lambda:invoke")
    #expect(recorder.calls.first?.description == #"Work (attempt 0): {"id":"v-1"}"#)
  }

  @Test("A default recording handler echoes the parameters")
  func recordingEchoes() async throws {
    let recorder = RecordingHandler()
    let run = await WorkflowTest(try taskMachine(parameters: #"{"a": 1}"#)).handling(
      "lambda:invoke", with: recorder
    ).run()
    #expect(run.output == ["a": 1])
    #expect(recorder.calls.count == 1)
  }
}
