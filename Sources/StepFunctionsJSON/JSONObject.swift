/// The members of a JSON object, in the order they were written.
///
/// Small objects are searched linearly; past ``indexThreshold`` members a hash index from key to
/// position is kept alongside, so lookups stay O(1) on large objects. The index never decides
/// iteration order: members always come out in insertion order.
public struct JSONObject: Sendable {
  /// Objects with more members than this keep a hash index.
  public static let indexThreshold = 8

  /// The members, behind one reference so that copying an object (and a ``JSON`` value holding
  /// one) costs a single retain. Copy-on-write: it is only changed in place when this object
  /// holds the only reference.
  @usableFromInline
  final class Storage: @unchecked Sendable {
    @exclusivity(unchecked) @usableFromInline var keys: [String]
    @exclusivity(unchecked) @usableFromInline var values: [JSON]
    @exclusivity(unchecked) @usableFromInline var index: [String: Int]?

    @usableFromInline
    init(keys: [String], values: [JSON], index: [String: Int]?) {
      self.keys = keys
      self.values = values
      self.index = index
    }
  }

  @usableFromInline var storage: Storage

  private init(storage: Storage) {
    self.storage = storage
  }

  /// Creates an empty object.
  public init() {
    storage = Storage(keys: [], values: [], index: nil)
  }

  /// Creates an empty object with room for `capacity` members.
  public init(minimumCapacity capacity: Int) {
    var keys: [String] = []
    var values: [JSON] = []
    keys.reserveCapacity(capacity)
    values.reserveCapacity(capacity)
    storage = Storage(keys: keys, values: values, index: nil)
  }

  /// An ordered set of distinct keys prepared once, so that many objects with these keys (the
  /// objects a payload template builds, say) are created without searching or hashing the keys
  /// again: they share the key list and its index.
  public struct Shape: Sendable {
    @usableFromInline let keys: [String]
    @usableFromInline let index: [String: Int]?

    /// Prepares `keys`; a repeated key keeps its first position only.
    public init(_ keys: [String]) {
      var distinct: [String] = []
      distinct.reserveCapacity(keys.count)
      var seen = Set<String>()
      for key in keys where seen.insert(key).inserted { distinct.append(key) }
      self.keys = distinct
      if distinct.count > JSONObject.indexThreshold {
        var built = [String: Int](minimumCapacity: distinct.count * 2)
        for (position, key) in distinct.enumerated() { built[key] = position }
        index = built
      } else {
        index = nil
      }
    }

    /// The keys, in order.
    public var orderedKeys: [String] { keys }
  }

  /// Creates an object with the keys of `shape` and `values` in the same order. When the counts
  /// differ, the extra keys or values are ignored.
  ///
  /// - Complexity: O(1) when the counts match (the key list and index are shared with the
  ///   shape), O(*n*) otherwise.
  public init(shape: Shape, values: [JSON]) {
    if shape.keys.count == values.count {
      self.init(storage: Storage(keys: shape.keys, values: values, index: shape.index))
    } else {
      self.init(minimumCapacity: Swift.min(shape.keys.count, values.count))
      for (key, value) in zip(shape.keys, values) { append(key: key, value: value) }
    }
  }

  /// Creates an object from members in order; a repeated key keeps its first position and its
  /// last value.
  public init(_ members: some Sequence<(String, JSON)>) {
    self.init()
    for (key, value) in members { self[key] = value }
  }

  /// Gives this object storage of its own before a change.
  @inline(__always)
  private mutating func makeUnique() {
    if !isKnownUniquelyReferenced(&storage) {
      storage = Storage(keys: storage.keys, values: storage.values, index: storage.index)
    }
  }

  /// The keys in order.
  public var keys: [String] { storage.keys }

  /// The values in key order.
  public var values: [JSON] { storage.values }

  /// The value at `position` (a valid position).
  @inlinable
  public func value(at position: Int) -> JSON { storage.values[position] }

  /// The address of the value of the member named `key`, or `nil` when absent.
  ///
  /// For walking a document without copying the values on the way (see the runtime's path
  /// reader): the address stays valid only while this object's storage is alive and nothing
  /// changes it — that is, while the caller holds the document it came from and does not mutate
  /// it. Read it with `pointee`; never write through it.
  @inlinable
  public func unsafeValueAddress(forKey key: String) -> UnsafePointer<JSON>? {
    guard let position = position(of: key) else { return nil }
    return storage.values.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.map { $0 + position }
    }
  }

  /// The number of members.
  public var count: Int { storage.keys.count }

  /// Whether the object has no members.
  public var isEmpty: Bool { storage.keys.isEmpty }

  /// The position of `key`, or `nil` when absent.
  ///
  /// - Complexity: O(1) past ``indexThreshold`` members, O(*n*) below.
  @inlinable
  public func position(of key: String) -> Int? {
    if let index = storage.index { return index[key] }
    return storage.keys.firstIndex(of: key)
  }

  /// The value for `key`; assigning `nil` removes the member, assigning to an absent key appends
  /// it at the end, assigning to a present key replaces the value in place.
  public subscript(key: String) -> JSON? {
    get {
      guard let position = position(of: key) else { return nil }
      return storage.values[position]
    }
    set {
      if let newValue {
        if let position = position(of: key) {
          setValue(newValue, at: position)
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
    makeUnique()
    if storage.keys.isEmpty, storage.keys.capacity < 4 {
      // Skip the smallest sizes of the arrays' growth: most objects have a few members.
      storage.keys.reserveCapacity(4)
      storage.values.reserveCapacity(4)
    }
    storage.keys.append(key)
    storage.values.append(value)
    if storage.index != nil {
      storage.index?[key] = storage.keys.count - 1
    } else if storage.keys.count > JSONObject.indexThreshold {
      buildIndex()
    }
  }

  /// Removes the member at `position`, keeping the order of the others.
  ///
  /// - Complexity: O(*n*).
  public mutating func remove(at position: Int) {
    makeUnique()
    storage.keys.remove(at: position)
    storage.values.remove(at: position)
    if storage.keys.count > JSONObject.indexThreshold { buildIndex() } else { storage.index = nil }
  }

  /// Removes the member named `key` and returns its value.
  @discardableResult
  public mutating func removeValue(forKey key: String) -> JSON? {
    guard let position = position(of: key) else { return nil }
    let value = storage.values[position]
    remove(at: position)
    return value
  }

  /// Replaces the value at `position` (a valid position) keeping the key.
  public mutating func setValue(_ value: JSON, at position: Int) {
    makeUnique()
    storage.values[position] = value
  }

  private mutating func buildIndex() {
    var built = [String: Int](minimumCapacity: storage.keys.count * 2)
    for (position, key) in storage.keys.enumerated() where built[key] == nil {
      built[key] = position
    }
    storage.index = built
  }
}

extension JSONObject: RandomAccessCollection {
  /// A member: its key and value.
  public typealias Element = (key: String, value: JSON)

  /// The first position.
  public var startIndex: Int { 0 }

  /// One past the last position.
  public var endIndex: Int { storage.keys.count }

  /// The member at `position`.
  public subscript(position: Int) -> Element { (storage.keys[position], storage.values[position]) }
}

extension JSONObject: Equatable {
  /// Objects are equal when they have the same keys with equal values, in any order.
  public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
    guard lhs.count == rhs.count else { return false }
    if lhs.storage.keys == rhs.storage.keys { return lhs.storage.values == rhs.storage.values }
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
    self.init(minimumCapacity: elements.count)
    for (key, value) in elements { self[key] = value }
  }
}
