import StepFunctions
import StepFunctionsTesting

/// `sfn explore DEFINITION [--input JSON|@FILE]... [--max-paths N] [--visit-limit N]
/// [--map-iterations N] [--every-error] [--mocks FILE [--test-case NAME] [--state-machine NAME]]
/// [--no-handlers] [--machine NAME=FILE]... [--expect PROPERTY]... [--format text|json]`: enumerates the executions a
/// definition can have (see ``StepFunctionsTesting/Exploration``), lists every distinct path
/// with its end status, the states no path reaches, and the properties that do not hold, each
/// with its shortest counterexample.
///
/// **Answers.** A Task answers as the test case of `--mocks` mocks it, else as the built-in
/// simulated media services do (``makeHandlers``, a fresh world per run), or `{}` with
/// `--no-handlers` or when no handler serves its resource; the exploration also makes it fail
/// with each error its `Retry` and `Catch` name, `States.Timeout` and `States.TaskFailed`.
///
/// Exit status: 0 when no property is violated; 1 when one is; 64 for a bad command line (a
/// property that does not parse or names a state the definition does not have, a test case the
/// mock file does not have); 65 when the definition, an input or the mock file cannot be read
/// or is not valid.
public struct ExploreCommand: Command {
  /// The command's name, options and help.
  public static let configuration = CommandConfiguration(
    name: "explore",
    abstract: "List every path a definition can take when its tasks succeed or fail.",
    discussion: """
      Runs DEFINITION on a virtual clock again and again, making each Task answer as its mock \
      or handler does or fail with each error its Retry and Catch name (plus States.Timeout \
      and States.TaskFailed), depth first, and lists every distinct path with its end status, \
      the states no path reaches, and the --expect properties that do not hold, each with its \
      shortest counterexample. Choices go the way each execution's data takes them; give \
      several --input values to explore more of them. Errors a Task's catchers handle alike \
      are tried once (--every-error tries each); a state entered more than --visit-limit \
      times is cut (status TRUNCATED); Map iterations past --map-iterations repeat the last \
      branching one. With --machine NAME=FILE, a startExecution Task starts that machine (its \
      own tasks answer as their handlers do; the startExecution Task is then not varied).

      A property (--expect, repeatable): CONDITION [=> CONDITION], where a condition is \
      'enters A|B', 'ends-in A|B', 'status SUCCEEDED|FAILED', 'error E1|E2', combined with \
      'not', 'and', 'or' and parentheses; quote names with spaces in "...". Example: \
      --expect 'status SUCCEEDED or error VideoProcessingFailed' \
      --expect 'enters TranscodeVideo => enters NotifyFailure|Published'.

      Exit status: 0 when every property holds; 1 when one does not; 64 for a bad command \
      line (including a property that does not parse or names an unknown state); 65 when the \
      definition, an input or the mock file cannot be read or is not valid.
      """,
    options: [
      .option(
        "input", valueName: "json|@file",
        help: "An execution input: JSON text, or @FILE; repeatable (default: {}).",
        isRepeatable: true),
      .option(
        "max-paths", valueName: "n", help: "Stop after N distinct paths.",
        defaultValue: "1000"),
      .option(
        "visit-limit", valueName: "n",
        help: "Cut a run when a state is entered more than N times.", defaultValue: "3"),
      .option(
        "map-iterations", valueName: "n",
        help: "Map iterations that branch on their own; later ones repeat the last.",
        defaultValue: "1"),
      .flag("every-error", help: "Try every error name, even those handled alike."),
      .option("mocks", valueName: "file", help: "A Step Functions Local mock configuration file."),
      .option(
        "test-case", valueName: "name",
        help: "The test case of --mocks whose responses answer (default: the only one)."),
      .option(
        "state-machine", valueName: "name",
        help:
          "The state machine's name in --mocks (default: the only one, else the definition's file name)."
      ),
      .flag(
        "no-handlers",
        help: "Answer unmocked tasks with {} instead of the simulated media services."),
      MachineArgument.option,
      .option(
        "expect", valueName: "property", help: "A property every path must have; repeatable.",
        isRepeatable: true),
      .option(
        "format", help: "How to print the results.", allowedValues: ["text", "json"],
        defaultValue: "text"),
    ],
    positionals: [
      PositionalDefinition(
        name: "definition", help: "The state machine definition file.", arity: .required)
    ])

