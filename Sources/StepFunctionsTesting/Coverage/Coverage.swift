import Foundation
import StepFunctions

/// What a set of executions of one state machine covered: every coverable item of the
/// definition — each state, each Choice rule and `Default`, each retrier and catcher, each
/// Parallel branch and Map item processor, each Fail state — with how many times the executions
/// hit it.
///
/// Build it from the definition (every item uncovered), then add execution results run with
/// ``StepFunctionsRuntime/ExecutionOptions/recordsCoverage`` on, replay results, or other
/// coverages of the same machine:
///
/// ```swift
/// var options = ExecutionOptions()
/// options.recordsCoverage = true
/// var coverage = Coverage(machine, name: "VideoWorkflow")
/// coverage.add(await machine.run(input: happyInput, options: options))
/// coverage.add(await machine.run(input: badInput, options: options))
/// #expect(coverage.uncovered.isEmpty, "\(coverage)")
/// ```
///
/// Items are in definition order: a state, then its Choice rules, `Default`, retriers,
/// catchers and branches, then the states of its branches or item processor, then the next
/// state. Across a test suite, use a ``CoverageCollector``.
public struct Coverage: Sendable, CustomStringConvertible {
  /// The state machine's name (the mock file's `StateMachines` key for `sfn test`).
  public var stateMachineName: String
  /// Every coverable item of the definition, in definition order, with its hits.
  public private(set) var items: [CoverageItem]
  /// How many executions (and replays) were added.
  public private(set) var executionCount = 0
  /// Where each item is in ``items``, by what covers it.
  private var positions: [CoverageEvent: [Int]] = [:]

  /// The coverable items of `definition`, none covered yet.
  public init(definition: StateMachineDefinition, name: String = "StateMachine") {
    stateMachineName = name
    items = []
    Self.collect(definition.graph, into: &items)
    for (position, item) in items.enumerated() {
      positions[item.key, default: []].append(position)
    }
  }

  /// The coverable items of `machine`'s definition, none covered yet.
  public init(_ machine: StateMachine, name: String = "StateMachine") {
    self.init(definition: machine.definition, name: name)
  }

  /// Adds what one execution covered. Events naming nothing in this definition (another
  /// machine's) are ignored.
  public mutating func add(_ coverage: ExecutionCoverage) {
    executionCount += 1
    for (event, count) in coverage.hits {
      for position in positions[event] ?? [] { items[position].hits += count }
    }
  }

  /// Adds what an execution covered. An execution run without
  /// ``StepFunctionsRuntime/ExecutionOptions/recordsCoverage`` has no record: it adds nothing
  /// (and is not counted in ``executionCount``).
  public mutating func add(_ result: ExecutionResult) {
    if let coverage = result.coverage { add(coverage) }
  }

  /// Adds what a replay covered (run with ``StepFunctionsReplay/ReplayOptions/recordsCoverage``).
  public mutating func add(_ replay: ReplayResult) {
    if let execution = replay.execution { add(execution) }
  }

  /// Adds the hits of another coverage of the same state machine; items it has that this one
  /// lacks are ignored.
  public mutating func merge(_ other: Coverage) {
    executionCount += other.executionCount
    for item in other.items where item.hits > 0 {
      for position in positions[item.key] ?? [] where items[position].kind == item.kind {
        items[position].hits += item.hits
      }
    }
  }

  /// The items no execution hit, in definition order.
  public var uncovered: [CoverageItem] { items.filter { !$0.isCovered } }

  /// Covered and total items of each kind.
  public var summary: CoverageSummary {
    var summary = CoverageSummary()
    for item in items {
      summary[item.kind.summaryKind].total += 1
      if item.isCovered { summary[item.kind.summaryKind].covered += 1 }
    }
    return summary
  }

  /// A table of the percentages per kind, then the uncovered items, one a line.
  public var description: String {
    var text =
      "Coverage of \(stateMachineName) (\(executionCount) execution\(executionCount == 1 ? "" : "s")):\n"
    let summary = summary
    for kind in CoverageSummary.Kind.allCases {
      let count = summary[kind]
      let label = kind.label.padding(toLength: 14, withPad: " ", startingAt: 0)
      let figures = "\(count.covered)/\(count.total)"
      let padded = String(repeating: " ", count: max(0, 9 - figures.count)) + figures
      text += "  \(label)\(padded)  \(CoverageCount.format(count.percent))%\n"
    }
    let uncovered = uncovered
    if uncovered.isEmpty {
      text += "  everything covered\n"
    } else {
      text += "  uncovered:\n"
      for item in uncovered { text += "    \(item)\n" }
    }
    return text
  }

  /// The items of `graph` and of the graphs inside its states, in definition order.
  static func collect(_ graph: StateGraph, into items: inout [CoverageItem]) {
    for state in graph.states {
      let name = state.name
      items.append(CoverageItem(kind: .state, state: name))
      var nested: [StateGraph] = []
      switch state.kind {
      case .choice(let choice):
        for (rule, branch) in choice.choices.enumerated() {
          items.append(CoverageItem(kind: .choiceRule, state: name, index: rule, next: branch.next))
        }
        if let next = choice.defaultState {
          items.append(CoverageItem(kind: .choiceDefault, state: name, next: next))
        }
      case .parallel(let parallel):
        nested = parallel.branches
      case .map(let map):
        nested = [map.processor]
      default:
        break
      }
      for (index, retrier) in state.retriers.enumerated() {
        items.append(
          CoverageItem(
            kind: .retrier, state: name, index: index, errorEquals: retrier.errorEquals))
      }
      for (index, catcher) in state.catchers.enumerated() {
        items.append(
          CoverageItem(
            kind: .catcher, state: name, index: index, next: catcher.next,
            errorEquals: catcher.errorEquals))
      }
      for index in nested.indices {
        items.append(CoverageItem(kind: .branch, state: name, index: index))
      }
      if case .fail = state.kind { items.append(CoverageItem(kind: .failState, state: name)) }
      for graph in nested { collect(graph, into: &items) }
    }
  }
}

