import StepFunctionsJSON
import StepFunctionsLanguage

/// A state graph compiled for running: states by index, transitions as indices.
final class GraphPlan: Sendable {
  let states: [StatePlan]
  let startIndex: Int

  init(states: [StatePlan], startIndex: Int) {
    self.states = states
    self.startIndex = startIndex
  }
}

/// How InputPath / OutputPath select.
enum PathOption: Sendable {
  /// `$` (the default): the whole value.
  case identity
  /// `null`: an empty object.
  case empty
  /// A path.
  case path(ValueSource)
}

/// How ResultPath places a result.
enum ResultPathOption: Sendable {
  /// `$` (the default): the result replaces the input.
  case replace
  /// `null`: the result is discarded, the input passes through.
  case discard
  /// A Reference Path into the input.
  case path(JSONPath)
}

/// A value given literally or read from a path at run time.
enum DynamicPlan<Value: Sendable>: Sendable {
  case literal(Value)
  case path(ValueSource)
  /// A JSONata expression (a JSONata state's `{% %}` field).
  case expression(JSONataPlan)
}

/// A compiled catcher.
struct CatcherPlan: Sendable {
  let errorEquals: [String]
  let next: Int
  let resultPath: ResultPathOption
  let assign: PayloadTemplate?
  /// `Output` and `Assign` of a catcher of a JSONata state.
  let jsonata: JSONataIOPlan?
}

/// A compiled choice rule.
indirect enum ChoiceRulePlan: Sendable {
  case and([ChoiceRulePlan])
  case or([ChoiceRulePlan])
  case not(ChoiceRulePlan)
  case compare(variable: ValueSource, comparator: Comparator, operand: Operand)
  /// `Condition` (JSONata): a Boolean written literally or an expression.
  case condition(DynamicPlan<Bool>)

  enum Operand: Sendable {
    case value(JSON)
    case path(ValueSource)
  }
}

/// A compiled Choice state.
struct ChoicePlan: Sendable {
  struct Branch: Sendable {
    let rule: ChoiceRulePlan
    let next: Int
    let assign: PayloadTemplate?
    /// `Output` and `Assign` of a JSONata Choice rule.
    let jsonata: JSONataIOPlan?
  }

  let branches: [Branch]
  let defaultIndex: Int?
}

/// A compiled Wait state.
enum WaitPlan: Sendable {
  case seconds(Int)
  case secondsPath(ValueSource)
  case timestamp(Instant)
  case timestampPath(ValueSource)
  /// `Seconds` as a JSONata expression.
  case secondsExpression(JSONataPlan)
  /// `Timestamp` as a JSONata expression.
  case timestampExpression(JSONataPlan)
}

/// A Fail state's `Error` or `Cause`.
enum FailField: Sendable {
  case literal(String)
  case path(ValueSource)
  case intrinsic(IntrinsicPlan)
  /// A JSONata expression.
  case expression(JSONataPlan)
}

/// A compiled Task state.
struct TaskPlan: Sendable {
  let resource: TaskResource
  let timeout: DynamicPlan<Int>?
  let heartbeat: DynamicPlan<Int>?
  /// `Credentials` (`RoleArn` or `RoleArn.$`), evaluated when the task is scheduled.
  let credentials: PayloadTemplate?
  /// `Credentials` of a JSONata Task state.
  let jsonataCredentials: JSONataPlan?
  /// Whether the task gets a task token (`$$.Task.Token`): every `.waitForTaskToken` task, and
  /// a `.sync` task whose `Parameters` read it (AWS gives one there too).
  let issuesTaskToken: Bool
}

/// A compiled Map state.
struct MapPlan: Sendable {
  let processor: GraphPlan
  let itemsPath: ValueSource?
  let itemSelector: PayloadTemplate?
  /// `Items` of a JSONata Map state.
  let items: JSONataPlan?
  /// `ItemSelector` of a JSONata Map state.
  let jsonataItemSelector: JSONataPlan?
  let maxConcurrency: DynamicPlan<Int>?
  let toleratedFailureCount: DynamicPlan<Int>?
  let toleratedFailurePercentage: DynamicPlan<Double>?
  let isDistributed: Bool
  let label: String?
  /// `ItemReader`: the items come from its resource instead of the state input.
  let reader: ItemReaderPlan?
  /// `ItemBatcher`: each iteration gets a batch of items.
  let batcher: ItemBatcherPlan?
  /// `ResultWriter`.
  var resultWriter: ResultWriterPlan? = nil
  /// `ItemProcessor.ProcessorConfig.ExecutionType` is `EXPRESS`.
  var runsExpressChildren = false
}

