import StepFunctionsJSON
import StepFunctionsLanguage

/// How an execution runs: clock, seed, handlers, names, history and quotas.
public struct ExecutionOptions: Sendable {
  /// The clock (virtual by default).
  public var clock: ExecutionClock = .virtual
  /// The seed for everything random (`States.UUID`, `States.MathRandom`, jitter, task tokens,
  /// the default execution name). Same definition, input, handlers and seed ⇒ same output and
  /// history, byte for byte.
  public var seed: UInt64 = 0
  /// The task handlers, by resource.
  public var handlers = TaskHandlerRegistry()
  /// Whether to keep the event history (turning it off makes executions faster).
  public var recordsHistory = true
  /// Whether to count what the execution covers — states entered, Choice rules taken,
  /// retriers fired, catchers caught, branches run — into ``ExecutionResult/coverage``. Off by
  /// default, when it costs nothing.
  public var recordsCoverage = false
  /// Standard or Express: Express executions have ARNs of the form
  /// `arn:aws:states:REGION:ACCOUNT:express:MACHINE:NAME:ID` and no `RedriveCount`.
  public var stateMachineType: ValidationOptions.StateMachineType = .standard
  /// The execution's name (default: a UUID drawn from the seed).
  public var executionName: String?
  /// The state machine's name, used in ARNs and the Context Object.
  public var stateMachineName = "StateMachine"
  /// The region used in ARNs.
  public var region = "us-east-1"
  /// The account used in ARNs.
  public var account = "123456789012"
  /// The execution role's ARN, as the Context Object and `ExecutionStarted` show it.
  public var roleArn = "arn:aws:iam::123456789012:role/StepFunctionsExecutionRole"
  /// Whether callbacks come from outside, through the ``Execution`` that
  /// ``StateMachine/start(input:options:)`` returns. While a task waits for a callback, virtual
  /// time then stands still: the execution waits for
  /// `Execution.sendTaskSuccess(taskToken:output:)` (or a failure, a heartbeat or a stop)
  /// before any timer fires. Use it with ``Execution/taskTokens`` to answer tokens from a test;
  /// leave it off when handlers answer their own tokens.
  ///
  /// With it off (and always for ``StateMachine/run(input:options:)``, which no one can send
  /// callbacks to), an execution whose only way forward is a callback — nothing to run, no
  /// timer — does not wait forever: the run stops, still ``ExecutionStatus/running``, with
  /// ``ExecutionResult/waitingTasks`` and a report in ``ExecutionResult/cause``. With it on, the
  /// same happens once the ``Execution`` handle is released or
  /// ``Execution/finishSendingCallbacks()`` is called.
  public var waitsForCallbacks = false
  /// The largest execution input in bytes (its compact serialization) that the execution
  /// starts with (AWS: 256 KiB, ``ExecutionInput/sizeQuota``). AWS refuses a larger input at
  /// `StartExecution`, so no execution exists: the result is `FAILED` with the error
  /// `ValidationException` and AWS's message as the cause, and its history is empty (no
  /// `ExecutionStarted`). `nil` disables the check.
  public var maximumInputBytes: Int? = ExecutionInput.sizeQuota
  /// The largest payload in bytes before `States.DataLimitExceeded` (AWS: 256 KiB): the
  /// execution input, a state's output, a task's result, what `Parameters`, `ResultSelector`
  /// and `ItemSelector` build, the variables one `Assign` sets, and the text `States.Format`
  /// and `States.JsonToString` write. `nil` disables the check.
  public var maximumPayloadBytes: Int? = 262_144
  /// The most history events an execution may have (AWS: 25,000): the event that would reach
  /// the limit is the execution's `ExecutionFailed` instead (`States.Runtime`, "The execution
  /// reached the maximum number of history events (25000)."). Events are counted whether or
  /// not history is recorded; each iteration of a distributed Map (a child execution) has a
  /// limit of its own. `nil` disables the limit.
  public var maximumHistoryEvents: Int? = 25_000
  /// The largest result file a distributed Map's `ResultWriter` writes before it starts the
  /// next one (`SUCCEEDED_0.json`, `SUCCEEDED_1.json`...). AWS: 5 GB.
  public var maximumResultFileBytes = 5_368_709_120
  /// The state machines a Task can start with `arn:aws:states:::states:startExecution`
  /// (request-response, `.sync`, `.sync:2`, `.waitForTaskToken`) or
  /// `arn:aws:states:::aws-sdk:sfn:startExecution`. Each child execution runs with these options
  /// (handlers, region, account, clock, quotas, this registry) from the parent's virtual instant,
  /// with a seed drawn from the parent's. A handler registered for `states:startExecution` is
  /// used instead only while this registry is empty.
  public var stateMachines = StateMachineRegistry()
  /// The tokens of the tasks that started this execution and its ancestors (set for a child
  /// execution), which its `aws-sdk:sfn:sendTask…` Tasks answer.
  var callbackRelay: CallbackRelay?
  /// What the executions started from one top-level execution share (set for a child).
  var executionFamily: ExecutionFamily?

