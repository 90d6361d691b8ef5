import CorpusSupport
import Foundation
import StepFunctions
import StepFunctionsTesting
import Testing

@Suite("Graph highlights from histories and coverage reports")
struct GraphHighlightTests {
  func run(_ input: JSON, work: ScriptedResponse) async throws -> (
    GraphHighlight, StateMachineDefinition
  ) {
    let test = try WorkflowTest(json: graphSample)
      .handling("lambda:invoke", with: ScriptedHandler([work]))
    let run = await test.run(input: input)
    let definition = test.machine.definition
    return (GraphHighlight(history: run.history, definition: definition), definition)
  }

  @Test("A caught failure: the Choice rule, the catcher and the Fail state that ended it")
  func caughtThenFailed() async throws {
    let (highlight, _) = try await run(["quality": 95], work: .throwing("Custom"))
    #expect(highlight.enteredStates == ["Check", "Work", "Rejected"])
    #expect(highlight.failedStates == ["Rejected"])
    #expect(
      highlight.takenEdges == [
        .init(state: nil, kind: .start), .init(state: "Check", kind: .choiceRule(0)),
        .init(state: "Work", kind: .catcher(0)),
      ])
  }

  @Test("A Parallel state: both branches, their ends and the Parallel state's Next")
  func parallel() async throws {
    let (highlight, _) = try await run(["quality": 0, "kind": "vi\"deo"], work: .returning([:]))
    #expect(highlight.enteredStates == ["Check", "Fan", "Left", "Right", "Done"])
    #expect(highlight.failedStates.isEmpty)
    #expect(
      highlight.takenEdges == [
        .init(state: nil, kind: .start), .init(state: "Check", kind: .choiceRule(1)),
        .init(state: "Fan", kind: .branch(0)), .init(state: "Fan", kind: .branch(1)),
        .init(state: "Left", kind: .end), .init(state: "Right", kind: .end),
        .init(state: "Fan", kind: .next), .init(state: "Done", kind: .end),
      ])
  }

  @Test("A Map state: the iterator's branch, its end and the Map state's end")
  func map() async throws {
    let (highlight, _) = try await run(["quality": 90], work: .returning([1, 2]))
    #expect(highlight.enteredStates == ["Check", "Work", "Items", "Each"])
    #expect(
      highlight.takenEdges == [
        .init(state: nil, kind: .start), .init(state: "Check", kind: .choiceRule(0)),
        .init(state: "Work", kind: .next), .init(state: "Items", kind: .branch(0)),
        .init(state: "Each", kind: .end), .init(state: "Items", kind: .end),
      ])
  }

  @Test("A failure inside a branch marks the failed state and the Parallel state around it")
  func failureInsideBranch() async throws {
    let test = try WorkflowTest(
      json: """
        {"StartAt": "P", "States": {
          "P": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "Ok", "States": {"Ok": {"Type": "Pass", "End": true}}},
            {"StartAt": "Prepare", "States": {
              "Prepare": {"Type": "Pass", "Next": "Call"},
              "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}
          ]}}}
        """
    ).handling("lambda:invoke", with: ScriptedHandler([.throwing("Boom")]))
    let run = await test.run()
    #expect(run.status == .failed)
    let highlight = GraphHighlight(history: run.history, definition: test.machine.definition)
    #expect(highlight.failedStates == ["P", "Call"])
    #expect(highlight.takenEdges.contains(.init(state: "Prepare", kind: .next)))
    #expect(!highlight.takenEdges.contains(.init(state: "P", kind: .end)))
  }

  @Test("A history recorded on AWS (AWS CLI output) highlights its path", .requiresCorpus)
  func awsHistory() throws {
    let folder = try #require(Corpus.url("histories/rider-state-choice-dynamodb-sqs-fail"))
    let definition = try StateMachineDefinition(
      bytes: [UInt8](try Data(contentsOf: folder.appendingPathComponent("definition.asl.json"))))
    let history = try ExecutionHistory(
      importing: [UInt8](try Data(contentsOf: folder.appendingPathComponent("history.json"))))
    let highlight = GraphHighlight(history: history, definition: definition)
    #expect(
      highlight.enteredStates == [
        "Is rider id and next state valid?", "Get current rider state",
        "Is next state a valid transition?", "Send event to DLQ for manual handling",
        "State Transition Failed",
      ])
    #expect(highlight.failedStates == ["State Transition Failed"])
    #expect(
      highlight.takenEdges == [
        .init(state: nil, kind: .start),
        .init(state: "Is rider id and next state valid?", kind: .choiceRule(0)),
        .init(state: "Get current rider state", kind: .next),
        .init(state: "Is next state a valid transition?", kind: .choiceDefault),
        .init(state: "Send event to DLQ for manual handling", kind: .next),
      ])
    let graph = StateMachineGraph(definition: definition)
    #expect(graph.unknownNames(in: highlight) == [])
  }

  static let coverageItems: JSON = [
    ["kind": "state", "state": "Check", "covered": true, "hits": 3],
    ["kind": "state", "state": "Fan", "covered": false, "hits": 0],
    [
      "kind": "choiceRule", "state": "Check", "rule": 0, "next": "Work", "covered": true, "hits": 2,
    ],
    ["kind": "choiceDefault", "state": "Check", "next": "Rejected", "covered": false, "hits": 0],
    [
      "kind": "retrier", "state": "Work", "retrier": 0, "errorEquals": ["States.Timeout"],
      "covered": false, "hits": 0,
    ],
    [
      "kind": "catcher", "state": "Work", "catcher": 0, "errorEquals": ["States.ALL"],
      "next": "Rejected", "covered": true, "hits": 1,
    ],
    ["kind": "branch", "state": "Fan", "branch": 1, "covered": true, "hits": 1],
    ["kind": "failState", "state": "Rejected", "covered": false, "hits": 0],
    ["kind": "somethingNewer", "covered": true],
  ]

  @Test("A coverage report's items become covered and uncovered states, edges and retriers")
  func coverageReport() throws {
    let report: JSON = [
      "passed": 3,
      "coverage": [
        "stateMachines": [
          ["name": "Sample", "summary": [:], "items": Self.coverageItems, "uncovered": []]
        ]
      ],
    ]
    let highlight = try GraphHighlight(
      coverageReport: Array(report.serialized().utf8), stateMachine: nil)
    #expect(highlight.coveredStates == ["Check"])
    #expect(highlight.uncoveredStates == ["Fan", "Rejected"])
    #expect(
      highlight.coveredEdges == [
        .init(state: "Check", kind: .choiceRule(0)), .init(state: "Work", kind: .catcher(0)),
        .init(state: "Fan", kind: .branch(1)),
      ])
    #expect(highlight.uncoveredEdges == [.init(state: "Check", kind: .choiceDefault)])
    #expect(highlight.uncoveredRetriers == ["Work": [["States.Timeout"]]])
    // The coverage object alone reads the same.
    let bare = try GraphHighlight(coverageReport: report["coverage"] ?? .null)
    #expect(bare == highlight)
  }

  @Test("The state machine is chosen by name, or must be the only one")
  func choosingStateMachine() throws {
    let report: JSON = [
      "stateMachines": [
        ["name": "A", "items": [["kind": "state", "state": "X", "covered": true]]],
        ["name": "B", "items": [["kind": "state", "state": "Y", "covered": false]]],
      ]
    ]
    #expect(try GraphHighlight(coverageReport: report, stateMachine: "B").uncoveredStates == ["Y"])
    #expect(
      throws: CoverageReadError(
        "The coverage report has 2 state machines ('A', 'B'); give --state-machine.")
    ) {
      try GraphHighlight(coverageReport: report)
    }
    #expect(
      throws: CoverageReadError("The coverage report has no state machine 'C'. It has: 'A', 'B'.")
    ) {
      try GraphHighlight(coverageReport: report, stateMachine: "C")
    }
  }

  @Test("Malformed coverage reports are refused with the item and field named")
  func malformed() {
    let cases: [(String, String)] = [
      ("not json", "The coverage report is not valid JSON"),
      (#"{"runs": []}"#, "has no coverage report"),
      (
        #"{"coverage": {"stateMachines": 3}}"#,
        "'coverage.stateMachines' is missing or not an array."
      ),
      (#"{"stateMachines": []}"#, "The coverage report has no state machines."),
      (#"{"stateMachines": [{"name": "A"}]}"#, "'stateMachines[0].items' is missing"),
      (
        #"{"stateMachines": [{"name": "A", "items": [{"kind": "choiceRule", "state": "C", "covered": true}]}]}"#,
        "'stateMachines[0].items[0].rule' is missing or not an integer."
      ),
      (
        #"{"stateMachines": [{"name": "A", "items": [{"kind": "branch", "state": "C", "branch": -1, "covered": true}]}]}"#,
        "'stateMachines[0].items[0].branch' is negative."
      ),
      (
        #"{"stateMachines": [{"name": "A", "items": [{"kind": "state", "state": "C"}]}]}"#,
        "'stateMachines[0].items[0].covered' is missing or not a Boolean."
      ),
    ]
    for (text, expected) in cases {
      do {
        _ = try GraphHighlight(coverageReport: Array(text.utf8))
        Issue.record("accepted \(text)")
      } catch {
        #expect(error.message.contains(expected), "\(text): \(error.message)")
      }
    }
  }
}
