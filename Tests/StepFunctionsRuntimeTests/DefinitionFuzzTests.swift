import CorpusSupport
import Foundation
import StepFunctionsJSON
import StepFunctionsLanguage
import StepFunctionsRuntime
import Testing

/// SplitMix64, for reproducible mutations.
private struct MutationRandom {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }
}

/// Structural mutations of definitions: replace a value with one of another type, drop a member,
/// rename a key, duplicate a state's transition target, swap strings for paths.
private enum Mutator {
  static let replacements: [JSON] = [
    .null, true, 0, -1, 1.5, 99_999_999_999, "", "$", "$.missing", "$$.Execution.Id",
    "States.Format('{}', $.a)",
    "States.Array(", "{% 1 %}", [], [:], ["a.$": "$.b"], "2016-03-14T01:59:00Z",
    "arn:aws:states:::lambda:invoke",
  ]

  static func mutate(_ value: JSON, random: inout MutationRandom, depth: Int = 0) -> JSON {
    switch value {
    case .object(var object) where !object.isEmpty:
      let position = random.below(object.count)
      let (key, member) = object[position]
      switch random.below(5) {
      case 0: object.removeValue(forKey: key)
      case 1: object.setValue(replacements[random.below(replacements.count)], at: position)
      case 2:
        object.removeValue(forKey: key)
        object[key + (random.below(2) == 0 ? ".$" : "X")] = member
      default: object.setValue(mutate(member, random: &random, depth: depth + 1), at: position)
      }
      return .object(object)
    case .array(var elements) where !elements.isEmpty:
      let position = random.below(elements.count)
      if random.below(4) == 0 {
        elements.remove(at: position)
      } else {
        elements[position] = mutate(elements[position], random: &random, depth: depth + 1)
      }
      return .array(elements)
    default:
      return replacements[random.below(replacements.count)]
    }
  }
}

@Suite("Mutated definitions never crash the validator, the compiler or the executor")
struct DefinitionFuzzTests {
  /// The shipped workflows (`StateMachines/*.asl.json`) with their first example input.
  static func shippedSeeds() throws -> [(definition: JSON, input: JSON)] {
    let folder = Corpus.packageRoot.appendingPathComponent("StateMachines")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".asl.json") }.sorted()
    return try names.map { name in
      let definition = try Corpus.json(at: folder.appendingPathComponent(name))
      let stem = String(name.dropLast(".asl.json".count))
      let examples = folder.appendingPathComponent("examples")
      let inputName = try FileManager.default.contentsOfDirectory(atPath: examples.path)
        .filter { $0.hasPrefix(stem + ".") && !$0.contains("fail") }.sorted().first
      let input = try inputName.map { try Corpus.json(at: examples.appendingPathComponent($0)) }
      return (definition, input ?? [:])
    }
  }

  @Test("Thousands of seeded structural mutations of the shipped workflows")
  func mutatedShippedWorkflows() async throws {
    let seeds = try Self.shippedSeeds()
    #expect(seeds.count >= 5)
    let counts = await Self.mutate(seeds, rounds: 300, seed: 20_261_203)
    #expect(counts.validated >= 1_500)
    #expect(counts.ran > 100, "enough mutants are still valid to exercise the executor")
  }

  @Test("Thousands of seeded structural mutations of corpus definitions", .requiresCorpus)
  func mutatedDefinitions() async throws {
    let files = Corpus.files(in: "localstack/executions/pure")
    var seeds: [(definition: JSON, input: JSON)] = []
    for (offset, file) in files.enumerated() where offset % 3 == 0 {
      let entry = try Corpus.json(at: file)
      guard let definition = entry["definition"] else { continue }
      seeds.append((definition, entry["input"] ?? [:]))
    }
    let rounds = ProcessInfo.processInfo.environment["SFN_FUZZ_ROUNDS"].flatMap(Int.init) ?? 8
    let counts = await Self.mutate(seeds, rounds: rounds, seed: 20_261_121)
    #expect(counts.validated > 2_000)
    #expect(counts.ran > 100, "enough mutants are still valid to exercise the executor")
  }

  /// Mutates each seed `rounds` times; validates every mutant (as a value and as text) and runs
  /// the valid ones. Returns how many were validated and how many ran.
  static func mutate(
    _ seeds: [(definition: JSON, input: JSON)], rounds: Int, seed: UInt64
  ) async -> (validated: Int, ran: Int) {
    var random = MutationRandom(state: seed)
    var validated = 0
    var ran = 0
    for (definition, input) in seeds {
      for _ in 0..<rounds {
        var mutated = definition
        for _ in 0..<(1 + random.below(3)) { mutated = Mutator.mutate(mutated, random: &random) }
        let report = StateMachineLoader.load(mutated)
        validated += 1
        // Text round trip through the validator too: locations must resolve for any pointer.
        let textReport = Validator.validate(JSONSerializer(style: .pretty).bytes(mutated))
        #expect(textReport.hasErrors == report.report.hasErrors)
        for diagnostic in textReport.diagnostics { #expect(diagnostic.location != nil) }
        guard let valid = report.definition, let machine = try? StateMachine(definition: valid)
        else { continue }
        var options = ExecutionOptions()
        options.maximumHistoryEvents = 2_000
        let result = await machine.run(input: input, options: options)
        #expect(result.status != .running)
        ran += 1
      }
    }
    return (validated, ran)
  }

  @Test("Random inputs never crash a definition that reads many paths")
  func randomInputs() async throws {
    let machine = try StateMachine(
      json: """
        {"StartAt": "P", "States": {
          "P": {"Type": "Pass", "Parameters": {"a.$": "$.a", "n.$": "States.MathAdd($.n, 1)", "all.$": "$..x"}, "ResultPath": "$.p", "Next": "C"},
          "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 3, "Next": "W"}], "Default": "M"},
          "W": {"Type": "Wait", "SecondsPath": "$.n", "Next": "M"},
          "M": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}}}
        """)
    var random = MutationRandom(state: 7)
    let samples: [JSON] = [
      "a", 1, [1, 2], ["x": 1], .null, true, -5, 2.5, ["items": "no"], ["items": [1, ["x": 2]]],
    ]
    for _ in 0..<300 {
      var input = JSONObject()
      for key in ["a", "n", "items", "x"] where random.below(2) == 0 {
        input[key] = samples[random.below(samples.count)]
      }
      let result = await machine.run(input: .object(input))
      #expect(
        result.status == .succeeded || (result.error?.hasPrefix("States.") ?? false),
        "\(input): \(result.error ?? "") \(result.cause ?? "")")
    }
  }
}
