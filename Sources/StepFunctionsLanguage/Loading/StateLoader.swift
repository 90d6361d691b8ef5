import StepFunctionsJSON

extension Loader {
  mutating func loadState(name: String, reader: FieldReader, depth: Int) -> State? {
    let pointer = reader.pointer
    if name.isEmpty || name.count > 80 {
      sink.error(
        .invalidStateName, "State names must be between 1 and 80 characters long", at: pointer)
    } else if name.unicodeScalars.contains(where: {
      $0.value < 0x20 || ($0.value >= 0x7F && $0.value <= 0x9F)
    }) {
      sink.error(
        .invalidStateName, "State name '\(name)' contains a control character", at: pointer)
    }
    guard reader.has("Type") else {
      sink.schema("The field 'Type' is required but was missing", at: pointer)
      return nil
    }
    guard let type = reader.string("Type", &sink) else { return nil }
    guard StateFieldTable.types.contains(type) else {
      sink.schema(
        "The value for the field 'Type' must be one of [\(StateFieldTable.types.joined(separator: ", "))]",
        at: pointer.appending("Type"))
      return nil
    }

    let outerState = statePointer
    statePointer = pointer
    defer { statePointer = outerState }
    let ownLanguage = queryLanguage(reader)
    if machineLanguage == .jsonata && reader.raw("QueryLanguage") == .string("JSONPath") {
      sink.schema(
        "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
        at: pointer)
    }
    let language = ownLanguage ?? machineLanguage
    checkFields(type: type, language: language, reader: reader)

    var state = State(
      name: name, pointer: pointer, comment: reader.string("Comment", &sink),
      queryLanguage: language,
      transition: .none, io: InputOutput(), assign: nil, retriers: [], catchers: [], kind: .succeed)
    state.transition = loadTransition(type: type, reader: reader)
    state.io = loadInputOutput(type: type, language: language, reader: reader)
    let hasResult = ["Task", "Parallel", "Map"].contains(type)
    (state.assign, state.compiledAssign) = loadAssign(
      reader.raw("Assign"), at: pointer.appending("Assign"), language: language,
      scope: hasResult ? .afterResult : .plain)
    state.retriers = loadRetriers(reader)
    state.catchers = loadCatchers(reader, language: language)

    switch type {
    case "Pass":
      let result = reader.raw("Result")
      if let result { checkStaticResult(result, at: pointer.appending("Result")) }
      state.kind = .pass(PassState(result: result))
    case "Task":
      guard let task = loadTask(reader, language: language) else { return nil }
      state.kind = .task(task)
    case "Choice":
      guard let choice = loadChoice(reader, language: language) else { return nil }
      state.kind = .choice(choice)
    case "Wait":
      guard let wait = loadWait(reader, language: language) else { return nil }
      state.kind = .wait(wait)
    case "Succeed":
      state.kind = .succeed
    case "Fail":
      state.kind = .fail(loadFail(reader, language: language))
    case "Parallel":
      guard let parallel = loadParallel(reader, depth: depth) else { return nil }
      state.kind = .parallel(parallel)
    default:
      guard let map = loadMap(reader, language: language, depth: depth) else { return nil }
      state.kind = .map(map)
    }
    return state
  }

  mutating func checkFields(type: String, language: QueryLanguage, reader: FieldReader) {
    let common = StateFieldTable.common(type)
    let jsonPath = StateFieldTable.jsonPathOnly(type)
    let jsonata = StateFieldTable.jsonataOnly(type)
    for key in reader.object.keys where !common.contains(key) {
      switch language {
      case .jsonPath where jsonPath.contains(key), .jsonata where jsonata.contains(key):
        continue
      case .jsonPath where jsonata.contains(key):
        sink.schema(
          "The QueryLanguage is set to 'JSONPath', but field '\(key)' is only supported for the 'JSONata' QueryLanguage",
          at: reader.pointer)
      case .jsonata where jsonPath.contains(key):
        sink.schema(
          "The QueryLanguage is set to 'JSONata', but field '\(key)' is only supported for the 'JSONPath' QueryLanguage",
          at: reader.pointer)
      default:
        sink.schema("Field '\(key)' is not supported", at: reader.pointer)
      }
    }
  }

