import Foundation
import StepFunctionsRegex

/// Walks a compiled expression over runtime values, with jsonata-js's semantics, counting its
/// depth and steps so that it ends in `U1001` rather than a stack overflow or a hang.
final class Evaluator {
  let maximumDepth: Int
  /// The depth past which evaluation asks for a larger stack (``NeedsLargerStack``).
  var stackDepthLimit: Int
  let maximumSteps: Int
  let deadline: ContinuousClock.Instant?
  // An evaluator runs on one thread at a time and never hands out its counters, so the
  // dynamic exclusivity checks of these hot properties are off.
  @exclusivity(unchecked) private(set) var depth = 0
  @exclusivity(unchecked) private var steps = 0
  /// The frame with the built-in functions.
  let globals: Frame

  /// The time `$now()` reports, in milliseconds since 1970.
  let now: Double
  @exclusivity(unchecked) private var randomState: UInt64

  init(
    maximumDepth: Int, maximumSteps: Int, deadline: ContinuousClock.Instant?, globals: Frame,
    now: Double, seed: UInt64
  ) {
    self.maximumDepth = maximumDepth
    self.stackDepthLimit = maximumDepth
    self.maximumSteps = maximumSteps
    self.deadline = deadline
    self.globals = globals
    self.now = now
    self.randomState = seed
  }

  /// A number in [0, 1) from a SplitMix64 generator.
  func nextRandom() -> Double {
    randomState &+= 0x9E37_79B9_7F4A_7C15
    var z = randomState
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return Double(z >> 11) / Double(UInt64(1) << 53)
  }

  // MARK: - Budget

  @inline(__always)
  private func enter(_ node: Node) throws {
    depth += 1
    steps += 1
    if depth > stackDepthLimit, depth <= maximumDepth { throw NeedsLargerStack() }
    if depth > maximumDepth {
      throw JSONataError(
        code: "U1001", position: node.position,
        message:
          "Stack overflow error: the evaluation nests more than \(maximumDepth) levels deep. Check for non-terminating recursive function. Consider rewriting as tail-recursive."
      )
    }
    if steps > maximumSteps {
      throw JSONataError(
        code: "U1001", position: node.position,
        message:
          "Expression evaluation budget of \(maximumSteps) steps exceeded: check for infinite loop")
    }
    if steps & 0x3FF == 0 { try checkDeadline(node.position) }
  }

  /// Counts work done outside `evaluate` (long loops in built-ins).
  func charge(_ amount: Int) throws {
    steps += amount
    if steps > maximumSteps {
      throw JSONataError(
        code: "U1001",
        message:
          "Expression evaluation budget of \(maximumSteps) steps exceeded: check for infinite loop")
    }
    try checkDeadline(nil)
  }

  private func checkDeadline(_ position: Int?) throws {
    if let deadline, ContinuousClock.now > deadline {
      throw JSONataError(
        code: "U1001", position: position,
        message: "Expression evaluation timeout: Check for infinite loop")
    }
  }

  // MARK: - Evaluate

  func evaluate(_ node: Node, _ input: Value?, _ environment: Frame) throws -> Value? {
    try enter(node)
    defer { depth -= 1 }
    var result = try dispatch(node, input, environment)
    if let predicate = node.predicate {
      for filter in predicate {
        if let expression = filter.expression {
          result = try evaluateFilter(expression, result, environment)
        }
      }
    }
    if node.kind != .path, let group = node.group {
      result = try evaluateGroup(group, result, environment)
    }
    if case .array(var sequence)? = result, sequence.isSequence {
      if node.keepArray { sequence.flags.insert(.keepSingleton) }
      if sequence.items.isEmpty {
        return nil
      } else if sequence.items.count == 1 {
        return sequence.flags.contains(.keepSingleton) ? .array(sequence) : sequence.items[0]
      }
      return .array(sequence)
    }
    return result
  }

  /// ``evaluate(_:_:_:)``, answering a literal without a predicate or grouping (a string,
  /// number, `true`, `false` or `null`: never an array) from the node itself.
  @inline(__always)
  func evaluateOperand(_ node: Node, _ input: Value?, _ environment: Frame) throws -> Value? {
    let kind = node.kind
    if kind == .string || kind == .number || kind == .value, node.predicate == nil,
      node.group == nil
    {
      steps += 1
      return node.literal
    }
    return try evaluate(node, input, environment)
  }

