/// Why a pattern is not a regular expression this engine accepts, and where.
///
/// The engine rejects what it cannot match in linear time (backreferences, lookaround, atomic
/// groups, possessive quantifiers) with this error too, rather than matching it differently.
public struct RegexSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong, as a sentence fragment (`"'(' is not closed; expected ')'"`).
  public var message: String
  /// The offset of the problem in the pattern, counted in Unicode scalars from 0.
  public var offset: Int
  /// The pattern.
  public var pattern: String

  /// Creates an error.
  public init(message: String, offset: Int, pattern: String) {
    self.message = message
    self.offset = offset
    self.pattern = pattern
  }

  /// `Invalid regular expression '<pattern>': <message> (at offset <offset>)`.
  public var description: String {
    "Invalid regular expression '\(pattern)': \(message) (at offset \(offset))"
  }
}
