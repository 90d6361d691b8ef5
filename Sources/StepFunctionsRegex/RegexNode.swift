/// A parsed pattern: what the compiler turns into a program.
indirect enum RegexNode: Sendable {
  /// Matches the empty string.
  case empty
  /// Matches one scalar.
  case scalar(Unicode.Scalar)
  /// Matches any scalar (`.` with dot-all).
  case anyScalar
  /// Matches one scalar of the class.
  case characterClass(CharacterClass)
  /// Matches the empty string where the assertion holds.
  case assertion(RegexAssertion)
  /// A group; `capture` is its number (from 1) when it captures.
  case group(RegexNode, capture: Int?)
  /// Each node in turn.
  case concatenation([RegexNode])
  /// The first alternative that leads to a match.
  case alternation([RegexNode])
  /// The node repeated.
  case repetition(RegexNode, Repetition)
}

/// How often a repeated node matches.
struct Repetition: Sendable {
  /// The fewest times.
  var minimum: Int
  /// The most times; nil for no limit.
  var maximum: Int?
  /// Whether more repetitions are preferred (greedy) or fewer (lazy).
  var greedy: Bool
  /// The capture groups inside the repeated node (JavaScript clears them on each repetition).
  var captures: Range<Int>
  /// The offset of the quantifier in the pattern, for errors.
  var offset: Int
}

/// A zero-width test at a position in the text.
enum RegexAssertion: Sendable, Hashable {
  /// The start of the text (`\A`; `^` without multiline).
  case startOfInput
  /// The end of the text (`\z`; `$` in JavaScript without multiline).
  case endOfInput
  /// The end of the text, or before a final line terminator (`\Z`; Java's `$` without multiline).
  case endOfInputOrFinalTerminator(LineTerminators)
  /// The start of a line (`^` with multiline).
  case startOfLine(LineTerminators)
  /// The end of a line (`$` with multiline).
  case endOfLine(LineTerminators)
  /// Between a word scalar (`[0-9A-Za-z_]`) and a non-word scalar or an end of the text (`\b`).
  case wordBoundary
  /// Not at a word boundary (`\B`).
  case notWordBoundary
}

/// Which scalars end lines, and the rules that come with them.
enum LineTerminators: Sendable, Hashable {
  /// Java: `\n`, `\r`, `\r\n` (one terminator), U+0085, U+2028, U+2029; `^` does not match at the
  /// end of the text.
  case java
  /// Java's `UNIX_LINES`: only `\n`.
  case unix
  /// JavaScript: `\n`, `\r`, U+2028, U+2029, each on its own.
  case javaScript
}
