import StepFunctions

/// `--machine NAME=FILE` (repeatable) of `sfn run`: state machines the run can start with
/// `arn:aws:states:::states:startExecution`, registered under NAME, so that
/// `arn:aws:states:REGION:ACCOUNT:stateMachine:NAME` (the run's region and account) names them.
public struct MachineArgument: Sendable, Hashable {
  /// The state machine's name.
  public var name: String
  /// The definition file.
  public var path: String

  /// The option's definition.
  static let option = OptionDefinition.option(
    "machine", valueName: "name=file",
    help:
      "A state machine the run can start (states:startExecution), as NAME=FILE; repeatable.",
    isRepeatable: true)

  /// Parses every `--machine` value.
  ///
  /// - Throws: ``UsageError`` for a value that is not `NAME=FILE` with a valid state machine name
  ///   (1 to 80 letters, digits, `-` or `_`), or a name given twice.
  static func parse(_ values: [String]) throws(UsageError) -> [MachineArgument] {
    var machines: [MachineArgument] = []
    for value in values {
      guard let equals = value.firstIndex(of: "=") else {
        throw UsageError(
          "The value '\(value)' is invalid for '--machine <name=file>'. Please give NAME=FILE.")
      }
      let name = String(value[..<equals])
      let path = String(value[value.index(after: equals)...])
      guard !name.isEmpty, name.count <= 80,
        name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
      else {
        throw UsageError(
          "The name '\(name)' in '--machine \(value)' is not a valid state machine name (1 to 80 letters, digits, '-' or '_')."
        )
      }
      guard !path.isEmpty else {
        throw UsageError("The file is missing in '--machine \(value)'. Please give NAME=FILE.")
      }
      guard !machines.contains(where: { $0.name == name }) else {
        throw UsageError("The state machine name '\(name)' is given to --machine twice.")
      }
      machines.append(MachineArgument(name: name, path: path))
    }
    return machines
  }

  /// Loads every machine into `registry`; `false` after reporting a file that cannot be read or
  /// is not a valid definition (named in the message).
  static func register(
    _ machines: [MachineArgument], into registry: inout StateMachineRegistry,
    context: CommandContext, standardError: inout some TextOutputStream
  ) -> Bool {
    for machine in machines {
      guard
        let loaded = DefinitionLoading.machine(
          at: machine.path, context: context, standardError: &standardError)
      else { return false }
      registry.register(loaded, name: machine.name)
    }
    return true
  }
}
