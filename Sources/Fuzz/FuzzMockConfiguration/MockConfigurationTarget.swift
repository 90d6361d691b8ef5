import FuzzSupport
import StepFunctions
import StepFunctionsTesting

/// Fuzzes the mock configuration reader (`MockConfiguration`, Step Functions Local's
/// `MockConfigFile` format) and plays the test cases it reads on a small machine.
///
/// Invariants: a rejected file has problems, each with a message and a location inside the text,
/// in document order; an accepted file has responses whose entries are sorted, do not overlap,
/// start at 0 or later, and answer `outcome(forInvocation:)` for their own invocations; the same
/// file written back as text reads the same; and a test case played on a machine with one Task
/// per mocked state (with a retrier) numbers each state's invocations 0, 1, 2... and answers
/// each from its response, the same way on a second run.
enum MockConfigurationTarget {
  static func test(_ bytes: [UInt8]) {
    let configuration: MockConfiguration
    do {
      configuration = try MockConfiguration(bytes: bytes, fileName: "fuzz.json")
    } catch {
      checkRejected(error, bytes)
      return
    }
    for response in configuration.mockedResponses.values { checkResponse(response) }
    for machine in configuration.stateMachines {
      for testCase in machine.testCases {
        for mock in testCase.mocks {
          Invariant.require(
            configuration.mockedResponses[mock.response.name] == mock.response,
            "test case '\(testCase.name)' uses a response that is not the file's "
              + "'\(mock.response.name)'")
        }
      }
    }
    checkRewritten(configuration, bytes)
    for machine in configuration.stateMachines.prefix(2) {
      for testCase in machine.testCases.prefix(2) { play(testCase) }
    }
  }

  static func checkRejected(_ error: MockConfigurationError, _ bytes: [UInt8]) {
    Invariant.require(!error.problems.isEmpty, "a rejected mock file without problems")
    for problem in error.problems {
      Invariant.require(!problem.message.isEmpty, "a problem without a message at \(problem)")
      let location = problem.location
      Invariant.require(
        location.offset >= 0 && location.offset <= bytes.count && location.line >= 1
          && location.column >= 1,
        "problem located outside the text: \(problem) (offset \(location.offset))")
    }
    let locations = error.problems.map(\.location)
    Invariant.require(locations == locations.sorted(), "problems out of order: \(error)")
  }

  static func checkResponse(_ response: MockedResponse) {
    var previousEnd = -1
    for entry in response.entries {
      let range = entry.invocations
      Invariant.require(
        range.lowerBound >= 0 && range.lowerBound > previousEnd,
        "response '\(response.name)' has entries out of order or overlapping: "
          + response.coverageDescription)
      previousEnd = range.upperBound
      for index in [range.lowerBound, range.upperBound] {
        Invariant.require(
          response.outcome(forInvocation: index) == entry.outcome,
          "response '\(response.name)' answers invocation \(index) from another entry")
      }
    }
  }

  /// The parsed document written back as text reads as the same configuration.
  static func checkRewritten(_ configuration: MockConfiguration, _ bytes: [UInt8]) {
    guard let value = try? JSONParser.parse(bytes) else {
      Invariant.fail("an accepted mock file is not JSON")
    }
    let pretty = JSONSerializer(style: .pretty).bytes(value)
    do {
      let again = try MockConfiguration(bytes: pretty)
      Invariant.require(
        again.mockedResponses == configuration.mockedResponses
          && again.stateMachines.map(\.name) == configuration.stateMachines.map(\.name)
          && again.stateMachines.map { $0.testCases.map(\.mocks) }
            == configuration.stateMachines.map { $0.testCases.map(\.mocks) },
        "the mock file written back as text reads differently")
    } catch {
      Invariant.fail("the mock file written back as text is rejected: \(error)")
    }
  }

  /// Runs `testCase` on a chain of Task states, one per mocked state (each retried twice on any
  /// error, then caught), twice, and checks how the mocks were answered.
  static func play(_ testCase: MockTestCase) {
    let names = Array(testCase.mocks.map(\.stateName).prefix(6))
    guard !names.isEmpty, Set(names).count == names.count else { return }
    var states = JSONObject()
    for (position, name) in names.enumerated() {
      var state: JSONObject = [
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Retry": [["ErrorEquals": ["States.ALL"], "MaxAttempts": 2, "IntervalSeconds": 1]],
        "ResultPath": "$.last",
      ]
      let next: JSON = position + 1 < names.count ? .string(names[position + 1]) : .null
      if case .string = next {
        state["Next"] = next
        state["Catch"] = [["ErrorEquals": ["States.ALL"], "Next": next, "ResultPath": "$.error"]]
      } else {
        state["End"] = true
      }
      states[name] = .object(state)
    }
    let definition: JSON = ["StartAt": .string(names[0]), "States": .object(states)]
    guard let loaded = StateMachineLoader.load(definition).definition,
      let machine = try? StateMachine(definition: loaded)
    else { return }
    let first = run(machine, testCase)
    let second = run(machine, testCase)
    Invariant.require(first.outcome == second.outcome, "two runs of one test case differ")
    Invariant.require(first.invocations == second.invocations, "two runs mock differently")
    var counts: [String: Int] = [:]
    for invocation in first.invocations {
      let expected = counts[invocation.stateName, default: 0]
      counts[invocation.stateName] = expected + 1
      Invariant.require(
        invocation.invocationIndex == expected,
        "invocation \(invocation.invocationIndex) of '\(invocation.stateName)' where \(expected) was due"
      )
      let response = testCase.response(forState: invocation.stateName)
      Invariant.require(
        invocation.outcome == response?.outcome(forInvocation: invocation.invocationIndex),
        "invocation \(invocation.invocationIndex) of '\(invocation.stateName)' was not answered by its "
          + "response")
    }
  }

  static func run(_ machine: StateMachine, _ testCase: MockTestCase) -> (
    outcome: String, invocations: [MockInvocation]
  ) {
    FuzzDriver.wait {
      let responder = MockResponder(testCase: testCase)
      var options = ExecutionOptions()
      options.maximumHistoryEvents = 500
      options.handlers.registerFallback(responder)
      let result = await machine.run(input: ["in": 1], options: options)
      let outcome =
        "\(result.status) \(result.error ?? "") \(result.cause ?? "") "
        + (result.output?.serialized() ?? "") + result.history.awsJSON.serialized()
      return (outcome, responder.invocations)
    }
  }
}
