import Foundation
import StepFunctions

/// A mock configuration file in the format AWS Step Functions Local reads (`MockConfigFile.json`,
/// the `SFN_MOCK_CONFIG` file): test cases that map Task state names to mocked responses, and the
/// mocked responses themselves.
///
/// ```json
/// {
///   "StateMachines": {
///     "VideoWorkflow": {
///       "TestCases": {
///         "RetryPath": { "Transcode": "TranscodeFlaky" }
///       }
///     }
///   },
///   "MockedResponses": {
///     "TranscodeFlaky": {
///       "0":   { "Throw": { "Error": "Lambda.ServiceException", "Cause": "transient" } },
///       "1-2": { "Return": { "StatusCode": 200, "Payload": { "ok": true } } }
///     }
///   }
/// }
/// ```
///
/// The file is read with this project's own strict JSON parser. Every problem found is reported
/// at once, each with a line and column (see ``MockConfigurationError``):
///
/// - the top level must be an object with `StateMachines` (an object) and, if any test case names
///   a response, `MockedResponses` (an object); no other top-level fields;
/// - each state machine is an object with exactly one field, `TestCases`, an object of test cases;
/// - each test case is an object mapping state names to the name of a mocked response that exists;
/// - each mocked response is an object whose keys are invocation numbers: one whole number
///   (`"0"`) or an inclusive range (`"1-2"`, start ≤ end); ranges of one response must not
///   overlap; gaps are allowed (an invocation in a gap is *uncovered*, see ``MockResponder``);
/// - each entry holds exactly one of `Return` (any JSON value: the task's result) or `Throw`
///   (an object with the string fields `Error` and `Cause`);
/// - a key written twice in one object is an error (the second one would silently win).
public struct MockConfiguration: Sendable {
  /// The state machines, in file order.
  public var stateMachines: [MockedStateMachine]
  /// The mocked responses, by name.
  public var mockedResponses: [String: MockedResponse]

  /// Creates a configuration from parts (for building mocks in code).
  public init(stateMachines: [MockedStateMachine], mockedResponses: [String: MockedResponse]) {
    self.stateMachines = stateMachines
    self.mockedResponses = mockedResponses
  }

  /// Parses a mock configuration file's text.
  ///
  /// - Parameter fileName: used in error messages (`mocks.json:3:5: error: ...`).
  /// - Throws: ``MockConfigurationError`` listing every problem found.
  public init(json text: String, fileName: String? = nil) throws(MockConfigurationError) {
    try self.init(bytes: Array(text.utf8), fileName: fileName)
  }

  /// Parses a mock configuration file's UTF-8 bytes.
  ///
  /// - Throws: ``MockConfigurationError`` listing every problem found.
  public init(bytes: [UInt8], fileName: String? = nil) throws(MockConfigurationError) {
    let document: JSONDocument
    do {
      document = try JSONParser.parseDocument(bytes)
    } catch {
      throw MockConfigurationError(
        fileName: fileName,
        problems: [
          MockConfigurationProblem(
            message: "not valid JSON: \(error.message)", pointer: JSONPointer(),
            location: error.location)
        ])
    }
    var reader = MockConfigurationReader(document: document)
    let configuration = reader.read()
    guard reader.problems.isEmpty else {
      throw MockConfigurationError(
        fileName: fileName, problems: reader.problems.sorted { $0.location < $1.location })
    }
    self = configuration
  }

