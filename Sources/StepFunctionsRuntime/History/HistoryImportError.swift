import StepFunctionsJSON

/// Why a file could not be imported as an execution history: what was wrong, in which event and
/// member, and where in the file.
///
/// ```
/// h.json:57:23: error: event 4 (TaskScheduled, events[3]) at /events/3/taskScheduledEventDetails/parameters: the JSON text is not valid: 1:17: expected a value [invalidPayload]
/// ```
public struct HistoryImportError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The kind of problem.
  public enum Kind: String, Sendable, Hashable {
    /// The file is not JSON text.
    case invalidJSON
    /// The JSON is neither an object with `events` nor an array of events.
    case notAHistory
    /// A member the history needs is absent (`type`, `id`, `timestamp`, a state's `name`, ...).
    case missingMember
    /// A member has the wrong JSON type (a string where a number belongs, ...).
    case wrongType
    /// A member has the right type but a value that cannot be (a timestamp that is not a date, a
    /// negative id, ...).
    case invalidValue
    /// A payload (`input`, `output`, `parameters`, an assigned variable) that is not marked
    /// truncated holds text that is not JSON.
    case invalidPayload
    /// Event ids repeat or are out of order.
    case invalidEventOrder
  }

  /// The kind of problem.
  public var kind: Kind
  /// What is wrong and what was expected.
  public var message: String
  /// Where in the file's JSON, e.g. `/events/3/timestamp` (empty for the whole file).
  public var pointer: JSONPointer
  /// The position of the event in the file's list of events, when the problem is in one.
  public var eventIndex: Int?
  /// The event's `id`, when it could be read.
  public var eventId: Int?
  /// The event's `type`, when it could be read.
  public var eventType: String?
  /// The line and column in the file, when the history was imported from text.
  public var location: SourceLocation?
  /// The file name given to the importer, if any.
  public var fileName: String?

  /// Creates an error.
  public init(
    kind: Kind, message: String, pointer: JSONPointer = JSONPointer(), eventIndex: Int? = nil,
    eventId: Int? = nil, eventType: String? = nil, location: SourceLocation? = nil,
    fileName: String? = nil
  ) {
    self.kind = kind
    self.message = message
    self.pointer = pointer
    self.eventIndex = eventIndex
    self.eventId = eventId
    self.eventType = eventType
    self.location = location
    self.fileName = fileName
  }

  /// `FILE:LINE:COLUMN: error: event ID (TYPE, events[INDEX]) at POINTER: MESSAGE [KIND]`,
  /// leaving out what is not known.
  public var description: String {
    HistoryImportError.render(
      severity: "error", message: message, kind: kind.rawValue, pointer: pointer,
      eventIndex: eventIndex, eventId: eventId, eventType: eventType, location: location,
      fileName: fileName)
  }

  static func render(
    severity: String, message: String, kind: String, pointer: JSONPointer, eventIndex: Int?,
    eventId: Int?, eventType: String?, location: SourceLocation?, fileName: String?
  ) -> String {
    var text = ""
    if let fileName { text += fileName + ":" }
    if let location { text += "\(location.line):\(location.column):" }
    if !text.isEmpty { text += " " }
    text += severity + ": "
    var event: [String] = []
    if let eventType { event.append(eventType) }
    if let eventIndex { event.append("events[\(eventIndex)]") }
    if let eventId {
      text += "event \(eventId)" + (event.isEmpty ? "" : " (\(event.joined(separator: ", ")))")
    } else if !event.isEmpty {
      text += "event (\(event.joined(separator: ", ")))"
    }
    if !pointer.tokens.isEmpty {
      text += (text.hasSuffix(": ") ? "" : " ") + "at \(pointer)"
    }
    if !text.hasSuffix(": ") { text += ": " }
    return text + message + " [\(kind)]"
  }
}

/// Something importing a history noticed without refusing it. Warnings of one kind about one
/// name (an event type, a member) are reported once, with the first place and the count.
public struct HistoryImportWarning: Sendable, Hashable, CustomStringConvertible {
  /// The kind of warning.
  public enum Kind: String, Sendable, Hashable {
    /// An event type this version does not know; the event is kept, its details as written.
    case unknownEventType
    /// A member this version does not know, or one that does not belong to the event's type;
    /// it is kept and written back on export.
    case unknownMember
    /// A payload marked `truncated: true`: its text is kept, but not its value, so what follows
    /// the event cannot be reproduced exactly.
    case truncatedPayload
    /// A payload the history leaves out (fetched with `--no-include-execution-data`).
    case omittedPayload
    /// Event ids skip numbers or do not start at 1: events are missing.
    case missingEvents
    /// The events were listed newest first (`--reverse-order`); they were put back in order.
    case reversedOrder
    /// The file says more events can be fetched (`nextToken`): the history may be incomplete.
    case incompleteHistory
  }

  /// The kind of warning.
  public var kind: Kind
  /// What was noticed.
  public var message: String
  /// The first place it was noticed, e.g. `/events/3/taskScheduledEventDetails/foo`.
  public var pointer: JSONPointer
  /// The position of the first event concerned in the file's list of events.
  public var eventIndex: Int?
  /// The `id` of the first event concerned.
  public var eventId: Int?
  /// The `type` of the first event concerned.
  public var eventType: String?
  /// How many times it was noticed.
  public var occurrences: Int
  /// The line and column of the first occurrence, when the history was imported from text.
  public var location: SourceLocation?
  /// The file name given to the importer, if any.
  public var fileName: String?

  /// Creates a warning.
  public init(
    kind: Kind, message: String, pointer: JSONPointer = JSONPointer(), eventIndex: Int? = nil,
    eventId: Int? = nil, eventType: String? = nil, occurrences: Int = 1,
    location: SourceLocation? = nil, fileName: String? = nil
  ) {
    self.kind = kind
    self.message = message
    self.pointer = pointer
    self.eventIndex = eventIndex
    self.eventId = eventId
    self.eventType = eventType
    self.occurrences = occurrences
    self.location = location
    self.fileName = fileName
  }

  /// `FILE:LINE:COLUMN: warning: event ID (TYPE, events[INDEX]) at POINTER: MESSAGE [KIND]`,
  /// with the number of occurrences when there are several.
  public var description: String {
    let count = occurrences > 1 ? " (\(occurrences) times; the first is shown)" : ""
    return HistoryImportError.render(
      severity: "warning", message: message + count, kind: kind.rawValue, pointer: pointer,
      eventIndex: eventIndex, eventId: eventId, eventType: eventType, location: location,
      fileName: fileName)
  }
}
