/// A set of Unicode scalar values, kept as sorted, disjoint, non-adjacent closed ranges.
///
/// Membership is a binary search over the ranges, with a bitmap for ASCII.
struct ScalarSet: Sendable, Hashable {
  /// The sorted, disjoint, non-adjacent ranges.
  private(set) var ranges: [ClosedRange<UInt32>]
  /// Bit `n` is set when ASCII scalar `n` is a member (`low` for 0–63, `high` for 64–127).
  private var asciiLow: UInt64 = 0
  private var asciiHigh: UInt64 = 0

  static let maximumScalar: UInt32 = 0x10_FFFF

  /// The empty set.
  init() {
    ranges = []
  }

  /// The set of the scalars in `ranges`, which may overlap and come in any order.
  init(_ ranges: [ClosedRange<UInt32>]) {
    let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
    var merged: [ClosedRange<UInt32>] = []
    merged.reserveCapacity(sorted.count)
    for range in sorted {
      if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
        merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
      } else {
        merged.append(range)
      }
    }
    self.ranges = merged
    for range in merged where range.lowerBound < 128 {
      for value in range.lowerBound...min(range.upperBound, 127) {
        if value < 64 {
          asciiLow |= 1 << UInt64(value)
        } else {
          asciiHigh |= 1 << UInt64(value - 64)
        }
      }
    }
  }

  /// The set of the given scalars.
  init(scalars: [Unicode.Scalar]) {
    self.init(scalars.map { $0.value...$0.value })
  }

  /// The set of one range of scalars given as text bounds (`"a"..."z"`).
  init(_ lower: Unicode.Scalar, _ upper: Unicode.Scalar) {
    self.init([lower.value...upper.value])
  }

  /// Whether `value` is a member.
  ///
  /// - Complexity: O(1) for ASCII, O(log r) otherwise, where r is the number of ranges.
  func contains(_ value: UInt32) -> Bool {
    if value < 64 { return asciiLow & (1 << UInt64(value)) != 0 }
    if value < 128 { return asciiHigh & (1 << UInt64(value - 64)) != 0 }
    var low = 0
    var high = ranges.count
    while low < high {
      let middle = (low + high) / 2
      let range = ranges[middle]
      if value < range.lowerBound {
        high = middle
      } else if value > range.upperBound {
        low = middle + 1
      } else {
        return true
      }
    }
    return false
  }

  /// Whether the set has no members.
  var isEmpty: Bool { ranges.isEmpty }

  /// The members of either set.
  func union(_ other: ScalarSet) -> ScalarSet {
    ScalarSet(ranges + other.ranges)
  }

  /// The scalar values (0…U+10FFFF) that are not members.
  func complement() -> ScalarSet {
    var result: [ClosedRange<UInt32>] = []
    var next: UInt32 = 0
    for range in ranges {
      if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
      next = range.upperBound &+ 1
    }
    if next <= Self.maximumScalar, !(ranges.last?.upperBound == Self.maximumScalar) {
      result.append(next...Self.maximumScalar)
    }
    return ScalarSet(result)
  }

  /// The members of both sets.
  func intersection(_ other: ScalarSet) -> ScalarSet {
    var result: [ClosedRange<UInt32>] = []
    var left = 0
    var right = 0
    while left < ranges.count, right < other.ranges.count {
      let a = ranges[left]
      let b = other.ranges[right]
      let lower = max(a.lowerBound, b.lowerBound)
      let upper = min(a.upperBound, b.upperBound)
      if lower <= upper { result.append(lower...upper) }
      if a.upperBound < b.upperBound { left += 1 } else { right += 1 }
    }
    return ScalarSet(result)
  }
}
