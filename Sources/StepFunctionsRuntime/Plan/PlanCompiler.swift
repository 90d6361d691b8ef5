import StepFunctionsJSON
import StepFunctionsLanguage

/// Compiles a validated definition into a plan, once: names become indices; paths, templates,
/// intrinsic calls and choice rules are parsed here and never again while running.
enum PlanCompiler {
  static func compile(_ definition: StateMachineDefinition) throws(PlanError) -> GraphPlan {
    try compile(definition.graph)
  }

  static func compile(_ graph: StateGraph) throws(PlanError) -> GraphPlan {
    var index: [String: Int] = [:]
    for position in graph.states.indices { index[graph.states[position].name] = position }
    func resolve(_ name: String) throws(PlanError) -> Int {
      guard let position = index[name] else {
        throw PlanError(message: "Missing transition target '\(name)'")
      }
      return position
    }
    var plans: [StatePlan] = []
    plans.reserveCapacity(graph.states.count)
    for state in graph.states {
      plans.append(try compile(state, resolve: resolve))
    }
    return GraphPlan(states: plans, startIndex: try resolve(graph.startAt))
  }

  static func compile(_ state: State, resolve: (String) throws(PlanError) -> Int) throws(PlanError)
    -> StatePlan
  {
    let isJSONata = state.queryLanguage == .jsonata
    let next: Int?
    if case .next(let name) = state.transition { next = try resolve(name) } else { next = nil }
    let io = state.io
    var catchers: [CatcherPlan] = []
    for catcher in state.catchers {
      catchers.append(
        CatcherPlan(
          errorEquals: catcher.errorEquals, next: try resolve(catcher.next),
          resultPath: try resultPath(catcher.resultPath),
          assign: isJSONata ? nil : try catcher.assign.map(PayloadTemplate.compile),
          jsonata: isJSONata
            ? JSONataIOPlan(output: catcher.compiledOutput, assign: catcher.compiledAssign) : nil))
    }
    let kind: StatePlan.Kind
    switch state.kind {
    case .pass(let pass):
      kind = .pass(result: pass.result)
    case .task(let task):
      let resource = TaskResource(task.resource)
      kind = .task(
        TaskPlan(
          resource: resource, timeout: try dynamic(task.timeoutSeconds),
          heartbeat: try dynamic(task.heartbeatSeconds),
          credentials: isJSONata ? nil : try task.credentials.map(PayloadTemplate.compile),
          jsonataCredentials: task.compiledCredentials.map(JSONataPlan.init),
          issuesTaskToken: resource.pattern == .waitForTaskToken
            || (resource.pattern == .sync
              && (isJSONata
                ? io.arguments.map { readsTaskToken($0, needle: "context.Task.Token") }
                : io.parameters.map { readsTaskToken($0) }) == true)
        ))
    case .choice(let choice):
      var branches: [ChoicePlan.Branch] = []
      for branch in choice.choices {
        branches.append(
          ChoicePlan.Branch(
            rule: try compile(branch.rule), next: try resolve(branch.next),
            assign: isJSONata ? nil : try branch.assign.map(PayloadTemplate.compile),
            jsonata: isJSONata
              ? JSONataIOPlan(output: branch.compiledOutput, assign: branch.compiledAssign) : nil))
      }
      kind = .choice(
        ChoicePlan(branches: branches, defaultIndex: try choice.defaultState.map(resolve)))
    case .wait(let wait):
      switch wait {
      case .seconds(.literal(let seconds)): kind = .wait(.seconds(seconds))
      case .secondsPath(let path): kind = .wait(.secondsPath(try ValueSource(text: path)))
      case .timestamp(.literal(let text)):
        guard let instant = Instant(rfc3339: text) else {
          throw PlanError(message: "Invalid timestamp '\(text)'")
        }
        kind = .wait(.timestamp(instant))
      case .timestampPath(let path): kind = .wait(.timestampPath(try ValueSource(text: path)))
      case .seconds(.expression(let expression)):
        kind = .wait(.secondsExpression(JSONataPlan(expression)))
      case .timestamp(.expression(let expression)):
        kind = .wait(.timestampExpression(JSONataPlan(expression)))
      case .seconds(.path(let path)): kind = .wait(.secondsPath(try ValueSource(text: path)))
      case .timestamp(.path(let path)): kind = .wait(.timestampPath(try ValueSource(text: path)))
      }
    case .succeed:
      kind = .succeed
    case .fail(let fail):
      kind = .fail(error: try failField(fail.error), cause: try failField(fail.cause))
    case .parallel(let parallel):
      var branches: [GraphPlan] = []
      for branch in parallel.branches { branches.append(try compile(branch)) }
      kind = .parallel(branches)
    case .map(let map):
      kind = .map(
        MapPlan(
          processor: try compile(map.processor),
          itemsPath: try map.itemsPath.map { (text) throws(PlanError) in try ValueSource(text: text)
          },
          itemSelector: isJSONata ? nil : try map.itemSelector.map(PayloadTemplate.compile),
          items: map.compiledItems.map(JSONataPlan.init),
          jsonataItemSelector: map.compiledItemSelector.map(JSONataPlan.init),
          maxConcurrency: try dynamic(map.maxConcurrency),
          toleratedFailureCount: try dynamic(map.toleratedFailureCount),
          toleratedFailurePercentage: try dynamic(map.toleratedFailurePercentage),
          isDistributed: map.mode == .distributed,
          label: map.label, reader: try Self.itemReader(map.itemReader),
          batcher: try Self.itemBatcher(map.itemBatcher),
          resultWriter: try ResultWriterPlan.compile(map),
          runsExpressChildren: map.executionType == "EXPRESS"))
    }
    return StatePlan(
      name: state.name, typeName: state.typeName, next: next,
      inputPath: try pathOption(io.inputPath),
      outputPath: try pathOption(io.outputPath), resultPath: try resultPath(io.resultPath),
      parameters: isJSONata ? nil : try io.parameters.map(PayloadTemplate.compile),
      resultSelector: isJSONata ? nil : try io.resultSelector.map(PayloadTemplate.compile),
      assign: isJSONata ? nil : try state.assign.map(PayloadTemplate.compile),
      retriers: state.retriers,
      catchers: catchers, kind: kind,
      jsonata: isJSONata
        ? JSONataIOPlan(
          arguments: io.compiledArguments, output: io.compiledOutput, assign: state.compiledAssign)
        : nil)
  }

