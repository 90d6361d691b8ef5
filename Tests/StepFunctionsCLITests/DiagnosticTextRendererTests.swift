import StepFunctions
import StepFunctionsCLI
import Testing

@Suite("Compiler-style diagnostic text")
struct DiagnosticTextRendererTests {
  static let source = SourceText(
    """
    {
      "StartAt": "A",
    \t"States": {"Ä": 1},
      "Comment": "名前", "Next": "B"
    }
    """)

  func diagnostic(
    _ severity: Diagnostic.Severity = .error, line: Int, column: Int, pointer: JSONPointer = []
  ) -> Diagnostic {
    Diagnostic(
      severity: severity, code: .missingTransitionTarget, message: "State 'B' does not exist",
      pointer: pointer, location: SourceLocation(line: line, column: column, offset: 0))
  }

  @Test("An error prints file:line:column, the message and code, the line, and a caret")
  func errorBlock() {
    let renderer = DiagnosticTextRenderer(fileName: "dir/m.asl.json", source: Self.source)
    #expect(
      renderer.render(diagnostic(line: 2, column: 14))
        == """
        dir/m.asl.json:2:14: error: State 'B' does not exist [MISSING_TRANSITION_TARGET]
          "StartAt": "A",
                     ^

        """)
  }

  @Test("A warning says warning")
  func warningBlock() {
    let renderer = DiagnosticTextRenderer(fileName: "m.json", source: Self.source)
    let text = renderer.render(diagnostic(.warning, line: 1, column: 1))
    #expect(
      text == "m.json:1:1: warning: State 'B' does not exist [MISSING_TRANSITION_TARGET]\n{\n^\n")
  }

  @Test("A tab before the column is copied into the caret line so the caret lines up")
  func tabs() {
    let renderer = DiagnosticTextRenderer(fileName: "m.json", source: Self.source)
    // Column 13 is the quote before "Ä": a tab and 11 one-column scalars come before it.
    let lines = renderer.render(diagnostic(line: 3, column: 13)).split(separator: "\n")
    #expect(lines[1] == "\t\"States\": {\"Ä\": 1},")
    #expect(lines[2] == "\t" + String(repeating: " ", count: 11) + "^")
  }

  @Test("Non-ASCII characters before the column count once; wide ones take two spaces")
  func nonASCII() {
    // Line 3: column 16 is the colon after "Ä" (two bytes in UTF-8, one scalar, one column).
    let renderer = DiagnosticTextRenderer(fileName: "m.json", source: Self.source)
    let afterUmlaut = renderer.render(diagnostic(line: 3, column: 16)).split(separator: "\n")
    #expect(afterUmlaut[2] == "\t" + String(repeating: " ", count: 14) + "^")
    // Line 4: `  "Comment": "名前", "Next": "B"`; column 21 is the N of "Next".
    let afterWide = renderer.render(diagnostic(line: 4, column: 21)).split(separator: "\n")
    #expect(afterWide[1] == "  \"Comment\": \"名前\", \"Next\": \"B\"")
    // 14 one-column scalars, 2 wide ones (4 columns), 4 more: 22 columns before the caret.
    #expect(afterWide[2] == String(repeating: " ", count: 22) + "^")
  }

  @Test("A diagnostic without a location names the file and the pointer")
  func noLocation() {
    let renderer = DiagnosticTextRenderer(fileName: "m.json", source: Self.source)
    let atRoot = Diagnostic.error(
      .schemaValidationFailed, "Definition must be a valid JSON object", at: [])
    #expect(
      renderer.render(atRoot)
        == "m.json: error: Definition must be a valid JSON object [SCHEMA_VALIDATION_FAILED]\n")
    let nested = Diagnostic.warning(.noPath, "Looks like a path", at: ["States", "a/b", "Next"])
    #expect(
      renderer.render(nested)
        == "m.json: warning: Looks like a path [NO_PATH] at /States/a~1b/Next\n")
  }

  @Test("A location without source text, or past the last line, prints no excerpt")
  func noExcerpt() {
    let withoutSource = DiagnosticTextRenderer(fileName: "m.json", source: nil)
    #expect(
      withoutSource.render(diagnostic(line: 2, column: 3))
        == "m.json:2:3: error: State 'B' does not exist [MISSING_TRANSITION_TARGET]\n")
    let pastEnd = DiagnosticTextRenderer(fileName: "m.json", source: Self.source)
    #expect(
      pastEnd.render(diagnostic(line: 40, column: 1))
        == "m.json:40:1: error: State 'B' does not exist [MISSING_TRANSITION_TARGET]\n")
  }
}

@Suite("Source excerpts")
struct SourceExcerptTests {
  @Test("A caret past the end of the line sits just after the last character")
  func pastEndOfLine() {
    let excerpt = SourceExcerpt(lineText: "abc", column: 9)
    #expect(excerpt.line == "abc")
    #expect(excerpt.caret == "   ^")
  }

  @Test("Combining marks take no column")
  func combiningMarks() {
    // "e" + COMBINING ACUTE ACCENT is two scalars but one terminal column.
    let excerpt = SourceExcerpt(lineText: "e\u{301}x", column: 3)
    #expect(excerpt.caret == " ^")
  }

