import StepFunctionsJSON

/// A parsed intrinsic function call such as `States.Format('Hello {}', $.name)`.
///
/// Calls are parsed once, when a definition is loaded. Arguments are literals, paths (kept as
/// their text for the JSONPath compiler) or nested calls. The value is immutable and `Sendable`.
///
/// ```swift
/// let call = try IntrinsicCall(parsing: "States.MathAdd($.count, -1)")
/// call.function    // .mathAdd
/// call.arguments   // [.path("$.count"), .number(-1)]
/// ```
public struct IntrinsicCall: Sendable, Hashable {
  /// The function called.
  public let function: IntrinsicFunction
  /// The arguments, in order.
  public let arguments: [IntrinsicArgument]

  /// Creates a call from parts, without checking the argument count.
  public init(function: IntrinsicFunction, arguments: [IntrinsicArgument]) {
    self.function = function
    self.arguments = arguments
  }

  /// Parses the text of a call, as written in a payload-template value whose key ends in `.$`.
  ///
  /// The whole text must be one call: nothing may precede `States.` or follow the closing
  /// parenthesis. Inside the parentheses, white space may surround arguments. String literals
  /// use single quotes; the only escapes are `\'`, `\{`, `\}` and `\\` (AWS rejects any other
  /// backslash, `\"` included). Each function's argument count is checked.
  ///
  /// - Throws: ``IntrinsicSyntaxError`` with a message and the character offset of the problem.
  public init(parsing text: String) throws(IntrinsicSyntaxError) {
    var parser = IntrinsicParser(text: text)
    self = try parser.parseWholeCall()
  }

  /// Whether a payload-template `.$` value (or another path-or-intrinsic field) is meant as an
  /// intrinsic function call rather than a path: it starts with `States.`.
  ///
  /// This only classifies; a value that starts with `States.` may still fail to parse.
  public static func isIntrinsicCall(_ text: String) -> Bool {
    text.utf8.starts(with: "States.".utf8)
  }

  /// The largest nesting of calls inside calls the parser accepts, to keep recursion bounded.
  public static let maximumNestingDepth = 64

  /// The literal value of the argument at `index` as the evaluator expects it, or `nil` when
  /// that argument is a path or a nested call (or there is no such argument).
  ///
  /// A literal template of `States.Format` comes back with its escapes intact (see
  /// ``IntrinsicArgument/formatTemplate(_:)``); every other literal comes back decoded.
  public func literalValue(at index: Int) -> JSON? {
    guard arguments.indices.contains(index) else { return nil }
    return arguments[index].literalValue
  }

  /// Every path this call reads, nested calls included, in the order written.
  public var paths: [String] {
    var result: [String] = []
    collectPaths(into: &result)
    return result
  }

  private func collectPaths(into result: inout [String]) {
    for argument in arguments {
      switch argument {
      case .path(let path): result.append(path)
      case .call(let call): call.collectPaths(into: &result)
      default: continue
      }
    }
  }

  /// How deeply calls nest: 1 for a call without nested calls.
  public var nestingDepth: Int {
    var deepest = 0
    for case .call(let call) in arguments { deepest = max(deepest, call.nestingDepth) }
    return deepest + 1
  }
}

extension IntrinsicCall: CustomStringConvertible {
  /// The call written back as intrinsic text, in a canonical form (`, ` between arguments,
  /// reserved characters in strings escaped). Parsing the result gives an equal call.
  public var description: String {
    var text = function.rawValue + "("
    for (position, argument) in arguments.enumerated() {
      if position > 0 { text += ", " }
      text += argument.description
    }
    return text + ")"
  }
}

/// One argument of an ``IntrinsicCall``.
public enum IntrinsicArgument: Sendable, Hashable {
  /// A string literal, decoded (`'it\'s'` is `it's`).
  case string(String)
  /// The literal first argument of `States.Format`, kept exactly as written between the quotes,
  /// escapes included (`'\{{}\}'` is `\{{}\}`). `States.Format` reads escapes itself, so that an
  /// escaped `\{` stays a brace and never becomes part of a `{}` placeholder.
  case formatTemplate(String)
  /// A number literal; integers stay integers (`-1`, `2`, `1.5`).
  case number(JSONNumber)
  /// `true` or `false`.
  case boolean(Bool)
  /// `null`.
  case null
  /// A path, as written: `$.a`, `$`, `$$.Execution.Id`, `$variable.field`,
  /// `$.list[?(@.x == 1)]`.
  case path(String)
  /// A nested call.
  case call(IntrinsicCall)

  /// The JSON value of a literal argument, or `nil` for a path or a nested call. A
  /// ``formatTemplate(_:)`` gives its text with the escapes still in place.
  public var literalValue: JSON? {
    switch self {
    case .string(let value): return .string(value)
    case .formatTemplate(let raw): return .string(raw)
    case .number(let number): return .number(number)
    case .boolean(let flag): return .bool(flag)
    case .null: return .null
    case .path, .call: return nil
    }
  }

  /// Whether the argument is a literal (not a path, not a call).
  public var isLiteral: Bool { literalValue != nil }
}

extension IntrinsicArgument: CustomStringConvertible {
  /// The argument as intrinsic text.
  public var description: String {
    switch self {
    case .string(let value): return "'" + IntrinsicArgument.escape(value) + "'"
    case .formatTemplate(let raw): return "'" + raw + "'"
    case .number(let number): return number.description
    case .boolean(let flag): return flag ? "true" : "false"
    case .null: return "null"
    case .path(let path): return path
    case .call(let call): return call.description
    }
  }

  /// Escapes the reserved characters `'`, `{`, `}` and `\` with a backslash.
  ///
  /// Works on Unicode scalars, not characters: a reserved character followed by a combining
  /// mark (`\` + U+0301) is one `Character` but still needs its backslash.
  public static func escape(_ value: String) -> String {
    var result = String.UnicodeScalarView()
    for scalar in value.unicodeScalars {
      switch scalar {
      case "'", "{", "}", "\\": result.append("\\")
      default: break
      }
      result.append(scalar)
    }
    return String(result)
  }
}

/// Why intrinsic text could not be parsed: a message and where.
public struct IntrinsicSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong.
  public var message: String
  /// Where, counted in characters from the start of the text.
  public var offset: Int

  /// Creates an error.
  public init(message: String, offset: Int) {
    self.message = message
    self.offset = offset
  }

  /// `message (at character N)`.
  public var description: String { "\(message) (at character \(offset))" }
}
