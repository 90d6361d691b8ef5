import Foundation

/// Timestamps: ISO 8601 text to and from milliseconds since the epoch (UTC).
enum DateTime {
  static func isoString(_ millis: Double) -> String? {
    guard millis.isFinite, millis.magnitude <= 8.64e15 else { return nil }
    let total = Int64(millis.rounded(.down))
    var days = total / 86_400_000
    var rest = total % 86_400_000
    if rest < 0 {
      rest += 86_400_000
      days -= 1
    }
    let (year, month, day) = civil(fromDays: days)
    let hour = rest / 3_600_000
    let minute = rest / 60_000 % 60
    let second = rest / 1000 % 60
    let milli = rest % 1000
    func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
    func three(_ v: Int64) -> String { v < 10 ? "00\(v)" : (v < 100 ? "0\(v)" : "\(v)") }
    let yearText: String
    if year >= 0, year <= 9999 {
      yearText = String(repeating: "0", count: 4 - String(year).count) + String(year)
    } else {
      let digits = String(abs(year))
      yearText =
        (year < 0 ? "-" : "+") + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
    return
      "\(yearText)-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second)).\(three(milli))Z"
  }

  /// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar.
  static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, m, d)
  }

  /// (year, month, day) to days since 1970-01-01.
  static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = month > 2 ? month - 3 : month + 9
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// Parses the ISO 8601 forms jsonata's `$toMillis` accepts without a picture.
  static func parseISO(_ text: String) -> Double? {
    let chars = Array(text.utf8)
    var index = 0
    func number(_ count: Int) -> Int64? {
      guard index + count <= chars.count else { return nil }
      var value: Int64 = 0
      for offset in 0..<count {
        let c = chars[index + offset]
        guard c >= 0x30, c <= 0x39 else { return nil }
        value = value * 10 + Int64(c - 0x30)
      }
      index += count
      return value
    }
    func accept(_ c: UInt8) -> Bool {
      if index < chars.count, chars[index] == c {
        index += 1
        return true
      }
      return false
    }
    guard let year = number(4) else { return nil }
    var month: Int64 = 1
    var day: Int64 = 1
    var hour: Int64 = 0
    var minute: Int64 = 0
    var second: Int64 = 0
    var millis: Double = 0
    var offsetMinutes: Int64 = 0
    if accept(0x2D) {
      guard let m = number(2) else { return nil }
      month = m
      if accept(0x2D) {
        guard let d = number(2) else { return nil }
        day = d
      }
    }
    if accept(0x54) {
      guard let h = number(2), accept(0x3A), let mi = number(2) else { return nil }
      hour = h
      minute = mi
      if accept(0x3A) {
        guard let s = number(2) else { return nil }
        second = s
      }
      if accept(0x2E) {
        var digits = ""
        while index < chars.count, chars[index] >= 0x30, chars[index] <= 0x39 {
          digits.append(Character(Unicode.Scalar(chars[index])))
          index += 1
        }
        guard !digits.isEmpty else { return nil }
        millis = (Double("0." + digits) ?? 0) * 1000
        millis = millis.rounded(.down)
      }
    }
    if accept(0x5A) {
      offsetMinutes = 0
    } else if index < chars.count, chars[index] == 0x2B || chars[index] == 0x2D {
      let sign: Int64 = chars[index] == 0x2D ? -1 : 1
      index += 1
      guard let h = number(2) else { return nil }
      _ = accept(0x3A)
      guard let m = number(2) else { return nil }
      offsetMinutes = sign * (h * 60 + m)
    }
    guard index == chars.count, month >= 1, month <= 12, day >= 1, day <= 31, hour <= 24,
      minute <= 59, second <= 59
    else { return nil }
    let dayCount = days(year: year, month: month, day: day)
    let seconds = dayCount * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
    return Double(seconds) * 1000 + millis
  }
}

extension Library {
  static let dates: [NativeFunction] = [
    NativeFunction("now", "<s?s?:s>") { evaluator, args, _ in
      if let picture = str(args, 0) {
        return try DatePicture.format(evaluator.now, picture: picture, timezone: str(args, 1))
          .map(Value.string)
      }
      if let timezone = str(args, 1) {
        return try DatePicture.format(evaluator.now, picture: nil, timezone: timezone)
          .map(Value.string)
      }
      return DateTime.isoString(evaluator.now).map(Value.string)
    },
    NativeFunction("millis", "<:n>") { evaluator, _, _ in .number(evaluator.now) },
    NativeFunction("fromMillis", "<n-s?s?:s>") { _, args, _ in
      guard let millis = num(args, 0) else { return nil }
      let picture = str(args, 1)
      let timezone = str(args, 2)
      if picture == nil, timezone == nil {
        return DateTime.isoString(millis).map(Value.string)
      }
      return try DatePicture.format(millis, picture: picture, timezone: timezone)
        .map(Value.string)
    },
    NativeFunction("toMillis", "<s-s?:n>") { evaluator, args, _ in
      guard let text = str(args, 0) else { return nil }
      if let picture = str(args, 1) {
        return try DatePicture.parse(text, picture: picture, now: evaluator.now)
          .map { .number($0) }
      }
      guard let millis = DateTime.parseISO(text) else {
        throw JSONataError(code: "D3110", value: .string(text))
      }
      return .number(millis)
    },
  ]
}
