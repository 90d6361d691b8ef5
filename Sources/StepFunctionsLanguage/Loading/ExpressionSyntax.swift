import StepFunctionsJSON

/// Syntax checks for the expressions embedded in a definition: paths, intrinsic function calls
/// and JSONata `{% %}` strings. The loader calls these; they return a message when the text is
/// not acceptable.
enum ExpressionSyntax {
  /// The expression inside `{% ... %}`, or `nil` when `text` is not of that form.
  static func jsonataExpression(_ text: String) -> String? {
    guard text.hasPrefix("{%"), text.hasSuffix("%}"), text.utf8.count >= 4 else { return nil }
    return String(text.dropFirst(2).dropLast(2))
  }

  /// Whether a string looks like an attempt at a JSONata expression.
  static func looksLikeJSONata(_ text: String) -> Bool {
    text.hasPrefix("{%") || text.hasSuffix("%}")
  }

  /// Whether a string looks like a path (`$`, `$.x`, `$$.x`, `$x`, `$[...]`).
  static func looksLikePath(_ text: String) -> Bool {
    text.hasPrefix("$")
  }

  /// Whether a string looks like an intrinsic function call.
  static func looksLikeIntrinsic(_ text: String) -> Bool {
    guard text.hasPrefix("States.") else { return false }
    // In ASCII text a byte is a character: look for the byte (the text search below costs a
    // Foundation call per string); other text keeps the text search.
    guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return text.contains("(") }
    return text.utf8.contains(UInt8(ascii: "("))
  }

  /// A message when `text` is not a valid Path (or Reference Path when `reference`).
  static func pathError(_ text: String, reference: Bool) -> String? {
    let path: JSONPath
    do {
      path = try JSONPath(parsing: text)
    } catch {
      return error.message
    }
    return reference ? path.referencePathViolation : nil
  }

  /// A message when `text` is not a valid intrinsic function call.
  static func intrinsicError(_ text: String) -> String? {
    IntrinsicValidation.problems(in: text).first?.message
  }
}
