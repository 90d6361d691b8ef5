import StepFunctionsJSON

/// The order in which a Java `HashMap<String, ...>` lists its keys, which is the order AWS gives
/// the result of `States.JsonMerge`.
///
/// Recorded executions show it: merging `{"constant_in_literal": ...}` with
/// `{"constant_input_field": ...}` yields `constant_input_field` first, which neither insertion
/// order gives but the hash buckets do.
///
/// A `HashMap` with the default capacity (16) and load factor (0.75), filled one key at a time,
/// doubles its table whenever it holds more than three quarters of its capacity. Keys are listed
/// by bucket (`spread(hash) & (capacity - 1)`), and in insertion order within a bucket.
/// Buckets long enough to become trees (8 or more colliding keys in a table of 64 or more) are
/// not modelled.
enum JavaHashMapOrder {
  /// Java's `String.hashCode`: `s[0]*31^(n-1) + ... + s[n-1]` over UTF-16 code units, wrapping.
  static func javaHashCode(_ key: String) -> Int32 {
    var hash: Int32 = 0
    for unit in key.utf16 { hash = 31 &* hash &+ Int32(unit) }
    return hash
  }

  /// The table size a default `HashMap` has after `count` insertions.
  static func capacity(forCount count: Int) -> Int {
    var capacity = 16
    while count * 4 > capacity * 3 { capacity *= 2 }
    return capacity
  }

  /// `object`'s members listed in `HashMap` order.
  static func reordered(_ object: JSONObject) -> JSONObject {
    let mask = UInt32(truncatingIfNeeded: capacity(forCount: object.count) - 1)
    let buckets = object.keys.map { key -> UInt32 in
      let hash = UInt32(bitPattern: javaHashCode(key))
      return (hash ^ (hash >> 16)) & mask
    }
    let order = object.indices.sorted { lhs, rhs in
      buckets[lhs] != buckets[rhs] ? buckets[lhs] < buckets[rhs] : lhs < rhs
    }
    var result = JSONObject(minimumCapacity: object.count)
    for position in order {
      let member = object[position]
      result.append(key: member.key, value: member.value)
    }
    return result
  }
}
