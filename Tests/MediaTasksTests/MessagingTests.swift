import MediaTasks
import StepFunctions
import Testing

@Suite("SNS and SQS")
struct MessagingTests {
  @Test("sns:publish keeps the message in the topic's outbox and returns deterministic message IDs")
  func publish() async throws {
    func run() async throws -> (ExecutionResult, MediaWorld) {
      let world = MediaWorld(seed: 7)
      let result = try await call(
        "arn:aws:states:::sns:publish",
        [
          "TopicArn": .string(topicArn("alerts")), "Subject": "Hi",
          "Message": ["jobId": "j1", "score": 0.9],
        ], world: world)
      return (result, world)
    }
    let (first, world) = try await run()
    let (second, _) = try await run()
    #expect(first.status == .succeeded)
    #expect(first.output?["MessageId"] == second.output?["MessageId"])
    #expect(first.output?["MessageId"]?.stringValue?.count == 36)
    let messages = world.sns.messages(topicArn: topicArn("alerts"))
    #expect(messages.count == 1)
    #expect(messages.first?.message == #"{"jobId":"j1","score":0.9}"#)
    #expect(messages.first?.json["jobId"] == "j1")
    #expect(messages.first?.subject == "Hi")
  }

  @Test(
    "Publishing to an unknown topic fails with SNS.NotFoundException when topics are not created on demand"
  )
  func unknownTopic() async throws {
    let world = MediaWorld()
    world.sns.createsMissingTopics = false
    let result = try await call(
      "arn:aws:states:::sns:publish", ["TopicArn": .string(topicArn("ghost")), "Message": "x"],
      world: world)
    #expect(result.error == "SNS.NotFoundException")
    #expect(world.sns.topicArns.isEmpty)
  }

  @Test("A publish without a message is refused with SNS.InvalidParameterException")
  func emptyMessage() async throws {
    let result = try await call(
      "arn:aws:states:::sns:publish", ["TopicArn": .string(topicArn("alerts"))], world: MediaWorld()
    )
    #expect(result.error == "SNS.InvalidParameterException")
  }

  @Test("sqs:sendMessage returns the body's MD5 and queues the message")
  func send() async throws {
    let world = MediaWorld()
    let result = try await call(
      "arn:aws:states:::sqs:sendMessage",
      ["QueueUrl": .string(queueUrl("dlq")), "MessageBody": "hello"], world: world)
    #expect(result.output?["MD5OfMessageBody"] == "5d41402abc4b2a76b9719d911017c592")
    #expect(world.sqs.messages(queueUrl: queueUrl("dlq")).map(\.body) == ["hello"])
  }

  @Test("An empty message body fails as AWS reports it")
  func emptyBody() async throws {
    let result = try await call(
      "arn:aws:states:::sqs:sendMessage",
      ["QueueUrl": .string(queueUrl("dlq")), "MessageBody": ""], world: MediaWorld())
    #expect(result.error == "SQS.AmazonSQSException")
    #expect(result.cause?.hasPrefix("The request must contain the parameter MessageBody.") == true)
  }

  @Test(
    "Sending to an unknown queue fails with SQS.QueueDoesNotExistException when queues are not created on demand"
  )
  func unknownQueue() async throws {
    let world = MediaWorld()
    world.sqs.createsMissingQueues = false
    let result = try await call(
      "arn:aws:states:::sqs:sendMessage",
      ["QueueUrl": .string(queueUrl("ghost")), "MessageBody": "x"], world: world)
    #expect(result.error == "SQS.QueueDoesNotExistException")
  }

  @Test("A queue's responder answers a task token after its delay")
  func responderAnswers() async throws {
    let world = MediaWorld()
    world.sqs.setResponder(
      TaskTokenResponder(delaySeconds: 600) { body in .success(["seen": body["id"] ?? .null]) },
      forQueue: queueUrl("review"))
    let result = try await call(
      "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      [
        "QueueUrl": .string(queueUrl("review")),
        "MessageBody": ["id": 42, "token.$": "$$.Task.Token"],
      ], world: world)
    #expect(result.output == ["seen": 42])
    #expect(elapsedSeconds(result) == 600)
    let message = try #require(world.sqs.messages(queueUrl: queueUrl("review")).first)
    #expect(message.taskToken != nil)
    #expect(message.json["token"] == .string(message.taskToken ?? ""))
  }

  @Test("A responder can fail the task token, and a topic responder works the same way")
  func responderFails() async throws {
    let world = MediaWorld()
    world.sns.setResponder(
      TaskTokenResponder(delaySeconds: 30) { _ in
        .failure(error: "Rejected", cause: "not good enough")
      },
      forTopic: topicArn("approvals"))
    let result = try await call(
      "arn:aws:states:::sns:publish.waitForTaskToken",
      ["TopicArn": .string(topicArn("approvals")), "Message": ["token.$": "$$.Task.Token"]],
      world: world)
    #expect(result.error == "Rejected")
    #expect(result.cause == "not good enough")
    #expect(elapsedSeconds(result) == 30)
  }

  @Test("Without a responder the token is answered from outside with sendTaskSuccess")
  func answeredFromOutside() async throws {
    let world = MediaWorld()
    let definition: JSON = [
      "StartAt": "Ask",
      "States": [
        "Ask": [
          "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
          "Parameters": [
            "QueueUrl": .string(queueUrl("manual")), "MessageBody": ["token.$": "$$.Task.Token"],
          ],
          "End": true,
        ]
      ],
    ]
    var options = options(world)
    options.waitsForCallbacks = true
    let execution = try StateMachine(json: definition.serialized()).start(
      input: [:], options: options)
    let message = await world.sqs.message(at: 0, inQueue: queueUrl("manual"))
    try await execution.sendTaskSuccess(
      taskToken: try #require(message.taskToken), output: ["approved": true])
    let result = await execution.result()
    #expect(result.status == .succeeded)
    #expect(result.output == ["approved": true])
  }
}
