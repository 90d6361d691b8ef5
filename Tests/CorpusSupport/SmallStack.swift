import Foundation

/// Runs test work on a thread with a small stack, so that a test of a depth limit fails (the
/// process crashes) when something recurses too deeply for the threads library users run on.
///
/// Swift concurrency and Swift Testing run work on secondary threads, whose stacks are 512 KiB
/// on Apple platforms. On Linux those threads get the main thread's 8 MiB, so running the work
/// inside a `Task` alone would not show the problem there: the work runs inside a detached task
/// *and* on a thread of its own with ``size`` bytes of stack.
public enum SmallStack {
  /// The stack size of a secondary thread on Apple platforms: 512 KiB.
  public static let size = 512 * 1024

  /// Runs `body` on a thread with a stack of `size` bytes, from a detached task, and returns
  /// what it returns or rethrows what it throws.
  public static func run<T: Sendable>(
    size: Int = SmallStack.size, _ body: @escaping @Sendable () throws -> T
  ) async throws -> T {
    try await Task.detached {
      try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
          continuation.resume(with: Result<T, any Error> { try body() })
        }
        thread.stackSize = size
        thread.start()
      }
    }.value
  }
}
