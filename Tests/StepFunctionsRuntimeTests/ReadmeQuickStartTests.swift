import StepFunctionsJSON
import StepFunctionsLanguage
import StepFunctionsRuntime
import Testing

/// The README's quick start, run as a test so it stays true.
@Suite("README quick start")
struct ReadmeQuickStartTests {
  @Test("The quick-start machine succeeds with the handler's result after 20 virtual minutes")
  func quickStart() async throws {
    let machine = try StateMachine(
      json: """
        {"StartAt": "Transcode",
         "States": {
           "Transcode": {"Type": "Task", "Resource": "arn:aws:states:::mediaconvert:createJob.sync",
                         "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}],
                         "TimeoutSeconds": 7200, "Next": "Done"},
           "Done": {"Type": "Succeed"}}}
        """)

    var options = ExecutionOptions()
    options.handlers.register(
      ClosureTaskHandler { request, context in
        try await context.sleep(seconds: 1_200)
        return ["Job": ["Status": "COMPLETE"]]
      }, forIntegration: "mediaconvert:createJob")

    let result = await machine.run(input: ["video": "s3://uploads/in.mp4"], options: options)
    #expect(result.status == .succeeded)
    #expect(result.output?.serialized() == #"{"Job":{"Status":"COMPLETE"}}"#)
    // What the README's `print(result.status, result.output ?? .null)` line says it prints.
    var printed = ""
    print(result.status, result.output ?? .null, to: &printed)
    #expect(printed == #"SUCCEEDED {"Job":{"Status":"COMPLETE"}}"# + "\n")
    #expect(
      result.stopDate.millisecondsSinceEpoch - result.startDate.millisecondsSinceEpoch == 1_200_000)
    #expect(result.history.awsJSON["events"]?.arrayValue?.isEmpty == false)

    let report = Validator.validate(Array(#"{"StartAt": 1}"#.utf8))
    #expect(report.diagnostics.allSatisfy { $0.location != nil })
  }
}