  private func dispatch(_ node: Node, _ input: Value?, _ environment: Frame) throws -> Value? {
    switch node.kind {
    case .path: return try evaluatePath(node, input, environment)
    case .binary: return try evaluateBinary(node, input, environment)
    case .unary: return try evaluateUnary(node, input, environment)
    case .name: return Evaluator.lookup(input, node.value)
    case .string, .number, .value: return node.literal
    case .wildcard: return evaluateWildcard(input)
    case .descendant: return evaluateDescendants(input)
    case .parent:
      guard let slot = node.slot else { return nil }
      return environment.lookup(slot.label)
    case .condition: return try evaluateCondition(node, input, environment)
    case .block: return try evaluateBlock(node, input, environment)
    case .bind:
      guard let rhs = node.rhs, let lhs = node.lhs else { return nil }
      let value = try evaluate(rhs, input, environment)
      environment.bind(lhs.value, value)
      return value
    case .regex:
      guard let regex = node.regex else { return nil }
      return .function(FunctionValue(.regex(regex)))
    case .function: return try evaluateFunction(node, input, environment, applyTo: nil)
    case .variable: return evaluateVariable(node, input, environment)
    case .lambda:
      return .function(FunctionValue(.lambda(node: node, input: input, environment: environment)))
    case .partial: return try evaluatePartial(node, input, environment)
    case .apply: return try evaluateApply(node, input, environment)
    case .sort: return try evaluateSort(node, input, environment)
    case .transform: return evaluateTransform(node, environment)
    case .operator, .end, .filter, .index:
      throw JSONataError(code: "S0206", position: node.position, token: node.value)
    }
  }

  // MARK: - Paths

  /// Whether `node` is a path of plain names (after an optional leading `$variable`) with no
  /// predicate, grouping, binding or array-keeping anywhere, which ``walkSimplePath`` can follow
  /// (found once, when the expression is compiled: ``Node/isSimplePath``).
  static func isSimplePath(_ node: Node) -> Bool {
    guard node.kind == .path else { return false }
    guard !node.keepArray, !node.keepSingletonArray, !node.tuple, node.predicate == nil,
      node.group == nil, node.seekingParent == nil, !node.steps.isEmpty
    else { return false }
    for (index, step) in node.steps.enumerated() {
      guard
        step.kind == .name || (index == 0 && step.kind == .variable && !step.value.isEmpty),
        step.predicate == nil, step.stages == nil, step.group == nil, step.focus == nil,
        step.indexName == nil, !step.tuple, step.ancestor == nil, !step.keepArray,
        !step.keepSingletonArray, !step.consarray, step.slot == nil, step.seekingParent == nil
      else { return false }
    }
    return true
  }

  /// Follows a simple path (``isSimplePath``) through objects without building the sequences
  /// of the general walk. Returns nil when it cannot: an array or a tuple stream on the way or
  /// at the end other than a plain array, where sequences and flattening matter; the general
  /// walk then runs. `.some(nil)` is an undefined result.
  private func walkSimplePath(_ node: Node, _ input: Value?, _ environment: Frame) throws
    -> Value??
  {
    var current: Value?
    if let variable = node.simpleVariable {
      current = environment.lookup(variable)
    } else {
      current = input
    }
    for name in node.simpleNames {
      switch current {
      case .object(let box)?: current = box[name]
      case nil: return .some(nil)
      default: return nil
      }
    }
    steps += node.steps.count
    switch current {
    case .array(let sequence)? where sequence.flags.isEmpty: return .some(current)
    case .array?, .tuples?: return nil
    default: return .some(current)
    }
  }

  private func evaluatePath(_ node: Node, _ input: Value?, _ environment: Frame) throws -> Value? {
    if node.isSimplePath, let walked = try walkSimplePath(node, input, environment) {
      return walked
    }
    var inputSequence: [Value?]
    var inputFlags: SequenceFlags = .sequence
    if case .array(let sequence)? = input, node.steps.first?.kind != .variable {
      inputSequence = sequence.items
      inputFlags = sequence.flags
    } else if case .tuples(let tuples)? = input, node.steps.first?.kind != .variable {
      inputSequence = tuples.map { $0["@"] }
    } else {
      inputSequence = [input]
    }
    var resultSequence: Value? = nil
    var isTupleStream = false
    var tupleBindings: [Tuple]? = nil
    for (index, step) in node.steps.enumerated() {
      if step.tuple { isTupleStream = true }
      if index == 0, step.consarray {
        resultSequence = try evaluate(
          step, .array(Sequence(inputSequence.compactMap { $0 }, flags: inputFlags)), environment)
      } else if isTupleStream {
        tupleBindings = try evaluateTupleStep(
          step, inputSequence.compactMap { $0 }, tupleBindings, environment)
      } else {
        resultSequence = .array(
          try evaluateStep(step, inputSequence, environment, last: index == node.steps.count - 1))
      }
      if !isTupleStream {
        guard let current = resultSequence else { break }
        if case .array(let sequence) = current, sequence.items.isEmpty { break }
      }
      if step.focus == nil {
        if let current = resultSequence {
          inputSequence = current.asItems
        } else {
          inputSequence = []
        }
      }
    }
    if isTupleStream {
      let tuples = tupleBindings ?? []
      if node.tuple {
        resultSequence = .tuples(tuples)
      } else {
        resultSequence = .sequence(tuples.compactMap { $0["@"] })
      }
    }
    if node.keepSingletonArray, let current = resultSequence {
      var sequence: Sequence
      switch current {
      case .array(let existing):
        sequence = existing
        if sequence.flags.contains(.cons), !sequence.isSequence {
          sequence = Sequence([current], flags: .sequence)
        }
      default:
        sequence = Sequence([current], flags: .sequence)
      }
      sequence.flags.insert(.keepSingleton)
      resultSequence = .array(sequence)
    }
    if let group = node.group {
      let groupInput: Value? = isTupleStream ? .tuples(tupleBindings ?? []) : resultSequence
      resultSequence = try evaluateGroup(group, groupInput, environment)
    }
    return resultSequence
  }

