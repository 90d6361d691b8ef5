import StepFunctionsJSON
import StepFunctionsRuntime
import Testing

@Suite("TaskSubmitted events for .sync and .waitForTaskToken tasks")
struct TaskSubmittedTests {
  @Test(
    "A waitForTaskToken task records the handler's response as TaskSubmitted, then the callback's output"
  )
  func waitForTaskToken() async throws {
    let machine = try StateMachine(
      json: """
        {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
          "Parameters": {"QueueUrl": "q", "MessageBody": {"TaskToken.$": "$$.Task.Token"}}, "End": true}}}
        """)
    var options = ExecutionOptions()
    options.handlers.register(
      ClosureTaskHandler { request, context in
        context.scheduleCallback(after: 30, .success(["approved": true]))
        #expect(request.parameters["MessageBody"]?["TaskToken"]?.stringValue == request.taskToken)
        return ["MessageId": "m-1"]
      }, forIntegration: "sqs:sendMessage")
    let result = await machine.run(options: options)
    #expect(result.status == .succeeded)
    #expect(result.output == ["approved": true])
    let types = result.history.events.map(\.type)
    #expect(
      types == [
        "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted",
        "TaskSucceeded",
        "TaskStateExited", "ExecutionSucceeded",
      ])
    let submitted = try #require(result.history.events.first { $0.type == "TaskSubmitted" })
    #expect(submitted.awsJSON["taskSubmittedEventDetails"]?["output"] == "{\"MessageId\":\"m-1\"}")
    let succeeded = try #require(result.history.events.first { $0.type == "TaskSucceeded" })
    #expect(
      succeeded.timestamp.millisecondsSinceEpoch - submitted.timestamp.millisecondsSinceEpoch
        == 30_000)
  }

  @Test("A .sync task records the submission its handler reports, at the time it reports it")
  func syncSubmission() async throws {
    let machine = try StateMachine(
      json: """
        {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::mediaconvert:createJob.sync", "End": true}}}
        """)
    var options = ExecutionOptions()
    options.handlers.register(
      ClosureTaskHandler { _, context in
        try await context.sleep(seconds: 2)
        context.submitted(["Job": ["Id": "j1", "Status": "SUBMITTED"]])
        try await context.sleep(seconds: 600)
        return ["Job": ["Id": "j1", "Status": "COMPLETE"]]
      }, forIntegration: "mediaconvert:createJob")
    let result = await machine.run(options: options)
    #expect(result.status == .succeeded)
    let start = result.startDate.millisecondsSinceEpoch
    let times = result.history.events.map { ($0.type, $0.timestamp.millisecondsSinceEpoch - start) }
    #expect(times.first { $0.0 == "TaskSubmitted" }?.1 == 2_000)
    #expect(times.first { $0.0 == "TaskSucceeded" }?.1 == 602_000)
  }
}
