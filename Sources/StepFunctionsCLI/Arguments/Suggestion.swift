/// "Did you mean ...?" suggestions for mistyped subcommands and options.
enum Suggestion {
  /// The candidate closest to `input`, when it is close enough to be a plausible typo: at most
  /// two edits (a swap of neighbours counts as one) and fewer than half the candidate's length.
  static func closest(to input: String, among candidates: [String]) -> String? {
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
      let distance = editDistance(Array(input.unicodeScalars), Array(candidate.unicodeScalars))
      guard distance <= 2, distance * 2 < candidate.unicodeScalars.count else { continue }
      if best.map({ distance < $0.distance }) ?? true { best = (candidate, distance) }
    }
    return best?.candidate
  }

  /// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
  /// adjacent characters each cost one.
  static func editDistance(_ lhs: [Unicode.Scalar], _ rhs: [Unicode.Scalar]) -> Int {
    if lhs.isEmpty { return rhs.count }
    if rhs.isEmpty { return lhs.count }
    let width = rhs.count + 1
    var table = [Int](repeating: 0, count: (lhs.count + 1) * width)
    for column in 0...rhs.count { table[column] = column }
    for row in 1...lhs.count {
      table[row * width] = row
      for column in 1...rhs.count {
        let cost = lhs[row - 1] == rhs[column - 1] ? 0 : 1
        var value = min(
          table[(row - 1) * width + column] + 1,
          table[row * width + column - 1] + 1,
          table[(row - 1) * width + column - 1] + cost)
        if row > 1, column > 1, lhs[row - 1] == rhs[column - 2], lhs[row - 2] == rhs[column - 1] {
          value = min(value, table[(row - 2) * width + column - 2] + 1)
        }
        table[row * width + column] = value
      }
    }
    return table[lhs.count * width + rhs.count]
  }
}