  mutating func loadTransition(type: String, reader: FieldReader) -> Transition {
    switch type {
    case "Choice", "Succeed", "Fail":
      return .none
    default:
      let next = reader.string("Next", &sink)
      let end = reader.bool("End", &sink)
      if let next, end == true {
        sink.schema("The fields 'Next' and 'End' are mutually exclusive", at: reader.pointer)
        return .next(next)
      }
      if let next { return .next(next) }
      if end == true { return .end }
      // A `Next` or `End` of the wrong type has been reported already.
      if !reader.has("Next") && !reader.has("End") {
        sink.schema("Either 'Next' or 'End' with the value true is required", at: reader.pointer)
      } else if end == false && !reader.has("Next") {
        sink.schema("'End' is false but no 'Next' is given", at: reader.pointer.appending("End"))
      }
      return .end
    }
  }

  // MARK: Input and output

  mutating func loadInputOutput(type: String, language: QueryLanguage, reader: FieldReader)
    -> InputOutput
  {
    var io = InputOutput()
    let pointer = reader.pointer
    switch language {
    case .jsonPath:
      io.inputPath = optionalPath("InputPath", reader, reference: false)
      io.outputPath = optionalPath("OutputPath", reader, reference: false)
      io.resultPath = optionalPath("ResultPath", reader, reference: true)
      if let value = reader.raw("Parameters"), type != "Map" {
        checkPayloadTemplate(value, at: pointer.appending("Parameters"), field: "Parameters")
        io.parameters = value
      }
      if let value = reader.raw("ResultSelector") {
        checkPayloadTemplate(
          value, at: pointer.appending("ResultSelector"), field: "ResultSelector")
        io.resultSelector = value
      }
    case .jsonata:
      if let value = reader.raw("Arguments") {
        if case .string(let text) = value, ExpressionSyntax.jsonataExpression(text) == nil {
          sink.schema(
            "The value for the field 'Arguments' must be an OBJECT or a JSONata expression",
            at: pointer.appending("Arguments"))
        } else if !value.isObjectOrString {
          sink.schema(
            "The value for the field 'Arguments' must be an OBJECT or a JSONata expression",
            at: pointer.appending("Arguments"))
        }
        io.compiledArguments = jsonataTemplate(
          value, at: pointer.appending("Arguments"), scope: .plain)
        io.arguments = value
      }
      if let value = reader.raw("Output") {
        let hasResult = ["Task", "Parallel", "Map"].contains(type)
        io.compiledOutput = jsonataTemplate(
          value, at: pointer.appending("Output"), scope: hasResult ? .afterResult : .plain)
        io.output = value
      }
    }
    return io
  }

  mutating func optionalPath(_ key: String, _ reader: FieldReader, reference: Bool) -> OptionalPath
  {
    guard let value = reader.raw(key) else { return .absent }
    let pointer = reader.pointer.appending(key)
    switch value {
    case .null: return .null
    case .string(let text):
      if let message = ExpressionSyntax.pathError(text, reference: reference) {
        sink.schema(
          "The value for the field '\(key)' must be a valid \(reference ? "Reference Path" : "JSONPath"): \(message)",
          at: pointer)
      } else if key == "ResultPath" {
        if text.hasPrefix("$$") {
          sink.schema("The field 'ResultPath' cannot reference the Context Object", at: pointer)
        } else if PathText.isVariableReference(text) {
          sink.schema("The field 'ResultPath' cannot reference a variable", at: pointer)
        }
      }
      return .path(text)
    default:
      sink.schema("The value for the field '\(key)' must be a STRING or null", at: pointer)
      return .absent
    }
  }

