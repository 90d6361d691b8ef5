import CorpusSupport
import Foundation
import StepFunctions
import StepFunctionsCLI
import Testing

@Suite("sfn jsonata")
struct JSONataCommandTests {
  @Test("Prints the result as JSON, with the input as $ and the bindings as variables")
  func result() async {
    let run = await runSFN([
      "jsonata", "Account.Order.Price * $rate", "--input",
      #"{"Account": {"Order": {"Price": 10}}}"#,
      "--bindings", #"{"rate": 2}"#,
    ])
    #expect(run.status == 0)
    #expect(run.output == "20\n")
  }

  @Test("Reads the input and the bindings from files")
  func files() async {
    let run = await runSFN(
      ["jsonata", "$sum(items) + $extra", "--input", "@in.json", "--bindings", "@vars.json"],
      files: ["in.json": #"{"items": [1, 2, 3]}"#, "vars.json": #"{"extra": 4}"#])
    #expect(run.status == 0)
    #expect(run.output == "10\n")
  }

  @Test("An undefined result prints `undefined`; without --input, $ is undefined")
  func undefined() async {
    let run = await runSFN(["jsonata", "missing.field"])
    #expect(run.status == 0)
    #expect(run.output == "undefined\n")
  }

  @Test("An error prints its code and position and exits 1")
  func errors() async {
    let syntax = await runSFN(["jsonata", "1 +"])
    #expect(syntax.status == 1)
    #expect(syntax.output == "error S0207 at position 3: Unexpected end of expression\n")
    let evaluation = await runSFN(["jsonata", #""a" + 1"#])
    #expect(evaluation.status == 1)
    #expect(evaluation.output.hasPrefix("error T2001 at position 5: "))
    let newer = await runSFN(["jsonata", "a ?? 1"])
    #expect(newer.status == 1, "?? is JSONata 2.1, after AWS's 2.0.6")
    #expect(newer.output.hasPrefix("error S0211"))
  }

  @Test("AWS's functions are available, drawing from --seed")
  func awsFunctions() async throws {
    let partition = await runSFN(["jsonata", "$partition([1,2,3,4,5], 2)"])
    #expect(try JSONParser.parse(Array(partition.output.utf8)) == [[1, 2], [3, 4], [5]])
    let range = await runSFN(["jsonata", "$range(0, 10, 2.9)"])
    #expect(try JSONParser.parse(Array(range.output.utf8)) == [0, 2, 4, 6, 8, 10])
    let hash = await runSFN(["jsonata", "$hash('abc', 'MD5')"])
    #expect(hash.output == "\"900150983cd24fb0d6963f7d28e17f72\"\n")
    let parse = await runSFN(["jsonata", #"$parse('{"a": [1, 2]}').a[1]"#])
    #expect(parse.output == "2\n")
    let first = await runSFN(["jsonata", "[$uuid(), $random()]", "--seed", "7"])
    let again = await runSFN(["jsonata", "[$uuid(), $random()]", "--seed", "7"])
    let other = await runSFN(["jsonata", "[$uuid(), $random()]", "--seed", "8"])
    #expect(first.status == 0)
    #expect(first.output == again.output)
    #expect(first.output != other.output)
  }

  @Test("Bad usage exits 64; an unreadable or invalid input or bindings exits 65")
  func exitStatus() async {
    #expect(await runSFN(["jsonata"]).status == 64)
    #expect(await runSFN(["jsonata", "1", "--seed", "x"]).status == 64)
    #expect(await runSFN(["jsonata", "1", "--input", "@absent.json"]).status == 65)
    #expect(await runSFN(["jsonata", "1", "--input", "{"]).status == 65)
    let bindings = await runSFN(["jsonata", "1", "--bindings", "[1]"])
    #expect(bindings.status == 65)
    #expect(bindings.error == "sfn: error: the bindings must be a JSON object\n")
  }

  @Test("An expression starting with '-' is given after --")
  func negative() async {
    let run = await runSFN(["jsonata", "--", "-(1 + 2)"])
    #expect(run.status == 0)
    #expect(run.output == "-3\n")
  }

  @Test("The command is listed in sfn --help")
  func listed() async {
    #expect(await runSFN(["--help"]).output.contains("jsonata"))
  }
}

/// A reference-suite case as `sfn jsonata` runs it.
struct JSONataSuiteSample: CustomTestStringConvertible, Sendable {
  var key: String
  var arguments: [String]
  var files: [String: String]
  var expected: JSON?
  var errorCode: String?
  var unordered: Bool

  var testDescription: String { key }

  /// Groups of the suite that exercise the language broadly without date or number pictures.
  static let groups = [
    "fields", "array-constructor", "conditionals", "closures", "string-concat",
    "object-constructor", "function-sum", "higher-order-functions", "range-operator",
    "predicates", "transforms", "errors", "literals", "sorting", "partial-application",
    "variables", "function-substring", "hof-map", "numeric-operators", "comparison-operators",
    "boolean-expresssions", "flattening", "simple-array-selectors", "function-join",
  ]

  /// The 2.0.6 cases of ``groups`` the engine passes, except those that depend on the clock,
  /// on randomness (AWS's `$random` replaces JSONata's), or on a depth or time limit.
  static func load() -> [JSONataSuiteSample] {
    let knownFailures = Corpus.knownFailures("jsonata.txt")
    var datasets: [String: String] = [:]
    for url in Corpus.files(in: "jsonata/datasets") {
      if let text = try? String(contentsOf: url, encoding: .utf8) {
        datasets[url.deletingPathExtension().lastPathComponent] = text
      }
    }
    var samples: [JSONataSuiteSample] = []
    for group in groups {
      guard let url = Corpus.url("jsonata/groups/\(group).json"),
        let entries = (try? Corpus.json(at: url))?.arrayValue
      else { continue }
      for entry in entries {
        guard let id = entry["id"]?.stringValue, let expression = entry["expr"]?.stringValue,
          entry["inBaseline"]?.stringValue != "new", knownFailures["\(group)/\(id)"] == nil,
          entry["timelimit"] == nil, entry["depth"] == nil,
          !["$eval", "$random", "$now", "$millis", "$shuffle"].contains(where: expression.contains)
        else { continue }
        var arguments = ["jsonata"]
        var files: [String: String] = [:]
        if let data = entry["data"] {
          arguments += ["--input", JSONSerializer().string(data)]
        } else if let name = entry["dataset"]?.stringValue, let text = datasets[name] {
          files["\(name).json"] = text
          arguments += ["--input", "@\(name).json"]
        }
        if let bindings = entry["bindings"], bindings != .object(JSONObject()) {
          arguments += ["--bindings", JSONSerializer().string(bindings)]
        }
        // After `--`, an expression starting with `-` is not taken for an option.
        arguments += ["--", expression]
        let code = entry["code"]?.stringValue ?? entry["error"]?["code"]?.stringValue
        samples.append(
          JSONataSuiteSample(
            key: "\(group)/\(id)", arguments: arguments, files: files,
            expected: entry["undefinedResult"]?.boolValue == true ? nil : entry["result"],
            errorCode: code, unordered: entry["unordered"]?.boolValue == true))
      }
    }
    return samples
  }
}

@Suite("sfn jsonata gives the reference suite's results", .requiresCorpus)
struct JSONataCommandSuiteTests {
  static let samples = JSONataSuiteSample.load()

  @Test("The sample has cases")
  func sampleHasCases() {
    #expect(Self.samples.count > 300, "expected a few hundred reference-suite cases")
  }

  @Test("Each sampled case prints the expected result, undefined or error", arguments: samples)
  func caseMatches(_ sample: JSONataSuiteSample) async throws {
    let run = await runSFN(sample.arguments, files: sample.files)
    if let code = sample.errorCode {
      #expect(run.status == 1)
      #expect(run.output.hasPrefix("error \(code)"), "got \(run.output)")
      return
    }
    #expect(run.status == 0, "got \(run.output)")
    guard let expected = sample.expected else {
      #expect(run.output == "undefined\n")
      return
    }
    let got = try JSONParser.parse(Array(run.output.utf8))
    #expect(
      Self.equal(expected, got, unordered: sample.unordered), "expected \(expected), got \(got)")
  }

  /// Numbers by value (with a tolerance for the last digits of doubles), arrays in order unless
  /// the case says otherwise, objects regardless of key order.
  static func equal(_ a: JSON, _ b: JSON, unordered: Bool) -> Bool {
    switch (a, b) {
    case (.number(let x), .number(let y)):
      let dx = x.doubleValue
      let dy = y.doubleValue
      return x == y || abs(dx - dy) <= 1e-13 * max(abs(dx), abs(dy))
    case (.array(let x), .array(let y)):
      guard x.count == y.count else { return false }
      guard unordered else { return zip(x, y).allSatisfy { equal($0, $1, unordered: false) } }
      var remaining = y
      for item in x {
        guard let index = remaining.firstIndex(where: { equal(item, $0, unordered: false) })
        else { return false }
        remaining.remove(at: index)
      }
      return true
    case (.object(let x), .object(let y)):
      guard x.count == y.count else { return false }
      return x.allSatisfy { key, value in
        y[key].map { equal(value, $0, unordered: false) } ?? false
      }
    default:
      return a == b
    }
  }
}
