/// A regular expression that matches in time linear in the text, whatever the pattern.
///
/// The pattern is parsed in Java's syntax (JSONPath filters, as Jayway JsonPath reads them) or
/// JavaScript's (JSONata), compiled once into a small program, and run by a Pike VM: a
/// breadth-first simulation that keeps threads in priority order. Matches and capture groups are
/// the ones a backtracking engine finds (leftmost-first: `a|ab` on `ab` matches `a`), but no
/// pattern can make matching backtrack: `(a+)+b` on a long run of `a`s costs what `a+b` costs.
///
/// What needs backtracking is rejected with a located `RegexSyntaxError`: backreferences,
/// lookahead and lookbehind, atomic groups, possessive quantifiers.
///
/// The text is read as Unicode scalars: `.` matches one scalar, and a `\uD83D\uDE00` escape is
/// one scalar. (JavaScript without the `u` flag reads UTF-16 code units, so there `.` matches
/// half of an emoji; here it matches the emoji.) Ranges in results are `String` indices.
///
/// The compiled program is immutable: a value can be shared between threads and used
/// concurrently; each match allocates its own working lists.
public struct RegularExpression: Sendable, Hashable, CustomStringConvertible {
  /// Which language's regular-expression syntax a pattern is written in.
  public enum Flavor: Sendable, Hashable {
    /// `java.util.regex`, as Jayway JsonPath (and so ASL's JSONPath filters) uses it: `\A`, `\z`,
    /// `\Z`, `\Q…\E`, `\h`, `\v` (vertical space), octal `\0nn`, `\x{…}`, nested classes and
    /// `&&`, inline flags `(?i)` / `(?i:…)`; `$` also matches before a final line terminator.
    case java
    /// ECMAScript, as JSONata uses it: `\v` is U+000B, `\0` is NUL, `[]` matches nothing and
    /// `[^]` anything, a brace that does not start a repetition is literal, `$` matches only at
    /// the end, and a repeated group forgets its captures on each repetition.
    case javaScript
  }

  /// Flags that change how a pattern matches.
  public struct Options: OptionSet, Sendable, Hashable {
    /// The bits.
    public let rawValue: Int

    /// Creates options from their bits.
    public init(rawValue: Int) {
      self.rawValue = rawValue
    }

    /// `i`: letters match regardless of case. Java without `unicode` folds ASCII letters only;
    /// JavaScript without `unicode` compares uppercase forms; with `unicode`, simple case folding.
    public static let ignoreCase = Options(rawValue: 1 << 0)
    /// `m`: `^` and `$` also match at line starts and ends.
    public static let multiline = Options(rawValue: 1 << 1)
    /// `s`: `.` also matches line terminators.
    public static let dotMatchesLineTerminators = Options(rawValue: 1 << 2)
    /// `u`: Java's `UNICODE_CASE` (Unicode case folding with `i`); JavaScript's unicode mode
    /// (`\u{…}`, `\p{…}`, strict escapes, case folding).
    public static let unicode = Options(rawValue: 1 << 3)
    /// `x` (Java only): white space and `#` comments in the pattern are ignored.
    public static let comments = Options(rawValue: 1 << 4)
    /// `d` (Java only): only `\n` ends a line, for `.`, `^` and `$`.
    public static let unixLines = Options(rawValue: 1 << 5)
  }

  /// The pattern as written.
  public let pattern: String
  /// The syntax the pattern is read in.
  public let flavor: Flavor
  /// The flags given when compiling (inline flags in the pattern are not added here).
  public let options: Options
  private let program: Program

  /// Compiles a pattern.
  ///
  /// - Throws: `RegexSyntaxError` with the offset of the problem when the pattern is invalid,
  ///   uses a construct that needs backtracking, nests groups more than 200 deep, has more than
  ///   256 capture groups, or compiles to more than 10,000 instructions (counted repetitions
  ///   such as `{1000}` are expanded).
  /// - Complexity: O(p) for a pattern that compiles to p instructions, plus, for a case-
  ///   insensitive class, the size of its ranges (at most the 128K scalars where cased letters
  ///   live).
  public init(_ pattern: String, flavor: Flavor = .java, options: Options = [])
    throws(RegexSyntaxError)
  {
    var parser = RegexParser(pattern: pattern, flavor: flavor, options: options)
    let node = try parser.parse()
    self.program = try Program(
      node, flavor: flavor, captureNames: parser.captureNames, pattern: pattern)
    self.pattern = pattern
    self.flavor = flavor
    self.options = options
  }

  /// The number of capture groups (not counting the whole match).
  public var captureGroupCount: Int { program.captureCount }

  /// The name of each capture group, in order (index 0 is group 1); nil for an unnamed group.
  public var captureGroupNames: [String?] { program.captureNames }

  /// Whether the whole of `text` matches (Java's `Matcher.matches()`).
  ///
  /// - Complexity: O(n × p) for n scalars of text and a program of p instructions.
  public func matchesWhole(_ text: String) -> Bool {
    run(on: text, from: nil, anchored: true, toEnd: true, anyMatch: true, slots: 0) != nil
  }

