import StepFunctions
import Testing

@Suite("Replay of a distributed Map with a ResultWriter")
struct ResultWriterReplayTests {
  static let definition = """
    {"StartAt": "Fan", "States": {
      "Fan": {"Type": "Map", "End": true,
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
          "Parameters": {"Bucket": "results", "Prefix": "jobs"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
          "StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": true}}}}}}
    """

  @Test(
    "The ResultWriter's writes, which AWS records no event for, are accepted and the replay matches"
  )
  func writesAreAccepted() async throws {
    let machine = try compile(Self.definition)
    var registry = TaskHandlerRegistry()
    registry.register(
      ClosureTaskHandler { _, _ in [:] }, forResource: "arn:aws:states:::s3:putObject")
    let recorded = await record(machine, input: [1, 2], handlers: registry)
    #expect(recorded.status == .succeeded)
    var options = ReplayOptions()
    options.childExecutionHandlers = TaskHandlerRegistry()
    let report = try await machine.replay(recorded.history, options: options)
    #expect(report == .matched(eventsCompared: recorded.history.count), "\(report)")
  }
}
