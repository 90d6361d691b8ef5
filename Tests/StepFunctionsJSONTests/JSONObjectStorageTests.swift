import StepFunctionsJSON
import Testing

/// The object storage keeps the values inline and a byte bound up to date; these tests check
/// both against values computed from scratch.
@Suite("JSON object storage")
struct JSONObjectStorageTests {
  /// The bound computed from scratch, as `serializedByteBound` defines it.
  static func freshBound(_ value: JSON) -> Int {
    switch value {
    case .object(let object):
      var total = 2 + object.count + max(0, object.count - 1)
      for (key, member) in object { total += 2 + 6 * key.utf8.count + freshBound(member) }
      return total
    case .array(let elements):
      return 2 + max(0, elements.count - 1) + elements.reduce(0) { $0 + freshBound($1) }
    default:
      return value.serializedByteBound
    }
  }

  @Test(
    "The byte bound follows appends, replacements, removals and copies", arguments: [1, 8, 9, 30])
  func boundFollowsChanges(count: Int) {
    var object = JSONObject()
    #expect(JSON.object(object).serializedByteBound == 2)
    for position in 0..<count {
      object.append(key: "key\(position)", value: ["nested": .string("é\(position)")])
      #expect(JSON.object(object).serializedByteBound == Self.freshBound(.object(object)))
    }
    let original = object
    object["key0"] = .string(String(repeating: "x", count: 40))
    object["new"] = [1, 2.5, "three", nil, true]
    object.removeValue(forKey: "key\(count - 1)")
    let value = JSON.object(object)
    #expect(value.serializedByteBound == Self.freshBound(value))
    #expect(value.serializedByteBound >= value.serializedByteCount)
    #expect(JSON.object(original).serializedByteBound == Self.freshBound(.object(original)))
    #expect(original["key0"] == ["nested": "é0"])
  }

  @Test("Replacing values of every kind keeps the bound exact, shared or not")
  func boundFollowsReplacements() {
    let kinds: [JSON] = [
      nil, true, false, 0, -123_456, 2.5, "", "text é", [], [1, "two", [nil]], [:],
      ["nested": ["deeper": "x"]],
    ]
    for old in kinds {
      for new in kinds {
        var object: JSONObject = ["a": 1, "b": old, "c": "z"]
        let shared = object
        object["b"] = new
        #expect(JSON.object(object).serializedByteBound == Self.freshBound(.object(object)))
        var unique: JSONObject = ["a": 1, "b": old, "c": "z"]
        unique["b"] = new
        #expect(JSON.object(unique).serializedByteBound == Self.freshBound(.object(unique)))
        #expect(shared["b"] == old)
      }
    }
  }

  @Test("A parsed document's objects carry their bound")
  func parsedBound() throws {
    let text = #"{"a":{"b":[1,{"c":"\u00e9\n"}],"d":-12.5e3},"e":"","f":{}}"#
    let value = try JSONParser.parse(Array(text.utf8))
    #expect(value.serializedByteBound == Self.freshBound(value))
    #expect(value.serializedByteBound >= value.serializedByteCount)
  }

  @Test("An object built from a shape by a closure has its members and bound")
  func shapeClosure() {
    let shape = JSONObject.Shape(["id", "label", "tags"])
    let object = JSONObject(shape: shape) { position in
      [JSON.number(JSONNumber(7)), "seven", ["a", "b"]][position]
    }
    #expect(JSON.object(object).serialized() == #"{"id":7,"label":"seven","tags":["a","b"]}"#)
    #expect(JSON.object(object).serializedByteBound == Self.freshBound(.object(object)))
  }

  struct Stop: Error {}

  @Test("A closure that throws leaves nothing behind")
  func shapeClosureThrows() {
    let shape = JSONObject.Shape(["a", "b", "c"])
    var calls = 0
    #expect(throws: Stop.self) {
      _ = try JSONObject(shape: shape) { (position) throws(Stop) -> JSON in
        calls += 1
        if position == 2 { throw Stop() }
        return ["held": .string("value \(position)")]
      }
    }
    #expect(calls == 3)
  }

  @Test("Empty objects share storage until changed, then change alone")
  func emptyObjects() {
    var first = JSONObject()
    let second = JSONObject()
    first["a"] = 1
    #expect(second.isEmpty)
    #expect(first.count == 1)
    #expect(JSONObject(minimumCapacity: 0).isEmpty)
    var reserved = JSONObject(minimumCapacity: 3)
    for key in ["x", "y", "z", "w"] { reserved[key] = .string(key) }
    #expect(reserved.keys == ["x", "y", "z", "w"])
  }

  @Test("Values read by address match the values read by key")
  func valueAddresses() {
    var object = JSONObject()
    for position in 0..<12 { object["k\(position)"] = .number(JSONNumber(position)) }
    let document = JSON.object(object)
    withUnsafePointer(to: document) { root in
      for position in 0..<12 {
        #expect(
          JSON.unsafeMemberAddress(in: root, key: "k\(position)")?.pointee
            == object["k\(position)"])
      }
      #expect(JSON.unsafeMemberAddress(in: root, key: "missing") == nil)
    }
    let array: JSON = [10, 20, 30]
    withUnsafePointer(to: array) { root in
      #expect(JSON.unsafeElementAddress(in: root, index: 1)?.pointee == 20)
      #expect(JSON.unsafeElementAddress(in: root, index: -1)?.pointee == 30)
      #expect(JSON.unsafeElementAddress(in: root, index: 3) == nil)
      #expect(JSON.unsafeMemberAddress(in: root, key: "k0") == nil)
    }
    #expect(object.value(at: 3) == 3)
  }
}
