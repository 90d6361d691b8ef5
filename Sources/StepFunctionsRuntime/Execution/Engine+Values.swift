import StepFunctionsJSON
import StepFunctionsLanguage

extension Engine {
  // MARK: Reading paths

  /// The value a path reads for `fiber`, with `current` as `$`.
  func read(_ source: ValueSource, current: JSON, fiber: Fiber) throws(JSONPathEvaluationError)
    -> JSON
  {
    switch source.root {
    case .current:
      if let value = source.lookup(in: current) { return value }
      return try source.path.value(in: current)
    case .context:
      let document = contextDocument(for: fiber, path: source.path)
      if let value = source.lookup(in: document) { return value }
      return try source.path.value(in: document)
    case .variable(let name):
      guard let value = fiber.scope.value(name) else {
        throw JSONPathEvaluationError(
          kind: .noResults, path: source.text, message: "No results for path: $['\(name)']")
      }
      if let found = source.lookup(in: value) { return found }
      return try source.path.value(in: value)
    }
  }

  /// InputPath / OutputPath.
  func select(_ option: PathOption, from value: JSON, fiber: Fiber) throws(StatesError) -> JSON {
    switch option {
    case .identity: return value
    case .empty: return .object(JSONObject())
    case .path(let source):
      do {
        return try read(source, current: value, fiber: fiber)
      } catch {
        throw stateError(fiber, error.invalidPathCause)
      }
    }
  }

  /// ResultPath.
  func place(_ result: JSON, into input: JSON, using option: ResultPathOption, fiber: Fiber)
    throws(StatesError) -> JSON
  {
    switch option {
    case .replace: return result
    case .discard: return input
    case .path(let path):
      do {
        return try path.assigning(result, into: input)
      } catch {
        throw stateError(fiber, error.cause, name: error.statesError.name)
      }
    }
  }

  /// Evaluates a payload template that gives a state's data (`Parameters`, `ResultSelector`,
  /// `ItemSelector`) and holds the result to the payload limit, so that a template that doubles
  /// its input (`{"a.$": "$", "b.$": "$"}`) in a loop is stopped when it first passes it.
  /// `byteBound` receives a bound within the limit on the result's size (`nil` without a
  /// limit), so that the state's output need not be measured again when it is the result.
  func evaluatePayload(
    _ template: PayloadTemplate, current: JSON, fiber: Fiber, byteBound: inout Int?
  ) throws(StatesError) -> JSON {
    let value = try evaluate(template, current: current, fiber: fiber)
    byteBound = try checkPayloadSize(value, fiber: fiber)
    return value
  }

  /// ``evaluatePayload(_:current:fiber:byteBound:)`` for a result whose size is not needed.
  func evaluatePayload(_ template: PayloadTemplate, current: JSON, fiber: Fiber)
    throws(StatesError) -> JSON
  {
    var byteBound: Int?
    return try evaluatePayload(template, current: current, fiber: fiber, byteBound: &byteBound)
  }

  /// Throws `States.DataLimitExceeded` when `value` serializes to more than
  /// `maximumPayloadBytes`; otherwise returns a bound within the limit on its size (`nil`
  /// without a limit).
  ///
  /// - Complexity: O(1) for an object within the limit (objects keep a bound of their size);
  ///   otherwise O(min(*n*, limit)), however much of the value is shared.
  @discardableResult
  func checkPayloadSize(_ value: JSON, fiber: Fiber) throws(StatesError) -> Int? {
    guard let limit = options.maximumPayloadBytes else { return nil }
    let bound = value.serializedByteBound(limit: limit)
    if bound <= limit { return bound }
    let count = value.serializedByteCount(limit: limit)
    if count <= limit { return count }
    throw payloadLimitError(fiber.state)
  }

  /// AWS's `States.DataLimitExceeded` for a state whose data passed the payload limit.
  func payloadLimitError(_ state: StatePlan) -> StatesError {
    StatesError(
      StatesError.Names.dataLimitExceeded,
      cause:
        "The state/task '\(state.name)' returned a result with a size exceeding the maximum number of bytes service limit."
    )
  }

  /// Evaluates a payload template with `current` as `$`.
  func evaluate(_ template: PayloadTemplate, current: JSON, fiber: Fiber) throws(StatesError)
    -> JSON
  {
    switch template {
    case .literal(let value):
      return value
    case .object(let members, let shape):
      if let shape {
        return .object(
          try JSONObject(shape: shape) { (position) throws(StatesError) in
            try evaluate(member: position, of: members, current: current, fiber: fiber)
          })
      }
      var object = JSONObject(minimumCapacity: members.count)
      for member in members {
        let value = try evaluate(member.value, current: current, fiber: fiber)
        if member.repeatsKey {
          object[member.key] = value
        } else {
          object.append(key: member.key, value: value)
        }
      }
      return .object(object)
    case .array(let elements):
      var values: [JSON] = []
      values.reserveCapacity(elements.count)
      for element in elements {
        values.append(try evaluate(element, current: current, fiber: fiber))
      }
      return .array(values)
    case .path(let source, let field):
      do {
        return try read(source, current: current, fiber: fiber)
      } catch {
        // An indefinite path that selects nothing yields an empty list, whatever stopped it.
        if !source.path.isDefinite && !source.path.endsInFunction { return .array([]) }
        let document = source.usesContext ? contextObject(for: fiber) : current
        throw stateError(fiber, error.notFoundCause(field: field, input: document))
      }
    case .intrinsic(let call, _):
      return try evaluate(call, current: current, fiber: fiber)
    }
  }