  @Test("Emoji take two columns")
  func emoji() {
    // Column 3 is the quote after the emoji: one column for the first quote, two for the emoji.
    let excerpt = SourceExcerpt(lineText: "\"😀\": 1", column: 3)
    #expect(excerpt.caret == "   ^")
  }

  @Test("Control characters and bidirectional overrides are escaped; the caret follows them")
  func controlCharacters() {
    // Column 7 is the "b": "a", ESC, "[31m" come before it.
    let excerpt = SourceExcerpt(lineText: "a\u{1B}[31mb\u{202E}c\u{7F}", column: 7)
    #expect(excerpt.line == #"a\u{1B}[31mb\u{202E}c\u{7F}"#)
    #expect(excerpt.caret == String(repeating: " ", count: 1 + 6 + 4) + "^")
    // A caret on an escaped character sits on its backslash.
    #expect(SourceExcerpt(lineText: "a\u{0}b", column: 2).caret == " ^")
  }

  @Test("Bytes that are not UTF-8 are shown as \\xHH, one per byte, and count one column each")
  func invalidBytes() {
    // Line 2: `"\xFF\xFE", "k": 1` then a caret on the k (column 7: quote, 2 bytes, quote,
    // comma, space).
    let source = SourceText([0x7B, 0x0A, 0x22, 0xFF, 0xFE, 0x22, 0x2C, 0x20, 0x6B, 0x0A])
    let excerpt = SourceExcerpt(
      source: source, location: SourceLocation(line: 2, column: 7, offset: 8))
    #expect(excerpt?.line == #""\xFF\xFE", k"#)
    #expect(excerpt?.caret == String(repeating: " ", count: 1 + 4 + 4 + 1 + 1 + 1) + "^")
    #expect(source.location(ofOffset: 8).column == 7)
  }

  @Test("A truncated multi-byte sequence is escaped byte by byte; valid scalars stay")
  func truncatedSequence() {
    // E2 82 is the start of "€" without its last byte; then "é" (C3 A9) and "x".
    let source = SourceText([0xE2, 0x82, 0xC3, 0xA9, 0x78])
    let excerpt = SourceExcerpt(
      source: source, location: SourceLocation(line: 1, column: 4, offset: 4))
    #expect(excerpt?.line == #"\xE2\x82éx"#)
    #expect(excerpt?.caret == String(repeating: " ", count: 9) + "^")
    #expect(source.location(ofOffset: 4).column == 4)
  }

  @Test("Messages that quote the definition have their control characters escaped")
  func messageEscaped() {
    let renderer = DiagnosticTextRenderer(fileName: "m.json", source: nil)
    let diagnostic = Diagnostic.error(
      .missingTransitionTarget, "Missing 'Next' target: \u{1B}]0;title\u{7}", at: [])
    #expect(
      renderer.render(diagnostic)
        == #"m.json: error: Missing 'Next' target: \u{1B}]0;title\u{7} [MISSING_TRANSITION_TARGET]"#
        + "\n")
  }

  @Test("A very long line is cut to a window around the caret, marked with dots")
  func longLine() {
    let line = String(repeating: "a", count: 300) + "X" + String(repeating: "b", count: 300)
    let excerpt = SourceExcerpt(lineText: line, column: 301)
    #expect(excerpt.line.hasPrefix("..."))
    #expect(excerpt.line.hasSuffix("..."))
    #expect(excerpt.line.count <= SourceExcerpt.maximumWidth)
    let caretOffset = excerpt.caret.count - 1
    #expect(excerpt.caret.last == "^")
    #expect(Array(excerpt.line)[caretOffset] == "X")
  }

  @Test("A long line with the caret near the start is cut only at the end")
  func longLineNearStart() {
    let line = "ab" + String(repeating: "c", count: 500)
    let excerpt = SourceExcerpt(lineText: line, column: 2)
    #expect(excerpt.line.hasPrefix("abc"))
    #expect(excerpt.line.hasSuffix("..."))
    #expect(excerpt.caret == " ^")
  }

  @Test("A line exactly at the width limit is shown whole")
  func lineAtLimit() {
    let line = String(repeating: "z", count: SourceExcerpt.maximumWidth)
    #expect(SourceExcerpt(lineText: line, column: 120).line == line)
  }
}

@Suite("Validation summary wording")
struct ValidationSummaryTests {
  @Test(
    "The summary names errors, then warnings, then files, with plurals",
    arguments: [
      (ValidationSummary(errors: 1, warnings: 0, filesWithProblems: 1), "1 error in 1 file"),
      (
        ValidationSummary(errors: 2, warnings: 1, filesWithProblems: 1),
        "2 errors, 1 warning in 1 file"
      ),
      (ValidationSummary(errors: 0, warnings: 3, filesWithProblems: 2), "3 warnings in 2 files"),
      (ValidationSummary(errors: 0, warnings: 0, filesWithProblems: 0), "no problems"),
    ])
  func wording(summary: ValidationSummary, text: String) {
    #expect(summary.description == text)
    #expect(summary.isClean == (text == "no problems"))
  }
}
