import Foundation
import StepFunctionsRegex
import Testing

/// A small deterministic generator (SplitMix64), so the generated cases are the same every run.
private struct SplitMix64 {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var value = state
    value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
    value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
    return value ^ (value >> 31)
  }

  mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

  mutating func pick<Element>(_ elements: [Element]) -> Element { elements[below(elements.count)] }
}

/// Random patterns over the syntax both engines share, and texts over a small alphabet.
///
/// Where ICU (behind `NSRegularExpression`) and Java differ, this engine follows Java, so the
/// generator avoids those corners, which the hand-written tests cover: a lazy quantifier or a
/// counted minimum over a subpattern that can match the empty string, and multiline `^` on an
/// empty text. Texts are ASCII, where ICU's Unicode `\w`, `\d`, `\s`, `\b` and case folding agree
/// with Java's ASCII ones.
private struct PatternGenerator {
  var random: SplitMix64
  private var groupNames = 0
  private static let atoms = [
    "a", "b", "c", "A", "1", " ", ".", "\\.", "[ab]", "[^a]", "[a-c]", "[a\\d]", "[^\\s]", "\\d",
    "\\w", "\\s", "\\W", "(?:)", "(?:b||a)",
  ]
  private static let anchors = ["^", "$", "\\b", "\\B"]
  private static let greedyQuantifiers = ["*", "+", "?", "{0,}", "{0,1}", "{0,2}"]
  private static let quantifiers = ["*", "+", "?", "{2}", "{1,2}", "{0,}", "{2,}", "{0,1}"]

  init(seed: UInt64) {
    random = SplitMix64(state: seed)
  }

  /// A pattern, and whether it can match the empty string.
  mutating func pattern(depth: Int) -> (text: String, nullable: Bool) {
    switch random.below(depth <= 0 ? 2 : 10) {
    case 0:
      let atom = random.pick(Self.atoms)
      return (atom, atom.hasPrefix("(?:"))
    case 1:
      if random.below(4) == 0 { return (random.pick(Self.anchors), true) }
      return pattern(depth: 0)
    case 2, 3:
      var parts: [(text: String, nullable: Bool)] = []
      for _ in 0...random.below(3) { parts.append(pattern(depth: depth - 1)) }
      return (parts.map(\.text).joined(), parts.allSatisfy(\.nullable))
    case 4:
      let left = pattern(depth: depth - 1)
      let right = pattern(depth: depth - 1)
      return (left.text + "|" + right.text, left.nullable || right.nullable)
    case 5, 6:
      let body = pattern(depth: depth - 1)
      switch random.below(3) {
      case 0: return ("(" + body.text + ")", body.nullable)
      case 1: return ("(?:" + body.text + ")", body.nullable)
      default:
        groupNames += 1
        return ("(?<n\(groupNames)>" + body.text + ")", body.nullable)
      }
    default:
      var body = pattern(depth: depth - 1)
      if Self.anchors.contains(body.text) || body.text.isEmpty { body = ("a", false) }
      let quantifier: String
      if body.nullable {
        quantifier = random.pick(Self.greedyQuantifiers)
      } else {
        quantifier = random.pick(Self.quantifiers) + (random.below(3) == 0 ? "?" : "")
      }
      let single = Self.atoms.contains(body.text) && !body.text.hasPrefix("(")
      let operand = single ? body.text : "(" + body.text + ")"
      let minimum =
        quantifier.hasPrefix("+") || quantifier.hasPrefix("{1") || quantifier.hasPrefix("{2")
      return (operand + quantifier, body.nullable || !minimum)
    }
  }

  mutating func text(nonEmpty: Bool) -> String {
    let alphabet: [Character] = ["a", "b", "c", "A", "1", " ", "\n", "."]
    let length = random.below(9) + (nonEmpty ? 1 : 0)
    return String((0..<length).map { _ in random.pick(alphabet) })
  }
}

@Suite("Regular expressions against NSRegularExpression")
struct DifferentialTests {
  @Test(
    "Generated patterns find the same matches and groups as ICU's engine",
    arguments: [1, 2, 3, 4] as [UInt64])
  func matchesICU(seed: UInt64) throws {
    var generator = PatternGenerator(seed: seed)
    var compared = 0
    for _ in 0..<100 {
      let pattern = generator.pattern(depth: 3).text
      var options: RegularExpression.Options = []
      var icuOptions: NSRegularExpression.Options = []
      if generator.random.below(4) == 0 {
        options.insert(.ignoreCase)
        icuOptions.insert(.caseInsensitive)
      }
      if generator.random.below(4) == 0 {
        options.insert(.multiline)
        icuOptions.insert(.anchorsMatchLines)
      }
      if generator.random.below(4) == 0 {
        options.insert(.dotMatchesLineTerminators)
        icuOptions.insert(.dotMatchesLineSeparators)
      }
      let ours = try RegularExpression(pattern, options: options)
      let icu = try NSRegularExpression(pattern: pattern, options: icuOptions)
      let icuWhole = try NSRegularExpression(
        pattern: "\\A(?:" + pattern + ")\\z", options: icuOptions)
      for _ in 0..<3 {
        let text = generator.text(nonEmpty: options.contains(.multiline))
        let whole = NSRange(location: 0, length: (text as NSString).length)
        let expected = icu.matches(in: text, range: whole).map { match in
          (0..<match.numberOfRanges).map { describe(match.range(at: $0)) }
        }
        let actual = ours.matches(in: text).map { match in
          ([match.range] + match.groupRanges).map { range in
            range.map { describe(NSRange($0, in: text)) } ?? "nil"
          }
        }
        #expect(
          actual == expected,
          "pattern \(pattern) options \(options.rawValue) text \(text.debugDescription)")
        #expect(
          ours.matchesWhole(text) == (icuWhole.firstMatch(in: text, range: whole) != nil),
          "whole match of \(pattern) on \(text.debugDescription)")
        compared += 1
      }
    }
    #expect(compared == 300)
  }

  private func describe(_ range: NSRange) -> String {
    range.location == NSNotFound ? "nil" : "\(range.location)..<\(range.location + range.length)"
  }
}
