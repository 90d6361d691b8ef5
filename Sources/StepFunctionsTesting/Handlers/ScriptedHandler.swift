import StepFunctions
import Synchronization

/// One scripted answer of a ``ScriptedHandler``: what the task returns or throws, how much
/// (virtual) time it takes, and whether it heartbeats on the way.
///
/// ```swift
/// .returning(["ok": true])                           // succeed at once
/// .throwing("Lambda.ServiceException", cause: "x")   // fail at once
/// .returning(["Job": "done"]).taking(seconds: 1200)  // succeed 20 virtual minutes later
/// .answeringTaskToken(with: ["approved": true], after: 3600)   // .waitForTaskToken: callback
/// .neverAnswering                                    // wait until a timeout fires
/// ```
///
/// For a `.waitForTaskToken` task every answer is delivered as a callback on the task token
/// (`SendTaskSuccess` / `SendTaskFailure`) after ``seconds``, through
/// ``TaskContext/scheduleCallback(after:_:)``; heartbeats become `SendTaskHeartbeat` callbacks.
/// For other tasks the handler spends ``seconds`` with ``TaskContext/sleep(seconds:)`` (calling
/// ``TaskContext/heartbeat()`` on the way) and then returns or throws.
public struct ScriptedResponse: Sendable {
  /// What the answer is.
  public enum Outcome: Sendable {
    /// Succeed with this result.
    case value(JSON)
    /// Succeed with the task's effective parameters.
    case echo
    /// Fail with this error and cause.
    case failure(error: String, cause: String)
    /// Compute the result from the request (throw ``TaskFailure`` to fail).
    case compute(@Sendable (TaskRequest) throws -> JSON)
    /// Never answer (for a `.waitForTaskToken` task: no callback; otherwise the task takes
    /// ``ScriptedResponse/neverSeconds``), so `TimeoutSeconds` or `HeartbeatSeconds` decide.
    case noAnswer
  }

  /// The answer.
  public var outcome: Outcome
  /// The (virtual) seconds before the answer.
  public var seconds: Double
  /// The interval between heartbeats while the task runs, if it heartbeats.
  public var heartbeatInterval: Double?

  /// How long a task that never answers takes when it is not a `.waitForTaskToken` task: one
  /// year, far beyond any `TimeoutSeconds` a test would use.
  public static let neverSeconds: Double = 365 * 24 * 3600

  /// Creates a response.
  public init(outcome: Outcome, seconds: Double = 0, heartbeatInterval: Double? = nil) {
    self.outcome = outcome
    self.seconds = max(0, seconds)
    self.heartbeatInterval = heartbeatInterval
  }

  /// Succeed with `value`.
  public static func returning(_ value: JSON) -> ScriptedResponse {
    ScriptedResponse(outcome: .value(value))
  }

  /// Succeed with the task's effective parameters.
  public static var echoingParameters: ScriptedResponse { ScriptedResponse(outcome: .echo) }

  /// Fail with `error` and `cause`, as the service would.
  public static func throwing(_ error: String, cause: String = "") -> ScriptedResponse {
    ScriptedResponse(outcome: .failure(error: error, cause: cause))
  }

  /// Compute the result from the request.
  public static func computing(_ body: @escaping @Sendable (TaskRequest) throws -> JSON)
    -> ScriptedResponse
  {
    ScriptedResponse(outcome: .compute(body))
  }

  /// For a `.waitForTaskToken` task: `SendTaskSuccess` with `output`, `seconds` after the task
  /// starts.
  public static func answeringTaskToken(with output: JSON, after seconds: Double)
    -> ScriptedResponse
  {
    ScriptedResponse(outcome: .value(output), seconds: seconds)
  }

  /// For a `.waitForTaskToken` task: `SendTaskFailure` with `error` and `cause`, `seconds` after
  /// the task starts.
  public static func failingTaskToken(error: String, cause: String = "", after seconds: Double)
    -> ScriptedResponse
  {
    ScriptedResponse(outcome: .failure(error: error, cause: cause), seconds: seconds)
  }

  /// Never answer, so that a timeout decides.
  public static var neverAnswering: ScriptedResponse { ScriptedResponse(outcome: .noAnswer) }

  /// The same answer, given `seconds` (virtual) seconds after the task starts.
  public func taking(seconds: Double) -> ScriptedResponse {
    var copy = self
    copy.seconds = max(0, seconds)
    return copy
  }

