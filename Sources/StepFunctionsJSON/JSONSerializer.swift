/// Writes JSON text, deterministically: members in their stored order, numbers in one canonical
/// form, the same escapes every time.
///
/// Strings escape `"`, `\` and control characters (as `\b \f \n \r \t` or `\u00XX`); every other
/// character, including non-ASCII, is written as UTF-8.
public struct JSONSerializer: Sendable {
  /// The layout.
  public enum Style: Sendable, Hashable {
    /// No white space at all: `{"a":[1,2]}`.
    case compact
    /// Two-space indentation, one member or element per line, `"key": value`.
    case pretty
  }

  /// The layout to write.
  public var style: Style

  /// Creates a serializer.
  public init(style: Style = .compact) { self.style = style }

  /// The text of `value` as UTF-8 bytes.
  public func bytes(_ value: JSON) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(256)
    write(value, into: &output, indent: 0)
    return output
  }

  /// The text of `value`.
  public func string(_ value: JSON) -> String { String(decoding: bytes(value), as: UTF8.self) }

  /// Appends the text of `value` to `output`.
  public func write(_ value: JSON, into output: inout [UInt8]) {
    write(value, into: &output, indent: 0)
  }

  /// An array or object being written: its contents and the position of the next one.
  private enum OpenContainer {
    case array([JSON], next: Int)
    case object(JSONObject, keys: [String], next: Int)
  }

  /// Writes `value` with a stack of its own rather than one call per level, so a value of any
  /// depth is written on any thread.
  private func write(_ value: JSON, into output: inout [UInt8], indent: Int) {
    var open: [OpenContainer] = []
    var value = value
    while true {
      switch value {
      case .null: output.append(contentsOf: "null".utf8)
      case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
      case .number(let number): number.write(into: &output)
      case .string(let text): JSONSerializer.writeString(text, into: &output)
      case .array(let elements):
        if elements.isEmpty {
          output.append(contentsOf: "[]".utf8)
        } else {
          output.append(0x5B)
          open.append(.array(elements, next: 0))
        }
      case .object(let object):
        if object.isEmpty {
          output.append(contentsOf: "{}".utf8)
        } else {
          output.append(0x7B)
          open.append(.object(object, keys: object.keys, next: 0))
        }
      }
      // The next value to write: the next element or member of the innermost open container,
      // after closing every container that has none left.
      while true {
        guard let container = open.popLast() else { return }
        let level = indent + open.count + 1
        switch container {
        case .array(let elements, let next):
          guard next < elements.count else {
            newline(into: &output, indent: level - 1)
            output.append(0x5D)
            continue
          }
          if next > 0 { output.append(0x2C) }
          newline(into: &output, indent: level)
          value = elements[next]
          open.append(.array(elements, next: next + 1))
        case .object(let object, let keys, let next):
          guard next < keys.count else {
            newline(into: &output, indent: level - 1)
            output.append(0x7D)
            continue
          }
          if next > 0 { output.append(0x2C) }
          newline(into: &output, indent: level)
          JSONSerializer.writeString(keys[next], into: &output)
          output.append(0x3A)
          if style == .pretty { output.append(0x20) }
          value = object.value(at: next)
          open.append(.object(object, keys: keys, next: next + 1))
        }
        break
      }
    }
  }

  @inline(__always)
  private func newline(into output: inout [UInt8], indent: Int) {
    guard style == .pretty else { return }
    output.append(0x0A)
    output.append(contentsOf: repeatElement(0x20, count: indent * 2))
  }

  /// Appends `text` as a quoted, escaped JSON string.
  public static func writeString(_ text: String, into output: inout [UInt8]) {
    output.append(0x22)
    var text = text
    text.withUTF8 { utf8 in
      var runStart = 0
      for offset in 0..<utf8.count {
        let byte = utf8[offset]
        guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<offset]))
        runStart = offset + 1
        switch byte {
        case 0x22: output.append(contentsOf: [0x5C, 0x22])
        case 0x5C: output.append(contentsOf: [0x5C, 0x5C])
        case 0x08: output.append(contentsOf: [0x5C, 0x62])
        case 0x0C: output.append(contentsOf: [0x5C, 0x66])
        case 0x0A: output.append(contentsOf: [0x5C, 0x6E])
        case 0x0D: output.append(contentsOf: [0x5C, 0x72])
        case 0x09: output.append(contentsOf: [0x5C, 0x74])
        default:
          let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
          output.append(contentsOf: [
            0x5C, 0x75, 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)],
          ])
        }
      }
      output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
    }
    output.append(0x22)
  }
}

extension JSON {
  /// The JSON text of this value, compact by default.
  public func serialized(_ style: JSONSerializer.Style = .compact) -> String {
    JSONSerializer(style: style).string(self)
  }
}

