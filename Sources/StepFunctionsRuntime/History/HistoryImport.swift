import StepFunctionsJSON

extension ExecutionHistory {
  /// Imports a history from JSON text: what `aws stepfunctions get-execution-history` prints (an
  /// object with `events`, AWS CLI v1 or v2, or an SDK's response dumped as JSON), a bare array
  /// of events, or `sfn run --format json --history` output.
  ///
  /// Timestamps may be ISO 8601 text with any offset and precision, or epoch seconds. Payloads
  /// (`input`, `output`, `parameters`, assigned variables) are decoded from their JSON text into
  /// the typed ``HistoryEvent/details`` the executor records, so that importing what ``awsJSON``
  /// or ``awsCLIText`` exported gives back the same events. Truncated and left-out payloads are
  /// kept as written (``HistoryEvent/unparsedPayloads``), unknown event types and members are
  /// kept (``HistoryEvent/retainedMembers``), and both are reported in ``importWarnings``.
  ///
  /// - Parameters:
  ///   - bytes: The file's content, UTF-8.
  ///   - fileName: The name errors and warnings show.
  /// - Throws: ``HistoryImportError`` saying which event and member is wrong, what was expected,
  ///   and where in the file (line and column).
  public init(importing bytes: [UInt8], fileName: String? = nil) throws(HistoryImportError) {
    let document: JSONDocument
    do {
      document = try JSONParser.parseDocument(bytes)
    } catch {
      throw HistoryImportError(
        kind: .invalidJSON, message: "the file is not valid JSON: \(error.message)",
        location: error.location, fileName: fileName)
    }
    try self.init(importing: document, fileName: fileName)
  }

  /// Imports a history from a parsed document; errors and warnings carry its line and column
  /// numbers. See `init(importing:fileName:)` (bytes).
  public init(importing document: JSONDocument, fileName: String? = nil)
    throws(HistoryImportError)
  {
    var importer = HistoryImporter(document: document, fileName: fileName)
    self = try importer.history(from: document.value)
  }

  /// Imports a history from a JSON value (no line and column numbers in errors). See
  /// `init(importing:fileName:)` (bytes).
  public init(importing value: JSON) throws(HistoryImportError) {
    var importer = HistoryImporter(document: nil, fileName: nil)
    self = try importer.history(from: value)
  }
}

/// Reads the JSON of an exported history into ``HistoryEvent`` values.
struct HistoryImporter {
  let document: JSONDocument?
  let fileName: String?
  private(set) var warnings: [HistoryImportWarning] = []
  /// The position in `warnings` of each (kind, name) reported.
  private var warningPositions: [String: Int] = [:]
  /// The event being read, for errors and warnings.
  private var eventIndex: Int?
  private var eventId: Int?
  private var eventType: String?

  init(document: JSONDocument?, fileName: String?) {
    self.document = document
    self.fileName = fileName
  }

  // MARK: The whole history

  mutating func history(from value: JSON) throws(HistoryImportError) -> ExecutionHistory {
    let (elements, base) = try eventList(value)
    var events: [HistoryEvent] = []
    events.reserveCapacity(elements.count)
    for (index, element) in elements.enumerated() {
      events.append(try event(element, at: base.appending(index), index: index))
    }
    eventIndex = nil
    eventId = nil
    eventType = nil
    try putInOrder(&events, base: base)
    var history = ExecutionHistory(events: events)
    history.importWarnings = warnings
    return history
  }

  /// The array of events and its pointer.
  private mutating func eventList(_ value: JSON) throws(HistoryImportError) -> ([JSON], JSONPointer)
  {
    switch value {
    case .array(let elements):
      return (elements, JSONPointer())
    case .object(let object):
      guard let events = object["events"] else {
        throw problem(
          .missingMember,
          "expected an object with an \"events\" array (what aws stepfunctions get-execution-history prints) or an array of events; the object has no \"events\"",
          at: JSONPointer())
      }
      guard case .array(let elements) = events else {
        throw problem(
          .wrongType, "\"events\" must be an array of events, not \(Self.describe(events))",
          at: ["events"])
      }
      for (key, _) in object where key != "events" {
        switch key {
        case "nextToken", "NextToken":
          warn(
            .incompleteHistory, name: key,
            "the file has a \"\(key)\": more events can be fetched, so the history may be incomplete (the AWS CLI fetches every page unless told not to)",
            at: [key])
        case "ResponseMetadata", "status", "output", "error", "cause":
          // An SDK response's metadata; the rest of `sfn run --format json --history` output.
          break
        default:
          warn(
            .unknownMember, name: key,
            "the member \"\(key)\" beside \"events\" is not part of a history; it is ignored",
            at: [key])
        }
      }
      return (elements, ["events"])
    default:
      throw problem(
        .notAHistory,
        "expected an object with an \"events\" array (what aws stepfunctions get-execution-history prints) or an array of events, not \(Self.describe(value))",
        at: JSONPointer())
    }
  }

