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
    let whole = texts.contains(where: JSONataPlan.usesStatesWhole)
    func mentions(_ word: String) -> Bool { whole || texts.contains { $0.contains(word) } }
    usesContext = mentions("context")
    usesInput = mentions("input")
    usesResult = mentions("result")
    usesErrorOutput = mentions("errorOutput")
    usesRandom = texts.contains { text in
      text.contains("$random") || text.contains("$uuid") || text.contains("$shuffle")
    }
    var names: Set<String> = []
    for text in texts { JSONataPlan.collectNames(in: text, into: &names) }
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