extension JSON {
  /// The length in bytes of the compact serialization, computed without building it
  /// (`Int.max` if it would not fit in an `Int`).
  ///
  /// - Complexity: O(*n*) in the size of the value, with no allocation except for decimal
  ///   numbers (whose shortest form is formatted to be counted). A value that holds the same
  ///   array or object many times over is counted every time; to check a size against a limit,
  ///   ``serializedByteCount(limit:)`` stops as soon as the limit is passed.
  public var serializedByteCount: Int {
    var budget = Int.max
    return countSerializedBytes(budget: &budget) ? Int.max - budget : Int.max
  }

  /// ``serializedByteCount`` when it is at most `limit`; otherwise a number greater than
  /// `limit`, found without measuring the rest of the value.
  ///
  /// - Complexity: O(min(*n*, `limit`)): every value counted adds at least one byte, so however
  ///   the value is built (even a value holding the same array twice at each of fifty levels),
  ///   no more than `limit` values are visited.
  public func serializedByteCount(limit: Int) -> Int {
    guard limit >= 0 else { return 0 }
    var budget = limit
    return countSerializedBytes(budget: &budget) ? limit - budget : JSON.exceeding(limit)
  }

  /// Subtracts the length of the compact serialization from `budget`; returns false (leaving
  /// `budget` unspecified) as soon as it would go below zero.
  ///
  /// Walks the value with a stack of its own (the arrays and objects being counted and the
  /// position of the next value in each), so a value of any depth is counted on any thread. The
  /// bytes are spent in the order they are written.
  func countSerializedBytes(budget: inout Int) -> Bool {
    guard spendOwnSerializedBytes(budget: &budget) else { return false }
    var open: [(container: JSON, next: Int)] = []
    var container = self
    var next = 0
    while true {
      // Count the contents of `container` from `next` on, until a non-empty array or object
      // has to be entered.
      var entered: JSON?
      switch container {
      case .array(let elements):
        while next < elements.count {
          let element = elements[next]
          next += 1
          guard element.spendOwnSerializedBytes(budget: &budget) else { return false }
          if element.hasContents {
            entered = element
            break
          }
        }
      case .object(let object):
        let stop = object.withMembers { _, values -> Int? in
          for position in next..<values.count {
            guard values[position].spendOwnSerializedBytes(budget: &budget) else { return -1 }
            if values[position].hasContents { return position }
          }
          return nil
        }
        if let stop {
          guard stop >= 0 else { return false }
          entered = object.value(at: stop)
          next = stop + 1
        }
      case .null, .bool, .number, .string:
        break
      }
      if let entered {
        open.append((container, next))
        container = entered
        next = 0
      } else {
        guard let resumed = open.popLast() else { return true }
        (container, next) = resumed
      }
    }
  }

  /// Spends the bytes of this value written compactly, except the values inside an array or
  /// object: a scalar's whole text; an array's brackets and commas; an object's braces, commas,
  /// colons and quoted keys.
  @inline(__always)
  private func spendOwnSerializedBytes(budget: inout Int) -> Bool {
    switch self {
    case .null, .bool, .number:
      return JSON.spend(scalarByteCount, from: &budget)
    case .string(let text):
      // The quotes and the bytes come first: a long string is refused without a scan.
      guard JSON.spend(2 + text.utf8.count, from: &budget) else { return false }
      return JSON.spend(JSON.quotedByteCount(text) - 2 - text.utf8.count, from: &budget)
    case .array(let elements):
      return JSON.spend(2 + max(0, elements.count - 1), from: &budget)
    case .object(let object):
      // Braces, one colon per member and a comma between members.
      return object.withMembers { keys, _ in
        guard JSON.spend(2 + keys.count + max(0, keys.count - 1), from: &budget) else {
          return false
        }
        for key in keys where !JSON.spend(JSON.quotedByteCount(key), from: &budget) {
          return false
        }
        return true
      }
    }
  }

  /// Whether this value is a non-empty array or object.
  @inline(__always)
  var hasContents: Bool {
    switch self {
    case .array(let elements): return !elements.isEmpty
    case .object(let object): return !object.isEmpty
    case .null, .bool, .number, .string: return false
    }
  }

  /// The serialized length of `null`, a Boolean or a number.
  private var scalarByteCount: Int {
    switch self {
    case .null: return 4
    case .bool(let flag): return flag ? 4 : 5
    case .number(let number): return number.serializedByteCount
    default: return 0
    }
  }

  @inline(__always)
  static func spend(_ bytes: Int, from budget: inout Int) -> Bool {
    guard bytes <= budget else { return false }
    budget -= bytes
    return true
  }

