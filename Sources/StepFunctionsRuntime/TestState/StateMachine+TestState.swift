import StepFunctionsJSON
import StepFunctionsLanguage

extension StateMachine {
  /// Runs one state of this machine, as AWS's TestState API does with `stateName` and a full
  /// definition, and reports what it did: the status, the output, the next state, the error,
  /// and at `DEBUG`/`TRACE` the data at each step of its input and output processing.
  ///
  /// The state runs through the same pipeline as ``run(input:options:)`` (InputPath,
  /// Parameters or Arguments, the task, ResultSelector, ResultPath, OutputPath, Output, Assign,
  /// Retry, Catch, Choice rules), on the virtual clock of `options`. A Task without a mock
  /// calls the handler `options.handlers` gives for its resource; with a mock, the mock answers
  /// instead. Map and Parallel states need a mock for their whole result, as on AWS.
  ///
  /// ```swift
  /// let result = try await machine.testState(
  ///   named: "Transcode", input: ["video": "in.mp4"],
  ///   mock: .error("MediaConvert.Throttled", cause: "slow down"), inspectionLevel: .debug)
  /// // result.status == .retriable, result.inspectionData?.errorDetails?.retryIndex == 0
  /// ```
  ///
  /// - Parameters:
  ///   - name: the state to test (`stateName`); it may be inside a Parallel branch or a Map's
  ///     `ItemProcessor`.
  ///   - input: the state's input.
  ///   - context: a Context Object (`$$`, `$states.context`): each member given replaces the
  ///     run's own (`Execution`, `State`, `StateMachine`, `Task`, `Map`). AWS accepts it only
  ///     with a mock.
  ///   - variables: the variables in scope when the state starts.
  ///   - mock: the mocked result or error.
  ///   - inspectionLevel: how much to report (AWS's default: `INFO`).
  ///   - stateConfiguration: which retry this is, how many Map iterations failed.
  ///   - options: the clock, seed, handlers and limits of the run.
  /// - Throws: ``TestStateError`` with AWS's exception name for a request AWS refuses.
  nonisolated(nonsending) public func testState(
    named name: String, input: JSON = .object(JSONObject()), context: JSON? = nil,
    variables: JSONObject = JSONObject(), mock: TestStateMock? = nil,
    inspectionLevel: InspectionLevel = .info,
    stateConfiguration: TestStateConfiguration = TestStateConfiguration(),
    options: ExecutionOptions = ExecutionOptions()
  ) async throws(TestStateError) -> TestStateResult {
    guard let (graph, index) = TestStateRequest.find(name, in: plan) else {
      throw TestStateError(
        .validationException, "The state '\(name)' does not exist in the definition.")
    }
    let state = graph.states[index]
    let contextObject = try TestStateRequest.check(
      state, input: input, context: context, mock: mock, configuration: stateConfiguration,
      options: options)
    var options = options
    options.recordsHistory = false
    let inspection = StateInspection(
      mock: mock, configuration: stateConfiguration, context: contextObject)
    let engine = Engine(
      plan: plan, timeoutSeconds: definition.timeoutSeconds, input: input, options: options,
      inbox: Inbox(source: .none))
    let scope = VariableScope(parent: nil)
    for (key, value) in variables { scope.values[key] = value }
    let fiber = Fiber(graph: graph, owner: .root, scope: scope, input: input, cursor: 0)
    fiber.stateIndex = index
    inspection.fiber = fiber
    engine.inspection = inspection
    let run = await engine.run()
    return TestStateRequest.result(
      run, state: state, input: input, inspection: inspection, scope: scope,
      level: inspectionLevel)
  }
}

/// Checking a TestState request and turning the run into AWS's response.
enum TestStateRequest {
  /// AWS's message for a Map or Parallel state tested without a mock.
  static let mapOrParallelMessage =
    "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]"

  /// The graph holding the state named `name` (state names are unique in a machine, nested
  /// ones included) and its index there.
  static func find(_ name: String, in graph: GraphPlan) -> (GraphPlan, Int)? {
    if let index = graph.states.firstIndex(where: { $0.name == name }) { return (graph, index) }
    for state in graph.states {
      for child in children(of: state) {
        if let found = find(name, in: child) { return found }
      }
    }
    return nil
  }

  /// The graphs nested in a Parallel or Map state.
  static func children(of state: StatePlan) -> [GraphPlan] {
    switch state.kind {
    case .parallel(let branches): return branches
    case .map(let plan): return [plan.processor]
    default: return []
    }
  }