/// One thing a definition lets an execution do, and how many times executions did it.
public struct CoverageItem: Sendable, Hashable, CustomStringConvertible {
  /// What kind of item it is.
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    /// A state (entered).
    case state
    /// A Choice rule (taken).
    case choiceRule
    /// A Choice state's `Default` (taken).
    case choiceDefault
    /// A retrier (that scheduled a retry).
    case retrier
    /// A catcher (that caught an error).
    case catcher
    /// A Parallel branch or a Map state's item processor (that ran).
    case branch
    /// A Fail state (reached).
    case failState

    /// The kind of the summary this kind counts in (rules and `Default` count together).
    public var summaryKind: CoverageSummary.Kind {
      switch self {
      case .state: return .states
      case .choiceRule, .choiceDefault: return .choiceRules
      case .retrier: return .retriers
      case .catcher: return .catchers
      case .branch: return .branches
      case .failState: return .failStates
      }
    }
  }

  /// What kind of item it is.
  public var kind: Kind
  /// The state it belongs to.
  public var state: String
  /// The 0-based position of the rule in `Choices`, of the retrier in `Retry`, of the catcher
  /// in `Catch`, of the branch in `Branches` (0 for a Map's item processor); `nil` otherwise.
  public var index: Int?
  /// Where the rule, `Default` or catcher goes; `nil` otherwise.
  public var next: String?
  /// The retrier's or catcher's `ErrorEquals`; `nil` otherwise.
  public var errorEquals: [String]?
  /// How many times executions hit it: entries, rules taken, retries, catches, branch or
  /// iteration starts.
  public var hits: Int

  /// Creates an item.
  public init(
    kind: Kind, state: String, index: Int? = nil, next: String? = nil,
    errorEquals: [String]? = nil, hits: Int = 0
  ) {
    self.kind = kind
    self.state = state
    self.index = index
    self.next = next
    self.errorEquals = errorEquals
    self.hits = hits
  }

  /// Whether an execution hit it.
  public var isCovered: Bool { hits > 0 }

  /// The item in words: `state Transcode`, `choice rule 2 of CheckQuality → Reject`,
  /// `Default of CheckQuality → Reject`, `retrier 0 of Transcode [States.Timeout]`,
  /// `catcher 0 of Transcode [States.ALL] → NotifyFailure`, `branch 1 of ProcessInParallel`,
  /// `item processor of ProcessItems`, `Fail state TranscodeFailed`.
  public var description: String {
    let position = index.map(String.init) ?? "?"
    let errors = errorEquals.map { " [\($0.joined(separator: ", "))]" } ?? ""
    let target = next.map { " → \($0)" } ?? ""
    switch kind {
    case .state: return "state \(state)"
    case .choiceRule: return "choice rule \(position) of \(state)\(target)"
    case .choiceDefault: return "Default of \(state)\(target)"
    case .retrier: return "retrier \(position) of \(state)\(errors)"
    case .catcher: return "catcher \(position) of \(state)\(errors)\(target)"
    case .branch: return "branch \(position) of \(state)"
    case .failState: return "Fail state \(state)"
    }
  }

  /// The coverage event that hits the item.
  var key: CoverageEvent {
    let position = index ?? 0
    switch kind {
    case .state, .failState: return .stateEntered(state)
    case .choiceRule: return .choiceRule(state: state, rule: position)
    case .choiceDefault: return .choiceDefault(state: state)
    case .retrier: return .retrier(state: state, retrier: position)
    case .catcher: return .catcher(state: state, catcher: position)
    case .branch: return .branch(state: state, branch: position)
    }
  }
}

/// Covered and total items of each kind.
public struct CoverageSummary: Sendable, Hashable {
  /// The kinds a summary counts (Choice rules and `Default` count together).
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    /// States.
    case states
    /// Choice rules and `Default`s.
    case choiceRules
    /// Retriers.
    case retriers
    /// Catchers.
    case catchers
    /// Parallel branches and Map item processors.
    case branches
    /// Fail states.
    case failStates

    /// The kind in words, as the text report shows it.
    public var label: String {
      switch self {
      case .states: return "states"
      case .choiceRules: return "choice rules"
      case .retriers: return "retriers"
      case .catchers: return "catchers"
      case .branches: return "branches"
      case .failStates: return "Fail states"
      }
    }
  }

  /// The counts, by kind.
  public var counts: [Kind: CoverageCount] = [:]

  /// Creates an empty summary.
  public init() {}

  /// The count of one kind (zero of zero when the definition has none).
  public subscript(kind: Kind) -> CoverageCount {
    get { counts[kind] ?? CoverageCount() }
    set { counts[kind] = newValue }
  }
}

/// How many items of a kind are covered, out of how many.
public struct CoverageCount: Sendable, Hashable {
  /// The items covered.
  public var covered = 0
  /// The items there are.
  public var total = 0

  /// Creates a count.
  public init(covered: Int = 0, total: Int = 0) {
    self.covered = covered
    self.total = total
  }

  /// The percentage covered, rounded to two decimals; 100 when there are no items.
  public var percent: Double {
    guard total > 0 else { return 100 }
    return (Double(covered) * 10_000 / Double(total)).rounded() / 100
  }

  /// `66.67`, `100`: a percentage without a trailing `.0`.
  static func format(_ percent: Double) -> String {
    percent == percent.rounded() ? String(Int(percent)) : String(percent)
  }
}
