import StepFunctionsJSON
import StepFunctionsRegex

/// A value while an expression runs: JSON plus what JSONata adds (functions, sequences and
/// their flags, tuple streams). `nil` (`Value?`) is JSONata's `undefined`.
///
/// Objects are reference types so that a transform (`| … |`) can update the matches of its
/// pattern in place, as JSONata does on its private clone; nothing else ever mutates a shared
/// object.
enum Value {
  case null
  case bool(Bool)
  /// A number as JSONata sees it: an IEEE double.
  case number(Double)
  /// An integer from the input that a double cannot hold exactly; it behaves as its double
  /// everywhere but is written back unchanged when it passes through untouched.
  case exactInteger(JSONNumber)
  case string(String)
  case array(Sequence)
  case object(ObjectBox)
  case function(FunctionValue)
  /// A stream of tuples (path steps with `@`, `#` or parent bindings).
  case tuples([Tuple])
}

/// The binding of a tuple: `@` is the context, the others are variables.
typealias Tuple = [String: Value]

/// An array with JSONata's hidden flags.
struct Sequence {
  var items: [Value]
  var flags: SequenceFlags

  init(_ items: [Value] = [], flags: SequenceFlags = []) {
    self.items = items
    self.flags = flags
  }

  var isSequence: Bool { flags.contains(.sequence) }
  var count: Int { items.count }
}

/// The flags jsonata-js keeps on arrays.
struct SequenceFlags: OptionSet {
  let rawValue: UInt8
  static let sequence = SequenceFlags(rawValue: 1)
  static let keepSingleton = SequenceFlags(rawValue: 2)
  static let cons = SequenceFlags(rawValue: 4)
  static let outerWrapper = SequenceFlags(rawValue: 8)
}

/// An object: members in insertion order.
///
/// A small object finds a key by comparing the keys in turn; a hash index is built only once
/// it has more than ``indexThreshold`` members (most objects an expression builds are small,
/// and hashing each key cost more than the search).
///
/// An object made from a JSON object (``init(source:)``: the input, the bindings) keeps that
/// object and converts a member only when it is read; its members are all converted only when
/// they are walked (``values``, ``members``) or the object is changed. While it is unchanged,
/// its JSON form is the source itself, without converting it back (``Value/resultJSON()``).
final class ObjectBox {
  // An object is used by one evaluation on one thread, and its storage is never lent out
  // while it changes, so the dynamic exclusivity checks are off.
  @exclusivity(unchecked) private(set) var keys: [String] = []
  @exclusivity(unchecked) private var storedValues: [Value] = []
  /// Positions by key, only past ``indexThreshold`` members.
  @exclusivity(unchecked) private var index: [String: Int]?
  /// The JSON object this object was made from, while it is unchanged (its members are then
  /// converted on demand into ``converted``, and ``storedValues`` is empty).
  @exclusivity(unchecked) private(set) var source: JSONObject?
  /// For an object with a source: the members converted so far, by position (nil until one
  /// is read).
  @exclusivity(unchecked) private var converted: [Value?]?
  static let indexThreshold = 8

  init() {}

  init(capacity: Int) {
    keys.reserveCapacity(capacity)
    storedValues.reserveCapacity(capacity)
  }

  /// An object standing for `source`, converting its members as they are read.
  init(source: JSONObject) {
    self.source = source
    keys = source.keys
  }

  var count: Int { keys.count }

  /// The values, in key order (all converted, for an object with a source).
  var values: [Value] {
    if source != nil { materialize() }
    return storedValues
  }

  /// The member at `position` of an object with a source, converted once.
  private func sourceMember(_ source: JSONObject, at position: Int) -> Value {
    if let value = converted?[position] ?? nil { return value }
    let value = Value(json: source.value(at: position))
    if converted == nil { converted = Array(repeating: nil, count: source.count) }
    converted?[position] = value
    return value
  }

  /// Converts every member of an object with a source into ``storedValues`` (keeping the
  /// source, which still stands for the object while it is unchanged).
  private func materialize() {
    guard let source, storedValues.count != keys.count else { return }
    var all: [Value] = []
    all.reserveCapacity(keys.count)
    for position in 0..<keys.count { all.append(sourceMember(source, at: position)) }
    storedValues = all
  }

  /// Turns an object with a source into a plain one, before it changes.
  private func detach() {
    guard source != nil else { return }
    materialize()
    source = nil
    converted = nil
    if keys.count > Self.indexThreshold { buildIndex() }
  }