  private func evaluateStep(_ step: Node, _ input: [Value?], _ environment: Frame, last: Bool)
    throws -> Sequence
  {
    if step.kind == .sort {
      var result = try evaluateSort(
        step, .array(Sequence(input.compactMap { $0 }, flags: .sequence)), environment)
      if let stages = step.stages { result = try evaluateStages(stages, result, environment) }
      return Sequence(result?.asItems ?? [], flags: .sequence)
    }
    var results: [Value] = []
    results.reserveCapacity(input.count)
    for item in input {
      var result = try evaluate(step, item, environment)
      if let stages = step.stages {
        for stage in stages {
          if let expression = stage.expression {
            result = try evaluateFilter(expression, result, environment)
          }
        }
      }
      if let result { results.append(result) }
    }
    if last, results.count == 1, case .array(let only) = results[0], !only.isSequence {
      return only
    }
    var flattened = Sequence([], flags: .sequence)
    flattened.items.reserveCapacity(results.count)
    for result in results {
      if case .array(let inner) = result, !inner.flags.contains(.cons) {
        flattened.items.append(contentsOf: inner.items)
      } else if case .tuples(let tuples) = result {
        flattened.items.append(contentsOf: tuples.compactMap { $0["@"] })
      } else {
        flattened.items.append(result)
      }
    }
    return flattened
  }

  private func evaluateStages(_ stages: [Node], _ input: Value?, _ environment: Frame) throws
    -> Value?
  {
    var result = input
    for stage in stages {
      switch stage.kind {
      case .filter:
        if let expression = stage.expression {
          result = try evaluateFilter(expression, result, environment)
        }
      case .index:
        if case .tuples(var tuples)? = result {
          for position in tuples.indices { tuples[position][stage.value] = .integer(position) }
          result = .tuples(tuples)
        }
      default: break
      }
    }
    return result
  }

  private func evaluateTupleStep(
    _ step: Node, _ input: [Value], _ bindings: [Tuple]?, _ environment: Frame
  ) throws -> [Tuple] {
    if step.kind == .sort {
      var result: Value?
      if let bindings {
        result = try evaluateSort(step, .tuples(bindings), environment)
      } else {
        let sorted = try evaluateSort(step, .array(Sequence(input, flags: .sequence)), environment)
        var tuples: [Tuple] = []
        for (position, item) in (sorted?.asItems ?? []).enumerated() {
          var tuple: Tuple = ["@": item]
          if let indexName = step.indexName { tuple[indexName] = .integer(position) }
          tuples.append(tuple)
        }
        result = .tuples(tuples)
      }
      if let stages = step.stages { result = try evaluateStages(stages, result, environment) }
      if case .tuples(let tuples)? = result { return tuples }
      return []
    }
    let bindings = bindings ?? input.map { ["@": $0] }
    var result: [Tuple] = []
    for binding in bindings {
      let stepEnvironment = Frame.from(tuple: binding, parent: environment)
      guard let value = try evaluate(step, binding["@"], stepEnvironment) else { continue }
      if case .tuples(let produced) = value {
        for item in produced {
          var tuple = binding
          tuple.merge(item) { _, new in new }
          result.append(tuple)
        }
        continue
      }
      let items = value.asItems
      for (position, item) in items.enumerated() {
        var tuple = binding
        if let focus = step.focus {
          tuple[focus] = item
          tuple["@"] = binding["@"]
        } else {
          tuple["@"] = item
        }
        if let indexName = step.indexName { tuple[indexName] = .integer(position) }
        if let ancestor = step.ancestor { tuple[ancestor.label] = binding["@"] }
        result.append(tuple)
      }
    }
    if let stages = step.stages {
      if case .tuples(let filtered)? = try evaluateStages(stages, .tuples(result), environment) {
        return filtered
      }
      return []
    }
    return result
  }

