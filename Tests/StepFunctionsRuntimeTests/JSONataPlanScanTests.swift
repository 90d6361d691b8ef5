import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

@testable import StepFunctionsRuntime

/// ``JSONataPlan`` scans ASCII expressions byte by byte; these check the byte scans give what the
/// scans by Characters give.
@Suite("JSONata plans: the byte scan of ASCII text agrees with the scan by Characters")
struct JSONataPlanScanTests {
  static let texts = [
    "$states.input", "$states .input", "$states\t\r\n.input", "$states", "$states ", "$statesX",
    "$states_1.input", "$merge([$states.input, {'a': $states}])", "$states.context.Execution.Id",
    "$count($states.input.items) + $seen", "$x$y", "$", "$$", "$a1_b.c & $states.result",
    "$random() + $uuid()", "$shuffle($states.input)", "$states\r\n.input", "$states;", "",
    "$sum($states.input.items.v) & $_hidden & $9",
  ]

  @Test("usesStatesWhole and the names found agree on every sample text")
  func scansAgree() {
    for text in Self.texts {
      let bytes = Array(text.utf8)
      #expect(
        ASCIIScan.usesStatesWhole(bytes) == JSONataPlan.usesStatesWhole(text), "\(text)")
      var byBytes: Set<String> = []
      var byCharacters: Set<String> = []
      ASCIIScan.collectNames(in: bytes, into: &byBytes)
      JSONataPlan.collectNames(in: text, into: &byCharacters)
      #expect(byBytes == byCharacters, "\(text)")
      for word in ["context", "input", "result", "errorOutput", "$random"] {
        #expect(
          ASCIIScan.contains(bytes, Array(word.utf8)) == text.contains(word), "\(text) \(word)")
      }
    }
  }

  @Test("A plan's flags and variable names come from its expressions")
  func planFlags() throws {
    let machine = try StateMachine(
      json: """
        {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
          "A": {"Type": "Pass", "Output": "{% $merge([$states.input, {'n': $seen, 'r': $random()}]) %}",
                "End": true}}}
        """)
    let output = try #require(machine.plan.states.first?.jsonata?.output)
    #expect(output.variableNames == ["merge", "random", "seen"])
    #expect(output.usesInput && output.usesRandom)
    #expect(!output.usesContext && !output.usesResult && !output.usesErrorOutput)
  }
}
