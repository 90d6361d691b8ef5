import Foundation
import StepFunctionsJSON

/// What a handler can do while it runs: read the clock, spend time, heartbeat, and schedule a
/// callback for its task token.
///
/// On a virtual clock, ``sleep(seconds:)`` returns at once and the time is charged to the task:
/// its result is delivered that much later in virtual time (and a timeout or missed heartbeat in
/// between fails the task instead). On the system clock it really sleeps.
public final class TaskContext: @unchecked Sendable {
  /// A callback a handler schedules for its own task token.
  public enum Callback: Sendable {
    /// `SendTaskSuccess` with this output.
    case success(JSON)
    /// `SendTaskFailure` with this error and cause.
    case failure(error: String, cause: String)
    /// `SendTaskHeartbeat`.
    case heartbeat
  }

  private let lock = NSLock()
  private let start: Instant
  private let isVirtual: Bool
  private var elapsedMilliseconds: Int64 = 0
  private var heartbeats: [Int64] = []
  private var callbacks: [(Int64, Callback)] = []
  private var submission: (Int64, JSON)?

  init(start: Instant, isVirtual: Bool) {
    self.start = start
    self.isVirtual = isVirtual
  }

  /// The current time as the task sees it.
  public var now: Instant {
    lock.withLock { start.advanced(byMilliseconds: elapsedMilliseconds) }
  }

  /// Spends `seconds` of time (virtual or real). Negative and `nan` durations spend nothing;
  /// the time spent saturates (see ``Instant/advanced(bySeconds:)``) rather than trap.
  public func sleep(seconds: Double) async throws {
    let milliseconds = TaskContext.duration(seconds)
    if !isVirtual {
      let (nanoseconds, overflow) = UInt64(milliseconds).multipliedReportingOverflow(by: 1_000_000)
      try await Task.sleep(nanoseconds: overflow ? UInt64.max : nanoseconds)
    }
    lock.withLock {
      elapsedMilliseconds = TaskContext.adding(elapsedMilliseconds, milliseconds)
    }
  }

  /// A duration in whole milliseconds, never negative.
  static func duration(_ seconds: Double) -> Int64 {
    Swift.max(0, Instant.milliseconds(seconds: seconds))
  }

  /// `first + second` for two non-negative durations, saturating at `Int64.max`.
  static func adding(_ first: Int64, _ second: Int64) -> Int64 {
    let (sum, overflow) = first.addingReportingOverflow(second)
    return overflow ? Int64.max : sum
  }

  /// Reports that the task is alive (resets the `HeartbeatSeconds` countdown).
  public func heartbeat() {
    lock.withLock { heartbeats.append(elapsedMilliseconds) }
  }

  /// Schedules a callback for this task's token, `seconds` after now. Only meaningful for
  /// `.waitForTaskToken` tasks.
  public func scheduleCallback(after seconds: Double, _ callback: Callback) {
    lock.withLock {
      callbacks.append(
        (TaskContext.adding(elapsedMilliseconds, TaskContext.duration(seconds)), callback))
    }
  }

  /// Reports the service's response to starting the job, for `.sync` tasks (e.g. MediaConvert's
  /// `CreateJob` response before the job completes). Step Functions records it in a
  /// `TaskSubmitted` event at this point in time. For `.waitForTaskToken` tasks the handler's
  /// return value is the submission.
  public func submitted(_ response: JSON) {
    lock.withLock { submission = (elapsedMilliseconds, response) }
  }

  /// Charges `milliseconds` of time to the task without sleeping (a child execution's duration,
  /// which it already spent on its own clock).
  func charge(milliseconds: Int64) {
    lock.withLock {
      elapsedMilliseconds = TaskContext.adding(elapsedMilliseconds, Swift.max(0, milliseconds))
    }
  }

  /// Schedules a callback `milliseconds` after the task started.
  func scheduleCallback(afterMilliseconds milliseconds: Int64, _ callback: Callback) {
    lock.withLock { callbacks.append((Swift.max(0, milliseconds), callback)) }
  }

  struct Record {
    var elapsedMilliseconds: Int64
    var heartbeats: [Int64]
    var callbacks: [(Int64, Callback)]
    var submission: (Int64, JSON)?
  }

  var record: Record {
    lock.withLock {
      Record(
        elapsedMilliseconds: elapsedMilliseconds, heartbeats: heartbeats, callbacks: callbacks,
        submission: submission)
    }
  }
}