  func evaluateFilter(_ predicate: Node, _ input: Value?, _ environment: Frame) throws -> Value? {
    if case .tuples(let tuples)? = input {
      return .tuples(
        try filterItems(predicate, tuples.count, environment) { position in
          (tuples[position]["@"], Frame.from(tuple: tuples[position], parent: environment))
        }.map { tuples[$0] })
    }
    let items: [Value]
    if case .array(let sequence)? = input {
      items = sequence.items
    } else if let input {
      items = [input]
    } else {
      items = []
    }
    if predicate.kind == .number, let number = predicate.literal?.numberValue {
      var index = Int(clampingDouble: number.rounded(.down))
      if index < 0 { index = items.count + index }
      guard index >= 0, index < items.count else { return .sequence() }
      if case .array = items[index] { return items[index] }
      return .sequence([items[index]])
    }
    let selected = try filterItems(predicate, items.count, environment) { position in
      (items[position], environment)
    }
    return .sequence(selected.map { items[$0] })
  }

  private func filterItems(
    _ predicate: Node, _ count: Int, _ environment: Frame, _ item: (Int) -> (Value?, Frame)
  ) throws -> [Int] {
    var selected: [Int] = []
    for position in 0..<count {
      let (context, frame) = item(position)
      var result = try evaluate(predicate, context, frame)
      if let value = result, value.isNumber { result = .plainArray([value]) }
      if case .array(let sequence)? = result, !sequence.items.isEmpty,
        sequence.items.allSatisfy({ $0.isNumber })
      {
        for number in sequence.items {
          var index = Int(clampingDouble: (number.numberValue ?? 0).rounded(.down))
          if index < 0 { index = count + index }
          if index == position { selected.append(position) }
        }
      } else if Evaluator.boolean(result) == true {
        selected.append(position)
      }
    }
    return selected
  }

  // MARK: - Operators

  private func evaluateBinary(_ node: Node, _ input: Value?, _ environment: Frame) throws -> Value?
  {
    guard let lhsNode = node.lhs, let rhsNode = node.rhs else { return nil }
    let lhs = try evaluateOperand(lhsNode, input, environment)
    let op = node.value
    do {
      if op == "and" || op == "or" {
        let left = Evaluator.boolean(lhs) ?? false
        if op == "and" {
          if !left { return .bool(false) }
        } else if left {
          return .bool(true)
        }
        return .bool(Evaluator.boolean(try evaluate(rhsNode, input, environment)) ?? false)
      }
      let rhs = try evaluateOperand(rhsNode, input, environment)
      switch op {
      case "+", "-", "*", "/", "%": return try Operators.numeric(lhs, rhs, op)
      case "=": return .bool(lhs != nil && rhs != nil && Operators.deepEqual(lhs, rhs))
      case "!=": return .bool(lhs != nil && rhs != nil && !Operators.deepEqual(lhs, rhs))
      case "<", "<=", ">", ">=": return try Operators.compare(lhs, rhs, op)
      case "&":
        return .string(
          (try lhs.map { try Functions.string($0) } ?? "")
            + (try rhs.map { try Functions.string($0) } ?? ""))
      case "..": return try Operators.range(lhs, rhs)
      case "in": return .bool(Operators.includes(lhs, rhs))
      default:
        throw JSONataError(code: "S0204", position: node.position, token: op)
      }
    } catch var error as JSONataError {
      if error.position == nil { error.position = node.position }
      if error.token == nil { error.token = op }
      throw error
    }
  }

  private func evaluateUnary(_ node: Node, _ input: Value?, _ environment: Frame) throws -> Value? {
    switch node.value {
    case "-":
      guard let expression = node.expression else { return nil }
      let value = try evaluate(expression, input, environment)
      guard let value else { return nil }
      guard let number = value.numberValue else {
        throw JSONataError(code: "D1002", position: node.position, token: "-", value: value.json())
      }
      return .number(-number)
    case "[":
      var result: [Value] = []
      result.reserveCapacity(node.expressions.count)
      for item in node.expressions {
        guard let value = try evaluateOperand(item, input, environment) else { continue }
        if item.kind == .unary, item.value == "[" {
          result.append(value)
        } else if case .array(let sequence) = value {
          // The first items are taken over rather than copied (a range can hold 10^7).
          if result.isEmpty {
            result = sequence.items
          } else {
            result.append(contentsOf: sequence.items)
          }
        } else if case .tuples(let tuples) = value {
          result.append(contentsOf: tuples.compactMap { $0["@"] })
        } else {
          result.append(value)
        }
      }
      return .array(Sequence(result, flags: node.consarray ? .cons : []))
    case "{":
      return try evaluateGroup(
        Node.Group(pairs: node.pairs, position: node.position, literalKeys: node.literalKeys),
        input, environment)
    default:
      return nil
    }
  }

