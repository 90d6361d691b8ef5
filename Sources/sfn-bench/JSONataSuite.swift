import Foundation
import StepFunctions
import StepFunctionsJSONata

/// The JSONata reference suite (`../shared/corpus/jsonata`), compiled and evaluated case by case
/// here and, in the same run, by jsonatapy (the Rust implementation on PyPI) through `python3`.
///
/// The cases are the ones the engine's reference-suite test runs: the 2.0.6 cases (not
/// `inBaseline: "new"`) without `$eval`, from the group files this project's JSON parser reads
/// (two groups with lone surrogates are not). Both sides get exactly these cases: they are
/// written to a file that the generated Python script reads.
///
/// What is timed, on both sides, is per case: compiling the expression and evaluating it on
/// its input with its bindings (and the suite's depth and time limits), giving a value in the
/// host's representation — a `JSON` here, Python objects there (`jsonatapy.compile(expr)`
/// then `.evaluate(data, bindings)`). Reading the suite, converting the inputs to the host's
/// form beforehand and checking the results are not timed. Each side runs the whole suite
/// `rounds` times; the best round's total is reported, and the cases passed come from the
/// first round.
enum JSONataSuite {
  struct Case {
    var key: String
    var expression: String
    var input: JSON?
    var bindings: [String: JSON]
    /// A value, nil for undefined; or the error code (and message, when the suite gives one).
    var expected: Expected
    var timeLimit: Int?
    var depth: Int?
    var unordered: Bool

    enum Expected {
      case result(JSON?)
      case error(code: String, message: String?)
    }
  }

  static func load(_ settings: BenchSettings) throws(BenchError) -> (
    cases: [Case], unreadable: [String]
  ) {
    let folder = (settings.corpusDirectory as NSString).appendingPathComponent("jsonata")
    func files(_ name: String) -> [String] {
      let path = (folder as NSString).appendingPathComponent(name)
      let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
      return names.filter { $0.hasSuffix(".json") }.sorted().map {
        (path as NSString).appendingPathComponent($0)
      }
    }
    func read(_ path: String) -> JSON? {
      FileManager.default.contents(atPath: path).flatMap { try? JSONParser.parse([UInt8]($0)) }
    }
    let groups = files("groups")
    guard !groups.isEmpty else {
      throw BenchError(
        "no JSONata reference suite at \(folder)/groups (set --corpus-dir to the shared corpus)")
    }
    var datasets: [String: JSON] = [:]
    for path in files("datasets") {
      datasets[((path as NSString).lastPathComponent as NSString).deletingPathExtension] =
        read(path)
    }
    var cases: [Case] = []
    var unreadable: [String] = []
    for path in groups {
      let group = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
      guard let entries = read(path)?.arrayValue else {
        unreadable.append(group)
        continue
      }
      for entry in entries {
        guard let id = entry["id"]?.stringValue, let expression = entry["expr"]?.stringValue,
          entry["inBaseline"]?.stringValue != "new", !expression.contains("$eval")
        else { continue }
        let input = entry["data"] ?? entry["dataset"]?.stringValue.flatMap { datasets[$0] }
        let expected: Case.Expected
        if let code = entry["code"]?.stringValue ?? entry["error"]?["code"]?.stringValue {
          expected = .error(code: code, message: entry["error"]?["message"]?.stringValue)
        } else if entry["undefinedResult"]?.boolValue == true {
          expected = .result(nil)
        } else {
          expected = .result(entry["result"])
        }
        var bindings: [String: JSON] = [:]
        for (name, value) in entry["bindings"]?.objectValue ?? JSONObject() {
          bindings[name] = value
        }
        cases.append(
          Case(
            key: "\(group)/\(id)", expression: expression, input: input, bindings: bindings,
            expected: expected, timeLimit: entry["timelimit"]?.numberValue?.intValue,
            depth: entry["depth"]?.numberValue?.intValue,
            unordered: entry["unordered"]?.boolValue == true))
      }
    }
    return (cases, unreadable)
  }

  /// Equality as the suite means it: numbers by value with a tolerance for the last digits of
  /// doubles, arrays in order unless the case says otherwise.
  static func equal(_ a: JSON, _ b: JSON, unordered: Bool = false) -> Bool {
    switch (a, b) {
    case (.number(let x), .number(let y)):
      let dx = x.doubleValue
      let dy = y.doubleValue
      return x == y || abs(dx - dy) <= 1e-13 * max(abs(dx), abs(dy))
    case (.array(let x), .array(let y)):
      guard x.count == y.count else { return false }
      guard unordered else { return zip(x, y).allSatisfy { equal($0, $1) } }
      var remaining = y
      for item in x {
        guard let index = remaining.firstIndex(where: { equal(item, $0) }) else { return false }
        remaining.remove(at: index)
      }
      return true
    case (.object(let x), .object(let y)):
      return x.count == y.count
        && x.allSatisfy { key, value in y[key].map { equal(value, $0) } ?? false }
    default:
      return a == b
    }
  }

