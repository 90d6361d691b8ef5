import Foundation
import MediaTasks
import StepFunctions
import Testing

/// One shipped workflow with one of its example inputs.
struct WorkflowExample: Sendable, CustomTestStringConvertible {
  let workflow: String
  let inputFile: String

  var testDescription: String { inputFile }

  /// Every `StateMachines/examples/NAME[.SCENARIO].input.json` with its `StateMachines/NAME.asl.json`.
  static let all: [WorkflowExample] = {
    let examples = packageRoot.appendingPathComponent("StateMachines/examples")
    let files = (try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? []
    return files.filter { $0.hasSuffix(".input.json") }.sorted().compactMap { file in
      guard let workflow = file.split(separator: ".").first.map(String.init) else { return nil }
      return WorkflowExample(workflow: workflow, inputFile: file)
    }
  }()

  func definitionText() throws -> String {
    try String(
      contentsOf: packageRoot.appendingPathComponent("StateMachines/\(workflow).asl.json"),
      encoding: .utf8)
  }

  /// Runs the example as `sfn run` does: MediaTasks' default handlers, seed 0. The tasks of
  /// distributed Map iterations (child executions, whose events are not in the history) are
  /// recorded in `children`.
  func run(children: ChildTaskRecording = ChildTaskRecording()) async throws -> (
    StateMachine, ExecutionResult
  ) {
    let machine = try StateMachine(json: try definitionText())
    let inputText = try String(
      contentsOf: packageRoot.appendingPathComponent("StateMachines/examples/\(inputFile)"),
      encoding: .utf8)
    let input = try JSONParser.parse(Array(inputText.utf8))
    var options = ExecutionOptions()
    options.handlers = children.recording(MediaTasks.defaultHandlers)
    // Every shipped workflow can be started as a child execution, as with `sfn run --machine`.
    let folder = packageRoot.appendingPathComponent("StateMachines")
    for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    where file.hasSuffix(".asl.json") {
      let name = String(file.dropLast(".asl.json".count))
      options.stateMachines.register(
        try StateMachine(contentsOf: folder.appendingPathComponent(file)), name: name)
    }
    let result = await machine.run(input: input, options: options)
    children.recordChildTasks(named: "IngestUpload", of: "ReprocessUploads", from: result)
    return (machine, result)
  }
}

@Suite("Every shipped workflow replays its own history")
struct WorkflowRoundTripTests {
  @Test("The examples are found")
  func examplesFound() {
    #expect(WorkflowExample.all.count >= 17)
    #expect(Set(WorkflowExample.all.map(\.workflow)).count == 6)
  }

  /// Replay options whose handlers for distributed Map child executions answer what `children`
  /// recorded (the child executions' events are not in the history).
  static func options(_ children: ChildTaskRecording) -> ReplayOptions {
    var options = ReplayOptions()
    options.childExecutionHandlers = children.replaying
    options.itemReaderHandlers = children.replaying
    return options
  }

  /// What replaying `history` gives without handlers for child executions: matched, or, for a
  /// history with a Map Run, incomplete from the event after `MapRunStarted`.
  static func expected(for history: ExecutionHistory) -> ReplayReport {
    guard let position = history.events.firstIndex(where: { $0.type == "MapRunStarted" }) else {
      return .matched(eventsCompared: history.count)
    }
    let next = history.events[position + 1]
    var mapState = ""
    if case .stateEntered(let name, _)? = history.events[..<position].last(where: {
      $0.type == "MapStateEntered"
    })?.details {
      mapState = name
    }
    return .incomplete(
      ReplayLimit(
        eventId: next.id, eventType: next.type, stateName: mapState,
        reason: .childExecutions(mapState: mapState), eventsCompared: position + 1))
  }

  @Test(
    "A history replays as matched, with timestamps exact and ignored",
    arguments: WorkflowExample.all
  )
  func roundTrip(_ example: WorkflowExample) async throws {
    let children = ChildTaskRecording()
    let (machine, result) = try await example.run(children: children)
    #expect(result.status != .running, "the example ran to its end")
    for timestamps in [ReplayOptions.Timestamps.exact, .ignored] {
      var options = Self.options(children)
      options.timestamps = timestamps
      let report = try await machine.replay(result.history, options: options)
      #expect(report == .matched(eventsCompared: result.history.count), "\(timestamps): \(report)")
      options.childExecutionHandlers = nil
      let alone = try await machine.replay(result.history, options: options)
      #expect(alone == Self.expected(for: result.history), "\(timestamps): \(alone)")
    }
  }

