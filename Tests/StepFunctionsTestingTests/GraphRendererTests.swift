import Foundation
import StepFunctions
import StepFunctionsTesting
import Testing

/// A machine whose state names hold everything Mermaid and DOT treat specially.
let hostileNames = [
  "end", "say \"hi\"", "a[b]{c}(d)", "x;y|z", "#1 & <b>", "back\\slash", "ünïcödé 🎬",
  "100% `code`", "graph", "o--x", "subgraph", "style", "click",
]

func hostileDefinition() throws -> StateMachineDefinition {
  var states = JSONObject()
  for (index, name) in hostileNames.enumerated() {
    let state: JSON =
      index + 1 < hostileNames.count
      ? ["Type": "Pass", "Next": .string(hostileNames[index + 1])]
      : [
        "Type": "Choice",
        "Choices": [["Variable": "$.v", "StringEquals": "\"<#;|>\"", "Next": "end"]],
        "Default": "stop",
      ]
    states.append(key: name, value: state)
  }
  states.append(key: "stop", value: ["Type": "Succeed"])
  return try StateMachineDefinition(value: ["StartAt": "end", "States": .object(states)])
}

/// A JSONata machine whose labels hold a line break, a tab and a control character.
let controlCharacters = """
  {"QueryLanguage": "JSONata", "StartAt": "C", "States": {
    "C": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.a\\n\\t= 1 %}", "Next": "T"}],
          "Default": "T"},
    "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Catch": [{"ErrorEquals": ["Bell\\u0007"], "Next": "D"}], "End": true},
    "D": {"Type": "Succeed"}}}
  """

@Suite("Mermaid and DOT renderers")
struct GraphRendererTests {
  @Test("Mermaid output of hostile state names passes the grammar check and keeps every name")
  func mermaidEscaping() throws {
    let text = MermaidRenderer().render(StateMachineGraph(definition: try hostileDefinition()))
    #expect(MermaidChecker.problems(in: text) == [])
    #expect(text.contains(##"n2["say #quot;hi#quot;"]"##))
    #expect(text.contains(##"n5["#35;1 #amp; #lt;b#gt;"]"##))
    #expect(text.contains(##"n4["x;y#124;z"]"##))
    #expect(text.contains(##"n8["100#37; #96;code#96;"]"##))
    #expect(text.contains(##"n7["ünïcödé 🎬"]"##))
    #expect(text.contains(##"n13 -->|"$.v == #quot;\#quot;#lt;#35;;#124;#gt;\#quot;#quot;"| n1"##))
  }

  @Test("DOT output of hostile state names escapes quotes, backslashes and line breaks")
  func dotEscaping() throws {
    let text = DOTRenderer(name: "a \"b\"").render(
      StateMachineGraph(definition: try hostileDefinition()))
    #expect(text.hasPrefix(##"digraph "a \"b\"" {"##))
    #expect(text.contains(##"n2 [label="say \"hi\"""##))
    #expect(text.contains(##"n6 [label="back\\slash""##))
    #expect(text.contains(##"label="$.v == \"\\\"<#;|>\\\"\"""##))
  }

  @Test("Line breaks, tabs and control characters in labels are drawn, not written raw")
  func controlCharactersInLabels() throws {
    let graph = StateMachineGraph(
      definition: try StateMachineDefinition(json: controlCharacters))
    let mermaid = MermaidRenderer().render(graph)
    #expect(MermaidChecker.problems(in: mermaid) == [])
    #expect(mermaid.contains(##"n1 -->|"{#37; $states.input.a<br> = 1 #37;}"| n2"##))
    #expect(mermaid.contains(##"n2 -.->|"Catch: Bell␇"| n3"##))
    let dot = DOTRenderer().render(graph)
    #expect(dot.contains(##"n1 -> n2 [label="{% $states.input.a\n = 1 %}"];"##))
    #expect(dot.contains(##"n2 -> n3 [label="Catch: Bell␇", style=dashed];"##))
  }

  @Test("DOT output of hostile state names renders with Graphviz", .requiresGraphviz)
  func dotRendersHostileNames() throws {
    let text = DOTRenderer().render(StateMachineGraph(definition: try hostileDefinition()))
    #expect(try Graphviz.renderingProblem(text) == nil)
  }

