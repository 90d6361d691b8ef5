import StepFunctionsJSON

/// A `Pass` state's own fields.
public struct PassState: Sendable {
  /// `Result`.
  public var result: JSON?
}

/// A `Task` state's own fields.
public struct TaskState: Sendable {
  /// `Resource`: an ARN.
  public var resource: String
  /// `TimeoutSeconds` / `TimeoutSecondsPath` (default 99999999).
  public var timeoutSeconds: DynamicValue<Int>?
  /// `HeartbeatSeconds` / `HeartbeatSecondsPath`.
  public var heartbeatSeconds: DynamicValue<Int>?
  /// `Credentials`.
  public var credentials: JSON?
  /// `Credentials` with its expressions compiled (JSONata).
  public var compiledCredentials: JSONataTemplate?
}

/// A `Choice` state's own fields.
public struct ChoiceState: Sendable {
  /// `Choices`, in order.
  public var choices: [ChoiceBranch]
  /// `Default`.
  public var defaultState: String?
}

/// One entry of `Choices`: a rule and where to go when it matches.
public struct ChoiceBranch: Sendable {
  /// The rule.
  public var rule: ChoiceRule
  /// `Next`.
  public var next: String
  /// `Assign`.
  public var assign: JSON?
  /// `Output` (JSONata).
  public var output: JSON?
  /// `Assign` with its expressions compiled (JSONata).
  public var compiledAssign: JSONataTemplate?
  /// `Output` with its expressions compiled (JSONata).
  public var compiledOutput: JSONataTemplate?
  /// `Comment`.
  public var comment: String?
  /// Where the entry is in the definition.
  public var pointer: JSONPointer
}

/// A Choice rule: a comparison, a Boolean combination, or a JSONata condition.
public indirect enum ChoiceRule: Sendable {
  /// `And`.
  case and([ChoiceRule])
  /// `Or`.
  case or([ChoiceRule])
  /// `Not`.
  case not(ChoiceRule)
  /// `Variable` with a comparison operator.
  case comparison(Comparison)
  /// `Condition` (JSONata): a compiled expression or a literal Boolean.
  case condition(DynamicValue<Bool>)

  /// How deeply rules may nest in `And`, `Or` and `Not`: 32 levels, the rule in `Choices`
  /// being the first. Loading, compiling and evaluating a rule recurse once per level; real
  /// rules use a few.
  public static let maximumNestingDepth = 32
}

/// `Variable` compared with a value or another path.
public struct Comparison: Sendable {
  /// `Variable`: a path.
  public var variable: String
  /// The operator.
  public var comparator: Comparator
  /// The operand: a literal (`StringEquals: "x"`) or, for `...Path` operators, a path.
  public var operand: Operand

  /// The right-hand side of a comparison.
  public enum Operand: Sendable {
    /// A literal value.
    case value(JSON)
    /// A path (the `...Path` operators).
    case path(String)
  }
}

/// The comparison operators, without their `Path` suffix.
public enum Comparator: String, Sendable, Hashable, CaseIterable {
  /// `StringEquals`.
  /// `StringEquals`.
  case stringEquals = "StringEquals"
  case stringLessThan = "StringLessThan"
  /// `StringGreaterThan`.
  /// `StringGreaterThan`.
  case stringGreaterThan = "StringGreaterThan"
  case stringLessThanEquals = "StringLessThanEquals"
  /// `StringGreaterThanEquals`.
  /// `StringGreaterThanEquals`.
  case stringGreaterThanEquals = "StringGreaterThanEquals"
  case stringMatches = "StringMatches"
  /// `NumericEquals`.
  /// `NumericEquals`.
  case numericEquals = "NumericEquals"
  case numericLessThan = "NumericLessThan"
  /// `NumericGreaterThan`.
  /// `NumericGreaterThan`.
  case numericGreaterThan = "NumericGreaterThan"
  case numericLessThanEquals = "NumericLessThanEquals"
  /// `NumericGreaterThanEquals`.
  /// `NumericGreaterThanEquals`.
  case numericGreaterThanEquals = "NumericGreaterThanEquals"
  case booleanEquals = "BooleanEquals"
  /// `TimestampEquals`.
  /// `TimestampEquals`.
  case timestampEquals = "TimestampEquals"
  case timestampLessThan = "TimestampLessThan"
  /// `TimestampGreaterThan`.
  /// `TimestampGreaterThan`.
  case timestampGreaterThan = "TimestampGreaterThan"
  case timestampLessThanEquals = "TimestampLessThanEquals"
  /// `TimestampGreaterThanEquals`.
  /// `TimestampGreaterThanEquals`.
  case timestampGreaterThanEquals = "TimestampGreaterThanEquals"
  case isNull = "IsNull"
  /// `IsPresent`.
  /// `IsPresent`.
  case isPresent = "IsPresent"
  case isNumeric = "IsNumeric"
  /// `IsString`.
  /// `IsString`.
  case isString = "IsString"
  case isBoolean = "IsBoolean"
  /// `IsTimestamp`.
  /// `IsTimestamp`.
  case isTimestamp = "IsTimestamp"

