import Foundation
import StepFunctions

/// The key schema of a table: a partition key and an optional sort key.
public struct DynamoDBKeySchema: Sendable, Hashable {
  /// The partition (hash) key attribute.
  public var partitionKey: String
  /// The sort (range) key attribute, if any.
  public var sortKey: String?

  /// Creates a schema.
  public init(partitionKey: String, sortKey: String? = nil) {
    self.partitionKey = partitionKey
    self.sortKey = sortKey
  }

  var attributes: [String] { [partitionKey] + (sortKey.map { [$0] } ?? []) }
}

/// In-memory DynamoDB tables holding items in attribute-value JSON (`{"S": "x"}`,
/// `{"N": "42"}`...), with condition and update expressions.
public final class DynamoDBTables: @unchecked Sendable {
  private struct Table {
    var schema: DynamoDBKeySchema
    var keys: [String] = []
    var items: [String: JSONObject] = [:]
  }

  private let lock = NSLock()
  private var tables: [String: Table] = [:]

  init() {}

  /// Creates a table (no-op when it exists).
  public func createTable(_ name: String, schema: DynamoDBKeySchema) {
    lock.withLock { if tables[name] == nil { tables[name] = Table(schema: schema) } }
  }

  /// The table names, sorted.
  public var tableNames: [String] { lock.withLock { tables.keys.sorted() } }

  /// The items in `table`, in the order they were first written.
  public func items(inTable table: String) -> [JSON] {
    lock.withLock {
      guard let table = tables[table] else { return [] }
      return table.keys.compactMap { table.items[$0].map(JSON.object) }
    }
  }

  /// The item with `key` (attribute-value JSON, e.g. `["assetId": ["S": "a1"]]`), or `nil`.
  public func item(inTable table: String, key: JSON) -> JSON? {
    lock.withLock {
      guard let table = tables[table], case .object(let key) = key,
        let identity = try? identity(key, table.schema)
      else { return nil }
      return table.items[identity].map(JSON.object)
    }
  }

  /// Puts an item directly (for seeding a world); the table must exist.
  public func seed(_ item: JSONObject, inTable name: String) {
    lock.withLock {
      guard var table = tables[name], let identity = try? identity(item, table.schema) else {
        return
      }
      if table.items[identity] == nil { table.keys.append(identity) }
      table.items[identity] = item
      tables[name] = table
    }
  }

  // MARK: Errors

  private static func failure(_ error: String, code: String, message: String) -> TaskFailure {
    TaskFailure(
      error: "DynamoDB.\(error)",
      cause:
        "\(message) (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: \(code); Request ID: in-memory; Proxy: null)"
    )
  }

  static func validation(_ message: String) -> TaskFailure {
    failure("AmazonDynamoDBException", code: "ValidationException", message: message)
  }

  /// The message inside a ``validation(_:)`` failure (its cause without the service suffix).
  static func message(of failure: TaskFailure) -> String {
    guard let range = failure.cause.range(of: " (Service: AmazonDynamoDBv2") else {
      return failure.cause
    }
    return String(failure.cause[..<range.lowerBound])
  }

  /// A `ValidationException` when `item` is larger than DynamoDB's 400 KB.
  static func checkSize(_ item: JSONObject) throws(TaskFailure) {
    guard JSON.object(item).serialized().utf8.count <= DynamoDBLimits.itemBytes else {
      throw validation("Item size has exceeded the maximum allowed size")
    }
  }

  static let conditionFailed = failure(
    "ConditionalCheckFailedException", code: "ConditionalCheckFailedException",
    message: "The conditional request failed")

  static let notFound = failure(
    "ResourceNotFoundException", code: "ResourceNotFoundException",
    message: "Requested resource not found")

  // MARK: Keys

  private func identity(_ item: JSONObject, _ schema: DynamoDBKeySchema) throws(TaskFailure)
    -> String
  {
    var parts: [JSON] = []
    for attribute in schema.attributes {
      guard let value = item[attribute] else {
        throw Self.validation(
          "One or more parameter values were invalid: Missing the key \(attribute) in the item")
      }
      guard let type = value.objectValue?.keys.first, ["S", "N", "B"].contains(type) else {
        throw Self.validation(
          "One or more parameter values were invalid: Type mismatch for key \(attribute) expected: S, N or B actual: \(value.objectValue?.keys.first ?? value.typeName)"
        )
      }
      parts.append(value)
    }
    return JSON.array(parts).serialized()
  }

