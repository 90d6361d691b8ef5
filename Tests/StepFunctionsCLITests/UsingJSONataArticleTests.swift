import Foundation
import StepFunctions
import StepFunctionsCLI
import Testing

/// The samples of the DocC article `UsingJSONata.md`, run as tests so the article stays true.
@Suite("The 'Using JSONata' article")
struct UsingJSONataArticleTests {
  static let article = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Tests/StepFunctionsCLITests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // the package root
    .appendingPathComponent("Sources/StepFunctions/StepFunctions.docc/UsingJSONata.md")

  /// The article's text, or a recorded issue.
  static func text() throws -> String {
    try String(contentsOf: article, encoding: .utf8)
  }

  @Test("The run sample prints SUCCEEDED \"7.5 EUR\"")
  func runSample() async throws {
    let definition = """
      {"QueryLanguage": "JSONata",
       "StartAt": "Total",
       "States": {
         "Total": {"Type": "Pass",
                   "Assign": {"currency": "EUR"},
                   "Output": {"total": "{% $sum($states.input.items.price) %}"},
                   "Next": "Label"},
         "Label": {"Type": "Pass",
                   "Output": "{% $string($states.input.total) & ' ' & $currency %}",
                   "End": true}}}
      """
    // The article shows this definition, indented by two more spaces inside its `json:` call.
    let shown = definition.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
    #expect(try Self.text().contains(shown))

    let machine = try StateMachine(json: definition)
    let result = await machine.run(input: ["items": [["price": 3], ["price": 4.5]]])
    var printed = ""
    print(result.status, result.output ?? .null, to: &printed)
    #expect(printed == #"SUCCEEDED "7.5 EUR""# + "\n")
    #expect(try Self.text().contains(#"// SUCCEEDED "7.5 EUR""#))
  }

  @Test("The validation sample reports the syntax error at its line and column")
  func validationSample() throws {
    let definition =
      #"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% 1 + %}", "End": true}}}"#
    #expect(try Self.text().contains(definition))
    let report = Validator.validate(Array(definition.utf8))
    let lines = report.errors.map {
      "\($0.location.map(\.description) ?? "?") \($0.message) \($0.code)"
    }
    #expect(lines.count == 1)
    for line in lines { #expect(try Self.text().contains("// " + line)) }
  }

  @Test("The sfn jsonata samples print what the article shows")
  func commandSamples() async throws {
    let samples: [([String], String)] = [
      (
        [
          "jsonata", "$sum(items.price) * $rate", "--input",
          #"{"items": [{"price": 3}, {"price": 4.5}]}"#, "--bindings", #"{"rate": 2}"#,
        ], "15"
      ),
      (["jsonata", "$range(0, 10, 4)"], "[\n  0,\n  4,\n  8\n]"),
      (["jsonata", "1 +"], "error S0207 at position 3: Unexpected end of expression"),
    ]
    let text = try Self.text()
    for (arguments, expected) in samples {
      let run = await runSFN(arguments)
      #expect(run.output == expected + "\n")
      let quoted = arguments.map { $0.hasPrefix("-") || $0 == "jsonata" ? $0 : "'\($0)'" }
      #expect(text.contains("$ sfn " + quoted.joined(separator: " ") + "\n" + expected + "\n"))
    }
  }

  @Test("A path through a one-item array gives the item; [] keeps an array; a field stays as is")
  func sequences() async throws {
    let one = #"{"items": [{"price": 3}], "job": {"details": [1], "none": []}}"#
    #expect(await runSFN(["jsonata", "items.price", "--input", one]).output == "3\n")
    #expect(await runSFN(["jsonata", "items.price[]", "--input", one]).output == "[\n  3\n]\n")
    #expect(await runSFN(["jsonata", "job.details", "--input", one]).output == "[\n  1\n]\n")
    #expect(await runSFN(["jsonata", "job.none", "--input", one]).output == "[]\n")
    let two = #"{"items": [{"price": 3}, {"price": 4.5}]}"#
    #expect(
      await runSFN(["jsonata", "items.price", "--input", two]).output == "[\n  3,\n  4.5\n]\n")
    #expect(await runSFN(["jsonata", "x", "--input", #"{"x": 1.0}"#]).output == "1\n")
    let text = try Self.text()
    #expect(text.contains("(`1.0` becomes\n  `1`"))
    #expect(text.contains("is `3` for one item and `[3, 4.5]` for two"))
    #expect(text.contains("`$range(0, 10, 4)` is `[0, 4, 8]`"))
  }
}
