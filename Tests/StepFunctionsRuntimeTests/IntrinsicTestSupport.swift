import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

@testable import StepFunctionsRuntime

/// Resolves the simple paths the tests use: `$`, `$.a.b`, `$.list[2]`, and `$$.Execution.Input...`
/// (read from the same input). Anything else is reported as unsupported.
enum TestPaths {
  struct Unsupported: Error {
    var path: String
  }

  static func resolve(_ path: String, in input: JSON) -> JSON? {
    var rest: Substring
    if path == "$" || path == "$$.Execution.Input" { return input }
    if path.hasPrefix("$$.Execution.Input.") {
      rest = path.dropFirst("$$.Execution.Input.".count)
    } else if path.hasPrefix("$.") {
      rest = path.dropFirst(2)
    } else {
      return nil
    }
    var current = input
    for component in rest.split(separator: ".", omittingEmptySubsequences: false) {
      var name = component
      var index: Int?
      if let open = name.firstIndex(of: "["), name.last == "]" {
        index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)])
        name = name[..<open]
        if index == nil { return nil }
      }
      guard let member = current[String(name)] else { return nil }
      current = member
      if let index {
        guard let element = current[index] else { return nil }
        current = element
      }
    }
    return current
  }

  static func isSupported(_ path: String) -> Bool {
    path == "$" || path.hasPrefix("$.") || path.hasPrefix("$$.Execution.Input")
  }
}

/// Parses and runs intrinsic text against an input, the way the executor will.
func runIntrinsic(_ text: String, input: JSON = [:], seed: UInt64 = 1) throws -> JSON {
  let call = try IntrinsicCall(parsing: text)
  var random = SeededRandom(seed: seed)
  return try IntrinsicEvaluator.evaluate(call, random: &random) {
    (path: String) throws(StatesError) -> JSON in
    guard let value = TestPaths.resolve(path, in: input) else {
      throw StatesError.runtime("The JSONPath '\(path)' could not be found in the input")
    }
    return value
  }
}

/// The `StatesError` a call fails with, or `nil` when it succeeds.
func intrinsicFailure(_ text: String, input: JSON = [:]) -> StatesError? {
  do {
    _ = try runIntrinsic(text, input: input)
    return nil
  } catch let error as StatesError {
    return error
  } catch {
    Issue.record("unexpected error \(error)")
    return nil
  }
}
