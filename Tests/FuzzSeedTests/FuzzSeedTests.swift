import Foundation
import FuzzChecks
import Testing

/// The package's root folder, found from this file's path.
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// One committed seed of a fuzz target (`Tests/Fuzz/Seeds/TARGET/NAME`).
struct FuzzSeed: Sendable, CustomTestStringConvertible {
  let target: String
  let name: String

  var testDescription: String { "\(target)/\(name)" }

  /// The seeds of `target`, sorted by name.
  static func all(_ target: String) -> [FuzzSeed] {
    let folder = packageRoot.appendingPathComponent("Tests/Fuzz/Seeds/\(target)")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.sorted().map { FuzzSeed(target: target, name: $0) }
  }

  func bytes() throws -> [UInt8] {
    let url = packageRoot.appendingPathComponent("Tests/Fuzz/Seeds/\(target)/\(name)")
    return [UInt8](try Data(contentsOf: url))
  }
}

/// The new fuzz targets' checks (FuzzChecks) on their committed seeds: what the fuzzer starts
/// from passes, and a regression seed keeps passing once its bug is fixed.
@Suite("The fuzz targets' seeds pass their checks")
struct FuzzSeedTests {
  @Test("Each target has seeds, with regression seeds among them where a bug was found")
  func seedsExist() {
    #expect(FuzzSeed.all("FuzzRegex").count >= 20)
    #expect(FuzzSeed.all("FuzzHistoryImport").count >= 5)
    #expect(FuzzSeed.all("FuzzReplay").count >= 5)
    #expect(FuzzSeed.all("FuzzJSONata").count >= 25)
  }

  @Test(
    "FuzzJSONata seeds: expressions parse or fail with a located error, and evaluate alike twice",
    arguments: FuzzSeed.all("FuzzJSONata"))
  func jsonata(_ seed: FuzzSeed) throws {
    let problems = JSONataCheck.problems(try seed.bytes())
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
  }

  @Test("The JSONata check reports what it is shown, and seeds reach each kind of outcome")
  func jsonataOutcomes() throws {
    var outcomes: [String: [String]] = [:]
    for seed in FuzzSeed.all("FuzzJSONata") {
      let kind = JSONataCheck.outcomeKind(try seed.bytes())
      outcomes[kind, default: []].append(seed.name)
    }
    #expect(outcomes["syntax error"]?.contains("syntax-error.txt") == true)
    #expect(outcomes["evaluation error"]?.contains("eval-error.txt") == true)
    #expect(outcomes["evaluation error"]?.contains("step-budget.txt") == true)
    #expect((outcomes["value"]?.count ?? 0) >= 20, "\(outcomes)")
    // A first line that is not JSONata at all fails with an S code inside the text.
    #expect(JSONataCheck.problems(Array(")(\n{}".utf8)).isEmpty)
    #expect(JSONataCheck.outcomeKind(Array(")(\n{}".utf8)) == "syntax error")
  }

  @Test(
    "FuzzRegex seeds: compiled patterns agree with themselves", arguments: FuzzSeed.all("FuzzRegex")
  )
  func regex(_ seed: FuzzSeed) throws {
    let problems = RegexCheck.problems(try seed.bytes())
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
  }

  @Test(
    "FuzzHistoryImport seeds import and export again to the same text",
    arguments: FuzzSeed.all("FuzzHistoryImport"))
  func historyImport(_ seed: FuzzSeed) throws {
    let outcome = HistoryImportCheck.check(try seed.bytes())
    #expect(outcome.problems.isEmpty, "\(outcome.problems.joined(separator: "\n"))")
    #expect(outcome.imported || seed.name.hasPrefix("error-"))
  }

  @Test(
    "FuzzReplay seeds: recorded histories replay, changed ones report",
    arguments: FuzzSeed.all("FuzzReplay"))
  func replay(_ seed: FuzzSeed) async throws {
    let problems = await ReplayCheck.problems(try seed.bytes())
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
  }

  /// Every shipped workflow with each example input, joined the way `Tests/Fuzz/run` joins them
  /// for FuzzReplay (`#input media`: MediaTasks' simulated services answer the tasks).
  static let shippedWorkflows: [String] = {
    let examples = packageRoot.appendingPathComponent("StateMachines/examples")
    let files = (try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? []
    return files.filter { $0.hasSuffix(".input.json") }.sorted()
  }()

  @Test(
    "The shipped workflows replay as FuzzReplay records them, and changed, report",
    arguments: shippedWorkflows)
  func shippedWorkflow(_ inputFile: String) async throws {
    let workflow = try #require(inputFile.split(separator: ".").first)
    let definition = try Data(
      contentsOf: packageRoot.appendingPathComponent("StateMachines/\(workflow).asl.json"))
    let input = try Data(
      contentsOf: packageRoot.appendingPathComponent("StateMachines/examples/\(inputFile)"))
    let joined = [UInt8](definition) + Array("\n#input media\n".utf8) + [UInt8](input)
    // Unchanged; then the third event's payload replaced, and an event dropped, through text.
    for mutation in ["", "\n#mutate\n0f\u{2}\u{1}", "\n#mutate\n2a\u{5}\u{0}"] {
      let problems = await ReplayCheck.problems(joined + Array(mutation.utf8))
      #expect(problems.isEmpty, "\(mutation.debugDescription): \(problems.joined(separator: "\n"))")
    }
  }
}
