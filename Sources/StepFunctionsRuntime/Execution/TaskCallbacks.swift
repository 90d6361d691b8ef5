import StepFunctionsJSON

/// A task token a `.waitForTaskToken` task waits on, with the state it belongs to and where that
/// state runs (the Map iterations and Parallel branches around it).
///
/// ``Execution/taskTokens`` yields one as each task starts waiting; pass it (or its ``value``) to
/// `Execution.sendTaskSuccess(taskToken:output:)`:
///
/// ```swift
/// for await token in execution.taskTokens where token.stateName == "Review" {
///   try await execution.sendTaskSuccess(taskToken: token, output: ["approved": true])
/// }
/// ```
public struct TaskToken: Sendable, Hashable, CustomStringConvertible {
  /// One level of nesting around the waiting state, as the Context Object shows it
  /// (`$$.Map.Item.Index`) and as AWS numbers branches: from 0.
  public enum Scope: Sendable, Hashable, CustomStringConvertible {
    /// An iteration of the Map state `mapState`, for the item at `index`.
    case mapIteration(mapState: String, index: Int)
    /// The branch at `index` of the Parallel state `parallelState`.
    case parallelBranch(parallelState: String, index: Int)

    /// `Map 'Each' iteration 2`, `Parallel 'Both' branch 0`.
    public var description: String {
      switch self {
      case .mapIteration(let state, let index): return "Map '\(state)' iteration \(index)"
      case .parallelBranch(let state, let index): return "Parallel '\(state)' branch \(index)"
      }
    }
  }

  /// The token text, as `$$.Task.Token` gives it to the task's parameters.
  public var value: String
  /// The Task state that waits on the token.
  public var stateName: String
  /// Where the state runs, outermost first; empty at the state machine's top level.
  public var scopes: [Scope]

  /// Creates a token description.
  public init(value: String, stateName: String, scopes: [Scope] = []) {
    self.value = value
    self.stateName = stateName
    self.scopes = scopes
  }

  /// The index of the innermost Map iteration the state runs in, if any.
  public var mapIterationIndex: Int? {
    for case .mapIteration(_, let index) in scopes.reversed() { return index }
    return nil
  }

  /// The index of the innermost Parallel branch the state runs in, if any.
  public var parallelBranchIndex: Int? {
    for case .parallelBranch(_, let index) in scopes.reversed() { return index }
    return nil
  }

  /// The state and its scopes: `state 'Review' (Parallel 'Both' branch 1 › Map 'Each' iteration 2)`.
  public var location: String {
    let state = "state '\(stateName)'"
    guard !scopes.isEmpty else { return state }
    return "\(state) (\(scopes.map(\.description).joined(separator: " › ")))"
  }

  /// `task token 0c3f…-… of state 'Review' (Map 'Each' iteration 2)`.
  public var description: String { "task token \(value) of \(location)" }

  /// The longest token AWS's `SendTask*` actions accept.
  public static let maximumLength = 2048

  /// Whether `text` has the shape of the tokens this library issues: a lowercase UUID
  /// (8-4-4-4-12 hexadecimal digits). Anything else — empty, longer than ``maximumLength``, or
  /// of another form — is answered with ``TaskCallbackError/Code/invalidToken``.
  public static func isWellFormed(_ text: String) -> Bool {
    let bytes = text.utf8
    guard bytes.count == 36 else { return false }
    for (offset, byte) in bytes.enumerated() {
      switch offset {
      case 8, 13, 18, 23:
        guard byte == UInt8(ascii: "-") else { return false }
      default:
        guard
          (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
        else { return false }
      }
    }
    return true
  }
}

/// Why a `SendTaskSuccess`, `SendTaskFailure` or `SendTaskHeartbeat` was refused, with AWS's
/// error codes:
///
/// - ``Code/invalidToken``: the token is not of the form this library issues (see
///   ``TaskToken/isWellFormed(_:)``);
/// - ``Code/taskDoesNotExist``: no task of this execution was ever given the token;
/// - ``Code/taskTimedOut``: the task that was given the token has closed — it succeeded, failed,
///   timed out or was cancelled, or the execution ended (AWS: "the task token has either expired
///   or the task associated with the token has already been closed").
///
/// ```swift
/// do {
///   try await execution.sendTaskSuccess(taskToken: token, output: ["approved": true])
/// } catch {
///   if error.code == .taskTimedOut { print("too late:", error.message) }
/// }
/// ```
public struct TaskCallbackError: Error, Sendable, Hashable, CustomStringConvertible {
  /// AWS's error code.
  public enum Code: String, Sendable, Hashable {
    /// `TaskDoesNotExist`: no task was given the token.
    case taskDoesNotExist = "TaskDoesNotExist"
    /// `InvalidToken`: the token is malformed.
    case invalidToken = "InvalidToken"
    /// `TaskTimedOut`: the task that was given the token has already closed.
    case taskTimedOut = "TaskTimedOut"
  }

