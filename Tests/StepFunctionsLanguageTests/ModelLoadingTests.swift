import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

/// A JSONPath machine with one state of every type.
private let everyStateType = """
  {
    "Comment": "every state",
    "StartAt": "Prepare",
    "TimeoutSeconds": 3600,
    "States": {
      "Prepare": {
        "Type": "Pass",
        "Comment": "start",
        "InputPath": "$.job",
        "Result": {"ok": true},
        "ResultPath": "$.prepared",
        "OutputPath": "$",
        "Assign": {"attempt": 1, "source.$": "$.source"},
        "Next": "Transcode"
      },
      "Transcode": {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "encode", "Payload.$": "$"},
        "ResultSelector": {"body.$": "$.Payload"},
        "TimeoutSecondsPath": "$.timeout",
        "HeartbeatSeconds": 30,
        "Credentials": {"RoleArn": "arn:aws:iam::123456789012:role/encoder"},
        "Retry": [
          {"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 5, "MaxAttempts": 2, "BackoffRate": 1.5, "MaxDelaySeconds": 60, "JitterStrategy": "FULL"},
          {"ErrorEquals": ["States.ALL"]}
        ],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed", "ResultPath": "$.error", "Comment": "give up"}],
        "Next": "Decide"
      },
      "Decide": {
        "Type": "Choice",
        "Choices": [
          {"Variable": "$.size", "NumericGreaterThan": 100, "Next": "Fan out", "Comment": "big"},
          {"Not": {"Variable": "$.done", "BooleanEquals": true}, "Next": "Pause"}
        ],
        "Default": "Each item"
      },
      "Pause": {"Type": "Wait", "TimestampPath": "$.until", "Next": "Decide"},
      "Fan out": {
        "Type": "Parallel",
        "Branches": [
          {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": true}}},
          {"StartAt": "Right", "Comment": "second", "States": {"Right": {"Type": "Succeed"}}}
        ],
        "ResultPath": null,
        "Next": "Done"
      },
      "Each item": {
        "Type": "Map",
        "ItemsPath": "$.items",
        "ItemSelector": {"item.$": "$$.Map.Item.Value"},
        "MaxConcurrencyPath": "$.limit",
        "ToleratedFailurePercentage": 5,
        "ItemProcessor": {
          "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
          "StartAt": "Handle",
          "States": {"Handle": {"Type": "Pass", "End": true}}
        },
        "Label": "items",
        "End": true
      },
      "Done": {"Type": "Succeed"},
      "Failed": {"Type": "Fail", "ErrorPath": "$.error.Error", "Cause": "transcoding failed"}
    }
  }
  """

/// The state named `name` of the top-level graph, or an issue.
private func state(_ name: String, in definition: StateMachineDefinition) throws -> State {
  try #require(definition.graph.state(named: name), "no state \(name)")
}

