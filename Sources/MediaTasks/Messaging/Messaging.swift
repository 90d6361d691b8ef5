import Foundation
import StepFunctions

/// How a simulated consumer answers a message that carries a task token (a message sent with
/// `sns:publish.waitForTaskToken` or `sqs:sendMessage.waitForTaskToken`).
public struct TaskTokenResponder: Sendable {
  /// How long after the message arrives the answer comes, in virtual seconds.
  public var delaySeconds: Double
  /// The answer for a message body (its parsed JSON when it is JSON text); `nil` leaves the
  /// token unanswered.
  public var answer: @Sendable (JSON) -> TaskContext.Callback?

  /// Creates a responder.
  public init(delaySeconds: Double, answer: @escaping @Sendable (JSON) -> TaskContext.Callback?) {
    self.delaySeconds = delaySeconds
    self.answer = answer
  }

  /// A responder that always answers `SendTaskSuccess` with `output` after `delaySeconds`.
  public static func succeed(with output: JSON, after delaySeconds: Double) -> TaskTokenResponder {
    TaskTokenResponder(delaySeconds: delaySeconds) { _ in .success(output) }
  }
}

/// One message published to an SNS topic.
public struct SNSMessage: Sendable, Hashable {
  /// The message ID returned to the publisher.
  public var messageId: String
  /// The topic (or target) ARN.
  public var topicArn: String
  /// The subject, if any.
  public var subject: String?
  /// The message text (JSON text when the task passed an object).
  public var message: String
  /// The message attributes as given.
  public var attributes: JSON?
  /// The task token, for `.waitForTaskToken` publishes.
  public var taskToken: String?
  /// When it was published.
  public var publishedAt: Instant

  /// The message parsed as JSON, or the text as a JSON string.
  public var json: JSON { (try? JSON(parsing: message)) ?? .string(message) }
}

/// One message sent to an SQS queue.
public struct SQSMessage: Sendable, Hashable {
  /// The message ID.
  public var messageId: String
  /// The queue URL.
  public var queueUrl: String
  /// The body (JSON text when the task passed an object).
  public var body: String
  /// The MD5 of the body, as SQS returns it.
  public var md5OfBody: String
  /// The message attributes as given.
  public var attributes: JSON?
  /// The FIFO message group, if any.
  public var messageGroupId: String?
  /// The task token, for `.waitForTaskToken` sends.
  public var taskToken: String?
  /// When it was sent.
  public var sentAt: Instant

  /// The body parsed as JSON, or the text as a JSON string.
  public var json: JSON { (try? JSON(parsing: body)) ?? .string(body) }
}

/// In-memory SNS topics: every publish is kept in the topic's outbox.
public final class SNSTopics: @unchecked Sendable {
  private let lock = NSLock()
  private var topics: [String: [SNSMessage]] = [:]
  private var responders: [String: TaskTokenResponder] = [:]
  private var _createsMissingTopics = true
  private let identifiers: IdentifierSource

  init(identifiers: IdentifierSource) { self.identifiers = identifiers }

  /// Whether publishing to an unknown topic creates it (otherwise `SNS.NotFoundException`).
  public var createsMissingTopics: Bool {
    get { lock.withLock { _createsMissingTopics } }
    set { lock.withLock { _createsMissingTopics = newValue } }
  }

  /// Creates a topic (no-op when it exists).
  public func createTopic(_ arn: String) {
    lock.withLock { if topics[arn] == nil { topics[arn] = [] } }
  }

  /// The topic ARNs, sorted.
  public var topicArns: [String] { lock.withLock { topics.keys.sorted() } }

  /// The messages published to `topicArn`, oldest first.
  public func messages(topicArn: String) -> [SNSMessage] {
    lock.withLock { topics[topicArn] ?? [] }
  }

  /// Every message on every topic, in publish order.
  public var allMessages: [SNSMessage] {
    lock.withLock { topics.values.flatMap { $0 }.sorted { $0.messageId < $1.messageId } }
  }

