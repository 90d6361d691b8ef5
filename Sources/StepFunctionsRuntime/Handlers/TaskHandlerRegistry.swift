/// Finds the handler for a Task's `Resource`: first by exact ARN, then by integration
/// (`lambda:invoke`, `mediaconvert:createJob`, `aws-sdk:s3:putObject`, `aws-sdk:s3`), then by
/// kind (any Lambda function ARN, any activity), ignoring region and account.
public struct TaskHandlerRegistry: Sendable {
  private var exact: [String: any TaskHandler] = [:]
  private var byIntegration: [String: any TaskHandler] = [:]
  private var lambdaFunctions: (any TaskHandler)?
  private var activities: (any TaskHandler)?
  private var fallback: (any TaskHandler)?

  /// Creates an empty registry.
  public init() {}

  /// Registers a handler for one exact resource ARN.
  public mutating func register(_ handler: any TaskHandler, forResource arn: String) {
    exact[arn] = handler
  }

  /// Registers a handler for an integration: `"lambda:invoke"`, `"sns:publish"`,
  /// `"mediaconvert:createJob"` (covers `.sync` and `.waitForTaskToken` too),
  /// `"aws-sdk:s3:putObject"`, or a whole SDK service `"aws-sdk:s3"`.
  public mutating func register(_ handler: any TaskHandler, forIntegration integration: String) {
    byIntegration[integration] = handler
  }

  /// Registers a handler for every Lambda function ARN (`arn:aws:lambda:...:function:...`),
  /// unless a more specific registration matches.
  public mutating func registerLambdaFunctions(_ handler: any TaskHandler) {
    lambdaFunctions = handler
  }

  /// Registers a handler for every activity ARN.
  public mutating func registerActivities(_ handler: any TaskHandler) { activities = handler }

  /// Registers a handler for any resource nothing else matches.
  public mutating func registerFallback(_ handler: any TaskHandler) { fallback = handler }

  /// Adds every registration of `other`, replacing ours where both have one.
  public mutating func merge(_ other: TaskHandlerRegistry) {
    exact.merge(other.exact) { $1 }
    byIntegration.merge(other.byIntegration) { $1 }
    if let handler = other.lambdaFunctions { lambdaFunctions = handler }
    if let handler = other.activities { activities = handler }
    if let handler = other.fallback { fallback = handler }
  }

  /// The handler for `resource`, or `nil`.
  public func handler(for resource: TaskResource) -> (any TaskHandler)? {
    if let handler = exact[resource.arn] { return handler }
    switch resource.kind {
    case .serviceIntegration(let service, let action):
      if let handler = byIntegration["\(service):\(action)"] { return handler }
    case .sdkIntegration(let service, let action):
      if let handler = byIntegration["aws-sdk:\(service):\(action)"]
        ?? byIntegration["aws-sdk:\(service)"]
      {
        return handler
      }
    case .lambdaFunction(let name):
      if let handler = byIntegration["lambda:function:\(name)"] ?? lambdaFunctions {
        return handler
      }
    case .activity(let name):
      if let handler = byIntegration["activity:\(name)"] ?? activities { return handler }
    case .other:
      break
    }
    return fallback
  }
}
