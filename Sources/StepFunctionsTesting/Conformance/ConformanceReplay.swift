import StepFunctions
import StepFunctionsReplay

// Service cases run by replaying the task results AWS recorded: the case's `expected.events` are
// turned back into a history replay can read, the definition's test-time `Resource` values are
// filled in, and the replayed execution is judged by ``ConformanceComparator`` like a pure case.

extension ConformanceCase {
  /// The instant every recorded event is given when the recording replaced its timestamp with
  /// `timestamp` (2024-01-01T00:00:00Z, in epoch seconds): the corpus keeps no event times, so
  /// replayed tasks end at the instant they start, and Waits and retries take the definition's
  /// time on the virtual clock.
  public static let replayStartEpochSeconds = 1_704_067_200

  /// The account in the ARNs put in place of the `Resource` values the test filled in at run
  /// time (the corpus's own account placeholder, which matches any account).
  static let replayAccount = PlaceholderVocabulary.accountID

  /// The definition as replay runs it: each ARN the test filled in at run time
  /// (`<<py:create_res['CreateFunctionResponse']['FunctionArn']>>`) becomes an ARN of the kind
  /// it names — a Lambda function ARN for a `FunctionArn`, an activity ARN for an
  /// `activityArn`, a state machine ARN for a created state machine — since the recording shows
  /// only placeholders for them anyway. Other placeholders (a generated function name) stay as
  /// text: the recorded task results do not depend on them. A `Resource` placeholder of another
  /// kind stays too (``unfilledResourcePlaceholders``).
  public var replayDefinition: JSON { Self.fillingPlaceholders(definition) }

  /// The `Resource` placeholders ``replayDefinition`` cannot fill in, in document order.
  public var unfilledResourcePlaceholders: [String] {
    var found: [String] = []
    Self.collectResourcePlaceholders(replayDefinition, key: nil, into: &found)
    return found
  }

  /// Whether a distributed Map state of the definition runs `Task` states in its iterations
  /// (at any depth): they run as child executions, whose task results are in their own
  /// histories, not in the recorded one.
  public var runsTasksInDistributedMap: Bool {
    Self.distributedMapRunsTasks(definition, inside: false)
  }

  /// Answers for the Task states of the definition's distributed Map child workflows, read from
  /// the recorded Map results where each child is one plain Task state; `nil` when some child
  /// task's result cannot be read from the recording.
  var childAnswers: ConformanceChildAnswers? {
    guard runsTasksInDistributedMap, let events = expected.events else { return nil }
    return ConformanceChildAnswers(definition: definition, events: events)
  }

  /// Whether a Map state of the definition has an `ItemReader`, `ItemBatcher` or
  /// `ResultWriter` (at any depth).
  public var usesMapReaderOrWriter: Bool {
    Self.containsMember(["ItemReader", "ItemBatcher", "ResultWriter"], in: definition)
  }

  /// Whether a Map state of the definition has an `ItemReader` (at any depth).
  public var usesItemReader: Bool { Self.containsMember(["ItemReader"], in: definition) }

  /// Whether a Map state of the definition has a `ResultWriter` (at any depth).
  public var usesResultWriter: Bool { Self.containsMember(["ResultWriter"], in: definition) }

