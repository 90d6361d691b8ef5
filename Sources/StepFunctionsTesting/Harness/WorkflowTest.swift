import Foundation
import StepFunctions

/// Runs a whole workflow in a unit test: on the virtual clock, with stand-in task handlers and
/// optional Step Functions Local mocks, and returns a ``WorkflowRun`` with the result, the history
/// and the path taken.
///
/// A `WorkflowTest` is a value: each configuring method returns a changed copy, so one base can
/// serve many tests. Each ``run(input:)`` is a fresh execution with fresh mock counters. The
/// handlers given to ``handlers(_:)`` are shared by every run of the value and of its copies, so
/// stateful ones (an in-memory world's buckets and tables, a ``ScriptedHandler``'s position, a
/// ``RecordingHandler``'s calls) carry what one run did into the next; give a base that serves
/// several runs ``handlers(eachRun:)`` instead, which builds them afresh for every run.
///
/// ```swift
/// import StepFunctionsTesting
/// import Testing
///
/// @Test("A flaky transcoder is retried and the video is published")
/// func flakyTranscoder() async throws {
///   let notifications = RecordingHandler(returning: ["MessageId": "m-1"])
///   let run = try await WorkflowTest(definitionURL: definitionURL)
///     .handlers {
///       $0.register(ScriptedHandler([
///         .throwing("Lambda.ServiceException", cause: "transient"),
///         .returning(["Payload": ["qualityScore": 95]]).taking(seconds: 600),
///       ]), forIntegration: "lambda:invoke")
///       $0.register(notifications, forIntegration: "sns:publish")
///     }
///     .run(input: ["videoId": "v-1"])
///
///   run.expectSucceeded()
///   run.expectEntered("Transcode", times: 1)
///   notifications.expectCalled(withParametersMatching: ["Subject": "video published"])
/// }
/// ```
///
/// Mocks from a `MockConfigFile.json` replace the handlers of the states a test case names:
///
/// ```swift
/// let mocks = try MockConfiguration(contentsOf: mockFileURL)
/// let run = try await WorkflowTest(definitionURL: definitionURL)
///   .mocking(testCase: "TranscodeFails", in: mocks)
///   .run(input: input)
/// run.expectFailed(error: "TranscodeFailed")
/// ```
public struct WorkflowTest: Sendable {
  /// The compiled state machine.
  public let machine: StateMachine
  /// The task handlers for states that are not mocked.
  public var handlerRegistry: TaskHandlerRegistry
  /// The execution options (virtual clock by default). Their `handlers` are replaced by the
  /// harness's own for each run.
  public var options: ExecutionOptions
  /// The test case whose mocks are played, if any.
  public var testCase: MockTestCase?
  /// Builds handlers afresh at the start of every run, if set (see ``handlers(eachRun:)``).
  public var handlerFactory: (@Sendable () -> TaskHandlerRegistry)?
  /// Handlers for single Task states, by state name (see ``handling(state:with:)``).
  public var stateHandlers: [String: any TaskHandler]
  /// Where runs record their coverage (see ``collectingCoverage(into:as:)``); `nil` records into
  /// ``CoverageCollector/current``, if set.
  public var coverageCollector: CoverageCollector?
  /// The name runs record coverage under; `nil` uses, in this order, the execution options'
  /// state machine name when set, the definition file's name without `.asl.json` or `.json`
  /// (for ``init(definitionURL:)``), the mock test case's state machine, `StateMachine`.
  public var coverageName: String?
  /// The definition file's name without `.asl.json` or `.json`, for ``init(definitionURL:)``.
  var definitionName: String?

  /// Creates a test of a compiled state machine.
  public init(_ machine: StateMachine) {
    self.machine = machine
    handlerRegistry = TaskHandlerRegistry()
    options = ExecutionOptions()
    testCase = nil
    handlerFactory = nil
    stateHandlers = [:]
    coverageCollector = nil
    coverageName = nil
    definitionName = nil
  }

