import CorpusSupport
import Foundation
import StepFunctions
import StepFunctionsTesting
import Testing

/// One change to a correct outcome and the differences it must produce, exactly.
struct Mutation: CustomTestStringConvertible, Sendable {
  var name: String
  var identifier: String
  var change: @Sendable (ExecutionOutcome) -> ExecutionOutcome
  var differences: [String]

  var testDescription: String { name }
}

/// A Map case with Assign (22 events) and a failing case, both written here (``OwnCases``).
private let mapCase = OwnCases.mapWithAssign
private let failCase = OwnCases.failure

@Suite("The comparator reports exactly what was changed")
struct ComparatorMutationTests {
  static let mutations: [Mutation] = [
    Mutation(
      name: "A changed output value", identifier: mapCase,
      change: { outcome in
        var copy = outcome
        copy.output = [10, 20, 40]
        return copy
      }, differences: ["mismatch /output/2"]),
    Mutation(
      name: "An output with an extra element", identifier: mapCase,
      change: { outcome in
        var copy = outcome
        copy.output = [10, 20, 30, 40]
        return copy
      }, differences: ["unexpected /output/3"]),
    Mutation(
      name: "A changed status", identifier: mapCase,
      change: { outcome in
        var copy = outcome
        copy.status = .failed
        return copy
      }, differences: ["mismatch /status"]),
    Mutation(
      name: "A changed event type", identifier: mapCase,
      change: { $0.changingEvent(6) { $0.replacing("type", with: "TaskStateEntered") } },
      differences: ["mismatch /events/6/type"]),
    Mutation(
      name: "A changed previousEventId", identifier: mapCase,
      change: { $0.changingEvent(9) { $0.replacing("previousEventId", with: 9) } },
      differences: ["mismatch /events/9/previousEventId"]),
    Mutation(
      name: "A changed event id", identifier: mapCase,
      change: { $0.changingEvent(5) { $0.replacing("id", with: 60) } },
      differences: ["mismatch /events/5/id"]),
    Mutation(
      name: "A dropped event", identifier: mapCase,
      change: { outcome in
        var copy = outcome
        copy.events?.remove(at: 8)
        return copy
      }, differences: ["missing /events/8"]),
    Mutation(
      name: "A dropped first event", identifier: mapCase,
      change: { outcome in
        var copy = outcome
        copy.events?.removeFirst()
        return copy
      }, differences: ["missing /events/0"]),
    Mutation(
      name: "An extra event", identifier: mapCase,
      change: { outcome in
        var copy = outcome
        if let event = copy.events?[12] { copy.events?.insert(event, at: 13) }
        return copy
      }, differences: ["unexpected /events/13"]),
    Mutation(
      name: "No history at all", identifier: mapCase,
      change: { outcome in
        var copy = outcome
        copy.events = nil
        return copy
      }, differences: ["missing /events"]),
    Mutation(
      name: "A changed JSON-text output that is not an object", identifier: mapCase,
      change: { $0.changingEvent(7) { $0.replacing("stateExitedEventDetails/output", with: "5") } },
      differences: ["mismatch /events/7/stateExitedEventDetails/output"]),
    Mutation(
      name: "A changed member inside a JSON-text object input", identifier: mapCase,
      change: {
        $0.changingEvent(1) {
          $0.replacingInText("stateEnteredEventDetails/input", "video_id", with: "other")
        }
      }, differences: ["mismatch /events/1/stateEnteredEventDetails/input/video_id"]),
    Mutation(
      name: "A changed assigned variable", identifier: mapCase,
      change: {
        $0.changingEvent(2) {
          $0.replacing("stateExitedEventDetails/assignedVariables/x", with: "43")
        }
      },
      differences: ["mismatch /events/2/stateExitedEventDetails/assignedVariables/x"]),
    Mutation(
      name: "A missing assigned variable", identifier: mapCase,
      change: {
        $0.changingEvent(2) {
          $0.replacing("stateExitedEventDetails/assignedVariables/frames", with: nil)
        }
      },
      differences: ["missing /events/2/stateExitedEventDetails/assignedVariables/frames"]),
    Mutation(
      name: "A missing details member", identifier: mapCase,
      change: {
        $0.changingEvent(18) { $0.replacing("stateExitedEventDetails/outputDetails", with: nil) }
      },
      differences: ["missing /events/18/stateExitedEventDetails/outputDetails"]),
    Mutation(
      name: "An extra details member", identifier: mapCase,
      change: {
        $0.changingEvent(0) {
          $0.replacing("executionStartedEventDetails/stateMachineAliasArn", with: "arn")
        }
      }, differences: ["unexpected /events/0/executionStartedEventDetails/stateMachineAliasArn"]),
    Mutation(
      name: "A boolean changed to its JSON text", identifier: mapCase,
      change: {
        $0.changingEvent(18) {
          $0.replacing("stateExitedEventDetails/outputDetails/truncated", with: "false")
        }
      },
      differences: ["mismatch /events/18/stateExitedEventDetails/outputDetails/truncated"]),
    Mutation(
      name: "A changed error", identifier: failCase,
      change: { outcome in
        var copy = outcome
        copy.error = "OtherFailure"
        return copy
      }, differences: ["mismatch /error"]),
    Mutation(
      name: "A changed cause", identifier: failCase,
      change: { outcome in
        var copy = outcome
        copy.cause = "Another cause."
        return copy
      }, differences: ["mismatch /cause"]),
    Mutation(
      name: "A missing cause", identifier: failCase,
      change: { outcome in
        var copy = outcome
        copy.cause = nil
        return copy
      }, differences: ["missing /cause"]),
    Mutation(
      name: "An output on a failed execution", identifier: failCase,
      change: { outcome in
        var copy = outcome
        copy.output = [:]
        return copy
      }, differences: ["unexpected /output"]),
    Mutation(
      name: "A changed cause in the failure event", identifier: failCase,
      change: {
        $0.changingEvent(2) { $0.replacing("executionFailedEventDetails/cause", with: "other") }
      },
      differences: ["mismatch /events/2/executionFailedEventDetails/cause"]),
  ]

