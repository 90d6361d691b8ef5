// The `StepFunctions` product: one import for the whole pipeline — JSON, the ASL model and
// validator, the compiled plan, executor, clocks and history, and replay of recorded histories.
@_exported import StepFunctionsJSON
@_exported import StepFunctionsLanguage
@_exported import StepFunctionsReplay
@_exported import StepFunctionsRuntime