  /// Creates a test of a definition given as JSON text.
  ///
  /// - Throws: ``StateMachineError`` when the definition is invalid.
  public init(json definition: String) throws(StateMachineError) {
    self.init(try StateMachine(json: definition))
  }

  /// Creates a test of the definition in a file.
  ///
  /// - Throws: ``StateMachineError`` when the file cannot be read or the definition is invalid.
  public init(definitionURL: URL) throws(StateMachineError) {
    self.init(try StateMachine(contentsOf: definitionURL))
    var name = definitionURL.lastPathComponent
    for suffix in [".asl.json", ".json"] where name.hasSuffix(suffix) {
      name.removeLast(suffix.count)
      break
    }
    definitionName = name
  }

  /// A copy whose handlers `configure` has changed. These handlers are shared by every run of
  /// the copy and of copies made from it.
  public func handlers(_ configure: (inout TaskHandlerRegistry) -> Void) -> WorkflowTest {
    var copy = self
    configure(&copy.handlerRegistry)
    return copy
  }

  /// A copy that builds handlers afresh with `make` at the start of every ``run(input:)``, so
  /// that no run sees what another did to stateful handlers:
  ///
  /// ```swift
  /// let base = try WorkflowTest(definitionURL: definition)
  ///   .handlers(eachRun: { MediaWorld.sample().handlers })   // a fresh world per run
  /// ```
  ///
  /// Registrations made with ``handlers(_:)``, ``handling(_:with:)`` and
  /// ``handling(resource:with:)`` take precedence over the ones `make` builds.
  public func handlers(eachRun make: @escaping @Sendable () -> TaskHandlerRegistry)
    -> WorkflowTest
  {
    var copy = self
    copy.handlerFactory = make
    return copy
  }

  /// A copy that uses `handler` for an integration key (`"lambda:invoke"`, `"sns:publish"`,
  /// `"aws-sdk:s3:putObject"`, `"lambda:function:NAME"`, `"activity:NAME"`).
  public func handling(_ integration: String, with handler: any TaskHandler) -> WorkflowTest {
    handlers { $0.register(handler, forIntegration: integration) }
  }

  /// A copy that uses `handler` for one exact resource ARN.
  public func handling(resource arn: String, with handler: any TaskHandler) -> WorkflowTest {
    handlers { $0.register(handler, forResource: arn) }
  }

  /// A copy that answers the Task state `name`, and no other, with `handler` — the way to stand
  /// in for one state from code when several states share an integration (two `lambda:invoke`
  /// states, say):
  ///
  /// ```swift
  /// let run = await test
  ///   .handling(state: "CheckQuality", with: ScriptedHandler(
  ///     .returning(["Payload": ["score": 0.65, "threshold": 0.8, "passed": false]])))
  ///   .run(input: input)
  /// ```
  ///
  /// It takes precedence over handlers registered by integration or resource and over a mock
  /// test case's mock of the same state. Inside a Map or Parallel state, it answers every
  /// iteration and branch that runs the state.
  public func handling(state name: String, with handler: any TaskHandler) -> WorkflowTest {
    var copy = self
    copy.stateHandlers[name] = handler
    return copy
  }

  /// A copy whose execution options `configure` has changed (seed, names, start instant, quotas).
  public func options(_ configure: (inout ExecutionOptions) -> Void) -> WorkflowTest {
    var copy = self
    configure(&copy.options)
    return copy
  }

  /// A copy whose runs record their coverage into `collector` under `name` (by default, see
  /// ``coverageName``). Without it, runs record into ``CoverageCollector/current`` when a
  /// ``CoverageTrait`` or ``CoverageCollector/collecting(_:)`` sets one.
  public func collectingCoverage(into collector: CoverageCollector, as name: String? = nil)
    -> WorkflowTest
  {
    var copy = self
    copy.coverageCollector = collector
    copy.coverageName = name
    return copy
  }

  /// A copy whose runs record coverage under `name` in whichever collector they record into.
  public func coverageName(_ name: String) -> WorkflowTest {
    var copy = self
    copy.coverageName = name
    return copy
  }

