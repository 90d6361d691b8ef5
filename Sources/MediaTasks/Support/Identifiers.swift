import Foundation
import StepFunctions

/// Deterministic identifiers for everything the in-memory services hand out (message IDs, job
/// IDs, ETags, request IDs): drawn from a seeded generator, so the same world seed and the same
/// sequence of calls give the same identifiers.
final class IdentifierSource: @unchecked Sendable {
  private let lock = NSLock()
  private var random: SeededRandom

  init(seed: UInt64) { random = SeededRandom(seed: seed) }

  /// A lowercase UUID (version 4 layout).
  func uuid() -> String {
    let (high, low) = lock.withLock { (random.next(), random.next()) }
    let hex = Array(IdentifierSource.hex(high, digits: 16) + IdentifierSource.hex(low, digits: 16))
    var characters = hex
    characters[12] = "4"
    let variant = "89ab"
    if let digit = Int(String(characters[16]), radix: 16) {
      characters[16] = variant[variant.index(variant.startIndex, offsetBy: digit % 4)]
    }
    let text = String(characters)
    func slice(_ from: Int, _ to: Int) -> Substring {
      text[text.index(text.startIndex, offsetBy: from)..<text.index(text.startIndex, offsetBy: to)]
    }
    return "\(slice(0, 8))-\(slice(8, 12))-\(slice(12, 16))-\(slice(16, 20))-\(slice(20, 32))"
  }

  /// `count` characters from `alphabet`.
  func characters(_ count: Int, from alphabet: String = "abcdefghijklmnopqrstuvwxyz0123456789")
    -> String
  {
    let letters = Array(alphabet)
    guard !letters.isEmpty else { return "" }
    return lock.withLock {
      String((0..<count).map { _ in letters[Int(random.next(upperBound: UInt64(letters.count)))] })
    }
  }

  static func hex(_ value: UInt64, digits: Int) -> String {
    let text = String(value, radix: 16)
    return String(repeating: "0", count: max(0, digits - text.count)) + text
  }
}

extension NSLock {
  /// Runs `body` holding the lock, keeping the body's typed error.
  func locked<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
    lock()
    defer { unlock() }
    return try body()
  }
}
