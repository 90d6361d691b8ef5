import Foundation

/// Checks of the fuzz targets: an invariant that does not hold stops the process, so that
/// libFuzzer records the input that broke it.
///
/// Only fuzz harness code may stop the process like this. The library itself never does: what a
/// user supplies ends in an error, never in a trap.
public enum Invariant {
  /// Stops the process with `message` when `condition` is false.
  public static func require(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
  ) {
    if !condition() { fail(message(), file: file, line: line) }
  }

  /// Prints `message` (cut to a readable length) and stops the process.
  public static func fail(_ message: String, file: StaticString = #fileID, line: UInt = #line)
    -> Never
  {
    let text = "invariant violated at \(file):\(line): \(abbreviated(message))\n"
    FileHandle.standardError.write(Data(text.utf8))
    fatalError("invariant violated", file: file, line: line)
  }

  /// `text` cut to `limit` characters, with a note of how much was left out.
  public static func abbreviated(_ text: String, limit: Int = 2_000) -> String {
    guard text.count > limit else { return text }
    return String(text.prefix(limit)) + "… (\(text.count - limit) more characters)"
  }
}

/// Splits fuzz input into parts.
public enum FuzzInput {
  /// The bytes before the first occurrence of `separator`, and those after it (`nil` when the
  /// separator does not occur).
  public static func split(_ bytes: [UInt8], at separator: [UInt8]) -> ([UInt8], [UInt8]?) {
    guard !separator.isEmpty, bytes.count >= separator.count else { return (bytes, nil) }
    var start = 0
    while start + separator.count <= bytes.count {
      if bytes[start..<(start + separator.count)].elementsEqual(separator) {
        return (Array(bytes[..<start]), Array(bytes[(start + separator.count)...]))
      }
      start += 1
    }
    return (bytes, nil)
  }

  /// The first line (without its `\n`) and the rest (`nil` when there is no newline).
  public static func firstLine(_ bytes: [UInt8]) -> (String, [UInt8]?) {
    let (head, tail) = split(bytes, at: [0x0A])
    return (String(decoding: head, as: UTF8.self), tail)
  }
}