  /// AWS's error code.
  public var code: Code
  /// The token that was sent (shortened when very long).
  public var taskToken: String
  /// What happened, for a person.
  public var message: String

  /// Creates an error.
  public init(code: Code, taskToken: String, message: String) {
    self.code = code
    self.taskToken = taskToken
    self.message = message
  }

  /// `TaskDoesNotExist: …`.
  public var description: String { "\(code.rawValue): \(message)" }

  static func invalidToken(_ token: String) -> TaskCallbackError {
    let shown = excerpt(token)
    let reason =
      token.isEmpty
      ? "The task token is empty."
      : token.utf8.count > TaskToken.maximumLength
        ? "The task token \(shown) is longer than \(TaskToken.maximumLength) characters."
        : "The task token \(shown) is not a task token this execution could have issued (a lowercase UUID, 8-4-4-4-12 hexadecimal digits)."
    return TaskCallbackError(code: .invalidToken, taskToken: excerptText(token), message: reason)
  }

  static func taskDoesNotExist(_ token: String) -> TaskCallbackError {
    TaskCallbackError(
      code: .taskDoesNotExist, taskToken: token,
      message: "No task of this execution was given the task token '\(token)'.")
  }

  static func taskTimedOut(_ token: TaskToken, executionEnded: Bool) -> TaskCallbackError {
    TaskCallbackError(
      code: .taskTimedOut, taskToken: token.value,
      message:
        executionEnded
        ? "The task token '\(token.value)' of \(token.location) has closed: the execution is no longer running."
        : "The task token '\(token.value)' of \(token.location) has closed: its task already succeeded, failed, timed out or was cancelled."
    )
  }

  /// The first 80 characters of a token, with anything unprintable escaped.
  static func excerptText(_ token: String) -> String {
    var text = ""
    for scalar in token.unicodeScalars.prefix(80) {
      text +=
        scalar.value < 0x20 || scalar.value == 0x7F ? scalar.escaped(asASCII: true) : String(scalar)
    }
    return token.unicodeScalars.count > 80 ? text + "…" : text
  }

  static func excerpt(_ token: String) -> String { "'\(excerptText(token))'" }
}

/// The task tokens of an execution's `.waitForTaskToken` tasks, as each starts waiting (see
/// ``Execution/taskTokens``). Tokens issued before iteration starts are kept for it.
///
/// The sequence ends when the execution ends — and, with ``ExecutionOptions/waitsForCallbacks``,
/// also when the execution can do nothing but wait for callbacks on tokens the sequence has
/// already yielded (so a loop that leaves a token unanswered ends instead of waiting forever).
/// Await each `sendTask…` call before reading the next token.
public struct TaskTokenSequence: AsyncSequence, Sendable {
  /// The element: a token with its state.
  public typealias Element = TaskToken
  /// The sequence never throws.
  public typealias Failure = Never

  let inbox: Inbox

  /// Reads the tokens.
  public struct AsyncIterator: AsyncIteratorProtocol, Sendable {
    let inbox: Inbox
    var isFinished = false

    /// The next token, or `nil` when the sequence has ended.
    public mutating func next() async -> TaskToken? {
      guard !isFinished else { return nil }
      let token = await inbox.nextToken()
      if token == nil { isFinished = true }
      return token
    }
  }

  /// Starts reading the tokens.
  public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(inbox: inbox) }
}