  /// Checks that ids increase; puts newest-first histories back in order; reports gaps.
  private mutating func putInOrder(_ events: inout [HistoryEvent], base: JSONPointer)
    throws(HistoryImportError)
  {
    guard events.count > 1 else {
      reportGaps(events, base: base)
      return
    }
    let descending = zip(events, events.dropFirst()).allSatisfy { $0.id > $1.id }
    if descending {
      warn(
        .reversedOrder, name: "order",
        "the events are listed newest first (--reverse-order); they were put back in order",
        at: base)
      events.reverse()
      reportGaps(events, base: base)
      return
    }
    var seen: [Int: Int] = [:]
    for (index, event) in events.enumerated() {
      if let first = seen[event.id] {
        eventIndex = index
        eventId = event.id
        eventType = event.type
        throw problem(
          .invalidEventOrder,
          "the id \(event.id) is also the id of events[\(first)]: ids must be unique",
          at: base.appending(index).appending("id"))
      }
      seen[event.id] = index
      if index > 0, event.id < events[index - 1].id {
        eventIndex = index
        eventId = event.id
        eventType = event.type
        throw problem(
          .invalidEventOrder,
          "the id \(event.id) comes after \(events[index - 1].id): events must be listed in the order of their ids",
          at: base.appending(index).appending("id"))
      }
    }
    reportGaps(events, base: base)
  }

  private mutating func reportGaps(_ events: [HistoryEvent], base: JSONPointer) {
    var expected = 1
    var missing = 0
    var first: (index: Int, event: HistoryEvent, after: Int)?
    for (index, event) in events.enumerated() {
      if event.id != expected {
        // Saturating: ids near Int.max must not trap.
        let (sum, overflow) = missing.addingReportingOverflow(event.id - expected)
        missing = overflow ? Int.max : sum
        if first == nil { first = (index, event, expected - 1) }
      }
      expected = event.id == Int.max ? Int.max : event.id + 1
    }
    guard let first else { return }
    eventIndex = first.index
    eventId = first.event.id
    eventType = first.event.type
    let gap =
      first.after == 0
      ? "the first event has id \(first.event.id), not 1"
      : "the ids jump from \(first.after) to \(first.event.id)"
    warn(
      .missingEvents, name: "ids",
      "\(missing) event\(missing == 1 ? " is" : "s are") missing: \(gap)",
      at: base.appending(first.index).appending("id"))
    eventIndex = nil
    eventId = nil
    eventType = nil
  }

  // MARK: One event

  private static let eventKeys: Set<String> = ["timestamp", "type", "id", "previousEventId"]

