import StepFunctionsJSON
import StepFunctionsLanguage

extension JSONPath {
  /// The element an index selects in an array of `count` elements (a negative index counts from
  /// the end), or `nil` when there is none; never traps, whatever the index.
  @inline(__always)
  static func arrayPosition(_ position: Int, count: Int) -> Int? {
    let effective = position < 0 ? (position < -count ? -1 : count + position) : position
    return effective >= 0 && effective < count ? effective : nil
  }

  /// Evaluates the path the way AWS applies `InputPath`, `OutputPath` and Payload Template paths.
  ///
  /// The caller picks `root`: the state input (or task result) for `$` paths, the Context Object
  /// for `$$` paths, a variable's value for `$name` paths. `$` inside a filter also refers to
  /// `root`.
  ///
  /// - A definite path returns the one value it selects, or throws when there is none (Jayway's
  ///   `PathNotFoundException`, which AWS reports as `Invalid path ...`).
  /// - An indefinite path returns its matches gathered into an array, in document order; no
  ///   match gives an empty array.
  /// - A path ending in a function returns the function's result.
  ///
  /// - Complexity: O(*d*) for a definite path of *d* segments (no allocation beyond the result);
  ///   O(size of the visited part of `root`) otherwise.
  public func value(in root: JSON) throws(JSONPathEvaluationError) -> JSON {
    try value(in: root, document: root)
  }

  /// ``value(in:)`` with `document` as the root that `$` refers to inside filters.
  func value(in root: JSON, document: JSON) throws(JSONPathEvaluationError) -> JSON {
    if isDefinite { return try definiteValue(in: root) }
    if case .function(let function) = segments.last {
      let matches = try collectMatches(
        in: root, segmentCount: segments.count - 1, document: document)
      return try apply(function, to: .array(matches), at: segments.count - 1)
    }
    return .array(try collectMatches(in: root, segmentCount: segments.count, document: document))
  }

  /// The nodes the path selects, in document order: one for a definite path (or a path ending
  /// in a function), any number for an indefinite one.
  ///
  /// - Throws: for a definite path, when it selects nothing; for any path, on the Jayway errors
  ///   that a definite prefix raises (`Missing property in path ...`, a member looked up in a
  ///   string, ...).
  public func matches(in root: JSON) throws(JSONPathEvaluationError) -> [JSON] {
    try matches(in: root, document: root)
  }

  /// ``matches(in:)`` with `document` as the root that `$` refers to inside filters.
  func matches(in root: JSON, document: JSON) throws(JSONPathEvaluationError) -> [JSON] {
    if isDefinite || endsInFunction { return [try value(in: root, document: document)] }
    return try collectMatches(in: root, segmentCount: segments.count, document: document)
  }

  // MARK: Definite paths

  /// Follows a definite path without allocating.
  func definiteValue(in root: JSON) throws(JSONPathEvaluationError) -> JSON {
    var current = root
    let last = segments.count - 1
    var index = 0
    while index <= last {
      switch segments[index] {
      case .name(let key):
        guard case .object(let object) = current else {
          throw notAnObjectError(at: index, found: current)
        }
        guard let next = object[key] else {
          throw index == last ? noResultsError() : missingPropertyError(at: index)
        }
        current = next
      case .names(let keys):
        guard case .object(let object) = current else {
          throw notAnObjectError(at: index, found: current)
        }
        current = .object(Self.merge(keys, of: object))
      case .index(let position):
        guard case .array(let array) = current else {
          throw notAnArrayError(at: index, found: current)
        }
        guard let effective = JSONPath.arrayPosition(position, count: array.count) else {
          throw noResultsError()
        }
        current = array[effective]
      case .function(let function):
        current = try apply(function, to: current, at: index)
      case .indices, .slice, .wildcard, .filter, .descendant:
        // Not reachable: `isDefinite` excludes these segments.
        throw noResultsError()
      }
      index += 1
    }
    return current
  }