  /// A copy that plays `testCase`'s mocks.
  public func mocking(_ testCase: MockTestCase) -> WorkflowTest {
    var copy = self
    copy.testCase = testCase
    return copy
  }

  /// A copy that plays the test case `name` of a mock configuration.
  ///
  /// - Parameter stateMachine: the state machine's name in the file; `nil` picks the only one.
  /// - Throws: ``MockSelectionError`` when the file has no such state machine or test case.
  public func mocking(
    testCase name: String, in configuration: MockConfiguration, stateMachine: String? = nil
  ) throws(MockSelectionError) -> WorkflowTest {
    mocking(try configuration.testCase(name, stateMachine: stateMachine))
  }

  /// Runs one execution to its end on the configured clock (virtual unless changed) and returns
  /// what happened.
  ///
  /// No callback can come from outside: a task waiting on a token that no mock or handler
  /// answers, with nothing else left to do, stops the run — still `RUNNING` — with a report of
  /// the states and tokens it waits on (``WorkflowRun/waitingTasks``, ``WorkflowRun/cause``).
  public func run(input: JSON = .object(JSONObject())) async -> WorkflowRun {
    let (options, responder) = prepared()
    let result = await machine.run(input: input, options: options)
    return record(result, responder)
  }

  /// Runs one execution whose task tokens `callbacks` answers from outside, as a reviewer or a
  /// worker would: the execution starts with ``ExecutionOptions/waitsForCallbacks`` on, so
  /// virtual time stands still while a task waits, and `callbacks` gets the ``Execution`` to
  /// read ``Execution/taskTokens`` and send `SendTaskSuccess`, `SendTaskFailure` or
  /// `SendTaskHeartbeat`.
  ///
  /// ```swift
  /// let run = try await WorkflowTest(definitionURL: url)
  ///   .handling("sqs:sendMessage", with: RecordingHandler(returning: [:]))
  ///   .run(input: input) { execution in
  ///     for await token in execution.taskTokens where token.stateName == "Review" {
  ///       try await execution.sendTaskSuccess(taskToken: token, output: ["approved": true])
  ///     }
  ///   }
  /// run.expectSucceeded()
  /// ```
  ///
  /// When `callbacks` returns, no more callbacks can come: if a task still waits for one and
  /// nothing else can happen, the run stops with the report, as ``run(input:)`` does, instead
  /// of waiting forever. (A loop over ``Execution/taskTokens`` ends by itself once the
  /// execution can only wait on tokens the loop has read.) When `callbacks` throws — a
  /// ``TaskCallbackError`` for a token that is unknown, malformed or closed — the execution is
  /// stopped and the error is rethrown.
  public func run(
    input: JSON = .object(JSONObject()), callbacks: (Execution) async throws -> Void
  ) async rethrows -> WorkflowRun {
    var (options, responder) = prepared()
    options.waitsForCallbacks = true
    let execution = machine.start(input: input, options: options)
    do {
      try await callbacks(execution)
    } catch {
      execution.stop()
      _ = await execution.result()
      throw error
    }
    execution.finishSendingCallbacks()
    return record(await execution.result(), responder)
  }

  /// The options of one run, with the responder that plays the mocks and handlers.
  private func prepared() -> (ExecutionOptions, MockResponder) {
    var handlers = handlerFactory?() ?? TaskHandlerRegistry()
    handlers.merge(handlerRegistry)
    let responder = MockResponder(
      testCase: testCase ?? MockTestCase(name: "(no mocks)", mocks: []), handlers: handlers)
    var options = self.options
    var registry = TaskHandlerRegistry()
    if stateHandlers.isEmpty {
      registry.registerFallback(responder)
    } else {
      registry.registerFallback(StateDispatch(handlers: stateHandlers, next: responder))
    }
    options.handlers = registry
    if let testCase, options.stateMachineName == ExecutionOptions().stateMachineName {
      options.stateMachineName = testCase.stateMachineName
    }
    if collector != nil { options.recordsCoverage = true }
    return (options, responder)
  }

  /// The collector runs record coverage into, if any.
  private var collector: CoverageCollector? { coverageCollector ?? CoverageCollector.current }

