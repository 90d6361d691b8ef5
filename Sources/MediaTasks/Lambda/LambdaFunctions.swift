import Foundation
import StepFunctions

/// An error a simulated Lambda function raises: Step Functions reports it with the function's
/// `errorType` as the error name and the `{"errorMessage", "errorType", ...}` document as cause.
public struct LambdaError: Error, Sendable, Hashable {
  /// The error type (`InvalidVideoError`...), which retriers and catchers match.
  public var type: String
  /// The message.
  public var message: String

  /// Creates an error.
  public init(type: String, message: String) {
    self.type = type
    self.message = message
  }
}

/// What a simulated Lambda function is given besides its event.
public struct LambdaInvocation: Sendable {
  /// The task request that invoked it.
  public var request: TaskRequest
  /// The task's context: clock, sleep, and callbacks for `.waitForTaskToken`.
  public var context: TaskContext
  /// The function's name.
  public var functionName: String
}

/// A simulated Lambda function: takes the event, returns the payload.
public typealias LambdaFunction =
  @Sendable (_ event: JSON, _ invocation: LambdaInvocation) async throws -> JSON

/// The Lambda functions a world knows, by name, plus failure injection.
public final class LambdaFunctions: @unchecked Sendable {
  private let lock = NSLock()
  private var functions: [String: LambdaFunction] = [:]
  private var injected: [String: [TaskFailure]] = [:]
  private var invocationLog: [(String, JSON)] = []

  init() {}

  /// Adds or replaces a function.
  public func register(_ name: String, _ function: @escaping LambdaFunction) {
    lock.withLock { functions[name] = function }
  }

  /// The names of the functions, sorted.
  public var names: [String] { lock.withLock { functions.keys.sorted() } }

  /// Makes the next `count` invocations of `name` fail with `error` before the function runs
  /// (e.g. `Lambda.TooManyRequestsException` to exercise a retrier).
  public func failNext(_ name: String, count: Int = 1, error: String, cause: String = "") {
    lock.withLock {
      injected[name, default: []] += Array(
        repeating: TaskFailure(error: error, cause: cause), count: max(0, count))
    }
  }

  /// Every invocation so far: function name and event, oldest first.
  public var invocations: [(function: String, event: JSON)] {
    lock.withLock { invocationLog.map { (function: $0.0, event: $0.1) } }
  }

  /// The function name in a `FunctionName` value: a name, a partial ARN
  /// (`123456789012:function:name`) or a full ARN, with or without a qualifier.
  static func name(from reference: String) -> String {
    let parts = reference.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    if let index = parts.firstIndex(of: "function"), index + 1 < parts.count {
      return parts[index + 1]
    }
    return parts.first ?? reference
  }

  /// Runs the function named by `reference` with `event`.
  func invoke(_ reference: String, event: JSON, request: TaskRequest, context: TaskContext)
    async throws -> JSON
  {
    let name = LambdaFunctions.name(from: reference)
    let (function, failure): (LambdaFunction?, TaskFailure?) = lock.withLock {
      invocationLog.append((name, event))
      if var pending = injected[name], !pending.isEmpty {
        let first = pending.removeFirst()
        injected[name] = pending
        return (functions[name], first)
      }
      return (functions[name], nil)
    }
    if let failure { throw failure }
    guard let function else {
      throw TaskFailure(
        error: "Lambda.ResourceNotFoundException",
        cause:
          "Function not found: arn:aws:lambda:\(request.resource.region.isEmpty ? "us-east-1" : request.resource.region):123456789012:function:\(name) (Service: Lambda, Status Code: 404, Request ID: in-memory)"
      )
    }
    do {
      return try await function(
        event, LambdaInvocation(request: request, context: context, functionName: name))
    } catch let error as LambdaError {
      let cause: JSON = [
        "errorMessage": .string(error.message), "errorType": .string(error.type),
        "requestId": "in-memory",
        "stackTrace": [],
      ]
      throw TaskFailure(error: error.type, cause: cause.serialized())
    }
  }
}

/// `arn:aws:states:::lambda:invoke` (and `.waitForTaskToken`): runs the function named by
/// `FunctionName` with `Payload` and returns the optimized integration's response:
/// `{"ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode": 200}`.
public struct LambdaInvokeHandler: TaskHandler {
  /// The functions it can call.
  public let functions: LambdaFunctions
  let identifiers: IdentifierSource

  /// Creates a handler over `functions`.
  public init(functions: LambdaFunctions) {
    self.init(functions: functions, identifiers: IdentifierSource(seed: 0))
  }

  init(functions: LambdaFunctions, identifiers: IdentifierSource) {
    self.functions = functions
    self.identifiers = identifiers
  }

  /// Invokes the function.
  public func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    guard let reference = request.parameters["FunctionName"]?.stringValue, !reference.isEmpty else {
      throw TaskFailure(
        error: "Lambda.AWSLambdaException",
        cause:
          "1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null (Service: Lambda, Status Code: 400, Request ID: in-memory)"
      )
    }
    let payload = try await functions.invoke(
      reference, event: request.parameters["Payload"] ?? .object(JSONObject()), request: request,
      context: context)
    var response: JSONObject = ["ExecutedVersion": "$LATEST", "Payload": payload]
    ResponseMetadata.append(
      to: &response, requestId: identifiers.uuid(), contentType: "application/json")
    response.append(key: "StatusCode", value: 200)
    return .object(response)
  }
}

/// A Lambda function named by its ARN as the `Resource`
/// (`arn:aws:lambda:us-east-1:123456789012:function:NAME`): the state's input is the event and
/// the result is the function's payload itself.
public struct LambdaFunctionHandler: TaskHandler {
  /// The functions it can call.
  public let functions: LambdaFunctions

  /// Creates a handler over `functions`.
  public init(functions: LambdaFunctions) { self.functions = functions }

  /// Invokes the function the resource names.
  public func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    guard case .lambdaFunction(let name) = request.resource.kind else {
      throw TaskFailure(
        error: "Lambda.ResourceNotFoundException",
        cause: "Not a Lambda function ARN: \(request.resource.arn)")
    }
    return try await functions.invoke(
      name, event: request.parameters, request: request, context: context)
  }
}