  /// Reads and parses the mock configuration file at `url`.
  ///
  /// - Throws: ``MockConfigurationError`` when the file cannot be read or has problems.
  public init(contentsOf url: URL) throws(MockConfigurationError) {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw MockConfigurationError(
        fileName: url.path,
        problems: [
          MockConfigurationProblem(
            message: "cannot read the file: \(error.localizedDescription)",
            pointer: JSONPointer(), location: SourceLocation(line: 1, column: 1, offset: 0))
        ])
    }
    try self.init(bytes: [UInt8](data), fileName: url.path)
  }

  /// The state machine called `name`, if the file has one.
  public func stateMachine(named name: String) -> MockedStateMachine? {
    stateMachines.first { $0.name == name }
  }

  /// Picks a state machine: the one called `name`, or, when `name` is `nil`, the only one in the
  /// file.
  ///
  /// - Throws: ``MockSelectionError`` naming the choices when there is no such state machine or
  ///   the file has several and none was named.
  public func stateMachine(_ name: String?) throws(MockSelectionError) -> MockedStateMachine {
    let names = stateMachines.map(\.name)
    if let name {
      guard let machine = stateMachine(named: name) else {
        throw MockSelectionError(
          "The mock configuration has no state machine '\(name)'. It has: \(MockSelectionError.list(names))."
        )
      }
      return machine
    }
    guard stateMachines.count == 1, let only = stateMachines.first else {
      throw MockSelectionError(
        stateMachines.isEmpty
          ? "The mock configuration has no state machines."
          : "The mock configuration has several state machines; name one of: \(MockSelectionError.list(names))."
      )
    }
    return only
  }

  /// The test case `name` of the state machine `stateMachine` (or of the only state machine).
  ///
  /// - Throws: ``MockSelectionError`` naming the choices when there is no such test case.
  public func testCase(_ name: String, stateMachine: String? = nil) throws(MockSelectionError)
    -> MockTestCase
  {
    let machine = try self.stateMachine(stateMachine)
    guard let testCase = machine.testCase(named: name) else {
      throw MockSelectionError(
        "The state machine '\(machine.name)' has no test case '\(name)'. It has: \(MockSelectionError.list(machine.testCases.map(\.name)))."
      )
    }
    return testCase
  }
}

/// One state machine's entry in a mock configuration: its test cases.
public struct MockedStateMachine: Sendable {
  /// The state machine's name (the key under `StateMachines`).
  public var name: String
  /// The test cases, in file order.
  public var testCases: [MockTestCase]

  /// Creates an entry.
  public init(name: String, testCases: [MockTestCase]) {
    self.name = name
    self.testCases = testCases
  }

  /// The test case called `name`, if any.
  public func testCase(named name: String) -> MockTestCase? {
    testCases.first { $0.name == name }
  }
}

/// A test case: which Task states are mocked, and with which responses. States a test case does
/// not name run their registered task handlers.
public struct MockTestCase: Sendable {
  /// One mocked state.
  public struct StateMock: Sendable, Hashable {
    /// The Task state's name.
    public var stateName: String
    /// The mocked response it uses.
    public var response: MockedResponse

    /// Creates a state mock.
    public init(stateName: String, response: MockedResponse) {
      self.stateName = stateName
      self.response = response
    }
  }

  /// The test case's name.
  public var name: String
  /// The state machine it belongs to.
  public var stateMachineName: String
  /// The mocked states, in file order.
  public var mocks: [StateMock]

  /// Creates a test case.
  public init(name: String, stateMachineName: String = "StateMachine", mocks: [StateMock]) {
    self.name = name
    self.stateMachineName = stateMachineName
    self.mocks = mocks
  }

  /// The mocked response for the state `stateName`, if the test case mocks it.
  public func response(forState stateName: String) -> MockedResponse? {
    mocks.first { $0.stateName == stateName }?.response
  }

  /// The mocked state names that are not Task states of `definition` (at any depth): such mocks
  /// can never be used, which is usually a typo.
  public func unusedMocks(in definition: StateMachineDefinition) -> [String] {
    var taskNames = Set<String>()
    DefinitionWalk.visit(definition.graph) { state, _ in
      if case .task = state.kind { taskNames.insert(state.name) }
    }
    return mocks.map(\.stateName).filter { !taskNames.contains($0) }
  }
}

/// A named list of answers for successive invocations of a mocked state.
public struct MockedResponse: Sendable, Hashable {
  /// One key of a mocked response: the invocations it covers and the answer.
  public struct Entry: Sendable, Hashable {
    /// The invocation numbers covered (0 is the first invocation).
    public var invocations: ClosedRange<Int>
    /// The answer.
    public var outcome: MockedOutcome

    /// Creates an entry.
    public init(invocations: ClosedRange<Int>, outcome: MockedOutcome) {
      self.invocations = invocations
      self.outcome = outcome
    }
  }

  /// The response's name (its key under `MockedResponses`).
  public var name: String
  /// The entries, sorted by their first invocation number.
  public var entries: [Entry]

