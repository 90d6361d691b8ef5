import Foundation
import MediaTasks
import StepFunctions
import Testing

/// One step into a JSON value: a member name or an element index.
private enum Step: Hashable {
  case key(String)
  case index(Int)
}

/// Mutates JSON values with a seeded generator: a few leaves or containers replaced by values at
/// the edges of every type, or removed.
private struct Mutator {
  var random: SeededRandom

  /// A string far past every field's expected length (S3 keys, SQS bodies, DynamoDB keys).
  static let hugeString = JSON.string(String(repeating: "x", count: 40_000))

  static let numbers: [JSON] = [
    0, -1, 1, 1e308, -1e308, 1e-308, -1e-308, 0.5, 9_223_372_036_854_775_807,
    -9_223_372_036_854_775_808,
    .number(JSONNumber(integerDigits: "9223372036854775808") ?? JSONNumber(0)),
    .number(JSONNumber(integerDigits: "-99999999999999999999999999") ?? JSONNumber(0)),
  ]

  static let strings: [JSON] = [
    "", "0", "-1", "1e308", "-1e308", "1e-308", "9223372036854775807", "-9223372036854775808",
    "99999999999999999999999999", "nan", "inf", "-inf", "0x10", "s3://", "s3:///", "s3://b",
    "s3://video-workflow-source-123456789012/uploads/", "s3://vsr-source-videos-123456789012/",
    "((((((((((", "#a.:b[99999999999999999999]", "٣٣", "\u{0}", "a\"b\\c", hugeString,
  ]

  static let others: [JSON] = [
    nil, true, false, [], [:], [1, "a", nil], ["a": ["b": [1]]], [hugeString],
  ]

  mutating func element<T>(_ list: [T]) -> T {
    list[Int(random.next(upperBound: UInt64(list.count)))]
  }

  /// A hostile value to put where `original` was.
  mutating func replacement(for original: JSON) -> JSON {
    switch random.next(upperBound: 10) {
    case 0..<4:
      if case .number(let number) = original {
        // The same number written as a string, or a number past it.
        return random.next(upperBound: 2) == 0
          ? .string(number.description) : element(Mutator.numbers)
      }
      return element(Mutator.numbers)
    case 4..<8: return element(Mutator.strings)
    default: return element(Mutator.others)
    }
  }

  /// Every path in `value` (its root excluded) that `include` accepts.
  static func paths(
    in value: JSON, prefix: [Step] = [], include: ([Step], JSON) -> Bool = { _, _ in true }
  ) -> [[Step]] {
    var result: [[Step]] = []
    switch value {
    case .object(let object):
      for (key, member) in object {
        let path = prefix + [.key(key)]
        if include(path, member) { result.append(path) }
        result += paths(in: member, prefix: path, include: include)
      }
    case .array(let elements):
      for (index, element) in elements.enumerated() {
        let path = prefix + [.index(index)]
        if include(path, element) { result.append(path) }
        result += paths(in: element, prefix: path, include: include)
      }
    default:
      break
    }
    return result
  }

  static func value(at path: ArraySlice<Step>, in root: JSON) -> JSON? {
    guard let first = path.first else { return root }
    switch first {
    case .key(let key): return root[key].flatMap { value(at: path.dropFirst(), in: $0) }
    case .index(let index): return root[index].flatMap { value(at: path.dropFirst(), in: $0) }
    }
  }

  /// `root` with the value at `path` replaced (`nil`: removed).
  static func replacing(_ path: ArraySlice<Step>, in root: JSON, with replacement: JSON?) -> JSON {
    guard let first = path.first else { return replacement ?? .null }
    switch (first, root) {
    case (.key(let key), .object(var object)):
      if path.count == 1, replacement == nil {
        _ = object.removeValue(forKey: key)
      } else if let member = object[key] {
        object[key] = replacing(path.dropFirst(), in: member, with: replacement)
      }
      return .object(object)
    case (.index(let index), .array(var elements)) where elements.indices.contains(index):
      if path.count == 1, replacement == nil {
        elements.remove(at: index)
      } else {
        elements[index] = replacing(path.dropFirst(), in: elements[index], with: replacement)
      }
      return .array(elements)
    default:
      return root
    }
  }

  /// `value` with one to three of `paths` replaced by hostile values or removed.
  mutating func mutate(_ value: JSON, at paths: [[Step]]) -> JSON {
    guard !paths.isEmpty else { return value }
    var result = value
    for _ in 0...random.next(upperBound: 3) {
      let path = element(paths)
      guard let original = Mutator.value(at: path[...], in: result) else { continue }
      let removes = random.next(upperBound: 8) == 0
      result = Mutator.replacing(
        path[...], in: result, with: removes ? nil : replacement(for: original))
    }
    return result
  }
}

/// A shipped workflow and its example inputs.
struct ShippedWorkflow: CustomTestStringConvertible, Sendable {
  var name: String
  var definition: JSON
  var inputs: [JSON]

  var testDescription: String { name }

