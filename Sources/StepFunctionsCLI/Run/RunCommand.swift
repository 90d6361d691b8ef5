import StepFunctions

/// `sfn run DEFINITION [--input JSON|@FILE] [--history] [--history-out FILE] [--format text|json]
/// [--seed N] [--bucket NAME=DIR ...] [--machine NAME=FILE ...]`: runs a state machine on a
/// virtual clock and prints what happened.
///
/// Text output is a trace of the states entered and left (with virtual times), then the status
/// and the output or error. JSON output is one object: `{"status", "output", "error", "cause"}`
/// plus `"events"` (AWS's `get-execution-history` shape) with `--history`. `--history-out FILE`
/// also writes the history to FILE exactly as `aws stepfunctions get-execution-history --output
/// json` prints it, so that a local run can be replayed or compared with AWS's later.
/// `--bucket NAME=DIR` (repeatable) serves the S3 bucket NAME from the local folder DIR, so
/// that S3 tasks and a distributed Map's `ItemReader`/`ResultWriter` read and write real files.
///
/// Exit status: 0 when the execution succeeded; 1 when it ended `FAILED`, `TIMED_OUT` or
/// `ABORTED`; 64 for a bad command line; 65 when the definition or the input cannot be read or
/// is not valid, or a `--bucket` folder does not exist or is not a folder (nothing was run); 73
/// when the history file cannot be written.
public struct RunCommand: Command {
  /// The command's name, options and help.
  public static let configuration = CommandConfiguration(
    name: "run",
    abstract: "Run a state machine locally on a virtual clock.",
    discussion: """
      Runs DEFINITION with the given input (default {}) on a virtual clock: Waits, retries and \
      timeouts take no real time. The same definition, input and seed always give the same \
      output and history.

      With --history-out FILE, the event history is also written to FILE exactly as \
      `aws stepfunctions get-execution-history --output json` prints it (timestamps in UTC), \
      whatever the execution's outcome, so that it can be replayed or compared with AWS's.

      With --bucket NAME=DIR (repeatable), the simulated S3 bucket NAME is the local folder DIR: \
      the key a/b.csv is the file DIR/a/b.csv, and writes (putObject, a ResultWriter) create \
      files there. Keys that would leave DIR (.., absolute paths, links out) fail. A DIR that \
      does not exist or is not a folder is a data error (65).

      With --machine NAME=FILE (repeatable), a Task can start the machine in FILE with \
      arn:aws:states:::states:startExecution (any pattern) and the ARN \
      arn:aws:states:us-east-1:123456789012:stateMachine:NAME; a --machine file that cannot be \
      read or is not valid also exits 65.

      Exit status: 0 when the execution succeeded; 1 when it ended FAILED, TIMED_OUT or \
      ABORTED; 64 for a bad command line; 65 when the definition or the input cannot be read or \
      is not valid; 73 when the history file cannot be written.
      """,
    options: [
      .option(
        "input", valueName: "json|@file",
        help: "The execution input: JSON text, or @FILE to read it from a file."),
      .flag(
        "history",
        help: "Include the event history (with --format json) or print every event (text)."),
      .option(
        "history-out", valueName: "file",
        help: "Also write the history to FILE as `aws stepfunctions get-execution-history` does."),
      .option(
        "format", help: "How to print the result.", allowedValues: ["text", "json"],
        defaultValue: "text"),
      .option(
        "seed", valueName: "n", help: "The seed for everything random (UUIDs, MathRandom, jitter).",
        defaultValue: "0"),
      BucketFolder.option,
      MachineArgument.option,
    ],
    positionals: [
      PositionalDefinition(
        name: "definition", help: "The state machine definition file.", arity: .required)
    ])

  /// The definition file.
  public var definition: String
  /// The input argument as given (JSON text or `@file`).
  public var input: String?
  /// Whether to include the history.
  public var includesHistory: Bool
  /// Where to write the history in the AWS CLI's shape, if anywhere.
  public var historyOutput: String?
  /// Whether to print JSON.
  public var printsJSON: Bool
  /// The seed.
  public var seed: UInt64
  /// The state machines the run can start (`--machine NAME=FILE`).
  public var machines: [MachineArgument]
  /// The handlers tasks use; the default set comes from ``SFNCommand/defaultHandlers``.
  /// Ignored when ``bucketFolders`` is not empty.
  public var handlers: TaskHandlerRegistry
  /// The `--bucket NAME=DIR` mappings. When there are any, the execution uses a fresh sample
  /// world's handlers with these folders mapped onto their buckets, instead of ``handlers``.
  public var bucketFolders: [BucketFolder]

  /// Creates the command from parsed arguments.
  public init(arguments: ParsedArguments) throws(UsageError) {
    definition = arguments.positional("definition") ?? ""
    input = arguments.value("input")
    includesHistory = arguments.isSet("history")
    historyOutput = arguments.value("history-out")
    printsJSON = arguments.value("format") == "json"
    seed = try arguments.seed() ?? 0
    machines = try MachineArgument.parse(arguments.values("machine"))
    handlers = SFNCommand.defaultHandlers
    bucketFolders = try BucketFolder.parse(arguments)
  }

