import StepFunctions
import StepFunctionsReplay
import Testing

@Suite("Replay: a distributed Map's ItemReader")
struct ItemReaderReplayTests {
  /// A Task calling `s3:getObject` itself, then a Map whose ItemReader calls it too.
  static let definition = #"""
    {"StartAt": "Peek", "States": {
      "Peek": {"Type": "Task", "Resource": "arn:aws:states:::s3:getObject",
        "Parameters": {"Bucket": "b", "Key": "peek"}, "ResultPath": "$.peek", "Next": "Fan"},
      "Fan": {"Type": "Map", "End": true,
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
          "Parameters": {"Bucket": "b", "Key": "items.json"}, "ReaderConfig": {"InputType": "JSON"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
          "StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true}}}}}}
    """#

  static func bucket(_ items: String) -> TaskHandlerRegistry {
    handlers { request, _ in
      let key = request.parameters["Key"]?.stringValue ?? ""
      return ["Body": .string(key == "items.json" ? items : "peeked")]
    }
  }

  @Test("With reader handlers, the Map reads through them and the replay matches")
  func withHandlers() async throws {
    let machine = try compile(Self.definition)
    let recorded = await record(machine, handlers: Self.bucket("[1, 2]"))
    #expect(recorded.status == .succeeded)
    var options = ReplayOptions()
    options.itemReaderHandlers = Self.bucket("[1, 2]")
    // The iterations run only Pass states: no child-execution handler is needed to compare past
    // MapRunStarted.
    options.childExecutionHandlers = TaskHandlerRegistry()
    let replayed = try await machine.replayResult(for: recorded.history, options: options)
    #expect(replayed.execution?.output == [1, 2])
    #expect(replayed.report.isMatched, "\(replayed.report)")
  }

  @Test("The Task calling the same resource still gets its recorded result, not the handler's")
  func tasksKeepRecordedResults() async throws {
    let machine = try compile(Self.definition)
    let recorded = await record(machine, handlers: Self.bucket("[1]"))
    var options = ReplayOptions()
    options.itemReaderHandlers = handlers { _, _ in ["Body": "[7]"] }
    let replayed = try await machine.replayResult(for: recorded.history, options: options)
    let events = replayed.execution?.history.events ?? []
    let taskOutput = events.first { $0.type == "TaskSucceeded" }
    #expect(taskOutput?.awsJSON["taskSucceededEventDetails"]?["output"] == #"{"Body":"peeked"}"#)
    // The reader's items changed, so the replayed output differs from the recording.
    #expect(replayed.execution?.output == [7])
    #expect(!replayed.report.isMatched)
  }

  @Test("Without reader handlers the Map Run fails, saying where to give them")
  func withoutHandlers() async throws {
    let machine = try compile(Self.definition)
    let recorded = await record(machine, handlers: Self.bucket("[1]"))
    let replayed = try await machine.replayResult(for: recorded.history)
    let execution = try #require(replayed.execution)
    #expect(execution.error == "States.ItemReaderFailed")
    #expect(
      execution.cause
        == "Replay.NoRecordedInvocation: AWS records no event for what the ItemReader of the Map state 'Fan' read, and no handler answers 'arn:aws:states:::s3:getObject' (give one in ReplayOptions.itemReaderHandlers)."
    )
  }
}
