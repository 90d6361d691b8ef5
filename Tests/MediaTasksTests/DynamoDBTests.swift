import MediaTasks
import StepFunctions
import Testing

@Suite("In-memory DynamoDB")
struct DynamoDBTests {
  func world() -> MediaWorld {
    let world = MediaWorld()
    world.dynamoDB.createTable("Assets", schema: DynamoDBKeySchema(partitionKey: "assetId"))
    return world
  }

  func put(_ item: JSON, condition: String? = nil, _ world: MediaWorld) async throws
    -> ExecutionResult
  {
    var parameters: JSONObject = ["TableName": "Assets", "Item": item]
    if let condition { parameters["ConditionExpression"] = .string(condition) }
    return try await call("arn:aws:states:::dynamodb:putItem", .object(parameters), world: world)
  }

  func update(
    _ expression: String, values: JSON = [:], names: JSON? = nil, condition: String? = nil,
    returnValues: String = "ALL_NEW", _ world: MediaWorld
  ) async throws -> ExecutionResult {
    var parameters: JSONObject = [
      "TableName": "Assets", "Key": ["assetId": ["S": "a1"]],
      "UpdateExpression": .string(expression),
      "ReturnValues": .string(returnValues),
    ]
    if case .object(let object) = values, !object.isEmpty {
      parameters["ExpressionAttributeValues"] = values
    }
    if let names { parameters["ExpressionAttributeNames"] = names }
    if let condition { parameters["ConditionExpression"] = .string(condition) }
    return try await call("arn:aws:states:::dynamodb:updateItem", .object(parameters), world: world)
  }

  @Test("putItem then getItem returns the item in attribute-value JSON")
  func putGet() async throws {
    let world = world()
    let stored = try await put(["assetId": ["S": "a1"], "size": ["N": "10"]], world)
    #expect(stored.status == .succeeded)
    #expect(stored.output?["SdkHttpMetadata"]?["HttpStatusCode"] == 200)
    let read = try await call(
      "arn:aws:states:::dynamodb:getItem",
      ["TableName": "Assets", "Key": ["assetId": ["S": "a1"]]], world: world)
    #expect(read.output?["Item"] == ["assetId": ["S": "a1"], "size": ["N": "10"]])
    let absent = try await call(
      "arn:aws:states:::dynamodb:getItem",
      ["TableName": "Assets", "Key": ["assetId": ["S": "zz"]]], world: world)
    #expect(absent.output?["Item"] == nil)
  }

