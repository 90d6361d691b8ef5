import StepFunctions

/// `sfn test-state DEFINITION [--state NAME] [--input JSON|@FILE] [--context JSON|@FILE]
/// [--variables JSON|@FILE] [--mock-result JSON|@FILE | --mock-error NAME [--mock-cause TEXT]]
/// [--inspection-level INFO|DEBUG|TRACE] [--format text|json] ...`: runs one state of a machine
/// as AWS's TestState API does, locally. Without `--state`, DEFINITION holds one state (AWS's
/// request without `stateName`; see ``SingleStateDefinition``).
///
/// Text output names the status, the next state, the output or error, and at `DEBUG`/`TRACE`
/// the inspection data line by line. JSON output is AWS's TestState response (`output`,
/// `error`, `cause`, `inspectionData`, `nextState`, `status`, payloads as JSON text).
///
/// Exit status: 0 when the status is `SUCCEEDED`; 1 for `FAILED`, `RETRIABLE` and
/// `CAUGHT_ERROR`; 64 for a bad command line or a request AWS refuses (an unknown state, a mock
/// a state cannot take, a Map or Parallel state without a mock); 65 when the definition or a
/// JSON argument cannot be read or is not valid.
public struct TestStateCommand: Command {
  /// The command's name, options and help.
  public static let configuration = CommandConfiguration(
    name: "test-state",
    abstract: "Test one state of a state machine, as AWS's TestState API does.",
    discussion: """
      Runs the state NAME of DEFINITION once with the given input, variables and Context \
      Object, through the same input and output processing, retriers, catchers and Choice \
      rules as `sfn run`, and prints AWS's TestState answer: the status (SUCCEEDED, FAILED, \
      RETRIABLE, CAUGHT_ERROR), the next state, the output or the error, and with \
      --inspection-level DEBUG or TRACE the data after each step (input, afterInputPath, \
      afterParameters, result, afterResultSelector, afterResultPath, variables, errorDetails, \
      the Map fields; at TRACE the request and response of an HTTP Task). Without --state, \
      DEFINITION holds one state, as in AWS's request without stateName: the state it goes to \
      is reported as the next state.

      A Task without a mock runs the simulated video services `sfn run` uses; --mock-result \
      or --mock-error answers it instead. Map and Parallel states need a mock for their whole \
      result (an array), as on AWS; Pass, Wait, Choice, Succeed and Fail take none. \
      --retrier-retry-count says how many retries already happened (RETRIABLE while the \
      matching retrier has attempts left); --map-iteration-failure-count how many Map \
      iterations failed. --context is accepted only with a mock, as on AWS.

      Exit status: 0 when the status is SUCCEEDED; 1 for FAILED, RETRIABLE and CAUGHT_ERROR; \
      64 for a bad command line or a request AWS refuses (printed with AWS's exception name); \
      65 when the definition or a JSON argument cannot be read or is not valid.
      """,
    options: [
      .option(
        "state", valueName: "name",
        help:
          "The state to test (AWS's stateName); required unless DEFINITION is one state."),
      .option(
        "input", valueName: "json|@file",
        help: "The state's input: JSON text, or @FILE to read it from a file (default {})."),
      .option(
        "context", valueName: "json|@file",
        help: "A Context Object whose members replace the run's ($$); only with a mock."),
      .option(
        "variables", valueName: "json|@file",
        help: "The variables in scope: a JSON object, or @FILE."),
      .option(
        "mock-result", valueName: "json|@file",
        help: "The state's mocked result (a Task's service answer, a Map's or Parallel's array)."),
      .option("mock-error", valueName: "name", help: "Fail the state with this mocked error."),
      .option("mock-cause", valueName: "text", help: "The mocked error's cause."),
      .option(
        "field-validation-mode", valueName: "mode",
        help: "AWS's check of a mocked result against the service's API (accepted, not checked).",
        allowedValues: ["STRICT", "PRESENT", "NONE"], defaultValue: "STRICT"),
      .option(
        "retrier-retry-count", valueName: "n",
        help: "How many retries of the matching retrier already happened."),
      .option(
        "map-iteration-failure-count", valueName: "n",
        help: "How many of a Map state's iterations failed."),
      .option(
        "error-caused-by-state", valueName: "name",
        help: "The state inside the Map or Parallel state the mocked error comes from."),
      .option(
        "inspection-level", valueName: "level", help: "How much to report.",
        allowedValues: ["INFO", "DEBUG", "TRACE"], defaultValue: "INFO"),
      .option(
        "format", help: "How to print the result.", allowedValues: ["text", "json"],
        defaultValue: "text"),
      .option(
        "seed", valueName: "n", help: "The seed for everything random (UUIDs, MathRandom, jitter).",
        defaultValue: "0"),
    ],
    positionals: [
      PositionalDefinition(
        name: "definition",
        help: "The state machine definition file, or a file holding one state.",
        arity: .required)
    ])

