/// A JSON value that keeps what Step Functions keeps: the order of object keys as written, and
/// whether a number was written as an integer or a decimal.
///
/// `JSON` is a plain value type: copying it is cheap (arrays and objects share storage until one
/// copy is changed) and it is `Sendable`, so it moves freely between tasks.
///
/// Two values are equal when they mean the same JSON: objects compare as sets of members
/// (key order does not matter), numbers compare by value (`1500` equals `1.5e3`). Serializing
/// never reorders anything, so output stays byte-for-byte deterministic.
public enum JSON: Sendable, Hashable {
  /// The literal `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// A number, integer or decimal.
  case number(JSONNumber)
  /// A string.
  case string(String)
  /// An array.
  case array([JSON])
  /// An object whose members keep the order they were written in.
  case object(JSONObject)
}

extension JSON {
  /// The name Step Functions uses for this value's type in error messages
  /// (`"null"`, `"boolean"`, `"number"`, `"string"`, `"array"`, `"object"`).
  public var typeName: String {
    switch self {
    case .null: return "null"
    case .bool: return "boolean"
    case .number: return "number"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    }
  }

  /// The string, if this value is a string.
  public var stringValue: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// The Boolean, if this value is `true` or `false`.
  public var boolValue: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  /// The number, if this value is a number.
  public var numberValue: JSONNumber? {
    if case .number(let value) = self { return value }
    return nil
  }

  /// The elements, if this value is an array.
  public var arrayValue: [JSON]? {
    if case .array(let value) = self { return value }
    return nil
  }

  /// The members, if this value is an object.
  public var objectValue: JSONObject? {
    if case .object(let value) = self { return value }
    return nil
  }

  /// Whether this value is `null`.
  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  /// The member named `key` when this value is an object; `nil` otherwise or when absent.
  public subscript(key: String) -> JSON? {
    if case .object(let object) = self { return object[key] }
    return nil
  }

  /// The element at `index` when this value is an array and the index is in range.
  public subscript(index: Int) -> JSON? {
    if case .array(let array) = self, array.indices.contains(index) { return array[index] }
    return nil
  }
}

extension JSON: ExpressibleByNilLiteral {
  /// Creates `null`.
  public init(nilLiteral: ()) { self = .null }
}

extension JSON: ExpressibleByBooleanLiteral {
  /// Creates `true` or `false`.
  public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSON: ExpressibleByIntegerLiteral {
  /// Creates an integer number.
  public init(integerLiteral value: Int64) { self = .number(JSONNumber(value)) }
}

extension JSON: ExpressibleByFloatLiteral {
  /// Creates a decimal number.
  public init(floatLiteral value: Double) { self = .number(JSONNumber(value)) }
}

extension JSON: ExpressibleByStringLiteral {
  /// Creates a string.
  public init(stringLiteral value: String) { self = .string(value) }
}

extension JSON: ExpressibleByArrayLiteral {
  /// Creates an array.
  public init(arrayLiteral elements: JSON...) { self = .array(elements) }
}

extension JSON: ExpressibleByDictionaryLiteral {
  /// Creates an object with the members in the order written; a repeated key keeps its first
  /// position and its last value.
  public init(dictionaryLiteral elements: (String, JSON)...) {
    var object = JSONObject(minimumCapacity: elements.count)
    for (key, value) in elements { object[key] = value }
    self = .object(object)
  }
}

extension JSON: CustomStringConvertible {
  /// The compact serialization of the value.
  public var description: String { serialized() }
}
