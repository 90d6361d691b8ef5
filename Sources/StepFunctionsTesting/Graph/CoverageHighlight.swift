import StepFunctions

/// Why a coverage report could not be read as a highlight.
public struct CoverageReadError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong, naming the item (`coverage.stateMachines[0].items[3]`) and field.
  public var message: String

  /// Creates an error.
  public init(_ message: String) { self.message = message }

  /// The message.
  public var description: String { message }
}

extension GraphHighlight {
  /// The covered and uncovered parts of one state machine in a coverage report, as
  /// `sfn test … --coverage --format json` prints it: an object with a `coverage` member, or
  /// the coverage object itself, holding `stateMachines: [{name, items: [...]}]`.
  ///
  /// Each item has a `kind` and `covered`: `state` and `failState` name a state; `choiceRule`
  /// (with `rule`), `choiceDefault`, `catcher` (with `catcher`) and `branch` (with `branch`; a
  /// Map's item processor is branch 0) name an edge of `state`; `retrier` (with `retrier` and
  /// `errorEquals`) a retrier, listed in its state's label when uncovered. Indices count from 0.
  /// Items of other kinds are ignored, so newer reports still draw.
  ///
  /// - Parameters:
  ///   - bytes: the report's JSON text.
  ///   - stateMachine: the state machine to take; may be `nil` when the report has exactly one.
  /// - Throws: ``CoverageReadError`` when the text is not JSON, has no coverage object, the
  ///   state machine is missing or ambiguous, or an item lacks a field.
  public init(coverageReport bytes: [UInt8], stateMachine: String? = nil)
    throws(CoverageReadError)
  {
    let json: JSON
    do {
      json = try JSON(parsing: bytes)
    } catch {
      throw CoverageReadError("The coverage report is not valid JSON: \(error)")
    }
    try self.init(coverageReport: json, stateMachine: stateMachine)
  }

  /// The covered and uncovered parts of one state machine in a parsed coverage report: the same
  /// as reading it from JSON text.
  public init(coverageReport json: JSON, stateMachine: String? = nil) throws(CoverageReadError) {
    self.init()
    let coverage: JSON
    var prefix = "coverage"
    if let inner = json["coverage"] {
      coverage = inner
    } else if json["stateMachines"] != nil {
      coverage = json
      prefix = ""
    } else {
      throw CoverageReadError(
        "The file has no coverage report: expected an object with 'coverage' or 'stateMachines'.")
    }
    let machinesPath = prefix.isEmpty ? "stateMachines" : "\(prefix).stateMachines"
    guard let machines = coverage["stateMachines"]?.arrayValue else {
      throw CoverageReadError("'\(machinesPath)' is missing or not an array.")
    }
    let names = machines.map { $0["name"]?.stringValue ?? "" }
    let position: Int
    if let stateMachine {
      guard let found = names.firstIndex(of: stateMachine) else {
        throw CoverageReadError(
          "The coverage report has no state machine '\(stateMachine)'. It has: \(Self.list(names))."
        )
      }
      position = found
    } else {
      guard machines.count == 1 else {
        throw CoverageReadError(
          machines.isEmpty
            ? "The coverage report has no state machines."
            : "The coverage report has \(machines.count) state machines (\(Self.list(names))); give --state-machine."
        )
      }
      position = 0
    }
    let itemsPath = "\(machinesPath)[\(position)].items"
    guard let items = machines[position]["items"]?.arrayValue else {
      throw CoverageReadError("'\(itemsPath)' is missing or not an array.")
    }
    for (index, item) in items.enumerated() {
      try read(item, at: "\(itemsPath)[\(index)]")
    }
  }

  private mutating func read(_ item: JSON, at path: String) throws(CoverageReadError) {
    func field<T>(_ name: String, _ type: String, _ value: (JSON) -> T?) throws(CoverageReadError)
      -> T
    {
      guard let member = item[name], let typed = value(member) else {
        throw CoverageReadError("'\(path).\(name)' is missing or not \(type).")
      }
      return typed
    }
    let kind = try field("kind", "a string") { $0.stringValue }
    let covered = try field("covered", "a Boolean") { $0.boolValue }
    func index(_ name: String) throws(CoverageReadError) -> Int {
      let value = try field(name, "an integer") { $0.numberValue?.intValue }
      guard value >= 0 else { throw CoverageReadError("'\(path).\(name)' is negative.") }
      return value
    }
    func mark(_ kind: StateMachineGraph.Edge.Kind, of state: String) {
      let id = StateMachineGraph.Edge.ID(state: state, kind: kind)
      if covered { coveredEdges.insert(id) } else { uncoveredEdges.insert(id) }
    }
    switch kind {
    case "state", "failState":
      let state = try field("state", "a string") { $0.stringValue }
      if covered { coveredStates.insert(state) } else { uncoveredStates.insert(state) }
    case "choiceRule":
      let state = try field("state", "a string") { $0.stringValue }
      mark(.choiceRule(try index("rule")), of: state)
    case "choiceDefault":
      let state = try field("state", "a string") { $0.stringValue }
      mark(.choiceDefault, of: state)
    case "catcher":
      let state = try field("state", "a string") { $0.stringValue }
      mark(.catcher(try index("catcher")), of: state)
    case "branch":
      let state = try field("state", "a string") { $0.stringValue }
      mark(.branch(try index("branch")), of: state)
    case "retrier":
      let state = try field("state", "a string") { $0.stringValue }
      _ = try index("retrier")
      let errors = item["errorEquals"]?.arrayValue?.compactMap(\.stringValue) ?? []
      if !covered { uncoveredRetriers[state, default: []].append(errors) }
    default:
      break
    }
  }

  private static func list(_ names: [String]) -> String {
    names.isEmpty ? "none" : names.map { "'\($0)'" }.joined(separator: ", ")
  }
}
