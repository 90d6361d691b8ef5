import Foundation

/// Decimal picture strings (XPath F&O 3.1 `format-number`, as JSONata 2.0.6 reads them) for
/// `$formatNumber(number, picture, options)`.
///
/// The text is handled as Unicode scalars (jsonata-js uses UTF-16 units: the same for every
/// character of the Basic Multilingual Plane). The decimal-format properties are the defaults
/// below, each replaced by a string member of `options` of the same name.
enum NumberPicture {
  typealias Text = [Unicode.Scalar]

  /// The decimal-format properties.
  struct Properties {
    var decimalSeparator: Text = ["."]
    var groupingSeparator: Text = [","]
    var exponentSeparator: Text = ["e"]
    var minusSign: Text = ["-"]
    var percent: Text = ["%"]
    var perMille: Text = ["\u{2030}"]
    var zeroDigit: Text = ["0"]
    var digit: Text = ["#"]
    var patternSeparator: Text = [";"]

    init(options: ObjectBox?) {
      guard let options else { return }
      for (key, value) in options.members {
        guard case .string(let text) = value else { continue }
        let scalars = Array(text.unicodeScalars)
        switch key {
        case "decimal-separator": decimalSeparator = scalars
        case "grouping-separator": groupingSeparator = scalars
        case "exponent-separator": exponentSeparator = scalars
        case "minus-sign": minusSign = scalars
        case "percent": percent = scalars
        case "per-mille": perMille = scalars
        case "zero-digit": zeroDigit = scalars
        case "digit": digit = scalars
        case "pattern-separator": patternSeparator = scalars
        default: break
        }
      }
    }
  }

  /// One sub-picture split into its parts (F&O 4.7.3), with jsonata's offsets.
  struct Parts {
    var prefix: Text
    var suffix: Text
    var active: Text
    var mantissa: Text
    var exponent: Text?
    var integer: Text
    var fraction: Text
    var whole: Text
  }

  /// What formatting needs from a sub-picture (F&O 4.7.4).
  struct Variables {
    var integerGroupingPositions: [Int]
    var regularGrouping: Int
    var minimumIntegerSize: Int
    var scalingFactor: Int
    var prefix: Text
    var fractionGroupingPositions: [Int]
    var minimumFractionSize: Int
    var maximumFractionSize: Int
    var minimumExponentSize: Int
    var suffix: Text
    var picture: Text
  }

