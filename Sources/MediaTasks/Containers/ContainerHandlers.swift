import StepFunctions

/// `arn:aws:states:::ecs:runTask` (returns the started task), `ecs:runTask.sync` (waits for the
/// task to stop and returns its description; a non-zero exit code fails with
/// `States.TaskFailed`, cause: the task description) and `ecs:runTask.waitForTaskToken` (the
/// container answers the token when it is done: `SendTaskSuccess` with its report, or
/// `SendTaskFailure` with the behavior's `callbackError`).
///
/// The container's environment comes from `Overrides.ContainerOverrides[].Environment`; what it
/// does comes from the ``ContainerBehavior`` set for its task definition family.
public struct ECSRunTaskHandler: TaskHandler {
  /// The container runner.
  public let runner: ContainerRunner
  let region: String
  let account: String

  /// Creates a handler over `runner`.
  public init(runner: ContainerRunner) {
    self.init(runner: runner, region: "us-east-1", account: "123456789012")
  }

  init(runner: ContainerRunner, region: String, account: String) {
    self.runner = runner
    self.region = region
    self.account = account
  }

  /// Runs the task.
  public func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    let parameters = try Parameters(request.parameters, service: "ECS")
    guard let definition = parameters.string("TaskDefinition"), !definition.isEmpty else {
      throw TaskFailure(
        error: "ECS.InvalidParameterException",
        cause:
          "TaskDefinition can not be blank. (Service: AmazonECS; Status Code: 400; Error Code: InvalidParameterException; Request ID: in-memory; Proxy: null)"
      )
    }
    if let rejection = runner.takeRejection() { throw rejection }
    var environment: [String: String] = [:]
    let overrides = parameters["Overrides"]?["ContainerOverrides"]?.arrayValue ?? []
    for override in overrides {
      ContainerEnvironment.merge(override["Environment"], into: &environment)
    }
    let containerName = overrides.first?["Name"]?.stringValue ?? ContainerRunner.family(definition)
    let run = runner.run(
      service: "ecs", definition: definition, environment: environment, now: context.now)
    let cluster = parameters.string("Cluster") ?? "default"
    let clusterArn =
      cluster.hasPrefix("arn:") ? cluster : "arn:aws:ecs:\(region):\(account):cluster/\(cluster)"
    let clusterName = ContainerRunner.family(clusterArn)
    let taskId = run.id.replacingOccurrences(of: "-", with: "")
    let taskArn = "arn:aws:ecs:\(region):\(account):task/\(clusterName)/\(taskId)"
    let revision = definition.split(separator: ":").last.flatMap { Int($0) } ?? 1
    let definitionArn =
      definition.hasPrefix("arn:")
      ? definition
      : "arn:aws:ecs:\(region):\(account):task-definition/\(run.definition):\(revision)"
    func describe(stopped: Bool) -> JSON {
      var container: JSONObject = [
        "ContainerArn": .string(
          "arn:aws:ecs:\(region):\(account):container/\(clusterName)/\(taskId)/\(containerName)"),
        "LastStatus": .string(stopped ? "STOPPED" : "PENDING"), "Name": .string(containerName),
        "TaskArn": .string(taskArn),
      ]
      if stopped { container["ExitCode"] = .number(JSONNumber(run.exitCode)) }
      if stopped, let reason = run.reason { container["Reason"] = .string(reason) }
      var task: JSONObject = [
        "Attachments": [], "AvailabilityZone": .string("\(region)a"),
        "ClusterArn": .string(clusterArn),
        "Containers": [.object(container)],
        "CreatedAt": .number(JSONNumber(run.startedAt.millisecondsSinceEpoch)),
        "DesiredStatus": .string(stopped ? "STOPPED" : "RUNNING"),
        "Group": .string("family:\(run.definition)"),
        "LastStatus": .string(stopped ? "STOPPED" : "PROVISIONING"),
        "LaunchType": .string(parameters.string("LaunchType") ?? "FARGATE"),
        "Overrides": parameters["Overrides"] ?? ["ContainerOverrides": []],
      ]
      if stopped {
        task["StartedAt"] = .number(JSONNumber(run.startedAt.millisecondsSinceEpoch))
        task["StopCode"] = "EssentialContainerExited"
        task["StoppedAt"] = .number(JSONNumber(run.stoppedAt.millisecondsSinceEpoch))
        task["StoppedReason"] = .string(run.reason ?? "Essential container in task exited")
      }
      task["TaskArn"] = .string(taskArn)
      task["TaskDefinitionArn"] = .string(definitionArn)
      return .object(task)
    }
    return try await ContainerOutcome.deliver(
      run, request: request, context: context, runner: runner, described: describe(stopped: true),
      started: {
        var response: JSONObject = ["Failures": [], "Tasks": [describe(stopped: false)]]
        ResponseMetadata.append(to: &response, requestId: runner.identifiers.uuid())
        return .object(response)
      }())
  }
}

/// `arn:aws:states:::batch:submitJob` (returns `JobArn`, `JobId`, `JobName`),
/// `batch:submitJob.sync` (waits for the job and returns its description; a failed job fails
/// with `States.TaskFailed`, cause: the job description) and `.waitForTaskToken`.
///
/// The container's environment is the job's `Parameters` plus
/// `ContainerOverrides.Environment`; its behavior is the ``ContainerBehavior`` set for the job
/// definition name.
public struct BatchSubmitJobHandler: TaskHandler {
  /// The container runner.
  public let runner: ContainerRunner
  let region: String
  let account: String

