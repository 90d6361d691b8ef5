import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

@Suite("The definition size quota")
struct DefinitionSizeQuotaTests {
  /// A valid one-state definition padded with a `Comment` to exactly `size` bytes.
  static func definition(bytes size: Int) -> [UInt8] {
    let head = #"{"StartAt": "S", "States": {"S": {"Type": "Succeed"}}, "Comment": ""#
    let tail = #""}"#
    let padding = size - head.utf8.count - tail.utf8.count
    return Array((head + String(repeating: "x", count: max(0, padding)) + tail).utf8)
  }

  static let awsMessage =
    "1 validation error detected: Value at 'definition' failed to satisfy constraint: "
    + "Member must have length less than or equal to 1048576"

  @Test("AWS's quota is 1,048,576 bytes, the default")
  func defaultQuota() {
    #expect(ValidationOptions.definitionSizeQuota == 1_048_576)
    #expect(ValidationOptions().maximumDefinitionBytes == 1_048_576)
  }

  @Test("A definition of exactly 1,048,576 bytes is accepted")
  func atTheQuota() {
    let bytes = Self.definition(bytes: 1_048_576)
    #expect(bytes.count == 1_048_576)
    #expect(Validator.validate(bytes).diagnostics.isEmpty)
    #expect(throws: Never.self) { try StateMachineDefinition(bytes: bytes) }
  }

  @Test("One byte more is a single ValidationException error in AWS's words, without a location")
  func overTheQuota() throws {
    let bytes = Self.definition(bytes: 1_048_577)
    let report = Validator.validate(bytes)
    #expect(report.diagnostics.count == 1)
    let diagnostic = try #require(report.diagnostics.first)
    #expect(diagnostic.severity == .error)
    #expect(diagnostic.code == .validationException)
    #expect(diagnostic.code.rawValue == "ValidationException")
    #expect(diagnostic.message == Self.awsMessage + " (the definition has 1048577 bytes)")
    #expect(diagnostic.pointer == [])
    #expect(diagnostic.location == nil)
    #expect(report.source == nil)
  }

  @Test("An oversized text is refused before parsing: even invalid JSON gets the size error")
  func refusedBeforeParsing() {
    // Two megabytes of text that is not JSON at all: parsing it would say INVALID_JSON.
    let garbage = [UInt8](repeating: 0xFF, count: 2 * 1_048_576)
    let codes = Validator.validate(garbage).diagnostics.map(\.code)
    #expect(codes == [.validationException])
  }

  @Test("Loading text over the quota throws the same diagnostic")
  func loadingRefuses() throws {
    let error = try #require(throws: DefinitionError.self) {
      try StateMachineDefinition(bytes: Self.definition(bytes: 1_048_577))
    }
    #expect(error.report.diagnostics.map(\.code) == [.validationException])
    #expect(error.description.hasPrefix(Self.awsMessage))
  }

  @Test("The limit is configurable, and nil disables it")
  func configurable() {
    let bytes = Self.definition(bytes: 200)
    var options = ValidationOptions(maximumDefinitionBytes: 199)
    let report = Validator.validate(bytes, options: options)
    #expect(report.diagnostics.map(\.code) == [.validationException])
    #expect(
      report.diagnostics.first?.message.contains(
        "less than or equal to 199 (the definition has 200 bytes)") == true)
    options.maximumDefinitionBytes = 200
    #expect(Validator.validate(bytes, options: options).diagnostics.isEmpty)
    options.maximumDefinitionBytes = nil
    #expect(
      Validator.validate(Self.definition(bytes: 2_000_000), options: options).diagnostics.isEmpty)
  }

  @Test("A definition given as a value is measured by its compact serialization")
  func valueMeasured() throws {
    let value = try JSONParser.parse(Self.definition(bytes: 300))
    let compact = value.serializedByteCount
    #expect(throws: Never.self) {
      try StateMachineDefinition(
        value: value, options: ValidationOptions(maximumDefinitionBytes: compact))
    }
    let error = try #require(throws: DefinitionError.self) {
      try StateMachineDefinition(
        value: value, options: ValidationOptions(maximumDefinitionBytes: compact - 1))
    }
    #expect(error.report.diagnostics.map(\.code) == [.validationException])
    #expect(
      error.report.diagnostics.first?.message.hasSuffix("(the definition has \(compact) bytes)")
        == true)
  }
}
