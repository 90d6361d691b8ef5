import Foundation
import StepFunctionsJSON

/// A JSONata 2.0.6 expression, parsed and compiled once, evaluated as often as needed.
///
/// ```swift
/// let expression = try JSONataExpression(parsing: "Account.Order.Product.Price ~> $sum()")
/// let total = try expression.evaluate(input: order)   // nil when the result is undefined
/// ```
///
/// The expression is immutable and `Sendable`: one compiled expression can be evaluated from
/// several tasks at once; each evaluation has its own state.
public struct JSONataExpression: Sendable {
  /// The expression as written.
  public let text: String
  let root: Node
  /// The expression evaluated over JSON directly, when it has one of the shapes that allows
  /// (``DirectExpression``).
  let direct: DirectExpression?
  /// Past this many `(`, an expression is parsed on a large stack straight away (its regular
  /// expressions could nest their groups that deep).
  static let callerStackParentheses = 48
  /// How deep an evaluation may go on the caller's stack before it moves to a larger one.
  static let callerStackDepth = 48

  /// Parses and compiles an expression.
  ///
  /// - Throws: `JSONataError` with a syntax code (`S0xxx`) and the character position of the
  ///   problem, or `U1001` when the expression nests deeper than the parser allows. Features
  ///   added after JSONata 2.0.6 (`??`, `?:`) are syntax errors.
  public init(parsing text: String) throws(JSONataError) {
    self.text = text
    do {
      // On the caller's stack while the expression nests little (most do: the parser stops
      // past ``Parser/callerStackNesting``, and a regular expression nests its groups no
      // deeper than the text has parentheses), else again on a large one.
      var parentheses = 0
      for byte in text.utf8 where byte == UInt8(ascii: "(") { parentheses += 1 }
      var parsed: Node?
      if parentheses <= Self.callerStackParentheses {
        do throws(JSONataError) {
          parsed = try Parser.parse(text, onCallerStack: true)
        } catch {
          guard error.code == Parser.largerStackCode else { throw error }
        }
      }
      if let parsed {
        root = parsed
      } else {
        root = try LargeStack.run { try Parser.parse(text) }
      }
    } catch let error as JSONataError {
      throw error.resolved()
    } catch {
      throw JSONataError(code: "U1001", message: "\(error)")
    }
    Node.markSimplePaths(in: root)
    direct = DirectExpression(root)
  }

  /// Evaluates the expression.
  ///
  /// - Parameters:
  ///   - input: The input document (`$`, and the context of the first path step); nil when
  ///     there is none (JSONata's `undefined`, which differs from JSON `null`).
  ///   - bindings: Variables the expression can read, by name without `$`.
  ///   - options: Limits, the clock and random source, and extra functions.
  /// - Returns: The result, or nil when it is `undefined`.
  /// - Throws: `JSONataError` with JSONata's code, position and message; `U1001` when the
  ///   evaluation goes past ``JSONataOptions/maximumDepth``, ``JSONataOptions/maximumSteps``
  ///   or ``JSONataOptions/timeLimit``.
  public func evaluate(
    input: JSON?, bindings: [String: JSON] = [:], options: JSONataOptions = JSONataOptions()
  ) throws(JSONataError) -> JSON? {
    if case .value(let value) = try evaluateResult(
      input: input, bindings: bindings, options: options)
    {
      return value
    }
    return nil
  }

  /// Evaluates the expression like ``evaluate(input:bindings:options:)``, telling a function
  /// result (which has no JSON form) from an undefined one, as AWS Step Functions does in its
  /// error causes.
  public func evaluateResult(
    input: JSON?, bindings: [String: JSON] = [:], options: JSONataOptions = JSONataOptions()
  ) throws(JSONataError) -> JSONataResult {
    try evaluateResult(input: input, bindings: bindings, options: options, allowingDirect: true)
  }

