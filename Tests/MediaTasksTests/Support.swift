import Foundation
import MediaTasks
import StepFunctions
import StepFunctionsTesting
import Testing

/// The package root (three levels above this file).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent()
  .deletingLastPathComponent()

/// The `StateMachines/` folder.
let stateMachinesFolder = packageRoot.appendingPathComponent("StateMachines")

/// Loads `StateMachines/<name>.asl.json`.
func workflow(_ name: String) throws -> StateMachine {
  try StateMachine(contentsOf: stateMachinesFolder.appendingPathComponent("\(name).asl.json"))
}

/// Runs `machine`, the shipped workflow `name`; inside a coverage collection
/// (`ShippedWorkflowCoverageTests`), what it covers is recorded under `name`.
func run(_ machine: StateMachine, as name: String, input: JSON, options: ExecutionOptions) async
  -> ExecutionResult
{
  guard let collector = CoverageCollector.current else {
    return await machine.run(input: input, options: options)
  }
  return await collector.run(machine, as: name, input: input, options: options)
}

/// Runs `StateMachines/<name>.asl.json` (see ``run(_:as:input:options:)``).
func runWorkflow(_ name: String, input: JSON, options: ExecutionOptions) async throws
  -> ExecutionResult
{
  await run(try workflow(name), as: name, input: input, options: options)
}

/// Reads `StateMachines/examples/<file>`.
func exampleInput(_ file: String) throws -> JSON {
  let data = try Data(
    contentsOf: stateMachinesFolder.appendingPathComponent("examples").appendingPathComponent(file))
  return try JSON(parsing: [UInt8](data))
}

/// Options running on `world`'s handlers with a fixed execution name.
func options(_ world: MediaWorld, name: String = "test-execution") -> ExecutionOptions {
  var options = ExecutionOptions()
  options.handlers = world.handlers
  options.executionName = name
  // Inside a coverage collection (`ShippedWorkflowCoverageTests`), runs started from these
  // options record what they cover.
  options.recordsCoverage = CoverageCollector.current != nil
  return options
}

/// Runs a one-state machine whose Task calls `resource` with literal `parameters` (and the
/// given extra Task fields), on `world`.
func call(
  _ resource: String, _ parameters: JSON, world: MediaWorld, extra: JSONObject = [:]
) async throws -> ExecutionResult {
  var task: JSONObject = ["Type": "Task", "Resource": .string(resource), "Parameters": parameters]
  for (key, value) in extra { task[key] = value }
  task["End"] = true
  let definition: JSON = ["StartAt": "Call", "States": ["Call": .object(task)]]
  let machine = try StateMachine(json: definition.serialized())
  return await machine.run(input: [:], options: options(world))
}

/// Seconds of virtual time the execution took.
func elapsedSeconds(_ result: ExecutionResult) -> Double {
  Double(result.stopDate.millisecondsSinceEpoch - result.startDate.millisecondsSinceEpoch) / 1000
}

/// The names of the states entered, in order.
func statesEntered(_ result: ExecutionResult) -> [String] {
  result.history.events.compactMap { event in
    if case .stateEntered(let name, _) = event.details { return name }
    return nil
  }
}

/// The number of events of `type`.
func count(_ type: String, in result: ExecutionResult) -> Int {
  result.history.events.filter { $0.type == type }.count
}

/// The `arn:aws:sns:...` ARN of a topic in the sample account.
func topicArn(_ name: String) -> String { "arn:aws:sns:us-east-1:123456789012:\(name)" }

/// The URL of a queue in the sample account.
func queueUrl(_ name: String) -> String {
  "https://sqs.us-east-1.amazonaws.com/123456789012/\(name)"
}

/// An S3 location from a URI known to be valid in a test.
func location(_ uri: String) throws -> S3Location {
  try #require(S3Location(uri: uri))
}