  static func format(_ value: Double, picture: String, options: ObjectBox?) throws -> String {
    let properties = Properties(options: options)
    let zero = properties.zeroDigit.first?.value ?? 0x30
    let family: [Unicode.Scalar] = (0..<10).compactMap { Unicode.Scalar(zero + $0) }
    func isDigit(_ scalar: Unicode.Scalar) -> Bool { family.contains(scalar) }
    func equals(_ scalar: Unicode.Scalar, _ text: Text) -> Bool {
      text.count == 1 && text[0] == scalar
    }
    let activeStrings = [
      properties.decimalSeparator, properties.exponentSeparator, properties.groupingSeparator,
      properties.digit, properties.patternSeparator,
    ]
    func isActive(_ scalar: Unicode.Scalar) -> Bool {
      isDigit(scalar) || activeStrings.contains { equals(scalar, $0) }
    }
    let subPictures = split(Array(picture.unicodeScalars), by: properties.patternSeparator)
    if subPictures.count > 2 { throw JSONataError(code: "D3080") }

    func splitParts(_ sub: Text) throws -> Parts {
      guard
        let first = sub.firstIndex(where: {
          isActive($0) && !equals($0, properties.exponentSeparator)
        }),
        let last = sub.lastIndex(where: {
          isActive($0) && !equals($0, properties.exponentSeparator)
        })
      else {
        throw JSONataError(code: "D3085")
      }
      let prefix = Array(sub[..<first])
      let suffix = Array(sub[(last + 1)...])
      let active = substring(sub, prefix.count, sub.count - suffix.count)
      var mantissa = active
      var exponent: Text? = nil
      let exponentPosition = indexOf(sub, properties.exponentSeparator, from: prefix.count)
      if let exponentPosition, exponentPosition <= sub.count - suffix.count {
        mantissa = substring(active, 0, exponentPosition)
        exponent = substring(active, exponentPosition + 1, active.count)
      }
      var integer = mantissa
      var fraction = suffix
      if let decimal = indexOf(mantissa, properties.decimalSeparator, from: 0) {
        integer = substring(mantissa, 0, decimal)
        fraction = substring(mantissa, decimal + 1, mantissa.count)
      }
      return Parts(
        prefix: prefix, suffix: suffix, active: active, mantissa: mantissa, exponent: exponent,
        integer: integer, fraction: fraction, whole: sub)
    }

    func validate(_ parts: Parts) throws {
      var error: String? = nil
      let sub = parts.whole
      let decimal = indexOf(sub, properties.decimalSeparator, from: 0)
      if decimal != lastIndexOf(sub, properties.decimalSeparator) { error = "D3081" }
      let percent = indexOf(sub, properties.percent, from: 0)
      if percent != lastIndexOf(sub, properties.percent) { error = "D3082" }
      let perMille = indexOf(sub, properties.perMille, from: 0)
      if perMille != lastIndexOf(sub, properties.perMille) { error = "D3083" }
      if percent != nil, perMille != nil { error = "D3084" }
      if !parts.mantissa.contains(where: { isDigit($0) || equals($0, properties.digit) }) {
        error = "D3085"
      }
      if parts.active.contains(where: { !isActive($0) }) { error = "D3086" }
      if let decimal {
        if (decimal > 0 && equals(sub[decimal - 1], properties.groupingSeparator))
          || (decimal + 1 < sub.count && equals(sub[decimal + 1], properties.groupingSeparator))
        {
          error = "D3087"
        }
      } else if let last = parts.integer.last, equals(last, properties.groupingSeparator) {
        error = "D3088"
      }
      if indexOf(sub, properties.groupingSeparator + properties.groupingSeparator, from: 0) != nil {
        error = "D3089"
      }
      if let optional = indexOf(parts.integer, properties.digit, from: 0),
        parts.integer[..<optional].contains(where: isDigit)
      {
        error = "D3090"
      }
      if let optional = lastIndexOf(parts.fraction, properties.digit),
        parts.fraction[optional...].contains(where: isDigit)
      {
        error = "D3091"
      }
      if let exponent = parts.exponent {
        if !exponent.isEmpty, percent != nil || perMille != nil { error = "D3092" }
        if exponent.isEmpty || exponent.contains(where: { !isDigit($0) }) { error = "D3093" }
      }
      if let error { throw JSONataError(code: error) }
    }

    func analyse(_ parts: Parts) -> Variables {
      func groupingPositions(_ part: Text, toLeft: Bool) -> [Int] {
        var positions: [Int] = []
        var position = indexOf(part, properties.groupingSeparator, from: 0)
        while let current = position {
          let counted = toLeft ? substring(part, 0, current) : substring(part, current, part.count)
          positions.append(counted.filter { isDigit($0) || equals($0, properties.digit) }.count)
          // jsonata-js looks for the next separator in the integer part, whichever part this is.
          position = indexOf(parts.integer, properties.groupingSeparator, from: current + 1)
        }
        return positions
      }
      let integerPositions = groupingPositions(parts.integer, toLeft: false)
      var minimumInteger = parts.integer.filter(isDigit).count
      let scaling = minimumInteger
      var minimumFraction = parts.fraction.filter(isDigit).count
      var maximumFraction = parts.fraction.filter { isDigit($0) || equals($0, properties.digit) }
        .count
      let exponentPresent = parts.exponent != nil
      if minimumInteger == 0, maximumFraction == 0 {
        if exponentPresent {
          minimumFraction = 1
          maximumFraction = 1
        } else {
          minimumInteger = 1
        }
      }
      if exponentPresent, minimumInteger == 0,
        indexOf(parts.integer, properties.digit, from: 0) != nil
      {
        minimumInteger = 1
      }
      if minimumInteger == 0, minimumFraction == 0 { minimumFraction = 1 }
      return Variables(
        integerGroupingPositions: integerPositions,
        regularGrouping: regularInterval(integerPositions), minimumIntegerSize: minimumInteger,
        scalingFactor: scaling, prefix: parts.prefix,
        fractionGroupingPositions: groupingPositions(parts.fraction, toLeft: true),
        minimumFractionSize: minimumFraction, maximumFractionSize: maximumFraction,
        minimumExponentSize: parts.exponent.map { $0.filter(isDigit).count } ?? 0,
        suffix: parts.suffix, picture: parts.whole)
    }

    let parts = try subPictures.map(splitParts)
    for part in parts { try validate(part) }
    var variables = parts.map(analyse)
    if variables.count == 1 {
      var negative = variables[0]
      negative.prefix = properties.minusSign + negative.prefix
      variables.append(negative)
    }
    let picture = value >= 0 ? variables[0] : variables[1]
    var adjusted = value
    if indexOf(picture.picture, properties.percent, from: 0) != nil {
      adjusted = value * 100
    } else if indexOf(picture.picture, properties.perMille, from: 0) != nil {
      adjusted = value * 1000
    }
    // The scaling works on the magnitude (the sign is in the prefix): jsonata-js loops forever
    // on a negative number or zero with an exponent picture; here zero has exponent 0.
    var mantissa = adjusted.magnitude
    var exponent: Int? = nil
    if picture.minimumExponentSize != 0, adjusted.isFinite, adjusted != 0 {
      let maximumMantissa = pow(10, Double(picture.scalingFactor))
      let minimumMantissa = pow(10, Double(picture.scalingFactor - 1))
      var power = 0
      while mantissa < minimumMantissa {
        mantissa *= 10
        power -= 1
      }
      while mantissa > maximumMantissa {
        mantissa /= 10
        power += 1
      }
      exponent = power
    } else if picture.minimumExponentSize != 0 {
      exponent = 0
    }
    let rounded = Library.round(mantissa, precision: picture.maximumFractionSize)
    func makeString(_ number: Double, _ places: Int) -> Text {
      let fixed = toFixed(number.magnitude, places)
      return fixed.unicodeScalars.map { scalar in
        if scalar.value >= 0x30, scalar.value <= 0x39 {
          return family[Int(scalar.value - 0x30)]
        }
        return scalar
      }
    }
    var text = makeString(rounded, picture.maximumFractionSize)
    if let point = text.firstIndex(of: ".") {
      text.replaceSubrange(point...point, with: properties.decimalSeparator)
    } else {
      text += properties.decimalSeparator
    }
    if properties.zeroDigit.count == 1 {
      let zeroScalar = properties.zeroDigit[0]
      while text.first == zeroScalar { text.removeFirst() }
      while text.last == zeroScalar { text.removeLast() }
    }
    var decimal = indexOf(text, properties.decimalSeparator, from: 0) ?? -1
    let padLeft = picture.minimumIntegerSize - decimal
    let padRight = picture.minimumFractionSize - (text.count - decimal - 1)
    if padLeft > 0 { text = repeated(properties.zeroDigit, padLeft) + text }
    if padRight > 0 { text += repeated(properties.zeroDigit, padRight) }
    decimal = indexOf(text, properties.decimalSeparator, from: 0) ?? -1
    if picture.regularGrouping > 0 {
      let groups = Int((Double(decimal - 1) / Double(picture.regularGrouping)).rounded(.down))
      if groups >= 1 {
        for group in 1...groups {
          text = insert(
            properties.groupingSeparator, into: text, at: decimal - group * picture.regularGrouping)
        }
      }
    } else {
      for position in picture.integerGroupingPositions {
        text = insert(properties.groupingSeparator, into: text, at: decimal - position)
        decimal += 1
      }
    }
    decimal = indexOf(text, properties.decimalSeparator, from: 0) ?? -1
    for position in picture.fractionGroupingPositions {
      text = insert(properties.groupingSeparator, into: text, at: position + decimal + 1)
    }
    decimal = indexOf(text, properties.decimalSeparator, from: 0) ?? -1
    if indexOf(picture.picture, properties.decimalSeparator, from: 0) == nil
      || decimal == text.count - 1
    {
      if !text.isEmpty { text.removeLast() }
    }
    if let exponent {
      var exponentText = makeString(Double(exponent), 0)
      let pad = picture.minimumExponentSize - exponentText.count
      if pad > 0 { exponentText = repeated(properties.zeroDigit, pad) + exponentText }
      text +=
        properties.exponentSeparator + (exponent < 0 ? properties.minusSign : []) + exponentText
    }
    text = picture.prefix + text + picture.suffix
    var result = String.UnicodeScalarView()
    result.append(contentsOf: text)
    return String(result)
  }

