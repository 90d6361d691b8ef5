import StepFunctionsJSON
import StepFunctionsJSONata

/// A `{% … %}` string of a JSONata state, parsed once when the definition is loaded.
///
/// Equal when the text and the field are equal.
public struct EmbeddedJSONata: Sendable, Hashable, CustomStringConvertible {
  /// The expression, without the `{%` and `%}` delimiters.
  public var text: String
  /// The compiled expression.
  public var expression: JSONataExpression
  /// Where the string is, relative to its state, as AWS names it in a
  /// `States.QueryEvaluationError` cause: `Output`, `Arguments/FunctionName`, `Assign/result`,
  /// `Items`, `Condition`…
  public var field: String

  /// Creates one from a compiled expression.
  public init(text: String, expression: JSONataExpression, field: String) {
    self.text = text
    self.expression = expression
    self.field = field
  }

  /// The text.
  public var description: String { text }

  /// Equal text and field.
  public static func == (lhs: EmbeddedJSONata, rhs: EmbeddedJSONata) -> Bool {
    lhs.text == rhs.text && lhs.field == rhs.field
  }

  /// Hashes the text and the field.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(text)
    hasher.combine(field)
  }
}

/// A JSONata field's value, compiled: JSON in which every `{% … %}` string, at any depth, is a
/// parsed expression. Parts without expressions are kept as JSON constants.
public indirect enum JSONataTemplate: Sendable {
  /// A value without any expression in it, used as written.
  case constant(JSON)
  /// A `{% … %}` string: the value is the expression's result.
  case expression(EmbeddedJSONata)
  /// An object with at least one expression inside, members in the order written.
  case object([(key: String, value: JSONataTemplate)])
  /// An array with at least one expression inside.
  case array([JSONataTemplate])

  /// Every expression in the template, in document order.
  public var expressions: [EmbeddedJSONata] {
    switch self {
    case .constant: return []
    case .expression(let expression): return [expression]
    case .object(let members): return members.flatMap(\.value.expressions)
    case .array(let elements): return elements.flatMap(\.expressions)
    }
  }
}
