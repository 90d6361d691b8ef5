/// How letters compare when a pattern ignores case.
///
/// Each mode maps a scalar to a canonical scalar; two scalars are equal ignoring case when their
/// canonical scalars are equal. The Unicode modes use Swift's case mappings where they map a
/// scalar to one scalar (a mapping to several scalars, as `ß` → `SS`, leaves it unchanged), which
/// approximates Unicode's simple case folding.
enum CaseMode: Sendable, Hashable {
  /// Case matters.
  case sensitive
  /// Java's `CASE_INSENSITIVE` alone: only ASCII letters compare without case.
  case ascii
  /// Java with `UNICODE_CASE`, JavaScript with the `u` flag: lowercase of uppercase.
  case unicode
  /// JavaScript's `i` without `u`: uppercase, except that a non-ASCII scalar never becomes ASCII.
  case javaScript

  /// The scalar `scalar` stands for when case is ignored.
  func canonical(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    switch self {
    case .sensitive:
      return scalar
    case .ascii:
      return Self.asciiLowercase(scalar)
    case .unicode:
      if scalar.isASCII { return Self.asciiLowercase(scalar) }
      return Self.lowercase(Self.uppercase(scalar))
    case .javaScript:
      if scalar.isASCII { return Self.asciiUppercase(scalar) }
      let upper = Self.uppercase(scalar)
      return upper.isASCII ? scalar : upper
    }
  }

  /// The scalars that share a canonical scalar with a member of `set`, added to `set`.
  func closure(of set: ScalarSet) -> ScalarSet {
    if self == .sensitive { return set }
    var added: [ClosedRange<UInt32>] = []
    for range in set.ranges {
      let upper = self == .ascii ? min(range.upperBound, 0x7F) : min(range.upperBound, 0x1_FFFF)
      guard range.lowerBound <= upper else { continue }
      for value in range.lowerBound...upper {
        guard let scalar = Unicode.Scalar(value) else { continue }
        if !scalar.isASCII, !scalar.properties.changesWhenCaseMapped { continue }
        let folded = canonical(scalar)
        if folded != scalar { added.append(folded.value...folded.value) }
      }
    }
    return added.isEmpty ? set : set.union(ScalarSet(added))
  }

  static func asciiLowercase(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    guard scalar.value >= 0x41, scalar.value <= 0x5A else { return scalar }
    return Unicode.Scalar(UInt8(scalar.value + 0x20))
  }

  static func asciiUppercase(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    guard scalar.value >= 0x61, scalar.value <= 0x7A else { return scalar }
    return Unicode.Scalar(UInt8(scalar.value - 0x20))
  }

  /// The lowercase mapping of `scalar` when it is one scalar, else `scalar`.
  static func lowercase(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    if scalar.isASCII { return asciiLowercase(scalar) }
    return single(scalar.properties.lowercaseMapping) ?? scalar
  }

  /// The uppercase mapping of `scalar` when it is one scalar, else `scalar`.
  static func uppercase(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    if scalar.isASCII { return asciiUppercase(scalar) }
    return single(scalar.properties.uppercaseMapping) ?? scalar
  }

  private static func single(_ mapping: String) -> Unicode.Scalar? {
    var iterator = mapping.unicodeScalars.makeIterator()
    guard let first = iterator.next(), iterator.next() == nil else { return nil }
    return first
  }
}

/// A compiled character class: a set expression over scalars, and how it treats case.
struct CharacterClass: Sendable, Hashable {
  /// The set expression.
  var item: ClassItem
  /// How literal members compare with the text.
  var caseMode: CaseMode

  /// Whether `scalar` is matched by the class.
  func matches(_ scalar: Unicode.Scalar) -> Bool {
    item.contains(scalar, canonical: caseMode.canonical(scalar))
  }
}

/// A set expression in a character class.
///
/// `members` holds the literal scalars and ranges the pattern lists, closed under the class's
/// case mode when it ignores case, and is tested with the canonical scalar; the predefined sets
/// (`\d`, `\w`, `\s`, …) and Unicode categories are tested with the scalar as written.
indirect enum ClassItem: Sendable, Hashable {
  /// Literal members and ranges (closed under the case mode), tested with the canonical scalar.
  case members(ScalarSet)
  /// A predefined set, tested with the scalar itself.
  case predefined(ScalarSet)
  /// Scalars whose general category is in the mask (see `GeneralCategories`).
  case categories(UInt64)
  /// A scalar in any of the items.
  case union([ClassItem])
  /// A scalar in every one of the items.
  case intersection([ClassItem])
  /// A scalar not in the item.
  case complement(ClassItem)

  func contains(_ scalar: Unicode.Scalar, canonical: Unicode.Scalar) -> Bool {
    switch self {
    case .members(let set): return set.contains(canonical.value)
    case .predefined(let set): return set.contains(scalar.value)
    case .categories(let mask): return GeneralCategories.mask(of: scalar) & mask != 0
    case .union(let items): return items.contains { $0.contains(scalar, canonical: canonical) }
    case .intersection(let items):
      return items.allSatisfy { $0.contains(scalar, canonical: canonical) }
    case .complement(let item): return !item.contains(scalar, canonical: canonical)
    }
  }

  /// The union of `items`, with the literal members merged into one set.
  static func union(of items: [ClassItem]) -> ClassItem {
    var members = ScalarSet()
    var hasMembers = false
    var others: [ClassItem] = []
    for item in items {
      switch item {
      case .members(let set):
        members = members.union(set)
        hasMembers = true
      case .union(let nested):
        others.append(contentsOf: nested)
      default:
        others.append(item)
      }
    }
    if hasMembers { others.insert(.members(members), at: 0) }
    if others.count == 1, let only = others.first { return only }
    return .union(others)
  }
}

