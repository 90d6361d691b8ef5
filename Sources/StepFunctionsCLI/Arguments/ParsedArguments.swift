/// The arguments of one command after parsing: flag counts, option values and positional values,
/// all looked up by the names used in the ``CommandConfiguration``.
public struct ParsedArguments: Sendable, Hashable {
  /// Option values by option name, in the order given (defaults not included).
  var optionValues: [String: [String]] = [:]
  /// How often each flag was given.
  var flagCounts: [String: Int] = [:]
  /// Positional values by positional name.
  var positionalValues: [String: [String]] = [:]
  /// Defaults by option name.
  var defaults: [String: String] = [:]

  /// Creates an empty result.
  public init() {}

  /// Whether the flag named `name` was given.
  public func isSet(_ name: String) -> Bool { (flagCounts[name] ?? 0) > 0 }

  /// How many times the flag named `name` was given.
  public func count(of name: String) -> Int { flagCounts[name] ?? 0 }

  /// The value of the option named `name`: the last one given, else its default, else `nil`.
  public func value(_ name: String) -> String? { optionValues[name]?.last ?? defaults[name] }

  /// Every value given for the option named `name`, in order (its default is not included).
  public func values(_ name: String) -> [String] { optionValues[name] ?? [] }

  /// Whether the option named `name` was given explicitly.
  public func wasGiven(_ name: String) -> Bool { optionValues[name] != nil }

  /// The value of a single positional argument, or `nil` when it was not given.
  public func positional(_ name: String) -> String? { positionalValues[name]?.first }

  /// All values of a positional argument, in order.
  public func positionals(_ name: String) -> [String] { positionalValues[name] ?? [] }

  /// The value of the option `--NAME <n>` read as a seed, a whole number from 0 to
  /// `UInt64.max`; `nil` when the option was not given and has no default.
  ///
  /// - Throws: ``UsageError`` naming the option when the value is not such a number.
  public func seed(_ name: String = "seed") throws(UsageError) -> UInt64? {
    guard let text = value(name) else { return nil }
    guard let seed = UInt64(text) else {
      throw UsageError(
        "The value '\(text)' is invalid for '--\(name) <n>'. Please provide a whole number from 0 to \(UInt64.max)."
      )
    }
    return seed
  }
}
