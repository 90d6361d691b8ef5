import CorpusSupport
import Foundation
import StepFunctionsJSON
import StepFunctionsLanguage
import StepFunctionsRuntime
import Testing

/// An execution recorded against AWS that failed on a path, with what AWS said.
struct RecordedPathFailure: Sendable, CustomTestStringConvertible {
  var file: String
  var input: JSON
  var cause: String

  var testDescription: String { file }

  static let all: [RecordedPathFailure] = {
    let directory = PathsCorpus.directory.appendingPathComponent("localstack/executions")
    var failures: [RecordedPathFailure] = []
    for category in ["pure", "service"] {
      let folder = directory.appendingPathComponent(category)
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
        continue
      }
      for name in names.sorted() where name.hasSuffix(".json") {
        guard
          let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path),
          let execution = try? JSONParser.parse(Array(data)),
          let cause = execution["expected"]?["cause"]?.stringValue,
          cause.contains("Invalid path '") || cause.contains("could not be found in the input")
        else { continue }
        failures.append(
          RecordedPathFailure(
            file: category + "/" + name, input: execution["input"] ?? .null, cause: cause))
      }
    }
    return failures
  }()

  /// The part after `An error occurred while executing the state 'x' (entered at the event id
  /// #n). `.
  var pathCause: String {
    guard let range = cause.range(of: "). ") else { return cause }
    return String(cause[range.upperBound...])
  }

  /// The text between the first pair of single quotes: the path as written.
  var pathText: String? {
    let parts = pathCause.split(separator: "'", omittingEmptySubsequences: false)
    return parts.count > 1 ? String(parts[1]) : nil
  }

  var field: String? {
    guard let range = pathCause.range(of: "for the field '") else { return nil }
    return String(pathCause[range.upperBound...].prefix { $0 != "'" })
  }
}

/// Whether `actual` equals `expected`, where each `<...>` placeholder in `expected` (left by the
/// corpus's snapshot transformers) matches any text.
func matchesWithPlaceholders(_ actual: String, _ expected: String) -> Bool {
  var pattern = ""
  var rest = Substring(expected)
  while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
    pattern += NSRegularExpression.escapedPattern(for: String(rest[..<open])) + ".*"
    rest = rest[rest.index(after: close)...]
  }
  pattern += NSRegularExpression.escapedPattern(for: String(rest))
  return actual.range(of: "^" + pattern + "$", options: .regularExpression) != nil
}

