import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

@Suite("JSONPath syntax")
struct PathsSyntaxTests {
  @Test("A path starts at the document, the Context Object or a variable")
  func roots() throws {
    #expect(try JSONPath(parsing: "$").root == .document)
    #expect(try JSONPath(parsing: "$.a").root == .document)
    #expect(try JSONPath(parsing: "$$").root == .context)
    #expect(try JSONPath(parsing: "$$.Execution.Id").segments == [.name("Execution"), .name("Id")])
    let variable = try JSONPath(parsing: "$customerName.address[0]")
    #expect(variable.root == .variable("customerName"))
    #expect(variable.segments == [.name("address"), .index(0)])
    #expect(try JSONPath(parsing: "$_private").root == .variable("_private"))
    #expect(try JSONPath(parsing: "$名前").root == .variable("名前"))
  }

  @Test(
    "The ASL specification's Reference Path examples parse as Reference Paths",
    arguments: [
      ("$.store\\.book", [JSONPathSegment.name("store.book")]),
      ("$.\\stor\\e.boo\\k", [.name("store"), .name("book")]),
      ("$.foo\\@bar.baz\\[\\[.\\?pretty", [.name("foo@bar"), .name("baz[["), .name("?pretty")]),
      ("$.&Ж中.\\uD800\\uDF46", [.name("&Ж中"), .name("\u{10346}")]),
      (
        "$.ledgers.branch[0].pending.count",
        [.name("ledgers"), .name("branch"), .index(0), .name("pending"), .name("count")]
      ),
      ("$['store'][0]['book']", [.name("store"), .index(0), .name("book")]),
      ("$.abc.['def ghi']", [.name("abc"), .name("def ghi")]),
      ("$.a[-1]", [.name("a"), .index(-1)]),
      ("$[\"double\"]", [.name("double")]),
    ])
  func referencePathExamples(text: String, segments: [JSONPathSegment]) throws {
    let path = try JSONPath(parsing: text)
    #expect(path.segments == segments)
    #expect(path.referencePathViolation == nil)
    #expect(path.isReferencePath)
    #expect(path.isDefinite)
  }

  @Test(
    "Paths that can select several nodes or use operators are not Reference Paths",
    arguments: [
      ("$.a[*]", "a Reference Path cannot use a wildcard ('*')"),
      ("$.a.*", "a Reference Path cannot use a wildcard ('*')"),
      ("$..a", "a Reference Path cannot use recursive descent ('..')"),
      ("$.a[0,1]", "a Reference Path cannot use a union of indexes (',')"),
      ("$['a','b']", "a Reference Path cannot use a union of names (',')"),
      ("$.a[1:2]", "a Reference Path cannot use an array slice (':')"),
      ("$.a[?(@.x)]", "a Reference Path cannot use a filter ('?')"),
      ("$.a.length()", "a Reference Path cannot call a function ('length()')"),
    ])
  func notReferencePaths(text: String, violation: String) throws {
    let path = try JSONPath(parsing: text)
    #expect(path.referencePathViolation == violation)
    #expect(!path.isReferencePath)
  }

  @Test(
    "Definite paths select one node; a name union is definite only at the end",
    arguments: [
      ("$", true), ("$.a.b[0]", true), ("$.a.length()", true), ("$['a','b']", true),
      ("$['a','b'].c", false), ("$.a[*]", false), ("$..a", false), ("$.a[0,1]", false),
      ("$.a[:1]", false), ("$.a[?(@.x)]", false), ("$.a[*].length()", false),
    ])
  func definiteness(text: String, isDefinite: Bool) throws {
    #expect(try JSONPath(parsing: text).isDefinite == isDefinite)
  }

  @Test(
    "The canonical description is Jayway's, as AWS prints it in errors",
    arguments: [
      ("$.NoSuchInputPath", "$['NoSuchInputPath']"),
      ("$.no.such.result.path", "$['no']['such']['result']['path']"),
      ("$$.Execution.Input.x", "$['Execution']['Input']['x']"),
      ("$var.a[0]", "$['a'][0]"),
      ("$..book[*].author", "$..['book'][*]['author']"),
      ("$..*", "$..[*]"),
      ("$.a[0, 2]", "$['a'][0,2]"),
      ("$['a', 'b']", "$['a','b']"),
      ("$.a[-2:]", "$['a'][-2:]"),
      ("$.a[:3]", "$['a'][:3]"),
      ("$.a[1:4:2]", "$['a'][1:4]"),
      ("$.a[?(@.b > 1)].c", "$['a'][?]['c']"),
      ("$.a.length()", "$['a'].length()"),
    ])
  func canonicalDescriptions(text: String, canonical: String) throws {
    #expect(try JSONPath(parsing: text).canonicalDescription == canonical)
  }