  /// A required path field (ItemsPath, SecondsPath...).
  mutating func path(_ key: String, _ reader: FieldReader, reference: Bool) -> String? {
    guard let value = reader.raw(key) else { return nil }
    let pointer = reader.pointer.appending(key)
    guard case .string(let text) = value else {
      sink.schema("The value for the field '\(key)' must be a STRING", at: pointer)
      return nil
    }
    if let message = ExpressionSyntax.pathError(text, reference: reference) {
      sink.schema(
        "The value for the field '\(key)' must be a valid \(reference ? "Reference Path" : "JSONPath"): \(message)",
        at: pointer)
      return nil
    }
    return text
  }

  /// A JSONPath payload template: an object whose `.$` keys hold paths or intrinsic calls.
  mutating func checkPayloadTemplate(_ value: JSON, at pointer: JSONPointer, field: String) {
    guard case .object = value else {
      sink.schema("The value for the field '\(field)' must be an OBJECT", at: pointer)
      return
    }
    checkTemplateValue(value, at: pointer)
  }

  mutating func checkTemplateValue(_ value: JSON, at pointer: JSONPointer) {
    switch value {
    case .object(let object):
      for (key, member) in object {
        if key.hasSuffix(".$") {
          let plain = String(key.dropLast(2))
          if object[plain] != nil {
            sink.schema(
              "The field '\(plain)' is defined twice: as '\(plain)' and as '\(key)'", at: pointer)
          }
          guard case .string(let text) = member else {
            sink.schema(
              "The value for the field '\(key)' must be a STRING", at: pointer.appending(key))
            continue
          }
          // AWS's wording and code, then what is wrong; reported at the member, where AWS
          // reports the template (see IntrinsicValidation).
          if let reason = dynamicValueError(text) {
            sink.schema(
              IntrinsicValidation.invalidFieldMessage(field: key, reason: reason),
              at: pointer.appending(key))
          }
        } else {
          if case .string(let text) = member,
            ExpressionSyntax.looksLikeIntrinsic(text) || text.hasPrefix("$.")
              || text.hasPrefix("$$.")
          {
            sink.warning(
              .noDollar,
              "The field '\(key)' has a value that looks like a JSONPath or intrinsic function, but its name does not end with '.$'; it will be used as a literal string",
              at: pointer.appending(key))
          }
          checkTemplateValue(member, at: pointer.appending(key))
        }
      }
    case .array(let elements):
      for (index, element) in elements.enumerated() {
        checkTemplateValue(element, at: pointer.appending(index))
      }
    default:
      break
    }
  }

  /// A message when a `.$` value is neither a path nor an intrinsic call.
  func dynamicValueError(_ text: String) -> String? {
    if ExpressionSyntax.looksLikeIntrinsic(text) || text.hasPrefix("States.") {
      return ExpressionSyntax.intrinsicError(text)
    }
    return ExpressionSyntax.pathError(text, reference: false)
  }

  mutating func checkStaticResult(_ value: JSON, at pointer: JSONPointer) {
    switch value {
    case .string(let text)
    where text.hasPrefix("$.") || text.hasPrefix("$$.") || ExpressionSyntax.looksLikeIntrinsic(text):
      sink.warning(
        .passResultIsStatic,
        "The Pass state's Result is static: '\(text)' is not evaluated as a path; use Parameters to read from the input",
        at: pointer)
    case .object(let object):
      for (key, member) in object {
        if key.hasSuffix(".$") {
          sink.warning(
            .passResultIsStatic,
            "The Pass state's Result is static: the field '\(key)' is not evaluated as a path; use Parameters to read from the input",
            at: pointer.appending(key))
        } else {
          checkStaticResult(member, at: pointer.appending(key))
        }
      }
    case .array(let elements):
      for (index, element) in elements.enumerated() {
        checkStaticResult(element, at: pointer.appending(index))
      }
    default:
      break
    }
  }

  // MARK: Assign

