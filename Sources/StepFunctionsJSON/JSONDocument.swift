/// The result of parsing with locations: the value, the text it came from, where every value
/// and key starts, and the keys that were written twice.
///
/// Locations are kept in flat arrays in the order the values were parsed, not in a table keyed by
/// pointer: recording them costs a few integers per value, and a pointer is resolved only when a
/// location is asked for, by walking the parsed value along it.
public struct JSONDocument: Sendable {
  /// A key written more than once in one object.
  public struct DuplicateKey: Sendable, Hashable {
    /// The pointer to the member (the object's pointer plus the key).
    public var pointer: JSONPointer
    /// The byte offset of the repeated key.
    public var offset: Int
  }

  /// The parsed value. A repeated key keeps its first position and its last value.
  public var value: JSON
  /// The source text.
  public var source: SourceText
  /// Repeated keys, in the order met.
  public var duplicateKeys: [DuplicateKey]
  /// Where each value starts, as parsed (independent of later changes to ``value``).
  let locations: ValueLocations

  init(value: JSON, source: SourceText, locations: ValueLocations, duplicateKeys: [DuplicateKey]) {
    self.value = value
    self.source = source
    self.locations = locations
    self.duplicateKeys = duplicateKeys
  }

  /// Where each value starts, by pointer.
  ///
  /// - Complexity: O(*n* · *d*) for *n* values nested *d* deep: the table is built on each call.
  ///   Use ``location(of:)`` to look up one pointer.
  public var valueOffsets: [JSONPointer: Int] { locations.table(keys: false) }

  /// Where each member's key starts, by the member's pointer.
  ///
  /// - Complexity: O(*n* · *d*), as ``valueOffsets``.
  public var keyOffsets: [JSONPointer: Int] { locations.table(keys: true) }

  /// The location of the value at `pointer`, or of its nearest enclosing value that exists.
  ///
  /// - Complexity: O(length of `pointer`).
  public func location(of pointer: JSONPointer) -> SourceLocation {
    source.location(ofOffset: locations.valueOffset(of: pointer))
  }

  /// The location of the key of the member at `pointer`, falling back to ``location(of:)``.
  ///
  /// - Complexity: O(length of `pointer`).
  public func keyLocation(of pointer: JSONPointer) -> SourceLocation {
    if let offset = locations.keyOffset(of: pointer) { return source.location(ofOffset: offset) }
    return location(of: pointer)
  }
}

/// Where every value of a parsed text starts, in flat arrays indexed by the value's number in
/// parse order (the root is 0, then each value before the values inside it).
struct ValueLocations: Sendable {
  /// The value as parsed, walked to resolve pointers.
  let root: JSON
  /// Per value: the byte offset where it starts.
  let valueOffsets: [Int]
  /// Per value: the byte offset of its key when it is an object member's value, else -1. A
  /// member whose key was repeated has its first key's offset.
  let keyOffsets: [Int]
  /// Per array or object: where the numbers of its elements or members start in ``children``.
  let childBases: [Int]
  /// The numbers of every container's elements or members, in order, container after container.
  let children: [Int]

  /// The number of the value at `pointer`, or of the nearest enclosing value that exists, and
  /// whether it is the value at `pointer` itself.
  func resolve(_ pointer: JSONPointer) -> (number: Int, isExact: Bool) {
    var number = 0
    var value = root
    for token in pointer.tokens {
      switch value {
      case .object(let object):
        guard let position = object.position(of: token) else { return (number, false) }
        number = children[childBases[number] + position]
        value = object.value(at: position)
      case .array(let elements):
        guard let index = ValueLocations.arrayIndex(token), index < elements.count else {
          return (number, false)
        }
        number = children[childBases[number] + index]
        value = elements[index]
      default:
        return (number, false)
      }
    }
    return (number, true)
  }

  /// The offset of the value at `pointer` or its nearest enclosing value (0 when there is none).
  func valueOffset(of pointer: JSONPointer) -> Int {
    guard !valueOffsets.isEmpty else { return 0 }
    return valueOffsets[resolve(pointer).number]
  }

  /// The offset of the key of the member at `pointer`, when there is such a member.
  func keyOffset(of pointer: JSONPointer) -> Int? {
    guard !valueOffsets.isEmpty else { return nil }
    let (number, isExact) = resolve(pointer)
    guard isExact, keyOffsets[number] >= 0 else { return nil }
    return keyOffsets[number]
  }

  /// An array index as JSON Pointer writes it: decimal digits without a leading zero.
  static func arrayIndex(_ token: String) -> Int? {
    let digits = token.utf8
    guard let first = digits.first, first >= 0x30, first <= 0x39,
      first != 0x30 || digits.count == 1, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
    else { return nil }
    return Int(token)
  }

  /// Every value's offset (or every member's key offset) by pointer.
  ///
  /// Walks the value with a stack of its own, so a document of any depth is tabulated on any
  /// thread.
  func table(keys: Bool) -> [JSONPointer: Int] {
    var table: [JSONPointer: Int] = [:]
    guard !valueOffsets.isEmpty else { return table }
    var tokens: [String] = []
    // The arrays and objects being walked: each with its number and the position of the next
    // child; `tokens` holds the path to that child's container.
    var open: [(value: JSON, number: Int, next: Int)] = []
    var value = root
    var number = 0
    while true {
      let offset = keys ? keyOffsets[number] : valueOffsets[number]
      if offset >= 0 { table[JSONPointer(tokens)] = offset }
      if value.isArrayOrObject { open.append((value, number, 0)) }
      // The next child of the innermost container that has one left, closing the others.
      var found = false
      while let (container, containerNumber, next) = open.last {
        let child: (JSON, String)?
        switch container {
        case .object(let object) where next < object.count:
          child = (object.value(at: next), object[next].key)
        case .array(let elements) where next < elements.count:
          child = (elements[next], String(next))
        default:
          child = nil
        }
        if next > 0 { tokens.removeLast() }
        guard let (childValue, token) = child else {
          open.removeLast()
          continue
        }
        open[open.count - 1].next = next + 1
        tokens.append(token)
        value = childValue
        number = children[childBases[containerNumber] + next]
        found = true
        break
      }
      guard found else { return table }
    }
  }
}