  /// Runs the execution and prints the result.
  public func run(
    context: CommandContext, standardOutput: inout some TextOutputStream,
    standardError: inout some TextOutputStream
  ) async -> ExitCode {
    guard
      let machine = DefinitionLoading.machine(
        at: definition, context: context, standardError: &standardError)
    else { return .dataError }
    let inputValue: JSON
    do {
      inputValue = try DefinitionLoading.input(input, context: context)
    } catch {
      standardError.write("sfn: error: \(error.message)\n")
      return .dataError
    }
    var options = ExecutionOptions()
    guard
      MachineArgument.register(
        machines, into: &options.stateMachines, context: context, standardError: &standardError)
    else { return .dataError }
    options.seed = seed
    options.handlers = handlers
    if !bucketFolders.isEmpty {
      do {
        options.handlers = try BucketFolder.handlers(mapping: bucketFolders)
      } catch {
        standardError.write("sfn: error: --bucket: \(error.description)\n")
        return .dataError
      }
    }
    options.stateMachineName = StateMachineNames.name(forFile: definition)
    // JSON without --history prints no event: keeping none bounds memory to the live payloads
    // (a history may otherwise hold 25,000 payloads of up to 256 KiB each).
    options.recordsHistory = includesHistory || !printsJSON
    let result = await machine.run(input: inputValue, options: options)
    if printsJSON {
      standardOutput.write(
        JSONSerializer(style: .pretty).string(
          RunCommand.json(result, includesHistory: includesHistory)) + "\n")
    } else {
      standardOutput.write(RunTrace.render(result, allEvents: includesHistory))
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

  /// The JSON result object: status, output, error, cause and (optionally) the events; then the
  /// executions it started (`--machine`), if any, each with its `executionArn` first.
  public static func json(_ result: ExecutionResult, includesHistory: Bool) -> JSON {
    var object = JSONObject()
    object.append(key: "status", value: .string(result.status.rawValue))
    object.append(key: "output", value: result.output ?? .null)
    object.append(key: "error", value: result.error.map(JSON.string) ?? .null)
    object.append(key: "cause", value: result.cause.map(JSON.string) ?? .null)
    if includesHistory {
      object.append(key: "events", value: .array(result.history.events.map(\.awsJSON)))
    }
    if !result.startedExecutions.isEmpty {
      let children = result.startedExecutions.map { child -> JSON in
        var entry: JSONObject = ["executionArn": .string(child.executionArn)]
        if case .object(let fields) = json(child, includesHistory: includesHistory) {
          for (key, value) in fields { entry.append(key: key, value: value) }
        }
        return .object(entry)
      }
      object.append(key: "startedExecutions", value: .array(children))
    }
    return .object(object)
  }
}

/// State machine names derived from file names (`video-workflow.asl.json` → `video-workflow`).
enum StateMachineNames {
  static func name(forFile path: String) -> String {
    var name = path.split(separator: "/").last.map(String.init) ?? "StateMachine"
    for suffix in [".json", ".asl"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
    let allowed = name.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    return allowed.isEmpty ? "StateMachine" : String(allowed.prefix(80))
  }
}

/// The readable trace `sfn run` prints.
enum RunTrace {
  static func render(_ result: ExecutionResult, allEvents: Bool) -> String {
    var text = ""
    let start = result.startDate.millisecondsSinceEpoch
    for event in result.history.events {
      let offset = Double(event.timestamp.millisecondsSinceEpoch - start) / 1000
      let time = formatSeconds(offset)
      switch event.details {
      case .stateEntered(let name, _):
        text += "\(time)  → \(name) (\(event.type.replacingSuffix("StateEntered")))\n"
      case .stateExited(let name, let output, _) where allEvents:
        text += "\(time)  ← \(name): \(output.serialized())\n"
      case .failure(_, let error, let cause)
      where event.type.hasSuffix("Failed") || event.type.hasSuffix("TimedOut"):
        if event.type != "ExecutionFailed" {
          text += "\(time)    ✗ \(event.type) \(error ?? "")\(cause.map { ": " + $0 } ?? "")\n"
        }
      case .fields(_, let fields, _)
      where event.type.hasSuffix("Failed") || event.type.hasSuffix("TimedOut"):
        let error = fields["error"]?.stringValue ?? ""
        let cause = fields["cause"]?.stringValue.map { ": " + $0 } ?? ""
        text += "\(time)    ✗ \(event.type) \(error)\(cause)\n"
      default:
        if allEvents, !event.type.hasSuffix("StateExited") { text += "\(time)    \(event.type)\n" }
      }
    }
    let duration = formatSeconds(Double(result.stopDate.millisecondsSinceEpoch - start) / 1000)
    text +=
      "\n\(result.status.rawValue) after \(duration) of execution time, \(result.stateTransitions) state transitions\n"
    if let output = result.output {
      text += JSONSerializer(style: .pretty).string(output) + "\n"
    }
    if let error = result.error { text += "error: \(error)\n" }
    if let cause = result.cause, !cause.isEmpty { text += "cause: \(cause)\n" }
    return text
  }

  static func formatSeconds(_ seconds: Double) -> String {
    let milliseconds = Int((seconds * 1000).rounded())
    let hours = milliseconds / 3_600_000
    let minutes = milliseconds / 60_000 % 60
    let secs = Double(milliseconds % 60_000) / 1000
    let secondsText = String(format: "%06.3f", secs)
    return hours > 0
      ? "\(hours):\(minutes < 10 ? "0" : "")\(minutes):\(secondsText)" : "\(minutes):\(secondsText)"
  }
}

extension String {
  fileprivate func replacingSuffix(_ suffix: String) -> String {
    hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
  }
}
