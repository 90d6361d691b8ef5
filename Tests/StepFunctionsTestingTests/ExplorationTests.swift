import StepFunctions
import StepFunctionsTesting
import Testing

/// `Exploration` on small machines whose path sets are derived by hand.
@Suite("Exploration: every outcome of a definition")
struct ExplorationTests {
  static func machine(_ json: String) throws -> StateMachine {
    try StateMachine(json: json)
  }

  /// A path as `states | status error | outcomes`, for exact comparisons.
  static func summary(_ path: ExploredPath) -> String {
    path.states.joined(separator: ",") + " | " + path.status.rawValue
      + (path.error.map { " " + $0 } ?? "") + (path.truncatedAt.map { " at " + $0 } ?? "")
      + " | " + path.outcomes.map(\.description).joined(separator: ", ")
  }

  static let retryAndCatch = """
    {"StartAt": "Work", "States": {
      "Work": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work",
        "Retry": [{"ErrorEquals": ["Flaky"], "MaxAttempts": 2, "IntervalSeconds": 1}],
        "Catch": [{"ErrorEquals": ["Fatal"], "Next": "Recover"},
                  {"ErrorEquals": ["States.ALL"], "Next": "Broken"}],
        "Next": "Done"},
      "Recover": {"Type": "Pass", "End": true},
      "Broken": {"Type": "Fail", "Error": "Broken"},
      "Done": {"Type": "Succeed"}}}
    """

