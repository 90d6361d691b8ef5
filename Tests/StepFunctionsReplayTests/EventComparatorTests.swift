import StepFunctions
import Testing

@Suite("The event comparator's replay rules")
struct EventComparatorTests {
  static func event(
    _ type: String, id: Int = 5, previous: Int = 4, timestamp: String = "2025-01-01T00:00:00.000Z",
    details: JSONObject
  ) -> JSON {
    [
      "timestamp": .string(timestamp), "type": .string(type), "id": .number(JSONNumber(id)),
      "previousEventId": .number(JSONNumber(previous)),
      "taskSucceededEventDetails": .object(details),
    ]
  }

  static func differences(
    _ recorded: JSON, _ produced: JSON, exact: Bool, sink: inout DifferenceSink
  ) -> [ValueDifference] {
    sink.differences = []
    EventComparator.replay(exactTimestamps: exact).compareEvent(
      recorded: recorded, produced: produced, into: &sink)
    return sink.differences
  }

  static func differences(_ recorded: JSON, _ produced: JSON, exact: Bool) -> [ValueDifference] {
    var sink = DifferenceSink()
    return differences(recorded, produced, exact: exact, sink: &sink)
  }

  @Test("Payload texts compare by meaning: member order and white space do not count")
  func payloadsByMeaning() {
    let recorded = Self.event(
      "TaskSucceeded", details: ["output": "{\"b\": 2, \"a\": [1, \"x\"]}", "resource": "invoke"])
    let produced = Self.event(
      "TaskSucceeded", details: ["resource": "invoke", "output": "{\"a\":[1,\"x\"],\"b\":2}"])
    #expect(Self.differences(recorded, produced, exact: true).isEmpty)
    let scalar = Self.event("TaskSucceeded", details: ["output": "\"\\u00e9t\\u00e9\""])
    let written = Self.event("TaskSucceeded", details: ["output": "\"été\""])
    #expect(Self.differences(scalar, written, exact: true).isEmpty)
    let other = Self.event(
      "TaskSucceeded", details: ["output": "{\"a\":[1,\"y\"],\"b\":2}", "resource": "invoke"])
    let found = Self.differences(recorded, other, exact: true)
    #expect(found.map(\.path) == ["/taskSucceededEventDetails/output/a/1"])
    #expect(found.first?.expectedValue == "x")
    #expect(found.first?.actualValue == "y")
  }

  @Test("Timestamps, ids and date-times count only when exact")
  func timestamps() {
    let recorded = Self.event(
      "TaskSucceeded", id: 9, previous: 3, timestamp: "2024-11-18T13:06:54.740Z",
      details: ["output": "{\"at\": \"2024-11-18T13:06:54.606Z\"}"])
    let produced = Self.event(
      "TaskSucceeded", id: 7, previous: 6, timestamp: "2024-11-18T13:06:54.600Z",
      details: ["output": "{\"at\": \"2024-11-18T13:06:54.574Z\"}"])
    #expect(Self.differences(recorded, produced, exact: false).isEmpty)
    let exact = Self.differences(recorded, produced, exact: true)
    #expect(
      exact.map(\.path) == [
        "/taskSucceededEventDetails/output/at", "/timestamp", "/id", "/previousEventId",
      ])
  }

  @Test("The type is compared first, then the details")
  func typeFirst() {
    let recorded = Self.event("TaskSucceeded", details: ["output": "1"])
    let produced = Self.event("TaskFailed", details: ["error": "E"])
    let found = Self.differences(recorded, produced, exact: false)
    #expect(found.first?.path == "/type")
  }

  @Test("Generated identifiers match one to one across events")
  func identifiers() {
    let token = String(repeating: "AAAAKgAAAAMAAAAAAAAAAfwzbC9Z", count: 4)
    let uuid = "0f8e5c52-2b8b-4b6e-9a43-0d8a1b5c3e21"
    var sink = DifferenceSink()
    let first = Self.differences(
      Self.event("TaskSucceeded", details: ["output": .string("{\"token\": \"\(token)\"}")]),
      Self.event("TaskSucceeded", details: ["output": .string("{\"token\": \"\(uuid)\"}")]),
      exact: true, sink: &sink)
    #expect(first.isEmpty)
    #expect(sink.identifiers.producedValue(for: token) == uuid)
    let again = Self.differences(
      Self.event("TaskSucceeded", details: ["output": .string("{\"again\": \"\(token)\"}")]),
      Self.event(
        "TaskSucceeded",
        details: ["output": .string("{\"again\": \"9c1d7e7a-0b1c-4d2e-8f3a-4b5c6d7e8f90\"}")]),
      exact: true, sink: &sink)
    #expect(again.map(\.path) == ["/taskSucceededEventDetails/output/again"])
    #expect(again.first?.note == "the recording uses this identifier where the replay used \(uuid)")
  }

  @Test("Fields some AWS versions write and others do not may be absent on either side")
  func versionDependentMembers() {
    let old: JSON = [
      "timestamp": "2019-01-01T00:00:00Z", "type": "ExecutionStarted", "id": 1,
      "previousEventId": 0,
      "executionStartedEventDetails": ["input": "{}", "roleArn": "r"],
    ]
    let new: JSON = [
      "timestamp": "2019-01-01T00:00:00Z", "type": "ExecutionStarted", "id": 1,
      "previousEventId": 0,
      "executionStartedEventDetails": [
        "input": "{}", "inputDetails": ["truncated": false], "roleArn": "r",
        "stateMachineAliasArn": "arn:aws:states:us-east-1:1:stateMachine:M:prod",
      ],
    ]
    #expect(Self.differences(old, new, exact: true).isEmpty)
    #expect(Self.differences(new, old, exact: true).isEmpty)
    // Conformance keeps every member.
    var sink = DifferenceSink()
    EventComparator.conformance(vocabulary: PlaceholderVocabulary()).compare(
      new["executionStartedEventDetails"] ?? .null, old["executionStartedEventDetails"] ?? .null,
      at: JSONPointer(), key: "executionStartedEventDetails", parentKey: nil, level: .response,
      into: &sink)
    #expect(sink.differences.map(\.path) == ["/inputDetails", "/stateMachineAliasArn"])
  }

  @Test("Recorded strings are literal in replay: corpus placeholders are not wildcards")
  func noPlaceholders() {
    let recorded = Self.event("TaskSucceeded", details: ["output": "{\"when\": \"date\"}"])
    let produced = Self.event("TaskSucceeded", details: ["output": "{\"when\": \"now\"}"])
    #expect(Self.differences(recorded, produced, exact: false).count == 1)
    var sink = DifferenceSink()
    EventComparator.conformance(vocabulary: PlaceholderVocabulary()).compare(
      recorded, produced, at: JSONPointer(), key: nil, parentKey: "events", level: .response,
      into: &sink)
    // (The corpus rewrote every event timestamp to `timestamp`; this one was not.)
    #expect(sink.differences.map(\.path) == ["/timestamp"])
  }
}
