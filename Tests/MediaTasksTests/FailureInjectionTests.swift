import Foundation
import MediaTasks
import StepFunctions
import StepFunctionsTesting
import Testing

/// Fails a Task state with `error` — on its first attempt only, or on every attempt — and
/// otherwise answers as the world's handlers do.
struct InjectedFailure: TaskHandler {
  let error: String
  let everyAttempt: Bool
  let world: TaskHandlerRegistry

  func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    if everyAttempt || request.attempt == 0 {
      throw TaskFailure(error: error, cause: "injected by FailureInjectionTests")
    }
    guard let handler = world.handler(for: request.resource) else {
      throw TaskFailure(error: "Injected.NoHandler", cause: request.resource.arn)
    }
    return try await handler.invoke(request, context: context)
  }
}

/// Every retrier and catcher of a shipped workflow's Task states, exercised: the state fails
/// with an error the retrier or catcher names, in a run of an example input that enters it.
@Suite("Failure injection into the shipped workflows")
struct FailureInjectionTests {
  /// The state named `name` anywhere in `graph`.
  static func state(_ name: String, in graph: StateGraph) -> State? {
    for state in graph.states {
      if state.name == name { return state }
      switch state.kind {
      case .parallel(let parallel):
        for branch in parallel.branches {
          if let found = Self.state(name, in: branch) { return found }
        }
      case .map(let map):
        if let found = Self.state(name, in: map.processor) { return found }
      default:
        break
      }
    }
    return nil
  }

  /// The error that a retrier or catcher naming `errorEquals` matches and no earlier one
  /// names specifically.
  static func error(for errorEquals: [String]) -> String {
    let first = errorEquals.first ?? "States.ALL"
    return first == "States.ALL" || first == "States.TaskFailed" ? "Injected.Failure" : first
  }

  /// A test of `name` on a fresh sample world, with every shipped workflow startable as a
  /// child execution.
  static func test(_ name: String, world: MediaWorld) throws -> WorkflowTest {
    let others = try FileManager.default.contentsOfDirectory(atPath: stateMachinesFolder.path)
      .filter { $0.hasSuffix(".asl.json") }.sorted()
    var registry = StateMachineRegistry()
    for other in others {
      let otherName = String(other.dropLast(".asl.json".count))
      registry.register(try workflow(otherName), name: otherName)
    }
    return WorkflowTest(try workflow(name)).coverageName(name)
      .handlers { $0.merge(world.handlers) }
      .options { $0.stateMachines = registry }
  }

  /// Where to inject a failure to hit `item`, and whether on every attempt: the item's own
  /// Task state; for a catcher of a Parallel or Map state, the first Task state of its first
  /// branch or item processor that has no catcher of its own (a failure there fails the
  /// branch, and so the state). `nil` when there is none: a Map that tolerates failed items
  /// fails with `States.ExceedToleratedFailureThreshold` instead, and Pass, Wait... states
  /// cannot be made to fail by a handler.
  static func target(for item: CoverageItem, in graph: StateGraph) -> String? {
    guard let state = Self.state(item.state, in: graph) else { return nil }
    var nested: StateGraph?
    switch state.kind {
    case .task(let task):
      // Step Functions' own startExecution runs the registered child machine, ahead of any
      // stand-in handler.
      return task.resource.hasPrefix("arn:aws:states:::states:startExecution") ? nil : state.name
    case .parallel(let parallel): nested = parallel.branches.first
    case .map(let map):
      guard map.toleratedFailureCount == nil, map.toleratedFailurePercentage == nil else {
        return nil
      }
      nested = map.processor
    default: return nil
    }
    guard item.kind == .catcher, let nested else { return nil }
    return nested.states.first {
      if case .task = $0.kind { return $0.catchers.isEmpty }
      return false
    }?.name
  }

