import CorpusSupport
import Foundation
import StepFunctions
import StepFunctionsCLI
import Testing

@Suite("sfn replay")
struct ReplayCommandTests {
  static let definition = """
    {"StartAt": "Fetch", "States": {
      "Fetch": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "fetch", "Payload.$": "$"}, "OutputPath": "$.Payload",
        "Next": "Route"},
      "Route": {"Type": "Choice", "Choices": [
        {"Variable": "$.ok", "BooleanEquals": true, "Next": "Publish"}],
        "Default": "ManualReview"},
      "ManualReview": {"Type": "Pass", "Next": "Publish"},
      "Publish": {"Type": "Pass", "End": true}}}
    """

  /// What `sfn run --format json --history` prints for the definition: the Lambda answers
  /// `{"ok": false}`.
  static func recordedRun() async throws -> String {
    let machine = try StateMachine(json: definition)
    var options = ExecutionOptions()
    options.stateMachineName = "review"
    options.handlers.register(
      ClosureTaskHandler { _, context in
        try await context.sleep(seconds: 4)
        return ["Payload": ["ok": false]]
      }, forIntegration: "lambda:invoke")
    let result = await machine.run(input: ["id": 1], options: options)
    return JSONSerializer(style: .pretty).string(RunCommand.json(result, includesHistory: true))
  }

  @Test("A history of the same definition replays as matched and exits 0")
  func matched() async throws {
    let history = try await Self.recordedRun()
    let result = await runSFN(
      ["replay", "review.asl.json", "h.json"],
      files: ["review.asl.json": Self.definition, "h.json": history])
    #expect(result.status == 0)
    #expect(result.error.isEmpty)
    #expect(result.output == "h.json: matched (13 events)\n")
  }