  private func evaluateVariable(_ node: Node, _ input: Value?, _ environment: Frame) -> Value? {
    if node.value.isEmpty {
      if case .array(let sequence)? = input, sequence.flags.contains(.outerWrapper),
        let first = sequence.items.first
      {
        return first
      }
      return input
    }
    return environment.lookup(node.value)
  }

  private func evaluateCondition(_ node: Node, _ input: Value?, _ environment: Frame) throws
    -> Value?
  {
    guard let conditionNode = node.condition else { return nil }
    let condition = try evaluate(conditionNode, input, environment)
    if Evaluator.boolean(condition) == true {
      guard let then = node.then else { return nil }
      return try evaluate(then, input, environment)
    } else if let otherwise = node.otherwise {
      return try evaluate(otherwise, input, environment)
    }
    return nil
  }

  private func evaluateBlock(_ node: Node, _ input: Value?, _ environment: Frame) throws -> Value? {
    let frame = Frame(parent: environment)
    var result: Value? = nil
    for expression in node.expressions {
      result = try evaluate(expression, input, frame)
    }
    return result
  }

  private func evaluateWildcard(_ input: Value?) -> Value? {
    var results: [Value] = []
    var input = input
    if case .array(let sequence)? = input, sequence.flags.contains(.outerWrapper),
      let first = sequence.items.first
    {
      input = first
    }
    var values: [Value] = []
    if case .object(let box)? = input {
      values = box.values
    } else if case .array(let sequence)? = input {
      values = sequence.items
    }
    do {
      for value in values {
        if case .array = value {
          results.append(contentsOf: Evaluator.flatten(value))
        } else {
          results.append(value)
        }
      }
    }
    return .sequence(results)
  }

  static func flatten(_ value: Value) -> [Value] {
    var output: [Value] = []
    func walk(_ value: Value) {
      if case .array(let sequence) = value {
        for item in sequence.items { walk(item) }
      } else {
        output.append(value)
      }
    }
    walk(value)
    return output
  }

  private func evaluateDescendants(_ input: Value?) -> Value? {
    guard let input else { return nil }
    var results: [Value] = []
    var pending: [Value] = [input]
    // Depth-first, in document order, without recursion.
    while let value = pending.popLast() {
      switch value {
      case .array(let sequence):
        pending.append(contentsOf: sequence.items.reversed())
      case .object(let box):
        results.append(value)
        pending.append(contentsOf: box.values.reversed())
      default:
        results.append(value)
      }
    }
    if results.count == 1 { return results[0] }
    return .sequence(results)
  }

  // MARK: - Grouping and sorting

  private func evaluateGroup(_ group: Node.Group, _ input: Value?, _ environment: Frame) throws
    -> Value?
  {
    // A single item (or none), as an object constructor mostly has, needs no tables.
    switch input {
    case .tuples(let stream)? where stream.isEmpty:
      return try constructObject(group, nil, environment)
    case .tuples?: break
    case .array(let sequence)?:
      if sequence.items.count <= 1 {
        return try constructObject(group, sequence.items.first, environment)
      }
    case let value?: return try constructObject(group, value, environment)
    case nil: return try constructObject(group, nil, environment)
    }
    let result = ObjectBox()
    var keys: [String] = []
    var groups: [String: (data: Value?, tuples: [Tuple], pairIndex: Int)] = [:]
    var reduce = false
    var items: [Value?]
    var tuples: [Tuple] = []
    switch input {
    case .tuples(let stream)?:
      // An empty tuple stream (`a@$x{...}` where `a` is undefined) groups like an empty
      // input: one undefined item, no tuple to bind.
      reduce = !stream.isEmpty
      tuples = stream
      items = stream.map { $0["@"] }
    case .array(let sequence)?:
      items = sequence.items
    case let value?:
      items = [value]
    case nil:
      items = []
    }
    if items.isEmpty { items = [nil] }
    if !reduce, items.count == 1 {
      return try constructObject(group, items[0], environment)
    }
    for (itemIndex, item) in items.enumerated() {
      let frame =
        reduce && itemIndex < tuples.count
        ? Frame.from(tuple: tuples[itemIndex], parent: environment) : environment
      for (pairIndex, pair) in group.pairs.enumerated() {
        let key = try evaluate(pair.0, item, frame)
        guard let key else { continue }
        guard case .string(let name) = key else {
          throw JSONataError(code: "T1003", position: group.position, value: key.json())
        }
        if var entry = groups[name] {
          if entry.pairIndex != pairIndex {
            throw JSONataError(code: "D1009", position: group.position, value: .string(name))
          }
          if reduce {
            entry.tuples.append(tuples[itemIndex])
          } else {
            entry.data = Functions.append(entry.data, item)
          }
          groups[name] = entry
        } else {
          keys.append(name)
          groups[name] = (
            data: reduce ? nil : item, tuples: reduce ? [tuples[itemIndex]] : [],
            pairIndex: pairIndex
          )
        }
      }
    }
    for key in keys {
      guard let entry = groups[key] else { continue }
      var context = entry.data
      var frame = environment
      if reduce {
        var tuple = Evaluator.reduceTuples(entry.tuples)
        context = tuple["@"]
        tuple["@"] = nil
        frame = Frame.from(tuple: tuple, parent: environment)
      }
      if let value = try evaluate(group.pairs[entry.pairIndex].1, context, frame) {
        result.set(key, value)
      }
    }
    return .object(result)
  }

