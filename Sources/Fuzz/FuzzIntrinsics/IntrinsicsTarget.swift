import FuzzSupport
import StepFunctionsJSON
import StepFunctionsLanguage
import StepFunctionsRuntime

/// Fuzzes the intrinsic function parser and evaluator. Input: the call on the first line, then
/// (after a newline) a JSON document that its paths read; without one, a small sample document.
///
/// Invariants: a rejected call has a message and an offset inside the text; an accepted one
/// nests no deeper than `IntrinsicCall.maximumNestingDepth` and prints (`description`) as text
/// that parses to an equal call and prints the same again; evaluating it twice with one seed
/// gives the same value or the same error, and every error is a `States.` error.
enum IntrinsicsTarget {
  static let sample: JSON = [
    "a": [1, 2, 2, "x", ["k": .null]], "s": "a,b;c", "n": 41, "d": 2.5, "o": ["x": ["y": 1]],
    "t": "{\"k\": [1, 2]}", "b64": "aGVsbG8=", "empty": "",
  ]
  static let context: JSON = [
    "Execution": ["Id": "arn:aws:states:us-east-1:123456789012:execution:M:e", "Input": [:]],
    "State": ["Name": "S", "EnteredTime": "2024-01-01T00:00:00.000Z"],
  ]

  static func test(_ bytes: [UInt8]) {
    let (text, rest) = FuzzInput.firstLine(bytes)
    let document = rest.flatMap { try? JSONParser.parse($0) } ?? sample
    let call: IntrinsicCall
    do {
      call = try IntrinsicCall(parsing: text)
    } catch {
      Invariant.require(
        error.offset >= 0 && error.offset <= text.unicodeScalars.count,
        "syntax error offset \(error.offset) outside '\(text)': \(error)")
      Invariant.require(!error.message.isEmpty, "syntax error without a message for '\(text)'")
      return
    }
    Invariant.require(
      call.nestingDepth <= IntrinsicCall.maximumNestingDepth,
      "'\(text)' nests \(call.nestingDepth) deep")
    let printed = call.description
    do {
      let reparsed = try IntrinsicCall(parsing: printed)
      Invariant.require(reparsed == call, "'\(text)' prints as '\(printed)', a different call")
      Invariant.require(
        reparsed.description == printed, "'\(printed)' prints as '\(reparsed.description)'")
    } catch {
      Invariant.fail("'\(text)' prints as '\(printed)', which does not parse: \(error)")
    }

    let first = evaluate(call, document)
    let second = evaluate(call, document)
    switch (first, second) {
    case (.success(let left), .success(let right)):
      Invariant.require(
        JSONSerializer().bytes(left) == JSONSerializer().bytes(right),
        "'\(text)' evaluates to \(left), then \(right)")
    case (.failure(let left), .failure(let right)):
      Invariant.require(left == right, "'\(text)' fails with \(left), then \(right)")
      Invariant.require(left.name.hasPrefix("States."), "'\(text)' fails with \(left)")
    default:
      Invariant.fail("'\(text)' evaluates to \(first), then \(second)")
    }
  }

  /// Evaluates `call` with a fixed seed, its paths read from `document` (`$$` paths from a small
  /// Context Object).
  static func evaluate(_ call: IntrinsicCall, _ document: JSON) -> Result<JSON, StatesError> {
    var random = SeededRandom(seed: 20_251_203)
    return Result { () throws(StatesError) in
      try IntrinsicEvaluator.evaluate(call, random: &random) { (text) throws(StatesError) in
        let path: JSONPath
        do throws(JSONPathSyntaxError) {
          path = try JSONPath(parsing: text)
        } catch {
          throw StatesError.runtime("Invalid path '\(text)': \(error.message)")
        }
        let root = path.root == .context ? context : document
        do throws(JSONPathEvaluationError) {
          return try path.value(in: root)
        } catch {
          throw error.invalidPathError
        }
      }
    }
  }
}