  /// Evaluates the template of member `position` of an object template. A path member that
  /// selects something in `current` is read through an unretained reference to its compiled path
  /// (the plan holds it), so the member is not copied out of the array; anything else, and every
  /// error, goes through ``evaluate(_:current:fiber:)``.
  func evaluate(
    member position: Int, of members: [PayloadTemplate.Member], current: JSON, fiber: Fiber
  ) throws(StatesError) -> JSON {
    let path: Unmanaged<ValueSource>? = members.withUnsafeBufferPointer { buffer in
      if case .path(let source, _) = buffer[position].value { return .passUnretained(source) }
      return nil
    }
    if let path,
      let value = path._withUnsafeGuaranteedRef({ source -> JSON? in
        guard case .current = source.root else { return nil }
        return source.lookup(in: current)
      })
    {
      return value
    }
    return try evaluate(members[position].value, current: current, fiber: fiber)
  }

  func evaluate(_ call: IntrinsicPlan, current: JSON, fiber: Fiber) throws(StatesError) -> JSON {
    if call.function == .mathAdd, call.arguments.count == 2 {
      // The commonest call, without an argument array.
      let first = try resolve(call.arguments, at: 0, current: current, fiber: fiber)
      let second = try resolve(call.arguments, at: 1, current: current, fiber: fiber)
      do {
        return try IntrinsicEvaluator.mathAdd(first, second)
      } catch {
        throw stateError(fiber, error.cause, name: error.name)
      }
    }
    if call.formatMatchesArguments, let pieces = call.formatPieces {
      // `States.Format` written as its arguments are read, without an argument array.
      var output = ""
      var next = 1
      for piece in pieces {
        switch piece {
        case .text(let text): output += text
        case .placeholder:
          let value = try resolve(call.arguments, at: next, current: current, fiber: fiber)
          do {
            try IntrinsicFormat.render(
              value, into: &output, maximumLength: options.maximumPayloadBytes)
          } catch {
            throw payloadLimitError(fiber.state)
          }
          next += 1
        }
      }
      return .string(output)
    }
    var arguments: [JSON] = []
    arguments.reserveCapacity(call.arguments.count)
    for index in call.arguments.indices {
      arguments.append(try resolve(call.arguments, at: index, current: current, fiber: fiber))
    }
    do {
      if let pieces = call.formatPieces {
        return .string(
          try IntrinsicFormat.format(
            pieces: pieces, arguments: arguments, maximumLength: options.maximumPayloadBytes))
      }
      return try IntrinsicEvaluator.evaluate(
        call.function, arguments: arguments, random: &random,
        maximumLength: options.maximumPayloadBytes)
    } catch {
      // A text too long for the payload limit fails the state as its oversized data would.
      if error.name == StatesError.Names.dataLimitExceeded { throw payloadLimitError(fiber.state) }
      throw stateError(fiber, error.cause, name: error.name)
    }
  }

  /// The value of argument `index` of `arguments`. A path argument is read through an
  /// unretained reference to its compiled path (the plan holds it for the whole execution), so
  /// the argument is not copied out of the array.
  func resolve(
    _ arguments: [IntrinsicPlan.Argument], at index: Int, current: JSON, fiber: Fiber
  ) throws(StatesError) -> JSON {
    let path: Unmanaged<ValueSource>? = arguments.withUnsafeBufferPointer { buffer in
      if case .path(let source) = buffer[index] { return .passUnretained(source) }
      return nil
    }
    guard let path else { return try resolve(arguments[index], current: current, fiber: fiber) }
    let outcome = path._withUnsafeGuaranteedRef { source in
      Result { () throws(JSONPathEvaluationError) in
        try read(source, current: current, fiber: fiber)
      }
    }
    switch outcome {
    case .success(let value): return value
    case .failure(let error): throw stateError(fiber, error.invalidPathCause)
    }
  }

  /// The value of one argument of an intrinsic call.
  func resolve(
    _ argument: IntrinsicPlan.Argument, current: JSON, fiber: Fiber
  ) throws(StatesError) -> JSON {
    switch argument {
    case .literal(let value): return value
    case .call(let nested): return try evaluate(nested, current: current, fiber: fiber)
    case .path(let source):
      do {
        return try read(source, current: current, fiber: fiber)
      } catch {
        throw stateError(fiber, error.invalidPathCause)
      }
    }
  }