  /// A group over a single item (or none), as an object constructor mostly is: what the
  /// general grouping does, without its tables — every key first (in pair order), then each
  /// value with the item as context.
  private func constructObject(_ group: Node.Group, _ item: Value?, _ environment: Frame) throws
    -> Value?
  {
    if let literalKeys = group.literalKeys {
      // Keys that are distinct literals: nothing to evaluate or check before the values.
      steps += literalKeys.count
      let result = ObjectBox(capacity: literalKeys.count)
      for (name, pair) in zip(literalKeys, group.pairs) {
        if let value = try evaluateOperand(pair.1, item, environment) {
          result.appendUnique(name, value)
        }
      }
      return .object(result)
    }
    var names: [String] = []
    var pairIndexes: [Int] = []
    names.reserveCapacity(group.pairs.count)
    pairIndexes.reserveCapacity(group.pairs.count)
    var seen: Set<String>? = group.pairs.count > ObjectBox.indexThreshold ? [] : nil
    for (pairIndex, pair) in group.pairs.enumerated() {
      guard let key = try evaluateOperand(pair.0, item, environment) else { continue }
      guard case .string(let name) = key else {
        throw JSONataError(code: "T1003", position: group.position, value: key.json())
      }
      // With one item, a key seen before came from another pair.
      let isDuplicate = seen.map { $0.contains(name) } ?? names.contains(name)
      if isDuplicate {
        throw JSONataError(code: "D1009", position: group.position, value: .string(name))
      }
      seen?.insert(name)
      names.append(name)
      pairIndexes.append(pairIndex)
    }
    let result = ObjectBox(capacity: names.count)
    for (name, pairIndex) in zip(names, pairIndexes) {
      if let value = try evaluateOperand(group.pairs[pairIndex].1, item, environment) {
        result.appendUnique(name, value)
      }
    }
    return .object(result)
  }

  private static func reduceTuples(_ tuples: [Tuple]) -> Tuple {
    guard var result = tuples.first else { return [:] }
    for tuple in tuples.dropFirst() {
      for (key, value) in tuple {
        result[key] = Functions.append(result[key], value)
      }
    }
    return result
  }

  private func evaluateSort(_ node: Node, _ input: Value?, _ environment: Frame) throws -> Value? {
    let isTupleSort: Bool
    let count: Int
    var tuples: [Tuple] = []
    var items: [Value] = []
    switch input {
    case .tuples(let stream)?:
      isTupleSort = true
      tuples = stream
      count = stream.count
    case let value?:
      isTupleSort = false
      items = value.asItems
      count = items.count
    case nil:
      return nil
    }
    // Evaluate each term once per item, then sort stably.
    var keys: [[Value?]] = []
    keys.reserveCapacity(count)
    for position in 0..<count {
      var row: [Value?] = []
      for term in node.terms {
        if isTupleSort {
          let tuple = tuples[position]
          row.append(
            try evaluate(term.expression, tuple["@"], Frame.from(tuple: tuple, parent: environment))
          )
        } else {
          row.append(try evaluate(term.expression, items[position], environment))
        }
      }
      keys.append(row)
    }
    var failure: JSONataError?
    let order = Functions.mergeSort(Array(0..<count)) { a, b in
      if failure != nil { return false }
      var comparison = 0
      for (termIndex, term) in node.terms.enumerated() where comparison == 0 {
        let aa = keys[a][termIndex]
        let bb = keys[b][termIndex]
        guard let aa else {
          comparison = bb == nil ? 0 : 1
          continue
        }
        guard let bb else {
          comparison = -1
          continue
        }
        let aComparable = aa.isNumber || aa.isString
        let bComparable = bb.isNumber || bb.isString
        if !aComparable || !bComparable {
          failure = JSONataError(
            code: "T2008", position: node.position, value: (aComparable ? bb : aa).json())
          return false
        }
        if aa.isNumber != bb.isNumber {
          failure = JSONataError(
            code: "T2007", position: node.position, value: aa.json(),
            message:
              "Type mismatch when comparing values \(Functions.describe(aa)) and \(Functions.describe(bb)) in order-by clause"
          )
          return false
        }
        if let x = aa.numberValue, let y = bb.numberValue {
          comparison = x == y ? 0 : (x < y ? -1 : 1)
        } else if let x = aa.stringValue, let y = bb.stringValue {
          comparison = Functions.compareStrings(x, y)
        }
        if term.descending { comparison = -comparison }
      }
      return comparison == 1
    }
    if let failure { throw failure }
    if isTupleSort { return .tuples(order.map { tuples[$0] }) }
    return .sequence(order.map { items[$0] })
  }

