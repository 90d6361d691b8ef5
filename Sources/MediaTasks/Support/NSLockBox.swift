import Foundation

/// A lock for small critical sections.
final class NSLockBox: @unchecked Sendable {
  private let lock = NSLock()

  func run<T>(_ body: () -> T) -> T {
    lock.lock()
    defer { lock.unlock() }
    return body()
  }
}
