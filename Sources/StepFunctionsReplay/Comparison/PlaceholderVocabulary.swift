import StepFunctionsJSON

/// The placeholders the corpus's recordings contain, and how an expected string that contains
/// them matches an actual string.
///
/// Placeholders come in two kinds:
/// - **fragments**, which may be part of a string and stand for any non-empty text there:
///   `<anything>` (letters, digits and `_ : . -` between angle brackets, such as `<region>`,
///   `<partition>`, `<uuid:1>`, `<ArnPart_0idx>`), `snf_role_arn`, the test's own replacement
///   words (from its snapshot transformers, such as `bucket-name`), and `111111111111`, which
///   stands for any 12-digit account id. So
///   `arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:abc` matches
///   `arn:aws:states:us-east-1:123456789012:execution:MyMachine:abc`.
/// - **whole values**: an expected string that is exactly `date`, `datetime`, `timestamp`,
///   `snf_role_arn`, a single `<...>` placeholder, one of the test's replacement words, or the
///   name of its own key (`"X-Amzn-Trace-Id": "X-Amzn-Trace-Id"`, the recording tool's default
///   replacement) matches any value at all, because the recording replaced whole values (even
///   lists) with them.
public struct PlaceholderVocabulary: Sendable, Hashable {
  /// Strings that stand for any value when they are a whole expected string.
  public static let wholeValueWords: Set<String> = [
    // `sfn_role_arn`: the express-sync recordings' own spelling of the role placeholder.
    "date", "datetime", "timestamp", "snf_role_arn", "sfn_role_arn",
  ]

  /// The placeholder for every account id.
  public static let accountID = "111111111111"

  /// Words of the current test that stand for any text (from its snapshot transformers),
  /// longest first.
  public private(set) var testWords: [String]

  /// A vocabulary with the corpus-wide placeholders and `testWords`.
  public init(testWords: [String] = []) {
    let unique = Set(testWords.filter { $0.utf8.count >= 3 })
    self.testWords = unique.sorted { ($0.utf8.count, $0) > ($1.utf8.count, $1) }
  }

  /// Whether the expected string `expected`, found under `key`, stands for any value.
  public func isWholeValueWildcard(_ expected: String, key: String?) -> Bool {
    if Self.wholeValueWords.contains(expected) { return true }
    if let key, !key.isEmpty, expected == key { return true }
    if testWords.contains(expected) { return true }
    let bytes = Array(expected.utf8)
    return bytes.count > 2 && Self.placeholderLength(in: bytes, at: 0) == bytes.count
  }

  /// Whether `expected` contains any fragment placeholder.
  public func containsPlaceholder(_ expected: String) -> Bool {
    compile(expected).contains { if case .literal = $0 { return false } else { return true } }
  }

  /// Whether `actual` matches `expected`, reading the placeholders in `expected` as wildcards.
  public func matches(expected: String, actual: String) -> Bool {
    if expected == actual { return true }
    let segments = compile(expected)
    guard segments.contains(where: { if case .literal = $0 { return false } else { return true } })
    else { return false }
    return SegmentMatcher(segments: segments, text: Array(actual.utf8)).matches()
  }

  // MARK: - Compiling expected strings

  enum Segment: Hashable {
    case literal([UInt8])
    case anyText
    case accountID
  }

  func compile(_ expected: String) -> [Segment] {
    let bytes = Array(expected.utf8)
    let words =
      testWords.map { Array($0.utf8) } + [Array("snf_role_arn".utf8), Array("sfn_role_arn".utf8)]
    let account = Array(Self.accountID.utf8)
    var segments: [Segment] = []
    var literal: [UInt8] = []
    func flush() {
      if !literal.isEmpty { segments.append(.literal(literal)) }
      literal = []
    }
    var index = 0
    scanning: while index < bytes.count {
      if bytes[index] == UInt8(ascii: "<"),
        let length = Self.placeholderLength(in: bytes, at: index)
      {
        flush()
        segments.append(.anyText)
        index += length
        continue
      }
      if bytes[index] == UInt8(ascii: "1"), Self.hasPrefix(bytes, account, at: index) {
        flush()
        segments.append(.accountID)
        index += account.count
        continue
      }
      for word in words where Self.hasPrefix(bytes, word, at: index) {
        flush()
        segments.append(.anyText)
        index += word.count
        continue scanning
      }
      literal.append(bytes[index])
      index += 1
    }
    flush()
    return segments
  }

  /// Whether `name` can be the name of a `<name>` placeholder: one or more ASCII letters,
  /// digits and `_ : . -`.
  public static func isPlaceholderName(_ name: some StringProtocol) -> Bool {
    !name.utf8.isEmpty && name.utf8.allSatisfy(isPlaceholderNameByte)
  }

  private static func isPlaceholderNameByte(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
      || (byte >= 0x61 && byte <= 0x7A)
      || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".")
      || byte == UInt8(ascii: "-")
  }

  /// The length of a `<name>` placeholder starting at `start`, or `nil`.
  static func placeholderLength(in bytes: [UInt8], at start: Int) -> Int? {
    guard start < bytes.count, bytes[start] == UInt8(ascii: "<") else { return nil }
    var index = start + 1
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: ">") { return index > start + 1 ? index - start + 1 : nil }
      guard isPlaceholderNameByte(byte) else { return nil }
      index += 1
    }
    return nil
  }

  static func hasPrefix(_ bytes: [UInt8], _ prefix: [UInt8], at start: Int) -> Bool {
    guard !prefix.isEmpty, start + prefix.count <= bytes.count else { return false }
    for offset in 0..<prefix.count where bytes[start + offset] != prefix[offset] { return false }
    return true
  }
}

/// Matches compiled segments against a text, last segment first: for each segment, the set of
/// positions from which it and everything after it match. O(*segments* × *text length*) steps
/// (times the literal lengths), whatever the input.
private struct SegmentMatcher {
  let segments: [PlaceholderVocabulary.Segment]
  let text: [UInt8]

  func matches() -> Bool {
    let count = text.count
    // `next[p]`: the segments after the current one match `text[p...]` exactly.
    var next = [Bool](repeating: false, count: count + 1)
    next[count] = true
    for segment in segments.reversed() {
      var current = [Bool](repeating: false, count: count + 1)
      switch segment {
      case .literal(let literal):
        guard literal.count <= count else { return false }
        for position in 0...(count - literal.count)
        where next[position + literal.count]
          && PlaceholderVocabulary.hasPrefix(text, literal, at: position)
        {
          current[position] = true
        }
      case .accountID:
        guard count >= 12 else { return false }
        for position in 0...(count - 12)
        where next[position + 12]
          && text[position..<position + 12].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        {
          current[position] = true
        }
      case .anyText:
        // Any non-empty text: some end after `position` from which the rest matches.
        var restMatchesLater = false
        for position in stride(from: count, through: 0, by: -1) {
          current[position] = restMatchesLater
          restMatchesLater = restMatchesLater || next[position]
        }
      }
      guard current.contains(true) else { return false }
      next = current
    }
    return next[0]
  }
}
