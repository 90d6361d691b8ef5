import StepFunctions

/// Arithmetic on numbers that come from task parameters: never traps, whatever the operands.
enum Arithmetic {
  /// The seconds from `start` to `end` (negative when `end` is earlier), computed in floating
  /// point so that no pair of instants overflows; exact to the millisecond below 2^53 ms.
  static func seconds(from start: Instant, to end: Instant) -> Double {
    (Double(end.millisecondsSinceEpoch) - Double(start.millisecondsSinceEpoch)) / 1000
  }

  /// `value` rounded toward zero as an `Int`, clamped to `Int`'s range; `nan` is 0.
  static func clampedInt(_ value: Double) -> Int {
    if value.isNaN { return 0 }
    // 2^63 is the first Double past Int.max; -2^63 is Int.min exactly.
    if value >= 9_223_372_036_854_775_808.0 { return Int.max }
    if value <= -9_223_372_036_854_775_808.0 { return Int.min }
    return Int(value)
  }

  /// `first × second`, or `nil` when the product does not fit in an `Int`.
  static func product(_ first: Int, _ second: Int) -> Int? {
    let (result, overflow) = first.multipliedReportingOverflow(by: second)
    return overflow ? nil : result
  }

  /// `first × second`, saturating at `Int.min` and `Int.max`.
  static func saturatingProduct(_ first: Int, _ second: Int) -> Int {
    if let result = product(first, second) { return result }
    return (first < 0) == (second < 0) ? Int.max : Int.min
  }

  /// `value × numerator / denominator` rounded up to an even number, the way a transcoder
  /// derives one side of a frame from the other and the source's aspect ratio. Exact while the
  /// product fits in an `Int`, then computed in floating point and clamped.
  static func evenScaled(_ value: Int, by numerator: Int, over denominator: Int) -> Int {
    guard denominator != 0 else { return value }
    let quotient: Int
    if let exact = product(value, numerator), !(exact == Int.min && denominator == -1) {
      quotient = exact / denominator
    } else {
      quotient = clampedInt(Double(value) * Double(numerator) / Double(denominator))
    }
    return quotient < Int.max ? (quotient + 1) / 2 * 2 : Int.max - 1
  }
}

extension Int {
  /// `self + other`, saturating at `Int.min` and `Int.max`.
  func addingSaturating(_ other: Int) -> Int {
    let (sum, overflow) = addingReportingOverflow(other)
    guard overflow else { return sum }
    return other > 0 ? Int.max : Int.min
  }
}