  /// Every `StateMachines/*.asl.json` with the `examples/<name>.*input.json` files beside it
  /// (`<name>.jsonata.asl.json`, a workflow in JSONata, shares `<name>`'s inputs).
  static func all() throws -> [ShippedWorkflow] {
    let files = try FileManager.default.contentsOfDirectory(atPath: stateMachinesFolder.path)
    let examples = try FileManager.default.contentsOfDirectory(
      atPath: stateMachinesFolder.appendingPathComponent("examples").path)
    return try files.filter { $0.hasSuffix(".asl.json") }.sorted().map { file in
      let name = String(file.dropLast(".asl.json".count))
      let data = try Data(contentsOf: stateMachinesFolder.appendingPathComponent(file))
      let base = name.hasSuffix(".jsonata") ? String(name.dropLast(".jsonata".count)) : name
      let inputs = try examples.filter { $0.hasPrefix(base + ".") && $0.hasSuffix("input.json") }
        .sorted().map(exampleInput)
      return ShippedWorkflow(
        name: name, definition: try JSON(parsing: [UInt8](data)), inputs: inputs)
    }
  }
}

@Suite("Mutated inputs and task parameters never crash the shipped workflows")
struct WorkflowMutationTests {
  /// Mutated inputs per workflow (`SFN_MUTATION_RUNS` in the environment sets more for a longer
  /// search); mutated definitions get half as many.
  static let runs =
    ProcessInfo.processInfo.environment["SFN_MUTATION_RUNS"].flatMap { Int($0) }.map { max(2, $0) }
    ?? 250

  static let workflows = (try? ShippedWorkflow.all()) ?? []

  @Test("Every workflow in StateMachines/ is found, with example inputs")
  func discovery() throws {
    let workflows = try ShippedWorkflow.all()
    #expect(workflows.count >= 5)
    for workflow in workflows { #expect(!workflow.inputs.isEmpty, "\(workflow.name)") }
  }

  /// Runs `machine` on `input` with `MediaTasks.defaultHandlers` (a fresh sample world).
  func run(_ machine: StateMachine, _ input: JSON) async -> ExecutionResult {
    var options = ExecutionOptions()
    options.handlers = MediaTasks.defaultHandlers
    options.executionName = "mutation"
    options.recordsHistory = false
    return await machine.run(input: input, options: options)
  }

  func check(_ result: ExecutionResult, _ description: @autoclosure () -> String) {
    #expect(result.status != .running, "\(description()): \(result.cause ?? "")")
    if result.status == .failed || result.status == .timedOut {
      #expect(result.error?.isEmpty == false, "\(description())")
    }
  }

  @Test(
    "Thousands of example inputs with numbers, strings and types replaced by extremes all end",
    arguments: workflows)
  func mutatedInputs(workflow: ShippedWorkflow) async throws {
    let machine = try StateMachine(json: workflow.definition.serialized())
    var mutator = Mutator(random: SeededRandom(seed: 10))
    var statuses: [ExecutionStatus: Int] = [:]
    for run in 0..<Self.runs {
      let example = mutator.element(workflow.inputs)
      let input = mutator.mutate(example, at: Mutator.paths(in: example))
      let result = await self.run(machine, input)
      check(result, "\(workflow.name) run \(run) input \(input.serialized().prefix(300))")
      statuses[result.status, default: 0] += 1
      if run % 50 == 0 {
        // Same definition, input and seed: the same outcome.
        let again = await self.run(machine, input)
        #expect(again.status == result.status && again.output == result.output)
        #expect(again.error == result.error && again.cause == result.cause)
      }
    }
    // The mutations reach past the input checks: some runs still succeed, some fail.
    #expect(statuses.values.reduce(0, +) == Self.runs)
    #expect(statuses[.failed, default: 0] > 0, "\(statuses)")
  }

  @Test(
    "Task parameters in the definitions replaced by extremes fail at load or end",
    arguments: workflows)
  func mutatedParameters(workflow: ShippedWorkflow) async throws {
    // Literal values inside a Task's Parameters or Arguments (not `.$` paths or `{% %}`
    // expressions, which the loader compiles).
    let paths = Mutator.paths(in: workflow.definition) { path, value in
      guard
        let parameters = path.lastIndex(where: {
          $0 == .key("Parameters") || $0 == .key("Arguments")
        }),
        parameters < path.count - 1
      else { return false }
      for step in path[parameters...] {
        if case .key(let key) = step, key.hasSuffix(".$") { return false }
      }
      switch value {
      case .object, .array: return false
      case .string(let text) where text.hasPrefix("{%"): return false
      default: return true
      }
    }
    #expect(!paths.isEmpty)
    var mutator = Mutator(random: SeededRandom(seed: 11))
    var loaded = 0
    let runs = Self.runs / 2
    for run in 0..<runs {
      let definition = mutator.mutate(workflow.definition, at: paths)
      let machine: StateMachine
      do {
        machine = try StateMachine(json: definition.serialized())
      } catch {
        // A definition the loader refuses is a clear error, not a crash.
        continue
      }
      loaded += 1
      let input = mutator.element(workflow.inputs)
      let result = await self.run(machine, input)
      check(result, "\(workflow.name) run \(run)")
    }
    #expect(loaded > runs / 2)
  }
}
