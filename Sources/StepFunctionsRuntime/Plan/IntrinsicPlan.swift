import StepFunctionsJSON
import StepFunctionsLanguage

/// A compiled intrinsic function call: literal arguments as JSON, path arguments as compiled
/// paths, nested calls compiled in turn.
struct IntrinsicPlan: Sendable {
  enum Argument: Sendable {
    case literal(JSON)
    case path(ValueSource)
    case call(IntrinsicPlan)
  }

  let function: IntrinsicFunction
  let arguments: [Argument]
  /// For `States.Format` with a literal, valid template: the template cut into pieces once.
  let formatPieces: [IntrinsicFormat.Piece]?
  /// Whether ``formatPieces`` has exactly one placeholder per value argument, so the call can be
  /// written straight from its arguments.
  let formatMatchesArguments: Bool

  static func looksLikeCall(_ text: String) -> Bool { IntrinsicCall.isIntrinsicCall(text) }

  init(text: String) throws(PlanError) {
    let call: IntrinsicCall
    do {
      call = try IntrinsicCall(parsing: text)
    } catch {
      throw PlanError(message: "Invalid intrinsic function call '\(text)': \(error.message)")
    }
    try self.init(call)
  }

  init(_ call: IntrinsicCall) throws(PlanError) {
    function = call.function
    var compiled: [Argument] = []
    for argument in call.arguments {
      switch argument {
      case .path(let text): compiled.append(.path(try ValueSource(text: text)))
      case .call(let nested): compiled.append(.call(try IntrinsicPlan(nested)))
      default: compiled.append(.literal(argument.literalValue ?? .null))
      }
    }
    arguments = compiled
    if function == .format, case .literal(.string(let template))? = compiled.first {
      formatPieces = try? IntrinsicFormat.pieces(of: template)
    } else {
      formatPieces = nil
    }
    let placeholders = formatPieces?.reduce(0) { $0 + ($1 == .placeholder ? 1 : 0) }
    formatMatchesArguments = placeholders == compiled.count - 1
  }

  var usesContext: Bool {
    arguments.contains { argument in
      switch argument {
      case .literal: return false
      case .path(let source): return source.usesContext
      case .call(let nested): return nested.usesContext
      }
    }
  }
}
