import StepFunctionsJSON
import StepFunctionsLanguage

/// A compiled path together with the document it reads: the current value (`$`), the Context
/// Object (`$$`) or a variable (`$name`).
struct ValueSource: Sendable {
  enum Root: Sendable {
    case current
    case context
    case variable(String)
  }

  let path: JSONPath
  let root: Root

  init(_ path: JSONPath) {
    self.path = path
    switch path.root {
    case .context: root = .context
    case .variable(let name): root = .variable(name)
    default: root = .current
    }
  }

  /// Parses `text`; the loader has already checked it, so a failure here is a compiler bug
  /// reported as a compile error rather than a crash.
  init(text: String) throws(PlanError) {
    do {
      self.init(try JSONPath(parsing: text))
    } catch {
      throw PlanError(message: "Invalid path '\(text)': \(error.message)")
    }
  }

  var text: String { path.text }

  /// Whether the path is just `$` (the whole current value).
  var isIdentity: Bool {
    if case .current = root, path.segments.isEmpty { return true }
    return false
  }

  var usesContext: Bool {
    if case .context = root { return true }
    return false
  }
}

/// A problem compiling a definition into a plan.
public struct PlanError: Error, Sendable, CustomStringConvertible {
  /// What went wrong.
  public var message: String
  /// The message.
  public var description: String { message }
}