  /// `Assign`, and for a JSONata state its compiled template (read with `scope`).
  mutating func loadAssign(
    _ value: JSON?, at pointer: JSONPointer, language: QueryLanguage, scope: JSONataScope
  ) -> (JSON?, JSONataTemplate?) {
    guard let value else { return (nil, nil) }
    guard case .object(let object) = value else {
      sink.schema("The value for the field 'Assign' must be an OBJECT", at: pointer)
      return (nil, nil)
    }
    for (key, _) in object {
      let name = language == .jsonPath && key.hasSuffix(".$") ? String(key.dropLast(2)) : key
      if !PathText.isVariableName(name) {
        sink.schema(
          "The variable name '\(name)' is not valid: it must be 1 to 80 characters long with no white space, '.', '$', '[' or ']'",
          at: pointer.appending(key))
      }
    }
    switch language {
    case .jsonPath:
      checkTemplateValue(value, at: pointer)
      return (value, nil)
    case .jsonata:
      return (value, jsonataTemplate(value, at: pointer, scope: scope))
    }
  }

  // MARK: Retry and Catch

  mutating func errorEquals(_ reader: FieldReader) -> [String] {
    guard reader.has("ErrorEquals") else {
      sink.schema("The field 'ErrorEquals' is required but was missing", at: reader.pointer)
      return []
    }
    guard let elements = reader.array("ErrorEquals", &sink) else { return [] }
    let pointer = reader.pointer.appending("ErrorEquals")
    if elements.isEmpty {
      sink.schema("The field 'ErrorEquals' must not be empty", at: pointer)
    }
    var names: [String] = []
    for (index, element) in elements.enumerated() {
      guard case .string(let name) = element else {
        sink.schema("The values of 'ErrorEquals' must be STRINGs", at: pointer.appending(index))
        continue
      }
      names.append(name)
    }
    if names.contains("States.ALL") && names.count > 1 {
      sink.schema("'States.ALL' must appear alone in 'ErrorEquals'", at: pointer)
    }
    return names
  }

  mutating func loadRetriers(_ reader: FieldReader) -> [Retrier] {
    guard let elements = reader.array("Retry", &sink) else { return [] }
    var retriers: [Retrier] = []
    for (index, element) in elements.enumerated() {
      let pointer = reader.pointer.appending("Retry").appending(index)
      guard case .object(let object) = element else {
        sink.schema("A Retrier must be an OBJECT", at: pointer)
        continue
      }
      let retry = FieldReader(object: object, pointer: pointer)
      retry.rejectUnknown(
        allowed: [
          "ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds",
          "JitterStrategy", "Comment",
        ],
        &sink)
      var retrier = Retrier(errorEquals: errorEquals(retry))
      retrier.intervalSeconds = retry.integer("IntervalSeconds", in: 1...99_999_999, &sink) ?? 1
      retrier.maxAttempts = retry.integer("MaxAttempts", in: 0...99_999_999, &sink) ?? 3
      if let rate = retry.number("BackoffRate", &sink) {
        if rate.doubleValue < 1.0 {
          sink.schema(
            "The value for the field 'BackoffRate' must be greater than or equal to 1.0",
            at: pointer.appending("BackoffRate"))
        } else {
          retrier.backoffRate = rate.doubleValue
        }
      }
      retrier.maxDelaySeconds = retry.integer("MaxDelaySeconds", in: 1...31_622_400, &sink)
      if let jitter = retry.string("JitterStrategy", &sink) {
        if let strategy = Retrier.JitterStrategy(rawValue: jitter) {
          retrier.jitterStrategy = strategy
        } else {
          sink.schema(
            "The value for the field 'JitterStrategy' must be one of [FULL, NONE]",
            at: pointer.appending("JitterStrategy"))
        }
      }
      retrier.comment = retry.string("Comment", &sink)
      if retrier.errorEquals.contains("States.ALL") && index != elements.count - 1 {
        sink.schema("A Retrier with 'States.ALL' must be the last Retrier", at: pointer)
      }
      retriers.append(retrier)
    }
    return retriers
  }

