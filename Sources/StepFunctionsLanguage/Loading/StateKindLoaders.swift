import StepFunctionsJSON

extension Loader {
  // MARK: Task

  mutating func loadTask(_ reader: FieldReader, language: QueryLanguage) -> TaskState? {
    guard reader.has("Resource") else {
      sink.schema("The field 'Resource' is required but was missing", at: reader.pointer)
      return nil
    }
    guard let resource = reader.string("Resource", &sink) else { return nil }
    let resourcePointer = reader.pointer.appending("Resource")
    if let problem = ResourceCheck.problem(resource, type: options.stateMachineType) {
      sink.error(problem.code, problem.message, at: resourcePointer)
    }
    let timeoutPath = language == .jsonPath ? "TimeoutSecondsPath" : nil
    let heartbeatPath = language == .jsonPath ? "HeartbeatSecondsPath" : nil
    let timeout = dynamicInteger(
      "TimeoutSeconds", pathKey: timeoutPath, reader, language: language, range: 1...99_999_999)
    let heartbeat = dynamicInteger(
      "HeartbeatSeconds", pathKey: heartbeatPath, reader, language: language, range: 1...99_999_999)
    if case .literal(let beat) = heartbeat, case .literal(let limit) = timeout, beat >= limit {
      sink.schema(
        "The value for the field 'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'",
        at: reader.pointer.appending("HeartbeatSeconds"))
    }
    var credentials: JSON?
    var compiledCredentials: JSONataTemplate?
    if let value = reader.raw("Credentials") {
      credentials = value
      let pointer = reader.pointer.appending("Credentials")
      if case .object(let object) = value {
        let roleKey = language == .jsonPath ? "RoleArn.$" : nil
        if object["RoleArn"] == nil && (roleKey.map { object[$0] == nil } ?? true) {
          sink.schema("The field 'RoleArn' is required but was missing", at: pointer)
        }
        switch language {
        case .jsonPath: checkTemplateValue(value, at: pointer)
        case .jsonata: compiledCredentials = jsonataTemplate(value, at: pointer, scope: .plain)
        }
      } else {
        sink.schema("The value for the field 'Credentials' must be an OBJECT", at: pointer)
      }
    }
    return TaskState(
      resource: resource, timeoutSeconds: timeout, heartbeatSeconds: heartbeat,
      credentials: credentials, compiledCredentials: compiledCredentials)
  }

  // MARK: Choice

  mutating func loadChoice(_ reader: FieldReader, language: QueryLanguage) -> ChoiceState? {
    guard let elements = reader.requiredNonEmptyArray("Choices", &sink) else { return nil }
    let choicesPointer = reader.pointer.appending("Choices")
    var branches: [ChoiceBranch] = []
    for (index, element) in elements.enumerated() {
      let pointer = choicesPointer.appending(index)
      guard case .object(let object) = element else {
        sink.schema("A Choice Rule must be an OBJECT", at: pointer)
        continue
      }
      let entry = FieldReader(object: object, pointer: pointer)
      if !entry.has("Next") {
        sink.schema("The field 'Next' is required but was missing", at: pointer)
      }
      let next = entry.string("Next", &sink)
      let extra: Set<String> =
        language == .jsonata
        ? ["Next", "Assign", "Output", "Comment"] : ["Next", "Assign", "Comment"]
      guard let rule = loadChoiceRule(entry, language: language, extraFields: extra, depth: 1)
      else {
        continue
      }
      // A missing or ill-typed `Next` has been reported; the graph rules must not report it again.
      guard let next else {
        unresolvedTransitions += 1
        continue
      }
      let (assign, compiledAssign) = loadAssign(
        entry.raw("Assign"), at: pointer.appending("Assign"), language: language, scope: .plain)
      var output: JSON?
      var compiledOutput: JSONataTemplate?
      if language == .jsonata, let value = entry.raw("Output") {
        compiledOutput = jsonataTemplate(value, at: pointer.appending("Output"), scope: .plain)
        output = value
      }
      branches.append(
        ChoiceBranch(
          rule: rule, next: next, assign: assign, output: output, compiledAssign: compiledAssign,
          compiledOutput: compiledOutput, comment: entry.string("Comment", &sink),
          pointer: pointer))
    }
    let defaultState = reader.string("Default", &sink)
    return ChoiceState(choices: branches, defaultState: defaultState)
  }