  /// Injects a failure for each retrier and catcher of `name` (see ``target(for:in:)``), and
  /// returns the items it could not reach: no example input enters the state, or no Task
  /// state can be made to fail for it. Every run records into ``CoverageCollector/current``.
  @discardableResult
  func everyRetrierAndCatcher(of name: String) async throws -> [String] {
    let machine = try workflow(name)
    var bases: [(input: JSON, run: WorkflowRun)] = []
    // The JSONata twin of the video workflow runs the JSONPath one's example inputs.
    let examples = name.hasSuffix(".jsonata") ? String(name.dropLast(".jsonata".count)) : name
    for file in exampleFiles() where file.hasPrefix(examples + ".") {
      let input = try exampleInput(file)
      let run = try await Self.test(name, world: MediaWorld.sample())
        .collectingCoverage(into: CoverageCollector()).run(input: input)
      CoverageCollector.current?.record(run.result, of: machine, as: name)
      bases.append((input, run))
    }
    var unreachable: [String] = []
    for item in Coverage(machine, name: name).items
    where item.kind == .retrier || item.kind == .catcher {
      guard let target = Self.target(for: item, in: machine.definition.graph),
        let base = bases.first(where: {
          ($0.run.result.coverage?.count(of: .stateEntered(item.state)) ?? 0) > 0
        })
      else {
        unreachable.append(item.description)
        continue
      }
      let world = MediaWorld.sample()
      let injected = InjectedFailure(
        error: target == item.state ? Self.error(for: item.errorEquals ?? []) : "Injected.Failure",
        everyAttempt: item.kind == .catcher, world: world.handlers)
      let collector = CoverageCollector()
      let run = try await Self.test(name, world: world)
        .handling(state: target, with: injected)
        .collectingCoverage(into: collector, as: name)
        .run(input: base.input)
      CoverageCollector.current?.record(run.result, of: machine, as: name)
      let hits = collector.coverage(of: name)?.items.first { $0.with(hits: 0) == item }?.hits ?? 0
      #expect(hits > 0, "\(name): \(item) was not hit (failing \(target)): \(run.stateNames)")
      if item.kind == .retrier {
        // A transient failure that is retried changes nothing in the outcome.
        #expect(run.status == base.run.status, "\(name): \(item)")
      } else if let next = item.next {
        #expect(run.timesEntered(next) > 0, "\(name): \(item): \(run.stateNames)")
      }
    }
    return unreachable
  }

  @Test(
    "A chunk list that cannot be read fails the Map Run, and UpscaleChunks' States.ALL catcher reports it"
  )
  func chunkListUnreadable() async throws {
    let world = MediaWorld.sample()
    let run = try await Self.test("video-super-resolution", world: world)
      .handling(
        "s3:listObjectsV2",
        with: ScriptedHandler(.throwing("S3.NoSuchBucket", cause: "The bucket is gone"))
      )
      .run(input: try exampleInput("video-super-resolution.input.json"))
    #expect(run.stateNames.contains("NotifyFailure"))
    #expect(run.result.mapRuns.isEmpty || run.result.mapRuns.first?.status == .failed)
    #expect(run.status == .failed)
  }

  @Test(
    "A failure of each Task state with an error its retrier or catcher names is retried or caught",
    arguments: [
      "video-workflow-orchestration", "video-workflow-orchestration.jsonata",
      "media-ingest-pipeline", "video-super-resolution", "ecs-video-processing",
      "stream-ingest-processing", "media-ingest-backfill",
    ])
  func inject(workflow name: String) async throws {
    let unreachable = try await everyRetrierAndCatcher(of: name)
    #expect(unreachable == Self.notInjected[name] ?? [])
  }

  /// The retriers and catchers no injection reaches, by workflow: the catchers of a
  /// distributed Map that tolerates failed items (a failed item counts against the threshold;
  /// `chunkListUnreadable` and the suite's tolerated-failure tests reach them) and a Task that
  /// starts a child execution (Step Functions' own integration runs the registered machine).
  static let notInjected: [String: [String]] = [
    "video-super-resolution": [
      "catcher 0 of UpscaleChunks [States.ExceedToleratedFailureThreshold] → NotifyFailure",
      "catcher 1 of UpscaleChunks [States.ALL] → NotifyFailure",
    ],
    "media-ingest-backfill": [
      "catcher 0 of ReprocessUploads [States.ALL] → NotifyBackfillFailed",
      "retrier 0 of IngestUpload [StepFunctions.ExecutionLimitExceededException]",
    ],
  ]
}

extension CoverageItem {
  /// The item with other hits.
  func with(hits: Int) -> CoverageItem {
    var copy = self
    copy.hits = hits
    return copy
  }
}
