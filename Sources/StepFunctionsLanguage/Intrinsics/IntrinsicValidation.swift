import StepFunctionsJSON

/// Checks of intrinsic function calls made when a definition is loaded, with the messages AWS
/// uses.
///
/// AWS rejects a payload-template value that is neither a valid path nor a valid intrinsic call
/// with one message, whatever the detail, reported at the template:
/// `SCHEMA_VALIDATION_FAILED: The value for the field 'parsed.$' must be a valid JSONPath or a
/// valid intrinsic function call at /States/IntrinsicEscape/Parameters`. We keep AWS's code and
/// sentence, add what is wrong after a colon (`'States.Nope' is not an intrinsic function`), and
/// point at the member itself (`/States/IntrinsicEscape/Parameters/parsed.$`), so the line and
/// column are those of the offending value.
public enum IntrinsicValidation {
  /// AWS's message for a `.$` field (or `ErrorPath`/`CausePath`) whose value is neither a path
  /// nor a valid intrinsic call.
  public static func invalidFieldMessage(field: String) -> String {
    "The value for the field '\(field)' must be a valid JSONPath or a valid intrinsic function call"
  }

  /// AWS's message for an invalid `.$` field, followed by what is wrong when known:
  /// `The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call:
  /// States.ArrayLength takes 1 argument, but 0 were given`.
  public static func invalidFieldMessage(field: String, reason: String?) -> String {
    guard let reason, !reason.isEmpty else { return invalidFieldMessage(field: field) }
    return invalidFieldMessage(field: field) + ": " + reason
  }

  /// One problem found in intrinsic text.
  public struct Problem: Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// Where, in characters from the start of the text, when known.
    public var offset: Int?

    /// Creates a problem.
    public init(message: String, offset: Int? = nil) {
      self.message = message
      self.offset = offset
    }

    /// The message, with the offset when known.
    public var description: String {
      if let offset { return "\(message) (at character \(offset))" }
      return message
    }
  }

  /// Every problem in intrinsic call text: the syntax error if it does not parse, otherwise
  /// path arguments that are not valid paths (see ``pathArgumentProblems(in:)``) and literal
  /// arguments of the wrong type (see ``literalArgumentProblems(in:)``). Empty when the call is
  /// valid.
  public static func problems(in text: String) -> [Problem] {
    do {
      let call = try IntrinsicCall(parsing: text)
      return pathArgumentProblems(in: call) + literalArgumentProblems(in: call)
    } catch {
      return [Problem(message: error.message, offset: error.offset)]
    }
  }

  /// Path arguments, in this call and the calls nested in it, that the JSONPath parser rejects
  /// (`$$x`, `$.`): the call syntax only delimits a path, it does not check it.
  public static func pathArgumentProblems(in call: IntrinsicCall) -> [Problem] {
    var problems: [Problem] = []
    for path in call.paths {
      do {
        _ = try JSONPath(parsing: path)
      } catch {
        problems.append(Problem(message: "the path '\(path)' is not valid: \(error.message)"))
      }
    }
    return problems
  }

  /// A `SCHEMA_VALIDATION_FAILED` diagnostic when `value`, the value of the payload-template
  /// field `field` (its key, `.$` included), starts with `States.` and is not a valid intrinsic
  /// call; `nil` otherwise. Paths are not checked here. The message is AWS's, followed by the
  /// first problem found (see ``invalidFieldMessage(field:reason:)``).
  ///
  /// - Parameter pointer: the member holding the value
  ///   (`/States/IntrinsicEscape/Parameters/parsed.$`); AWS reports the template that holds it.
  public static func diagnostic(field: String, value: String, at pointer: JSONPointer)
    -> Diagnostic?
  {
    guard IntrinsicCall.isIntrinsicCall(value) else { return nil }
    guard let problem = problems(in: value).first else { return nil }
    return .error(
      .schemaValidationFailed, invalidFieldMessage(field: field, reason: problem.message),
      at: pointer)
  }

  /// What a parameter accepts, for the literal checks.
  enum ParameterKind {
    case any
    case string
    case number
    case array
    case object
    case falseLiteral
    case hashAlgorithm
    case path
  }

  static func parameterKinds(of function: IntrinsicFunction) -> [ParameterKind] {
    switch function {
    case .format: return [.string]
    case .stringToJson: return [.string]
    case .jsonToString: return [.path]
    case .array: return []
    case .arrayPartition: return [.array, .number]
    case .arrayContains: return [.array, .any]
    case .arrayRange: return [.number, .number, .number]
    case .arrayGetItem: return [.array, .number]
    case .arrayLength: return [.array]
    case .arrayUnique: return [.array]
    case .base64Encode: return [.string]
    case .base64Decode: return [.string]
    case .hash: return [.string, .hashAlgorithm]
    case .jsonMerge: return [.object, .object, .falseLiteral]
    case .mathRandom: return [.number, .number, .number]
    case .mathAdd: return [.number, .number]
    case .stringSplit: return [.string, .string]
    case .uuid: return []
    }
  }

  /// The algorithm names `States.Hash` accepts.
  public static let hashAlgorithmNames = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"]

  /// Literal arguments that can never be right, in this call and the calls nested in it: a
  /// string where a number is needed (`States.MathAdd(1, '-1')`), any literal where an array or
  /// an object is needed, a `States.JsonMerge` third argument other than `false`, an unknown
  /// `States.Hash` algorithm, a literal given to `States.JsonToString` (which takes a path).
  /// Paths and nested calls are checked when the machine runs.
  public static func literalArgumentProblems(in call: IntrinsicCall) -> [Problem] {
    var problems: [Problem] = []
    collectLiteralProblems(in: call, into: &problems)
    return problems
  }

  private static func collectLiteralProblems(in call: IntrinsicCall, into problems: inout [Problem])
  {
    let kinds = parameterKinds(of: call.function)
    let name = call.function.name
    for (index, argument) in call.arguments.enumerated() {
      if case .call(let nested) = argument {
        collectLiteralProblems(in: nested, into: &problems)
        continue
      }
      guard index < kinds.count, let literal = argument.literalValue else { continue }
      let position = index + 1
      switch kinds[index] {
      case .any:
        break
      case .string:
        if literal.stringValue == nil {
          problems.append(
            Problem(
              message: "argument \(position) of \(name) must be a string, not a \(literal.typeName)"
            ))
        }
      case .number:
        if literal.numberValue == nil {
          problems.append(
            Problem(
              message: "argument \(position) of \(name) must be a number, not a \(literal.typeName)"
            ))
        }
      case .array:
        problems.append(
          Problem(
            message: "argument \(position) of \(name) must be an array, not a \(literal.typeName)"))
      case .object:
        problems.append(
          Problem(
            message: "argument \(position) of \(name) must be an object, not a \(literal.typeName)")
        )
      case .falseLiteral:
        if literal != .bool(false) {
          problems.append(
            Problem(
              message:
                "argument \(position) of \(name) must be false (only shallow merging is supported)")
          )
        }
      case .hashAlgorithm:
        if let algorithm = literal.stringValue {
          if !hashAlgorithmNames.contains(algorithm) {
            problems.append(
              Problem(
                message: "'\(algorithm)' is not a hash algorithm; use one of "
                  + hashAlgorithmNames.joined(separator: ", ")))
          }
        } else {
          problems.append(
            Problem(
              message: "argument \(position) of \(name) must be a string, not a \(literal.typeName)"
            ))
        }
      case .path:
        problems.append(Problem(message: "the argument of \(name) must be a path"))
      }
    }
  }
}
