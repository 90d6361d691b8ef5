/// The command line could not be understood: an unknown option, a missing value, a value out of
/// range. The process exits with ``ExitCode/usageError`` (64, `EX_USAGE`) after printing the
/// message, the command's usage line and a pointer to `--help`.
public struct UsageError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong, as one sentence without the `Error:` prefix.
  public var message: String

  /// Creates an error.
  public init(_ message: String) { self.message = message }

  /// The message.
  public var description: String { message }
}