  /// The definition file.
  public var definition: String
  /// The state to test; `nil` when the definition is one state (AWS's request without
  /// `stateName`).
  public var stateName: String?
  /// The input argument as given (JSON text or `@file`).
  public var input: String?
  /// The context argument as given.
  public var context: String?
  /// The variables argument as given.
  public var variables: String?
  /// The mocked result argument as given.
  public var mockResult: String?
  /// The mocked error.
  public var mockError: String?
  /// The mocked error's cause.
  public var mockCause: String?
  /// The mock's field validation mode.
  public var fieldValidationMode: TestStateMock.FieldValidationMode
  /// The state configuration.
  public var stateConfiguration: TestStateConfiguration
  /// The inspection level.
  public var inspectionLevel: InspectionLevel
  /// Whether to print AWS's JSON response.
  public var printsJSON: Bool
  /// The seed.
  public var seed: UInt64
  /// The handlers an unmocked Task uses; the default set comes from ``SFNCommand/defaultHandlers``.
  public var handlers: TaskHandlerRegistry

  /// Creates the command from parsed arguments.
  public init(arguments: ParsedArguments) throws(UsageError) {
    definition = arguments.positional("definition") ?? ""
    stateName = arguments.value("state")
    input = arguments.value("input")
    context = arguments.value("context")
    variables = arguments.value("variables")
    mockResult = arguments.value("mock-result")
    mockError = arguments.value("mock-error")
    mockCause = arguments.value("mock-cause")
    if mockResult != nil && mockError != nil {
      throw UsageError(
        "A test mock should have only one of the following fields: [result, errorOutput]. Give --mock-result or --mock-error, not both."
      )
    }
    if mockCause != nil && mockError == nil {
      throw UsageError("--mock-cause needs --mock-error.")
    }
    fieldValidationMode =
      TestStateMock.FieldValidationMode(rawValue: arguments.value("field-validation-mode") ?? "")
      ?? .strict
    inspectionLevel = InspectionLevel(rawValue: arguments.value("inspection-level") ?? "") ?? .info
    printsJSON = arguments.value("format") == "json"
    seed = try arguments.seed() ?? 0
    stateConfiguration = TestStateConfiguration(
      retrierRetryCount: try Self.count(arguments, "retrier-retry-count"),
      errorCausedByState: arguments.value("error-caused-by-state"),
      mapIterationFailureCount: try Self.count(arguments, "map-iteration-failure-count"))
    handlers = SFNCommand.defaultHandlers
  }

  /// A whole number of at least 0 given to `name`, if given.
  static func count(_ arguments: ParsedArguments, _ name: String) throws(UsageError) -> Int? {
    guard let text = arguments.value(name) else { return nil }
    guard let value = Int(text), value >= 0 else {
      throw UsageError(
        "The value '\(text)' is invalid for '--\(name) <n>'. Please provide a whole number from 0."
      )
    }
    return value
  }