  private mutating func event(_ value: JSON, at pointer: JSONPointer, index: Int)
    throws(HistoryImportError) -> HistoryEvent
  {
    eventIndex = index
    eventId = nil
    eventType = nil
    guard case .object(let object) = value else {
      throw problem(
        .wrongType, "an event must be an object, not \(Self.describe(value))", at: pointer)
    }
    let type = try string("type", in: object, at: pointer, required: true) ?? ""
    eventType = type
    guard let id = try integer("id", in: object, at: pointer, required: true, minimum: 1) else {
      throw problem(.missingMember, "the event has no \"id\"", at: pointer)
    }
    eventId = id
    let previous =
      try integer("previousEventId", in: object, at: pointer, required: false, minimum: 0) ?? 0
    guard let timestampValue = object["timestamp"] else {
      throw problem(.missingMember, "the event has no \"timestamp\"", at: pointer)
    }
    let timestamp: Instant
    switch HistoryTimestamp.instant(timestampValue) {
    case .success(let instant): timestamp = instant
    case .failure(.wrongType):
      throw problem(
        .wrongType,
        "\"timestamp\" must be an ISO 8601 string (2024-11-18T14:06:54.574+01:00) or a number of seconds since 1970, not \(Self.describe(timestampValue))",
        at: pointer.appending("timestamp"))
    case .failure(.invalid(let reason)):
      throw problem(
        .invalidValue,
        "\"timestamp\" \(Self.describe(timestampValue)) is not a timestamp: \(reason)",
        at: pointer.appending("timestamp"))
    }

    let isKnown = HistorySchema.eventTypes.contains(type)
    let detailsKey: String?
    if isKnown {
      detailsKey = HistorySchema.detailsKey(forEventType: type)
    } else {
      detailsKey = object.keys.first { $0.hasSuffix("EventDetails") }
      warn(
        .unknownEventType, name: type,
        "the event type \"\(type)\" is not one this version knows; the event is kept as written",
        at: pointer.appending("type"))
    }
    var parts = ImportedParts()
    var details = HistoryEvent.Details.none
    if let detailsKey {
      if let raw = object[detailsKey] {
        details = try self.details(
          raw, key: detailsKey, at: pointer.appending(detailsKey), parts: &parts)
      } else if isKnown, HistorySchema.details[detailsKey]?.isRequired == true {
        throw problem(
          .missingMember, "a \(type) event needs \"\(detailsKey)\"", at: pointer)
      }
    }
    for (key, member) in object where !Self.eventKeys.contains(key) && key != detailsKey {
      parts.retainedMembers.append(key: key, value: member)
      let message =
        HistorySchema.details[key] != nil
        ? "\"\(key)\" does not belong to a \(type) event; it is kept as written"
        : "the member \"\(key)\" is not one this version knows; it is kept as written"
      warn(.unknownMember, name: key, message, at: pointer.appending(key))
    }
    var event = HistoryEvent(
      id: id, previousEventId: previous, timestamp: timestamp, type: type, details: details)
    event.imported = ImportedPartsStorage(parts)
    return event
  }

  // MARK: Details

  private mutating func details(
    _ raw: JSON, key: String, at pointer: JSONPointer, parts: inout ImportedParts
  ) throws(HistoryImportError) -> HistoryEvent.Details {
    guard case .object(let object) = raw else {
      throw problem(
        .wrongType, "\"\(key)\" must be an object, not \(Self.describe(raw))", at: pointer)
    }
    guard let schema = HistorySchema.details[key] else {
      return .fields(key: key, object)
    }
    for member in schema.members where member.isRequired && object[member.name] == nil {
      throw problem(.missingMember, "\"\(key)\" needs \"\(member.name)\"", at: pointer)
    }
    if schema.shape == .fields {
      return try fields(object, key: key, schema: schema, at: pointer, parts: &parts)
    }
    var reader = TypedMembers(object: object, key: key, pointer: pointer)
    let details: HistoryEvent.Details
    switch schema.shape {
    case .stateEntered:
      let name = try string("name", in: object, at: pointer, required: true) ?? ""
      let input = try payload("input", of: &reader, parts: &parts)
      details = .stateEntered(name: name, input: input ?? .null)
    case .stateExited:
      let name = try string("name", in: object, at: pointer, required: true) ?? ""
      let output = try payload("output", of: &reader, parts: &parts)
      let assigned = try assignedVariables(of: &reader, parts: &parts)
      details = .stateExited(name: name, output: output ?? .null, assignedVariables: assigned)
    case .executionStarted:
      let input = try payload("input", of: &reader, parts: &parts)
      let role = try string("roleArn", in: object, at: pointer, required: true) ?? ""
      for name in ["stateMachineAliasArn", "stateMachineVersionArn"] {
        if let value = object[name] {
          _ = try string(name, in: object, at: pointer, required: false)
          reader.retain(name, value, in: &parts)
        }
      }
      details = .executionStarted(input: input ?? .null, roleArn: role)
    case .executionSucceeded:
      let output = try payload("output", of: &reader, parts: &parts)
      details = .executionSucceeded(output: output ?? .null)
    case .failure:
      details = .failure(
        key: key, error: try string("error", in: object, at: pointer, required: false),
        cause: try string("cause", in: object, at: pointer, required: false))
    case .mapStateStarted:
      let length = try integer("length", in: object, at: pointer, required: true, minimum: 0) ?? 0
      details = .mapStateStarted(length: length)
    case .mapIteration:
      let name = try string("name", in: object, at: pointer, required: true) ?? ""
      let index = try integer("index", in: object, at: pointer, required: true, minimum: 0) ?? 0
      details = .mapIteration(key: key, name: name, index: index)
    case .fields:
      details = .fields(key: key, object)
    }
    for (name, value) in object where !schema.names.contains(name) {
      reader.retain(name, value, in: &parts)
      warn(
        .unknownMember, name: "\(key)/\(name)",
        "the member \"\(name)\" of \"\(key)\" is not one this version knows; it is kept as written",
        at: pointer.appending(name))
    }
    return details
  }

