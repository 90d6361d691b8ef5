import Foundation
import MediaTasks
import StepFunctions
import StepFunctionsTesting
import Testing

/// Section 10 of Docs/TestingAVideoWorkflow.md: the tutorial's workflow written in JSONata
/// (`StateMachines/video-workflow-orchestration.jsonata.asl.json`) behaves as the JSONPath one.
@Suite("The tutorial's workflow in both query languages")
struct TutorialJSONataTests {
  static let machines = TutorialTests.packageRoot.appendingPathComponent("StateMachines")
  static let jsonPath = machines.appendingPathComponent("video-workflow-orchestration.asl.json")
  static let jsonata = machines.appendingPathComponent(
    "video-workflow-orchestration.jsonata.asl.json")
  static let topic = "arn:aws:sns:us-east-1:123456789012:video-workflow-notifications"
  static let jobs = "video-workflow-jobs"

  /// One run of a definition in a fresh world, with what the world kept of it.
  struct Outcome {
    var run: WorkflowRun
    var notifications: [SNSMessage]
    var jobRecords: [JSON]
  }

  static func run(
    _ definition: URL, input: JSON, configure: (WorkflowTest) throws -> WorkflowTest = { $0 }
  ) async throws -> Outcome {
    let world = MediaWorld.sample()
    let test = try configure(
      try WorkflowTest(definitionURL: definition).handlers { $0.merge(world.handlers) })
    let run = await test.run(input: input)
    return Outcome(
      run: run, notifications: world.sns.messages(topicArn: topic),
      jobRecords: world.dynamoDB.items(inTable: jobs))
  }

  /// A notification with its JSON message parsed, so that `1.0` and `1` compare equal.
  static func comparable(_ message: SNSMessage) -> [JSON?] {
    [
      .string(message.subject ?? ""), try? JSON(parsing: message.message), message.attributes,
      message.taskToken.map(JSON.string),
    ]
  }

  /// A DynamoDB item with its `N` attributes as numbers, so that `"1.0"` and `"1"` compare equal.
  static func comparable(_ item: JSON) -> [String: JSON] {
    var attributes: [String: JSON] = [:]
    for key in item.objectValue?.keys ?? [] {
      let value = item[key] ?? .null
      if let text = value["N"]?.stringValue, let number = try? JSON(parsing: text) {
        attributes[key] = ["N": number]
      } else {
        attributes[key] = value
      }
    }
    return attributes
  }

