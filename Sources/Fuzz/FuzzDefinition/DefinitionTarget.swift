import FuzzSupport
import StepFunctionsJSON
import StepFunctionsLanguage
import StepFunctionsRuntime

/// Fuzzes loading and validating a definition (`Validator`, `StateMachineLoader`) and compiling
/// it (`StateMachine(definition:)`).
///
/// Invariants: every diagnostic (standard and express) has a code, a message and a location
/// inside the text; a definition comes back exactly when there is no error; a definition the
/// validator accepts compiles; and when the text has no
/// repeated key, validating the parsed value or the value written back as text reports the same
/// problems.
enum DefinitionTarget {
  static func test(_ bytes: [UInt8]) {
    for type in [ValidationOptions.StateMachineType.standard, .express] {
      let report = Validator.validate(bytes, options: ValidationOptions(stateMachineType: type))
      checkLocated(report, in: bytes, type.rawValue)
    }
    guard let document = try? JSONParser.parseDocument(bytes) else { return }
    let loaded = StateMachineLoader.load(document)
    Invariant.require(
      (loaded.definition != nil) == !loaded.report.hasErrors,
      "a definition came back with errors, or none came back without: \(summary(loaded.report))")
    if let definition = loaded.definition { checkCompiles(definition) }

    guard document.duplicateKeys.isEmpty else { return }
    let fromValue = StateMachineLoader.load(document.value)
    Invariant.require(
      summary(fromValue.report) == summary(loaded.report),
      "loading the value and the text disagree:\n\(summary(fromValue.report))\n---\n"
        + summary(loaded.report))
    let pretty = JSONSerializer(style: .pretty).bytes(document.value)
    let rewritten = Validator.validate(pretty)
    checkLocated(rewritten, in: pretty, "rewritten")
    Invariant.require(
      summary(rewritten) == summary(loaded.report),
      "the definition written back as text validates differently:\n\(summary(rewritten))\n---\n"
        + summary(loaded.report))
  }

  /// Every diagnostic has a code, a message and a location inside `bytes`.
  static func checkLocated(_ report: ValidationReport, in bytes: [UInt8], _ label: String) {
    for diagnostic in report.diagnostics {
      let described = "\(label) \(diagnostic.code) at \(diagnostic.pointer): \(diagnostic.message)"
      guard let location = diagnostic.location else {
        Invariant.fail("diagnostic without a location: \(described)")
      }
      Invariant.require(
        location.offset >= 0 && location.offset <= bytes.count && location.line >= 1
          && location.column >= 1,
        "location \(location) (offset \(location.offset)) outside the text: \(described)")
      Invariant.require(!diagnostic.message.isEmpty, "diagnostic without a message: \(described)")
      Invariant.require(
        !diagnostic.code.rawValue.isEmpty, "diagnostic without a code: \(described)")
    }
  }

  /// A definition the validator accepts compiles.
  static func checkCompiles(_ definition: StateMachineDefinition) {
    do {
      _ = try StateMachine(definition: definition)
    } catch {
      Invariant.fail("a valid definition does not compile: \(error)")
    }
  }

  /// The diagnostics without their locations, one line each, sorted.
  static func summary(_ report: ValidationReport) -> String {
    report.diagnostics.map { "\($0.severity) \($0.code) \($0.pointer) \($0.message)" }.sorted()
      .joined(separator: "\n")
  }
}
