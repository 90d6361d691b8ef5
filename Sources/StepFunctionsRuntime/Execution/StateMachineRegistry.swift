import StepFunctionsLanguage

/// The state machines an execution can start with a Task whose `Resource` is
/// `arn:aws:states:::states:startExecution` (request-response, `.sync`, `.sync:2` or
/// `.waitForTaskToken`) or `arn:aws:states:::aws-sdk:sfn:startExecution`: the task's
/// `StateMachineArn` parameter is looked up here.
///
/// A machine registered by name answers to the ARN built from that name with the running
/// execution's region and account (`arn:aws:states:REGION:ACCOUNT:stateMachine:NAME`); a machine
/// registered by ARN answers to that ARN only, and its executions get that ARN's region and
/// account. The registry goes with the options to every execution started from it, so a child can
/// start a grandchild.
///
/// ```swift
/// var options = ExecutionOptions()
/// options.stateMachines.register(try StateMachine(json: childText), name: "Transcode")
/// // A Task with "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Transcode"
/// // now starts it.
/// ```
public struct StateMachineRegistry: Sendable {
  /// One registered machine, with the name and type its executions run under.
  struct Entry: Sendable {
    var machine: StateMachine
    var name: String
    var type: ValidationOptions.StateMachineType
    /// The region and account of an ARN registration; `nil` for a name registration (the
    /// running execution's are used).
    var region: String?
    var account: String?
  }

  private var byName: [String: Entry] = [:]
  private var byArn: [String: Entry] = [:]

  /// Creates an empty registry.
  public init() {}

  /// Whether no machine is registered.
  public var isEmpty: Bool { byName.isEmpty && byArn.isEmpty }

  /// Registers `machine` under `name`: it answers to
  /// `arn:aws:states:REGION:ACCOUNT:stateMachine:NAME` with the region and account of the
  /// execution that starts it. A later registration under the same name replaces this one.
  public mutating func register(
    _ machine: StateMachine, name: String,
    type: ValidationOptions.StateMachineType = .standard
  ) {
    byName[name] = Entry(machine: machine, name: name, type: type, region: nil, account: nil)
  }

  /// Registers `machine` under a full state machine ARN
  /// (`arn:aws:states:REGION:ACCOUNT:stateMachine:NAME`); its executions take the region,
  /// account and name from the ARN. Returns `false` (and registers nothing) when `arn` is not of
  /// that form.
  @discardableResult
  public mutating func register(
    _ machine: StateMachine, arn: String,
    type: ValidationOptions.StateMachineType = .standard
  ) -> Bool {
    guard let parts = StateMachineRegistry.parse(arn) else { return false }
    byArn[arn] = Entry(
      machine: machine, name: parts.name, type: type, region: parts.region,
      account: parts.account)
    return true
  }

  /// The machine `arn` names for an execution in `region` and `account`: an ARN registration
  /// first, then a name registration when the ARN's region and account are those.
  func entry(forArn arn: String, region: String, account: String) -> Entry? {
    if let entry = byArn[arn] { return entry }
    guard let parts = StateMachineRegistry.parse(arn), parts.region == region,
      parts.account == account
    else { return nil }
    return byName[parts.name]
  }

  /// The region, account and name of `arn:PARTITION:states:REGION:ACCOUNT:stateMachine:NAME`.
  static func parse(_ arn: String) -> (region: String, account: String, name: String)? {
    let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 7, parts[0] == "arn", parts[2] == "states", parts[5] == "stateMachine",
      !parts[3].isEmpty, !parts[4].isEmpty, !parts[6].isEmpty
    else { return nil }
    return (String(parts[3]), String(parts[4]), String(parts[6]))
  }
}
