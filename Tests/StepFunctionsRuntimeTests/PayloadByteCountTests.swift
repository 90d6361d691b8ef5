import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

@testable import StepFunctionsRuntime

/// The payload limit is checked against a bound carried from state to state; these check that
/// the outcome is exactly what measuring every output would give.
@Suite("The payload limit applies exactly, whatever the executor skips measuring")
struct PayloadByteCountTests {
  static let growing = """
    {"StartAt": "A", "States": {
      "A": {"Type": "Pass", "Parameters": {"pad.$": "States.ArrayRange(1, 400, 1)"}, "ResultPath": "$.a", "Next": "B"},
      "B": {"Type": "Pass", "Parameters": {"pad.$": "$.a.pad"}, "ResultPath": "$.b", "Next": "C"},
      "C": {"Type": "Pass", "End": true}}}
    """

  @Test("An output one byte over the limit fails the state that produced it")
  func limitStillApplies() async throws {
    let machine = try StateMachine(json: Self.growing)
    var options = ExecutionOptions()
    let sizeAfterB = try #require(await machine.run(input: ["x": 1], options: options).output)
      .serializedByteCount
    options.maximumPayloadBytes = sizeAfterB - 1
    let failed = await machine.run(input: ["x": 1], options: options)
    #expect(failed.status == .failed)
    #expect(failed.error == "States.DataLimitExceeded")
    #expect(failed.cause?.contains("'B'") == true)
    options.maximumPayloadBytes = sizeAfterB
    #expect(await machine.run(input: ["x": 1], options: options).status == .succeeded)
  }

  @Test("Replacing the same member many times does not add up towards the limit")
  func replacementsDoNotAccumulate() async throws {
    var states = JSONObject()
    for number in 1...40 {
      var state: JSONObject = [
        "Type": "Pass",
        "Parameters": [
          "step": .number(JSONNumber(number)), "text": "0123456789012345678901234567890123456789",
        ],
        "ResultPath": "$.last",
      ]
      if number < 40 { state["Next"] = .string("S\(number + 1)") } else { state["End"] = true }
      states.append(key: "S\(number)", value: .object(state))
    }
    let definition: JSON = ["StartAt": "S1", "States": .object(states)]
    let machine = try StateMachine(json: definition.serialized())
    var options = ExecutionOptions()
    let output = try #require(await machine.run(input: ["name": "n"], options: options).output)
    // Forty replacements of a ~60-byte member: far more than the limit if they were summed.
    options.maximumPayloadBytes = output.serializedByteCount + 5
    let result = await machine.run(input: ["name": "n"], options: options)
    #expect(result.status == .succeeded)
    #expect(result.output == output)
    // The first state's output is one byte shorter than the last's ("1" against "40").
    options.maximumPayloadBytes = output.serializedByteCount - 2
    let failed = await machine.run(input: ["name": "n"], options: options)
    #expect(failed.error == "States.DataLimitExceeded")
    #expect(failed.cause?.contains("'S1'") == true)
  }

  @Test("A pass-through state keeps an input that is exactly at the limit")
  func passThroughAtTheLimit() async throws {
    let machine = try StateMachine(
      json:
        #"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": true}}}"#
    )
    let input: JSON = ["text": "abcdefghij"]
    var options = ExecutionOptions()
    options.maximumPayloadBytes = input.serializedByteCount
    #expect(await machine.run(input: input, options: options).status == .succeeded)
    options.maximumPayloadBytes = input.serializedByteCount - 1
    let failed = await machine.run(input: input, options: options)
    #expect(failed.error == "States.DataLimitExceeded")
  }
}

@Suite("Placing by member names matches the general ResultPath assignment")
struct NamePlacementTests {
  static let roots: [JSON] = [
    ["name": "v", "last": ["step": 0, "deep": ["x": 1]], "text": "t", "none": nil, "list": [1]],
    [:], "not an object", [1, 2],
  ]
  static let paths = [
    "$.last", "$.last.step", "$.last.deep.x", "$.new", "$.new.deeper.still", "$.text.x", "$.none.x",
    "$.list.x",
  ]

  @Test("The result, or the failure, is the same", arguments: paths)
  func sameAsAssigning(pathText: String) throws {
    let path = try JSONPath(parsing: pathText)
    let names = path.segments.compactMap { segment -> String? in
      if case .name(let key) = segment { return key }
      return nil
    }
    let value: JSON = ["placed": [true, "x"]]
    for root in Self.roots {
      var placed = root
      let succeeded = JSONPath.place(value, into: &placed, names: names[...])
      let expected = try? path.assigning(value, into: root)
      #expect(succeeded == (expected != nil), "\(pathText) on \(root)")
      if succeeded { #expect(placed == expected, "\(pathText) on \(root)") }
      if let expected {
        #expect(placed.serialized() == expected.serialized(), "member order for \(pathText)")
      }
    }
  }
}
