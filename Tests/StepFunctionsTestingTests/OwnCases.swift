import Foundation
import StepFunctions
import StepFunctionsTesting

/// Conformance cases written here, in the corpus's case format, for comparator tests that must
/// not depend on the shared corpus: a definition and input of this project's own, run once by
/// the executor, with the expected result rewritten as the corpus rewrote AWS's recordings
/// (payload texts that start with `{` decoded, event timestamps replaced by `"timestamp"`).
enum OwnCases {
  /// A Map over three items with `Assign` before, inside and after it (22 events).
  static let mapWithAssign = "own_map_with_assign"
  /// A single Fail state with an error and a cause.
  static let failure = "own_failure"

  static let definitions: [String: (definition: String, input: JSON)] = [
    mapWithAssign: (
      """
      {"StartAt": "Remember", "States": {
        "Remember": {"Type": "Pass", "Assign": {"x": 7, "frames": [10, 20, 30]}, "Next": "EachFrame"},
        "EachFrame": {"Type": "Map", "ItemsPath": "$frames", "MaxConcurrency": 1,
          "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Scale",
            "States": {"Scale": {"Type": "Pass", "Assign": {"seen.$": "$x"}, "End": true}}},
          "Next": "Finish"},
        "Finish": {"Type": "Pass", "Assign": {"last.$": "$x"}, "End": true}}}
      """,
      ["video_id": "v-001"]
    ),
    failure: (
      """
      {"StartAt": "Reject", "States": {
        "Reject": {"Type": "Fail", "Error": "UploadRejected", "Cause": "The upload is not a video."}}}
      """,
      ["video_id": "v-002"]
    ),
  ]

  /// The case named `identifier`, built by running its definition.
  static func testCase(_ identifier: String) async throws -> ConformanceCase {
    guard let (text, input) = definitions[identifier] else {
      throw OwnCaseError(message: "no own case named \(identifier)")
    }
    let definition = try JSON(parsing: Array(text.utf8))
    let machine = try StateMachine(json: text)
    let result = await machine.run(input: input)
    let outcome = ConformanceRunner.outcome(of: result, includeEvents: true)
    let expected = ConformanceCase.Expected(
      status: outcome.status, output: outcome.output, error: outcome.error,
      cause: outcome.cause.map { JSON.string($0) },
      events: outcome.events?.map(rewritten))
    return ConformanceCase(
      name: "Tests/StepFunctionsTestingTests/OwnCases.swift::\(identifier)",
      fileURL: URL(fileURLWithPath: "/own-cases/\(identifier).json"), category: .pure,
      usesAssign: text.contains("Assign"), definition: definition, input: input,
      expected: expected)
  }

  /// An event as the corpus stores it.
  static func rewritten(_ event: JSON) -> JSON {
    guard case .object(var object) = event else { return event }
    if object["timestamp"] != nil { object["timestamp"] = "timestamp" }
    for (key, value) in object where key.hasSuffix("EventDetails") {
      guard case .object(var details) = value else { continue }
      for field in ["input", "output", "cause", "parameters", "result"] {
        if let text = details[field]?.stringValue, text.hasPrefix("{"),
          let decoded = try? JSON(parsing: Array(text.utf8))
        {
          details[field] = decoded
        }
      }
      object[key] = .object(details)
    }
    return .object(object)
  }
}

/// A request for an own case that does not exist.
struct OwnCaseError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
