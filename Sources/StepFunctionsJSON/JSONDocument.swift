/// The result of parsing with locations: the value, the text it came from, where every value
/// starts, and the keys that were written twice.
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
  /// Where each value starts, by pointer.
  public var valueOffsets: [JSONPointer: Int]
  /// Where each member's key starts, by the member's pointer.
  public var keyOffsets: [JSONPointer: Int]
  /// Repeated keys, in the order met.
  public var duplicateKeys: [DuplicateKey]

  /// The location of the value at `pointer`, or of its nearest enclosing value that exists.
  public func location(of pointer: JSONPointer) -> SourceLocation {
    var current: JSONPointer? = pointer
    while let candidate = current {
      if let offset = valueOffsets[candidate] { return source.location(ofOffset: offset) }
      current = candidate.parent
    }
    return source.location(ofOffset: 0)
  }

  /// The location of the key of the member at `pointer`, falling back to ``location(of:)``.
  public func keyLocation(of pointer: JSONPointer) -> SourceLocation {
    if let offset = keyOffsets[pointer] { return source.location(ofOffset: offset) }
    return location(of: pointer)
  }
}
