import CorpusSupport
import Foundation
import StepFunctions
import StepFunctionsTesting
import Testing

/// A checker for the subset of Mermaid's flowchart grammar that ``MermaidRenderer`` writes.
///
/// No Mermaid implementation can run here (it is JavaScript, and the npm registry is not
/// reachable from the test machines), so this checks what the renderer relies on, line by line:
/// the `flowchart` header; node statements `ID(("…"))`, `ID("…")`, `ID{"…"}`, `ID(["…"])`,
/// `ID[["…"]]`, `ID["…"]`; `subgraph ID ["…"]` balanced by `end`; edges `ID --> ID` and
/// `ID -.-> ID`, with an optional `|"…"|` label, between declared nodes; `classDef NAME
/// key:value,...`; `class ID,... NAME` with a declared class; `linkStyle N,... key:value,...` with
/// indices below the edge count. Identifiers are `[A-Za-z_][A-Za-z0-9_]*`, never a Mermaid
/// keyword, declared once. Quoted labels hold no `"`, no raw `<`/`>` except `<br>`, and `#` only
/// in an entity code (`#quot;`, `#35;`). It does not check layout or rendering.
enum MermaidChecker {
  static let keywords: Set<String> = [
    "end", "subgraph", "graph", "flowchart", "style", "classDef", "class", "click", "linkStyle",
    "direction", "call", "href", "default", "interpolate",
  ]

  /// The problems found, each with its line number; empty when the text is valid.
  static func problems(in text: String) -> [String] {
    var problems: [String] = []
    var nodes: Set<String> = []
    var subgraphs: Set<String> = []
    var classes: Set<String> = []
    var edgeCount = 0
    var depth = 0
    var sawHeader = false
    var pendingLinkStyles: [(line: Int, indices: [Int])] = []
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for (offset, raw) in lines.enumerated() {
      let number = offset + 1
      let line = raw.trimmingCharacters(in: .whitespaces)
      func problem(_ message: String) { problems.append("line \(number): \(message): \(raw)") }
      if line.isEmpty || line.hasPrefix("%%") { continue }
      if !sawHeader {
        if ["flowchart TD", "flowchart TB", "flowchart LR"].contains(line) {
          sawHeader = true
        } else {
          problem("expected a 'flowchart' header")
        }
        continue
      }
      if line == "end" {
        if depth == 0 { problem("'end' without 'subgraph'") } else { depth -= 1 }
        continue
      }
      if line.hasPrefix("subgraph ") {
        let rest = String(line.dropFirst("subgraph ".count))
        guard let (id, after) = identifier(rest) else {
          problem("bad subgraph identifier")
          continue
        }
        if let message = checkID(id, declared: nodes.union(subgraphs)) { problem(message) }
        subgraphs.insert(id)
        let title = after.trimmingCharacters(in: .whitespaces)
        if !title.isEmpty {
          if !(title.hasPrefix("[") && title.hasSuffix("]")) {
            problem("subgraph title must be [\"…\"]")
          } else if let message = checkQuoted(String(title.dropFirst().dropLast())) {
            problem(message)
          }
        }
        depth += 1
        continue
      }
      if line.hasPrefix("classDef ") {
        let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
        if parts.count != 3 || identifier(parts[1])?.1 != "" || !isStyle(parts[2]) {
          problem("bad classDef")
        } else {
          classes.insert(parts[1])
        }
        continue
      }
      if line.hasPrefix("class ") {
        let parts = line.split(separator: " ").map(String.init)
        if parts.count != 3 {
          problem("bad class statement")
        } else {
          for id in parts[1].split(separator: ",") where !nodes.contains(String(id)) {
            problem("class names an undeclared node '\(id)'")
          }
          if !classes.contains(parts[2]) { problem("class uses an undefined class '\(parts[2])'") }
        }
        continue
      }
      if line.hasPrefix("linkStyle ") {
        let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
        let indices = parts.count == 3 ? parts[1].split(separator: ",").map { Int($0) } : []
        if parts.count != 3 || indices.contains(where: { $0 == nil }) || !isStyle(parts[2]) {
          problem("bad linkStyle")
        } else {
          pendingLinkStyles.append((number, indices.compactMap { $0 }))
        }
        continue
      }
      guard let (id, after) = identifier(line) else {
        problem("expected a statement")
        continue
      }
      if after.hasPrefix(" -->") || after.hasPrefix(" -.->") {
        var rest = Substring(after.dropFirst(after.hasPrefix(" -->") ? 4 : 5))
        if !rest.hasPrefix("|") {
          guard rest.hasPrefix(" ") else {
            problem("expected a space or a label after the arrow")
            continue
          }
          rest = rest.dropFirst()
        } else {
          guard let close = rest.dropFirst().firstIndex(of: "|") else {
            problem("unterminated edge label")
            continue
          }
          let label = String(rest[rest.index(after: rest.startIndex)..<close])
          if let message = checkQuoted(label) { problem(message) }
          rest = rest[rest.index(after: close)...]
          guard rest.hasPrefix(" ") else {
            problem("expected a space after the edge label")
            continue
          }
          rest = rest.dropFirst()
        }
        guard let (target, tail) = identifier(String(rest)), tail.isEmpty else {
          problem("bad edge target")
          continue
        }
        for end in [id, target] where !nodes.contains(end) && !subgraphs.contains(end) {
          problem("edge names an undeclared node '\(end)'")
        }
        edgeCount += 1
        continue
      }
      if let message = checkID(id, declared: nodes.union(subgraphs)) { problem(message) }
      let shapes: [(String, String)] = [
        ("((", "))"), ("([", "])"), ("[[", "]]"), ("(", ")"), ("{", "}"), ("[", "]"),
      ]
      guard
        let (open, close) = shapes.first(where: { after.hasPrefix($0.0) && after.hasSuffix($0.1) }),
        after.count >= open.count + close.count
      else {
        problem("bad node shape")
        continue
      }
      let inner = String(after.dropFirst(open.count).dropLast(close.count))
      if let message = checkQuoted(inner) { problem(message) }
      nodes.insert(id)
    }
    if !sawHeader { problems.append("no 'flowchart' header") }
    if depth != 0 { problems.append("\(depth) 'subgraph' without 'end'") }
    if nodes.isEmpty { problems.append("no nodes") }
    for (line, indices) in pendingLinkStyles where indices.contains(where: { $0 >= edgeCount }) {
      problems.append("line \(line): linkStyle index past the \(edgeCount) edges")
    }
    return problems
  }

