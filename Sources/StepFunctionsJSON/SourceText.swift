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
  public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
    lhs.offset < rhs.offset
  }
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

  /// Whether the text starts with a UTF-8 byte-order mark (`EF BB BF`).
  public var hasByteOrderMark: Bool {
    bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
  }

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
    // A byte-order mark is not part of the text: the first character after it is column 1.
    var position = low == 0 && hasByteOrderMark ? min(3, offset) : start
    bytes.withUnsafeBufferPointer { buffer in
      // One column per well-formed scalar, and one per byte that is not valid UTF-8. An offset
      // inside a multi-byte scalar is counted as that scalar.
      while position < offset {
        let next =
          buffer[position] < 0x80
          ? position + 1 : position + (JSONReader.validScalarLength(buffer, at: position) ?? 1)
        if next > offset { break }
        column += 1
        position = next
      }
    }
    return SourceLocation(line: low + 1, column: column, offset: offset)
  }

  /// The text of a 1-based line without its line terminator, or `nil` when out of range.
  public func lineText(_ line: Int) -> String? {
    lineBytes(line).map { String(decoding: $0, as: UTF8.self) }
  }

  /// The bytes of a 1-based line without its line terminator (nor, on the first line, a
  /// byte-order mark), or `nil` when out of range.
  public func lineBytes(_ line: Int) -> ArraySlice<UInt8>? {
    guard line >= 1, line <= lineStarts.count else { return nil }
    let start = line == 1 && hasByteOrderMark ? 3 : lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
    if end > start, bytes[end - 1] == 0x0D { end -= 1 }
    return bytes[start..<max(start, end)]
  }
}
