import Testing

@testable import StepFunctionsCLI

@Suite("Argument parser")
struct ArgumentParserTests {
  static let configuration = CommandConfiguration(
    name: "demo", abstract: "A command for testing.",
    options: [
      .flag("verbose", shortName: "v", help: "Say more."),
      .option(
        "format", shortName: "f", help: "Output format.", allowedValues: ["text", "json"],
        defaultValue: "text"),
      .option("tag", help: "A tag.", isRepeatable: true),
      .option("name", help: "A name."),
    ],
    positionals: [
      PositionalDefinition(name: "first", help: "The first."),
      PositionalDefinition(name: "rest", help: "The rest.", arity: .zeroOrMore),
    ])

  func parse(_ arguments: [String]) throws(UsageError) -> ParsedArguments {
    try ArgumentParser.parse(arguments, for: ArgumentParserTests.configuration)
  }

  func usageError(_ arguments: [String]) -> String? {
    do {
      _ = try parse(arguments)
      return nil
    } catch {
      return error.message
    }
  }

  @Test("A seed is a whole number from 0 to UInt64.max; anything else names the option")
  func seeds() throws {
    #expect(try parse(["a"]).seed("name") == nil)
    #expect(try parse(["--name", "0", "a"]).seed("name") == 0)
    #expect(try parse(["--name", "18446744073709551615", "a"]).seed("name") == UInt64.max)
    for bad in ["-1", "1.5", "x", "18446744073709551616"] {
      #expect(throws: UsageError.self) { try parse(["--name", bad, "a"]).seed("name") }
      do {
        _ = try parse(["--name", bad, "a"]).seed("name")
      } catch {
        #expect(
          error.message
            == "The value '\(bad)' is invalid for '--name <n>'. Please provide a whole number from 0 to 18446744073709551615."
        )
      }
    }
  }

  @Test("An option's value can follow it as the next word or after an equals sign")
  func optionSpellings() throws {
    #expect(try parse(["--format", "json", "a"]).value("format") == "json")
    #expect(try parse(["--format=json", "a"]).value("format") == "json")
    #expect(try parse(["-f", "json", "a"]).value("format") == "json")
    #expect(try parse(["--name=a=b", "a"]).value("name") == "a=b")
    #expect(try parse(["--name=", "a"]).value("name") == "")
  }

  @Test("An absent option has its default, and wasGiven tells the two apart")
  func defaults() throws {
    let parsed = try parse(["a"])
    #expect(parsed.value("format") == "text")
    #expect(!parsed.wasGiven("format"))
    #expect(parsed.value("name") == nil)
    #expect(try parse(["a", "--format", "json"]).wasGiven("format"))
  }

  @Test("A repeatable option collects every value in order")
  func repeatable() throws {
    let parsed = try parse(["--tag", "x", "a", "--tag=y", "--tag", "z"])
    #expect(parsed.values("tag") == ["x", "y", "z"])
    #expect(parsed.value("tag") == "z")
  }

  @Test("A non-repeatable option given twice keeps the last value")
  func lastValueWins() throws {
    #expect(try parse(["--name", "x", "--name", "y", "a"]).value("name") == "y")
  }

  @Test("Flags are counted and take no value")
  func flags() throws {
    let parsed = try parse(["-v", "a", "--verbose"])
    #expect(parsed.isSet("verbose"))
    #expect(parsed.count(of: "verbose") == 2)
    #expect(try !parse(["a"]).isSet("verbose"))
    #expect(usageError(["--verbose=yes", "a"]) == "The flag '--verbose' does not take a value")
  }

  @Test("Allowed values match without regard to case and are stored as defined")
  func allowedValues() throws {
    #expect(try parse(["--format", "JSON", "a"]).value("format") == "json")
    #expect(
      usageError(["--format", "xml", "a"])
        == "The value 'xml' is invalid for '--format <format>'. Please provide one of 'text', 'json'."
    )
  }

  @Test("Positional arguments fill the definitions in order, the variadic one taking the rest")
  func positionals() throws {
    let parsed = try parse(["a", "b", "c"])
    #expect(parsed.positional("first") == "a")
    #expect(parsed.positionals("rest") == ["b", "c"])
    #expect(try parse(["a"]).positionals("rest") == [])
  }

  @Test("Everything after a double dash is positional, and a lone dash is a value")
  func doubleDash() throws {
    let parsed = try parse(["-", "--", "--format", "-v"])
    #expect(parsed.positional("first") == "-")
    #expect(parsed.positionals("rest") == ["--format", "-v"])
    #expect(parsed.value("format") == "text")
    #expect(try parse(["--name", "-", "a"]).value("name") == "-")
  }

  @Test(
    "Each malformed command line is reported with a specific message",
    arguments: [
      (["--bogus", "a"], "Unknown option '--bogus'"),
      (["--fromat", "json", "a"], "Unknown option '--fromat'. Did you mean '--format'?"),
      (["--verbos", "a"], "Unknown option '--verbos'. Did you mean '--verbose'?"),
      (["-x", "a"], "Unknown option '-x'"),
      (["-vf", "a"], "Unknown option '-vf'"),
      (["a", "--format"], "Missing value for '--format <format>'"),
      (["--name", "--verbose", "a"], "Missing value for '--name <name>'"),
      ([], "Missing expected argument '<first>'"),
      (["--verbose"], "Missing expected argument '<first>'"),
    ])
  func errors(arguments: [String], message: String) {
    #expect(usageError(arguments) == message)
  }

  @Test("A negative number after an option is its value; other words with a dash are not")
  func negativeNumbers() throws {
    #expect(try parse(["--name", "-1", "a"]).value("name") == "-1")
    #expect(try parse(["--name", "-0.5", "a"]).value("name") == "-0.5")
    #expect(try parse(["--name", "-2e3", "a"]).value("name") == "-2e3")
    #expect(
      usageError(["-f", "-1", "a"])
        == "The value '-1' is invalid for '--format <format>'. Please provide one of 'text', 'json'."
    )
    #expect(usageError(["--name", "-x", "a"]) == "Missing value for '--name <name>'")
    #expect(usageError(["--name", "-1x", "a"]) == "Missing value for '--name <name>'")
    #expect(usageError(["--name", "--1", "a"]) == "Missing value for '--name <name>'")
    #expect(usageError(["-1", "a"]) == "Unknown option '-1'")
  }

  @Test("A required option that is missing is reported; given, it parses like any other")
  func requiredOption() throws {
    let configuration = CommandConfiguration(
      name: "needs", abstract: "",
      options: [.option("mocks", valueName: "file", help: "", isRequired: true)],
      positionals: [PositionalDefinition(name: "definition", help: "")])
    #expect(throws: UsageError("Missing expected argument '--mocks <file>'")) {
      try ArgumentParser.parse(["d.json"], for: configuration)
    }
    #expect(
      try ArgumentParser.parse(["d.json", "--mocks", "m.json"], for: configuration).value("mocks")
        == "m.json")
  }

  @Test("Words left over after the last positional are unexpected")
  func unexpectedArgument() {
    let configuration = CommandConfiguration(
      name: "one", abstract: "",
      positionals: [PositionalDefinition(name: "only", help: "")])
    #expect(throws: UsageError("Unexpected argument 'b'")) {
      try ArgumentParser.parse(["a", "b"], for: configuration)
    }
  }

  @Test("Optional positionals leave enough words for the required ones after them")
  func optionalBeforeRequired() throws {
    let configuration = CommandConfiguration(
      name: "two", abstract: "",
      positionals: [
        PositionalDefinition(name: "maybe", help: "", arity: .optional),
        PositionalDefinition(name: "needed", help: ""),
      ])
    let one = try ArgumentParser.parse(["x"], for: configuration)
    #expect(one.positional("maybe") == nil)
    #expect(one.positional("needed") == "x")
    let two = try ArgumentParser.parse(["x", "y"], for: configuration)
    #expect(two.positional("maybe") == "x")
    #expect(two.positional("needed") == "y")
  }

  @Test("A one-or-more positional needs at least one word")
  func oneOrMore() throws {
    let configuration = CommandConfiguration(
      name: "many", abstract: "",
      positionals: [PositionalDefinition(name: "file", help: "", arity: .oneOrMore)])
    #expect(throws: UsageError("Missing expected argument '<file> ...'")) {
      try ArgumentParser.parse([], for: configuration)
    }
    #expect(
      try ArgumentParser.parse(["a", "b"], for: configuration).positionals("file") == ["a", "b"])
  }
}