  // MARK: - Functions

  private func procedureName(_ node: Node) -> String? {
    guard let procedure = node.procedure else { return nil }
    if procedure.kind == .path, let first = procedure.steps.first { return first.value }
    return procedure.value
  }

  func evaluateFunction(_ node: Node, _ input: Value?, _ environment: Frame, applyTo: Value??)
    throws -> Value?
  {
    guard let procedureNode = node.procedure else { return nil }
    let procedure = try evaluate(procedureNode, input, environment)
    if procedure == nil, procedureNode.kind == .path, let first = procedureNode.steps.first,
      environment.lookup(first.value) != nil
    {
      throw JSONataError(code: "T1005", position: node.position, token: first.value)
    }
    var arguments: [Value?] = []
    arguments.reserveCapacity(node.arguments.count + 1)
    if let applyTo { arguments.append(applyTo) }
    for argument in node.arguments {
      arguments.append(try evaluateOperand(argument, input, environment))
    }
    let name = procedureName(node)
    do {
      return try apply(
        procedure, arguments, input, environment, token: name, position: node.position)
    } catch var error as JSONataError {
      if error.position == nil { error.position = node.position }
      if error.token == nil { error.token = name }
      throw error
    }
  }

  /// Applies a function to arguments, running tail calls in a loop.
  func apply(
    _ procedure: Value?, _ arguments: [Value?], _ input: Value?, _ environment: Frame,
    token: String? = nil, position: Int? = nil
  ) throws -> Value? {
    var result = try applyInner(
      procedure, arguments, input, environment, token: token, position: position)
    while case .function(let function)? = result, function.isThunk,
      case .lambda(let node, let thunkInput, let thunkEnvironment) = function.kind,
      let body = node.body, let procedureNode = body.procedure
    {
      let next = try evaluate(procedureNode, thunkInput, thunkEnvironment)
      var evaluated: [Value?] = []
      for argument in body.arguments {
        evaluated.append(try evaluate(argument, thunkInput, thunkEnvironment))
      }
      let name = procedureNode.kind == .variable ? procedureNode.value : procedureName(body)
      result = try applyInner(
        next, evaluated, thunkInput, thunkEnvironment, token: name, position: body.position)
    }
    return result
  }

  private func applyInner(
    _ procedure: Value?, _ arguments: [Value?], _ input: Value?, _ environment: Frame,
    token: String?, position: Int?
  ) throws -> Value? {
    do {
      guard case .function(let function)? = procedure else {
        throw JSONataError(code: "T1006", position: position, token: token)
      }
      var validated = arguments
      if let signature = function.signature {
        validated = try signature.validate(arguments, context: input)
      }
      switch function.kind {
      case .lambda(let node, let lambdaInput, let lambdaEnvironment):
        let frame = Frame(parent: lambdaEnvironment)
        for (index, parameter) in node.arguments.enumerated() {
          frame.bind(parameter.value, index < validated.count ? validated[index] : nil)
        }
        guard let body = node.body else { return nil }
        return try evaluate(body, lambdaInput, frame)
      case .native(let native):
        return try native.implementation(
          self, validated, CallContext(input: input, environment: environment))
      case .partial(let base, let bound, let holes):
        var filled: [Value?] = []
        var next = 0
        for (index, value) in bound.enumerated() {
          if holes[index] {
            filled.append(next < validated.count ? validated[next] : nil)
            next += 1
          } else {
            filled.append(value)
          }
        }
        return try apply(.function(base), filled, input, environment)
      case .regex(let regex):
        return Functions.regexMatchObject(regex, validated.first ?? nil)
      }
    } catch var error as JSONataError {
      if error.token == nil { error.token = token }
      if let position { error.position = position }
      throw error
    }
  }

  private func evaluatePartial(_ node: Node, _ input: Value?, _ environment: Frame) throws -> Value?
  {
    var arguments: [Value?] = []
    var holes: [Bool] = []
    for argument in node.arguments {
      if argument.kind == .operator, argument.value == "?" {
        arguments.append(nil)
        holes.append(true)
      } else {
        arguments.append(try evaluate(argument, input, environment))
        holes.append(false)
      }
    }
    guard let procedureNode = node.procedure else { return nil }
    let procedure = try evaluate(procedureNode, input, environment)
    if procedure == nil, procedureNode.kind == .path, let first = procedureNode.steps.first,
      environment.lookup(first.value) != nil
    {
      throw JSONataError(code: "T1007", position: node.position, token: first.value)
    }
    guard case .function(let function)? = procedure else {
      throw JSONataError(code: "T1008", position: node.position, token: procedureName(node))
    }
    return .function(FunctionValue(.partial(base: function, arguments: arguments, holes: holes)))
  }