  /// The definition file.
  public var definition: String
  /// The input arguments as given (JSON text or `@file`).
  public var inputs: [String]
  /// The most distinct paths.
  public var maxPaths: Int
  /// The visit limit.
  public var visitLimit: Int
  /// The Map iterations that branch on their own.
  public var mapIterations: Int
  /// Whether every error name is tried.
  public var triesEveryError: Bool
  /// The mock configuration file, if any.
  public var mocks: String?
  /// The test case of the mock file, if given.
  public var testCase: String?
  /// The state machine's name in the mock file, if given.
  public var stateMachine: String?
  /// The properties.
  public var properties: [ExplorationProperty]
  /// The state machines a `startExecution` Task can start (`--machine NAME=FILE`).
  public var machines: [MachineArgument]
  /// Whether to print JSON.
  public var printsJSON: Bool
  /// Builds the handlers for every run (by default ``SFNCommand/defaultHandlers``, a fresh
  /// simulated world; an empty registry with `--no-handlers`).
  public var makeHandlers: @Sendable () -> TaskHandlerRegistry

  /// Creates the command from parsed arguments.
  public init(arguments: ParsedArguments) throws(UsageError) {
    definition = arguments.positional("definition") ?? ""
    inputs = arguments.values("input")
    maxPaths = try Self.count(arguments, "max-paths")
    visitLimit = try Self.count(arguments, "visit-limit")
    mapIterations = try Self.count(arguments, "map-iterations")
    triesEveryError = arguments.isSet("every-error")
    mocks = arguments.value("mocks")
    testCase = arguments.value("test-case")
    stateMachine = arguments.value("state-machine")
    if mocks == nil, testCase != nil || stateMachine != nil {
      throw UsageError("--test-case and --state-machine need --mocks <file>")
    }
    var properties: [ExplorationProperty] = []
    for text in arguments.values("expect") {
      do {
        properties.append(try ExplorationProperty(parsing: text))
      } catch {
        throw UsageError("The property '\(text)' does not parse: \(error)")
      }
    }
    self.properties = properties
    printsJSON = arguments.value("format") == "json"
    machines = try MachineArgument.parse(arguments.values("machine"))
    if arguments.isSet("no-handlers") {
      makeHandlers = { TaskHandlerRegistry() }
    } else {
      makeHandlers = { SFNCommand.defaultHandlers }
    }
  }

  private static func count(_ arguments: ParsedArguments, _ name: String) throws(UsageError)
    -> Int
  {
    let text = arguments.value(name) ?? ""
    guard let value = Int(text), value >= 1, value <= 1_000_000 else {
      throw UsageError(
        "The value '\(text)' is invalid for '--\(name) <n>'. Please give a whole number from 1 to 1000000."
      )
    }
    return value
  }

  /// Explores the definition and prints the report.
  public func run(
    context: CommandContext, standardOutput: inout some TextOutputStream,
    standardError: inout some TextOutputStream
  ) async -> ExitCode {
    guard
      let machine = DefinitionLoading.machine(
        at: definition, context: context, standardError: &standardError)
    else { return .dataError }
    var known = Set<String>()
    collectNames(machine.definition.graph, into: &known)
    for property in properties {
      if let unknown = property.stateNames.first(where: { !known.contains($0) }) {
        standardError.write(
          "Error: The property '\(property)' names the state '\(unknown)', which the definition does not have.\n"
        )
        return .usageError
      }
    }
    var inputValues: [JSON] = []
    for argument in inputs.isEmpty ? [nil] : inputs.map(Optional.some) {
      do {
        inputValues.append(try DefinitionLoading.input(argument, context: context))
      } catch {
        standardError.write("sfn: error: \(error.message)\n")
        return .dataError
      }
    }
    var selectedCase: MockTestCase?
    if let mocks {
      switch loadTestCase(mocks, context: context) {
      case .success(let found): selectedCase = found
      case .failure(let failure):
        standardError.write("sfn: error: \(failure.message)\n")
        return failure.exitCode
      }
    }
    var options = ExecutionOptions()
    guard
      MachineArgument.register(
        machines, into: &options.stateMachines, context: context, standardError: &standardError)
    else { return .dataError }
    let exploration = Exploration(
      machine, inputs: inputValues, handlers: makeHandlers, testCase: selectedCase,
      properties: properties, maxPaths: maxPaths, visitLimit: visitLimit,
      branchingIterations: mapIterations, mergesEquivalentErrors: !triesEveryError,
      options: options)
    let report = await exploration.run()
    if !report.isComplete {
      standardError.write(
        "sfn: warning: the exploration stopped after \(report.paths.count) paths and \(report.runCount) runs (--max-paths \(maxPaths)); states it names as unreachable may be reachable.\n"
      )
    }
    if printsJSON {
      standardOutput.write(JSONSerializer(style: .pretty).string(report.json) + "\n")
    } else {
      standardOutput.write(Self.text(report))
    }
    return report.violations.isEmpty ? .success : .failure
  }

