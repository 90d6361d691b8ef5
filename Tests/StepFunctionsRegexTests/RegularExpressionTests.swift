import StepFunctionsRegex
import Testing

/// Scalar offsets of a range in `text`, as `"start..<end"`, or `"nil"`.
func offsets(_ range: Range<String.Index>?, in text: String) -> String {
  guard let range else { return "nil" }
  let scalars = text.unicodeScalars
  let start = scalars.distance(from: scalars.startIndex, to: range.lowerBound)
  let end = scalars.distance(from: scalars.startIndex, to: range.upperBound)
  return "\(start)..<\(end)"
}

/// The first match and its groups as offsets (`["0..<2", "1..<2", "nil"]`), or `[]`.
func firstMatch(
  _ pattern: String, _ text: String, flavor: RegularExpression.Flavor = .java,
  options: RegularExpression.Options = []
) throws -> [String] {
  let regex = try RegularExpression(pattern, flavor: flavor, options: options)
  guard let match = regex.firstMatch(in: text) else { return [] }
  return [offsets(match.range, in: text)] + match.groupRanges.map { offsets($0, in: text) }
}

/// Every match as offsets of the whole match.
func allMatches(
  _ pattern: String, _ text: String, flavor: RegularExpression.Flavor = .java,
  options: RegularExpression.Options = []
) throws -> [String] {
  try RegularExpression(pattern, flavor: flavor, options: options).matches(in: text).map {
    offsets($0.range, in: text)
  }
}

