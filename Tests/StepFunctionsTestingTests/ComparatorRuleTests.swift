import Foundation
import StepFunctions
import StepFunctionsTesting
import Testing

@Suite("The comparator applies the corpus rules")
struct ComparatorRuleTests {
  /// An ExecutionSucceeded event with `output` as AWS writes it (JSON text).
  static func succeeded(_ outputText: String, id: Int = 2) -> JSON {
    [
      "executionSucceededEventDetails": [
        "output": .string(outputText), "outputDetails": ["truncated": false],
      ],
      "id": .number(JSONNumber(id)), "previousEventId": .number(JSONNumber(id - 1)),
      "timestamp": "2024-11-04T11:03:38.123000+00:00", "type": "ExecutionSucceeded",
    ]
  }

  /// The same event as the corpus records it: timestamp rewritten, `output` as given.
  static func recordedSucceeded(_ output: JSON, id: Int = 2) -> JSON {
    [
      "executionSucceededEventDetails": ["output": output, "outputDetails": ["truncated": false]],
      "id": .number(JSONNumber(id)), "previousEventId": .number(JSONNumber(id - 1)),
      "timestamp": "timestamp", "type": "ExecutionSucceeded",
    ]
  }

  static func compare(recorded: JSON, actualText: String) -> [String] {
    let testCase = handMadeCase(
      .init(status: .succeeded, output: nil, events: [recordedSucceeded(recorded)]))
    let outcome = ExecutionOutcome(status: .succeeded, events: [succeeded(actualText)])
    return summary(ConformanceComparator.compare(testCase, outcome))
  }