  @Test(
    "Syntax errors give a message and the offset of the problem",
    arguments: [
      ("", 0, "a path must not be empty"),
      ("a.b", 0, "a path must start with '$'"),
      ("$.", 2, "a path must not end with '.'"),
      ("$..", 3, "a path must not end with '..'"),
      ("$.a b", 3, "use bracket notation (['my name']) for a name that contains blanks"),
      ("$ .a", 1, "unexpected whitespace; expected '.' or '['"),
      ("$[", 1, "'[' is not closed"),
      ("$['a'", 5, "expected ',' or ']' after a quoted name"),
      ("$['a", 2, "the quoted string is not closed; expected '"),
      ("$[x]", 2, "expected a quoted name, an index, a slice, '*' or '?(' after '['"),
      ("$[?@.a]", 3, "a filter must be written '[?(...)]'"),
      ("$.a[::2]", 4, "a slice needs a start or an end"),
      ("$[4294967296]", 2, "'4294967296' is not a valid array index (a 32-bit integer)"),
      ("$.foo()", 2, "unknown function 'foo()'"),
      ("$.length().a", 10, "a function must be the last segment of a path"),
      ("$.a[?(@.b = 1)]", 10, "the filter operator '=' is not supported"),
      ("$['\\uD800']", 3, "an unpaired surrogate escape is not a character"),
      ("$[?(@.a =~ /(/)]", 12, "invalid regular expression: '(' is not closed; expected ')'"),
      ("$[?(@.a =~ /(a)\\1/)]", 15, "invalid regular expression: backreferences"),
      ("$[?(@.a =~ /a/q)]", 14, "invalid regular expression: unknown regular expression flag 'q'"),
    ])
  func syntaxErrors(text: String, offset: Int, message: String) {
    #expect {
      _ = try JSONPath(parsing: text)
    } throws: { error in
      guard let error = error as? JSONPathSyntaxError else { return false }
      return error.offset == offset && error.message.hasPrefix(message) && error.text == text
    }
  }

  @Test("A filter parses into comparisons, existence tests and logical operators")
  func filters() throws {
    let path = try JSONPath(
      parsing: "$.store.book[?(@.price < 10 && !@.isbn || @.tag in ['a', \"b\"])]")
    let price = try JSONPath(parsing: "$.price")
    #expect(path.segments.count == 3)
    guard case .filter(let filter) = path.segments[2] else {
      Issue.record("expected a filter, got \(path.segments[2])")
      return
    }
    guard
      case .or(
        .and(.comparison(.path(let left), .less, .literal(10)), .exists(let isbn, true)),
        .comparison(.path(let tag), .in, .literal(["a", "b"]))) = filter
    else {
      Issue.record("unexpected filter structure: \(filter)")
      return
    }
    #expect(left.root == .current)
    #expect(left.segments == price.segments)
    #expect(isbn.segments == [.name("isbn")])
    #expect(tag.segments == [.name("tag")])
  }

  @Test("Filters accept regular expressions, root references, JSON literals and bare words")
  func filterOperands() throws {
    let regex = try JSONPath(parsing: "$..book[?(@.author =~ /.*REES/i)]")
    guard case .filter(.comparison(_, .matches, .regex(let pattern))) = regex.segments[1]
    else {
      Issue.record("expected a regular expression comparison: \(regex.segments)")
      return
    }
    #expect(pattern.pattern == ".*REES")
    #expect(pattern.flags == "i")
    #expect(pattern.wholeMatches("Nigel Rees"))
    #expect(!pattern.wholeMatches("Rees, Nigel"))

    let root = try JSONPath(parsing: "$.approaches[?(@.workerId == $.agent_id)].approach")
    guard case .filter(.comparison(_, .equal, .path(let agent))) = root.segments[1] else {
      Issue.record("expected a comparison with a root path: \(root.segments)")
      return
    }
    #expect(agent.root == .document)

    let bare = try JSONPath(parsing: "$.Fields[?(@.Type.Text==AMOUNT_PAID)].Value")
    guard case .filter(.comparison(_, .equal, .literal(let word))) = bare.segments[1] else {
      Issue.record("expected a comparison with a literal: \(bare.segments)")
      return
    }
    #expect(word == "AMOUNT_PAID")

    let object = try JSONPath(parsing: "$[?(@.o == {'k': [1, true, null]})]")
    guard case .filter(.comparison(_, .equal, .literal(let literal))) = object.segments[0] else {
      Issue.record("expected a JSON literal: \(object.segments)")
      return
    }
    #expect(literal == ["k": [1, true, nil]])
  }

  @Test("Parsing arbitrary text never traps and reports offsets inside the text")
  func fuzzedText() {
    let alphabet = Array("$@.[]()?*:,'\"\\!=<>~&|/ -0123456789abuD{}".unicodeScalars)
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    for _ in 0..<5000 {
      var text = "$"
      for _ in 0...next(16) { text.unicodeScalars.append(alphabet[next(alphabet.count)]) }
      do {
        let path = try JSONPath(parsing: text)
        #expect(path.text == text)
      } catch {
        #expect(error.offset >= 0 && error.offset <= text.unicodeScalars.count, "\(text)")
      }
    }
  }
}
