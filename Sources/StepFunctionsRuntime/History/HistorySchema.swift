/// The event types and `…EventDetails` members Step Functions writes
/// (`GetExecutionHistory` in the API reference), and how each details member maps to
/// ``HistoryEvent/Details``: the shapes the executor records.
enum HistorySchema {
  /// Every event type in the API reference.
  static let eventTypes: Set<String> = [
    "ActivityFailed", "ActivityScheduled", "ActivityScheduleFailed", "ActivityStarted",
    "ActivitySucceeded", "ActivityTimedOut", "ChoiceStateEntered", "ChoiceStateExited",
    "ExecutionAborted", "ExecutionFailed", "ExecutionStarted", "ExecutionSucceeded",
    "ExecutionTimedOut", "FailStateEntered", "LambdaFunctionFailed", "LambdaFunctionScheduled",
    "LambdaFunctionScheduleFailed", "LambdaFunctionStarted", "LambdaFunctionStartFailed",
    "LambdaFunctionSucceeded", "LambdaFunctionTimedOut", "MapIterationAborted",
    "MapIterationFailed", "MapIterationStarted", "MapIterationSucceeded", "MapStateAborted",
    "MapStateEntered", "MapStateExited", "MapStateFailed", "MapStateStarted", "MapStateSucceeded",
    "ParallelStateAborted", "ParallelStateEntered", "ParallelStateExited", "ParallelStateFailed",
    "ParallelStateStarted", "ParallelStateSucceeded", "PassStateEntered", "PassStateExited",
    "SucceedStateEntered", "SucceedStateExited", "TaskFailed", "TaskScheduled", "TaskStarted",
    "TaskStartFailed", "TaskStateAborted", "TaskStateEntered", "TaskStateExited",
    "TaskSubmitFailed", "TaskSubmitted", "TaskSucceeded", "TaskTimedOut", "WaitStateAborted",
    "WaitStateEntered", "WaitStateExited", "MapRunAborted", "MapRunFailed", "MapRunStarted",
    "MapRunSucceeded", "ExecutionRedriven", "MapRunRedriven", "EvaluationFailed",
  ]

  /// The event types that carry no details.
  static let typesWithoutDetails: Set<String> = [
    "LambdaFunctionStarted", "MapStateAborted", "MapStateFailed", "MapStateSucceeded",
    "ParallelStateAborted", "ParallelStateFailed", "ParallelStateStarted",
    "ParallelStateSucceeded", "TaskStateAborted", "WaitStateAborted", "MapRunAborted",
    "MapRunSucceeded",
  ]

  /// The details member of a known event type: `stateEnteredEventDetails` for every
  /// `…StateEntered`, `taskScheduledEventDetails` for `TaskScheduled`; `nil` for a type without
  /// details.
  static func detailsKey(forEventType type: String) -> String? {
    if typesWithoutDetails.contains(type) { return nil }
    if type.hasSuffix("StateEntered") { return "stateEnteredEventDetails" }
    if type.hasSuffix("StateExited") { return "stateExitedEventDetails" }
    guard let first = type.first else { return nil }
    return first.lowercased() + type.dropFirst() + "EventDetails"
  }

  /// How one details member is read.
  struct Details {
    /// The ``HistoryEvent/Details`` case it becomes.
    enum Shape: Equatable {
      case stateEntered
      case stateExited
      case executionStarted
      case executionSucceeded
      case failure
      case mapStateStarted
      case mapIteration
      case fields
    }

    /// A member's JSON type.
    enum MemberType: Equatable {
      /// A string.
      case string
      /// A whole number from 0.
      case integer
      /// JSON text, decoded on import unless its `…Details` say truncated.
      case payload
      /// A `{"truncated": Bool}` object.
      case flag
      /// A `{"roleArn": String}` object.
      case credentials
    }

    /// One member.
    struct Member {
      var name: String
      var type: MemberType
      var isRequired: Bool
    }

    var shape: Shape
    var members: [Member]
    /// The member names, for lookups.
    let names: Set<String>

    init(_ shape: Shape, _ members: [Member]) {
      self.shape = shape
      self.members = members
      names = Set(members.map(\.name))
    }

    /// Whether the event cannot be read without this details member (it has required members).
    var isRequired: Bool { members.contains(where: \.isRequired) }

    func member(named name: String) -> Member? { members.first { $0.name == name } }
  }

