import StepFunctions
import StepFunctionsTesting
import Testing

/// Which handler state runs of one `WorkflowTest` share, and how `handlers(eachRun:)` keeps
/// them apart.
@Suite("WorkflowTest: handler state between runs")
struct WorkflowTestIsolationTests {
  static let definition =
    #"{"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}"#

  /// A handler whose script has one answer and then fails, so a second call shows sharing.
  static func oneShot() -> ScriptedHandler {
    ScriptedHandler([.returning(["answer": 1])], whenExhausted: .fail)
  }

  @Test("Handlers given once are shared by every run of the value")
  func sharedHandlers() async throws {
    let base = WorkflowTest(try StateMachine(json: Self.definition))
      .handling("lambda:invoke", with: Self.oneShot())
    let first = await base.run()
    let second = await base.run()
    #expect(first.status == .succeeded)
    #expect(second.status == .failed)
    #expect(second.error == "States.TaskFailed")
  }

  @Test("Handlers built for each run give every run the same result")
  func freshHandlersPerRun() async throws {
    let base = WorkflowTest(try StateMachine(json: Self.definition))
      .handlers(eachRun: {
        var registry = TaskHandlerRegistry()
        registry.register(Self.oneShot(), forIntegration: "lambda:invoke")
        return registry
      })
    let runs = [await base.run(), await base.run(), await base.run()]
    #expect(runs.map(\.status) == [.succeeded, .succeeded, .succeeded])
    #expect(runs.map(\.output) == [["answer": 1], ["answer": 1], ["answer": 1]])
    #expect(Set(runs.map { $0.history.events.map(\.type) }).count == 1)
  }

  @Test("Handlers given with handlers(_:) take precedence over the ones built for each run")
  func fixedHandlersWin() async throws {
    let run = await WorkflowTest(try StateMachine(json: Self.definition))
      .handling("lambda:invoke", with: ScriptedHandler(.returning("fixed")))
      .handlers(eachRun: {
        var registry = TaskHandlerRegistry()
        registry.register(ScriptedHandler(.returning("fresh")), forIntegration: "lambda:invoke")
        registry.register(ScriptedHandler(.returning("other")), forIntegration: "sns:publish")
        return registry
      })
      .run()
    #expect(run.output == "fixed")
  }

  @Test("Mocked states still use the test case's mocks with handlers built for each run")
  func mocksOverFreshHandlers() async throws {
    let run = await WorkflowTest(try StateMachine(json: Self.definition))
      .handlers(eachRun: {
        var registry = TaskHandlerRegistry()
        registry.register(ScriptedHandler(.returning("handler")), forIntegration: "lambda:invoke")
        return registry
      })
      .mocking(mockCase("Call", [(0...0, .return("mocked"))]))
      .run()
    #expect(run.output == "mocked")
  }
}
