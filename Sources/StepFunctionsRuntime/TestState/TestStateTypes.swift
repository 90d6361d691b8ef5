import StepFunctionsJSON

/// How much of a tested state's data flow ``StateMachine/testState(named:input:context:variables:mock:inspectionLevel:stateConfiguration:options:)``
/// reports, as AWS's `inspectionLevel` (default `INFO`).
public enum InspectionLevel: String, Sendable, Hashable, CaseIterable {
  /// The status, output, next state and error only: no ``TestStateResult/inspectionData``.
  case info = "INFO"
  /// Also the data at each step of the state's input and output processing.
  case debug = "DEBUG"
  /// Also the HTTP request and response of an HTTP Task (`arn:aws:states:::http:invoke`).
  case trace = "TRACE"
}

/// What a mocked state returns instead of running, as AWS's TestState `mock` (`MockInput`).
///
/// A Task's mock stands for its service's answer; a Map's mock is the Map's whole result (an
/// array; an object for a Map with a `ResultWriter`); a Parallel's mock is its whole result (an
/// array with one element per branch).
public struct TestStateMock: Sendable, Hashable {
  /// What the mock gives.
  public enum Outcome: Sendable, Hashable {
    /// The state's result (`mock.result`).
    case result(JSON)
    /// The state fails with this error and cause (`mock.errorOutput`).
    case error(error: String, cause: String)
  }

  /// How strictly AWS checks a mocked result against the service's API model
  /// (`fieldValidationMode`). This library has no API models: the mode is accepted and recorded
  /// but checks nothing (see Docs/TestState.md).
  public enum FieldValidationMode: String, Sendable, Hashable, CaseIterable {
    /// Required fields present, present fields conforming (AWS's default).
    case strict = "STRICT"
    /// Present fields conforming.
    case present = "PRESENT"
    /// No check.
    case none = "NONE"
  }

  /// The result or error.
  public var outcome: Outcome
  /// The validation mode (default `STRICT`, as AWS).
  public var fieldValidationMode: FieldValidationMode

  /// Creates a mock.
  public init(_ outcome: Outcome, fieldValidationMode: FieldValidationMode = .strict) {
    self.outcome = outcome
    self.fieldValidationMode = fieldValidationMode
  }

  /// A mock that returns `value` as the state's result.
  public static func result(_ value: JSON) -> TestStateMock { TestStateMock(.result(value)) }

  /// A mock that fails the state with `error` and `cause`.
  public static func error(_ error: String, cause: String = "") -> TestStateMock {
    TestStateMock(.error(error: error, cause: cause))
  }
}

/// AWS's TestState `stateConfiguration` (`TestStateConfiguration`): where in a longer run the
/// tested state is.
public struct TestStateConfiguration: Sendable, Hashable {
  /// How many retries have already happened for the retrier that matches the mocked error
  /// (`retrierRetryCount`): with attempts left the status is `RETRIABLE`, else the catchers
  /// decide. Also the state's `$$.State.RetryCount`.
  public var retrierRetryCount: Int?
  /// The state inside the tested Map or Parallel state that the mocked error comes from
  /// (`errorCausedByState`).
  public var errorCausedByState: String?
  /// How many of the Map state's iterations failed (`mapIterationFailureCount`): more than the
  /// Map's `ToleratedFailureCount`/`ToleratedFailurePercentage` allow fails the Map with
  /// `States.ExceedToleratedFailureThreshold`.
  public var mapIterationFailureCount: Int?
  /// The data a distributed Map's `ItemReader` would read (`mapItemReaderData`). Accepted; a
  /// mocked Map's result does not depend on it.
  public var mapItemReaderData: String?

  /// Creates a configuration.
  public init(
    retrierRetryCount: Int? = nil, errorCausedByState: String? = nil,
    mapIterationFailureCount: Int? = nil, mapItemReaderData: String? = nil
  ) {
    self.retrierRetryCount = retrierRetryCount
    self.errorCausedByState = errorCausedByState
    self.mapIterationFailureCount = mapIterationFailureCount
    self.mapItemReaderData = mapItemReaderData
  }
}

/// The outcome of testing one state, as AWS's TestState `status`.
public enum TestStateStatus: String, Sendable, Hashable, CaseIterable {
  /// The state finished; ``TestStateResult/nextState`` is where the execution would go.
  case succeeded = "SUCCEEDED"
  /// The state failed and neither a retrier with attempts left nor a catcher handles the error.
  case failed = "FAILED"
  /// The state failed and a retrier would run it again (see ``InspectionErrorDetails``).
  case retriable = "RETRIABLE"
  /// The state failed and a catcher sends the execution to ``TestStateResult/nextState``.
  case caughtError = "CAUGHT_ERROR"
}

/// Which retrier or catcher handled the error (`InspectionErrorDetails`).
public struct InspectionErrorDetails: Sendable, Hashable {
  /// The index in `Catch` of the catcher that caught the error.
  public var catchIndex: Int?
  /// The index in `Retry` of the retrier that would run the state again.
  public var retryIndex: Int?
  /// The seconds that retrier would wait first.
  public var retryBackoffIntervalSeconds: Int?

