import StepFunctions
import StepFunctionsTesting

/// `sfn test --junit FILE`: the test cases as a JUnit XML report
/// (``StepFunctionsTesting/JUnitReport``), one `<testcase>` per mock-file test case.
///
/// `classname` is the mock file's state machine name and `name` the test case's. `time` is the
/// execution's duration on the virtual clock (`stopDate - startDate`), not the wall time the
/// host took: it is what the workflow would take, and it makes the file the same on every run.
/// A failed case has a `<failure>` whose `message` is its problems, one after the other, and
/// whose text is the final status (with error and cause) and the path taken; every case's
/// `<system-out>` is the text `sfn test` prints for it.
enum JUnitOutput {
  /// The report for the cases run.
  static func report(_ reports: [CaseReport]) -> JUnitReport {
    JUnitReport(name: "sfn test", testCases: reports.map(testCase))
  }

  /// Writes the report to `path`; `nil` when written, else the exit code after saying why.
  static func write(
    _ reports: [CaseReport], to path: String, context: CommandContext,
    standardError: inout some TextOutputStream
  ) -> ExitCode? {
    do {
      try context.writeFile(path, Array(report(reports).xml.utf8))
      return nil
    } catch {
      standardError.write(
        "sfn: error: cannot write the JUnit report to '\(path)': \(error.reason)\n")
      return .cannotCreateOutput
    }
  }

  private static func testCase(_ report: CaseReport) -> JUnitReport.TestCase {
    let run = report.run
    var failure: JUnitReport.Failure?
    if !report.passed {
      var status = "status: \(run.status.rawValue)"
      if let error = run.error {
        status += " (\(error)\(run.cause.map { $0.isEmpty ? "" : ": \($0)" } ?? ""))"
      }
      let path = run.path.steps.isEmpty ? "(no states entered)" : run.path.description
      failure = JUnitReport.Failure(
        message: report.problems.joined(separator: "; "), type: "WorkflowTestFailure",
        details: ([status, "path: \(path)"] + report.problems.map { "problem: \($0)" })
          .joined(separator: "\n"))
    }
    return JUnitReport.TestCase(
      className: report.testCase.stateMachineName, name: report.testCase.name,
      milliseconds: run.result.stopDate.millisecondsSinceEpoch
        - run.result.startDate.millisecondsSinceEpoch,
      failure: failure, standardOutput: report.text)
  }
}