  @Test(
    "Changing a parameter of the first Task diverges at that Task's scheduled event",
    arguments: WorkflowExample.all)
  func changedParameter(_ example: WorkflowExample) async throws {
    let children = ChildTaskRecording()
    let (_, result) = try await example.run(children: children)
    let events = result.history.events
    let scheduled = events.firstIndex { $0.type.hasSuffix("Scheduled") }
    // Every example reaches a Task: the workflows start with one, or with Pass states before one.
    let position = try #require(scheduled, "\(example.inputFile) schedules no task")
    let entered = events[..<position].last { $0.type.hasSuffix("StateEntered") }
    guard case .stateEntered(let stateName, _)? = entered?.details else {
      Issue.record("no state entered before the first task")
      return
    }
    let definition = try JSONParser.parse(Array(try example.definitionText().utf8))
    let changed = try StateMachine(
      bytes: JSONSerializer().bytes(Self.changingParameters(of: stateName, in: definition)))

    let report = try await changed.replay(result.history, options: Self.options(children))
    let divergence = try #require(report.divergence, "\(report)")
    #expect(divergence.eventId == events[position].id)
    #expect(divergence.eventType == events[position].type)
    #expect(divergence.stateName == stateName)
    #expect(divergence.kind == .mismatch)
    #expect(divergence.pointer.hasPrefix("/taskScheduledEventDetails/parameters"))
    #expect(
      divergence.message.hasPrefix(
        "the definition now sends different parameters to `\(stateName)`"))
    #expect(divergence.eventsCompared == position)
  }

  @Test(
    "Changing a recorded task result diverges after that result: results come from the history",
    arguments: WorkflowExample.all)
  func changedResult(_ example: WorkflowExample) async throws {
    let children = ChildTaskRecording()
    let (machine, result) = try await example.run(children: children)
    let events = result.history.events
    let results = events.indices.filter {
      ["TaskSucceeded", "TaskFailed", "LambdaFunctionSucceeded", "LambdaFunctionFailed"].contains(
        events[$0].type)
    }
    try #require(!results.isEmpty, "\(example.inputFile) has no task result")
    var diverged = false
    for position in results {
      let changed = result.history.changing(at: position) {
        if $0.type.hasSuffix("Succeeded") {
          $0.setField("output", to: ["replayProbe": "changed"])
        } else {
          $0.setField("error", to: "Replay.ChangedError")
        }
      }
      let report = try await machine.replay(changed, options: Self.options(children))
      if let divergence = report.divergence {
        // The changed result itself is replayed as recorded; what the definition does with it
        // differs afterwards.
        #expect(divergence.eventId > events[position].id, "\(divergence)")
        diverged = true
        break
      }
      #expect(report.isMatched, "\(report)")
    }
    #expect(diverged, "no changed result made a difference")
  }

  /// `definition` with the Task state `name` given other parameters: its first parameter gets
  /// another value (a path becomes a literal), or it gets `Parameters` when it has none.
  static func changingParameters(of name: String, in definition: JSON) -> JSON {
    switch definition {
    case .object(var object):
      if case .object(var states)? = object["States"], case .object(var state)? = states[name] {
        if case .object(var parameters)? = state["Parameters"], let (key, _) = parameters.first {
          if key.hasSuffix(".$") {
            parameters[key] = nil
            parameters[String(key.dropLast(2))] = "replay-probe"
          } else {
            parameters[key] = "replay-probe"
          }
          state["Parameters"] = .object(parameters)
        } else {
          state["Parameters"] = ["ReplayProbe": true]
        }
        states[name] = .object(state)
        object["States"] = .object(states)
        return .object(object)
      }
      var changed = JSONObject()
      for (key, value) in object {
        changed.append(key: key, value: changingParameters(of: name, in: value))
      }
      return .object(changed)
    case .array(let elements):
      return .array(elements.map { changingParameters(of: name, in: $0) })
    default:
      return definition
    }
  }
}