  struct LoadFailure: Error {
    var message: String
    var exitCode: ExitCode
  }

  private func loadTestCase(_ path: String, context: CommandContext) -> Result<
    MockTestCase, LoadFailure
  > {
    let bytes: [UInt8]
    do {
      bytes = try context.read(path)
    } catch {
      return .failure(
        LoadFailure(message: "cannot read '\(path)': \(error.reason)", exitCode: .dataError))
    }
    let configuration: MockConfiguration
    do {
      configuration = try MockConfiguration(bytes: bytes, fileName: path)
    } catch {
      return .failure(LoadFailure(message: error.description, exitCode: .dataError))
    }
    let machine: MockedStateMachine
    do {
      machine = try configuration.stateMachine(stateMachine, definitionFile: definition)
    } catch {
      return .failure(LoadFailure(message: error.message, exitCode: .usageError))
    }
    if let testCase {
      guard let found = machine.testCase(named: testCase) else {
        let names = machine.testCases.map { "'\($0.name)'" }.joined(separator: ", ")
        return .failure(
          LoadFailure(
            message:
              "The state machine '\(machine.name)' has no test case '\(testCase)'. It has: \(names.isEmpty ? "none" : names).",
            exitCode: .usageError))
      }
      return .success(found)
    }
    guard machine.testCases.count == 1, let only = machine.testCases.first else {
      let names = machine.testCases.map { "'\($0.name)'" }.joined(separator: ", ")
      return .failure(
        LoadFailure(
          message:
            "Give --test-case: the state machine '\(machine.name)' has \(machine.testCases.isEmpty ? "no test cases" : "the test cases \(names)").",
          exitCode: .usageError))
    }
    return .success(only)
  }

  private func collectNames(_ graph: StateGraph, into names: inout Set<String>) {
    for state in graph.states {
      names.insert(state.name)
      switch state.kind {
      case .parallel(let parallel):
        for branch in parallel.branches { collectNames(branch, into: &names) }
      case .map(let map):
        collectNames(map.processor, into: &names)
      default:
        break
      }
    }
  }

  /// The text report: the paths, the unreachable states, the properties.
  static func text(_ report: ExplorationReport) -> String {
    var text = ""
    let order: [ExploredPath.Status] = ExploredPath.Status.allCases
    let counts = order.compactMap { status -> String? in
      let count = report.paths.filter { $0.status == status }.count
      return count == 0 ? nil : "\(count) \(status.rawValue)"
    }.joined(separator: ", ")
    text +=
      "\(report.paths.count) path\(report.paths.count == 1 ? "" : "s") (\(counts.isEmpty ? "none" : counts)) from \(report.runCount) run\(report.runCount == 1 ? "" : "s")\(report.isComplete ? "" : ", stopped at the path limit")\n"
    let width = String(report.paths.count).count
    for (index, path) in report.paths.enumerated() {
      let number = String(index + 1)
      text += String(repeating: " ", count: width - number.count) + number + ". "
      text += pathText(path, indent: width + 2, withInput: report.inputCount > 1)
    }
    text +=
      "\nUnreachable states: \(report.unreachableStates.isEmpty ? "none" : report.unreachableStates.joined(separator: ", "))\n"
    if !report.violations.isEmpty {
      text += "\nViolated properties:\n"
      for violation in report.violations {
        text +=
          "  \(violation.property) (\(violation.violatingPathCount) path\(violation.violatingPathCount == 1 ? "" : "s"))\n"
        text += "    shortest counterexample: "
        text += pathText(violation.counterexample, indent: 6, withInput: report.inputCount > 1)
      }
    }
    return text
  }

  /// The outcomes, with a run of equal ones (the items of a Map) written once: `10 × Work: ok`.
  private static func grouped(_ outcomes: [TaskOutcome]) -> [String] {
    var groups: [(TaskOutcome, Int)] = []
    for outcome in outcomes {
      if let last = groups.last, last.0 == outcome {
        groups[groups.count - 1].1 += 1
      } else {
        groups.append((outcome, 1))
      }
    }
    return groups.map { $0.1 == 1 ? $0.0.description : "\($0.1) × \($0.0.description)" }
  }

  private static func pathText(_ path: ExploredPath, indent: Int, withInput: Bool) -> String {
    var text = path.description + (withInput ? " [input \(path.inputIndex + 1)]" : "") + "\n"
    if !path.outcomes.isEmpty {
      text +=
        String(repeating: " ", count: indent) + "outcomes: "
        + grouped(path.outcomes).joined(separator: ", ") + "\n"
    }
    return text
  }
}