  private func evaluateApply(_ node: Node, _ input: Value?, _ environment: Frame) throws -> Value? {
    guard let lhsNode = node.lhs, let rhsNode = node.rhs else { return nil }
    if rhsNode.kind == .function {
      let context = try evaluate(lhsNode, input, environment)
      let result = try evaluateFunction(rhsNode, input, environment, applyTo: .some(context))
      if rhsNode.keepArray, case .array(var sequence)? = result, sequence.isSequence {
        sequence.flags.insert(.keepSingleton)
        return .array(sequence)
      }
      return result
    }
    let lhs = try evaluate(lhsNode, input, environment)
    let function = try evaluate(rhsNode, input, environment)
    guard case .function(let rhsFunction)? = function else {
      throw JSONataError(code: "T2006", position: node.position, value: function?.json())
    }
    if case .function(let lhsFunction)? = lhs {
      // Function composition: λ($x){ rhs(lhs($x)) }.
      let composed = NativeFunction("", nil, arity: 1) { evaluator, arguments, context in
        let inner = try evaluator.apply(
          .function(lhsFunction), arguments, context.input, context.environment)
        return try evaluator.apply(
          .function(rhsFunction), [inner], context.input, context.environment)
      }
      return .function(FunctionValue(.native(composed)))
    }
    return try apply(function, [lhs], input, environment)
  }

  // MARK: - Transform

  private func evaluateTransform(_ node: Node, _ environment: Frame) -> Value? {
    let transformer = NativeFunction("", "<(oa):o>", arity: 1) { evaluator, arguments, context in
      try evaluator.transform(node, arguments.first ?? nil, environment)
    }
    return .function(FunctionValue(.native(transformer)))
  }

  private func transform(_ node: Node, _ object: Value?, _ environment: Frame) throws -> Value? {
    guard let object else { return nil }
    let cloneFunction = environment.lookup("clone")
    guard case .function? = cloneFunction else {
      throw JSONataError(code: "T2013", position: node.position)
    }
    let result = try apply(cloneFunction, [object], nil, environment)
    guard let pattern = node.pattern, let updateNode = node.update else { return result }
    let matches = try evaluate(pattern, result, environment)
    guard let matches else { return result }
    for match in matches.asItems {
      let update = try evaluate(updateNode, match, environment)
      if let update {
        guard case .object(let updates) = update else {
          throw JSONataError(code: "T2011", position: updateNode.position, value: update.json())
        }
        if case .object(let target) = match {
          for (key, value) in updates.members { target.set(key, value) }
        }
      }
      if let deleteNode = node.delete, let deletions = try evaluate(deleteNode, match, environment)
      {
        let names = deletions.asItems
        guard names.allSatisfy({ $0.isString }) else {
          throw JSONataError(code: "T2012", position: deleteNode.position, value: deletions.json())
        }
        if case .object(let target) = match {
          for name in names { if let name = name.stringValue { target.remove(name) } }
        }
      }
    }
    return result
  }

  // MARK: - Helpers

  /// Looks a field up in an object, or in each object of an array (flattening).
  static func lookup(_ input: Value?, _ key: String) -> Value? {
    switch input {
    case .array(let sequence)?:
      var result: [Value] = []
      for item in sequence.items {
        guard let value = lookup(item, key) else { continue }
        if case .array(let inner) = value {
          result.append(contentsOf: inner.items)
        } else {
          result.append(value)
        }
      }
      return .sequence(result)
    case .tuples(let tuples)?:
      return lookup(.sequence(tuples.compactMap { $0["@"] }), key)
    case .object(let box)?:
      return box[key]
    default:
      return nil
    }
  }

  /// JSONata's truthiness; nil for undefined.
  static func boolean(_ value: Value?) -> Bool? {
    guard let value else { return nil }
    switch value {
    case .null: return false
    case .bool(let bool): return bool
    case .number(let number): return number != 0
    case .exactInteger: return true
    case .string(let string): return !string.isEmpty
    case .array(let sequence):
      if sequence.items.count == 1 { return boolean(sequence.items[0]) }
      return sequence.items.contains { boolean($0) == true }
    case .tuples(let tuples):
      return boolean(.sequence(tuples.compactMap { $0["@"] }))
    case .object(let box): return box.count > 0
    case .function: return false
    }
  }
}
