import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

/// A Parallel state `P` with one branch whose states are `branchStates`, followed by `rest`.
private func parallel(_ branchStates: String, startAt: String = "B", rest: String = "") -> String {
  let branch = "{\"StartAt\": \"\(startAt)\", \"States\": {\(branchStates)}}"
  let tail = rest.isEmpty ? "" : ", " + rest
  return ASL.machine(
    "\"P\": {\"Type\": \"Parallel\", \"Branches\": [\(branch)], \"End\": true}\(tail)", startAt: "P"
  )
}

/// A Map state `M` whose processor's states are `processorStates`, followed by `rest`.
private func map(_ processorStates: String, startAt: String = "I", rest: String = "") -> String {
  let processor = "{\"StartAt\": \"\(startAt)\", \"States\": {\(processorStates)}}"
  let tail = rest.isEmpty ? "" : ", " + rest
  return ASL.machine(
    "\"M\": {\"Type\": \"Map\", \"ItemProcessor\": \(processor), \"End\": true}\(tail)",
    startAt: "M")
}

@Suite("Validator: transitions, reachability, terminal states and names")
struct ValidatorGraphTests {
  // MARK: Missing transition targets

  @Test(
    "Every kind of transition to a state that does not exist is reported at its field",
    arguments: [
      (
        #""S": {"Type": "Task", "Resource": "\#(ASL.lambda)", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "T"}], "Next": "Nowhere"}, "T": {"Type": "Succeed"}"#,
        "/States/S/Next"
      ),
      (
        #""S": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "T"}], "Default": "Nowhere"}, "T": {"Type": "Succeed"}"#,
        "/States/S/Default"
      ),
      (
        #""S": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "Nowhere"}], "Default": "T"}, "T": {"Type": "Succeed"}"#,
        "/States/S/Choices/0/Next"
      ),
      (
        #""S": {"Type": "Task", "Resource": "\#(ASL.lambda)", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Nowhere"}], "End": true}"#,
        "/States/S/Catch/0/Next"
      ),
    ])
  func missingTarget(states: String, pointer: String) {
    let result = errors(ASL.machine(states))
    #expect(
      result == [.error(.missingTransitionTarget, "Missing 'Next' target: Nowhere", at: pointer)])
  }

  @Test("A StartAt naming no state is reported at StartAt, in AWS's words")
  func missingStartAt() {
    #expect(
      found(ASL.machine(#""S": {"Type": "Succeed"}"#, startAt: "Nowhere")) == [
        .error(.missingTransitionTarget, "Missing 'Next' target: Nowhere", at: "/StartAt"),
        .error(.missingTransitionTarget, "State \"S\" is not reachable.", at: "/States/S"),
      ])
  }

  @Test("A Parallel branch cannot go to a state outside it")
  func branchToOuterState() {
    let text = parallel(
      #""B": {"Type": "Pass", "Next": "After"}"#, rest: #""After": {"Type": "Succeed"}"#)
    #expect(
      errors(text).contains(
        .error(
          .missingTransitionTarget, "Missing 'Next' target: After",
          at: "/States/P/Branches/0/States/B/Next")))
  }

  @Test("A Map processor cannot go to a state outside it")
  func processorToOuterState() {
    let text = map(
      #""I": {"Type": "Pass", "Next": "After"}"#, rest: #""After": {"Type": "Succeed"}"#)
    #expect(
      errors(text).contains(
        .error(
          .missingTransitionTarget, "Missing 'Next' target: After",
          at: "/States/M/ItemProcessor/States/I/Next")))
  }

  @Test("A branch's StartAt cannot name an outer state")
  func branchStartAtOuterState() {
    let text = parallel(#""B": {"Type": "Succeed"}"#, startAt: "P")
    #expect(
      errors(text) == [
        .error(
          .missingTransitionTarget, "Missing 'Next' target: P", at: "/States/P/Branches/0/StartAt"),
        .error(
          .missingTransitionTarget, "State \"B\" is not reachable.",
          at: "/States/P/Branches/0/States/B"),
      ])
  }

  @Test("A catcher in a branch cannot go to an outer state")
  func branchCatcherToOuterState() {
    let states =
      #""B": {"Type": "Task", "Resource": "\#(ASL.lambda)", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "P"}], "End": true}"#
    #expect(
      errors(parallel(states)) == [
        .error(
          .missingTransitionTarget, "Missing 'Next' target: P",
          at: "/States/P/Branches/0/States/B/Catch/0/Next")
      ])
  }

  // MARK: Reachability

  @Test("A state nothing goes to is unreachable, in AWS's words")
  func unreachableState() {
    let text = ASL.machine(#""S": {"Type": "Succeed"}, "Lost": {"Type": "Succeed"}"#)
    #expect(
      found(text) == [
        .error(.missingTransitionTarget, "State \"Lost\" is not reachable.", at: "/States/Lost")
      ])
  }

  @Test("An unreachable state inside a branch or a processor is reported at its nested pointer")
  func unreachableNested() {
    #expect(
      found(parallel(#""B": {"Type": "Succeed"}, "Ghost": {"Type": "Succeed"}"#)) == [
        .error(
          .missingTransitionTarget, "State \"Ghost\" is not reachable.",
          at: "/States/P/Branches/0/States/Ghost")
      ])
    #expect(
      found(map(#""I": {"Type": "Succeed"}, "Ghost": {"Type": "Succeed"}"#)) == [
        .error(
          .missingTransitionTarget, "State \"Ghost\" is not reachable.",
          at: "/States/M/ItemProcessor/States/Ghost")
      ])
  }

  @Test("States reached only through a catcher, a Default or a choice are reachable")
  func reachableThroughEveryTransition() {
    let text = ASL.machine(
      #"""
      "S": {"Type": "Task", "Resource": "\#(ASL.lambda)", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "Next": "C"},
      "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "Chosen"}], "Default": "Fallback"},
      "Caught": {"Type": "Fail"},
      "Chosen": {"Type": "Succeed"},
      "Fallback": {"Type": "Succeed"}
      """#)
    #expect(found(text) == [])
  }

  // MARK: Terminal states

  @Test("A machine that can never end has no terminal state")
  func noTerminalState() {
    let text = ASL.machine(
      #""S": {"Type": "Pass", "Next": "T"}, "T": {"Type": "Pass", "Next": "S"}"#)
    #expect(found(text) == [.error(.missingEndState, "Workflow has no terminal state", at: "")])
  }

  @Test("Without a terminal state, only MISSING_END_STATE is reported, not unreachable states")
  func noTerminalStateHidesReachability() {
    let text = ASL.machine(
      #""S": {"Type": "Pass", "Next": "T"}, "T": {"Type": "Pass", "Next": "S"}, "U": {"Type": "Pass", "Next": "S"}"#
    )
    #expect(found(text) == [.error(.missingEndState, "Workflow has no terminal state", at: "")])
  }

  @Test("A branch or a processor without a terminal state is reported at the graph")
  func noTerminalStateNested() {
    let loop = #""B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Pass", "Next": "B"}"#
    #expect(
      found(parallel(loop)) == [
        .error(.missingEndState, "Workflow has no terminal state", at: "/States/P/Branches/0")
      ])
    let processorLoop = #""I": {"Type": "Pass", "Next": "J"}, "J": {"Type": "Pass", "Next": "I"}"#
    #expect(
      found(map(processorLoop)) == [
        .error(.missingEndState, "Workflow has no terminal state", at: "/States/M/ItemProcessor")
      ])
  }

  @Test(
    "Succeed, Fail and End: true are terminal",
    arguments: [
      #""T": {"Type": "Succeed"}"#, #""T": {"Type": "Fail"}"#,
      #""T": {"Type": "Wait", "Seconds": 1, "End": true}"#,
    ])
  func terminalStates(terminal: String) {
    #expect(found(ASL.machine(#""S": {"Type": "Pass", "Next": "T"}, \#(terminal)"#)) == [])
  }

  // MARK: Names

  @Test("A name used twice anywhere in the machine is a duplicate")
  func duplicateNames() {
    #expect(
      errors(parallel(#""P": {"Type": "Succeed"}"#, startAt: "P")) == [
        .error(.duplicateStateName, "Duplicate State name: P", at: "/States/P/Branches/0/States/P")
      ])
    let twoBranches = ASL.machine(
      "\"P\": {\"Type\": \"Parallel\", \"Branches\": [\(ASL.graph("X")), \(ASL.graph("X"))], \"End\": true}",
      startAt: "P")
    #expect(
      errors(twoBranches) == [
        .error(.duplicateStateName, "Duplicate State name: X", at: "/States/P/Branches/1/States/X")
      ])
    #expect(
      errors(map(#""I": {"Type": "Succeed"}"#, rest: #""I": {"Type": "Succeed"}"#)).contains(
        .error(
          .duplicateStateName, "Duplicate State name: I", at: "/States/M/ItemProcessor/States/I")))
  }

  @Test("A state name must have 1 to 80 characters")
  func stateNameLength() {
    let long = String(repeating: "n", count: 81)
    #expect(
      found(ASL.machine("\"\(long)\": {\"Type\": \"Succeed\"}", startAt: long)) == [
        .error(
          .invalidStateName, "State names must be between 1 and 80 characters long",
          at: "/States/\(long)")
      ])
    #expect(
      found(ASL.machine(#""": {"Type": "Succeed"}"#, startAt: "")) == [
        .error(
          .invalidStateName, "State names must be between 1 and 80 characters long", at: "/States/")
      ])
    let limit = String(repeating: "n", count: 80)
    #expect(found(ASL.machine("\"\(limit)\": {\"Type\": \"Succeed\"}", startAt: limit)) == [])
  }

  @Test("A state name with a control character is invalid")
  func stateNameControlCharacter() {
    #expect(
      found(ASL.machine(#""a\tb": {"Type": "Succeed"}"#, startAt: "a\\tb")) == [
        .error(
          .invalidStateName, "State name 'a\tb' contains a control character", at: "/States/a\tb")
      ])
  }

  @Test("Names with spaces and punctuation are fine")
  func ordinaryNames() {
    #expect(
      found(
        ASL.machine(
          #""Step 1: transcode (HD)": {"Type": "Succeed"}"#, startAt: "Step 1: transcode (HD)"))
        == [])
  }

  // MARK: No cascades

  @Test("A state that fails to load causes no transition or reachability errors")
  func noCascadeFromUnloadableState() {
    let text = ASL.machine(
      #""S": {"Type": "Pass", "Next": "Broken"}, "Broken": {"Type": "Bogus"}, "Other": {"Type": "Succeed"}"#
    )
    #expect(
      found(text) == [
        .schema(
          "The value for the field 'Type' must be one of [Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map]",
          at: "/States/Broken/Type")
      ])
  }

  @Test("A Task without Resource causes no further errors")
  func noCascadeFromTaskWithoutResource() {
    let text = ASL.machine(#""S": {"Type": "Task", "Next": "T"}, "T": {"Type": "Succeed"}"#)
    #expect(
      found(text) == [.schema("The field 'Resource' is required but was missing", at: "/States/S")])
  }

  // MARK: Nesting depth

  @Test("Parallel states nested more than 40 deep are too deeply nested")
  func nestingDepth() {
    func nested(_ depth: Int) -> String {
      var graph = ASL.graph("Leaf")
      for level in 0..<depth {
        graph =
          "{\"StartAt\": \"P\(level)\", \"States\": {\"P\(level)\": {\"Type\": \"Parallel\", \"Branches\": [\(graph)], \"End\": true}}}"
      }
      return graph
    }
    #expect(found(nested(40)) == [])
    let deep = errors(nested(41))
    #expect(deep.map(\.code) == [DiagnosticCode.tooDeeplyNested.rawValue])
  }
}
