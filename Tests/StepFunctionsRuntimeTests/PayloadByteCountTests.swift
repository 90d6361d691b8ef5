import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

@testable import StepFunctionsRuntime

@Suite("The output size derived from a ResultPath equals the measured size")
struct PayloadByteCountTests {
  static let root: JSON = [
    "name": "vidéo \"1\"", "tags": ["a", "b"], "last": ["step": 0, "deep": ["x": [1, 2, 3]]],
    "list": [["id": 1], ["id": 2]], "empty": [:],
  ]

  static let placements: [(path: String, value: JSON)] = [
    ("$.last", ["step": 1, "label": "video-1-0"]),
    ("$.last.step", 12345),
    ("$.last.deep.x", "replaced"),
    ("$.missing", true),
    ("$.missing.deeper.still", ["new": nil]),
    ("$.empty.first", 1.5),
    ("$.empty.first.second", "x\n"),
    ("$.list[0]", ["id": 10, "more": [1]]),
    ("$.list[-1].id", "two"),
    ("$.list[1].added", []),
    ("$.tags[0]", "longer tag"),
    ("$", ["whole": true]),
  ]

  @Test(
    "Placing a value gives the size of the serialized result",
    arguments: placements.map { "\($0.path) ← \($0.value.serialized())" })
  func derivedSizeMatches(label: String) throws {
    let placement = try #require(Self.placements.first { "\($0.path) ← \($0.value.serialized())" == label })
    let path = try JSONPath(parsing: placement.path)
    let result = try path.assigning(placement.value, into: Self.root)
    let derived = path.byteCountAfterAssigning(
      placement.value, into: Self.root, inputByteCount: Self.root.serializedByteCount)
    #expect(derived == result.serializedByteCount)
  }

  @Test("A path that cannot be applied gives no size")
  func inapplicablePathGivesNil() throws {
    let path = try JSONPath(parsing: "$.tags[5]")
    #expect(path.byteCountAfterAssigning(1, into: Self.root, inputByteCount: Self.root.serializedByteCount) == nil)
  }

  @Test("Running a machine whose states grow the payload still fails at the limit")
  func limitStillApplies() async throws {
    let machine = try StateMachine(
      json: """
        {"StartAt": "A", "States": {
          "A": {"Type": "Pass", "Parameters": {"pad.$": "States.ArrayRange(1, 400, 1)"}, "ResultPath": "$.a", "Next": "B"},
          "B": {"Type": "Pass", "Parameters": {"pad.$": "$.a.pad"}, "ResultPath": "$.b", "Next": "C"},
          "C": {"Type": "Pass", "End": true}}}
        """)
    var options = ExecutionOptions()
    let sizeAfterB = try #require(await machine.run(input: ["x": 1], options: options).output).serializedByteCount
    options.maximumPayloadBytes = sizeAfterB - 1
    let failed = await machine.run(input: ["x": 1], options: options)
    #expect(failed.status == .failed)
    #expect(failed.error == "States.DataLimitExceeded")
    #expect(failed.cause?.contains("'B'") == true)
    options.maximumPayloadBytes = sizeAfterB
    #expect(await machine.run(input: ["x": 1], options: options).status == .succeeded)
  }
}