  /// The recorded events (`expected.events`) as a history ``StateMachine/replay(_:options:)``
  /// reads, undoing what can be undone of the corpus's rewrite rules:
  ///
  /// - payloads the recording decoded (`input`, `output`, `parameters`, assigned variables, an
  ///   object `cause`) are encoded back to JSON text; a payload the recording replaced with a
  ///   placeholder that is not JSON becomes the JSON text of that string;
  /// - `timestamp` placeholders become ``replayStartEpochSeconds``;
  /// - events are numbered by position (so the `[0]` ids of a `parallel_branch_events_sorted`
  ///   block are ids again), and each event of such a block follows the one before it;
  /// - the `ExecutionStarted` input is the case's own input when that is not a placeholder copy.
  ///
  /// - Throws: ``ConformanceCaseError`` when the case has no events or they cannot be imported.
  public func recordedHistory() throws(ConformanceCaseError) -> ExecutionHistory {
    guard let events = expected.events else {
      throw ConformanceCaseError(fileURL: fileURL, message: "the case has no recorded events")
    }
    var newIds: [Int: Int] = [:]
    for (position, event) in events.enumerated() {
      if let id = event["id"]?.numberValue?.intValue, newIds[id] == nil {
        newIds[id] = position + 1
      }
    }
    let originalTexts = Self.objectTexts(in: .array(events + [expected.output ?? .null]))
    var rewritten: [JSON] = []
    rewritten.reserveCapacity(events.count)
    for (position, event) in events.enumerated() {
      guard case .object(let object) = event else {
        throw ConformanceCaseError(
          fileURL: fileURL, message: "expected/events/\(position) is not an object")
      }
      var copy = JSONObject(minimumCapacity: object.count)
      for (key, value) in object {
        switch key {
        case "id":
          copy.append(key: key, value: .number(JSONNumber(position + 1)))
        case "previousEventId":
          let previous: Int
          if let old = value.numberValue?.intValue, old != 0 {
            previous = newIds[old] ?? position
          } else {
            previous = ParallelEventNormalization.isBlockEvent(event) ? position : 0
          }
          copy.append(key: key, value: .number(JSONNumber(previous)))
        case "timestamp":
          if case .string(let text) = value, text == "timestamp" {
            copy.append(key: key, value: .number(JSONNumber(Self.replayStartEpochSeconds)))
          } else {
            copy.append(key: key, value: value)
          }
        default:
          if key.hasSuffix("EventDetails"), case .object(let details) = value {
            var encoded = Self.encodingPayloads(details, originalTexts: originalTexts)
            if key == "executionStartedEventDetails", !inputHasPlaceholders {
              encoded["input"] = .string(input.serialized())
            }
            copy.append(key: key, value: .object(encoded))
          } else {
            copy.append(key: key, value: value)
          }
        }
      }
      rewritten.append(.object(copy))
    }
    do {
      return try ExecutionHistory(importing: .array(rewritten))
    } catch {
      throw ConformanceCaseError(
        fileURL: fileURL, message: "the recorded events cannot be read as a history: \(error)")
    }
  }

  // MARK: - Helpers

  /// The details members that hold JSON text in `get-execution-history`.
  static let payloadMembers: Set<String> = ["input", "output", "parameters"]

  private static func encodingPayloads(_ details: JSONObject, originalTexts: [(JSON, String)])
    -> JSONObject
  {
    var copy = details
    for (member, value) in details {
      if payloadMembers.contains(member) {
        copy[member] = payloadText(value)
      } else if member == "cause", value.stringValue == nil {
        // A cause is passed on as text (into a Catch's `Cause`), so its spelling counts: take
        // the text the recording kept elsewhere for the same value, if any.
        let original = originalTexts.first { $0.0 == value }?.1
        copy[member] = .string(original ?? value.serialized())
      } else if member == "assignedVariables", case .object(let variables) = value {
        var texts = JSONObject(minimumCapacity: variables.count)
        for (name, variable) in variables { texts.append(key: name, value: payloadText(variable)) }
        copy[member] = .object(texts)
      }
    }
    return copy
  }

  /// Every string in `value` that is the JSON text of an object, with the object it holds.
  static func objectTexts(in value: JSON) -> [(JSON, String)] {
    var found: [(JSON, String)] = []
    var pending = [value]
    while let next = pending.popLast() {
      switch next {
      case .string(let text):
        guard text.hasPrefix("{"), let parsed = try? JSONParser.parse(Array(text.utf8)) else {
          continue
        }
        found.append((parsed, text))
        pending.append(parsed)
      case .object(let object): pending.append(contentsOf: object.values)
      case .array(let elements): pending.append(contentsOf: elements)
      case .null, .bool, .number: continue
      }
    }
    return found
  }

  /// The JSON text of a payload as AWS writes it: a decoded value is serialized; a string is
  /// kept when it is already JSON text (`"[1,2]"`), and serialized as a JSON string when it is a
  /// placeholder that replaced the whole text.
  static func payloadText(_ value: JSON) -> JSON {
    guard case .string(let text) = value else { return .string(value.serialized()) }
    if (try? JSONParser.parse(Array(text.utf8))) != nil { return value }
    return .string(value.serialized())
  }

  private static func fillingPlaceholders(_ value: JSON) -> JSON {
    switch value {
    case .string(let text):
      return arn(forPlaceholder: text).map(JSON.string) ?? value
    case .object(let object):
      var copy = JSONObject(minimumCapacity: object.count)
      for (member, child) in object {
        copy.append(key: member, value: fillingPlaceholders(child))
      }
      return .object(copy)
    case .array(let elements):
      return .array(elements.map(fillingPlaceholders))
    case .null, .bool, .number:
      return value
    }
  }

