import StepFunctions

/// A source line and a caret line under it, ready to print:
///
/// ```
///     "Next": "Missing",
///             ^
/// ```
///
/// The caret is placed by counting Unicode scalars, as ``SourceLocation/column`` does (a byte
/// that is not valid UTF-8 counts as one). Tabs before the column are copied into the caret line
/// so the caret lines up whatever the tab width; East Asian wide characters and emoji take two
/// spaces, combining marks none. Nothing from the file can steer the terminal: control
/// characters, line and paragraph separators and bidirectional overrides are shown as escapes
/// (`\u{1B}`), and bytes that are not UTF-8 as `\xFF`; the caret accounts for the escape's
/// width and sits on its backslash. Lines wider than ``maximumWidth`` are cut to a window around
/// the caret, with `...` marking the cut ends.
public struct SourceExcerpt: Sendable, Hashable {
  /// The (possibly shortened) source line.
  public var line: String
  /// Spaces and tabs, then `^`.
  public var caret: String

  /// The widest line shown in full, in terminal columns.
  public static let maximumWidth = 120

  /// Creates an excerpt from its two lines.
  public init(line: String, caret: String) {
    self.line = line
    self.caret = caret
  }

  /// The excerpt for `location` in `source`, or `nil` when the line does not exist. Bytes of
  /// the line that are not valid UTF-8 are shown as `\xFF` escapes, one per byte.
  public init?(source: SourceText, location: SourceLocation, maximumWidth: Int = maximumWidth) {
    guard let bytes = source.lineBytes(location.line) else { return nil }
    self.init(
      cells: SourceExcerpt.cells(decoding: bytes), column: location.column,
      maximumWidth: maximumWidth)
  }

  /// The excerpt for a 1-based scalar `column` in `lineText`.
  public init(lineText: String, column: Int, maximumWidth: Int = maximumWidth) {
    self.init(
      cells: lineText.unicodeScalars.map(SourceExcerpt.cell(for:)), column: column,
      maximumWidth: maximumWidth)
  }

  /// One column of the source (a scalar, or a byte that is not UTF-8) as shown.
  struct Cell {
    /// The text printed for it.
    var text: String
    /// Its width in terminal columns (a tab counts 8 for the window; the caret line copies it).
    var width: Int
    /// Whether it is a tab, copied as is into the caret line.
    var isTab: Bool = false
  }

  private init(cells: [Cell], column: Int, maximumWidth: Int) {
    let caretIndex = max(0, min(column - 1, cells.count))
    var start = 0
    var end = cells.count
    if cells.reduce(0, { $0 + $1.width }) > maximumWidth {
      // Keep about a third of the window before the caret, the rest after it.
      let budget = max(maximumWidth - 6, 10)
      var used = 0
      start = caretIndex
      while start > 0, used + cells[start - 1].width <= budget / 3 {
        start -= 1
        used += cells[start].width
      }
      end = caretIndex
      while end < cells.count, used + cells[end].width <= budget {
        used += cells[end].width
        end += 1
      }
    }
    var shownLine = start > 0 ? "..." : ""
    var caretLine = start > 0 ? "   " : ""
    for index in start..<end {
      let cell = cells[index]
      shownLine += cell.text
      if index < caretIndex {
        caretLine += cell.isTab ? "\t" : String(repeating: " ", count: cell.width)
      }
    }
    if end < cells.count { shownLine += "..." }
    caretLine.append("^")
    self.init(line: shownLine, caret: caretLine)
  }

  /// The cells of a line given as bytes: one per valid UTF-8 scalar, one `\xHH` per byte that is
  /// not part of one (as ``SourceText/location(ofOffset:)`` counts columns).
  static func cells(decoding bytes: ArraySlice<UInt8>) -> [Cell] {
    var cells: [Cell] = []
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = bytes.makeIterator()
    var position = bytes.startIndex
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let encoded):
        cells.append(cell(for: Unicode.UTF8.decode(encoded)))
        position += encoded.count
      case .error(let length):
        for byte in bytes[position..<(position + length)] {
          let text = "\\x" + hexDigits(UInt32(byte), minimumCount: 2)
          cells.append(Cell(text: text, width: text.count))
        }
        position += length
      case .emptyInput:
        return cells
      }
    }
  }

  /// The cell for one scalar: tabs stay, characters that could steer the terminal are escaped.
  static func cell(for scalar: Unicode.Scalar) -> Cell {
    if scalar == "\t" { return Cell(text: "\t", width: 8, isTab: true) }
    if needsEscape(scalar) {
      let text = escape(scalar)
      return Cell(text: text, width: text.count)
    }
    return Cell(text: String(scalar), width: TerminalWidth.columns(of: scalar))
  }

  /// `text` with every character that could steer a terminal written as an escape (`\u{1B}`);
  /// tabs stay. For messages that quote the definition (state names, field values).
  public static func escapingControlCharacters(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: needsEscape) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
      if needsEscape(scalar) {
        result += escape(scalar)
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  /// Control characters other than tab (C0, DEL, C1), line and paragraph separators, and the
  /// bidirectional overrides and isolates that could reorder what the terminal shows.
  static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09: return false
    case 0x00..<0x20, 0x7F..<0xA0, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
    default: return false
    }
  }

  /// `\u{1B}`: Swift's escape, the code point in upper-case hexadecimal.
  static func escape(_ scalar: Unicode.Scalar) -> String {
    "\\u{" + hexDigits(scalar.value, minimumCount: 1) + "}"
  }

  private static func hexDigits(_ value: UInt32, minimumCount: Int) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, minimumCount - digits.count)) + digits
  }
}

/// How many terminal columns a character takes: 0 for combining marks and format characters,
/// 2 for East Asian wide and full-width characters and emoji shown as pictures, 1 otherwise.
/// An approximation of Unicode's East Asian Width property, good enough to place a caret.
enum TerminalWidth {
  static func columns(of scalar: Unicode.Scalar) -> Int {
    let properties = scalar.properties
    switch properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if properties.isEmojiPresentation { return 2 }
    switch scalar.value {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
      0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1B000...0x1B2FF, 0x20000...0x3FFFD:
      return 2
    default:
      return 1
    }
  }
}