  // MARK: - Helpers on scalar arrays, with JavaScript's string semantics

  /// `String.prototype.substring`: bounds clamped to the text and swapped when reversed.
  static func substring(_ text: Text, _ start: Int, _ end: Int) -> Text {
    var lower = Swift.max(0, Swift.min(start, text.count))
    var upper = Swift.max(0, Swift.min(end, text.count))
    if lower > upper { swap(&lower, &upper) }
    return Array(text[lower..<upper])
  }

  static func indexOf(_ text: Text, _ needle: Text, from start: Int) -> Int? {
    let begin = Swift.max(0, start)
    guard !needle.isEmpty else { return begin <= text.count ? begin : text.count }
    guard text.count >= needle.count, begin <= text.count - needle.count else { return nil }
    for index in begin...(text.count - needle.count)
    where text[index..<(index + needle.count)].elementsEqual(needle) {
      return index
    }
    return nil
  }

  static func lastIndexOf(_ text: Text, _ needle: Text) -> Int? {
    guard !needle.isEmpty else { return text.count }
    guard text.count >= needle.count else { return nil }
    for index in stride(from: text.count - needle.count, through: 0, by: -1)
    where text[index..<(index + needle.count)].elementsEqual(needle) {
      return index
    }
    return nil
  }

  static func split(_ text: Text, by separator: Text) -> [Text] {
    guard !separator.isEmpty else { return text.map { [$0] } }
    var parts: [Text] = []
    var start = 0
    while let found = indexOf(text, separator, from: start) {
      parts.append(Array(text[start..<found]))
      start = found + separator.count
    }
    parts.append(Array(text[start...]))
    return parts
  }

