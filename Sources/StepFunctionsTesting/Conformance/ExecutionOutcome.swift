import StepFunctions

/// The status an execution ended with, as AWS spells it (`SUCCEEDED`, `FAILED`, ...).
///
/// A status the comparator does not know is kept as written, so an unexpected value in a corpus
/// file or from an executor is reported as a difference rather than rejected.
public struct ConformanceStatus: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
  /// The status as AWS spells it.
  public var rawValue: String

  /// Creates a status from its spelling.
  public init(rawValue: String) { self.rawValue = rawValue }

  /// The execution reached a terminal state successfully.
  public static let succeeded = ConformanceStatus(rawValue: "SUCCEEDED")
  /// The execution failed.
  public static let failed = ConformanceStatus(rawValue: "FAILED")
  /// The execution ran past its `TimeoutSeconds`.
  public static let timedOut = ConformanceStatus(rawValue: "TIMED_OUT")
  /// The execution was stopped.
  public static let aborted = ConformanceStatus(rawValue: "ABORTED")

  /// The spelling.
  public var description: String { rawValue }
}

/// What an executor reports for one execution, in the shape AWS's APIs return it, ready to be
/// compared with a ``ConformanceCase``.
///
/// Events are `get-execution-history` events: objects with `timestamp`, `type`, `id`,
/// `previousEventId` and one `<xxx>EventDetails` object, where payload fields (`input`,
/// `output`, `cause`, `parameters`, `result` and the values of `assignedVariables`) are JSON
/// *text* strings, exactly as AWS returns them. The comparator applies the corpus's rewrite rules
/// to them itself.
public struct ExecutionOutcome: Sendable, Hashable {
  /// The final status.
  public var status: ConformanceStatus
  /// The execution's output (decoded), when it succeeded.
  public var output: JSON?
  /// The error name, when it failed with one.
  public var error: String?
  /// The cause text, when it failed with one.
  public var cause: String?
  /// The history events, or `nil` when the executor kept none (for example an express
  /// execution).
  public var events: [JSON]?

  /// Creates an outcome.
  public init(
    status: ConformanceStatus, output: JSON? = nil, error: String? = nil, cause: String? = nil,
    events: [JSON]? = nil
  ) {
    self.status = status
    self.output = output
    self.error = error
    self.cause = cause
    self.events = events
  }
}
