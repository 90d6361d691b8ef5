import StepFunctions
import Synchronization

/// The task handler that plays a ``MockTestCase`` for one execution, the way AWS Step Functions
/// Local does, and hands every state the test case does not mock to the registered handlers.
///
/// **Counting.** The responder keeps one counter per state name for the execution. Every
/// invocation of a mocked state takes the counter's value as its invocation number, then
/// advances it — retries included, and across Map iterations and Parallel branches (state names
/// are unique in a state machine, so a state inside a Map has one counter for all its
/// iterations). A Task retried twice uses invocations 0, 1 and 2; a mocked state run by three Map
/// iterations uses 0, 1 and 2 in the order the iterations invoke it. This is the behaviour of
/// Step Functions Local 2.0 (and of LocalStack and Floci after they fixed counting by retry
/// number); create a new responder for each execution.
///
/// **Answers.** A `Return` is the task's result (for a `.waitForTaskToken` task it is delivered
/// as the `SendTaskSuccess` output at once, as Step Functions Local generates and answers the
/// token itself). A `Throw` fails the task with its `Error` and `Cause`, so retriers and catchers
/// react as they would to the real service.
///
/// **Uncovered invocations.** The AWS guide says that when you mock a Task you must give a mocked
/// response for every invocation, and that otherwise the execution fails; Step Functions Local
/// 2.0 fails the state with `States.Runtime` when no key covers the invocation number. So an
/// invocation that no key of the response covers fails the task with `States.Runtime` (which
/// `States.ALL` does not catch or retry), with a cause naming the state, the invocation number,
/// the response and the invocations it does cover. It is also recorded in
/// ``uncoveredInvocations``.
///
/// **Unmocked states** use ``handlers``; a state with no mock and no handler fails with
/// `States.Runtime` and a cause that says so (recorded in ``unhandledInvocations``).
public final class MockResponder: TaskHandler {
  /// The test case played.
  public let testCase: MockTestCase
  /// The handlers for states the test case does not mock.
  public let handlers: TaskHandlerRegistry
  private let state = Mutex(Record())

  private struct Record {
    var counters: [String: Int] = [:]
    var invocations: [MockInvocation] = []
    var unhandled: [UnhandledInvocation] = []
  }

  /// Creates a responder for one execution.
  public init(testCase: MockTestCase, handlers: TaskHandlerRegistry = TaskHandlerRegistry()) {
    self.testCase = testCase
    self.handlers = handlers
  }

  /// Every invocation of a mocked state so far, in order.
  public var invocations: [MockInvocation] { state.withLock { $0.invocations } }

  /// The invocations of mocked states that no key of their response covered.
  public var uncoveredInvocations: [MockInvocation] { invocations.filter { $0.outcome == nil } }

  /// The invocations of unmocked states that had no registered handler.
  public var unhandledInvocations: [UnhandledInvocation] { state.withLock { $0.unhandled } }

  /// Answers from the mock, or passes the request to the registered handler.
  public func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    guard let response = testCase.response(forState: request.stateName) else {
      guard let handler = handlers.handler(for: request.resource) else {
        let message =
          "The state '\(request.stateName)' is not mocked in the test case '\(testCase.name)' and no task handler is registered for its resource '\(request.resource.arn)'."
        state.withLock {
          $0.unhandled.append(
            UnhandledInvocation(
              stateName: request.stateName, resource: request.resource.arn, message: message))
        }
        throw StatesError(StatesError.Names.runtime, cause: message)
      }
      return try await handler.invoke(request, context: context)
    }
    let invocation = state.withLock { record -> MockInvocation in
      let index = record.counters[request.stateName, default: 0]
      record.counters[request.stateName] = index + 1
      let invocation = MockInvocation(
        stateName: request.stateName, invocationIndex: index, attempt: request.attempt,
        responseName: response.name, outcome: response.outcome(forInvocation: index))
      record.invocations.append(invocation)
      return invocation
    }
    switch invocation.outcome {
    case nil:
      throw StatesError(
        StatesError.Names.runtime,
        cause: invocation.uncoveredMessage(response: response, testCase: testCase.name))
    case .return(let value)?:
      if request.resource.pattern == .waitForTaskToken {
        context.scheduleCallback(after: 0, .success(value))
        return .null
      }
      return value
    case .throw(let error, let cause)?:
      throw TaskFailure(error: error, cause: cause)
    }
  }
}

/// One invocation of a mocked state.
///
/// `sfn test --format json` writes each one with the same names, as
/// `{"stateName", "invocationIndex", "attempt", "responseName", "outcome"}`.
public struct MockInvocation: Sendable, Hashable, CustomStringConvertible {
  /// The state's name.
  public var stateName: String
  /// The invocation number the mocked response's keys count (0 for the state's first invocation
  /// in the execution; retries, Map iterations and Parallel branches each take the next one).
  public var invocationIndex: Int
  /// The retry attempt (0 for the first try of that entry into the state).
  public var attempt: Int
  /// The name of the mocked response used (its key under `MockedResponses`).
  public var responseName: String
  /// The answer, or `nil` when no key of the response covers ``invocationIndex``.
  public var outcome: MockedOutcome?

  /// Creates a record.
  public init(
    stateName: String, invocationIndex: Int, attempt: Int, responseName: String,
    outcome: MockedOutcome?
  ) {
    self.stateName = stateName
    self.invocationIndex = invocationIndex
    self.attempt = attempt
    self.responseName = responseName
    self.outcome = outcome
  }

  /// `Transcode #1 → TranscodeFlaky: Return {...}`.
  public var description: String {
    "\(stateName) #\(invocationIndex) → \(responseName): \(outcome.map(String.init(describing:)) ?? "not covered")"
  }

  func uncoveredMessage(response: MockedResponse, testCase: String) -> String {
    "The state '\(stateName)' was invoked for the \(MockInvocation.ordinal(invocationIndex + 1)) time (invocation \(invocationIndex)) in the test case '\(testCase)', but its mocked response '\(responseName)' covers only the invocations \(response.coverageDescription). Step Functions Local needs a mocked response for every invocation of a mocked state."
  }

  static func ordinal(_ number: Int) -> String {
    let suffix: String
    switch (number % 10, number % 100) {
    case (1, let tens) where tens != 11: suffix = "st"
    case (2, let tens) where tens != 12: suffix = "nd"
    case (3, let tens) where tens != 13: suffix = "rd"
    default: suffix = "th"
    }
    return "\(number)\(suffix)"
  }
}

/// An invocation of a state that was neither mocked nor handled.
public struct UnhandledInvocation: Sendable, Hashable, CustomStringConvertible {
  /// The state's name.
  public var stateName: String
  /// The resource ARN.
  public var resource: String
  /// The explanation the task failed with.
  public var message: String

  /// Creates a record.
  public init(stateName: String, resource: String, message: String) {
    self.stateName = stateName
    self.resource = resource
    self.message = message
  }

  /// The message.
  public var description: String { message }
}
