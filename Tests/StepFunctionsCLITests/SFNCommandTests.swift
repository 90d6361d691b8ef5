import StepFunctions
import StepFunctionsCLI
import Testing

@Suite("sfn dispatch, help and exit codes")
struct SFNCommandTests {
  static let subcommandNames = SFNCommand.subcommands.map { $0.configuration.name }

  @Test(
    "sfn --help, sfn -h, sfn help and a bare sfn list every subcommand and exit 0",
    arguments: [["--help"], ["-h"], ["help"], []])
  func topLevelHelp(arguments: [String]) async {
    let result = await runSFN(arguments)
    #expect(result.status == 0)
    #expect(result.error.isEmpty)
    #expect(result.output.hasPrefix("OVERVIEW: "))
    #expect(result.output.contains("USAGE: sfn <subcommand>\n"))
    #expect(result.output.contains("\nSUBCOMMANDS:\n"))
    for name in SFNCommandTests.subcommandNames {
      #expect(result.output.contains("\n  \(name) "), "subcommand \(name) is listed")
    }
    #expect(result.output.hasSuffix("  See 'sfn help <subcommand>' for detailed help.\n"))
  }

  @Test(
    "Every subcommand's --help, -h and 'sfn help NAME' print its usage and exit 0",
    arguments: subcommandNames)
  func subcommandHelp(name: String) async {
    for arguments in [
      [name, "--help"], [name, "-h"], ["help", name], [name, "x", "--bogus", "-h"],
    ] {
      let result = await runSFN(arguments)
      #expect(result.status == 0, "\(arguments)")
      #expect(result.error.isEmpty)
      #expect(result.output.contains("USAGE: sfn \(name)"), "\(arguments)")
      #expect(result.output.contains("Exit status: 0 "), "\(arguments) documents its exit status")
      #expect(result.output.contains("  -h, --help              Show help information.\n"))
    }
  }

  @Test("--help after a double dash is an ordinary argument, not a request for help")
  func helpAfterDoubleDash() async {
    let result = await runSFN(["validate", "--", "--help"])
    #expect(result.status == 65)
    #expect(result.error.contains("cannot read '--help'"))
  }

  @Test("A mistyped subcommand exits 64 with a suggestion and the usage line on stderr")
  func unknownSubcommandWithSuggestion() async {
    let result = await runSFN(["valdate", "x.json"])
    #expect(result.status == 64)
    #expect(result.output.isEmpty)
    #expect(
      result.error == """
        Error: Unknown subcommand 'valdate'. Did you mean 'validate'?
        Usage: sfn <subcommand>
          See 'sfn --help' for more information.

        """)
  }

  @Test("An unknown subcommand with no close match lists the available ones")
  func unknownSubcommandWithoutSuggestion() async {
    let result = await runSFN(["frobnicate"])
    #expect(result.status == 64)
    #expect(result.error.hasPrefix("Error: Unknown subcommand 'frobnicate'. Available: validate"))
  }

  @Test("An option before the subcommand exits 64")
  func topLevelUnknownOption() async {
    let result = await runSFN(["--verbose", "validate"])
    #expect(result.status == 64)
    #expect(result.error.hasPrefix("Error: Unknown option '--verbose'\nUsage: sfn <subcommand>\n"))
  }

  @Test("sfn help with an unknown or extra word exits 64")
  func helpErrors() async {
    let unknown = await runSFN(["help", "validat"])
    #expect(unknown.status == 64)
    #expect(
      unknown.error.hasPrefix("Error: Unknown subcommand 'validat'. Did you mean 'validate'?"))
    let extra = await runSFN(["help", "validate", "more"])
    #expect(extra.status == 64)
    #expect(
      extra.error.hasPrefix("Error: Unexpected argument 'more'\nUsage: sfn help [<subcommand>]"))
  }

  @Test(
    "Every usage error of validate exits 64 and names the problem, the usage and --help",
    arguments: [
      (["validate"], "Missing expected argument '<file> ...'"),
      (["validate", "--format"], "Missing value for '--format <format>'"),
      (
        ["validate", "a.json", "--format", "--type", "express"],
        "Missing value for '--format <format>'"
      ),
      (
        ["validate", "--format", "xml", "a.json"],
        "The value 'xml' is invalid for '--format <format>'. Please provide one of 'text', 'json'."
      ),
      (
        ["validate", "--type", "fast", "a.json"],
        "The value 'fast' is invalid for '--type <type>'. Please provide one of 'standard', 'express'."
      ),
      (
        ["validate", "--severity", "info", "a.json"],
        "The value 'info' is invalid for '--severity <severity>'. Please provide one of 'error', 'warning'."
      ),
      (
        ["validate", "--fromat", "json", "a.json"],
        "Unknown option '--fromat'. Did you mean '--format'?"
      ),
      (["validate", "--strict", "a.json"], "Unknown option '--strict'"),
      (
        ["validate", "--max-results", "101", "a.json"],
        "The value '101' is invalid for '--max-results <n>'. Please provide a whole number from 0 to 100."
      ),
      (
        ["validate", "--max-results=-1", "a.json"],
        "The value '-1' is invalid for '--max-results <n>'. Please provide a whole number from 0 to 100."
      ),
      (
        ["validate", "--max-results", "-1", "a.json"],
        "The value '-1' is invalid for '--max-results <n>'. Please provide a whole number from 0 to 100."
      ),
      (
        ["validate", "--max-results", "ten", "a.json"],
        "The value 'ten' is invalid for '--max-results <n>'. Please provide a whole number from 0 to 100."
      ),
    ])
  func validateUsageErrors(arguments: [String], message: String) async {
    let result = await runSFN(arguments, files: ["a.json": "{}"])
    #expect(result.status == 64)
    #expect(result.output.isEmpty)
    let lines = result.error.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 4)
    #expect(lines.first.map(String.init) == "Error: \(message)")
    #expect(
      lines.dropFirst().first.map(String.init)
        == "Usage: sfn validate [--format <format>] [--type <type>] [--severity <severity>] "
        + "[--max-results <n>] <file> ...")
    #expect(lines.dropFirst(2).first == "  See 'sfn validate --help' for more information.")
  }

  @Test("Exit codes have the conventional values")
  func exitCodes() async {
    #expect(ExitCode.success.rawValue == 0)
    #expect(ExitCode.failure.rawValue == 1)
    #expect(ExitCode.usageError.rawValue == 64)
    #expect(ExitCode.dataError.rawValue == 65)
  }

  @Test("The top-level help documents the exit statuses and --version")
  func helpDocumentsExitStatus() async {
    let result = await runSFN(["--help"])
    #expect(
      result.output.contains(
        "EXIT STATUS: 0 success; 1 failure (errors found, execution not SUCCEEDED, a test"))
    let flat = result.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(
      flat.contains(
        "64 bad usage (for test-state, also a request AWS would refuse); 65 unreadable or invalid data"
      ))
    #expect(flat.contains("73 an output file that cannot be written."))
    #expect(result.output.contains("  --version               Show the version.\n"))
  }

  @Test("sfn --version prints the library's version and exits 0")
  func version() async {
    let result = await runSFN(["--version"])
    #expect(result.status == 0)
    #expect(result.error.isEmpty)
    #expect(result.output == StepFunctionsVersion.current + "\n")
    let parts = StepFunctionsVersion.current.split(separator: ".")
    #expect(parts.count == 3 && parts.allSatisfy { Int($0) != nil }, "semantic version")
    let extra = await runSFN(["--version", "validate"])
    #expect(extra.status == 64)
    #expect(extra.error.hasPrefix("Error: Unexpected argument 'validate'\n"))
  }
}
