/// Reads a pattern into a `RegexNode`, in Java's or JavaScript's syntax.
///
/// Recursive descent over the pattern's scalars. Group nesting (the only recursion) is limited to
/// `maximumDepth`, so a hostile pattern ends in an error instead of a stack overflow.
struct RegexParser {
  /// The deepest nesting of groups (and of Java's nested classes).
  static let maximumDepth = 200
  /// The most capture groups a pattern may have.
  static let maximumCaptureGroups = 256
  /// The largest count in `{n,m}`.
  static let maximumRepetitionCount = 100_000

  private let scalars: [Unicode.Scalar]
  private let pattern: String
  private let flavor: RegularExpression.Flavor
  private var flags: RegularExpression.Options
  private var position = 0
  private var depth = 0
  /// The number of capture groups read so far.
  private(set) var captureCount = 0
  /// The name of each capture group (index 0 is group 1), nil when unnamed.
  private(set) var captureNames: [String?] = []

  init(pattern: String, flavor: RegularExpression.Flavor, options: RegularExpression.Options) {
    self.pattern = pattern
    self.scalars = Array(pattern.unicodeScalars)
    self.flavor = flavor
    self.flags = options
  }

  /// Reads the whole pattern.
  mutating func parse() throws(RegexSyntaxError) -> RegexNode {
    if flavor == .javaScript {
      if flags.contains(.comments) {
        throw fail("the x (comments) flag does not exist in JavaScript", at: 0)
      }
      if flags.contains(.unixLines) {
        throw fail("the d (UNIX lines) flag does not exist in JavaScript", at: 0)
      }
    }
    let node = try parseAlternation()
    if position < scalars.count {
      throw fail("unmatched ')'")
    }
    return node
  }

  // MARK: - Structure

  private mutating func parseAlternation() throws(RegexSyntaxError) -> RegexNode {
    var branches = [try parseConcatenation()]
    while peek() == "|" {
      position += 1
      branches.append(try parseConcatenation())
    }
    return branches.count == 1 ? branches[0] : .alternation(branches)
  }

  private mutating func parseConcatenation() throws(RegexSyntaxError) -> RegexNode {
    var items: [RegexNode] = []
    while true {
      skipIgnorable()
      guard let scalar = peek(), scalar != "|", scalar != ")" else { break }
      let capturesBefore = captureCount
      var atom: RegexNode
      if flavor == .java, scalar == "\\", peek(1) == "Q" {
        let quoted = readQuotation()
        guard let last = quoted.last else { continue }
        items.append(contentsOf: quoted.dropLast().map { literal($0) })
        atom = literal(last)
      } else {
        guard let parsed = try parseAtom() else { continue }
        atom = parsed
      }
      if let repetition = try parseQuantifier(captures: capturesBefore..<captureCount) {
        if case .assertion = atom {
          throw fail("nothing to repeat: an anchor cannot be quantified", at: repetition.offset)
        }
        atom = .repetition(atom, repetition)
      }
      items.append(atom)
    }
    switch items.count {
    case 0: return .empty
    case 1: return items[0]
    default: return .concatenation(items)
    }
  }

  /// One atom, or nil for a construct that only changes flags (`(?i)`).
  private mutating func parseAtom() throws(RegexSyntaxError) -> RegexNode? {
    guard let scalar = peek() else { return nil }
    switch scalar {
    case "(":
      return try parseGroup()
    case "[":
      let item = try parseClass()
      return .characterClass(CharacterClass(item: item, caseMode: caseMode))
    case ".":
      position += 1
      if flags.contains(.dotMatchesLineTerminators) { return .anyScalar }
      let terminators: ScalarSet
      switch lineTerminators {
      case .java: terminators = PredefinedSets.javaLineTerminators
      case .unix: terminators = PredefinedSets.unixLineTerminators
      case .javaScript: terminators = PredefinedSets.javaScriptLineTerminators
      }
      return .characterClass(
        CharacterClass(item: .complement(.predefined(terminators)), caseMode: .sensitive))
    case "^":
      position += 1
      return .assertion(
        flags.contains(.multiline) ? .startOfLine(lineTerminators) : .startOfInput)
    case "$":
      position += 1
      if flags.contains(.multiline) { return .assertion(.endOfLine(lineTerminators)) }
      return .assertion(
        flavor == .java ? .endOfInputOrFinalTerminator(lineTerminators) : .endOfInput)
    case "\\":
      switch try parseEscape(inClass: false) {
      case .scalar(let value): return literal(value)
      case .set(let item): return .characterClass(CharacterClass(item: item, caseMode: caseMode))
      case .assertion(let assertion): return .assertion(assertion)
      }
    case "*", "+", "?":
      throw fail("nothing to repeat before '\(scalar)'")
    case "{":
      if flavor == .java || flags.contains(.unicode) || isCountedQuantifier(at: position) {
        throw fail("nothing to repeat before '{'; write '\\{' for a brace")
      }
      position += 1
      return literal(scalar)
    case "]", "}":
      if flavor == .javaScript, flags.contains(.unicode) {
        throw fail("a lone '\(scalar)' must be escaped with the u flag")
      }
      position += 1
      return literal(scalar)
    default:
      position += 1
      return literal(scalar)
    }
  }

