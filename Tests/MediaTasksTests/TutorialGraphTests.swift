import Foundation
import MediaTasks
import StepFunctions
import StepFunctionsTesting
import Testing

/// The "Drawing the workflow" section of Docs/TestingAVideoWorkflow.md, run as tests.
@Suite("The tutorial's 'Drawing the workflow' section")
struct TutorialGraphTests {
  static let definition = TutorialTests.packageRoot.appendingPathComponent(
    "StateMachines/video-workflow-orchestration.asl.json")

  @Test("The section's Mermaid block is what sfn graph draws for the video workflow")
  func mermaidBlockIsCurrent() throws {
    let tutorial = try String(
      contentsOf: TutorialTests.packageRoot.appendingPathComponent(
        "Docs/TestingAVideoWorkflow.md"), encoding: .utf8)
    let section = try #require(tutorial.components(separatedBy: "## 14. Drawing the workflow").last)
    let block = try #require(
      section.components(separatedBy: "```mermaid\n").dropFirst().first?
        .components(separatedBy: "```").first)
    let machine = try StateMachine(contentsOf: Self.definition)
    #expect(block == MermaidRenderer().render(StateMachineGraph(definition: machine.definition)))
  }

  @Test("A low-quality upload's path is drawn green up to Rejected, with nothing red")
  func lowQualityPath() async throws {
    let world = MediaWorld.sample()
    let machine = try StateMachine(contentsOf: Self.definition)
    let input: JSON = [
      "bucket": "video-workflow-source-123456789012", "key": "uploads/webcam-240p.mp4",
    ]
    let run = await WorkflowTest(machine).handlers { $0.merge(world.handlers) }.run(input: input)
    let highlight = GraphHighlight(history: run.history, definition: machine.definition)
    let picture = MermaidRenderer().render(
      StateMachineGraph(definition: machine.definition), highlighting: highlight)
    run.expectSucceeded()
    #expect(highlight.enteredStates == run.path.names)
    #expect(highlight.enteredStates.last == "Rejected")
    #expect(highlight.failedStates.isEmpty)
    #expect(highlight.takenEdges.contains(.init(state: "EvaluateQuality", kind: .choiceDefault)))
    #expect(highlight.takenEdges.contains(.init(state: "Rejected", kind: .end)))
    #expect(picture.contains("classDef entered") && !picture.contains("classDef failed"))
  }
}
