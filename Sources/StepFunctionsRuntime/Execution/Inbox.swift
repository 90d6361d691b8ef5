import Foundation
import StepFunctionsJSON
import Synchronization

/// Where callbacks for an execution's task tokens can come from besides its own handlers.
enum CallbackSource: Equatable {
  /// `StateMachine.run`: nothing outside holds the execution.
  case none
  /// `StateMachine.start` with ``ExecutionOptions/waitsForCallbacks`` off.
  case notExpected
  /// `StateMachine.start` with ``ExecutionOptions/waitsForCallbacks`` on: the ``Execution``
  /// handle may send callbacks.
  case expected
  /// The ``Execution`` handle was released.
  case released
  /// ``Execution/finishSendingCallbacks()`` was called.
  case finished

  /// Why no callback can come, for the report of a stuck execution.
  var reason: String {
    switch self {
    case .none: return "it runs with StateMachine.run, which no one outside can send callbacks to"
    case .notExpected:
      return "no callback is expected from outside (ExecutionOptions.waitsForCallbacks is off)"
    case .expected: return "callbacks from outside are expected"
    case .released: return "the Execution handle that could send callbacks was released"
    case .finished: return "finishSendingCallbacks() said no more callbacks come from outside"
    }
  }
}

/// External commands for a running execution (task callbacks and stop requests), the tokens
/// issued so far, and the stream of tokens for ``Execution/taskTokens``.
final class Inbox: @unchecked Sendable {
  typealias Reply = CheckedContinuation<TaskCallbackError?, Never>

  enum Command {
    case callback(token: String, TaskContext.Callback, reply: Reply)
    case stop(error: String?, cause: String?)
  }

  /// Guards the state below; held inline in the inbox (an `NSLock` is two more allocations per
  /// execution).
  private let lock = Mutex(())
  private var commands: [Command] = []
  /// The engine, while it waits for a command.
  private var waiter: CheckedContinuation<Void, Never>?
  private var source: CallbackSource
  /// Every token issued so far, to tell a closed task (`TaskTimedOut`) from an unknown token.
  private var issued: [String: TaskToken] = [:]
  /// Tokens announced and not read yet, oldest first.
  private var unread: [TaskToken] = []
  /// Readers waiting for the next token (only while ``unread`` is empty).
  private var readers: [CheckedContinuation<TaskToken?, Never>] = []
  /// Set while the engine can do nothing but wait for a callback from outside.
  private var isIdle = false
  private var isClosed = false

  init(source: CallbackSource) {
    self.source = source
  }

  // MARK: Callback source

  /// Whether the engine should wait for callbacks from outside rather than move on.
  var expectsOutsideCallbacks: Bool { lock.locked { source == .expected } }

  /// Why no callback can come from outside (for the report of a stuck execution).
  var noCallbackReason: String { lock.locked { source.reason } }

  /// No more callbacks will come from outside: wakes the engine if it waits for one.
  func endOutsideCallbacks(_ reason: CallbackSource) {
    let engine: CheckedContinuation<Void, Never>? = lock.locked {
      guard source == .expected else { return nil }
      source = reason
      let waiting = waiter
      waiter = nil
      return waiting
    }
    engine?.resume()
  }

  // MARK: Tokens

  /// Notes a token given to a task (before its handler runs).
  func register(_ token: TaskToken) {
    lock.locked { issued[token.value] = token }
  }

  /// Announces a task token that now waits for a callback.
  func announce(_ token: TaskToken) {
    let reader: CheckedContinuation<TaskToken?, Never>? = lock.locked {
      if !readers.isEmpty { return readers.removeFirst() }
      unread.append(token)
      return nil
    }
    reader?.resume(returning: token)
  }

  /// The next announced token; `nil` once the execution has ended, or while it can only wait for
  /// callbacks on tokens already read.
  func nextToken() async -> TaskToken? {
    await withCheckedContinuation { (continuation: CheckedContinuation<TaskToken?, Never>) in
      let ready: TaskToken?? = lock.locked {
        if !unread.isEmpty { return .some(unread.removeFirst()) }
        if isClosed || isIdle { return .some(nil) }
        readers.append(continuation)
        return nil
      }
      if let ready { continuation.resume(returning: ready) }
    }
  }

