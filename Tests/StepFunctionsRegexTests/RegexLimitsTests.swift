import StepFunctionsRegex
import Testing

@Suite("Regular expressions: rejected constructs, limits and linear time")
struct RegexLimitsTests {
  @Test(
    "Constructs that need backtracking or are invalid are rejected with a located error",
    arguments: [
      (#"(a)\1"#, RegularExpression.Flavor.java, 3, "backreferences"),
      (#"(?<n>a)\k<n>"#, .javaScript, 7, "named backreferences"),
      ("a(?=b)", .java, 1, "lookahead"), ("a(?!b)", .javaScript, 1, "lookahead"),
      ("(?<=a)b", .java, 0, "lookbehind"), ("(?<!a)b", .javaScript, 0, "lookbehind"),
      ("(?>a)", .java, 0, "atomic groups"), ("a*+", .java, 1, "possessive"),
      ("a{2}+", .java, 1, "possessive"), ("(a", .java, 0, "'(' is not closed"),
      ("a)", .java, 1, "unmatched ')'"), ("[ab", .java, 0, "not closed"),
      ("*a", .java, 0, "nothing to repeat"), ("a**", .java, 2, "nothing to repeat"),
      ("^*", .java, 1, "nothing to repeat"), ("a{3,2}", .java, 1, "out of order"),
      ("[z-a]", .java, 1, "out of order"), ("a{", .java, 1, "'{'"),
      ("{2}", .javaScript, 0, "nothing"),
      (#"\"#, .java, 0, "lone '\\'"), (#"\q"#, .java, 0, "unknown escape"),
      (#"\uD800"#, .java, 0, "lone surrogate"), (#"\x4"#, .java, 0, "hexadecimal"),
      (#"\p{Greek}"#, .java, 0, "not supported"), (#"\p{L}"#, .javaScript, 0, "u flag"),
      ("(?<a>x)(?<a>y)", .java, 7, "used twice"), ("(?i", .java, 3, "not closed"),
      ("(?U)a", .java, 2, "U flag"), ("(?i)a", .javaScript, 0, "unknown group"),
      (#"\R"#, .java, 0, "not supported"), ("a{100001}", .java, 1, "at most 100000"),
    ])
  func rejected(
    pattern: String, flavor: RegularExpression.Flavor, offset: Int, message: String
  ) {
    #expect {
      _ = try RegularExpression(pattern, flavor: flavor)
    } throws: { error in
      guard let error = error as? RegexSyntaxError else { return false }
      return error.offset == offset && error.message.contains(message) && error.pattern == pattern
    }
  }

  @Test("An error prints the pattern, the message and the offset")
  func errorDescription() {
    #expect(throws: RegexSyntaxError.self) { try RegularExpression("(a") }
    let error = RegexSyntaxError(
      message: "'(' is not closed; expected ')'", offset: 0, pattern: "(a")
    #expect(
      error.description
        == "Invalid regular expression '(a': '(' is not closed; expected ')' (at offset 0)")
  }

  @Test("JavaScript-only and Java-only flags are refused in the other flavour")
  func flavorFlags() {
    #expect(throws: RegexSyntaxError.self) {
      try RegularExpression("a", flavor: .javaScript, options: .comments)
    }
    #expect(throws: RegexSyntaxError.self) {
      try RegularExpression("a", flavor: .javaScript, options: .unixLines)
    }
  }

  @Test("Nesting deeper than 200 groups is an error, not a stack overflow")
  func nestingLimit() throws {
    let deep = String(repeating: "(", count: 201) + "a" + String(repeating: ")", count: 201)
    #expect(throws: RegexSyntaxError.self) { try RegularExpression(deep) }
    let classes = String(repeating: "[", count: 50_000)
    #expect(throws: RegexSyntaxError.self) { try RegularExpression(classes) }
    let hostile = String(repeating: "(?:", count: 50_000)
    #expect(throws: RegexSyntaxError.self) { try RegularExpression(hostile) }
    let allowed = String(repeating: "(?:", count: 200) + "a" + String(repeating: ")", count: 200)
    #expect(try RegularExpression(allowed).matchesWhole("a"))
  }

  @Test("Patterns that compile to more than 10,000 instructions are refused")
  func sizeLimit() throws {
    #expect(throws: RegexSyntaxError.self) { try RegularExpression("(?:a{100}){101}") }
    #expect(throws: RegexSyntaxError.self) { try RegularExpression("a{0,100000}") }
    #expect(throws: RegexSyntaxError.self) {
      try RegularExpression(String(repeating: "(a)", count: 257))
    }
    #expect(
      try RegularExpression("(?:a{100}){50}").matchesWhole(String(repeating: "a", count: 5000)))
  }

