/// The members of a JSON object, in the order they were written.
///
/// Small objects are searched linearly; past ``indexThreshold`` members a hash index from key to
/// position is kept alongside, so lookups stay O(1) on large objects. The index never decides
/// iteration order: members always come out in insertion order.
///
/// The values live in the storage object itself (tail-allocated), so a new object costs one
/// allocation; the key list is a separate array that objects built from one ``Shape`` share.
/// Copying an object costs a single retain; it is copied on write.
/// `@unchecked Sendable`: the storage is only changed in place when uniquely referenced (copy on
/// write), like the standard library's collections.
public struct JSONObject: @unchecked Sendable {
  /// Objects with more members than this keep a hash index.
  public static let indexThreshold = 8

  /// What the storage keeps besides the values.
  @usableFromInline
  struct Header {
    /// Initialized values (and keys).
    @usableFromInline var count: Int
    /// Room for values.
    @usableFromInline var capacity: Int
    @usableFromInline var keys: [String]
    @usableFromInline var index: [String: Int]?
    /// The members' share of ``JSON/serializedByteBound``: for each member, the bound of its
    /// quoted key plus its value's bound. Kept up to date by every change, so that an object's
    /// bound costs O(1).
    @usableFromInline var membersByteBound: Int
    /// The members' share of ``JSON/nestingDepthBound``: at least the deepest member's nesting
    /// depth. Raised by every change that adds or replaces a value, never lowered (a removal
    /// leaves it as it was), so that an object's bound costs O(1).
    @usableFromInline var membersDepthBound: Int

    @inlinable
    init(
      count: Int, capacity: Int, keys: [String], index: [String: Int]?, membersByteBound: Int,
      membersDepthBound: Int
    ) {
      self.count = count
      self.capacity = capacity
      self.keys = keys
      self.index = index
      self.membersByteBound = membersByteBound
      self.membersDepthBound = membersDepthBound
    }
  }

  /// The header and, after it, `capacity` slots of which the first `count` hold values.
  @usableFromInline
  final class Storage: ManagedBuffer<Header, JSON> {
    deinit {
      withUnsafeMutablePointers { header, values in
        let count = header.pointee.count
        guard header.pointee.membersDepthBound < JSONObject.deepDestructionThreshold else {
          var pending: [JSON] = []
          pending.reserveCapacity(count)
          for position in 0..<count { pending.append((values + position).move()) }
          header.pointee.count = 0
          JSONObject.destroyIteratively(&pending)
          return
        }
        // One by one rather than `deinitialize(count:)`, which goes through the runtime's
        // generic array destruction (a value-witness call per element).
        for position in 0..<count { _ = (values + position).move() }
      }
    }
  }

  /// How deep an object's members may nest before destroying it takes its values apart with a
  /// stack of its own (see ``destroyIteratively(_:)``) rather than one call per level.
  static let deepDestructionThreshold = 32

  /// Destroys `pending` one value at a time. An array or object that is about to be freed (its
  /// last owner is here) has its contents moved into `pending` first, so freeing it frees no
  /// nested values, and the stack stays flat however deep the values nest.
  static func destroyIteratively(_ pending: inout [JSON]) {
    while var value = pending.popLast() {
      switch value {
      case .object(var object):
        value = .null
        guard isKnownUniquelyReferenced(&object.storage) else { continue }
        object.storage.withUnsafeMutablePointers { header, values in
          for position in 0..<header.pointee.count {
            let member = (values + position).move()
            if member.isArrayOrObject { pending.append(member) }
          }
          header.pointee.count = 0
        }
      case .array(var elements):
        value = .null
        guard elements.contains(where: \.isArrayOrObject) else { continue }
        // Asking for mutable storage copies a buffer that has another owner: then nothing in it
        // is freed here, and the copy is simply dropped.
        let address = elements.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        guard
          elements.withUnsafeMutableBufferPointer({ UnsafeRawPointer($0.baseAddress) })
            == address
        else {
          continue
        }
        while let element = elements.popLast() {
          if element.isArrayOrObject { pending.append(element) }
        }
      case .null, .bool, .number, .string:
        continue
      }
    }
  }

