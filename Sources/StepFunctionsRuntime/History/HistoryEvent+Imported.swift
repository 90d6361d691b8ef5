import StepFunctionsJSON

extension HistoryEvent {
  /// A payload an imported history holds only as it was written — cut short by Step Functions
  /// (its `…Details` say `truncated: true`) or left out (a history fetched without execution
  /// data) — so it has no typed value.
  ///
  /// In the typed ``HistoryEvent/details`` such a payload is `null` (for `stateEntered`,
  /// `stateExited`, `executionStarted`, `executionSucceeded`), absent (assigned variables), or,
  /// for ``HistoryEvent/Details/fields(key:_:payloads:)``, the text itself, a member left out of
  /// `payloads`. ``HistoryEvent/awsJSON`` writes it back as it was.
  public struct UnparsedPayload: Sendable, Hashable {
    /// Where the payload is in the event, e.g. `/stateEnteredEventDetails/input` or
    /// `/stateExitedEventDetails/assignedVariables`.
    public var pointer: JSONPointer
    /// The member as the history has it: the cut JSON text (for assigned variables, the object
    /// of texts); `nil` when the history leaves the payload out.
    public var value: JSON?
    /// Whether Step Functions marked the payload truncated.
    public var isTruncated: Bool

    /// Creates a description of an unparsed payload.
    public init(pointer: JSONPointer, value: JSON?, isTruncated: Bool) {
      self.pointer = pointer
      self.value = value
      self.isTruncated = isTruncated
    }

    /// Writes the member (and its `…Details` flag) into an event object rendered from typed
    /// details.
    func restore(into object: inout JSONObject) {
      guard pointer.tokens.count == 2, case .object(var details)? = object[pointer.tokens[0]]
      else { return }
      let member = pointer.tokens[1]
      details[member] = value
      let flag = member + "Details"
      if isTruncated {
        details[flag] = ["truncated": true]
      } else if value == nil {
        details[flag] = nil
      }
      object[pointer.tokens[0]] = .object(details)
    }
  }

  /// The payloads of this event that an imported history holds only as text (truncated) or not
  /// at all (left out). Empty for events the executor records.
  public var unparsedPayloads: [UnparsedPayload] {
    get { imported?.parts.unparsedPayloads ?? [] }
    set {
      var parts = imported?.parts ?? ImportedParts()
      parts.unparsedPayloads = newValue
      imported = ImportedPartsStorage(parts)
    }
  }

  /// The members of an imported event that ``details`` does not hold, in the event's own shape
  /// (`{"executionStartedEventDetails": {"stateMachineAliasArn": "…"}}`): members this version
  /// does not know — reported in ``ExecutionHistory/importWarnings`` — and AWS members the typed
  /// details have no place for. ``awsJSON`` writes them back after the typed members. Empty for
  /// events the executor records.
  public var retainedMembers: JSONObject {
    get { imported?.parts.retainedMembers ?? JSONObject() }
    set {
      var parts = imported?.parts ?? ImportedParts()
      parts.retainedMembers = newValue
      imported = ImportedPartsStorage(parts)
    }
  }

  /// Whether Step Functions truncated one of this event's payloads, so that its content is not
  /// known exactly.
  public var isTruncated: Bool {
    imported?.parts.unparsedPayloads.contains(where: \.isTruncated) ?? false
  }
}

extension ExecutionHistory {
  /// The first event with a truncated payload, if any: what follows it cannot be reproduced
  /// exactly from the history.
  public var firstTruncatedEvent: HistoryEvent? {
    events.first(where: \.isTruncated)
  }
}

/// An imported event's ``ImportedParts``, kept behind one reference so that the events the
/// executor records (which have none) stay as small as before. Immutable: changing an event's
/// parts stores a new instance.
final class ImportedPartsStorage: Sendable {
  let parts: ImportedParts

  /// Storage for `parts`, or `nil` when there is nothing to keep.
  init?(_ parts: ImportedParts) {
    guard !parts.isEmpty else { return nil }
    self.parts = parts
  }
}

/// What an imported ``HistoryEvent`` holds beyond its typed details.
struct ImportedParts: Sendable {
  var unparsedPayloads: [HistoryEvent.UnparsedPayload] = []
  var retainedMembers = JSONObject()

  var isEmpty: Bool { unparsedPayloads.isEmpty && retainedMembers.isEmpty }

  /// Puts back, into an event object rendered from typed details, what the details do not say.
  func restore(into object: inout JSONObject, details: HistoryEvent.Details) {
    if case .fields = details {
      // The fields hold the raw members themselves.
    } else {
      for payload in unparsedPayloads { payload.restore(into: &object) }
    }
    if !retainedMembers.isEmpty { ImportedParts.merge(retainedMembers, into: &object) }
  }

  /// Adds the members of `extra` that `object` lacks, merging nested objects member by member;
  /// where both have a member that is not an object on both sides, `object` keeps its own.
  static func merge(_ extra: JSONObject, into object: inout JSONObject) {
    for (key, value) in extra {
      guard let existing = object[key] else {
        object.append(key: key, value: value)
        continue
      }
      if case .object(var inner) = existing, case .object(let more) = value {
        merge(more, into: &inner)
        object[key] = .object(inner)
      }
    }
  }
}
