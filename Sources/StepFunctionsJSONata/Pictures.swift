import Foundation

/// Integer picture strings (XPath F&O `format-integer`) for `$formatInteger`/`$parseInteger`
/// and the integer components of date-time pictures.
enum IntegerPicture {
  enum Primary: Equatable {
    case letters(uppercase: Bool)
    case roman(uppercase: Bool)
    case words(WordCase)
    case decimal(
      zero: UInt32, mandatory: Int, optional: Int, groups: [(position: Int, separator: String)],
      regular: Int?)
    static func == (a: Primary, b: Primary) -> Bool { "\(a)" == "\(b)" }
  }
  enum WordCase { case lower, upper, title }

  struct Format {
    var primary: Primary
    var ordinal: Bool

    /// The number of mandatory digits of a decimal picture (nil for other kinds).
    var mandatoryDigits: Int? {
      if case .decimal(_, let mandatory, _, _, _) = primary { return mandatory }
      return nil
    }

    /// The number of optional digits (`#`) of a decimal picture (nil for other kinds).
    var optionalDigits: Int? {
      if case .decimal(_, _, let optional, _, _) = primary { return optional }
      return nil
    }

    /// Sets the number of mandatory digits of a decimal picture (no effect on other kinds).
    mutating func setMandatoryDigits(_ count: Int) {
      if case .decimal(let zero, _, let optional, let groups, let regular) = primary {
        primary = .decimal(
          zero: zero, mandatory: count, optional: optional, groups: groups, regular: regular)
      }
    }
  }

  static let few = [
    "Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
    "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen",
    "Nineteen",
  ]
  static let ordinals = [
    "Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth",
    "Tenth", "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth",
    "Seventeenth", "Eighteenth", "Nineteenth",
  ]
  static let decades = [
    "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred",
  ]
  static let magnitudes = ["Thousand", "Million", "Billion", "Trillion"]

  /// The decimal value of a digit scalar and its family's zero, when it is a decimal digit.
  static func digit(_ scalar: Unicode.Scalar) -> (value: UInt32, zero: UInt32)? {
    guard scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue
    else { return nil }
    let digit = UInt32(value)
    return (digit, scalar.value - digit)
  }

  static func analyse(_ picture: String) throws -> Format {
    var primaryText = picture
    var ordinal = false
    if let semicolon = picture.lastIndex(of: ";") {
      primaryText = String(picture[..<semicolon])
      let modifier = picture[picture.index(after: semicolon)...]
      if modifier.hasPrefix("o") { ordinal = true }
    }
    switch primaryText {
    case "A": return Format(primary: .letters(uppercase: true), ordinal: ordinal)
    case "a": return Format(primary: .letters(uppercase: false), ordinal: ordinal)
    case "I": return Format(primary: .roman(uppercase: true), ordinal: ordinal)
    case "i": return Format(primary: .roman(uppercase: false), ordinal: ordinal)
    case "W": return Format(primary: .words(.upper), ordinal: ordinal)
    case "w": return Format(primary: .words(.lower), ordinal: ordinal)
    case "Ww": return Format(primary: .words(.title), ordinal: ordinal)
    default: break
    }
    var zero: UInt32? = nil
    var mandatory = 0
    var optional = 0
    var separators: [(offsetFromStart: Int, separator: String)] = []
    var digitsSeen = 0
    for scalar in primaryText.unicodeScalars {
      if let (_, family) = digit(scalar) {
        if let zero, zero != family { throw JSONataError(code: "D3131") }
        zero = family
        mandatory += 1
        digitsSeen += 1
      } else if scalar == "#" {
        optional += 1
        digitsSeen += 1
      } else {
        separators.append((digitsSeen, String(scalar)))
      }
    }
    guard mandatory > 0 else {
      throw JSONataError(
        code: "D3130", value: .string(primaryText),
        message:
          "Formatting or parsing an integer as a sequence starting with \(primaryText) is not supported by this implementation"
      )
    }
    let total = digitsSeen
    let groups = separators.map { (position: total - $0.offsetFromStart, separator: $0.separator) }
      .filter { $0.position > 0 }
    var regular: Int? = nil
    if let first = groups.last?.position, !groups.isEmpty {
      let sameSeparator = Set(groups.map(\.separator)).count == 1
      let positions = groups.map(\.position).sorted()
      var isRegular = sameSeparator
      for (index, position) in positions.enumerated() where position != first * (index + 1) {
        isRegular = false
      }
      if isRegular { regular = first }
    }
    return Format(
      primary: .decimal(
        zero: zero ?? 0x30, mandatory: mandatory, optional: optional, groups: groups,
        regular: regular), ordinal: ordinal)
  }

