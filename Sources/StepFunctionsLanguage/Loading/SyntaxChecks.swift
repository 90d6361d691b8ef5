/// Path syntax as the validator needs it. Replaced by the full JSONPath parser when it lands.
enum PathSyntaxCheck {
  static func error(in text: String, reference: Bool) -> String? {
    guard text.hasPrefix("$") else { return "must start with '$'" }
    if reference {
      for marker in ["..", "*", "[?", "@", ","] where text.contains(marker) {
        return "'\(marker)' is not allowed in a reference path"
      }
    }
    return nil
  }
}

/// Intrinsic call syntax as the validator needs it. Replaced by the full parser when it lands.
enum IntrinsicSyntaxCheck {
  static func error(in text: String) -> String? {
    guard text.hasPrefix("States."), text.hasSuffix(")"), text.contains("(") else {
      return "is not a valid intrinsic function call"
    }
    return nil
  }
}