  /// A number greater than `limit` (`Int.max` when `limit` is).
  @inline(__always)
  static func exceeding(_ limit: Int) -> Int { limit == Int.max ? Int.max : limit + 1 }

  /// How many bytes of bound ``serializedByteBound`` works out for an array before it gives
  /// up and answers `Int.max` ("too large to bound cheaply"): 4 MiB, sixteen times the
  /// payload quota.
  public static let arrayBoundBudget = 4 << 20

  /// A number of bytes the compact serialization is sure not to exceed, computed faster than
  /// ``serializedByteCount``: strings are not scanned for characters to escape (each byte
  /// counts as the longest escape, six bytes) and decimals count as the longest `Double` text.
  /// `Int.max` stands for "too large to bound": a size past `Int`, or an array whose bound
  /// passes ``arrayBoundBudget`` (so that bounding an array that holds the same array twice
  /// at each of fifty levels costs no more than bounding a 4 MiB one).
  ///
  /// - Complexity: O(1) for objects (they keep their bound up to date), O(*n*) in the number of
  ///   elements for arrays (at most ``arrayBoundBudget``), independent of string lengths.
  public var serializedByteBound: Int {
    switch self {
    case .null: return 4
    case .bool(let flag): return flag ? 4 : 5
    case .number(let number): return number.serializedByteBound
    case .string(let text): return JSON.stringByteBound(text)
    case .array:
      var budget = JSON.arrayBoundBudget
      return boundSerializedBytes(budget: &budget) ? JSON.arrayBoundBudget - budget : Int.max
    case .object(let object):
      return object.serializedByteBound
    }
  }

  /// ``serializedByteBound`` when it is at most `limit`; otherwise a number greater than
  /// `limit`.
  ///
  /// - Complexity: O(1) for objects, O(min(*n*, `limit`)) for arrays.
  public func serializedByteBound(limit: Int) -> Int {
    guard case .array = self else { return serializedByteBound }
    guard limit >= 0 else { return 0 }
    var budget = limit
    return boundSerializedBytes(budget: &budget) ? limit - budget : JSON.exceeding(limit)
  }

  /// Subtracts ``serializedByteBound`` from `budget`; returns false as soon as it would go below
  /// zero.
  ///
  /// Objects keep their bound, so only arrays nested in arrays are walked, with a stack of their
  /// own: an array of any depth is bounded on any thread.
  func boundSerializedBytes(budget: inout Int) -> Bool {
    guard case .array(var elements) = self else {
      return JSON.spend(serializedByteBound, from: &budget)
    }
    guard JSON.spend(2 + max(0, elements.count - 1), from: &budget) else { return false }
    var open: [(elements: [JSON], next: Int)] = []
    var next = 0
    while true {
      var entered: [JSON]?
      while next < elements.count {
        let element = elements[next]
        next += 1
        if case .array(let inner) = element {
          guard JSON.spend(2 + max(0, inner.count - 1), from: &budget) else { return false }
          if !inner.isEmpty {
            entered = inner
            break
          }
        } else if case .object(let object) = element {
          guard JSON.spend(object.serializedByteBound, from: &budget) else { return false }
        } else {
          guard JSON.spend(element.serializedByteBound, from: &budget) else { return false }
        }
      }
      if let entered {
        open.append((elements, next))
        elements = entered
        next = 0
      } else {
        guard let resumed = open.popLast() else { return true }
        (elements, next) = resumed
      }
    }
  }

  /// The bound of a string value: its quotes and six bytes per byte (saturating).
  @inline(__always)
  static func stringByteBound(_ text: String) -> Int {
    let (product, overflow) = text.utf8.count.multipliedReportingOverflow(by: 6)
    return overflow || product > Int.max - 2 ? Int.max : product + 2
  }

  /// The length of `text` written as a quoted, escaped JSON string (what
  /// ``serializedByteCount`` counts for a string value or an object key).
  public static func quotedByteCount(_ text: String) -> Int {
    if let count = text.utf8.withContiguousStorageIfAvailable({ quotedByteCount(utf8: $0) }) {
      return count
    }
    return Array(text.utf8).withUnsafeBufferPointer { quotedByteCount(utf8: $0) }
  }

  /// The quoted length of UTF-8 `bytes`: a plain loop over the buffer (not a generic one, so a
  /// debug build scans a 256 KiB string in well under a millisecond too).
  static func quotedByteCount(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var total = 2 + bytes.count
    guard let base = bytes.baseAddress else { return total }
    var index = 0
    while index < bytes.count {
      let byte = base[index]
      index += 1
      guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
      switch byte {
      case 0x22, 0x5C, 0x08, 0x0C, 0x0A, 0x0D, 0x09: total += 1
      default: total += 5
      }
    }
    return total
  }
}