  /// Whether an outcome is the case's expected one (for an error: its code, and its message
  /// when the suite gives one).
  static func passes(_ testCase: Case, _ outcome: Result<JSON?, JSONataError>) -> Bool {
    switch (testCase.expected, outcome) {
    case (.result(let want?), .success(let got?)):
      return equal(want, got, unordered: testCase.unordered)
    case (.result(nil), .success(nil)):
      return true
    case (.error(let code, let message), .failure(let error)):
      return error.code == code && (message == nil || message == error.message)
    default:
      return false
    }
  }

  /// Compiles and evaluates every case once; returns the seconds spent doing that, summed over
  /// the cases, and the outcomes.
  static func runOurs(_ cases: [Case]) -> (
    seconds: Double, outcomes: [Result<JSON?, JSONataError>], times: [Double]
  ) {
    var seconds = 0.0
    var times: [Double] = []
    times.reserveCapacity(cases.count)
    var outcomes: [Result<JSON?, JSONataError>] = []
    outcomes.reserveCapacity(cases.count)
    for testCase in cases {
      var options = JSONataOptions()
      if let depth = testCase.depth { options.maximumDepth = depth }
      if let limit = testCase.timeLimit { options.timeLimit = .milliseconds(limit) }
      let start = monotonicSeconds()
      let outcome: Result<JSON?, JSONataError>
      do {
        let compiled = try JSONataExpression(parsing: testCase.expression)
        outcome = .success(
          try compiled.evaluate(
            input: testCase.input, bindings: testCase.bindings, options: options))
      } catch {
        outcome = .failure(error)
      }
      let elapsed = monotonicSeconds() - start
      seconds += elapsed
      times.append(elapsed)
      outcomes.append(outcome)
    }
    return (seconds, outcomes, times)
  }

  static func run(_ settings: BenchSettings) async throws(BenchError) -> CaseReport {
    let (cases, unreadable) = try load(settings)
    let rounds = settings.runs ?? 5
    var report = CaseReport(name: "jsonata_suite")
    report.set("cases", integer: cases.count)
    if !unreadable.isEmpty {
      report.set("groups_not_read", text: unreadable.joined(separator: ","))
    }
    report.set("rounds", integer: rounds)
    // Ours.
    var best = Double.infinity
    var passed = 0
    var failures: [String] = []
    var slowest: [String] = []
    var bestTimes: [Double] = []
    for round in 0..<rounds {
      let (seconds, outcomes, times) = runOurs(cases)
      if seconds < best {
        best = seconds
        bestTimes = times
        slowest = zip(cases, times).sorted { $0.1 > $1.1 }.prefix(3).map {
          "\($0.0.key) \(String(format: "%.3f", $0.1)) s"
        }
      }
      if round == 0 {
        for (testCase, outcome) in zip(cases, outcomes) {
          if passes(testCase, outcome) { passed += 1 } else { failures.append(testCase.key) }
        }
      }
    }
    report.set("ours_passed", integer: passed)
    report.set("ours_seconds", best)
    report.set("ours_slowest", text: slowest.joined(separator: ", "))
    if !failures.isEmpty { report.set("ours_failed", text: failures.joined(separator: ",")) }
    let ourFailures = Set(failures)
    // jsonatapy, on the same cases.
    let theirs = try jsonatapy(cases, rounds: rounds)
    switch theirs {
    case .missing(let reason):
      report.set("jsonatapy", text: "not run: \(reason) (nothing is installed)")
    case .measured(let passed, let seconds, let version, let failed, let times):
      report.set("jsonatapy_version", text: version)
      report.set("jsonatapy_passed", integer: passed)
      report.set("jsonatapy_seconds", seconds)
      report.set("speedup", seconds / best)
      if !failed.isEmpty { report.set("jsonatapy_failed", text: failed.joined(separator: ",")) }
      if times.count == cases.count {
        report.set(
          "jsonatapy_slowest",
          text: zip(cases, times).sorted { $0.1 > $1.1 }.prefix(3).map {
            "\($0.0.key) \(String(format: "%.3f", $0.1)) s"
          }.joined(separator: ", "))
        // The cases both pass, timed in each side's best round.
        let failing = Set(failed).union(ourFailures)
        var ours = 0.0
        var theirs = 0.0
        var common = 0
        for (index, testCase) in cases.enumerated() where !failing.contains(testCase.key) {
          ours += bestTimes[index]
          theirs += times[index]
          common += 1
        }
        report.set("both_passed", integer: common)
        report.set("ours_seconds_both_passed", ours)
        report.set("jsonatapy_seconds_both_passed", theirs)
        report.set("speedup_both_passed", theirs / ours)
      }
    }
    report.set("peak_rss_bytes", integer: peakResidentBytes())
    return report
  }

  enum Theirs {
    case missing(String)
    /// `times`: each case's seconds in the best round, in the order of the cases.
    case measured(
      passed: Int, seconds: Double, version: String, failed: [String], times: [Double])
  }