  static func format(_ value: Double, picture: String) throws -> String {
    let format = try analyse(picture)
    return formatInteger(value.rounded(.down), format)
  }

  static func formatInteger(_ value: Double, _ format: Format) -> String {
    let negative = value < 0
    let whole = value.magnitude
    let magnitude = UInt64(Swift.min(whole, 1.8e19))
    var text: String
    switch format.primary {
    case .letters(let uppercase):
      text = letters(magnitude, uppercase ? "A" : "a")
    case .roman(let uppercase):
      text = roman(magnitude)
      if !uppercase { text = text.lowercased() }
    case .words(let wordCase):
      text = words(whole, ordinal: format.ordinal)
      switch wordCase {
      case .lower: text = text.lowercased()
      case .upper: text = text.uppercased()
      case .title: break
      }
    case .decimal(let zero, let mandatory, _, let groups, let regular):
      var digits = whole < 1e19 ? String(magnitude) : Functions.formatNumber(whole)
      if digits.count < mandatory {
        digits = String(repeating: "0", count: mandatory - digits.count) + digits
      }
      if zero != 0x30 {
        digits = String(
          String.UnicodeScalarView(
            digits.unicodeScalars.compactMap { Unicode.Scalar($0.value - 0x30 + zero) }))
      }
      var characters = Array(digits)
      if let regular, let separator = groups.first?.separator {
        var position = regular
        while position < characters.count {
          characters.insert(contentsOf: separator, at: characters.count - position)
          position += regular + separator.count
        }
      } else {
        var result = characters
        for group in groups.sorted(by: { $0.position < $1.position }) {
          let index = characters.count - group.position
          if index > 0, index <= characters.count {
            result.insert(contentsOf: group.separator, at: index)
          }
        }
        characters = result
      }
      text = String(characters)
      if format.ordinal { text += suffix(magnitude) }
    }
    return negative ? "-" + text : text
  }

  static func suffix(_ value: UInt64) -> String {
    let lastTwo = value % 100
    if lastTwo >= 11, lastTwo <= 13 { return "th" }
    switch value % 10 {
    case 1: return "st"
    case 2: return "nd"
    case 3: return "rd"
    default: return "th"
    }
  }

  static func letters(_ value: UInt64, _ a: Unicode.Scalar) -> String {
    var value = value
    var scalars: [Unicode.Scalar] = []
    while value > 0 {
      scalars.insert(Unicode.Scalar(UInt8((value - 1) % 26) + UInt8(a.value)), at: 0)
      value = (value - 1) / 26
    }
    return String(String.UnicodeScalarView(scalars))
  }

  static let romanNumerals: [(UInt64, String)] = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
    (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
  ]

  static func roman(_ value: UInt64) -> String {
    var value = value
    var text = ""
    for (amount, numeral) in romanNumerals {
      while value >= amount {
        text += numeral
        value -= amount
      }
    }
    return text
  }

