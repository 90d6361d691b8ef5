import StepFunctionsJSON

/// Variables visible to a state: its own scope's, then each enclosing scope's (a Map iteration
/// or Parallel branch sees the variables of the states around it; what it assigns stays inside).
final class VariableScope {
  @exclusivity(unchecked) var values: [String: JSON] = [:]
  let parent: VariableScope?

  init(parent: VariableScope?) { self.parent = parent }

  func value(_ name: String) -> JSON? {
    var scope: VariableScope? = self
    while let current = scope {
      if let value = current.values[name] { return value }
      scope = current.parent
    }
    return nil
  }
}
