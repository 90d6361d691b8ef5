import Foundation
import StepFunctions
import StepFunctionsTesting
import Testing

/// Service cases built the way the corpus records them: a definition whose `Resource` the test
/// filled in at run time, and events rewritten by the corpus's rules.
enum ServiceCaseFixture {
  static let placeholderResource = "<<py:create_res['CreateFunctionResponse']['FunctionArn']>>"

  static let definition: JSON = [
    "StartAt": "Call",
    "States": [
      "Call": [
        "Type": "Task", "Resource": .string(placeholderResource),
        "Catch": [["ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Done"]],
        "Next": "Done",
      ],
      "Done": ["Type": "Pass", "End": true],
    ],
  ]

  /// Runs the definition (its Resource filled in) with `handler` and rewrites what the run
  /// produced the way the corpus rewrote AWS's recordings.
  static func recordedCase(
    input: JSON = ["x": 1], _ handler: @escaping @Sendable (TaskRequest) throws -> JSON
  ) async throws -> ConformanceCase {
    var draft = serviceCase(events: [], status: .succeeded, input: input)
    let machine = try StateMachine(bytes: JSONSerializer().bytes(draft.replayDefinition))
    var options = ExecutionOptions()
    options.handlers.registerFallback(ClosureTaskHandler { request, _ in try handler(request) })
    let result = await machine.run(input: input, options: options)
    draft.expected = ConformanceCase.Expected(
      status: ConformanceStatus(rawValue: result.status.rawValue), output: result.output,
      error: result.error, cause: result.cause.map(JSON.string),
      events: result.history.events.map { corpusForm($0.awsJSON) })
    return draft
  }

  static func serviceCase(
    events: [JSON]?, status: ConformanceStatus, input: JSON = ["x": 1], definition: JSON? = nil,
    normalization: ConformanceCase.EventsNormalization? = nil
  ) -> ConformanceCase {
    ConformanceCase(
      name: "service-case", fileURL: URL(fileURLWithPath: "/cases/service-case.json"),
      category: .service, definition: definition ?? Self.definition,
      definitionPlaceholders: ["create_res['CreateFunctionResponse']['FunctionArn']"],
      input: input, expected: ConformanceCase.Expected(status: status, events: events),
      eventsNormalization: normalization)
  }

  /// The corpus's rules 1 and 2 applied to one event: JSON-text members starting with `{` are
  /// decoded and the timestamp becomes `timestamp`.
  static func corpusForm(_ event: JSON) -> JSON {
    guard case .object(var object) = event else { return event }
    object["timestamp"] = "timestamp"
    for (key, value) in object where key.hasSuffix("EventDetails") {
      guard case .object(var details) = value else { continue }
      for (member, text) in details {
        if case .string(let string) = text, string.hasPrefix("{"),
          let decoded = try? JSON(parsing: string)
        {
          details[member] = decoded
        }
      }
      object[key] = .object(details)
    }
    return .object(object)
  }
}

@Suite("Service cases run by replaying the task results AWS recorded")
struct ConformanceReplayTests {
  @Test("A service case passes when its replay matches the recording")
  func recordedCasePasses() async throws {
    let testCase = try await ServiceCaseFixture.recordedCase { _ in ["y": 2] }
    #expect(testCase.isRunnable)
    guard case .compared(let result) = await ConformanceRunner.run(testCase) else {
      Issue.record("the service case was skipped")
      return
    }
    #expect(result.passed, "\(result.rendered())")
  }

