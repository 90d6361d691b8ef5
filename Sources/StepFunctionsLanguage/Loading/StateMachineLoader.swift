import StepFunctionsJSON

/// Turns a parsed definition into a typed ``StateMachineDefinition``, checking every field on
/// the way, then runs the whole-machine rules (``ValidationRules``). Loading never stops at the
/// first problem: it reports all of them.
public enum StateMachineLoader {
  /// The outcome of loading.
  public struct Result: Sendable {
    /// All problems found, with locations when the definition came from text.
    public var report: ValidationReport
    /// The typed definition, present when there is no error.
    public var definition: StateMachineDefinition?
  }

  /// Loads a parsed document, resolving every diagnostic's line and column.
  public static func load(
    _ document: JSONDocument, options: ValidationOptions = ValidationOptions()
  )
    -> Result
  {
    var sink = DiagnosticSink()
    for duplicate in document.duplicateKeys {
      sink.schema(
        "Duplicate field '\(duplicate.pointer.tokens.last ?? "")'",
        at: duplicate.pointer)
    }
    var (result, stringOffsets) = load(document.value, options: options, sink: sink)
    for index in result.report.diagnostics.indices {
      let pointer = result.report.diagnostics[index].pointer
      var location = document.location(of: pointer)
      if let inner = stringOffsets[index] {
        // A place inside a string: walk its literal, escapes included.
        let offset = StringLiteralText.byteOffset(
          in: document.source.bytes, quote: location.offset, utf16Offset: inner)
        location = document.source.location(ofOffset: offset)
      }
      result.report.diagnostics[index].location = location
    }
    result.report.source = document.source
    sortDiagnostics(&result.report.diagnostics)
    return result
  }

  /// Loads a definition given as UTF-8 JSON text, resolving every diagnostic's line and column.
  ///
  /// Most definitions have no diagnostics at all, and their locations are never asked for. So
  /// the text is first parsed without recording locations (duplicate keys refused, since those
  /// are reported) and loaded; only when that finds anything — a parse error, a duplicate key,
  /// an error or a warning — is the text parsed again with locations and loaded again, which
  /// gives exactly the report a single parse with locations gives.
  ///
  /// - Returns: the result, or the parse error of text that is not JSON.
  static func load(bytes: [UInt8], options: ValidationOptions) throws(JSONParseError) -> Result {
    if let value = try? JSONParser.parse(
      bytes, options: JSONParser.Options(rejectsDuplicateKeys: true))
    {
      var (result, _) = load(value, options: options, sink: DiagnosticSink())
      if result.report.diagnostics.isEmpty {
        result.report.source = SourceText(bytes)
        return result
      }
    }
    return load(try JSONParser.parseDocument(bytes), options: options)
  }

  /// Loads a definition given as a JSON value (diagnostics have no line and column).
  public static func load(_ value: JSON, options: ValidationOptions = ValidationOptions()) -> Result
  {
    var (result, _) = load(value, options: options, sink: DiagnosticSink())
    sortDiagnostics(&result.report.diagnostics)
    return result
  }

  /// The result, and the offsets inside string values of the diagnostics that have one (see
  /// ``DiagnosticSink/stringOffsets``).
  static func load(_ value: JSON, options: ValidationOptions, sink: DiagnosticSink) -> (
    Result, [Int: Int]
  ) {
    var loader = Loader(options: options, sink: sink)
    let definition = loader.loadMachine(value)
    if let definition {
      ValidationRules.check(definition, options: options, sink: &loader.sink)
    }
    let report = ValidationReport(diagnostics: loader.sink.diagnostics, source: nil)
    return (
      Result(report: report, definition: report.hasErrors ? nil : definition),
      loader.sink.stringOffsets
    )
  }

  /// Errors before warnings; within a severity, document order by location when known, else by
  /// the order found.
  static func sortDiagnostics(_ diagnostics: inout [Diagnostic]) {
    let indexed = diagnostics.enumerated().map { ($0.offset, $0.element) }
    diagnostics = indexed.sorted { lhs, rhs in
      if lhs.1.severity != rhs.1.severity { return lhs.1.severity < rhs.1.severity }
      if let left = lhs.1.location?.offset, let right = rhs.1.location?.offset, left != right {
        return left < right
      }
      return lhs.0 < rhs.0
    }.map(\.1)
  }
}

extension StateMachineDefinition {
  /// Loads and validates a definition from JSON text. Throws ``DefinitionError`` with every
  /// diagnostic when the definition has errors.
  public init(json text: String, options: ValidationOptions = ValidationOptions())
    throws(DefinitionError)
  {
    try self.init(bytes: Array(text.utf8), options: options)
  }

  /// Loads and validates a definition from UTF-8 JSON bytes. A text longer than
  /// ``ValidationOptions/maximumDefinitionBytes`` is refused before it is parsed.
  public init(bytes: [UInt8], options: ValidationOptions = ValidationOptions())
    throws(DefinitionError)
  {
    if let tooLarge = options.sizeDiagnostic(byteCount: bytes.count) {
      throw DefinitionError(report: ValidationReport(diagnostics: [tooLarge], source: nil))
    }
    let result: StateMachineLoader.Result
    do {
      result = try StateMachineLoader.load(bytes: bytes, options: options)
    } catch {
      // The validator words parse failures as AWS does (empty input is not INVALID_JSON).
      throw DefinitionError(
        report: ValidationReport(
          diagnostics: [Validator.diagnostic(for: error)], source: SourceText(bytes)))
    }
    guard let definition = result.definition else { throw DefinitionError(report: result.report) }
    self = definition
  }

