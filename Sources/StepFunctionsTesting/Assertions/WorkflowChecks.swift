import StepFunctions

/// The checks behind the `expect...` assertions, as plain functions: each returns `nil` when the
/// check passes, or the failure message a person reads — what was expected, what happened, and a
/// diff. Use them with any test framework, or to build your own assertions.
///
/// ```swift
/// if let message = WorkflowChecks.path(of: run, is: ["Start", "Work", "Done"]) {
///   print(message)
/// }
/// ```
public enum WorkflowChecks {
  /// Checks that the execution succeeded.
  public static func succeeded(_ run: WorkflowRun) -> String? {
    guard run.status != .succeeded else { return nil }
    return "Expected the execution to succeed, but it \(outcome(of: run)).\n" + context(of: run)
  }

  /// Checks that the execution failed — with the error `error` and cause `cause` when given.
  public static func failed(_ run: WorkflowRun, error: String? = nil, cause: String? = nil)
    -> String?
  {
    var wanted = "fail"
    if let error { wanted += " with the error \(quoted(error))" }
    if let cause { wanted += "\(error == nil ? " with" : " and") the cause \(quoted(cause))" }
    let matches =
      run.status == .failed && (error == nil || run.error == error)
      && (cause == nil || run.cause == cause)
    guard !matches else { return nil }
    return "Expected the execution to \(wanted), but it \(outcome(of: run)).\n" + context(of: run)
  }

  /// Checks that the execution ended with `status`.
  public static func status(of run: WorkflowRun, is status: ExecutionStatus) -> String? {
    guard run.status != status else { return nil }
    return "Expected the execution to end \(status.rawValue), but it \(outcome(of: run)).\n"
      + context(of: run)
  }

  /// Checks that the states entered, in order, are exactly `names`.
  public static func path(of run: WorkflowRun, is names: [String]) -> String? {
    path(run.stateNames, is: names)
  }

  /// Checks that `actual` equals `expected`, showing a line diff when not.
  public static func path(_ actual: [String], is expected: [String]) -> String? {
    guard actual != expected else { return nil }
    var message = "The path taken differs from the expected path"
    if let first = zip(expected, actual).enumerated().first(where: { $0.element.0 != $0.element.1 })
    {
      message +=
        " at step \(first.offset + 1): expected \(quoted(first.element.0)), found \(quoted(first.element.1))."
    } else if actual.count < expected.count {
      message +=
        ": it stopped after \(actual.count) of \(expected.count) steps; next expected \(quoted(expected[actual.count]))."
    } else {
      message +=
        ": it went on after the \(expected.count) expected steps with \(quoted(actual[expected.count]))."
    }
    message += "\n  expected: \(expected.joined(separator: " → "))"
    message += "\n  actual:   \(actual.joined(separator: " → "))"
    message += "\n  diff (- expected only, + actual only):\n"
    message += lineDiff(expected: expected, actual: actual).map { "    \($0)" }.joined(
      separator: "\n")
    return message
  }

  /// Checks that the state `name` was entered exactly `times` times.
  public static func entered(_ run: WorkflowRun, state name: String, times: Int) -> String? {
    let count = run.timesEntered(name)
    guard count != times else { return nil }
    return
      "Expected the state \(quoted(name)) to be entered \(plural(times, "time")), but it was entered \(plural(count, "time")).\n  path: \(run.path)"
  }

  /// Checks that the output contains `subset` (see ``JSONSubset``).
  public static func output(of run: WorkflowRun, matches subset: JSON) -> String? {
    guard let output = run.output else {
      return
        "Expected an output matching \(subset.serialized()), but the execution \(outcome(of: run)) and has no output."
    }
    let mismatches = JSONSubset.mismatches(expected: subset, actual: output)
    guard !mismatches.isEmpty else { return nil }
    return "The output does not match:\n"
      + mismatches.map { "  \($0)" }.joined(separator: "\n")
      + "\n  output: \(output.serialized())"
  }

  /// Checks that at least one call (of the state `stateName`, when given) had parameters
  /// containing `subset`.
  public static func called(
    _ calls: [RecordedCall], withParametersMatching subset: JSON, inState stateName: String? = nil
  ) -> String? {
    let candidates = stateName.map { name in calls.filter { $0.stateName == name } } ?? calls
    let described = stateName.map { " by the state \(quoted($0))" } ?? ""
    guard !candidates.isEmpty else {
      return
        "Expected a call\(described) with parameters matching \(subset.serialized()), but there were no calls\(described)\(calls.isEmpty ? "" : " (calls by other states: \(Set(calls.map(\.stateName)).sorted().joined(separator: ", ")))")."
    }
    var report: [String] = []
    for call in candidates {
      let mismatches = JSONSubset.mismatches(expected: subset, actual: call.parameters)
      if mismatches.isEmpty { return nil }
      report.append(
        "  call \(report.count + 1) (\(call.stateName), attempt \(call.attempt)): \(call.parameters.serialized())\n"
          + mismatches.map { "    \($0)" }.joined(separator: "\n"))
    }
    return
      "Expected a call\(described) with parameters matching \(subset.serialized()), but none of the \(plural(candidates.count, "call")) did:\n"
      + report.joined(separator: "\n")
  }

