import StepFunctionsJSON

/// The timestamps of exported histories: ISO 8601 text with any UTC offset and any number of
/// fraction digits (AWS CLI v2, SDK dumps), or epoch seconds as a number (the API's wire form,
/// AWS CLI v1). Everything is kept to the millisecond, the precision Step Functions records.
enum HistoryTimestamp {
  /// The instant `value` denotes, or why it denotes none.
  static func instant(_ value: JSON) -> Result<Instant, Problem> {
    switch value {
    case .string(let text): return instant(iso8601: text)
    case .number(let number): return instant(epochSeconds: number)
    default: return .failure(.wrongType)
    }
  }

  /// Why a value is not a timestamp.
  enum Problem: Error, Equatable {
    /// Neither a string nor a number.
    case wrongType
    /// A string or number that is no instant, and why.
    case invalid(String)
  }

  /// The instant of epoch seconds, to the nearest millisecond.
  static func instant(epochSeconds number: JSONNumber) -> Result<Instant, Problem> {
    // ±9.2e15 s is past any Int64 millisecond count; ±1e14 s (over three million years)
    // keeps the arithmetic exact enough and covers every real history.
    let limit = 100_000_000_000_000.0
    let seconds = number.doubleValue
    guard seconds.isFinite, seconds > -limit, seconds < limit else {
      return .failure(.invalid("\(number) seconds since 1970 is out of range"))
    }
    if let whole = number.int64Value, number.isInteger {
      return .success(Instant(millisecondsSinceEpoch: whole * 1000))
    }
    return .success(Instant(millisecondsSinceEpoch: Int64((seconds * 1000).rounded())))
  }

  /// The instant of an ISO 8601 date and time with a UTC offset: `2024-11-18T14:06:54.574+01:00`,
  /// `…54Z`, `…54.574000+0100`, a space instead of `T` (Python's `str(datetime)`). Fraction digits
  /// past the millisecond round half up.
  static func instant(iso8601 text: String) -> Result<Instant, Problem> {
    let bytes = Array(text.utf8)
    var position = 0
    func number(_ count: Int) -> Int? {
      guard position + count <= bytes.count else { return nil }
      var value = 0
      for byte in bytes[position..<position + count] {
        guard byte >= 0x30, byte <= 0x39 else { return nil }
        value = value * 10 + Int(byte - 0x30)
      }
      position += count
      return value
    }
    func skip(_ byte: UInt8) -> Bool {
      guard position < bytes.count, bytes[position] == byte else { return false }
      position += 1
      return true
    }
    let shape = "expected a date and time like 2024-11-18T14:06:54.574+01:00"
    guard let year = number(4), skip(0x2D), let month = number(2), skip(0x2D),
      let day = number(2)
    else { return .failure(.invalid(shape)) }
    guard position < bytes.count, [0x54, 0x74, 0x20].contains(bytes[position]) else {
      return .failure(.invalid(shape))
    }
    position += 1
    guard let hour = number(2), skip(0x3A), let minute = number(2), skip(0x3A),
      let second = number(2)
    else { return .failure(.invalid(shape)) }
    var milliseconds = 0
    if skip(0x2E) {
      var digits = 0
      var roundsUp = false
      while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
        let digit = Int(bytes[position] - 0x30)
        if digits < 3 {
          milliseconds = milliseconds * 10 + digit
        } else if digits == 3 {
          roundsUp = digit >= 5
        }
        digits += 1
        position += 1
      }
      guard digits > 0 else {
        return .failure(.invalid("expected digits after the decimal point"))
      }
      for _ in digits..<max(digits, 3) { milliseconds *= 10 }
      if roundsUp { milliseconds += 1 }
    }
    var offsetSeconds = 0
    guard position < bytes.count else {
      return .failure(.invalid("the time has no UTC offset: expected Z or ±HH:MM after it"))
    }
    switch bytes[position] {
    case 0x5A, 0x7A:
      position += 1
    case 0x2B, 0x2D:
      let sign = bytes[position] == 0x2D ? -1 : 1
      position += 1
      guard let offsetHour = number(2) else {
        return .failure(.invalid("expected an offset ±HH:MM"))
      }
      _ = skip(0x3A)
      guard let offsetMinute = number(2), offsetHour < 24, offsetMinute < 60 else {
        return .failure(.invalid("expected an offset ±HH:MM"))
      }
      offsetSeconds = sign * (offsetHour * 3600 + offsetMinute * 60)
    default:
      return .failure(.invalid("the time has no UTC offset: expected Z or ±HH:MM after it"))
    }
    guard position == bytes.count else {
      return .failure(.invalid("unexpected text after the UTC offset"))
    }
    guard (1...12).contains(month) else {
      return .failure(.invalid("the month \(month) does not exist"))
    }
    guard day >= 1, day <= daysIn(month: month, year: year) else {
      return .failure(
        .invalid("the day \(day) does not exist in \(year)-\(month < 10 ? "0" : "")\(month)"))
    }
    guard hour < 24, minute < 60, second < 60 else {
      return .failure(.invalid("the time of day is out of range"))
    }
    let days = daysSinceEpoch(year: year, month: month, day: day)
    let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
    return .success(Instant(millisecondsSinceEpoch: seconds * 1000 + Int64(milliseconds)))
  }

  /// The text the AWS CLI (v2) prints for an instant, in UTC: Python's `datetime.isoformat()`,
  /// microseconds shown only when not zero — `2024-11-18T13:06:54.574000+00:00`,
  /// `2025-01-01T00:00:00+00:00`.
  static func awsCLIText(_ instant: Instant) -> String {
    let iso = instant.iso8601  // …THH:MM:SS.mmmZ
    let base = iso.dropLast(5)
    let milliseconds = iso.dropFirst(iso.count - 4).dropLast()
    return milliseconds == "000" ? base + "+00:00" : base + "." + milliseconds + "000+00:00"
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days from 1970-01-01 to a civil date (proleptic Gregorian).
  static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
    let shiftedYear = Int64(month <= 2 ? year - 1 : year)
    let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
    let yearOfEra = shiftedYear - era * 400
    let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
    let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }
}
