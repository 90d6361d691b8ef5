import StepFunctionsLanguage

/// A point in execution time, in whole milliseconds since 1970-01-01T00:00:00Z (the precision
/// Step Functions records). Virtual and system clocks both speak in instants.
public struct Instant: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Milliseconds since the Unix epoch.
  public var millisecondsSinceEpoch: Int64

  /// Creates an instant.
  public init(millisecondsSinceEpoch: Int64) {
    self.millisecondsSinceEpoch = millisecondsSinceEpoch
  }

  /// The instant an RFC 3339 timestamp denotes, or `nil` when the text is not one.
  public init?(rfc3339 text: String) {
    guard let seconds = Timestamp.parse(text) else { return nil }
    millisecondsSinceEpoch = Instant.milliseconds(seconds: seconds)
  }

  /// The default start of a virtual execution: 2025-01-01T00:00:00.000Z.
  public static let defaultVirtualStart = Instant(millisecondsSinceEpoch: 1_735_689_600_000)

  /// The latest instant a clock reaches: 9999-12-31T23:59:59.999Z, the last one an RFC 3339
  /// timestamp (four-digit year) can write. A deadline computed past it (a retry interval grown
  /// by a large `BackoffRate`, a long `TimeoutSecondsPath`) falls on it instead.
  public static let latest = Instant(millisecondsSinceEpoch: 253_402_300_799_999)

  /// This instant moved by `seconds` (fractions kept to the millisecond), saturating: a move
  /// forward stops at ``latest`` (or stays put when the instant is already past it), and no
  /// value traps, not even an infinite one. `nan` does not move the instant.
  public func advanced(bySeconds seconds: Double) -> Instant {
    advanced(byMilliseconds: Instant.milliseconds(seconds: seconds))
  }

  /// This instant moved by `milliseconds`, saturating as ``advanced(bySeconds:)`` does.
  public func advanced(byMilliseconds milliseconds: Int64) -> Instant {
    let (sum, overflow) = millisecondsSinceEpoch.addingReportingOverflow(milliseconds)
    if milliseconds > 0 {
      let ceiling = Swift.max(millisecondsSinceEpoch, Instant.latest.millisecondsSinceEpoch)
      return Instant(millisecondsSinceEpoch: overflow ? ceiling : Swift.min(sum, ceiling))
    }
    return Instant(millisecondsSinceEpoch: overflow ? Int64.min : sum)
  }

  /// `seconds` in whole milliseconds (rounded), saturating at the bounds of `Int64`; `nan` is 0.
  public static func milliseconds(seconds: Double) -> Int64 {
    let scaled = (seconds * 1000).rounded()
    if scaled.isNaN { return 0 }
    // 2^63 is the first Double past Int64.max.
    if scaled >= 9_223_372_036_854_775_808.0 { return Int64.max }
    if scaled < -9_223_372_036_854_775_808.0 { return Int64.min }
    return Int64(scaled)
  }

  /// Orders by time.
  public static func < (lhs: Instant, rhs: Instant) -> Bool {
    lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
  }

  /// ISO 8601 in UTC with milliseconds, as the Context Object shows it:
  /// `2025-01-01T00:00:00.000Z`.
  public var iso8601: String {
    let totalMilliseconds = millisecondsSinceEpoch
    var days = totalMilliseconds / 86_400_000
    var remainder = totalMilliseconds % 86_400_000
    if remainder < 0 {
      remainder += 86_400_000
      days -= 1
    }
    let (year, month, day) = Instant.civilDate(daysSinceEpoch: days)
    let hour = remainder / 3_600_000
    let minute = remainder / 60_000 % 60
    let second = remainder / 1000 % 60
    let millisecond = remainder % 1000
    return
      "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(millisecond, 3))Z"
  }

  /// The ISO 8601 text.
  public var description: String { iso8601 }

  private func pad(_ value: Int64, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
  }

  /// The civil date of a day count since 1970-01-01 (proleptic Gregorian).
  static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
    let z = daysSinceEpoch + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}

/// Which clock an execution runs on.
public enum ExecutionClock: Sendable, Hashable {
  /// Virtual time, starting at the given instant: when nothing can run, time jumps to the next
  /// deadline, so a two-hour Wait takes no real time. The default.
  case virtual(start: Instant)
  /// The system's real time: Waits and retries really wait.
  case system

  /// Virtual time from ``Instant/defaultVirtualStart``.
  public static var virtual: ExecutionClock { .virtual(start: .defaultVirtualStart) }
}