  private mutating func parseGroup() throws(RegexSyntaxError) -> RegexNode? {
    let open = position
    position += 1
    var capture: Int?
    let savedFlags = flags
    if peek() == "?" {
      position += 1
      switch peek() {
      case ":":
        position += 1
      case "=", "!":
        throw fail(
          "lookahead assertions ('(?=' and '(?!') are not supported: they need backtracking",
          at: open)
      case ">":
        throw fail("atomic groups ('(?>') are not supported", at: open)
      case "<":
        if peek(1) == "=" || peek(1) == "!" {
          throw fail(
            "lookbehind assertions ('(?<=' and '(?<!') are not supported: they need backtracking",
            at: open)
        }
        position += 1
        let name = try parseGroupName()
        capture = try newCapture(named: name, at: open)
      default:
        guard flavor == .java else {
          throw fail("unknown group syntax after '(?'", at: open)
        }
        if try parseInlineFlags() {
          return nil
        }
      }
    } else {
      capture = try newCapture(named: nil, at: open)
    }
    depth += 1
    defer { depth -= 1 }
    if depth > Self.maximumDepth {
      throw fail("groups are nested more than \(Self.maximumDepth) deep", at: open)
    }
    let body = try parseAlternation()
    guard peek() == ")" else {
      throw fail("'(' is not closed; expected ')'", at: open)
    }
    position += 1
    flags = savedFlags
    return .group(body, capture: capture)
  }

  /// Java's `(?idmsux-idmsux)` (returns true: the flags hold to the end of the enclosing group)
  /// or `(?idmsux-idmsux:` (returns false: the flags hold inside the group that follows).
  private mutating func parseInlineFlags() throws(RegexSyntaxError) -> Bool {
    var enabling = true
    while let scalar = peek() {
      position += 1
      let flag: RegularExpression.Options
      switch scalar {
      case ")": return true
      case ":": return false
      case "-":
        enabling = false
        continue
      case "i": flag = .ignoreCase
      case "m": flag = .multiline
      case "s": flag = .dotMatchesLineTerminators
      case "u": flag = .unicode
      case "x": flag = .comments
      case "d": flag = .unixLines
      case "U":
        throw fail("the U flag (Unicode character classes) is not supported", at: position - 1)
      default:
        throw fail("unknown inline flag '\(scalar)'", at: position - 1)
      }
      if enabling { flags.insert(flag) } else { flags.remove(flag) }
    }
    throw fail("the inline flags are not closed; expected ')' or ':'")
  }

  private mutating func parseGroupName() throws(RegexSyntaxError) -> String {
    let start = position
    var name = String.UnicodeScalarView()
    while let scalar = peek(), scalar != ">" {
      let isLetter = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
      let isDigit = scalar >= "0" && scalar <= "9"
      let allowed: Bool
      switch flavor {
      case .java: allowed = isLetter || (isDigit && !name.isEmpty)
      case .javaScript:
        allowed =
          isLetter || scalar == "_" || scalar == "$" || (isDigit && !name.isEmpty)
          || (!scalar.isASCII && scalar.properties.isIDContinue)
      }
      guard allowed else { throw fail("'\(scalar)' cannot be part of a group name") }
      name.append(scalar)
      position += 1
    }
    guard peek() == ">" else { throw fail("the group name is not closed; expected '>'", at: start) }
    guard !name.isEmpty else { throw fail("a group name must not be empty", at: start) }
    position += 1
    return String(name)
  }