  private static func string(_ name: String, required: Bool = false) -> Details.Member {
    Details.Member(name: name, type: .string, isRequired: required)
  }

  private static func integer(_ name: String, required: Bool = false) -> Details.Member {
    Details.Member(name: name, type: .integer, isRequired: required)
  }

  private static func payload(_ name: String) -> [Details.Member] {
    [
      Details.Member(name: name, type: .payload, isRequired: false),
      Details.Member(name: name + "Details", type: .flag, isRequired: false),
    ]
  }

  private static let errorAndCause = [string("error"), string("cause")]
  private static let taskResource = [
    string("resourceType", required: true), string("resource", required: true),
  ]
  private static let credentials = Details.Member(
    name: "taskCredentials", type: .credentials, isRequired: false)

  /// Every details member of the API reference, by name.
  static let details: [String: Details] = {
    var table: [String: Details] = [
      "stateEnteredEventDetails": Details(
        .stateEntered, [string("name", required: true)] + payload("input")),
      "stateExitedEventDetails": Details(
        .stateExited,
        [string("name", required: true)] + payload("output") + [
          Details.Member(name: "assignedVariables", type: .payload, isRequired: false),
          Details.Member(name: "assignedVariablesDetails", type: .flag, isRequired: false),
        ]),
      "executionStartedEventDetails": Details(
        .executionStarted,
        payload("input") + [
          string("roleArn", required: true), string("stateMachineAliasArn"),
          string("stateMachineVersionArn"),
        ]),
      "executionSucceededEventDetails": Details(.executionSucceeded, payload("output")),
      "mapStateStartedEventDetails": Details(
        .mapStateStarted, [integer("length", required: true)]),
      "executionRedrivenEventDetails": Details(.fields, [integer("redriveCount")]),
      "mapRunStartedEventDetails": Details(.fields, [string("mapRunArn")]),
      "mapRunRedrivenEventDetails": Details(
        .fields, [string("mapRunArn"), integer("redriveCount")]),
      "evaluationFailedEventDetails": Details(
        .fields, errorAndCause + [string("location"), string("state", required: true)]),
      "taskScheduledEventDetails": Details(
        .fields,
        taskResource + [
          string("region", required: true),
          Details.Member(name: "parameters", type: .payload, isRequired: false),
          integer("timeoutInSeconds"), integer("heartbeatInSeconds"), credentials,
        ]),
      "taskStartedEventDetails": Details(.fields, taskResource),
      "taskSubmittedEventDetails": Details(.fields, taskResource + payload("output")),
      "taskSucceededEventDetails": Details(.fields, taskResource + payload("output")),
      "activityScheduledEventDetails": Details(
        .fields,
        [string("resource", required: true)] + payload("input") + [
          integer("timeoutInSeconds"), integer("heartbeatInSeconds"),
        ]),
      "activityStartedEventDetails": Details(.fields, [string("workerName")]),
      "activitySucceededEventDetails": Details(.fields, payload("output")),
      "lambdaFunctionScheduledEventDetails": Details(
        .fields,
        [string("resource", required: true)] + payload("input") + [
          integer("timeoutInSeconds"), credentials,
        ]),
      "lambdaFunctionSucceededEventDetails": Details(.fields, payload("output")),
    ]
    for key in [
      "executionFailedEventDetails", "executionAbortedEventDetails",
      "executionTimedOutEventDetails", "mapRunFailedEventDetails",
    ] {
      table[key] = Details(.failure, errorAndCause)
    }
    for key in [
      "taskFailedEventDetails", "taskStartFailedEventDetails", "taskSubmitFailedEventDetails",
      "taskTimedOutEventDetails",
    ] {
      table[key] = Details(.fields, taskResource + errorAndCause)
    }
    for key in [
      "activityFailedEventDetails", "activityScheduleFailedEventDetails",
      "activityTimedOutEventDetails", "lambdaFunctionFailedEventDetails",
      "lambdaFunctionScheduleFailedEventDetails", "lambdaFunctionStartFailedEventDetails",
      "lambdaFunctionTimedOutEventDetails",
    ] {
      table[key] = Details(.fields, errorAndCause)
    }
    for key in [
      "mapIterationStartedEventDetails", "mapIterationSucceededEventDetails",
      "mapIterationFailedEventDetails", "mapIterationAbortedEventDetails",
    ] {
      table[key] = Details(
        .mapIteration, [string("name", required: true), integer("index", required: true)])
    }
    return table
  }()
}