  /// For a host that keeps its variables in a structure of its own (the execution engine):
  /// evaluates the expression over JSON directly, with `$name` given by `variable` (nil when
  /// not bound), when it has one of the shapes that allows it (``DirectExpression``) and the
  /// options' budgets allow it. Nil when the general way must run (with the same variables
  /// as bindings).
  package func directResult(
    input: JSON?, options: JSONataOptions, variable: (String) -> JSON?
  ) -> JSONataResult? {
    guard let direct, options.maximumSteps >= direct.stepBound,
      options.maximumDepth >= direct.depthBound
    else { return nil }
    do {
      let result = try direct.evaluate(
        input: input, variable: variable, functions: options.functionFrame)
      return result.map { .value($0) } ?? .undefined
    } catch {
      return nil
    }
  }

  /// ``evaluateResult(input:bindings:options:)``, over JSON directly where the expression
  /// allows it and `allowingDirect` (tests compare both ways).
  func evaluateResult(
    input: JSON?, bindings: [String: JSON], options: JSONataOptions, allowingDirect: Bool
  ) throws(JSONataError) -> JSONataResult {
    if allowingDirect, let direct, options.maximumSteps >= direct.stepBound,
      options.maximumDepth >= direct.depthBound
    {
      do {
        let result = try direct.evaluate(
          input: input, bindings: bindings, functions: options.functionFrame)
        return result.map { .value($0) } ?? .undefined
      } catch {
        // Not of the direct shapes after all: the general way.
      }
    }
    let now = options.now ?? (Date().timeIntervalSince1970 * 1000).rounded(.down)
    let seed = options.randomSeed ?? UInt64.random(in: .min ... .max)
    do {
      return try run(
        input: input, bindings: bindings, options: options, now: now, seed: seed,
        onCallerStack: true)
    } catch is NeedsLargerStack {
      do {
        return try LargeStack.run {
          try self.run(
            input: input, bindings: bindings, options: options, now: now, seed: seed,
            onCallerStack: false)
        }
      } catch let error as JSONataError {
        throw error
      } catch {
        throw JSONataError(code: "U1001", message: "\(error)")
      }
    } catch let error as JSONataError {
      throw error
    } catch {
      throw JSONataError(code: "U1001", message: "\(error)")
    }
  }

  private func run(
    input: JSON?, bindings: [String: JSON], options: JSONataOptions, now: Double, seed: UInt64,
    onCallerStack: Bool
  ) throws -> JSONataResult {
    let environment = Frame(parent: options.functionFrame.frame, capacity: bindings.count + 1)
    for (name, value) in bindings { environment.bind(name, Value(json: value)) }
    var context = input.map(Value.init(json:))
    environment.bind("$", context)
    if let array = context, array.isArray {
      context = .array(Sequence([array], flags: [.sequence, .outerWrapper]))
    }
    let evaluator = Evaluator(
      maximumDepth: options.maximumDepth, maximumSteps: options.maximumSteps,
      deadline: options.timeLimit.map { ContinuousClock.now + $0 }, globals: Builtins.frame,
      now: now, seed: seed)
    if onCallerStack {
      evaluator.stackDepthLimit = min(options.maximumDepth, Self.callerStackDepth)
    }
    do {
      guard let value = try evaluator.evaluate(root, context, environment) else {
        return .undefined
      }
      if case .function = value { return .function }
      guard let json = try value.resultJSON() else { return .undefined }
      return .value(json)
    } catch let error as JSONataError {
      throw error.resolved()
    }
  }
}

/// What an evaluation gave: a JSON value, nothing (`undefined`), or a function.
public enum JSONataResult: Sendable, Hashable {
  /// A value.
  case value(JSON)
  /// JSONata's `undefined`.
  case undefined
  /// A function (a lambda or a built-in), which has no JSON form.
  case function
}