  @Test("The checker rejects what Mermaid rejects")
  func checkerRejects() {
    let broken = [
      "graph TD\n  a[\"x\"]": "expected a 'flowchart' header",
      "flowchart TD\n  a[\"x\"]\n  end": "'end' without 'subgraph'",
      "flowchart TD\n  subgraph c1 [\"x\"]\n  a[\"x\"]": "'subgraph' without 'end'",
      "flowchart TD\n  a[\"say \"hi\"\"]": "raw double quote",
      "flowchart TD\n  end[\"x\"]": "keyword",
      "flowchart TD\n  a[\"x\"]\n  a --> b": "undeclared node 'b'",
      "flowchart TD\n  a[\"#1\"]": "'#' outside an entity code",
      "flowchart TD\n  a[\"x\"]\n  b[\"y\"]\n  a --> b\n  linkStyle 1 stroke:red":
        "linkStyle index",
      "flowchart TD\n  a[\"x\"]\n  class a missing": "undefined class",
      "flowchart TD\n  a[x]": "label not in double quotes",
      "flowchart TD\n  a[\"x\"]\n  a[\"y\"]": "declared twice",
      "flowchart TD\n  a[\"<b>\"]": "raw angle bracket",
    ]
    for (text, expected) in broken {
      let problems = MermaidChecker.problems(in: text)
      #expect(problems.contains { $0.contains(expected) }, "\(text): \(problems)")
    }
    #expect(
      MermaidChecker.problems(
        in: "flowchart TD\n  a((\"S\"))\n  b{\"#quot;x#quot;<br>y\"}\n  a -.->|\"l\"| b\n") == [])
  }

  @Test("A highlight becomes classDef, class and linkStyle lines in Mermaid")
  func mermaidHighlight() throws {
    let graph = StateMachineGraph(definition: try graphSampleDefinition())
    let highlight = GraphHighlight(
      enteredStates: ["Check", "Work", "Rejected"], failedStates: ["Rejected"],
      takenEdges: [.init(state: nil, kind: .start), .init(state: "Work", kind: .catcher(0))])
    let text = MermaidRenderer().render(graph, highlighting: highlight)
    #expect(MermaidChecker.problems(in: text) == [])
    let styles = text.split(separator: "\n").filter {
      $0.contains("classDef") || $0.contains("class ") || $0.contains("linkStyle")
    }
    #expect(
      styles == [
        "  classDef entered fill:#e6f4ea,stroke:#137333,stroke-width:2px",
        "  class n1,n2 entered",
        "  classDef failed fill:#fce8e6,stroke:#c5221f,stroke-width:2px",
        "  class n9 failed",
        "  linkStyle 0,5 stroke:#137333,stroke-width:3px",
      ])
  }

  @Test("Coverage colours covered and uncovered parts, and lists uncovered retriers")
  func coverageColours() throws {
    let graph = StateMachineGraph(definition: try graphSampleDefinition())
    let highlight = GraphHighlight(
      coveredStates: ["Check"], uncoveredStates: ["Fan"],
      coveredEdges: [.init(state: "Check", kind: .choiceRule(0))],
      uncoveredEdges: [.init(state: "Check", kind: .choiceDefault)],
      uncoveredRetriers: ["Work": [["States.Timeout"]]])
    let mermaid = MermaidRenderer().render(graph, highlighting: highlight)
    #expect(MermaidChecker.problems(in: mermaid) == [])
    #expect(mermaid.contains(##"n2("Work<br>Retry not covered: States.Timeout")"##))
    #expect(mermaid.contains("  class n1 covered\n"))
    #expect(mermaid.contains("  class n5 uncovered\n"))
    #expect(mermaid.contains("  linkStyle 1 stroke:#137333,stroke-width:2px\n"))
    #expect(
      mermaid.contains("  linkStyle 3 stroke:#e37400,stroke-width:2px,stroke-dasharray:5 3\n"))
    let dot = DOTRenderer().render(graph, highlighting: highlight)
    #expect(
      dot.contains(
        ##"n5 [label="Fan", peripheries=2, fillcolor="#fef7e0", color="#e37400", penwidth=2, style="filled,dashed"];"##
      ))
    #expect(
      dot.contains(##"n1 -> n9 [label="Default", color="#e37400", penwidth=2, style=dashed];"##))
  }

  @Test("The same graph renders to the same text every time")
  func deterministic() throws {
    let graph = StateMachineGraph(definition: try graphSampleDefinition())
    let highlight = GraphHighlight(
      coveredStates: Set(["Check", "Work", "Items", "Each"]),
      uncoveredEdges: Set((0..<2).map { .init(state: "Check", kind: .choiceRule($0)) }))
    let first = MermaidRenderer().render(graph, highlighting: highlight)
    let firstDOT = DOTRenderer().render(graph, highlighting: highlight)
    for _ in 0..<5 {
      #expect(MermaidRenderer().render(graph, highlighting: highlight) == first)
      #expect(DOTRenderer().render(graph, highlighting: highlight) == firstDOT)
    }
  }
}
