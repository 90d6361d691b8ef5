import Foundation

/// JavaScript's text forms: number formatting and `JSON.stringify`.
extension Functions {
  /// A double as JavaScript's `Number.prototype.toString` writes it.
  static func formatNumber(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
    if value == 0 { return "0" }
    if value.rounded(.towardZero) == value, value.magnitude < 1e21 {
      if value.magnitude < 9.2e18 { return String(Int64(value)) }
    }
    // Shortest round-trip digits from Swift, re-laid out by JavaScript's rules.
    var text = "\(value.magnitude)"
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      exponent = Int(text[text.index(after: e)...]) ?? 0
      text = String(text[..<e])
    }
    var digits = ""
    var pointPosition = text.count
    if let dot = text.firstIndex(of: ".") {
      pointPosition = text.distance(from: text.startIndex, to: dot)
      digits = text.replacingOccurrences(of: ".", with: "")
    } else {
      digits = text
    }
    // value = 0.digits × 10^(pointPosition + exponent)
    var n = pointPosition + exponent
    while digits.hasPrefix("0"), digits.count > 1 {
      digits.removeFirst()
      n -= 1
    }
    while digits.hasSuffix("0"), digits.count > 1 { digits.removeLast() }
    let k = digits.count
    var result: String
    if k <= n, n <= 21 {
      result = digits + String(repeating: "0", count: n - k)
    } else if 0 < n, n <= 21 {
      let index = digits.index(digits.startIndex, offsetBy: n)
      result = digits[..<index] + "." + digits[index...]
    } else if -6 < n, n <= 0 {
      result = "0." + String(repeating: "0", count: -n) + digits
    } else {
      let e = n - 1
      let sign = e < 0 ? "-" : "+"
      if k == 1 {
        result = digits + "e" + sign + String(abs(e))
      } else {
        result =
          String(digits.prefix(1)) + "." + String(digits.dropFirst()) + "e" + sign + String(abs(e))
      }
    }
    return value < 0 ? "-" + result : result
  }

  /// `Number(value.toPrecision(15))`, the rounding `$string` applies.
  static func roundToPrecision15(_ value: Double) -> Double {
    guard value.isFinite, value != 0 else { return value }
    // An integer below 10^15 has at most 15 significant digits: nothing to round.
    if value.magnitude < 1e15, value.rounded(.towardZero) == value { return value }
    let text = String(format: "%.14e", value)
    return Double(text) ?? value
  }

  /// `JSON.stringify` with jsonata's replacer (numbers to 15 significant digits, functions as
  /// `""`), compact or indented by two spaces.
  static func stringify(_ value: Value, pretty: Bool) throws -> String {
    var output = ""
    try write(value, into: &output, pretty: pretty, indent: 0, depth: 0)
    return output
  }

  private static func write(
    _ value: Value, into output: inout String, pretty: Bool, indent: Int, depth: Int
  ) throws {
    guard depth < 2_000 else {
      throw JSONataError(code: "U1001", message: "The value nests too deeply to be written")
    }
    switch value {
    case .null: output += "null"
    case .bool(let bool): output += bool ? "true" : "false"
    case .number(let number):
      guard number.isFinite else {
        throw JSONataError(code: "D1001", message: "Number out of range: \(formatNumber(number))")
      }
      output += formatNumber(roundToPrecision15(number))
    case .exactInteger(let number):
      output += formatNumber(roundToPrecision15(number.doubleValue))
    case .string(let string): quote(string, into: &output)
    case .function: output += "\"\""
    case .tuples(let tuples):
      try write(
        .plainArray(tuples.compactMap { $0["@"] }), into: &output, pretty: pretty, indent: indent,
        depth: depth)
    case .array(let sequence):
      if sequence.items.isEmpty {
        output += "[]"
        return
      }
      output += "["
      for (index, item) in sequence.items.enumerated() {
        if index > 0 { output += "," }
        if pretty { output += "\n" + String(repeating: " ", count: indent + 2) }
        try write(item, into: &output, pretty: pretty, indent: indent + 2, depth: depth + 1)
      }
      if pretty { output += "\n" + String(repeating: " ", count: indent) }
      output += "]"
    case .object(let box):
      if box.count == 0 {
        output += "{}"
        return
      }
      output += "{"
      var first = true
      for (key, member) in box.members {
        if !first { output += "," }
        first = false
        if pretty { output += "\n" + String(repeating: " ", count: indent + 2) }
        quote(key, into: &output)
        output += pretty ? ": " : ":"
        try write(member, into: &output, pretty: pretty, indent: indent + 2, depth: depth + 1)
      }
      if pretty { output += "\n" + String(repeating: " ", count: indent) }
      output += "}"
    }
  }

  static func quote(_ string: String, into output: inout String) {
    output += "\""
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case "\u{08}": output += "\\b"
      case "\u{0C}": output += "\\f"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          output.unicodeScalars.append(scalar)
        }
      }
    }
    output += "\""
  }

  /// How an error message shows a value.
  static func describe(_ value: Value?) -> String {
    guard let value else { return "undefined" }
    if case .string(let string) = value {
      var output = ""
      quote(string, into: &output)
      return output
    }
    return (try? stringify(value, pretty: false)) ?? ""
  }
}