  private func keyIdentity(_ key: JSONObject, _ schema: DynamoDBKeySchema) throws(TaskFailure)
    -> String
  {
    guard key.count == schema.attributes.count, schema.attributes.allSatisfy({ key[$0] != nil })
    else {
      throw Self.validation("The provided key element does not match the schema")
    }
    return try identity(key, schema)
  }

  // MARK: Operations

  private struct Request {
    var table: String
    var names: JSONObject
    var values: JSONObject
    var returnValues: String
    var parameters: Parameters

    init(_ value: JSON) throws(TaskFailure) {
      parameters = try Parameters(value, service: "DynamoDB")
      guard let table = parameters.string("TableName"), !table.isEmpty else {
        throw DynamoDBTables.validation(
          "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"
        )
      }
      self.table = table
      names = parameters["ExpressionAttributeNames"]?.objectValue ?? JSONObject()
      values = parameters["ExpressionAttributeValues"]?.objectValue ?? JSONObject()
      for (name, value) in values {
        do throws(TaskFailure) {
          try AttributeValues.validate(value, name: name)
        } catch {
          throw DynamoDBTables.validation(
            "ExpressionAttributeValues contains invalid value: \(DynamoDBTables.message(of: error))"
          )
        }
      }
      returnValues = parameters.string("ReturnValues") ?? "NONE"
    }

    func object(_ key: String) throws(TaskFailure) -> JSONObject {
      guard case .object(let object)? = parameters[key] else {
        throw DynamoDBTables.validation(
          "1 validation error detected: Value null at '\(key.prefix(1).lowercased() + key.dropFirst())' failed to satisfy constraint: Member must not be null"
        )
      }
      try AttributeValues.validate(object)
      return object
    }

    func condition() throws(TaskFailure) -> ConditionExpression? {
      guard let text = parameters.string("ConditionExpression") else { return nil }
      do {
        var parser = try ExpressionParser(text, names: names, kind: "ConditionExpression")
        return try parser.parseCondition()
      } catch {
        throw DynamoDBTables.validation(error.message)
      }
    }
  }

  private func check(_ condition: ConditionExpression?, _ item: JSONObject?, _ request: Request)
    throws(TaskFailure)
  {
    guard let condition else { return }
    let evaluator = ExpressionEvaluator(values: request.values)
    do {
      guard try evaluator.evaluate(condition, item ?? JSONObject()) else {
        throw Self.conditionFailed
      }
    } catch let error as ExpressionError {
      throw Self.validation(error.message)
    } catch let failure as TaskFailure {
      throw failure
    } catch {
      throw Self.validation(String(describing: error))
    }
  }

  private func response(_ attributes: JSONObject?, requestId: String) -> JSON {
    var object = JSONObject()
    if let attributes, !attributes.isEmpty {
      object.append(key: "Attributes", value: .object(attributes))
    }
    ResponseMetadata.append(to: &object, requestId: requestId)
    return .object(object)
  }

  func putItem(_ parameters: JSON, requestId: String) throws(TaskFailure) -> JSON {
    let request = try Request(parameters)
    let item = try request.object("Item")
    try Self.checkSize(item)
    let condition = try request.condition()
    return try lock.locked { () throws(TaskFailure) -> JSON in
      guard var table = tables[request.table] else { throw Self.notFound }
      let identity = try identity(item, table.schema)
      let old = table.items[identity]
      try check(condition, old, request)
      if old == nil { table.keys.append(identity) }
      table.items[identity] = item
      tables[request.table] = table
      return response(request.returnValues == "ALL_OLD" ? old : nil, requestId: requestId)
    }
  }

  func getItem(_ parameters: JSON, requestId: String) throws(TaskFailure) -> JSON {
    let request = try Request(parameters)
    let key = try request.object("Key")
    return try lock.locked { () throws(TaskFailure) -> JSON in
      guard let table = tables[request.table] else { throw Self.notFound }
      var object = JSONObject()
      if let item = table.items[try keyIdentity(key, table.schema)] {
        object.append(key: "Item", value: .object(item))
      }
      ResponseMetadata.append(to: &object, requestId: requestId)
      return .object(object)
    }
  }