  /// Why a callback for `token` cannot be delivered: `TaskTimedOut` when a task was given the
  /// token (it has closed), `TaskDoesNotExist` otherwise.
  func refusal(for token: String) -> TaskCallbackError {
    lock.locked { refusalLocked(token) }
  }

  private func refusalLocked(_ token: String) -> TaskCallbackError {
    if let issuedToken = issued[token] {
      return .taskTimedOut(issuedToken, executionEnded: isClosed)
    }
    return .taskDoesNotExist(token)
  }

  // MARK: Commands

  func send(_ command: Command) {
    let (engine, refused): (CheckedContinuation<Void, Never>?, (Reply, TaskCallbackError)?) =
      lock.locked {
        if isClosed {
          if case .callback(let token, _, let reply) = command {
            return (nil, (reply, refusalLocked(token)))
          }
          return (nil, nil)
        }
        commands.append(command)
        isIdle = false
        let waiting = waiter
        waiter = nil
        return (waiting, nil)
      }
    if let (reply, error) = refused { reply.resume(returning: error) }
    engine?.resume()
  }

  /// Whether commands are waiting (a cheap check before taking them).
  var hasCommands: Bool { lock.locked { !commands.isEmpty } }

  private func drain() -> [Command] {
    lock.locked {
      let pending = commands
      commands.removeAll()
      return pending
    }
  }

  /// Applies every queued command; returns whether there were any.
  func apply(to engine: Engine) -> Bool {
    let pending = drain()
    for command in pending {
      switch command {
      case .callback(let token, let callback, let reply):
        engine.ready.append(.callback(token, callback, reply: reply))
      case .stop(let error, let cause): engine.abort(error: error, cause: cause)
      }
    }
    return !pending.isEmpty
  }

  /// Suspends until a command arrives (or no more can come from outside), then applies it.
  /// While suspended the engine is idle: token readers with nothing left to read are ended.
  nonisolated(nonsending) func waitForCommand(engine: Engine) async {
    if apply(to: engine) { return }
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let (resumeNow, ended): (Bool, [CheckedContinuation<TaskToken?, Never>]) = lock.locked {
        if !commands.isEmpty || source != .expected { return (true, []) }
        waiter = continuation
        isIdle = true
        let waiting = readers
        readers.removeAll()
        return (false, waiting)
      }
      for reader in ended { reader.resume(returning: nil) }
      if resumeNow { continuation.resume() }
    }
    lock.locked { isIdle = false }
    _ = apply(to: engine)
  }

  /// On the system clock: sleeps until `deadline` in small steps, applying commands as they
  /// come. Returns true when a command interrupted the wait.
  nonisolated(nonsending) func waitUntil(deadline: Instant, engine: Engine) async -> Bool {
    while true {
      if apply(to: engine) { return true }
      let current = Engine.systemNow()
      engine.now = max(engine.now, current)
      if current >= deadline { return false }
      let remaining = deadline.millisecondsSinceEpoch - current.millisecondsSinceEpoch
      try? await Task.sleep(nanoseconds: UInt64(min(remaining, 20)) * 1_000_000)
    }
  }

  /// The execution's run is over: ends the token stream and refuses the callbacks still queued
  /// (and every later one) with `TaskTimedOut` or `TaskDoesNotExist`.
  func close() {
    let (pending, ended): ([Command], [CheckedContinuation<TaskToken?, Never>]) = lock.locked {
      isClosed = true
      isIdle = false
      waiter = nil
      let pending = commands
      commands.removeAll()
      let waiting = readers
      readers.removeAll()
      return (pending, waiting)
    }
    for reader in ended { reader.resume(returning: nil) }
    for case .callback(let token, _, let reply) in pending {
      reply.resume(returning: refusal(for: token))
    }
  }
}

extension Mutex where Value == Void {
  /// Runs `body` with the lock held and returns what it returns.
  @inline(__always)
  borrowing func locked<Result: Sendable>(_ body: () -> Result) -> Result {
    withLock { _ in body() }
  }
}