  @Test("A Task with a retrier and two catchers has one path per way its errors are handled")
  func retryAndCatchPaths() async throws {
    let report = await Exploration(try Self.machine(Self.retryAndCatch)).run()
    // Flaky: retried twice, then caught by States.ALL. Fatal: caught by its own catcher.
    // States.Timeout and States.TaskFailed: both caught by States.ALL, not retried (one path).
    #expect(
      report.paths.map(Self.summary) == [
        "Work,Done | SUCCEEDED | Work: ok",
        "Work,Broken | FAILED Broken | Work: Flaky ×3 (injected)",
        "Work,Recover | SUCCEEDED | Work: Fatal (injected)",
        "Work,Broken | FAILED Broken | Work: States.Timeout (injected)",
      ])
    #expect(report.unreachableStates.isEmpty)
    #expect(report.isComplete)
    #expect(report.runCount == 4)
  }

  @Test("With every error tried, States.TaskFailed gets a path of its own")
  func everyError() async throws {
    let report = await Exploration(
      try Self.machine(Self.retryAndCatch), mergesEquivalentErrors: false
    ).run()
    #expect(report.paths.count == 5)
    #expect(
      report.paths.last.map(Self.summary)
        == "Work,Broken | FAILED Broken | Work: States.TaskFailed (injected)")
  }

  static let choiceOnResult = """
    {"StartAt": "Score", "States": {
      "Score": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "OutputPath": "$.Payload", "Next": "Good?"},
      "Good?": {"Type": "Choice",
        "Choices": [{"Variable": "$.score", "NumericGreaterThan": 50, "Next": "Publish"}],
        "Default": "Reject"},
      "Publish": {"Type": "Succeed"},
      "Reject": {"Type": "Fail", "Error": "Rejected"}}}
    """

  static func scoring() -> TaskHandlerRegistry {
    var registry = TaskHandlerRegistry()
    registry.register(
      ClosureTaskHandler { request, _ in ["Payload": ["score": request.parameters["score"] ?? 0]] },
      forIntegration: "lambda:invoke")
    return registry
  }

  @Test("A Choice goes the way each input's task result takes it")
  func choiceFollowsTheData() async throws {
    let machine = try Self.machine(Self.choiceOnResult)
    let one = await Exploration(machine, inputs: [["score": 80]], handlers: Self.scoring).run()
    #expect(
      one.paths.map(Self.summary) == [
        "Score,Good?,Publish | SUCCEEDED | Score: ok",
        "Score | FAILED States.Timeout | Score: States.Timeout (injected)",
        "Score | FAILED States.TaskFailed | Score: States.TaskFailed (injected)",
      ])
    #expect(one.unreachableStates == ["Reject"])

    let two = await Exploration(
      machine, inputs: [["score": 80], ["score": 20]], handlers: Self.scoring
    ).run()
    #expect(two.paths.count == 4)
    #expect(two.paths.last.map(Self.summary) == "Score,Good?,Reject | FAILED Rejected | Score: ok")
    #expect(two.paths.last?.inputIndex == 1)
    #expect(two.unreachableStates.isEmpty)
  }

  static let polling = """
    {"StartAt": "Poll", "States": {
      "Poll": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Done?"},
      "Done?": {"Type": "Choice",
        "Choices": [{"Variable": "$.done", "BooleanEquals": true, "Next": "Finished"}],
        "Default": "Poll"},
      "Finished": {"Type": "Succeed"}}}
    """

  static func neverDone() -> TaskHandlerRegistry {
    var registry = TaskHandlerRegistry()
    registry.register(
      ClosureTaskHandler { _, _ in ["done": false] }, forIntegration: "lambda:invoke")
    return registry
  }

  @Test("A loop is cut at the visit limit and reported as TRUNCATED")
  func loopCut() async throws {
    let report = await Exploration(
      try Self.machine(Self.polling), handlers: Self.neverDone, visitLimit: 2
    ).run()
    #expect(
      report.paths.map(Self.summary) == [
        "Poll,Done?,Poll,Done?,Poll | TRUNCATED at Poll | Poll: ok, Poll: ok",
        "Poll,Done?,Poll | FAILED States.Timeout | Poll: ok, Poll: States.Timeout (injected)",
        "Poll,Done?,Poll | FAILED States.TaskFailed | Poll: ok, Poll: States.TaskFailed (injected)",
        "Poll | FAILED States.Timeout | Poll: States.Timeout (injected)",
        "Poll | FAILED States.TaskFailed | Poll: States.TaskFailed (injected)",
      ])
    #expect(report.unreachableStates == ["Finished"])
  }

  @Test("A loop of states without a Task is cut at the visit limit too")
  func loopWithoutTask() async throws {
    let machine = try Self.machine(
      """
      {"StartAt": "Again", "States": {
        "Again": {"Type": "Pass", "Next": "Check"},
        "Check": {"Type": "Choice",
          "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Stopped"}],
          "Default": "Again"},
        "Stopped": {"Type": "Succeed"}}}
      """)
    var options = ExecutionOptions()
    options.maximumHistoryEvents = 200
    let report = await Exploration(machine, visitLimit: 3, options: options).run()
    #expect(
      report.paths.map(Self.summary) == [
        "Again,Check,Again,Check,Again,Check,Again | TRUNCATED at Again | "
      ])
    #expect(report.unreachableStates == ["Stopped"])
  }

  static let parallel = """
    {"StartAt": "Both", "States": {
      "Both": {"Type": "Parallel", "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}},
        {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": true}}}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}], "Next": "Done"},
      "Failed": {"Type": "Pass", "End": true},
      "Done": {"Type": "Succeed"}}}
    """

  @Test("Tasks in Parallel branches are decision points, in the engine's order")
  func parallelBranches() async throws {
    let report = await Exploration(try Self.machine(Self.parallel)).run()
    // A and B each: the answer, States.Timeout, States.TaskFailed (neither catches them; the
    // Parallel does, whatever the name). Both are invoked before either settles: 3 × 3 paths.
    #expect(report.paths.count == 9)
    #expect(report.paths.filter { $0.states.last == "Done" }.count == 1)
    #expect(report.paths.filter { $0.states.last == "Failed" }.count == 8)
    #expect(report.paths.allSatisfy { $0.status == .succeeded })
    #expect(
      report.paths.map { $0.outcomes.map(\.description).joined(separator: ", ") }.contains(
        "A: States.TaskFailed (injected), B: States.Timeout (injected)"))
    #expect(report.unreachableStates.isEmpty)
  }

  static let map = """
    {"StartAt": "Each", "States": {
      "Each": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {
        "ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Work", "States": {
          "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Skipped"}], "End": true},
          "Skipped": {"Type": "Pass", "End": true}}}, "End": true}}}
    """

  @Test("Map iterations past the branching ones repeat the last branching iteration")
  func mapIterations() async throws {
    let machine = try Self.machine(Self.map)
    let input: JSON = ["items": [1, 2, 3]]
    // Work: the answer, or States.Timeout (States.TaskFailed is caught alike).
    let one = await Exploration(machine, inputs: [input]).run()
    #expect(one.paths.count == 2)
    #expect(one.paths.map { $0.states.filter { $0 == "Skipped" }.count } == [0, 3])
    let two = await Exploration(machine, inputs: [input], branchingIterations: 2).run()
    #expect(two.paths.count == 4)
    #expect(two.paths.map { $0.states.filter { $0 == "Skipped" }.count } == [0, 2, 1, 3])
  }

  @Test("A property that holds is not reported; one that does not has its shortest counterexample")
  func properties() async throws {
    let machine = try Self.machine(Self.polling)
    let holds = ExplorationProperty.statusIs([.failed, .truncated])
    let fails = ExplorationProperty.statusIs([.truncated])
    let report = await Exploration(
      machine, handlers: Self.neverDone, properties: [holds, fails], visitLimit: 2
    ).run()
    #expect(report.violations.count == 1)
    let violation = try #require(report.violations.first)
    #expect(violation.property.description == "status TRUNCATED")
    #expect(violation.violatingPathCount == 4)
    // The shortest of the four is the one-state path (the first of them found).
    #expect(
      Self.summary(violation.counterexample)
        == "Poll | FAILED States.Timeout | Poll: States.Timeout (injected)")
  }

  @Test("Properties combine and parse in the --expect language")
  func propertyLanguage() throws {
    let path = ExploredPath(
      states: ["A", "Transcode", "Publish"], outcomes: [], status: .failed, error: "E1")
    let cases: [(String, Bool)] = [
      ("enters Transcode", true),
      ("enters Missing|Publish", true),
      ("ends-in Publish", true),
      ("ends-in Transcode", false),
      ("status SUCCEEDED", false),
      ("status succeeded|FAILED", true),
      ("error E1|E2", true),
      ("not error E1", false),
      ("enters Transcode => enters NotifyFailure|Publish", true),
      ("enters Transcode => enters NotifyFailure", false),
      ("status SUCCEEDED or error E1", true),
      ("enters A and (enters B or enters Transcode)", true),
      (#"enters "A""#, true),
    ]
    for (text, expected) in cases {
      let property = try ExplorationProperty(parsing: text)
      #expect(property.holds(path) == expected, "\(text)")
    }
    #expect(
      try ExplorationProperty(parsing: "enters A  =>  enters B|C").description
        == "enters A => enters B|C")
    #expect(
      try ExplorationProperty(parsing: "enters A and (enters B or enters C)").description
        == "enters A and (enters B or enters C)")
    #expect(
      ExplorationProperty.enters(["Two words"]).or(.errorIs(["E"])).description
        == #"enters "Two words" or error E"#)
    #expect(
      try ExplorationProperty(parsing: "enters Transcode => enters X").stateNames == [
        "Transcode", "X",
      ])
  }

  @Test("A property that does not parse says where")
  func propertySyntaxErrors() {
    let cases: [(String, String)] = [
      (
        "",
        "Expected a condition (enters, ends-in, status, error, not or '('), got the end of the property (at character 1)"
      ),
      (
        "visits A",
        "Unknown condition 'visits'; expected enters, ends-in, status, error, not or '(' (at character 1)"
      ),
      ("enters", "Expected a name after 'enters' (at character 7)"),
      ("enters A|", "Expected a name after '|' (at character 10)"),
      (
        "status DONE",
        "Unknown status 'DONE'; expected one of SUCCEEDED, FAILED, TIMED_OUT, ABORTED, RUNNING, TRUNCATED (at character 8)"
      ),
      ("(enters A", "Expected ')' (at character 10)"),
      ("enters A)", "Unexpected ')' (at character 9)"),
      (#"enters "A"#, "The quoted name is not closed (at character 8)"),
    ]
    for (text, message) in cases {
      #expect(throws: ExplorationPropertySyntaxError.self, "\(text)") {
        try ExplorationProperty(parsing: text)
      }
      do {
        _ = try ExplorationProperty(parsing: text)
      } catch {
        #expect(error.description == message, "\(text)")
      }
    }
    let deep = String(repeating: "not ", count: 100) + "enters A"
    #expect(throws: ExplorationPropertySyntaxError.self) { try ExplorationProperty(parsing: deep) }
  }

  @Test("Two explorations of the same machine give byte-identical reports")
  func determinism() async throws {
    let machine = try Self.machine(Self.parallel)
    let first = await Exploration(machine).run()
    let second = await Exploration(machine).run()
    #expect(
      JSONSerializer(style: .pretty).string(first.json)
        == JSONSerializer(style: .pretty).string(second.json))
  }

  @Test("The search stops at the path limit and says so")
  func pathLimit() async throws {
    let report = await Exploration(try Self.machine(Self.parallel), maxPaths: 3).run()
    #expect(report.paths.count == 3)
    #expect(!report.isComplete)
  }

  @Test("A mock test case answers the states it mocks; injected failures do not count")
  func mockAnswers() async throws {
    let configuration = try MockConfiguration(
      json: """
        {"StateMachines": {"M": {"TestCases": {"High": {"Score": "High"}}}},
         "MockedResponses": {"High": {"0": {"Return": {"Payload": {"score": 99}}}}}}
        """)
    let testCase = try configuration.testCase("High", stateMachine: "M")
    let report = await Exploration(try Self.machine(Self.choiceOnResult), testCase: testCase).run()
    #expect(report.paths.map(\.states).first == ["Score", "Good?", "Publish"])
    #expect(report.unreachableStates == ["Reject"])
  }

  @Test("The JSON report has the paths, the unreachable states and the violations")
  func jsonShape() async throws {
    let report = await Exploration(
      try Self.machine(Self.retryAndCatch), properties: [.statusIs([.succeeded])]
    ).run()
    let json = report.json
    #expect(json.objectValue?.keys == ["paths", "unreachable", "violations"])
    #expect(
      JSONSerializer().string(json["paths"]?[1] ?? .null)
        == #"{"states":["Work","Broken"],"outcomes":[{"state":"Work","error":"Flaky","attempts":3,"injected":true}],"status":"FAILED","error":"Broken"}"#
    )
    #expect(json["violations"]?[0]?["property"] == "status SUCCEEDED")
    #expect(json["violations"]?[0]?["violatingPaths"] == 2)
  }
}