  @usableFromInline var storage: Storage

  @inlinable
  init(storage: Storage) {
    self.storage = storage
  }

  @inlinable
  static func makeStorage(
    capacity: Int, keys: [String], index: [String: Int]?, membersByteBound: Int,
    membersDepthBound: Int = 0
  ) -> Storage {
    let buffer = Storage.create(minimumCapacity: capacity) { _ in
      Header(
        count: 0, capacity: capacity, keys: keys, index: index,
        membersByteBound: membersByteBound, membersDepthBound: membersDepthBound)
    }
    return unsafeDowncast(buffer, to: Storage.self)
  }

  /// The storage of every empty object until it is first changed.
  @usableFromInline
  nonisolated(unsafe) static let emptyStorage = makeStorage(
    capacity: 0, keys: [], index: nil, membersByteBound: 0, membersDepthBound: 0)

  /// Creates an empty object.
  @inlinable
  public init() {
    storage = JSONObject.emptyStorage
  }

  /// Creates an empty object with room for `capacity` members.
  public init(minimumCapacity capacity: Int) {
    guard capacity > 0 else {
      self.init()
      return
    }
    var keys: [String] = []
    keys.reserveCapacity(capacity)
    self.init(
      storage: JSONObject.makeStorage(
        capacity: capacity, keys: keys, index: nil, membersByteBound: 0))
  }

  /// An ordered set of distinct keys prepared once, so that many objects with these keys (the
  /// objects a payload template builds, say) are created without searching or hashing the keys
  /// again: they share the key list and its index.
  public struct Shape: Sendable {
    @usableFromInline let keys: [String]
    @usableFromInline let index: [String: Int]?
    /// The keys' share of the members' byte bound.
    @usableFromInline let keysByteBound: Int

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
      keysByteBound = distinct.reduce(0) { $0 + JSONObject.keyByteBound($1) }
    }

