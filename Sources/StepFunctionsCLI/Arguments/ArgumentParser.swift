/// Parses one command's arguments against its ``CommandConfiguration``, following
/// swift-argument-parser's conventions:
///
/// - `--name value` and `--name=value`; a short name `-n value`. A value that starts with `-` must
///   be attached with `=` (`--name=-x`), otherwise the option is reported as missing its value —
///   except a negative number (`--seed -1`, `--offset -0.5`), which is taken as the value; the
///   command then decides whether it accepts it.
/// - An option marked ``OptionDefinition/isRequired`` that is not given is reported as a missing
///   argument.
/// - Flags take no value; `--flag=value` is an error.
/// - A lone `-` is a positional value (by convention, standard input).
/// - `--` ends the options: everything after it is positional.
/// - A non-repeatable option given twice keeps the last value.
/// - Values of options with ``OptionDefinition/allowedValues`` are matched without regard to case
///   and stored in the defined spelling.
///
/// `-h`/`--help` are not handled here: the dispatcher looks for them before parsing, so help
/// works even on an otherwise broken command line.
public enum ArgumentParser {
  /// Parses `arguments` (without the program and subcommand names).
  ///
  /// - Throws: ``UsageError`` naming the first problem found.
  public static func parse(_ arguments: [String], for configuration: CommandConfiguration)
    throws(UsageError) -> ParsedArguments
  {
    var parsed = ParsedArguments()
    for option in configuration.options {
      if let value = option.defaultValue { parsed.defaults[option.name] = value }
    }
    var positionalTokens: [String] = []
    var index = 0
    var optionsEnded = false
    while index < arguments.count {
      let token = arguments[index]
      index += 1
      if optionsEnded || token == "-" || !token.hasPrefix("-") {
        positionalTokens.append(token)
        continue
      }
      if token == "--" {
        optionsEnded = true
        continue
      }
      let (spelling, attached) = split(token)
      guard let option = find(spelling, in: configuration.options) else {
        throw unknownOption(spelling, in: configuration)
      }
      switch option.kind {
      case .flag:
        if attached != nil {
          throw UsageError("The flag '\(option.longSpelling)' does not take a value")
        }
        parsed.flagCounts[option.name, default: 0] += 1
      case .option:
        let value: String
        if let attached {
          value = attached
        } else if index < arguments.count,
          !looksLikeOption(arguments[index]) || isNegativeNumber(arguments[index])
        {
          value = arguments[index]
          index += 1
        } else {
          throw UsageError("Missing value for '\(option.synopsis)'")
        }
        let accepted = try check(value, for: option)
        if option.isRepeatable {
          parsed.optionValues[option.name, default: []].append(accepted)
        } else {
          parsed.optionValues[option.name] = [accepted]
        }
      }
    }
    for option in configuration.options where option.isRequired && option.takesValue {
      if parsed.optionValues[option.name] == nil {
        throw UsageError("Missing expected argument '\(option.synopsis)'")
      }
    }
    try assign(positionalTokens, to: configuration.positionals, into: &parsed)
    return parsed
  }

  /// Splits `--name=value` into the spelling and the attached value.
  private static func split(_ token: String) -> (spelling: String, value: String?) {
    guard let equals = token.firstIndex(of: "=") else { return (token, nil) }
    return (String(token[..<equals]), String(token[token.index(after: equals)...]))
  }

  /// Whether a token would be read as an option rather than a value.
  private static func looksLikeOption(_ token: String) -> Bool {
    token.hasPrefix("-") && token != "-"
  }

  /// Whether a token is a negative decimal number (`-1`, `-0.5`, `-2e3`): a minus sign, then a
  /// digit or a point, then what reads as a number. No option is spelled that way.
  static func isNegativeNumber(_ token: String) -> Bool {
    let rest = token.utf8.dropFirst()
    guard token.utf8.first == UInt8(ascii: "-"), let first = rest.first,
      (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) || first == UInt8(ascii: ".")
    else { return false }
    return Double(token) != nil
  }

  private static func find(_ spelling: String, in options: [OptionDefinition])
    -> OptionDefinition?
  {
    if spelling.hasPrefix("--") {
      let name = spelling.dropFirst(2)
      return options.first { $0.name == name }
    }
    let short = spelling.dropFirst()
    guard short.count == 1, let letter = short.first else { return nil }
    return options.first { $0.shortName == letter }
  }

  private static func unknownOption(_ spelling: String, in configuration: CommandConfiguration)
    -> UsageError
  {
    var candidates = configuration.options.map(\.longSpelling) + ["--help"]
    candidates += configuration.options.compactMap { $0.shortName.map { "-\($0)" } }
    if let suggestion = Suggestion.closest(to: spelling, among: candidates) {
      return UsageError("Unknown option '\(spelling)'. Did you mean '\(suggestion)'?")
    }
    return UsageError("Unknown option '\(spelling)'")
  }

  private static func check(_ value: String, for option: OptionDefinition) throws(UsageError)
    -> String
  {
    guard !option.allowedValues.isEmpty else { return value }
    let lowered = value.lowercased()
    if let match = option.allowedValues.first(where: { $0.lowercased() == lowered }) {
      return match
    }
    let list = option.allowedValues.map { "'\($0)'" }.joined(separator: ", ")
    throw UsageError(
      "The value '\(value)' is invalid for '\(option.synopsis)'. Please provide one of \(list).")
  }

  /// Hands positional tokens to the definitions in order. Optional and variadic arguments leave
  /// enough tokens for the required ones after them.
  private static func assign(
    _ tokens: [String], to definitions: [PositionalDefinition], into parsed: inout ParsedArguments
  ) throws(UsageError) {
    var next = 0
    for (position, definition) in definitions.enumerated() {
      let remaining = tokens.count - next
      let neededLater = definitions[(position + 1)...].reduce(0) { $0 + $1.minimumCount }
      let available = max(0, remaining - neededLater)
      let take: Int
      switch definition.arity {
      case .required: take = min(1, remaining)
      case .optional: take = min(1, available)
      case .oneOrMore, .zeroOrMore: take = available
      }
      if take < definition.minimumCount {
        throw UsageError("Missing expected argument '\(definition.synopsis)'")
      }
      parsed.positionalValues[definition.name] = Array(tokens[next..<(next + take)])
      next += take
    }
    if next < tokens.count {
      throw UsageError("Unexpected argument '\(tokens[next])'")
    }
  }
}