  /// Refuses what AWS refuses; returns the context's members.
  static func check(
    _ state: StatePlan, input: JSON, context: JSON?, mock: TestStateMock?,
    configuration: TestStateConfiguration, options: ExecutionOptions
  ) throws(TestStateError) -> JSONObject? {
    if let refusal = ExecutionInput.sizeError(of: input, maximumBytes: options.maximumInputBytes) {
      throw TestStateError(.validationException, refusal.message)
    }
    var contextObject: JSONObject?
    if let context {
      guard mock != nil else {
        throw TestStateError(
          .validationException, "The context field may only be specified together with a mock.")
      }
      guard case .object(let members) = context else {
        throw TestStateError(.validationException, "The context must be a JSON object.")
      }
      contextObject = members
    }
    for (field, value) in [
      ("retrierRetryCount", configuration.retrierRetryCount),
      ("mapIterationFailureCount", configuration.mapIterationFailureCount),
    ] {
      if let value, value < 0 {
        throw TestStateError(
          .validationException,
          "1 validation error detected: Value '\(value)' at 'stateConfiguration.\(field)' failed to satisfy constraint: Member must have value greater than or equal to 0"
        )
      }
    }
    switch state.kind {
    case .pass, .wait, .choice, .succeed, .fail:
      if mock != nil {
        throw TestStateError(
          .validationException,
          "State type '\(state.typeName)' is not supported when a mock is specified")
      }
    case .task:
      break
    case .parallel(let branches):
      guard let mock else { throw TestStateError(.invalidDefinition, mapOrParallelMessage) }
      if case .result(let value) = mock.outcome {
        guard case .array(let elements) = value else {
          throw TestStateError(.validationException, "Mocked result must be an array.")
        }
        guard elements.count == branches.count else {
          throw TestStateError(
            .validationException,
            "Mocked result must contain the same number of items as number of Parallel branches.")
        }
      }
    case .map(let plan):
      guard let mock else { throw TestStateError(.invalidDefinition, mapOrParallelMessage) }
      if case .result(let value) = mock.outcome {
        if plan.resultWriter != nil {
          guard case .object = value else {
            throw TestStateError(.validationException, "Mocked result must be a JSON object.")
          }
        } else {
          guard case .array = value else {
            throw TestStateError(.validationException, "Mocked result must be an array.")
          }
        }
      }
    }
    if let origin = configuration.errorCausedByState {
      let inside = children(of: state).contains { find(origin, in: $0) != nil }
      guard inside else {
        throw TestStateError(
          .validationException,
          "The errorCausedByState '\(origin)' must name a state inside the Map or Parallel state '\(state.name)'."
        )
      }
    }
    return contextObject
  }

  /// The response for a finished run.
  static func result(
    _ run: ExecutionResult, state: StatePlan, input: JSON, inspection: StateInspection,
    scope: VariableScope, level: InspectionLevel
  ) -> TestStateResult {
    var result: TestStateResult
    var details: InspectionErrorDetails?
    if let retry = inspection.retry {
      result = TestStateResult(
        status: .retriable, error: retry.error.name, cause: retry.error.cause)
      details = InspectionErrorDetails(
        retryIndex: retry.index, retryBackoffIntervalSeconds: Int(min(retry.delay, 9.0e15)))
    } else if run.status == .succeeded {
      result = TestStateResult(
        status: .succeeded, output: run.output, nextState: inspection.nextState)
      if let caught = inspection.caught {
        result.status = .caughtError
        result.error = caught.error.name
        result.cause = caught.error.cause
        details = InspectionErrorDetails(catchIndex: caught.index)
      }
    } else {
      result = TestStateResult(status: .failed, error: run.error, cause: run.cause)
    }
    guard level != .info else { return result }
    var data = inspection.map
    data.input = input
    data.errorDetails = details
    let isJSONata = state.jsonata != nil
    let hasResult: Bool
    switch state.kind {
    case .task, .parallel, .map: hasResult = true
    default: hasResult = false
    }
    if !isJSONata {
      data.afterInputPath = inspection.afterInputPath
      switch state.kind {
      case .pass, .task, .parallel:
        data.afterParameters = inspection.parameters ?? inspection.afterInputPath
      default:
        break
      }
      switch state.kind {
      case .pass, .task, .parallel, .map:
        data.afterResultSelector = inspection.afterResultSelector
        data.afterResultPath = inspection.afterResultPath
      default:
        break
      }
    } else if state.jsonata?.arguments != nil {
      data.afterArguments = inspection.parameters
    }
    if hasResult { data.result = inspection.result }
    if !scope.values.isEmpty {
      // Sorted: a dictionary's order changes from one process to the next.
      var object = JSONObject(minimumCapacity: scope.values.count)
      for key in scope.values.keys.sorted() {
        if let value = scope.values[key] { object.append(key: key, value: value) }
      }
      data.variables = .object(object)
    }
    if level == .trace, case .task(let plan) = state.kind, !inspection.wasMocked,
      plan.resource.arn.hasPrefix("arn:aws:states:::http:invoke")
    {
      if let parameters = inspection.parameters { data.request = httpRequest(parameters) }
      if let raw = inspection.result { data.response = httpResponse(raw) }
    }
    result.inspectionData = data
    return result
  }

