import StepFunctionsJSON
import Testing

@Suite("JSON objects")
struct JSONObjectTests {
  /// An object with keys `k0` ... `k(n-1)` and values `0` ... `n-1`.
  static func numbered(_ count: Int) -> JSONObject {
    var object = JSONObject()
    for index in 0..<count { object["k\(index)"] = .number(JSONNumber(index)) }
    return object
  }

  @Test("Members keep insertion order, not key order")
  func insertionOrder() {
    var object: JSONObject = ["zeta": 1, "alpha": 2, "mu": 3]
    object["beta"] = 4
    #expect(object.keys == ["zeta", "alpha", "mu", "beta"])
    #expect(object.values == [1, 2, 3, 4])
    #expect(object.map(\.key) == ["zeta", "alpha", "mu", "beta"])
  }

  @Test("Assigning to a present key replaces the value in place")
  func replaceInPlace() {
    var object: JSONObject = ["a": 1, "b": 2, "c": 3]
    object["b"] = "two"
    #expect(object.keys == ["a", "b", "c"])
    #expect(object["b"] == "two")
    object.setValue(nil, at: 0)
    #expect(object["a"] == .null)
    #expect(object.count == 3)
  }

  @Test("A repeated key in a literal keeps its first position and its last value")
  func repeatedLiteralKey() {
    let object: JSONObject = ["a": 1, "b": 2, "a": 3]
    #expect(object.keys == ["a", "b"])
    #expect(object["a"] == 3)
  }

  @Test("Removal keeps the order of the other members", arguments: [3, 8, 9, 10, 40])
  func removal(count: Int) {
    var object = Self.numbered(count)
    let removed = object.removeValue(forKey: "k1")
    #expect(removed == 1)
    #expect(object.removeValue(forKey: "k1") == nil)
    object["k0"] = nil
    #expect(object.count == count - 2)
    #expect(object.keys == (2..<count).map { "k\($0)" })
    for index in 2..<count { #expect(object["k\(index)"] == .number(JSONNumber(index))) }
    #expect(object["k0"] == nil)
    #expect(object.position(of: "k0") == nil)
    // Removing an absent key is a no-op.
    object["missing"] = nil
    #expect(object.count == count - 2)
  }

  @Test("Lookups stay right as the object grows past the index threshold and shrinks back")
  func indexThreshold() {
    var object = JSONObject()
    let total = JSONObject.indexThreshold * 4
    for index in 0..<total {
      object["k\(index)"] = .number(JSONNumber(index))
      for probe in 0...index { #expect(object.position(of: "k\(probe)") == probe) }
      #expect(object["k\(index + 1)"] == nil)
    }
    // Replace a member in an indexed object, then remove down below the threshold.
    object["k5"] = "five"
    #expect(object.position(of: "k5") == 5)
    while object.count > 2 {
      let key = object.keys[object.count / 2]
      object[key] = nil
      #expect(object[key] == nil)
      for (position, member) in object.enumerated() {
        #expect(object.position(of: member.key) == position)
      }
    }
    #expect(object.keys == ["k0", "k\(total - 1)"])
    // Append after shrinking: still found, still last.
    object["new"] = true
    #expect(object.keys.last == "new")
    #expect(object["new"] == true)
  }

  @Test("Equality ignores member order; hashing agrees", arguments: [2, 8, 9, 30])
  func orderInsensitiveEquality(count: Int) {
    let forward = Self.numbered(count)
    let backward = JSONObject(forward.reversed().map { ($0.key, $0.value) })
    #expect(forward.keys != backward.keys)
    #expect(forward == backward)
    #expect(forward.hashValue == backward.hashValue)
    #expect(JSON.object(forward) == JSON.object(backward))
    #expect(JSON.object(forward).hashValue == JSON.object(backward).hashValue)
    // Serialization still follows each object's own order.
    #expect(JSON.object(forward).serialized() != JSON.object(backward).serialized())
  }

  @Test("Objects that differ in a key, a value or a member count are unequal")
  func inequality() {
    let base: JSONObject = ["a": 1, "b": [true, nil]]
    #expect(base != ["a": 1, "c": [true, nil]])
    #expect(base != ["a": 1, "b": [true, false]])
    #expect(base != ["a": 1])
    #expect(base != ["a": 1, "b": [true, nil], "c": 3])
    #expect(base == ["b": [true, nil], "a": 1.0])
  }

  @Test("Objects work as dictionary keys and set members by content")
  func setMembership() {
    let a: JSON = ["x": 1, "y": ["z": 1500]]
    let b: JSON = ["y": ["z": 1.5e3], "x": 1.0]
    let c: JSON = ["x": 1, "y": ["z": 1501]]
    let set: Set<JSON> = [a, b, c]
    #expect(set.count == 2)
    #expect(set.contains(["x": 1, "y": ["z": 1500]]))
  }

  @Test("Copies are independent")
  func valueSemantics() {
    let original = Self.numbered(12)
    var copy = original
    copy["k3"] = "changed"
    copy["extra"] = true
    #expect(original["k3"] == 3)
    #expect(original["extra"] == nil)
    #expect(original.count == 12)
  }

  @Test("Key order survives parse, mutation and serialization")
  func orderThroughPipeline() throws {
    let text = #"{"zulu":1,"alpha":2,"Mike":3,"bravo":{"y":1,"x":2},"delta":4}"#
    guard case .object(var object) = try JSONParser.parse(text) else {
      Issue.record("expected an object")
      return
    }
    #expect(object.keys == ["zulu", "alpha", "Mike", "bravo", "delta"])
    object["alpha"] = "changed"
    object["Mike"] = nil
    object["charlie"] = 5
    let written = JSON.object(object).serialized()
    #expect(written == #"{"zulu":1,"alpha":"changed","bravo":{"y":1,"x":2},"delta":4,"charlie":5}"#)
    let reread = try JSONParser.parse(written)
    #expect(reread.objectValue?.keys == ["zulu", "alpha", "bravo", "delta", "charlie"])
  }
}
