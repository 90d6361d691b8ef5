import MediaTasks
import StepFunctions

/// The `sfn` command: finds the subcommand, handles `--help` and `help`, turns usage errors into
/// exit status 64, and runs the subcommand.
///
/// Everything the process needs comes in as parameters, so tests call ``main(arguments:context:standardOutput:standardError:)``
/// directly and look at the text and the exit status.
public enum SFNCommand {
  /// The program name used in usage lines and messages.
  public static let name = "sfn"

  /// One line describing the tool.
  public static let abstract =
    "Validate and run AWS Step Functions state machines (Amazon States Language) locally."

  /// What the exit status means, for every subcommand; the top-level help prints it.
  public static let exitStatusSummary = """
    EXIT STATUS: 0 success; 1 failure (errors found, execution not SUCCEEDED, a test or \
    conformance case failed, a tested state not SUCCEEDED, an explored property violated); 64 \
    bad usage (for test-state, also a request AWS would refuse); 65 unreadable or invalid data \
    (a file that cannot be read; for run, test, replay and redrive, an invalid definition, \
    input, mock file or history); 73 an output file that cannot be written. For replay, 1 means \
    a history diverged or cannot be replayed exactly to its end; for redrive, that the redriven \
    execution did not succeed or AWS would refuse the redrive.
    """

  /// What `sfn --version` prints: the library's version.
  public static var version: String { StepFunctionsVersion.current }

  /// The subcommands, in the order `sfn --help` lists them. Adding a command means writing one
  /// ``Command`` type and adding it here.
  public static var subcommands: [any Command.Type] {
    [
      ValidateCommand.self, RunCommand.self, TestCommand.self, ConformanceCommand.self,
      ReplayCommand.self, RedriveCommand.self, JSONataCommand.self, TestStateCommand.self,
      ExploreCommand.self, GraphCommand.self,
    ]
  }

  /// The task handlers `sfn run` and `sfn test` use when nothing else is given: the in-memory
  /// video services of a fresh ``MediaTasks/MediaWorld/sample(seed:)`` world (see
  /// ``MediaTasks/defaultHandlers``).
  public static var defaultHandlers: TaskHandlerRegistry { MediaTasks.defaultHandlers }

  /// Runs `sfn` with the process's real environment, files and standard streams.
  ///
  /// - Parameter arguments: `CommandLine.arguments` (the first element, the program path, is
  ///   ignored).
  /// - Returns: the exit status.
  public static func main(arguments: [String]) async -> Int32 {
    var output = StandardStream.output
    var error = StandardStream.error
    return await main(
      arguments: arguments, context: .system(environment: processEnvironment()),
      standardOutput: &output, standardError: &error)
  }

  /// Runs `sfn`.
  ///
  /// - Parameters:
  ///   - arguments: the full command line, program name first (it is ignored).
  ///   - context: the environment and file access the command may use.
  ///   - standardOutput: where results go.
  ///   - standardError: where usage errors and unreadable-file messages go.
  /// - Returns: the exit status: 0 success, 1 failure, 64 bad usage, 65 unreadable or invalid
  ///   data (see ``ExitCode``).
  public static func main(
    arguments: [String], context: CommandContext, standardOutput: inout some TextOutputStream,
    standardError: inout some TextOutputStream
  ) async -> Int32 {
    let words = Array(arguments.dropFirst())
    guard let first = words.first else {
      standardOutput.write(groupHelp())
      return ExitCode.success.rawValue
    }
    if first == "-h" || first == "--help" {
      standardOutput.write(groupHelp())
      return ExitCode.success.rawValue
    }
    if first == "--version" {
      if words.count > 1 {
        return usageFailure(
          UsageError("Unexpected argument '\(words[1])'"), usage: "\(name) --version",
          helpCommand: "\(name) --help", standardError: &standardError
        ).rawValue
      }
      standardOutput.write(version + "\n")
      return ExitCode.success.rawValue
    }
    if first == "help" {
      return help(
        for: Array(words.dropFirst()), standardOutput: &standardOutput,
        standardError: &standardError
      ).rawValue
    }
    if first.hasPrefix("-") {
      return usageFailure(
        UsageError("Unknown option '\(first)'"), usage: "\(name) <subcommand>",
        helpCommand: "\(name) --help", standardError: &standardError
      ).rawValue
    }
    guard let command = subcommand(named: first) else {
      return usageFailure(
        unknownSubcommand(first), usage: "\(name) <subcommand>", helpCommand: "\(name) --help",
        standardError: &standardError
      ).rawValue
    }
    return await run(
      command, arguments: Array(words.dropFirst()), context: context,
      standardOutput: &standardOutput, standardError: &standardError
    ).rawValue
  }