  /// Creates a response; entries are sorted by their first invocation.
  public init(name: String, entries: [Entry]) {
    self.name = name
    self.entries = entries.sorted { $0.invocations.lowerBound < $1.invocations.lowerBound }
  }

  /// The answer for invocation `index` (0-based), or `nil` when no entry covers it.
  public func outcome(forInvocation index: Int) -> MockedOutcome? {
    entries.first { $0.invocations.contains(index) }?.outcome
  }

  /// The covered invocations as the file writes them: `"0, 1-2"`, or `"none"`.
  public var coverageDescription: String {
    guard !entries.isEmpty else { return "none" }
    return entries.map {
      $0.invocations.count == 1
        ? "\($0.invocations.lowerBound)"
        : "\($0.invocations.lowerBound)-\($0.invocations.upperBound)"
    }.joined(separator: ", ")
  }
}

/// What a mocked invocation answers.
public enum MockedOutcome: Sendable, Hashable, CustomStringConvertible {
  /// `Return`: the task succeeds with this result.
  case `return`(JSON)
  /// `Throw`: the task fails with this error and cause (retriers and catchers react to it).
  case `throw`(error: String, cause: String)

  /// `Return {...}` or `Throw Error: Cause`.
  public var description: String {
    switch self {
    case .return(let value): return "Return \(value.serialized())"
    case .throw(let error, let cause): return "Throw \(error)\(cause.isEmpty ? "" : ": \(cause)")"
    }
  }
}

/// A problem in a mock configuration file, with where it is.
public struct MockConfigurationProblem: Sendable, Hashable, CustomStringConvertible {
  /// What is wrong.
  public var message: String
  /// Where in the document, as a JSON Pointer.
  public var pointer: JSONPointer
  /// Where in the text.
  public var location: SourceLocation

  /// Creates a problem.
  public init(message: String, pointer: JSONPointer, location: SourceLocation) {
    self.message = message
    self.pointer = pointer
    self.location = location
  }

  /// `line:column: message`.
  public var description: String { "\(location): \(message)" }
}

/// Why a mock configuration file could not be used: every problem found, with locations.
public struct MockConfigurationError: Error, Sendable, CustomStringConvertible {
  /// The file name used in messages, if known.
  public var fileName: String?
  /// The problems, in document order.
  public var problems: [MockConfigurationProblem]

  /// Creates an error.
  public init(fileName: String?, problems: [MockConfigurationProblem]) {
    self.fileName = fileName
    self.problems = problems
  }

  /// One line per problem, compiler style: `mocks.json:12:9: error: ...`.
  public var description: String {
    problems.map { "\(fileName ?? "<mock configuration>"):\($0.location): error: \($0.message)" }
      .joined(separator: "\n")
  }
}

/// A test case or state machine asked for by name is not in the mock configuration.
public struct MockSelectionError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What was not found and what there is instead.
  public var message: String

  /// Creates an error.
  public init(_ message: String) { self.message = message }

  /// The message.
  public var description: String { message }

  static func list(_ names: [String]) -> String {
    names.isEmpty ? "none" : names.map { "'\($0)'" }.joined(separator: ", ")
  }
}

/// Visits every state of a definition, nested graphs included, in document order.
enum DefinitionWalk {
  /// Where a state sits: the Map and Parallel states around it, outermost first.
  struct Container: Hashable {
    /// The Map or Parallel state's name.
    var name: String
    /// Whether it is a Map (iterations) or a Parallel (branches).
    var isMap: Bool
    /// The branch index for a Parallel.
    var branch: Int
  }

  static func visit(
    _ graph: StateGraph, containers: [Container] = [], _ body: (State, [Container]) -> Void
  ) {
    for state in graph.states {
      body(state, containers)
      switch state.kind {
      case .parallel(let parallel):
        for (index, branch) in parallel.branches.enumerated() {
          visit(
            branch,
            containers: containers + [Container(name: state.name, isMap: false, branch: index)],
            body)
        }
      case .map(let map):
        visit(
          map.processor,
          containers: containers + [Container(name: state.name, isMap: true, branch: 0)],
          body)
      default:
        break
      }
    }
  }
}