  /// Jayway's merge of a name union at the end of a path: the named members that exist, in the
  /// order named.
  static func merge(_ keys: [String], of object: JSONObject) -> JSONObject {
    var merged = JSONObject(minimumCapacity: keys.count)
    for key in keys {
      if let value = object[key] { merged[key] = value }
    }
    return merged
  }

  // MARK: Indefinite paths

  /// Walks the first `segmentCount` segments and returns every match.
  func collectMatches(
    in root: JSON, segmentCount: Int, document: JSON
  ) throws(JSONPathEvaluationError) -> [JSON] {
    // The definite prefix raises Jayway's errors; an index out of range there selects nothing.
    var current = root
    var index = 0
    let strictEnd = Swift.min(firstIndefiniteSegment, segmentCount)
    while index < strictEnd {
      switch segments[index] {
      case .name(let key):
        guard case .object(let object) = current else {
          throw notAnObjectError(at: index, found: current)
        }
        guard let next = object[key] else { throw missingPropertyError(at: index) }
        current = next
      case .index(let position):
        guard case .array(let array) = current else {
          throw notAnArrayError(at: index, found: current)
        }
        guard let effective = JSONPath.arrayPosition(position, count: array.count) else {
          return []
        }
        current = array[effective]
      case .function(let function):
        current = try apply(function, to: current, at: index)
      case .names, .indices, .slice, .wildcard, .filter, .descendant:
        break
      }
      index += 1
    }
    var walker = JSONPathWalker(path: self, root: document, end: segmentCount)
    try walker.walk(current, index, strict: true)
    return walker.results
  }
}

/// The state of one indefinite evaluation.
struct JSONPathWalker {
  let path: JSONPath
  let root: JSON
  let end: Int
  var results: [JSON] = []

  init(path: JSONPath, root: JSON, end: Int) {
    self.path = path
    self.root = root
    self.end = end
  }

  /// Applies segment `index` and the rest to `node`. `strict` is true for the first indefinite
  /// segment, whose upstream is definite: Jayway raises errors there instead of skipping.
  ///
  /// One segment at a time over every node selected so far, rather than one recursive call per
  /// segment: the order of the matches is the same (each node's matches stay together, in
  /// order), and the stack does not grow with the length of the path.
  mutating func walk(_ node: JSON, _ index: Int, strict: Bool) throws(JSONPathEvaluationError) {
    var nodes = [node]
    var index = index
    var strict = strict
    while index < end && !nodes.isEmpty {
      var selected: [JSON] = []
      for node in nodes {
        try apply(path.segments[index], at: index, to: node, strict: strict, into: &selected)
      }
      nodes = selected
      strict = false
      index += 1
    }
    results.append(contentsOf: nodes)
  }

  /// Appends to `selected` what segment `index` selects from `node`.
  func apply(
    _ segment: JSONPathSegment, at index: Int, to node: JSON, strict: Bool,
    into selected: inout [JSON]
  ) throws(JSONPathEvaluationError) {
    switch segment {
    case .name(let key):
      if case .object(let object) = node, let value = object[key] {
        selected.append(value)
      }
    case .names(let keys):
      guard case .object(let object) = node else {
        if strict { throw path.notAnObjectError(at: index, found: node) }
        return
      }
      if index + 1 == path.segments.count {
        selected.append(.object(JSONPath.merge(keys, of: object)))
      } else {
        for key in keys {
          if let value = object[key] { selected.append(value) }
        }
      }
    case .index(let position):
      if case .array(let array) = node {
        if let effective = JSONPath.arrayPosition(position, count: array.count) {
          selected.append(array[effective])
        }
      }
    case .indices(let positions):
      guard case .array(let array) = node else {
        if strict { throw path.notAnArrayError(at: index, found: node) }
        return
      }
      for position in positions {
        if let effective = JSONPath.arrayPosition(position, count: array.count) {
          selected.append(array[effective])
        }
      }
    case .slice(let slice):
      guard case .array(let array) = node else {
        if strict { throw path.notAnArrayError(at: index, found: node) }
        return
      }
      for position in Self.slicePositions(slice, count: array.count) {
        selected.append(array[position])
      }
    case .wildcard:
      switch node {
      case .object(let object):
        selected.append(contentsOf: object.values)
      case .array(let array):
        selected.append(contentsOf: array)
      default:
        break
      }
    case .filter(let filter):
      switch node {
      case .object:
        if test(filter, current: node) { selected.append(node) }
      case .array(let array):
        for element in array where test(filter, current: element) {
          selected.append(element)
        }
      default:
        if strict { throw path.filterOnPrimitiveError(at: index, found: node) }
      }
    case .descendant(let selector):
      try scan(node, selector, at: index, into: &selected)
    case .function(let function):
      // Only reachable when a function is not last, which the parser rejects.
      selected.append(try path.apply(function, to: node, at: index))
    }
  }