/// Limits and services for one evaluation.
public struct JSONataOptions: Sendable {
  /// The deepest the evaluation may nest (each sub-expression being evaluated counts one
  /// level, as jsonata-js counts them). Past it the evaluation fails with `U1001`. The default
  /// is safe on a thread with a 512 KiB stack.
  public var maximumDepth: Int
  /// The most sub-expression evaluations one evaluation may perform; past it, `U1001`.
  public var maximumSteps: Int
  /// The longest an evaluation may run; nil for no limit (the step budget still applies).
  public var timeLimit: Duration?
  /// The time `$now()` and `$millis()` report, in milliseconds since 1970 (UTC); nil for the
  /// system clock at the start of the evaluation.
  public var now: Double?
  /// The seed of `$random()` and `$shuffle()`; nil for a random seed.
  public var randomSeed: UInt64?
  /// Extra functions, visible as `$name`; they take precedence over built-ins of that name.
  public var functions: [JSONataFunction] {
    didSet { functionFrame = FunctionFrame(functions) }
  }
  /// The scope holding ``functions`` above the built-ins, made once rather than per
  /// evaluation.
  private(set) var functionFrame: FunctionFrame

  /// Creates options.
  public init(
    maximumDepth: Int = 300, maximumSteps: Int = 50_000_000, timeLimit: Duration? = nil,
    now: Double? = nil, randomSeed: UInt64? = nil, functions: [JSONataFunction] = []
  ) {
    self.maximumDepth = maximumDepth
    self.maximumSteps = maximumSteps
    self.timeLimit = timeLimit
    self.now = now
    self.randomSeed = randomSeed
    self.functions = functions
    functionFrame = FunctionFrame(functions)
  }
}

/// A scope binding extra functions, whose parent is the built-ins' scope.
///
/// `@unchecked Sendable`: the frame is only changed while it is made; evaluations only read
/// it (each binds its own names in a child frame).
final class FunctionFrame: @unchecked Sendable {
  let frame: Frame
  /// The names of the functions.
  private let names: [String]

  /// Whether the frame binds `name` (above the built-ins).
  func binds(_ name: String) -> Bool { names.contains(name) }

  init(_ functions: [JSONataFunction]) {
    names = functions.map(\.name)
    if functions.isEmpty {
      frame = Builtins.frame
      return
    }
    let frame = Frame(parent: Builtins.frame)
    for function in functions { frame.bind(function.name, .function(function.value)) }
    self.frame = frame
  }
}

/// A function implemented in Swift that expressions can call as `$name(…)`.
///
/// Arguments are checked against the signature (JSONata's notation, such as `<n-n?:a<n>>`)
/// before the implementation runs; an undefined argument arrives as nil.
public struct JSONataFunction: Sendable {
  /// The name, without `$`.
  public let name: String
  /// The signature text, or nil to accept any arguments.
  public let signature: String?
  let native: NativeFunction
  /// The function as a runtime value, made once (a native function value is immutable, so
  /// evaluations on several threads can share it).
  nonisolated(unsafe) let value: FunctionValue

  /// Creates a function.
  ///
  /// - Throws: `JSONataError` (`S0401`/`S0402`) when the signature is malformed.
  public init(
    name: String, signature: String?,
    implementation: @escaping @Sendable ([JSON?]) throws(JSONataError) -> JSON?
  ) throws(JSONataError) {
    self.name = name
    self.signature = signature
    let parsed = try signature.map { text throws(JSONataError) in try Signature.parsed(text) }
    native = NativeFunction(name: name, signature: parsed, arity: parsed?.parameters.count ?? 1) {
      _, arguments, _ in
      try implementation(arguments.map { $0?.json() }).map(Value.init(json:))
    }
    value = FunctionValue(.native(native))
  }
}

/// The built-in functions, compiled once.
enum Builtins {
  nonisolated(unsafe) static let frame: Frame = {
    let frame = Frame(parent: nil)
    for function in Library.all {
      frame.bind(function.name, .function(FunctionValue(.native(function))))
    }
    return frame
  }()
}

extension JSONataError {
  /// Fills in the token the message refers to, once it is known.
  func resolved() -> JSONataError {
    var copy = self
    copy.message = message.replacingOccurrences(of: "{{token}}", with: token ?? "")
    return copy
  }
}