  /// The members of a typed details object, and what is kept of them beside the typed value.
  private struct TypedMembers {
    let object: JSONObject
    let key: String
    let pointer: JSONPointer

    /// Keeps `name: value` of this details object in the event's retained members.
    func retain(_ name: String, _ value: JSON, in parts: inout ImportedParts) {
      retain([name], value, in: &parts)
    }

    /// Keeps `value` at `path` inside this details object in the event's retained members.
    func retain(_ path: [String], _ value: JSON, in parts: inout ImportedParts) {
      parts.retainedMembers = TypedMembers.setting(
        value, at: [key] + path, in: parts.retainedMembers)
    }

    private static func setting(_ value: JSON, at path: [String], in object: JSONObject)
      -> JSONObject
    {
      var object = object
      guard let first = path.first else { return object }
      if path.count == 1 {
        object[first] = value
      } else {
        let inner = object[first]?.objectValue ?? JSONObject()
        object[first] = .object(setting(value, at: Array(path.dropFirst()), in: inner))
      }
      return object
    }
  }

  /// A payload of a typed details object, decoded; `nil` when it is truncated or left out (then
  /// it is recorded in `parts`).
  private mutating func payload(
    _ name: String, of reader: inout TypedMembers, parts: inout ImportedParts
  ) throws(HistoryImportError) -> JSON? {
    let flagName = name + "Details"
    let flag = reader.object[flagName]
    let truncated = try self.flag(flagName, in: reader.object, at: reader.pointer) {
      reader.retain([flagName, $0], $1, in: &parts)
    }
    let memberPointer = reader.pointer.appending(name)
    let location = JSONPointer([reader.key, name])
    guard let value = reader.object[name] else {
      parts.unparsedPayloads.append(
        HistoryEvent.UnparsedPayload(pointer: location, value: nil, isTruncated: truncated))
      if let flag { reader.retain(flagName, flag, in: &parts) }
      warn(
        .omittedPayload, name: "\(reader.key)/\(name)",
        "the history leaves out \"\(name)\" (fetched without execution data); events that need it cannot be reproduced",
        at: reader.pointer)
      return nil
    }
    guard case .string(let text) = value else {
      throw problem(
        .wrongType,
        "\"\(name)\" must be a string holding JSON text, not \(Self.describe(value))",
        at: memberPointer)
    }
    if truncated {
      parts.unparsedPayloads.append(
        HistoryEvent.UnparsedPayload(pointer: location, value: value, isTruncated: true))
      reportTruncated(name, key: reader.key, at: memberPointer)
      return nil
    }
    return try decode(text, at: memberPointer)
  }

  /// The `assignedVariables` of a `stateExitedEventDetails`, decoded.
  private mutating func assignedVariables(
    of reader: inout TypedMembers, parts: inout ImportedParts
  ) throws(HistoryImportError) -> JSONObject? {
    let flagName = "assignedVariablesDetails"
    let truncated = try flag(flagName, in: reader.object, at: reader.pointer) {
      reader.retain([flagName, $0], $1, in: &parts)
    }
    guard let raw = reader.object["assignedVariables"] else {
      if let flag = reader.object[flagName] { reader.retain(flagName, flag, in: &parts) }
      return nil
    }
    let pointer = reader.pointer.appending("assignedVariables")
    guard case .object(let texts) = raw else {
      throw problem(
        .wrongType,
        "\"assignedVariables\" must be an object of JSON texts, not \(Self.describe(raw))",
        at: pointer)
    }
    if truncated {
      parts.unparsedPayloads.append(
        HistoryEvent.UnparsedPayload(
          pointer: [reader.key, "assignedVariables"], value: raw, isTruncated: true))
      reportTruncated("assignedVariables", key: reader.key, at: pointer)
      return nil
    }
    if texts.isEmpty {
      // The typed details write no empty object; keep it as written.
      reader.retain("assignedVariables", raw, in: &parts)
      if let flag = reader.object[flagName] { reader.retain(flagName, flag, in: &parts) }
      return nil
    }
    var values = JSONObject(minimumCapacity: texts.count)
    for (name, value) in texts {
      guard case .string(let text) = value else {
        throw problem(
          .wrongType,
          "the assigned variable \"\(name)\" must be a string holding JSON text, not \(Self.describe(value))",
          at: pointer.appending(name))
      }
      values.append(key: name, value: try decode(text, at: pointer.appending(name)))
    }
    return values
  }

