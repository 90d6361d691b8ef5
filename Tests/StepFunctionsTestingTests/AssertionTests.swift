import StepFunctions
import StepFunctionsTesting
import Testing

@Suite("Assertions and their messages")
struct AssertionTests {
  static let failing = """
    {"StartAt": "Start", "States": {
      "Start": {"Type": "Pass", "Result": {"step": 1}, "Next": "Boom"},
      "Boom": {"Type": "Fail", "Error": "Broken", "Cause": "it broke"}}}
    """
  static let succeeding = """
    {"StartAt": "Call", "States": {
      "Call": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
               "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message.$": "$.text"},
               "ResultPath": "$.published", "End": true}}}
    """

  func failingRun() async throws -> WorkflowRun { try await WorkflowTest(json: Self.failing).run() }

  func succeedingRun(_ recorder: RecordingHandler) async throws -> WorkflowRun {
    try await WorkflowTest(json: Self.succeeding).handling("sns:publish", with: recorder)
      .run(input: ["text": "hello", "id": 7])
  }

  @Test("Passing expectations record nothing and return true")
  func passing() async throws {
    let recorder = RecordingHandler(returning: ["MessageId": "m-1"])
    let run = try await succeedingRun(recorder)
    #expect(run.expectSucceeded())
    #expect(run.expectStatus(.succeeded))
    #expect(run.expectPath(["Call"]))
    #expect(run.expectEntered("Call", times: 1))
    #expect(run.expectEntered("Other", times: 0))
    #expect(run.expectOutput(matching: ["published": ["MessageId": "m-1"], "id": 7.0]))
    #expect(run.expectEveryTaskAnswered())
    #expect(recorder.expectCalled(withParametersMatching: ["Message": "hello"], inState: "Call"))
    #expect(recorder.expectCallCount(1))
    let failed = try await failingRun()
    #expect(failed.expectFailed())
    #expect(failed.expectFailed(error: "Broken"))
    #expect(failed.expectFailed(error: "Broken", cause: "it broke"))
  }

  @Test("A failing expectation records an issue with the readable message at the caller's line")
  func failingRecordsAnIssue() async throws {
    let run = try await failingRun()
    let line = #line + 2
    withKnownIssue {
      run.expectSucceeded()
    } matching: { issue in
      issue.sourceLocation?.line == line && issue.sourceLocation?.fileName == "AssertionTests.swift"
        && issue.comments.contains {
          $0.rawValue.hasPrefix(
            "Expected the execution to succeed, but it ended FAILED with Broken")
        }
    }
    withKnownIssue {
      #expect(!run.expectPath(["Start", "Done"]))
    } matching: { issue in
      issue.comments.contains { $0.rawValue.contains("at step 2: expected 'Done', found 'Boom'") }
    }
  }

