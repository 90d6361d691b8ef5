import CorpusSupport
import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

/// `text` repeated `count` times.
private func repeated(_ text: String, _ count: Int) -> String {
  String(repeating: text, count: count)
}

/// The syntax error of `text` as a path, or `nil` when it parses.
private func pathError(_ text: String) -> JSONPathSyntaxError? {
  do {
    _ = try JSONPath(parsing: text)
    return nil
  } catch {
    return error
  }
}

/// Whether `text` parses as a path.
private func parses(_ text: String) -> Bool { pathError(text) == nil }

/// How many filter nodes deep `filter` goes (1 for a comparison or an existence test).
private func height(_ filter: JSONPathFilter) -> Int {
  switch filter {
  case .or(let left, let right), .and(let left, let right):
    return 1 + max(height(left), height(right))
  case .not(let inner): return 1 + height(inner)
  case .exists, .comparison: return 1
  }
}

/// A Pass state `S` whose InputPath is `path`.
private func passWithInputPath(_ path: String) -> String {
  ASL.single(#""Type": "Pass", "InputPath": "\#(path)", "End": true"#)
}

/// A Choice state `C` whose first rule is `rule`, going to a Succeed state.
private func choice(_ rule: String) -> String {
  ASL.machine(
    #""C": {"Type": "Choice", "Choices": [\#(rule)], "Default": "E"}, "E": {"Type": "Succeed"}"#,
    startAt: "C")
}

/// A rule nested `depth` levels deep: `Not` (or `And`/`Or` with one element) around a
/// comparison that goes to `E`. The outermost rule carries `Next`.
private func nestedRule(_ depth: Int, operator name: String = "Not") -> String {
  var rule = #"{"Variable": "$.a", "IsPresent": true}"#
  for _ in 1..<depth {
    rule = name == "Not" ? #"{"Not": \#(rule)}"# : #"{"\#(name)": [\#(rule)]}"#
  }
  return String(rule.dropLast()) + #", "Next": "E"}"#
}

@Suite("Depth limits: JSONPath, intrinsic functions and Choice Rules")
struct DepthLimitTests {
  // MARK: Issue 10, reproducer 10

  @Test(
    "Reproducer 10: filters 4,000 deep and 50,000 '!', '(' or '[' are syntax errors, not a crash",
    arguments: [
      "$" + repeated("[?(@", 4_000) + repeated(")]", 4_000),
      "$[?(" + repeated("!", 50_000) + "(@.a))]",
      "$[?(" + repeated("(", 50_000) + "@.a" + repeated(")", 50_000) + ")]",
      "$[?(@.a == " + repeated("[", 50_000) + ")]",
    ])
  func reproducers(path: String) async throws {
    let error = try await SmallStack.run { pathError(path) }
    let found = try #require(error)
    #expect(found.message.contains("nested more than \(JSONPath.maximumNestingDepth) levels"))
    #expect(found.message.hasSuffix("(at character \(found.offset))"))
    #expect(found.offset < 200)
  }

  @Test("Reproducer 10 through the validator: the error is at InputPath, with its line and column")
  func reproducerDiagnostic() async throws {
    let path = "$" + repeated("[?(@", 4_000) + repeated(")]", 4_000)
    let text = passWithInputPath(path)
    let report = try await SmallStack.run { Validator.validate(text) }
    let diagnostic = try #require(report.errors.first)
    #expect(report.errors.count == 1)
    #expect(diagnostic.code == .schemaValidationFailed)
    #expect(diagnostic.pointer.description == "/States/S/InputPath")
    #expect(
      diagnostic.message
        == "The value for the field 'InputPath' must be a valid JSONPath: filters, parentheses, '!' and array or object literals are nested more than 32 levels deep (at character 131)"
    )
    let location = try #require(diagnostic.location)
    let column = try #require(
      text.range(of: "\"$[?(").map { text.distance(from: text.startIndex, to: $0.lowerBound) })
    #expect(location.line == 1)
    #expect(location.column == column + 1)
  }

  // MARK: Each kind of nesting, at the limit and one past it

  /// Paths nested exactly `JSONPath.maximumNestingDepth` deep, and one level more, in each
  /// way a path can nest, with the offset of the character where the deeper one fails.
  static let nestingCases: [(name: String, atLimit: String, pastLimit: String, offset: Int)] = {
    let limit = JSONPath.maximumNestingDepth
    return [
      (
        "filters", "$" + repeated("[?(@", limit) + repeated(")]", limit),
        "$" + repeated("[?(@", limit + 1) + repeated(")]", limit + 1), 4 * (limit + 1) - 1
      ),
      (
        "'!'", "$[?(" + repeated("!", limit - 2) + "(@.a))]",
        "$[?(" + repeated("!", limit - 1) + "(@.a))]", 4 + limit - 1
      ),
      (
        "parentheses", "$[?(" + repeated("(", limit - 1) + "@.a" + repeated(")", limit - 1) + ")]",
        "$[?(" + repeated("(", limit) + "@.a" + repeated(")", limit) + ")]", 4 + limit - 1
      ),
      (
        "array literals",
        "$[?(@.a == " + repeated("[", limit - 1) + repeated("]", limit - 1) + ")]",
        "$[?(@.a == " + repeated("[", limit) + repeated("]", limit) + ")]", 11 + limit - 1
      ),
      (
        "object literals",
        "$[?(@.a == " + repeated("{'k': ", limit - 1) + "1" + repeated("}", limit - 1) + ")]",
        "$[?(@.a == " + repeated("{'k': ", limit) + "1" + repeated("}", limit) + ")]",
        11 + 6 * (limit - 1)
      ),
    ]
  }()

  @Test("Every kind of nesting parses at the limit and fails one level past it, where it passes")
  func nestingLimit() async throws {
    for entry in Self.nestingCases {
      let (atLimit, pastLimit) = (entry.atLimit, entry.pastLimit)
      let results = try await SmallStack.run { (parses(atLimit), pathError(pastLimit)) }
      #expect(results.0, "\(entry.name) at the limit")
      let error = try #require(results.1, "\(entry.name) past the limit")
      #expect(error.offset == entry.offset, "\(entry.name): \(error)")
      #expect(
        error.message.contains("nested more than 32 levels deep (at character \(entry.offset))"))
    }
  }

  @Test("Kinds of nesting add up: a filter, parentheses and a literal share one limit")
  func mixedNesting() {
    let limit = JSONPath.maximumNestingDepth
    // The filter's own parentheses are one level.
    let parens = limit / 2
    let literals = limit - 1 - parens
    let inner = "@.a == " + repeated("[", literals) + repeated("]", literals)
    #expect(parses("$[?(" + repeated("(", parens) + inner + repeated(")", parens) + ")]"))
    let deeper = "@.a == " + repeated("[", literals + 1) + repeated("]", literals + 1)
    #expect(!parses("$[?(" + repeated("(", parens) + deeper + repeated(")", parens) + ")]"))
  }

  @Test("Chains of && and || do not count as nesting and make balanced trees, in order")
  func balancedChains() throws {
    let count = 10_000
    let text = "$[?(@.a == 0" + (1..<count).map { " || @.a == \($0)" }.joined() + ")]"
    let path = try JSONPath(parsing: text)
    guard case .filter(let filter) = path.segments.first else {
      Issue.record("expected a filter: \(path.segments)")
      return
    }
    #expect(height(filter) <= 16)
    // Left to right: the leftmost leaf is the first comparison, the rightmost the last.
    var leftmost = filter
    while case .or(let left, _) = leftmost { leftmost = left }
    var rightmost = filter
    while case .or(_, let right) = rightmost { rightmost = right }
    #expect(compared(leftmost) == 0)
    #expect(compared(rightmost) == count - 1)
    let both = try JSONPath(parsing: "$[?(@.a && @.b && @.c)]")
    guard
      case .filter(.and(.and(.exists(let a, _), .exists(let b, _)), .exists(let c, _))) =
        both.segments.first
    else {
      Issue.record("unexpected filter: \(both.segments)")
      return
    }
    #expect([a.text, b.text, c.text] == ["@.a", "@.b", "@.c"])
  }

  /// The number `@.a` is compared with in a comparison `@.a == n`.
  private func compared(_ filter: JSONPathFilter) -> Int? {
    guard case .comparison(.path(let path), .equal, .literal(let value)) = filter,
      path.text == "@.a"
    else { return nil }
    return value.numberValue?.intValue
  }

  @Test("A path may have 256 segments after its root, in a filter too; the 257th is an error")
  func segmentLimit() throws {
    let limit = JSONPath.maximumSegmentCount
    #expect(try JSONPath(parsing: "$" + repeated(".a", limit)).segments.count == limit)
    #expect(parses("$$" + repeated("['a']", limit)))
    #expect(parses("$[?(@" + repeated(".a", limit) + ")]"))
    let error = try #require(pathError("$" + repeated(".a", limit + 1)))
    #expect(error.offset == 1 + 2 * limit)
    #expect(
      error.message
        == "a path has at most 256 segments after its root; this one has more (at character \(1 + 2 * limit))"
    )
    #expect(!parses("$[?(@" + repeated(".a", limit + 1) + ")]"))
    #expect(!parses("$" + repeated("[0]", limit + 1)))
  }

  // MARK: Intrinsic functions

  @Test("Intrinsic calls nested past 64 are reported at the field with the character offset")
  func intrinsicNesting() throws {
    let limit = IntrinsicCall.maximumNestingDepth
    func nested(_ depth: Int) -> String {
      repeated("States.Array(", depth) + "1" + repeated(")", depth)
    }
    #expect(try IntrinsicCall(parsing: nested(limit)).nestingDepth == limit)
    let offset = 13 * limit
    #expect(throws: IntrinsicSyntaxError.self) { try IntrinsicCall(parsing: nested(limit + 1)) }
    let text = ASL.single(
      #""Type": "Pass", "Parameters": {"x.$": "\#(nested(limit + 1))"}, "End": true"#)
    #expect(
      errors(text) == [
        .schema(
          "The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call: intrinsic function calls are nested more than 64 deep (at character \(offset))",
          at: "/States/S/Parameters/x.$")
      ])
    let fine = ASL.single(
      #""Type": "Pass", "Parameters": {"x.$": "\#(nested(limit))"}, "End": true"#)
    #expect(errors(fine) == [])
  }

  // MARK: Choice Rules

  @Test(
    "Choice Rules nest 32 deep in Not, And and Or; the 33rd level is TOO_DEEPLY_NESTED at its rule",
    arguments: ["Not", "And", "Or"])
  func choiceRuleNesting(operator name: String) async throws {
    let limit = ChoiceRule.maximumNestingDepth
    let atLimit = choice(nestedRule(limit, operator: name))
    let pastLimit = choice(nestedRule(limit + 1, operator: name))
    let (fine, deep) = try await SmallStack.run { (errors(atLimit), errors(pastLimit)) }
    #expect(fine == [])
    let step = name == "Not" ? "/Not" : "/\(name)/0"
    #expect(
      deep == [
        .error(
          .tooDeeplyNested,
          "Choice Rules are nested more than 32 levels deep in 'And', 'Or' and 'Not'",
          at: "/States/C/Choices/0" + repeated(step, limit))
      ])
  }

  @Test("Choice Rules nested hundreds deep are one error, not a crash")
  func choiceRuleReproducer() async throws {
    let text = choice(nestedRule(400))
    let deep = try await SmallStack.run(size: 8 << 20) { errors(text) }
    #expect(deep.map(\.code) == [DiagnosticCode.tooDeeplyNested.rawValue])
  }
}
