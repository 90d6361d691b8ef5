/// The text being matched, as UTF-8 bytes read one Unicode scalar at a time.
///
/// Positions are byte offsets that always fall on scalar boundaries.
struct UTF8Text {
  let bytes: UnsafeBufferPointer<UInt8>

  var count: Int { bytes.count }

  /// The scalar that starts at `offset` and the offset after it; nil at the end.
  func scalar(at offset: Int) -> (scalar: Unicode.Scalar, next: Int)? {
    guard offset >= 0, offset < bytes.count else { return nil }
    let lead = bytes[offset]
    if lead < 0x80 { return (Unicode.Scalar(lead), offset + 1) }
    let length: Int
    var value: UInt32
    if lead < 0xE0 {
      length = 2
      value = UInt32(lead & 0x1F)
    } else if lead < 0xF0 {
      length = 3
      value = UInt32(lead & 0x0F)
    } else {
      length = 4
      value = UInt32(lead & 0x07)
    }
    guard offset + length <= bytes.count else { return ("\u{FFFD}", bytes.count) }
    for index in (offset + 1)..<(offset + length) {
      value = value << 6 | UInt32(bytes[index] & 0x3F)
    }
    return (Unicode.Scalar(value) ?? "\u{FFFD}", offset + length)
  }

  /// The scalar that ends at `offset`; nil at the start.
  func scalar(before offset: Int) -> Unicode.Scalar? {
    guard offset > 0, offset <= bytes.count else { return nil }
    var start = offset - 1
    while start > 0, offset - start < 4, bytes[start] & 0xC0 == 0x80 { start -= 1 }
    return scalar(at: start)?.scalar
  }

  /// The offset of the scalar boundary at or before `offset`.
  func boundary(atOrBefore offset: Int) -> Int {
    var start = min(max(offset, 0), bytes.count)
    while start > 0, start < bytes.count, bytes[start] & 0xC0 == 0x80 { start -= 1 }
    return start
  }
}

/// The threads alive at one position, in priority order, with their capture slots.
private struct ThreadList {
  /// `marks[pc] == generation` when `pc` was reached at this position.
  var marks: [UInt32]
  var generation: UInt32 = 1
  /// The program counters of the threads waiting on a consuming instruction or `match`.
  var pcs: [Int] = []
  /// `slotCount` slots per thread, in the order of `pcs`.
  var slots: [Int] = []

  init(size: Int) {
    marks = Array(repeating: 0, count: size)
  }

  mutating func clear() {
    generation &+= 1
    if generation == 0 {
      for index in marks.indices { marks[index] = 0 }
      generation = 1
    }
    pcs.removeAll(keepingCapacity: true)
    slots.removeAll(keepingCapacity: true)
  }

  /// Marks `pc` as reached; false when it already was.
  mutating func visit(_ pc: Int) -> Bool {
    if marks[pc] == generation { return false }
    marks[pc] = generation
    return true
  }
}

/// A pending step of the ε-closure: explore from an instruction, or undo a slot write.
private enum Frame {
  case explore(Int)
  case restore(slot: Int, value: Int)
}

/// What a run looks for.
struct SearchMode {
  /// Only start at the given position (instead of at each position from there).
  var anchored: Bool
  /// A match must end at the end of the text.
  var toEnd: Bool
  /// Stop at the first match reached, without looking for a preferred one.
  var anyMatch: Bool
  /// How many capture slots to track: 0 (none), 2 (the whole match) or all.
  var slotCount: Int
}

/// A Pike VM: a breadth-first simulation of the program over the text, one scalar at a time.
///
/// Threads are kept in priority order and each instruction is entered at most once per
/// position, so the first thread to reach `match` is the one a backtracking engine would find
/// first (leftmost-first), and the work is O(text × program) — there is no backtracking.
struct PikeVM {
  private let program: Program
  private let text: UTF8Text
  private let mode: SearchMode
  private var current: ThreadList
  private var following: ThreadList
  private var stack: [Frame] = []
  private var scratch: [Int]

  init(program: Program, text: UTF8Text, mode: SearchMode) {
    self.program = program
    self.text = text
    self.mode = mode
    current = ThreadList(size: program.instructions.count)
    following = ThreadList(size: program.instructions.count)
    scratch = Array(repeating: -1, count: program.registerCount + mode.slotCount)
  }

