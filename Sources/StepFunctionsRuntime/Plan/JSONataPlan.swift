import StepFunctionsJSON
import StepFunctionsLanguage

/// A JSONata field of a state, compiled when the definition was loaded (its expressions are
/// never parsed again), with what its expressions read, found once here.
final class JSONataPlan: Sendable {
  /// The field's value: constants and compiled `{% %}` expressions.
  let template: JSONataTemplate
  /// Whether an expression may read `$states.context` (or `$states` whole), so that the Context
  /// Object is built for it; other evaluations skip building it.
  let usesContext: Bool
  /// Whether an expression may read `$states.input`, `$states.result`, `$states.errorOutput`:
  /// only those are converted for the evaluation.
  let usesInput: Bool
  let usesResult: Bool
  let usesErrorOutput: Bool
  /// Whether an expression may draw random numbers (`$random`, `$uuid`, `$shuffle`), so that
  /// the evaluation takes a seed from the execution's random source.
  let usesRandom: Bool
  /// The names written `$name` in the expressions (a superset of the variables they read:
  /// JSONata reads a variable only through its name), so that only those are bound.
  let variableNames: [String]

  init(_ template: JSONataTemplate) {
    self.template = template
    let texts = template.expressions.map(\.text)
    // ASCII text (nearly all) is scanned byte by byte, with the same outcome as the scan by
    // Characters below, which other text keeps.
    let ascii = texts.map { text in text.utf8.allSatisfy { $0 < 0x80 } ? Array(text.utf8) : nil }
    let whole = zip(texts, ascii).contains { text, bytes in
      bytes.map(ASCIIScan.usesStatesWhole) ?? JSONataPlan.usesStatesWhole(text)
    }
    func contains(_ word: String) -> Bool {
      let needle = Array(word.utf8)
      return zip(texts, ascii).contains { text, bytes in
        bytes.map { ASCIIScan.contains($0, needle) } ?? text.contains(word)
      }
    }
    func mentions(_ word: String) -> Bool { whole || contains(word) }
    usesContext = mentions("context")
    usesInput = mentions("input")
    usesResult = mentions("result")
    usesErrorOutput = mentions("errorOutput")
    usesRandom = contains("$random") || contains("$uuid") || contains("$shuffle")
    var names: Set<String> = []
    for (text, bytes) in zip(texts, ascii) {
      if let bytes {
        ASCIIScan.collectNames(in: bytes, into: &names)
      } else {
        JSONataPlan.collectNames(in: text, into: &names)
      }
    }
    names.remove("states")
    variableNames = names.sorted()
  }

  /// Whether `text` uses `$states` other than as `$states.member`.
  static func usesStatesWhole(_ text: String) -> Bool {
    var rest = text[...]
    while let range = rest.range(of: "$states") {
      rest = rest[range.upperBound...]
      if let next = rest.first, next.isLetter || next.isNumber || next == "_" { continue }
      guard let next = rest.first(where: { !$0.isWhitespace }), next == "." else { return true }
    }
    return false
  }

  /// Adds every `$name` token of `text` to `names`.
  static func collectNames(in text: String, into names: inout Set<String>) {
    var current: String?
    for character in text {
      if character == "$" {
        if let name = current, !name.isEmpty { names.insert(name) }
        current = ""
      } else if current != nil, character.isLetter || character.isNumber || character == "_" {
        current?.append(character)
      } else {
        if let name = current, !name.isEmpty { names.insert(name) }
        current = nil
      }
    }
    if let name = current, !name.isEmpty { names.insert(name) }
  }

  convenience init(_ expression: EmbeddedJSONata) {
    self.init(.expression(expression))
  }
}

/// ``JSONataPlan``'s scans of an expression's text, for text that is all ASCII: each gives what
/// the scan by Characters gives (in ASCII every Character is one byte, but for `\r\n`, which is
/// white space either way and neither a letter, a digit, `_` nor `$`).
enum ASCIIScan {
  static func isNameByte(_ byte: UInt8) -> Bool {
    (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A)
      || (byte >= 0x30 && byte <= 0x39)
      || byte == 0x5F
  }

  /// White space as `Character.isWhitespace` has it, in ASCII: tab, line feed, vertical tab,
  /// form feed, carriage return, space.
  static func isWhitespace(_ byte: UInt8) -> Bool { (byte >= 0x09 && byte <= 0x0D) || byte == 0x20 }

  /// Where `needle` occurs in `bytes` at or after `start`.
  static func firstIndex(of needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
    guard let first = needle.first, bytes.count >= needle.count else {
      return needle.isEmpty ? start : nil
    }
    var index = start
    while index + needle.count <= bytes.count {
      if bytes[index] == first {
        var matched = 1
        while matched < needle.count, bytes[index + matched] == needle[matched] { matched += 1 }
        if matched == needle.count { return index }
      }
      index += 1
    }
    return nil
  }

  static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
    firstIndex(of: needle, in: bytes, from: 0) != nil
  }

  static let states = Array("$states".utf8)

  /// ``JSONataPlan/usesStatesWhole(_:)``.
  static func usesStatesWhole(_ bytes: [UInt8]) -> Bool {
    var start = 0
    while let found = firstIndex(of: states, in: bytes, from: start) {
      start = found + states.count
      if start < bytes.count, isNameByte(bytes[start]) { continue }
      var next = start
      while next < bytes.count, isWhitespace(bytes[next]) { next += 1 }
      guard next < bytes.count, bytes[next] == UInt8(ascii: ".") else { return true }
    }
    return false
  }

  /// ``JSONataPlan/collectNames(in:into:)``.
  static func collectNames(in bytes: [UInt8], into names: inout Set<String>) {
    var start: Int?
    func close(at end: Int) {
      if let first = start, end > first {
        names.insert(String(decoding: bytes[first..<end], as: UTF8.self))
      }
    }
    for (index, byte) in bytes.enumerated() {
      if byte == UInt8(ascii: "$") {
        close(at: index)
        start = index + 1
      } else if start != nil, isNameByte(byte) {
        continue
      } else {
        close(at: index)
        start = nil
      }
    }
    close(at: bytes.count)
  }
}

/// `Arguments`, `Output` and `Assign` of a JSONata state (or of one of its catchers or Choice
/// rules), compiled.
struct JSONataIOPlan: Sendable {
  let arguments: JSONataPlan?
  let output: JSONataPlan?
  let assign: JSONataPlan?

  init(arguments: JSONataTemplate? = nil, output: JSONataTemplate?, assign: JSONataTemplate?) {
    self.arguments = arguments.map(JSONataPlan.init)
    self.output = output.map(JSONataPlan.init)
    self.assign = assign.map(JSONataPlan.init)
  }
}
