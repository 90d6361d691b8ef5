import Foundation
import StepFunctionsJSON
import StepFunctionsLanguage

/// A state machine ready to run: validated, then compiled once into an execution plan.
///
/// ```swift
/// let machine = try StateMachine(json: definitionText)
/// var options = ExecutionOptions()
/// options.handlers.register(myTranscoder, forIntegration: "mediaconvert:createJob")
/// let result = await machine.run(input: ["video": "s3://bucket/in.mp4"], options: options)
/// print(result.status, result.output ?? .null)
/// ```
public struct StateMachine: Sendable {
  /// The validated definition.
  public let definition: StateMachineDefinition
  let plan: GraphPlan
  /// Whether an execution may call a task handler: a Task state, or a Map that reads items,
  /// writes results or runs child executions, at any depth. ``run(input:options:)`` runs such
  /// an execution off the caller's actor (handlers run there), any other on the caller's.
  let callsHandlers: Bool

  /// Compiles a validated definition.
  public init(definition: StateMachineDefinition) throws(StateMachineError) {
    self.definition = definition
    do {
      plan = try PlanCompiler.compile(definition)
    } catch {
      throw .unsupported(error.message)
    }
    callsHandlers = StateMachine.callsHandlers(plan)
  }

  static func callsHandlers(_ graph: GraphPlan) -> Bool {
    graph.states.contains { state in
      switch state.kind {
      case .task: return true
      case .parallel(let branches): return branches.contains(where: callsHandlers)
      case .map(let map):
        return map.isDistributed || map.reader != nil || map.resultWriter != nil
          || map.runsExpressChildren || callsHandlers(map.processor)
      case .pass, .choice, .wait, .succeed, .fail: return false
      }
    }
  }

  /// Validates and compiles a definition given as JSON text.
  public init(json text: String, options: ValidationOptions = ValidationOptions())
    throws(StateMachineError)
  {
    try self.init(bytes: Array(text.utf8), options: options)
  }

  /// Validates and compiles a definition given as UTF-8 JSON bytes.
  public init(bytes: [UInt8], options: ValidationOptions = ValidationOptions())
    throws(StateMachineError)
  {
    let definition: StateMachineDefinition
    do {
      definition = try StateMachineDefinition(bytes: bytes, options: options)
    } catch {
      throw .invalidDefinition(error)
    }
    try self.init(definition: definition)
  }

  /// Validates and compiles the definition in a file.
  public init(contentsOf url: URL, options: ValidationOptions = ValidationOptions())
    throws(StateMachineError)
  {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw .unreadable("\(url.path): \(error.localizedDescription)")
    }
    try self.init(bytes: [UInt8](data), options: options)
  }

  /// Runs one execution to its end and returns the result.
  ///
  /// An input longer than ``ExecutionOptions/maximumInputBytes`` (AWS: 262,144 bytes, measured
  /// as its compact serialization) is refused as AWS's `StartExecution` refuses it: the result
  /// is `FAILED` with the error `ValidationException`, no state runs and the history is empty.
  /// To refuse an input given as text before parsing it, use ``ExecutionInput/parse(_:maximumBytes:)``.
  ///
  /// An execution that calls no task handler runs on the caller's executor (from the main
  /// actor, on the main actor), with no executor switch; one that calls handlers runs on the
  /// global concurrent executor, as the handlers do, so that it switches executors once rather
  /// than around every handler call. The result is the same either way.
  nonisolated(nonsending) public func run(
    input: JSON = .object(JSONObject()), options: consuming ExecutionOptions = ExecutionOptions()
  ) async
    -> ExecutionResult
  {
    // Nothing outside can reach this execution, so no callback can come from outside.
    let engine = Engine(
      plan: plan, timeoutSeconds: definition.timeoutSeconds, input: input, options: options,
      inbox: Inbox(source: .none))
    if callsHandlers { return await StateMachine.runConcurrently(engine) }
    return await engine.run()
  }

  /// Runs `engine` on the global concurrent executor.
  @concurrent static func runConcurrently(_ engine: sending Engine) async -> ExecutionResult {
    await engine.run()
  }

  /// Starts an execution in the background; use the returned ``Execution`` to send task
  /// callbacks, stop it, or await its result. To answer task tokens from outside, set
  /// ``ExecutionOptions/waitsForCallbacks``. An input over
  /// ``ExecutionOptions/maximumInputBytes`` is refused as ``run(input:options:)`` refuses it.
  public func start(
    input: JSON = .object(JSONObject()), options: ExecutionOptions = ExecutionOptions()
  ) -> Execution {
    let inbox = Inbox(source: options.waitsForCallbacks ? .expected : .notExpected)
    let plan = plan
    let timeoutSeconds = definition.timeoutSeconds
    let task = Task {
      let engine = Engine(
        plan: plan, timeoutSeconds: timeoutSeconds, input: input, options: options, inbox: inbox)
      return await engine.run()
    }
    return Execution(inbox: inbox, task: task)
  }
}

/// Why a state machine could not be built.
public enum StateMachineError: Error, Sendable, CustomStringConvertible {
  /// The definition has validation errors.
  case invalidDefinition(DefinitionError)
  /// The definition is valid but uses something this version cannot run yet.
  case unsupported(String)
  /// The definition file could not be read.
  case unreadable(String)

  /// A readable explanation.
  public var description: String {
    switch self {
    case .invalidDefinition(let error): return "invalid definition:\n\(error)"
    case .unsupported(let message): return "unsupported: \(message)"
    case .unreadable(let message): return "cannot read the definition: \(message)"
    }
  }
}

