import StepFunctionsJSON

/// The query language a state uses for its input and output processing.
public enum QueryLanguage: String, Sendable, Hashable {
  /// Paths (`$.a.b`), payload templates with `.$` keys, intrinsic functions.
  case jsonPath = "JSONPath"
  /// `{% expression %}` strings evaluated as JSONata.
  case jsonata = "JSONata"
}

/// A validated, immutable state machine definition.
///
/// Obtain one from ``StateMachineDefinition/init(json:options:)`` or
/// ``StateMachineLoader``; a value of this type has passed validation, so every transition
/// names a state in scope and every field has the right type.
public struct StateMachineDefinition: Sendable {
  /// The top-level states and `StartAt`.
  public var graph: StateGraph
  /// `Comment`.
  public var comment: String?
  /// `Version`.
  public var version: String?
  /// `TimeoutSeconds` for the whole execution.
  public var timeoutSeconds: Int?
  /// The top-level `QueryLanguage` (JSONPath when absent).
  public var queryLanguage: QueryLanguage
  /// The definition as written.
  public var json: JSON
}

/// A set of states with a starting state: the top level, a Parallel branch, or a Map's item
/// processor.
public struct StateGraph: Sendable {
  /// `StartAt`.
  public var startAt: String
  /// The states in the order written.
  public var states: [State]
  /// `Comment`.
  public var comment: String?
  /// Where the graph's object is in the definition.
  public var pointer: JSONPointer
  /// The names of every entry under `States`, including entries that could not be loaded
  /// (validation then skips the checks that would only repeat that problem).
  var declaredNames: [String]
  /// Whether a transition was dropped while loading because its `Next` was missing or ill-typed.
  var hasUnresolvedTransitions = false

  /// Creates a graph.
  public init(startAt: String, states: [State], comment: String?, pointer: JSONPointer) {
    self.startAt = startAt
    self.states = states
    self.comment = comment
    self.pointer = pointer
    declaredNames = states.map(\.name)
  }

  /// Whether every declared state and every transition was loaded.
  var isComplete: Bool { declaredNames.count == states.count && !hasUnresolvedTransitions }

  /// The state named `name`, if it is in this graph (not nested graphs).
  public func state(named name: String) -> State? { states.first { $0.name == name } }
}

/// Where a state goes when it completes.
public enum Transition: Sendable, Hashable {
  /// `Next`.
  case next(String)
  /// `End: true`.
  case end
  /// Choice, Succeed and Fail states decide (or end) by themselves.
  case none
}

/// A value that is either written in the definition or read at run time: from a path
/// (`...Path` fields in JSONPath states) or from a JSONata expression (`{% %}` in JSONata states).
public enum DynamicValue<Value: Sendable & Hashable>: Sendable, Hashable {
  /// Written literally.
  case literal(Value)
  /// A Reference Path (`TimeoutSecondsPath: "$.timeout"`).
  case path(String)
  /// A JSONata expression (`{% %}`), parsed when the definition was loaded.
  case expression(EmbeddedJSONata)
}

/// One state: the fields every state shares, and its type-specific ``State/Kind``.
public struct State: Sendable {
  /// The state's name (its key under `States`).
  public var name: String
  /// Where the state's object is in the definition.
  public var pointer: JSONPointer
  /// `Comment`.
  public var comment: String?
  /// The effective query language (the state's own, else the machine's).
  public var queryLanguage: QueryLanguage
  /// `Next` / `End`.
  public var transition: Transition
  /// Input and output processing.
  public var io: InputOutput
  /// `Assign`: variables set when the state completes.
  public var assign: JSON?
  /// `Assign` of a JSONata state, with its expressions compiled.
  public var compiledAssign: JSONataTemplate?
  /// `Retry`.
  public var retriers: [Retrier]
  /// `Catch`.
  public var catchers: [Catcher]
  /// The type-specific part.
  public var kind: Kind

  /// The type-specific part of a state.
  public enum Kind: Sendable {
    /// `Pass`.
    case pass(PassState)
    /// `Task`.
    case task(TaskState)
    /// `Choice`.
    case choice(ChoiceState)
    /// `Wait`.
    case wait(WaitState)
    /// `Succeed`.
    case succeed
    /// `Fail`.
    case fail(FailState)
    /// `Parallel`.
    case parallel(ParallelState)
    /// `Map`.
    case map(MapState)
  }

  /// The `Type` field's value.
  public var typeName: String {
    switch kind {
    case .pass: return "Pass"
    case .task: return "Task"
    case .choice: return "Choice"
    case .wait: return "Wait"
    case .succeed: return "Succeed"
    case .fail: return "Fail"
    case .parallel: return "Parallel"
    case .map: return "Map"
    }
  }
}

/// A field that can be a path or `null` (InputPath, OutputPath, ResultPath).
public enum OptionalPath: Sendable, Hashable {
  /// The field is absent: the default `$`.
  case absent
  /// The field is `null`: InputPath/OutputPath give `{}`, ResultPath discards the result.
  case null
  /// A path.
  case path(String)
}

/// Input and output processing fields, for both query languages.
public struct InputOutput: Sendable {
  /// `InputPath` (JSONPath).
  public var inputPath: OptionalPath = .absent
  /// `Parameters` (JSONPath): a payload template; `ItemSelector` on Map is kept separately.
  public var parameters: JSON?
  /// `ResultSelector` (JSONPath).
  public var resultSelector: JSON?
  /// `ResultPath` (JSONPath).
  public var resultPath: OptionalPath = .absent
  /// `OutputPath` (JSONPath).
  public var outputPath: OptionalPath = .absent
  /// `Arguments` (JSONata).
  public var arguments: JSON?
  /// `Output` (JSONata).
  public var output: JSON?
  /// `Arguments` with its expressions compiled (JSONata).
  public var compiledArguments: JSONataTemplate?
  /// `Output` with its expressions compiled (JSONata).
  public var compiledOutput: JSONataTemplate?

  /// Creates empty processing (all defaults).
  public init() {}
}

/// A `Retry` entry.
public struct Retrier: Sendable, Hashable {
  /// `ErrorEquals`.
  public var errorEquals: [String]
  /// `IntervalSeconds` (default 1).
  public var intervalSeconds: Int = 1
  /// `MaxAttempts` (default 3).
  public var maxAttempts: Int = 3
  /// `BackoffRate` (default 2.0).
  public var backoffRate: Double = 2.0
  /// `MaxDelaySeconds`.
  public var maxDelaySeconds: Int?
  /// `JitterStrategy`.
  public var jitterStrategy: JitterStrategy = .none
  /// `Comment`.
  public var comment: String?

  /// `JitterStrategy` values.
  public enum JitterStrategy: String, Sendable, Hashable {
    /// Randomize each delay between 0 and the computed interval.
    case full = "FULL"
    /// No jitter (the default).
    case none = "NONE"
  }
}

/// A `Catch` entry.
public struct Catcher: Sendable {
  /// `ErrorEquals`.
  public var errorEquals: [String]
  /// `Next`.
  public var next: String
  /// `ResultPath` (JSONPath).
  public var resultPath: OptionalPath = .absent
  /// `Output` (JSONata).
  public var output: JSON?
  /// `Assign`.
  public var assign: JSON?
  /// `Output` with its expressions compiled (JSONata).
  public var compiledOutput: JSONataTemplate?
  /// `Assign` with its expressions compiled (JSONata).
  public var compiledAssign: JSONataTemplate?
  /// `Comment`.
  public var comment: String?
}