@Suite("Regular expression syntax and semantics")
struct RegularExpressionTests {
  @Test(
    "Literals, escapes and the dot match what they stand for",
    arguments: [
      ("abc", "xabcx", "1..<4"), (#"a\.c"#, "abc a.c", "4..<7"),
      (#"\t\n\r\f"#, "\t\n\r\u{0C}", "0..<4"),
      (#"\x41\u0042"#, "AB", "0..<2"), (#"\x{1F600}"#, "😀", "0..<1"),
      (#"\uD83D\uDE00"#, "😀", "0..<1"),
      (#"\0101"#, "A", "0..<1"), (#"\cJ"#, "\n", "0..<1"), (#"\e\a"#, "\u{1B}\u{07}", "0..<2"),
      (#"\Qa.b*\E+"#, "a.b**", "0..<5"), ("a.c", "a\nc abc", "4..<7"), (".", "😀", "0..<1"),
      ("é", "café", "3..<4"),
    ])
  func literals(pattern: String, text: String, expected: String) throws {
    #expect(try firstMatch(pattern, text).first == expected)
  }

  @Test(
    "Character classes take ranges, negation, predefined sets, categories and Java's set algebra",
    arguments: [
      ("[a-c]+", "xxbcaz", "2..<5"), ("[^a-c]+", "abxyzc", "2..<5"),
      (#"[\d.]+"#, "v1.25!", "1..<5"),
      (#"\d+"#, "ab123c", "2..<5"), (#"\D+"#, "12ab3", "2..<4"), (#"\w+"#, "--a_1--", "2..<5"),
      (#"\W+"#, "ab--cd", "2..<4"), (#"\s+"#, "a \t\nb", "1..<4"), (#"\S+"#, "  ab ", "2..<4"),
      ("[]a]+", "x]a]", "1..<4"), ("[a-]+", "x-a-", "1..<4"), (#"[\]\[]+"#, "x[]", "1..<3"),
      (#"\p{Lu}+"#, "abCDé", "2..<4"), (#"\P{L}+"#, "ab12c", "2..<4"),
      (#"\p{Alpha}+"#, "12ab", "2..<4"),
      ("[a-z&&[^aeiou]]+", "aebcdi", "2..<5"), ("[a[0-9]]+", "-a1b", "1..<3"),
      (#"\h+"#, "a \tb", "1..<3"),
      (#"[\s\d]+"#, "a 1 b", "1..<4"),
    ])
  func classes(pattern: String, text: String, expected: String) throws {
    #expect(try firstMatch(pattern, text).first == expected)
  }

  @Test("Anchors and word boundaries hold where Java says")
  func anchors() throws {
    #expect(try allMatches("^a", "a\na") == ["0..<1"])
    #expect(try allMatches("^a", "a\na", options: .multiline) == ["0..<1", "2..<3"])
    #expect(try allMatches("a$", "a\na", options: .multiline) == ["0..<1", "2..<3"])
    // Java's `$` also matches before a final line terminator; `\z` does not; `\Z` does.
    #expect(try allMatches("a$", "a\n") == ["0..<1"])
    #expect(try allMatches(#"a\z"#, "a\n") == [])
    #expect(try allMatches(#"a\Z"#, "a\r\n") == ["0..<1"])
    #expect(try allMatches(#"\Aa"#, "a\na", options: .multiline) == ["0..<1"])
    // `\r\n` is one line terminator: `$` does not match between its halves, nor `^`.
    #expect(try allMatches("$", "\r\n", options: .multiline) == ["0..<0", "2..<2"])
    #expect(try allMatches("^", "a\r\nb", options: .multiline) == ["0..<0", "3..<3"])
    // Java's multiline `^` never matches at the end of the text.
    #expect(try allMatches("^", "a\n", options: .multiline) == ["0..<0"])
    #expect(try allMatches(#"\bfoo\b"#, "foo food foo") == ["0..<3", "9..<12"])
    #expect(try allMatches(#"\Boo\B"#, "foo food") == ["5..<7"])
    #expect(try allMatches(".", "\n\r\u{85}\u{2028}a") == ["4..<5"])
    #expect(try allMatches(".", "\n\ra", options: .dotMatchesLineTerminators).count == 3)
    #expect(try allMatches(".", "\r\u{85}a", options: .unixLines) == ["0..<1", "1..<2", "2..<3"])
  }

  @Test("JavaScript's flavour has its own escapes, classes, anchors and braces")
  func javaScriptFlavor() throws {
    let js = RegularExpression.Flavor.javaScript
    #expect(try allMatches("a$", "a\n", flavor: js) == [])
    #expect(try allMatches("^", "a\n", flavor: js, options: .multiline) == ["0..<0", "2..<2"])
    #expect(try firstMatch(#"\v\0"#, "\u{0B}\0", flavor: js) == ["0..<2"])
    #expect(try firstMatch("[]", "a", flavor: js) == [])
    #expect(try firstMatch("[^]+", "a\nb", flavor: js) == ["0..<3"])
    #expect(try firstMatch("a{,2}", "a{,2}", flavor: js) == ["0..<5"])
    #expect(try firstMatch("a{2}", "aaa", flavor: js) == ["0..<2"])
    #expect(try firstMatch(#"[\b]"#, "a\u{08}", flavor: js) == ["1..<2"])
    #expect(try firstMatch(#"\s+"#, "a\u{A0}\u{FEFF}b", flavor: js) == ["1..<3"])
    #expect(try firstMatch(#"\u{1F600}"#, "😀", flavor: js, options: .unicode) == ["0..<1"])
    #expect(try firstMatch(#"\p{Ll}+"#, "ABcd", flavor: js, options: .unicode) == ["2..<4"])
    #expect(try firstMatch(".", "\u{85}", flavor: js) == ["0..<1"])
  }

  @Test("Groups capture, do not capture, or capture by name")
  func groups() throws {
    #expect(try firstMatch("(a)(?:b)(c)", "abc") == ["0..<3", "0..<1", "2..<3"])
    #expect(try firstMatch("(a)|(b)", "b") == ["0..<1", "nil", "0..<1"])
    let regex = try RegularExpression("(?<year>\\d{4})-(?<month>\\d\\d)")
    #expect(regex.captureGroupCount == 2)
    #expect(regex.captureGroupNames == ["year", "month"])
    let text = "on 2024-05"
    let match = try #require(regex.firstMatch(in: text))
    #expect(offsets(match["year"], in: text) == "3..<7")
    #expect(offsets(match["month"], in: text) == "8..<10")
    #expect(offsets(match[0], in: text) == "3..<10")
    #expect(match["day"] == nil)
    #expect(match[3] == nil)
  }

  @Test("Quantifiers are greedy, or lazy with '?', and counted ones repeat within bounds")
  func quantifiers() throws {
    #expect(try firstMatch("a*", "aaab") == ["0..<3"])
    #expect(try firstMatch("a*?", "aaab") == ["0..<0"])
    #expect(try firstMatch("a+?", "aaab") == ["0..<1"])
    #expect(try firstMatch("a??b", "ab") == ["0..<2"])
    #expect(try firstMatch("a{2}", "aaaa") == ["0..<2"])
    #expect(try firstMatch("a{2,}", "aaaa") == ["0..<4"])
    #expect(try firstMatch("a{2,3}", "aaaa") == ["0..<3"])
    #expect(try firstMatch("a{2,3}?", "aaaa") == ["0..<2"])
    #expect(try firstMatch("<(.+)>", "<a><b>") == ["0..<6", "1..<5"])
    #expect(try firstMatch("<(.+?)>", "<a><b>") == ["0..<3", "1..<2"])
    #expect(try firstMatch("(a|ab)(c|bcd)(d*)", "abcd") == ["0..<4", "0..<1", "1..<4", "4..<4"])
  }

  @Test("Matches are leftmost-first, as a backtracking engine finds them")
  func leftmostFirst() throws {
    #expect(try firstMatch("a|ab", "ab") == ["0..<1"])
    #expect(try firstMatch("ab|a", "ab") == ["0..<2"])
    // The whole-text test explores every alternative, as Java's `matches()` does.
    #expect(try RegularExpression("a|ab").matchesWhole("ab"))
    #expect(try firstMatch("(a*)*", "b") == ["0..<0", "0..<0"])
    #expect(try firstMatch("(a*)*", "aab") == ["0..<2", "2..<2"])
    #expect(try firstMatch("(a|a)*", "aaa") == ["0..<3", "2..<3"])
    #expect(try firstMatch("(a*)+", "aa") == ["0..<2", "2..<2"])
    // Java: an iteration that matches empty ends the loop; JavaScript rejects the iteration.
    #expect(try firstMatch("(?:b||a)+", "ba") == ["0..<1"])
    #expect(try firstMatch("(?:b||a)+", "ba", flavor: .javaScript) == ["0..<2"])
    #expect(try firstMatch("(|a)?", "a") == ["0..<0", "0..<0"])
    #expect(try firstMatch("(|a)?", "a", flavor: .javaScript) == ["0..<1", "0..<1"])
    // JavaScript forgets a repeated group's captures at each repetition; Java keeps them.
    #expect(try firstMatch("(?:(a)|b)+", "ab") == ["0..<2", "0..<1"])
    #expect(try firstMatch("(?:(a)|b)+", "ab", flavor: .javaScript) == ["0..<2", "nil"])
  }

  @Test("Every match is found left to right, and an empty match moves the search on")
  func everyMatch() throws {
    #expect(try allMatches("a*", "baab") == ["0..<0", "1..<3", "3..<3", "4..<4"])
    #expect(try allMatches("", "ab") == ["0..<0", "1..<1", "2..<2"])
    #expect(try allMatches("x*", "😀😀") == ["0..<0", "1..<1", "2..<2"])
    #expect(try allMatches("b+", "ababbxabbcc") == ["1..<2", "3..<5", "7..<9"])
    let regex = try RegularExpression("b+")
    #expect(regex.matches(in: "ababbxabbcc", limit: 2).count == 2)
    // A later search still sees the text before its start.
    let text = "ab"
    let second = text.index(after: text.startIndex)
    #expect(try RegularExpression("^b").firstMatch(in: text, from: second) == nil)
    #expect(try RegularExpression(#"\Bb"#).firstMatch(in: text, from: second) != nil)
    #expect(try RegularExpression("a").firstMatch(in: text, from: text.endIndex) == nil)
  }

  @Test("Case-insensitive matching folds ASCII in Java, and all of Unicode with the u flag")
  func caseFolding() throws {
    #expect(try firstMatch("hello", "HeLLo", options: .ignoreCase) == ["0..<5"])
    #expect(try firstMatch("(?i)hello", "HeLLo") == ["0..<5"])
    #expect(try firstMatch("a(?i)b|c", "aB") == ["0..<2"])
    #expect(try firstMatch("a(?i:b)c", "aBC") == [])
    #expect(try firstMatch("[a-c]+", "ABC", options: .ignoreCase) == ["0..<3"])
    #expect(try firstMatch("[^a]", "A", options: .ignoreCase) == [])
    #expect(try firstMatch("é", "É", options: .ignoreCase) == [])
    #expect(try firstMatch("é", "É", options: [.ignoreCase, .unicode]) == ["0..<1"])
    #expect(try firstMatch("k", "\u{212A}", options: [.ignoreCase, .unicode]) == ["0..<1"])
    #expect(try firstMatch("σ", "Σς", options: [.ignoreCase, .unicode]) == ["0..<1"])
    // JavaScript without u compares uppercase forms, for all of Unicode.
    #expect(try firstMatch("é", "É", flavor: .javaScript, options: .ignoreCase) == ["0..<1"])
    #expect(try firstMatch("hat", "HAT", flavor: .javaScript, options: .ignoreCase) == ["0..<3"])
  }

  @Test("Java's comments flag ignores white space and '#' comments in the pattern")
  func commentsMode() throws {
    #expect(try firstMatch("a b # comment\n c+", "abcc", options: .comments) == ["0..<4"])
    #expect(try firstMatch("(?x) a [ b ]", "ab") == ["0..<2"])
  }
}