@Suite("Model: the typed definition a valid machine loads into")
struct ModelLoadingTests {
  @Test("The machine-level fields and states are kept in order")
  func machineFields() throws {
    let definition = try StateMachineDefinition(json: everyStateType)
    #expect(definition.comment == "every state")
    #expect(definition.timeoutSeconds == 3600)
    #expect(definition.version == nil)
    #expect(definition.queryLanguage == .jsonPath)
    #expect(definition.graph.startAt == "Prepare")
    #expect(
      definition.graph.states.map(\.name) == [
        "Prepare", "Transcode", "Decide", "Pause", "Fan out", "Each item", "Done", "Failed",
      ])
    #expect(
      definition.graph.states.map(\.typeName) == [
        "Pass", "Task", "Choice", "Wait", "Parallel", "Map", "Succeed", "Fail",
      ])
    #expect(definition.graph.pointer == [])
    #expect(definition.json["StartAt"] == .string("Prepare"))
  }

  @Test("Transitions are Next, End, or none for Choice, Succeed and Fail")
  func transitions() throws {
    let definition = try StateMachineDefinition(json: everyStateType)
    #expect(try state("Prepare", in: definition).transition == .next("Transcode"))
    #expect(try state("Decide", in: definition).transition == .none)
    #expect(try state("Each item", in: definition).transition == .end)
    #expect(try state("Done", in: definition).transition == .none)
    #expect(try state("Failed", in: definition).transition == .none)
  }

  @Test("A Pass state keeps its Result, paths, Assign and pointer")
  func passState() throws {
    let prepare = try state("Prepare", in: try StateMachineDefinition(json: everyStateType))
    guard case .pass(let pass) = prepare.kind else {
      Issue.record("expected a Pass state")
      return
    }
    #expect(pass.result == .object(["ok": .bool(true)]))
    #expect(prepare.comment == "start")
    #expect(prepare.io.inputPath == .path("$.job"))
    #expect(prepare.io.resultPath == .path("$.prepared"))
    #expect(prepare.io.outputPath == .path("$"))
    #expect(prepare.assign?["source.$"] == .string("$.source"))
    #expect(prepare.pointer == ["States", "Prepare"])
    #expect(prepare.queryLanguage == .jsonPath)
  }

  @Test("A Task state keeps its resource, templates, dynamic timeout, retriers and catchers")
  func taskState() throws {
    let transcode = try state("Transcode", in: try StateMachineDefinition(json: everyStateType))
    guard case .task(let task) = transcode.kind else {
      Issue.record("expected a Task state")
      return
    }
    #expect(task.resource == "arn:aws:states:::lambda:invoke")
    #expect(task.timeoutSeconds == .path("$.timeout"))
    #expect(task.heartbeatSeconds == .literal(30))
    #expect(task.credentials?["RoleArn"] == .string("arn:aws:iam::123456789012:role/encoder"))
    #expect(transcode.io.parameters?["Payload.$"] == .string("$"))
    #expect(transcode.io.resultSelector?["body.$"] == .string("$.Payload"))

    #expect(transcode.retriers.count == 2)
    let first = transcode.retriers[0]
    #expect(first.errorEquals == ["States.Timeout"])
    #expect(first.intervalSeconds == 5)
    #expect(first.maxAttempts == 2)
    #expect(first.backoffRate == 1.5)
    #expect(first.maxDelaySeconds == 60)
    #expect(first.jitterStrategy == .full)
    let second = transcode.retriers[1]
    #expect(second.intervalSeconds == 1)
    #expect(second.maxAttempts == 3)
    #expect(second.backoffRate == 2.0)
    #expect(second.jitterStrategy == .none)

    #expect(transcode.catchers.count == 1)
    let catcher = transcode.catchers[0]
    #expect(catcher.errorEquals == ["States.ALL"])
    #expect(catcher.next == "Failed")
    #expect(catcher.resultPath == .path("$.error"))
    #expect(catcher.comment == "give up")
  }

  @Test("A Choice state keeps its rules, targets and Default")
  func choiceState() throws {
    let decide = try state("Decide", in: try StateMachineDefinition(json: everyStateType))
    guard case .choice(let choice) = decide.kind else {
      Issue.record("expected a Choice state")
      return
    }
    #expect(choice.defaultState == "Each item")
    #expect(choice.choices.map(\.next) == ["Fan out", "Pause"])
    #expect(choice.choices[0].comment == "big")
    #expect(choice.choices[1].pointer == ["States", "Decide", "Choices", "1"])
    guard case .comparison(let size) = choice.choices[0].rule,
      case .not(.comparison(let done)) = choice.choices[1].rule
    else {
      Issue.record("unexpected rules")
      return
    }
    #expect(size.variable == "$.size")
    #expect(size.comparator == .numericGreaterThan)
    #expect(done.comparator == .booleanEquals)
    if case .value(let value) = done.operand {
      #expect(value == .bool(true))
    } else {
      Issue.record("expected a literal operand")
    }
  }

  @Test("A Wait state keeps its one form")
  func waitState() throws {
    let pause = try state("Pause", in: try StateMachineDefinition(json: everyStateType))
    guard case .wait(.timestampPath(let path)) = pause.kind else {
      Issue.record("expected a TimestampPath wait")
      return
    }
    #expect(path == "$.until")
  }

  @Test("A Parallel state keeps its branches as graphs")
  func parallelState() throws {
    let fanOut = try state("Fan out", in: try StateMachineDefinition(json: everyStateType))
    guard case .parallel(let parallel) = fanOut.kind else {
      Issue.record("expected a Parallel state")
      return
    }
    #expect(parallel.branches.map(\.startAt) == ["Left", "Right"])
    #expect(parallel.branches[1].comment == "second")
    #expect(parallel.branches[1].pointer == ["States", "Fan out", "Branches", "1"])
    #expect(parallel.branches[0].states.first?.transition == .end)
    #expect(fanOut.io.resultPath == .null)
  }

  @Test("A Map state keeps its processor, mode and item fields")
  func mapState() throws {
    let each = try state("Each item", in: try StateMachineDefinition(json: everyStateType))
    guard case .map(let map) = each.kind else {
      Issue.record("expected a Map state")
      return
    }
    #expect(map.mode == .distributed)
    #expect(map.executionType == "EXPRESS")
    #expect(map.itemsPath == "$.items")
    #expect(map.itemSelector?["item.$"] == .string("$$.Map.Item.Value"))
    #expect(map.maxConcurrency == .path("$.limit"))
    #expect(map.toleratedFailurePercentage == .literal(5))
    #expect(map.toleratedFailureCount == nil)
    #expect(map.label == "items")
    #expect(map.processor.startAt == "Handle")
    #expect(map.processor.pointer == ["States", "Each item", "ItemProcessor"])
  }

  @Test("A Fail state keeps a path error and a literal cause")
  func failState() throws {
    let failed = try state("Failed", in: try StateMachineDefinition(json: everyStateType))
    guard case .fail(let fail) = failed.kind else {
      Issue.record("expected a Fail state")
      return
    }
    #expect(fail.error == .path("$.error.Error"))
    #expect(fail.cause == .literal("transcoding failed"))
  }

  @Test(
    "An inline Map written with Iterator and Parameters loads like ItemProcessor and ItemSelector")
  func olderMapFields() throws {
    let text = ASL.single(
      #""Type": "Map", "Iterator": \#(ASL.graph("I")), "Parameters": {"v.$": "$$.Map.Item.Value"}, "MaxConcurrency": 2, "End": true"#
    )
    guard case .map(let map) = try StateMachineDefinition(json: text).graph.states.first?.kind
    else {
      Issue.record("expected a Map state")
      return
    }
    #expect(map.mode == .inline)
    #expect(map.executionType == nil)
    #expect(map.processor.startAt == "I")
    #expect(map.itemSelector?["v.$"] == .string("$$.Map.Item.Value"))
    #expect(map.maxConcurrency == .literal(2))
  }

  @Test("JSONata states keep expressions without their delimiters")
  func jsonataValues() throws {
    let text = ASL.machine(
      #"""
      "W": {"Type": "Wait", "Seconds": "{% $states.input.delay %}", "Next": "T"},
      "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"x": "{% 1 %}"}, "Output": "{% $states.result %}", "TimeoutSeconds": "{% 30 %}", "Next": "M"},
      "M": {"Type": "Map", "Items": "{% $states.input.list %}", "ItemProcessor": \#(ASL.graph("I")), "MaxConcurrency": "{% 4 %}", "Next": "F"},
      "F": {"Type": "Fail", "Error": "{% 'E' %}", "Cause": "plain"}
      """#, startAt: "W", language: .jsonata)
    let definition = try StateMachineDefinition(json: text)
    #expect(definition.queryLanguage == .jsonata)
    let states = definition.graph.states
    #expect(states.allSatisfy { $0.queryLanguage == .jsonata })
    guard case .wait(.seconds(let seconds)) = states[0].kind, case .task(let task) = states[1].kind,
      case .map(let map) = states[2].kind, case .fail(let fail) = states[3].kind
    else {
      Issue.record("unexpected state kinds")
      return
    }
    #expect(expressionText(seconds) == " $states.input.delay ")
    #expect(task.timeoutSeconds.flatMap(expressionText) == " 30 ")
    #expect(states[1].io.arguments?["x"] == .string("{% 1 %}"))
    #expect(states[1].io.output == .string("{% $states.result %}"))
    #expect(map.items == .string("{% $states.input.list %}"))
    #expect(map.maxConcurrency.flatMap(expressionText) == " 4 ")
    #expect(fail.error.flatMap(expressionText) == " 'E' ")
    #expect(fail.cause == .literal("plain"))
    // Each expression is compiled once, at load, and knows its field.
    if case .expression(let compiled)? = fail.error {
      #expect(compiled.field == "Error")
      #expect(try compiled.expression.evaluate(input: nil) == .string("E"))
    }
    #expect(states[1].io.compiledArguments?.expressions.map(\.field) == ["Arguments/x"])
    #expect(states[1].io.compiledOutput?.expressions.map(\.text) == [" $states.result "])
    #expect(map.compiledItems?.expressions.map(\.field) == ["Items"])
  }

  @Test("Wait literal forms load as literals")
  func waitLiterals() throws {
    let seconds = try StateMachineDefinition(
      json: ASL.single(#""Type": "Wait", "Seconds": 10, "End": true"#))
    guard case .wait(.seconds(.literal(10))) = seconds.graph.states.first?.kind else {
      Issue.record("expected Seconds 10")
      return
    }
    let timestamp = try StateMachineDefinition(
      json: ASL.single(#""Type": "Wait", "Timestamp": "2016-03-14T01:59:00Z", "End": true"#))
    guard
      case .wait(.timestamp(.literal("2016-03-14T01:59:00Z"))) = timestamp.graph.states.first?.kind
    else {
      Issue.record("expected a literal timestamp")
      return
    }
    let secondsPath = try StateMachineDefinition(
      json: ASL.single(#""Type": "Wait", "SecondsPath": "$.s", "End": true"#))
    guard case .wait(.secondsPath("$.s")) = secondsPath.graph.states.first?.kind else {
      Issue.record("expected SecondsPath")
      return
    }
  }

  @Test("Loading from a JSON value gives the same model without locations")
  func loadFromValue() throws {
    let value = try JSON(parsing: Array(everyStateType.utf8))
    let definition = try StateMachineDefinition(value: value)
    #expect(definition.graph.states.count == 8)
    do {
      _ = try StateMachineDefinition(value: .object(["StartAt": .string("S")]))
      Issue.record("expected a DefinitionError")
    } catch {
      #expect(
        error.report.errors.map(Found.init) == [
          .schema("These fields are required: [States]", at: "")
        ])
      #expect(error.report.errors.allSatisfy { $0.location == nil })
    }
  }

  @Test("StateMachineLoader returns the definition only when there is no error")
  func loaderResult() throws {
    let document = try JSONParser.parseDocument(Array(everyStateType.utf8))
    let result = StateMachineLoader.load(document)
    #expect(result.definition != nil)
    #expect(!result.report.hasErrors)
    let broken = try JSONParser.parseDocument(Array(ASL.single(#""Type": "Pass""#).utf8))
    let failed = StateMachineLoader.load(broken)
    #expect(failed.definition == nil)
    #expect(failed.report.hasErrors)
    #expect(failed.report.source != nil)
  }
}

/// The text of a dynamic value's JSONata expression, if it is one.
private func expressionText<Value>(_ value: DynamicValue<Value>) -> String? {
  if case .expression(let expression) = value { return expression.text }
  return nil
}
