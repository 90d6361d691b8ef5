import Foundation
import StepFunctions
import StepFunctionsCLI
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite("sfn test --junit")
struct JUnitCommandTests {
  static let files = [
    "m.asl.json": """
    {"StartAt": "Call", "States": {
      "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}], "Next": "Wait"},
      "Wait": {"Type": "Wait", "Seconds": 90, "End": true},
      "Failed": {"Type": "Fail", "Error": "Broken", "Cause": "a <b> & \\"c\\" \\u0001"}}}
    """,
    "mocks.json": """
    {"StateMachines": {"M": {"TestCases": {
       "Works": {"Call": "Ok"},
       "Breaks & <fails>": {"Call": "Down"}}}},
     "MockedResponses": {
       "Ok": {"0": {"Return": {"x": 1}}},
       "Down": {"0": {"Throw": {"Error": "E", "Cause": "c"}}}}}
    """,
  ]

  @Test("One testcase per mock test case, with the failure message, the path and virtual time")
  func writesReport() async throws {
    let written = WrittenFiles()
    let result = await runSFN(
      [
        "test", "m.asl.json", "--mocks", "mocks.json", "--expect-status", "SUCCEEDED", "--junit",
        "report.xml",
      ], context: writingContext(Self.files, into: written))
    #expect(result.status == 1)
    let xml = try #require(written["report.xml"])
    #expect(XMLParser(data: Data(xml.utf8)).parse(), "not well-formed:\n\(xml)")
    let lines = xml.split(separator: "\n").map(String.init)
    #expect(
      lines.prefix(4) == [
        #"<?xml version="1.0" encoding="UTF-8"?>"#,
        #"<testsuites name="sfn test" tests="2" failures="1" errors="0" skipped="0" time="90.000">"#,
        #"  <testsuite name="M" tests="2" failures="1" errors="0" skipped="0" time="90.000">"#,
        #"    <testcase classname="M" name="Works" time="90.000">"#,
      ])
    #expect(
      lines.contains(
        #"    <testcase classname="M" name="Breaks &amp; &lt;fails&gt;" time="0.000">"#))
    #expect(
      lines.contains(
        #"      <failure message="expected the status SUCCEEDED, got FAILED" type="WorkflowTestFailure">status: FAILED (Broken: a &lt;b&gt; &amp; "c" \u{1})"#
      ))
    #expect(lines.contains("path: Call → Failed"))
    #expect(lines.contains("problem: expected the status SUCCEEDED, got FAILED</failure>"))
    #expect(xml.contains("<system-out>PASS  SUCCEEDED  M / Works\n      path: Call → Wait\n"))
  }

  @Test("The same run writes the same report")
  func deterministic() async {
    var reports: [String] = []
    for _ in 0..<2 {
      let written = WrittenFiles()
      _ = await runSFN(
        ["test", "m.asl.json", "--mocks", "mocks.json", "--junit", "r.xml"],
        context: writingContext(Self.files, into: written))
      reports.append(written["r.xml"] ?? "")
    }
    #expect(reports[0] == reports[1] && !reports[0].isEmpty)
  }

  @Test("An unwritable report file exits 73 after the results are printed")
  func unwritable() async {
    let written = WrittenFiles()
    let result = await runSFN(
      ["test", "m.asl.json", "--mocks", "mocks.json", "--junit", "locked.xml"],
      context: writingContext(Self.files, into: written, unwritable: ["locked.xml"]))
    #expect(result.status == 73)
    #expect(result.output.contains("PASS  SUCCEEDED  M / Works"))
    #expect(
      result.error
        == "sfn: error: cannot write the JUnit report to 'locked.xml': Permission denied\n")
  }
}
