import StepFunctions

/// A source line and a caret line under it, ready to print:
///
/// ```
///     "Next": "Missing",
///             ^
/// ```
///
/// The caret is placed by counting Unicode scalars, as ``SourceLocation/column`` does. Tabs
/// before the column are copied into the caret line so the caret lines up whatever the tab
/// width; East Asian wide characters and emoji take two spaces, combining marks none. Control
/// characters in the line are shown as `�` so that nothing from the file can steer the
/// terminal. Lines wider than ``maximumWidth`` are cut to a window around the caret, with `...`
/// marking the cut ends.
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

  /// The excerpt for `location` in `source`, or `nil` when the line does not exist.
  public init?(source: SourceText, location: SourceLocation, maximumWidth: Int = maximumWidth) {
    guard let text = source.lineText(location.line) else { return nil }
    self.init(lineText: text, column: location.column, maximumWidth: maximumWidth)
  }

  /// The excerpt for a 1-based scalar `column` in `lineText`.
  public init(lineText: String, column: Int, maximumWidth: Int = maximumWidth) {
    let scalars = lineText.unicodeScalars.map(SourceExcerpt.displayable)
    let caretIndex = max(0, min(column - 1, scalars.count))
    let widths = scalars.map { $0 == "\t" ? 8 : TerminalWidth.columns(of: $0) }
    var start = 0
    var end = scalars.count
    if widths.reduce(0, +) > maximumWidth {
      // Keep about a third of the window before the caret, the rest after it.
      let budget = max(maximumWidth - 6, 10)
      var used = 0
      start = caretIndex
      while start > 0, used + widths[start - 1] <= budget / 3 {
        start -= 1
        used += widths[start]
      }
      end = caretIndex
      while end < scalars.count, used + widths[end] <= budget {
        used += widths[end]
        end += 1
      }
    }
    var shownLine = start > 0 ? "..." : ""
    var caretLine = start > 0 ? "   " : ""
    for index in start..<end {
      shownLine.unicodeScalars.append(scalars[index])
      if index < caretIndex {
        if scalars[index] == "\t" {
          caretLine.append("\t")
        } else {
          caretLine.append(String(repeating: " ", count: widths[index]))
        }
      }
    }
    if end < scalars.count { shownLine += "..." }
    caretLine.append("^")
    self.init(line: shownLine, caret: caretLine)
  }

  /// Tabs stay; other control characters become U+FFFD.
  private static func displayable(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    if scalar == "\t" { return scalar }
    switch scalar.value {
    case 0x00..<0x20, 0x7F..<0xA0, 0x2028, 0x2029: return "\u{FFFD}"
    default:
      // Bidirectional overrides and isolates could reorder what the terminal shows.
      if (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value) {
        return "\u{FFFD}"
      }
      return scalar
    }
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
