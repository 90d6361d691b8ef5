import StepFunctionsLanguage

/// Namespace for the runtime stage: compiled plan, executor, clocks and history.
public enum StepFunctionsRuntime {}
