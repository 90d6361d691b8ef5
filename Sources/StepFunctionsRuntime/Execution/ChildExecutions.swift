import Foundation
import StepFunctionsJSON
import StepFunctionsLanguage

// Child executions: a Task with `arn:aws:states:::states:startExecution` (any pattern) or
// `arn:aws:states:::aws-sdk:sfn:startExecution` starts a machine of
// `ExecutionOptions.stateMachines`. The child runs to its end inside the parent's task, from the
// parent's virtual instant, on a clock of its own that starts there; the parent's task is then
// charged the child's duration (`.sync`), or answered by the callbacks the child sent
// (`.waitForTaskToken`) at the instants it sent them. Nothing here runs for an execution that
// neither has a registry of machines nor was started by another execution.

/// The task tokens of the tasks that started an execution and its ancestors, and the callbacks
/// (`aws-sdk:sfn:sendTaskSuccess`, `…Failure`, `…Heartbeat`) its Tasks sent for them, with the
/// instants they were sent.
final class CallbackRelay: @unchecked Sendable {
  /// The token of the task that started the execution.
  let token: String
  /// When that task times out (`TimeoutSeconds`), if it can.
  let deadline: Instant?
  /// The relay of the execution that started the parent, if any.
  let parent: CallbackRelay?
  private let lock = NSLock()
  private var sent: [(Instant, TaskContext.Callback)] = []
  private var isClosed = false

  init(token: String, deadline: Instant?, parent: CallbackRelay?) {
    self.token = token
    self.deadline = deadline
    self.parent = parent
  }

  /// The relay, up the chain of parents, whose task holds `token`.
  func relay(for token: String) -> CallbackRelay? {
    var current: CallbackRelay? = self
    while let relay = current {
      if relay.token == token { return relay }
      current = relay.parent
    }
    return nil
  }

  /// Records a callback sent at `instant`; `false` when the task has closed by then (a success
  /// or failure was already sent, or its timeout passed), as AWS answers `TaskTimedOut`.
  func record(_ callback: TaskContext.Callback, at instant: Instant) -> Bool {
    lock.withLock {
      if isClosed { return false }
      if let deadline, instant > deadline { return false }
      sent.append((instant, callback))
      if case .heartbeat = callback {} else { isClosed = true }
      return true
    }
  }

  /// The callbacks recorded, in the order they were sent.
  var callbacks: [(Instant, TaskContext.Callback)] { lock.withLock { sent } }
}

/// What every execution started from one top-level execution shares: the execution ARNs already
/// used (a name may be used once per state machine).
final class ExecutionFamily: @unchecked Sendable {
  private let lock = NSLock()
  private var used: Set<String> = []

  /// Claims `arn`; `false` when an execution of that ARN was already started.
  func claim(_ arn: String) -> Bool { lock.withLock { used.insert(arn).inserted } }
}

/// The executions an execution started, in the order they started.
final class StartedExecutionLog: @unchecked Sendable {
  private let lock = NSLock()
  private var started: [ExecutionResult] = []

  func append(_ result: ExecutionResult) { lock.withLock { started.append(result) } }

  var results: [ExecutionResult] { lock.withLock { started } }
}

extension Engine {
  /// The built-in handler for a Step Functions resource, when it applies: `startExecution`
  /// (optimized or AWS SDK) unless the registry of machines is empty and a handler is
  /// registered; `aws-sdk:sfn:sendTask…` when this execution was started by another one, or may
  /// start children and has no handler for it. `registered` is the handler the registry found
  /// (it answers callbacks for tokens that are not an ancestor's).
  func builtInStepFunctionsHandler(
    _ resource: TaskResource, registered: (any TaskHandler)?, token: String?
  ) -> (any TaskHandler)? {
    switch resource.kind {
    case .serviceIntegration("states", "startExecution"), .sdkIntegration("sfn", "startExecution"):
      if registered != nil, options.stateMachines.isEmpty { return nil }
      if case .sdkIntegration = resource.kind, resource.pattern != .requestResponse { return nil }
      // Kept whether or not history is recorded: a child's result is its status, output and
      // (with history on) its events, small beside the history it replaces.
      let log = startedExecutionLog ?? StartedExecutionLog()
      startedExecutionLog = log
      return StartExecutionHandler(
        options: options, isVirtual: isVirtual, seed: random.next(),
        token: resource.pattern == .requestResponse ? nil : token,
        family: executionFamily, log: log)
    case .sdkIntegration("sfn", let action)
    where action == "sendTaskSuccess" || action == "sendTaskFailure"
      || action == "sendTaskHeartbeat":
      // Without a relay, only an execution that may start children answers tokens it does not
      // know (as AWS does) rather than reporting a missing handler.
      guard hasStepFunctionsIntegration, options.callbackRelay != nil || registered == nil else {
        return nil
      }
      return CallbackRelayHandler(
        relay: options.callbackRelay, next: registered, seed: random.next())
    default:
      return nil
    }
  }
}

