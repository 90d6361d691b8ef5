import CorpusSupport
import StepFunctionsJSON
import Testing

/// `{"a": {"a": ... leaf ...}}`, `depth` objects deep, built without recursion.
private func nestedObjects(_ depth: Int, leaf: JSON = .null) -> JSON {
  var value = leaf
  for _ in 0..<depth { value = ["a": value] }
  return value
}

/// `[[ ... leaf ... ]]`, `depth` arrays deep.
private func nestedArrays(_ depth: Int, leaf: JSON = .null) -> JSON {
  var value = leaf
  for _ in 0..<depth { value = .array([value]) }
  return value
}

/// Arrays and objects in turn, `depth` levels deep, an object outermost.
private func alternating(_ depth: Int) -> JSON {
  var value = JSON.null
  for level in 0..<depth { value = level % 2 == 0 ? .array([value, 1]) : ["a": value, "b": true] }
  return depth % 2 == 0 ? value : ["a": value]
}

@Suite("Deep values: nesting depth, equality, hashing, serialization and destruction")
struct DeepValueTests {
  @Test("nestingDepth counts arrays and objects: 0 for scalars, 1 for [] or {}")
  func nestingDepth() throws {
    let cases: [(String, Int)] = [
      ("1", 0), ("\"s\"", 0), ("null", 0), ("[]", 1), ("{}", 1), ("[1, 2]", 1),
      ("[[1]]", 2), (#"{"a": {}}"#, 2), (#"[{"a": [1, {"b": []}]}, 2]"#, 5),
      (#"{"a": 1, "b": [[[]]]}"#, 4),
    ]
    for (text, depth) in cases {
      let value = try JSON(parsing: text)
      #expect(value.nestingDepth == depth, "\(text)")
      #expect(value.nestingDepthBound == depth, "\(text)")
      #expect(!value.isNested(deeperThan: depth), "\(text)")
      #expect(value.isNested(deeperThan: depth - 1), "\(text)")
    }
  }

  @Test("The depth the JSON parser limits is the same nestingDepth")
  func parserDepthAgrees() throws {
    let limit = JSONParser.Options().maximumDepth
    let text = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
    #expect(try JSON(parsing: text).nestingDepth == limit)
  }

  @Test("Objects keep their depth bound through append, replace and remove; isNested stays exact")
  func keptBound() {
    var object = JSONObject()
    object["shallow"] = 1
    #expect(JSON.object(object).nestingDepthBound == 1)
    object["deep"] = nestedObjects(10)
    #expect(JSON.object(object).nestingDepthBound == 11)
    let shared = object
    object["deep"] = 2  // replaced in a copy: the bound may stay, the depth does not
    #expect(JSON.object(object).nestingDepth == 1)
    #expect(JSON.object(object).nestingDepthBound >= 1)
    #expect(!JSON.object(object).isNested(deeperThan: 1))
    #expect(JSON.object(shared).nestingDepth == 11)
    object.removeValue(forKey: "shallow")
    #expect(!JSON.object(object).isNested(deeperThan: 1))
    var unique = JSONObject(minimumCapacity: 2)
    unique.append(key: "x", value: nestedArrays(7))
    unique.setValue(nestedObjects(20), at: 0)
    #expect(JSON.object(unique).nestingDepth == 21)
    let shape = JSONObject.Shape(["p", "q"])
    let built = JSONObject(shape: shape, values: [nestedArrays(3), nestedObjects(4)])
    #expect(JSON.object(built).nestingDepthBound == 5)
    #expect(JSON.array([.object(built), [[[]]]]).nestingDepthBound == 6)
  }

  @Test(
    "Objects 100,000 deep compare, hash, serialize, measure and free on a 512 KiB stack",
    arguments: [100_000])
  func deepObjects(depth: Int) async throws {
    let results = try await SmallStack.run {
      let value = nestedObjects(depth)
      let same = nestedObjects(depth)
      let different = nestedObjects(depth, leaf: 1)
      let compact = value.serialized()
      // Pretty text grows with the square of the depth (two spaces a level on every line).
      let pretty = nestedObjects(1_000).serialized(.pretty)
      return (
        value == same, value == different, value.hashValue == same.hashValue,
        compact.utf8.count,
        pretty.split(separator: "\n").count == 2_001
          && pretty.contains("\n" + String(repeating: " ", count: 2_000) + "\"a\": null\n"),
        value.nestingDepth,
        value.isNested(deeperThan: depth - 1), value.isNested(deeperThan: depth)
      )
    }
    #expect(results.0)
    #expect(!results.1)
    #expect(results.2)
    #expect(results.3 == 4 + depth * 6)  // {"a": ... } is six bytes a level, null four
    #expect(results.4)
    #expect(results.5 == depth)
    #expect(results.6)
    #expect(!results.7)
  }

  @Test("Arrays and objects 100,000 deep in turn are measured and freed on a 512 KiB stack")
  func deepMixed() async throws {
    let results = try await SmallStack.run {
      let value = alternating(100_000)
      return (
        value.nestingDepth, value.serializedByteCount, value.serialized().utf8.count,
        value.serializedByteCount(limit: 1_000), value.serializedByteBound,
        value.serializedByteBound(limit: 1_000)
      )
    }
    #expect(results.0 >= 100_000)
    #expect(results.1 == results.2)
    #expect(results.3 == 1_001)
    #expect(results.4 >= results.1)
    #expect(results.5 == results.4)  // an object's bound is kept, whatever the limit
  }

  @Test("Objects 100,000 deep are counted in bytes on a 512 KiB stack")
  func deepObjectsCounted() async throws {
    let counts = try await SmallStack.run {
      let value = nestedObjects(100_000)
      return (
        value.serializedByteCount, value.serializedByteCount(limit: 599_999),
        value.serializedByteCount(limit: 600_004), value.serializedByteBound
      )
    }
    #expect(counts.0 == 4 + 100_000 * 6)
    #expect(counts.1 == 600_000)
    #expect(counts.2 == 600_004)
    #expect(counts.3 >= counts.0)
  }

  @Test("Arrays nested in arrays are measured with a stack of their own (on a 64 KiB thread)")
  func deepArraysMeasured() async throws {
    // Built and freed here: the Swift runtime frees arrays nested in arrays one call per level
    // (see Docs/Reliability.md), so only the measuring runs on the small thread.
    let value = nestedArrays(1_000, leaf: "x\n")
    let results = try await SmallStack.run(size: 64 * 1024) {
      (
        value.serializedByteCount, value.serializedByteCount(limit: 100),
        value.serializedByteBound, value.serializedByteBound(limit: 100), value.nestingDepth
      )
    }
    #expect(results.0 == 2 * 1_000 + 5)
    #expect(results.0 == value.serialized().utf8.count)
    #expect(results.1 == 101)
    #expect(results.2 == 2 * 1_000 + 2 + 6 * 2)
    #expect(results.3 == 101)
    #expect(results.4 == 1_000)
  }

  @Test("Arrays 1,000 deep (twice the parser's default depth) are handled on a 512 KiB stack")
  func deepArrays() async throws {
    let results = try await SmallStack.run {
      let value = nestedArrays(1_000)
      let same = nestedArrays(1_000)
      return (
        value == same, value.serialized().utf8.count, value.nestingDepth,
        value.hashValue == same.hashValue
      )
    }
    #expect(results.0)
    #expect(results.1 == 4 + 2 * 1_000)
    #expect(results.2 == 1_000)
    #expect(results.3)
  }

  @Test("Equality ignores member order and compares numbers by value at any depth")
  func equalitySemantics() throws {
    let left = try JSON(parsing: #"{"a": [1, {"x": 1500, "y": "s"}], "b": null}"#)
    let right = try JSON(parsing: #"{"b": null, "a": [1.0, {"y": "s", "x": 1.5e3}]}"#)
    #expect(left == right)
    #expect(left.hashValue == right.hashValue)
    let other = try JSON(parsing: #"{"b": null, "a": [1, {"y": "s", "x": 1501}]}"#)
    #expect(left != other)
    #expect(try JSON(parsing: "[1, 2]") != JSON(parsing: "[2, 1]"))
    #expect(try JSON(parsing: "{}") != JSON(parsing: "[]"))
    #expect(try JSON(parsing: #"{"a": 1}"#) != JSON(parsing: #"{"b": 1}"#))
  }

  @Test("Pretty serialization of nested values indents each level by two spaces")
  func prettyLayout() throws {
    let value = try JSON(parsing: #"{"a": [1, {"b": []}], "c": {}}"#)
    #expect(
      value.serialized(.pretty) == """
        {
          "a": [
            1,
            {
              "b": []
            }
          ],
          "c": {}
        }
        """)
    #expect(value.serialized() == #"{"a":[1,{"b":[]}],"c":{}}"#)
  }
}