  private mutating func newCapture(named name: String?, at offset: Int) throws(RegexSyntaxError)
    -> Int
  {
    if let name, captureNames.contains(name) {
      throw fail("the group name '\(name)' is used twice", at: offset)
    }
    guard captureCount < Self.maximumCaptureGroups else {
      throw fail("a pattern may have at most \(Self.maximumCaptureGroups) groups", at: offset)
    }
    captureCount += 1
    captureNames.append(name)
    return captureCount
  }

  // MARK: - Quantifiers

  private mutating func parseQuantifier(captures: Range<Int>) throws(RegexSyntaxError)
    -> Repetition?
  {
    skipIgnorable()
    let start = position
    guard let scalar = peek() else { return nil }
    var minimum: Int
    var maximum: Int?
    switch scalar {
    case "*":
      minimum = 0
      position += 1
    case "+":
      minimum = 1
      position += 1
    case "?":
      minimum = 0
      maximum = 1
      position += 1
    case "{":
      guard let counts = try parseCounts() else { return nil }
      (minimum, maximum) = counts
    default:
      return nil
    }
    skipIgnorable()
    var greedy = true
    if peek() == "?" {
      greedy = false
      position += 1
    } else if flavor == .java, peek() == "+" {
      throw fail("possessive quantifiers ('*+', '++', '?+', '{n}+') are not supported", at: start)
    }
    skipIgnorable()
    if let next = peek(), next == "*" || next == "+" || next == "?" {
      throw fail("nothing to repeat before '\(next)': a quantifier cannot follow a quantifier")
    }
    if peek() == "{",
      flavor == .java || flags.contains(.unicode) || isCountedQuantifier(at: position)
    {
      throw fail("nothing to repeat before '{': a quantifier cannot follow a quantifier")
    }
    return Repetition(
      minimum: minimum, maximum: maximum, greedy: greedy, captures: captures, offset: start)
  }

  /// Whether `{n}`, `{n,}` or `{n,m}` starts at `offset`.
  private func isCountedQuantifier(at offset: Int) -> Bool {
    var index = offset + 1
    var digits = 0
    while index < scalars.count, isDigit(scalars[index]) {
      index += 1
      digits += 1
    }
    guard digits > 0, index < scalars.count else { return false }
    if scalars[index] == "}" { return true }
    guard scalars[index] == "," else { return false }
    index += 1
    while index < scalars.count, isDigit(scalars[index]) { index += 1 }
    return index < scalars.count && scalars[index] == "}"
  }

  /// `{n}`, `{n,}`, `{n,m}`; nil when JavaScript reads the brace as a literal.
  private mutating func parseCounts() throws(RegexSyntaxError) -> (Int, Int?)? {
    let open = position
    guard isCountedQuantifier(at: open) else {
      if flavor == .javaScript, !flags.contains(.unicode) { return nil }
      throw fail(
        "a '{' must start a repetition such as {2}, {2,} or {2,5}; write '\\{' for a brace")
    }
    position += 1
    let minimum = try readCount(at: open)
    var maximum: Int? = minimum
    if peek() == "," {
      position += 1
      maximum = peek() == "}" ? nil : try readCount(at: open)
    }
    position += 1
    if let maximum, maximum < minimum {
      throw fail("the repetition {\(minimum),\(maximum)} is out of order", at: open)
    }
    return (minimum, maximum)
  }

  private mutating func readCount(at open: Int) throws(RegexSyntaxError) -> Int {
    var value = 0
    while let scalar = peek(), isDigit(scalar) {
      value = min(value * 10 + Int(scalar.value - 48), Self.maximumRepetitionCount + 1)
      position += 1
    }
    if value > Self.maximumRepetitionCount {
      throw fail(
        "a repetition count may be at most \(Self.maximumRepetitionCount)", at: open)
    }
    return value
  }

  // MARK: - Character classes

