import StepFunctions

/// Namespace for the testing kit.
///
/// The kit runs whole workflows in unit tests, on the virtual clock, without an AWS account:
///
/// - ``WorkflowTest`` runs a state machine with stand-in handlers and returns a ``WorkflowRun``:
///   the result, the history and the ``ExecutionPath`` (states entered, with inputs, outputs,
///   Map iterations and Parallel branches).
/// - ``MockConfiguration`` reads the AWS Step Functions Local `MockConfigFile.json` format and
///   ``MockResponder`` plays a test case with Step Functions Local's counting rules.
/// - ``ScriptedHandler`` and ``RecordingHandler`` stand in for services.
/// - `expect...` methods on ``WorkflowRun`` and ``RecordingHandler`` report readable failures in
///   Swift Testing; ``WorkflowChecks`` has the same checks as plain functions.
public enum StepFunctionsTestingKit {}
