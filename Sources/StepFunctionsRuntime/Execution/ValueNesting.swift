import StepFunctionsJSON
import StepFunctionsLanguage

extension ExecutionOptions {
  /// How deeply arrays and objects may nest in an execution's input, in a state's output or
  /// result and in an assigned variable: 512 levels, the JSON parser's default
  /// ``JSONParser/Options/maximumDepth``. A deeper value fails the state with `States.Runtime`.
  ///
  /// A loop can nest a value one level deeper on every pass (`"Parameters": {"a.$": "$"}`), and
  /// destroying or measuring a value takes one call per level; the bound keeps every value an
  /// execution holds far from the end of the stack, on any thread.
  public static let maximumNestingDepth = 512
}

extension Engine {
  /// Throws `States.Runtime` for the fiber's state when `output`, or a variable in `assigned`,
  /// nests deeper than ``ExecutionOptions/maximumNestingDepth``.
  ///
  /// - Complexity: O(1) for objects within their kept bound (see `JSON.nestingDepthBound`).
  func checkNesting(output: JSON, assigned: JSONObject? = nil, fiber: Fiber) throws(StatesError) {
    let limit = ExecutionOptions.maximumNestingDepth
    if output.isNested(deeperThan: limit) {
      throw stateError(
        fiber, "The state's output has arrays and objects nested more than \(limit) levels deep.")
    }
    // The variables sit one level down in `assigned`.
    if let assigned, JSON.object(assigned).isNested(deeperThan: limit + 1) {
      throw stateError(
        fiber,
        "A variable assigned by the state has arrays and objects nested more than \(limit) levels deep."
      )
    }
  }

  /// The error for a task result nested deeper than ``ExecutionOptions/maximumNestingDepth``,
  /// or `nil` when it is within the limit.
  func nestingError(ofTaskResult result: JSON, fiber: Fiber) -> StatesError? {
    let limit = ExecutionOptions.maximumNestingDepth
    guard result.isNested(deeperThan: limit) else { return nil }
    return stateError(
      fiber,
      "The task returned a result with arrays and objects nested more than \(limit) levels deep.")
  }
}