  /// A Choice Rule at `depth` (1 for a rule in `Choices`, 2 for one inside its `And`, `Or` or
  /// `Not`, and so on), up to ``ChoiceRule/maximumNestingDepth``.
  mutating func loadChoiceRule(
    _ reader: FieldReader, language: QueryLanguage, extraFields: Set<String>, depth: Int
  ) -> ChoiceRule? {
    guard depth <= ChoiceRule.maximumNestingDepth else {
      sink.error(
        .tooDeeplyNested,
        "Choice Rules are nested more than \(ChoiceRule.maximumNestingDepth) levels deep in 'And', 'Or' and 'Not'",
        at: reader.pointer)
      return nil
    }
    if language == .jsonata {
      reader.rejectUnknown(allowed: extraFields.union(["Condition"]), &sink)
      guard reader.has("Condition") else {
        sink.schema("The field 'Condition' is required but was missing", at: reader.pointer)
        return nil
      }
      let value = reader.raw("Condition")
      if case .bool(let flag) = value { return .condition(.literal(flag)) }
      if case .string(let text) = value, ExpressionSyntax.jsonataExpression(text) != nil {
        // An expression that cannot be used has been reported; the rule stays so that its
        // `Next` still counts for the graph rules.
        return embeddedJSONata(text, at: reader.pointer.appending("Condition"), scope: .plain)
          .map { .condition(.expression($0)) } ?? .condition(.literal(false))
      }
      sink.schema(
        "The value for the field 'Condition' must be a JSONata expression or a BOOLEAN",
        at: reader.pointer.appending("Condition"))
      return nil
    }

    let booleans = ["And", "Or", "Not"].filter(reader.has)
    let comparators = reader.object.keys.compactMap(ComparatorField.init)
    var allowed = extraFields.union(["Variable", "And", "Or", "Not"])
    for field in comparators { allowed.insert(field.key) }
    for key in reader.object.keys where !allowed.contains(key) {
      if key == "Condition" {
        sink.schema(
          "The QueryLanguage is set to 'JSONPath', but field 'Condition' is only supported for the 'JSONata' QueryLanguage",
          at: reader.pointer)
      } else {
        sink.schema("Field '\(key)' is not supported", at: reader.pointer)
      }
    }
    if booleans.count + (comparators.isEmpty ? 0 : 1) != 1 || comparators.count > 1 {
      if booleans.isEmpty && comparators.isEmpty {
        sink.schema(
          "A Choice Rule must have exactly one comparison operator, or one of 'And', 'Or', 'Not'",
          at: reader.pointer)
      } else {
        sink.schema(
          "A Choice Rule must have exactly one comparison operator, or one of 'And', 'Or', 'Not', not several",
          at: reader.pointer)
      }
      return nil
    }
    if let booleanKey = booleans.first {
      if reader.has("Variable") {
        sink.schema(
          "Field 'Variable' is not supported together with '\(booleanKey)'", at: reader.pointer)
      }
      // `Next` in a nested rule is reported by `rejectNestedNext`, not again as unknown.
      let nestedFields: Set<String> = ["Comment", "Next"]
      if booleanKey == "Not" {
        guard let nested = reader.reader(for: "Not", &sink) else { return nil }
        rejectNestedNext(nested)
        return loadChoiceRule(
          nested, language: language, extraFields: nestedFields, depth: depth + 1
        ).map { .not($0) }
      }
      guard let elements = reader.array(booleanKey, &sink) else { return nil }
      let pointer = reader.pointer.appending(booleanKey)
      if elements.isEmpty {
        sink.schema("The field '\(booleanKey)' must not be empty", at: pointer)
      }
      var rules: [ChoiceRule] = []
      for (index, element) in elements.enumerated() {
        guard case .object(let object) = element else {
          sink.schema("A Choice Rule must be an OBJECT", at: pointer.appending(index))
          continue
        }
        let nested = FieldReader(object: object, pointer: pointer.appending(index))
        rejectNestedNext(nested)
        if let rule = loadChoiceRule(
          nested, language: language, extraFields: nestedFields, depth: depth + 1)
        {
          rules.append(rule)
        }
      }
      return booleanKey == "And" ? .and(rules) : .or(rules)
    }

    guard let field = comparators.first else { return nil }
    guard reader.has("Variable") else {
      sink.schema("The field 'Variable' is required but was missing", at: reader.pointer)
      return nil
    }
    guard let variable = path("Variable", reader, reference: true) else { return nil }
    let valuePointer = reader.pointer.appending(field.key)
    guard let raw = reader.raw(field.key) else { return nil }
    if field.isPath {
      guard case .string(let text) = raw else {
        sink.schema("The value for the field '\(field.key)' must be a STRING", at: valuePointer)
        return nil
      }
      if let message = ExpressionSyntax.pathError(text, reference: true) {
        sink.schema(
          "The value for the field '\(field.key)' must be a valid Reference Path: \(message)",
          at: valuePointer)
        return nil
      }
      return .comparison(
        Comparison(variable: variable, comparator: field.comparator, operand: .path(text)))
    }
    let valid: Bool
    switch field.comparator.operandKind {
    case .string: valid = raw.stringValue != nil
    case .number: valid = raw.numberValue != nil
    case .boolean: valid = raw.boolValue != nil
    case .timestamp: valid = raw.stringValue.map(Timestamp.isRFC3339) ?? false
    }
    if !valid {
      let expected: String
      switch field.comparator.operandKind {
      case .string: expected = "a STRING"
      case .number: expected = "a NUMBER"
      case .boolean: expected = "a BOOLEAN"
      case .timestamp: expected = "an RFC3339 timestamp STRING"
      }
      sink.schema("The value for the field '\(field.key)' must be \(expected)", at: valuePointer)
      return nil
    }
    return .comparison(
      Comparison(variable: variable, comparator: field.comparator, operand: .value(raw)))
  }

