import StepFunctionsJSON
import Testing

@testable import StepFunctionsRuntime

@Suite("Executor: where run is awaited from does not change the result")
struct ExecutorCallerIsolationTests {
  static let passOnly = #"""
    {"StartAt": "A", "States": {
      "A": {"Type": "Pass", "Parameters": {"id.$": "States.UUID()", "name.$": "$$.Execution.Name"}, "Next": "B"},
      "B": {"Type": "Map", "ItemsPath": "$$.Execution.Input", "ResultPath": "$.items", "End": true,
        "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": true}}}}}}
    """#

  static func run(_ machine: StateMachine) async -> ExecutionResult {
    var options = ExecutionOptions()
    options.seed = 3
    options.handlers.registerFallback(
      ClosureTaskHandler { request, _ in ["state": .string(request.stateName)] })
    return await machine.run(input: [1, 2], options: options)
  }

  @MainActor static func runOnMainActor(_ machine: StateMachine) async -> ExecutionResult {
    await run(machine)
  }

  @Test(
    "A machine with and without task handlers gives the same bytes from the main actor and from a nonisolated context",
    arguments: [passOnly, ExecutorDeterminismTests.randomMachine])
  func sameResult(definition: String) async throws {
    let machine = try Executor.machine(definition)
    let nonisolated = await ExecutorCallerIsolationTests.run(machine)
    let onMainActor = await ExecutorCallerIsolationTests.runOnMainActor(machine)
    #expect(nonisolated.status == .succeeded, "\(nonisolated.summary)")
    #expect(nonisolated.history.count > 4)
    #expect(nonisolated.output?.serialized() == onMainActor.output?.serialized())
    #expect(
      nonisolated.history.awsJSON.serialized() == onMainActor.history.awsJSON.serialized())
    #expect(nonisolated.executionArn == onMainActor.executionArn)
  }

  @Test(
    "A machine calls handlers when a Task, or a Map that reads items or starts children, is anywhere in it"
  )
  func callsHandlers() throws {
    #expect(try !Executor.machine(ExecutorCallerIsolationTests.passOnly).callsHandlers)
    #expect(try Executor.machine(ExecutorDeterminismTests.randomMachine).callsHandlers)
    let nested = #"""
      {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}]}}}
      """#
    #expect(try Executor.machine(nested).callsHandlers)
  }
}
