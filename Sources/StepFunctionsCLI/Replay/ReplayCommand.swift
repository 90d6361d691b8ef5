import StepFunctions
import StepFunctionsTesting

/// `sfn replay DEFINITION HISTORY... [--format text|json]`: replays recorded execution histories
/// against a definition and says, for each, whether the definition still does what the recorded
/// execution did — or where it first differs.
///
/// Each HISTORY is what `aws stepfunctions get-execution-history --output json` prints (or
/// `sfn run --format json --history` output). No task handler runs: every task gets the result
/// the history records (see ``StepFunctions/StateMachine/replay(_:options:)``).
///
/// Text output: `HISTORY: matched (N events)`, or the divergence with the recorded and the
/// replayed value; with several histories, a closing summary. JSON output: one object per history
/// — `{"history", "result", "eventsCompared", "divergence", "limit"}` — alone for one history,
/// in an array for several (as `validate` does). `result` is `matched`, `diverged` or
/// `incomplete` (the history does not allow an exact replay past some event: a truncated payload,
/// or a distributed Map's child executions; `limit` says which).
///
/// Exit status: 0 when every history matched; 1 when any diverged or is incomplete; 64 for a
/// bad command line; 65 when the definition or a history cannot be read (the others are still
/// replayed).
public struct ReplayCommand: Command {
  /// The command's name, options and help.
  public static let configuration = CommandConfiguration(
    name: "replay",
    abstract: "Replay recorded execution histories against a definition.",
    discussion: """
      Runs DEFINITION once per HISTORY on a virtual clock from the recorded start, with the \
      recorded input, and answers every task with the result, failure, timeout or callback the \
      history records (no task handler runs). Each event the definition produces is compared \
      with the recorded one; the first difference is reported with the recorded and the \
      replayed value. A HISTORY is `aws stepfunctions get-execution-history --output json` \
      output ('-' reads standard input).

      With --coverage, also prints what the replayed executions covered together, as 'sfn \
      test --coverage' does; with --format json the output is then one object, \
      {"histories": [...], "coverage": {...}}.

      A history holding a truncated payload, or the events of a distributed Map run as child \
      executions, replays exactly only up to that event: it is reported as incomplete.

      Exit status: 0 when every history matched; 1 when any diverged or is incomplete; 64 for a \
      bad command line; 65 when the definition or a history cannot be read.
      """,
    options: [
      .option(
        "format", help: "How to print the results.", allowedValues: ["text", "json"],
        defaultValue: "text"),
      .flag(
        "trace",
        help: "Print each replayed execution's trace (as 'sfn run' does) before its result."),
      .flag(
        "coverage",
        help:
          "Also report what the replayed executions covered together (see 'sfn test --coverage')."
      ),
    ],
    positionals: [
      PositionalDefinition(
        name: "definition", help: "The state machine definition file.", arity: .required),
      PositionalDefinition(
        name: "history", help: "Execution history files ('-' for standard input).",
        arity: .oneOrMore),
    ])

  /// The definition file.
  public var definition: String
  /// The history files, as given.
  public var histories: [String]
  /// Whether to print JSON.
  public var printsJSON: Bool
  /// Whether to print the replayed executions' traces (text output only).
  public var printsTrace: Bool
  /// Whether to report what the replays covered (`--coverage`).
  public var printsCoverage: Bool

  /// Creates the command from parsed arguments.
  public init(arguments: ParsedArguments) throws(UsageError) {
    definition = arguments.positional("definition") ?? ""
    histories = arguments.positionals("history")
    printsJSON = arguments.value("format") == "json"
    printsTrace = arguments.isSet("trace")
    printsCoverage = arguments.isSet("coverage")
    if printsJSON, printsTrace {
      throw UsageError("'--trace' prints text: it cannot be combined with '--format json'")
    }
  }