  /// The date whose AWS Step Functions behaviour the execution reproduces where AWS changed it
  /// over time; `nil` (the default) is today's. Replay sets it to the recorded execution's
  /// start, so an old history replays as AWS ran it then. Two changes depend on it: `$$.Execution`
  /// has `RedriveCount` from 2023-11-15 (when AWS launched redrive); a distributed Map's
  /// `MapStateExited` event follows `MapRunStarted` (its `previousEventId`) from 2024-11-13,
  /// `MapRunSucceeded` before (as AWS's recordings show).
  public var behaviorDate: Instant? = nil

  /// Creates default options: virtual clock, seed 0, no handlers, history on, AWS quotas.
  public init() {}
}

/// How an execution ended.
public enum ExecutionStatus: String, Sendable, Hashable, CustomStringConvertible {
  /// Still running. A finished run has this status only when it stopped because the execution
  /// could do nothing but wait for task tokens no one can answer (see
  /// ``ExecutionResult/waitingTasks``).
  case running = "RUNNING"
  /// Reached a Succeed state or an End.
  case succeeded = "SUCCEEDED"
  /// Failed with an error.
  case failed = "FAILED"
  /// Ran past the machine's `TimeoutSeconds`.
  case timedOut = "TIMED_OUT"
  /// Stopped from outside.
  case aborted = "ABORTED"

  /// The status as AWS spells it (`SUCCEEDED`), so that printing a status shows what the AWS
  /// console and CLI show.
  public var description: String { rawValue }
}

/// The outcome of an execution.
public struct ExecutionResult: Sendable {
  /// How it ended.
  public var status: ExecutionStatus
  /// The output, when it succeeded.
  public var output: JSON?
  /// The error name, when it failed, timed out or was aborted; ``stuckError`` when the run
  /// stopped while the execution could only wait for callbacks.
  public var error: String?
  /// The cause, when it failed, timed out or was aborted; for a stuck run, the report naming
  /// the states and the tokens they wait on.
  public var cause: String?
  /// The history (empty when history recording was off).
  public var history: ExecutionHistory
  /// When it started.
  public var startDate: Instant
  /// When it stopped.
  public var stopDate: Instant
  /// The execution's ARN.
  public var executionArn: String
  /// How many states were entered.
  public var stateTransitions: Int
  /// The tasks still waiting for a callback when the run stopped without the execution ending:
  /// nothing else could run, no timer was set, and no callback could come (see
  /// ``ExecutionOptions/waitsForCallbacks``). The status is then ``ExecutionStatus/running``, as
  /// AWS would show it, and the history has no closing event. Empty for an execution that ended.
  public var waitingTasks: [TaskToken] = []
  /// The Map Runs of the distributed Map states, in the order they started (see ``MapRun``).
  public var mapRuns: [MapRun] = []
  /// The executions this one started with `states:startExecution` (any pattern) or
  /// `aws-sdk:sfn:startExecution`, in the order they started, each with its own history and the
  /// executions it started (each history empty when ``ExecutionOptions/recordsHistory`` is off).
  public var startedExecutions: [ExecutionResult] = []
  /// What the execution covered, with ``ExecutionOptions/recordsCoverage`` on; `nil` otherwise.
  public var coverage: ExecutionCoverage?

  /// The ``error`` of a run that stopped while the execution could only wait for callbacks no
  /// one can send (not an AWS error: AWS would keep the execution running).
  public static let stuckError = "Execution.Stuck"
}
