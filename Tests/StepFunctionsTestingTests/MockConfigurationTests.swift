import StepFunctions
import StepFunctionsTesting
import Testing

@Suite("Mock configuration files")
struct MockConfigurationTests {
  static let sample = """
    {
      "StateMachines": {
        "LambdaSQSIntegration": {
          "TestCases": {
            "HappyPath": { "LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSSuccess" },
            "RetryPath": { "LambdaState": "MockedLambdaRetry", "SQSState": "MockedSQSSuccess" },
            "HybridPath": { "LambdaState": "MockedLambdaSuccess" }
          }
        }
      },
      "MockedResponses": {
        "MockedLambdaSuccess": { "0": { "Return": { "StatusCode": 200, "Payload": { "body": "Hello" } } } },
        "MockedSQSSuccess": { "0": { "Return": { "MessageId": "m-1" } } },
        "MockedLambdaRetry": {
          "0": { "Throw": { "Error": "Lambda.ResourceNotReadyException", "Cause": "not ready" } },
          "1-2": { "Throw": { "Error": "Lambda.TimeoutException", "Cause": "timed out" } },
          "3": { "Return": { "StatusCode": 200 } }
        }
      }
    }
    """

  @Test("The AWS guide's example file parses into state machines, test cases and responses")
  func parsesTheGuideExample() throws {
    let configuration = try MockConfiguration(json: Self.sample)
    #expect(configuration.stateMachines.map(\.name) == ["LambdaSQSIntegration"])
    let machine = try #require(configuration.stateMachine(named: "LambdaSQSIntegration"))
    #expect(machine.testCases.map(\.name) == ["HappyPath", "RetryPath", "HybridPath"])
    let retry = try configuration.testCase("RetryPath")
    #expect(retry.mocks.map(\.stateName) == ["LambdaState", "SQSState"])
    let response = try #require(retry.response(forState: "LambdaState"))
    #expect(response.name == "MockedLambdaRetry")
    #expect(response.coverageDescription == "0, 1-2, 3")
    #expect(
      response.outcome(forInvocation: 0)
        == .throw(error: "Lambda.ResourceNotReadyException", cause: "not ready"))
    #expect(
      response.outcome(forInvocation: 1)
        == .throw(error: "Lambda.TimeoutException", cause: "timed out"))
    #expect(
      response.outcome(forInvocation: 2)
        == .throw(error: "Lambda.TimeoutException", cause: "timed out"))
    #expect(response.outcome(forInvocation: 3) == .return(["StatusCode": 200]))
    #expect(response.outcome(forInvocation: 4) == nil)
    #expect(try configuration.testCase("HybridPath").response(forState: "SQSState") == nil)
  }

  @Test("Asking for a test case or state machine that is not there names the ones that are")
  func selectionErrors() throws {
    let configuration = try MockConfiguration(json: Self.sample)
    #expect(
      throws: MockSelectionError(
        "The state machine 'LambdaSQSIntegration' has no test case 'Sad'. It has: 'HappyPath', 'RetryPath', 'HybridPath'."
      )
    ) {
      try configuration.testCase("Sad")
    }
    #expect(
      throws: MockSelectionError(
        "The mock configuration has no state machine 'Other'. It has: 'LambdaSQSIntegration'.")
    ) {
      try configuration.testCase("HappyPath", stateMachine: "Other")
    }
    let two = try MockConfiguration(
      json:
        #"{"StateMachines": {"A": {"TestCases": {}}, "B": {"TestCases": {}}}, "MockedResponses": {}}"#
    )
    #expect(
      throws: MockSelectionError(
        "The mock configuration has several state machines; name one of: 'A', 'B'.")
    ) {
      try two.testCase("X")
    }
  }

  /// A broken file, the problem message expected (a fragment) and where (line:column).
  struct BrokenFile: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var message: String
    var location: String
    var testDescription: String { name }
  }

  static let brokenFiles: [BrokenFile] = [
    BrokenFile(
      name: "not JSON", text: "{\"StateMachines\": {,}}", message: "not valid JSON",
      location: "1:20"),
    BrokenFile(
      name: "top level not an object", text: "[1]", message: "must be a JSON object, not an array",
      location: "1:1"),
    BrokenFile(
      name: "no StateMachines", text: "{\"MockedResponses\": {}}",
      message: "missing the field 'StateMachines'", location: "1:1"),
    BrokenFile(
      name: "unknown top-level field", text: "{\"StateMachines\": {},\n \"Mocks\": {}}",
      message: "unknown top-level field 'Mocks'", location: "2:2"),
    BrokenFile(
      name: "StateMachines not an object", text: "{\"StateMachines\": []}",
      message: "'StateMachines' must be an object, not an array", location: "1:19"),
    BrokenFile(
      name: "MockedResponses not an object",
      text: "{\"StateMachines\": {}, \"MockedResponses\": 3}",
      message: "'MockedResponses' must be an object, not a number", location: "1:42"),
    BrokenFile(
      name: "state machine without TestCases", text: "{\"StateMachines\": {\"M\": {}}}",
      message: "the state machine 'M' is missing the field 'TestCases'", location: "1:25"),
    BrokenFile(
      name: "state machine with an unknown field",
      text: "{\"StateMachines\": {\"M\": {\"TestCases\": {}, \"Cases\": {}}}}",
      message: "the state machine 'M' has an unknown field 'Cases'", location: "1:43"),
    BrokenFile(
      name: "TestCases not an object", text: "{\"StateMachines\": {\"M\": {\"TestCases\": \"x\"}}}",
      message: "'TestCases' of the state machine 'M' must be an object, not a string",
      location: "1:39"),
    BrokenFile(
      name: "test case not an object",
      text: "{\"StateMachines\": {\"M\": {\"TestCases\": {\"T\": true}}}}",
      message: "the test case 'T' must be an object", location: "1:45"),
    BrokenFile(
      name: "state mapped to a non-string",
      text:
        "{\"StateMachines\": {\"M\": {\"TestCases\": {\"T\": {\"S\": 1}}}}, \"MockedResponses\": {}}",
      message: "the state 'S' must name a mocked response (a string), not a number",
      location: "1:51"),
    BrokenFile(
      name: "unknown mocked response",
      text:
        "{\"StateMachines\": {\"M\": {\"TestCases\": {\"T\": {\"S\": \"R\"}}}}, \"MockedResponses\": {}}",
      message: "uses the mocked response 'R', which 'MockedResponses' does not define",
      location: "1:51"),
    BrokenFile(
      name: "no MockedResponses at all",
      text: "{\"StateMachines\": {\"M\": {\"TestCases\": {\"T\": {\"S\": \"R\"}}}}}",
      message: "but the file has no 'MockedResponses'", location: "1:51"),
    BrokenFile(
      name: "mocked response not an object",
      text: "{\"StateMachines\": {}, \"MockedResponses\": {\"R\": []}}",
      message: "the mocked response 'R' must be an object of invocation numbers, not an array",
      location: "1:48"),
    BrokenFile(
      name: "key not a number",
      text: "{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"first\": {\"Return\": 1}}}}",
      message: "the key 'first' is not an invocation number", location: "1:49"),
    BrokenFile(
      name: "negative key",
      text: "{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"-1\": {\"Return\": 1}}}}",
      message: "the key '-1' is not an invocation number", location: "1:49"),
    BrokenFile(
      name: "three-part range",
      text: "{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"1-2-3\": {\"Return\": 1}}}}",
      message: "the key '1-2-3' is not an invocation number", location: "1:49"),
    BrokenFile(
      name: "spaces in a key",
      text: "{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\" 1\": {\"Return\": 1}}}}",
      message: "the key ' 1' is not an invocation number", location: "1:49"),
    BrokenFile(
      name: "huge key",
      text:
        "{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"99999999999999999999\": {\"Return\": 1}}}}",
      message: "is not an invocation number", location: "1:49"),
    BrokenFile(
      name: "backwards range",
      text: "{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"3-1\": {\"Return\": 1}}}}",
      message: "the range '3-1' ends before it starts", location: "1:49"),
    BrokenFile(
      name: "overlapping ranges",
      text:
        "{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"0-2\": {\"Return\": 1},\n \"2\": {\"Return\": 2}}}}",
      message: "the key '2' overlaps the key '0-2'", location: "2:2"),
    BrokenFile(
      name: "answer not an object",
      text: "{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"0\": 5}}}",
      message: "must be an object with 'Return' or 'Throw', not a number", location: "1:54"),
    BrokenFile(
      name: "answer with neither Return nor Throw",
      text: "{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"0\": {}}}}",
      message: "the mocked response 'R' at '0' needs 'Return' or 'Throw'", location: "1:54"),
    BrokenFile(
      name: "answer with both Return and Throw",
      text:
        "{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"0\": {\"Return\": 1, \"Throw\": {\"Error\": \"E\", \"Cause\": \"C\"}}}}}",
      message: "has both 'Return' and 'Throw'", location: "1:68"),
    BrokenFile(
      name: "answer with an unknown field",
      text:
        "{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"0\": {\"Return\": 1, \"Delay\": 3}}}}",
      message: "has an unknown field 'Delay'", location: "1:68"),
    BrokenFile(
      name: "Throw not an object",
      text: "{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"0\": {\"Throw\": \"E\"}}}}",
      message:
        "'Throw' in the mocked response 'R' at '0' must be an object with 'Error' and 'Cause', not a string",
      location: "1:64"),
    BrokenFile(
      name: "Throw without Error",
      text:
        "{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"0\": {\"Throw\": {\"Cause\": \"C\"}}}}}",
      message: "is missing the string field 'Error'", location: "1:64"),
    BrokenFile(
      name: "Throw without Cause",
      text:
        "{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"0\": {\"Throw\": {\"Error\": \"E\"}}}}}",
      message: "is missing the string field 'Cause'", location: "1:64"),
    BrokenFile(
      name: "Error not a string",
      text:
        "{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"0\": {\"Throw\": {\"Error\": 7, \"Cause\": \"C\"}}}}}",
      message: "'Error' in the mocked response 'R' at '0' must be a string, not a number",
      location: "1:74"),
    BrokenFile(
      name: "Throw with an unknown field",
      text:
        "{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"0\": {\"Throw\": {\"Error\": \"E\", \"Cause\": \"C\", \"Code\": 1}}}}}",
      message: "'Throw' in the mocked response 'R' at '0' has an unknown field 'Code'",
      location: "1:93"),
    BrokenFile(
      name: "duplicate invocation key",
      text:
        "{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"0\": {\"Return\": 1},\n \"0\": {\"Return\": 2}}}}",
      message: "the key '0' is written twice in the same object", location: "2:2"),
  ]

  @Test(
    "Every kind of broken mock file is reported with a message and a line and column",
    arguments: brokenFiles)
  func reportsProblems(_ file: BrokenFile) {
    do {
      _ = try MockConfiguration(json: file.text, fileName: "mocks.json")
      Issue.record("The file was accepted: \(file.text)")
    } catch {
      let matching = error.problems.filter { $0.message.contains(file.message) }
      #expect(matching.count == 1, "problems: \(error.problems)")
      #expect(
        matching.first.map { "\($0.location)" } == file.location, "problems: \(error.problems)")
      #expect(error.description.contains("mocks.json:\(file.location): error: "))
    }
  }

  @Test("All the problems of a file are reported at once, in document order")
  func reportsAllProblems() {
    let text = """
      {
        "StateMachines": { "M": { "TestCases": { "T": { "S": "Missing" } } } },
        "MockedResponses": { "R": { "x": { "Return": 1 }, "1": {} } }
      }
      """
    #expect(throws: MockConfigurationError.self) { try MockConfiguration(json: text) }
    do {
      _ = try MockConfiguration(json: text, fileName: "m.json")
    } catch {
      #expect(error.problems.map { "\($0.location)" } == ["2:56", "3:31", "3:58"])
      #expect(
        error.description == """
          m.json:2:56: error: the test case 'T' uses the mocked response 'Missing', which 'MockedResponses' does not define
          m.json:3:31: error: in the mocked response 'R', the key 'x' is not an invocation number: use a whole number from 0 to 1000000 ("0") or an inclusive range ("1-2")
          m.json:3:58: error: the mocked response 'R' at '1' needs 'Return' or 'Throw'
          """)
    }
  }

  @Test("A response with gaps or no entries parses; the gaps are uncovered invocations")
  func gapsAreAllowed() throws {
    let configuration = try MockConfiguration(
      json:
        #"{"StateMachines": {}, "MockedResponses": {"Gap": {"1": {"Return": 1}, "3-4": {"Return": 2}}, "Empty": {}}}"#
    )
    let gap = try #require(configuration.mockedResponses["Gap"])
    #expect(
      (0...5).map { gap.outcome(forInvocation: $0) } == [
        nil, .return(1), nil, .return(2), .return(2), nil,
      ])
    #expect(configuration.mockedResponses["Empty"]?.coverageDescription == "none")
  }

  @Test("A test case's mocks of states that are not Task states of the definition are listed")
  func unusedMocks() throws {
    let machine = try StateMachine(
      json:
        #"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": true}}}], "Next": "W"}, "W": {"Type": "Pass", "End": true}}}"#
    )
    let response = MockedResponse(name: "R", entries: [])
    let testCase = MockTestCase(
      name: "C",
      mocks: [
        .init(stateName: "T", response: response), .init(stateName: "W", response: response),
        .init(stateName: "Typo", response: response),
      ])
    #expect(testCase.unusedMocks(in: machine.definition) == ["W", "Typo"])
  }
}
