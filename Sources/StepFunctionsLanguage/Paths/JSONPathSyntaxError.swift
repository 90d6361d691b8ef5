/// Why a text is not a valid ASL path, and where.
public struct JSONPathSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong.
  public var message: String
  /// The offset of the problem in the path text, counted in Unicode scalars from 0.
  public var offset: Int
  /// The path text.
  public var text: String

  /// Creates an error.
  public init(message: String, offset: Int, text: String) {
    self.message = message
    self.offset = offset
    self.text = text
  }

  /// `Invalid path '<text>': <message> (at offset <offset>)`.
  public var description: String { "Invalid path '\(text)': \(message) (at offset \(offset))" }
}