  private func record(_ result: ExecutionResult, _ responder: MockResponder) -> WorkflowRun {
    if let collector {
      let defaultName = ExecutionOptions().stateMachineName
      let name =
        coverageName
        ?? (options.stateMachineName != defaultName ? options.stateMachineName : nil)
        ?? definitionName ?? testCase?.stateMachineName ?? defaultName
      collector.record(result, of: machine, as: name)
    }
    return WorkflowRun(
      result: result,
      path: ExecutionPath(history: result.history, definition: machine.definition),
      testCaseName: testCase?.name,
      mockInvocations: responder.invocations,
      unhandledInvocations: responder.unhandledInvocations)
  }
}

/// What one ``WorkflowTest`` execution did: the result, the history, the path taken, and the
/// mocked invocations.
public struct WorkflowRun: Sendable {
  /// The execution's result (status, output, error, history...).
  public var result: ExecutionResult
  /// The states entered, in order, with inputs and outputs.
  public var path: ExecutionPath
  /// The mock test case played, if any.
  public var testCaseName: String?
  /// Every invocation of a mocked state, in order.
  public var mockInvocations: [MockInvocation]
  /// Invocations of unmocked states that had no handler.
  public var unhandledInvocations: [UnhandledInvocation]

  /// Creates a run record.
  public init(
    result: ExecutionResult, path: ExecutionPath, testCaseName: String? = nil,
    mockInvocations: [MockInvocation] = [], unhandledInvocations: [UnhandledInvocation] = []
  ) {
    self.result = result
    self.path = path
    self.testCaseName = testCaseName
    self.mockInvocations = mockInvocations
    self.unhandledInvocations = unhandledInvocations
  }

  /// How the execution ended.
  public var status: ExecutionStatus { result.status }
  /// The output, when it succeeded.
  public var output: JSON? { result.output }
  /// The error, when it did not succeed.
  public var error: String? { result.error }
  /// The cause, when it did not succeed.
  public var cause: String? { result.cause }
  /// The event history.
  public var history: ExecutionHistory { result.history }
  /// The state names entered, in order.
  public var stateNames: [String] { path.names }
  /// The tasks that still waited for a callback when the run stopped without the execution
  /// ending (status `RUNNING`), with their states and Map iterations or Parallel branches; empty
  /// when the execution ended.
  public var waitingTasks: [TaskToken] { result.waitingTasks }

  /// How many times the state `name` was entered.
  public func timesEntered(_ name: String) -> Int { path.count(of: name) }

  /// Mocked invocations no key of their response covered.
  public var uncoveredMockInvocations: [MockInvocation] {
    mockInvocations.filter { $0.outcome == nil }
  }

  /// Problems of the test set-up rather than of the workflow: uncovered mocked invocations,
  /// tasks with neither a mock nor a handler, and task tokens nothing answered. Empty when every
  /// task got an answer.
  public var setupProblems: [String] {
    var problems =
      uncoveredMockInvocations.map {
        "The state '\($0.stateName)' was invoked for the \(MockInvocation.ordinal($0.invocationIndex + 1)) time, but the mocked response '\($0.responseName)' does not cover invocation \($0.invocationIndex)."
      } + unhandledInvocations.map(\.message)
    if !waitingTasks.isEmpty {
      let states = waitingTasks.prefix(10).map(\.location).joined(separator: ", ")
      let more = waitingTasks.count > 10 ? " and \(waitingTasks.count - 10) more" : ""
      problems.append(
        "The execution did not end: \(states)\(more) \(waitingTasks.count == 1 ? "waits" : "wait") for a task token that no mock, handler or test answers."
      )
    }
    return problems
  }
}

/// Answers the states that have their own handler, and passes every other invocation on.
struct StateDispatch: TaskHandler {
  let handlers: [String: any TaskHandler]
  let next: any TaskHandler

  func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    guard let handler = handlers[request.stateName] else {
      return try await next.invoke(request, context: context)
    }
    return try await handler.invoke(request, context: context)
  }
}
