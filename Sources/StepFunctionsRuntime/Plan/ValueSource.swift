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
    return withUnsafePointer(to: document) { ValueSource.follow(steps, from: $0) }
  }

  /// Follows `steps` from the value at `start` by address, so that only the value selected at
  /// the end is copied, not the objects and arrays walked through (each copy of which would cost
  /// a reference-count round trip).
  ///
  /// The addresses come from the storage of the document's own objects and arrays; they stay
  /// valid because the caller holds the document, unchanged, for the whole walk.
  static func follow(_ steps: [Step], from start: UnsafePointer<JSON>) -> JSON? {
    var current = start
    for step in steps {
      switch step {
      case .name(let key):
        guard let next = JSON.unsafeMemberAddress(in: current, key: key) else { return nil }
        current = next
      case .index(let position):
        guard let next = JSON.unsafeElementAddress(in: current, index: position) else {
          return nil
        }
        current = next
      }
    }
    return current.pointee
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