  /// Loads and validates a definition from a JSON value. The value is held to
  /// ``ValidationOptions/maximumDefinitionBytes`` by the length of its compact serialization.
  public init(value: JSON, options: ValidationOptions = ValidationOptions()) throws(DefinitionError)
  {
    if let limit = options.maximumDefinitionBytes, value.serializedByteBound > limit,
      let tooLarge = options.sizeDiagnostic(byteCount: value.serializedByteCount)
    {
      throw DefinitionError(report: ValidationReport(diagnostics: [tooLarge], source: nil))
    }
    let result = StateMachineLoader.load(value, options: options)
    guard let definition = result.definition else { throw DefinitionError(report: result.report) }
    self = definition
  }
}

/// A definition that failed validation, with everything that is wrong with it.
public struct DefinitionError: Error, Sendable, CustomStringConvertible {
  /// The diagnostics, errors first.
  public var report: ValidationReport

  /// One line per error: `line:column: message [CODE]` (or the pointer when there is no
  /// location, and only `message [CODE]` when the error is about the whole definition).
  public var description: String {
    report.errors.map { diagnostic in
      let place = diagnostic.location.map(\.description) ?? diagnostic.pointer.description
      return (place.isEmpty ? "" : "\(place): ") + "\(diagnostic.message) [\(diagnostic.code)]"
    }.joined(separator: "\n")
  }
}

/// The kinds of state graph, which differ in the fields they allow.
enum GraphKind {
  case top
  case branch
  case processor
}

/// Walks a definition, building the model and collecting diagnostics.
struct Loader {
  let options: ValidationOptions
  var sink: DiagnosticSink
  var machineLanguage: QueryLanguage = .jsonPath
  /// The state being loaded (its pointer), to name JSONata fields relative to it.
  var statePointer: JSONPointer = []
  /// Transitions of the graph being loaded that were dropped because their `Next` was missing or
  /// not a string (already reported).
  var unresolvedTransitions = 0

  init(options: ValidationOptions, sink: DiagnosticSink) {
    self.options = options
    self.sink = sink
  }

  mutating func loadMachine(_ value: JSON) -> StateMachineDefinition? {
    guard case .object(let object) = value else {
      sink.schema("Definition must be a valid JSON object", at: [])
      return nil
    }
    let reader = FieldReader(object: object, pointer: [])
    reader.rejectUnknown(
      allowed: ["Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage"], &sink
    )
    machineLanguage = queryLanguage(reader) ?? .jsonPath
    let version = reader.string("Version", &sink)
    let timeout = reader.integer("TimeoutSeconds", in: 0...99_999_999, &sink)
    guard let graph = loadGraph(reader, kind: .top, depth: 0) else { return nil }
    return StateMachineDefinition(
      graph: graph, comment: graph.comment, version: version, timeoutSeconds: timeout,
      queryLanguage: machineLanguage, json: value)
  }

  /// Reads `QueryLanguage`. Only the exact strings `JSONPath` and `JSONata` are valid; any other
  /// value is reported, and the rest of the state is checked in the language it most likely
  /// meant (a different spelling of either name, else the inherited language), so that one typo
  /// does not also report every field as belonging to the other language.
  mutating func queryLanguage(_ reader: FieldReader) -> QueryLanguage? {
    guard let value = reader.raw("QueryLanguage") else { return nil }
    guard case .string(let text) = value else {
      sink.schema(
        "The value for the field 'QueryLanguage' must be a STRING",
        at: reader.pointer.appending("QueryLanguage"))
      return nil
    }
    if let language = QueryLanguage(rawValue: text) { return language }
    sink.schema(
      "The value for the field 'QueryLanguage' must be one of [JSONPath, JSONata]",
      at: reader.pointer.appending("QueryLanguage"))
    switch text.lowercased() {
    case "jsonata": return .jsonata
    case "jsonpath": return .jsonPath
    default: return nil
    }
  }

  mutating func loadGraph(_ reader: FieldReader, kind: GraphKind, depth: Int) -> StateGraph? {
    if kind != .top {
      var allowed: Set<String> = ["StartAt", "States", "Comment"]
      if kind == .processor { allowed.insert("ProcessorConfig") }
      reader.rejectUnknown(allowed: allowed, &sink)
    }
    let hasRequired = reader.requireFields(["States", "StartAt"], &sink)
    let startAt = reader.string("StartAt", &sink)
    let comment = reader.string("Comment", &sink)
    guard hasRequired, let statesReader = reader.reader(for: "States", &sink), let startAt else {
      return nil
    }
    if statesReader.object.isEmpty {
      sink.schema("The field 'States' must not be empty", at: statesReader.pointer)
    }
    var states: [State] = []
    let outerUnresolved = unresolvedTransitions
    unresolvedTransitions = 0
    defer { unresolvedTransitions = outerUnresolved }
    for (name, value) in statesReader.object {
      let pointer = statesReader.pointer.appending(name)
      guard case .object(let stateObject) = value else {
        sink.schema("The value for the state '\(name)' must be an OBJECT", at: pointer)
        continue
      }
      if let state = loadState(
        name: name, reader: FieldReader(object: stateObject, pointer: pointer), depth: depth)
      {
        states.append(state)
      }
    }
    var graph = StateGraph(
      startAt: startAt, states: states, comment: comment, pointer: reader.pointer)
    graph.declaredNames = statesReader.object.keys
    graph.hasUnresolvedTransitions = unresolvedTransitions > 0
    return graph
  }
}
