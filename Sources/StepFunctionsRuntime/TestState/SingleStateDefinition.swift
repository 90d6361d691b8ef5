import StepFunctionsJSON
import StepFunctionsLanguage

/// AWS's TestState `definition` when it is one state rather than a whole machine (a request
/// without `stateName`), made into a machine this library can test.
///
/// The state is placed in a machine of its own under ``stateName``; every state it can go to
/// (`Next`, a Choice rule's or `Default`'s target, a catcher's `Next`) becomes a `Succeed` state,
/// so the machine validates and the test reports the target as `nextState`, as AWS does.
///
/// ```swift
/// let single = try SingleStateDefinition(json: #"{"Type": "Pass", "Result": 1, "Next": "Done"}"#)
/// let result = try await single.machine.testState(named: single.stateName)
/// // result.status == .succeeded, result.nextState == "Done", result.output == 1
/// ```
///
/// The definition text is kept as written, after a prefix on its first line: diagnostics on
/// the second line and later keep their line and column; on the first line the column counts
/// the prefix too. Diagnostic pointers start with `/States/<stateName>`.
public struct SingleStateDefinition: Sendable {
  /// The machine holding the state.
  public let machine: StateMachine
  /// The name the state is tested under: `TestState`, or `TestState_1`, … when the state goes
  /// to a state of that name.
  public let stateName: String

  /// Whether `bytes` hold one state rather than a machine: a JSON object with a `Type` field and
  /// no `States` field. Text that is not JSON is not a single state (loading it as a machine
  /// reports the syntax error).
  public static func isSingleState(_ bytes: [UInt8]) -> Bool {
    guard let value = try? JSONParser.parse(bytes), case .object(let object) = value else {
      return false
    }
    return object["Type"] != nil && object["States"] == nil
  }

  /// Makes a machine of the single state in `text`.
  public init(json text: String, options: ValidationOptions = ValidationOptions())
    throws(StateMachineError)
  {
    try self.init(bytes: Array(text.utf8), options: options)
  }

  /// Makes a machine of the single state in the UTF-8 JSON `bytes`.
  ///
  /// - Throws: ``StateMachineError/invalidDefinition(_:)`` when the text is not JSON or the state
  ///   is not valid (text that is not one state, such as a whole machine, is reported as an
  ///   invalid state).
  public init(bytes: [UInt8], options: ValidationOptions = ValidationOptions())
    throws(StateMachineError)
  {
    let targets = Self.targets(bytes)
    var name = "TestState"
    var suffix = 0
    while targets.contains(name) {
      suffix += 1
      name = "TestState_\(suffix)"
    }
    let quote: (String) -> String = { JSONSerializer().string(.string($0)) }
    var prefix = "{\"StartAt\":\(quote(name)),\"States\":{\(quote(name)):"
    var suffixText = ""
    for target in targets where target != name {
      suffixText += ",\(quote(target)):{\"Type\":\"Succeed\"}"
    }
    suffixText += "}}"
    if (try? JSONParser.parse(bytes)) == nil {
      // Not JSON: load the text as it is, so the syntax error is reported where it is.
      prefix = ""
      suffixText = ""
    }
    machine = try StateMachine(
      bytes: Array(prefix.utf8) + bytes + Array(suffixText.utf8), options: options)
    stateName = name
  }

  /// The names of the states the state can go to, in the order first named, without repeats.
  static func targets(_ bytes: [UInt8]) -> [String] {
    guard let value = try? JSONParser.parse(bytes), case .object(let state) = value else {
      return []
    }
    var names: [String] = []
    func add(_ value: JSON?) {
      if let name = value?.stringValue, !names.contains(name) { names.append(name) }
    }
    add(state["Next"])
    add(state["Default"])
    for key in ["Choices", "Catch"] {
      guard case .array(let members)? = state[key] else { continue }
      for member in members { add(member["Next"]) }
    }
    return names
  }
}
