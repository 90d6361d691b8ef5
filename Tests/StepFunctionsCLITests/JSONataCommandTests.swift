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

  @Test("--max-depth bounds how deep the evaluation nests; past it, U1001")
  func maximumDepth() async {
    let recursion = "($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(40))"
    let deepEnough = await runSFN(["jsonata", "--max-depth", "200", recursion])
    #expect(deepEnough.status == 0)
    #expect(deepEnough.output == "40\n")
    let shallow = await runSFN(["jsonata", "--max-depth", "20", recursion])
    #expect(shallow.status == 1)
    #expect(shallow.output.hasPrefix("error U1001"))
    #expect(await runSFN(["jsonata", "--max-depth", "0", "1"]).status == 64)
    #expect(await runSFN(["jsonata", "--max-depth", "1001", "1"]).status == 64)
    #expect(await runSFN(["jsonata", "--max-depth", "x", "1"]).status == 64)
  }

  @Test("A result holding NaN or an infinite number is error D1001, as jsonata-js raises it")
  func nonFinite() async {
    let infinite = await runSFN(["jsonata", "1/0"])
    #expect(infinite.status == 1)
    #expect(infinite.output == "error D1001: Number out of range: Infinity\n")
    let inside = await runSFN(["jsonata", #"{"a": [1, -1/0]}"#])
    #expect(inside.output == "error D1001: Number out of range: -Infinity\n")
    let notANumber = await runSFN(["jsonata", "0/0"])
    #expect(notANumber.output == "error D1001: Number out of range: NaN\n")
    let operand = await runSFN(["jsonata", "1/(10e300 * 10e100)"])
    #expect(operand.output.hasPrefix("error D1001 at position 2: Number out of range: Infinity"))
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

/// A reference-suite case as `sfn jsonata` runs it: its command line, and how to read what the
/// command printed back into the outcome the suite checks.
struct JSONataSuiteSample: CustomTestStringConvertible, Sendable {
  var referenceCase: JSONataReferenceCase
  var arguments: [String]

  var testDescription: String { referenceCase.key }

  /// Every case the engine's reference-suite test runs (the 2.0.6 cases without `$eval`), as a
  /// command line: the input and bindings as JSON text, the case's depth limit as
  /// `--max-depth`, the expression after `--` so that one starting with `-` is not taken for an
  /// option. (The command has no time limit; like the engine's test, the cases with one are
  /// bounded by their depth and the step budget.)
  static func load() -> [JSONataSuiteSample] {
    JSONataReferenceCase.load().map { referenceCase in
      var arguments = ["jsonata"]
      if let input = referenceCase.input {
        arguments += ["--input", JSONSerializer().string(input)]
      }
      if !referenceCase.bindings.isEmpty {
        var bindings = JSONObject()
        for name in referenceCase.bindings.keys.sorted() {
          bindings[name] = referenceCase.bindings[name]
        }
        arguments += ["--bindings", JSONSerializer().string(.object(bindings))]
      }
      if let depth = referenceCase.depth { arguments += ["--max-depth", String(depth)] }
      arguments += ["--", referenceCase.expression]
      return JSONataSuiteSample(referenceCase: referenceCase, arguments: arguments)
    }
  }

  /// What the command's run comes to: its JSON result, nil for `undefined`, or the error it
  /// printed (`error CODE[ at position N]: message`, exit status 1; the text has no token).
  static func outcome(of run: RunResult) throws -> Result<JSON?, JSONataReferenceCase.Failure> {
    if run.status == 0 {
      if run.output == "undefined\n" { return .success(nil) }
      return .success(try JSONParser.parse(Array(run.output.utf8)))
    }
    guard run.status == 1, run.output.hasPrefix("error "), run.output.hasSuffix("\n") else {
      return .failure(
        .init(
          code: "", message: "exit \(run.status): \(run.output)\(run.error)", token: nil,
          reportsToken: false))
    }
    var rest = run.output.dropFirst("error ".count).dropLast()
    let code = rest.prefix { $0 != " " && $0 != ":" }
    rest = rest.dropFirst(code.count)
    if rest.hasPrefix(" at position ") {
      rest = rest.dropFirst(" at position ".count).drop(while: \.isNumber)
    }
    guard rest.hasPrefix(": ") else {
      return .failure(
        .init(
          code: String(code), message: "unreadable: \(run.output)", token: nil,
          reportsToken: false))
    }
    return .failure(
      .init(
        code: String(code), message: String(rest.dropFirst(2)), token: nil, reportsToken: false))
  }
}

@Suite("sfn jsonata gives the reference suite's results", .requiresCorpus)
struct JSONataCommandSuiteTests {
  static let samples = JSONataSuiteSample.load()
  static let knownFailures = Corpus.knownFailures("jsonata.txt")

  @Test("Every case of the engine's reference-suite test is run")
  func allCases() {
    #expect(Self.samples.count == JSONataReferenceCase.load().count)
    #expect(Self.samples.count > 1500, "expected the reference suite's 2.0.6 cases")
  }

  @Test("The error line is read back into its code and message")
  func readsErrors() throws {
    let located = try JSONataSuiteSample.outcome(
      of: RunResult(
        status: 1, output: "error S0207 at position 3: Unexpected end: of it\n", error: ""))
    guard case .failure(let error) = located else {
      Issue.record("expected an error, got \(located)")
      return
    }
    #expect(error.code == "S0207")
    #expect(error.message == "Unexpected end: of it")
    let unlocated = try JSONataSuiteSample.outcome(
      of: RunResult(status: 1, output: "error D1001: Number out of range: Infinity\n", error: ""))
    guard case .failure(let other) = unlocated else {
      Issue.record("expected an error, got \(unlocated)")
      return
    }
    #expect(other.code == "D1001")
    #expect(other.message == "Number out of range: Infinity")
  }

  @Test("Each case prints the suite's result, undefined or error", arguments: samples)
  func caseMatches(_ sample: JSONataSuiteSample) async throws {
    let run = await runSFN(sample.arguments)
    let failure = sample.referenceCase.check(try JSONataSuiteSample.outcome(of: run))
    if let reason = Self.knownFailures[sample.referenceCase.key] {
      #expect(failure != nil, "\(sample.referenceCase.key) passes now (listed: \(reason))")
      return
    }
    #expect(
      failure == nil,
      "\(sample.referenceCase.key): \(sample.referenceCase.expression): \(failure ?? "")")
  }
}
