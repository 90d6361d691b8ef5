import StepFunctionsJSON
import StepFunctionsLanguage

/// A compiled path together with the document it reads: the current value (`$`), the Context
/// Object (`$$`) or a variable (`$name`).
///
/// A class, so that the plan shares one instance wherever the path is used and copying it costs
/// a single retain.
final class ValueSource: Sendable {
  enum Root: Sendable {
    case current
    case context
    case variable(String)
  }

  /// One step of a path made only of member names and indexes.
  enum Step: Sendable {
    case name(String)
    case index(Int)
  }

  let path: JSONPath
  let root: Root
  /// For a path made only of member names and indexes: its steps, which ``lookup(in:)`` follows
  /// without the general evaluator.
  let steps: [Step]?

  init(_ path: JSONPath) {
    self.path = path
    switch path.root {
    case .context: root = .context
    case .variable(let name): root = .variable(name)
    default: root = .current
    }
    var steps: [Step] = []
    for segment in path.segments {
      switch segment {
      case .name(let key): steps.append(.name(key))
      case .index(let position): steps.append(.index(position))
      default: break
      }
    }
    self.steps = steps.count == path.segments.count ? steps : nil
  }

  /// Parses `text`; the loader has already checked it, so a failure here is a compiler bug
  /// reported as a compile error rather than a crash.
  convenience init(text: String) throws(PlanError) {
    let path: JSONPath
    do {
      path = try JSONPath(parsing: text)
    } catch {
      throw PlanError(message: "Invalid path '\(text)': \(error.message)")
    }
    self.init(path)
  }

  /// The value the path selects in `document` when it is made of names and indexes and selects
  /// something; `nil` otherwise (the general evaluator then gives the value or the error).
  ///
  /// - Complexity: O(*d*) lookups for *d* steps.
  @inline(__always)
  func lookup(in document: JSON) -> JSON? {
    guard let steps else { return nil }
    return ValueSource.follow(steps, from: 0, in: document)
  }

  /// Follows `steps[position...]` from `value`, which is borrowed: only the value selected at the
  /// end is copied, not the documents walked through on the way.
  static func follow(_ steps: [Step], from position: Int, in value: JSON) -> JSON? {
    guard position < steps.count else { return value }
    switch steps[position] {
    case .name(let key):
      guard case .object(let object) = value, let found = object.position(of: key) else {
        return nil
      }
      return follow(steps, from: position + 1, in: object[borrowingValueAt: found])
    case .index(let index):
      guard case .array(let array) = value else { return nil }
      let effective = index < 0 ? array.count + index : index
      guard effective >= 0 && effective < array.count else { return nil }
      return follow(steps, from: position + 1, in: array[effective])
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