  static func words(_ value: Double, ordinal: Bool) -> String {
    func lookup(_ number: Double, _ previous: Bool, _ ordinal: Bool) -> String {
      if number <= 19 {
        let index = Int(clampingDouble: number)
        return (previous ? " and " : "") + (ordinal ? ordinals[index] : few[index])
      } else if number < 100 {
        let tens = Int(clampingDouble: (number / 10).rounded(.down))
        let remainder = number.truncatingRemainder(dividingBy: 10)
        var words = (previous ? " and " : "") + decades[tens - 2]
        if remainder > 0 {
          words += "-" + lookup(remainder, false, ordinal)
        } else if ordinal {
          words = String(words.dropLast()) + "ieth"
        }
        return words
      } else if number < 1000 {
        let hundreds = Int(clampingDouble: (number / 100).rounded(.down))
        let remainder = number.truncatingRemainder(dividingBy: 100)
        var words = (previous ? ", " : "") + few[hundreds] + " Hundred"
        if remainder > 0 {
          words += lookup(remainder, true, ordinal)
        } else if ordinal {
          words += "th"
        }
        return words
      } else {
        var magnitude = Int(clampingDouble: (log10(number) / 3).rounded(.down))
        if magnitude > magnitudes.count { magnitude = magnitudes.count }
        let factor = pow(10, Double(magnitude * 3))
        let mantissa = (number / factor).rounded(.down)
        let remainder = number - mantissa * factor
        var words =
          (previous ? ", " : "") + lookup(mantissa, false, false) + " " + magnitudes[magnitude - 1]
        if remainder > 0 {
          words += lookup(remainder, true, ordinal)
        } else if ordinal {
          words += "th"
        }
        return words
      }
    }
    return lookup(value, false, ordinal)
  }

  static let wordValues: [String: Double] = {
    var values: [String: Double] = [:]
    for (index, word) in few.enumerated() { values[word.lowercased()] = Double(index) }
    for (index, word) in ordinals.enumerated() { values[word.lowercased()] = Double(index) }
    for (index, word) in decades.enumerated() {
      let value = index == 8 ? 100 : Double(index + 2) * 10
      values[word.lowercased()] = value
      values[String(word.lowercased().dropLast()) + "ieth"] = value
    }
    values["hundredth"] = 100
    for (index, word) in magnitudes.enumerated() {
      var value: Double = 1
      for _ in 0...index { value *= 1000 }
      values[word.lowercased()] = value
      values[word.lowercased() + "th"] = value
    }
    return values
  }()

  static func parse(_ text: String, picture: String) throws -> Double? {
    let format = try analyse(picture)
    switch format.primary {
    case .letters(let uppercase):
      let a = uppercase ? 0x41 : 0x61
      var value: Double = 0
      for scalar in text.unicodeScalars { value = value * 26 + Double(Int(scalar.value) - a + 1) }
      return value
    case .roman:
      let values: [Character: Double] = [
        "M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1,
      ]
      var decimal: Double = 0
      var maximum: Double = 1
      for character in text.uppercased().reversed() {
        let value = values[character] ?? 0
        if value < maximum {
          decimal -= value
        } else {
          maximum = value
          decimal += value
        }
      }
      return decimal
    case .words:
      let lowered = text.lowercased()
      var parts: [String] = []
      var current = ""
      let characters = Array(lowered)
      var index = 0
      while index < characters.count {
        let character = characters[index]
        if character == "," || character == " " || character == "-" {
          if !current.isEmpty { parts.append(current) }
          current = ""
        } else {
          current.append(character)
        }
        index += 1
      }
      if !current.isEmpty { parts.append(current) }
      var segments: [Double] = [0]
      for part in parts where part != "and" {
        let value = wordValues[part] ?? 0
        if value < 100 {
          var top = segments.popLast() ?? 0
          if top >= 1000 {
            segments.append(top)
            top = 0
          }
          segments.append(top + value)
        } else {
          segments.append((segments.popLast() ?? 0) * value)
        }
      }
      return segments.reduce(0, +)
    case .decimal(let zero, _, _, _, _):
      var digits = ""
      var negative = false
      for scalar in text.unicodeScalars {
        if scalar == "-", digits.isEmpty {
          negative = true
        } else if let (value, family) = digit(scalar), family == zero {
          digits += String(value)
        }
      }
      guard let value = Double(digits) else { return nil }
      return negative ? -value : value
    }
  }
}
