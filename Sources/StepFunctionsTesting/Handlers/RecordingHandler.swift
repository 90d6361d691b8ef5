import StepFunctions
import Synchronization

/// A task handler that keeps every call — state name, attempt, parameters, resource, task token
/// and start time — and passes it on to another handler for the answer.
///
/// ```swift
/// let publish = RecordingHandler(returning: ["MessageId": "m-1"])
/// let run = await WorkflowTest(machine).handling("sns:publish", with: publish).run(input: input)
/// #expect(publish.calls.count == 1)
/// publish.expectCalled(withParametersMatching: ["TopicArn": "arn:aws:sns:us-east-1:123456789012:t"])
/// ```
public final class RecordingHandler: TaskHandler {
  /// The handler that answers the calls.
  public let answering: any TaskHandler
  private let recorded = Mutex<[RecordedCall]>([])

  /// Records the calls and lets `handler` answer them.
  public init(wrapping handler: any TaskHandler) {
    answering = handler
  }

  /// Records the calls and answers each with `value`.
  public convenience init(returning value: JSON) {
    self.init(wrapping: ScriptedHandler(.returning(value)))
  }

  /// Records the calls and answers each with the task's effective parameters.
  public convenience init() {
    self.init(wrapping: ScriptedHandler(.echoingParameters))
  }

  /// Every call so far, in the order they were made.
  public var calls: [RecordedCall] { recorded.withLock { $0 } }

  /// The calls made by the state `stateName`.
  public func calls(inState stateName: String) -> [RecordedCall] {
    calls.filter { $0.stateName == stateName }
  }

  /// Records the call, then lets the wrapped handler answer.
  public func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    recorded.withLock {
      $0.append(
        RecordedCall(
          stateName: request.stateName, attempt: request.attempt, parameters: request.parameters,
          resource: request.resource, taskToken: request.taskToken, startedAt: context.now))
    }
    return try await answering.invoke(request, context: context)
  }
}

/// One call a ``RecordingHandler`` saw.
public struct RecordedCall: Sendable, Hashable, CustomStringConvertible {
  /// The Task state's name.
  public var stateName: String
  /// The retry attempt (0 for the first try).
  public var attempt: Int
  /// The effective parameters.
  public var parameters: JSON
  /// The resource.
  public var resource: TaskResource
  /// The task token, for `.waitForTaskToken` tasks.
  public var taskToken: String?
  /// When the task started (virtual time on a virtual clock).
  public var startedAt: Instant

  /// Creates a record.
  public init(
    stateName: String, attempt: Int, parameters: JSON, resource: TaskResource, taskToken: String?,
    startedAt: Instant
  ) {
    self.stateName = stateName
    self.attempt = attempt
    self.parameters = parameters
    self.resource = resource
    self.taskToken = taskToken
    self.startedAt = startedAt
  }

  /// `State (attempt n): {parameters}`.
  public var description: String {
    "\(stateName) (attempt \(attempt)): \(parameters.serialized())"
  }
}