/// A running execution: await its result, answer its task tokens, or stop it.
///
/// The `sendTask…` methods are AWS's `SendTaskSuccess`, `SendTaskFailure` and
/// `SendTaskHeartbeat`: each returns once the execution has taken the callback, or throws a
/// ``TaskCallbackError`` — `InvalidToken`, `TaskDoesNotExist` or `TaskTimedOut` — as AWS does.
/// Releasing the handle tells the execution that no more callbacks come from outside.
public final class Execution: Sendable {
  let inbox: Inbox
  let task: Task<ExecutionResult, Never>

  init(inbox: Inbox, task: Task<ExecutionResult, Never>) {
    self.inbox = inbox
    self.task = task
  }

  deinit {
    inbox.endOutsideCallbacks(.released)
  }

  /// The result, once the execution has ended (or stopped: see
  /// ``ExecutionResult/waitingTasks``).
  public func result() async -> ExecutionResult { await task.value }

  /// The task tokens of `.waitForTaskToken` tasks, as each starts waiting, with the state (and
  /// Map iteration or Parallel branch) each belongs to. With
  /// ``ExecutionOptions/waitsForCallbacks`` on, virtual time stands still until each is
  /// answered:
  ///
  /// ```swift
  /// var options = ExecutionOptions()
  /// options.waitsForCallbacks = true
  /// let execution = machine.start(input: input, options: options)
  /// for await token in execution.taskTokens {
  ///   try await execution.sendTaskSuccess(taskToken: token, output: ["approved": true])
  /// }
  /// let result = await execution.result()
  /// ```
  ///
  /// The sequence ends when the execution ends, or when it can do nothing but wait for
  /// callbacks on tokens already read (see ``TaskTokenSequence``).
  public var taskTokens: TaskTokenSequence { TaskTokenSequence(inbox: inbox) }

  /// Completes the task waiting on `taskToken` with `output` (`SendTaskSuccess`).
  ///
  /// - Throws: ``TaskCallbackError`` when the token is malformed (`InvalidToken`), was never
  ///   issued by this execution (`TaskDoesNotExist`), or its task has closed (`TaskTimedOut`).
  public func sendTaskSuccess(taskToken: String, output: JSON) async throws(TaskCallbackError) {
    try await send(taskToken, .success(output))
  }

  /// Completes the task waiting on `taskToken` with `output` (`SendTaskSuccess`).
  ///
  /// - Throws: ``TaskCallbackError`` when the task has closed (`TaskTimedOut`).
  public func sendTaskSuccess(taskToken: TaskToken, output: JSON) async throws(TaskCallbackError) {
    try await send(taskToken.value, .success(output))
  }

  /// Fails the task waiting on `taskToken` with `error` and `cause` (`SendTaskFailure`).
  ///
  /// - Throws: ``TaskCallbackError`` when the token is malformed (`InvalidToken`), was never
  ///   issued by this execution (`TaskDoesNotExist`), or its task has closed (`TaskTimedOut`).
  public func sendTaskFailure(taskToken: String, error: String, cause: String = "")
    async throws(TaskCallbackError)
  {
    try await send(taskToken, .failure(error: error, cause: cause))
  }

  /// Fails the task waiting on `taskToken` with `error` and `cause` (`SendTaskFailure`).
  ///
  /// - Throws: ``TaskCallbackError`` when the task has closed (`TaskTimedOut`).
  public func sendTaskFailure(taskToken: TaskToken, error: String, cause: String = "")
    async throws(TaskCallbackError)
  {
    try await send(taskToken.value, .failure(error: error, cause: cause))
  }

  /// Keeps the task waiting on `taskToken` alive (`SendTaskHeartbeat`).
  ///
  /// - Throws: ``TaskCallbackError`` when the token is malformed (`InvalidToken`), was never
  ///   issued by this execution (`TaskDoesNotExist`), or its task has closed (`TaskTimedOut`).
  public func sendTaskHeartbeat(taskToken: String) async throws(TaskCallbackError) {
    try await send(taskToken, .heartbeat)
  }

  /// Keeps the task waiting on `taskToken` alive (`SendTaskHeartbeat`).
  ///
  /// - Throws: ``TaskCallbackError`` when the task has closed (`TaskTimedOut`).
  public func sendTaskHeartbeat(taskToken: TaskToken) async throws(TaskCallbackError) {
    try await send(taskToken.value, .heartbeat)
  }

  private func send(_ token: String, _ callback: TaskContext.Callback)
    async throws(TaskCallbackError)
  {
    guard TaskToken.isWellFormed(token) else { throw .invalidToken(token) }
    let refusal = await withCheckedContinuation { (reply: Inbox.Reply) in
      inbox.send(.callback(token: token, callback, reply: reply))
    }
    if let refusal { throw refusal }
  }

  /// Says that no more callbacks will come from outside. From then on the execution runs as
  /// with ``ExecutionOptions/waitsForCallbacks`` off: timers fire while tasks wait, and if only
  /// a callback could move it on, the run stops with a report (see
  /// ``ExecutionResult/waitingTasks``) instead of waiting. Releasing the handle does the same.
  public func finishSendingCallbacks() {
    inbox.endOutsideCallbacks(.finished)
  }

  /// Stops the execution (`StopExecution`): it ends `ABORTED`.
  public func stop(error: String? = nil, cause: String? = nil) {
    inbox.send(.stop(error: error, cause: cause))
  }
}
