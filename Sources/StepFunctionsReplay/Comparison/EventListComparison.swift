import StepFunctionsJSON

/// Compares an expected history with an actual one.
///
/// Both lists are cut into units: single events, and (for the corpus's
/// `parallel_branch_events_sorted` recordings) Parallel blocks, the runs of events whose `id` is `[0]`. Units are aligned with a
/// weighted longest common subsequence (a single event pairs only with one of the same type,
/// preferring one that matches completely; a block pairs with a block). Paired singles are
/// compared member by member, paired blocks as multisets, and what is left between two pairs is
/// paired position by position when both sides have as many units there, and otherwise reported
/// as missing and unexpected events.
struct EventListComparison {
  let values: EventComparator
  let parallelBlocksSorted: Bool
  private var fullMatchCache: [Int: Bool] = [:]

  init(values: EventComparator, parallelBlocksSorted: Bool) {
    self.values = values
    self.parallelBlocksSorted = parallelBlocksSorted
  }

  private enum Unit {
    case single(Int)
    case block(Range<Int>)

    var isBlock: Bool {
      if case .block = self { return true }
      return false
    }
  }

  mutating func compare(expected: [JSON], actual rawActual: [JSON], into sink: inout DifferenceSink)
  {
    let usesBlocks = parallelBlocksSorted
    let actual = usesBlocks ? ParallelEventNormalization.normalize(rawActual) : rawActual
    let expectedUnits = Self.units(of: expected, blocks: usesBlocks)
    let actualUnits = Self.units(of: actual, blocks: usesBlocks)
    let pairs = align(expectedUnits, expected, actualUnits, actual)

    var nextExpected = 0
    var nextActual = 0
    for pair in pairs + [(expectedUnits.count, actualUnits.count)] {
      if sink.isFull { return }
      reportGap(
        expectedUnits[nextExpected..<pair.0], expected, actualUnits[nextActual..<pair.1], actual,
        insertionIndex: pair.0 < expectedUnits.count
          ? Self.firstIndex(of: expectedUnits[pair.0]) : expected.count,
        into: &sink)
      if pair.0 < expectedUnits.count, pair.1 < actualUnits.count {
        compareUnits(expectedUnits[pair.0], expected, actualUnits[pair.1], actual, into: &sink)
      }
      nextExpected = pair.0 + 1
      nextActual = pair.1 + 1
    }
  }

  // MARK: - Units

  private static func units(of events: [JSON], blocks: Bool) -> [Unit] {
    var units: [Unit] = []
    var index = 0
    while index < events.count {
      if blocks, ParallelEventNormalization.isBlockEvent(events[index]) {
        var end = index + 1
        while end < events.count, ParallelEventNormalization.isBlockEvent(events[end]) { end += 1 }
        units.append(.block(index..<end))
        index = end
      } else {
        units.append(.single(index))
        index += 1
      }
    }
    return units
  }

  private static func firstIndex(of unit: Unit) -> Int {
    switch unit {
    case .single(let index): return index
    case .block(let range): return range.lowerBound
    }
  }

  private static func type(of event: JSON) -> String? { event["type"]?.stringValue }

  // MARK: - Alignment

  private mutating func fullMatch(
    _ expectedIndex: Int, _ expected: [JSON], _ actualIndex: Int, _ actual: [JSON]
  ) -> Bool {
    let key = expectedIndex &* (actual.count &+ 1) &+ actualIndex
    if let known = fullMatchCache[key] { return known }
    let result = values.matches(
      expected[expectedIndex], actual[actualIndex], key: nil, parentKey: "events", level: .response)
    fullMatchCache[key] = result
    return result
  }

  private mutating func weight(_ left: Unit, _ expected: [JSON], _ right: Unit, _ actual: [JSON])
    -> Int
  {
    switch (left, right) {
    case (.single(let expectedIndex), .single(let actualIndex)):
      guard Self.type(of: expected[expectedIndex]) == Self.type(of: actual[actualIndex]) else {
        return 0
      }
      return fullMatch(expectedIndex, expected, actualIndex, actual) ? 3 : 1
    case (.block, .block):
      return 2
    default:
      return 0
    }
  }

  /// The aligned unit pairs, in order.
  private mutating func align(
    _ expectedUnits: [Unit], _ expected: [JSON], _ actualUnits: [Unit], _ actual: [JSON]
  ) -> [(Int, Int)] {
    // Matching prefix and suffix first: the common case is a near-identical history.
    var prefix: [(Int, Int)] = []
    var start = 0
    while start < expectedUnits.count, start < actualUnits.count,
      weight(expectedUnits[start], expected, actualUnits[start], actual) >= 2
    {
      prefix.append((start, start))
      start += 1
    }
    var suffix: [(Int, Int)] = []
    var expectedEnd = expectedUnits.count
    var actualEnd = actualUnits.count
    while expectedEnd > start, actualEnd > start,
      weight(expectedUnits[expectedEnd - 1], expected, actualUnits[actualEnd - 1], actual) >= 2
    {
      expectedEnd -= 1
      actualEnd -= 1
      suffix.append((expectedEnd, actualEnd))
    }

    let rows = expectedEnd - start
    let columns = actualEnd - start
    var middle: [(Int, Int)] = []
    if rows > 0, columns > 0 {
      var weights = [Int](repeating: 0, count: rows * columns)
      for row in 0..<rows {
        for column in 0..<columns {
          weights[row * columns + column] = weight(
            expectedUnits[start + row], expected, actualUnits[start + column], actual)
        }
      }
      let width = columns + 1
      var score = [Int](repeating: 0, count: (rows + 1) * width)
      for row in stride(from: rows - 1, through: 0, by: -1) {
        for column in stride(from: columns - 1, through: 0, by: -1) {
          var best = max(score[(row + 1) * width + column], score[row * width + column + 1])
          let pairWeight = weights[row * columns + column]
          if pairWeight > 0 { best = max(best, pairWeight + score[(row + 1) * width + column + 1]) }
          score[row * width + column] = best
        }
      }
      var row = 0
      var column = 0
      while row < rows, column < columns {
        let pairWeight = weights[row * columns + column]
        if pairWeight > 0,
          score[row * width + column] == pairWeight + score[(row + 1) * width + column + 1]
        {
          middle.append((start + row, start + column))
          row += 1
          column += 1
        } else if score[(row + 1) * width + column] >= score[row * width + column + 1] {
          row += 1
        } else {
          column += 1
        }
      }
    }
    return prefix + middle + suffix.reversed()
  }