  /// Writes the cases and the script to a temporary folder and runs the script with python3.
  static func jsonatapy(_ cases: [Case], rounds: Int) throws(BenchError) -> Theirs {
    let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent(
      "sfn-bench-jsonata-\(ProcessInfo.processInfo.processIdentifier)")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let casesPath = (folder as NSString).appendingPathComponent("cases.json")
    let scriptPath = (folder as NSString).appendingPathComponent("run_jsonatapy.py")
    var list: [JSON] = []
    for testCase in cases {
      var entry: JSONObject = ["key": .string(testCase.key), "expr": .string(testCase.expression)]
      entry["hasInput"] = .bool(testCase.input != nil)
      entry["input"] = testCase.input ?? .null
      var bindings = JSONObject()
      for name in testCase.bindings.keys.sorted() { bindings[name] = testCase.bindings[name] }
      entry["bindings"] = .object(bindings)
      switch testCase.expected {
      case .result(let value?): entry["result"] = value
      case .result(nil): entry["undefined"] = true
      case .error(let code, _): entry["code"] = .string(code)
      }
      entry["timelimit"] = testCase.timeLimit.map { .number(JSONNumber($0)) } ?? .null
      entry["depth"] = testCase.depth.map { .number(JSONNumber($0)) } ?? .null
      entry["unordered"] = .bool(testCase.unordered)
      list.append(.object(entry))
    }
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try Data(JSONSerializer().bytes(.array(list))).write(to: URL(fileURLWithPath: casesPath))
      try Data(script.utf8).write(to: URL(fileURLWithPath: scriptPath))
    } catch {
      throw BenchError("cannot write the jsonatapy script to \(folder): \(error)")
    }
    let output = try runProcess(
      executable: "/usr/bin/env", arguments: ["python3", scriptPath, casesPath, String(rounds)])
    if output.status == 3 {
      return .missing(output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    guard output.status == 0,
      let line = output.standardOutput.split(separator: "\n").last,
      let report = try? JSONParser.parse(String(line)),
      let passed = report["passed"]?.numberValue?.intValue,
      let seconds = report["seconds"]?.numberValue?.doubleValue
    else {
      if output.status == 127 { return .missing("python3 not found") }
      throw BenchError(
        "the jsonatapy script failed (exit \(output.status)): \(output.standardOutput) \(output.standardError)"
      )
    }
    return .measured(
      passed: passed, seconds: seconds, version: report["version"]?.stringValue ?? "?",
      failed: report["failed"]?.arrayValue?.compactMap(\.stringValue) ?? [],
      times: report["times"]?.arrayValue?.compactMap { $0.numberValue?.doubleValue } ?? [])
  }

  /// The script: compile + evaluate each case with jsonatapy, timed per case with
  /// `time.perf_counter()`; results checked afterwards, as here (a `None` result passes for an
  /// expected `null` or undefined, since `evaluate` returns `None` for both; an error passes
  /// when its message starts with, or contains, the expected code).
  static let script = #"""
    import json, re, sys, time
    try:
        import jsonatapy
    except Exception as error:
        print("python3 cannot import jsonatapy: %s" % error)
        sys.exit(3)

    cases = json.load(open(sys.argv[1]))
    rounds = int(sys.argv[2])

    def equal(a, b, unordered=False):
        if isinstance(a, bool) or isinstance(b, bool):
            return type(a) == type(b) and a == b
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return a == b or abs(a - b) <= 1e-13 * max(abs(a), abs(b))
        if isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                return False
            if not unordered:
                return all(equal(x, y) for x, y in zip(a, b))
            rest = list(b)
            for item in a:
                for index, other in enumerate(rest):
                    if equal(item, other):
                        del rest[index]
                        break
                else:
                    return False
            return True
        if isinstance(a, dict) and isinstance(b, dict):
            return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
        return a == b

    CODE = re.compile(r"\b([SDTU]\d{4})\b")

    def passes(case, outcome):
        kind, value = outcome
        if "code" in case:
            if kind != "error":
                return False
            found = CODE.search(value)
            return found is not None and found.group(1) == case["code"]
        if kind != "value":
            return False
        if "undefined" in case:
            return value is None
        if value is None:
            return case["result"] is None
        return equal(case["result"], value, case["unordered"])

    best = None
    best_times = []
    passed = 0
    failed = []
    for round in range(rounds):
        total = 0.0
        times = []
        outcomes = []
        for case in cases:
            data = case["input"] if case["hasInput"] else None
            bindings = case["bindings"] or None
            limit = case["timelimit"]
            depth = case["depth"]
            start = time.perf_counter()
            try:
                expression = jsonatapy.compile(case["expr"])
                value = expression.evaluate(data, bindings, timeout=limit, max_stack_depth=depth)
                outcome = ("value", value)
            except Exception as error:
                outcome = ("error", "%s: %s" % (type(error).__name__, error))
            elapsed = time.perf_counter() - start
            total += elapsed
            times.append(elapsed)
            outcomes.append(outcome)
        if best is None or total < best:
            best = total
            best_times = times
        if round == 0:
            for case, outcome in zip(cases, outcomes):
                if passes(case, outcome):
                    passed += 1
                else:
                    failed.append(case["key"])
    print(json.dumps({"passed": passed, "seconds": best, "failed": failed, "times": best_times,
                      "version": getattr(jsonatapy, "__version__", "?")}))
    """#
}