    /// The keys, in order.
    public var orderedKeys: [String] { keys }
  }

  /// Creates an object with the keys of `shape` and `values` in the same order. When the counts
  /// differ, the extra keys or values are ignored.
  ///
  /// - Complexity: O(*n*) for the values; the key list and index are shared with the shape when
  ///   the counts match.
  public init(shape: Shape, values: [JSON]) {
    if shape.keys.count == values.count {
      self.init(shape: shape) { values[$0] }
    } else {
      self.init(minimumCapacity: Swift.min(shape.keys.count, values.count))
      for (key, value) in zip(shape.keys, values) { append(key: key, value: value) }
    }
  }

  /// Creates an object with the keys of `shape`, the value of the member at each position
  /// given by `value(position)`, called once per key in order. If it throws, the members made
  /// so far are discarded.
  ///
  /// - Complexity: one allocation; the key list and index are shared with the shape.
  @inlinable
  public init<E: Error>(shape: Shape, _ value: (Int) throws(E) -> JSON) throws(E) {
    let count = shape.keys.count
    let storage = JSONObject.makeStorage(
      capacity: count, keys: shape.keys, index: shape.index,
      membersByteBound: shape.keysByteBound)
    try storage.withUnsafeMutablePointers { (header, values) throws(E) in
      for position in 0..<count {
        let member = try value(position)
        header.pointee.membersByteBound = JSONObject.bound(
          header.pointee.membersByteBound, adding: member.serializedByteBound)
        header.pointee.membersDepthBound = Swift.max(
          header.pointee.membersDepthBound, member.nestingDepthBound)
        (values + position).initialize(to: member)
        header.pointee.count = position + 1
      }
    }
    self.init(storage: storage)
  }

  /// Creates an object from members in order; a repeated key keeps its first position and its
  /// last value.
  public init(_ members: some Sequence<(String, JSON)>) {
    self.init()
    for (key, value) in members { self[key] = value }
  }

  /// The byte bound of `key` as an object key: quoted, every byte escaped at worst.
  @inlinable
  static func keyByteBound(_ key: String) -> Int { 2 + 6 * key.utf8.count }

  /// Gives this object storage of its own, with room for `extra` more members, before a change.
  @inline(__always)
  @usableFromInline
  mutating func prepareForChange(adding extra: Int = 0) {
    let unique = isKnownUniquelyReferenced(&storage)
    let (count, capacity) = storage.withUnsafeMutablePointerToHeader {
      ($0.pointee.count, $0.pointee.capacity)
    }
    if unique && count + extra <= capacity { return }
    reallocate(
      unique: unique,
      capacity: count + extra > capacity ? Swift.max(count + extra, capacity * 2, 4) : capacity)
  }

  @usableFromInline
  mutating func reallocate(unique: Bool, capacity: Int) {
    let old = storage
    let new = old.withUnsafeMutablePointers { header, values in
      let copy = JSONObject.makeStorage(
        capacity: capacity, keys: header.pointee.keys, index: header.pointee.index,
        membersByteBound: header.pointee.membersByteBound,
        membersDepthBound: header.pointee.membersDepthBound)
      copy.withUnsafeMutablePointers { newHeader, newValues in
        let count = header.pointee.count
        if unique {
          newValues.moveInitialize(from: values, count: count)
          header.pointee.count = 0
          header.pointee.keys = []
        } else {
          // One by one rather than `initialize(from:count:)`, which goes through the runtime's
          // generic array copy.
          for position in 0..<count { (newValues + position).initialize(to: values[position]) }
        }
        newHeader.pointee.count = count
      }
      return copy
    }
    storage = new
  }

  /// The keys in order.
  public var keys: [String] { storage.header.keys }

  /// The values in key order.
  public var values: [JSON] {
    storage.withUnsafeMutablePointers { header, values in
      Array(UnsafeBufferPointer(start: values, count: header.pointee.count))
    }
  }

  /// The value at `position` (a valid position).
  @inlinable
  public func value(at position: Int) -> JSON {
    storage.withUnsafeMutablePointerToElements { $0[position] }
  }

  /// Calls `body` with the keys and the values, in order.
  @inlinable
  func withMembers<R>(_ body: ([String], UnsafeBufferPointer<JSON>) throws -> R) rethrows -> R {
    try storage.withUnsafeMutablePointers { header, values in
      try body(header.pointee.keys, UnsafeBufferPointer(start: values, count: header.pointee.count))
    }
  }

  /// The number of members.
  @inlinable
  public var count: Int { storage.withUnsafeMutablePointerToHeader { $0.pointee.count } }

  /// Whether the object has no members.
  @inlinable
  public var isEmpty: Bool { count == 0 }

  /// ``JSON/nestingDepthBound`` for this object.
  @inlinable
  var nestingDepthBound: Int {
    1 + storage.withUnsafeMutablePointerToHeader { $0.pointee.membersDepthBound }
  }

  /// ``JSON/serializedByteBound`` for this object.
  var serializedByteBound: Int {
    storage.withUnsafeMutablePointerToHeader { JSONObject.byteBound(of: $0) }
  }

  /// ``JSON/serializedByteBound`` of the object whose header this is: braces, colons, commas,
  /// and the members' kept share.
  @inline(__always)
  static func byteBound(of header: UnsafeMutablePointer<Header>) -> Int {
    let count = header.pointee.count
    return bound(2 + count + Swift.max(0, count - 1), adding: header.pointee.membersByteBound)
  }

  /// `total + amount` for byte bounds, saturating at `Int.max` ("too large to bound"). A
  /// member whose bound is `Int.max` makes its object's `Int.max`.
  @inlinable
  static func bound(_ total: Int, adding amount: Int) -> Int {
    let (sum, overflow) = total.addingReportingOverflow(amount)
    return overflow ? Int.max : sum
  }

  /// A members' bound `total` with a member of bound `old` replaced by one of bound `new`
  /// (`old` 0 for an insertion, `new` 0 for a removal). Once saturated, a bound stays so: what
  /// it stood for is not known any more.
  @inlinable
  static func bound(_ total: Int, replacing old: Int, with new: Int) -> Int {
    total == Int.max ? Int.max : bound(total - old, adding: new)
  }

  /// The position of `key`, or `nil` when absent.
  ///
  /// - Complexity: O(1) past ``indexThreshold`` members, O(*n*) below.
  @inlinable
  public func position(of key: String) -> Int? {
    storage.withUnsafeMutablePointerToHeader { JSONObject.position(of: key, in: $0) }
  }

  /// The position of `key` in the object whose header this is, by its index when it has one.
  @inlinable
  static func position(of key: String, in header: UnsafeMutablePointer<Header>) -> Int? {
    if let index = header.pointee.index { return index[key] }
    return header.pointee.keys.firstIndex(of: key)
  }

  /// The value for `key`; assigning `nil` removes the member, assigning to an absent key appends
  /// it at the end, assigning to a present key replaces the value in place.
  public subscript(key: String) -> JSON? {
    get {
      guard let position = position(of: key) else { return nil }
      return value(at: position)
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
    prepareForChange(adding: 1)
    storage.withUnsafeMutablePointers { header, values in
      let count = header.pointee.count
      header.pointee.keys.append(key)
      (values + count).initialize(to: value)
      header.pointee.count = count + 1
      header.pointee.membersByteBound = JSONObject.bound(
        header.pointee.membersByteBound, replacing: 0,
        with: JSONObject.bound(JSONObject.keyByteBound(key), adding: value.serializedByteBound))
      header.pointee.membersDepthBound = Swift.max(
        header.pointee.membersDepthBound, value.nestingDepthBound)
      if header.pointee.index != nil {
        header.pointee.index?[key] = count
      } else if count + 1 > JSONObject.indexThreshold {
        header.pointee.index = JSONObject.buildIndex(header.pointee.keys)
      }
    }
  }

  /// Removes the member at `position`, keeping the order of the others.
  ///
  /// - Complexity: O(*n*).
  public mutating func remove(at position: Int) {
    prepareForChange()
    storage.withUnsafeMutablePointers { header, values in
      let count = header.pointee.count
      let key = header.pointee.keys.remove(at: position)
      let removed = (values + position).move()
      header.pointee.membersByteBound = JSONObject.bound(
        header.pointee.membersByteBound,
        replacing: JSONObject.bound(
          JSONObject.keyByteBound(key), adding: removed.serializedByteBound),
        with: 0)
      (values + position).moveInitialize(from: values + position + 1, count: count - position - 1)
      header.pointee.count = count - 1
      header.pointee.index =
        count - 1 > JSONObject.indexThreshold ? JSONObject.buildIndex(header.pointee.keys) : nil
    }
  }

  /// Removes the member named `key` and returns its value.
  @discardableResult
  public mutating func removeValue(forKey key: String) -> JSON? {
    guard let position = position(of: key) else { return nil }
    let value = value(at: position)
    remove(at: position)
    return value
  }

  /// Replaces the value at `position` (a valid position) keeping the key.
  public mutating func setValue(_ value: JSON, at position: Int) {
    if isKnownUniquelyReferenced(&storage) {
      storage.withUnsafeMutablePointers { header, values in
        header.pointee.membersByteBound = JSONObject.bound(
          header.pointee.membersByteBound, replacing: JSONObject.byteBound(at: values + position),
          with: value.serializedByteBound)
        header.pointee.membersDepthBound = Swift.max(
          header.pointee.membersDepthBound, value.nestingDepthBound)
        values[position] = value
      }
      return
    }
    // Shared: a new storage with the other values copied and this one in place, so the value
    // it replaces is never copied.
    storage = storage.withUnsafeMutablePointers { header, values in
      let count = header.pointee.count
      let copy = JSONObject.makeStorage(
        capacity: count, keys: header.pointee.keys, index: header.pointee.index,
        membersByteBound: JSONObject.bound(
          header.pointee.membersByteBound, replacing: JSONObject.byteBound(at: values + position),
          with: value.serializedByteBound),
        membersDepthBound: Swift.max(header.pointee.membersDepthBound, value.nestingDepthBound))
      copy.withUnsafeMutablePointers { newHeader, newValues in
        for index in 0..<position { (newValues + index).initialize(to: values[index]) }
        (newValues + position).initialize(to: value)
        for index in (position + 1)..<count { (newValues + index).initialize(to: values[index]) }
        newHeader.pointee.count = count
      }
      return copy
    }
  }

  /// ``JSON/serializedByteBound`` of the value at `value`, read in place: a value about to be
  /// replaced is not copied just to be measured (objects, strings and numbers cost O(1)).
  @inline(__always)
  static func byteBound(at value: UnsafeMutablePointer<JSON>) -> Int {
    switch value.pointee {
    case .object(let object):
      return object.storage.withUnsafeMutablePointerToHeader { JSONObject.byteBound(of: $0) }
    case .string(let text): return JSON.stringByteBound(text)
    case .null: return 4
    case .bool(let flag): return flag ? 4 : 5
    case .number, .array: return value.pointee.serializedByteBound
    }
  }

  private static func buildIndex(_ keys: [String]) -> [String: Int] {
    var built = [String: Int](minimumCapacity: keys.count * 2)
    for (position, key) in keys.enumerated() where built[key] == nil {
      built[key] = position
    }
    return built
  }
}