@Suite("JSONPath evaluation")
struct PathsEvaluationTests {
  static let store: JSON = [
    "store": [
      "book": [
        ["category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95],
        ["category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99],
        [
          "category": "fiction", "author": "Herman Melville", "title": "Moby Dick",
          "isbn": "0-553-21311-3", "price": 8.99,
        ],
        [
          "category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings",
          "isbn": "0-395-19395-8", "price": 22.99,
        ],
      ],
      "bicycle": ["color": "red", "price": 19.95],
    ],
    "expensive": 10,
  ]

  func evaluate(_ text: String, _ root: JSON = store) throws -> JSON {
    try JSONPath(parsing: text).value(in: root)
  }

  @Test("The corpus has the recorded path failures", .requiresCorpus)
  func recordedFailuresArePresent() {
    #expect(RecordedPathFailure.all.count == 9)
  }

  @Test(
    "Path failures reproduce the causes AWS recorded", .requiresCorpus,
    arguments: RecordedPathFailure.all)
  func recordedFailure(_ failure: RecordedPathFailure) throws {
    let text = try #require(failure.pathText)
    let path = try JSONPath(parsing: text)
    // `$$` paths in the corpus read the execution input through the Context Object.
    let root: JSON = path.root == .context ? ["Execution": ["Input": failure.input]] : failure.input
    #expect {
      _ = try path.value(in: root)
    } throws: { error in
      guard let error = error as? JSONPathEvaluationError else { return false }
      let cause =
        if let field = failure.field {
          error.notFoundCause(field: field, input: failure.input)
        } else {
          error.invalidPathCause
        }
      return matchesWithPlaceholders(cause, failure.pathCause)
    }
  }

  @Test("A missing last member and a missing inner member give Jayway's two messages")
  func missingMembers() throws {
    let input: JSON = ["int-literal": 0]
    let error = try #require(try evaluationError("$.NoSuchInputPath", input))
    do {
      #expect(error.kind == .noResults)
      #expect(
        error.invalidPathCause
          == "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']")
      #expect(error.invalidPathError.name == "States.Runtime")
      #expect(
        error.notFoundCause(field: "value.$", input: input)
          == "The JSONPath '$.NoSuchInputPath' specified for the field 'value.$' could not be found in the input '{\"int-literal\":0}'"
      )
    }
    let inner = try #require(try evaluationError("$.no.such.result.path", [:]))
    #expect(inner.kind == .missingProperty)
    #expect(inner.message == "Missing property in path $['no']")
    #expect(inner.segmentIndex == 0)
    let deeper = try #require(try evaluationError("$.a.b.c", ["a": ["x": 1]]))
    #expect(deeper.message == "Missing property in path $['a']['b']")
  }

  struct Mismatch: Sendable {
    var text: String
    var root: JSON
    var kind: JSONPathEvaluationError.Kind
    var message: String
    init(_ text: String, _ root: JSON, _ kind: JSONPathEvaluationError.Kind, _ message: String) {
      self.text = text
      self.root = root
      self.kind = kind
      self.message = message
    }
  }

  @Test(
    "Type mismatches on a definite path give Jayway's messages",
    arguments: [
      Mismatch(
        "$.a.b", ["a": "text"], .notAnObject,
        "Expected to find an object with property ['b'] in path $['a'] but found 'java.lang.String'. This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'."
      ),
      Mismatch(
        "$.a[0]", ["a": ["x": 1]], .notAnArray,
        "Filter: [0] can only be applied to arrays. Current context is: {\"x\":1}"
      ),
      Mismatch("$.a[0]", ["a": nil], .nullValue, "The path $['a'] is null"),
      Mismatch("$.a[5]", ["a": [1, 2]], .noResults, "No results for path: $['a'][5]"),
      Mismatch(
        "$.a[?(@.x)]", ["a": 7], .filterOnPrimitive,
        "Filter: [?] can not be applied to primitives. Current context is: 7"
      ),
      Mismatch(
        "$.a[1:2]", ["a": "s"], .notAnArray,
        "Filter: [1:2] can only be applied to arrays. Current context is: s"),
      Mismatch(
        "$.a.avg()", ["a": ["x"]], .functionFailed,
        "Aggregation function attempted to calculate value using empty array"),
    ])
  func typeMismatches(_ mismatch: Mismatch) throws {
    let error = try #require(try evaluationError(mismatch.text, mismatch.root))
    #expect(error.kind == mismatch.kind)
    #expect(error.message == mismatch.message)
  }

  func evaluationError(_ text: String, _ root: JSON) throws -> JSONPathEvaluationError? {
    let path = try JSONPath(parsing: text)
    do throws(JSONPathEvaluationError) {
      _ = try path.value(in: root)
      return nil
    } catch {
      return error
    }
  }

  @Test(
    "Definite paths return the one value they select",
    arguments: [
      ("$", ["a": 1]), ("$.store.bicycle.color", "red"), ("$.store.book[-1].price", 22.99),
      ("$['store']['book'][0]['author']", "Nigel Rees"), ("$.store.book.length()", 4),
      ("$.store.bicycle.keys()", ["color", "price"]),
      ("$.store.bicycle['color','price']", ["color": "red", "price": 19.95]),
      ("$.store.bicycle['price','nope']", ["price": 19.95]),
    ] as [(String, JSON)])
  func definiteValues(text: String, expected: JSON) throws {
    let root: JSON = text == "$" ? ["a": 1] : Self.store
    #expect(try evaluate(text, root) == expected)
  }

  @Test(
    "Indefinite paths gather their matches into an array, in document order",
    arguments: [
      (
        "$.store.book[*].author",
        ["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"]
      ),
      ("$..author", ["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"]),
      ("$.store.*.color", ["red"]),
      ("$..book[2].title", ["Moby Dick"]),
      ("$..book[0,1].title", ["Sayings", "Sword"]),
      ("$..book[:2].title", ["Sayings", "Sword"]),
      ("$..book[-2:].title", ["Moby Dick", "The Lord of the Rings"]),
      ("$..book[?(@.isbn)].title", ["Moby Dick", "The Lord of the Rings"]),
      ("$..book[?(!@.isbn)].title", ["Sayings", "Sword"]),
      ("$.store.book[?(@.price < 10)].title", ["Sayings", "Moby Dick"]),
      ("$..book[?(@.price <= $['expensive'])].title", ["Sayings", "Moby Dick"]),
      ("$..book[?(@.author =~ /.*REES/i)].title", ["Sayings"]),
      ("$..book[?(@.category == 'fiction' && @.price > 20)].title", ["The Lord of the Rings"]),
      ("$..book[?(@.category in ['reference', 'poetry'])].title", ["Sayings"]),
      ("$..book[?(@.category nin ['fiction'])].title", ["Sayings"]),
      ("$..book[?(@.title size 5)].title", ["Sword"]),
      ("$..book[?(@.author contains 'Melville')].title", ["Moby Dick"]),
      ("$.store.book[?(@.nope)]", []),
      ("$.store.book[*].nope", []),
      ("$..price.nope", []),
    ] as [(String, JSON)])
  func indefiniteValues(text: String, expected: JSON) throws {
    #expect(try evaluate(text) == expected)
  }

  @Test("The specification's and AWS's examples evaluate as documented")
  func documentedExamples() throws {
    #expect(try evaluate("$.a[0,1]", ["a": [1, 2, 3, 4]]) == [1, 2])
    #expect(try evaluate("$[*][*]", [[1, 2], [3], [4, 5]]) == [1, 2, 3, 4, 5])
    let input: JSON = ["foo": 123, "bar": ["a", "b", "c"], "car": ["cdr": true]]
    #expect(try evaluate("$.foo", input) == 123)
    #expect(try evaluate("$.bar", input) == ["a", "b", "c"])
    #expect(try evaluate("$.car.cdr", input) == true)
  }

  @Test("Aggregate functions compute over the numbers an indefinite path selects")
  func aggregates() throws {
    #expect(
      try evaluate("$..price.sum()") == JSON.number(JSONNumber(8.95 + 12.99 + 8.99 + 22.99 + 19.95))
    )
    #expect(try evaluate("$.store.book[*].price.min()") == 8.95)
    #expect(try evaluate("$.store.book[*].price.max()") == 22.99)
    #expect(try evaluate("$.n.avg()", ["n": [1, 2, 3, "x"]]) == 2.0)
    #expect(try evaluate("$.n.stddev()", ["n": [2, 4, 4, 4, 5, 5, 7, 9]]) == 2.0)
    #expect(try evaluate("$.n.first()", ["n": [1, 2]]) == 1)
    #expect(try evaluate("$.n.last()", ["n": [1, 2]]) == 2)
    #expect(try evaluate("$.s.length()", ["s": "héllo"]) == 5)
  }

  @Test("Jayway's filter comparisons: numbers equal numeric strings, missing members equal nothing")
  func jaywayComparisons() throws {
    let rows: JSON = [["v": 1], ["v": "1"], ["v": nil], ["w": 1], ["v": "b"], ["v": "a"]]
    #expect(try evaluate("$[?(@.v == 1)]", rows) == [["v": 1], ["v": "1"]])
    #expect(try evaluate("$[?(@.v === 1)]", rows) == [["v": 1]])
    #expect(try evaluate("$[?(@.v == null)]", rows) == [["v": nil]])
    #expect(try evaluate("$[?(@.v != 1)]", rows) == [["v": nil], ["w": 1], ["v": "b"], ["v": "a"]])
    #expect(try evaluate("$[?(@.v > 'a')]", rows) == [["v": "b"]])
    #expect(try evaluate("$[?(@.v empty false)]", rows) == [["v": "1"], ["v": "b"], ["v": "a"]])
    #expect(try evaluate("$[?(@.v in [1])]", rows) == [["v": 1], ["v": "1"]])
  }

  @Test("A filter applied to an object tests the object itself, as Jayway does")
  func filterOnObject() throws {
    let input: JSON = ["o": ["a": 1, "b": 2]]
    #expect(try evaluate("$.o[?(@.a == 1)]", input) == [["a": 1, "b": 2]])
    #expect(try evaluate("$.o[?(@.a == 2)]", input) == [])
  }

  @Test("Bare words in filters compare as strings")
  func bareWords() throws {
    let input: JSON = [
      "Fields": [
        ["Type": ["Text": "VENDOR"], "Value": "Acme"], ["Type": ["Text": "TOTAL"], "Value": "9"],
      ]
    ]
    #expect(try evaluate("$.Fields[?(@.Type.Text==TOTAL)].Value", input) == ["9"])
  }

  @Test("A variable path and a Context Object path evaluate against the value the caller gives")
  func variablesAndContext() throws {
    let variable = try JSONPath(parsing: "$customerName.address[0]")
    #expect(variable.root == .variable("customerName"))
    #expect(try variable.value(in: ["address": ["1 Main St", "Springfield"]]) == "1 Main St")
    let whole = try JSONPath(parsing: "$count")
    #expect(try whole.value(in: 42) == 42)
    let context = try JSONPath(parsing: "$$.Execution.Input.id")
    #expect(try context.value(in: ["Execution": ["Input": ["id": "x-1"]]]) == "x-1")
    let error = try #require(
      try evaluationError(
        "$$.Execution.Input.no_such_jsonpath", ["Execution": ["Input": ["int-literal": 0]]]))
    do {
      #expect(
        error.notFoundCause(field: "value.$", input: ["int-literal": 0])
          == "The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{\"int-literal\":0}'"
      )
    }
  }

  @Test("matches returns the node list: one node for a definite path, all matches otherwise")
  func nodeLists() throws {
    #expect(try JSONPath(parsing: "$.a").matches(in: ["a": [1]]) == [[1]])
    #expect(try JSONPath(parsing: "$.a[*]").matches(in: ["a": [1, 2]]) == [1, 2])
    #expect(try JSONPath(parsing: "$.a[*]").matches(in: ["a": []]) == [])
  }

  @Test("Jayway slices: a negative start with an end is not normalized, the step is ignored")
  func slices() throws {
    let numbers: JSON = [0, 1, 2, 3, 4]
    #expect(try evaluate("$[1:3]", numbers) == [1, 2])
    #expect(try evaluate("$[-1:2]", numbers) == [4, 0, 1])
    #expect(try evaluate("$[1:-1]", numbers) == [])
    #expect(try evaluate("$[:-2]", numbers) == [0, 1, 2])
    #expect(try evaluate("$[0:5:2]", numbers) == [0, 1, 2, 3, 4])
    #expect(try evaluate("$[7:]", numbers) == [])
  }
}