  @Test("A JSON-text object payload is compared as an object, in any member order")
  func objectPayload() {
    #expect(
      Self.compare(recorded: ["a": 1, "b": [true]], actualText: #"{"b":[true],"a":1}"#) == [])
    #expect(
      Self.compare(recorded: ["a": 1, "b": [true]], actualText: #"{"b":[false],"a":1}"#)
        == ["mismatch /events/0/executionSucceededEventDetails/output/b/0"])
  }

  @Test("Other payloads stay JSON text but white space does not count")
  func textPayload() {
    #expect(Self.compare(recorded: "[1,2,3]", actualText: "[1,2,3]") == [])
    #expect(Self.compare(recorded: "[[1, 2, 3], [4, 5, 6]]", actualText: "[[1,2,3],[4,5,6]]") == [])
    #expect(Self.compare(recorded: #""Hello""#, actualText: #""Hello""#) == [])
    #expect(
      Self.compare(recorded: #""Hello""#, actualText: "Hello") == [
        "mismatch /events/0/executionSucceededEventDetails/output"
      ])
    #expect(
      Self.compare(recorded: "[1,2,3]", actualText: "[1,2]") == [
        "missing /events/0/executionSucceededEventDetails/output/2"
      ])
  }

  @Test("Integers and decimals are different numbers")
  func numberKinds() {
    #expect(
      Self.compare(recorded: ["n": 1], actualText: #"{"n":1.0}"#) == [
        "mismatch /events/0/executionSucceededEventDetails/output/n"
      ])
    #expect(Self.compare(recorded: ["n": 1.5], actualText: #"{"n":1.5}"#) == [])
    #expect(
      Self.compare(recorded: "2.0", actualText: "2") == [
        "mismatch /events/0/executionSucceededEventDetails/output"
      ])
  }

  @Test("JSON text inside a payload is not decoded a second time")
  func noSecondDecoding() {
    #expect(Self.compare(recorded: ["s": #"{"b":1}"#], actualText: #"{"s":"{\"b\":1}"}"#) == [])
    #expect(
      Self.compare(recorded: ["s": #"{"b":1}"#], actualText: #"{"s":{"b":1}}"#)
        == ["mismatch /events/0/executionSucceededEventDetails/output/s"])
  }

  @Test("Date-times anywhere in the actual payloads match date")
  func dates() {
    #expect(
      Self.compare(
        recorded: ["StartTime": "date"], actualText: #"{"StartTime":"2024-11-04T11:03:38.123Z"}"#)
        == [])
    #expect(
      Self.compare(
        recorded: ["Note": "started at date"],
        actualText: #"{"Note":"started at 2024-11-04T11:03:38Z"}"#) == [])
    #expect(
      Self.compare(
        recorded: ["Note": "started at date"],
        actualText: #"{"Note":"started at 2024-13-04T11:03:38Z"}"#)
        == ["mismatch /events/0/executionSucceededEventDetails/output/Note"])
    #expect(
      Self.compare(recorded: #"["date"]"#, actualText: #"["2020-02-29T00:00:00+00:00"]"#) == [])
  }

  @Test("Keys named like timestamp hide their values")
  func timestampKeys() {
    #expect(
      Self.compare(
        recorded: ["TimestampValue": "timestamp"],
        actualText: #"{"TimestampValue":"2016-13-05T21:29:29Z"}"#) == [])
    #expect(
      Self.compare(
        recorded: ["BatchTimestamp": "date"],
        actualText: #"{"BatchTimestamp":"2016-12-05T21:29:29Z"}"#) == [])
  }

  @Test("Placeholders match concrete ARNs, accounts and regions")
  func arns() {
    let recorded: JSON = [
      "Id":
        "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "RoleArn": "snf_role_arn", "Account": "111111111111",
    ]
    let actual =
      #"{"Id":"arn:aws:states:us-east-1:123456789012:execution:MyMachine:run-1","RoleArn":"arn:aws:iam::123456789012:role/R","Account":"123456789012"}"#
    #expect(Self.compare(recorded: recorded, actualText: actual) == [])
    let wrongService = actual.replacingOccurrences(of: ":states:", with: ":lambda:")
    #expect(
      Self.compare(recorded: recorded, actualText: wrongService) == [
        "mismatch /events/0/executionSucceededEventDetails/output/Id"
      ])
  }

  @Test("A JSON-text cause is decoded; a quoted JSON cause may have been cut to its JSON")
  func causes() {
    let testCase = handMadeCase(
      .init(
        status: .failed, error: "States.TaskFailed",
        cause: ["errorMessage": "boom", "requestId": "<uuid:1>"]))
    let plain = ExecutionOutcome(
      status: .failed, error: "States.TaskFailed",
      cause: #"{"errorMessage":"boom","requestId":"5e7f0a2c-1d2b-4c3d-8e9f-0a1b2c3d4e5f"}"#)
    #expect(ConformanceComparator.compare(testCase, plain).passed)
    var quoted = plain
    quoted.cause = #"The task failed: '{"errorMessage":"boom","requestId":"r-1"}'"#
    #expect(ConformanceComparator.compare(testCase, quoted).passed)
    var wrong = plain
    wrong.cause = #"{"errorMessage":"bang","requestId":"r-1"}"#
    #expect(
      summary(ConformanceComparator.compare(testCase, wrong)) == ["mismatch /cause/errorMessage"])
    var text = plain
    text.cause = "boom"
    #expect(summary(ConformanceComparator.compare(testCase, text)) == ["mismatch /cause"])
  }

  @Test("A string the recording replaced with its own key matches anything")
  func keyNamedValues() {
    #expect(
      Self.compare(
        recorded: ["x-amzn-RequestId": "x-amzn-RequestId"],
        actualText: #"{"x-amzn-RequestId":["a","b"]}"#) == [])
  }

  @Test("A raw output placeholder matches any output")
  func rawOutput() {
    let testCase = handMadeCase(
      .init(status: .succeeded, outputRaw: "executionSucceededEventDetails.output"),
      transformers: [
        [
          "type": "jsonpath", "jsonpath": "$..output",
          "replacement": "executionSucceededEventDetails.output",
        ]
      ])
    #expect(
      ConformanceComparator.compare(testCase, ExecutionOutcome(status: .succeeded, output: [1, 2]))
        .passed)
    #expect(!ConformanceComparator.compare(testCase, ExecutionOutcome(status: .succeeded)).passed)
  }

  @Test("Differences come in document order and render as one line each")
  func renderingAndOrder() {
    let testCase = handMadeCase(
      .init(
        status: .succeeded, output: ["a": 1, "b": 2], events: [Self.recordedSucceeded(#"{"a":1}"#)])
    )
    let outcome = ExecutionOutcome(status: .failed, output: ["a": 2, "c": 3], events: [])
    let result = ConformanceComparator.compare(testCase, outcome)
    #expect(
      summary(result) == [
        "mismatch /status", "mismatch /output/a", "missing /output/b", "unexpected /output/c",
        "missing /events/0",
      ])
    let lines = result.rendered().split(separator: "\n").map(String.init)
    #expect(lines.first == "FAIL hand-made")
    #expect(lines.dropFirst().first == #"  /status: expected "SUCCEEDED", got "FAILED""#)
    #expect(lines.contains(#"  /output/b: missing 2 (member "b")"#))
    #expect(lines.last?.hasPrefix("  /events/0: missing {") == true)
    #expect(lines.count == 6)
    #expect(result.rendered(limit: 2).split(separator: "\n").last == "  … and 3 more difference(s)")
    #expect(ConformanceResult(caseName: "ok").rendered() == "PASS ok")
  }

  @Test("Long values are shortened in reports")
  func snippets() {
    let long = JSON.string(String(repeating: "x", count: 500))
    let snippet = ConformanceDifference.snippet(long)
    #expect(snippet.count == ConformanceDifference.snippetLimit + 1)
    #expect(snippet.hasSuffix("…"))
  }

  @Test("The summary line counts passes, failures and skips")
  func summaryLine() {
    var totals = ConformanceSummary()
    totals.record(ConformanceResult(caseName: "a"))
    totals.record(ConformanceResult(caseName: "b"))
    totals.record(
      ConformanceResult(
        caseName: "c",
        differences: [.init(path: "/status", kind: .mismatch, expected: "1", actual: "2")]))
    totals.recordSkip()
    #expect(totals.description == "2 passed, 1 failed, 1 skipped")
    #expect(totals.total == 4)
  }

  @Test("Odd data on either side is reported, never trapped on")
  func oddData() {
    let oddExpected: [JSON] = [
      .null, 3, "text", [["type": 5]], ["type": "X", "id": [[[]]], "previousEventId": "0"],
      ["id": [0]],
      ["type": "ParallelStateExited"],
    ]
    let oddActual: [JSON] = [
      ["type": "ParallelStateExited"], ["type": "ParallelStateStarted"], .null, ["id": [0]], 7,
      ["type": "ParallelStateSucceeded"], ["type": "ParallelStateStarted"],
      ["type": "ParallelStateFailed"], [],
      ["timestamp": .string(String(repeating: "2024-11-04T11:03:38Z", count: 50))],
    ]
    for normalization in [nil, ConformanceCase.EventsNormalization.parallelBranchEventsSorted] {
      let testCase = handMadeCase(
        .init(
          status: ConformanceStatus(rawValue: ""), output: ["<a><b>": "<<>>"], cause: [1, "x"],
          events: oddExpected),
        normalization: normalization)
      let outcome = ExecutionOutcome(
        status: ConformanceStatus(rawValue: "RUNNING?"), output: .string("{not json"), error: "",
        cause: "{\"unterminated",
        events: oddActual)
      let result = ConformanceComparator.compare(testCase, outcome)
      #expect(!result.passed)
      #expect(result.differences.first?.path == "/status")
      #expect(!result.rendered().isEmpty)
    }
  }
}

@Suite("Parallel events are normalized like the recordings")
struct ParallelEventNormalizationTests {
  static func event(_ id: Int, _ type: String, previous: Int? = nil) -> JSON {
    [
      "id": .number(JSONNumber(id)), "previousEventId": .number(JSONNumber(previous ?? id - 1)),
      "type": .string(type),
    ]
  }

  static func shape(_ events: [JSON]) -> [String] {
    events.map { event in
      let id = event["id"].map { $0.serialized() } ?? "-"
      return "\(id) \(event["type"]?.stringValue ?? "?")"
    }
  }

  @Test("A block gets id [0], and the closing ParallelStateSucceeded disappears")
  func simpleBlock() {
    let events = [
      Self.event(1, "ExecutionStarted"), Self.event(2, "ParallelStateEntered"),
      Self.event(3, "ParallelStateStarted"),
      Self.event(4, "PassStateEntered"), Self.event(5, "PassStateEntered"),
      Self.event(6, "PassStateExited"),
      Self.event(7, "PassStateExited"), Self.event(8, "ParallelStateSucceeded"),
      Self.event(9, "ParallelStateExited", previous: 7),
      Self.event(10, "ExecutionSucceeded"),
    ]
    let normalized = ParallelEventNormalization.normalize(events)
    #expect(
      Self.shape(normalized) == [
        "1 ExecutionStarted", "2 ParallelStateEntered", "3 ParallelStateStarted",
        "[0] PassStateEntered",
        "[0] PassStateEntered", "[0] PassStateExited", "[0] PassStateExited",
        "9 ParallelStateExited",
        "10 ExecutionSucceeded",
      ])
    #expect(normalized[3]["previousEventId"] == 0)
  }

  @Test("Nested Parallel states lose the inner closing events, as recorded")
  func nestedBlocks() {
    let events = [
      Self.event(1, "ExecutionStarted"), Self.event(2, "ParallelStateEntered"),
      Self.event(3, "ParallelStateStarted"),
      Self.event(4, "ParallelStateEntered"), Self.event(5, "ParallelStateStarted"),
      Self.event(6, "PassStateEntered"),
      Self.event(7, "PassStateExited"), Self.event(8, "ParallelStateSucceeded"),
      Self.event(9, "ParallelStateExited"),
      Self.event(10, "ParallelStateSucceeded"), Self.event(11, "ParallelStateExited", previous: 9),
      Self.event(12, "ExecutionSucceeded"),
    ]
    #expect(
      Self.shape(ParallelEventNormalization.normalize(events)) == [
        "1 ExecutionStarted", "2 ParallelStateEntered", "3 ParallelStateStarted",
        "[0] ParallelStateEntered",
        "5 ParallelStateStarted", "[0] PassStateEntered", "[0] PassStateExited",
        "11 ParallelStateExited",
        "12 ExecutionSucceeded",
      ])
  }

  @Test("A hand-made Parallel case matches its history in any branch order")
  func multisetComparison() {
    let recorded: [JSON] = [
      ["id": 1, "previousEventId": 0, "timestamp": "timestamp", "type": "ParallelStateStarted"],
      [
        "id": [0], "previousEventId": 0, "timestamp": "timestamp", "type": "PassStateEntered",
        "stateEnteredEventDetails": ["name": "A", "input": ["v": 1]],
      ],
      [
        "id": [0], "previousEventId": 0, "timestamp": "timestamp", "type": "PassStateEntered",
        "stateEnteredEventDetails": ["name": "B", "input": ["v": 1]],
      ],
      ["id": 5, "previousEventId": 3, "timestamp": "timestamp", "type": "ParallelStateExited"],
    ]
    let testCase = handMadeCase(
      .init(status: .succeeded, events: recorded), normalization: .parallelBranchEventsSorted)
    func history(_ first: String, _ second: String, input: String = #"{"v":1}"#) -> [JSON] {
      [
        [
          "id": 1, "previousEventId": 0, "timestamp": "2024-11-04T11:03:38Z",
          "type": "ParallelStateStarted",
        ],
        [
          "id": 2, "previousEventId": 1, "timestamp": "2024-11-04T11:03:38Z",
          "type": "PassStateEntered",
          "stateEnteredEventDetails": ["name": .string(first), "input": .string(input)],
        ],
        [
          "id": 3, "previousEventId": 1, "timestamp": "2024-11-04T11:03:38Z",
          "type": "PassStateEntered",
          "stateEnteredEventDetails": ["name": .string(second), "input": #"{"v":1}"#],
        ],
        [
          "id": 4, "previousEventId": 3, "timestamp": "2024-11-04T11:03:38Z",
          "type": "ParallelStateSucceeded",
        ],
        [
          "id": 5, "previousEventId": 3, "timestamp": "2024-11-04T11:03:38Z",
          "type": "ParallelStateExited",
        ],
      ]
    }
    #expect(
      ConformanceComparator.compare(
        testCase, ExecutionOutcome(status: .succeeded, events: history("A", "B"))
      ).passed)
    #expect(
      ConformanceComparator.compare(
        testCase, ExecutionOutcome(status: .succeeded, events: history("B", "A"))
      ).passed)
    let changed = ConformanceComparator.compare(
      testCase, ExecutionOutcome(status: .succeeded, events: history("B", "A", input: #"{"v":2}"#)))
    #expect(summary(changed) == ["mismatch /events/2/stateEnteredEventDetails/input/v"])
    // Without the normalization the same histories differ in ids and order.
    let plainCase = handMadeCase(.init(status: .succeeded, events: recorded))
    #expect(
      !ConformanceComparator.compare(
        plainCase, ExecutionOutcome(status: .succeeded, events: history("A", "B"))
      ).passed)
  }
}
