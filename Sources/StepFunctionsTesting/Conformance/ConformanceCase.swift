import Foundation
import StepFunctions

/// One execution recorded against AWS: a state machine definition, the input it ran with and what
/// AWS reported (status, output or error and cause, and usually the execution history).
///
/// A case is decoded from one file of the conformance corpus
/// (`localstack/executions/{pure,service}/*.json`). The expected values are kept exactly as
/// recorded, placeholders and all; ``ConformanceComparator`` knows how to compare an
/// ``ExecutionOutcome`` against them.
public struct ConformanceCase: Sendable {
  /// Whether the state machine calls services (`Task` states, Map `ItemReader`/`ResultWriter`).
  public enum Category: String, Sendable, Hashable, CaseIterable {
    /// No `Task` state and no Map reader or writer: runs without any task handler.
    case pure
    /// Calls at least one service.
    case service
  }

  /// The query language the definition uses.
  public enum QueryLanguage: String, Sendable, Hashable, CaseIterable {
    /// JSONPath everywhere.
    case jsonPath = "JSONPath"
    /// JSONata everywhere.
    case jsonata = "JSONata"
    /// Some states use JSONPath and others JSONata.
    case mixed
  }

  /// The state machine type the execution ran as.
  public enum StateMachineType: String, Sendable, Hashable, CaseIterable {
    /// A standard workflow: its history was recorded.
    case standard = "STANDARD"
    /// A synchronous express workflow: no history exists.
    case express = "EXPRESS"
  }

  /// How the recorded events were rewritten beyond the corpus-wide rules.
  public enum EventsNormalization: String, Sendable, Hashable, CaseIterable {
    /// Events between `ParallelStateStarted` and the Parallel state's end were sorted, given
    /// `id: [0]` and `previousEventId: 0`, and the closing `ParallelStateSucceeded` was dropped.
    case parallelBranchEventsSorted = "parallel_branch_events_sorted"
  }

  /// What AWS reported for the execution.
  public struct Expected: Sendable, Hashable {
    /// The final status.
    public var status: ConformanceStatus
    /// The decoded output, when the execution succeeded; `nil` when none was recorded (a
    /// recorded JSON `null` is `.null`).
    public var output: JSON?
    /// The output as a raw string, when the recording replaced the output with a placeholder
    /// that is not JSON (`expected.output_raw`).
    public var outputRaw: String?
    /// The error name, when the execution failed with one.
    public var error: String?
    /// The cause: a string, or an object when the recorded cause was a JSON object text.
    public var cause: JSON?
    /// The `get-execution-history` events as recorded (rewritten, see the corpus README), or
    /// `nil` when only the result was recorded (express executions, choice-operator tests).
    public var events: [JSON]?

    /// Creates an expectation.
    public init(
      status: ConformanceStatus, output: JSON? = nil, outputRaw: String? = nil,
      error: String? = nil,
      cause: JSON? = nil, events: [JSON]? = nil
    ) {
      self.status = status
      self.output = output
      self.outputRaw = outputRaw
      self.error = error
      self.cause = cause
      self.events = events
    }
  }

  /// Where the recording came from.
  public struct Source: Sendable, Hashable {
    /// The LocalStack snapshot key.
    public var snapshotKey: String
    /// When the snapshot was recorded, as written in the snapshot file.
    public var recordedDate: String?
    /// When the snapshot was last validated against AWS.
    public var lastValidatedDate: String?
    /// The ASL template files the definition came from.
    public var templateFiles: [String]
    /// The test's own snapshot transformers, as recorded (objects with `type`, `regex`,
    /// `jsonpath`, `replacement` ...).
    public var testTransformers: [JSON]
    /// JSONPath-like paths LocalStack does not verify for this test (fields where LocalStack is
    /// known to differ from AWS), flattened.
    public var skipSnapshotVerifyPaths: [String]
    /// Which API response the events come from (for example `get_execution_history`).
    public var snapshotEntry: String?

