import Foundation
import StepFunctions

/// A corpus file that could not be read or does not describe an execution case.
public struct ConformanceCaseError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The file (or folder) concerned.
  public var fileURL: URL
  /// What is wrong, for a person.
  public var message: String

  /// Creates an error.
  public init(fileURL: URL, message: String) {
    self.fileURL = fileURL
    self.message = message
  }

  /// `file.json: message`.
  public var description: String { "\(fileURL.lastPathComponent): \(message)" }
}

/// The cases of one corpus folder, and the files in it that could not be loaded.
public struct ConformanceCaseSet: Sendable {
  /// The cases, sorted by file name.
  public var cases: [ConformanceCase]
  /// The files that could not be loaded, sorted by file name.
  public var failures: [ConformanceCaseError]

  /// Creates a set.
  public init(cases: [ConformanceCase] = [], failures: [ConformanceCaseError] = []) {
    self.cases = cases
    self.failures = failures
  }
}

extension ConformanceCase {
  /// Reads one case file.
  public static func load(contentsOf url: URL) throws(ConformanceCaseError) -> ConformanceCase {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw ConformanceCaseError(
        fileURL: url, message: "cannot be read: \(error.localizedDescription)")
    }
    let value: JSON
    do {
      value = try JSONParser.parse([UInt8](data))
    } catch {
      throw ConformanceCaseError(fileURL: url, message: "is not JSON: \(error)")
    }
    return try ConformanceCase(decoding: value, fileURL: url)
  }

  /// Reads every `*.json` file of a folder, sorted by file name. Files that cannot be loaded are
  /// listed in ``ConformanceCaseSet/failures``; only an unreadable folder throws.
  public static func loadFolder(_ folder: URL) throws(ConformanceCaseError) -> ConformanceCaseSet {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    } catch {
      throw ConformanceCaseError(
        fileURL: folder, message: "folder cannot be listed: \(error.localizedDescription)")
    }
    var set = ConformanceCaseSet()
    for name in names.filter({ $0.hasSuffix(".json") }).sorted() {
      do {
        set.cases.append(try load(contentsOf: folder.appendingPathComponent(name)))
      } catch {
        set.failures.append(error)
      }
    }
    return set
  }

  /// Decodes a case from the JSON of a corpus file.
  ///
  /// `name`, `category`, `definition` and `expected.status` are required; every other field
  /// falls back to a neutral default when absent, and a present field of the wrong type is an
  /// error.
  public init(decoding value: JSON, fileURL: URL) throws(ConformanceCaseError) {
    let reader = FieldReader(fileURL: fileURL)
    guard case .object(let root) = value else { throw reader.error("is not a JSON object") }

    let name = try reader.string(root, "name", required: true) ?? ""
    let categoryText = try reader.string(root, "category", required: true) ?? ""
    guard let category = Category(rawValue: categoryText) else {
      throw reader.error("unknown category \"\(categoryText)\"")
    }
    guard let definition = root["definition"] else { throw reader.error("has no \"definition\"") }

    var queryLanguage = QueryLanguage.jsonPath
    if let text = try reader.string(root, "query_language") {
      guard let parsed = QueryLanguage(rawValue: text) else {
        throw reader.error("unknown query_language \"\(text)\"")
      }
      queryLanguage = parsed
    }
    var stateMachineType = StateMachineType.standard
    if let text = try reader.string(root, "state_machine_type") {
      guard let parsed = StateMachineType(rawValue: text) else {
        throw reader.error("unknown state_machine_type \"\(text)\"")
      }
      stateMachineType = parsed
    }
    var eventsNormalization: EventsNormalization?
    if let text = try reader.string(root, "events_normalization") {
      guard let parsed = EventsNormalization(rawValue: text) else {
        throw reader.error("unknown events_normalization \"\(text)\"")
      }
      eventsNormalization = parsed
    }

    var stateTypes: [String: Int] = [:]
    if let object = try reader.object(root, "state_types") {
      for (key, count) in object {
        guard let number = count.numberValue?.intValue else {
          throw reader.error("state_types/\(key) is not an integer")
        }
        stateTypes[key] = number
      }
    }

    guard let expectedValue = root["expected"], case .object(let expectedObject) = expectedValue
    else {
      throw reader.error("has no \"expected\" object")
    }
    let statusText =
      try reader.string(expectedObject, "status", required: true, in: "expected") ?? ""
    var events: [JSON]?
    if let eventsValue = expectedObject["events"], !eventsValue.isNull {
      guard case .array(let list) = eventsValue else {
        throw reader.error("expected/events is not an array")
      }
      events = list
    }
    let expected = Expected(
      status: ConformanceStatus(rawValue: statusText),
      output: expectedObject["output"],
      outputRaw: try reader.string(expectedObject, "output_raw", in: "expected"),
      error: try reader.string(expectedObject, "error", in: "expected"),
      cause: expectedObject["cause"].flatMap { $0.isNull ? nil : $0 },
      events: events)

    var source = Source(snapshotKey: name)
    if let sourceObject = try reader.object(root, "source") {
      source.snapshotKey = try reader.string(sourceObject, "snapshot_key", in: "source") ?? name
      source.recordedDate = try reader.string(sourceObject, "recorded_date", in: "source")
      source.lastValidatedDate = try reader.string(
        sourceObject, "last_validated_date", in: "source")
      source.templateFiles = try reader.strings(sourceObject, "template_files", in: "source")
      source.testTransformers =
        try reader.array(sourceObject, "test_transformers", in: "source") ?? []
      source.snapshotEntry = try reader.string(sourceObject, "snapshot_entry", in: "source")
      for entry in try reader.array(sourceObject, "localstack_skip_snapshot_verify", in: "source")
        ?? []
      {
        for path in entry["paths"]?.arrayValue ?? [] {
          if let text = path.stringValue { source.skipSnapshotVerifyPaths.append(text) }
        }
      }
    }

    self.init(
      name: name, fileURL: fileURL, category: category,
      services: try reader.strings(root, "services"),
      queryLanguage: queryLanguage, stateMachineType: stateMachineType,
      usesAssign: try reader.bool(root, "uses_assign") ?? false,
      usesDistributedMap: try reader.bool(root, "distributed_map") ?? false,
      stateTypes: stateTypes, definition: definition,
      definitionPlaceholders: try reader.strings(root, "definition_placeholders"),
      input: root["input"] ?? .object(JSONObject()),
      inputSource: try reader.string(root, "input_source") ?? "",
      inputHasPlaceholders: try reader.bool(root, "input_has_placeholders") ?? false,
      expected: expected,
      expectedHasPlaceholders: try reader.bool(root, "expected_has_placeholders") ?? false,
      eventsNormalization: eventsNormalization, source: source)
  }
}

