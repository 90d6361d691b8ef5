/// Path syntax as the validator needs it, from the JSONPath parser.
enum PathSyntaxCheck {
  static func error(in text: String, reference: Bool) -> String? {
    let path: JSONPath
    do {
      path = try JSONPath(parsing: text)
    } catch {
      return error.message
    }
    if reference, let violation = path.referencePathViolation { return violation }
    return nil
  }
}

/// Intrinsic call syntax and literal-argument checks, from the intrinsic parser.
enum IntrinsicSyntaxCheck {
  static func error(in text: String) -> String? {
    IntrinsicValidation.problems(in: text).first?.message
  }
}