  mutating func rejectNestedNext(_ reader: FieldReader) {
    if reader.has("Next") {
      sink.schema("Field 'Next' is not supported in a nested Choice Rule", at: reader.pointer)
    }
  }

  // MARK: Wait

  mutating func loadWait(_ reader: FieldReader, language: QueryLanguage) -> WaitState? {
    let forms = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"].filter(reader.has)
    guard forms.count == 1, let form = forms.first else {
      if forms.isEmpty {
        sink.schema(
          "A Wait state must have exactly one of 'Seconds', 'SecondsPath', 'Timestamp' or 'TimestampPath'",
          at: reader.pointer)
      } else {
        sink.schema(
          "A Wait state must have only one of \(forms.map { "'\($0)'" }.joined(separator: ", "))",
          at: reader.pointer)
      }
      return nil
    }
    let pointer = reader.pointer.appending(form)
    switch form {
    case "Seconds":
      return dynamicInteger(
        "Seconds", pathKey: nil, reader, language: language, range: 0...99_999_999
      ).map { .seconds($0) }
    case "SecondsPath":
      return path(form, reader, reference: true).map { .secondsPath($0) }
    case "TimestampPath":
      return path(form, reader, reference: true).map { .timestampPath($0) }
    default:
      guard let text = reader.string("Timestamp", &sink) else { return nil }
      if language == .jsonata, ExpressionSyntax.jsonataExpression(text) != nil {
        return embeddedJSONata(text, at: pointer, scope: .plain).map { .timestamp(.expression($0)) }
      }
      guard Timestamp.isRFC3339(text) else {
        sink.schema("String does not match RFC3339 timestamp", at: pointer)
        return nil
      }
      return .timestamp(.literal(text))
    }
  }

  // MARK: Fail

  mutating func loadFail(_ reader: FieldReader, language: QueryLanguage) -> FailState {
    FailState(
      error: failField("Error", pathKey: "ErrorPath", reader, language: language),
      cause: failField("Cause", pathKey: "CausePath", reader, language: language))
  }

  mutating func failField(
    _ key: String, pathKey: String, _ reader: FieldReader, language: QueryLanguage
  ) -> DynamicValue<String>? {
    if language == .jsonPath {
      reader.exclusive(key, pathKey, &sink)
      if let value = reader.raw(pathKey) {
        let pointer = reader.pointer.appending(pathKey)
        guard case .string(let text) = value else {
          sink.schema("The value for the field '\(pathKey)' must be a STRING", at: pointer)
          return nil
        }
        let message =
          ExpressionSyntax.looksLikeIntrinsic(text)
          ? ExpressionSyntax.intrinsicError(text)
          : ExpressionSyntax.pathError(text, reference: true)
        if let message {
          sink.schema(
            "The value for the field '\(pathKey)' must be a valid Reference Path or intrinsic function: \(message)",
            at: pointer)
          return nil
        }
        return .path(text)
      }
    }
    guard let text = reader.string(key, &sink) else { return nil }
    if language == .jsonata, ExpressionSyntax.looksLikeJSONata(text) {
      guard
        case .expression(let expression) = jsonataTemplate(
          .string(text), at: reader.pointer.appending(key), scope: .plain)
      else { return nil }
      return .expression(expression)
    }
    if language == .jsonPath, text.hasPrefix("$.") || text.hasPrefix("$$.") {
      sink.warning(
        .noPath,
        "The value of '\(key)' looks like a path, but the field name does not end with 'Path'; it will be used as a literal string",
        at: reader.pointer.appending(key))
    }
    return .literal(text)
  }

  // MARK: Parallel

  mutating func loadParallel(_ reader: FieldReader, depth: Int) -> ParallelState? {
    guard let elements = reader.requiredNonEmptyArray("Branches", &sink) else { return nil }
    let pointer = reader.pointer.appending("Branches")
    var branches: [StateGraph] = []
    for (index, element) in elements.enumerated() {
      guard case .object(let object) = element else {
        sink.schema("A branch must be an OBJECT", at: pointer.appending(index))
        continue
      }
      let branch = FieldReader(object: object, pointer: pointer.appending(index))
      if let graph = loadGraph(branch, kind: .branch, depth: depth + 1) { branches.append(graph) }
    }
    return ParallelState(branches: branches)
  }
}

/// A comparison operator field name: the operator and whether it is the `...Path` form.
struct ComparatorField {
  let comparator: Comparator
  let isPath: Bool
  let key: String

  init?(_ key: String) {
    if let comparator = Comparator(rawValue: key) {
      self.comparator = comparator
      isPath = false
    } else if key.hasSuffix("Path"), let comparator = Comparator(rawValue: String(key.dropLast(4))),
      comparator.hasPathForm
    {
      self.comparator = comparator
      isPath = true
    } else {
      return nil
    }
    self.key = key
  }
}
