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

  /// Compiles a validated definition.
  public init(definition: StateMachineDefinition) throws(StateMachineError) {
    self.definition = definition
    do {
      plan = try PlanCompiler.compile(definition)
    } catch {
      throw .unsupported(error.message)
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
  public func run(
    input: JSON = .object(JSONObject()), options: ExecutionOptions = ExecutionOptions()
  ) async
    -> ExecutionResult
  {
    let engine = Engine(
      plan: plan, definition: definition, input: input, options: options, inbox: Inbox())
    return await engine.run()
  }

  /// Starts an execution in the background; use the returned ``Execution`` to send task
  /// callbacks, stop it, or await its result. An input over
  /// ``ExecutionOptions/maximumInputBytes`` is refused as ``run(input:options:)`` refuses it.
  public func start(
    input: JSON = .object(JSONObject()), options: ExecutionOptions = ExecutionOptions()
  ) -> Execution {
    let inbox = Inbox()
    let plan = plan
    let definition = definition
    let task = Task {
      let engine = Engine(
        plan: plan, definition: definition, input: input, options: options, inbox: inbox)
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
public final class Execution: Sendable {
  let inbox: Inbox
  let task: Task<ExecutionResult, Never>

  init(inbox: Inbox, task: Task<ExecutionResult, Never>) {
    self.inbox = inbox
    self.task = task
  }

  /// The result, once the execution has ended.
  public func result() async -> ExecutionResult { await task.value }

  /// The task tokens of `.waitForTaskToken` tasks, as each starts waiting; the sequence ends
  /// with the execution. With ``ExecutionOptions/waitsForCallbacks`` on, virtual time stands
  /// still until each is answered:
  ///
  /// ```swift
  /// var options = ExecutionOptions()
  /// options.waitsForCallbacks = true
  /// let execution = machine.start(input: input, options: options)
  /// for await token in execution.taskTokens {
  ///   execution.sendTaskSuccess(taskToken: token, output: ["approved": true])
  /// }
  /// let result = await execution.result()
  /// ```
  public var taskTokens: AsyncStream<String> { inbox.tokens }

  /// Completes the task waiting on `taskToken` with `output` (`SendTaskSuccess`).
  public func sendTaskSuccess(taskToken: String, output: JSON) {
    inbox.send(.callback(token: taskToken, .success(output)))
  }

  /// Fails the task waiting on `taskToken` (`SendTaskFailure`).
  public func sendTaskFailure(taskToken: String, error: String, cause: String = "") {
    inbox.send(.callback(token: taskToken, .failure(error: error, cause: cause)))
  }

  /// Keeps the task waiting on `taskToken` alive (`SendTaskHeartbeat`).
  public func sendTaskHeartbeat(taskToken: String) {
    inbox.send(.callback(token: taskToken, .heartbeat))
  }

  /// Stops the execution (`StopExecution`): it ends `ABORTED`.
  public func stop(error: String? = nil, cause: String? = nil) {
    inbox.send(.stop(error: error, cause: cause))
  }
}
