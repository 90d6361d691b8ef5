/// What a command is called, what it does, and which arguments it accepts.
///
/// The parser, the usage line and the help text are all derived from this one value, so they
/// cannot disagree.
public struct CommandConfiguration: Sendable, Hashable {
  /// The name typed on the command line (`validate`).
  public var name: String
  /// One sentence shown in the parent's subcommand list and at the top of the help.
  public var abstract: String
  /// Longer explanation shown in the command's own help; may be empty.
  public var discussion: String
  /// The named options and flags, in the order the help lists them.
  public var options: [OptionDefinition]
  /// The positional arguments, in order.
  public var positionals: [PositionalDefinition]

  /// Creates a configuration.
  public init(
    name: String, abstract: String, discussion: String = "",
    options: [OptionDefinition] = [], positionals: [PositionalDefinition] = []
  ) {
    self.name = name
    self.abstract = abstract
    self.discussion = discussion
    self.options = options
    self.positionals = positionals
  }
}

/// A named argument: a flag (`--strict`) or an option with a value (`--format json`,
/// `--format=json`).
public struct OptionDefinition: Sendable, Hashable {
  /// Whether the argument takes a value.
  public enum Kind: Sendable, Hashable {
    /// Present or absent; takes no value.
    case flag
    /// Takes one value each time it is given; `valueName` names it in help (`<format>`).
    case option(valueName: String)
  }

  /// The long name without dashes (`format` for `--format`).
  public var name: String
  /// An optional one-letter name (`f` for `-f`).
  public var shortName: Character?
  /// Flag or option.
  public var kind: Kind
  /// One line of help.
  public var help: String
  /// The accepted values (matched without regard to case, stored in the spelling given here);
  /// empty means any value.
  public var allowedValues: [String]
  /// The value used when the option is absent, shown in help.
  public var defaultValue: String?
  /// Whether the option may be given more than once, collecting every value. A non-repeatable
  /// option given twice keeps the last value, as swift-argument-parser does.
  public var isRepeatable: Bool
  /// Whether the option must be given: the parser reports it missing, and the usage line shows
  /// it without brackets. Only options that take a value can be required.
  public var isRequired: Bool

  /// Creates a definition.
  public init(
    name: String, shortName: Character? = nil, kind: Kind, help: String,
    allowedValues: [String] = [], defaultValue: String? = nil, isRepeatable: Bool = false,
    isRequired: Bool = false
  ) {
    self.name = name
    self.shortName = shortName
    self.kind = kind
    self.help = help
    self.allowedValues = allowedValues
    self.defaultValue = defaultValue
    self.isRepeatable = isRepeatable
    self.isRequired = isRequired
  }

  /// A flag: `--name`, present or absent.
  public static func flag(_ name: String, shortName: Character? = nil, help: String)
    -> OptionDefinition
  {
    OptionDefinition(name: name, shortName: shortName, kind: .flag, help: help)
  }

  /// An option that takes a value: `--name value` or `--name=value`. A required option
  /// (`isRequired`) must be given; it has no default.
  public static func option(
    _ name: String, shortName: Character? = nil, valueName: String? = nil, help: String,
    allowedValues: [String] = [], defaultValue: String? = nil, isRepeatable: Bool = false,
    isRequired: Bool = false
  ) -> OptionDefinition {
    OptionDefinition(
      name: name, shortName: shortName, kind: .option(valueName: valueName ?? name), help: help,
      allowedValues: allowedValues, defaultValue: defaultValue, isRepeatable: isRepeatable,
      isRequired: isRequired)
  }

  /// `--name`.
  public var longSpelling: String { "--" + name }

  /// How the option is written in usage and error messages: `--format <format>` or `--strict`.
  public var synopsis: String {
    switch kind {
    case .flag: return longSpelling
    case .option(let valueName): return "\(longSpelling) <\(valueName)>"
    }
  }

  /// Whether the option takes a value.
  public var takesValue: Bool {
    if case .option = kind { return true }
    return false
  }

  /// How the option is written in a usage line: `--mocks <file>` when required, `[--format
  /// <format>]` when optional, `[--tag <tag> ...]` or `--tag <tag> ...` when repeatable.
  public var usageSynopsis: String {
    let text = isRepeatable ? synopsis + " ..." : synopsis
    return isRequired && takesValue ? text : "[\(text)]"
  }
}

/// A positional argument.
public struct PositionalDefinition: Sendable, Hashable {
  /// How many values the argument takes.
  public enum Arity: Sendable, Hashable {
    /// Exactly one.
    case required
    /// Zero or one.
    case optional
    /// One or more (only sensible as the last positional).
    case oneOrMore
    /// Zero or more (only sensible as the last positional).
    case zeroOrMore
  }

  /// The name shown in help (`file` is written `<file>`).
  public var name: String
  /// One line of help.
  public var help: String
  /// How many values it takes.
  public var arity: Arity

  /// Creates a definition.
  public init(name: String, help: String, arity: Arity = .required) {
    self.name = name
    self.help = help
    self.arity = arity
  }

  /// How the argument is written in usage lines: `<file>`, `[<file>]`, `<file> ...`,
  /// `[<file> ...]`.
  public var synopsis: String {
    switch arity {
    case .required: return "<\(name)>"
    case .optional: return "[<\(name)>]"
    case .oneOrMore: return "<\(name)> ..."
    case .zeroOrMore: return "[<\(name)> ...]"
    }
  }

  /// The smallest number of values the argument needs.
  var minimumCount: Int {
    switch arity {
    case .required, .oneOrMore: return 1
    case .optional, .zeroOrMore: return 0
    }
  }
}