  /// An HTTP Task's request, from its `Arguments`/`Parameters` (`ApiEndpoint`, `Method`,
  /// `QueryParameters`, `Headers`, `RequestBody`).
  static func httpRequest(_ parameters: JSON) -> InspectionHTTPRequest {
    var url = parameters["ApiEndpoint"]?.stringValue ?? ""
    if case .object(let query)? = parameters["QueryParameters"], !query.isEmpty {
      let pairs = query.map { key, value in "\(key)=\(value.stringValue ?? value.serialized())" }
      url += "?" + pairs.joined(separator: "&")
    }
    let body = parameters["RequestBody"]
    return InspectionHTTPRequest(
      protocol: "https", method: parameters["Method"]?.stringValue ?? "",
      url: url, headers: headerLines(parameters["Headers"]),
      body: body.map { $0.stringValue ?? $0.serialized() } ?? "")
  }

  /// An HTTP Task's response, from its result (`StatusCode`, `StatusText`, `Headers`,
  /// `ResponseBody`).
  static func httpResponse(_ result: JSON) -> InspectionHTTPResponse {
    let code = result["StatusCode"].map { $0.stringValue ?? $0.serialized() } ?? ""
    let body = result["ResponseBody"]
    return InspectionHTTPResponse(
      protocol: "https", statusCode: code, statusMessage: result["StatusText"]?.stringValue ?? "",
      headers: headerLines(result["Headers"]),
      body: body.map { $0.stringValue ?? $0.serialized() } ?? "")
  }

  /// Headers as `name: value` lines.
  static func headerLines(_ headers: JSON?) -> String {
    guard case .object(let members)? = headers else { return "" }
    return members.map { key, value in
      let text: String
      if case .array(let values) = value {
        text = values.map { $0.stringValue ?? $0.serialized() }.joined(separator: ", ")
      } else {
        text = value.stringValue ?? value.serialized()
      }
      return "\(key): \(text)"
    }.joined(separator: "\n")
  }
}

extension TestStateResult {
  /// The response as AWS's TestState returns it: `output` and the inspection fields as JSON
  /// text, keys as AWS names them, absent fields left out.
  public var awsJSON: JSON {
    var object = JSONObject(minimumCapacity: 6)
    if let output { object.append(key: "output", value: .string(output.serialized())) }
    if let error { object.append(key: "error", value: .string(error)) }
    if let cause { object.append(key: "cause", value: .string(cause)) }
    if let inspectionData { object.append(key: "inspectionData", value: inspectionData.awsJSON) }
    if let nextState { object.append(key: "nextState", value: .string(nextState)) }
    object.append(key: "status", value: .string(status.rawValue))
    return .object(object)
  }
}

extension InspectionData {
  /// The inspection data as AWS returns it (`InspectionData`): payloads as JSON text.
  public var awsJSON: JSON {
    var object = JSONObject(minimumCapacity: 12)
    func text(_ key: String, _ value: JSON?) {
      if let value { object.append(key: key, value: .string(value.serialized())) }
    }
    text("input", input)
    text("afterArguments", afterArguments)
    text("afterInputPath", afterInputPath)
    text("afterParameters", afterParameters)
    text("result", result)
    text("afterResultSelector", afterResultSelector)
    text("afterResultPath", afterResultPath)
    if let request {
      object.append(
        key: "request",
        value: [
          "protocol": .string(request.protocol), "method": .string(request.method),
          "url": .string(request.url), "headers": .string(request.headers),
          "body": .string(request.body),
        ])
    }
    if let response {
      object.append(
        key: "response",
        value: [
          "protocol": .string(response.protocol), "statusCode": .string(response.statusCode),
          "statusMessage": .string(response.statusMessage),
          "headers": .string(response.headers), "body": .string(response.body),
        ])
    }
    text("variables", variables)
    if let errorDetails {
      var details = JSONObject(minimumCapacity: 3)
      if let index = errorDetails.catchIndex {
        details.append(key: "catchIndex", value: .number(JSONNumber(index)))
      }
      if let index = errorDetails.retryIndex {
        details.append(key: "retryIndex", value: .number(JSONNumber(index)))
      }
      if let seconds = errorDetails.retryBackoffIntervalSeconds {
        details.append(key: "retryBackoffIntervalSeconds", value: .number(JSONNumber(seconds)))
      }
      object.append(key: "errorDetails", value: .object(details))
    }
    text("afterItemsPath", afterItemsPath)
    text("afterItemSelector", afterItemSelector)
    text("afterItemBatcher", afterItemBatcher)
    if let toleratedFailureCount {
      object.append(key: "toleratedFailureCount", value: .number(JSONNumber(toleratedFailureCount)))
    }
    if let toleratedFailurePercentage {
      object.append(
        key: "toleratedFailurePercentage", value: .number(JSONNumber(toleratedFailurePercentage)))
    }
    if let maxConcurrency {
      object.append(key: "maxConcurrency", value: .number(JSONNumber(maxConcurrency)))
    }
    return .object(object)
  }
}
