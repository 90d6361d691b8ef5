import StepFunctionsJSON
import Testing

@testable import StepFunctionsRuntime

@Suite("Executor: the Context Object and variables")
struct ExecutorContextTests {
  @Test("$$.Execution, $$.State and $$.StateMachine describe the execution, as configured")
  func contextObject() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "Wait", "States": {
        "Wait": {"Type": "Wait", "Seconds": 30, "Next": "Read"},
        "Read": {"Type": "Pass", "Parameters": {
          "id.$": "$$.Execution.Id", "input.$": "$$.Execution.Input", "name.$": "$$.Execution.Name",
          "start.$": "$$.Execution.StartTime", "role.$": "$$.Execution.RoleArn",
          "state.$": "$$.State.Name", "entered.$": "$$.State.EnteredTime",
          "machine.$": "$$.StateMachine.Id", "machineName.$": "$$.StateMachine.Name"}, "End": true}}}
      """#,
      input: ["order": 12]
    ) { options in
      options.stateMachineName = "Orders"
      options.executionName = "run-1"
      options.region = "eu-west-1"
      options.account = "111122223333"
      options.roleArn = "arn:aws:iam::111122223333:role/Runner"
    }
    #expect(
      result.output
        == [
          "id": "arn:aws:states:eu-west-1:111122223333:execution:Orders:run-1",
          "input": ["order": 12], "name": "run-1",
          "start": "2025-01-01T00:00:00.000Z", "role": "arn:aws:iam::111122223333:role/Runner",
          "state": "Read",
          "entered": "2025-01-01T00:00:30.000Z",
          "machine": "arn:aws:states:eu-west-1:111122223333:stateMachine:Orders",
          "machineName": "Orders",
        ])
    #expect(result.executionArn == "arn:aws:states:eu-west-1:111122223333:execution:Orders:run-1")
    #expect(
      result.details("ExecutionStarted")?["roleArn"] == "arn:aws:iam::111122223333:role/Runner")
  }

  @Test("$$.State has a RetryCount only in Task, Parallel and Map states")
  func stateMembers() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "P", "States": {
        "P": {"Type": "Pass", "Parameters": {"state.$": "$$.State"}, "ResultPath": "$.pass", "Next": "T"},
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"state.$": "$$.State"}, "ResultPath": "$.task", "End": true}}}
      """#,
      handlers: ["lambda:invoke": Executor.echo])
    #expect(
      result.output?["pass"]?["state"]?.objectValue?.keys.sorted() == ["EnteredTime", "Name"])
    #expect(result.output?["task"]?["state"]?["RetryCount"] == 0)
    #expect(result.output?["task"]?["state"]?["Name"] == "T")
  }

  @Test("Without a name, an execution is named by a UUID drawn from the seed")
  func defaultName() async throws {
    let machine = try Executor.machine(
      Executor.single(#"{"Type": "Pass", "Parameters": {"n.$": "$$.Execution.Name"}}"#))
    var options = ExecutionOptions()
    options.seed = 42
    let first = await machine.run(options: options)
    let second = await machine.run(options: options)
    options.seed = 43
    let third = await machine.run(options: options)
    let name = try #require(first.output?["n"]?.stringValue)
    #expect(name.count == 36)
    #expect(name.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
    #expect(second.output == first.output)
    #expect(third.output != first.output)
  }

  @Test(
    "Assign stores JSONPath values; later states read $var in paths, templates, intrinsics and Choice rules"
  )
  func assignAndRead() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "Result": {"user": {"name": "Ada", "tags": ["a", "b"]}},
          "Assign": {"user.$": "$.user", "count": 2, "greeting.$": "States.Format('hi {}', $.user.name)"}, "ResultPath": null, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$count", "NumericEquals": 2, "Next": "Use"}]},
        "Use": {"Type": "Pass", "InputPath": "$user", "Parameters": {
          "name.$": "$.name", "first.$": "$user.tags[0]", "greeting.$": "$greeting",
          "n.$": "States.ArrayLength($user.tags)", "input.$": "$"}, "End": true}}}
      """#,
      input: ["ignored": true])
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(
      result.output
        == [
          "name": "Ada", "first": "a", "greeting": "hi Ada", "n": 2,
          "input": ["name": "Ada", "tags": ["a", "b"]],
        ])
    let exited = try #require(
      result.history.events.first { $0.type == "PassStateExited" }?.awsJSON[
        "stateExitedEventDetails"])
    #expect(
      exited["assignedVariables"]
        == ["user": #"{"name":"Ada","tags":["a","b"]}"#, "count": "2", "greeting": #""hi Ada""#])
    #expect(exited["assignedVariablesDetails"] == ["truncated": false])
  }

  @Test("A state's own Assign is not visible to its own paths (AWS evaluation order)")
  func evaluationOrder() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "State0", "States": {
        "State0": {"Type": "Pass", "Result": {"theQuestion": "?"}, "Assign": {"question.$": "$.theQuestion", "answer": 42}, "Next": "State1"},
        "State1": {"Type": "Pass", "InputPath": "$answer", "ResultPath": "$.theAnswer", "OutputPath": "$answer",
          "Assign": {"answer": "<omitted>"}, "End": true}}}
      """#)
    #expect(result.output == 42)
  }

  @Test("Map iterations and Parallel branches see outer variables; what they assign stays inside")
  func scoping() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "Outer", "States": {
        "Outer": {"Type": "Pass", "Assign": {"x": 42, "items": [1, 2]}, "Next": "M"},
        "M": {"Type": "Map", "ItemsPath": "$items", "ResultPath": "$.map", "Next": "P",
          "ItemProcessor": {"StartAt": "Inner", "States": {
            "Inner": {"Type": "Pass", "Assign": {"inner.$": "$"}, "Next": "Read"},
            "Read": {"Type": "Pass", "Parameters": {"x.$": "$x", "inner.$": "$inner"}, "End": true}}}},
        "P": {"Type": "Parallel", "ResultPath": "$.parallel", "Next": "After", "Branches": [
          {"StartAt": "B", "States": {"B": {"Type": "Pass", "Assign": {"branch": true}, "Parameters": {"x.$": "$x"}, "End": true}}}]},
        "After": {"Type": "Choice", "Choices": [
          {"Or": [{"Variable": "$inner", "IsPresent": true}, {"Variable": "$branch", "IsPresent": true}], "Next": "Leaked"}],
          "Default": "Done"},
        "Leaked": {"Type": "Fail", "Error": "Leaked"},
        "Done": {"Type": "Pass", "End": true}}}
      """#)
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(
      result.output == [
        "map": [["x": 42, "inner": 1], ["x": 42, "inner": 2]], "parallel": [["x": 42]],
      ])
  }

  @Test("Reading a variable that was never assigned fails with States.Runtime")
  func undefinedVariable() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"defined": 1}, "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"v.$": "$defined", "w.$": "$undefinedVar"}, "End": true}}}
      """#)
    #expect(result.status == .failed)
    #expect(result.error == "States.Runtime")
    #expect(result.cause?.contains("$undefinedVar") == true)
  }
}
