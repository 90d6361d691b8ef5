import CorpusSupport
import Foundation
import StepFunctions
import StepFunctionsCLI
import Testing

/// `text` repeated `count` times.
private func repeated(_ text: String, _ count: Int) -> String {
  String(repeating: text, count: count)
}

/// The definitions of issue 10's reproducer 10, as the fuzzer wrote them: one Pass state whose
/// `InputPath` nests thousands deep.
private let reproducers: [(file: String, path: String)] = [
  ("asl-jsonpath-nested-filter-4000.json", "$" + repeated("[?(@", 4_000) + repeated(")]", 4_000)),
  ("asl-jsonpath-not-50000.json", "$[?(" + repeated("!", 50_000) + "(@.a))]"),
  (
    "asl-jsonpath-parens-50000.json",
    "$[?(" + repeated("(", 50_000) + "@.a" + repeated(")", 50_000) + ")]"
  ),
  ("asl-jsonpath-array-literal-50000.json", "$[?(@.a == " + repeated("[", 50_000) + ")]"),
]

@Suite("sfn validate: issue 10's deep JSONPath reproducers")
struct DepthReproducerTests {
  @Test(
    "Each deeply nested InputPath is one located error and exit status 1, on a small stack",
    arguments: reproducers.map(\.file))
  func reproducer(file: String) async throws {
    let path = try #require(reproducers.first { $0.file == file }?.path)
    let definition =
      #"{"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "\#(path)", "End": true}}}"#
    let result = await runSFN(["validate", file], files: [file: definition])
    #expect(result.status == 1)
    let lines = result.output.split(separator: "\n")
    // The opening quote of the InputPath value, counted from 1.
    let quote = try #require(definition.range(of: "\"$"))
    let column = definition.distance(from: definition.startIndex, to: quote.lowerBound) + 1
    #expect(
      lines.first?.hasPrefix(
        "\(file):1:\(column): error: The value for the field 'InputPath' must be a valid JSONPath: "
      ) == true, "\(lines.first ?? "")")
    #expect(lines.first?.contains("nested more than 32 levels deep (at character ") == true)
    #expect(lines.first?.hasSuffix("[SCHEMA_VALIDATION_FAILED]") == true)
    #expect(lines.last == "1 error in 1 file")
    // The same validation on a 512 KiB stack, as a secondary thread on Apple platforms has.
    let report = try await SmallStack.run { Validator.validate(definition) }
    #expect(report.errors.count == 1)
  }
}