  @Test("The 'succeeded' message gives the outcome, the path and the last state")
  func succeededMessage() async throws {
    let message = WorkflowChecks.succeeded(try await failingRun())
    #expect(
      message == """
        Expected the execution to succeed, but it ended FAILED with Broken: it broke.
          path: Start → Boom
          last state: Boom (Fail), input {"step":1}
        """)
  }

  @Test("The 'failed' message says which error and cause were wanted")
  func failedMessage() async throws {
    let run = try await failingRun()
    #expect(WorkflowChecks.failed(run, error: "Broken") == nil)
    #expect(
      WorkflowChecks.failed(run, error: "Other", cause: "why")?.hasPrefix(
        "Expected the execution to fail with the error 'Other' and the cause 'why', but it ended FAILED with Broken: it broke.\n  path: Start → Boom"
      ) == true)
    let recorder = RecordingHandler()
    let succeeded = try await succeedingRun(recorder)
    #expect(
      WorkflowChecks.failed(succeeded, cause: "x")?.hasPrefix(
        "Expected the execution to fail with the cause 'x', but it SUCCEEDED.")
        == true)
    #expect(
      WorkflowChecks.status(of: succeeded, is: .timedOut)?.hasPrefix(
        "Expected the execution to end TIMED_OUT, but it SUCCEEDED.")
        == true)
  }

  @Test("The path message points at the first difference and shows a line diff")
  func pathMessage() {
    #expect(WorkflowChecks.path(["A", "B"], is: ["A", "B"]) == nil)
    #expect(
      WorkflowChecks.path(["A", "B", "X", "D"], is: ["A", "B", "C", "D"]) == """
        The path taken differs from the expected path at step 3: expected 'C', found 'X'.
          expected: A → B → C → D
          actual:   A → B → X → D
          diff (- expected only, + actual only):
              A
              B
            + X
            - C
              D
        """)
    #expect(
      WorkflowChecks.path(["A"], is: ["A", "B"])?.hasPrefix(
        "The path taken differs from the expected path: it stopped after 1 of 2 steps; next expected 'B'."
      ) == true)
    #expect(
      WorkflowChecks.path(["A", "B", "B"], is: ["A", "B"])?.hasPrefix(
        "The path taken differs from the expected path: it went on after the 2 expected steps with 'B'."
      ) == true)
  }

  @Test("The entered-count message gives both counts and the path")
  func enteredMessage() async throws {
    let run = try await failingRun()
    #expect(
      WorkflowChecks.entered(run, state: "Start", times: 2)
        == "Expected the state 'Start' to be entered 2 times, but it was entered 1 time.\n  path: Start → Boom"
    )
  }

  @Test("JSON subset mismatches name each path with what was expected and found")
  func subsetMessages() {
    let actual: JSON = ["a": ["b": 2, "c": "x"], "list": [1, 2], "n": 1.0]
    #expect(JSONSubset.matches(expected: ["a": ["b": 2], "n": 1], actual: actual))
    #expect(
      JSONSubset.mismatches(
        expected: ["a": ["b": 3, "d": true], "list": [1], "n": 1, "odd key": nil], actual: actual)
        == [
          "$.a.b: expected 3, found 2",
          "$.a.d: missing (expected true)",
          "$.list: expected an array of 1 element, found 2: [1,2]",
          #"$["odd key"]: missing (expected null)"#,
        ])
    #expect(
      JSONSubset.mismatches(expected: [["x": 1]], actual: [["x": 2]]) == [
        "$[0].x: expected 1, found 2"
      ])
  }

  @Test("The output message lists the mismatches and the output")
  func outputMessage() async throws {
    let run = try await succeedingRun(RecordingHandler(returning: ["MessageId": "m-1"]))
    #expect(
      WorkflowChecks.output(of: run, matches: ["id": 8]) == """
        The output does not match:
          $.id: expected 8, found 7
          output: {"text":"hello","id":7,"published":{"MessageId":"m-1"}}
        """)
    #expect(
      WorkflowChecks.output(of: try await failingRun(), matches: [:])
        == "Expected an output matching {}, but the execution ended FAILED with Broken: it broke and has no output."
    )
  }

  @Test("The call messages show every call and why it did not match")
  func callMessages() async throws {
    let recorder = RecordingHandler(returning: [:])
    _ = try await succeedingRun(recorder)
    #expect(
      WorkflowChecks.called(recorder.calls, withParametersMatching: ["Message": "bye"]) == """
        Expected a call with parameters matching {"Message":"bye"}, but none of the 1 call did:
          call 1 (Call, attempt 0): {"TopicArn":"arn:aws:sns:us-east-1:123456789012:t","Message":"hello"}
            $.Message: expected "bye", found "hello"
        """)
    #expect(
      WorkflowChecks.called(recorder.calls, withParametersMatching: [:], inState: "Other")
        == "Expected a call by the state 'Other' with parameters matching {}, but there were no calls by the state 'Other' (calls by other states: Call)."
    )
    #expect(
      WorkflowChecks.callCount(recorder.calls, is: 2) == """
        Expected 2 calls, but there was 1.
          Call (attempt 0): {"TopicArn":"arn:aws:sns:us-east-1:123456789012:t","Message":"hello"}
        """)
  }

  @Test("The every-task-answered message lists the set-up problems")
  func setupMessage() async throws {
    let run = try await WorkflowTest(json: Self.succeeding).run(input: ["text": "t"])
    #expect(
      WorkflowChecks.everyTaskAnswered(run) == """
        Some tasks got no answer from the test set-up:
          The state 'Call' is not mocked in the test case '(no mocks)' and no task handler is registered for its resource 'arn:aws:states:::sns:publish'.
        """)
  }
}
