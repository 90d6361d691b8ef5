import Foundation

/// Runs work that may recurse deeply on a thread of its own with a large stack, so that the
/// depth limits hold whatever stack the caller has (a secondary thread on Apple platforms has
/// only 512 KiB). The language target's JSONPath parser uses it too.
package enum LargeStack {
  /// The stack the worker thread gets.
  package static let size = 256 << 20

  /// Runs `body` on a new thread with a ``size``-byte stack and waits for it.
  package static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      box.result = Result { try body() }
      done.signal()
    }
    thread.stackSize = size
    thread.start()
    done.wait()
    guard let result = box.result else {
      throw JSONataError(code: "U1001", message: "the evaluation thread did not finish")
    }
    return try result.get()
  }

  /// Hands the result back from the worker; the semaphore orders the accesses.
  private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
  }
}

/// Thrown when an evaluation on the caller's stack gets deeper than is safe there; the
/// evaluation is then run again from the start on a ``LargeStack`` thread (evaluation has no
/// side effects, and the clock and random seed are fixed per evaluation).
struct NeedsLargerStack: Error {}
