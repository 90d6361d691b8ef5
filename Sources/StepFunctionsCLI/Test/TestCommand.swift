import StepFunctions
import StepFunctionsTesting

/// `sfn test DEFINITION --mocks MOCKFILE [--test-case NAME] [--state-machine NAME] [--input
/// JSON|@FILE] [--expect-status STATUS] [--format text|json]`: runs the test cases of an AWS Step
/// Functions Local mock configuration file (`MockConfigFile.json`) against a definition, on the
/// virtual clock, and reports each case with the path taken.
///
/// **Which cases.** One (`--test-case`) or all test cases of one state machine of the file. The
/// state machine is `--state-machine`, else the only one in the file, else the one named after
/// the definition's file (`video_workflow.asl.json` → `video_workflow`).
///
/// **When a case passes.** Step Functions Local test cases say which responses to play, not what
/// the outcome should be, so a case passes when the execution ran on its own terms: every Task
/// invocation got an answer — from a mocked response that covers it, or from a registered task
/// handler for states the case does not mock — and, with `--expect-status`, the execution ended
/// with that status. A workflow that ends `FAILED` through its own Fail state passes unless
/// `--expect-status` says otherwise; one that hit an uncovered mocked invocation or a task with
/// neither mock nor handler fails, with the reason. Each line shows the verdict and then the
/// final status (`PASS  FAILED     VideoWorkflow / LowQuality`), and the summary counts the
/// statuses, so a pass that ended `FAILED` is never mistaken for a success.
///
/// **Every case on its own.** Each test case runs against handlers built for it alone
/// (``makeHandlers``, by default a fresh ``MediaTasks/MediaWorld/sample(seed:)`` world), with
/// fresh mock counters and the same execution name (drawn from seed 0), as if it were the only
/// case in the file: a case gives the same status, path and output alone (`--test-case`), first,
/// last or twice in a run.
///
/// With `--junit FILE`, the results are also written as a JUnit XML report (see
/// `JUnitOutput`); an unwritable file gives exit status 73.
///
/// **Coverage.** With `--coverage`, what the cases covered together is printed after them (see
/// ``StepFunctionsTesting/Coverage``); with `--format json`, the report gains a `coverage` object.
///
/// Exit status: 0 when every case run passed; 1 when one failed; 64 for a bad command line,
/// including a test case or state machine name the file does not have; 65 when the definition,
/// the mock file or the input cannot be read or is not valid, the state machine has no test
/// cases, or a `--bucket NAME=DIR` folder does not exist or is not a folder (nothing was run).
public struct TestCommand: Command {
  /// The command's name, options and help.
  public static let configuration = CommandConfiguration(
    name: "test",
    abstract: "Run the test cases of a Step Functions Local mock file on a virtual clock.",
    discussion: """
      Runs DEFINITION once per test case of MOCKFILE (the AWS Step Functions Local \
      MockConfigFile.json format), playing the case's mocked responses with Step Functions \
      Local's counting rules (one counter per state per execution, retries and Map iterations \
      included). States the case does not mock use the built-in task handlers. A case passes \
      when every task invocation got an answer (a covered mocked response or a handler) and, \
      with --expect-status, the execution ended with that status. Every case runs against \
      a fresh in-memory world, independent of the other cases. Prints the verdict, the final \
      status and the path taken per case. With --junit FILE, also writes a JUnit XML report \
      (one testcase per test case; time is the execution's virtual duration).

      Exit status: 0 when every case passed; 1 when one failed; 64 for a bad command line \
      (including a test case or state machine the mock file does not have); 65 when the \
      definition, the mock file or the input cannot be read or is not valid, or a --bucket \
      folder does not exist.

      With --bucket NAME=DIR (repeatable), the simulated S3 bucket NAME is the local folder DIR \
      for every case; what one case writes there, the next one sees.

      With --coverage, also prints what the cases covered together: states entered, Choice \
      rules and Defaults taken, retriers fired, catchers that caught, Parallel branches and Map \
      item processors run, Fail states reached, with a percentage per kind and the uncovered \
      items named; with --format json the report gains a "coverage" object (Docs/Coverage.md).
      """,
    options: [
      .option(
        "mocks", valueName: "file", help: "The mock configuration file.", isRequired: true),
      .option("test-case", valueName: "name", help: "Run only this test case (default: all)."),
      .option(
        "state-machine", valueName: "name",
        help:
          "The state machine's name in the mock file (default: the only one, else the definition's file name)."
      ),
      .option(
        "input", valueName: "json|@file",
        help: "The execution input: JSON text, or @FILE to read it from a file."),
      .option(
        "expect-status", valueName: "status", help: "Also require this final status.",
        allowedValues: ["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]),
      .option(
        "format", help: "How to print the results.", allowedValues: ["text", "json"],
        defaultValue: "text"),
      BucketFolder.option,
      .option(
        "junit", valueName: "file",
        help: "Also write the results as a JUnit XML report to this file."),
      .flag(
        "coverage",
        help:
          "Also report what the cases covered: states, Choice rules, retriers, catchers, branches and Fail states."
      ),
    ],
    positionals: [
      PositionalDefinition(
        name: "definition", help: "The state machine definition file.", arity: .required)
    ])

  /// The definition file.
  public var definition: String
  /// The mock configuration file.
  public var mocks: String
  /// The one test case to run, if given.
  public var testCase: String?
  /// The state machine's name in the mock file, if given.
  public var stateMachine: String?
  /// The input argument as given (JSON text or `@file`).
  public var input: String?
  /// The status every case must end with, if given.
  public var expectedStatus: ExecutionStatus?
  /// Whether to print JSON.
  public var printsJSON: Bool
  /// Whether to report coverage (`--coverage`).
  public var printsCoverage: Bool
  /// Builds the handlers for the states a test case does not mock. It is called once per test
  /// case, so that no case sees what another one did to stateful handlers (the default,
  /// ``SFNCommand/defaultHandlers``, is a fresh in-memory world each time). To add or replace
  /// handlers, wrap it:
  ///
  /// ```swift
  /// command.makeHandlers = {
  ///   var registry = SFNCommand.defaultHandlers
  ///   registry.register(MyPublisher(), forIntegration: "sns:publish")
  ///   return registry
  /// }
  /// ```
  public var makeHandlers: @Sendable () -> TaskHandlerRegistry
  /// The `--bucket NAME=DIR` mappings. When there are any, each case runs on a fresh sample
  /// world with these folders mapped onto their buckets, instead of ``makeHandlers``; the
  /// folders are shared by every case (what one case writes, the next one sees).
  public var bucketFolders: [BucketFolder]
  /// The `--junit FILE` path: where to write a JUnit XML report, if given.
  public var junitFile: String?

  /// Creates the command from parsed arguments.
  public init(arguments: ParsedArguments) throws(UsageError) {
    definition = arguments.positional("definition") ?? ""
    guard let mocks = arguments.value("mocks") else {
      throw UsageError("Missing expected argument '--mocks <file>'")
    }
    self.mocks = mocks
    testCase = arguments.value("test-case")
    stateMachine = arguments.value("state-machine")
    input = arguments.value("input")
    expectedStatus = arguments.value("expect-status").flatMap {
      ExecutionStatus(rawValue: $0.uppercased())
    }
    printsJSON = arguments.value("format") == "json"
    printsCoverage = arguments.isSet("coverage")
    makeHandlers = { SFNCommand.defaultHandlers }
    bucketFolders = try BucketFolder.parse(arguments)
    junitFile = arguments.value("junit")
  }

  /// Runs the test cases and prints the results.
  public func run(
    context: CommandContext, standardOutput: inout some TextOutputStream,
    standardError: inout some TextOutputStream
  ) async -> ExitCode {
    guard
      let machine = DefinitionLoading.machine(
        at: definition, context: context, standardError: &standardError)
    else { return .dataError }
    let mockBytes: [UInt8]
    do {
      mockBytes = try context.read(mocks)
    } catch {
      standardError.write("sfn: error: cannot read '\(mocks)': \(error.reason)\n")
      return .dataError
    }
    let configuration: MockConfiguration
    do {
      configuration = try MockConfiguration(bytes: mockBytes, fileName: mocks)
    } catch {
      standardError.write("\(error)\n")
      return .dataError
    }
    let selected: [MockTestCase]
    do {
      selected = try select(from: configuration)
    } catch {
      standardError.write("sfn: error: \(error.message)\n")
      return error.exitCode
    }
    let inputValue: JSON
    do {
      inputValue = try DefinitionLoading.input(input, context: context)
    } catch {
      standardError.write("sfn: error: \(error.message)\n")
      return .dataError
    }
    var makeHandlers = self.makeHandlers
    if !bucketFolders.isEmpty {
      do {
        _ = try BucketFolder.handlers(mapping: bucketFolders)
      } catch {
        standardError.write("sfn: error: --bucket: \(error.description)\n")
        return .dataError
      }
      let folders = bucketFolders
      makeHandlers = {
        // The folders were checked above; one removed since then leaves its bucket missing.
        (try? BucketFolder.handlers(mapping: folders)) ?? SFNCommand.defaultHandlers
      }
    }
    var reports: [CaseReport] = []
    let coverage = CoverageCollector()
    let coverageName = selected.first?.stateMachineName ?? "StateMachine"
    coverage.register(machine, as: coverageName)
    for testCase in selected {
      var test = WorkflowTest(machine).handlers(eachRun: makeHandlers).mocking(testCase)
      if printsCoverage { test = test.collectingCoverage(into: coverage, as: coverageName) }
      let run = await test.run(input: inputValue)
      var problems = run.setupProblems
      if let expectedStatus, run.status != expectedStatus {
        problems.append(
          "expected the status \(expectedStatus.rawValue), got \(run.status.rawValue)")
      }
      reports.append(
        CaseReport(
          testCase: testCase, run: run, problems: problems,
          unusedMocks: testCase.unusedMocks(in: machine.definition)))
    }
    let coverages = printsCoverage ? coverage.coverages : []
    if printsJSON {
      var report = TestCommand.json(reports)
      if printsCoverage { report = CoverageRendering.adding(coverages, to: report) }
      standardOutput.write(JSONSerializer(style: .pretty).string(report) + "\n")
    } else {
      for report in reports { standardOutput.write(report.text) }
      let passed = reports.filter(\.passed).count
      standardOutput.write(
        "\n\(passed) passed, \(reports.count - passed) failed (\(reports.count) test case\(reports.count == 1 ? "" : "s"): \(TestCommand.statusCounts(reports)))\n"
      )
      if printsCoverage { standardOutput.write(CoverageRendering.text(coverages)) }
    }
    if let junitFile,
      let code = JUnitOutput.write(
        reports, to: junitFile, context: context, standardError: &standardError)
    {
      return code
    }
    return reports.allSatisfy(\.passed) ? .success : .failure
  }

  /// Why no test case could be chosen: a name the file does not have (a usage error), or a state
  /// machine without test cases (a data error).
  struct SelectionError: Error {
    var message: String
    var exitCode: ExitCode = .usageError
  }

  /// The test cases to run.
  func select(from configuration: MockConfiguration) throws(SelectionError) -> [MockTestCase] {
    let machine: MockedStateMachine
    do {
      machine = try configuration.stateMachine(stateMachine, definitionFile: definition)
    } catch {
      throw SelectionError(
        message: stateMachine == nil && configuration.stateMachines.count > 1
          ? "\(error.message) Give --state-machine."
          : error.message)
    }
    guard let testCase else {
      guard !machine.testCases.isEmpty else {
        throw SelectionError(
          message: "The state machine '\(machine.name)' has no test cases in '\(mocks)'.",
          exitCode: .dataError)
      }
      return machine.testCases
    }
    guard let found = machine.testCase(named: testCase) else {
      let names = machine.testCases.map { "'\($0.name)'" }.joined(separator: ", ")
      throw SelectionError(
        message:
          "The state machine '\(machine.name)' has no test case '\(testCase)'. It has: \(names.isEmpty ? "none" : names)."
      )
    }
    return [found]
  }

  /// How many cases ended with each status, in a fixed order: `4 SUCCEEDED, 3 FAILED`.
  static func statusCounts(_ reports: [CaseReport]) -> String {
    let order: [ExecutionStatus] = [.succeeded, .failed, .timedOut, .aborted, .running]
    return order.compactMap { status in
      let count = reports.filter { $0.run.status == status }.count
      return count == 0 ? nil : "\(count) \(status.rawValue)"
    }.joined(separator: ", ")
  }

  /// The JSON report: `{"passed", "failed", "testCases": [...]}`.
  static func json(_ reports: [CaseReport]) -> JSON {
    let passed = reports.filter(\.passed).count
    return [
      "passed": .number(JSONNumber(passed)),
      "failed": .number(JSONNumber(reports.count - passed)),
      "testCases": .array(reports.map(\.json)),
    ]
  }
}

/// One test case's outcome, as `sfn test` prints it.
struct CaseReport {
  var testCase: MockTestCase
  var run: WorkflowRun
  var problems: [String]
  var unusedMocks: [String]

  var passed: Bool { problems.isEmpty }

  var text: String {
    let status = run.status.rawValue
    var text =
      "\(passed ? "PASS" : "FAIL")  \(status)\(String(repeating: " ", count: max(0, 9 - status.count)))  \(testCase.stateMachineName) / \(testCase.name)"
    if run.status != .succeeded, let error = run.error {
      text += ": \(error)"
      if let cause = run.cause, !cause.isEmpty { text += ": \(cause)" }
    }
    text +=
      "\n      path: \(run.path.steps.isEmpty ? "(no states entered)" : run.path.description)\n"
    for (stateName, invocations) in groupedInvocations {
      text +=
        "      mock: \(stateName) "
        + invocations.map {
          "#\($0.invocationIndex) \($0.outcome.map(Self.short) ?? "not covered")"
        }.joined(
          separator: ", ") + "\n"
    }
    for name in unusedMocks {
      text +=
        "      warning: the test case mocks '\(name)', which is not a Task state of the definition\n"
    }
    for problem in problems { text += "      problem: \(problem)\n" }
    return text
  }

  /// Invocations by state, states in order of first invocation.
  var groupedInvocations: [(String, [MockInvocation])] {
    var order: [String] = []
    var byState: [String: [MockInvocation]] = [:]
    for invocation in run.mockInvocations {
      if byState[invocation.stateName] == nil { order.append(invocation.stateName) }
      byState[invocation.stateName, default: []].append(invocation)
    }
    return order.map { ($0, byState[$0] ?? []) }
  }

  static func short(_ outcome: MockedOutcome) -> String {
    switch outcome {
    case .return: return "Return"
    case .throw(let error, _): return "Throw \(error)"
    }
  }

  var json: JSON {
    var object = JSONObject()
    object.append(key: "stateMachine", value: .string(testCase.stateMachineName))
    object.append(key: "testCase", value: .string(testCase.name))
    object.append(key: "passed", value: .bool(passed))
    object.append(key: "status", value: .string(run.status.rawValue))
    object.append(key: "output", value: run.output ?? .null)
    object.append(key: "error", value: run.error.map(JSON.string) ?? .null)
    object.append(key: "cause", value: run.cause.map(JSON.string) ?? .null)
    object.append(
      key: "path",
      value: .array(
        run.path.steps.map { step in
          var entry: JSONObject = ["name": .string(step.name), "type": .string(step.type)]
          if let index = step.mapIterationIndex {
            entry.append(key: "mapIterationIndex", value: .number(JSONNumber(index)))
          }
          if let branch = step.parallelBranchIndex {
            entry.append(key: "parallelBranchIndex", value: .number(JSONNumber(branch)))
          }
          return .object(entry)
        }))
    object.append(
      key: "mockInvocations",
      value: .array(
        run.mockInvocations.map { invocation in
          [
            "stateName": .string(invocation.stateName),
            "invocationIndex": .number(JSONNumber(invocation.invocationIndex)),
            "attempt": .number(JSONNumber(invocation.attempt)),
            "responseName": .string(invocation.responseName),
            "outcome": .string(invocation.outcome.map(Self.short) ?? "not covered"),
          ]
        }))
    object.append(key: "problems", value: .array(problems.map(JSON.string)))
    object.append(
      key: "warnings",
      value: .array(
        unusedMocks.map {
          .string("the test case mocks '\($0)', which is not a Task state of the definition")
        }))
    return .object(object)
  }
}

extension MockConfiguration {
  /// The mocked state machine a command runs: the one `--state-machine` names, else the file's
  /// only one, else the one named after the definition file (`video.asl.json` → `video`).
  func stateMachine(_ name: String?, definitionFile: String) throws(MockSelectionError)
    -> MockedStateMachine
  {
    if let name { return try stateMachine(name) }
    if stateMachines.count == 1, let only = stateMachines.first { return only }
    return try stateMachine(StateMachineNames.name(forFile: definitionFile))
  }
}