  func deleteItem(_ parameters: JSON, requestId: String) throws(TaskFailure) -> JSON {
    let request = try Request(parameters)
    let key = try request.object("Key")
    let condition = try request.condition()
    return try lock.locked { () throws(TaskFailure) -> JSON in
      guard var table = tables[request.table] else { throw Self.notFound }
      let identity = try keyIdentity(key, table.schema)
      let old = table.items[identity]
      try check(condition, old, request)
      table.items[identity] = nil
      table.keys.removeAll { $0 == identity }
      tables[request.table] = table
      return response(request.returnValues == "ALL_OLD" ? old : nil, requestId: requestId)
    }
  }

  func updateItem(_ parameters: JSON, requestId: String) throws(TaskFailure) -> JSON {
    let request = try Request(parameters)
    let key = try request.object("Key")
    let condition = try request.condition()
    let update: UpdateExpression?
    if let text = request.parameters.string("UpdateExpression") {
      do {
        var parser = try ExpressionParser(text, names: request.names, kind: "UpdateExpression")
        update = try parser.parseUpdate()
      } catch {
        throw Self.validation(error.message)
      }
    } else {
      update = nil
    }
    return try lock.locked { () throws(TaskFailure) -> JSON in
      guard var table = tables[request.table] else { throw Self.notFound }
      let identity = try keyIdentity(key, table.schema)
      let old = table.items[identity]
      try check(condition, old, request)
      var item = old ?? key
      if let update {
        do throws(ExpressionError) {
          item = try ExpressionEvaluator(values: request.values).apply(update, to: item)
        } catch {
          throw Self.validation(error.message)
        }
      }
      for attribute in table.schema.attributes where item[attribute] != key[attribute] {
        throw Self.validation(
          "One or more parameter values were invalid: Cannot update attribute \(attribute). This attribute is part of the key"
        )
      }
      // An update can nest a value under a deep path: the result must still be an item
      // DynamoDB stores (32 levels at most), and at most 400 KB.
      try AttributeValues.validate(item)
      try Self.checkSize(item)
      if old == nil { table.keys.append(identity) }
      table.items[identity] = item
      tables[request.table] = table
      let touched = update?.touchedAttributes ?? []
      func only(_ object: JSONObject?) -> JSONObject? {
        guard let object else { return nil }
        return JSONObject(object.filter { touched.contains($0.key) }.map { ($0.key, $0.value) })
      }
      let attributes: JSONObject?
      switch request.returnValues {
      case "ALL_NEW": attributes = item
      case "ALL_OLD": attributes = old
      case "UPDATED_NEW": attributes = only(item)
      case "UPDATED_OLD": attributes = only(old)
      default: attributes = nil
      }
      return response(attributes, requestId: requestId)
    }
  }
}

/// The four DynamoDB optimized integrations (`dynamodb:putItem`, `getItem`, `updateItem`,
/// `deleteItem`) over ``DynamoDBTables``. A failed `ConditionExpression` fails the task with
/// `DynamoDB.ConditionalCheckFailedException`; a missing table with
/// `DynamoDB.ResourceNotFoundException`; a malformed request with
/// `DynamoDB.AmazonDynamoDBException`.
public struct DynamoDBHandler: TaskHandler {
  /// The tables.
  public let tables: DynamoDBTables
  let identifiers: IdentifierSource

  /// Creates a handler over `tables`.
  public init(tables: DynamoDBTables) {
    self.init(tables: tables, identifiers: IdentifierSource(seed: 0))
  }

  init(tables: DynamoDBTables, identifiers: IdentifierSource) {
    self.tables = tables
    self.identifiers = identifiers
  }

  /// Runs the action the resource names.
  public func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    guard case .serviceIntegration(_, let action) = request.resource.kind else {
      throw TaskFailure(
        error: "States.Runtime", cause: "Not a DynamoDB integration: \(request.resource.arn)")
    }
    let requestId = identifiers.characters(52, from: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    switch action {
    case "putItem": return try tables.putItem(request.parameters, requestId: requestId)
    case "getItem": return try tables.getItem(request.parameters, requestId: requestId)
    case "updateItem": return try tables.updateItem(request.parameters, requestId: requestId)
    case "deleteItem": return try tables.deleteItem(request.parameters, requestId: requestId)
    default:
      throw TaskFailure(
        error: "DynamoDB.AmazonDynamoDBException",
        cause: "The in-memory DynamoDB does not implement '\(action)'.")
    }
  }
}
