import StepFunctionsJSON
import StepFunctionsJSONata

/// The `$states` fields an expression may read where it is written. `input` and `context` are
/// always available; `result` only in the `Output` and `Assign` of a Task, Parallel or Map state,
/// and `errorOutput` only in a Catcher's `Output` and `Assign` (AWS refuses the definition
/// otherwise).
struct JSONataScope {
  var result = false
  var errorOutput = false

  /// Arguments, Items, ItemSelector, Condition, numeric fields, a Choice rule's Output…
  static let plain = JSONataScope()
  /// A Task, Parallel or Map state's own Output and Assign.
  static let afterResult = JSONataScope(result: true)
  /// A Catcher's Output and Assign.
  static let catcher = JSONataScope(errorOutput: true)
}

extension Loader {
  /// Checks a JSONata field's value and compiles every `{% … %}` string in it, at any depth.
  ///
  /// A string that starts or ends like an expression but is not a whole `{% … %}` is an error;
  /// other strings, numbers and the like are constants.
  mutating func jsonataTemplate(_ value: JSON, at pointer: JSONPointer, scope: JSONataScope)
    -> JSONataTemplate
  {
    switch value {
    case .string(let text):
      guard ExpressionSyntax.looksLikeJSONata(text) else { return .constant(value) }
      guard ExpressionSyntax.jsonataExpression(text) != nil else {
        sink.schema(
          "The value '\(text)' is not a valid JSONata expression: it must be written as {% expression %}",
          at: pointer)
        return .constant(value)
      }
      return embeddedJSONata(text, at: pointer, scope: scope).map { .expression($0) }
        ?? .constant(value)
    case .object(let object):
      var members: [(key: String, value: JSONataTemplate)] = []
      var dynamic = false
      for (key, member) in object {
        let template = jsonataTemplate(member, at: pointer.appending(key), scope: scope)
        if case .constant = template {} else { dynamic = true }
        members.append((key, template))
      }
      return dynamic ? .object(members) : .constant(value)
    case .array(let elements):
      var templates: [JSONataTemplate] = []
      var dynamic = false
      for (index, element) in elements.enumerated() {
        let template = jsonataTemplate(element, at: pointer.appending(index), scope: scope)
        if case .constant = template {} else { dynamic = true }
        templates.append(template)
      }
      return dynamic ? .array(templates) : .constant(value)
    default:
      return .constant(value)
    }
  }

  /// Parses the expression of a `{% … %}` string and checks what it reads; `nil` (with a
  /// diagnostic) when it cannot be used. `text` is the whole string, delimiters included.
  mutating func embeddedJSONata(_ text: String, at pointer: JSONPointer, scope: JSONataScope)
    -> EmbeddedJSONata?
  {
    guard let inner = ExpressionSyntax.jsonataExpression(text) else { return nil }
    let delimiter = 2  // "{%" in UTF-16 units
    let expression: JSONataExpression
    do {
      expression = try JSONataExpression(parsing: inner)
    } catch {
      let offset = error.position.map { ExpressionSyntax.errorStart(error, in: inner, at: $0) }
      sink.error(
        .invalidJSONataExpression, "\(error.message) (JSONata \(error.code))", at: pointer,
        stringOffset: offset.map { $0 + delimiter })
      return nil
    }
    var usable = true
    for reference in expression.references {
      let offset = reference.position + delimiter
      switch reference.kind {
      case .contextItem:
        sink.error(
          .unsupportedJSONataExpression, "Reference to '$' at the top level is not supported.",
          at: pointer, stringOffset: offset)
      case .root:
        sink.error(
          .unsupportedJSONataExpression, "Reference to '$$' is not supported.", at: pointer,
          stringOffset: offset)
      case .field(let name):
        sink.error(
          .unsupportedJSONataExpression,
          "Reference to '\(name)' at the top level is not supported.", at: pointer,
          stringOffset: offset)
      case .variableField(let variable, let field):
        let unavailable =
          variable == "states"
          && (field == "result" && !scope.result || field == "errorOutput" && !scope.errorOutput)
        guard unavailable else { continue }
        sink.error(
          .unsupportedJSONataExpression, "Field '$states.\(field)' does not exist.", at: pointer,
          stringOffset: offset)
      }
      usable = false
    }
    guard usable else { return nil }
    let field = pointer.tokens.dropFirst(statePointer.tokens.count).joined(separator: "/")
    return EmbeddedJSONata(text: inner, expression: expression, field: field)
  }
}

extension ExpressionSyntax {
  /// Where in the expression a syntax error's token starts (UTF-16 units). JSONata reports the
  /// offset just after the token; the token is backed out when it is known, and an error at the
  /// end points just after the last character that is not white space.
  static func errorStart(_ error: JSONataError, in expression: String, at position: Int) -> Int {
    let units = Array(expression.utf16)
    var start = position
    if position >= units.count || error.token == "(end)" {
      // At the end: just after the last character that is not white space.
      start = units.count
      while start > 0, [0x20, 0x09, 0x0A, 0x0D].contains(units[start - 1]) { start -= 1 }
    } else if let token = error.token, token.utf16.count <= position {
      start = position - token.utf16.count
    } else if position > 0 {
      start = position - 1
    }
    return max(0, min(start, units.count))
  }
}

/// Offsets inside the JSON text of a string value.
enum StringLiteralText {
  /// The byte offset, in `bytes`, of the character at UTF-16 offset `target` of the decoded
  /// string whose literal (opening quote) starts at byte `quote`. Escapes count as the one
  /// character they stand for; past the end of the string, the closing quote.
  static func byteOffset(in bytes: [UInt8], quote: Int, utf16Offset target: Int) -> Int {
    guard quote < bytes.count, bytes[quote] == UInt8(ascii: "\"") else { return quote }
    var index = quote + 1
    var units = 0
    while index < bytes.count, units < target {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") { break }
      var width: Int
      var produced = 1
      if byte == UInt8(ascii: "\\") {
        width = index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "u") ? 6 : 2
      } else if byte < 0x80 {
        width = 1
      } else if byte >= 0xF0 {
        width = 4
        produced = 2
      } else if byte >= 0xE0 {
        width = 3
      } else {
        width = 2
      }
      width = min(width, bytes.count - index)
      if units + produced > target { break }
      units += produced
      index += width
    }
    return index
  }
}
