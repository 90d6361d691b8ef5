import StepFunctionsJSON
import StepFunctionsLanguage
import StepFunctionsRuntime
import Testing

@Suite("ResultPath assignment")
struct PathsResultPathTests {
  let input: JSON = ["comment": "This is a test", "details": "Default example", "who": "AWS"]

  func assign(_ text: String, _ value: JSON, into root: JSON) throws -> JSON {
    try JSONPath(parsing: text).assigning(value, into: root)
  }

  func failure(_ text: String, _ value: JSON, into root: JSON) throws -> ResultPathError? {
    let path = try JSONPath(parsing: text)
    do throws(ResultPathError) {
      _ = try path.assigning(value, into: root)
      return nil
    } catch {
      return error
    }
  }

  @Test("'$' replaces the whole input with the result")
  func rootReplaces() throws {
    #expect(try assign("$", "Hello, Step Functions!", into: input) == "Hello, Step Functions!")
    #expect(try assign("$", ["a": 1], into: "text") == ["a": 1])
  }

  @Test("A new member is appended after the existing ones")
  func newMemberIsAppended() throws {
    let output = try assign("$.taskresult", "Hello, Step Functions!", into: input)
    #expect(output.objectValue?.keys == ["comment", "details", "who", "taskresult"])
    #expect(output["taskresult"] == "Hello, Step Functions!")
  }

  @Test("An existing member keeps its position and gets the new value")
  func existingMemberKeepsPosition() throws {
    let output = try assign("$.details", ["n": 1], into: input)
    #expect(output.objectValue?.keys == ["comment", "details", "who"])
    #expect(output["details"] == ["n": 1])
    #expect(output.serialized() == #"{"comment":"This is a test","details":{"n":1},"who":"AWS"}"#)
  }

  @Test("Missing intermediate objects are created")
  func intermediatesAreCreated() throws {
    let output = try assign("$.a.b['c d'].e", 1, into: ["z": 0, "a": ["y": true]])
    #expect(output.serialized() == #"{"z":0,"a":{"y":true,"b":{"c d":{"e":1}}}}"#)
  }

  @Test("An index replaces an existing array element, counting from the end when negative")
  func indexReplacesElement() throws {
    #expect(try assign("$.list[1]", "x", into: ["list": [1, 2, 3]]) == ["list": [1, "x", 3]])
    #expect(
      try assign("$.list[-1].v", 9, into: ["list": [["v": 1], ["v": 2]]]) == [
        "list": [["v": 1], ["v": 9]]
      ])
  }

  @Test("Crossing a value that is not an object fails with AWS's cause and leaves the input alone")
  func crossingNonObjectFails() throws {
    let root: JSON = ["a": "text", "b": 1]
    let error = try #require(try failure("$.a.b", 1, into: root))
    #expect(error.kind == .stepNotApplicable(step: "b"))
    #expect(error.cause == #"Unable to apply step "b" to input {"a":"text","b":1}"#)
    #expect(error.statesError.name == "States.ReferencePathConflict")
    #expect(error.statesError.cause == error.cause)

    var inPlace = root
    #expect(throws: ResultPathError.self) {
      try JSONPath(parsing: "$.b.c").assign(1, into: &inPlace)
    }
    #expect(throws: ResultPathError.self) {
      try JSONPath(parsing: "$.x.y[0]").assign(1, into: &inPlace)
    }
    #expect(inPlace == root)
    let nullMember = try #require(try failure("$.a.b", 1, into: ["a": nil]))
    #expect(nullMember.kind == .stepNotApplicable(step: "b"))
  }

  @Test("An input that is not an object cannot take a member")
  func nonObjectInputFails() throws {
    let error = try #require(try failure("$.partitioned", ["n": 1], into: #"{"min_size":10}"#))
    #expect(error.kind == .inputNotAnObject)
    #expect(
      error.cause == #"Unable to apply ReferencePath $.partitioned to input "{\"min_size\":10}""#)
  }

  @Test("Indexes outside the array, on a non-array or under a created member fail")
  func badIndexesFail() throws {
    #expect(
      try failure("$.list[3]", 1, into: ["list": [1]])?.kind == .indexNotApplicable(step: "[3]"))
    #expect(
      try failure("$.list[0]", 1, into: ["list": ["k": 1]])?.kind
        == .indexNotApplicable(step: "[0]"))
    #expect(try failure("$.missing[0]", 1, into: [:])?.kind == .indexNotApplicable(step: "[0]"))
  }

  @Test("A path that is not a Reference Path is refused")
  func nonReferencePathIsRefused() throws {
    let error = try #require(try failure("$.a[*]", 1, into: ["a": [1]]))
    #expect(error.kind == .notAReferencePath("a Reference Path cannot use a wildcard ('*')"))
  }

  @Test("Assigning in place does not copy untouched siblings")
  func inPlaceAssignmentKeepsSiblings() throws {
    let big = JSON.array((0..<1000).map { JSON.number(JSONNumber($0)) })
    var root: JSON = ["big": big, "nested": ["k": 1]]
    try JSONPath(parsing: "$.nested.k").assign(2, into: &root)
    try JSONPath(parsing: "$.nested.new").assign(3, into: &root)
    #expect(root["nested"] == ["k": 2, "new": 3])
    #expect(root["big"] == big)
  }
}
