import Foundation
import StepFunctionsRegex

/// JSONata's built-in function library.
enum Functions {
  // MARK: - Shared helpers

  static func string(_ value: Value, pretty: Bool = false) throws -> String {
    switch value {
    case .string(let string): return string
    case .function: return ""
    case .number(let number) where !number.isFinite:
      throw JSONataError(code: "D3001", value: nil)
    default:
      var target = value
      if case .array(let sequence) = value, sequence.flags.contains(.outerWrapper),
        let first = sequence.items.first
      {
        target = first
      }
      return try stringify(target, pretty: pretty)
    }
  }

  static func append(_ lhs: Value?, _ rhs: Value?) -> Value? {
    guard let lhs else { return rhs }
    guard let rhs else { return lhs }
    var result: Sequence
    if case .array(let sequence) = lhs {
      result = sequence
    } else {
      result = Sequence([lhs], flags: .sequence)
    }
    if case .array(let sequence) = rhs {
      result.items.append(contentsOf: sequence.items)
    } else {
      result.items.append(rhs)
    }
    return .array(result)
  }

  /// Compares strings as JavaScript does: by UTF-16 code units.
  static func compareStrings(_ a: String, _ b: String) -> Int {
    if a == b { return 0 }
    var left = a.utf16.makeIterator()
    var right = b.utf16.makeIterator()
    while true {
      switch (left.next(), right.next()) {
      case (nil, nil): return 0
      case (nil, _): return -1
      case (_, nil): return 1
      case (let x?, let y?):
        if x != y { return x < y ? -1 : 1 }
      }
    }
  }

  /// A stable merge sort where `swap(a, b)` says `a` belongs after `b`.
  static func mergeSort<T>(_ items: [T], _ swap: (T, T) throws -> Bool) rethrows -> [T] {
    if items.count <= 1 { return items }
    let middle = items.count / 2
    let left = try mergeSort(Array(items[..<middle]), swap)
    let right = try mergeSort(Array(items[middle...]), swap)
    var result: [T] = []
    result.reserveCapacity(items.count)
    var i = 0
    var j = 0
    while i < left.count, j < right.count {
      if try swap(left[i], right[j]) {
        result.append(right[j])
        j += 1
      } else {
        result.append(left[i])
        i += 1
      }
    }
    result.append(contentsOf: left[i...])
    result.append(contentsOf: right[j...])
    return result
  }

  static func arguments(_ function: FunctionValue, _ a: Value?, _ b: Value?, _ c: Value?)
    -> [Value?]
  {
    let arity = function.arity
    var result: [Value?] = [a]
    if arity >= 2 { result.append(b) }
    if arity >= 3 { result.append(c) }
    return result
  }

  static func number(_ value: Double) -> Value { .number(value) }

  static func deepCopy(_ value: Value) -> Value {
    switch value {
    case .array(let sequence):
      return .array(Sequence(sequence.items.map(deepCopy), flags: sequence.flags))
    case .object(let box):
      // An object none of whose members was read is its source: a new object over the same
      // source is a deep copy.
      if let source = box.untouchedSource { return .object(ObjectBox(source: source)) }
      let copy = ObjectBox(capacity: box.count)
      for (key, member) in box.members { copy.set(key, deepCopy(member)) }
      return .object(copy)
    default:
      return value
    }
  }

  // MARK: - Regular expressions

  struct MatchInfo {
    var match: String
    var start: Int
    var end: Int
    var groups: [String?]
  }

  /// Every match, as jsonata's matcher closure yields them; an empty match after the first is
  /// D1004.
  static func regexMatches(_ regex: RegularExpression, _ text: String, limit: Int? = nil) throws
    -> [MatchInfo]
  {
    var results: [MatchInfo] = []
    let length = text.utf16.count
    var match = regex.firstMatch(in: text)
    while let current = match {
      if let limit, results.count >= limit { break }
      let start = text.utf16.distance(from: text.startIndex, to: current.range.lowerBound)
      let end = text.utf16.distance(from: text.startIndex, to: current.range.upperBound)
      results.append(
        MatchInfo(
          match: String(text[current.range]), start: start, end: end,
          groups: current.groupRanges.map { $0.map { String(text[$0]) } }))
      if end >= length { break }
      match = regex.firstMatch(in: text, from: current.range.upperBound)
      if let next = match, next.range.isEmpty {
        throw JSONataError(code: "D1004", value: .string(regex.pattern))
      }
    }
    return results
  }

  /// Every match of a matcher: a regex, or any function that, as in jsonata-js, takes the text
  /// and returns `{match, start, end, groups, next}` (or undefined for no match), `next()`
  /// giving the following match. A result of another shape is T1010.
  static func matcherMatches(
    _ matcher: Value, _ text: String, limit: Int?, evaluator: Evaluator, environment: Frame,
    name: String
  ) throws -> [MatchInfo] {
    if case .function(let function) = matcher, case .regex(let regex) = function.kind {
      return try regexMatches(regex, text, limit: limit)
    }
    var results: [MatchInfo] = []
    var current = try evaluator.apply(matcher, [.string(text)], nil, environment)
    while let result = current {
      if let limit, results.count >= limit { break }
      guard case .object(let box) = result else {
        if Evaluator.boolean(result) == false { break }
        throw JSONataError(
          code: "T1010", token: name,
          message:
            "The matcher function argument passed to function \(name) does not return the correct object structure"
        )
      }
      let start = box["start"]?.numberValue
      let groups = box["groups"]?.sequence
      let next = box["next"]
      guard start != nil || groups != nil || next?.isFunction == true else {
        throw JSONataError(
          code: "T1010", token: name,
          message:
            "The matcher function argument passed to function \(name) does not return the correct object structure"
        )
      }
      results.append(
        MatchInfo(
          match: box["match"]?.stringValue ?? "",
          start: Int(clampingDouble: start ?? 0),
          end: Int(clampingDouble: box["end"]?.numberValue ?? 0),
          groups: groups?.items.map { $0.stringValue } ?? []))
      guard let next, next.isFunction else { break }
      current = try evaluator.apply(next, [], nil, environment)
    }
    return results
  }

  static func regexMatchObject(_ regex: RegularExpression, _ value: Value?) -> Value? {
    guard case .string(let text)? = value,
      let first = try? regexMatches(regex, text, limit: 1).first
    else { return nil }
    return matchObject(first)
  }

  static func matchObject(_ info: MatchInfo) -> Value {
    let box = ObjectBox()
    box.set("match", .string(info.match))
    box.set("index", .integer(info.start))
    box.set("groups", .plainArray(info.groups.map { $0.map(Value.string) ?? .string("") }))
    return .object(box)
  }

  static func substring(_ text: String, utf16 range: Range<Int>) -> String {
    let units = Array(text.utf16)
    let lower = max(0, min(range.lowerBound, units.count))
    let upper = max(lower, min(range.upperBound, units.count))
    return String(decoding: units[lower..<upper], as: UTF16.self)
  }
}
