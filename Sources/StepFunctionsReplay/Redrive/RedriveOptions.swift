import StepFunctionsJSON
import StepFunctionsLanguage
import StepFunctionsRuntime

/// How ``StepFunctionsRuntime/StateMachine/redrive(_:options:)`` continues a recorded execution.
public struct RedriveOptions: Sendable {
  /// The task handlers that answer the tasks the redrive runs (the recorded ones are not run
  /// again).
  public var handlers = TaskHandlerRegistry()
  /// When the redrive happens (`$$.Execution.RedriveTime`, the `ExecutionRedriven` event's
  /// timestamp); default: the instant the recorded execution ended, so that a redrive is
  /// deterministic. AWS refuses a redrive more than 14 days after the end, or more than a year
  /// after the start.
  public var redriveTime: Instant?
  /// The seed for what the redrive draws (UUIDs, task tokens, jitter); default: the seed the
  /// history was recorded with (``StepFunctionsRuntime/ExecutionHistory/seed``), else 0. The
  /// execution's name derives from it unless ``executionArn`` is given.
  public var seed: UInt64?
  /// The recorded execution's ARN (`arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME`), for
  /// `$$.Execution.Id` and `$$.Execution.Name`; a history does not hold it. An express ARN is
  /// refused (AWS redrives only standard executions).
  public var executionArn: String?
  /// The state machine's name when no ``executionArn`` is given.
  public var stateMachineName: String?
  /// Standard (default) or Express. AWS does not redrive express executions, so `.express` is
  /// refused.
  public var stateMachineType: ValidationOptions.StateMachineType = .standard
  /// The most events the whole history (recorded and new) may have (AWS: 25,000); `nil`
  /// disables the limit.
  public var maximumHistoryEvents: Int? = 25_000

  /// The Map Run records of the recorded execution (its ``StepFunctionsRuntime/ExecutionResult/mapRuns``),
  /// which say which child executions of a distributed Map succeeded: a redriven Map Run runs
  /// again only the others. A history does not hold them (AWS keeps them with the Map Run);
  /// without the record of a Map Run (or with history off when it ran, or `EXPRESS`
  /// children, whose executions are not listed), every child execution runs again.
  public var mapRuns: [MapRun] = []
  /// Whether the redriven execution counts what it covers into its
  /// ``StepFunctionsRuntime/ExecutionResult/coverage`` (off by default): only what runs after
  /// the redrive, not what the recorded events did.
  public var recordsCoverage = false

  /// Creates default options: no handlers, redrive at the recorded end, the history's seed.
  public init() {}
}

/// Why a history cannot be redriven.
public struct RedriveError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The kinds of refusal.
  public enum Kind: String, Sendable, Hashable {
    /// AWS's `ExecutionNotRedrivable`: the execution succeeded or still runs, is express, was
    /// started before redrive existed, has too many events, or is past its redrivable period.
    case executionNotRedrivable = "ExecutionNotRedrivable"
    /// The history cannot be continued: no events, no `ExecutionStarted` first, ids out of
    /// order, a payload the redrive needs is truncated or missing, or a state the definition
    /// does not have.
    case unusableHistory = "UnusableHistory"
    /// An option is inconsistent with the history (a redrive time before the recorded end).
    case invalidOption = "InvalidOption"
  }

  /// What kind of refusal.
  public var kind: Kind
  /// What is wrong, in one sentence (AWS's `redriveStatusReason` for ``Kind/executionNotRedrivable``).
  public var message: String

  /// Creates an error.
  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  /// `ExecutionNotRedrivable: Execution is SUCCEEDED and cannot be redriven`.
  public var description: String {
    kind == .executionNotRedrivable ? "\(kind.rawValue): \(message)" : message
  }
}
