import MediaTasks
import StepFunctions
import Testing

/// A world with the table `Assets` keyed by `assetId`.
private func assetsWorld() -> MediaWorld {
  let world = MediaWorld()
  world.dynamoDB.createTable("Assets", schema: DynamoDBKeySchema(partitionKey: "assetId"))
  return world
}

/// A string attribute value inside `wraps` map values: `{"M": {"n": ... {"S": "leaf"} ...}}`.
private func wrapped(_ wraps: Int) -> JSON {
  var value: JSON = ["S": "leaf"]
  for _ in 0..<wraps { value = ["M": ["n": value]] }
  return value
}

/// Runs `updateItem` on the item `a1` of `Assets` with `expression`.
private func update(_ expression: String, _ world: MediaWorld) async throws -> ExecutionResult {
  try await call(
    "arn:aws:states:::dynamodb:updateItem",
    [
      "TableName": "Assets", "Key": ["assetId": ["S": "a1"]],
      "UpdateExpression": .string(expression),
      "ExpressionAttributeValues": [":v": ["N": "1"]],
    ], world: world)
}

@Suite("In-memory DynamoDB: nesting limits")
struct DynamoDBDepthTests {
  @Test("An item may nest 31 maps below a top-level attribute; 32 is DynamoDB's nesting error")
  func itemNesting() async throws {
    let world = assetsWorld()
    let fine = try await call(
      "arn:aws:states:::dynamodb:putItem",
      ["TableName": "Assets", "Item": ["assetId": ["S": "a1"], "deep": wrapped(31)]], world: world)
    #expect(fine.status == .succeeded)
    let deep = try await call(
      "arn:aws:states:::dynamodb:putItem",
      ["TableName": "Assets", "Item": ["assetId": ["S": "a2"], "deep": wrapped(32)]], world: world)
    #expect(deep.error == "DynamoDB.AmazonDynamoDBException")
    #expect(deep.cause?.contains("Nesting Levels have exceeded supported limits") == true)
  }

  @Test(
    "Parentheses and NOT nest 32 deep in a condition; deeper is a validation error, not a crash")
  func conditionNesting() async throws {
    let world = assetsWorld()
    func condition(_ depth: Int) -> String {
      String(repeating: "(", count: depth) + "attribute_not_exists(assetId)"
        + String(repeating: ")", count: depth)
    }
    let cases = [
      (condition(32), true), (condition(33), false), (condition(100_000), false),
      (String(repeating: "NOT ", count: 32) + "attribute_exists(assetId)", true),
      (String(repeating: "NOT ", count: 33) + "attribute_exists(assetId)", false),
      (String(repeating: "NOT ", count: 100_000) + "attribute_exists(assetId)", false),
    ]
    for (index, (text, withinLimit)) in cases.enumerated() {
      let result = try await call(
        "arn:aws:states:::dynamodb:putItem",
        [
          "TableName": "Assets", "Item": ["assetId": .object(["S": .string("a\(index)")])],
          "ConditionExpression": .string(text),
        ], world: world)
      let refused = result.cause?.contains("nested more than 32 levels deep") == true
      #expect(refused == !withinLimit, "\(text.prefix(40)): \(result.cause ?? "")")
      if !withinLimit { #expect(result.error == "DynamoDB.AmazonDynamoDBException") }
    }
    // Within the limit the condition is evaluated: 32 parentheses around a test that holds.
    #expect(world.dynamoDB.item(inTable: "Assets", key: ["assetId": ["S": "a0"]]) != nil)
  }

  @Test("A condition of 10,000 ORs is evaluated left to right without deep recursion")
  func longChain() async throws {
    let world = assetsWorld()
    let alternatives =
      Array(repeating: "attribute_exists(other)", count: 9_999)
      + ["attribute_not_exists(assetId)"]
    let result = try await call(
      "arn:aws:states:::dynamodb:putItem",
      [
        "TableName": "Assets", "Item": ["assetId": ["S": "a1"]],
        "ConditionExpression": .string(alternatives.joined(separator: " OR ")),
      ], world: world)
    #expect(result.status == .succeeded)
  }

  @Test("A document path may have 32 levels; a longer one is refused")
  func pathLength() async throws {
    let world = assetsWorld()
    let fine = try await update(
      "SET " + Array(repeating: "a", count: 32).joined(separator: ".") + " = :v", world)
    #expect(fine.cause?.contains("more than 32 levels") != true)
    let long = try await update(
      "SET " + Array(repeating: "a", count: 33).joined(separator: ".") + " = :v", world)
    #expect(long.error == "DynamoDB.AmazonDynamoDBException")
    #expect(long.cause?.contains("The document path has more than 32 levels") == true)
    let huge = try await update(
      "SET " + Array(repeating: "a", count: 50_000).joined(separator: ".") + " = :v", world)
    #expect(huge.error == "DynamoDB.AmazonDynamoDBException")
  }

  @Test("Nested list_append and if_not_exists count toward the same limit")
  func functionNesting() async throws {
    let world = assetsWorld()
    func nested(_ depth: Int) -> String {
      "SET a = " + String(repeating: "if_not_exists(b, ", count: depth) + ":v"
        + String(repeating: ")", count: depth)
    }
    let fine = try await update(nested(32), world)
    #expect(fine.status == .succeeded, "\(fine.cause ?? "")")
    let deep = try await update(nested(10_000), world)
    #expect(deep.error == "DynamoDB.AmazonDynamoDBException")
    #expect(deep.cause?.contains("nested more than 32 levels deep") == true)
  }
}
