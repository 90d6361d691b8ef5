import StepFunctions
import Testing

// Swift Testing assertions over a workflow run and recorded calls. Each records an issue (with
// the message from ``WorkflowChecks``) at the caller's source location when the check fails, and
// returns whether it passed.

extension WorkflowRun {
  /// Expects the execution to have succeeded.
  @discardableResult
  public func expectSucceeded(sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
    record(WorkflowChecks.succeeded(self), sourceLocation)
  }

  /// Expects the execution to have failed — with `error` and `cause` when given.
  @discardableResult
  public func expectFailed(
    error: String? = nil, cause: String? = nil,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) -> Bool {
    record(WorkflowChecks.failed(self, error: error, cause: cause), sourceLocation)
  }

  /// Expects the execution to have ended with `status`.
  @discardableResult
  public func expectStatus(
    _ status: ExecutionStatus, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) -> Bool {
    record(WorkflowChecks.status(of: self, is: status), sourceLocation)
  }

  /// Expects the states entered, in order, to be exactly `names`.
  @discardableResult
  public func expectPath(
    _ names: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation
  )
    -> Bool
  {
    record(WorkflowChecks.path(of: self, is: names), sourceLocation)
  }

  /// Expects the state `name` to have been entered exactly `times` times.
  @discardableResult
  public func expectEntered(
    _ name: String, times: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) -> Bool {
    record(WorkflowChecks.entered(self, state: name, times: times), sourceLocation)
  }

  /// Expects the output to contain `subset` (see ``JSONSubset``).
  @discardableResult
  public func expectOutput(
    matching subset: JSON, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) -> Bool {
    record(WorkflowChecks.output(of: self, matches: subset), sourceLocation)
  }

  /// Expects every task to have been answered by a mock or a handler.
  @discardableResult
  public func expectEveryTaskAnswered(sourceLocation: Testing.SourceLocation = #_sourceLocation)
    -> Bool
  {
    record(WorkflowChecks.everyTaskAnswered(self), sourceLocation)
  }
}

extension RecordingHandler {
  /// Expects at least one call (by the state `stateName`, when given) whose parameters contain
  /// `subset`.
  @discardableResult
  public func expectCalled(
    withParametersMatching subset: JSON, inState stateName: String? = nil,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) -> Bool {
    record(
      WorkflowChecks.called(calls, withParametersMatching: subset, inState: stateName),
      sourceLocation)
  }

  /// Expects exactly `count` calls (by the state `stateName`, when given).
  @discardableResult
  public func expectCallCount(
    _ count: Int, inState stateName: String? = nil,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) -> Bool {
    record(WorkflowChecks.callCount(calls, is: count, inState: stateName), sourceLocation)
  }
}

/// Records `message` as an issue at `sourceLocation` when there is one; returns whether the
/// check passed.
private func record(_ message: String?, _ sourceLocation: Testing.SourceLocation) -> Bool {
  guard let message else { return true }
  Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
  return false
}
