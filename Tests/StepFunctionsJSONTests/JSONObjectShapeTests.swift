import StepFunctionsJSON
import Testing

@Suite("Objects built from a shape")
struct JSONObjectShapeTests {
  static func appended(_ keys: [String], _ values: [JSON]) -> JSONObject {
    var object = JSONObject()
    for (key, value) in zip(keys, values) where object[key] == nil {
      object.append(key: key, value: value)
    }
    return object
  }

  @Test("An object built from a shape equals one built member by member", arguments: [2, 8, 9, 20])
  func sameAsAppending(count: Int) {
    let keys = (0..<count).map { "key\($0)" }
    let values = (0..<count).map { JSON.number(JSONNumber($0)) }
    let object = JSONObject(shape: JSONObject.Shape(keys), values: values)
    #expect(object == Self.appended(keys, values))
    #expect(object.keys == keys)
    for (key, value) in zip(keys, values) { #expect(object[key] == value) }
    #expect(object["missing"] == nil)
  }

  @Test("A repeated key in a shape keeps its first position only")
  func repeatedKeys() {
    let shape = JSONObject.Shape(["a", "b", "a"])
    #expect(shape.orderedKeys == ["a", "b"])
    let object = JSONObject(shape: shape, values: [1, 2])
    #expect(JSON.object(object).serialized() == #"{"a":1,"b":2}"#)
  }

  @Test("Counts that differ use the pairs that exist")
  func mismatchedCounts() {
    let shape = JSONObject.Shape(["a", "b", "c"])
    #expect(JSON.object(JSONObject(shape: shape, values: [1])).serialized() == #"{"a":1}"#)
    #expect(
      JSON.object(JSONObject(shape: shape, values: [1, 2, 3, 4])).serialized()
        == #"{"a":1,"b":2,"c":3}"#)
  }

  @Test("Objects sharing a shape change independently", arguments: [3, 12])
  func copyOnWrite(count: Int) {
    let shape = JSONObject.Shape((0..<count).map { "k\($0)" })
    let values = Array(repeating: JSON.null, count: count)
    var first = JSONObject(shape: shape, values: values)
    let second = JSONObject(shape: shape, values: values)
    first["k0"] = true
    first["new"] = 1
    first.removeValue(forKey: "k1")
    #expect(second["k0"] == .null)
    #expect(second["new"] == nil)
    #expect(second["k1"] == .null)
    #expect(first["new"] == 1)
    #expect(first["k1"] == nil)
    #expect(JSONObject(shape: shape, values: values).keys == shape.orderedKeys)
  }
}
