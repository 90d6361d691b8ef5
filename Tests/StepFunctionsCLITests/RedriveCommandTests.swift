import StepFunctions
import StepFunctionsCLI
import Testing

@Suite("sfn redrive")
struct RedriveCommandTests {
  /// Times out in its second Wait (at 10 s); a redrive counts the timeout again from the
  /// redrive, so the second Wait then finishes.
  static let definition = """
    {"TimeoutSeconds": 10, "StartAt": "Short", "States": {
      "Short": {"Type": "Wait", "Seconds": 5, "Next": "Long"},
      "Long": {"Type": "Wait", "Seconds": 8, "Next": "Done"},
      "Done": {"Type": "Pass", "Parameters": {"count.$": "$$.Execution.RedriveCount"},
        "End": true}}}
    """

  /// What `sfn run --history-out` writes for `definition`.
  static func recordedHistory(_ definition: String = definition) async throws -> String {
    let written = WrittenFiles()
    let result = await runSFN(
      ["run", "waits.asl.json", "--history-out", "h.json"],
      context: writingContext(["waits.asl.json": definition], into: written))
    #expect(result.status == 1)
    return try #require(written["h.json"])
  }

  @Test("A timed-out execution is redriven at the state it stopped in and exits 0")
  func succeeds() async throws {
    let history = try await Self.recordedHistory()
    let result = await runSFN(
      ["redrive", "waits.asl.json", "h.json"],
      files: ["waits.asl.json": Self.definition, "h.json": history])
    #expect(result.status == 0)
    #expect(result.error.isEmpty)
    #expect(
      result.output == """
        h.json: redrive 1 at 2025-01-01T00:00:10.000Z, after 5 recorded events
        0:00.000  → Long (Wait)
        0:08.000  → Done (Pass)

        SUCCEEDED after 0:08.000 of execution time, 2 state transitions
        {
          "count": 1
        }

        """)
  }

  @Test("--format json adds redriveCount; --history-out writes a history that redrives again")
  func jsonAndHistoryOut() async throws {
    let definition = Self.definition.replacingOccurrences(
      of: "\"Seconds\": 8", with: "\"Seconds\": 18")
    let history = try await Self.recordedHistory(definition)
    let written = WrittenFiles()
    let files = ["waits.asl.json": definition, "h.json": history]
    let first = await runSFN(
      ["redrive", "waits.asl.json", "h.json", "--format", "json", "--history-out", "h2.json"],
      context: writingContext(files, into: written))
    #expect(first.status == 1)
    let object = try JSONParser.parse(Array(first.output.utf8))
    #expect(object["status"] == "TIMED_OUT")
    #expect(object["redriveCount"] == 1)
    let second = await runSFN(
      [
        "redrive", "waits.asl.json", "h2.json", "--format", "json", "--history",
        "--redrive-time", "2025-01-02T00:00:00Z",
      ],
      files: ["waits.asl.json": definition, "h2.json": try #require(written["h2.json"])])
    let again = try JSONParser.parse(Array(second.output.utf8))
    #expect(again["redriveCount"] == 2)
    let types = again["events"]?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? []
    #expect(types.filter { $0 == "ExecutionRedriven" }.count == 2)
    #expect(types.first == "ExecutionStarted")
  }

  @Test("A SUCCEEDED history is refused as AWS refuses it, with exit 1")
  func refusesSucceeded() async throws {
    let definition = """
      {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": true}}}
      """
    let written = WrittenFiles()
    _ = await runSFN(
      ["run", "ok.asl.json", "--history-out", "h.json"],
      context: writingContext(["ok.asl.json": definition], into: written))
    let result = await runSFN(
      ["redrive", "ok.asl.json", "h.json"],
      files: ["ok.asl.json": definition, "h.json": try #require(written["h.json"])])
    #expect(result.status == 1)
    #expect(
      result.error
        == "sfn: error: h.json: cannot redrive: ExecutionNotRedrivable: Execution is SUCCEEDED and cannot be redriven\n"
    )
    #expect(result.output.isEmpty)
  }

  @Test(
    "An unreadable or unusable history exits 65 with the reason",
    arguments: [
      ("missing.json", "cannot read 'missing.json'"),
      ("garbage.json", "garbage.json:1:1: error:"),
      ("empty.json", "cannot redrive: The history has no events."),
    ])
  func unreadable(_ file: String, _ message: String) async throws {
    let result = await runSFN(
      ["redrive", "waits.asl.json", file],
      files: [
        "waits.asl.json": Self.definition, "garbage.json": "not json",
        "empty.json": #"{"events": []}"#,
      ])
    #expect(result.status == 65)
    #expect(result.error.contains(message), "\(result.error)")
  }

  @Test(
    "A bad command line exits 64",
    arguments: [
      (["redrive", "waits.asl.json"], "Missing"),
      (
        ["redrive", "waits.asl.json", "h.json", "--input-overrides", "{}"],
        "RedriveExecution takes no new input"
      ),
      (["redrive", "waits.asl.json", "h.json", "--redrive-time", "yesterday"], "--redrive-time"),
      (["redrive", "waits.asl.json", "h.json", "--seed", "-1"], "--seed"),
    ])
  func usage(_ arguments: [String], _ message: String) async throws {
    let result = await runSFN(
      arguments, files: ["waits.asl.json": Self.definition, "h.json": "{}"])
    #expect(result.status == 64)
    #expect(result.error.contains(message), "\(result.error)")
  }

  @Test("sfn --help lists redrive, and sfn redrive --help describes it")
  func help() async {
    let top = await runSFN(["--help"])
    #expect(top.output.contains("redrive"))
    let own = await runSFN(["redrive", "--help"])
    #expect(own.status == 0)
    #expect(own.output.contains("RedriveExecution"))
    #expect(own.output.contains("--input-overrides"))
  }

  @Test("A history written by sfn redrive --history-out replays as matched with sfn replay")
  func redrivenHistoryReplays() async throws {
    let history = try await Self.recordedHistory()
    let written = WrittenFiles()
    let redriven = await runSFN(
      ["redrive", "waits.asl.json", "h.json", "--history-out", "h2.json"],
      context: writingContext(
        ["waits.asl.json": Self.definition, "h.json": history], into: written))
    #expect(redriven.status == 0)
    let whole = try #require(written["h2.json"])
    let count = try ExecutionHistory(importing: Array(whole.utf8)).count
    let replay = await runSFN(
      ["replay", "waits.asl.json", "h2.json"],
      files: ["waits.asl.json": Self.definition, "h2.json": whole])
    #expect(replay.status == 0, "\(replay.output)\(replay.error)")
    #expect(replay.output == "h2.json: matched (\(count) events)\n")
  }

  @Test("A failed distributed Map is redriven as its Map Run: MapRunRedriven with the same ARN")
  func distributedMapRunRedriven() async throws {
    let definition = """
      {"StartAt": "Fan", "States": {"Fan": {"Type": "Map", "End": true,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
          "StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Item.Bad"}}}}}}
      """
    let written = WrittenFiles()
    let run = await runSFN(
      ["run", "fan.asl.json", "--input", "[1, 2]", "--history-out", "h.json"],
      context: writingContext(["fan.asl.json": definition], into: written))
    #expect(run.status == 1)
    let history = try #require(written["h.json"])
    let result = await runSFN(
      ["redrive", "fan.asl.json", "h.json", "--format", "json", "--history"],
      files: ["fan.asl.json": definition, "h.json": history])
    #expect(result.status == 1)
    let object = try JSONParser.parse(Array(result.output.utf8))
    let events = object["events"]?.arrayValue ?? []
    let started = events.first { $0["type"] == "MapRunStarted" }
    let redriven = events.first { $0["type"] == "MapRunRedriven" }
    let arn = try #require(started?["mapRunStartedEventDetails"]?["mapRunArn"])
    #expect(redriven?["mapRunRedrivenEventDetails"] == ["mapRunArn": arn, "redriveCount": 1])
    #expect(events.filter { $0["type"] == "MapRunStarted" }.count == 1)
  }
}