/// `SendTaskSuccess`, `SendTaskFailure` and `SendTaskHeartbeat` (AWS SDK integration) sent by a
/// child execution: a token of a task that started it (or an ancestor) is recorded for that task;
/// any other token goes to the registered handler, or is AWS's `Sfn.InvalidTokenException`.
struct CallbackRelayHandler: TaskHandler {
  let relay: CallbackRelay?
  let next: (any TaskHandler)?
  let seed: UInt64

  func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    let parameters = request.parameters
    let token = parameters["TaskToken"]?.stringValue ?? ""
    guard let target = relay?.relay(for: token) else {
      if let next { return try await next.invoke(request, context: context) }
      throw TaskFailure(
        error: "Sfn.InvalidTokenException",
        cause: StartExecutionHandler.sdkCause(
          "Invalid Token: 'Invalid token'", seed: seed))
    }
    let callback: TaskContext.Callback
    switch request.resource.kind {
    case .sdkIntegration(_, "sendTaskSuccess"):
      // AWS takes the output as JSON text; a JSON value is written as its text.
      let output = parameters["Output"] ?? .null
      if case .string(let text) = output {
        do {
          callback = .success(try JSON(parsing: text))
        } catch {
          throw TaskFailure(
            error: "Sfn.InvalidOutputException",
            cause: StartExecutionHandler.sdkCause(
              "Invalid Output: '\(error.message)'", seed: seed))
        }
      } else {
        callback = .success(output)
      }
    case .sdkIntegration(_, "sendTaskFailure"):
      callback = .failure(
        error: parameters["Error"]?.stringValue ?? "", cause: parameters["Cause"]?.stringValue ?? ""
      )
    default:
      callback = .heartbeat
    }
    guard target.record(callback, at: context.now) else {
      throw TaskFailure(
        error: "Sfn.TaskTimedOutException",
        cause: StartExecutionHandler.sdkCause(
          "Task Timed Out: 'Provided task does not exist anymore'", seed: seed))
    }
    return .object(JSONObject())
  }
}

/// Starts an execution of a registered machine, runs it to its end and answers as AWS's
/// `startExecution` integration does for the task's pattern.
struct StartExecutionHandler: TaskHandler {
  let options: ExecutionOptions
  let isVirtual: Bool
  let seed: UInt64
  /// The parent task's token (`.sync` with `$$.Task.Token`, `.waitForTaskToken`).
  let token: String?
  let family: ExecutionFamily
  let log: StartedExecutionLog?