  /// Runs from byte offset `start`; returns the capture slots of the match (`[]` when none are
  /// tracked), or nil when there is none.
  ///
  /// - Complexity: O(n × m) time for n scalars from `start` and m instructions; O(m × slots)
  ///   memory.
  mutating func run(from start: Int) -> [Int]? {
    var position = start
    var found: [Int]?
    current.clear()
    while true {
      if found == nil, !mode.anchored || position == start {
        for index in scratch.indices { scratch[index] = -1 }
        Self.addThread(
          to: &current, pc: 0, at: position, program: program, text: text, stack: &stack,
          scratch: &scratch)
      }
      if current.pcs.isEmpty, found != nil || mode.anchored { break }
      let step = text.scalar(at: position)
      following.clear()
      let count = scratch.count
      var thread = 0
      threads: while thread < current.pcs.count {
        let pc = current.pcs[thread]
        var advances = false
        switch program.instructions[pc] {
        case .match:
          if mode.toEnd, step != nil { break }
          found = Array(
            current.slots[(thread * count + program.registerCount)..<(thread * count + count)])
          if mode.anyMatch { return found }
          break threads
        case .scalar(let scalar):
          advances = step?.scalar == scalar
        case .anyScalar:
          advances = step != nil
        case .characterClass(let index):
          if let step { advances = program.classes[index].matches(step.scalar) }
        default:
          break
        }
        if advances, let step {
          for slot in 0..<count { scratch[slot] = current.slots[thread * count + slot] }
          Self.addThread(
            to: &following, pc: pc + 1, at: step.next, program: program, text: text,
            stack: &stack, scratch: &scratch)
        }
        thread += 1
      }
      guard let step else { break }
      swap(&current, &following)
      position = step.next
    }
    return found
  }

  /// Adds the thread at `pc` and everything it reaches without consuming (the ε-closure), in
  /// priority order, to `list`. `scratch` holds the thread's slots and is left as it was.
  private static func addThread(
    to list: inout ThreadList, pc: Int, at position: Int, program: Program, text: UTF8Text,
    stack: inout [Frame], scratch: inout [Int]
  ) {
    stack.append(.explore(pc))
    while let frame = stack.popLast() {
      switch frame {
      case .restore(let slot, let value):
        scratch[slot] = value
      case .explore(var pc):
        exploring: while list.visit(pc) {
          switch program.instructions[pc] {
          case .jump(let target):
            pc = target
          case .split(let preferred, let other):
            stack.append(.explore(other))
            pc = preferred
          case .save(let capture):
            let slot = program.registerCount + capture
            if slot < scratch.count {
              stack.append(.restore(slot: slot, value: scratch[slot]))
              scratch[slot] = position
            }
            pc += 1
          case .clear(let captures):
            for capture in captures {
              let slot = program.registerCount + capture
              guard slot < scratch.count, scratch[slot] != -1 else { continue }
              stack.append(.restore(slot: slot, value: scratch[slot]))
              scratch[slot] = -1
            }
            pc += 1
          case .mark(let register):
            stack.append(.restore(slot: register, value: scratch[register]))
            scratch[register] = position
            pc += 1
          case .progress(let register, let exit):
            if scratch[register] != position {
              pc += 1
            } else if let exit {
              pc = exit
            } else {
              break exploring
            }
          case .assertion(let assertion):
            guard holds(assertion, at: position, in: text) else { break exploring }
            pc += 1
          case .scalar, .anyScalar, .characterClass, .match:
            list.pcs.append(pc)
            list.slots.append(contentsOf: scratch)
            break exploring
          }
        }
      }
    }
  }

  private static func holds(_ assertion: RegexAssertion, at position: Int, in text: UTF8Text)
    -> Bool
  {
    let end = text.count
    switch assertion {
    case .startOfInput:
      return position == 0
    case .endOfInput:
      return position == end
    case .endOfInputOrFinalTerminator(let terminators):
      guard let (scalar, next) = text.scalar(at: position) else { return true }
      switch scalar {
      case "\n":
        return next == end
          && (terminators != .java || text.scalar(before: position) != "\r")
      case "\r" where terminators == .java:
        return next == end || (text.scalar(at: next)?.scalar == "\n" && next + 1 == end)
      case "\u{85}", "\u{2028}", "\u{2029}":
        return terminators == .java && next == end
      default:
        return false
      }
    case .startOfLine(let terminators):
      if terminators != .javaScript, position == end { return false }
      guard let previous = text.scalar(before: position) else { return true }
      guard Self.isTerminator(previous, terminators) else { return false }
      return
        !(terminators == .java && previous == "\r" && text.scalar(at: position)?.scalar == "\n")
    case .endOfLine(let terminators):
      guard let scalar = text.scalar(at: position)?.scalar else { return true }
      guard Self.isTerminator(scalar, terminators) else { return false }
      return !(terminators == .java && scalar == "\n" && text.scalar(before: position) == "\r")
    case .wordBoundary, .notWordBoundary:
      let before = text.scalar(before: position).map(Self.isWord) ?? false
      let after = text.scalar(at: position).map { Self.isWord($0.scalar) } ?? false
      return (before != after) == (assertion == .wordBoundary)
    }
  }

  private static func isTerminator(_ scalar: Unicode.Scalar, _ terminators: LineTerminators)
    -> Bool
  {
    switch terminators {
    case .java: return PredefinedSets.javaLineTerminators.contains(scalar.value)
    case .unix: return scalar == "\n"
    case .javaScript: return PredefinedSets.javaScriptLineTerminators.contains(scalar.value)
    }
  }

  private static func isWord(_ scalar: Unicode.Scalar) -> Bool {
    PredefinedSets.word.contains(scalar.value)
  }
}