  /// Sets who answers task tokens published to `topicArn`.
  public func setResponder(_ responder: TaskTokenResponder?, forTopic topicArn: String) {
    lock.withLock { responders[topicArn] = responder }
  }

  private var counter = 0

  func publish(_ request: TaskRequest, context: TaskContext) throws -> JSON {
    let parameters = try Parameters(request.parameters, service: "SNS")
    guard
      let topic = parameters.string("TopicArn") ?? parameters.string("TargetArn")
        ?? parameters.string("PhoneNumber")
    else {
      throw TaskFailure(
        error: "SNS.InvalidParameterException",
        cause:
          "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter (Service: AmazonSNS; Status Code: 400; Error Code: InvalidParameter; Request ID: in-memory; Proxy: null)"
      )
    }
    guard let message = parameters["Message"], message != .null, message.textForm != "" else {
      throw TaskFailure(
        error: "SNS.InvalidParameterException",
        cause:
          "Invalid parameter: Empty message (Service: AmazonSNS; Status Code: 400; Error Code: InvalidParameter; Request ID: in-memory; Proxy: null)"
      )
    }
    let id = identifiers.uuid()
    let responder: TaskTokenResponder? = try lock.locked {
      () throws(TaskFailure) -> TaskTokenResponder? in
      if topics[topic] == nil {
        guard _createsMissingTopics else {
          throw TaskFailure(
            error: "SNS.NotFoundException",
            cause:
              "Topic does not exist (Service: AmazonSNS; Status Code: 404; Error Code: NotFound; Request ID: in-memory; Proxy: null)"
          )
        }
        topics[topic] = []
      }
      counter += 1
      topics[topic, default: []].append(
        SNSMessage(
          messageId: id, topicArn: topic, subject: parameters.string("Subject"),
          message: message.textForm,
          attributes: parameters["MessageAttributes"], taskToken: request.taskToken,
          publishedAt: context.now))
      return responders[topic]
    }
    if request.taskToken != nil, let responder, let answer = responder.answer(message) {
      context.scheduleCallback(after: responder.delaySeconds, answer)
    }
    var response: JSONObject = ["MessageId": .string(id)]
    ResponseMetadata.append(to: &response, requestId: identifiers.uuid(), contentType: "text/xml")
    return .object(response)
  }
}

/// In-memory SQS queues (used as work queues, review queues and dead-letter queues).
public final class SQSQueues: @unchecked Sendable {
  private let lock = NSLock()
  private var queues: [String: [SQSMessage]] = [:]
  private var responders: [String: TaskTokenResponder] = [:]
  private var waiters:
    [String: [(index: Int, continuation: CheckedContinuation<SQSMessage, Never>)]] = [:]
  private var _createsMissingQueues = true
  private let identifiers: IdentifierSource

  init(identifiers: IdentifierSource) { self.identifiers = identifiers }

  /// Whether sending to an unknown queue creates it (otherwise
  /// `SQS.QueueDoesNotExistException`).
  public var createsMissingQueues: Bool {
    get { lock.withLock { _createsMissingQueues } }
    set { lock.withLock { _createsMissingQueues = newValue } }
  }

  /// Creates a queue (no-op when it exists).
  public func createQueue(_ url: String) {
    lock.withLock { if queues[url] == nil { queues[url] = [] } }
  }

  /// The queue URLs, sorted.
  public var queueUrls: [String] { lock.withLock { queues.keys.sorted() } }

  /// The messages sent to `queueUrl`, oldest first.
  public func messages(queueUrl: String) -> [SQSMessage] {
    lock.withLock { queues[queueUrl] ?? [] }
  }

  /// Sets who answers task tokens sent to `queueUrl` (`nil`: nobody; the token waits for
  /// `Execution.sendTaskSuccess`).
  public func setResponder(_ responder: TaskTokenResponder?, forQueue queueUrl: String) {
    lock.withLock { responders[queueUrl] = responder }
  }

