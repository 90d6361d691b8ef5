/// A JSON number that remembers whether it was written as an integer.
///
/// Integers that fit in 64 bits are kept exactly as `Int64`; larger integers keep their decimal
/// digits so they serialize unchanged; everything else is a `Double`. Comparison is by numeric
/// value: `1500`, `1500.0` and `1.5e3` are equal.
public struct JSONNumber: Sendable {
  @usableFromInline
  enum Storage: Sendable {
    case integer(Int64)
    case decimal(Double)
    /// An integer outside the `Int64` range, kept as its canonical digits (optional `-`).
    case bigInteger(String)
  }

  @usableFromInline
  let storage: Storage

  /// Creates an integer number.
  @inlinable
  public init(_ value: Int64) { storage = .integer(value) }

  /// Creates an integer number.
  @inlinable
  public init(_ value: Int) { storage = .integer(Int64(value)) }

  /// Creates a decimal number. A `Double` that is not finite has no JSON form and is written as
  /// `null` by the serializers; callers should avoid creating one.
  @inlinable
  public init(_ value: Double) { storage = .decimal(value) }

  /// Creates an integer number from decimal digits (an optional leading `-` followed by digits).
  /// Returns `nil` if `digits` is not of that form.
  public init?(integerDigits digits: String) {
    var body = Substring(digits)
    let negative = body.first == "-"
    if negative { body = body.dropFirst() }
    guard !body.isEmpty, body.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    if let small = Int64(digits) {
      storage = .integer(small)
      return
    }
    let trimmed = body.drop(while: { $0 == "0" })
    storage = .bigInteger((negative ? "-" : "") + (trimmed.isEmpty ? "0" : String(trimmed)))
  }

  /// Whether the number was written (or computed) as an integer.
  public var isInteger: Bool {
    switch storage {
    case .integer, .bigInteger: return true
    case .decimal: return false
    }
  }

  /// The value as an `Int64` when it is an integer in range, or a decimal with no fractional
  /// part in range.
  public var int64Value: Int64? {
    switch storage {
    case .integer(let value): return value
    case .decimal(let value):
      guard value.rounded(.towardZero) == value, value >= -9.223372036854775808e18,
        value < 9.223372036854775808e18
      else { return nil }
      return Int64(value)
    case .bigInteger: return nil
    }
  }

  /// The value as an `Int` when it is integral and in range.
  public var intValue: Int? { int64Value.flatMap { Int(exactly: $0) } }

  /// The value as a `Double` (possibly rounded for large integers).
  public var doubleValue: Double {
    switch storage {
    case .integer(let value): return Double(value)
    case .decimal(let value): return value
    case .bigInteger(let digits): return Double(digits) ?? .nan
    }
  }

  /// Whether the numeric value has no fractional part (`3` and `3.0` both do).
  public var isIntegral: Bool {
    switch storage {
    case .integer, .bigInteger: return true
    case .decimal(let value): return value.isFinite && value.rounded(.towardZero) == value
    }
  }
}

extension JSONNumber: Equatable {
  /// Numeric equality, exact across representations: `1500 == 1.5e3`, and an integer beyond
  /// `Int64` equals a `Double` only when the `Double` has exactly that integer value.
  public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
    if case .integer(let a) = lhs.storage, case .integer(let b) = rhs.storage { return a == b }
    return JSONNumber.compare(lhs, rhs) == 0
  }
}

extension JSONNumber: Hashable {
  /// Hashes consistently with numeric equality.
  public func hash(into hasher: inout Hasher) {
    switch storage {
    case .integer(let value): hasher.combine(value)
    case .decimal(let value):
      if let exact = int64Value {
        hasher.combine(exact)
      } else if let digits = JSONNumber.exactIntegerDigits(value) {
        hasher.combine(digits)
      } else {
        hasher.combine(value)
      }
    case .bigInteger(let digits): hasher.combine(digits)
    }
  }
}

extension JSONNumber: Comparable {
  /// Numeric order, exact across representations (a `Double` that is NaN is unordered).
  public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
    if case .integer(let a) = lhs.storage, case .integer(let b) = rhs.storage { return a < b }
    return JSONNumber.compare(lhs, rhs) == -1
  }
}

extension JSONNumber {
  /// `2^63` as a `Double`: every `Double` at or above it (in magnitude) is outside `Int64`.
  private static let twoToThe63 = 9.223372036854775808e18

  /// Exact three-way comparison: -1, 0 or 1, or `nil` when a NaN is involved.
  static func compare(_ lhs: JSONNumber, _ rhs: JSONNumber) -> Int? {
    switch (lhs.storage, rhs.storage) {
    case (.integer(let a), .integer(let b)):
      return a < b ? -1 : (a == b ? 0 : 1)
    case (.bigInteger(let a), .bigInteger(let b)):
      return compareDigits(a, b)
    case (.integer, .bigInteger(let big)):
      // A big integer is always outside the Int64 range.
      return big.hasPrefix("-") ? 1 : -1
    case (.bigInteger(let big), .integer):
      return big.hasPrefix("-") ? -1 : 1
    case (.integer(let a), .decimal(let d)):
      return compare(a, d)
    case (.decimal(let d), .integer(let a)):
      return compare(a, d).map { -$0 }
    case (.bigInteger(let big), .decimal(let d)):
      return compare(big, d)
    case (.decimal(let d), .bigInteger(let big)):
      return compare(big, d).map { -$0 }
    case (.decimal(let a), .decimal(let b)):
      if a.isNaN || b.isNaN { return nil }
      return a < b ? -1 : (a == b ? 0 : 1)
    }
  }