extension JSON {
  /// The storage of the object at `value`, unretained, or `nil` when it is not an object. No
  /// copy of the value is made (an opaque call while a copy is alive would force one).
  @inline(__always)
  @usableFromInline
  static func unretainedObjectStorage(at value: UnsafePointer<JSON>)
    -> Unmanaged<JSONObject.Storage>?
  {
    if case .object(let object) = value.pointee { return .passUnretained(object.storage) }
    return nil
  }

  /// The address of the value of member `key` of the object at `value`; `nil` when `value` is
  /// not an object or has no such member.
  ///
  /// For walking a document without copying the values on the way (see the runtime's path
  /// reader): the values live inside the object's storage, which never moves, so the address
  /// stays valid while that storage is alive and unchanged — that is, while the caller holds the
  /// document it came from and does not mutate it. Read it with `pointee`; never write through it.
  @inlinable
  public static func unsafeMemberAddress(in value: UnsafePointer<JSON>, key: String)
    -> UnsafePointer<JSON>?
  {
    guard let storage = unretainedObjectStorage(at: value) else { return nil }
    return storage._withUnsafeGuaranteedRef { storage in
      storage.withUnsafeMutablePointers { header, values in
        JSONObject.position(of: key, in: header).map { UnsafePointer(values + $0) }
      }
    }
  }