  @Test("Each mutation is reported as exactly its own difference", arguments: mutations)
  func mutationIsReported(_ mutation: Mutation) async throws {
    let testCase = try await OwnCases.testCase(mutation.identifier)
    let (outcome, _) = SyntheticOutcome.outcome(for: testCase)
    #expect(ConformanceComparator.compare(testCase, outcome).passed)
    let result = ConformanceComparator.compare(testCase, mutation.change(outcome))
    #expect(summary(result) == mutation.differences, "\(result.rendered())")
  }

  @Test("Event timestamps are not compared")
  func timestampsAreWildcards() async throws {
    let testCase = try await OwnCases.testCase(mapCase)
    let (outcome, _) = SyntheticOutcome.outcome(for: testCase)
    let changed = outcome.changingEvent(3) { $0.replacing("timestamp", with: "yesterday") }
    #expect(ConformanceComparator.compare(testCase, changed).passed)
  }
}

@Suite("Parallel blocks of a recording compare as multisets", .requiresCorpus)
struct ParallelBlockCorpusTests {
  static let identifier =
    "scenarios_test_base_scenarios__TestBaseScenarios__test_parallel_state_PARALLEL_STATE_"

  static func load() -> (ConformanceCase, ExecutionOutcome)? {
    guard let testCase = ExecutionCorpus.testCase("pure", identifier) else { return nil }
    return (testCase, SyntheticOutcome.outcome(for: testCase).outcome)
  }

  /// The index of the event with `type` and state `name` in `events`.
  static func index(in events: [JSON], type: String, name: String) -> Int? {
    events.firstIndex { event in
      event["type"]?.stringValue == type
        && (event["stateEnteredEventDetails"]?["name"] ?? event["stateExitedEventDetails"]?["name"])?
          .stringValue == name
    }
  }

  @Test("Branch events in any order, with any ids, and without ParallelStateSucceeded, match")
  func orderAndIDsDoNotMatter() throws {
    let (testCase, outcome) = try #require(Self.load())
    let events = try #require(outcome.events)
    let started = try #require(events.firstIndex { $0["type"] == "ParallelStateStarted" })
    let succeeded = try #require(events.firstIndex { $0["type"] == "ParallelStateSucceeded" })
    var block = Array(events[(started + 1)..<succeeded])
    // Interleave differently and give arbitrary ids.
    block = block.enumerated().sorted { ($0.offset % 3, $0.offset) < ($1.offset % 3, $1.offset) }
      .map(\.element)
    block = block.enumerated().map {
      SyntheticOutcome.withIDs($0.element, id: 100 + $0.offset, previous: 7)
    }
    var shuffled = outcome
    shuffled.events = Array(events[...started]) + block + Array(events[succeeded...])
    #expect(ConformanceComparator.compare(testCase, shuffled).passed)

    var withoutSucceeded = outcome
    withoutSucceeded.events?.remove(at: succeeded)
    #expect(ConformanceComparator.compare(testCase, withoutSucceeded).passed)
  }

  @Test("A changed branch event is reported once, at its expected position")
  func changedBranchEvent() throws {
    let (testCase, outcome) = try #require(Self.load())
    let expectedEvents = try #require(testCase.expected.events)
    let expectedIndex = try #require(
      Self.index(in: expectedEvents, type: "PassStateExited", name: "Branch21"))
    let actualIndex = try #require(
      Self.index(in: outcome.events ?? [], type: "PassStateExited", name: "Branch21"))
    let changed = outcome.changingEvent(actualIndex) {
      $0.replacing("stateExitedEventDetails/name", with: "Branch2X")
    }
    let result = ConformanceComparator.compare(testCase, changed)
    #expect(
      summary(result) == ["mismatch /events/\(expectedIndex)/stateExitedEventDetails/name"],
      "\(result.rendered())")
  }

  @Test("A dropped branch event is reported as missing")
  func droppedBranchEvent() throws {
    let (testCase, outcome) = try #require(Self.load())
    let expectedEvents = try #require(testCase.expected.events)
    let expectedIndex = try #require(
      Self.index(in: expectedEvents, type: "PassStateEntered", name: "Branch33"))
    let actualIndex = try #require(
      Self.index(in: outcome.events ?? [], type: "PassStateEntered", name: "Branch33"))
    var dropped = outcome
    dropped.events?.remove(at: actualIndex)
    let result = ConformanceComparator.compare(testCase, dropped)
    #expect(summary(result) == ["missing /events/\(expectedIndex)"], "\(result.rendered())")
  }

  @Test("Ids outside the blocks are still compared")
  func idsOutsideBlocks() throws {
    let (testCase, outcome) = try #require(Self.load())
    let expectedEvents = try #require(testCase.expected.events)
    let exited = try #require(expectedEvents.firstIndex { $0["type"] == "ParallelStateExited" })
    let actualExited = try #require(
      outcome.events?.firstIndex { $0["type"] == "ParallelStateExited" })
    let changed = outcome.changingEvent(actualExited) { $0.replacing("previousEventId", with: 3) }
    let result = ConformanceComparator.compare(testCase, changed)
    #expect(
      summary(result) == ["mismatch /events/\(exited)/previousEventId"], "\(result.rendered())")
  }
}
