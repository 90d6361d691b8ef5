// The `StepFunctions` product: one import for the whole pipeline — JSON, the ASL model and
// validator, and (as it lands) the compiled plan, executor, clocks and history.
@_exported import StepFunctionsJSON
@_exported import StepFunctionsLanguage
@_exported import StepFunctionsRuntime
