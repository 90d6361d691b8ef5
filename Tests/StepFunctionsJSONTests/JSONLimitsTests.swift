import Testing

@testable import StepFunctionsJSON

/// The limits that keep user-supplied JSON from exhausting the stack, the clock or the CPU:
/// the parser's depth ceiling (issue 10, #11) and size measurements that neither overflow nor
/// walk every copy of a value that is shared many times over.
@Suite("JSON limits")
struct JSONLimitsTests {
  /// `depth` nested arrays around `1`.
  static func nested(_ depth: Int) -> [UInt8] {
    Array((String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)).utf8)
  }

  @Test(
    "#11 maximumDepth is clamped to the ceiling, so 100,000 on 16k-deep input is an error, not a crash"
  )
  func depthCeiling() {
    let options = JSONParser.Options(maximumDepth: 100_000)
    #expect(options.maximumDepth == JSONParser.Options.depthCeiling)
    #expect(JSONParser.Options.depthCeiling == 1_000)
    var assigned = JSONParser.Options()
    assigned.maximumDepth = Int.max
    #expect(assigned.maximumDepth == 1_000)
    assigned.maximumDepth = -5
    #expect(assigned.maximumDepth == 0)
    #expect(JSONParser.Options().maximumDepth == 512)
    do {
      let value = try JSONParser.parse(Self.nested(16_384), options: options)
      Issue.record("parsed \(value.typeName)")
    } catch {
      #expect(error.kind == .nestingTooDeep)
      #expect(error.message.contains("nested more than 1000 deep"))
    }
    do {
      _ = try JSONParser.parseDocument(Self.nested(16_384), options: options)
      Issue.record("parsed a document past the ceiling")
    } catch {
      #expect(error.kind == .nestingTooDeep)
    }
  }

  @Test("Input as deep as the ceiling parses, prints, compares and hashes")
  func inputAtTheCeiling() throws {
    let options = JSONParser.Options(maximumDepth: .max)
    let value = try JSONParser.parse(Self.nested(1_000), options: options)
    let document = try JSONParser.parseDocument(Self.nested(1_000), options: options)
    #expect(value.serialized().utf8.count == 2_001)
    #expect(value.serialized(.pretty).utf8.count > 2_001)
    #expect(value.serializedByteCount == 2_001)
    #expect(value.serializedByteBound >= 2_001)
    #expect(value == document.value)
    #expect(Set([value, document.value]).count == 1)
  }

  /// An array holding the same array twice, `levels` deep: 2^levels copies of `[0]` in only
  /// `levels` allocations.
  static func doubledArray(_ levels: Int) -> JSON {
    var value: JSON = [0]
    for _ in 0..<levels { value = .array([value, value]) }
    return value
  }

  /// The same with objects: `{"a": v, "b": v}`.
  static func doubledObject(_ levels: Int) -> JSON {
    var value: JSON = [0]
    for _ in 0..<levels { value = .object(["a": value, "b": value]) }
    return value
  }

  @Test("Measuring against a limit stops once it is passed, however much of the value is shared")
  func limitedMeasurement() {
    let array = Self.doubledArray(60)
    #expect(array.serializedByteCount(limit: 262_144) == 262_145)
    #expect(array.serializedByteBound(limit: 262_144) == 262_145)
    #expect(array.serializedByteBound == Int.max)
    let object = Self.doubledObject(70)
    #expect(object.serializedByteBound == Int.max)
    #expect(object.serializedByteCount(limit: 262_144) == 262_145)
    let small: JSON = ["a": [1, "x\n"], "b": .null]
    #expect(small.serializedByteCount(limit: 1_000) == small.serializedByteCount)
    #expect(small.serializedByteCount(limit: 1_000) == small.serialized().utf8.count)
    #expect(small.serializedByteCount(limit: 5) == 6)
    #expect(small.serializedByteBound(limit: 1_000) == small.serializedByteBound)
    #expect(JSON.string(String(repeating: "q", count: 1_000)).serializedByteCount(limit: 10) == 11)
    #expect(small.serializedByteCount(limit: Int.max) == small.serializedByteCount)
    #expect(small.serializedByteCount(limit: -1) == 0)
  }

  @Test("An unlimited count of a value larger than Int saturates instead of trapping")
  func unlimitedCountSaturates() {
    #expect(
      Self.doubledObject(3).serializedByteCount == Self.doubledObject(3).serialized().utf8.count)
    // 2^64 copies cannot be counted one by one; 2^40 would take hours. Two levels of 2^62-byte
    // bounds are enough to show the arithmetic saturates.
    let huge = Self.doubledObject(70)
    let pair: JSON = ["x": huge, "y": huge]
    #expect(pair.serializedByteBound == Int.max)
  }

  @Test("An object's kept bound saturates, and stays saturated when members change")
  func objectBoundSaturates() {
    let huge = Self.doubledObject(70)
    var object: JSONObject = ["small": 1]
    object.append(key: "huge", value: huge)
    #expect(JSON.object(object).serializedByteBound == Int.max)
    object.removeValue(forKey: "small")
    #expect(JSON.object(object).serializedByteBound == Int.max)
    object["huge"] = 1
    #expect(JSON.object(object).serializedByteBound == Int.max)
    let copy = object
    object["other"] = huge
    #expect(JSON.object(copy).serializedByteBound == Int.max)
    let fresh: JSONObject = ["a": 1, "b": "two"]
    #expect(JSON.object(fresh).serializedByteBound >= JSON.object(fresh).serializedByteCount)
  }
}