  /// A leading identifier and what follows it.
  private static func identifier(_ text: String) -> (String, String)? {
    let scalars = Array(text.unicodeScalars)
    var end = 0
    while end < scalars.count,
      scalars[end] == "_" || (scalars[end].isASCII && scalars[end].properties.isAlphabetic)
        || (end > 0 && ("0"..."9").contains(scalars[end]))
    {
      end += 1
    }
    guard end > 0, !("0"..."9").contains(scalars[0]) else { return nil }
    var id = String.UnicodeScalarView()
    id.append(contentsOf: scalars[..<end])
    var rest = String.UnicodeScalarView()
    rest.append(contentsOf: scalars[end...])
    return (String(id), String(rest))
  }

  private static func checkID(_ id: String, declared: Set<String>) -> String? {
    if keywords.contains(id) { return "'\(id)' is a Mermaid keyword" }
    if declared.contains(id) { return "'\(id)' is declared twice" }
    return nil
  }

  /// `key:value` pairs separated by commas.
  private static func isStyle(_ text: String) -> Bool {
    text.split(separator: ",").allSatisfy { pair in
      let parts = pair.split(separator: ":", maxSplits: 1)
      return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && !pair.contains(";")
    }
  }

  /// A `"…"` string as the renderer writes it.
  private static func checkQuoted(_ text: String) -> String? {
    guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else {
      return "label not in double quotes: \(text)"
    }
    let inner = text.dropFirst().dropLast()
    if inner.contains("\"") { return "raw double quote in a label" }
    if inner.contains("\n") { return "line break in a label" }
    if inner.replacingOccurrences(of: "<br>", with: "").contains(where: { $0 == "<" || $0 == ">" })
    {
      return "raw angle bracket in a label"
    }
    var rest = Substring(inner)
    while let hash = rest.firstIndex(of: "#") {
      let after = rest[rest.index(after: hash)...]
      guard let semicolon = after.firstIndex(of: ";"),
        !after[..<semicolon].isEmpty,
        after[..<semicolon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
      else { return "'#' outside an entity code" }
      rest = after[after.index(after: semicolon)...]
    }
    return nil
  }
}

/// Graphviz's `dot`, when installed (`.ci/run` installs it; a developer's machine may not have
/// it).
enum Graphviz {
  /// The `dot` executable, if found on `PATH` or in `/usr/bin`.
  static let dotURL: URL? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for folder in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"] {
      let url = URL(fileURLWithPath: folder).appendingPathComponent("dot")
      if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return nil
  }()

  static let absenceMessage =
    "Graphviz's 'dot' is not installed (apt-get install graphviz; .ci/run installs it): the DOT output is not rendered"

  /// Renders DOT text to SVG; returns `dot`'s complaint, or `nil` when it rendered.
  static func renderingProblem(_ text: String) throws -> String? {
    guard let dotURL else { return "dot is not installed" }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sfn-graph-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let input = folder.appendingPathComponent("graph.dot")
    let output = folder.appendingPathComponent("graph.svg")
    try Data(text.utf8).write(to: input)
    let process = Process()
    process.executableURL = dotURL
    process.arguments = ["-Tsvg", input.path, "-o", output.path]
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    if process.terminationStatus != 0 {
      return "dot exited with \(process.terminationStatus): \(message)"
    }
    if message.contains("Error") || message.contains("syntax error") { return message }
    let svg = (try? Data(contentsOf: output)) ?? Data()
    guard String(decoding: svg, as: UTF8.self).contains("<svg") else { return "no SVG written" }
    return nil
  }
}

extension Trait where Self == ConditionTrait {
  /// Runs only when Graphviz's `dot` is installed; skipped with ``Graphviz/absenceMessage``.
  static var requiresGraphviz: Self {
    .enabled(if: Graphviz.dotURL != nil, Comment(rawValue: Graphviz.absenceMessage))
  }
}

/// The shipped workflows (`StateMachines/*.asl.json`), by file name.
enum ShippedWorkflows {
  static let folder = Corpus.packageRoot.appendingPathComponent("StateMachines")

  static let fileNames: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".asl.json") }.sorted()
  }()

  static func definition(_ fileName: String) throws -> StateMachineDefinition {
    let bytes = try Data(contentsOf: folder.appendingPathComponent(fileName))
    return try StateMachineDefinition(bytes: [UInt8](bytes))
  }
}
