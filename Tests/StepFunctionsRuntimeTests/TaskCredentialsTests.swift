import StepFunctionsJSON
import Testing

@testable import StepFunctionsRuntime

@Suite("Executor: a Task's Credentials in its scheduled event")
struct TaskCredentialsTests {
  static func machine(_ credentials: String, resource: String = "arn:aws:states:::lambda:invoke")
    -> String
  {
    #"""
    {"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "\#(resource)",
      "Parameters": {"FunctionName": "fn"}, "Credentials": \#(credentials), "End": true}}}
    """#
  }

  static let role = "arn:aws:iam::111122223333:role/Trusted"

  /// The `taskCredentials` of the execution's only scheduled event.
  static func credentials(_ result: ExecutionResult) -> JSON? {
    let scheduled = result.history.events.first {
      $0.type == "TaskScheduled" || $0.type == "LambdaFunctionScheduled"
    }
    let details =
      scheduled?.awsJSON["taskScheduledEventDetails"]
      ?? scheduled?.awsJSON["lambdaFunctionScheduledEventDetails"]
    return details?["taskCredentials"] ?? nil
  }

  @Test("A literal RoleArn is recorded as taskCredentials.roleArn")
  func literalRole() async throws {
    let result = try await Executor.run(
      Self.machine(#"{"RoleArn": "\#(Self.role)"}"#),
      handlers: ["lambda:invoke": Executor.returning(["ok": true])])
    #expect(result.status == .succeeded)
    #expect(Self.credentials(result) == ["roleArn": .string(Self.role)])
  }

  @Test("RoleArn.$ takes the role from a path, the context object or an intrinsic")
  func dynamicRole() async throws {
    for credentials in [
      #"{"RoleArn.$": "$.role"}"#, #"{"RoleArn.$": "$$.Execution.Input.role"}"#,
      #"{"RoleArn.$": "States.Format('{}', $.role)"}"#,
    ] {
      let result = try await Executor.run(
        Self.machine(credentials), input: ["role": .string(Self.role)],
        handlers: ["lambda:invoke": Executor.returning(["ok": true])])
      #expect(Self.credentials(result) == ["roleArn": .string(Self.role)], "\(credentials)")
    }
  }

  @Test("A Lambda function ARN task records the role too; a Task without Credentials records none")
  func lambdaFunctionAndNone() async throws {
    let function = "arn:aws:lambda:us-east-1:123456789012:function:fn"
    let withRole = try await Executor.run(
      Self.machine(#"{"RoleArn": "\#(Self.role)"}"#, resource: function)
    ) { options in
      options.handlers.registerLambdaFunctions(Executor.returning(["ok": true]))
    }
    #expect(Self.credentials(withRole) == ["roleArn": .string(Self.role)])
    let without = try await Executor.run(
      ExecutorTaskTests.lambdaInvoke, handlers: ["lambda:invoke": Executor.returning([:])])
    #expect(Self.credentials(without) == nil)
  }

  @Test("A RoleArn.$ path that does not exist fails the state with States.Runtime")
  func missingRolePath() async throws {
    let result = try await Executor.run(
      Self.machine(#"{"RoleArn.$": "$.nowhere"}"#),
      handlers: ["lambda:invoke": Executor.returning(["ok": true])])
    #expect(result.status == .failed)
    #expect(result.error == "States.Runtime")
    #expect(result.events("TaskScheduled").isEmpty)
  }
}

@Suite("Executor: $$.Task.Token in .sync tasks")
struct SyncTaskTokenTests {
  static let machine = #"""
    {"StartAt": "Run", "States": {"Run": {"Type": "Task",
      "Resource": "arn:aws:states:::states:startExecution.sync",
      "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:child",
        "Input": {"TaskToken.$": "$$.Task.Token"}}, "End": true}}}
    """#

  @Test("A .sync task whose Parameters read $$.Task.Token gets a token, as AWS gives it")
  func syncTaskReadsToken() async throws {
    let result = try await Executor.run(
      Self.machine,
      handlers: [
        "states:startExecution": ClosureTaskHandler { request, _ in
          #expect(request.taskToken == nil, "a .sync task does not wait on its token")
          return request.parameters["Input"] ?? .null
        }
      ])
    #expect(result.status == .succeeded, "\(result.summary)")
    let token = result.output?["TaskToken"]?.stringValue
    #expect(token?.isEmpty == false)
  }

  @Test("A .sync task that does not read $$.Task.Token draws no token (random values unchanged)")
  func syncTaskWithoutToken() async throws {
    let definition = #"""
      {"StartAt": "Run", "States": {"Run": {"Type": "Task",
        "Resource": "arn:aws:states:::states:startExecution.sync",
        "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:child"},
        "ResultSelector": {"id.$": "States.UUID()"}, "End": true}}}
      """#
    let handlers = ["states:startExecution": Executor.returning([:])]
    let first = try await Executor.run(definition, handlers: handlers)
    let plain = try await Executor.run(
      #"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"id.$": "States.UUID()"}, "End": true}}}"#
    )
    #expect(first.output?["id"] == plain.output?["id"])
  }
}