@Suite("Help text")
struct HelpFormatterTests {
  @Test("The usage line lists options first, then positionals, in swift-argument-parser's style")
  func usageLine() {
    let usage = HelpFormatter.usage(
      for: ArgumentParserTests.configuration, commandPath: "sfn demo")
    #expect(
      usage
        == "sfn demo [--verbose] [--format <format>] [--tag <tag> ...] [--name <name>] <first> [<rest> ...]"
    )
  }

  @Test("A required option is shown without brackets in the usage line and marked in the help")
  func requiredOptionInHelp() {
    let configuration = CommandConfiguration(
      name: "needs", abstract: "Needs a file.",
      options: [
        .option("mocks", valueName: "file", help: "The mocks.", isRequired: true),
        .option("tag", help: "A tag.", isRepeatable: true, isRequired: true),
        .option("name", help: "A name."),
      ],
      positionals: [PositionalDefinition(name: "definition", help: "")])
    #expect(
      HelpFormatter.usage(for: configuration, commandPath: "sfn needs")
        == "sfn needs --mocks <file> --tag <tag> ... [--name <name>] <definition>")
    let help = HelpFormatter.help(for: configuration, commandPath: "sfn needs")
    #expect(help.contains("  --mocks <file>          The mocks. (required)\n"))
  }

  @Test("Help has an overview, usage, arguments and options with their values and defaults")
  func helpSections() {
    let help = HelpFormatter.help(for: ArgumentParserTests.configuration, commandPath: "sfn demo")
    #expect(help.hasPrefix("OVERVIEW: A command for testing.\n\nUSAGE: sfn demo "))
    #expect(help.contains("\nARGUMENTS:\n  <first>                 The first.\n"))
    #expect(help.contains("  -v, --verbose           Say more.\n"))
    #expect(
      help.contains(
        "  -f, --format <format>   Output format. (values: text, json; default: text)\n"))
    #expect(help.hasSuffix("  -h, --help              Show help information.\n"))
  }

  @Test("Long descriptions wrap at 80 columns, aligned under the description column")
  func wrapping() {
    let entry = HelpFormatter.entry(
      label: "--long-option-name-that-overflows <value>",
      description: String(repeating: "word ", count: 30))
    let lines = entry.split(separator: "\n")
    #expect(lines[0] == "  --long-option-name-that-overflows <value>")
    #expect(
      lines.dropFirst().allSatisfy { $0.hasPrefix(String(repeating: " ", count: 26) + "word") })
    #expect(lines.allSatisfy { $0.count <= 80 })
    #expect(lines.count > 2)
  }
}