  @Test("A recorded task failure, caught, replays with its recorded error and cause")
  func recordedFailurePasses() async throws {
    let testCase = try await ServiceCaseFixture.recordedCase { _ in
      throw TaskFailure(error: "Custom", cause: #"{"errorMessage": "boom"}"#)
    }
    #expect(testCase.expected.output?["error"]?["Error"] == "Custom")
    guard case .compared(let result) = await ConformanceRunner.run(testCase) else {
      Issue.record("the service case was skipped")
      return
    }
    #expect(result.passed, "\(result.rendered())")
  }

  @Test("The task result comes from the recorded events, not from any handler")
  func resultComesFromTheRecording() async throws {
    var testCase = try await ServiceCaseFixture.recordedCase { _ in ["y": 2] }
    // Change only the recorded task result: the replay must now produce y = 3 downstream.
    var events = try #require(testCase.expected.events)
    let position = try #require(events.firstIndex { $0["type"] == "LambdaFunctionSucceeded" })
    events[position] = events[position].replacing(
      "lambdaFunctionSucceededEventDetails/output", with: ["y": 3])
    testCase.expected.events = events
    guard case .compared(let result) = await ConformanceRunner.run(testCase) else {
      Issue.record("the service case was skipped")
      return
    }
    #expect(summary(result).contains("mismatch /output/y"), "\(result.rendered())")
  }

  @Test("The recorded events become a history: payloads as JSON text, placeholder timestamps")
  func historyFromEvents() throws {
    let events: [JSON] = [
      [
        "executionStartedEventDetails": [
          "input": ["x": 1], "inputDetails": ["truncated": false], "roleArn": "snf_role_arn",
        ], "id": 1, "previousEventId": 0, "timestamp": "timestamp", "type": "ExecutionStarted",
      ],
      [
        "id": 2, "previousEventId": 0, "timestamp": "timestamp", "type": "TaskStateEntered",
        "stateEnteredEventDetails": ["name": "Call", "input": ["x": 1]],
      ],
      [
        "id": 3, "previousEventId": 2, "timestamp": "timestamp", "type": "TaskStateExited",
        "stateExitedEventDetails": ["name": "Call", "output": "stateExitedEventDetails.output"],
      ],
      [
        "id": 4, "previousEventId": 3, "timestamp": "timestamp", "type": "ExecutionSucceeded",
        "executionSucceededEventDetails": ["output": "[1,2]"],
      ],
    ]
    let history = try ServiceCaseFixture.serviceCase(events: events, status: .succeeded)
      .recordedHistory()
    let exported = history.events.map(\.awsJSON)
    #expect(exported.count == 4)
    let start = Instant(
      millisecondsSinceEpoch: Int64(ConformanceCase.replayStartEpochSeconds) * 1000)
    #expect(history.events.allSatisfy { $0.timestamp == start })
    #expect(exported[0]["executionStartedEventDetails"]?["input"] == .string(#"{"x":1}"#))
    // A payload the recording replaced with a placeholder is that string, as JSON text.
    #expect(
      exported[2]["stateExitedEventDetails"]?["output"]
        == .string(#""stateExitedEventDetails.output""#))
    // A payload that stayed JSON text is kept as it is.
    #expect(exported[3]["executionSucceededEventDetails"]?["output"] == .string("[1,2]"))
  }

  @Test("Parallel blocks sorted by the recording get increasing ids again")
  func sortedBlockIds() throws {
    let block: JSON = [
      "id": [0], "previousEventId": 0, "timestamp": "timestamp", "type": "PassStateEntered",
      "stateEnteredEventDetails": ["name": "B", "input": [:]],
    ]
    let events: [JSON] = [
      [
        "executionStartedEventDetails": ["input": [:], "roleArn": "snf_role_arn"], "id": 1,
        "previousEventId": 0, "timestamp": "timestamp", "type": "ExecutionStarted",
      ],
      [
        "id": 2, "previousEventId": 0, "timestamp": "timestamp", "type": "ParallelStateEntered",
        "stateEnteredEventDetails": ["name": "P", "input": [:]],
      ],
      ["id": 3, "previousEventId": 2, "timestamp": "timestamp", "type": "ParallelStateStarted"],
      block, block,
      [
        "id": 8, "previousEventId": 6, "timestamp": "timestamp", "type": "ParallelStateExited",
        "stateExitedEventDetails": ["name": "P", "output": "[{},{}]"],
      ],
    ]
    let history = try ServiceCaseFixture.serviceCase(
      events: events, status: .succeeded, normalization: .parallelBranchEventsSorted
    ).recordedHistory()
    #expect(history.events.map(\.id) == [1, 2, 3, 4, 5, 6])
    #expect(history.events.map(\.previousEventId) == [0, 0, 2, 3, 4, 5])
  }

  @Test("A decoded cause gets back the text the recording kept elsewhere for it")
  func causeText() throws {
    let original = #"{"errorMessage": "boom", "errorType": "Exception"}"#
    let events: [JSON] = [
      [
        "executionStartedEventDetails": ["input": [:], "roleArn": "snf_role_arn"], "id": 1,
        "previousEventId": 0, "timestamp": "timestamp", "type": "ExecutionStarted",
      ],
      [
        "id": 2, "previousEventId": 1, "timestamp": "timestamp", "type": "LambdaFunctionFailed",
        "lambdaFunctionFailedEventDetails": [
          "error": "Exception", "cause": ["errorMessage": "boom", "errorType": "Exception"],
        ],
      ],
      [
        "id": 3, "previousEventId": 2, "timestamp": "timestamp", "type": "ExecutionSucceeded",
        "executionSucceededEventDetails": [
          "output": ["Error": "Exception", "Cause": .string(original)]
        ],
      ],
    ]
    let history = try ServiceCaseFixture.serviceCase(events: events, status: .succeeded)
      .recordedHistory()
    #expect(
      history.events[1].awsJSON["lambdaFunctionFailedEventDetails"]?["cause"]
        == .string(original))
  }

  @Test("Test-time ARNs in the definition are filled in; other placeholders stay")
  func definitionPlaceholders() {
    var definition = ServiceCaseFixture.definition
    definition = definition.replacing(
      "States/Call/Parameters",
      with: [
        "FunctionName": "<<py:f'lambda_func_{short_uid()}'>>",
        "StateMachineArn": "<<py:create_state_machine(aws_client)>>",
      ])
    let testCase = ServiceCaseFixture.serviceCase(
      events: [], status: .succeeded, definition: definition)
    let filled = testCase.replayDefinition
    #expect(
      filled["States"]?["Call"]?["Resource"]
        == "arn:aws:lambda:us-east-1:111111111111:function:lambda_function_name")
    #expect(
      filled["States"]?["Call"]?["Parameters"]?["StateMachineArn"]
        == "arn:aws:states:us-east-1:111111111111:stateMachine:state_machine_name")
    #expect(
      filled["States"]?["Call"]?["Parameters"]?["FunctionName"]
        == "<<py:f'lambda_func_{short_uid()}'>>")
    #expect(testCase.unfilledResourcePlaceholders.isEmpty)
    #expect(testCase.isRunnable)

    let activity = ConformanceCase.arn(
      forPlaceholder: "<<py:create_activity_output['activityArn']>>")
    #expect(activity == "arn:aws:states:us-east-1:111111111111:activity:activity_name")
    let unknown = definition.replacing("States/Call/Resource", with: "<<py:some_resource()>>")
    let unfillable = ServiceCaseFixture.serviceCase(
      events: [], status: .succeeded, definition: unknown)
    #expect(unfillable.unfilledResourcePlaceholders == ["<<py:some_resource()>>"])
    #expect(unfillable.skipReason == .definitionHasPlaceholders)
  }

  @Test("Service cases the recording cannot answer are skipped with their reason")
  func skipReasons() {
    let noHistory = ServiceCaseFixture.serviceCase(events: nil, status: .succeeded)
    #expect(noHistory.skipReason == .noRecordedTaskResults)

    let reader = ServiceCaseFixture.serviceCase(
      events: [], status: .succeeded,
      definition: [
        "StartAt": "M",
        "States": [
          "M": [
            "Type": "Map", "End": true,
            "ItemReader": ["Resource": "arn:aws:states:::s3:getObject"],
            "ItemProcessor": ["StartAt": "P", "States": ["P": ["Type": "Pass", "End": true]]],
          ]
        ],
      ])
    // An ItemReader case runs when the objects it reads are known (see ConformanceRunner).
    #expect(reader.skipReason == nil)
    #expect(reader.usesItemReader)
    let writer = ServiceCaseFixture.serviceCase(
      events: [], status: .succeeded,
      definition: [
        "StartAt": "M",
        "States": [
          "M": [
            "Type": "Map", "End": true,
            "ResultWriter": ["Resource": "arn:aws:states:::s3:putObject"],
            "ItemProcessor": ["StartAt": "P", "States": ["P": ["Type": "Pass", "End": true]]],
          ]
        ],
      ])
    // A ResultWriter runs in a replay: its writes are accepted, as AWS records none.
    #expect(writer.skipReason == nil)
    #expect(writer.usesResultWriter)

    func distributed(_ inner: JSON) -> ConformanceCase {
      ServiceCaseFixture.serviceCase(
        events: [], status: .succeeded,
        definition: [
          "StartAt": "M",
          "States": [
            "M": [
              "Type": "Map", "End": true,
              "ItemProcessor": [
                "ProcessorConfig": ["Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"],
                "StartAt": "P", "States": ["P": inner],
              ],
            ]
          ],
        ])
    }
    // A child that shapes its task's result: the result cannot be read from the Map's output.
    let tasks = distributed([
      "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
      "ResultSelector": ["p.$": "$.Payload"],
    ])
    #expect(tasks.skipReason == .distributedMapTaskResultsNotRecorded)
    // A child that is one plain Task: its output is the task's result, which the Map's
    // recorded output gives.
    let plain = distributed([
      "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
    ])
    #expect(plain.skipReason == nil)
    #expect(distributed(["Type": "Pass", "End": true]).isRunnable)

    var placeholderInput = ServiceCaseFixture.serviceCase(events: [], status: .succeeded)
    placeholderInput.inputHasPlaceholders = true
    #expect(placeholderInput.isRunnable, "replay starts from the recorded input copy")
  }

  @Test("An activity's worker name is not required of a service replay, but is of a pure run")
  func activityWorkerName() {
    let recorded: JSON = [
      "id": 1, "previousEventId": 0, "timestamp": "timestamp", "type": "ActivityStarted",
      "activityStartedEventDetails": ["workerName": "worker"],
    ]
    let produced: JSON = [
      "id": 1, "previousEventId": 0, "timestamp": "2024-01-01T00:00:00Z",
      "type": "ActivityStarted",
    ]
    var service = ServiceCaseFixture.serviceCase(events: [recorded], status: .succeeded)
    service.expected.output = nil
    let outcome = ExecutionOutcome(status: .succeeded, events: [produced])
    #expect(ConformanceComparator.compare(service, outcome).passed)
    var pure = service
    pure.category = .pure
    #expect(
      summary(ConformanceComparator.compare(pure, outcome))
        == ["missing /events/0/activityStartedEventDetails"])
  }
}
