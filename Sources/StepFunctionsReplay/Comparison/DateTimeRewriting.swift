/// The corpus's rule for date-times (README rule 2): every ISO-8601 date-time found anywhere in a
/// string becomes `date`.
///
/// A date-time here is what the recording tool recognized: `YYYY-MM-DDThh:mm:ss`, a real calendar
/// date (leap years included, year 1000–9999), an optional fraction of 1 to 9 digits and a
/// mandatory zone (`Z`, `±hh`, `±hhmm` or `±hh:mm`). `2016-13-05T21:29:29Z` is not one, so it stays.
/// Matches are found left to right without word boundaries, like a regular-expression search.
public enum DateTimeRewriting {
  /// The text that replaces each date-time.
  public static let replacement = "date"

  /// Whether the whole of `text` is one date-time.
  public static func isDateTime(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    return dateTimeLength(in: bytes, at: 0) == bytes.count && !bytes.isEmpty
  }

  /// `text` with every date-time replaced by `date`.
  ///
  /// - Complexity: O(*n*) for a string of *n* bytes.
  public static func replacingDateTimes(in text: String) -> String {
    let bytes = Array(text.utf8)
    guard bytes.count >= 20, bytes.contains(UInt8(ascii: "T")) else { return text }
    var output: [UInt8] = []
    var index = 0
    var changed = false
    while index < bytes.count {
      if let length = dateTimeLength(in: bytes, at: index) {
        output.append(contentsOf: replacement.utf8)
        index += length
        changed = true
      } else {
        output.append(bytes[index])
        index += 1
      }
    }
    return changed ? String(decoding: output, as: UTF8.self) : text
  }

  /// The length of the date-time starting at `start`, or `nil` when none starts there.
  static func dateTimeLength(in bytes: [UInt8], at start: Int) -> Int? {
    var cursor = start
    func digits(_ count: Int) -> Int? {
      guard cursor + count <= bytes.count else { return nil }
      var value = 0
      for offset in 0..<count {
        let byte = bytes[cursor + offset]
        guard byte >= 0x30 && byte <= 0x39 else { return nil }
        value = value * 10 + Int(byte - 0x30)
      }
      cursor += count
      return value
    }
    func literal(_ character: Character) -> Bool {
      guard cursor < bytes.count, let ascii = character.asciiValue, bytes[cursor] == ascii else {
        return false
      }
      cursor += 1
      return true
    }

    guard cursor < bytes.count, bytes[cursor] >= 0x31 && bytes[cursor] <= 0x39 else { return nil }
    guard let year = digits(4), literal("-"), let month = digits(2), literal("-"),
      let day = digits(2), literal("T"), let hour = digits(2), literal(":"),
      let minute = digits(2), literal(":"), let second = digits(2)
    else { return nil }
    guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
      hour <= 23, minute <= 59, second <= 59
    else { return nil }

    if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ".") {
      var end = cursor + 1
      while end < bytes.count, bytes[end] >= 0x30 && bytes[end] <= 0x39 { end += 1 }
      let fractionDigits = end - cursor - 1
      guard (1...9).contains(fractionDigits) else { return nil }
      cursor = end
    }

    guard cursor < bytes.count else { return nil }
    switch bytes[cursor] {
    case UInt8(ascii: "Z"):
      cursor += 1
    case UInt8(ascii: "+"), UInt8(ascii: "-"):
      cursor += 1
      guard cursor + 2 <= bytes.count, bytes[cursor] == 0x30 || bytes[cursor] == 0x31,
        bytes[cursor + 1] >= 0x30 && bytes[cursor + 1] <= 0x39
      else { return nil }
      cursor += 2
      if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") { cursor += 1 }
      if cursor + 2 <= bytes.count, bytes[cursor] >= 0x30 && bytes[cursor] <= 0x35,
        bytes[cursor + 1] >= 0x30 && bytes[cursor + 1] <= 0x39
      {
        cursor += 2
      }
    default:
      return nil
    }
    return cursor - start
  }

  private static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2:
      let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
      return leap ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}
