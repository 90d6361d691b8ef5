import Foundation
import StepFunctions
import Testing

@testable import StepFunctionsCLI

@Suite("sfn test --coverage")
struct TestCoverageTests {
  static let files = [
    "router.asl.json": """
    {
      "StartAt": "Route",
      "States": {
        "Route": {
          "Type": "Choice",
          "Choices": [{"Variable": "$.mode", "StringEquals": "work", "Next": "Work"}],
          "Default": "Rejected"
        },
        "Work": {
          "Type": "Task",
          "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work",
          "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 2}],
          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Rejected"}],
          "Next": "Fan"
        },
        "Fan": {
          "Type": "Parallel",
          "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
            {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}
          ],
          "End": true
        },
        "Rejected": {"Type": "Fail", "Error": "Rejected"}
      }
    }
    """,
    "router.mocks.json": """
    {
      "StateMachines": {
        "Router": {
          "TestCases": {
            "FlakyThenOk": {"Work": "FlakyThenOk"},
            "Broken": {"Work": "Broken"}
          }
        }
      },
      "MockedResponses": {
        "FlakyThenOk": {
          "0": {"Throw": {"Error": "Flaky", "Cause": "try again"}},
          "1": {"Return": {"ok": true}}
        },
        "Broken": {"0": {"Throw": {"Error": "Broken", "Cause": "for good"}}}
      }
    }
    """,
  ]
  static let arguments = [
    "test", "router.asl.json", "--mocks", "router.mocks.json", "--input", #"{"mode": "work"}"#,
    "--coverage",
  ]

  @Test("The text report ends with the coverage table and names the uncovered items")
  func text() async {
    let result = await runSFN(Self.arguments, files: Self.files)
    #expect(result.status == 0)
    #expect(result.error == "")
    #expect(
      result.output.hasSuffix(
        """
        2 passed, 0 failed (2 test cases: 1 SUCCEEDED, 1 FAILED)

        Coverage of Router (2 executions):
          states              6/6  100%
          choice rules        1/2  50%
          retriers            1/1  100%
          catchers            1/1  100%
          branches            2/2  100%
          Fail states         1/1  100%
          uncovered:
            Default of Route → Rejected

        """), "\(result.output)")
  }

  @Test("With --format json the report gains a coverage object per state machine")
  func json() async throws {
    let result = await runSFN(Self.arguments + ["--format", "json"], files: Self.files)
    #expect(result.status == 0)
    let report = try JSON(parsing: result.output)
    #expect(report["passed"] == 2)
    let machine = try #require(report["coverage"]?["stateMachines"]?[0])
    #expect(report["coverage"]?["stateMachines"]?.arrayValue?.count == 1)
    #expect(machine["name"] == "Router")
    #expect(machine["summary"]?["states"] == ["covered": 6, "total": 6, "percent": 100])
    #expect(machine["summary"]?["retriers"] == ["covered": 1, "total": 1, "percent": 100])
    #expect(
      machine["items"]?[4]
        == [
          "kind": "retrier", "state": "Work", "retrier": 0, "errorEquals": ["Flaky"],
          "covered": true, "hits": 1,
        ])
    #expect(
      machine["uncovered"]?.arrayValue?.map { $0["kind"]?.stringValue ?? "" } == [
        "choiceDefault"
      ])
    #expect(machine["summary"]?["choiceRules"] == ["covered": 1, "total": 2, "percent": 50])
  }

  @Test("Without --coverage neither report has coverage")
  func absentWithoutFlag() async throws {
    let arguments = Array(Self.arguments.dropLast())
    let text = await runSFN(arguments, files: Self.files)
    #expect(!text.output.contains("Coverage of"))
    let json = await runSFN(arguments + ["--format", "json"], files: Self.files)
    #expect(try JSON(parsing: json.output)["coverage"] == nil)
  }

  @Test("Coverage counts only the test case run with --test-case")
  func oneCase() async throws {
    let result = await runSFN(
      Self.arguments + ["--test-case", "Broken", "--format", "json"], files: Self.files)
    let machine = try #require(try JSON(parsing: result.output)["coverage"]?["stateMachines"]?[0])
    #expect(machine["summary"]?["states"] == ["covered": 3, "total": 6, "percent": 50])
    #expect(machine["executions"] == 1)
  }
}