  /// Whether a payload template reads `$$.Task.Token` (in a path or an intrinsic's argument),
  /// or, with `needle` `context.Task.Token`, whether a JSONata template reads
  /// `$states.context.Task.Token`.
  static func readsTaskToken(_ template: JSON, needle: String = "$$.Task.Token") -> Bool {
    var pending = [template]
    while let value = pending.popLast() {
      switch value {
      case .string(let text): if text.contains(needle) { return true }
      case .object(let object): pending.append(contentsOf: object.values)
      case .array(let elements): pending.append(contentsOf: elements)
      case .null, .bool, .number: continue
      }
    }
    return false
  }

  static func compile(_ rule: ChoiceRule) throws(PlanError) -> ChoiceRulePlan {
    switch rule {
    case .and(let rules):
      var compiled: [ChoiceRulePlan] = []
      for rule in rules { compiled.append(try compile(rule)) }
      return .and(compiled)
    case .or(let rules):
      var compiled: [ChoiceRulePlan] = []
      for rule in rules { compiled.append(try compile(rule)) }
      return .or(compiled)
    case .not(let rule):
      return .not(try compile(rule))
    case .comparison(let comparison):
      let operand: ChoiceRulePlan.Operand
      switch comparison.operand {
      case .value(let value): operand = .value(value)
      case .path(let path): operand = .path(try ValueSource(text: path))
      }
      return .compare(
        variable: try ValueSource(text: comparison.variable), comparator: comparison.comparator,
        operand: operand)
    case .condition(let condition):
      return .condition(try dynamic(condition) ?? .literal(false))
    }
  }

  static func pathOption(_ option: OptionalPath) throws(PlanError) -> PathOption {
    switch option {
    case .absent: return .identity
    case .null: return .empty
    case .path(let text):
      let source = try ValueSource(text: text)
      return source.isIdentity ? .identity : .path(source)
    }
  }

  static func resultPath(_ option: OptionalPath) throws(PlanError) -> ResultPathOption {
    switch option {
    case .absent: return .replace
    case .null: return .discard
    case .path(let text):
      let source = try ValueSource(text: text)
      return source.isIdentity ? .replace : .path(source.path)
    }
  }

  static func dynamic<Value: Sendable & Hashable>(_ value: DynamicValue<Value>?) throws(PlanError)
    -> DynamicPlan<Value>?
  {
    switch value {
    case nil: return nil
    case .literal(let literal): return .literal(literal)
    case .path(let text): return .path(try ValueSource(text: text))
    case .expression(let expression): return .expression(JSONataPlan(expression))
    }
  }

  static func failField(_ value: DynamicValue<String>?) throws(PlanError) -> FailField? {
    switch value {
    case nil: return nil
    case .literal(let text): return .literal(text)
    case .path(let text):
      if IntrinsicPlan.looksLikeCall(text) { return .intrinsic(try IntrinsicPlan(text: text)) }
      return .path(try ValueSource(text: text))
    case .expression(let expression): return .expression(JSONataPlan(expression))
    }
  }
}