  // MARK: - Reporting

  private mutating func compareUnits(
    _ expectedUnit: Unit, _ expected: [JSON], _ actualUnit: Unit, _ actual: [JSON],
    into sink: inout DifferenceSink
  ) {
    switch (expectedUnit, actualUnit) {
    case (.single(let expectedIndex), .single(let actualIndex)):
      compareEvent(expectedIndex, expected, actualIndex, actual, into: &sink)
    case (.block(let expectedRange), .block(let actualRange)):
      compareBlocks(expectedRange, expected, actualRange, actual, into: &sink)
    default:
      reportMissing(expectedUnit, expected, into: &sink)
      reportUnexpected(
        actualUnit, actual, insertionIndex: Self.firstIndex(of: expectedUnit), into: &sink)
    }
  }

  private func compareEvent(
    _ expectedIndex: Int, _ expected: [JSON], _ actualIndex: Int, _ actual: [JSON],
    into sink: inout DifferenceSink
  ) {
    values.compare(
      expected[expectedIndex], actual[actualIndex],
      at: JSONPointer(["events", String(expectedIndex)]), key: nil,
      parentKey: "events", level: .response, into: &sink)
  }

  /// A Parallel block as a multiset: complete matches first, then leftovers paired by type.
  private mutating func compareBlocks(
    _ expectedRange: Range<Int>, _ expected: [JSON], _ actualRange: Range<Int>, _ actual: [JSON],
    into sink: inout DifferenceSink
  ) {
    var unusedActual = Array(actualRange)
    var unmatchedExpected: [Int] = []
    for expectedIndex in expectedRange {
      if let position = unusedActual.firstIndex(where: {
        fullMatch(expectedIndex, expected, $0, actual)
      }) {
        unusedActual.remove(at: position)
      } else {
        unmatchedExpected.append(expectedIndex)
      }
    }
    for expectedIndex in unmatchedExpected {
      if sink.isFull { return }
      let type = Self.type(of: expected[expectedIndex])
      if let position = unusedActual.firstIndex(where: { Self.type(of: actual[$0]) == type }) {
        let actualIndex = unusedActual.remove(at: position)
        compareEvent(expectedIndex, expected, actualIndex, actual, into: &sink)
      } else {
        reportMissing(.single(expectedIndex), expected, into: &sink)
      }
    }
    for actualIndex in unusedActual {
      reportUnexpected(
        .single(actualIndex), actual, insertionIndex: expectedRange.lowerBound, into: &sink)
    }
  }

  private mutating func reportGap(
    _ expectedUnits: ArraySlice<Unit>, _ expected: [JSON], _ actualUnits: ArraySlice<Unit>,
    _ actual: [JSON],
    insertionIndex: Int, into sink: inout DifferenceSink
  ) {
    guard !expectedUnits.isEmpty || !actualUnits.isEmpty else { return }
    let sameShape =
      expectedUnits.count == actualUnits.count
      && zip(expectedUnits, actualUnits).allSatisfy { $0.isBlock == $1.isBlock }
    if sameShape {
      for (expectedUnit, actualUnit) in zip(expectedUnits, actualUnits) {
        compareUnits(expectedUnit, expected, actualUnit, actual, into: &sink)
      }
      return
    }
    for unit in expectedUnits { reportMissing(unit, expected, into: &sink) }
    for unit in actualUnits {
      reportUnexpected(unit, actual, insertionIndex: insertionIndex, into: &sink)
    }
  }

  private func indices(of unit: Unit) -> Range<Int> {
    switch unit {
    case .single(let index): return index..<(index + 1)
    case .block(let range): return range
    }
  }

  private func reportMissing(_ unit: Unit, _ expected: [JSON], into sink: inout DifferenceSink) {
    for index in indices(of: unit) {
      sink.append(
        ValueDifference(
          path: "/events/\(index)", kind: .missing,
          expected: ValueDifference.snippet(expected[index]),
          actual: nil, note: Self.describe(expected[index])))
    }
  }

  private func reportUnexpected(
    _ unit: Unit, _ actual: [JSON], insertionIndex: Int, into sink: inout DifferenceSink
  ) {
    for index in indices(of: unit) {
      sink.append(
        ValueDifference(
          path: "/events/\(insertionIndex)", kind: .unexpected, expected: nil,
          actual: ValueDifference.snippet(actual[index]), note: Self.describe(actual[index])))
    }
  }

  private static func describe(_ event: JSON) -> String {
    let type = type(of: event) ?? "untyped"
    if let id = event["id"]?.numberValue { return "\(type) event, id \(id)" }
    if ParallelEventNormalization.isBlockEvent(event) { return "\(type) event in a Parallel block" }
    return "\(type) event"
  }
}