  /// Reads a `…Details` flag object (`{"truncated": false}`): whether it says truncated. Members
  /// other than `truncated` are handed to `keep` and reported.
  private mutating func flag(
    _ name: String, in object: JSONObject, at pointer: JSONPointer,
    keep: (String, JSON) -> Void
  ) throws(HistoryImportError) -> Bool {
    guard let raw = object[name] else { return false }
    let flagPointer = pointer.appending(name)
    guard case .object(let flag) = raw else {
      throw problem(
        .wrongType,
        "\"\(name)\" must be an object like {\"truncated\": false}, not \(Self.describe(raw))",
        at: flagPointer)
    }
    var truncated = false
    for (member, value) in flag {
      if member == "truncated" {
        guard case .bool(let flag) = value else {
          throw problem(
            .wrongType, "\"truncated\" must be true or false, not \(Self.describe(value))",
            at: flagPointer.appending(member))
        }
        truncated = flag
      } else {
        keep(member, value)
        warn(
          .unknownMember, name: "\(name)/\(member)",
          "the member \"\(member)\" of \"\(name)\" is not one this version knows; it is kept as written",
          at: flagPointer.appending(member))
      }
    }
    return truncated
  }

  /// A details object kept as ``HistoryEvent/Details/fields(key:_:payloads:)``: each known member
  /// checked, payloads decoded, unknown members kept in place.
  private mutating func fields(
    _ object: JSONObject, key: String, schema: HistorySchema.Details, at pointer: JSONPointer,
    parts: inout ImportedParts
  ) throws(HistoryImportError) -> HistoryEvent.Details {
    var fields = JSONObject(minimumCapacity: object.count)
    var payloads: Set<String> = []
    for (name, value) in object {
      let memberPointer = pointer.appending(name)
      guard let member = schema.member(named: name) else {
        warn(
          .unknownMember, name: "\(key)/\(name)",
          "the member \"\(name)\" of \"\(key)\" is not one this version knows; it is kept as written",
          at: memberPointer)
        fields.append(key: name, value: value)
        continue
      }
      switch member.type {
      case .string:
        _ = try string(name, in: object, at: pointer, required: false)
        fields.append(key: name, value: value)
      case .integer:
        _ = try integer(name, in: object, at: pointer, required: false, minimum: 0)
        fields.append(key: name, value: value)
      case .flag:
        _ = try flag(name, in: object, at: pointer) { _, _ in }
        fields.append(key: name, value: value)
      case .credentials:
        guard case .object(let credentials) = value else {
          throw problem(
            .wrongType,
            "\"\(name)\" must be an object like {\"roleArn\": \"…\"}, not \(Self.describe(value))",
            at: memberPointer)
        }
        _ = try string("roleArn", in: credentials, at: memberPointer, required: false)
        for (inner, _) in credentials where inner != "roleArn" {
          warn(
            .unknownMember, name: "\(key)/\(name)/\(inner)",
            "the member \"\(inner)\" of \"\(name)\" is not one this version knows; it is kept as written",
            at: memberPointer.appending(inner))
        }
        fields.append(key: name, value: value)
      case .payload:
        guard case .string(let text) = value else {
          throw problem(
            .wrongType,
            "\"\(name)\" must be a string holding JSON text, not \(Self.describe(value))",
            at: memberPointer)
        }
        if Self.saysTruncated(object[name + "Details"]) {
          parts.unparsedPayloads.append(
            HistoryEvent.UnparsedPayload(pointer: [key, name], value: value, isTruncated: true))
          reportTruncated(name, key: key, at: memberPointer)
          fields.append(key: name, value: value)
        } else {
          fields.append(key: name, value: try decode(text, at: memberPointer))
          payloads.insert(name)
        }
      }
    }
    for member in schema.members where member.type == .payload && object[member.name] == nil {
      let truncated = Self.saysTruncated(object[member.name + "Details"])
      parts.unparsedPayloads.append(
        HistoryEvent.UnparsedPayload(
          pointer: [key, member.name], value: nil, isTruncated: truncated))
      warn(
        .omittedPayload, name: "\(key)/\(member.name)",
        "the history leaves out \"\(member.name)\" (fetched without execution data); events that need it cannot be reproduced",
        at: pointer)
    }
    return .fields(key: key, fields, payloads: payloads)
  }

