import StepFunctionsJSON
import StepFunctionsLanguage

/// Why a `ResultPath` could not be applied.
///
/// The ASL specification names this failure `States.ResultPathMatchFailure`. Executions on AWS,
/// as reported by users, fail instead with `States.ReferencePathConflict` and a cause such as
/// `Unable to apply step "result" to input {...}` (a member that cannot be placed) or
/// `Unable to apply ReferencePath $.result to input "text"` (an input that is not an object).
/// The corpus has no recording of this failure, so ``errorName`` follows those reports.
public struct ResultPathError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What went wrong.
  public enum Kind: Sendable, Hashable {
    /// The path is not a Reference Path (the reason is attached).
    case notAReferencePath(String)
    /// The path has members but the input is not an object.
    case inputNotAnObject
    /// A member (`step`) must be placed in a value that is not an object.
    case stepNotApplicable(step: String)
    /// An index (`step`) is outside the array it addresses or is applied to something that is
    /// not an array.
    case indexNotApplicable(step: String)
  }

  /// The error name AWS reports.
  public static let errorName = "States.ReferencePathConflict"

  /// What went wrong.
  public var kind: Kind
  /// The path as written.
  public var path: String
  /// The cause, in AWS's words.
  public var cause: String

  /// Creates an error.
  public init(kind: Kind, path: String, cause: String) {
    self.kind = kind
    self.path = path
    self.cause = cause
  }

  /// The error as the executor reports it: ``errorName`` with ``cause``.
  public var statesError: StatesError { StatesError(Self.errorName, cause: cause) }

  /// `name: cause`.
  public var description: String { "\(Self.errorName): \(cause)" }
}

extension JSONPath {
  /// Returns `root` with `value` placed at this Reference Path, as `ResultPath` does.
  ///
  /// `$` replaces the whole root. Otherwise missing members are created as objects along the
  /// way; an existing member keeps its position and a new one is appended. An index replaces an
  /// existing array element. The root kind (`$`, `$$`, variable) is not checked here: which roots
  /// a field accepts is the validator's business.
  ///
  /// - Throws: ``ResultPathError`` when the path is not a Reference Path or crosses a value that
  ///   is not an object (or, for an index, not an array with that element). `root` is then
  ///   unchanged.
  public func assigning(_ value: JSON, into root: JSON) throws(ResultPathError) -> JSON {
    var result = root
    try assign(value, into: &result)
    return result
  }

  /// Places `value` at this Reference Path inside `root`, in place (see
  /// ``assigning(_:into:)``).
  ///
  /// - Complexity: O(*d*) lookups for a path of *d* segments; objects and arrays along the path
  ///   are updated in place when `root` holds the only reference to them.
  public func assign(_ value: JSON, into root: inout JSON) throws(ResultPathError) {
    if let violation = referencePathViolation {
      throw ResultPathError(
        kind: .notAReferencePath(violation), path: text,
        cause: "The ResultPath '\(text)' is not a Reference Path: \(violation)")
    }
    guard !segments.isEmpty else {
      root = value
      return
    }
    try checkAssignable(into: root)
    Self.write(value, into: &root, segments[...])
  }

  /// Walks the path without changing anything and throws where it cannot be applied.
  func checkAssignable(into root: JSON) throws(ResultPathError) {
    var current: JSON? = root
    for (index, segment) in segments.enumerated() {
      switch segment {
      case .name(let key):
        guard let node = current else { continue }  // Missing: it will be created.
        guard case .object(let object) = node else {
          if index == 0 {
            throw ResultPathError(
              kind: .inputNotAnObject, path: text,
              cause: "Unable to apply ReferencePath \(text) to input \(root.serialized())")
          }
          throw ResultPathError(
            kind: .stepNotApplicable(step: key), path: text,
            cause: "Unable to apply step \"\(key)\" to input \(root.serialized())")
        }
        current = object[key]
      case .index(let position):
        let step = "[\(position)]"
        let notApplicable = ResultPathError(
          kind: .indexNotApplicable(step: step), path: text,
          cause: "Unable to apply step \"\(step)\" to input \(root.serialized())")
        // An array element cannot be created, so a missing array is an error too.
        guard let node = current, case .array(let array) = node else { throw notApplicable }
        guard let effective = JSONPath.arrayPosition(position, count: array.count) else {
          throw notApplicable
        }
        current = array[effective]
      default:
        break  // Excluded by the Reference Path check.
      }
    }
  }

  /// Writes after ``checkAssignable(into:)`` succeeded. Children are moved out of their parent
  /// while they change so that copy-on-write never copies a whole object or array.
  static func write(_ value: JSON, into node: inout JSON, _ rest: ArraySlice<JSONPathSegment>) {
    guard let segment = rest.first else {
      node = value
      return
    }
    let remaining = rest.dropFirst()
    switch segment {
    case .name(let key):
      var object: JSONObject
      if case .object(let existing) = node { object = existing } else { object = JSONObject() }
      node = .null
      if let position = object.position(of: key) {
        var child = object[position].value
        object.setValue(.null, at: position)
        write(value, into: &child, remaining)
        object.setValue(child, at: position)
      } else {
        var child = JSON.null
        write(value, into: &child, remaining)
        object.append(key: key, value: child)
      }
      node = .object(object)
    case .index(let position):
      guard case .array(var array) = node else { return }
      node = .null
      if let effective = JSONPath.arrayPosition(position, count: array.count) {
        var child = array[effective]
        array[effective] = .null
        write(value, into: &child, remaining)
        array[effective] = child
      }
      node = .array(array)
    default:
      return
    }
  }
}

extension JSONPath {
  /// Places `value` at the member path `names` inside `node` in one pass, as
  /// ``assign(_:into:)`` does for a Reference Path made only of names. Returns `false`, leaving
  /// `node` in an unspecified state, where a name meets a value that is not an object; the
  /// caller then uses ``assigning(_:into:)`` on the original value to report the error.
  ///
  /// - Complexity: O(*d*) lookups for *d* names; objects along the path are updated in place
  ///   when `node` holds the only reference to them.
  static func place(_ value: JSON, into node: inout JSON, names: ArraySlice<String>) -> Bool {
    guard let key = names.first else {
      node = value
      return true
    }
    if names.count == 1 { return placeMember(value, into: &node, key: key) }
    guard case .object(var object) = node else { return false }
    node = .null
    let remaining = names.dropFirst()
    // Two names or more from here: the last one is placed by `placeMember`.
    if let position = object.position(of: key) {
      var child = object.value(at: position)
      // Leave the child with one owner, so it is changed in place where it can be.
      object.setValue(.null, at: position)
      guard place(value, into: &child, names: remaining) else { return false }
      object.setValue(child, at: position)
    } else {
      var child = value
      for name in remaining.reversed() {
        var wrapper = JSONObject(minimumCapacity: 1)
        wrapper.append(key: name, value: child)
        child = .object(wrapper)
      }
      object.append(key: key, value: child)
    }
    node = .object(object)
    return true
  }

  /// ``place(_:into:names:)`` for one name: sets member `key` of the object `node`. The object is
  /// moved out of `node` while it changes, so it is changed in place when `node` was its only
  /// owner.
  static func placeMember(_ value: JSON, into node: inout JSON, key: String) -> Bool {
    var taken = JSON.null
    swap(&taken, &node)
    guard case .object(var object) = consume taken else { return false }
    if let position = object.position(of: key) {
      object.setValue(value, at: position)
    } else {
      object.append(key: key, value: value)
    }
    node = .object(object)
    return true
  }
}
