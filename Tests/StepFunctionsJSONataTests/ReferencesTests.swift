import StepFunctionsJSONata
import Testing

/// The references of `text`, as `kind@position`.
private func references(_ text: String) throws -> [String] {
  try JSONataExpression(parsing: text).references.map { reference in
    switch reference.kind {
    case .contextItem: "$@\(reference.position)"
    case .root: "$$@\(reference.position)"
    case .field(let name): "\(name)@\(reference.position)"
    case .variableField(let variable, let field): "$\(variable).\(field)@\(reference.position)"
    }
  }
}

@Suite("JSONata: the names an expression reads")
struct ReferencesTests {
  @Test("Top-level reads of $, $$ and fields are found where their token starts")
  func topLevel() throws {
    #expect(try references("$") == ["$@0"])
    #expect(try references("1 + $$.a") == ["$$@4"])
    let quoted = try references("a.b + `c d`")
    #expect(quoted == ["a@0", "c d@6"], "\(quoted)")
    #expect(try references("{k: 1}") == ["k@1"])
    #expect(try references("$f(function($x){ y })") == ["y@17"])
  }

  @Test("Later steps, predicates, sort terms and groupings are not the top level")
  func nested() throws {
    #expect(try references("$v[a > 1]^(b){c: d}") == [])
    #expect(try references("$v.a") == ["$v.a@0"])
    #expect(try references("$map($s.items, function($i){ $i.x })") == ["$s.items@5", "$i.x@29"])
  }
}
