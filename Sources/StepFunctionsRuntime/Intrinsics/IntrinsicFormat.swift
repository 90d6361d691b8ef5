import StepFunctionsJSON
import StepFunctionsLanguage

/// `States.Format`: templates and how values are written into them.
enum IntrinsicFormat {
  /// A template cut into literal text and placeholders.
  enum Piece: Equatable, Sendable {
    case text(String)
    case placeholder
  }

  /// Cuts a template into pieces. `\{`, `\}`, `\'` and `\\` are escapes; any other backslash is
  /// kept as it is. `{}` is a placeholder; any other brace is an error.
  static func pieces(of template: String) throws(StatesError) -> [Piece] {
    var pieces: [Piece] = []
    var text = String.UnicodeScalarView()
    let scalars = Array(template.unicodeScalars)
    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      switch scalar {
      case "\\":
        if index + 1 < scalars.count, "'{}\\".unicodeScalars.contains(scalars[index + 1]) {
          text.append(scalars[index + 1])
          index += 2
        } else {
          text.append(scalar)
          index += 1
        }
      case "{":
        guard index + 1 < scalars.count, scalars[index + 1] == "}" else {
          // AWS's own words for this case.
          throw .intrinsicFailure(
            "Invalid template in States.Format: matching '}' not found for '{'.")
        }
        if !text.isEmpty {
          pieces.append(.text(String(text)))
          text = String.UnicodeScalarView()
        }
        pieces.append(.placeholder)
        index += 2
      case "}":
        throw .intrinsicFailure(
          "Invalid template in States.Format: matching '{' not found for '}'.")
      default:
        text.append(scalar)
        index += 1
      }
    }
    if !text.isEmpty { pieces.append(.text(String(text))) }
    return pieces
  }

  static func format(_ arguments: [JSON], maximumLength: Int? = nil) throws(StatesError) -> String {
    guard case .string(let template) = arguments[0] else {
      throw IntrinsicEvaluator.failure(
        .format,
        "argument 1 (the template) must be a string, but it is "
          + IntrinsicEvaluator.article(arguments[0].typeName))
    }
    return try format(
      pieces: try pieces(of: template), arguments: arguments, maximumLength: maximumLength)
  }

  /// `States.Format` with its template (`arguments[0]`) already cut into `pieces`; a text
  /// longer than `maximumLength` bytes (UTF-8) is `States.DataLimitExceeded`, found while it is
  /// written.
  static func format(pieces: [Piece], arguments: [JSON], maximumLength: Int? = nil)
    throws(StatesError) -> String
  {
    let placeholders = pieces.reduce(0) { $0 + ($1 == .placeholder ? 1 : 0) }
    let values = arguments.count - 1
    guard placeholders == values else {
      throw IntrinsicEvaluator.failure(
        .format,
        "the template has \(placeholders) placeholder" + (placeholders == 1 ? "" : "s")
          + " '{}' but \(values) value" + (values == 1 ? " was" : "s were") + " given")
    }
    var output = ""
    var next = 1
    for piece in pieces {
      switch piece {
      case .text(let text):
        output += text
        try check(output, maximumLength)
      case .placeholder:
        try render(arguments[next], into: &output, maximumLength: maximumLength)
        next += 1
      }
    }
    return output
  }

  /// The error for a text past `maximumLength`: the payload limit, which the text could not
  /// pass anyway once it is part of the state's data.
  static func check(_ output: String, _ maximumLength: Int?) throws(StatesError) {
    guard let maximumLength, output.utf8.count > maximumLength else { return }
    throw StatesError(
      StatesError.Names.dataLimitExceeded,
      cause:
        "States.Format would return a string with a size exceeding the maximum number of bytes service limit."
    )
  }

  /// Writes a value the way `States.Format` shows it: strings bare, numbers as JSON, arrays as
  /// `[a, b]`, objects as `{key=value, other=[]}` (Java's collection `toString`). Throws
  /// `States.DataLimitExceeded` as soon as `output` is longer than `maximumLength` bytes, so a
  /// value that holds the same array many times over is not written out in full.
  static func render(_ value: JSON, into output: inout String, maximumLength: Int? = nil)
    throws(StatesError)
  {
    switch value {
    case .null: output += "null"
    case .bool(let flag): output += flag ? "true" : "false"
    case .number(let number): output += number.description
    case .string(let text): output += text
    case .array(let elements):
      output += "["
      for (position, element) in elements.enumerated() {
        if position > 0 { output += ", " }
        try render(element, into: &output, maximumLength: maximumLength)
      }
      output += "]"
    case .object(let members):
      output += "{"
      for (position, member) in members.enumerated() {
        if position > 0 { output += ", " }
        output += member.key
        output += "="
        try render(member.value, into: &output, maximumLength: maximumLength)
      }
      output += "}"
    }
    try check(output, maximumLength)
  }
}
