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
    text.hasPrefix("States.") && text.contains("(")
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
