import StepFunctions
import StepFunctionsTesting

/// `sfn graph DEFINITION [--format mermaid|dot] [--history FILE | --coverage FILE
/// [--state-machine NAME]] [--output FILE]`: draws a state machine the way the Step Functions
/// console does (``StepFunctionsTesting/StateMachineGraph``), as a Mermaid flowchart or a
/// Graphviz DOT graph.
///
/// With `--history`, the path an execution took is drawn green and the state whose failure ended
/// it red (``StepFunctionsTesting/GraphHighlight/init(history:definition:)``). With `--coverage`
/// (what `sfn test … --coverage --format json` prints), covered states, Choice rules, catchers and
/// branches are green and uncovered ones orange.
///
/// Exit status: 0 when the picture was written; 64 for a bad command line (including both
/// `--history` and `--coverage`); 65 when the definition, the history or the coverage report
/// cannot be read or is not valid; 73 when `--output` cannot be written.
public struct GraphCommand: Command {
  /// The command's name, options and help.
  public static let configuration = CommandConfiguration(
    name: "graph",
    abstract: "Draw a state machine as a Mermaid or Graphviz (DOT) graph.",
    discussion: """
      Draws DEFINITION as the Step Functions console does: states, transitions, Choice rules \
      as labelled edges, Catch edges dashed, Parallel branches and Map item processors as \
      clusters, with Start and End markers. Mermaid renders on GitHub and in other Markdown \
      viewers (```mermaid blocks); DOT renders with Graphviz (dot -Tsvg).

      With --history FILE (what 'sfn run --history-out' writes, or 'aws stepfunctions \
      get-execution-history --output json'), the states entered and the transitions taken are \
      green and the state whose failure ended the execution is red. With --coverage FILE (what \
      'sfn test ... --coverage --format json' prints), covered states, Choice rules, catchers \
      and branches are green and uncovered ones orange; --state-machine picks the report's \
      state machine when it has several.

      Exit status: 0 when the graph was written; 64 for a bad command line; 65 when the \
      definition, the history or the coverage report cannot be read or is not valid; 73 when \
      the --output file cannot be written.
      """,
    options: [
      .option(
        "format", help: "The graph language.", allowedValues: ["mermaid", "dot"],
        defaultValue: "mermaid"),
      .option(
        "history", valueName: "file",
        help: "Highlight the path of this execution history ('-' for standard input)."),
      .option(
        "coverage", valueName: "file",
        help: "Colour what this coverage report (sfn test --coverage --format json) covered."),
      .option(
        "state-machine", valueName: "name",
        help: "The state machine in the coverage report (default: the only one)."),
      .option("output", valueName: "file", help: "Write the graph to this file, not stdout."),
    ],
    positionals: [
      PositionalDefinition(
        name: "definition", help: "The state machine definition file.", arity: .required)
    ])

  /// The definition file.
  public var definition: String
  /// Whether to write DOT instead of Mermaid.
  public var writesDOT: Bool
  /// The history file, if given.
  public var history: String?
  /// The coverage report file, if given.
  public var coverage: String?
  /// The state machine to take from the coverage report, if given.
  public var stateMachine: String?
  /// The output file, if given.
  public var output: String?

  /// Creates the command from parsed arguments.
  public init(arguments: ParsedArguments) throws(UsageError) {
    definition = arguments.positional("definition") ?? ""
    writesDOT = arguments.value("format") == "dot"
    history = arguments.value("history")
    coverage = arguments.value("coverage")
    stateMachine = arguments.value("state-machine")
    output = arguments.value("output")
    if history != nil, coverage != nil {
      throw UsageError("Give either '--history <file>' or '--coverage <file>', not both")
    }
    if stateMachine != nil, coverage == nil {
      throw UsageError("'--state-machine <name>' needs '--coverage <file>'")
    }
  }

  /// Draws the graph.
  public func run(
    context: CommandContext, standardOutput: inout some TextOutputStream,
    standardError: inout some TextOutputStream
  ) async -> ExitCode {
    guard
      let machine = DefinitionLoading.machine(
        at: definition, context: context, standardError: &standardError)
    else { return .dataError }
    let graph = StateMachineGraph(definition: machine.definition)
    var highlight = GraphHighlight()
    if let history {
      do {
        let loaded = try loadHistory(bytes: try context.read(history), fileName: history)
        highlight = GraphHighlight(history: loaded, definition: machine.definition)
      } catch let error as FileReadError {
        standardError.write("sfn: error: cannot read '\(history)': \(error.reason)\n")
        return .dataError
      } catch {
        standardError.write("sfn: error: \(history): \(error)\n")
        return .dataError
      }
    }
    if let coverage {
      do {
        highlight = try GraphHighlight(
          coverageReport: try context.read(coverage), stateMachine: stateMachine)
      } catch let error as FileReadError {
        standardError.write("sfn: error: cannot read '\(coverage)': \(error.reason)\n")
        return .dataError
      } catch {
        standardError.write("sfn: error: \(coverage): \(error)\n")
        return .dataError
      }
    }
    let unknown = graph.unknownNames(in: highlight)
    if !unknown.isEmpty {
      standardError.write(
        "sfn: warning: the \(history != nil ? "history" : "coverage report") names states or transitions the definition does not have: \(unknown.joined(separator: ", "))\n"
      )
    }
    let text =
      writesDOT
      ? DOTRenderer(name: StateMachineNames.name(forFile: definition)).render(
        graph, highlighting: highlight)
      : MermaidRenderer().render(graph, highlighting: highlight)
    guard let output else {
      standardOutput.write(text)
      return .success
    }
    do {
      try context.writeFile(output, Array(text.utf8))
    } catch {
      standardError.write("sfn: error: cannot write the graph to '\(output)': \(error.reason)\n")
      return .cannotCreateOutput
    }
    return .success
  }
}
