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

  @Test(
    "$$ of a standard execution has AWS's members in AWS's order, RedriveCount 0 and no RedriveTime"
  )
  func wholeStandardContext() async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "Read", "States": {
        "Read": {"Type": "Pass", "Parameters": {"c.$": "$$", "count.$": "$$.Execution.RedriveCount"}, "End": true}}}
      """#,
      input: ["order": 12]
    ) { options in
      options.stateMachineName = "Orders"
      options.roleArn = "arn:aws:iam::111122223333:role/Runner"
      options.account = "111122223333"
    }
    let context = try #require(result.output?["c"]?.objectValue)
    // Corpus: `test_query_context_object_values`, `test_input_path_`.
    #expect(context.keys == ["Execution", "StateMachine", "State"])
    let execution = try #require(context["Execution"]?.objectValue)
    #expect(
      execution.keys == ["Id", "Input", "StartTime", "Name", "RoleArn", "RedriveCount"])
    #expect(
      JSON.object(execution)
        == [
          "Id": "arn:aws:states:us-east-1:111122223333:execution:Orders:test-execution",
          "Input": ["order": 12], "StartTime": "2025-01-01T00:00:00.000Z",
          "Name": "test-execution", "RoleArn": "arn:aws:iam::111122223333:role/Runner",
          "RedriveCount": 0,
        ])
    #expect(
      context["StateMachine"]
        == ["Id": "arn:aws:states:us-east-1:111122223333:stateMachine:Orders", "Name": "Orders"])
    #expect(context["StateMachine"]?.objectValue?.keys == ["Id", "Name"])
    #expect(context["State"]?.objectValue?.keys == ["Name", "EnteredTime"])
    #expect(context["State"] == ["Name": "Read", "EnteredTime": "2025-01-01T00:00:00.000Z"])
    #expect(result.output?["count"] == 0)
  }

  @Test("$$.Execution of an express execution has no RedriveCount, in AWS's express order")
  func wholeExpressContext() async throws {
    let result = try await Executor.run(
      Executor.single(#"{"Type": "Pass", "Parameters": {"e.$": "$$.Execution"}}"#)
    ) { options in
      options.stateMachineType = .express
    }
    let execution = try #require(result.output?["e"]?.objectValue)
    // Corpus: `test_query_runtime_memory` (express).
    #expect(execution.keys == ["Id", "Input", "Name", "RoleArn", "StartTime"])
    #expect(execution["Id"]?.stringValue?.contains(":express:") == true)
  }

  @Test("$$.Execution.RedriveTime does not exist in an execution that was not redriven")
  func noRedriveTime() async throws {
    let result = try await Executor.run(
      Executor.single(#"{"Type": "Pass", "Parameters": {"t.$": "$$.Execution.RedriveTime"}}"#))
    #expect(result.status == .failed)
    #expect(result.error == "States.Runtime")
    #expect(
      result.cause?.hasPrefix(
        "An error occurred while executing the state 'S' (entered at the event id #2). The JSONPath '$$.Execution.RedriveTime' specified for the field 't.$' could not be found in the input '{\"Execution\":{"
      ) == true, "\(result.summary)")
  }

  @Test("$$.Task holds the token only in a .waitForTaskToken Task, after State")
  func taskToken() async throws {
    let handler = ClosureTaskHandler { request, context in
      if let token = request.taskToken {
        context.scheduleCallback(after: 1, .success(["t": .string(token)]))
      }
      return request.parameters
    }
    let result = try await Executor.run(
      #"""
      {"StartAt": "Plain", "States": {
        "Plain": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Parameters": {"c.$": "$$"}, "ResultPath": "$.plain", "Next": "Callback"},
        "Callback": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "Parameters": {"c.$": "$$", "token.$": "$$.Task.Token"}, "ResultPath": "$.callback", "End": true}}}
      """#,
      handlers: ["sqs:sendMessage": handler])
    #expect(result.status == .succeeded, "\(result.summary)")
    let plain = try #require(result.output?["plain"]?["c"]?.objectValue)
    #expect(plain.keys == ["Execution", "StateMachine", "State"])
    #expect(
      plain["State"] == [
        "Name": "Plain", "EnteredTime": "2025-01-01T00:00:00.000Z", "RetryCount": 0,
      ])
    let scheduled = try #require(
      result.events("TaskScheduled").last?.awsJSON["taskScheduledEventDetails"]?["parameters"]?
        .stringValue)
    let parameters = try JSON(parsing: scheduled)
    let withToken = try #require(parameters["c"]?.objectValue)
    #expect(withToken.keys == ["Execution", "StateMachine", "State", "Task"])
    let token = try #require(parameters["token"]?.stringValue)
    #expect(withToken["Task"] == ["Token": .string(token)])
    #expect(result.output?["callback"] == ["t": .string(token)])
  }

  @Test(
    "A Map's ItemSelector sees $$.Map.Item (Index, Value, Source STATE_DATA) and the Map state's $$.State"
  )
  func mapItemContext() async throws {
    for config in [
      #"{"Mode": "INLINE"}"#, #"{"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}"#,
    ] {
      let mode = config
      let result = try await Executor.run(
        #"""
        {"StartAt": "First", "States": {
          "First": {"Type": "Wait", "Seconds": 5, "Next": "M"},
          "M": {"Type": "Map", "ItemsPath": "$.list", "End": true,
            "ItemSelector": {"map.$": "$$.Map", "source.$": "$$.Map.Item.Source", "state.$": "$$.State", "keys.$": "$$"},
            "ItemProcessor": {"ProcessorConfig": \#(config),
              "StartAt": "F", "States": {"F": {"Type": "Pass", "End": true}}}}}}
        """#,
        input: ["list": ["x", ["y": 1]]])
      #expect(result.status == .succeeded, "\(mode): \(result.summary)")
      let outputs = try #require(result.output?.arrayValue)
      #expect(outputs.count == 2)
      #expect(
        outputs.map { $0["map"] } == [
          ["Item": ["Index": 0, "Value": "x", "Source": "STATE_DATA"]],
          ["Item": ["Index": 1, "Value": ["y": 1], "Source": "STATE_DATA"]],
        ], "\(mode)")
      #expect(outputs[1]["map"]?["Item"]?.objectValue?.keys == ["Index", "Value", "Source"])
      #expect(outputs[0]["source"] == "STATE_DATA")
      #expect(
        outputs[0]["state"] == [
          "Name": "M", "EnteredTime": "2025-01-01T00:00:05.000Z", "RetryCount": 0,
        ],
        "\(mode)")
      #expect(
        outputs[0]["keys"]?.objectValue?.keys
          == ["Execution", "StateMachine", "State", "Map"])
    }
  }

  @Test("The states inside a Map's ItemProcessor do not see $$.Map (AWS: ItemSelector only)")
  func noMapContextInsideIterations() async throws {
    let whole = try await Executor.run(
      #"""
      {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
        "ItemProcessor": {"StartAt": "F", "States": {"F": {"Type": "Pass", "Parameters": {"c.$": "$$"}, "End": true}}}}}}
      """#,
      input: ["a"])
    #expect(whole.status == .succeeded, "\(whole.summary)")
    #expect(whole.output?[0]?["c"]?.objectValue?.keys == ["Execution", "StateMachine", "State"])
    #expect(whole.output?[0]?["c"]?["State"]?["Name"] == "F")
    let index = try await Executor.run(
      #"""
      {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
        "ItemProcessor": {"StartAt": "F", "States": {"F": {"Type": "Pass", "Parameters": {"i.$": "$$.Map.Item.Index"}, "End": true}}}}}}
      """#,
      input: ["a"])
    #expect(index.status == .failed)
    #expect(index.error == "States.Runtime")
    #expect(
      index.cause?.contains(
        "executing the state 'F' (entered at the event id #5). The JSONPath '$$.Map.Item.Index' specified for the field 'i.$' could not be found"
      ) == true, "\(index.summary)")
  }

  @Test(
    "A path that fails in a Map's ItemSelector names the Map state and its entered event, not the iteration's first state",
    arguments: [
      (
        #"{"x.$": "$$.Map.Item.Value.missing"}"#,
        "The JSONPath '$$.Map.Item.Value.missing' specified for the field 'x.$' could not be found in the input '{\"Execution\":"
      ),
      (
        #"{"x.$": "$.missing"}"#,
        #"The JSONPath '$.missing' specified for the field 'x.$' could not be found in the input '{"list":[{"a":1}]}'"#
      ),
      (#"{"x.$": "States.ArrayGetItem($.list, 5)"}"#, ""),
    ])
  func itemSelectorFailureNamesMapState(selector: String, detail: String) async throws {
    let result = try await Executor.run(
      #"""
      {"StartAt": "Before", "States": {
        "Before": {"Type": "Pass", "Next": "M"},
        "M": {"Type": "Map", "ItemsPath": "$.list", "End": true, "ItemSelector": \#(selector),
          "ItemProcessor": {"StartAt": "First", "States": {"First": {"Type": "Pass", "End": true}}}}}}
      """#,
      input: ["list": [["a": 1]]])
    #expect(result.status == .failed)
    let cause = try #require(result.cause)
    let prefix = "An error occurred while executing the state 'M' (entered at the event id #4). "
    #expect(cause.hasPrefix(prefix + detail), "\(cause)")
    #expect(!cause.contains("'First'"))
    #expect(result.events("PassStateEntered").count == 1)
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
