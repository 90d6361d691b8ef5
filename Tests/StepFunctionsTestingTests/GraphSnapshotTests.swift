import CorpusSupport
import Foundation
import StepFunctions
import StepFunctionsTesting
import Testing

/// One snapshot per shipped workflow and format, in `Tests/StepFunctionsTestingTests/Snapshots/
/// Graphs/` (`NAME.mmd`, `NAME.dot`). `SFN_RECORD_SNAPSHOTS=1 swift test --filter GraphSnapshot`
/// rewrites them; a mismatch prints the first differing lines.
@Suite("Graphs of the shipped workflows")
struct GraphSnapshotTests {
  static let snapshots = Corpus.packageRoot.appendingPathComponent(
    "Tests/StepFunctionsTestingTests/Snapshots/Graphs")
  static let recording = ProcessInfo.processInfo.environment["SFN_RECORD_SNAPSHOTS"] == "1"

  @Test("There are shipped workflows to draw")
  func workflowsFound() {
    #expect(ShippedWorkflows.fileNames.count >= 7)
  }

  @Test(
    "Each shipped workflow's Mermaid graph matches its snapshot",
    arguments: ShippedWorkflows.fileNames)
  func mermaidSnapshot(_ fileName: String) throws {
    let text = MermaidRenderer().render(
      StateMachineGraph(definition: try ShippedWorkflows.definition(fileName)))
    try compare(text, snapshot: Self.baseName(fileName) + ".mmd")
  }

  @Test(
    "Each shipped workflow's DOT graph matches its snapshot", arguments: ShippedWorkflows.fileNames)
  func dotSnapshot(_ fileName: String) throws {
    let text = DOTRenderer(name: Self.baseName(fileName)).render(
      StateMachineGraph(definition: try ShippedWorkflows.definition(fileName)))
    try compare(text, snapshot: Self.baseName(fileName) + ".dot")
  }

  @Test(
    "Each shipped workflow's Mermaid graph passes the grammar check",
    arguments: ShippedWorkflows.fileNames)
  func mermaidValid(_ fileName: String) throws {
    let text = MermaidRenderer().render(
      StateMachineGraph(definition: try ShippedWorkflows.definition(fileName)))
    #expect(MermaidChecker.problems(in: text) == [])
  }

  @Test(
    "Each shipped workflow's DOT graph renders with Graphviz", .requiresGraphviz,
    arguments: ShippedWorkflows.fileNames)
  func dotRenders(_ fileName: String) throws {
    let text = DOTRenderer(name: Self.baseName(fileName)).render(
      StateMachineGraph(definition: try ShippedWorkflows.definition(fileName)))
    #expect(try Graphviz.renderingProblem(text) == nil)
  }

  static func baseName(_ fileName: String) -> String {
    String(fileName.dropLast(".asl.json".count))
  }

  func compare(_ text: String, snapshot name: String) throws {
    let url = Self.snapshots.appendingPathComponent(name)
    if Self.recording {
      try FileManager.default.createDirectory(
        at: Self.snapshots, withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url)
      return
    }
    guard let data = try? Data(contentsOf: url) else {
      Issue.record("No snapshot \(name); record it with SFN_RECORD_SNAPSHOTS=1.")
      return
    }
    let expected = String(decoding: data, as: UTF8.self)
    if expected != text {
      let difference = Self.diff(expected: expected, actual: text)
      Issue.record(
        "\(name) differs from its snapshot (SFN_RECORD_SNAPSHOTS=1 rewrites it):\n\(difference)")
    }
  }

  /// The lines that differ, with their line numbers (at most 20).
  static func diff(expected: String, actual: String) -> String {
    let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var lines: [String] = []
    for index in 0..<max(old.count, new.count) {
      let before = index < old.count ? String(old[index]) : nil
      let after = index < new.count ? String(new[index]) : nil
      guard before != after else { continue }
      if let before { lines.append("\(index + 1) - \(before)") }
      if let after { lines.append("\(index + 1) + \(after)") }
      if lines.count >= 20 { break }
    }
    return lines.joined(separator: "\n")
  }
}

/// The corpus's real-world definitions (aws-samples' workflow collection) drawn in both formats.
@Suite("Graphs of the corpus's real-world definitions", .requiresCorpus)
struct CorpusGraphTests {
  struct Entry: CustomTestStringConvertible, Sendable {
    var file: String
    var suspect: Bool
    var testDescription: String { file }
  }

  static let entries: [Entry] = {
    guard let manifest = Corpus.json("realworld/manifest.json")?.arrayValue else { return [] }
    return manifest.compactMap { entry in
      guard let file = entry["file"]?.stringValue else { return nil }
      let suspect = entry["suspect"].map { $0 != .null && $0 != .array([]) } ?? false
      return Entry(file: file, suspect: suspect)
    }
  }()

  @Test("The corpus has the real-world definitions")
  func found() { #expect(Self.entries.count > 150) }

  @Test("Each real-world definition draws as valid Mermaid", arguments: entries)
  func mermaid(_ entry: Entry) throws {
    guard let graph = try Self.graph(entry) else { return }
    #expect(MermaidChecker.problems(in: MermaidRenderer().render(graph)) == [])
  }

  @Test(
    "Each real-world definition draws as DOT that Graphviz renders", .requiresGraphviz,
    arguments: entries)
  func dot(_ entry: Entry) throws {
    guard let graph = try Self.graph(entry) else { return }
    #expect(try Graphviz.renderingProblem(DOTRenderer().render(graph)) == nil)
  }

  /// The entry's graph; `nil` (after checking the manifest marks it suspect) when the definition
  /// does not load.
  static func graph(_ entry: Entry) throws -> StateMachineGraph? {
    guard let url = Corpus.url("realworld/" + entry.file) else {
      Issue.record("missing \(entry.file)")
      return nil
    }
    do {
      return StateMachineGraph(
        definition: try StateMachineDefinition(bytes: [UInt8](try Data(contentsOf: url))))
    } catch {
      // Only definitions the manifest marks suspect may fail to load; they cannot be drawn.
      #expect(entry.suspect, "\(entry.file) does not load: \(error)")
      return nil
    }
  }
}

@Suite("The DrawingWorkflows article")
struct DrawingWorkflowsArticleTests {
  @Test("The article's Mermaid block is the video workflow's current graph")
  func mermaidBlockIsCurrent() throws {
    let article = try String(
      contentsOf: Corpus.packageRoot.appendingPathComponent(
        "Sources/StepFunctionsTesting/StepFunctionsTesting.docc/DrawingWorkflows.md"),
      encoding: .utf8)
    let block = try #require(
      article.components(separatedBy: "```mermaid\n").dropFirst().first?
        .components(separatedBy: "```").first)
    let expected = MermaidRenderer().render(
      StateMachineGraph(
        definition: try ShippedWorkflows.definition("video-workflow-orchestration.asl.json")))
    #expect(block == expected)
  }
}
