#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reading files and writing the standard streams with plain POSIX calls, so that error messages
/// are the system's own (`No such file or directory`).
enum SystemIO {
  /// Reads the whole file at `path`.
  static func readFile(atPath path: String) throws(FileReadError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw FileReadError(reason: lastErrorDescription()) }
    defer { close(descriptor) }
    return try readAll(from: descriptor)
  }

  /// Creates or replaces the file at `path` with `bytes` (mode 0644 before the umask).
  static func writeFile(atPath path: String, bytes: [UInt8]) throws(FileWriteError) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else { throw FileWriteError(reason: lastErrorDescription()) }
    var failure: String?
    bytes.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return }
      var offset = 0
      while offset < buffer.count {
        let written = write(descriptor, base + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          failure = lastErrorDescription()
          return
        }
        offset += written
      }
    }
    if close(descriptor) != 0, failure == nil { failure = lastErrorDescription() }
    if let failure { throw FileWriteError(reason: failure) }
  }

  /// Reads standard input to its end.
  static func readStandardInput() throws(FileReadError) -> [UInt8] {
    try readAll(from: 0)
  }

  /// Reads a descriptor to its end.
  private static func readAll(from descriptor: Int32) throws(FileReadError) -> [UInt8] {
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = chunk.withUnsafeMutableBytes { buffer in
        read(descriptor, buffer.baseAddress, buffer.count)
      }
      if count == 0 { return result }
      if count < 0 {
        if errno == EINTR { continue }
        throw FileReadError(reason: lastErrorDescription())
      }
      result.append(contentsOf: chunk[0..<count])
    }
  }

  /// Writes all of `text` to a descriptor, retrying short writes. Errors (a closed pipe) are
  /// ignored: there is nowhere left to report them.
  static func writeAll(_ text: String, to descriptor: Int32) {
    var text = text
    text.withUTF8 { utf8 in
      guard let base = utf8.baseAddress else { return }
      var offset = 0
      while offset < utf8.count {
        let written = write(descriptor, base + offset, utf8.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return
        }
        offset += written
      }
    }
  }

  private static func lastErrorDescription() -> String {
    guard let message = strerror(errno) else { return "error \(errno)" }
    return String(cString: message)
  }
}

/// Standard output or standard error as a `TextOutputStream`, written unbuffered.
public struct StandardStream: TextOutputStream, Sendable {
  /// The file descriptor (1 or 2).
  let descriptor: Int32

  /// The process's standard output.
  public static var output: StandardStream { StandardStream(descriptor: 1) }
  /// The process's standard error.
  public static var error: StandardStream { StandardStream(descriptor: 2) }

  /// Writes `string` immediately.
  public mutating func write(_ string: String) { SystemIO.writeAll(string, to: descriptor) }
}

extension SystemIO {
  /// The process environment as a dictionary (a later duplicate name wins).
  static func environment() -> [String: String] {
    var result: [String: String] = [:]
    #if canImport(Darwin)
      guard let table = _NSGetEnviron()?.pointee else { return result }
    #else
      guard let table = environ as UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? else {
        return result
      }
    #endif
    var index = 0
    while let entry = table[index] {
      let text = String(cString: entry)
      if let equals = text.firstIndex(of: "=") {
        result[String(text[..<equals])] = String(text[text.index(after: equals)...])
      }
      index += 1
    }
    return result
  }
}