  /// The match of the whole of `text`, with its capture groups, or nil.
  ///
  /// - Complexity: O(n × p × g) for n scalars of text, a program of p instructions and g groups.
  public func wholeMatch(in text: String) -> RegexMatch? {
    run(on: text, from: nil, anchored: true, toEnd: true, anyMatch: false, slots: nil)
  }

  /// Whether some part of `text` matches.
  ///
  /// - Complexity: O(n × p) for n scalars of text and a program of p instructions.
  public func hasMatch(in text: String) -> Bool {
    run(on: text, from: nil, anchored: false, toEnd: false, anyMatch: true, slots: 0) != nil
  }

  /// The leftmost match in `text` that starts at or after `start`, with its capture groups.
  ///
  /// The text before `start` still counts for `^`, `\b` and the other assertions, as when a
  /// Java `Matcher.find` or a JavaScript `exec` continues from an earlier match. An index that
  /// falls inside a scalar is rounded down to the scalar's start.
  ///
  /// - Complexity: O(n × p × g) for n scalars of text, a program of p instructions and g groups.
  public func firstMatch(in text: String, from start: String.Index? = nil) -> RegexMatch? {
    run(on: text, from: start, anchored: false, toEnd: false, anyMatch: false, slots: nil)
  }

  /// Every match in `text`, left to right, without overlaps; at most `limit` of them.
  ///
  /// After an empty match the search resumes one scalar further on, as Java's `find()` and
  /// JavaScript's global matching do.
  ///
  /// - Complexity: O(n × p × g) for each match found, for n scalars of text, a program of p
  ///   instructions and g groups; a text with k matches costs at most O(k × n × p × g), and
  ///   usually O(n × p × g) in all, as each search stops soon after its match.
  public func matches(in text: String, limit: Int = .max) -> [RegexMatch] {
    var found: [RegexMatch] = []
    var start = text.startIndex
    while found.count < limit, let match = firstMatch(in: text, from: start) {
      found.append(match)
      if match.range.isEmpty {
        guard match.range.upperBound < text.endIndex else { break }
        start = text.unicodeScalars.index(after: match.range.upperBound)
      } else {
        start = match.range.upperBound
      }
    }
    return found
  }

  /// The pattern between slashes, as JavaScript writes it: `/ab+c/`.
  public var description: String { "/\(pattern)/" }

  /// Two expressions are equal when their pattern, flavour and options are.
  public static func == (lhs: RegularExpression, rhs: RegularExpression) -> Bool {
    lhs.pattern == rhs.pattern && lhs.flavor == rhs.flavor && lhs.options == rhs.options
  }

  /// Hashes the pattern, flavour and options.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(pattern)
    hasher.combine(flavor)
    hasher.combine(options)
  }

  /// Runs the program; `slots` nil tracks every capture group.
  private func run(
    on text: String, from start: String.Index?, anchored: Bool, toEnd: Bool, anyMatch: Bool,
    slots: Int?
  ) -> RegexMatch? {
    if let start, start > text.endIndex { return nil }
    let slotCount = slots ?? 2 * (program.captureCount + 1)
    var contiguous = text
    let found: [Int]? = contiguous.withUTF8 { bytes in
      let utf8 = UTF8Text(bytes: bytes)
      let offset =
        start.map { utf8.boundary(atOrBefore: text.utf8.distance(from: text.startIndex, to: $0)) }
        ?? 0
      var machine = PikeVM(
        program: program, text: utf8,
        mode: SearchMode(
          anchored: anchored, toEnd: toEnd, anyMatch: anyMatch, slotCount: slotCount))
      return machine.run(from: offset)
    }
    guard let found else { return nil }
    let utf8 = text.utf8
    func index(_ offset: Int) -> String.Index {
      utf8.index(utf8.startIndex, offsetBy: offset)
    }
    func range(_ group: Int) -> Range<String.Index>? {
      guard 2 * group + 1 < found.count else { return nil }
      let lower = found[2 * group]
      let upper = found[2 * group + 1]
      guard lower >= 0, upper >= lower else { return nil }
      return index(lower)..<index(upper)
    }
    let whole = range(0) ?? text.startIndex..<text.startIndex
    return RegexMatch(
      range: whole,
      groupRanges: slots == nil ? (0..<program.captureCount).map { range($0 + 1) } : [],
      groupNames: slots == nil ? program.captureNames : [])
  }
}

/// A match of a `RegularExpression`: where it is, and where each capture group is.
public struct RegexMatch: Sendable, Hashable {
  /// The matched part of the text.
  public let range: Range<String.Index>
  /// The range of each capture group, in order (index 0 is group 1); nil for a group that took
  /// no part in the match.
  public let groupRanges: [Range<String.Index>?]
  /// The name of each capture group, in order; nil for an unnamed group.
  public let groupNames: [String?]

  /// The range of group `number`: 0 is the whole match, 1 the first group; nil when the group
  /// took no part in the match or does not exist.
  public subscript(number: Int) -> Range<String.Index>? {
    if number == 0 { return range }
    guard number >= 1, number <= groupRanges.count else { return nil }
    return groupRanges[number - 1]
  }

  /// The range of the group named `name`; nil when it took no part or does not exist.
  public subscript(name: String) -> Range<String.Index>? {
    guard let index = groupNames.firstIndex(of: name) else { return nil }
    return groupRanges[index]
  }
}
