import StepFunctionsJSON
import StepFunctionsJSONata
import StepFunctionsLanguage
import Synchronization

/// The random bits AWS's `$random()` and `$uuid()` draw for one execution: reseeded from the
/// execution's seeded random source before each evaluation that may use them, so that a run is
/// deterministic for a seed.
final class JSONataRandomSource: Sendable {
  private let state = Mutex<UInt64>(0)

  /// Starts a new sequence at `seed`.
  func reseed(_ seed: UInt64) {
    state.withLock { $0 = seed }
  }

  /// The next 64 random bits (SplitMix64).
  func next() -> UInt64 {
    state.withLock { value in
      value &+= 0x9E37_79B9_7F4A_7C15
      var mixed = value
      mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
      mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
      return mixed ^ (mixed >> 31)
    }
  }
}

extension Engine {
  // MARK: Evaluating JSONata fields

  /// Evaluates a JSONata field of the fiber's current state. `$states.input` is `input`;
  /// `$states.result` and `$states.errorOutput` are given where the field may read them;
  /// `$states.context` is the Context Object; the variables in scope are `$name`.
  ///
  /// Every failure, and an undefined value anywhere in the field, is AWS's
  /// `States.QueryEvaluationError`, recorded first as an `EvaluationFailed` event.
  func evaluateJSONata(
    _ plan: JSONataPlan, fiber: Fiber, input: JSON, result: JSON? = nil, errorOutput: JSON? = nil
  ) throws(StatesError) -> JSON {
    if case .constant(let value) = plan.template { return value }
    // Only what the expressions may read is converted for them.
    var states = JSONObject(minimumCapacity: 4)
    if plan.usesInput { states.append(key: "input", value: input) }
    if plan.usesResult, let result { states.append(key: "result", value: result) }
    if plan.usesErrorOutput, let errorOutput {
      states.append(key: "errorOutput", value: errorOutput)
    }
    if plan.usesContext { states.append(key: "context", value: contextObject(for: fiber)) }
    let statesValue = JSON.object(states)
    // A field of one expression in the shapes the engine evaluates over JSON directly: the
    // variables are read where they are, without bindings being made (an undefined result
    // takes the general way, which reports it).
    if !plan.usesRandom, case .expression(let embedded) = plan.template,
      case .value(let value)? = embedded.expression.directResult(
        input: nil, options: jsonataOptions,
        variable: { name in
          if name == "states" { return statesValue }
          return plan.variableNames.contains(name) ? fiber.scope.value(name) : nil
        })
    {
      return value
    }
    var bindings: [String: JSON] = ["states": statesValue]
    for name in plan.variableNames {
      if let value = fiber.scope.value(name) { bindings[name] = value }
    }
    var options = jsonataOptions
    options.now = Double(now.millisecondsSinceEpoch)
    if plan.usesRandom {
      jsonataRandom.reseed(random.next())
      options.randomSeed = random.next()
    } else {
      // Never used; a fixed seed spares the engine drawing one from the system.
      options.randomSeed = 0
    }
    return try evaluate(plan.template, bindings: bindings, options: options, fiber: fiber)
  }

  private func evaluate(
    _ template: JSONataTemplate, bindings: [String: JSON], options: JSONataOptions, fiber: Fiber
  ) throws(StatesError) -> JSON {
    switch template {
    case .constant(let value):
      return value
    case .expression(let embedded):
      let result: JSONataResult
      var text: String { Engine.trimmed(embedded.text) }
      do {
        result = try embedded.expression.evaluateResult(
          input: nil, bindings: bindings, options: options)
      } catch {
        throw queryEvaluationError(
          fiber,
          "The JSONata expression '\(text)' specified for the field '\(embedded.field)' threw an error during evaluation. \(error.code): \(error.message)",
          location: embedded.field)
      }
      switch result {
      case .value(let value):
        return value
      case .undefined:
        throw queryEvaluationError(
          fiber,
          "The JSONata expression '\(text)' specified for the field '\(embedded.field)' returned nothing (undefined).",
          location: embedded.field)
      case .function:
        throw queryEvaluationError(
          fiber,
          "The JSONata expression '\(text)' specified for the field '\(embedded.field)' returned an unsupported result type.",
          location: embedded.field)
      }
    case .object(let members):
      var object = JSONObject(minimumCapacity: members.count)
      for member in members {
        object[member.key] = try evaluate(
          member.value, bindings: bindings, options: options, fiber: fiber)
      }
      return .object(object)
    case .array(let elements):
      var values: [JSON] = []
      values.reserveCapacity(elements.count)
      for element in elements {
        values.append(try evaluate(element, bindings: bindings, options: options, fiber: fiber))
      }
      return .array(values)
    }
  }

