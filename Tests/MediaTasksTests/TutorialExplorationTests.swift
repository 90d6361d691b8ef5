import Foundation
import MediaTasks
import StepFunctions
import StepFunctionsTesting
import Testing

/// The "Exploring every outcome" section of Docs/TestingAVideoWorkflow.md, run as a test so the
/// tutorial stays true.
@Suite("The tutorial's exploration of the video workflow")
struct TutorialExplorationTests {
  let definition = TutorialTests.packageRoot.appendingPathComponent(
    "StateMachines/video-workflow-orchestration.asl.json")
  let uploads = "video-workflow-source-123456789012"

  @Test("Every way the video workflow can end is one of its own, and every state is reachable")
  func everyOutcome() async throws {
    let machine = try StateMachine(contentsOf: definition)
    let inputs: [JSON] = [
      "uploads/sample-1080p.mp4", "uploads/interview-360p.mp4", "uploads/webcam-240p.mp4",
      "uploads/meeting-notes.txt",
    ].map { ["bucket": .string(uploads), "key": .string($0)] }
    let report = await Exploration(
      machine, inputs: inputs, handlers: { MediaWorld.sample().handlers },
      properties: [
        try ExplorationProperty(
          parsing: "enters TranscodeVideo => enters NotifyFailure|Published|NotifyRejected"),
        .statusIs([.succeeded]).or(.errorIs(["VideoProcessingFailed", "InvalidVideo"])),
      ]
    ).run()

    #expect(report.isComplete)
    #expect(report.unreachableStates.isEmpty)
    // Every transcoded video is published, rejected or reported.
    #expect(!report.violations.contains { $0.property.description.hasPrefix("enters") })
    // But a notification that fails is not caught: the execution then ends with the
    // notification's own error instead of the workflow's.
    let unguarded = try #require(
      report.violations.first { $0.property.description.hasPrefix("status") })
    #expect(unguarded.counterexample.states == ["RecordJobStarted", "NotifyFailure"])
    #expect(unguarded.counterexample.error == "States.Timeout")
    // The figure the tutorial quotes.
    #expect(report.paths.count == 428)
  }

  @Test("The tutorial's section is in both copies of the article")
  func sectionPresent() throws {
    let docs = try String(
      contentsOf: TutorialTests.packageRoot.appendingPathComponent(
        "Docs/TestingAVideoWorkflow.md"), encoding: .utf8)
    #expect(docs.contains("## 13. Exploring every outcome"))
    #expect(docs.contains("found 428 distinct paths"))
  }
}