  /// Creates details.
  public init(
    catchIndex: Int? = nil, retryIndex: Int? = nil, retryBackoffIntervalSeconds: Int? = nil
  ) {
    self.catchIndex = catchIndex
    self.retryIndex = retryIndex
    self.retryBackoffIntervalSeconds = retryBackoffIntervalSeconds
  }
}

/// The HTTP request of an HTTP Task, at `TRACE` (`InspectionDataRequest`).
public struct InspectionHTTPRequest: Sendable, Hashable {
  /// `https`.
  public var `protocol`: String
  /// `GET`, `POST`…
  public var method: String
  /// The endpoint with its query string.
  public var url: String
  /// The headers, as `name: value` lines.
  public var headers: String
  /// The body, as sent.
  public var body: String
}

/// The HTTP response of an HTTP Task, at `TRACE` (`InspectionDataResponse`).
public struct InspectionHTTPResponse: Sendable, Hashable {
  /// `https`.
  public var `protocol`: String
  /// The status code, as text (`200`).
  public var statusCode: String
  /// The status text (`OK`).
  public var statusMessage: String
  /// The headers, as `name: value` lines.
  public var headers: String
  /// The body, as received.
  public var body: String
}

/// The data at each step of the tested state's input and output processing
/// (`InspectionData`), at `DEBUG` and `TRACE`. A field is `nil` when the state has no such step.
public struct InspectionData: Sendable, Hashable {
  /// The raw state input.
  public var input: JSON?
  /// The input after `Arguments` (JSONata Task and Parallel states).
  public var afterArguments: JSON?
  /// The input after `InputPath` (JSONPath states).
  public var afterInputPath: JSON?
  /// The input after `Parameters` (JSONPath Pass, Task and Parallel states).
  public var afterParameters: JSON?
  /// The state's raw result (Task, Map and Parallel states).
  public var result: JSON?
  /// The result after `ResultSelector` (JSONPath).
  public var afterResultSelector: JSON?
  /// The result combined with the input after `ResultPath` (JSONPath).
  public var afterResultPath: JSON?
  /// The HTTP request of an HTTP Task (`TRACE`).
  public var request: InspectionHTTPRequest?
  /// The HTTP response of an HTTP Task (`TRACE`).
  public var response: InspectionHTTPResponse?
  /// The variables after the state: those given to the test and those the state assigned.
  public var variables: JSON?
  /// Which retrier or catcher handled the error.
  public var errorDetails: InspectionErrorDetails?
  /// A Map's items after `ItemsPath` (JSONPath).
  public var afterItemsPath: JSON?
  /// A Map's iteration inputs after `ItemSelector`.
  public var afterItemSelector: JSON?
  /// A Map's batches after `ItemBatcher`.
  public var afterItemBatcher: JSON?
  /// A Map's `ToleratedFailureCount`, when it has one.
  public var toleratedFailureCount: Int?
  /// A Map's `ToleratedFailurePercentage`, when it has one.
  public var toleratedFailurePercentage: Double?
  /// A Map's `MaxConcurrency` (0: no limit).
  public var maxConcurrency: Int?

  /// Empty inspection data.
  public init() {}
}

/// The answer of ``StateMachine/testState(named:input:context:variables:mock:inspectionLevel:stateConfiguration:options:)``,
/// in the shape of AWS's TestState response.
public struct TestStateResult: Sendable, Hashable {
  /// What happened.
  public var status: TestStateStatus
  /// The state's output (`SUCCEEDED`, `CAUGHT_ERROR`).
  public var output: JSON?
  /// The error (`FAILED`, `RETRIABLE`, `CAUGHT_ERROR`).
  public var error: String?
  /// The error's cause.
  public var cause: String?
  /// The state the execution would go to next: the `Next` (or chosen Choice target, or
  /// catcher's `Next`); `nil` for an end state, a failure and a retry.
  public var nextState: String?
  /// The data flow, at `DEBUG` and `TRACE`.
  public var inspectionData: InspectionData?

  /// Creates a result.
  public init(
    status: TestStateStatus, output: JSON? = nil, error: String? = nil, cause: String? = nil,
    nextState: String? = nil, inspectionData: InspectionData? = nil
  ) {
    self.status = status
    self.output = output
    self.error = error
    self.cause = cause
    self.nextState = nextState
    self.inspectionData = inspectionData
  }
}

/// A TestState request AWS would refuse, with AWS's exception name and message.
public struct TestStateError: Error, Sendable, Hashable, CustomStringConvertible {
  /// AWS's exception names for TestState.
  public enum Name: String, Sendable, Hashable {
    /// The request is not valid (`ValidationException`): an unknown state, a mock a state
    /// cannot take, conflicting fields.
    case validationException = "ValidationException"
    /// The definition, or the tested state, is not one TestState accepts (`InvalidDefinition`).
    case invalidDefinition = "InvalidDefinition"
    /// The input is not valid (`InvalidExecutionInput`).
    case invalidExecutionInput = "InvalidExecutionInput"
  }

  /// The exception name.
  public var name: Name
  /// AWS's message (or ours, where AWS's is not known: see Docs/Decisions.md).
  public var message: String

  /// Creates an error.
  public init(_ name: Name, _ message: String) {
    self.name = name
    self.message = message
  }

  /// `Name: message`.
  public var description: String { "\(name.rawValue): \(message)" }
}
