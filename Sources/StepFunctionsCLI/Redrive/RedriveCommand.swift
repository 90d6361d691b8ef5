import StepFunctions

/// `sfn redrive DEFINITION HISTORY [--history] [--history-out FILE] [--format text|json]
/// [--redrive-time ISO-8601] [--seed N]`: continues a recorded `FAILED`, `ABORTED` or
/// `TIMED_OUT` execution the way AWS's `RedriveExecution` does (see
/// ``StepFunctions/StateMachine/redrive(_:options:)``), with the handlers `sfn run` uses.
///
/// Text output is the trace of what the redrive ran (times from the redrive), then the status
/// and the output or error. JSON output is `sfn run`'s object plus `"redriveCount"`; with
/// `--history`, `"events"` is the whole history (recorded and new). `--history-out FILE` writes
/// the whole history as `aws stepfunctions get-execution-history --output json` prints it, so it
/// can be redriven again.
///
/// AWS's `RedriveExecution` takes no new input (a redrive continues with the recorded input), so
/// `--input-overrides` is refused with that explanation.
///
/// Exit status: 0 when the redriven execution succeeded; 1 when it ended `FAILED`, `TIMED_OUT`
/// or `ABORTED`, or AWS would refuse the redrive (`ExecutionNotRedrivable`: the execution
/// succeeded or still runs, is too old, or has too many events); 64 for a bad command line; 65
/// when the definition or the history cannot be read or cannot be continued (malformed,
/// truncated); 73 when the history file cannot be written.
public struct RedriveCommand: Command {
  /// The command's name, options and help.
  public static let configuration = CommandConfiguration(
    name: "redrive",
    abstract:
      "Continue a failed, aborted or timed-out execution from its history (RedriveExecution).",
    discussion: """
      Continues the execution HISTORY records as AWS's RedriveExecution does: the recorded \
      events stay, an ExecutionRedriven event follows, and the execution enters again the state \
      that did not succeed, with the input and variables recorded for it. A Parallel state runs \
      again only its branches that did not succeed, an inline Map state only its iterations \
      that did not; retries start from zero. Tasks are answered by the handlers 'sfn run' uses. \
      HISTORY is `aws stepfunctions get-execution-history --output json` output (or \
      'sfn run --history-out' / 'sfn redrive --history-out' output; '-' reads standard input).

      AWS refuses a SUCCEEDED or running execution, an express one, one started before \
      2023-11-15, one with 24,999 events or more, and a redrive more than 14 days after the \
      execution ended: so does this command. The redrive happens when the recorded execution \
      ended unless --redrive-time says otherwise. RedriveExecution takes no new input.

      Exit status: 0 when the redriven execution succeeded; 1 when it did not, or the redrive \
      is refused (ExecutionNotRedrivable); 64 for a bad command line; 65 when the definition or \
      the history cannot be read or continued; 73 when the history file cannot be written.
      """,
    options: [
      .flag(
        "history",
        help:
          "Include the whole event history (with --format json) or print every new event (text)."),
      .option(
        "history-out", valueName: "file",
        help:
          "Also write the whole history to FILE as `aws stepfunctions get-execution-history` does."),
      .option(
        "format", help: "How to print the result.", allowedValues: ["text", "json"],
        defaultValue: "text"),
      .option(
        "redrive-time", valueName: "iso-8601",
        help: "When the redrive happens (default: when the recorded execution ended)."),
      .option(
        "seed", valueName: "n",
        help: "The seed for what the redrive draws (default: the history's, else 0)."),
      .option(
        "input-overrides", valueName: "json",
        help: "Refused: RedriveExecution takes no new input (the recorded input is used)."),
    ],
    positionals: [
      PositionalDefinition(
        name: "definition", help: "The state machine definition file.", arity: .required),
      PositionalDefinition(
        name: "history", help: "The execution history file ('-' for standard input).",
        arity: .required),
    ])

