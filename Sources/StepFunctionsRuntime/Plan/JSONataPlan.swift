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
  /// Whether an expression may draw random numbers (`$random`, `$uuid`, `$shuffle`), so that
  /// the evaluation takes a seed from the execution's random source.
  let usesRandom: Bool

  init(_ template: JSONataTemplate) {
    self.template = template
    let texts = template.expressions.map(\.text)
    usesContext = texts.contains(where: JSONataPlan.mayReadContext)
    usesRandom = texts.contains { text in
      text.contains("$random") || text.contains("$uuid") || text.contains("$shuffle")
    }
  }

  convenience init(_ expression: EmbeddedJSONata) {
    self.init(.expression(expression))
  }

  /// Whether `text` names `context`, or uses `$states` other than as `$states.member`.
  static func mayReadContext(_ text: String) -> Bool {
    if text.contains("context") { return true }
    var rest = text[...]
    while let range = rest.range(of: "$states") {
      rest = rest[range.upperBound...]
      guard let next = rest.first(where: { !$0.isWhitespace }), next == "." else { return true }
    }
    return false
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
