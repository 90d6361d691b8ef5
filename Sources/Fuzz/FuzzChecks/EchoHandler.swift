import StepFunctionsJSON
import StepFunctionsRuntime

/// A deterministic Task handler that answers from the Task's parameters (an object):
///
/// - `"SleepSeconds": n` spends `n` virtual seconds (at most a day), heartbeating
///   `"Heartbeats": k` times (at most 10) along the way;
/// - `"Error": "Name"` (and `"Cause"`) fails the task;
/// - otherwise the result is the parameters themselves.
///
/// A `.waitForTaskToken` task is answered with a callback carrying the same outcome, unless
/// `"Callback": false`.
public struct EchoHandler: TaskHandler {
  /// Creates the handler.
  public init() {}

  /// Answers the task from its parameters.
  public func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    let parameters = request.parameters
    let seconds = number(parameters["SleepSeconds"]).map { min(max($0, 0), 86_400) } ?? 0
    let heartbeats = number(parameters["Heartbeats"]).map { Int(min(max($0, 0), 10)) } ?? 0
    for _ in 0..<heartbeats {
      try await context.sleep(seconds: seconds / Double(heartbeats + 1))
      context.heartbeat()
    }
    try await context.sleep(seconds: seconds / Double(heartbeats + 1))
    var failure: TaskFailure?
    if case .string(let error)? = parameters["Error"] {
      var cause = ""
      if case .string(let text)? = parameters["Cause"] { cause = text }
      failure = TaskFailure(error: error, cause: cause)
    }
    if request.resource.pattern == .waitForTaskToken {
      if case .bool(false)? = parameters["Callback"] { return .null }
      if let failure {
        context.scheduleCallback(after: 0, .failure(error: failure.error, cause: failure.cause))
      } else {
        context.scheduleCallback(after: 0, .success(parameters))
      }
      return .null
    }
    if let failure { throw failure }
    return parameters
  }

  private func number(_ value: JSON?) -> Double? {
    guard case .number(let number)? = value else { return nil }
    let double = number.doubleValue
    return double.isFinite ? double : nil
  }
}
