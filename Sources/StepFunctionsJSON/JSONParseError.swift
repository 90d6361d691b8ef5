/// Why a text is not valid JSON, and where.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The kinds of syntax error.
  public enum Kind: String, Sendable, Hashable {
    /// The text is empty or only white space.
    case emptyInput
    /// A character that cannot start or continue a value here.
    case unexpectedCharacter
    /// The text ended inside a value.
    case unexpectedEndOfInput
    /// A comma right before `]` or `}`.
    case trailingComma
    /// A backslash escape that JSON does not define, or a bad `\u` escape.
    case invalidEscape
    /// A `\u` escape for half of a surrogate pair without the other half.
    case unpairedSurrogate
    /// A raw control character (U+0000 to U+001F) inside a string.
    case controlCharacterInString
    /// Bytes that are not valid UTF-8.
    case invalidUTF8
    /// A number that does not follow JSON's grammar (leading zero, missing digits, ...).
    case invalidNumber
    /// Arrays and objects nested deeper than the parser's limit.
    case nestingTooDeep
    /// More text after the value.
    case trailingCharacters
    /// An object member key that is not a string.
    case expectedKey
    /// A missing `:` after an object key.
    case expectedColon
    /// A missing `,` or closing bracket.
    case expectedCommaOrEnd
    /// A key that appears twice in the same object (only when the parser is told to reject them).
    case duplicateKey
  }

  /// What went wrong.
  public var kind: Kind
  /// A human-readable explanation.
  public var message: String
  /// Where, as a byte offset and line:column.
  public var location: SourceLocation

  /// Creates an error.
  public init(kind: Kind, message: String, location: SourceLocation) {
    self.kind = kind
    self.message = message
    self.location = location
  }

  /// The message of every ``Kind/emptyInput`` error, whatever the text was meant to be (a
  /// definition, an execution input, a mock file): one wording everywhere.
  public static let emptyInputMessage = "the text is empty; expected a JSON value"

  /// `line:column: message`.
  public var description: String { "\(location): \(message)" }
}
