/// One step of a compiled pattern.
enum Instruction: Sendable, Hashable {
  /// Consume this scalar.
  case scalar(Unicode.Scalar)
  /// Consume any scalar.
  case anyScalar
  /// Consume a scalar of the class at this index of `Program.classes`.
  case characterClass(Int)
  /// Continue at both targets, the first with the higher priority.
  case split(Int, Int)
  /// Continue at the target.
  case jump(Int)
  /// Record the current position in a capture slot (group n has slots 2n and 2n+1).
  case save(Int)
  /// Forget the capture slots in the range (JavaScript, at the start of each repetition).
  case clear(Range<Int>)
  /// Continue only where the assertion holds.
  case assertion(RegexAssertion)
  /// Record the current position in a register: where an iteration of a repeated node that can
  /// match the empty string starts.
  case mark(register: Int)
  /// After such an iteration: continue when it consumed something; when it did not, continue at
  /// `exit` (Java: the loop ends) or, without one, fail (JavaScript: the iteration is rejected).
  case progress(register: Int, exit: Int?)
  /// A match ends here.
  case match
}

/// A compiled pattern: instructions for the Pike VM, and what it needs to read them.
///
/// Immutable once built, so it is shared between threads without locking.
final class Program: Sendable {
  /// The most instructions a pattern may compile to.
  static let maximumInstructions = 10_000

  let instructions: [Instruction]
  let classes: [CharacterClass]
  /// The number of capture groups, not counting the whole match.
  let captureCount: Int
  /// The name of each capture group (index 0 is group 1), nil when unnamed.
  let captureNames: [String?]
  /// The number of registers (`mark`, `progress`); a thread's slots hold them before the
  /// capture slots.
  let registerCount: Int

  /// Compiles `node`: `save 0`, the node, `save 1`, `match`.
  init(
    _ node: RegexNode, flavor: RegularExpression.Flavor, captureNames: [String?],
    pattern: String
  ) throws(RegexSyntaxError) {
    var compiler = Compiler(flavor: flavor, pattern: pattern)
    try compiler.emit(.save(0))
    try compiler.compile(node)
    try compiler.emit(.save(1))
    try compiler.emit(.match)
    instructions = compiler.instructions
    classes = compiler.classes
    captureCount = captureNames.count
    self.captureNames = captureNames
    registerCount = compiler.registerCount
  }
}

/// Turns a `RegexNode` into instructions, within `Program.maximumInstructions`.
private struct Compiler {
  let flavor: RegularExpression.Flavor
  let pattern: String
  var instructions: [Instruction] = []
  var classes: [CharacterClass] = []
  private var classIndex: [CharacterClass: Int] = [:]
  /// The registers in use: one per level of nested loops over nodes that can match empty.
  private(set) var registerCount = 0
  private var loopDepth = 0
  /// Where the node being compiled comes from, for the size error.
  private var offset = 0

  init(flavor: RegularExpression.Flavor, pattern: String) {
    self.flavor = flavor
    self.pattern = pattern
  }

  /// Appends an instruction and returns its address.
  @discardableResult
  mutating func emit(_ instruction: Instruction) throws(RegexSyntaxError) -> Int {
    guard instructions.count < Program.maximumInstructions else {
      throw RegexSyntaxError(
        message:
          "the pattern is too large: it compiles to more than \(Program.maximumInstructions) "
          + "instructions (counted repetitions are expanded)",
        offset: offset, pattern: pattern)
    }
    instructions.append(instruction)
    return instructions.count - 1
  }

  var next: Int { instructions.count }

