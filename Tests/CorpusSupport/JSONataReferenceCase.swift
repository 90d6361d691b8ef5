import Foundation
import StepFunctionsJSON
import Testing

/// One case of the JSONata reference suite (`../shared/corpus/jsonata/groups/*.json`): the
/// expression, its input and bindings, and what jsonata-js gives. Tests of the engine and of
/// `sfn jsonata` share this loader, so that both run the same cases.
public struct JSONataReferenceCase: CustomTestStringConvertible, Sendable {
  /// `group/id`, as the known-failures list names the case.
  public let key: String
  /// The expression.
  public let expression: String
  /// The input (`$`); nil when the case has none (JSONata's `undefined`).
  public let input: JSON?
  /// The variables the case binds, by name without `$`.
  public let bindings: [String: JSON]
  /// What jsonata-js gives.
  public let expected: Expected
  /// The case's time limit in milliseconds, if it sets one.
  public let timeLimit: Int?
  /// The case's evaluation depth limit, if it sets one.
  public let depth: Int?
  /// Whether an array result may come in any order.
  public let unordered: Bool

  /// What a case expects.
  public enum Expected: Sendable {
    /// A value.
    case result(JSON)
    /// No value (`undefined`).
    case undefined
    /// An error with this code; `details` is the case's error object (`message`, `token`…).
    case error(code: String, details: JSON?)
  }

  /// The key.
  public var testDescription: String { key }

  /// Every case that applies to JSONata 2.0.6: cases added after it (`inBaseline: "new"`)
  /// and `$eval` cases (absent in AWS) are left out.
  public static func load() -> [JSONataReferenceCase] { loadWithUnreadable().cases }

  /// The cases, and the group files the project's JSON parser refuses (it rejects lone
  /// surrogate escapes such as `"\ud800"`, which two groups use).
  public static func loadWithUnreadable() -> (cases: [JSONataReferenceCase], unreadable: [String]) {
    var unreadable: [String] = []
    var datasets: [String: JSON] = [:]
    for url in Corpus.files(in: "jsonata/datasets") {
      datasets[url.deletingPathExtension().lastPathComponent] = try? Corpus.json(at: url)
    }
    var cases: [JSONataReferenceCase] = []
    for url in Corpus.files(in: "jsonata/groups") {
      let group = url.deletingPathExtension().lastPathComponent
      guard let entries = (try? Corpus.json(at: url))?.arrayValue else {
        unreadable.append(group)
        continue
      }
      for entry in entries {
        guard let id = entry["id"]?.stringValue, let expression = entry["expr"]?.stringValue,
          entry["inBaseline"]?.stringValue != "new", !expression.contains("$eval")
        else { continue }
        var input: JSON? = nil
        if let data = entry["data"] {
          input = data
        } else if let name = entry["dataset"]?.stringValue {
          input = datasets[name]
        }
        let expected: Expected
        if let code = entry["code"]?.stringValue {
          expected = .error(code: code, details: entry["error"])
        } else if let error = entry["error"], let code = error["code"]?.stringValue {
          expected = .error(code: code, details: error)
        } else if entry["undefinedResult"]?.boolValue == true {
          expected = .undefined
        } else if let result = entry["result"] {
          expected = .result(result)
        } else {
          expected = .undefined
        }
        cases.append(
          JSONataReferenceCase(
            key: "\(group)/\(id)", expression: expression, input: input,
            bindings: entry["bindings"]?.objectValue.map {
              Dictionary($0.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
            } ?? [:],
            expected: expected, timeLimit: entry["timelimit"]?.numberValue?.intValue,
            depth: entry["depth"]?.numberValue?.intValue,
            unordered: entry["unordered"]?.boolValue == true))
      }
    }
    return (cases, unreadable)
  }

  /// Equality as the suite means it: numbers by value with a tolerance for the last digits of
  /// doubles, arrays in order unless the case says otherwise.
  public static func equal(_ a: JSON, _ b: JSON, unordered: Bool = false) -> Bool {
    switch (a, b) {
    case (.number(let x), .number(let y)):
      if x == y { return true }
      let dx = x.doubleValue
      let dy = y.doubleValue
      return abs(dx - dy) <= 1e-13 * max(abs(dx), abs(dy))
    case (.array(let x), .array(let y)):
      guard x.count == y.count else { return false }
      if unordered {
        var remaining = y
        for item in x {
          guard let index = remaining.firstIndex(where: { equal(item, $0) }) else { return false }
          remaining.remove(at: index)
        }
        return true
      }
      return zip(x, y).allSatisfy { equal($0, $1) }
    case (.object(let x), .object(let y)):
      guard x.count == y.count else { return false }
      for (key, value) in x {
        guard let other = y[key], equal(value, other) else { return false }
      }
      return true
    default:
      return a == b
    }
  }

  /// Checks an outcome against the case: nil when it is what jsonata-js gives, else what went
  /// wrong. `outcome` is a value, nil for undefined, or an error's code and message.
  public func check(_ outcome: Result<JSON?, Failure>) -> String? {
    switch (expected, outcome) {
    case (.result(let want), .success(let got?)):
      if Self.equal(want, got, unordered: unordered) { return nil }
      return "expected \(want), got \(got)"
    case (.result(let want), .success(nil)):
      return "expected \(want), got undefined"
    case (.undefined, .success(nil)):
      return nil
    case (.undefined, .success(let got?)):
      return "expected undefined, got \(got)"
    case (.error(let code, let details), .failure(let error)):
      guard error.code == code else { return "expected error \(code), got \(error)" }
      if let message = details?["message"]?.stringValue, message != error.message {
        return "expected message \(message), got \(error.message)"
      }
      if error.reportsToken, let token = details?["token"]?.stringValue, token != error.token {
        return "expected token \(token), got \(error.token ?? "none")"
      }
      return nil
    case (.error(let code, _), .success(let got)):
      return "expected error \(code), got \(got.map { "\($0)" } ?? "undefined")"
    case (_, .failure(let error)):
      return "unexpected error \(error)"
    }
  }

  /// An evaluation error as the suite checks it.
  public struct Failure: Error, CustomStringConvertible {
    /// JSONata's code (`T2001`…).
    public var code: String
    /// The message.
    public var message: String
    /// The token the error is about, if any.
    public var token: String?
    /// Whether the way the error was reported includes its token (the command line's text
    /// does not), so that it is checked.
    public var reportsToken: Bool

    /// Creates a failure.
    public init(code: String, message: String, token: String?, reportsToken: Bool = true) {
      self.code = code
      self.message = message
      self.token = token
      self.reportsToken = reportsToken
    }

    /// `CODE: message`.
    public var description: String { "\(code): \(message)" }
  }
}