  /// Parses and runs one subcommand.
  private static func run(
    _ command: any Command.Type, arguments: [String], context: CommandContext,
    standardOutput: inout some TextOutputStream, standardError: inout some TextOutputStream
  ) async -> ExitCode {
    let configuration = command.configuration
    let path = "\(name) \(configuration.name)"
    if arguments.prefix(while: { $0 != "--" }).contains(where: { $0 == "-h" || $0 == "--help" }) {
      standardOutput.write(HelpFormatter.help(for: configuration, commandPath: path))
      return .success
    }
    let instance: any Command
    do {
      let parsed = try ArgumentParser.parse(arguments, for: configuration)
      instance = try command.init(arguments: parsed)
    } catch {
      return usageFailure(
        error, usage: HelpFormatter.usage(for: configuration, commandPath: path),
        helpCommand: "\(path) --help", standardError: &standardError)
    }
    return await instance.run(
      context: context, standardOutput: &standardOutput, standardError: &standardError)
  }

  /// `sfn help [subcommand]`.
  private static func help(
    for words: [String], standardOutput: inout some TextOutputStream,
    standardError: inout some TextOutputStream
  ) -> ExitCode {
    guard let word = words.first else {
      standardOutput.write(groupHelp())
      return .success
    }
    guard words.count == 1, let command = subcommand(named: word) else {
      let error =
        words.count == 1 ? unknownSubcommand(word) : UsageError("Unexpected argument '\(words[1])'")
      return usageFailure(
        error, usage: "\(name) help [<subcommand>]", helpCommand: "\(name) --help",
        standardError: &standardError)
    }
    let configuration = command.configuration
    standardOutput.write(
      HelpFormatter.help(for: configuration, commandPath: "\(name) \(configuration.name)"))
    return .success
  }

  /// The top-level help, listing the subcommands.
  public static func groupHelp() -> String {
    HelpFormatter.groupHelp(
      name: name, abstract: abstract, discussion: exitStatusSummary,
      subcommands: subcommands.map { $0.configuration }, showsVersion: true)
  }

  private static func subcommand(named word: String) -> (any Command.Type)? {
    subcommands.first { $0.configuration.name == word }
  }

  private static func unknownSubcommand(_ word: String) -> UsageError {
    let names = subcommands.map { $0.configuration.name } + ["help"]
    if let suggestion = Suggestion.closest(to: word, among: names) {
      return UsageError("Unknown subcommand '\(word)'. Did you mean '\(suggestion)'?")
    }
    return UsageError(
      "Unknown subcommand '\(word)'. Available: \(names.joined(separator: ", ")).")
  }

  /// Prints a usage error the way swift-argument-parser does and returns 64:
  ///
  /// ```
  /// Error: Missing value for '--format <format>'
  /// Usage: sfn validate [--format <format>] <file> ...
  ///   See 'sfn validate --help' for more information.
  /// ```
  private static func usageFailure(
    _ error: UsageError, usage: String, helpCommand: String,
    standardError: inout some TextOutputStream
  ) -> ExitCode {
    standardError.write("Error: \(error.message)\n")
    standardError.write("Usage: \(usage)\n")
    standardError.write("  See '\(helpCommand)' for more information.\n")
    return .usageError
  }

  /// The process environment, read without Foundation.
  private static func processEnvironment() -> [String: String] {
    SystemIO.environment()
  }
}