  /// The same answer, with a heartbeat every `seconds` while the task runs.
  public func heartbeating(every seconds: Double) -> ScriptedResponse {
    var copy = self
    copy.heartbeatInterval = seconds > 0 ? seconds : nil
    return copy
  }

  /// Plays this response for `request`.
  func play(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    let isTokenTask = request.resource.pattern == .waitForTaskToken
    let duration: Double
    if case .noAnswer = outcome, !isTokenTask {
      duration = ScriptedResponse.neverSeconds
    } else {
      duration = seconds
    }
    if isTokenTask {
      if let interval = heartbeatInterval {
        var beat = interval
        while beat < duration {
          context.scheduleCallback(after: beat, .heartbeat)
          beat += interval
        }
      }
      switch outcome {
      case .noAnswer:
        break
      case .failure(let error, let cause):
        context.scheduleCallback(after: duration, .failure(error: error, cause: cause))
      default:
        context.scheduleCallback(after: duration, .success(try result(for: request)))
      }
      return .null
    }
    if let interval = heartbeatInterval {
      var remaining = duration
      while remaining > 0 {
        let step = min(interval, remaining)
        try await context.sleep(seconds: step)
        remaining -= step
        if remaining > 0 { context.heartbeat() }
      }
    } else if duration > 0 {
      try await context.sleep(seconds: duration)
    }
    if case .failure(let error, let cause) = outcome {
      throw TaskFailure(error: error, cause: cause)
    }
    return try result(for: request)
  }

  private func result(for request: TaskRequest) throws -> JSON {
    switch outcome {
    case .value(let value): return value
    case .echo: return request.parameters
    case .compute(let body): return try body(request)
    case .failure(let error, let cause): throw TaskFailure(error: error, cause: cause)
    case .noAnswer: return .null
    }
  }
}

/// A task handler that answers from a script: the first call gets the first response, the second
/// call the second, and so on.
///
/// ```swift
/// let transcoder = ScriptedHandler([
///   .throwing("Lambda.TooManyRequestsException"),
///   .returning(["Payload": ["qualityScore": 90]]).taking(seconds: 300),
/// ])
/// ```
///
/// Calls are counted across the whole handler (every state and execution that uses it); create
/// one per test. After the last response the handler keeps giving the last one
/// (``Exhaustion/repeatLast``, the default) or fails the task (``Exhaustion/fail``).
public final class ScriptedHandler: TaskHandler {
  /// What happens after the script runs out.
  public enum Exhaustion: Sendable, Hashable {
    /// Give the last response again.
    case repeatLast
    /// Fail the task with `States.TaskFailed` and a cause saying the script ran out.
    case fail
  }

  /// The responses, in call order.
  public let responses: [ScriptedResponse]
  /// What happens after the last response.
  public let exhaustion: Exhaustion
  private let calls = Mutex(0)

  /// Creates a handler that answers the calls with `responses`, in order.
  public init(_ responses: [ScriptedResponse], whenExhausted exhaustion: Exhaustion = .repeatLast) {
    self.responses = responses
    self.exhaustion = exhaustion
  }

  /// Creates a handler that always gives `response`.
  public convenience init(_ response: ScriptedResponse) {
    self.init([response])
  }

  /// How many times the handler has been called.
  public var callCount: Int { calls.withLock { $0 } }

  /// Plays the response for this call.
  public func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    let index = calls.withLock { count -> Int in
      count += 1
      return count - 1
    }
    let response: ScriptedResponse
    if index < responses.count {
      response = responses[index]
    } else if exhaustion == .repeatLast, let last = responses.last {
      response = last
    } else {
      throw ScriptExhausted(stateName: request.stateName, call: index, responses: responses.count)
    }
    return try await response.play(request, context: context)
  }
}

/// The error a ``ScriptedHandler`` throws when its script has run out (it becomes
/// `States.TaskFailed` with this description as the cause).
public struct ScriptExhausted: Error, Sendable, Hashable, CustomStringConvertible {
  /// The state that made the call.
  public var stateName: String
  /// The call's number, from 0.
  public var call: Int
  /// How many responses the script has.
  public var responses: Int

  /// Explains what ran out.
  public var description: String {
    "The scripted handler has \(responses) response\(responses == 1 ? "" : "s") but the state '\(stateName)' made call \(call + 1)."
  }
}
