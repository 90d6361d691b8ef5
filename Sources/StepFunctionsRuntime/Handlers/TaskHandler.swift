import Foundation
import StepFunctionsJSON

/// Runs the work of a Task state: the stand-in for Lambda, MediaConvert, SNS, DynamoDB, an
/// activity worker, or anything else a `Resource` names.
///
/// A handler receives the task's effective parameters and returns the result, or throws a
/// ``TaskFailure`` (an ASL error name and cause) that retriers and catchers match on. Any other
/// error a handler throws becomes `States.TaskFailed` with the error's description as the cause.
///
/// ```swift
/// struct Transcode: TaskHandler {
///   func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
///     try await context.sleep(seconds: 1200)          // 20 virtual minutes
///     return ["Job": ["Status": "COMPLETE"]]
///   }
/// }
/// ```
public protocol TaskHandler: Sendable {
  /// Performs the task and returns its result.
  func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON
}

/// A handler made from a closure.
public struct ClosureTaskHandler: TaskHandler {
  let body: @Sendable (TaskRequest, TaskContext) async throws -> JSON

  /// Creates a handler that runs `body`.
  public init(_ body: @escaping @Sendable (TaskRequest, TaskContext) async throws -> JSON) {
    self.body = body
  }

  /// Runs the closure.
  public func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    try await body(request, context)
  }
}

/// An error a handler reports the way a service would: an error name and a cause.
public struct TaskFailure: Error, Sendable, Hashable, CustomStringConvertible {
  /// The error name retriers and catchers match (`Lambda.ServiceException`, `MyError`...).
  public var error: String
  /// The cause.
  public var cause: String

  /// Creates a failure.
  public init(error: String, cause: String = "") {
    self.error = error
    self.cause = cause
  }

  /// `error: cause`.
  public var description: String { "\(error): \(cause)" }
}

/// How a Task waits for its service, from the resource's suffix.
public enum IntegrationPattern: String, Sendable, Hashable {
  /// Call the service and move on with its response.
  case requestResponse
  /// `.sync` / `.sync:2`: run the job to its end.
  case sync
  /// `.waitForTaskToken`: wait until a callback with the task token arrives.
  case waitForTaskToken
}

/// What a Task's `Resource` names, with region and account set aside.
public struct TaskResource: Sendable, Hashable, CustomStringConvertible {
  /// The kinds of resource.
  public enum Kind: Sendable, Hashable {
    /// `arn:aws:states:::service:action[.pattern]`: an optimized integration.
    case serviceIntegration(service: String, action: String)
    /// `arn:aws:states:::aws-sdk:service:action`: an AWS SDK integration.
    case sdkIntegration(service: String, action: String)
    /// `arn:aws:lambda:region:account:function:name[:qualifier]`: a Lambda function (legacy form).
    case lambdaFunction(name: String)
    /// `arn:aws:states:region:account:activity:name`: an activity.
    case activity(name: String)
    /// Anything else.
    case other
  }

  /// The ARN as written.
  public var arn: String
  /// What it names.
  public var kind: Kind
  /// The integration pattern.
  public var pattern: IntegrationPattern
  /// The region in the ARN (empty for `arn:aws:states:::` integrations).
  public var region: String

  /// Parses a resource ARN.
  public init(_ arn: String) {
    self.arn = arn
    let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(
      String.init)
    pattern = .requestResponse
    region = parts.count > 3 ? parts[3] : ""
    kind = .other
    guard parts.count == 6, parts[0] == "arn" else { return }
    let service = parts[2]
    let rest = parts[5]
    if service == "states", parts[3].isEmpty, parts[4].isEmpty {
      var pieces = rest.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
      guard pieces.count >= 2 else { return }
      if pieces.last == "2", pieces.count >= 3 { pieces.removeLast() }  // `.sync:2`
      var action = pieces[pieces.count - 1]
      if action.hasSuffix(".sync") {
        pattern = .sync
        action.removeLast(5)
      } else if action.hasSuffix(".waitForTaskToken") {
        pattern = .waitForTaskToken
        action.removeLast(17)
      }
      if pieces[0] == "aws-sdk", pieces.count >= 3 {
        kind = .sdkIntegration(service: pieces[1], action: action)
      } else {
        kind = .serviceIntegration(service: pieces[0], action: action)
      }
    } else if service == "lambda", rest.hasPrefix("function:") {
      let name =
        rest.dropFirst("function:".count).split(separator: ":").first.map(String.init) ?? ""
      kind = .lambdaFunction(name: name)
    } else if service == "states", rest.hasPrefix("activity:") {
      kind = .activity(name: String(rest.dropFirst("activity:".count)))
    }
  }

  /// The `resourceType` Step Functions writes in task events (`lambda`, `sns`, `aws-sdk:s3`...).
  public var resourceType: String {
    switch kind {
    case .serviceIntegration(let service, _): return service
    case .sdkIntegration(let service, _): return "aws-sdk:" + service
    case .lambdaFunction: return "lambda"
    case .activity: return "activity"
    case .other: return ""
    }
  }

  /// The `resource` Step Functions writes in task events (`invoke`, `publish`,
  /// `createJob.sync`...).
  public var resourceName: String {
    let suffix: String
    switch pattern {
    case .requestResponse: suffix = ""
    case .sync: suffix = arn.hasSuffix(":2") ? ".sync:2" : ".sync"
    case .waitForTaskToken: suffix = ".waitForTaskToken"
    }
    switch kind {
    case .serviceIntegration(_, let action), .sdkIntegration(_, let action): return action + suffix
    default: return arn
    }
  }

  /// The ARN.
  public var description: String { arn }
}

/// Everything a handler is told about one invocation.
public struct TaskRequest: Sendable {
  /// The resource, parsed.
  public var resource: TaskResource
  /// The effective parameters (after InputPath and Parameters, or Arguments).
  public var parameters: JSON
  /// The Task state's name.
  public var stateName: String
  /// 0 for the first attempt, then 1, 2... for retries.
  public var attempt: Int
  /// The task token, for `.waitForTaskToken` tasks (also in `$$.Task.Token`).
  public var taskToken: String?
  /// The execution's ARN.
  public var executionArn: String
  /// The Task's timeout in seconds, if any.
  public var timeoutSeconds: Int?
  /// The Task's heartbeat interval in seconds, if any.
  public var heartbeatSeconds: Int?
  /// The Map iterations and Parallel branches the Task state runs in, outermost first; empty at
  /// the state machine's top level.
  public var scopes: [TaskToken.Scope] = []
}