    /// Creates a source description.
    public init(
      snapshotKey: String, recordedDate: String? = nil, lastValidatedDate: String? = nil,
      templateFiles: [String] = [], testTransformers: [JSON] = [],
      skipSnapshotVerifyPaths: [String] = [], snapshotEntry: String? = nil
    ) {
      self.snapshotKey = snapshotKey
      self.recordedDate = recordedDate
      self.lastValidatedDate = lastValidatedDate
      self.templateFiles = templateFiles
      self.testTransformers = testTransformers
      self.skipSnapshotVerifyPaths = skipSnapshotVerifyPaths
      self.snapshotEntry = snapshotEntry
    }
  }

  /// The pytest id of the recording test (`file::Class::test[param]`, plus `#<snapshot key>`
  /// when the test recorded several executions).
  public var name: String
  /// The file the case was read from.
  public var fileURL: URL
  /// Whether the state machine needs service task handlers.
  public var category: Category
  /// The services the definition calls (its `Resource` values).
  public var services: [String]
  /// The query language.
  public var queryLanguage: QueryLanguage
  /// The state machine type.
  public var stateMachineType: StateMachineType
  /// Whether the definition uses `Assign`.
  public var usesAssign: Bool
  /// Whether a Map state runs in distributed mode.
  public var usesDistributedMap: Bool
  /// How many states of each type the definition has (`"Pass": 3`).
  public var stateTypes: [String: Int]
  /// The definition as sent to AWS.
  public var definition: JSON
  /// Runtime values the test substituted into the definition (written there as `<<py:EXPR>>`);
  /// empty when the definition runs as it is.
  public var definitionPlaceholders: [String]
  /// The execution input.
  public var input: JSON
  /// Where the input came from (`test_code+history`, ...).
  public var inputSource: String
  /// Whether the input contains snapshot placeholders instead of the real values.
  public var inputHasPlaceholders: Bool
  /// What AWS reported.
  public var expected: Expected
  /// Whether the expected output, error or cause contain snapshot placeholders.
  public var expectedHasPlaceholders: Bool
  /// Extra rewriting applied to the recorded events, if any.
  public var eventsNormalization: EventsNormalization?
  /// Where the recording came from.
  public var source: Source

  /// The day AWS last ran the case (`source.last_validated_date`, else `recorded_date`,
  /// written `DD-MM-YYYY, hh:mm:ss`), whose behaviour a local run reproduces
  /// (``ExecutionOptions/behaviorDate``); `nil` when the case does not say.
  public var behaviorDate: Instant? {
    if let date = source.lastValidatedDate.flatMap({ Instant(rfc3339: $0) }) { return date }
    guard let recorded = source.recordedDate else { return nil }
    // `20-07-2024, 08:30:22` → `2024-07-20T08:30:22Z`.
    let parts = recorded.split(whereSeparator: { $0 == "-" || $0 == "," || $0 == " " })
    guard parts.count == 4 else { return nil }
    return Instant(rfc3339: "\(parts[2])-\(parts[1])-\(parts[0])T\(parts[3])Z")
  }

  /// The file name, for example `base_test_base__TestSnfBase__test_state_fail.json`.
  public var fileName: String { fileURL.lastPathComponent }

  /// The file name without its extension, a short stable identifier for reports.
  public var identifier: String { fileURL.deletingPathExtension().lastPathComponent }

  /// Creates a case from its parts.
  public init(
    name: String, fileURL: URL, category: Category, services: [String] = [],
    queryLanguage: QueryLanguage = .jsonPath, stateMachineType: StateMachineType = .standard,
    usesAssign: Bool = false, usesDistributedMap: Bool = false, stateTypes: [String: Int] = [:],
    definition: JSON, definitionPlaceholders: [String] = [], input: JSON,
    inputSource: String = "test_code+history", inputHasPlaceholders: Bool = false,
    expected: Expected, expectedHasPlaceholders: Bool = false,
    eventsNormalization: EventsNormalization? = nil, source: Source? = nil
  ) {
    self.name = name
    self.fileURL = fileURL
    self.category = category
    self.services = services
    self.queryLanguage = queryLanguage
    self.stateMachineType = stateMachineType
    self.usesAssign = usesAssign
    self.usesDistributedMap = usesDistributedMap
    self.stateTypes = stateTypes
    self.definition = definition
    self.definitionPlaceholders = definitionPlaceholders
    self.input = input
    self.inputSource = inputSource
    self.inputHasPlaceholders = inputHasPlaceholders
    self.expected = expected
    self.expectedHasPlaceholders = expectedHasPlaceholders
    self.eventsNormalization = eventsNormalization
    self.source = source ?? Source(snapshotKey: name)
  }
}