  /// An expression's text as AWS quotes it in causes: without the spaces around it.
  static func trimmed(_ text: String) -> String {
    String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
  }

  /// Records an `EvaluationFailed` event for the fiber's current state and returns AWS's
  /// `States.QueryEvaluationError` with `detail` after the usual prefix. Straight after the
  /// state was entered, AWS links the event to the event before that one, except for a value
  /// that is checked after it was evaluated (`afterEvaluation`, a Wait's `Timestamp`).
  func queryEvaluationError(
    _ fiber: Fiber, _ detail: String, location: String?, afterEvaluation: Bool = false
  ) -> StatesError {
    let error = stateError(fiber, detail, name: StatesError.Names.queryEvaluationError)
    var fields = JSONObject(minimumCapacity: 4)
    fields.append(key: "error", value: .string(error.name))
    fields.append(key: "cause", value: .string(error.cause))
    if let location { fields.append(key: "location", value: .string(location)) }
    fields.append(key: "state", value: .string(fiber.state.name))
    if !afterEvaluation, fiber.cursor == fiber.enteredEventId {
      fiber.cursor = fiber.enteredPreviousEventId
    }
    emit(fiber, "EvaluationFailed", .fields(key: "evaluationFailedEventDetails", fields))
    return error
  }

  /// The error for a field whose expression gave a value of the wrong type (AWS's text).
  func unexpectedType(_ plan: JSONataPlan, _ value: JSON, expected: String, fiber: Fiber)
    -> StatesError
  {
    let (text, field) = Engine.describe(plan)
    return queryEvaluationError(
      fiber,
      "The JSONata expression '\(text)' specified for the field '\(field)' returned an unexpected result type. Expected '\(expected)', but was '\(Engine.typeName(value))' for value: \(value.serialized())",
      location: field)
  }

  /// The expression text and field of a field made of one expression.
  static func describe(_ plan: JSONataPlan) -> (text: String, field: String) {
    if case .expression(let embedded) = plan.template {
      return (trimmed(embedded.text), embedded.field)
    }
    return ("", "")
  }

  /// JSON's name for the type of `value`, as AWS writes it in causes.
  static func typeName(_ value: JSON) -> String {
    switch value {
    case .null: "null"
    case .bool: "boolean"
    case .number: "number"
    case .string: "string"
    case .array: "array"
    case .object: "object"
    }
  }

  /// An integer field given by an expression (`TimeoutSeconds`, `HeartbeatSeconds`,
  /// `MaxConcurrency`, `ToleratedFailureCount`…): a number, rounded down as AWS documents.
  func jsonataInteger(_ plan: JSONataPlan, input: JSON, fiber: Fiber) throws(StatesError) -> Int {
    let value = try evaluateJSONata(plan, fiber: fiber, input: input)
    guard case .number(let number) = value else {
      throw unexpectedType(plan, value, expected: "number", fiber: fiber)
    }
    if let integer = number.intValue { return integer }
    let rounded = number.doubleValue.rounded(.down)
    guard rounded.isFinite, rounded.magnitude < 9.0e18 else {
      throw unexpectedType(plan, value, expected: "integer", fiber: fiber)
    }
    return Int(rounded)
  }