  /// The position of `key`.
  /// - Complexity: O(1) with the index, else O(count).
  private func position(of key: String) -> Int? {
    if let index { return index[key] }
    return keys.firstIndex(of: key)
  }

  subscript(key: String) -> Value? {
    if let source {
      guard let position = source.position(of: key) else { return nil }
      return sourceMember(source, at: position)
    }
    guard let position = position(of: key) else { return nil }
    return storedValues[position]
  }

  func set(_ key: String, _ value: Value) {
    detach()
    if let position = position(of: key) {
      storedValues[position] = value
      return
    }
    keys.append(key)
    storedValues.append(value)
    if index != nil {
      index?[key] = keys.count - 1
    } else if keys.count > Self.indexThreshold {
      buildIndex()
    }
  }

  /// Adds a member whose key the object does not have (a JSON object's keys are unique).
  func appendUnique(_ key: String, _ value: Value) {
    detach()
    keys.append(key)
    storedValues.append(value)
    if index != nil {
      index?[key] = keys.count - 1
    } else if keys.count > Self.indexThreshold {
      buildIndex()
    }
  }

  func remove(_ key: String) {
    detach()
    guard let position = position(of: key) else { return }
    keys.remove(at: position)
    storedValues.remove(at: position)
    if index != nil {
      index = nil
      if keys.count > Self.indexThreshold { buildIndex() }
    }
  }

  private func buildIndex() {
    var built: [String: Int] = [:]
    built.reserveCapacity(keys.count)
    for (offset, name) in keys.enumerated() { built[name] = offset }
    index = built
  }

  var members: Zip2Sequence<[String], [Value]> { zip(keys, values) }

  /// An object with a source none of whose members was read: a fresh object over the same
  /// source is a deep copy of it.
  var untouchedSource: JSONObject? {
    converted == nil ? source : nil
  }

  /// The JSON form of an object with a source none of whose members was read, when every
  /// number in it is written as JSONata writes numbers back (``Value/writesBackUnchanged(_:)``):
  /// the source itself. Nil otherwise.
  func passThroughJSON() -> JSON? {
    guard let source = untouchedSource else { return nil }
    let json = JSON.object(source)
    // (Not a `? :` with `nil`, which would be JSON's own `null` literal.)
    guard Value.writesBackUnchanged(json) else { return Optional.none }
    return json
  }
}

extension Value {
  static func sequence(_ items: [Value] = []) -> Value { .array(Sequence(items, flags: .sequence)) }
  static func plainArray(_ items: [Value]) -> Value { .array(Sequence(items)) }
  static func integer(_ value: Int) -> Value { .number(Double(value)) }

  var isArray: Bool {
    if case .array = self { return true }
    return false
  }

  var isFunction: Bool {
    if case .function = self { return true }
    return false
  }

  var isNumber: Bool {
    switch self {
    case .number, .exactInteger: return true
    default: return false
    }
  }

  var isString: Bool {
    if case .string = self { return true }
    return false
  }

  var numberValue: Double? {
    switch self {
    case .number(let value): return value
    case .exactInteger(let value): return value.doubleValue
    default: return nil
    }
  }

  var stringValue: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  var sequence: Sequence? {
    if case .array(let value) = self { return value }
    return nil
  }

  var objectBox: ObjectBox? {
    if case .object(let value) = self { return value }
    return nil
  }

  /// The items when an array; the value alone otherwise.
  var asItems: [Value] {
    if case .array(let value) = self { return value.items }
    return [self]
  }

  var isSequenceValue: Bool {
    if case .array(let value) = self { return value.isSequence }
    return false
  }

  /// The JSONata type name (`$type`).
  var typeName: String {
    switch self {
    case .null: return "null"
    case .bool: return "boolean"
    case .number, .exactInteger: return "number"
    case .string: return "string"
    case .array, .tuples: return "array"
    case .object: return "object"
    case .function: return "function"
    }
  }

  /// The signature symbol of a value (`n`, `s`, `b`, `l`, `a`, `o`, `f`).
  var signatureSymbol: Character {
    switch self {
    case .null: return "l"
    case .bool: return "b"
    case .number, .exactInteger: return "n"
    case .string: return "s"
    case .array, .tuples: return "a"
    case .object: return "o"
    case .function: return "f"
    }
  }
}

