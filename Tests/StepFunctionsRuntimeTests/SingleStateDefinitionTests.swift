import StepFunctionsJSON
import Testing

@testable import StepFunctionsRuntime

/// `SingleStateDefinition`: AWS's TestState `definition` holding one state (no `stateName`).
@Suite("TestState on a single-state definition")
struct SingleStateDefinitionTests {
  @Test("A Pass state going to a state the file does not hold reports it as the next state")
  func passToMissingState() async throws {
    let single = try SingleStateDefinition(
      json: #"{"Type": "Pass", "Parameters": {"v.$": "$.x"}, "Next": "Done"}"#)
    #expect(single.stateName == "TestState")
    let result = try await single.machine.testState(
      named: single.stateName, input: ["x": 7], inspectionLevel: .debug)
    #expect(result.status == .succeeded)
    #expect(result.nextState == "Done")
    #expect(result.output == ["v": 7])
    #expect(result.inspectionData?.afterParameters == ["v": 7])
  }

  @Test("A Choice state's rule and Default targets, and a catcher's Next, are all reachable")
  func choiceAndCatchTargets() async throws {
    let choice = try SingleStateDefinition(
      json: """
        {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Big"}],
         "Default": "Small"}
        """)
    let big = try await choice.machine.testState(named: choice.stateName, input: ["n": 2])
    #expect(big.nextState == "Big")
    let small = try await choice.machine.testState(named: choice.stateName, input: ["n": 0])
    #expect(small.nextState == "Small")
    let task = try SingleStateDefinition(
      json: """
        {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": true,
         "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Report"}]}
        """)
    let caught = try await task.machine.testState(
      named: task.stateName, mock: .error("Boom", cause: "no"))
    #expect(caught.status == .caughtError)
    #expect(caught.nextState == "Report")
    #expect(SingleStateDefinition.targets(Array(#"{"Next": "A", "Default": "A"}"#.utf8)) == ["A"])
  }

  @Test("A state going to a state named TestState is tested under another name")
  func nameClash() async throws {
    let single = try SingleStateDefinition(json: #"{"Type": "Pass", "Next": "TestState"}"#)
    #expect(single.stateName == "TestState_1")
    let result = try await single.machine.testState(named: single.stateName)
    #expect(result.nextState == "TestState")
  }

  @Test("Only an object with Type and without States is a single state")
  func detection() {
    #expect(SingleStateDefinition.isSingleState(Array(#"{"Type": "Pass", "End": true}"#.utf8)))
    #expect(!SingleStateDefinition.isSingleState(Array(#"{"StartAt": "A", "States": {}}"#.utf8)))
    #expect(!SingleStateDefinition.isSingleState(Array("[1]".utf8)))
    #expect(!SingleStateDefinition.isSingleState(Array("{".utf8)))
  }

  @Test("An invalid state is reported with its own line; text that is not JSON keeps its position")
  func invalid() {
    #expect(throws: StateMachineError.self) {
      try SingleStateDefinition(json: "{\n  \"Type\": \"Pass\",\n  \"Next\": 5\n}")
    }
    do {
      _ = try SingleStateDefinition(json: "{\n  \"Type\": \"Pass\",\n  \"Next\": 5\n}")
    } catch {
      guard case .invalidDefinition(let invalid) = error else {
        Issue.record("expected an invalid definition, got \(error)")
        return
      }
      #expect(invalid.report.errors.contains { $0.location?.line == 3 })
    }
    do {
      _ = try SingleStateDefinition(json: "{\n  \"Type\": \n}")
      Issue.record("text that is not JSON was accepted")
    } catch {
      guard case .invalidDefinition(let invalid) = error else {
        Issue.record("expected an invalid definition, got \(error)")
        return
      }
      #expect(invalid.report.errors.first?.location?.line == 3)
    }
  }
}