  /// The definition file.
  public var definition: String
  /// The history file, as given.
  public var history: String
  /// Whether to include the history.
  public var includesHistory: Bool
  /// Where to write the whole history in the AWS CLI's shape, if anywhere.
  public var historyOutput: String?
  /// Whether to print JSON.
  public var printsJSON: Bool
  /// When the redrive happens, if given.
  public var redriveTime: Instant?
  /// The seed, if given.
  public var seed: UInt64?
  /// The handlers tasks use; the default set comes from ``SFNCommand/defaultHandlers``.
  public var handlers: TaskHandlerRegistry

  /// Creates the command from parsed arguments.
  public init(arguments: ParsedArguments) throws(UsageError) {
    definition = arguments.positional("definition") ?? ""
    history = arguments.positional("history") ?? ""
    includesHistory = arguments.isSet("history")
    historyOutput = arguments.value("history-out")
    printsJSON = arguments.value("format") == "json"
    if arguments.value("input-overrides") != nil {
      throw UsageError(
        "'--input-overrides' is not supported: AWS's RedriveExecution takes no new input, a redrive continues with the input the execution was started with. To run with another input, start a new execution ('sfn run --input')."
      )
    }
    if let text = arguments.value("redrive-time") {
      guard let instant = Instant(rfc3339: text) else {
        throw UsageError(
          "The value '\(text)' is invalid for '--redrive-time <iso-8601>'. Please provide a date-time such as 2025-01-01T12:00:00Z."
        )
      }
      redriveTime = instant
    }
    seed = try arguments.seed()
    handlers = SFNCommand.defaultHandlers
  }

  /// Redrives the execution and prints the result.
  public func run(
    context: CommandContext, standardOutput: inout some TextOutputStream,
    standardError: inout some TextOutputStream
  ) async -> ExitCode {
    guard
      let machine = DefinitionLoading.machine(
        at: definition, context: context, standardError: &standardError)
    else { return .dataError }
    let name = history == "-" ? "<stdin>" : history
    let recorded: ExecutionHistory
    do {
      recorded = try loadHistory(bytes: context.read(history), fileName: name)
    } catch let error as FileReadError {
      standardError.write("sfn: error: cannot read '\(name)': \(error.reason)\n")
      return .dataError
    } catch {
      standardError.write("\(error)\n")
      return .dataError
    }
    var options = RedriveOptions()
    options.handlers = handlers
    options.redriveTime = redriveTime
    options.seed = seed
    options.stateMachineName = StateMachineNames.name(forFile: definition)
    let result: ExecutionResult
    do {
      result = try await machine.redrive(recorded, options: options)
    } catch {
      standardError.write("sfn: error: \(name): cannot redrive: \(error)\n")
      return error.kind == .executionNotRedrivable ? .failure : .dataError
    }
    let added = Array(result.history.events.dropFirst(recorded.count))
    let redriveCount = added.first?.detail("redriveCount")?.numberValue?.intValue ?? 0
    if printsJSON {
      guard case .object(var object) = RunCommand.json(result, includesHistory: includesHistory)
      else { return .failure }
      object.append(key: "redriveCount", value: .number(JSONNumber(redriveCount)))
      standardOutput.write(JSONSerializer(style: .pretty).string(.object(object)) + "\n")
    } else {
      // The trace of what the redrive ran, with times from the redrive.
      var shown = result
      shown.history = ExecutionHistory(events: added)
      shown.startDate = added.first?.timestamp ?? result.stopDate
      standardOutput.write(
        "\(name): redrive \(redriveCount) at \(shown.startDate.iso8601), after \(recorded.count) recorded events\n"
      )
      standardOutput.write(RunTrace.render(shown, allEvents: includesHistory))
    }
    if let historyOutput {
      do {
        try context.writeFile(historyOutput, Array(result.history.awsCLIText.utf8))
      } catch {
        standardError.write(
          "sfn: error: cannot write the history to '\(historyOutput)': \(error.reason)\n")
        return .cannotCreateOutput
      }
    }
    return result.status == .succeeded ? .success : .failure
  }
}

extension HistoryEvent {
  /// A member of the event's `...EventDetails`, as `get-execution-history` shows it.
  fileprivate func detail(_ member: String) -> JSON? {
    guard case .object(let object) = awsJSON else { return nil }
    for (key, value) in object where key.hasSuffix("EventDetails") { return value[member] }
    return nil
  }
}