  /// Compares an `Int64` with a `Double` exactly.
  private static func compare(_ a: Int64, _ d: Double) -> Int? {
    if d.isNaN { return nil }
    if d >= twoToThe63 { return -1 }
    if d < -twoToThe63 { return 1 }
    // -2^63 <= d < 2^63: the floor of d is a valid Int64.
    let floor = Int64(d.rounded(.down))
    if a < floor { return -1 }
    if a > floor { return 1 }
    return d == d.rounded(.down) ? 0 : -1
  }

  /// Compares a big integer (outside the Int64 range) with a `Double` exactly.
  private static func compare(_ big: String, _ d: Double) -> Int? {
    if d.isNaN { return nil }
    if let digits = exactIntegerDigits(d) { return compareDigits(big, digits) }
    // `d` is within the Int64 range (or is ±infinity), so only the sign of `big` matters.
    if d.isInfinite { return d > 0 ? -1 : 1 }
    return big.hasPrefix("-") ? -1 : 1
  }

  /// Compares two canonical integer digit strings (optional `-`, no leading zeros).
  private static func compareDigits(_ a: String, _ b: String) -> Int {
    let aNegative = a.hasPrefix("-")
    let bNegative = b.hasPrefix("-")
    if aNegative != bNegative { return aNegative ? -1 : 1 }
    let aDigits = a.utf8.dropFirst(aNegative ? 1 : 0)
    let bDigits = b.utf8.dropFirst(bNegative ? 1 : 0)
    var magnitude = 0
    if aDigits.count != bDigits.count {
      magnitude = aDigits.count < bDigits.count ? -1 : 1
    } else {
      for (x, y) in zip(aDigits, bDigits) where x != y {
        magnitude = x < y ? -1 : 1
        break
      }
    }
    return aNegative ? -magnitude : magnitude
  }

  /// The exact decimal digits of a finite `Double` whose magnitude is at least 2^63 (such a
  /// value is always an integer), or `nil` for any other value.
  ///
  /// - Complexity: O(*e* × *d*) for binary exponent *e* and digit count *d*; only called for
  ///   numbers beyond `Int64`, which are rare.
  static func exactIntegerDigits(_ value: Double) -> String? {
    guard value.isFinite, value.magnitude >= twoToThe63 else { return nil }
    // value = significand × 2^shift with an integer significand of 53 bits.
    let significand = (UInt64(1) << 52) | value.significandBitPattern
    let shift = Int(value.exponent) - 52
    // Little-endian limbs in base 10^9.
    let base: UInt64 = 1_000_000_000
    var limbs: [UInt64] = [
      significand % base, (significand / base) % base, significand / (base * base),
    ]
    var remaining = shift
    while remaining > 0 {
      let step = min(remaining, 30)
      remaining -= step
      var carry: UInt64 = 0
      for index in limbs.indices {
        let product = limbs[index] << UInt64(step) + carry
        limbs[index] = product % base
        carry = product / base
      }
      while carry > 0 {
        limbs.append(carry % base)
        carry /= base
      }
    }
    while limbs.count > 1, limbs.last == 0 { limbs.removeLast() }
    var text = value < 0 ? "-" : ""
    for (position, limb) in limbs.reversed().enumerated() {
      let chunk = String(limb)
      if position > 0 { text += String(repeating: "0", count: 9 - chunk.count) }
      text += chunk
    }
    return text
  }
}

extension JSONNumber: CustomStringConvertible {
  /// The number as JSON text: integers as digits, decimals in the shortest form that reads back
  /// to the same `Double`, always with a fraction or an exponent (`1.0`, `0.1`, `1e-05`,
  /// `1e+20`).
  ///
  /// Executions recorded against AWS agree where they show decimals as text (`0.0` stays `0.0`
  /// rather than `0`, `1.1` and `3.3` are kept); how AWS writes exponents is not recorded.
  public var description: String {
    switch storage {
    case .integer(let value): return String(value)
    case .bigInteger(let digits): return digits
    case .decimal(let value): return JSONNumber.format(value)
    }
  }

  /// Appends ``description`` as UTF-8, writing integers without building a string.
  func write(into output: inout [UInt8]) {
    guard case .integer(let value) = storage else {
      output.append(contentsOf: description.utf8)
      return
    }
    if value < 0 { output.append(0x2D) }
    var magnitude = value.magnitude
    let start = output.count
    repeat {
      output.append(0x30 + UInt8(magnitude % 10))
      magnitude /= 10
    } while magnitude > 0
    output[start...].reverse()
  }

  /// The length of ``description`` in bytes, without formatting integers.
  var serializedByteCount: Int {
    switch storage {
    case .integer(let value):
      var count = value < 0 ? 2 : 1
      var rest = value.magnitude
      while rest >= 10 {
        rest /= 10
        count += 1
      }
      return count
    case .bigInteger(let digits): return digits.utf8.count
    case .decimal(let value): return JSONNumber.format(value).utf8.count
    }
  }

  /// At least the length of ``description``: integers by their bit length (at most one digit
  /// more than they have), decimals as the longest text a `Double` has
  /// (`-2.2250738585072014e-308`, 24 bytes).
  var serializedByteBound: Int {
    switch storage {
    case .integer(let value):
      // A magnitude of b bits has at most ⌊b·log10(2)⌋ + 1 digits; 1233/4096 > log10(2).
      let bits = UInt64.bitWidth - value.magnitude.leadingZeroBitCount
      return (value < 0 ? 2 : 1) + (bits * 1233) >> 12
    case .bigInteger(let digits): return digits.utf8.count
    case .decimal: return 24
    }
  }

  static func format(_ value: Double) -> String {
    guard value.isFinite else { return "null" }
    // Swift prints the shortest round-tripping digits, e.g. `1500.0`, `1e-05`, `1.5e+20`:
    // all valid JSON number text.
    return value.description
  }
}