  static func insert(_ piece: Text, into text: Text, at position: Int) -> Text {
    // `slice` with a negative index counts from the end, as in JavaScript.
    var index = position < 0 ? text.count + position : position
    index = Swift.max(0, Swift.min(index, text.count))
    return Array(text[..<index]) + piece + Array(text[index...])
  }

  static func repeated(_ text: Text, _ count: Int) -> Text {
    Array([Text](repeating: text, count: count).joined())
  }

  /// The interval of regularly spaced grouping positions, or 0 when they are not regular.
  static func regularInterval(_ positions: [Int]) -> Int {
    guard let first = positions.first else { return 0 }
    func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
    let factor = positions.dropFirst().reduce(first, gcd)
    guard factor > 0 else { return 0 }
    for index in 1...positions.count where !positions.contains(index * factor) { return 0 }
    return factor
  }

  /// `Number.prototype.toFixed(places)` for a non-negative number: the exact binary value
  /// rounded half up at `places` decimals; JavaScript's `toString` from 1e21 up.
  static func toFixed(_ value: Double, _ places: Int) -> String {
    if !value.isFinite || value >= 1e21 { return Functions.formatNumber(value) }
    let places = Swift.max(0, Swift.min(places, 100))
    let long = String(format: "%.\(places + 30)f", value)
    var digits = Array(long.replacingOccurrences(of: ".", with: ""))
    let integerCount =
      long.firstIndex(of: ".").map { long.distance(from: long.startIndex, to: $0) }
      ?? long.count
    let keep = integerCount + places
    let roundUp = keep < digits.count && digits[keep] >= "5"
    digits = Array(digits.prefix(keep))
    if roundUp {
      var index = digits.count - 1
      while index >= 0 {
        if digits[index] == "9" {
          digits[index] = "0"
          index -= 1
        } else {
          digits[index] = Character(
            Unicode.Scalar((digits[index].asciiValue ?? 0x30) + 1))
          break
        }
      }
      if index < 0 { digits.insert("1", at: 0) }
    }
    let integerDigits = digits.count - places
    let integerPart = String(digits.prefix(integerDigits))
    let fractionPart = String(digits.suffix(places))
    return places > 0 ? integerPart + "." + fractionPart : integerPart
  }
}