  /// Runs both definitions the same way and checks they agree on everything observable.
  static func expectSameBehaviour(
    input: JSON, configure: (WorkflowTest) throws -> WorkflowTest = { $0 },
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) async throws -> WorkflowRun {
    let old = try await run(jsonPath, input: input, configure: configure)
    let new = try await run(jsonata, input: input, configure: configure)
    #expect(new.run.status == old.run.status, sourceLocation: sourceLocation)
    #expect(new.run.error == old.run.error, sourceLocation: sourceLocation)
    #expect(new.run.cause == old.run.cause, sourceLocation: sourceLocation)
    #expect(new.run.output == old.run.output, sourceLocation: sourceLocation)
    #expect(new.run.stateNames == old.run.stateNames, sourceLocation: sourceLocation)
    // The translation keeps the JSONPath machine's state data, so every state agrees too.
    for (a, b) in zip(old.run.path.steps, new.run.path.steps) {
      #expect(b.input == a.input, "input of \(a.name)", sourceLocation: sourceLocation)
      #expect(b.output == a.output, "output of \(a.name)", sourceLocation: sourceLocation)
    }
    #expect(
      new.run.history.events.map(\.type) == old.run.history.events.map(\.type),
      sourceLocation: sourceLocation)
    // JSONata numbers are JavaScript's: the quality check's `1.0` is written `1` (as AWS does).
    #expect(
      new.notifications.map(Self.comparable) == old.notifications.map(Self.comparable),
      sourceLocation: sourceLocation)
    #expect(
      new.jobRecords.map(Self.comparable) == old.jobRecords.map(Self.comparable),
      sourceLocation: sourceLocation)
    return new.run
  }

  @Test(
    "Every example input gives the same status, output, path, events and service calls",
    arguments: [
      ("input", "SUCCEEDED"), ("human-review", "SUCCEEDED"),
      ("low-quality-rejected", "SUCCEEDED"), ("corrupt-upload-fail", "FAILED"),
      ("missing-upload-fail", "FAILED"), ("not-a-video-fail", "FAILED"),
    ])
  func exampleInputs(name: String, status: String) async throws {
    let file = Self.machines.appendingPathComponent(
      "examples/video-workflow-orchestration.\(name == "input" ? "" : name + ".")input.json")
    let input = try JSON(parsing: Array(try Data(contentsOf: file)))
    let run = try await Self.expectSameBehaviour(input: input)
    #expect(run.status.rawValue == status)
  }

  @Test(
    "Every test case of the mock file gives the same result in both languages",
    arguments: ["TranscodeFails", "BorderlineQuality", "LowQuality"])
  func mockedTestCases(testCase: String) async throws {
    let mocks = try MockConfiguration(
      contentsOf: Self.machines.appendingPathComponent(
        "examples/video-workflow-orchestration.mocks.json"))
    let input: JSON = [
      "bucket": "video-workflow-source-123456789012", "key": "uploads/sample-1080p.mp4",
    ]
    let run = try await Self.expectSameBehaviour(input: input) {
      try $0.mocking(testCase: testCase, in: mocks)
    }
    #expect(!run.mockInvocations.isEmpty)
  }

  @Test("Retries, a timeout and a stand-in state behave the same in both languages")
  func retriesAndTimeouts() async throws {
    let input: JSON = [
      "bucket": "video-workflow-source-123456789012", "key": "uploads/sample-1080p.mp4",
    ]
    let stalled = try await Self.expectSameBehaviour(input: input) {
      $0.handling(
        state: "TranscodeVideo",
        with: ScriptedHandler(.returning(["Job": ["Id": "slow"]]).taking(seconds: 7_300)))
    }
    #expect(stalled.history.events.contains { $0.type == "TaskTimedOut" })
    let rejected = try await Self.expectSameBehaviour(input: input) {
      $0.handling(
        state: "RequestHumanReview",
        with: ScriptedHandler(.throwing("ReviewRejected", cause: "blurry"))
      )
      .handling(
        state: "CheckQuality",
        with: ScriptedHandler(
          .returning([
            "Payload": ["score": 0.7, "threshold": 0.8, "passed": false, "checkedOutputs": []]
          ])))
    }
    #expect(rejected.output?["status"] == "REJECTED")
  }

  @Test("A reviewer who refuses a borderline video has it archived, in both languages")
  func reviewRefused() async throws {
    let input: JSON = [
      "bucket": "video-workflow-source-123456789012", "key": "uploads/sample-1080p.mp4",
    ]
    let refused = try await Self.expectSameBehaviour(input: input) {
      $0.handling(
        state: "RequestHumanReview",
        with: ScriptedHandler(.answeringTaskToken(with: ["approved": false], after: 60))
      )
      .handling(
        state: "CheckQuality",
        with: ScriptedHandler(
          .returning([
            "Payload": ["score": 0.7, "threshold": 0.8, "passed": false, "checkedOutputs": []]
          ])))
    }
    #expect(refused.stateNames.contains("ArchiveRejectedVideo"))
    #expect(refused.output?["status"] == "REJECTED")
  }

  @Test("10. Both query languages publish the same video")
  func bothLanguages() async throws {
    let packageRoot = TutorialTests.packageRoot
    let uploads = "video-workflow-source-123456789012"
    var outputs: [JSON?] = []
    for name in ["video-workflow-orchestration", "video-workflow-orchestration.jsonata"] {
      let world = MediaWorld.sample()
      let run = try await WorkflowTest(
        definitionURL: packageRoot.appendingPathComponent(
          "StateMachines/\(name).asl.json")
      )
      .handlers { $0.merge(world.handlers) }
      .run(input: ["bucket": .string(uploads), "key": "uploads/sample-1080p.mp4"])
      run.expectSucceeded()
      outputs.append(run.output)
    }
    #expect(outputs[0] == outputs[1])
    #expect(outputs[0]?["status"] == "PUBLISHED")
  }
}