  func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    let isSDK: Bool
    if case .sdkIntegration = request.resource.kind { isSDK = true } else { isSDK = false }
    var generator = SeededRandom(seed: seed)
    let requestId = generator.nextUUIDString()
    func failure(_ code: String, _ message: String) -> TaskFailure {
      isSDK
        ? TaskFailure(
          error: "Sfn.\(code)Exception",
          cause:
            "\(message) (Service: Sfn, Status Code: 400, Request ID: \(requestId)) (SDK Attempt Count: 1)"
        )
        : TaskFailure(
          error: "StepFunctions.\(code)Exception",
          cause:
            "\(message) (Service: AWSStepFunctions; Status Code: 400; Error Code: \(code); Request ID: \(requestId); Proxy: null)"
        )
    }
    guard case .object(let parameters) = request.parameters,
      case .string(let machineArn)? = parameters["StateMachineArn"]
    else {
      throw failure(
        "Validation",
        "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null"
      )
    }
    guard StateMachineRegistry.parse(machineArn) != nil else {
      throw failure(
        "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: \(machineArn)'")
    }
    guard
      let entry = options.stateMachines.entry(
        forArn: machineArn, region: options.region, account: options.account)
    else {
      throw failure("StateMachineDoesNotExist", "State Machine Does Not Exist: '\(machineArn)'")
    }
    // The input: absent or null is `{}`; text is parsed as JSON (as StartExecution takes it);
    // any other value is used as it is.
    let input: JSON
    let inputText: String
    switch parameters["Input"] {
    case nil, .null?:
      input = .object(JSONObject())
      inputText = "{}"
    case .string(let text)?:
      do {
        input = try JSON(parsing: text)
      } catch {
        throw failure(
          "InvalidExecutionInput", "Invalid State Machine Execution Input: '\(error.message)'")
      }
      inputText = text
    case let value?:
      input = value
      inputText = value.serialized()
    }
    let name: String
    switch parameters["Name"] {
    case nil, .null?:
      name = generator.nextUUIDString()
    case .string(let given)?:
      guard StartExecutionHandler.isValidName(given) else {
        throw failure("InvalidName", "Invalid Name: '\(given)'")
      }
      name = given
    case let value?:
      throw failure("InvalidName", "Invalid Name: '\(value.serialized())'")
    }
    var child = options
    child.clock = isVirtual ? .virtual(start: context.now) : .system
    child.seed = generator.next()
    child.executionName = name
    child.stateMachineName = entry.name
    child.region = entry.region ?? options.region
    child.account = entry.account ?? options.account
    child.stateMachineType = entry.type
    child.waitsForCallbacks = false
    child.executionFamily = family
    var relay: CallbackRelay?
    if let token {
      relay = CallbackRelay(
        token: token,
        deadline: request.timeoutSeconds.map { context.now.advanced(bySeconds: Double($0)) },
        parent: options.callbackRelay)
    }
    child.callbackRelay = relay ?? options.callbackRelay
    let machineArnUsed =
      "arn:aws:states:\(child.region):\(child.account):stateMachine:\(entry.name)"
    let executionArn =
      "arn:aws:states:\(child.region):\(child.account):execution:\(entry.name):\(name)"
    if entry.type == .standard, !family.claim(executionArn) {
      throw failure("ExecutionAlreadyExists", "Execution Already Exists: '\(executionArn)'")
    }
    let start = context.now
    let result = await entry.machine.run(input: input, options: child)
    log?.append(result)
    var response = JSONObject(minimumCapacity: 4)
    response.append(key: "ExecutionArn", value: .string(result.executionArn))
    if isSDK {
      response.append(key: "StartDate", value: .string(result.startDate.iso8601))
      return .object(response)
    }
    StartExecutionHandler.appendMetadata(to: &response, requestId: requestId)
    response.append(key: "StartDate", value: StartExecutionHandler.date(result.startDate))
    let started = JSON.object(response)
    switch request.resource.pattern {
    case .requestResponse:
      return started
    case .waitForTaskToken:
      for (instant, callback) in relay?.callbacks ?? [] {
        context.scheduleCallback(
          afterMilliseconds: instant.millisecondsSinceEpoch - start.millisecondsSinceEpoch,
          callback)
      }
      return started
    case .sync:
      context.submitted(started)
      let describe = StartExecutionHandler.describe(
        result, input: input, inputText: inputText, machineArn: machineArnUsed,
        type: entry.type, valuesAsJSON: request.resource.arn.hasSuffix(":2"))
      // A callback for the task's own token, sent before the child ended, answers the task.
      let answer = relay?.callbacks.first { (_, callback) in
        if case .heartbeat = callback { return false }
        return true
      }
      if let (instant, callback) = answer, instant <= result.stopDate || result.status == .running {
        context.charge(milliseconds: instant.millisecondsSinceEpoch - start.millisecondsSinceEpoch)
        switch callback {
        case .success(let output): return output
        case .failure(let error, let cause): throw TaskFailure(error: error, cause: cause)
        case .heartbeat: break
        }
      }
      if result.status == .running {
        // The child can only wait for callbacks no one can send: AWS would wait with it, so the
        // task times out if it can, and is otherwise reported as stuck.
        if let timeout = request.timeoutSeconds {
          context.charge(milliseconds: Int64(timeout) * 1000 + 1000)
          return started
        }
        throw TaskFailure(
          error: ExecutionResult.stuckError,
          cause:
            "The child execution '\(result.executionArn)' cannot end: \(result.cause ?? "it waits for callbacks no one can send.")"
        )
      }
      context.charge(
        milliseconds: result.stopDate.millisecondsSinceEpoch - start.millisecondsSinceEpoch)
      if result.status == .succeeded { return describe }
      throw TaskFailure(error: StatesError.Names.taskFailed, cause: describe.serialized())
    }
  }

  /// A date as the optimized integrations write it: milliseconds since the epoch.
  static func date(_ instant: Instant) -> JSON {
    .number(JSONNumber(instant.millisecondsSinceEpoch))
  }

  /// `DescribeExecution`'s response, members in AWS's (alphabetical) order, as `.sync` returns it
  /// (`Input` and `Output` as JSON text) or `.sync:2` (as JSON values).
  static func describe(
    _ result: ExecutionResult, input: JSON, inputText: String, machineArn: String,
    type: ValidationOptions.StateMachineType, valuesAsJSON: Bool
  ) -> JSON {
    var object = JSONObject(minimumCapacity: 16)
    if result.status != .succeeded {
      if let cause = result.cause { object.append(key: "Cause", value: .string(cause)) }
      if let error = result.error { object.append(key: "Error", value: .string(error)) }
    }
    object.append(key: "ExecutionArn", value: .string(result.executionArn))
    object.append(key: "Input", value: valuesAsJSON ? input : .string(inputText))
    object.append(key: "InputDetails", value: ["Included": true])
    object.append(key: "Name", value: .string(name(of: result.executionArn, type: type)))
    if result.status == .succeeded, let output = result.output {
      object.append(key: "Output", value: valuesAsJSON ? output : .string(output.serialized()))
      object.append(key: "OutputDetails", value: ["Included": true])
    }
    if type == .standard {
      object.append(key: "RedriveCount", value: 0)
      if result.status == .succeeded {
        object.append(key: "RedriveStatus", value: "NOT_REDRIVABLE")
        object.append(
          key: "RedriveStatusReason", value: "Execution is SUCCEEDED and cannot be redriven")
      } else {
        object.append(key: "RedriveStatus", value: "REDRIVABLE")
      }
    }
    object.append(key: "StartDate", value: date(result.startDate))
    object.append(key: "StateMachineArn", value: .string(machineArn))
    object.append(key: "Status", value: .string(result.status.rawValue))
    object.append(key: "StopDate", value: date(result.stopDate))
    return .object(object)
  }

  /// The execution's name: the ARN's last member (standard) or the one before it (express).
  static func name(of executionArn: String, type: ValidationOptions.StateMachineType) -> String {
    let parts = executionArn.split(separator: ":", omittingEmptySubsequences: false)
    let index = parts.count - (type == .express ? 2 : 1)
    return index >= 0 ? String(parts[index]) : executionArn
  }

  /// AWS's rule for execution names: 1 to 80 characters, none of them whitespace, a control
  /// character or one of `< > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /`.
  static func isValidName(_ name: String) -> Bool {
    guard !name.isEmpty, name.count <= 80 else { return false }
    let forbidden = Set("<>{}[]?*\"#%\\^|~`$&,;:/".unicodeScalars)
    for scalar in name.unicodeScalars {
      if forbidden.contains(scalar) || scalar.properties.isWhitespace || scalar.value < 0x20
        || (scalar.value >= 0x7F && scalar.value <= 0x9F)
      {
        return false
      }
    }
    return true
  }

  /// The HTTP metadata the optimized integrations add to a response.
  static func appendMetadata(to object: inout JSONObject, requestId: String) {
    object.append(
      key: "SdkHttpMetadata",
      value: [
        "HttpHeaders": [
          "Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": .string(requestId),
        ],
        "HttpStatusCode": 200,
      ])
    object.append(key: "SdkResponseMetadata", value: ["RequestId": .string(requestId)])
  }

  /// An AWS SDK integration's error cause, with a request ID drawn from `seed`.
  static func sdkCause(_ message: String, seed: UInt64) -> String {
    var generator = SeededRandom(seed: seed)
    return
      "\(message) (Service: Sfn, Status Code: 400, Request ID: \(generator.nextUUIDString())) (SDK Attempt Count: 1)"
  }
}
