/// RFC 3339 timestamps as Step Functions accepts them (`2016-03-14T01:59:00Z`,
/// `2016-03-14T01:59:00.123+02:00`).
public enum Timestamp {
  /// Whether `text` is an RFC 3339 date-time with a valid calendar date, time and offset.
  public static func isRFC3339(_ text: String) -> Bool { parse(text) != nil }

  /// The instant `text` denotes, as seconds since 1970-01-01T00:00:00Z, or `nil` when `text` is
  /// not an RFC 3339 date-time.
  public static func parse(_ text: String) -> Double? {
    let bytes = Array(text.utf8)
    var position = 0
    func digits(_ count: Int) -> Int? {
      guard position + count <= bytes.count else { return nil }
      var value = 0
      for offset in 0..<count {
        let byte = bytes[position + offset]
        guard byte >= 0x30 && byte <= 0x39 else { return nil }
        value = value * 10 + Int(byte - 0x30)
      }
      position += count
      return value
    }
    func expect(_ byte: UInt8) -> Bool {
      guard position < bytes.count, bytes[position] == byte else { return false }
      position += 1
      return true
    }
    guard let year = digits(4), expect(0x2D), let month = digits(2), expect(0x2D),
      let day = digits(2)
    else {
      return nil
    }
    guard position < bytes.count, bytes[position] == 0x54 || bytes[position] == 0x74 else {
      return nil
    }
    position += 1
    guard let hour = digits(2), expect(0x3A), let minute = digits(2), expect(0x3A),
      let second = digits(2)
    else {
      return nil
    }
    var fraction = 0.0
    if position < bytes.count, bytes[position] == 0x2E {
      position += 1
      let start = position
      var scale = 0.1
      while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
        fraction += Double(bytes[position] - 0x30) * scale
        scale /= 10
        position += 1
      }
      guard position > start else { return nil }
    }
    var offsetSeconds = 0
    guard position < bytes.count else { return nil }
    switch bytes[position] {
    case 0x5A, 0x7A:
      position += 1
    case 0x2B, 0x2D:
      let sign = bytes[position] == 0x2D ? -1 : 1
      position += 1
      guard let offsetHour = digits(2), expect(0x3A), let offsetMinute = digits(2), offsetHour < 24,
        offsetMinute < 60
      else { return nil }
      offsetSeconds = sign * (offsetHour * 3600 + offsetMinute * 60)
    default:
      return nil
    }
    guard position == bytes.count else { return nil }
    guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24,
      minute < 60,
      second < 60
    else { return nil }
    let days = daysSinceEpoch(year: year, month: month, day: day)
    let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds)
    return seconds + fraction
  }

  static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days from 1970-01-01 to the given civil date (proleptic Gregorian calendar).
  static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
    let adjustedYear = month <= 2 ? year - 1 : year
    let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
    let yearOfEra = adjustedYear - era * 400
    let shiftedMonth = month > 2 ? month - 3 : month + 9
    let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }
}
