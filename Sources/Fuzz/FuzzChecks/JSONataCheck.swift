import FuzzSupport
import StepFunctionsJSON
import StepFunctionsJSONata
import StepFunctionsLanguage

/// The checks of the `FuzzJSONata` target: the JSONata parser and evaluator
/// (``JSONataExpression``) with AWS's functions (``AWSFunctions``), on a fuzzed expression and
/// input.
///
/// Input: the expression on the first line, then (after a newline) a JSON input document. Without
/// one, or when it does not parse, the input is undefined. `$states` is bound to
/// `{"input": INPUT}`, as in a state's JSONata fields.
///
/// Invariants: a syntax error has a code starting with `S` (or `U1001`, past the parser's
/// nesting limit) and a position within the text (in UTF-16 units); an evaluation error has a code; two evaluations with one seed (for `$random`,
/// `$shuffle`, `$uuid`) and one clock give the same result or the same error; a result written as
/// JSON text parses back to an equal value. Ending fast is held by a small step budget
/// (``maximumSteps``) and the fuzzer's 10 s timeout; deep nesting moves to the engine's large
/// stack instead of overflowing.
public enum JSONataCheck {
  /// The step budget of one evaluation: small, so that each input ends in milliseconds.
  public static let maximumSteps = 20_000
  /// The clock `$now()` and `$millis()` read: 2026-01-01T00:00:00Z.
  public static let now = 1_767_225_600_000.0
  /// The seed of the random functions.
  public static let seed: UInt64 = 0x5EED

  /// The expression text and the input document an input stands for.
  public static func parse(_ bytes: [UInt8]) -> (expression: String, input: JSON?) {
    let (expression, rest) = FuzzInput.firstLine(bytes)
    let input = rest.flatMap { try? JSONParser.parse($0) }
    return (expression, input)
  }

  /// The outcome of one evaluation, comparable across runs.
  enum Outcome: Equatable {
    case result(JSONataResult)
    case failure(JSONataError)
  }

  /// Evaluates `expression` once with a fresh seeded random source.
  static func evaluate(_ expression: JSONataExpression, _ input: JSON?) -> Outcome {
    var options = JSONataOptions(maximumSteps: maximumSteps, now: now, randomSeed: seed)
    options.functions = AWSFunctions.functions(random: AWSFunctions.seededSource(seed: seed))
    let states: JSON = input.map { ["input": $0] } ?? [:]
    do {
      return .result(
        try expression.evaluateResult(input: input, bindings: ["states": states], options: options))
    } catch {
      return .failure(error)
    }
  }

  /// What one input comes to: `syntax error`, `evaluation error`, `value`, `undefined` or
  /// `function` (for tests that check the seeds reach each outcome).
  public static func outcomeKind(_ bytes: [UInt8]) -> String {
    let (text, input) = parse(bytes)
    guard let expression = try? JSONataExpression(parsing: text) else { return "syntax error" }
    switch evaluate(expression, input) {
    case .failure: return "evaluation error"
    case .result(.value): return "value"
    case .result(.undefined): return "undefined"
    case .result(.function): return "function"
    }
  }

  /// An outcome as text: a value as its JSON text, an error or other result as described.
  static func fingerprint(_ outcome: Outcome) -> String {
    if case .result(.value(let value)) = outcome { return "value " + value.serialized() }
    return "\(outcome)"
  }

  /// Whether every number in `value` is finite (JSON text can hold only those).
  static func isFinite(_ value: JSON) -> Bool {
    switch value {
    case .number(let number): return number.doubleValue.isFinite
    case .array(let items): return items.allSatisfy(isFinite)
    case .object(let object): return object.allSatisfy { isFinite($0.value) }
    default: return true
    }
  }

  /// The invariants `bytes` breaks (empty when it breaks none).
  public static func problems(_ bytes: [UInt8]) -> [String] {
    let (text, input) = parse(bytes)
    var problems: [String] = []
    let expression: JSONataExpression
    do {
      expression = try JSONataExpression(parsing: text)
    } catch {
      // U1001: the expression nests deeper than the parser's limit (a limit, not a syntax code).
      if !error.code.hasPrefix("S") && error.code != "U1001" {
        problems.append("'\(text)': a syntax error with code \(error.code): \(error)")
      }
      if let position = error.position, position < 0 || position > text.utf16.count {
        problems.append("'\(text)': syntax error position \(position) outside the text: \(error)")
      }
      if error.message.isEmpty { problems.append("'\(text)': a syntax error without a message") }
      return problems
    }
    if expression.text != text { problems.append("'\(text)': the expression forgot its text") }
    let first = evaluate(expression, input)
    let second = evaluate(expression, input)
    // Compared as text, which also holds if a result ever carried NaN (not equal to itself);
    // results hold only finite numbers (NaN and ±Infinity are error D1001).
    if fingerprint(first) != fingerprint(second) {
      problems.append("'\(text)': two evaluations with one seed differ: \(first) and \(second)")
    }
    switch first {
    case .failure(let error):
      if error.code.isEmpty { problems.append("'\(text)': an evaluation error without a code") }
    case .result(.value(let value)):
      // A number JSON cannot hold (NaN, ±Infinity) is error D1001, never part of a result.
      if !isFinite(value) {
        problems.append("'\(text)': the result holds a number JSON cannot hold")
      }
      let serialized = value.serialized()
      do {
        let reparsed = try JSONParser.parse(serialized)
        if reparsed.serialized() != serialized || (isFinite(value) && reparsed != value) {
          problems.append(
            "'\(text)': the result \(Invariant.abbreviated(serialized)) parses back to another value"
          )
        }
      } catch {
        problems.append(
          "'\(text)': the result \(Invariant.abbreviated(serialized)) does not parse: \(error)")
      }
    case .result(.undefined), .result(.function):
      break
    }
    return problems
  }
}