  mutating func compile(_ node: RegexNode) throws(RegexSyntaxError) {
    switch node {
    case .empty:
      break
    case .scalar(let scalar):
      try emit(.scalar(scalar))
    case .anyScalar:
      try emit(.anyScalar)
    case .characterClass(let characterClass):
      let index: Int
      if let known = classIndex[characterClass] {
        index = known
      } else {
        index = classes.count
        classes.append(characterClass)
        classIndex[characterClass] = index
      }
      try emit(.characterClass(index))
    case .assertion(let assertion):
      try emit(.assertion(assertion))
    case .group(let body, let capture):
      if let capture { try emit(.save(2 * capture)) }
      try compile(body)
      if let capture { try emit(.save(2 * capture + 1)) }
    case .concatenation(let items):
      for item in items { try compile(item) }
    case .alternation(let branches):
      var exits: [Int] = []
      for (index, branch) in branches.enumerated() {
        if index == branches.count - 1 {
          try compile(branch)
        } else {
          let split = try emit(.split(0, 0))
          try compile(branch)
          exits.append(try emit(.jump(0)))
          instructions[split] = .split(split + 1, next)
        }
      }
      for exit in exits { instructions[exit] = .jump(next) }
    case .repetition(let body, let repetition):
      let enclosing = offset
      offset = repetition.offset
      try compileRepetition(body, repetition)
      offset = enclosing
    }
  }

  /// `x{n,m}` as n copies then m−n nested optional copies; `x{n,}` as n copies then a loop
  /// (`split L, out; L: x; split L, out`).
  ///
  /// When x can match the empty string, an iteration that matches it ends the loop with its
  /// captures in Java (its `Loop` checks for progress, even below the minimum) and is rejected
  /// in JavaScript (the spec's RepeatMatcher, above the minimum); such an iteration records where
  /// it starts in a register and checks for progress at its end. The unbounded loop then
  /// alternates two copies of x, so that an iteration never re-enters, at the same position, an
  /// instruction its predecessor already passed (which the VM would take as explored, though the
  /// state differs: a nested loop starting afresh, say).
  private mutating func compileRepetition(_ body: RegexNode, _ repetition: Repetition)
    throws(RegexSyntaxError)
  {
    let greedy = repetition.greedy
    func choice(_ more: Int, _ done: Int) -> Instruction {
      greedy ? .split(more, done) : .split(done, more)
    }
    let minimum = repetition.minimum
    let checked = body.canMatchEmpty
    var register = 0
    if checked {
      register = loopDepth
      loopDepth += 1
      registerCount = max(registerCount, loopDepth)
    }
    defer { if checked { loopDepth -= 1 } }
    // The progress checks and the entries of optional iterations, patched once `out` is known.
    var checks: [Int] = []
    var entries: [Int] = []
    let checksRequired = checked && flavor == .java
    for _ in 0..<minimum {
      if checksRequired { try emit(.mark(register: register)) }
      try iteration(body, repetition)
      if checksRequired { checks.append(try emit(.progress(register: register, exit: nil))) }
    }
    let copies = repetition.maximum.map { $0 - minimum } ?? (checked ? 2 : 1)
    for _ in 0..<copies {
      entries.append(try emit(.split(0, 0)))
      if checked { try emit(.mark(register: register)) }
      try iteration(body, repetition)
      if checked { checks.append(try emit(.progress(register: register, exit: nil))) }
    }
    if repetition.maximum == nil, let first = entries.first {
      try emit(choice(first + 1, next + 1))
    }
    let out = next
    for entry in entries { instructions[entry] = choice(entry + 1, out) }
    for check in checks {
      instructions[check] = .progress(register: register, exit: flavor == .java ? out : nil)
    }
  }

  private mutating func iteration(_ body: RegexNode, _ repetition: Repetition)
    throws(RegexSyntaxError)
  {
    if flavor == .javaScript, !repetition.captures.isEmpty {
      try emit(
        .clear((2 * repetition.captures.lowerBound + 2)..<(2 * repetition.captures.upperBound + 2)))
    }
    try compile(body)
  }
}

extension RegexNode {
  /// Whether the node can match the empty string.
  var canMatchEmpty: Bool {
    switch self {
    case .empty, .assertion: return true
    case .scalar, .anyScalar, .characterClass: return false
    case .group(let body, _): return body.canMatchEmpty
    case .concatenation(let items): return items.allSatisfy(\.canMatchEmpty)
    case .alternation(let branches): return branches.contains(where: \.canMatchEmpty)
    case .repetition(let body, let repetition): return repetition.minimum == 0 || body.canMatchEmpty
    }
  }
}