  @Test(
    "attribute_not_exists lets the first write through and fails the second with ConditionalCheckFailedException"
  )
  func idempotentPut() async throws {
    let world = world()
    let first = try await put(
      ["assetId": ["S": "a1"], "v": ["N": "1"]], condition: "attribute_not_exists(assetId)", world)
    #expect(first.status == .succeeded)
    let second = try await put(
      ["assetId": ["S": "a1"], "v": ["N": "2"]], condition: "attribute_not_exists(assetId)", world)
    #expect(second.error == "DynamoDB.ConditionalCheckFailedException")
    #expect(second.cause?.hasPrefix("The conditional request failed") == true)
    #expect(
      world.dynamoDB.item(inTable: "Assets", key: ["assetId": ["S": "a1"]])?["v"] == ["N": "1"])
  }

  @Test("attribute_exists fails an update of an item that does not exist")
  func updateNeedsItem() async throws {
    let world = world()
    let result = try await update(
      "SET v = :v", values: [":v": ["N": "1"]], condition: "attribute_exists(assetId)", world)
    #expect(result.error == "DynamoDB.ConditionalCheckFailedException")
    #expect(world.dynamoDB.items(inTable: "Assets").isEmpty)
  }

  @Test("updateItem applies SET, arithmetic, if_not_exists, list_append, REMOVE and ADD")
  func updateActions() async throws {
    let world = world()
    _ = try await put(
      ["assetId": ["S": "a1"], "count": ["N": "1"], "tmp": ["S": "x"], "log": ["L": [["S": "a"]]]],
      world)
    let result = try await update(
      "SET #s = :done, #c = #c + :one, firstSeen = if_not_exists(firstSeen, :now), log = list_append(log, :more) REMOVE tmp ADD tags :tags, visits :one",
      values: [
        ":done": ["S": "COMPLETE"], ":one": ["N": "1"], ":now": ["S": "2025-01-01"],
        ":more": ["L": [["S": "b"]]],
        ":tags": ["SS": ["hls"]],
      ], names: ["#s": "status", "#c": "count"], world)
    #expect(result.status == .succeeded)
    #expect(
      result.output?["Attributes"] == [
        "assetId": ["S": "a1"], "count": ["N": "2"], "log": ["L": [["S": "a"], ["S": "b"]]],
        "status": ["S": "COMPLETE"],
        "firstSeen": ["S": "2025-01-01"], "tags": ["SS": ["hls"]], "visits": ["N": "1"],
      ])
  }

  @Test("ReturnValues UPDATED_NEW returns only the attributes the update touched")
  func updatedNew() async throws {
    let world = world()
    _ = try await put(["assetId": ["S": "a1"], "a": ["S": "x"], "b": ["S": "y"]], world)
    let result = try await update(
      "SET a = :v", values: [":v": ["S": "z"]], returnValues: "UPDATED_NEW", world)
    #expect(result.output?["Attributes"] == ["a": ["S": "z"]])
  }

  static let conditions: [(String, Bool)] = [
    ("size_ > :five", true), ("size_ < :five", false), ("size_ BETWEEN :five AND :twenty", true),
    ("#s IN (:done, :failed)", true), ("#s <> :done", false), ("begins_with(#s, :prefix)", true),
    ("contains(tags, :hls)", true), ("attribute_exists(missing) OR size_ >= :ten", true),
    ("NOT (size_ = :ten) AND attribute_exists(assetId)", false),
    ("attribute_type(size_, :numberType)", true),
    ("size(#s) = :eight", true),
  ]

  @Test(
    "Condition expressions compare, test attributes and combine with AND, OR, NOT",
    arguments: conditions)
  func condition(expression: String, holds: Bool) async throws {
    let world = world()
    _ = try await put(
      [
        "assetId": ["S": "a1"], "size_": ["N": "10"], "status": ["S": "COMPLETE"],
        "tags": ["SS": ["hls", "dash"]],
      ], world)
    let parameters: JSON = [
      "TableName": "Assets", "Key": ["assetId": ["S": "a1"]],
      "ConditionExpression": .string(expression),
      "ExpressionAttributeNames": expression.contains("#s") ? ["#s": "status"] : nil,
      "ExpressionAttributeValues": [
        ":five": ["N": "5"], ":ten": ["N": "10"], ":twenty": ["N": "20"],
        ":done": ["S": "COMPLETE"],
        ":failed": ["S": "FAILED"], ":prefix": ["S": "COMP"], ":hls": ["S": "hls"],
        ":numberType": ["S": "N"],
        ":eight": ["N": "8"],
      ],
    ]
    let result = try await call(
      "arn:aws:states:::dynamodb:deleteItem", parameters.filteringNulls(), world: world)
    #expect(result.status == (holds ? .succeeded : .failed))
    #expect((world.dynamoDB.items(inTable: "Assets").isEmpty) == holds)
  }

  @Test(
    "Malformed requests fail with DynamoDB.AmazonDynamoDBException",
    arguments: [
      ("SET status = :v", "reserved keyword"), ("SET #x = :v", "attribute name"),
      ("SET a = :missing", "attribute value"),
      ("SET a = = :v", "Syntax error"),
    ])
  func malformed(expression: String, message: String) async throws {
    let world = world()
    let result = try await update(expression, values: [":v": ["S": "x"]], world)
    #expect(result.error == "DynamoDB.AmazonDynamoDBException")
    #expect(result.cause?.contains(message) == true)
  }

  @Test(
    "Items without their key, keys that do not match the schema and bad attribute values are refused"
  )
  func validation() async throws {
    let world = world()
    #expect(
      try await put(["other": ["S": "x"]], world).cause?.contains("Missing the key assetId") == true
    )
    #expect(
      try await put(["assetId": ["S": "a"], "n": ["N": "ten"]], world).error
        == "DynamoDB.AmazonDynamoDBException")
    #expect(try await put(["assetId": "plain"], world).error == "DynamoDB.AmazonDynamoDBException")
    let badKey = try await call(
      "arn:aws:states:::dynamodb:getItem", ["TableName": "Assets", "Key": ["id": ["S": "a"]]],
      world: world)
    #expect(badKey.cause?.contains("does not match the schema") == true)
  }

  @Test("A missing table fails with DynamoDB.ResourceNotFoundException")
  func missingTable() async throws {
    let result = try await call(
      "arn:aws:states:::dynamodb:putItem", ["TableName": "Nope", "Item": ["id": ["S": "a"]]],
      world: MediaWorld())
    #expect(result.error == "DynamoDB.ResourceNotFoundException")
  }

  @Test("deleteItem with ReturnValues ALL_OLD returns the removed item")
  func deleteReturnsOld() async throws {
    let world = world()
    _ = try await put(["assetId": ["S": "a1"], "v": ["N": "3"]], world)
    let result = try await call(
      "arn:aws:states:::dynamodb:deleteItem",
      ["TableName": "Assets", "Key": ["assetId": ["S": "a1"]], "ReturnValues": "ALL_OLD"],
      world: world)
    #expect(result.output?["Attributes"]?["v"] == ["N": "3"])
    #expect(world.dynamoDB.items(inTable: "Assets").isEmpty)
  }
}

extension JSON {
  /// This object without its `null` members.
  func filteringNulls() -> JSON {
    guard case .object(let object) = self else { return self }
    return .object(JSONObject(object.filter { $0.value != .null }.map { ($0.key, $0.value) }))
  }
}