  /// A `States.Runtime` (or other) error for the fiber's current state, with AWS's prefix.
  func stateError(_ fiber: Fiber, _ detail: String, name: String = StatesError.Names.runtime)
    -> StatesError
  {
    StatesError(
      name,
      cause:
        "An error occurred while executing the state '\(fiber.state.name)' (entered at the event id #\(fiber.enteredEventId)). \(detail)"
    )
  }

  // MARK: Context Object

  /// The whole Context Object (`$$`) as `fiber`'s current state sees it, its members in the
  /// order AWS writes them: `Execution`, `StateMachine`, `State`, then `Task` (a Task with a
  /// token) and `Map` (a Map state's `ItemSelector`).
  func contextObject(for fiber: Fiber) -> JSON {
    var object = JSONObject(minimumCapacity: 5)
    for key in ["Execution", "StateMachine", "State", "Task", "Map"] {
      if let member = contextMember(key, for: fiber) { object.append(key: key, value: member) }
    }
    return .object(object)
  }

  /// The Context Object as far as a definite `path` can see it: only the member its first step
  /// names, which gives the same value (or error) as the whole object without building the rest.
  func contextDocument(for fiber: Fiber, path: JSONPath) -> JSON {
    guard path.isDefinite, case .name(let key)? = path.segments.first,
      let member = contextMember(key, for: fiber)
    else {
      return contextObject(for: fiber)
    }
    var object = JSONObject(minimumCapacity: 1)
    object.append(key: key, value: member)
    return .object(object)
  }

  /// One top-level member of the Context Object, or `nil` when it has no such member.
  func contextMember(_ key: String, for fiber: Fiber) -> JSON? {
    if let given = inspection?.context?[key] { return given }
    switch key {
    case "Execution":
      return executionContext
    case "State":
      var state = JSONObject(minimumCapacity: 3)
      state.append(key: "Name", value: .string(fiber.state.name))
      state.append(key: "EnteredTime", value: .string(fiber.enteredTime.iso8601))
      switch fiber.state.kind {
      case .task, .parallel, .map:
        state.append(key: "RetryCount", value: .number(JSONNumber(fiber.retryCount)))
      default:
        break
      }
      return .object(state)
    case "StateMachine":
      return ["Id": .string(stateMachineArn), "Name": .string(options.stateMachineName)]
    case "Task":
      guard let token = fiber.pendingTask?.token ?? currentTaskToken else { return nil }
      return ["Token": .string(token)]
    case "Map":
      guard let item = fiber.mapItem else { return nil }
      // Items come from the state input (`STATE_DATA`); an ItemReader's would name their S3
      // object. There is no `Key`: AWS gives it only to items of a JSON object, and a Map over
      // an object fails (corpus: `test_map_state_items_input_types_object_`).
      return [
        "Item": [
          "Index": .number(JSONNumber(item.index)), "Value": item.value, "Source": "STATE_DATA",
        ]
      ]
    default:
      return nil
    }
  }

  // MARK: Assign

  /// Evaluates `Assign` against `current` (with the variables as they were when the state was
  /// entered). The caller stores them with ``commit(_:to:)`` once the state's output is known,
  /// so the state's own paths never see its assignments.
  ///
  /// The assigned values together may not pass `maximumPayloadBytes` (AWS: 256 KiB for all the
  /// variables one `Assign` sets): past it the state fails with `States.DataLimitExceeded`, so
  /// a variable that doubles in a loop is stopped the first time it is too large.
  func assign(_ template: PayloadTemplate?, current: JSON, fiber: Fiber) throws(StatesError)
    -> JSONObject?
  {
    guard let template else { return nil }
    let assigned = try evaluate(template, current: current, fiber: fiber)
    guard case .object(let values) = assigned else { return nil }
    try checkAssignedSize(assigned, fiber: fiber)
    return values
  }

  /// Throws `States.DataLimitExceeded` when the variables one `Assign` sets pass
  /// `maximumPayloadBytes` together.
  func checkAssignedSize(_ assigned: JSON, fiber: Fiber) throws(StatesError) {
    if let limit = options.maximumPayloadBytes, assigned.serializedByteBound > limit,
      assigned.serializedByteCount(limit: limit) > limit
    {
      throw StatesError(
        StatesError.Names.dataLimitExceeded,
        cause:
          "The state/task '\(fiber.state.name)' assigned variables with a size exceeding the maximum number of bytes service limit."
      )
    }
  }

  /// Stores assigned variables in the fiber's scope.
  func commit(_ values: JSONObject?, to fiber: Fiber) {
    guard let values else { return }
    for (name, value) in values { fiber.scope.values[name] = value }
  }
}
