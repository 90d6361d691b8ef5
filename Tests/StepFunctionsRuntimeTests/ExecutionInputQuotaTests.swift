import StepFunctionsJSON
import StepFunctionsLanguage
import StepFunctionsRuntime
import Testing

@Suite("The execution input quota")
struct ExecutionInputQuotaTests {
  static let machine = #"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#

  /// `{"pad":"xxx…"}` of exactly `size` bytes.
  static func input(bytes size: Int) -> [UInt8] {
    Array(("{\"pad\":\"" + String(repeating: "x", count: size - 10) + "\"}").utf8)
  }

  static let awsMessage =
    "1 validation error detected: Value at 'input' failed to satisfy constraint: "
    + "Member must have length less than or equal to 262144"

  @Test("AWS's quota is 262,144 bytes, the default")
  func defaultQuota() {
    #expect(ExecutionInput.sizeQuota == 262_144)
    #expect(ExecutionOptions().maximumInputBytes == 262_144)
  }

  @Test("Input text of exactly 262,144 bytes is parsed")
  func atTheQuota() throws {
    let bytes = Self.input(bytes: 262_144)
    #expect(bytes.count == 262_144)
    let value = try ExecutionInput.parse(bytes)
    #expect(value["pad"]?.stringValue?.count == 262_134)
  }

  @Test("Input text one byte over is refused with ValidationException before parsing")
  func overTheQuota() throws {
    let error = try #require(throws: ExecutionInputError.self) {
      try ExecutionInput.parse(Self.input(bytes: 262_145))
    }
    #expect(error.name == .validationException)
    #expect(error.message == Self.awsMessage + " (the input has 262145 bytes)")
    #expect(error.description == "ValidationException: " + error.message)
    #expect(error.parseError == nil)
    // Not JSON at all, but too large: the size is what is reported, so nothing was parsed.
    let garbage = [UInt8](repeating: 0xFF, count: 300_000)
    let refused = try #require(throws: ExecutionInputError.self) {
      try ExecutionInput.parse(garbage)
    }
    #expect(refused.name == .validationException)
  }

  @Test("Input text that is not JSON is InvalidExecutionInput with the parser's error")
  func invalidJSON() throws {
    let error = try #require(throws: ExecutionInputError.self) {
      try ExecutionInput.parse(Array("{\"a\": }".utf8))
    }
    #expect(error.name == .invalidExecutionInput)
    let parseError = try #require(error.parseError)
    #expect(error.message == parseError.description)
    let empty = try #require(throws: ExecutionInputError.self) { try ExecutionInput.parse([]) }
    #expect(empty.parseError?.message == JSONParseError.emptyInputMessage)
  }

  @Test("The text limit is configurable, and nil disables it")
  func configurableText() throws {
    let bytes = Self.input(bytes: 100)
    #expect(throws: ExecutionInputError.self) { try ExecutionInput.parse(bytes, maximumBytes: 99) }
    #expect(throws: Never.self) { try ExecutionInput.parse(bytes, maximumBytes: 100) }
    #expect(throws: Never.self) {
      try ExecutionInput.parse(Self.input(bytes: 300_000), maximumBytes: nil)
    }
  }

  @Test(
    "A parsed input over the quota is refused: FAILED with ValidationException, no event, no state")
  func parsedValueRefused() async throws {
    let machine = try StateMachine(json: Self.machine)
    let input = try JSONParser.parse(Self.input(bytes: 262_145))
    let result = await machine.run(input: input)
    #expect(result.status == .failed)
    #expect(result.error == "ValidationException")
    #expect(result.cause == Self.awsMessage + " (the input has 262145 bytes)")
    #expect(result.history.events.isEmpty)
    #expect(result.stateTransitions == 0)
    #expect(result.output == nil)
    #expect(result.stopDate == result.startDate)
  }

  @Test("A parsed input at the quota runs")
  func parsedValueAtTheQuota() async throws {
    let machine = try StateMachine(json: Self.machine)
    let input = try JSONParser.parse(Self.input(bytes: 262_144))
    let result = await machine.run(input: input)
    #expect(result.status == .succeeded)
    #expect(result.history.events.first?.type == "ExecutionStarted")
  }

  @Test("A started execution with an oversized input ends refused and issues no token")
  func startRefused() async throws {
    let machine = try StateMachine(json: Self.machine)
    var options = ExecutionOptions()
    options.maximumInputBytes = 10
    let input: JSON = ["text": "more than ten bytes"]
    let execution = machine.start(input: input, options: options)
    var tokens = 0
    for await _ in execution.taskTokens { tokens += 1 }
    let result = await execution.result()
    #expect(tokens == 0)
    #expect(result.error == "ValidationException")
    #expect(
      result.cause?.hasSuffix(
        "less than or equal to 10 (the input has \(input.serializedByteCount) bytes)") == true)
  }

  @Test("The input limit is its own option: nil disables it, the payload limit still applies")
  func configurableValue() async throws {
    let machine = try StateMachine(json: Self.machine)
    let input: JSON = ["text": "0123456789"]
    let size = input.serializedByteCount
    var options = ExecutionOptions()
    options.maximumInputBytes = size
    #expect(await machine.run(input: input, options: options).status == .succeeded)
    options.maximumInputBytes = size - 1
    #expect(await machine.run(input: input, options: options).error == "ValidationException")
    options.maximumInputBytes = nil
    options.maximumPayloadBytes = size - 1
    let limited = await machine.run(input: input, options: options)
    #expect(limited.error == "States.DataLimitExceeded")
    #expect(limited.history.events.first?.type == "ExecutionStarted")
  }
}