/// The sets behind `\d`, `\w`, `\s`, `.` and friends, per flavour.
enum PredefinedSets {
  static let digits = ScalarSet("0", "9")
  static let word = ScalarSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
  /// Java's `\s`: `[ \t\n\x0B\f\r]`.
  static let javaSpace = ScalarSet([0x09...0x0D, 0x20...0x20])
  /// JavaScript's `\s`: white space and line terminators.
  static let javaScriptSpace = ScalarSet([
    0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A,
    0x2028...0x2029, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
  ])
  /// Java's `\h`: horizontal white space.
  static let javaHorizontalSpace = ScalarSet([
    0x09...0x09, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x180E...0x180E,
    0x2000...0x200A, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000,
  ])
  /// Java's `\v`: vertical white space.
  static let javaVerticalSpace = ScalarSet([
    0x0A...0x0D, 0x85...0x85, 0x2028...0x2029,
  ])
  /// Java's line terminators (what `.` does not match, where `^` and `$` see line ends).
  static let javaLineTerminators = ScalarSet([
    0x0A...0x0A, 0x0D...0x0D, 0x85...0x85, 0x2028...0x2029,
  ])
  /// Java's line terminator in `UNIX_LINES` mode.
  static let unixLineTerminators = ScalarSet([0x0A...0x0A])
  /// JavaScript's line terminators.
  static let javaScriptLineTerminators = ScalarSet([
    0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029,
  ])

  /// Java's POSIX classes (`\p{Alpha}`…), all ASCII.
  static func javaPOSIX(_ name: String) -> ScalarSet? {
    switch name {
    case "Lower": return ScalarSet("a", "z")
    case "Upper": return ScalarSet("A", "Z")
    case "ASCII": return ScalarSet([0...0x7F])
    case "Alpha": return ScalarSet([0x41...0x5A, 0x61...0x7A])
    case "Digit": return digits
    case "Alnum": return ScalarSet([0x30...0x39, 0x41...0x5A, 0x61...0x7A])
    case "Punct": return ScalarSet([0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E])
    case "Graph": return ScalarSet([0x21...0x7E])
    case "Print": return ScalarSet([0x20...0x7E])
    case "Blank": return ScalarSet([0x09...0x09, 0x20...0x20])
    case "Cntrl": return ScalarSet([0...0x1F, 0x7F...0x7F])
    case "XDigit": return ScalarSet([0x30...0x39, 0x41...0x46, 0x61...0x66])
    case "Space": return javaSpace
    default: return nil
    }
  }
}

/// Unicode general categories as bits of a mask, and their names.
enum GeneralCategories {
  private static let all: [(short: String, long: String, category: Unicode.GeneralCategory)] = [
    ("Lu", "Uppercase_Letter", .uppercaseLetter), ("Ll", "Lowercase_Letter", .lowercaseLetter),
    ("Lt", "Titlecase_Letter", .titlecaseLetter), ("Lm", "Modifier_Letter", .modifierLetter),
    ("Lo", "Other_Letter", .otherLetter), ("Mn", "Nonspacing_Mark", .nonspacingMark),
    ("Mc", "Spacing_Mark", .spacingMark), ("Me", "Enclosing_Mark", .enclosingMark),
    ("Nd", "Decimal_Number", .decimalNumber), ("Nl", "Letter_Number", .letterNumber),
    ("No", "Other_Number", .otherNumber), ("Pc", "Connector_Punctuation", .connectorPunctuation),
    ("Pd", "Dash_Punctuation", .dashPunctuation), ("Ps", "Open_Punctuation", .openPunctuation),
    ("Pe", "Close_Punctuation", .closePunctuation),
    ("Pi", "Initial_Punctuation", .initialPunctuation),
    ("Pf", "Final_Punctuation", .finalPunctuation), ("Po", "Other_Punctuation", .otherPunctuation),
    ("Sm", "Math_Symbol", .mathSymbol), ("Sc", "Currency_Symbol", .currencySymbol),
    ("Sk", "Modifier_Symbol", .modifierSymbol), ("So", "Other_Symbol", .otherSymbol),
    ("Zs", "Space_Separator", .spaceSeparator), ("Zl", "Line_Separator", .lineSeparator),
    ("Zp", "Paragraph_Separator", .paragraphSeparator), ("Cc", "Control", .control),
    ("Cf", "Format", .format), ("Cs", "Surrogate", .surrogate), ("Co", "Private_Use", .privateUse),
    ("Cn", "Unassigned", .unassigned),
  ]
  private static let groups: [(short: String, long: String)] = [
    ("L", "Letter"), ("M", "Mark"), ("N", "Number"), ("P", "Punctuation"), ("S", "Symbol"),
    ("Z", "Separator"), ("C", "Other"),
  ]

  /// The bit of the category of `scalar`.
  static func mask(of scalar: Unicode.Scalar) -> UInt64 {
    bits[scalar.properties.generalCategory] ?? 0
  }

  private static let bits: [Unicode.GeneralCategory: UInt64] = Dictionary(
    uniqueKeysWithValues: all.enumerated().map { ($0.element.category, 1 << UInt64($0.offset)) })

  /// The mask for a category name (`Lu`, `L`, `Uppercase_Letter`, `Letter`), or nil.
  static func mask(named name: String) -> UInt64? {
    var mask: UInt64 = 0
    for (index, entry) in all.enumerated() {
      let matchesGroup = groups.contains {
        ($0.short == name || $0.long == name) && entry.short.hasPrefix($0.short)
      }
      if entry.short == name || entry.long == name || matchesGroup { mask |= 1 << UInt64(index) }
    }
    if name == "LC" || name == "Cased_Letter" {
      mask = (1 << 0) | (1 << 1) | (1 << 2)
    }
    return mask == 0 ? nil : mask
  }
}
