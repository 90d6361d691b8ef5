import CorpusSupport
import Foundation
import StepFunctionsJSON
import Testing

@testable import StepFunctionsRuntime

/// Histories recorded on AWS, imported.
@Suite("History import: recorded histories", .requiresCorpus)
struct HistoryImportCorpusTests {
  /// The folders of `histories/`, each with a `history.json`.
  static func cliHistories() throws -> [(name: String, url: URL)] {
    let folder = try #require(Corpus.url("histories"))
    return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().compactMap {
      name in
      let url = folder.appendingPathComponent(name).appendingPathComponent("history.json")
      return FileManager.default.fileExists(atPath: url.path) ? (name, url) : nil
    }
  }

  @Test(
    "The untouched AWS CLI histories import without warnings and export every member as AWS wrote it"
  )
  func untouchedCLIHistories() throws {
    let histories = try Self.cliHistories()
    #expect(!histories.isEmpty)
    for (name, url) in histories {
      let bytes = [UInt8](try Data(contentsOf: url))
      let history = try ExecutionHistory(importing: bytes, fileName: "\(name)/history.json")
      #expect(history.importWarnings.isEmpty, "\(name): \(history.importWarnings)")
      let original = try JSONParser.parse(bytes)
      let originalEvents = original["events"]?.arrayValue ?? []
      #expect(history.count == originalEvents.count)
      // Every member — payload texts included, compared as text — but the timestamp's spelling.
      #expect(history.awsJSON == original.replacingTimestamps(with: history.awsJSON), "\(name)")
      for (event, raw) in zip(history.events, originalEvents) {
        let text = raw["timestamp"]?.stringValue ?? ""
        #expect(Instant(rfc3339: text) == event.timestamp, "\(name) event \(event.id)")
      }
      let again = try ExecutionHistory(importing: Array(history.awsCLIText.utf8))
      #expect(again.awsCLIText == history.awsCLIText)
    }
  }

  @Test("The DynamoDB/SQS history reads into the typed events the executor would record")
  func riderHistory() throws {
    let url = try #require(
      Corpus.url("histories/rider-state-choice-dynamodb-sqs-fail/history.json"))
    let history = try ExecutionHistory(importing: [UInt8](try Data(contentsOf: url)))
    let events = history.events
    #expect(events.count == 17)
    #expect(events.first?.timestamp == Instant(rfc3339: "2024-11-18T13:06:54.574Z"))
    #expect(events[1].previousEventId == 0)
    guard case .executionStarted(let input, _) = events[0].details,
      case .fields(_, let scheduled, let payloads) = events[4].details,
      case .failure("executionFailedEventDetails", nil, nil) = events[16].details
    else {
      Issue.record("unexpected details: \(events.map(\.details))")
      return
    }
    #expect(input["input"]?["rider_id"] == "Munich#RIDER#1")
    #expect(scheduled["parameters"]?["TableName"] == "RiderStateTable-CDK")
    #expect(scheduled["parameters"]?.objectValue?.keys == ["Key", "TableName", "ConsistentRead"])
    #expect(payloads.contains("parameters"))
  }

  /// The LocalStack recordings, rewritten back into AWS's text form: payloads the corpus decoded
  /// are written as JSON text again, timestamps and placeholder ids get real values.
  static func localStackHistories() throws -> [(name: String, history: JSON)] {
    var result: [(String, JSON)] = []
    for category in ["pure", "service"] {
      for url in Corpus.files(in: "localstack/executions/\(category)") {
        let execution = try Corpus.json(at: url)
        guard case .array(let events)? = execution["expected"]?["events"], !events.isEmpty else {
          continue
        }
        result.append(
          (url.lastPathComponent, .object(["events": .array(events.enumerated().map(awsShape))])))
      }
    }
    return result
  }

  static let payloadMembers: Set<String> = ["input", "output", "parameters"]

  /// One rewritten event in AWS's form.
  static func awsShape(_ index: Int, _ event: JSON) -> JSON {
    guard case .object(var object) = event else { return event }
    object["timestamp"] = .number(JSONNumber(1_731_935_214 + Int64(index)))
    // Events of a sorted Parallel block have id [0], and the block lost an event: number every
    // event in its order.
    object["id"] = .number(JSONNumber(index + 1))
    if object["previousEventId"]?.numberValue == nil { object["previousEventId"] = 0 }
    for (key, value) in object where key.hasSuffix("EventDetails") {
      guard case .object(var details) = value else { continue }
      for (name, member) in details {
        if payloadMembers.contains(name) {
          details[name] = .string(jsonText(member))
        } else if name == "cause", member.stringValue == nil {
          details[name] = .string(member.serialized())
        } else if name == "assignedVariables", case .object(var variables) = member {
          for (variable, text) in variables { variables[variable] = .string(jsonText(text)) }
          details[name] = .object(variables)
        }
      }
      object[key] = .object(details)
    }
    return .object(object)
  }

  /// The JSON text of a payload the corpus may have decoded; text that is not JSON (a
  /// placeholder) becomes a JSON string.
  static func jsonText(_ value: JSON) -> String {
    guard case .string(let text) = value else { return value.serialized() }
    return (try? JSON(parsing: text)) != nil ? text : value.serialized()
  }

  @Test("Every event type and details member in the LocalStack recordings of AWS imports as known")
  func localStackCoverage() throws {
    let histories = try Self.localStackHistories()
    #expect(histories.count > 500)
    var types: Set<String> = []
    var detailsKeys: Set<String> = []
    for (name, json) in histories {
      let history = try ExecutionHistory(importing: json)
      let unknown = history.importWarnings.filter {
        $0.kind == .unknownEventType || $0.kind == .unknownMember
      }
      #expect(unknown.isEmpty, "\(name): \(unknown)")
      for event in history.events {
        types.insert(event.type)
        if case .object(let object) = event.awsJSON {
          detailsKeys.formUnion(object.keys.filter { $0.hasSuffix("EventDetails") })
        }
      }
      let again = try ExecutionHistory(importing: Array(history.awsCLIText.utf8))
      #expect(again.awsCLIText == history.awsCLIText, "\(name)")
    }
    #expect(types.isSubset(of: HistorySchema.eventTypes))
    #expect(detailsKeys.isSubset(of: Set(HistorySchema.details.keys)))
    #expect(types.count >= 45)
  }
}
