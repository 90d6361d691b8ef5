import Foundation
import StepFunctionsRegex

/// Date-time picture strings (XPath F&O 3.1 `format-dateTime`, as JSONata 2.0.6 reads them):
/// `$fromMillis`/`$now` format with them and `$toMillis` parses with them.
///
/// Names are English and fixed (no locale), the calendar is the proleptic Gregorian one, and
/// the time zone is an offset such as `+0100`, as in jsonata-js.
enum DatePicture {
  /// The picture jsonata formats with when only a time zone is given.
  static let isoPicture = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]"

  static let dayNames = [
    "", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
  ]
  static let monthNames = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
  ]

  /// The presentation a component has when its marker gives none.
  static let defaultPresentations: [Character: String] = [
    "Y": "1", "M": "1", "D": "1", "d": "1", "F": "n", "W": "1", "w": "1", "X": "1", "x": "1",
    "H": "1", "h": "1", "P": "n", "m": "01", "s": "01", "f": "1", "Z": "01:01", "z": "01:01",
    "C": "n", "E": "n",
  ]

  enum NameCase { case lower, upper, title }

  /// One `[…]` variable marker.
  struct Marker {
    var component: Character
    var presentation1: String
    var presentation2: Character?
    var maximumWidth: Int?
    var names: NameCase?
    var integer: IntegerPicture.Format?
    /// For Y, M and D: the number of digits a year is cut to and a parsed value may have
    /// (jsonata's `n`); -1 when unbounded.
    var digits = -1
  }

  enum Part {
    case literal(String)
    case marker(Marker)
  }

  // MARK: - Analysis

  static func analyse(_ picture: String) throws -> [Part] {
    let characters = Array(picture)
    var parts: [Part] = []
    var start = 0
    var position = 0
    func addLiteral(_ from: Int, _ to: Int) {
      guard to > from else { return }
      let text = String(characters[from..<to]).replacingOccurrences(of: "]]", with: "]")
      parts.append(.literal(text))
    }
    while position < characters.count {
      if characters[position] == "[" {
        if position + 1 < characters.count, characters[position + 1] == "[" {
          addLiteral(start, position)
          parts.append(.literal("["))
          position += 2
          start = position
          continue
        }
        addLiteral(start, position)
        start = position
        guard let close = characters[start...].firstIndex(of: "]") else {
          throw JSONataError(code: "D3135")
        }
        position = close
        let text = String(characters[(start + 1)..<close].filter { !$0.isWhitespace })
        parts.append(.marker(try analyseMarker(text)))
        start = position + 1
      }
      position += 1
    }
    addLiteral(start, position)
    return parts
  }

  static func analyseMarker(_ text: String) throws -> Marker {
    let characters = Array(text)
    guard let component = characters.first else {
      throw JSONataError(code: "D3132", value: .string(""))
    }
    var minimumWidth: Int? = nil
    var maximumWidth: Int? = nil
    var modifier: [Character]
    if let comma = characters.lastIndex(of: ","), comma > 0 {
      let width = characters[(comma + 1)...]
      if let dash = width.firstIndex(of: "-") {
        minimumWidth = parseWidth(String(width[..<dash]))
        maximumWidth = parseWidth(String(width[(dash + 1)...]))
      } else {
        minimumWidth = parseWidth(String(width))
      }
      modifier = Array(characters[1..<comma])
    } else {
      modifier = Array(characters.dropFirst())
    }
    var presentation2: Character? = nil
    let presentation1: String
    if modifier.count == 1 {
      presentation1 = String(modifier)
    } else if let last = modifier.last, modifier.count > 1 {
      if "atco".contains(last) {
        presentation2 = last
        modifier.removeLast()
      }
      presentation1 = String(modifier)
    } else if let standard = defaultPresentations[component] {
      presentation1 = standard
    } else {
      throw JSONataError(
        code: "D3132", value: .string(String(component)),
        message: "Unknown component specifier \(component) in date/time picture string")
    }
    var marker = Marker(
      component: component, presentation1: presentation1, presentation2: presentation2,
      maximumWidth: maximumWidth)
    let first = presentation1.first
    if first == "n" {
      marker.names = .lower
    } else if first == "N" {
      marker.names = presentation1.dropFirst().first == "n" ? .title : .upper
    } else if "YMDdFWwXxHhmsf".contains(component) {
      var pattern = presentation1
      if let presentation2 { pattern += ";" + String(presentation2) }
      var format = try IntegerPicture.analyse(pattern)
      if let minimumWidth, let mandatory = format.mandatoryDigits, mandatory < minimumWidth {
        format.setMandatoryDigits(minimumWidth)
      }
      if "YMD".contains(component) {
        if let maximumWidth {
          marker.digits = maximumWidth
          format.setMandatoryDigits(maximumWidth)
        } else if let mandatory = format.mandatoryDigits, let optional = format.optionalDigits,
          mandatory + optional >= 2
        {
          marker.digits = mandatory + optional
        }
      }
      marker.integer = format
    }
    if component == "Z" || component == "z" {
      marker.integer = try IntegerPicture.analyse(presentation1)
    }
    return marker
  }

  /// The largest width modifier honoured: wider ones are taken as this many characters, so a
  /// picture cannot make a component allocate without bound (jsonata-js would run out of
  /// memory); no date component or name is anywhere near it.
  static let maximumWidth = 1_000

  /// A width: `*` or nothing is unbounded; otherwise a leading integer, at most
  /// ``maximumWidth``.
  static func parseWidth(_ text: String) -> Int? {
    if text.isEmpty || text == "*" { return nil }
    return jsParseInt(text).map { Swift.min(Int(clampingDouble: $0), maximumWidth) }
  }

  /// JavaScript's `parseInt(text)` in base 10: leading white space, a sign, then digits; nil
  /// where JavaScript gives NaN.
  static func jsParseInt(_ text: String) -> Double? {
    var scalars = Substring(text).drop(while: { $0.isWhitespace })
    var sign: Double = 1
    if let first = scalars.first, first == "-" || first == "+" {
      if first == "-" { sign = -1 }
      scalars = scalars.dropFirst()
    }
    let digits = scalars.prefix(while: { $0.isASCII && $0.isNumber })
    guard !digits.isEmpty, let value = Double(digits) else { return nil }
    return sign * value
  }

  // MARK: - Formatting

  /// Formats `millis` with `picture` (the ISO 8601 picture when nil) at the offset `timezone`
  /// (`±hhmm`, UTC when nil); nil when the time is outside JavaScript's date range.
  static func format(_ millis: Double, picture: String?, timezone: String?) throws -> String? {
    var offsetHours: Double = 0
    var offsetMinutes: Double = 0
    if let timezone, let offset = jsParseInt(timezone) {
      offsetHours = (offset / 100).rounded(.down)
      offsetMinutes = offset.truncatingRemainder(dividingBy: 100)
    }
    let parts = try analyse(picture ?? isoPicture)
    guard let moment = Moment(millis: millis + (60 * offsetHours + offsetMinutes) * 60_000)
    else { return nil }
    var result = ""
    for part in parts {
      switch part {
      case .literal(let text): result += text
      case .marker(let marker):
        result += try formatComponent(
          moment, marker, offsetHours: offsetHours, offsetMinutes: offsetMinutes)
      }
    }
    return result
  }

  static func formatComponent(
    _ moment: Moment, _ marker: Marker, offsetHours: Double, offsetMinutes: Double
  ) throws -> String {
    let component = marker.component
    if "YMDdFWwXxHhms".contains(component) {
      var value = moment.number(component) ?? 0
      if component == "Y", marker.digits != -1 {
        value = value.truncatingRemainder(dividingBy: pow(10, Double(marker.digits)))
      }
      if let names = marker.names {
        var name: String
        if component == "M" || component == "x" {
          name = monthNames[Int(clampingDouble: value - 1)]
        } else if component == "F" {
          name = dayNames[Int(clampingDouble: value)]
        } else {
          throw JSONataError(
            code: "D3133", value: .string(String(component)),
            message:
              "The 'name' modifier can only be applied to months and days in the date/time picture string, not \(component)"
          )
        }
        switch names {
        case .upper: name = name.uppercased()
        case .lower: name = name.lowercased()
        case .title: break
        }
        if let maximum = marker.maximumWidth, name.count > maximum {
          name = String(name.prefix(Swift.max(0, maximum)))
        }
        return name
      }
      guard let format = marker.integer else { return Functions.formatNumber(value) }
      return IntegerPicture.formatInteger(value, format)
    }
    switch component {
    case "f":
      let value = moment.number("f") ?? 0
      guard let format = marker.integer else { return Functions.formatNumber(value) }
      return IntegerPicture.formatInteger(value, format)
    case "Z", "z":
      let offset = offsetHours * 100 + offsetMinutes
      var text: String
      guard let format = marker.integer else { return "" }
      if case .decimal(_, let mandatory, _, _, let regular) = format.primary {
        if regular != nil {
          text = IntegerPicture.formatInteger(offset, format)
        } else if mandatory == 1 || mandatory == 2 {
          text = IntegerPicture.formatInteger(offsetHours, format)
          if offsetMinutes != 0 {
            text += ":" + (try IntegerPicture.format(offsetMinutes, picture: "00"))
          }
        } else if mandatory == 3 || mandatory == 4 {
          text = IntegerPicture.formatInteger(offset, format)
        } else {
          throw JSONataError(code: "D3134", value: .number(.init(mandatory)))
        }
      } else {
        throw JSONataError(code: "D3134", value: nil)
      }
      if offset >= 0 { text = "+" + text }
      if component == "z" { text = "GMT" + text }
      if offset == 0, marker.presentation2 == "t" { text = "Z" }
      return text
    case "P":
      let text = moment.hour >= 12 ? "pm" : "am"
      return marker.names == .upper ? text.uppercased() : text
    case "C", "E":
      return "ISO"
    default:
      // jsonata-js appends the undefined value of an unknown component as text.
      return "undefined"
    }
  }

  /// A point in time split into the calendar fields the pictures use (UTC after the offset).
  struct Moment {
    let days: Int64
    let year: Int64
    let month: Int64
    let day: Int64
    let hour: Int64
    let minute: Int64
    let second: Int64
    let millisecond: Int64

    /// nil outside JavaScript's date range (±8.64e15 ms).
    init?(millis: Double) {
      guard millis.isFinite, millis.magnitude <= 8.64e15 else { return nil }
      let total = Int64(millis.rounded(.towardZero))
      var days = total / 86_400_000
      var rest = total % 86_400_000
      if rest < 0 {
        rest += 86_400_000
        days -= 1
      }
      self.days = days
      (year, month, day) = DateTime.civil(fromDays: days)
      hour = rest / 3_600_000
      minute = rest / 60_000 % 60
      second = rest / 1000 % 60
      millisecond = rest % 1000
    }

    /// ISO day of the week: 1 (Monday) to 7 (Sunday).
    var weekday: Int64 {
      let sundayBased = ((days + 4) % 7 + 7) % 7
      return sundayBased == 0 ? 7 : sundayBased
    }

    /// The Thursday of this date's ISO week: its year and month own the week.
    var thursday: (days: Int64, year: Int64, month: Int64, day: Int64) {
      let thursday = days - (weekday - 1) + 3
      let (year, month, day) = DateTime.civil(fromDays: thursday)
      return (thursday, year, month, day)
    }

    /// The value of an integer-valued component.
    func number(_ component: Character) -> Double? {
      switch component {
      case "Y": return Double(year)
      case "M": return Double(month)
      case "D": return Double(day)
      case "d": return Double(days - DateTime.days(year: year, month: 1, day: 1) + 1)
      case "F": return Double(weekday)
      case "W":
        let week = thursday
        return Double((week.days - DateTime.days(year: week.year, month: 1, day: 1)) / 7 + 1)
      case "X": return Double(thursday.year)
      case "w": return Double((thursday.day - 1) / 7 + 1)
      case "x": return Double(thursday.month)
      case "H": return Double(hour)
      case "h":
        let twelve = hour % 12
        return Double(twelve == 0 ? 12 : twelve)
      case "m": return Double(minute)
      case "s": return Double(second)
      case "f": return Double(millisecond)
      case "P": return 0
      default: return nil
      }
    }
  }

  // MARK: - Parsing

  /// One capture of the parsing expression: its pattern and how its text becomes a value.
  struct Matcher {
    var pattern: String
    var component: Character?
    var parse: ((String) -> Double?)?
  }

  /// Parses `text` with `picture` as jsonata-js does: the picture becomes a regular expression
  /// (case-insensitive, anchored), each marker's capture a component; missing components
  /// before the first given one come from `now`, those after it are zero. nil when the text
  /// does not match or no component is given.
  static func parse(_ text: String, picture: String, now: Double) throws -> Double? {
    let parts = try analyse(picture)
    let matchers = try parts.map(matcher)
    let pattern = "^" + matchers.map { "(" + $0.pattern + ")" }.joined() + "$"
    let regex: RegularExpression
    do {
      regex = try RegularExpression(pattern, flavor: .javaScript, options: [.ignoreCase])
    } catch {
      throw JSONataError(
        code: "D3136", value: .string(picture),
        message: "The date/time picture string cannot be used to parse a timestamp: \(error)")
    }
    guard let match = regex.wholeMatch(in: text) else { return nil }
    var values: [Character: Double] = [:]
    var anyComponent = false
    for (index, matcher) in matchers.enumerated() {
      guard let component = matcher.component, let parse = matcher.parse else { continue }
      anyComponent = true
      let captured = match[index + 1].map { String(text[$0]) } ?? ""
      if let value = parse(captured) { values[component] = value }
    }
    if !anyComponent { return nil }
    func given(_ component: Character) -> Bool {
      guard let value = values[component] else { return false }
      return value != 0 && !value.isNaN
    }
    func fits(_ type: String, _ order: String) -> Bool {
      // No component outside the type, at least one inside it.
      var inside = false
      for component in order where given(component) {
        if !type.contains(component) { return false }
        inside = true
      }
      return inside
    }
    let dateOrder = "YXMxWwdD"
    let dateA = fits("YMD", dateOrder)
    let dateB = !dateA && fits("Yd", dateOrder)
    let dateC = fits("XxwF", dateOrder)
    let dateD = !dateC && fits("XWF", dateOrder)
    let timeOrder = "PHhmsf"
    let timeA = fits("Hmsf", timeOrder)
    let timeB = !timeA && fits("Phmsf", timeOrder)
    let dateComponents = dateB ? "YD" : dateC ? "XxwF" : dateD ? "XWF" : "YMD"
    let timeComponents = timeB ? "Phmsf" : "Hmsf"
    let current = Moment(millis: now)
    var startSpecified = false
    var endSpecified = false
    for component in dateComponents + timeComponents {
      if values[component] == nil {
        if startSpecified {
          values[component] = "MDd".contains(component) ? 1 : 0
          endSpecified = true
        } else {
          values[component] = current?.number(component) ?? .nan
        }
      } else {
        startSpecified = true
        if endSpecified { throw gapError }
      }
    }
    var month = values["M"] ?? 0
    month = month > 0 ? month - 1 : 0
    var day = values["D"] ?? .nan
    if dateB {
      guard let firstJanuary = utc(values["Y"] ?? .nan, 0, 1, 0, 0, 0, 0),
        let derived = Moment(millis: firstJanuary + ((values["d"] ?? .nan) - 1) * 86_400_000)
      else { return nil }
      month = Double(derived.month - 1)
      day = Double(derived.day)
    }
    if dateC || dateD { throw gapError }
    var hour = values["H"] ?? .nan
    if timeB {
      let twelve = values["h"] ?? .nan
      hour = twelve == 12 ? 0 : twelve
      if values["P"] == 1 { hour += 12 }
    }
    guard
      var millis = utc(
        values["Y"] ?? .nan, month, day, hour, values["m"] ?? .nan, values["s"] ?? .nan,
        values["f"] ?? .nan)
    else { return nil }
    if given("Z") {
      millis -= (values["Z"] ?? 0) * 60_000
    } else if given("z") {
      millis -= (values["z"] ?? 0) * 60_000
    }
    return millis
  }

  static var gapError: JSONataError {
    JSONataError(
      code: "D3136",
      message:
        "The date/time picture string is missing specifiers required to parse the timestamp")
  }

  /// JavaScript's `Date.UTC`: fields are truncated, years 0–99 mean 1900–1999, months and days
  /// past their range carry over. nil for NaN or outside the date range.
  static func utc(
    _ year: Double, _ month: Double, _ day: Double, _ hour: Double, _ minute: Double,
    _ second: Double, _ millisecond: Double
  ) -> Double? {
    let fields = [year, month, day, hour, minute, second, millisecond]
    guard fields.allSatisfy({ $0.isFinite && $0.magnitude < 1e12 }) else { return nil }
    var fullYear = year.rounded(.towardZero)
    if fullYear >= 0, fullYear <= 99 { fullYear += 1900 }
    let wholeMonth = month.rounded(.towardZero)
    let carriedYear = fullYear + (wholeMonth / 12).rounded(.down)
    let monthInYear = wholeMonth - (wholeMonth / 12).rounded(.down) * 12
    guard carriedYear.magnitude < 1e6 else { return nil }
    let firstDay = DateTime.days(
      year: Int64(carriedYear), month: Int64(monthInYear) + 1, day: 1)
    let dayCount = Double(firstDay) + day.rounded(.towardZero) - 1
    let time =
      ((hour.rounded(.towardZero) * 60 + minute.rounded(.towardZero)) * 60
        + second.rounded(.towardZero)) * 1000 + millisecond.rounded(.towardZero)
    let result = dayCount * 86_400_000 + time
    guard result.magnitude <= 8.64e15 else { return nil }
    return result
  }

  /// Characters a literal must escape in a JavaScript regular expression.
  static let special = Set(".*+?^${}()|[]\\/")

  static func escape(_ text: String) -> String {
    var result = ""
    for character in text {
      if special.contains(character) { result += "\\" }
      result.append(character)
    }
    return result
  }

  static func matcher(_ part: Part) throws -> Matcher {
    switch part {
    case .literal(let text):
      return Matcher(pattern: escape(text), component: nil, parse: nil)
    case .marker(let marker):
      let component = marker.component
      if component == "Z" || component == "z" {
        var separator: String? = nil
        if case .decimal(_, _, _, let groups, let regular)? = marker.integer?.primary,
          regular != nil
        {
          separator = groups.first?.separator
        }
        var pattern = component == "z" ? "GMT" : ""
        pattern += "[-+][0-9]+"
        if let separator { pattern += escape(separator) + "[0-9]+" }
        return Matcher(pattern: pattern, component: component) { value in
          var text = value
          if component == "z" { text = String(text.dropFirst(3)) }
          var hours: Double = 0
          var minutes: Double = 0
          if let separator, let range = text.range(of: separator) {
            hours = jsParseInt(String(text[..<range.lowerBound])) ?? .nan
            minutes = jsParseInt(String(text[range.upperBound...])) ?? .nan
          } else if text.count - 1 <= 2 {
            hours = jsParseInt(text) ?? .nan
          } else {
            hours = jsParseInt(String(text.prefix(3))) ?? .nan
            minutes = jsParseInt(String(text.dropFirst(3))) ?? .nan
          }
          return hours * 60 + minutes
        }
      }
      if let format = marker.integer {
        let (pattern, parse) = try integerMatcher(format, digits: marker.digits)
        return Matcher(pattern: pattern, component: component, parse: parse)
      }
      var lookup: [String: Double] = [:]
      func name(_ text: String) -> String {
        guard let maximum = marker.maximumWidth, maximum > 0 else { return text }
        return String(text.prefix(maximum))
      }
      if component == "M" || component == "x" {
        for (index, month) in monthNames.enumerated() { lookup[name(month)] = Double(index + 1) }
      } else if component == "F" {
        for (index, day) in dayNames.enumerated() where index > 0 {
          lookup[name(day)] = Double(index)
        }
      } else if component == "P" {
        lookup = ["am": 0, "AM": 0, "pm": 1, "PM": 1]
      } else {
        throw JSONataError(
          code: "D3133", value: .string(String(component)),
          message:
            "The 'name' modifier can only be applied to months and days in the date/time picture string, not \(component)"
        )
      }
      return Matcher(pattern: "[a-zA-Z]+", component: component) { lookup[$0] }
    }
  }

  /// The words `$parseInteger`/`$toMillis` read, longest first so the pattern prefers them.
  static let wordsPattern: String = {
    let words = IntegerPicture.wordValues.keys.sorted {
      $0.count != $1.count ? $0.count > $1.count : $0 < $1
    }
    return "(?:" + (words + ["and", "[\\-, ]"]).joined(separator: "|") + ")+"
  }()

  static func integerMatcher(_ format: IntegerPicture.Format, digits: Int) throws -> (
    String, (String) -> Double?
  ) {
    switch format.primary {
    case .letters(let uppercase):
      let a: UInt32 = uppercase ? 0x41 : 0x61
      return (
        uppercase ? "[A-Z]+" : "[a-z]+",
        { text in
          var value: Double = 0
          for scalar in text.unicodeScalars {
            value = value * 26 + Double(Int(scalar.value) - Int(a) + 1)
          }
          return value
        }
      )
    case .roman(let uppercase):
      return (
        uppercase ? "[MDCLXVI]+" : "[mdclxvi]+",
        { text in try? IntegerPicture.parse(text.uppercased(), picture: "I") }
      )
    case .words:
      return (wordsPattern, { text in try? IntegerPicture.parse(text.lowercased(), picture: "w") })
    case .decimal(let zero, _, let optional, let groups, let regular):
      var occurrences = "+"
      if digits > 0 {
        occurrences =
          optional == 0 ? "{\(digits)}" : "{\(Swift.max(0, digits - optional)),\(digits)}"
      }
      var pattern = "[0-9]" + occurrences
      if format.ordinal { pattern += "(?:th|st|nd|rd)" }
      let ordinal = format.ordinal
      return (
        pattern,
        { value in
          var text = value
          if ordinal { text = String(text.dropLast(2)) }
          if regular != nil {
            text = text.replacingOccurrences(of: ",", with: "")
          } else {
            for group in groups {
              text = text.replacingOccurrences(of: group.separator, with: "")
            }
          }
          if zero != 0x30 {
            text = String(
              String.UnicodeScalarView(
                text.unicodeScalars.compactMap { Unicode.Scalar($0.value &- zero &+ 0x30) }))
          }
          return jsParseInt(text) ?? .nan
        }
      )
    }
  }
}
