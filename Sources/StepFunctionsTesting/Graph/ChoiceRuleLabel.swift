import StepFunctions

/// A Choice rule in a few words, for an edge label: `$.quality >= 90`,
/// `$.status == "DONE" and not ($.retry is present)`, or a JSONata `Condition` as written.
enum ChoiceRuleLabel {
  /// The rule's text, cut to ``GraphText/maximumLabelLength`` characters.
  static func text(_ rule: ChoiceRule) -> String {
    GraphText.clipped(render(rule, nested: false))
  }

  private static func render(_ rule: ChoiceRule, nested: Bool) -> String {
    switch rule {
    case .and(let rules):
      return wrap(rules.map { render($0, nested: true) }.joined(separator: " and "), nested)
    case .or(let rules):
      return wrap(rules.map { render($0, nested: true) }.joined(separator: " or "), nested)
    case .not(let inner):
      return "not (\(render(inner, nested: false)))"
    case .condition(.literal(let value)):
      return value ? "true" : "false"
    case .condition(.expression(let expression)):
      return "{% " + expression.text.trimmed + " %}"
    case .condition(.path(let path)):
      return path
    case .comparison(let comparison):
      return render(comparison)
    }
  }

  private static func wrap(_ text: String, _ nested: Bool) -> String {
    nested ? "(\(text))" : text
  }

  private static func render(_ comparison: Comparison) -> String {
    let variable = comparison.variable
    let operand: String
    switch comparison.operand {
    case .path(let path): operand = path
    case .value(let value): operand = value.serialized()
    }
    let truth = comparison.operand.isFalse ? "not " : ""
    switch comparison.comparator {
    case .stringEquals, .numericEquals, .booleanEquals, .timestampEquals:
      return "\(variable) == \(operand)"
    case .stringLessThan, .numericLessThan, .timestampLessThan:
      return "\(variable) < \(operand)"
    case .stringGreaterThan, .numericGreaterThan, .timestampGreaterThan:
      return "\(variable) > \(operand)"
    case .stringLessThanEquals, .numericLessThanEquals, .timestampLessThanEquals:
      return "\(variable) <= \(operand)"
    case .stringGreaterThanEquals, .numericGreaterThanEquals, .timestampGreaterThanEquals:
      return "\(variable) >= \(operand)"
    case .stringMatches: return "\(variable) matches \(operand)"
    case .isNull: return "\(variable) is \(truth)null"
    case .isPresent: return "\(variable) is \(truth)present"
    case .isNumeric: return "\(variable) is \(truth)numeric"
    case .isString: return "\(variable) is \(truth)a string"
    case .isBoolean: return "\(variable) is \(truth)a boolean"
    case .isTimestamp: return "\(variable) is \(truth)a timestamp"
    }
  }
}

extension Comparison.Operand {
  /// Whether the operand is the literal `false` (`IsPresent: false`).
  fileprivate var isFalse: Bool {
    if case .value(.bool(false)) = self { return true }
    return false
  }
}

extension String {
  /// The text without leading and trailing white space.
  fileprivate var trimmed: String {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(scalars[first...last])
  }
}