  /// A number field given by an expression (`ToleratedFailurePercentage`).
  func jsonataNumber(_ plan: JSONataPlan, input: JSON, fiber: Fiber) throws(StatesError) -> Double {
    let value = try evaluateJSONata(plan, fiber: fiber, input: input)
    guard case .number(let number) = value else {
      throw unexpectedType(plan, value, expected: "number", fiber: fiber)
    }
    return number.doubleValue
  }

  /// `Assign` of a JSONata state: an object whose members become variables once the state's
  /// output is known (``commit(_:to:)``), held to the payload limit as JSONPath's `Assign` is.
  func jsonataAssign(
    _ plan: JSONataPlan?, fiber: Fiber, input: JSON, result: JSON? = nil, errorOutput: JSON? = nil
  ) throws(StatesError) -> JSONObject? {
    guard let plan else { return nil }
    let assigned = try evaluateJSONata(
      plan, fiber: fiber, input: input, result: result, errorOutput: errorOutput)
    guard case .object(let values) = assigned else { return nil }
    try checkAssignedSize(assigned, fiber: fiber)
    return values
  }

  /// Finishes a JSONata state: `Assign` and `Output` are evaluated from the same values (the
  /// state's input, and its result where it has one), the output being the result (or, for a
  /// state without one, the input) when `Output` is absent; then the variables are stored, the
  /// `...StateExited` event recorded and the fiber moved to `next`. Returns true when the fiber
  /// goes on.
  func completeJSONata(
    _ fiber: Fiber, _ state: StatePlan, _ io: JSONataIOPlan, result: JSON?, next: Int?
  ) throws(StatesError) -> Bool {
    let input = fiber.input
    inspection?.result = result
    let assigned = try jsonataAssign(io.assign, fiber: fiber, input: input, result: result)
    let output: JSON
    if let plan = io.output {
      output = try evaluateJSONata(plan, fiber: fiber, input: input, result: result)
    } else {
      output = result ?? input
    }
    try checkNesting(output: output, assigned: assigned, fiber: fiber)
    let bound = try checkPayloadSize(output, fiber: fiber)
    commit(assigned, to: fiber)
    let id = emitExited(fiber, state, output: output, assigned: assigned)
    return transition(fiber, output: output, next: next, byteBound: bound, recordedAs: id)
  }

  /// The input a JSONata Task or Parallel state passes on: its `Arguments`, else its input.
  func jsonataArguments(_ state: StatePlan, input: JSON, fiber: Fiber) throws(StatesError)
    -> JSON?
  {
    guard let plan = state.jsonata?.arguments else { return nil }
    let value = try evaluateJSONata(plan, fiber: fiber, input: input)
    try checkPayloadSize(value, fiber: fiber)
    return value
  }
}

extension Engine {
  /// A JSONata Choice state: the first rule whose `Condition` is true gives the next state and
  /// its own `Output` and `Assign`; with none, `Default` and the state's `Output` and `Assign`.
  func stepJSONataChoice(_ fiber: Fiber, _ state: StatePlan, _ choice: ChoicePlan)
    throws(StatesError) -> StepOutcome
  {
    let input = fiber.input
    var target: Int?
    var io: JSONataIOPlan?
    for (rule, branch) in choice.branches.enumerated() {
      guard try matches(branch.rule, input: input, fiber: fiber) else { continue }
      target = branch.next
      io = branch.jsonata
      coverageRecorder?.record(.choiceRule(state: state.name, rule: rule))
      break
    }
    if target == nil {
      target = choice.defaultIndex
      io = state.jsonata
      if target != nil { coverageRecorder?.record(.choiceDefault(state: state.name)) }
    }
    guard let next = target else {
      throw StatesError(StatesError.Names.noChoiceMatched, cause: "No Matches!")
    }
    let plan = io ?? JSONataIOPlan(output: nil, assign: nil)
    return try completeJSONata(fiber, state, plan, result: nil, next: next) ? .proceed : .stop
  }
}