  /// Whether the operator has a `...Path` form.
  public var hasPathForm: Bool {
    switch self {
    case .stringMatches, .isNull, .isPresent, .isNumeric, .isString, .isBoolean, .isTimestamp:
      return false
    default: return true
    }
  }

  /// The kind of literal operand the operator takes.
  public var operandKind: OperandKind {
    switch self {
    case .stringEquals, .stringLessThan, .stringGreaterThan, .stringLessThanEquals,
      .stringGreaterThanEquals, .stringMatches:
      return .string
    case .numericEquals, .numericLessThan, .numericGreaterThan, .numericLessThanEquals,
      .numericGreaterThanEquals:
      return .number
    case .timestampEquals, .timestampLessThan, .timestampGreaterThan, .timestampLessThanEquals,
      .timestampGreaterThanEquals:
      return .timestamp
    case .booleanEquals, .isNull, .isPresent, .isNumeric, .isString, .isBoolean, .isTimestamp:
      return .boolean
    }
  }

  /// Kinds of literal operands.
  public enum OperandKind: Sendable, Hashable {
    /// A string.
    case string
    /// A number.
    case number
    /// A Boolean.
    case boolean
    /// An RFC 3339 timestamp string.
    case timestamp
  }
}

/// A `Wait` state's own fields: exactly one of four forms.
public enum WaitState: Sendable {
  /// `Seconds` (a number, or a JSONata expression).
  case seconds(DynamicValue<Int>)
  /// `SecondsPath`.
  case secondsPath(String)
  /// `Timestamp` (an RFC 3339 string, or a JSONata expression).
  case timestamp(DynamicValue<String>)
  /// `TimestampPath`.
  case timestampPath(String)
}

/// A `Fail` state's own fields.
public struct FailState: Sendable {
  /// `Error` or `ErrorPath`.
  public var error: DynamicValue<String>?
  /// `Cause` or `CausePath`.
  public var cause: DynamicValue<String>?
}

/// A `Parallel` state's own fields.
public struct ParallelState: Sendable {
  /// `Branches`.
  public var branches: [StateGraph]
}

/// A `Map` state's own fields.
public struct MapState: Sendable {
  /// `ItemProcessor` (or the older `Iterator`).
  public var processor: StateGraph
  /// `ItemProcessor.ProcessorConfig.Mode`.
  public var mode: ProcessorMode
  /// `ItemProcessor.ProcessorConfig.ExecutionType` (distributed mode).
  public var executionType: String?
  /// `ItemsPath` (JSONPath).
  public var itemsPath: String?
  /// `Items` (JSONata expression or literal array).
  public var items: JSON?
  /// `Items` with its expressions compiled (JSONata).
  public var compiledItems: JSONataTemplate?
  /// `ItemSelector` (or the older `Parameters`).
  public var itemSelector: JSON?
  /// `ItemSelector` with its expressions compiled (JSONata).
  public var compiledItemSelector: JSONataTemplate?
  /// `ItemReader`.
  public var itemReader: ItemReader? {
    get { readerBox?.value }
    set { readerBox = newValue.map(Box.init) }
  }
  /// `ItemBatcher`.
  public var itemBatcher: ItemBatcher? {
    get { batcherBox?.value }
    set { batcherBox = newValue.map(Box.init) }
  }
  // Boxed: large and rare, inline they would make every `State` value, and the frames of the
  // loader's recursion that hold one, larger (deep nesting tests run on 512 KiB stacks).
  var readerBox: Box<ItemReader>?
  var batcherBox: Box<ItemBatcher>?
  /// `ResultWriter`.
  public var resultWriter: JSON?
  /// `ResultWriter.Arguments` with its expressions compiled (JSONata).
  public var compiledResultWriterArguments: JSONataTemplate?
  /// `MaxConcurrency` / `MaxConcurrencyPath` (0 means no limit).
  public var maxConcurrency: DynamicValue<Int>?
  /// `ToleratedFailureCount` / `ToleratedFailureCountPath`.
  public var toleratedFailureCount: DynamicValue<Int>?
  /// `ToleratedFailurePercentage` / `ToleratedFailurePercentagePath`.
  public var toleratedFailurePercentage: DynamicValue<Double>?
  /// `Label`.
  public var label: String?

  /// `ProcessorConfig.Mode`.
  public enum ProcessorMode: String, Sendable, Hashable {
    /// Iterations run inside the execution.
    case inline = "INLINE"
    /// Iterations run as child executions.
    case distributed = "DISTRIBUTED"
  }
}