  /// Creates a handler over `runner`.
  public init(runner: ContainerRunner) {
    self.init(runner: runner, region: "us-east-1", account: "123456789012")
  }

  init(runner: ContainerRunner, region: String, account: String) {
    self.runner = runner
    self.region = region
    self.account = account
  }

  /// Submits the job.
  public func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    let parameters = try Parameters(request.parameters, service: "Batch")
    for field in ["JobName", "JobQueue", "JobDefinition"]
    where (parameters.string(field) ?? "").isEmpty {
      throw TaskFailure(
        error: "Batch.ClientException",
        cause:
          "\(field) is required. (Service: AWSBatch; Status Code: 400; Error Code: ClientException; Request ID: in-memory; Proxy: null)"
      )
    }
    if let rejection = runner.takeRejection() { throw rejection }
    let name = parameters.string("JobName") ?? ""
    let queue = parameters.string("JobQueue") ?? ""
    let definition = parameters.string("JobDefinition") ?? ""
    var environment: [String: String] = [:]
    for (key, value) in parameters["Parameters"]?.objectValue ?? JSONObject() {
      environment[key] = value.textForm
    }
    ContainerEnvironment.merge(parameters["ContainerOverrides"]?["Environment"], into: &environment)
    let run = runner.run(
      service: "batch", definition: definition, environment: environment, now: context.now)
    let jobArn = "arn:aws:batch:\(region):\(account):job/\(run.id)"
    let queueArn =
      queue.hasPrefix("arn:") ? queue : "arn:aws:batch:\(region):\(account):job-queue/\(queue)"
    let revision = definition.split(separator: ":").last.flatMap { Int($0) } ?? 1
    let definitionArn =
      definition.hasPrefix("arn:")
      ? definition
      : "arn:aws:batch:\(region):\(account):job-definition/\(run.definition):\(revision)"
    let succeeded = run.exitCode == 0
    var container: JSONObject = [
      "Command": parameters["ContainerOverrides"]?["Command"] ?? [],
      "Environment": ContainerEnvironment.json(environment),
      "ExitCode": .number(JSONNumber(run.exitCode)),
      "LogStreamName": .string("\(run.definition)/default/\(run.id)"),
    ]
    if let reason = run.reason { container["Reason"] = .string(reason) }
    let attempt: JSON = [
      "Container": .object(container),
      "StartedAt": .number(JSONNumber(run.startedAt.millisecondsSinceEpoch)),
      "StatusReason": .string(
        succeeded
          ? "Essential container in task exited"
          : run.reason ?? "Essential container in task exited"),
      "StoppedAt": .number(JSONNumber(run.stoppedAt.millisecondsSinceEpoch)),
    ]
    let described: JSON = [
      "Attempts": [attempt], "Container": .object(container),
      "CreatedAt": .number(JSONNumber(run.startedAt.millisecondsSinceEpoch)), "DependsOn": [],
      "JobArn": .string(jobArn), "JobDefinition": .string(definitionArn), "JobId": .string(run.id),
      "JobName": .string(name), "JobQueue": .string(queueArn),
      "Parameters": parameters["Parameters"] ?? .object(JSONObject()),
      "StartedAt": .number(JSONNumber(run.startedAt.millisecondsSinceEpoch)),
      "Status": .string(succeeded ? "SUCCEEDED" : "FAILED"),
      "StatusReason": .string(
        succeeded
          ? "Essential container in task exited"
          : run.reason ?? "Essential container in task exited"),
      "StoppedAt": .number(JSONNumber(run.stoppedAt.millisecondsSinceEpoch)), "Tags": [:],
    ]
    var started: JSONObject = [
      "JobArn": .string(jobArn), "JobId": .string(run.id), "JobName": .string(name),
    ]
    ResponseMetadata.append(to: &started, requestId: runner.identifiers.uuid())
    return try await ContainerOutcome.deliver(
      run, request: request, context: context, runner: runner, described: described,
      started: .object(started))
  }
}

/// How a container run becomes a task result for each integration pattern.
enum ContainerOutcome {
  static func deliver(
    _ run: ContainerRun, request: TaskRequest, context: TaskContext, runner: ContainerRunner,
    described: JSON,
    started: JSON
  ) async throws -> JSON {
    let seconds = Arithmetic.seconds(from: run.startedAt, to: run.stoppedAt)
    switch request.resource.pattern {
    case .requestResponse:
      return started
    case .sync:
      try await context.sleep(seconds: seconds)
      guard run.exitCode == 0 else {
        throw TaskFailure(error: StatesError.Names.taskFailed, cause: described.serialized())
      }
      return described
    case .waitForTaskToken:
      if run.exitCode == 0 {
        context.scheduleCallback(after: seconds, .success(run.result))
      } else {
        let error = runner.behavior(for: run.definition).callbackError
        context.scheduleCallback(
          after: seconds, .failure(error: error, cause: run.reason ?? "the container failed"))
      }
      return started
    }
  }
}