// MARK: - Running locally

/// Why a corpus case cannot run locally yet.
public enum ConformanceSkipReason: String, Sendable, Hashable, CaseIterable, CustomStringConvertible
{
  /// The definition calls services and no history was recorded (a synchronous express
  /// execution, or a test that kept only the result), so there are no task results to replay.
  case noRecordedTaskResults = "service case without a recorded history: no task results to replay"
  /// A Map state reads its items with an `ItemReader`, and the objects the test put in S3 for
  /// it (which the history does not record) are not in the objects file
  /// (``ConformanceReaderObjects``).
  case readerObjectsUnknown =
    "ItemReader case without its S3 objects in Tests/Conformance/item-reader-objects.json"
  /// A distributed Map state runs `Task` states: its iterations are child executions, whose
  /// task results are in their own histories, not in the recorded one.
  case distributedMapTaskResultsNotRecorded =
    "distributed Map runs tasks in child executions, whose results the history does not record"
  /// The definition contains values the test filled in at run time (`<<py:...>>`).
  case definitionHasPlaceholders = "definition has test-time placeholders"
  /// Only a copy of the input with snapshot placeholders in place of real values was recorded.
  case inputHasPlaceholders = "input has snapshot placeholders"

  /// The reason as printed: `skip: input has snapshot placeholders`.
  public var description: String { "skip: \(rawValue)" }
}

extension ConformanceCase {
  /// Every reason the case cannot run locally today, most fundamental first; empty when it can.
  ///
  /// A pure express execution is not skipped: it simply has no events to compare. A service
  /// case runs by replaying the task results of its recorded history (see
  /// ``ConformanceRunner/run(_:)``), so it needs that history; the test-time values of its
  /// definition matter only where they are a `Resource` replay cannot fill in, and an input
  /// copy with placeholders is what the recorded execution started with.
  public var skipReasons: [ConformanceSkipReason] {
    var reasons: [ConformanceSkipReason] = []
    switch category {
    case .pure:
      if !definitionPlaceholders.isEmpty || Self.containsTestTimePlaceholder(definition) {
        reasons.append(.definitionHasPlaceholders)
      }
      if inputHasPlaceholders { reasons.append(.inputHasPlaceholders) }
    case .service:
      if expected.events == nil { reasons.append(.noRecordedTaskResults) }
      if runsTasksInDistributedMap, childAnswers == nil {
        reasons.append(.distributedMapTaskResultsNotRecorded)
      }
      if !unfilledResourcePlaceholders.isEmpty { reasons.append(.definitionHasPlaceholders) }
    }
    return reasons
  }

  /// The first reason the case cannot run locally, or `nil` when it can.
  public var skipReason: ConformanceSkipReason? { skipReasons.first }

  /// Whether the case can run locally today.
  public var isRunnable: Bool { skipReasons.isEmpty }

  /// Whether AWS's history was recorded, so events are compared as well as the result.
  public var hasExpectedEvents: Bool { expected.events != nil }

  private static func containsTestTimePlaceholder(_ value: JSON) -> Bool {
    switch value {
    case .string(let text): return text.contains("<<py:")
    case .array(let elements): return elements.contains { containsTestTimePlaceholder($0) }
    case .object(let object): return object.values.contains { containsTestTimePlaceholder($0) }
    case .null, .bool, .number: return false
    }
  }
}
