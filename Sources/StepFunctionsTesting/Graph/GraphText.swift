/// Label text shared by the renderers.
enum GraphText {
  /// Labels longer than this many characters are cut, ending in `…`.
  static let maximumLabelLength = 80

  /// `text`, cut to ``maximumLabelLength`` characters.
  static func clipped(_ text: String) -> String {
    guard text.count > maximumLabelLength else { return text }
    return String(text.prefix(maximumLabelLength - 1)) + "…"
  }

  /// `text` with every control character other than a line feed shown as its Unicode control
  /// picture (U+2400 block; DEL as U+2421), a tab as a space and a carriage return dropped:
  /// neither Mermaid nor DOT can show them, and XML forbids most.
  static func visible(_ text: String) -> String {
    var result = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x0A: result.append(scalar)
      case 0x09: result.append(" ")
      case 0x0D: continue
      case 0x00..<0x20:
        result.append(Unicode.Scalar(0x2400 + scalar.value) ?? "?")
      case 0x7F: result.append("\u{2421}")
      case 0x80..<0xA0, 0x2028, 0x2029, 0xFFFE, 0xFFFF: result.append("\u{FFFD}")
      default: result.append(scalar)
      }
    }
    return String(result)
  }
}