  /// Jayway's recursive descent: visit `node` and every descendant object and array in document
  /// order (a node before its children); apply `selector` to each that it can apply to.
  ///
  /// The descent keeps its own stack of nodes to visit, so a deeply nested value does not
  /// deepen the call stack.
  func scan(
    _ node: JSON, _ selector: JSONPathSegment, at index: Int, into selected: inout [JSON]
  ) throws(JSONPathEvaluationError) {
    var pending = [node]
    while let node = pending.popLast() {
      switch node {
      case .object(let object):
        if scanSelects(selector, node) {
          try apply(selector, at: index, to: node, strict: false, into: &selected)
        }
        for member in object.reversed() where member.value.isContainer {
          pending.append(member.value)
        }
      case .array(let array):
        if scanSelects(selector, node) {
          try apply(selector, at: index, to: node, strict: false, into: &selected)
        }
        for element in array.reversed() where element.isContainer { pending.append(element) }
      default:
        continue
      }
    }
  }

  /// Whether recursive descent applies `selector` to `node` (Jayway's scan predicates).
  func scanSelects(_ selector: JSONPathSegment, _ node: JSON) -> Bool {
    switch selector {
    case .name(let key):
      if case .object(let object) = node { return object.position(of: key) != nil }
      return false
    case .names:
      if case .object = node { return true }
      return false
    case .index, .indices, .slice:
      if case .array = node { return true }
      return false
    case .wildcard:
      return true
    case .filter(let filter):
      return test(filter, current: node)
    case .descendant, .function:
      return false
    }
  }

  /// The positions Jayway's slice visits. Jayway normalizes a negative start only when there is
  /// no end, and a negative end only when there is no start; `[from:to]` runs from `from` to
  /// `min(to, count)` with negative positions counting from the end, so `[-1:2]` on five elements
  /// visits 4, 0, 1. The step is ignored.
  ///
  /// Bounds far outside the array (even `Int.min`) cost nothing: positions before `-count`
  /// select nothing and are not visited.
  static func slicePositions(_ slice: JSONPathSlice, count: Int) -> [Int] {
    guard count > 0 else { return [] }
    var positions: [Int] = []
    switch (slice.start, slice.end) {
    case (let from?, nil):
      let start = from < 0 ? (from < -count ? 0 : count + from) : from
      guard start < count else { return [] }
      positions.append(contentsOf: start..<count)
    case (let from?, let to?):
      let stop = Swift.min(count, to)
      let first = Swift.max(from, -count)
      guard first < stop else { return [] }
      for position in first..<stop {
        if let effective = JSONPath.arrayPosition(position, count: count) {
          positions.append(effective)
        }
      }
    case (nil, let to?):
      let stop = to < 0 ? (to < -count ? 0 : count + to) : Swift.min(count, to)
      guard stop > 0 else { return [] }
      positions.append(contentsOf: 0..<stop)
    case (nil, nil):
      return []
    }
    return positions
  }
}

extension JSON {
  /// Whether this value is an array or an object.
  fileprivate var isContainer: Bool {
    switch self {
    case .array, .object: return true
    default: return false
    }
  }
}