  /// The ARN to run in place of a whole `<<py:...>>` value, or `nil` when `text` is not one or
  /// does not name an ARN of a known kind: an activity ARN for an expression naming
  /// `activityArn`, a Lambda function ARN for one naming `FunctionArn`, a state machine ARN for
  /// one that creates a state machine.
  public static func arn(forPlaceholder text: String) -> String? {
    guard text.hasPrefix("<<py:"), text.hasSuffix(">>") else { return nil }
    let expression = text.lowercased()
    let region = "us-east-1"
    if expression.contains("activityarn") {
      return "arn:aws:states:\(region):\(replayAccount):activity:activity_name"
    }
    if expression.contains("functionarn") {
      return "arn:aws:lambda:\(region):\(replayAccount):function:lambda_function_name"
    }
    if expression.contains("create_state_machine") {
      return "arn:aws:states:\(region):\(replayAccount):stateMachine:state_machine_name"
    }
    return nil
  }

  private static func collectResourcePlaceholders(
    _ value: JSON, key: String?, into found: inout [String]
  ) {
    switch value {
    case .string(let text) where key == "Resource" && text.contains("<<py:"):
      found.append(text)
    case .object(let object):
      for (member, child) in object {
        collectResourcePlaceholders(child, key: member, into: &found)
      }
    case .array(let elements):
      for element in elements { collectResourcePlaceholders(element, key: nil, into: &found) }
    case .null, .bool, .number, .string:
      return
    }
  }

  private static func distributedMapRunsTasks(_ value: JSON, inside: Bool) -> Bool {
    switch value {
    case .object(let object):
      if inside, object["Type"] == .string("Task") { return true }
      for (member, child) in object {
        var childInside = inside
        if member == "ItemProcessor" || member == "Iterator",
          child["ProcessorConfig"]?["Mode"] == .string("DISTRIBUTED")
        {
          childInside = true
        }
        if distributedMapRunsTasks(child, inside: childInside) { return true }
      }
      return false
    case .array(let elements):
      return elements.contains { distributedMapRunsTasks($0, inside: inside) }
    case .null, .bool, .number, .string:
      return false
    }
  }

  private static func containsMember(_ names: Set<String>, in value: JSON) -> Bool {
    switch value {
    case .object(let object):
      for (member, child) in object {
        if names.contains(member) { return true }
        if containsMember(names, in: child) { return true }
      }
      return false
    case .array(let elements):
      return elements.contains { containsMember(names, in: $0) }
    case .null, .bool, .number, .string:
      return false
    }
  }
}

extension ConformanceRunner {
  /// Runs a service case by replay: the definition (with its test-time `Resource` values filled
  /// in, see ``ConformanceCase/replayDefinition``) replays the recorded history, so every task
  /// gets the result, failure or timeout AWS recorded for it, and the replayed execution is
  /// compared with the recording by ``ConformanceComparator`` like any other case.
  ///
  /// `objects` are the S3 objects the case's `ItemReader` reads (the recording has no event
  /// for them): a reader is answered from an in-memory bucket holding them.
  static func replay(_ testCase: ConformanceCase, objects: [ConformanceReaderObjects.Object] = [])
    async -> Verdict
  {
    let machine: StateMachine
    do {
      machine = try StateMachine(
        bytes: JSONSerializer().bytes(testCase.replayDefinition),
        options: ValidationOptions(stateMachineType: .standard))
    } catch {
      return .compared(failure(testCase, "/definition", "a runnable state machine", "\(error)"))
    }
    let history: ExecutionHistory
    do {
      history = try testCase.recordedHistory()
    } catch {
      return .compared(failure(testCase, "/events", "a replayable history", error.message))
    }
    var options = ReplayOptions()
    options.stateMachineName = "StateMachine"
    options.timestamps = .ignored
    // The recorded timestamps are placeholders: AWS's behaviour on the recording's day.
    options.behaviorDate = testCase.behaviorDate
    if let answers = testCase.childAnswers { options.childExecutionHandlers = answers.handlers }
    if !objects.isEmpty {
      options.itemReaderHandlers = ConformanceReaderObjects.handlers(serving: objects)
    }
    let replayed: ReplayResult
    do {
      replayed = try await machine.replayResult(for: history, options: options)
    } catch {
      return .compared(failure(testCase, "/events", "a replayable history", error.message))
    }
    guard let execution = replayed.execution else {
      return .compared(
        failure(testCase, "/events", "a replayable history", replayed.report.description))
    }
    return .compared(
      ConformanceComparator.compare(testCase, outcome(of: execution, includeEvents: true)))
  }

  private static func failure(
    _ testCase: ConformanceCase, _ path: String, _ expected: String, _ actual: String
  ) -> ConformanceResult {
    ConformanceResult(
      caseName: testCase.identifier,
      differences: [
        ConformanceDifference(path: path, kind: .mismatch, expected: expected, actual: actual)
      ])
  }
}
