import StepFunctions
import StepFunctionsTesting
import Testing

/// A machine with every kind of edge: Choice rules and Default, Catch, Parallel branches, a Map,
/// Succeed and Fail.
let graphSample = """
  {
    "StartAt": "Check",
    "States": {
      "Check": {
        "Type": "Choice",
        "Choices": [
          {"Variable": "$.quality", "NumericGreaterThanEquals": 90, "Next": "Work"},
          {"And": [{"Variable": "$.kind", "StringEquals": "vi\\"deo"},
                   {"Not": {"Variable": "$.retry", "IsPresent": true}}], "Next": "Fan"}
        ],
        "Default": "Rejected"
      },
      "Work": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Catch": [{"ErrorEquals": ["States.Timeout", "Custom"], "Next": "Rejected"}],
        "Next": "Items"
      },
      "Items": {
        "Type": "Map",
        "ItemProcessor": {"StartAt": "Each", "States": {"Each": {"Type": "Pass", "End": true}}},
        "End": true
      },
      "Fan": {
        "Type": "Parallel",
        "Branches": [
          {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": true}}},
          {"StartAt": "Right", "States": {"Right": {"Type": "Succeed"}}}
        ],
        "Next": "Done"
      },
      "Done": {"Type": "Succeed"},
      "Rejected": {"Type": "Fail", "Error": "Rejected"}
    }
  }
  """

func graphSampleDefinition() throws -> StateMachineDefinition {
  try StateMachineDefinition(json: graphSample)
}

@Suite("State machine graphs")
struct GraphModelTests {
  @Test("Every transition becomes an edge with its kind, source, target and label")
  func edges() throws {
    let graph = StateMachineGraph(definition: try graphSampleDefinition())
    func name(_ id: String) -> String {
      graph.nodes.first { $0.id == id }.map { $0.stateName ?? $0.label } ?? id
    }
    let described = graph.edges.map {
      "\($0.id) \(name($0.source))→\(name($0.target))"
        + ($0.label.map { " [\($0)]" } ?? "") + ($0.isDashed ? " dashed" : "")
    }
    #expect(
      described == [
        "Start / start Start→Check",
        "Check / choice rule 0 Check→Work [$.quality >= 90]",
        "Check / choice rule 1 Check→Fan [$.kind == \"vi\\\"deo\" and not ($.retry is present)]",
        "Check / Default Check→Rejected [Default]",
        "Work / next Work→Items",
        "Work / catch 0 Work→Rejected [Catch: States.Timeout, Custom] dashed",
        "Items / branch 0 Items→Each",
        "Each / end Each→Items",
        "Items / end Items→End",
        "Fan / branch 0 Fan→Left",
        "Left / end Left→Fan",
        "Fan / branch 1 Fan→Right",
        "Right / end Right→Fan",
        "Fan / next Fan→Done",
        "Done / end Done→End",
        "Rejected / end Rejected→End",
      ])
  }

  @Test("Parallel branches and Map processors are clusters, with join points inside")
  func clusters() throws {
    let graph = StateMachineGraph(definition: try graphSampleDefinition())
    #expect(
      graph.clusters.map(\.label) == ["Items (Map)", "Fan (Parallel)", "Branch 1", "Branch 2"])
    #expect(graph.clusters.map(\.parent) == [nil, nil, 1, 1])
    let placement = graph.nodes.map { node in
      "\(node.kind == .join ? "join " : "")\(node.stateName ?? node.label)@\(node.cluster.map { graph.clusters[$0].label } ?? "top")"
    }
    #expect(
      placement == [
        "Start@top", "Check@top", "Work@top", "Items@Items (Map)", "Each@Items (Map)",
        "join Items@Items (Map)", "Fan@Fan (Parallel)", "Left@Branch 1", "Right@Branch 2",
        "join Fan@Fan (Parallel)", "Done@top", "Rejected@top", "End@top",
      ])
    #expect(graph.node(forState: "Items")?.kind == .state(type: "Map"))
  }

  @Test("A distributed Map's cluster says so")
  func distributedMap() throws {
    let definition = try StateMachineDefinition(
      json: """
        {"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": {
          "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
          "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}
        """)
    #expect(
      StateMachineGraph(definition: definition).clusters.map(\.label) == ["M (Distributed Map)"])
  }

  @Test("Node identifiers are generated, never the state names")
  func identifiers() throws {
    let graph = StateMachineGraph(
      definition: try StateMachineDefinition(
        json:
          #"{"StartAt": "end", "States": {"end": {"Type": "Pass", "Next": "a b"}, "a b": {"Type": "Succeed"}}}"#
      ))
    #expect(graph.nodes.map(\.id) == ["start", "n1", "n2", "stop"])
    #expect(graph.nodes.map(\.label) == ["Start", "end", "a b", "End"])
  }

  @Test("Choice rules are rendered briefly, JSONata conditions as written")
  func choiceLabels() throws {
    let definition = try StateMachineDefinition(
      json: """
        {"QueryLanguage": "JSONata", "StartAt": "C", "States": {
          "C": {"Type": "Choice", "Choices": [
            {"Condition": "{% $states.input.score > 3 %}", "Next": "D"},
            {"Condition": true, "Next": "D"}], "Default": "D"},
          "D": {"Type": "Succeed"}}}
        """)
    let labels = StateMachineGraph(definition: definition).edges.compactMap(\.label)
    #expect(labels == ["{% $states.input.score > 3 %}", "true", "Default"])
    let paths = try StateMachineDefinition(
      json: """
        {"StartAt": "C", "States": {
          "C": {"Type": "Choice", "Choices": [
            {"Variable": "$.a", "NumericLessThanPath": "$.b", "Next": "D"},
            {"Variable": "$.t", "TimestampEquals": "2024-01-01T00:00:00Z", "Next": "D"},
            {"Variable": "$.s", "StringMatches": "log-*.txt", "Next": "D"},
            {"Variable": "$.n", "IsNull": false, "Next": "D"},
            {"Or": [{"Variable": "$.x", "BooleanEquals": true},
                    {"Variable": "$.y", "StringEquals": "\(String(repeating: "long ", count: 20))"}],
             "Next": "D"}]},
          "D": {"Type": "Succeed"}}}
        """)
    let texts = StateMachineGraph(definition: paths).edges.compactMap(\.label)
    #expect(texts.count == 5)
    #expect(
      texts.prefix(4) == [
        "$.a < $.b", "$.t == \"2024-01-01T00:00:00Z\"", "$.s matches \"log-*.txt\"",
        "$.n is not null",
      ])
    #expect(
      texts[4].count == 80 && texts[4].hasSuffix("…")
        && texts[4].hasPrefix("$.x == true or $.y == \"long long"))
  }

  @Test("Unknown names in a highlight are listed")
  func unknownNames() throws {
    let graph = StateMachineGraph(definition: try graphSampleDefinition())
    let highlight = GraphHighlight(
      coveredStates: ["Check", "Gone"],
      uncoveredEdges: [.init(state: "Check", kind: .choiceRule(7))])
    #expect(graph.unknownNames(in: highlight) == ["Check / choice rule 7", "Gone"])
  }
}
