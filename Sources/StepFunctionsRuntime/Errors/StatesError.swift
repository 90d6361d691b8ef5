/// An error as Step Functions reports it at run time: a name (`States.Runtime`,
/// `States.TaskFailed`, or a handler's own) and a cause a person can act on.
///
/// Retriers and catchers match on ``name``.
public struct StatesError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The error name.
  public var name: String
  /// The cause, free text (often JSON text for task failures).
  public var cause: String

  /// Creates an error.
  public init(_ name: String, cause: String) {
    self.name = name
    self.cause = cause
  }

  /// `name: cause`.
  public var description: String { "\(name): \(cause)" }

  /// `States.Runtime`: an unrecoverable failure while processing a state (bad path, bad type).
  public static func runtime(_ cause: String) -> StatesError {
    StatesError(Names.runtime, cause: cause)
  }
  /// `States.IntrinsicFailure`: an intrinsic function failed.
  public static func intrinsicFailure(_ cause: String) -> StatesError {
    StatesError(Names.intrinsicFailure, cause: cause)
  }

  /// The predefined error names.
  public enum Names {
    /// Matches every error but `States.Runtime` and `States.DataLimitExceeded`.
    public static let all = "States.ALL"
    /// A generic task failure.
    public static let taskFailed = "States.TaskFailed"
    /// A task or execution ran past its `TimeoutSeconds`.
    public static let timeout = "States.Timeout"
    /// A task missed its heartbeat.
    public static let heartbeatTimeout = "States.HeartbeatTimeout"
    /// Unrecoverable processing failure.
    public static let runtime = "States.Runtime"
    /// A payload exceeded the size quota.
    public static let dataLimitExceeded = "States.DataLimitExceeded"
    /// A Choice state matched no rule and has no `Default`.
    public static let noChoiceMatched = "States.NoChoiceMatched"
    /// An intrinsic function failed.
    public static let intrinsicFailure = "States.IntrinsicFailure"
    /// A path in Parameters/ItemSelector/ResultSelector did not resolve.
    public static let parameterPathFailure = "States.ParameterPathFailure"
    /// A ResultPath could not be applied.
    public static let resultPathMatchFailure = "States.ResultPathMatchFailure"
    /// The task could not be run for lack of permission.
    public static let permissions = "States.Permissions"
    /// A branch or iteration failed (Map and Parallel).
    public static let branchFailed = "States.BranchFailed"
    /// A Map exceeded its tolerated failure threshold.
    public static let exceedToleratedFailureThreshold = "States.ExceedToleratedFailureThreshold"
    /// Items could not be read (distributed Map).
    public static let itemReaderFailed = "States.ItemReaderFailed"
    /// Results could not be written (distributed Map).
    public static let resultWriterFailed = "States.ResultWriterFailed"
    /// A JSONata expression failed (JSONata states).
    public static let queryEvaluationError = "States.QueryEvaluationError"
  }
}