  @Test(
    "Patterns that make backtracking engines take exponential time match in linear time",
    arguments: [
      ("(a+)+b", 30), ("(a+)+b", 5_000), ("(a|aa)*c", 5_000), ("(.*a){20}", 30),
      ("(.*a){20}", 2_000), ("(a*)*b", 5_000), ("(a|a?)+b", 5_000), ("^(\\w+\\s?)*$", 3_000),
    ])
  func redos(pattern: String, length: Int) throws {
    let text = String(repeating: "a", count: length) + (pattern.hasPrefix("^") ? "!" : "")
    for flavor in [RegularExpression.Flavor.java, .javaScript] {
      let regex = try RegularExpression(pattern, flavor: flavor)
      let expected = pattern == "(.*a){20}"
      #expect(regex.matchesWhole(text) == expected)
      #expect((regex.firstMatch(in: text) != nil) == expected)
    }
  }

  @Test(
    "The regular expressions of the JSONata reference suite compile and match as it expects",
    arguments: [
      ("b+", "ababbxabbcc", "", ["1..<2", "3..<5", "7..<9"]),
      ("d+", "ababbxabbcc", "", []), ("ab+", "ababbxabbcc", "", ["0..<2", "2..<5", "6..<9"]),
      ("ax+", "ababbxabbcc", "", []), ("hat", "Bowler Hat", "i", ["7..<10"]),
      ("(\\w+)\\s(\\w+)", "John Smith", "", ["0..<10"]), ("([0-9]+)USD", "265USD", "", ["0..<6"]),
      ("(ab)|(a)", "abcd", "", ["0..<2"]), ("bra", "abracadabra", "", ["1..<4", "8..<11"]),
      ("a.*a", "abracadabra", "", ["0..<11"]), ("a.*?a", "abracadabra", "", ["0..<4", "5..<8"]),
      ("a(.)", "abracadabra", "", ["0..<2", "3..<5", "5..<7", "7..<9"]),
      ("A+", "AAAA", "", ["0..<4"]), ("A+?", "AAAA", "", ["0..<1", "1..<2", "2..<3", "3..<4"]),
      ("^(.*?)d(.*)$", "darted", "", ["0..<6"]), ("(h)(at)", "Bowler HAT", "i", ["7..<10"]),
      ("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)(l)(m)", "abcdefghijklmno", "", ["0..<13"]),
      ("(ijk)", "abcdefghijklmno", "", ["8..<11"]), ("xyz", "abcdefghijklmno", "", []),
      ("(-?\\d+(?:\\.\\d*)?)F\\b", "temperature = 68F today", "", ["14..<17"]),
      ("^(\\w*\\s\\w*)", "Felicia Saunders", "", ["0..<16"]), ("^A", "Alpha", "", ["0..<1"]),
      ("mozilla.org", "https://mozilla.org", "", ["8..<19"]),
      (".*?", "ab", "", ["0..<0", "1..<1", "2..<2"]),
    ])
  func jsonataSuite(pattern: String, text: String, flags: String, expected: [String]) throws {
    let options: RegularExpression.Options = flags == "i" ? .ignoreCase : []
    #expect(try allMatches(pattern, text, flavor: .javaScript, options: options) == expected)
  }

  @Test("A compiled expression is shared by concurrent tasks")
  func concurrentUse() async throws {
    let regex = try RegularExpression("(a|b)+c")
    let results = await withTaskGroup(of: Bool.self) { group in
      for index in 0..<16 {
        group.addTask { regex.matchesWhole(String(repeating: "ab", count: index + 1) + "c") }
      }
      var all: [Bool] = []
      for await result in group { all.append(result) }
      return all
    }
    #expect(results.count == 16)
    #expect(results.allSatisfy { $0 })
  }

  @Test("Expressions are equal when pattern, flavour and options are")
  func equality() throws {
    let one = try RegularExpression("a+", options: .ignoreCase)
    #expect(one == (try RegularExpression("a+", options: .ignoreCase)))
    #expect(one != (try RegularExpression("a+")))
    #expect(one != (try RegularExpression("a+", flavor: .javaScript, options: .ignoreCase)))
    #expect(Set([one, try RegularExpression("a+", options: .ignoreCase)]).count == 1)
    #expect(one.description == "/a+/")
  }
}