  /// A class `[...]`, at its `[`.
  private mutating func parseClass() throws(RegexSyntaxError) -> ClassItem {
    let open = position
    depth += 1
    defer { depth -= 1 }
    if depth > Self.maximumDepth {
      throw fail("character classes are nested more than \(Self.maximumDepth) deep", at: open)
    }
    position += 1
    var negated = false
    if peek() == "^" {
      negated = true
      position += 1
    }
    var items: [ClassItem] = []
    var intersected: [ClassItem] = []
    var first = true
    while true {
      skipIgnorable()
      guard let scalar = peek() else {
        throw fail("the character class is not closed; expected ']'", at: open)
      }
      if scalar == "]", !(flavor == .java && first) {
        position += 1
        break
      }
      first = false
      if flavor == .java, scalar == "[" {
        items.append(try parseClass())
        continue
      }
      if flavor == .java, scalar == "&", peek(1) == "&" {
        position += 2
        intersected.append(ClassItem.union(of: items))
        items = []
        first = false
        continue
      }
      let start = position
      let atom = try parseClassAtom()
      skipIgnorable()
      guard case .scalar(let low) = atom, peek() == "-", let after = peek(1), after != "]",
        !(flavor == .java && after == "[")
      else {
        switch atom {
        case .scalar(let value): items.append(members(value.value...value.value))
        case .set(let item): items.append(item)
        case .assertion: break
        }
        continue
      }
      position += 1
      skipIgnorable()
      let highStart = position
      guard case .scalar(let high) = try parseClassAtom() else {
        throw fail("a range must end with a character, not a class", at: highStart)
      }
      guard low <= high else {
        throw fail("the range '\(low)-\(high)' is out of order", at: start)
      }
      items.append(members(low.value...high.value))
    }
    var item = ClassItem.union(of: items)
    if !intersected.isEmpty { item = .intersection(intersected + [item]) }
    return negated ? .complement(item) : item
  }

  private mutating func parseClassAtom() throws(RegexSyntaxError) -> Escape {
    guard let scalar = peek() else {
      throw fail("the character class is not closed; expected ']'")
    }
    if scalar == "\\" { return try parseEscape(inClass: true) }
    position += 1
    return .scalar(scalar)
  }

  private func members(_ range: ClosedRange<UInt32>) -> ClassItem {
    .members(caseMode.closure(of: ScalarSet([range])))
  }

  // MARK: - Escapes

  /// What an escape stands for.
  private enum Escape {
    case scalar(Unicode.Scalar)
    case set(ClassItem)
    case assertion(RegexAssertion)
  }

  private mutating func parseEscape(inClass: Bool) throws(RegexSyntaxError) -> Escape {
    let start = position
    position += 1
    guard let letter = peek() else {
      throw fail("the pattern ends with a lone '\\'", at: start)
    }
    position += 1
    let java = flavor == .java
    switch letter {
    case "t": return .scalar("\t")
    case "n": return .scalar("\n")
    case "r": return .scalar("\r")
    case "f": return .scalar("\u{0C}")
    case "v":
      return java ? .set(.predefined(PredefinedSets.javaVerticalSpace)) : .scalar("\u{0B}")
    case "V" where java: return .set(.complement(.predefined(PredefinedSets.javaVerticalSpace)))
    case "h" where java: return .set(.predefined(PredefinedSets.javaHorizontalSpace))
    case "H" where java:
      return .set(.complement(.predefined(PredefinedSets.javaHorizontalSpace)))
    case "a" where java: return .scalar("\u{07}")
    case "e" where java: return .scalar("\u{1B}")
    case "d": return .set(.predefined(PredefinedSets.digits))
    case "D": return .set(.complement(.predefined(PredefinedSets.digits)))
    case "w": return .set(.predefined(PredefinedSets.word))
    case "W": return .set(.complement(.predefined(PredefinedSets.word)))
    case "s": return .set(.predefined(space))
    case "S": return .set(.complement(.predefined(space)))
    case "0":
      return .scalar(try parseZeroEscape(at: start))
    case "1"..."9":
      if inClass {
        throw fail("octal escapes such as '\\\(letter)' are not supported; use '\\x'", at: start)
      }
      throw fail(
        "backreferences ('\\\(letter)') are not supported: they need backtracking", at: start)
    case "x":
      return .scalar(try parseHexEscape(at: start))
    case "u":
      return .scalar(try parseUnicodeEscape(at: start))
    case "c":
      guard let control = peek(),
        (control >= "a" && control <= "z") || (control >= "A" && control <= "Z")
      else {
        throw fail("'\\c' must be followed by a letter", at: start)
      }
      position += 1
      return .scalar(Unicode.Scalar(UInt8(control.value % 32)))
    case "p", "P":
      guard java || flags.contains(.unicode) else {
        throw fail(
          "'\\\(letter)' needs the u flag in JavaScript (without it, it means the letter)",
          at: start)
      }
      let item = try parseProperty(at: start)
      return .set(letter == "P" ? .complement(item) : item)
    case "b":
      if inClass {
        if java { throw fail("'\\b' is not allowed in a character class", at: start) }
        return .scalar("\u{08}")
      }
      return .assertion(.wordBoundary)
    case "B" where !inClass:
      return .assertion(.notWordBoundary)
    case "A" where java && !inClass: return .assertion(.startOfInput)
    case "z" where java && !inClass: return .assertion(.endOfInput)
    case "Z" where java && !inClass:
      return .assertion(.endOfInputOrFinalTerminator(lineTerminators))
    case "k":
      throw fail(
        "named backreferences ('\\k<name>') are not supported: they need backtracking",
        at: start)
    case "G", "R", "X", "N", "Q", "E":
      if java {
        throw fail("the escape '\\\(letter)' is not supported", at: start)
      }
      throw fail("unknown escape '\\\(letter)'", at: start)
    default:
      let alphanumeric =
        (letter >= "a" && letter <= "z") || (letter >= "A" && letter <= "Z") || isDigit(letter)
      if alphanumeric {
        throw fail("unknown escape '\\\(letter)'", at: start)
      }
      if flavor == .javaScript, flags.contains(.unicode),
        !"^$\\.*+?()[]{}|/".unicodeScalars.contains(letter), !(inClass && letter == "-")
      {
        throw fail("'\\\(letter)' is not a valid escape with the u flag", at: start)
      }
      return .scalar(letter)
    }
  }