  /// The address of element `index` of the array at `value` (negative indexes count from the
  /// end); `nil` when `value` is not an array or the index is out of range. Valid while the
  /// document is alive and unchanged.
  @inlinable
  public static func unsafeElementAddress(in value: UnsafePointer<JSON>, index: Int)
    -> UnsafePointer<JSON>?
  {
    guard case .array(let array) = value.pointee else { return nil }
    let effective = index < 0 ? array.count + index : index
    guard effective >= 0 && effective < array.count else { return nil }
    return array.withUnsafeBufferPointer { $0.baseAddress.map { $0 + effective } }
  }
}

extension JSONObject: RandomAccessCollection {
  /// A member: its key and value.
  public typealias Element = (key: String, value: JSON)

  /// The first position.
  public var startIndex: Int { 0 }

  /// One past the last position.
  public var endIndex: Int { count }

  /// The member at `position`.
  public subscript(position: Int) -> Element {
    storage.withUnsafeMutablePointers { header, values in
      (header.pointee.keys[position], values[position])
    }
  }
}

extension JSONObject: Equatable {
  /// Objects are equal when they have the same keys with equal values, in any order (see
  /// ``JSON/==(_:_:)``, which compares values of any depth without recursion).
  public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
    JSON.object(lhs) == JSON.object(rhs)
  }
}

extension JSONObject: Hashable {
  /// Hashes independently of member order, consistent with `==`.
  public func hash(into hasher: inout Hasher) {
    hash(into: &hasher, depth: 0)
  }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
  /// Creates an object with the members in the order written.
  public init(dictionaryLiteral elements: (String, JSON)...) {
    self.init(minimumCapacity: elements.count)
    for (key, value) in elements { self[key] = value }
  }
}