/// Typed access to the fields of a corpus file, with errors that name the field.
private struct FieldReader {
  var fileURL: URL

  func error(_ message: String) -> ConformanceCaseError {
    ConformanceCaseError(fileURL: fileURL, message: message)
  }

  private func field(_ key: String, in parent: String?) -> String {
    parent.map { "\($0)/\(key)" } ?? key
  }

  func string(
    _ object: JSONObject, _ key: String, required: Bool = false, in parent: String? = nil
  ) throws(ConformanceCaseError) -> String? {
    switch object[key] {
    case .none, .null?:
      if required { throw error("has no \"\(field(key, in: parent))\"") }
      return nil
    case .string(let text)?: return text
    case let other?: throw error("\(field(key, in: parent)) is a \(other.typeName), not a string")
    }
  }

  func bool(_ object: JSONObject, _ key: String) throws(ConformanceCaseError) -> Bool? {
    switch object[key] {
    case .none, .null?: return nil
    case .bool(let flag)?: return flag
    case let other?: throw error("\(key) is a \(other.typeName), not a boolean")
    }
  }

  func object(
    _ object: JSONObject, _ key: String, in parent: String? = nil
  ) throws(ConformanceCaseError) -> JSONObject? {
    switch object[key] {
    case .none, .null?: return nil
    case .object(let member)?: return member
    case let other?: throw error("\(field(key, in: parent)) is a \(other.typeName), not an object")
    }
  }

  func array(
    _ object: JSONObject, _ key: String, in parent: String? = nil
  ) throws(ConformanceCaseError) -> [JSON]? {
    switch object[key] {
    case .none, .null?: return nil
    case .array(let elements)?: return elements
    case let other?: throw error("\(field(key, in: parent)) is a \(other.typeName), not an array")
    }
  }

  func strings(
    _ object: JSONObject, _ key: String, in parent: String? = nil
  ) throws(ConformanceCaseError) -> [String] {
    guard let elements = try array(object, key, in: parent) else { return [] }
    var result: [String] = []
    for element in elements {
      guard let text = element.stringValue else {
        throw error("\(field(key, in: parent)) holds a \(element.typeName), not only strings")
      }
      result.append(text)
    }
    return result
  }
}