  private var space: ScalarSet {
    flavor == .java ? PredefinedSets.javaSpace : PredefinedSets.javaScriptSpace
  }

  /// `\0`: Java's octal `\0n`, `\0nn`, `\0mnn`; JavaScript's NUL.
  private mutating func parseZeroEscape(at start: Int) throws(RegexSyntaxError) -> Unicode.Scalar {
    func octal(_ scalar: Unicode.Scalar?) -> UInt32? {
      guard let scalar, scalar >= "0", scalar <= "7" else { return nil }
      return scalar.value - 48
    }
    switch flavor {
    case .javaScript:
      if let next = peek(), isDigit(next) {
        throw fail("legacy octal escapes such as '\\0\(next)' are not supported", at: start)
      }
      return "\0"
    case .java:
      guard let first = octal(peek()) else {
        throw fail("'\\0' must be followed by octal digits", at: start)
      }
      position += 1
      var value = first
      if let second = octal(peek()) {
        position += 1
        value = value * 8 + second
        if first <= 3, let third = octal(peek()) {
          position += 1
          value = value * 8 + third
        }
      }
      return Unicode.Scalar(UInt8(value))
    }
  }

  /// `\xhh`, and Java's `\x{h...}`.
  private mutating func parseHexEscape(at start: Int) throws(RegexSyntaxError) -> Unicode.Scalar {
    if flavor == .java, peek() == "{" {
      position += 1
      let value = try readHex(count: nil, at: start)
      guard peek() == "}" else { throw fail("'\\x{' is not closed; expected '}'", at: start) }
      position += 1
      return try scalar(value, at: start)
    }
    return try scalar(try readHex(count: 2, at: start), at: start)
  }

  /// `\uhhhh` (two of them for a surrogate pair), and JavaScript's `\u{h...}` with the u flag.
  private mutating func parseUnicodeEscape(at start: Int) throws(RegexSyntaxError)
    -> Unicode.Scalar
  {
    if peek() == "{" {
      guard flavor == .javaScript, flags.contains(.unicode) else {
        throw fail("'\\u{...}' needs the u flag; write '\\uhhhh'", at: start)
      }
      position += 1
      let value = try readHex(count: nil, at: start)
      guard peek() == "}" else { throw fail("'\\u{' is not closed; expected '}'", at: start) }
      position += 1
      return try scalar(value, at: start)
    }
    let value = try readHex(count: 4, at: start)
    if (0xD800...0xDBFF).contains(value), peek() == "\\", peek(1) == "u" {
      let resume = position
      position += 2
      if let low = try? readHex(count: 4, at: resume), (0xDC00...0xDFFF).contains(low) {
        return try scalar(0x10000 + (value - 0xD800) << 10 + (low - 0xDC00), at: start)
      }
      position = resume
    }
    return try scalar(value, at: start)
  }

