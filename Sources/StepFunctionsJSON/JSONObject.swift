/// The members of a JSON object, in the order they were written.
///
/// Small objects are searched linearly; past ``indexThreshold`` members a hash index from key to
/// position is kept alongside, so lookups stay O(1) on large objects. The index never decides
/// iteration order: members always come out in insertion order.
public struct JSONObject: Sendable {
  /// Objects with more members than this keep a hash index.
  public static let indexThreshold = 8

  @usableFromInline var _keys: [String]
  @usableFromInline var _values: [JSON]
  @usableFromInline var index: [String: Int]?

  /// Creates an empty object.
  public init() {
    _keys = []
    _values = []
    index = nil
  }

  /// Creates an empty object with room for `capacity` members.
  public init(minimumCapacity capacity: Int) {
    self.init()
    _keys.reserveCapacity(capacity)
    _values.reserveCapacity(capacity)
  }

  /// Creates an object from members in order; a repeated key keeps its first position and its
  /// last value.
  public init(_ members: some Sequence<(String, JSON)>) {
    self.init()
    for (key, value) in members { self[key] = value }
  }

  /// The keys in order.
  public var keys: [String] { _keys }

  /// The values in key order.
  public var values: [JSON] { _values }

  /// The number of members.
  public var count: Int { _keys.count }

  /// Whether the object has no members.
  public var isEmpty: Bool { _keys.isEmpty }

  /// The position of `key`, or `nil` when absent.
  ///
  /// - Complexity: O(1) past ``indexThreshold`` members, O(*n*) below.
  @inlinable
  public func position(of key: String) -> Int? {
    if let index { return index[key] }
    return _keys.firstIndex(of: key)
  }

  /// The value for `key`; assigning `nil` removes the member, assigning to an absent key appends
  /// it at the end, assigning to a present key replaces the value in place.
  public subscript(key: String) -> JSON? {
    get {
      guard let position = position(of: key) else { return nil }
      return _values[position]
    }
    set {
      if let newValue {
        if let position = position(of: key) {
          _values[position] = newValue
        } else {
          append(key: key, value: newValue)
        }
      } else if let position = position(of: key) {
        remove(at: position)
      }
    }
  }

  /// Appends a member without checking whether `key` is already present. Use only when the key
  /// is known to be new (for example when copying another object).
  public mutating func append(key: String, value: JSON) {
    _keys.append(key)
    _values.append(value)
    if index != nil {
      index?[key] = _keys.count - 1
    } else if _keys.count > JSONObject.indexThreshold {
      buildIndex()
    }
  }

  /// Removes the member at `position`, keeping the order of the others.
  ///
  /// - Complexity: O(*n*).
  public mutating func remove(at position: Int) {
    _keys.remove(at: position)
    _values.remove(at: position)
    if _keys.count > JSONObject.indexThreshold { buildIndex() } else { index = nil }
  }

  /// Removes the member named `key` and returns its value.
  @discardableResult
  public mutating func removeValue(forKey key: String) -> JSON? {
    guard let position = position(of: key) else { return nil }
    let value = _values[position]
    remove(at: position)
    return value
  }

  /// Replaces the value at `position` (a valid position) keeping the key.
  public mutating func setValue(_ value: JSON, at position: Int) {
    _values[position] = value
  }

  private mutating func buildIndex() {
    var built = [String: Int](minimumCapacity: _keys.count * 2)
    for (position, key) in _keys.enumerated() where built[key] == nil { built[key] = position }
    index = built
  }
}

extension JSONObject: RandomAccessCollection {
  /// A member: its key and value.
  public typealias Element = (key: String, value: JSON)

  /// The first position.
  public var startIndex: Int { 0 }

  /// One past the last position.
  public var endIndex: Int { _keys.count }

  /// The member at `position`.
  public subscript(position: Int) -> Element { (_keys[position], _values[position]) }
}

extension JSONObject: Equatable {
  /// Objects are equal when they have the same keys with equal values, in any order.
  public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
    guard lhs.count == rhs.count else { return false }
    if lhs._keys == rhs._keys { return lhs._values == rhs._values }
    for (key, value) in lhs {
      guard let other = rhs[key], other == value else { return false }
    }
    return true
  }
}

extension JSONObject: Hashable {
  /// Hashes independently of member order, consistent with `==`.
  public func hash(into hasher: inout Hasher) {
    var combined = 0
    for (key, value) in self {
      var member = Hasher()
      member.combine(key)
      member.combine(value)
      combined = combined &+ member.finalize()
    }
    hasher.combine(count)
    hasher.combine(combined)
  }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
  /// Creates an object with the members in the order written.
  public init(dictionaryLiteral elements: (String, JSON)...) {
    self.init(elements)
  }
}