extension Value {
  /// The signature symbol as a number below 7 (``Signature/MatchCache/key(_:)``; 7 is
  /// undefined).
  var signatureRank: UInt8 {
    switch self {
    case .null: return 0
    case .bool: return 1
    case .number, .exactInteger: return 2
    case .string: return 3
    case .array, .tuples: return 4
    case .object: return 5
    case .function: return 6
    }
  }
}

/// The largest integer a double holds exactly.
let maximumSafeInteger = 9_007_199_254_740_992.0

extension Value {
  /// Converts a JSON value to a runtime value.
  init(json: JSON) {
    switch json {
    case .null: self = .null
    case .bool(let value): self = .bool(value)
    case .number(let number): self = Value.number(from: number)
    case .string(let value): self = .string(value)
    case .array(let elements): self = .array(Sequence(elements.map(Value.init(json:))))
    case .object(let object): self = .object(ObjectBox(source: object))
    }
  }

  /// Whether `json` comes back unchanged from a conversion to a value and back: every number
  /// in it is kept as it is except an integral decimal below 10^18 in magnitude (`3.0`, `-0.0`,
  /// which JSONata writes `3`, `0`) and a non-finite one (which has no JSON form).
  static func writesBackUnchanged(_ json: JSON) -> Bool {
    switch json {
    case .null, .bool, .string: return true
    case .number(let number):
      guard !number.isInteger else { return true }
      let double = number.doubleValue
      return double.isFinite && !(double.rounded(.towardZero) == double && double.magnitude < 1e18)
    case .array(let elements):
      for element in elements where !writesBackUnchanged(element) { return false }
      return true
    case .object(let object):
      for position in 0..<object.count where !writesBackUnchanged(object.value(at: position)) {
        return false
      }
      return true
    }
  }

  static func number(from number: JSONNumber) -> Value {
    let double = number.doubleValue
    if number.isInteger, double.magnitude > maximumSafeInteger { return .exactInteger(number) }
    return .number(double)
  }

  /// The JSON form of a value: functions become `""` inside containers (as JSON.stringify
  /// drops them) and nil on their own; integral doubles become integers.
  func json() -> JSON? {
    switch self {
    case .null: return .null
    case .bool(let value): return .bool(value)
    case .number(let value): return .number(Value.jsonNumber(value))
    case .exactInteger(let value): return .number(value)
    case .string(let value): return .string(value)
    case .array(let sequence):
      return .array(sequence.items.compactMap { $0.json() })
    case .tuples(let tuples):
      return .array(tuples.compactMap { $0["@"]?.json() })
    case .object(let box):
      if let json = box.passThroughJSON() { return json }
      var object = JSONObject(minimumCapacity: box.count)
      for (key, value) in box.members {
        // An object's keys are unique.
        if let member = value.json() { object.append(key: key, value: member) }
      }
      return .object(object)
    case .function: return nil
    }
  }

  /// The JSON form of an evaluation's result, like ``json()``, except that a number JSON
  /// cannot hold (NaN, ±Infinity, as `1/0` or `0/0` give) anywhere in it is JSONata's `D1001`
  /// ("Number out of range"), the error jsonata-js raises when such a number is used or
  /// written out, rather than a value that would silently become `null`.
  func resultJSON() throws(JSONataError) -> JSON? {
    switch self {
    case .number(let value):
      guard value.isFinite else {
        throw JSONataError(
          code: "D1001", message: "Number out of range: \(Functions.formatNumber(value))")
      }
      return .number(Value.jsonNumber(value))
    case .array(let sequence):
      var items: [JSON] = []
      items.reserveCapacity(sequence.items.count)
      for item in sequence.items {
        if let json = try item.resultJSON() { items.append(json) }
      }
      return .array(items)
    case .tuples(let tuples):
      var items: [JSON] = []
      items.reserveCapacity(tuples.count)
      for tuple in tuples {
        if let json = try tuple["@"]?.resultJSON() { items.append(json) }
      }
      return .array(items)
    case .object(let box):
      if let json = box.passThroughJSON() { return json }
      var object = JSONObject(minimumCapacity: box.count)
      for (key, value) in box.members {
        // An object's keys are unique.
        if let member = try value.resultJSON() { object.append(key: key, value: member) }
      }
      return .object(object)
    case .null, .bool, .exactInteger, .string, .function:
      return json()
    }
  }

  static func jsonNumber(_ value: Double) -> JSONNumber {
    if value.rounded(.towardZero) == value, value.magnitude < 1e18 {
      return JSONNumber(Int64(value))
    }
    return JSONNumber(value)
  }
}