  @Test("With --coverage the replays' coverage follows the results, in text and in JSON")
  func coverage() async throws {
    let history = try await Self.recordedRun()
    let files = ["review.asl.json": Self.definition, "h.json": history]
    let text = await runSFN(["replay", "review.asl.json", "h.json", "--coverage"], files: files)
    #expect(text.status == 0)
    #expect(
      text.output == """
        h.json: matched (13 events)

        Coverage of review (1 execution):
          states              4/4  100%
          choice rules        1/2  50%
          retriers            0/0  100%
          catchers            0/0  100%
          branches            0/0  100%
          Fail states         0/0  100%
          uncovered:
            choice rule 0 of Route → Publish

        """)
    let json = await runSFN(
      ["replay", "review.asl.json", "h.json", "--coverage", "--format", "json"], files: files)
    let report = try JSON(parsing: json.output)
    #expect(report["histories"]?[0]?["result"] == "matched")
    #expect(report["coverage"]?["stateMachines"]?[0]?["name"] == "review")
    #expect(
      report["coverage"]?["stateMachines"]?[0]?["summary"]?["choiceRules"]
        == ["covered": 1, "total": 2, "percent": 50])
  }

  @Test("A changed definition prints the divergence with a short diff and exits 1")
  func diverged() async throws {
    let history = try await Self.recordedRun()
    let changed = Self.definition.replacingOccurrences(
      of: "\"BooleanEquals\": true", with: "\"BooleanEquals\": false")
    let result = await runSFN(
      ["replay", "review.asl.json", "h.json"],
      files: ["review.asl.json": changed, "h.json": history])
    #expect(result.status == 1)
    #expect(
      result.output == """
        h.json: diverged at event 9 (PassStateEntered of `ManualReview`)
          the definition now enters `Publish` where the recorded execution entered `ManualReview`
          at /stateEnteredEventDetails/name
          - recorded: "ManualReview"
          + replayed: "Publish"

        """)
  }

  @Test("--format json prints one object per history")
  func json() async throws {
    let history = try await Self.recordedRun()
    let changed = Self.definition.replacingOccurrences(of: "\"fetch\"", with: "\"refetch\"")
    let one = await runSFN(
      ["replay", "--format", "json", "review.asl.json", "h.json"],
      files: ["review.asl.json": changed, "h.json": history])
    #expect(one.status == 1)
    let object = try JSONParser.parse(Array(one.output.utf8))
    #expect(object["history"] == "h.json")
    #expect(object["result"] == "diverged")
    #expect(object["eventsCompared"] == 2)
    #expect(object["limit"] == .null)
    let divergence = try #require(object["divergence"])
    #expect(divergence["eventId"] == 3)
    #expect(divergence["type"] == "TaskScheduled")
    #expect(divergence["state"] == "Fetch")
    #expect(divergence["pointer"] == "/taskScheduledEventDetails/parameters/FunctionName")
    #expect(divergence["expected"] == "fetch")
    #expect(divergence["actual"] == "refetch")
    #expect(
      divergence["message"]?.stringValue?.hasPrefix(
        "the definition now sends different parameters to `Fetch`") == true)

    let two = await runSFN(
      ["replay", "--format", "json", "review.asl.json", "h.json", "h.json"],
      files: ["review.asl.json": Self.definition, "h.json": history])
    #expect(two.status == 0)
    let array = try JSONParser.parse(Array(two.output.utf8))
    #expect(array.arrayValue?.count == 2)
    #expect(array[0]?["result"] == "matched")
    #expect(array[0]?["eventsCompared"] == 13)
    #expect(array[0]?["divergence"] == .null)
  }

  @Test("Several histories end with a summary; an unreadable one makes the exit status 65")
  func severalAndUnreadable() async throws {
    let history = try await Self.recordedRun()
    let result = await runSFN(
      ["replay", "review.asl.json", "h.json", "missing.json", "bad.json"],
      files: [
        "review.asl.json": Self.definition, "h.json": history, "bad.json": "{\"events\": [1]}",
      ])
    #expect(result.status == 65)
    #expect(
      result.output
        == "h.json: matched (13 events)\n\n3 histories: 1 matched, 0 diverged, 2 unreadable\n")
    #expect(
      result.error == """
        sfn: error: cannot read 'missing.json': No such file or directory
        bad.json:1:13: error: event (events[0]) at /events/0: an event must be an object, not the number 1 [wrongType]

        """)
  }

  @Test("--trace prints each replayed execution before its verdict")
  func trace() async throws {
    let history = try await Self.recordedRun()
    let result = await runSFN(
      ["replay", "--trace", "review.asl.json", "h.json"],
      files: ["review.asl.json": Self.definition, "h.json": history])
    #expect(result.status == 0)
    #expect(
      result.output.hasPrefix(
        "h.json: replayed trace\n0:00.000  → Fetch (Task)\n0:04.000  → Route (Choice)\n"))
    #expect(result.output.hasSuffix("\n\nh.json: matched (13 events)\n"))
    let both = await runSFN(["replay", "--trace", "--format", "json", "a", "b"])
    #expect(both.status == 64)
    #expect(
      both.error.hasPrefix(
        "Error: '--trace' prints text: it cannot be combined with '--format json'"))
  }

  @Test("A history with a truncated payload is incomplete, not diverged, and exits 1")
  func truncated() async throws {
    let run = try JSONParser.parse(Array(try await Self.recordedRun().utf8))
    guard case .object(var object) = run, case .array(var events)? = object["events"],
      case .object(var event) = events[4], event["type"] == "TaskSucceeded",
      case .object(var details)? = event["taskSucceededEventDetails"]
    else {
      Issue.record("unexpected history shape")
      return
    }
    details["output"] = "{\"Payload\":{\"o"
    details["outputDetails"] = ["truncated": true]
    event["taskSucceededEventDetails"] = .object(details)
    events[4] = .object(event)
    object["events"] = .array(events)
    let files = ["review.asl.json": Self.definition, "h.json": JSON.object(object).serialized()]

    let text = await runSFN(["replay", "review.asl.json", "h.json"], files: files)
    #expect(text.status == 1)
    #expect(
      text.output
        == "h.json: cannot replay exactly past event 4: event 5 (TaskSucceeded of `Fetch`) has a truncated output in the history (4 events matched)\n"
    )
    let json = await runSFN(
      ["replay", "review.asl.json", "h.json", "--format", "json"], files: files)
    let report = try JSONParser.parse(Array(json.output.utf8))
    #expect(report["result"] == "incomplete")
    #expect(report["eventsCompared"] == 4)
    #expect(report["divergence"] == .null)
    #expect(report["limit"]?["eventId"] == 5)
    #expect(report["limit"]?["reason"] == "truncatedPayload")
    #expect(report["limit"]?["members"] == ["output"])
  }

  @Test("An unreadable or invalid definition exits 65; a missing history argument 64")
  func usage() async throws {
    let missing = await runSFN(["replay", "nowhere.json", "h.json"])
    #expect(missing.status == 65)
    #expect(missing.error.hasPrefix("sfn: error: cannot read 'nowhere.json'"))
    let invalid = await runSFN(
      ["replay", "bad.asl.json", "h.json"],
      files: ["bad.asl.json": "{\"StartAt\": \"X\"}", "h.json": "[]"])
    #expect(invalid.status == 65)
    let usage = await runSFN(["replay", "review.asl.json"])
    #expect(usage.status == 64)
    #expect(usage.error.hasPrefix("Error: Missing expected argument '<history> ...'"))
    let format = await runSFN(["replay", "--format", "yaml", "a", "b"])
    #expect(format.status == 64)
  }

  @Test("Histories that cannot be replayed say why and exit 65")
  func unreplayable() async throws {
    let result = await runSFN(
      ["replay", "review.asl.json", "empty.json", "timeless.json"],
      files: [
        "review.asl.json": Self.definition, "empty.json": "{\"events\": []}",
        "timeless.json": "[{\"type\": \"ExecutionStarted\", \"id\": 1}]",
      ])
    #expect(result.status == 65)
    #expect(
      result.error == """
        sfn: error: empty.json: cannot replay: The history has no events.
        timeless.json:1:2: error: event 1 (ExecutionStarted, events[0]) at /0: the event has no "timestamp" [missingMember]

        """)
  }

  @Test(
    "A history recorded on AWS replays against its definition",
    .requiresCorpus)
  func awsHistory() async throws {
    let folder = try #require(Corpus.url("histories/rider-state-choice-dynamodb-sqs-fail"))
    let definition = folder.appendingPathComponent("definition.asl.json").path
    let history = folder.appendingPathComponent("history.json").path
    let context = CommandContext.system(environment: [:])
    let result = await runSFN(["replay", definition, history], context: context)
    #expect(result.error.isEmpty)
    #expect(result.output == "\(history): matched (17 events)\n")
    #expect(result.status == 0)

    // The same history with epoch-second timestamps, as older CLI versions print them.
    let text = try String(contentsOfFile: history, encoding: .utf8)
    var document = try JSONParser.parse(Array(text.utf8))
    if case .array(var events)? = document["events"] {
      for index in events.indices {
        guard case .object(var event) = events[index], let stamp = event["timestamp"]?.stringValue,
          let instant = Instant(rfc3339: stamp)
        else { continue }
        event["timestamp"] = .number(JSONNumber(Double(instant.millisecondsSinceEpoch) / 1000))
        events[index] = .object(event)
      }
      if case .object(var object) = document {
        object["events"] = .array(events)
        document = .object(object)
      }
    }
    let epoch = await runSFN(
      ["replay", "d.json", "h.json"],
      files: [
        "d.json": try String(contentsOfFile: definition, encoding: .utf8),
        "h.json": document.serialized(),
      ])
    #expect(epoch.output == "h.json: matched (17 events)\n")
  }
}