  /// Replays each history and prints the results.
  public func run(
    context: CommandContext, standardOutput: inout some TextOutputStream,
    standardError: inout some TextOutputStream
  ) async -> ExitCode {
    guard
      let machine = DefinitionLoading.machine(
        at: definition, context: context, standardError: &standardError)
    else { return .dataError }
    var options = ReplayOptions()
    options.stateMachineName = StateMachineNames.name(forFile: definition)
    options.recordsCoverage = printsCoverage
    let coverage = CoverageCollector()
    let coverageName = options.stateMachineName ?? "StateMachine"
    coverage.register(machine, as: coverageName)

    var reports: [(path: String, report: ReplayReport)] = []
    var unreadable = 0
    for path in histories {
      let name = path == "-" ? "<stdin>" : path
      let history: ExecutionHistory
      do {
        history = try loadHistory(bytes: context.read(path), fileName: name)
      } catch let error as FileReadError {
        standardError.write("sfn: error: cannot read '\(name)': \(error.reason)\n")
        unreadable += 1
        continue
      } catch {
        // The importer's message is compiler-style: "FILE:LINE:COL: error: event ... [kind]".
        standardError.write("\(error)\n")
        unreadable += 1
        continue
      }
      do {
        let replayed = try await machine.replayResult(for: history, options: options)
        if printsTrace, let execution = replayed.execution {
          standardOutput.write("\(name): replayed trace\n")
          standardOutput.write(RunTrace.render(execution, allEvents: false) + "\n")
        }
        reports.append((name, replayed.report))
        coverage.record(replayed, of: machine, as: coverageName)
      } catch {
        standardError.write("sfn: error: \(name): cannot replay: \(error)\n")
        unreadable += 1
      }
    }

    let coverages = printsCoverage ? coverage.coverages : []
    if printsJSON, printsCoverage {
      // `{"histories": [...], "coverage": {...}}`, however many histories.
      let objects = reports.map { Self.json($0.report, history: $0.path) }
      let report: JSON = ["histories": .array(objects)]
      standardOutput.write(
        JSONSerializer(style: .pretty).string(CoverageRendering.adding(coverages, to: report))
          + "\n")
    } else if printsJSON {
      let objects = reports.map { Self.json($0.report, history: $0.path) }
      if objects.count == 1, histories.count == 1 {
        standardOutput.write(JSONSerializer(style: .pretty).string(objects[0]) + "\n")
      } else if !objects.isEmpty || histories.count > 1 {
        standardOutput.write(JSONSerializer(style: .pretty).string(.array(objects)) + "\n")
      }
    } else {
      for (path, report) in reports { standardOutput.write(Self.text(report, history: path)) }
      if histories.count > 1 {
        standardOutput.write(Self.summary(reports.map(\.report), unreadable: unreadable))
      }
      if printsCoverage { standardOutput.write(CoverageRendering.text(coverages)) }
    }
    if unreadable > 0 { return .dataError }
    return reports.allSatisfy(\.report.isMatched) ? .success : .failure
  }

  // MARK: - Rendering

  /// The text block for one history.
  static func text(_ report: ReplayReport, history: String) -> String {
    switch report {
    case .matched, .incomplete:
      return "\(history): \(report)\n"
    case .diverged(let divergence):
      var text = "\(history): diverged at event \(divergence.eventId) (\(divergence.location))\n"
      text += "  \(divergence.message)\n"
      if !divergence.pointer.isEmpty { text += "  at \(divergence.pointer)\n" }
      text += "  - recorded: \(divergence.recorded.map(ValueDifference.snippet) ?? "nothing")\n"
      text += "  + replayed: \(divergence.replayed.map(ValueDifference.snippet) ?? "nothing")\n"
      return text
    }
  }

  /// `3 histories: 2 matched, 1 diverged`.
  static func summary(_ reports: [ReplayReport], unreadable: Int) -> String {
    let total = reports.count + unreadable
    var parts = ["\(reports.filter(\.isMatched).count) matched"]
    parts.append("\(reports.filter { $0.divergence != nil }.count) diverged")
    let incomplete = reports.filter { if case .incomplete = $0 { true } else { false } }.count
    if incomplete > 0 { parts.append("\(incomplete) incomplete") }
    if unreadable > 0 { parts.append("\(unreadable) unreadable") }
    return "\n\(total) histories: \(parts.joined(separator: ", "))\n"
  }

  /// The JSON object for one history.
  public static func json(_ report: ReplayReport, history: String) -> JSON {
    var object = JSONObject()
    object.append(key: "history", value: .string(history))
    let result: String
    switch report {
    case .matched: result = "matched"
    case .diverged: result = "diverged"
    case .incomplete: result = "incomplete"
    }
    object.append(key: "result", value: .string(result))
    object.append(key: "eventsCompared", value: .number(JSONNumber(report.eventsCompared)))
    if let divergence = report.divergence {
      var details = JSONObject()
      details.append(key: "eventId", value: .number(JSONNumber(divergence.eventId)))
      details.append(key: "type", value: .string(divergence.eventType))
      details.append(key: "state", value: divergence.stateName.map(JSON.string) ?? .null)
      details.append(
        key: "scopes", value: .array(divergence.scopes.map { .string($0.description) }))
      details.append(key: "kind", value: .string(divergence.kind.rawValue))
      details.append(key: "pointer", value: .string(divergence.pointer))
      details.append(key: "expected", value: divergence.recorded ?? .null)
      details.append(key: "actual", value: divergence.replayed ?? .null)
      details.append(key: "message", value: .string(divergence.message))
      object.append(key: "divergence", value: .object(details))
    } else {
      object.append(key: "divergence", value: .null)
    }
    if case .incomplete(let limit) = report {
      var details = JSONObject()
      details.append(key: "eventId", value: .number(JSONNumber(limit.eventId)))
      details.append(key: "type", value: .string(limit.eventType))
      details.append(key: "state", value: limit.stateName.map(JSON.string) ?? .null)
      switch limit.reason {
      case .truncatedPayload(let members):
        details.append(key: "reason", value: "truncatedPayload")
        details.append(key: "members", value: .array(members.map(JSON.string)))
      case .childExecutions(let mapState):
        details.append(key: "reason", value: "childExecutions")
        details.append(key: "mapState", value: .string(mapState))
      }
      details.append(key: "message", value: .string(limit.description))
      object.append(key: "limit", value: .object(details))
    } else {
      object.append(key: "limit", value: .null)
    }
    return .object(object)
  }
}