extension StatePlan {
  /// The `...StateEntered` and `...StateExited` event types of a state type, as string
  /// literals where the type is known: a literal needs no reference counting, and every event
  /// holds one.
  static func eventTypes(_ typeName: String) -> (entered: String, exited: String) {
    switch typeName {
    case "Pass": return ("PassStateEntered", "PassStateExited")
    case "Task": return ("TaskStateEntered", "TaskStateExited")
    case "Choice": return ("ChoiceStateEntered", "ChoiceStateExited")
    case "Wait": return ("WaitStateEntered", "WaitStateExited")
    case "Succeed": return ("SucceedStateEntered", "SucceedStateExited")
    case "Fail": return ("FailStateEntered", "FailStateExited")
    case "Parallel": return ("ParallelStateEntered", "ParallelStateExited")
    case "Map": return ("MapStateEntered", "MapStateExited")
    default: return (typeName + "StateEntered", typeName + "StateExited")
    }
  }
}

/// One compiled state.
final class StatePlan: Sendable {
  indirect enum Kind: Sendable {
    case pass(result: JSON?)
    case task(TaskPlan)
    case choice(ChoicePlan)
    case wait(WaitPlan)
    case succeed
    case fail(error: FailField?, cause: FailField?)
    case parallel([GraphPlan])
    case map(MapPlan)
  }

  let name: String
  let typeName: String
  /// The next state's index, or `nil` when the state ends its graph (or decides itself).
  let next: Int?
  let inputPath: PathOption
  let outputPath: PathOption
  let resultPath: ResultPathOption
  let parameters: PayloadTemplate?
  let resultSelector: PayloadTemplate?
  let assign: PayloadTemplate?
  let retriers: [Retrier]
  let catchers: [CatcherPlan]
  let kind: Kind
  /// `Arguments`, `Output` and `Assign` of a JSONata state; `nil` for a JSONPath state.
  let jsonata: JSONataIOPlan?
  /// `...StateEntered` / `...StateExited` event type names, computed once.
  let enteredEventType: String
  let exitedEventType: String
  /// Whether InputPath and OutputPath are both `$`, so a Choice state's output is its input.
  let selectsWholeInput: Bool
  /// Whether the state is a Pass state whose output is always its input unchanged (no Result,
  /// no Parameters, `$` paths, and a ResultPath of `$` or `null`).
  let passesInputThrough: Bool
  /// For a ResultPath made only of member names (`$.a.b`): the names, for the fast placement.
  let resultPathNames: [String]?
  /// For a ResultPath of one member name (`$.a`): the name.
  let resultPathMember: String?

  init(
    name: String, typeName: String, next: Int?, inputPath: PathOption, outputPath: PathOption,
    resultPath: ResultPathOption, parameters: PayloadTemplate?, resultSelector: PayloadTemplate?,
    assign: PayloadTemplate?, retriers: [Retrier], catchers: [CatcherPlan], kind: Kind,
    jsonata: JSONataIOPlan? = nil
  ) {
    self.jsonata = jsonata
    self.name = name
    self.typeName = typeName
    self.next = next
    self.inputPath = inputPath
    self.outputPath = outputPath
    self.resultPath = resultPath
    self.parameters = parameters
    self.resultSelector = resultSelector
    self.assign = assign
    self.retriers = retriers
    self.catchers = catchers
    self.kind = kind
    (enteredEventType, exitedEventType) = StatePlan.eventTypes(typeName)
    if case .identity = inputPath, case .identity = outputPath {
      selectsWholeInput = true
    } else {
      selectsWholeInput = false
    }
    var passesInputThrough = false
    if selectsWholeInput, case .pass(result: nil) = kind, parameters == nil, resultSelector == nil,
      jsonata == nil
    {
      switch resultPath {
      case .replace, .discard: passesInputThrough = true
      case .path: break
      }
    }
    self.passesInputThrough = passesInputThrough
    var resultPathNames: [String]? = nil
    if case .path(let path) = resultPath {
      var names: [String] = []
      for segment in path.segments {
        if case .name(let key) = segment {
          names.append(key)
        }
      }
      if names.count == path.segments.count, !names.isEmpty { resultPathNames = names }
    }
    self.resultPathNames = resultPathNames
    resultPathMember = resultPathNames?.count == 1 ? resultPathNames?.first : nil
  }
}