  mutating func loadCatchers(_ reader: FieldReader, language: QueryLanguage) -> [Catcher] {
    guard let elements = reader.array("Catch", &sink) else { return [] }
    var catchers: [Catcher] = []
    for (index, element) in elements.enumerated() {
      let pointer = reader.pointer.appending("Catch").appending(index)
      guard case .object(let object) = element else {
        sink.schema("A Catcher must be an OBJECT", at: pointer)
        continue
      }
      let entry = FieldReader(object: object, pointer: pointer)
      var allowed: Set<String> = ["ErrorEquals", "Next", "Comment", "Assign"]
      allowed.insert(language == .jsonPath ? "ResultPath" : "Output")
      entry.rejectUnknown(allowed: allowed, &sink)
      let names = errorEquals(entry)
      if !entry.has("Next") {
        sink.schema("The field 'Next' is required but was missing", at: pointer)
      }
      let next = entry.string("Next", &sink)
      var catcher = Catcher(errorEquals: names, next: next ?? "")
      catcher.comment = entry.string("Comment", &sink)
      (catcher.assign, catcher.compiledAssign) = loadAssign(
        entry.raw("Assign"), at: pointer.appending("Assign"), language: language,
        scope: .catcher)
      if language == .jsonPath {
        catcher.resultPath = optionalPath("ResultPath", entry, reference: true)
      } else if let output = entry.raw("Output") {
        catcher.compiledOutput = jsonataTemplate(
          output, at: pointer.appending("Output"), scope: .catcher)
        catcher.output = output
      }
      if names.contains("States.ALL") && index != elements.count - 1 {
        sink.schema("A Catcher with 'States.ALL' must be the last Catcher", at: pointer)
      }
      // A missing or ill-typed `Next` has been reported; the graph rules must not report it again.
      guard next != nil else {
        unresolvedTransitions += 1
        continue
      }
      catchers.append(catcher)
    }
    return catchers
  }

  // MARK: Values that may be dynamic

  /// An integer field that may also be given by a `...Path` field (JSONPath) or a JSONata
  /// expression (JSONata).
  mutating func dynamicInteger(
    _ key: String, pathKey: String?, _ reader: FieldReader, language: QueryLanguage,
    range: ClosedRange<Int>
  ) -> DynamicValue<Int>? {
    if let pathKey {
      reader.exclusive(key, pathKey, &sink)
      if reader.has(pathKey), let path = path(pathKey, reader, reference: true) {
        return .path(path)
      }
    }
    guard let value = reader.raw(key) else { return nil }
    if language == .jsonata, case .string(let text) = value {
      if ExpressionSyntax.jsonataExpression(text) != nil {
        return embeddedJSONata(text, at: reader.pointer.appending(key), scope: .plain)
          .map { .expression($0) }
      }
      sink.schema(
        "The value for the field '\(key)' must be an INTEGER or a JSONata expression",
        at: reader.pointer.appending(key))
      return nil
    }
    return reader.integer(key, in: range, &sink).map { .literal($0) }
  }
}

extension JSON {
  var isObjectOrString: Bool {
    switch self {
    case .object, .string: return true
    default: return false
    }
  }
}

/// Small text classifications shared by the loader's checks.
enum PathText {
  /// Whether `name` is acceptable as an ASL variable name: 1 to 80 characters, no white space and
  /// none of the characters paths give a meaning to (`.`, `$`, `[`, `]`). (See Docs/Decisions.md.)
  static func isVariableName(_ name: String) -> Bool {
    guard !name.isEmpty, name.count <= 80 else { return false }
    return !name.unicodeScalars.contains {
      $0.properties.isWhitespace || ".$[]".unicodeScalars.contains($0)
    }
  }

  /// Whether a path reads a variable (`$name...`) rather than the input (`$`, `$.`, `$[`) or the
  /// Context Object (`$$`).
  static func isVariableReference(_ text: String) -> Bool {
    guard text.hasPrefix("$"), !text.hasPrefix("$$") else { return false }
    guard let second = text.unicodeScalars.dropFirst().first else { return false }
    return second == "_" || second.properties.isAlphabetic
  }
}
