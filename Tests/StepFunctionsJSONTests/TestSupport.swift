import CorpusSupport
import Foundation
import StepFunctionsJSON
import Testing

/// Parses `text`, recording an issue unless it fails with `kind` at `line:column`.
func expectParseError(
  _ text: String, _ kind: JSONParseError.Kind, at line: Int, _ column: Int,
  options: JSONParser.Options = JSONParser.Options(),
  sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
  expectParseError(
    Array(text.utf8), kind, at: line, column, options: options, sourceLocation: sourceLocation)
}

/// Parses `bytes`, recording an issue unless it fails with `kind` at `line:column`.
func expectParseError(
  _ bytes: [UInt8], _ kind: JSONParseError.Kind, at line: Int, _ column: Int,
  options: JSONParser.Options = JSONParser.Options(),
  sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
  do {
    let value = try JSONParser.parse(bytes, options: options)
    Issue.record("expected \(kind) but parsed \(value)", sourceLocation: sourceLocation)
  } catch {
    #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
    #expect(error.location.line == line, "\(error)", sourceLocation: sourceLocation)
    #expect(error.location.column == column, "\(error)", sourceLocation: sourceLocation)
    #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
  }
}

/// The number in a JSON text that must be a single number.
func number(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws
  -> JSONNumber
{
  let value = try JSONParser.parse(text)
  return try #require(value.numberValue, sourceLocation: sourceLocation)
}

/// SplitMix64: a tiny, seedable pseudo-random generator, so fuzz runs are reproducible.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

extension Corpus {
  /// `localstack/executions/pure` inside the corpus (where it is expected when absent).
  static let pureExecutions = expectedLocation.appendingPathComponent(
    "localstack/executions/pure", isDirectory: true)

  /// The file names of the pure executions, sorted; empty when the corpus is absent.
  static func pureExecutionFiles() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: pureExecutions.path)) ?? []
    return names.filter { $0.hasSuffix(".json") }.sorted()
  }
}