  /// Whether a `…Details` flag object says `truncated: true` (checked elsewhere).
  private static func saysTruncated(_ flag: JSON?) -> Bool {
    flag?["truncated"] == .bool(true)
  }

  private mutating func reportTruncated(_ name: String, key: String, at pointer: JSONPointer) {
    warn(
      .truncatedPayload, name: "truncated",
      "Step Functions truncated \"\(name)\" in \"\(key)\": its text is kept, but what follows this event cannot be reproduced exactly",
      at: pointer)
  }

  /// The value of a payload's JSON text.
  private func decode(_ text: String, at pointer: JSONPointer) throws(HistoryImportError) -> JSON {
    do {
      return try JSONParser.parse(Array(text.utf8))
    } catch {
      throw problem(
        .invalidPayload,
        "the JSON text is not valid (and not marked truncated): \(error.location.line):\(error.location.column) of the text: \(error.message)",
        at: pointer)
    }
  }

  // MARK: Members

  private func string(
    _ name: String, in object: JSONObject, at pointer: JSONPointer, required: Bool
  ) throws(HistoryImportError) -> String? {
    guard let value = object[name] else {
      if required {
        throw problem(.missingMember, "the member \"\(name)\" is missing", at: pointer)
      }
      return nil
    }
    guard case .string(let text) = value else {
      throw problem(
        .wrongType, "\"\(name)\" must be a string, not \(Self.describe(value))",
        at: pointer.appending(name))
    }
    return text
  }

  private func integer(
    _ name: String, in object: JSONObject, at pointer: JSONPointer, required: Bool, minimum: Int
  ) throws(HistoryImportError) -> Int? {
    guard let value = object[name] else {
      if required {
        throw problem(.missingMember, "the member \"\(name)\" is missing", at: pointer)
      }
      return nil
    }
    guard case .number(let number) = value else {
      throw problem(
        .wrongType, "\"\(name)\" must be a number, not \(Self.describe(value))",
        at: pointer.appending(name))
    }
    guard let integer = number.intValue, integer >= minimum else {
      throw problem(
        .invalidValue, "\"\(name)\" must be a whole number from \(minimum), not \(number)",
        at: pointer.appending(name))
    }
    return integer
  }

  // MARK: Reporting

  private func problem(_ kind: HistoryImportError.Kind, _ message: String, at pointer: JSONPointer)
    -> HistoryImportError
  {
    HistoryImportError(
      kind: kind, message: message, pointer: pointer, eventIndex: eventIndex, eventId: eventId,
      eventType: eventType, location: document?.location(of: pointer), fileName: fileName)
  }

  private mutating func warn(
    _ kind: HistoryImportWarning.Kind, name: String, _ message: String, at pointer: JSONPointer
  ) {
    let identity = kind.rawValue + "\u{0}" + name
    if let position = warningPositions[identity] {
      warnings[position].occurrences += 1
      return
    }
    warningPositions[identity] = warnings.count
    warnings.append(
      HistoryImportWarning(
        kind: kind, message: message, pointer: pointer, eventIndex: eventIndex, eventId: eventId,
        eventType: eventType, location: document?.location(of: pointer), fileName: fileName))
  }

  /// A short description of a value for messages: `a string "…"`, `the number 3`, `an array`.
  static func describe(_ value: JSON) -> String {
    switch value {
    case .null: return "null"
    case .bool(let flag): return flag ? "true" : "false"
    case .number(let number): return "the number \(number)"
    case .string(let text):
      let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
      return "the string \(JSON.string(shown).serialized())"
    case .array: return "an array"
    case .object: return "an object"
    }
  }
}
