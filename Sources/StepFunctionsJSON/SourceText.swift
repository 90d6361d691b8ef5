/// A position in a source text, 1-based, as compilers print it (`file:line:column`).
///
/// The column counts Unicode scalars from the start of the line, so a caret printed under the
/// line lands on the right character even when the line has non-ASCII text before it.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The line, from 1.
  public var line: Int
  /// The column, from 1.
  public var column: Int
  /// The byte offset from the start of the text, from 0.
  public var offset: Int

  /// Creates a location.
  public init(line: Int, column: Int, offset: Int) {
    self.line = line
    self.column = column
    self.offset = offset
  }

  /// `line:column`.
  public var description: String { "\(line):\(column)" }

  /// Orders by offset.
  public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool { lhs.offset < rhs.offset }
}

/// The bytes of a source text (a definition, an input), with the table needed to turn byte
/// offsets into lines and columns. The table is built once, when the text is wrapped.
public struct SourceText: Sendable {
  /// The raw bytes.
  public let bytes: [UInt8]
  /// Byte offsets at which each line starts.
  private let lineStarts: [Int]

  /// Wraps UTF-8 bytes.
  public init(_ bytes: [UInt8]) {
    self.bytes = bytes
    var starts = [0]
    for (offset, byte) in bytes.enumerated() where byte == 0x0A { starts.append(offset + 1) }
    lineStarts = starts
  }

  /// Wraps a string's UTF-8.
  public init(_ string: String) { self.init(Array(string.utf8)) }

  /// The number of lines.
  public var lineCount: Int { lineStarts.count }

  /// The line and column of a byte offset (clamped to the text).
  public func location(ofOffset rawOffset: Int) -> SourceLocation {
    let offset = max(0, min(rawOffset, bytes.count))
    // Binary search for the last line start <= offset.
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
    }
    let start = lineStarts[low]
    var column = 1
    var position = start
    while position < offset {
      // Count scalars: skip UTF-8 continuation bytes.
      if bytes[position] & 0xC0 != 0x80 { column += 1 }
      position += 1
    }
    // The offset itself may sit inside a multi-byte scalar; it is counted as that scalar.
    if offset < bytes.count, bytes[offset] & 0xC0 == 0x80, column > 1 { column -= 1 }
    return SourceLocation(line: low + 1, column: column, offset: offset)
  }

  /// The text of a 1-based line without its line terminator, or `nil` when out of range.
  public func lineText(_ line: Int) -> String? {
    guard line >= 1, line <= lineStarts.count else { return nil }
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
    if end > start, bytes[end - 1] == 0x0D { end -= 1 }
    return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
  }
}
