import StepFunctions
import StepFunctionsTesting
import Testing

@Suite("WorkflowTest.handling(state:with:)")
struct StateHandlerTests {
  /// Two states on the same integration, the second inside a Map.
  static let definition = """
    {"StartAt": "First", "States": {
      "First": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "ResultPath": "$.first", "Next": "Each"},
      "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.each", "End": true,
               "ItemProcessor": {"StartAt": "Second", "States": {
                 "Second": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                            "End": true}}}}}}
    """

  static let input: JSON = ["items": [1, 2, 3]]

  @Test("A state handler answers its state only; the other states keep the integration's handler")
  func oneStateOnly() async throws {
    let second = RecordingHandler(wrapping: ScriptedHandler(.returning("from state handler")))
    let run = await WorkflowTest(try StateMachine(json: Self.definition))
      .handling("lambda:invoke", with: ScriptedHandler(.returning("from integration")))
      .handling(state: "Second", with: second)
      .run(input: Self.input)
    run.expectSucceeded()
    #expect(run.output?["first"] == "from integration")
    #expect(
      run.output?["each"]
        == ["from state handler", "from state handler", "from state handler"])
    #expect(second.calls.count == 3)
    #expect(Set(second.calls.map(\.stateName)) == ["Second"])
  }

  @Test("A state handler takes precedence over a mock test case's mock of the same state")
  func precedenceOverMocks() async throws {
    let run = await WorkflowTest(try StateMachine(json: Self.definition))
      .mocking(
        MockTestCase(
          name: "Both",
          mocks: [
            .init(
              stateName: "First",
              response: MockedResponse(
                name: "FirstMock", entries: [.init(invocations: 0...0, outcome: .return("mock"))])),
            .init(
              stateName: "Second",
              response: MockedResponse(
                name: "SecondMock", entries: [.init(invocations: 0...2, outcome: .return("mock"))])
            ),
          ])
      )
      .handling(state: "Second", with: ScriptedHandler(.returning("code")))
      .run(input: Self.input)
    run.expectSucceeded()
    #expect(run.output?["first"] == "mock")
    #expect(run.output?["each"] == ["code", "code", "code"])
    #expect(run.mockInvocations.map(\.stateName) == ["First"])
  }

  @Test("A state handler's failure drives the state's retriers and catchers")
  func failureIsATaskFailure() async throws {
    let machine = try StateMachine(
      json: """
        {"StartAt": "Call", "States": {
          "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 1, "MaxAttempts": 1}],
                   "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": true},
          "Caught": {"Type": "Pass", "End": true}}}
        """)
    let run = await WorkflowTest(machine)
      .handling(state: "Call", with: ScriptedHandler(.throwing("Busy", cause: "try later")))
      .run()
    run.expectSucceeded()
    run.expectPath(["Call", "Caught"])
    #expect(run.history.events.filter { $0.type == "TaskFailed" }.count == 2)
  }
}