  /// Tests the state and prints the result.
  public func run(
    context commandContext: CommandContext, standardOutput: inout some TextOutputStream,
    standardError: inout some TextOutputStream
  ) async -> ExitCode {
    let machine: StateMachine
    let testedName: String
    if let stateName {
      guard
        let loaded = DefinitionLoading.machine(
          at: definition, context: commandContext, standardError: &standardError)
      else { return .dataError }
      machine = loaded
      testedName = stateName
    } else {
      let loaded = Self.singleState(
        at: definition, context: commandContext, standardError: &standardError)
      guard let single = loaded.definition else { return loaded.failure }
      machine = single.machine
      testedName = single.stateName
    }
    let inputValue: JSON
    let contextValue: JSON?
    var variablesValue = JSONObject()
    var mock: TestStateMock?
    do throws(DefinitionLoading.InputError) {
      inputValue = try DefinitionLoading.input(input, context: commandContext)
      contextValue = try JSONataCommand.document(
        context, name: "context", context: commandContext)
      if let value = try JSONataCommand.document(
        variables, name: "variables", context: commandContext)
      {
        guard case .object(let object) = value else {
          throw DefinitionLoading.InputError(message: "the variables must be a JSON object")
        }
        variablesValue = object
      }
      if let value = try JSONataCommand.document(
        mockResult, name: "mock result", context: commandContext)
      {
        mock = TestStateMock(.result(value), fieldValidationMode: fieldValidationMode)
      } else if let mockError {
        mock = TestStateMock(
          .error(error: mockError, cause: mockCause ?? ""), fieldValidationMode: fieldValidationMode
        )
      }
    } catch {
      standardError.write("sfn: error: \(error.message)\n")
      return .dataError
    }
    var options = ExecutionOptions()
    options.seed = seed
    options.handlers = handlers
    options.stateMachineName = StateMachineNames.name(forFile: definition)
    let result: TestStateResult
    do {
      result = try await machine.testState(
        named: testedName, input: inputValue, context: contextValue, variables: variablesValue,
        mock: mock, inspectionLevel: inspectionLevel, stateConfiguration: stateConfiguration,
        options: options)
    } catch {
      standardError.write("sfn: error: \(error.name.rawValue): \(error.message)\n")
      return .usageError
    }
    if printsJSON {
      standardOutput.write(JSONSerializer(style: .pretty).string(result.awsJSON) + "\n")
    } else {
      standardOutput.write(Self.text(result))
    }
    return result.status == .succeeded ? .success : .failure
  }

  /// The machine made of the one state in the file at `path` (AWS's TestState request without
  /// `stateName`), or `nil` after printing why it cannot be used, with the exit status: 65 when
  /// the file cannot be read or the state is not valid, 64 when it holds a whole machine (which
  /// needs `--state`).
  static func singleState(
    at path: String, context: CommandContext, standardError: inout some TextOutputStream
  ) -> (definition: SingleStateDefinition?, failure: ExitCode) {
    let bytes: [UInt8]
    do {
      bytes = try context.read(path)
    } catch {
      standardError.write("sfn: error: cannot read '\(path)': \(error.reason)\n")
      return (nil, .dataError)
    }
    if let value = try? JSONParser.parse(bytes), value["States"] != nil {
      standardError.write(
        "sfn: error: \(path) is a state machine: name the state to test with --state NAME\n")
      return (nil, .usageError)
    }
    do {
      return (try SingleStateDefinition(bytes: bytes), .success)
    } catch {
      DefinitionLoading.report(error, path: path, bytes: bytes, standardError: &standardError)
      return (nil, .dataError)
    }
  }

  /// The readable answer: status, next state, output or error, then the inspection data.
  public static func text(_ result: TestStateResult) -> String {
    var text = "status: \(result.status.rawValue)\n"
    if let nextState = result.nextState { text += "next state: \(nextState)\n" }
    if let error = result.error { text += "error: \(error)\n" }
    if let cause = result.cause, !cause.isEmpty { text += "cause: \(cause)\n" }
    if let output = result.output { text += "output: \(output.serialized())\n" }
    if let data = result.inspectionData, case .object(let fields) = data.awsJSON {
      text += "inspection data:\n"
      for (key, value) in fields {
        switch value {
        case .string(let payload): text += "  \(key): \(payload)\n"
        case .object(let members):
          text += "  \(key):\n"
          for (name, member) in members {
            let shown = member.stringValue ?? member.serialized()
            text += "    \(name): \(shown.replacingOccurrences(of: "\n", with: "\n      "))\n"
          }
        default: text += "  \(key): \(value.serialized())\n"
        }
      }
    }
    return text
  }
}