  /// Waits until the queue holds more than `count` messages and returns message number
  /// `count` (0-based; a negative number is 0): lets a test answer a task token while the
  /// execution waits for it.
  public func message(at count: Int, inQueue queueUrl: String) async -> SQSMessage {
    let count = max(0, count)
    return await withCheckedContinuation { continuation in
      let ready: SQSMessage? = lock.withLock {
        if let list = queues[queueUrl], list.count > count { return list[count] }
        waiters[queueUrl, default: []].append((count, continuation))
        return nil
      }
      if let ready { continuation.resume(returning: ready) }
    }
  }

  func send(_ request: TaskRequest, context: TaskContext) throws -> JSON {
    let parameters = try Parameters(request.parameters, service: "SQS")
    guard let url = parameters.string("QueueUrl"), !url.isEmpty else {
      throw TaskFailure(
        error: "SQS.AmazonSQSException",
        cause:
          "The request must contain the parameter QueueUrl. (Service: AmazonSQS; Status Code: 400; Error Code: MissingParameter; Request ID: in-memory; Proxy: null)"
      )
    }
    guard let bodyValue = parameters["MessageBody"], bodyValue != .null, bodyValue.textForm != ""
    else {
      throw TaskFailure(
        error: "SQS.AmazonSQSException",
        cause:
          "The request must contain the parameter MessageBody. (Service: AmazonSQS; Status Code: 400; Error Code: MissingParameter; Request ID: in-memory; Proxy: null)"
      )
    }
    let body = bodyValue.textForm
    let md5 = HashAlgorithm.md5.hexDigest(of: body)
    let id = identifiers.uuid()
    let message = SQSMessage(
      messageId: id, queueUrl: url, body: body, md5OfBody: md5,
      attributes: parameters["MessageAttributes"],
      messageGroupId: parameters.string("MessageGroupId"), taskToken: request.taskToken,
      sentAt: context.now)
    let (responder, resumed):
      (TaskTokenResponder?, [(SQSMessage, CheckedContinuation<SQSMessage, Never>)]) =
        try lock.locked {
          () throws(TaskFailure) -> (
            TaskTokenResponder?, [(SQSMessage, CheckedContinuation<SQSMessage, Never>)]
          ) in
          if queues[url] == nil {
            guard _createsMissingQueues else {
              throw TaskFailure(
                error: "SQS.QueueDoesNotExistException",
                cause:
                  "The specified queue does not exist. (Service: Sqs, Status Code: 400, Request ID: in-memory)"
              )
            }
            queues[url] = []
          }
          queues[url, default: []].append(message)
          let list = queues[url] ?? []
          let pending = waiters[url] ?? []
          waiters[url] = pending.filter { $0.index >= list.count }
          let ready = pending.filter { $0.index < list.count }.map {
            (list[$0.index], $0.continuation)
          }
          return (responders[url], ready)
        }
    for (ready, continuation) in resumed { continuation.resume(returning: ready) }
    if request.taskToken != nil, let responder, let answer = responder.answer(bodyValue) {
      context.scheduleCallback(after: responder.delaySeconds, answer)
    }
    var response: JSONObject = ["MD5OfMessageBody": .string(md5), "MessageId": .string(id)]
    if message.messageGroupId != nil {
      response["SequenceNumber"] = .string(String(lock.withLock { queues[url]?.count ?? 0 }))
    }
    ResponseMetadata.append(to: &response, requestId: identifiers.uuid())
    return .object(response)
  }
}

/// `arn:aws:states:::sns:publish` (and `.waitForTaskToken`).
public struct SNSPublishHandler: TaskHandler {
  /// The topics.
  public let topics: SNSTopics

  /// Creates a handler over `topics`.
  public init(topics: SNSTopics) { self.topics = topics }

  /// Publishes the message.
  public func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    try topics.publish(request, context: context)
  }
}

/// `arn:aws:states:::sqs:sendMessage` (and `.waitForTaskToken`).
public struct SQSSendMessageHandler: TaskHandler {
  /// The queues.
  public let queues: SQSQueues

  /// Creates a handler over `queues`.
  public init(queues: SQSQueues) { self.queues = queues }

  /// Sends the message.
  public func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    try queues.send(request, context: context)
  }
}
