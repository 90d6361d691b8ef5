import StepFunctions
import Synchronization
import Testing

@testable import StepFunctionsReplay

@Suite("Replay's reading of histories")
struct ReplayInternalsTests {
  static let nested = """
    {"StartAt": "Outer", "States": {"Outer": {"Type": "Map", "ItemsPath": "$.items",
      "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Split",
        "States": {"Split": {"Type": "Parallel", "Branches": [
          {"StartAt": "Left", "States": {"Left": {"Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "l"},
            "End": true}}},
          {"StartAt": "Right", "States": {"Right": {"Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "r"},
            "Retry": [{"ErrorEquals": ["Again"], "IntervalSeconds": 1}],
            "Next": "Inner"},
            "Inner": {"Type": "Map", "ItemsPath": "$.Payload",
              "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Leaf",
                "States": {"Leaf": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": {"FunctionName": "leaf"}, "End": true}}},
              "End": true}}}],
          "End": true}}},
      "End": true}}}
    """

  @Test("The scopes read from a history are those the tasks ran in")
  func scopesMatchTheEngine() async throws {
    let machine = try compile(Self.nested)
    let calls = Mutex<[(String, [TaskToken.Scope])]>([])
    let result = await record(
      machine, input: ["items": [1, 2, 3]],
      handlers: handlers { request, context in
        calls.withLock { $0.append((request.stateName, request.scopes)) }
        try await context.sleep(seconds: Double(request.stateName.count))
        if request.stateName == "Right", request.attempt == 0,
          request.scopes.first == .mapIteration(mapState: "Outer", index: 1)
        {
          throw TaskFailure(error: "Again")
        }
        return ["Payload": [1, 2]]
      })
    #expect(result.status == .succeeded)
    let events = result.history.events.map(EventView.init)
    let scopes = EventScopes(events: events, branches: ParallelBranchIndex(machine.definition))
    let scheduled = events.indices.filter { events[$0].type == "TaskScheduled" }
    let read = scheduled.map { (scopes.stateNames[$0] ?? "", scopes.scopes[$0]) }
    let truth = calls.withLock { $0 }
    #expect(read.count == truth.count)
    // Per item: Left, Right, two Leafs; and Right once more for item 1.
    #expect(read.count == 3 * 4 + 1)
    for (found, expected) in zip(read, truth) {
      #expect(found.0 == expected.0)
      #expect(found.1 == expected.1)
    }
    // The closing events belong to the state that opened them.
    for (position, event) in events.enumerated() where event.type == "ParallelStateSucceeded" {
      #expect(scopes.stateNames[position] == "Split")
      #expect(scopes.scopes[position].count == 1)
    }
    for (position, event) in events.enumerated() where event.type == "MapStateExited" {
      let name = scopes.stateNames[position]
      #expect(
        name == "Outer" ? scopes.scopes[position].isEmpty : scopes.scopes[position].count == 2)
    }
    try await expectReplays(result.history, against: machine)
  }

  @Test("A recorded invocation is found by state, scope and order")
  func invocations() async throws {
    let machine = try compile(Self.nested)
    let result = await record(
      machine, input: ["items": [1]],
      handlers: handlers { _, _ in ["Payload": [7]] })
    let events = result.history.events.map(EventView.init)
    let scopes = EventScopes(events: events, branches: ParallelBranchIndex(machine.definition))
    let invocations = RecordedInvocation.collect(events, scopes: scopes)
    let leaf = InvocationKey(
      scopes: [
        .mapIteration(mapState: "Outer", index: 0),
        .parallelBranch(parallelState: "Split", index: 1),
        .mapIteration(mapState: "Inner", index: 0),
      ], stateName: "Leaf")
    let recorded = try #require(invocations[leaf]?.first)
    guard case .succeeded(let output)? = recorded.outcome?.outcome else {
      Issue.record("no recorded success")
      return
    }
    #expect(output == ["Payload": [7]])
    #expect(invocations.count == 3)
  }

  @Test("An event the replay lacks in a branch is reported as missing, an extra one as unexpected")
  func missingAndUnexpected() async throws {
    let machine = try compile(
      """
      {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Pass", "End": true}}}
      """)
    let result = await record(machine)
    let events = result.history.events.map(EventView.init)
    let index = ParallelBranchIndex(machine.definition)
    func compare(recorded: [EventView], produced: [EventView]) -> ReplayReport {
      ReplayComparison(
        recorded: recorded, recordedScopes: EventScopes(events: recorded, branches: index),
        produced: produced, producedScopes: EventScopes(events: produced, branches: index),
        exact: false, limit: nil, producedIsStuck: false
      ).report()
    }
    let shorter = compare(recorded: events, produced: Array(events.prefix(3)))
    #expect(shorter.divergence?.kind == .missing)
    #expect(shorter.divergence?.eventId == 4)
    #expect(
      shorter.divergence?.message
        == "the replay has no event here where the recorded execution wrote PassStateEntered of `B`"
    )
    #expect(shorter.divergence?.recorded == events[3].json)

    let closed = Array(events.prefix(3)) + [events[5]]
    let longer = compare(recorded: closed, produced: events)
    #expect(longer.divergence?.kind == .mismatch)
    let extra = compare(recorded: events, produced: events + [events[3]])
    #expect(extra.divergence?.kind == .unexpected)
    #expect(
      extra.divergence?.message
        == "the replay goes on with PassStateEntered of `B` where the recorded execution wrote nothing more"
    )
  }

  @Test("Generated identifiers are recognised by shape")
  func identifierShapes() {
    let token = String(repeating: "AQCEAAAAKgAAAAMAAAAAAAAAAfwzbC9Z+/=", count: 3)
    #expect(
      GeneratedIdentifier.canStand(
        for: "0f8e5c52-2b8b-4b6e-9a43-0d8a1b5c3e21",
        recorded: "9C1D7E7A-0B1C-4D2E-8F3A-4B5C6D7E8F90"))
    #expect(
      GeneratedIdentifier.canStand(for: "0f8e5c52-2b8b-4b6e-9a43-0d8a1b5c3e21", recorded: token))
    #expect(
      !GeneratedIdentifier.canStand(
        for: "0f8e5c52-2b8b-4b6e-9a43-0d8a1b5c3e21", recorded: "approved"))
    #expect(
      GeneratedIdentifier.canStand(
        for: "arn:aws:states:us-east-1:123456789012:execution:StateMachine:abc",
        recorded: "arn:aws:states:eu-central-1:111122223333:execution:Orders:nightly"))
    #expect(
      !GeneratedIdentifier.canStand(
        for: "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachine",
        recorded: "arn:aws:states:eu-central-1:111122223333:stateMachine:Orders"))
    #expect(
      !GeneratedIdentifier.canStand(
        for: "arn:aws:states:us-east-1:123456789012:execution:M:a",
        recorded: "arn:aws:states:us-east-1:123456789012:mapRun:M/x:y"))
    #expect(!GeneratedIdentifier.canStand(for: "text", recorded: "text2"))
  }
}
