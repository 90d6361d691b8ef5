import StepFunctionsJSON
import StepFunctionsLanguage

/// A compiled JSONPath payload template (Parameters, ResultSelector, ItemSelector, Assign...):
/// literal parts are kept as ready JSON, `.$` keys as compiled paths and intrinsic calls.
indirect enum PayloadTemplate: Sendable {
  /// A value with nothing dynamic in it.
  case literal(JSON)
  /// An object with at least one dynamic member; keys already have `.$` removed. `shape` holds
  /// the keys prepared once when no two members share a key.
  case object([Member], shape: JSONObject.Shape?)
  /// An array with at least one dynamic element.
  case array([PayloadTemplate])
  /// A path (`"key.$": "$.a"`).
  case path(ValueSource, field: String)
  /// An intrinsic function call (`"key.$": "States.Format(...)"`).
  case intrinsic(IntrinsicPlan, field: String)

  struct Member: Sendable {
    let key: String
    let value: PayloadTemplate
    /// Whether an earlier member has the same key (`"a"` and `"a.$"` both give `a`): the value
    /// then replaces the earlier one in place instead of being appended.
    var repeatsKey = false
  }

  /// Compiles a template value.
  static func compile(_ value: JSON) throws(PlanError) -> PayloadTemplate {
    switch value {
    case .object(let object):
      var members: [Member] = []
      members.reserveCapacity(object.count)
      var dynamic = false
      for (key, member) in object {
        if key.hasSuffix(".$"), case .string(let text) = member {
          let name = String(key.dropLast(2))
          dynamic = true
          if IntrinsicPlan.looksLikeCall(text) {
            members.append(
              Member(key: name, value: .intrinsic(try IntrinsicPlan(text: text), field: key)))
          } else {
            members.append(Member(key: name, value: .path(try ValueSource(text: text), field: key)))
          }
        } else {
          let compiled = try compile(member)
          if case .literal = compiled {} else { dynamic = true }
          members.append(Member(key: key, value: compiled))
        }
      }
      var seen = Set<String>()
      var repeats = false
      for index in members.indices where !seen.insert(members[index].key).inserted {
        members[index].repeatsKey = true
        repeats = true
      }
      let shape = repeats ? nil : JSONObject.Shape(members.map(\.key))
      return dynamic ? .object(members, shape: shape) : .literal(value)
    case .array(let elements):
      var compiled: [PayloadTemplate] = []
      var dynamic = false
      for element in elements {
        let node = try compile(element)
        if case .literal = node {} else { dynamic = true }
        compiled.append(node)
      }
      return dynamic ? .array(compiled) : .literal(value)
    default:
      return .literal(value)
    }
  }

  /// Whether evaluating the template may read the Context Object.
  var usesContext: Bool {
    switch self {
    case .literal: return false
    case .object(let members, _): return members.contains { $0.value.usesContext }
    case .array(let elements): return elements.contains { $0.usesContext }
    case .path(let source, _): return source.usesContext
    case .intrinsic(let call, _): return call.usesContext
    }
  }
}
