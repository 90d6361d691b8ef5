import Foundation
import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

@testable import StepFunctionsRuntime

/// Importing the JSON `aws stepfunctions get-execution-history` prints, and exporting it again.
@Suite("History import")
struct HistoryImportTests {
  // MARK: Histories the executor records

  /// A machine that records most event families: Assign, a service task with timeouts, a
  /// Lambda retried and caught, a Wait, a Parallel, a Map whose iteration fails, a Lambda that
  /// times out, a Fail.
  static let richDefinition = #"""
    {"StartAt": "Setup", "States": {
      "Setup": {"Type": "Pass", "Assign": {"count": 2, "label": "h\u00e9llo \"q\"\n"},
        "Parameters": {"items.$": "$.items", "n.$": "$.n", "decimal": 1.5,
          "big": 12345678901234567890, "text": "line\tbreak \u0001 ☃"}, "Next": "Lookup"},
      "Lookup": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
        "Parameters": {"TableName": "t", "Key": {"id": {"S.$": "$.n"}}},
        "ResultPath": "$.item", "TimeoutSeconds": 30, "HeartbeatSeconds": 10, "Next": "Call"},
      "Call": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:flaky",
        "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 2, "MaxAttempts": 2}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Pause"}],
        "ResultPath": "$.call", "Next": "Pause"},
      "Pause": {"Type": "Wait", "Seconds": 90, "Next": "Fan"},
      "Fan": {"Type": "Parallel", "ResultPath": "$.fan", "Next": "Each", "Branches": [
        {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "Result": [1, "two", null, true], "End": true}}},
        {"StartAt": "B2", "States": {"B2": {"Type": "Wait", "Seconds": 1, "End": true}}}]},
      "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.each",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Item", "States": {
          "Item": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericGreaterThan": 2, "Next": "TooBig"}], "Default": "Ok"},
          "Ok": {"Type": "Succeed"},
          "TooBig": {"Type": "Fail", "Error": "TooBig", "Cause": "an item is over 2"}}},
        "Catch": [{"ErrorEquals": ["TooBig"], "ResultPath": "$.mapError", "Next": "Slow"}],
        "Next": "Slow"},
      "Slow": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:slow",
        "TimeoutSeconds": 5,
        "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": null, "Next": "Done"}],
        "Next": "Done"},
      "Done": {"Type": "Fail", "Error": "Finished", "Cause": "done"}}}
    """#

  static func richRun() async throws -> ExecutionResult {
    try await Executor.run(
      richDefinition, input: ["items": [1, 2, 3], "n": "k"],
      handlers: [
        "dynamodb:getItem": Executor.returning(["Item": ["id": ["S": "k"]]]),
        "arn:aws:lambda:us-east-1:123456789012:function:flaky": ClosureTaskHandler { _, _ in
          throw TaskFailure(error: "Flaky", cause: "try again")
        },
        "arn:aws:lambda:us-east-1:123456789012:function:slow": ClosureTaskHandler { _, context in
          try await context.sleep(seconds: 10)
          return "late"
        },
      ])
  }

  /// Runs that end every way an execution can end, with a distributed Map.
  static func runs() async throws -> [ExecutionResult] {
    let distributed = try await Executor.run(
      #"""
      {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
          "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}
      """#, input: [1, "2", ["three": 3]])
    let timedOut = try await Executor.run(
      #"{"TimeoutSeconds": 10, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}}"#
    )
    let scalar = try await Executor.run(
      #"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "Hello World!", "End": true}}}"#
    )
    return [try await richRun(), distributed, timedOut, scalar]
  }

  @Test("Importing what awsCLIText and awsJSON exported gives the same events, without warnings")
  func executorRoundTrip() async throws {
    for result in try await Self.runs() {
      let history = result.history
      let text = history.awsCLIText
      let imported = try ExecutionHistory(importing: Array(text.utf8), fileName: "h.json")
      #expect(imported.importWarnings.isEmpty, "\(imported.importWarnings)")
      #expect(imported.count == history.count)
      #expect(imported.awsCLIText == text)
      let fromValue = try ExecutionHistory(importing: history.awsJSON)
      #expect(fromValue.awsJSON.serialized() == history.awsJSON.serialized())
      for (recorded, read) in zip(history.events, imported.events) {
        #expect(read.id == recorded.id)
        #expect(read.previousEventId == recorded.previousEventId)
        #expect(read.timestamp == recorded.timestamp)
        #expect(read.type == recorded.type)
        #expect(Self.shape(read.details) == Self.shape(recorded.details), "\(recorded.type)")
        #expect(read.awsJSON == recorded.awsJSON)
        #expect(read.unparsedPayloads.isEmpty && read.retainedMembers.isEmpty)
      }
    }
  }

  @Test("Payloads are decoded into the typed details the executor records")
  func typedPayloads() async throws {
    let history = try await Self.richRun().history
    let imported = try ExecutionHistory(importing: Array(history.awsCLIText.utf8))
    let events = imported.events
    guard case .executionStarted(let input, let role) = events[0].details else {
      Issue.record("ExecutionStarted is \(events[0].details)")
      return
    }
    #expect(input == ["items": [1, 2, 3], "n": "k"])
    #expect(role == ExecutionOptions().roleArn)
    let setupExit = events.first { $0.type == "PassStateExited" }
    guard case .stateExited(let name, let output, let assigned)? = setupExit?.details else {
      Issue.record("no PassStateExited")
      return
    }
    #expect(name == "Setup")
    #expect(
      output["big"] == .number(try #require(JSONNumber(integerDigits: "12345678901234567890"))))
    #expect(output["decimal"] == 1.5)
    #expect(assigned == ["count": 2, "label": "h\u{e9}llo \"q\"\n"])
    let scheduled = events.first { $0.type == "TaskScheduled" }
    guard case .fields(let key, let fields, let payloads)? = scheduled?.details else {
      Issue.record("no TaskScheduled")
      return
    }
    #expect(key == "taskScheduledEventDetails")
    #expect(fields["parameters"] == ["TableName": "t", "Key": ["id": ["S": "k"]]])
    #expect(payloads.contains("parameters"))
    #expect(fields["timeoutInSeconds"] == 30 && fields["heartbeatInSeconds"] == 10)
    let iteration = events.first { $0.type == "MapIterationFailed" }
    guard case .mapIteration(_, let mapName, let index)? = iteration?.details else {
      Issue.record("no MapIterationFailed")
      return
    }
    #expect(mapName == "Each" && index == 2)
    guard case .failure(let failureKey, let error, let cause)? = events.last?.details else {
      Issue.record("the last event is \(String(describing: events.last))")
      return
    }
    #expect(failureKey == "executionFailedEventDetails" && error == "Finished" && cause == "done")
  }

  /// The case of a details value, for comparing shapes.
  static func shape(_ details: HistoryEvent.Details) -> String {
    switch details {
    case .none: return "none"
    case .executionStarted: return "executionStarted"
    case .executionSucceeded: return "executionSucceeded"
    case .failure(let key, _, _): return "failure " + key
    case .stateEntered: return "stateEntered"
    case .stateExited: return "stateExited"
    case .mapStateStarted: return "mapStateStarted"
    case .mapIteration(let key, _, _): return "mapIteration " + key
    case .fields(let key, _, _): return "fields " + key
    }
  }

  // MARK: Timestamps

  /// The instant of `2024-11-18T13:06:54Z`.
  static let base: Int64 = 1_731_935_214_000

  static let isoCases: [(String, Int64)] = [
    ("2024-11-18T13:06:54Z", base),
    ("2024-11-18T13:06:54z", base),
    ("2024-11-18t13:06:54Z", base),
    ("2024-11-18 13:06:54+00:00", base),
    ("2024-11-18T14:06:54+01:00", base),
    ("2024-11-18T14:06:54+0100", base),
    ("2024-11-18T05:06:54-08:00", base),
    ("2024-11-18T18:36:54+05:30", base),
    ("2024-11-18T13:06:54.5Z", base + 500),
    ("2024-11-18T13:06:54.57Z", base + 570),
    ("2024-11-18T13:06:54.574Z", base + 574),
    ("2024-11-18T14:06:54.574000+01:00", base + 574),
    ("2024-11-18T13:06:54.5745Z", base + 575),
    ("2024-11-18T13:06:54.57449Z", base + 574),
    ("2024-11-18T13:06:54.574499999Z", base + 574),
    ("2024-11-18T13:06:54.999999999Z", base + 1000),
    ("2024-11-18T13:06:54.000000001Z", base),
    ("2024-02-29T00:00:00Z", 1_709_164_800_000),
    ("1970-01-01T00:00:00Z", 0),
    ("1969-12-31T23:59:59.999Z", -1),
  ]

  @Test(
    "ISO 8601 timestamps with any offset and 0 to 9 fraction digits are read to the millisecond",
    arguments: isoCases)
  func isoTimestamps(text: String, milliseconds: Int64) {
    #expect(
      HistoryTimestamp.instant(.string(text))
        == .success(Instant(millisecondsSinceEpoch: milliseconds)))
  }

  static let epochCases: [(String, Int64)] = [
    ("1731935214", base), ("1731935214.5", base + 500), ("1731935214.58", base + 580),
    ("1731935214.574", base + 574), ("1731935214.5744", base + 574),
    ("1731935214.5745", base + 575), ("1.731935214574e9", base + 574), ("0", 0),
    ("-1.5", -1500),
  ]

  @Test(
    "Epoch seconds as numbers, whole or with fractions, are read to the millisecond",
    arguments: epochCases)
  func epochTimestamps(text: String, milliseconds: Int64) throws {
    let value = try JSON(parsing: text)
    #expect(
      HistoryTimestamp.instant(value) == .success(Instant(millisecondsSinceEpoch: milliseconds)))
  }

  static let invalidTimestampCases: [(String, String)] = [
    ("2024-11-18T13:06:54", "no UTC offset"), ("2024-11-18", "expected a date and time"),
    ("yesterday", "expected a date and time"), ("2024-13-01T00:00:00Z", "month 13"),
    ("2023-02-29T00:00:00Z", "day 29 does not exist in 2023-02"),
    ("2024-11-18T24:00:00Z", "out of range"), ("2024-11-18T13:06:54.Z", "digits after"),
    ("2024-11-18T13:06:54+25:00", "offset"), ("2024-11-18T13:06:54Zjunk", "after the UTC"),
    ("2024-11-18T13:60:00Z", "out of range"),
  ]

  @Test(
    "Text that is not a timestamp is refused with the reason",
    arguments: invalidTimestampCases)
  func invalidTimestamps(text: String, reason: String) {
    guard case .failure(.invalid(let message)) = HistoryTimestamp.instant(.string(text)) else {
      Issue.record("\(text) was accepted")
      return
    }
    #expect(message.contains(reason), "\(message)")
  }

  @Test("A timestamp that is neither text nor a number in range is refused")
  func timestampTypes() {
    #expect(HistoryTimestamp.instant(.bool(true)) == .failure(.wrongType))
    #expect(HistoryTimestamp.instant(.null) == .failure(.wrongType))
    for seconds in [1e20, -1e20] {
      guard
        case .failure(.invalid(let message)) = HistoryTimestamp.instant(
          .number(JSONNumber(seconds)))
      else {
        Issue.record("\(seconds) was accepted")
        continue
      }
      #expect(message.contains("out of range"))
    }
  }

  @Test("The CLI form of a timestamp is Python's isoformat in UTC: microseconds only when not zero")
  func cliTimestamps() {
    #expect(
      HistoryTimestamp.awsCLIText(Instant(millisecondsSinceEpoch: Self.base))
        == "2024-11-18T13:06:54+00:00")
    #expect(
      HistoryTimestamp.awsCLIText(Instant(millisecondsSinceEpoch: Self.base + 574))
        == "2024-11-18T13:06:54.574000+00:00")
    #expect(
      HistoryTimestamp.awsCLIText(Instant(millisecondsSinceEpoch: Self.base + 5))
        == "2024-11-18T13:06:54.005000+00:00")
    #expect(
      HistoryTimestamp.awsCLIText(Instant(millisecondsSinceEpoch: -1))
        == "1969-12-31T23:59:59.999000+00:00")
  }

  // MARK: Shapes of history files

  /// The sample response of `GetExecutionHistory` in the API reference: epoch seconds, members
  /// in another order.
  static let apiReferenceSample = #"""
    {
        "events": [
            {
                "timestamp": 1525283875.58,
                "executionStartedEventDetails": {
                    "input": "{}",
                    "inputDetails": {
                        "truncated": false
                    },
                    "roleArn": "arn:aws:iam::123456789123:role/service-role/StatesExecutionRole-us-east-1"
                },
                "type": "ExecutionStarted",
                "id": 1,
                "previousEventId": 0
            },
            {
                "timestamp": 1525283875.612,
                "type": "PassStateEntered",
                "id": 2,
                "stateEnteredEventDetails": {
                    "input": "{}",
                    "inputDetails": {
                        "truncated": false
                    },
                    "name": "HelloWorld"
                },
                "previousEventId": 0
            },
            {
                "timestamp": 1525283875.612,
                "stateExitedEventDetails": {
                    "output": "\"Hello World!\"",
                    "outputDetails": {
                        "truncated": false
                    },
                    "name": "HelloWorld"
                },
                "type": "PassStateExited",
                "id": 3,
                "previousEventId": 2
            },
            {
                "executionSucceededEventDetails": {
                    "output": "\"Hello World!\"",
                    "outputDetails": {
                        "truncated": false
                    }
                },
                "timestamp": 1525283875.612,
                "type": "ExecutionSucceeded",
                "id": 4,
                "previousEventId": 3
            }
        ]
    }
    """#

  @Test(
    "The API reference's sample (epoch seconds, members reordered) imports and exports in AWS's order"
  )
  func apiReferenceSample() throws {
    let history = try ExecutionHistory(importing: Array(Self.apiReferenceSample.utf8))
    #expect(history.importWarnings.isEmpty)
    #expect(
      history.events.map(\.timestamp.millisecondsSinceEpoch) == [
        1_525_283_875_580, 1_525_283_875_612, 1_525_283_875_612, 1_525_283_875_612,
      ])
    guard case .stateExited(let name, let output, nil) = history.events[2].details else {
      Issue.record("\(history.events[2].details)")
      return
    }
    #expect(name == "HelloWorld" && output == "Hello World!")
    let exported = try JSON(parsing: history.awsCLIText)
    #expect(
      exported == (try JSON(parsing: Self.apiReferenceSample)).replacingTimestamps(with: exported))
    let first = exported["events"]?[0]?.objectValue
    #expect(
      first?.keys == ["timestamp", "type", "id", "previousEventId", "executionStartedEventDetails"])
    #expect(first?["timestamp"] == "2018-05-02T17:57:55.580000+00:00")
  }

  @Test("Histories from older AWS versions, without inputDetails and outputDetails, import")
  func olderHistories() throws {
    let text = Self.history([
      Self.event(
        1, "ExecutionStarted",
        #""executionStartedEventDetails": {"input": "{\"a\":1}", "roleArn": "r"}"#),
      Self.event(
        2, "PassStateEntered", #""stateEnteredEventDetails": {"name": "P", "input": "{\"a\":1}"}"#),
      Self.event(
        3, "PassStateExited", previous: 2,
        #""stateExitedEventDetails": {"name": "P", "output": "[1]"}"#),
      Self.event(
        4, "ExecutionSucceeded", previous: 3,
        #""executionSucceededEventDetails": {"output": "[1]"}"#),
    ])
    let history = try ExecutionHistory(importing: Array(text.utf8))
    #expect(history.importWarnings.isEmpty)
    #expect(history.events.allSatisfy { !$0.isTruncated && $0.unparsedPayloads.isEmpty })
    guard case .executionSucceeded(let output) = history.events[3].details else {
      Issue.record("\(history.events[3].details)")
      return
    }
    #expect(output == [1])
  }

  @Test("A bare array of events, and sfn run --format json --history output, import")
  func otherShapes() async throws {
    let result = try await Executor.run(
      #"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#, input: ["x": 1])
    let events = result.history.awsJSON["events"] ?? []
    let bare = try ExecutionHistory(importing: events)
    #expect(bare.awsJSON == result.history.awsJSON)
    let runOutput: JSON = [
      "status": "SUCCEEDED", "output": ["x": 1], "error": nil, "cause": nil, "events": events,
    ]
    let fromRun = try ExecutionHistory(importing: Array(runOutput.serialized(.pretty).utf8))
    #expect(fromRun.importWarnings.isEmpty)
    #expect(fromRun.awsJSON == result.history.awsJSON)
  }

  // MARK: Truncated and left-out payloads

  @Test("Truncated payloads keep their text and flag, are reported, and export as they were")
  func truncatedPayloads() throws {
    let text = Self.history([
      Self.event(
        1, "ExecutionStarted",
        #""executionStartedEventDetails": {"input": "{}", "inputDetails": {"truncated": false}, "roleArn": "r"}"#
      ),
      Self.event(
        2, "TaskStateEntered",
        #""stateEnteredEventDetails": {"name": "T", "input": "{}", "inputDetails": {"truncated": false}}"#
      ),
      Self.event(
        3, "TaskScheduled", previous: 2,
        #""taskScheduledEventDetails": {"resourceType": "lambda", "resource": "invoke", "region": "us-east-1", "parameters": "{}"}"#
      ),
      Self.event(
        4, "TaskSucceeded", previous: 3,
        #""taskSucceededEventDetails": {"resourceType": "lambda", "resource": "invoke", "output": "{\"Payload\":\"aaaa", "outputDetails": {"truncated": true}}"#
      ),
      Self.event(
        5, "TaskStateExited", previous: 4,
        #""stateExitedEventDetails": {"name": "T", "output": "{\"Payload\":\"aa", "outputDetails": {"truncated": true}, "assignedVariables": {"v": "[1,2"}, "assignedVariablesDetails": {"truncated": true}}"#
      ),
      Self.event(
        6, "PassStateEntered", previous: 5,
        #""stateEnteredEventDetails": {"name": "P", "input": "{\"Payload\":\"aa", "inputDetails": {"truncated": true}}"#
      ),
    ])
    let history = try ExecutionHistory(importing: Array(text.utf8), fileName: "t.json")
    #expect(history.firstTruncatedEvent?.id == 4)
    #expect(history.events.map(\.isTruncated) == [false, false, false, true, true, true])
    let succeeded = history.events[3]
    guard case .fields(_, let fields, let payloads) = succeeded.details else {
      Issue.record("\(succeeded.details)")
      return
    }
    #expect(fields["output"] == "{\"Payload\":\"aaaa")
    #expect(!payloads.contains("output"))
    #expect(
      succeeded.unparsedPayloads == [
        .init(
          pointer: ["taskSucceededEventDetails", "output"], value: "{\"Payload\":\"aaaa",
          isTruncated: true)
      ])
    guard case .stateExited(_, let output, let assigned) = history.events[4].details else {
      Issue.record("\(history.events[4].details)")
      return
    }
    #expect(output == .null && assigned == nil)
    #expect(
      history.events[4].unparsedPayloads.map(\.pointer) == [
        ["stateExitedEventDetails", "output"], ["stateExitedEventDetails", "assignedVariables"],
      ])
    let warning = history.importWarnings.first { $0.kind == .truncatedPayload }
    #expect(warning?.occurrences == 4)
    #expect(warning?.eventId == 4)
    #expect(warning?.pointer == ["events", "3", "taskSucceededEventDetails", "output"])
    #expect(warning?.location != nil)
    #expect(warning?.description.hasPrefix("t.json:") == true)
    #expect(history.importWarnings.count == 1)
    // Exported again, every member is as it was.
    #expect(
      try JSON(parsing: history.awsCLIText)
        == (try JSON(parsing: text)).replacingTimestamps(
          with: try JSON(parsing: history.awsCLIText)))
    let again = try ExecutionHistory(importing: Array(history.awsCLIText.utf8))
    #expect(again.awsCLIText == history.awsCLIText)
    #expect(again.firstTruncatedEvent?.id == 4)
  }

  @Test(
    "Payloads left out (no execution data) are recorded as such, reported, and stay out on export")
  func omittedPayloads() throws {
    let text = Self.history([
      Self.event(1, "ExecutionStarted", #""executionStartedEventDetails": {"roleArn": "r"}"#),
      Self.event(2, "PassStateEntered", #""stateEnteredEventDetails": {"name": "P"}"#),
      Self.event(3, "PassStateExited", previous: 2, #""stateExitedEventDetails": {"name": "P"}"#),
      Self.event(4, "ExecutionSucceeded", previous: 3, #""executionSucceededEventDetails": {}"#),
    ])
    let history = try ExecutionHistory(importing: Array(text.utf8))
    #expect(history.firstTruncatedEvent == nil)
    #expect(history.events.map(\.unparsedPayloads.count) == [1, 1, 1, 1])
    #expect(
      history.events[1].unparsedPayloads.first
        == .init(pointer: ["stateEnteredEventDetails", "input"], value: nil, isTruncated: false))
    let warnings = history.importWarnings.filter { $0.kind == .omittedPayload }
    #expect(warnings.map(\.occurrences).reduce(0, +) == 4)
    let exported = try JSON(parsing: history.awsCLIText)
    #expect(exported == (try JSON(parsing: text)).replacingTimestamps(with: exported))
  }

  // MARK: Unknown types and members

  @Test("Unknown event types and members are kept, reported once each with a count, and exported")
  func unknownsKept() throws {
    let text = Self.history([
      Self.event(
        1, "ExecutionStarted",
        #""executionStartedEventDetails": {"input": "{}", "inputDetails": {"truncated": false, "included": true}, "roleArn": "r", "stateMachineVersionArn": "arn:v1", "futureField": [1]}, "traceHeader": "t""#
      ),
      Self.event(
        2, "QuantumStateEntangled", #""quantumStateEntangledEventDetails": {"qubits": 2}"#),
      Self.event(
        3, "QuantumStateEntangled", previous: 2,
        #""quantumStateEntangledEventDetails": {"qubits": 3}"#),
      Self.event(
        4, "TaskScheduled", previous: 3,
        #""taskScheduledEventDetails": {"resourceType": "sqs", "resource": "sendMessage", "region": "eu-west-1", "parameters": "{\"a\":1}", "newKnob": true, "taskCredentials": {"roleArn": "r2"}}"#
      ),
      Self.event(
        5, "PassStateEntered", previous: 4,
        #""stateEnteredEventDetails": {"name": "P", "input": "{}", "inputDetails": {"truncated": false}}, "taskStartedEventDetails": {"resource": "x", "resourceType": "y"}"#
      ),
    ])
    let history = try ExecutionHistory(importing: Array(text.utf8), fileName: "u.json")
    let byKind = Dictionary(grouping: history.importWarnings, by: \.kind)
    #expect(byKind[.unknownEventType]?.count == 1)
    #expect(byKind[.unknownEventType]?.first?.occurrences == 2)
    #expect(byKind[.unknownEventType]?.first?.eventId == 2)
    #expect(byKind[.unknownEventType]?.first?.pointer == ["events", "1", "type"])
    #expect(
      Set(byKind[.unknownMember]?.map(\.pointer.description) ?? []) == [
        "/events/0/executionStartedEventDetails/inputDetails/included",
        "/events/0/executionStartedEventDetails/futureField", "/events/0/traceHeader",
        "/events/3/taskScheduledEventDetails/newKnob", "/events/4/taskStartedEventDetails",
      ])
    #expect(history.importWarnings.allSatisfy { $0.location != nil })
    #expect(history.events[1].type == "QuantumStateEntangled")
    guard case .fields(let key, let fields, _) = history.events[1].details else {
      Issue.record("\(history.events[1].details)")
      return
    }
    #expect(key == "quantumStateEntangledEventDetails" && fields["qubits"] == 2)
    #expect(
      history.events[0].retainedMembers == [
        "executionStartedEventDetails": [
          "inputDetails": ["included": true], "stateMachineVersionArn": "arn:v1",
          "futureField": [1],
        ],
        "traceHeader": "t",
      ])
    // The export holds everything the file held.
    let exported = try JSON(parsing: history.awsCLIText)
    #expect(exported == (try JSON(parsing: text)).replacingTimestamps(with: exported))
    let again = try ExecutionHistory(importing: Array(history.awsCLIText.utf8))
    #expect(again.awsCLIText == history.awsCLIText)
    #expect(again.importWarnings.map(\.kind) == history.importWarnings.map(\.kind))
  }

  // MARK: Order and completeness

  @Test("Newest-first histories are put in order; gaps and next-page tokens are reported")
  func orderAndGaps() throws {
    let events = [
      Self.event(
        1, "ExecutionStarted", #""executionStartedEventDetails": {"input": "{}", "roleArn": "r"}"#),
      Self.event(
        2, "PassStateEntered", #""stateEnteredEventDetails": {"name": "P", "input": "{}"}"#),
      Self.event(
        5, "PassStateExited", previous: 2,
        #""stateExitedEventDetails": {"name": "P", "output": "{}"}"#),
    ]
    let reversed = try ExecutionHistory(importing: Array(Self.history(events.reversed()).utf8))
    #expect(reversed.events.map(\.id) == [1, 2, 5])
    #expect(reversed.importWarnings.map(\.kind) == [.reversedOrder, .missingEvents])
    #expect(
      reversed.importWarnings.last?.message.hasPrefix(
        "2 events are missing: the ids jump from 2 to 5") == true)
    let paged = try ExecutionHistory(
      importing: Array(Self.history(Array(events.dropFirst()), extra: #""nextToken": "AAAA""#).utf8)
    )
    #expect(paged.importWarnings.map(\.kind) == [.incompleteHistory, .missingEvents])
    #expect(paged.importWarnings.last?.message.contains("the first event has id 2, not 1") == true)
  }

  @Test("Ids as large as Int.max are read without overflow")
  func hugeIds() throws {
    let text = Self.history([
      Self.event(
        1, "ExecutionStarted", #""executionStartedEventDetails": {"input": "{}", "roleArn": "r"}"#),
      Self.event(
        Int.max - 1, "PassStateEntered",
        #""stateEnteredEventDetails": {"name": "P", "input": "{}"}"#),
      Self.event(
        Int.max, "PassStateExited", #""stateExitedEventDetails": {"name": "P", "output": "{}"}"#),
    ])
    let history = try ExecutionHistory(importing: Array(text.utf8))
    #expect(history.events.map(\.id) == [1, Int.max - 1, Int.max])
    #expect(history.importWarnings.map(\.kind) == [.missingEvents])
    let reversed = try ExecutionHistory(
      importing: Array(
        Self.history([
          Self.event(
            Int.max, "ExecutionStarted", #""executionStartedEventDetails": {"roleArn": "r"}"#)
        ]).utf8))
    #expect(
      reversed.importWarnings.first { $0.kind == .missingEvents }?.message.hasPrefix(
        "\(Int.max - 1) events are missing") == true)
  }

  // MARK: Malformed files

  /// A malformed history, the error it gives, and the text the error must point at.
  struct Malformed: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var kind: HistoryImportError.Kind
    var pointer: String
    var eventIndex: Int?
    /// Text whose first occurrence is where the error must be located (`nil`: not checked).
    var marker: String?
    var testDescription: String { name }
  }

  static let started = HistoryImportTests.event(
    1, "ExecutionStarted", #""executionStartedEventDetails": {"input": "{}", "roleArn": "r"}"#)

  static let malformed: [Malformed] = [
    Malformed(
      name: "not JSON", text: "{\"events\": [", kind: .invalidJSON, pointer: "", marker: nil),
    Malformed(
      name: "a string", text: #""events""#, kind: .notAHistory, pointer: "", marker: #""events""#),
    Malformed(
      name: "no events", text: #"{"items": []}"#, kind: .missingMember, pointer: "", marker: "{"),
    Malformed(
      name: "events not an array", text: #"{"events": {"id": 1}}"#, kind: .wrongType,
      pointer: "/events", marker: #"{"id""#),
    Malformed(
      name: "an event that is not an object", text: #"{"events": [1]}"#, kind: .wrongType,
      pointer: "/events/0", eventIndex: 0, marker: "1]"),
    Malformed(
      name: "no type", text: history([#"{"id": 1, "timestamp": 0}"#]), kind: .missingMember,
      pointer: "/events/0", eventIndex: 0, marker: #"{"id""#),
    Malformed(
      name: "a type that is not a string",
      text: history([#"{"id": 1, "type": 7, "timestamp": 0}"#]), kind: .wrongType,
      pointer: "/events/0/type", eventIndex: 0, marker: "7,"),
    Malformed(
      name: "no id", text: history([#"{"type": "ExecutionStarted", "timestamp": 0}"#]),
      kind: .missingMember, pointer: "/events/0", eventIndex: 0, marker: #"{"type""#),
    Malformed(
      name: "an id of 0",
      text: history([#"{"type": "ExecutionStarted", "id": 0, "timestamp": 0}"#]),
      kind: .invalidValue, pointer: "/events/0/id", eventIndex: 0, marker: "0,"),
    Malformed(
      name: "a fractional id",
      text: history([#"{"type": "ExecutionStarted", "id": 1.5, "timestamp": 0}"#]),
      kind: .invalidValue, pointer: "/events/0/id", eventIndex: 0, marker: "1.5"),
    Malformed(
      name: "an id as text",
      text: history([#"{"type": "ExecutionStarted", "id": "1", "timestamp": 0}"#]),
      kind: .wrongType, pointer: "/events/0/id", eventIndex: 0, marker: #""1""#),
    Malformed(
      name: "a negative previousEventId",
      text: history([
        #"{"type": "ExecutionStarted", "id": 1, "previousEventId": -1, "timestamp": 0}"#
      ]), kind: .invalidValue, pointer: "/events/0/previousEventId", eventIndex: 0, marker: "-1"),
    Malformed(
      name: "no timestamp", text: history([#"{"type": "ExecutionStarted", "id": 1}"#]),
      kind: .missingMember, pointer: "/events/0", eventIndex: 0, marker: #"{"type""#),
    Malformed(
      name: "a timestamp that is not a date",
      text: history([
        started,
        #"{"type": "PassStateEntered", "id": 2, "timestamp": "2024-11-18T25:00:00Z", "stateEnteredEventDetails": {"name": "P", "input": "{}"}}"#,
      ]), kind: .invalidValue, pointer: "/events/1/timestamp", eventIndex: 1,
      marker: #""2024-11-18T25"#),
    Malformed(
      name: "a timestamp that is true",
      text: history([#"{"type": "ExecutionStarted", "id": 1, "timestamp": true}"#]),
      kind: .wrongType, pointer: "/events/0/timestamp", eventIndex: 0, marker: "true"),
    Malformed(
      name: "a state event without details",
      text: history([started, #"{"type": "PassStateEntered", "id": 2, "timestamp": 0}"#]),
      kind: .missingMember, pointer: "/events/1", eventIndex: 1, marker: #"{"type": "Pass"#),
    Malformed(
      name: "details that are not an object",
      text: history([
        started,
        #"{"type": "PassStateEntered", "id": 2, "timestamp": 0, "stateEnteredEventDetails": "P"}"#,
      ]), kind: .wrongType, pointer: "/events/1/stateEnteredEventDetails", eventIndex: 1,
      marker: #""P"}"#),
    Malformed(
      name: "a state without a name",
      text: history([
        started,
        #"{"type": "PassStateEntered", "id": 2, "timestamp": 0, "stateEnteredEventDetails": {"input": "[]"}}"#,
      ]), kind: .missingMember, pointer: "/events/1/stateEnteredEventDetails", eventIndex: 1,
      marker: #"{"input": "[]""#),
    Malformed(
      name: "a name that is a number",
      text: history([
        started,
        #"{"type": "PassStateEntered", "id": 2, "timestamp": 0, "stateEnteredEventDetails": {"name": 5, "input": "{}"}}"#,
      ]), kind: .wrongType, pointer: "/events/1/stateEnteredEventDetails/name", eventIndex: 1,
      marker: "5,"),
    Malformed(
      name: "an input that is an object, not text",
      text: history([
        started,
        #"{"type": "PassStateEntered", "id": 2, "timestamp": 0, "stateEnteredEventDetails": {"name": "P", "input": {}}}"#,
      ]), kind: .wrongType, pointer: "/events/1/stateEnteredEventDetails/input", eventIndex: 1,
      marker: "{}}"),
    Malformed(
      name: "an input that is not JSON text",
      text: history([
        started,
        #"{"type": "PassStateEntered", "id": 2, "timestamp": 0, "stateEnteredEventDetails": {"name": "P", "input": "{\"a\": }"}}"#,
      ]), kind: .invalidPayload, pointer: "/events/1/stateEnteredEventDetails/input", eventIndex: 1,
      marker: #""{\"a"#),
    Malformed(
      name: "a truncated flag that is text",
      text: history([
        started,
        #"{"type": "PassStateEntered", "id": 2, "timestamp": 0, "stateEnteredEventDetails": {"name": "P", "input": "{}", "inputDetails": {"truncated": "no"}}}"#,
      ]), kind: .wrongType, pointer: "/events/1/stateEnteredEventDetails/inputDetails/truncated",
      eventIndex: 1, marker: #""no""#),
    Malformed(
      name: "a task event without its resource",
      text: history([
        started,
        #"{"type": "TaskStarted", "id": 2, "timestamp": 0, "taskStartedEventDetails": {"resourceType": "lambda"}}"#,
      ]), kind: .missingMember, pointer: "/events/1/taskStartedEventDetails", eventIndex: 1,
      marker: #"{"resourceType""#),
    Malformed(
      name: "parameters that are not JSON text",
      text: history([
        started,
        #"{"type": "TaskScheduled", "id": 2, "timestamp": 0, "taskScheduledEventDetails": {"resourceType": "sqs", "resource": "sendMessage", "region": "r", "parameters": "[1,"}}"#,
      ]), kind: .invalidPayload, pointer: "/events/1/taskScheduledEventDetails/parameters",
      eventIndex: 1, marker: #""[1,""#),
    Malformed(
      name: "a Map iteration with a negative index",
      text: history([
        started,
        #"{"type": "MapIterationStarted", "id": 2, "timestamp": 0, "mapIterationStartedEventDetails": {"name": "M", "index": -1}}"#,
      ]), kind: .invalidValue, pointer: "/events/1/mapIterationStartedEventDetails/index",
      eventIndex: 1, marker: "-1}"),
    Malformed(
      name: "an assigned variable that is not text",
      text: history([
        started,
        #"{"type": "PassStateExited", "id": 2, "timestamp": 0, "stateExitedEventDetails": {"name": "P", "output": "{}", "assignedVariables": {"v": 1}}}"#,
      ]), kind: .wrongType, pointer: "/events/1/stateExitedEventDetails/assignedVariables/v",
      eventIndex: 1, marker: "1}}"),
    Malformed(
      name: "an id used twice", text: history([started, started]), kind: .invalidEventOrder,
      pointer: "/events/1/id", eventIndex: 1, marker: nil),
    Malformed(
      name: "ids out of order",
      text: history([
        started,
        event(3, "PassStateEntered", #""stateEnteredEventDetails": {"name": "P", "input": "{}"}"#),
        event(2, "PassStateEntered", #""stateEnteredEventDetails": {"name": "P", "input": "{}"}"#),
      ]), kind: .invalidEventOrder, pointer: "/events/2/id", eventIndex: 2, marker: nil),
  ]

  @Test(
    "Malformed files give an error naming the kind, the event, the member and the line:column",
    arguments: malformed)
  func malformedFiles(_ testCase: Malformed) throws {
    let bytes = Array(testCase.text.utf8)
    #expect(throws: HistoryImportError.self) {
      try ExecutionHistory(importing: bytes, fileName: "bad.json")
    }
    do {
      _ = try ExecutionHistory(importing: bytes, fileName: "bad.json")
    } catch {
      #expect(error.kind == testCase.kind, "\(error)")
      #expect(error.pointer.description == testCase.pointer, "\(error)")
      #expect(error.eventIndex == testCase.eventIndex, "\(error)")
      #expect(error.fileName == "bad.json")
      let location = try #require(error.location)
      if let marker = testCase.marker, let range = testCase.text.range(of: marker) {
        let offset = testCase.text.utf8.distance(
          from: testCase.text.startIndex, to: range.lowerBound)
        #expect(location == SourceText(bytes).location(ofOffset: offset), "\(error)")
      }
      #expect(error.description.hasPrefix("bad.json:\(location.line):\(location.column): error: "))
      #expect(error.description.hasSuffix("[\(testCase.kind.rawValue)]"))
      if let index = testCase.eventIndex {
        #expect(error.description.contains("events[\(index)]"))
      }
    }
    // Without a file, the same error has no location.
    if testCase.kind != .invalidJSON, let value = try? JSON(parsing: testCase.text) {
      #expect(throws: HistoryImportError.self) { try ExecutionHistory(importing: value) }
      do {
        _ = try ExecutionHistory(importing: value)
      } catch {
        #expect(error.location == nil && error.kind == testCase.kind)
      }
    }
  }

  @Test("An error's description names the event by id and type, and the member")
  func errorDescription() throws {
    let text = Self.history([
      Self.started,
      #"{"type": "TaskScheduled", "id": 2, "timestamp": 0, "taskScheduledEventDetails": {"resourceType": "sqs", "resource": "sendMessage", "region": "r", "parameters": "[1,"}}"#,
    ])
    let range = try #require(text.range(of: #""[1,""#))
    let location = SourceText(text).location(
      ofOffset: text.utf8.distance(from: text.startIndex, to: range.lowerBound))
    do {
      _ = try ExecutionHistory(importing: Array(text.utf8), fileName: "h.json")
      Issue.record("imported")
    } catch {
      #expect(
        error.description.hasPrefix(
          "h.json:\(location): error: event 2 (TaskScheduled, events[1]) at /events/1/taskScheduledEventDetails/parameters: the JSON text is not valid (and not marked truncated): 1:4 of the text: "
        ), "\(error)")
      #expect(error.description.hasSuffix(" [invalidPayload]"))
    }
  }

  // MARK: Fixture helpers

  /// An event's JSON text with the given details members (text after the fixed members).
  static func event(
    _ id: Int, _ type: String, previous: Int = 0,
    timestamp: String = "2024-11-18T14:06:54.574000+01:00",
    _ details: String? = nil
  ) -> String {
    #"{"timestamp": "\#(timestamp)", "type": "\#(type)", "id": \#(id), "previousEventId": \#(previous)"#
      + (details.map { ", " + $0 } ?? "") + "}"
  }

  /// A history file's text: `{"events": [...]}` plus any extra top-level members.
  static func history(_ events: some Sequence<String>, extra: String? = nil) -> String {
    #"{"events": ["# + events.joined(separator: ",\n") + "]" + (extra.map { ", " + $0 } ?? "") + "}"
  }
}

extension JSON {
  /// This history with each event's timestamp taken from `other` (same events), to compare
  /// everything but the timestamp text.
  func replacingTimestamps(with other: JSON) -> JSON {
    guard case .object(var object) = self, case .array(var events)? = object["events"] else {
      return self
    }
    for index in events.indices {
      guard case .object(var event) = events[index],
        let timestamp = other["events"]?[index]?["timestamp"]
      else { continue }
      event["timestamp"] = timestamp
      events[index] = .object(event)
    }
    object["events"] = .array(events)
    return .object(object)
  }
}
