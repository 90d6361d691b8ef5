import StepFunctionsJSON
import StepFunctionsRegex

/// The predicate of a filter segment `[?( ... )]`, in Jayway's grammar.
///
/// `&&` binds tighter than `||`; `!` negates a parenthesized expression or, written before a
/// path, turns an existence test into a non-existence test (`[?(!@.isbn)]`).
public indirect enum JSONPathFilter: Sendable, Hashable {
  /// Either side holds.
  case or(JSONPathFilter, JSONPathFilter)
  /// Both sides hold.
  case and(JSONPathFilter, JSONPathFilter)
  /// The expression does not hold: `!( ... )`.
  case not(JSONPathFilter)
  /// The path selects something (`@.isbn`), or, when `negated`, selects nothing (`!@.isbn`).
  case exists(JSONPath, negated: Bool)
  /// A comparison: `@.price < 10`, `@.tag in ['a','b']`, `@.name =~ /ab.*/i`.
  case comparison(JSONPathFilterOperand, JSONPathComparisonOperator, JSONPathFilterOperand)
}

/// One side of a filter comparison.
public enum JSONPathFilterOperand: Sendable, Hashable {
  /// A path from the current node (`@...`) or from the document root (`$...`).
  case path(JSONPath)
  /// A literal value: a string, number, `true`, `false`, `null`, or a JSON array or object
  /// (which may use single-quoted strings, as Jayway allows).
  case literal(JSON)
  /// A regular expression literal `/pattern/flags`.
  case regex(JSONPathRegex)
}

/// The relational operators Jayway supports in filters.
public enum JSONPathComparisonOperator: String, Sendable, Hashable, CaseIterable {
  /// `==`: equal (a number and a string holding that number are equal, as in Jayway).
  case equal = "=="
  /// `!=`: not equal.
  case notEqual = "!="
  /// `===`: equal and of the same type.
  case strictEqual = "==="
  /// `!==`: not strictly equal.
  case strictNotEqual = "!=="
  /// `<`: numbers by value, strings by UTF-16 code units.
  case less = "<"
  /// `<=`.
  case lessOrEqual = "<="
  /// `>`.
  case greater = ">"
  /// `>=`.
  case greaterOrEqual = ">="
  /// `=~`: the whole left value matches the regular expression on the right.
  case matches = "=~"
  /// `in`: the left value is an element of the right array.
  case `in` = "in"
  /// `nin`: the left value is not an element of the right array.
  case notIn = "nin"
  /// `subsetof`: every element of the left array is in the right array.
  case subsetOf = "subsetof"
  /// `anyof`: the arrays share an element.
  case anyOf = "anyof"
  /// `noneof`: the arrays share no element.
  case noneOf = "noneof"
  /// `size`: the left string or array has the length on the right.
  case size = "size"
  /// `empty`: whether the left string, array or object is empty equals the Boolean on the right.
  case empty = "empty"
  /// `contains`: the left string contains the right string, or the left array the right value.
  case contains = "contains"
}

/// A regular expression literal from a filter, compiled when the path is parsed.
///
/// Jayway reads the pattern as a Java regular expression and requires the whole value to match
/// (`Matcher.matches()`). This compiles it with `RegularExpression` in its Java flavour, which
/// matches in time linear in the text: `/(a+)+b/` cannot make a filter hang. Flags, as Jayway
/// maps them to Java's: `i` (ignore case, ASCII letters only unless `u`), `m` (`^`/`$` at line
/// ends), `s` (`.` matches line terminators), `u` (Unicode case folding), `x` (comments), `d`
/// (only `\n` ends lines). Backreferences and lookaround, which need backtracking, are rejected.
public final class JSONPathRegex: Sendable, Hashable, CustomStringConvertible {
  /// The pattern between the slashes.
  public let pattern: String
  /// The flags after the closing slash.
  public let flags: String
  private let compiled: RegularExpression

  /// Compiles a regular expression; throws the problem and its offset when the pattern or a
  /// flag is invalid.
  public init(pattern: String, flags: String) throws(JSONPathRegexError) {
    self.pattern = pattern
    self.flags = flags
    var options: RegularExpression.Options = []
    let flagsOffset = pattern.unicodeScalars.count + 1
    for (index, flag) in flags.unicodeScalars.enumerated() {
      switch flag {
      case "i": options.insert(.ignoreCase)
      case "m": options.insert(.multiline)
      case "s": options.insert(.dotMatchesLineTerminators)
      case "u": options.insert(.unicode)
      case "x": options.insert(.comments)
      case "d": options.insert(.unixLines)
      default:
        throw JSONPathRegexError(
          message: "unknown regular expression flag '\(flag)'", offset: flagsOffset + index)
      }
    }
    do {
      compiled = try RegularExpression(pattern, flavor: .java, options: options)
    } catch {
      throw JSONPathRegexError(message: error.message, offset: error.offset)
    }
  }

  /// Whether the whole of `text` matches.
  ///
  /// - Complexity: O(n × p) for n scalars of text and a pattern of p instructions.
  public func wholeMatches(_ text: String) -> Bool {
    compiled.matchesWhole(text)
  }

  /// `/pattern/flags`.
  public var description: String { "/\(pattern)/\(flags)" }

  /// Regular expressions are equal when written the same.
  public static func == (lhs: JSONPathRegex, rhs: JSONPathRegex) -> Bool {
    lhs.pattern == rhs.pattern && lhs.flags == rhs.flags
  }

  /// Hashes the pattern and flags.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(pattern)
    hasher.combine(flags)
  }
}

/// A regular expression literal that does not compile.
public struct JSONPathRegexError: Error, Sendable, Hashable {
  /// Why it does not compile.
  public var message: String
  /// Where: the offset in Unicode scalars from the start of the pattern; a flag's offset counts
  /// the closing slash (`pattern.count + 1` is the first flag).
  public var offset: Int = 0
}
