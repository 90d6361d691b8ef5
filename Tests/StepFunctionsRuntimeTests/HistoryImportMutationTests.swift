import FuzzChecks
import StepFunctionsJSON
import Testing

@testable import StepFunctionsRuntime

/// Thousands of corrupted histories: the importer never crashes, refuses with a located error, or
/// imports something that exports and imports again to the same text.
@Suite("History import: seeded mutations")
struct HistoryImportMutationTests {
  /// Valid history texts to corrupt: what the executor exports, and hand-written shapes.
  static func seeds() async throws -> [String] {
    var seeds = try await HistoryImportTests.runs().map(\.history.awsCLIText)
    seeds.append(HistoryImportTests.apiReferenceSample)
    seeds.append(
      HistoryImportTests.history([
        HistoryImportTests.started,
        HistoryImportTests.event(
          2, "TaskStateEntered",
          #""stateEnteredEventDetails": {"name": "T", "input": "{}", "inputDetails": {"truncated": false}}"#
        ),
        HistoryImportTests.event(
          3, "TaskSucceeded", previous: 2,
          #""taskSucceededEventDetails": {"resourceType": "lambda", "resource": "invoke", "output": "{\"P\":\"aa", "outputDetails": {"truncated": true}}"#
        ),
        HistoryImportTests.event(
          4, "Mystery", previous: 3, #""mysteryEventDetails": {"x": [1, {"y": null}]}, "extra": 1"#),
      ]))
    return seeds
  }

  /// Checks the importer's contract on `bytes` (the `FuzzHistoryImport` target's checks);
  /// returns whether it imported.
  @discardableResult
  static func check(_ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation)
    -> Bool
  {
    let outcome = HistoryImportCheck.check(bytes)
    #expect(
      outcome.problems.isEmpty,
      "\(outcome.problems.joined(separator: "\n"))\n\(String(decoding: bytes, as: UTF8.self))",
      sourceLocation: sourceLocation)
    return outcome.imported
  }

  static let alphabet: [UInt8] =
    Array(#"{}[],:"\/-+.eE0123456789tfnTZ aA"#.utf8) + [0x00, 0x0A, 0xC3, 0xFF]

  @Test("Thousands of byte-level mutations: no crash, a located error or a faithful import")
  func byteMutations() async throws {
    var random = SeededRandom(seed: 0x4849_5354)
    let seeds = try await Self.seeds().map { Array($0.utf8) }
    var imported = 0
    for round in 0..<2000 {
      var bytes = seeds[round % seeds.count]
      for _ in 0..<Int.random(in: 1...3, using: &random) {
        let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<5, using: &random) {
        case 0 where !bytes.isEmpty:
          bytes[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
        case 1 where !bytes.isEmpty:
          bytes[position] = Self.alphabet.randomElement(using: &random) ?? 0
        case 2:
          bytes.insert(Self.alphabet.randomElement(using: &random) ?? 0, at: position)
        case 3 where !bytes.isEmpty:
          bytes.removeSubrange(
            position..<min(bytes.count, position + Int.random(in: 1...8, using: &random)))
        default:
          bytes = Array(bytes.prefix(position))
        }
      }
      if Self.check(bytes) { imported += 1 }
    }
    // Some mutations land in white space or payload text and still import.
    #expect(imported > 0)
  }

  @Test(
    "Thousands of structural mutations of events: no crash, a located error or a faithful import")
  func structuralMutations() async throws {
    var random = SeededRandom(seed: 0x5452_5543)
    let seeds = try await Self.seeds().map { try JSON(parsing: $0) }
    var outcomes = (imported: 0, refused: 0)
    for round in 0..<2000 {
      var value = seeds[round % seeds.count]
      for _ in 0..<Int.random(in: 1...2, using: &random) {
        value = Self.mutate(value, using: &random)
      }
      let style: JSONSerializer.Style = round.isMultiple(of: 2) ? .pretty : .compact
      if Self.check(JSONSerializer(style: style).bytes(value)) {
        outcomes.imported += 1
      } else {
        outcomes.refused += 1
      }
    }
    #expect(outcomes.imported > 100 && outcomes.refused > 100, "\(outcomes)")
  }

  /// Replacements that are wrong in most places and right in some.
  static let replacements: [JSON] = [
    .null, true, 0, -1, 1.5, 1e300, .number(JSONNumber(Int64.max)), "", "x", "{", "{\"a\":1}",
    "\"s\"", "2024-02-30T00:00:00Z",
    "2024-11-18T13:06:54.123456789-07:00", [], [1], [:], ["truncated": true], ["truncated": "no"],
  ]

  /// One random change somewhere in the history: a member removed, renamed or replaced, a
  /// payload text cut, events swapped, duplicated or reversed.
  static func mutate(_ value: JSON, using random: inout SeededRandom) -> JSON {
    guard case .object(var root) = value, case .array(var events)? = root["events"],
      !events.isEmpty
    else { return value }
    let index = Int.random(in: 0..<events.count, using: &random)
    switch Int.random(in: 0..<8, using: &random) {
    case 0:
      events.swapAt(index, Int.random(in: 0..<events.count, using: &random))
    case 1:
      events.insert(events[index], at: index)
    case 2:
      events.reverse()
    case 3:
      events.remove(at: index)
    default:
      events[index] = mutateMember(events[index], using: &random)
    }
    root["events"] = .array(events)
    return .object(root)
  }

  /// Changes one member at a random depth of `value`.
  static func mutateMember(_ value: JSON, using random: inout SeededRandom) -> JSON {
    guard case .object(var object) = value, !object.isEmpty else {
      return replacements.randomElement(using: &random) ?? .null
    }
    let position = Int.random(in: 0..<object.count, using: &random)
    let member = object[position]
    switch Int.random(in: 0..<6, using: &random) {
    case 0:
      object.remove(at: position)
    case 1:
      object.remove(at: position)
      object.append(key: member.key + "X", value: member.value)
    case 2:
      if case .string(let text) = member.value, !text.isEmpty {
        object.setValue(
          .string(String(text.prefix(Int.random(in: 0..<text.count, using: &random)))), at: position
        )
      } else {
        object.setValue(replacements.randomElement(using: &random) ?? .null, at: position)
      }
    case 3, 4:
      object.setValue(mutateMember(member.value, using: &random), at: position)
    default:
      object.setValue(replacements.randomElement(using: &random) ?? .null, at: position)
    }
    return .object(object)
  }
}