  private mutating func readHex(count: Int?, at start: Int) throws(RegexSyntaxError) -> UInt32 {
    var value: UInt32 = 0
    var digits = 0
    while count.map({ digits < $0 }) ?? true, let scalar = peek(), let digit = hexValue(scalar) {
      guard value <= 0x10_FFFF else {
        throw fail("the escape is beyond U+10FFFF", at: start)
      }
      value = value * 16 + digit
      digits += 1
      position += 1
    }
    if let count, digits != count {
      throw fail("the escape needs \(count) hexadecimal digits", at: start)
    }
    if digits == 0 { throw fail("the escape needs hexadecimal digits", at: start) }
    return value
  }

  private func scalar(_ value: UInt32, at start: Int) throws(RegexSyntaxError) -> Unicode.Scalar {
    if (0xD800...0xDFFF).contains(value) {
      throw fail(
        "the escape is a lone surrogate; text is matched as Unicode scalars, which have none",
        at: start)
    }
    guard let scalar = Unicode.Scalar(value) else {
      throw fail("the escape is beyond U+10FFFF", at: start)
    }
    return scalar
  }

  /// `\p{Name}` / `\pL` after the letter: a general category, and for Java a POSIX class.
  private mutating func parseProperty(at start: Int) throws(RegexSyntaxError) -> ClassItem {
    var name = ""
    if peek() == "{" {
      position += 1
      while let scalar = peek(), scalar != "}" {
        name.unicodeScalars.append(scalar)
        position += 1
      }
      guard peek() == "}" else { throw fail("'\\p{' is not closed; expected '}'", at: start) }
      position += 1
    } else if flavor == .java, let scalar = peek() {
      name.unicodeScalars.append(scalar)
      position += 1
    } else {
      throw fail("'\\p' must be followed by '{'", at: start)
    }
    var category = name
    for prefix in ["General_Category=", "gc=", "general_category=", "Is"]
    where category.hasPrefix(prefix) && (flavor == .java || prefix != "Is") {
      category.removeFirst(prefix.count)
    }
    if let mask = GeneralCategories.mask(named: category) { return .categories(mask) }
    if flavor == .java, let set = PredefinedSets.javaPOSIX(name) { return .predefined(set) }
    switch name {
    case "Any": return .predefined(ScalarSet([0...ScalarSet.maximumScalar]))
    case "ASCII": return .predefined(ScalarSet([0...0x7F]))
    default:
      throw fail(
        "the Unicode property '\(name)' is not supported (general categories are)", at: start)
    }
  }

  // MARK: - Helpers

  private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
    let index = position + ahead
    return index < scalars.count ? scalars[index] : nil
  }

  private func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }

  private func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
    switch scalar {
    case "0"..."9": return scalar.value - 48
    case "a"..."f": return scalar.value - 87
    case "A"..."F": return scalar.value - 55
    default: return nil
    }
  }

  /// Java's `\Q...\E` after the backslash: the quoted scalars.
  private mutating func readQuotation() -> [Unicode.Scalar] {
    position += 2
    var quoted: [Unicode.Scalar] = []
    while let scalar = peek() {
      if scalar == "\\", peek(1) == "E" {
        position += 2
        break
      }
      quoted.append(scalar)
      position += 1
    }
    return quoted
  }

  /// Skips white space and `#` comments in Java's comments mode (`x`).
  private mutating func skipIgnorable() {
    guard flags.contains(.comments) else { return }
    while let scalar = peek() {
      if scalar == " " || ("\t"..."\r").contains(scalar) {
        position += 1
      } else if scalar == "#" {
        while let next = peek(), next != "\n", next != "\r" { position += 1 }
      } else {
        return
      }
    }
  }

  private var caseMode: CaseMode {
    guard flags.contains(.ignoreCase) else { return .sensitive }
    if flags.contains(.unicode) { return .unicode }
    return flavor == .java ? .ascii : .javaScript
  }

  private var lineTerminators: LineTerminators {
    switch flavor {
    case .java: return flags.contains(.unixLines) ? .unix : .java
    case .javaScript: return .javaScript
    }
  }

  /// A literal scalar, as a class of its case variants when the pattern ignores case.
  private func literal(_ scalar: Unicode.Scalar) -> RegexNode {
    let mode = caseMode
    if mode == .sensitive || !scalar.properties.changesWhenCaseMapped { return .scalar(scalar) }
    let set = mode.closure(of: ScalarSet([scalar.value...scalar.value]))
    return .characterClass(CharacterClass(item: .members(set), caseMode: mode))
  }

  private func fail(_ message: String, at offset: Int? = nil) -> RegexSyntaxError {
    RegexSyntaxError(message: message, offset: offset ?? position, pattern: pattern)
  }
}