  /// Checks that there were exactly `count` calls (by the state `stateName`, when given).
  public static func callCount(
    _ calls: [RecordedCall], is count: Int, inState stateName: String? = nil
  )
    -> String?
  {
    let candidates = stateName.map { name in calls.filter { $0.stateName == name } } ?? calls
    guard candidates.count != count else { return nil }
    let described = stateName.map { " by the state \(quoted($0))" } ?? ""
    return
      "Expected \(plural(count, "call"))\(described), but there \(candidates.count == 1 ? "was" : "were") \(candidates.count)."
      + (candidates.isEmpty ? "" : "\n" + candidates.map { "  \($0)" }.joined(separator: "\n"))
  }

  /// Checks that every task was answered: no uncovered mocked invocation, no task without a mock
  /// or handler.
  public static func everyTaskAnswered(_ run: WorkflowRun) -> String? {
    let problems = run.setupProblems
    guard !problems.isEmpty else { return nil }
    return "Some tasks got no answer from the test set-up:\n"
      + problems.map { "  \($0)" }.joined(separator: "\n")
  }

  // MARK: Message pieces

  /// `succeeded`, `FAILED with States.TaskFailed: cause`...
  static func outcome(of run: WorkflowRun) -> String {
    switch run.status {
    case .succeeded: return "SUCCEEDED"
    case .running:
      return "did not end (it is still RUNNING)\(run.cause.map { ": " + $0 } ?? "")"
    default:
      var text = "ended \(run.status.rawValue)"
      if let error = run.error { text += " with \(error)" }
      if let cause = run.cause, !cause.isEmpty { text += ": \(cause)" }
      return text
    }
  }

  static func context(of run: WorkflowRun) -> String {
    var lines = [
      "  path: \(run.path.description.isEmpty ? "(no states entered)" : run.path.description)"
    ]
    if let last = run.path.steps.last {
      lines.append("  last state: \(last.label) (\(last.type)), input \(last.input.serialized())")
    }
    for problem in run.setupProblems { lines.append("  set-up problem: \(problem)") }
    return lines.joined(separator: "\n")
  }

  static func quoted(_ text: String) -> String { "'\(text)'" }

  static func plural(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
  }

  /// A line diff by longest common subsequence: `  same`, `- expected only`, `+ actual only`.
  static func lineDiff(expected: [String], actual: [String]) -> [String] {
    let rows = expected.count
    let columns = actual.count
    var table = [[Int]](repeating: [Int](repeating: 0, count: columns + 1), count: rows + 1)
    if rows > 0 && columns > 0 {
      for row in stride(from: rows - 1, through: 0, by: -1) {
        for column in stride(from: columns - 1, through: 0, by: -1) {
          table[row][column] =
            expected[row] == actual[column]
            ? table[row + 1][column + 1] + 1 : max(table[row + 1][column], table[row][column + 1])
        }
      }
    }
    var lines: [String] = []
    var row = 0
    var column = 0
    while row < rows || column < columns {
      if row < rows, column < columns, expected[row] == actual[column] {
        lines.append("  \(expected[row])")
        row += 1
        column += 1
      } else if column < columns, row == rows || table[row][column + 1] >= table[row + 1][column] {
        lines.append("+ \(actual[column])")
        column += 1
      } else {
        lines.append("- \(expected[row])")
        row += 1
      }
    }
    return lines
  }
}

/// Matching a JSON value against a subset of it: what `...Matching` assertions use.
///
/// - An object matches when every member of the expected object is in the actual object (by key)
///   and matches; other members are ignored.
/// - An array matches an array of the same length whose elements match one by one.
/// - Anything else must be equal (numbers by value: `1` matches `1.0`).
public enum JSONSubset {
  /// Whether `actual` contains `expected`.
  public static func matches(expected: JSON, actual: JSON) -> Bool {
    mismatches(expected: expected, actual: actual).isEmpty
  }

  /// Each difference, one line each, with a path: `$.Payload.id: expected "a", found "b"`.
  public static func mismatches(expected: JSON, actual: JSON) -> [String] {
    var lines: [String] = []
    compare(expected, actual, path: "$", into: &lines)
    return lines
  }

  private static func compare(
    _ expected: JSON, _ actual: JSON, path: String, into lines: inout [String]
  ) {
    switch (expected, actual) {
    case (.object(let wanted), .object(let found)):
      for (key, value) in wanted {
        let memberPath = path + member(key)
        guard let present = found[key] else {
          lines.append("\(memberPath): missing (expected \(value.serialized()))")
          continue
        }
        compare(value, present, path: memberPath, into: &lines)
      }
    case (.array(let wanted), .array(let found)):
      guard wanted.count == found.count else {
        lines.append(
          "\(path): expected an array of \(wanted.count) element\(wanted.count == 1 ? "" : "s"), found \(found.count): \(actual.serialized())"
        )
        return
      }
      for (index, pair) in zip(wanted, found).enumerated() {
        compare(pair.0, pair.1, path: "\(path)[\(index)]", into: &lines)
      }
    default:
      if expected != actual {
        lines.append("\(path): expected \(expected.serialized()), found \(actual.serialized())")
      }
    }
  }

  private static func member(_ key: String) -> String {
    let simple =
      !key.isEmpty && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
      && !(key.first?.isNumber ?? true)
    return simple ? ".\(key)" : "[\(JSON.string(key).serialized())]"
  }
}
