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
  /// Numeric equality: `1500 == 1.5e3`.
  public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
    switch (lhs.storage, rhs.storage) {
    case (.integer(let a), .integer(let b)): return a == b
    case (.bigInteger(let a), .bigInteger(let b)): return a == b
    case (.integer, .bigInteger), (.bigInteger, .integer): return false
    case (.integer(let a), .decimal(let d)), (.decimal(let d), .integer(let a)):
      guard let exact = JSONNumber(d).int64Value else { return false }
      return exact == a
    default: return lhs.doubleValue == rhs.doubleValue
    }
  }
}

extension JSONNumber: Hashable {
  /// Hashes consistently with numeric equality.
  public func hash(into hasher: inout Hasher) {
    switch storage {
    case .integer(let value): hasher.combine(value)
    case .decimal(let value):
      if let exact = int64Value { hasher.combine(exact) } else { hasher.combine(value) }
    case .bigInteger(let digits): hasher.combine(digits)
    }
  }
}

extension JSONNumber: Comparable {
  /// Numeric order.
  public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
    if case .integer(let a) = lhs.storage, case .integer(let b) = rhs.storage { return a < b }
    return lhs.doubleValue < rhs.doubleValue
  }
}

extension JSONNumber: CustomStringConvertible {
  /// The number as JSON text: integers as digits, decimals in the shortest form that reads back
  /// to the same `Double`.
  public var description: String {
    switch storage {
    case .integer(let value): return String(value)
    case .bigInteger(let digits): return digits
    case .decimal(let value): return JSONNumber.format(value)
    }
  }

  static func format(_ value: Double) -> String {
    guard value.isFinite else { return "null" }
    // Swift prints the shortest round-tripping digits, e.g. `1500.0`, `1e-05`, `1.5e+20`:
    // all valid JSON number text.
    return value.description
  }
}
