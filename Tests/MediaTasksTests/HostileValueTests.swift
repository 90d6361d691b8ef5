import MediaTasks
import StepFunctions
import Testing

/// Values at the edges of every numeric type, for the parameters the services read.
let hostileIntegers: [JSON] = [
  9_223_372_036_854_775_807, -9_223_372_036_854_775_808, 1e308, -1e308, 1e-308, 0, -1,
  .number(JSONNumber(integerDigits: "99999999999999999999999999") ?? JSONNumber(0)), 1.5, "abc",
  "1e308",
  true, [1], ["a": 1],
]

@Suite("Hostile values in MediaConvert job settings are bad requests, never a crash")
struct HostileMediaConvertTests {
  let role = "arn:aws:iam::123456789012:role/MediaConvertRole"

  func world(durationSeconds: Double = 60) throws -> MediaWorld {
    let world = MediaWorld()
    try world.s3.putVideo(
      location("s3://in/movie.mp4"),
      media: MediaMetadata(
        durationSeconds: durationSeconds, width: 1920, height: 1080, bitrate: 8_000_000))
    return world
  }

  func createJob(
    _ outputs: [JSON], type: String = "FILE_GROUP_SETTINGS", world: MediaWorld,
    sync: Bool = false
  ) async throws -> ExecutionResult {
    let key =
      type == "FILE_GROUP_SETTINGS"
      ? "FileGroupSettings"
      : type == "HLS_GROUP_SETTINGS" ? "HlsGroupSettings" : "DashIsoGroupSettings"
    let settings: JSON = [
      "Inputs": [["FileInput": "s3://in/movie.mp4"]],
      "OutputGroups": [
        [
          "OutputGroupSettings": [
            "Type": .string(type), .init(stringLiteral: key): ["Destination": "s3://out/"],
          ],
          "Outputs": .array(outputs),
        ]
      ],
    ]
    return try await call(
      "arn:aws:states:::mediaconvert:createJob\(sync ? ".sync" : "")",
      ["Role": .string(role), "Settings": settings], world: world)
  }

  @Test(
    "A preset naming a height past 8192 (even past Int.max) is a bad request naming the preset",
    arguments: [
      "System-Avc_16x9_99999999999999p_29_97fps_8500kbps",
      "System-Avc_16x9_9223372036854775807p_29_97fps_8500kbps",
      "System-Avc_16x9_99999999999999999999999999p_29_97fps_8500kbps",
      "System-Avc_16x9_0p_29_97fps_8500kbps",
      // 8192p is a valid height, but its 16:9 width (14564) is not.
      "System-Avc_16x9_8192p_29_97fps_8500kbps",
    ])
  func presetHeight(preset: String) async throws {
    let world = try world()
    let result = try await createJob([["Preset": .string(preset)]], world: world)
    #expect(result.error == "MediaConvert.BadRequestException")
    #expect(result.cause?.contains("/settings/outputGroups/0/outputs/0/preset:") == true)
    #expect(world.mediaConvert.jobs.isEmpty)
  }

  @Test(
    "A preset naming a bitrate past MediaConvert's range is a bad request naming the preset",
    arguments: [
      "System-Avc_16x9_720p_29_97fps_999999999999999kbps",
      "System-Avc_16x9_720p_29_97fps_9223372036854775807kbps",
      "System-Avc_16x9_720p_29_97fps_1152001kbps", "System-Avc_16x9_720p_29_97fps_0kbps",
    ])
  func presetBitrate(preset: String) async throws {
    let world = try world()
    let result = try await createJob([["Preset": .string(preset)]], world: world)
    #expect(result.error == "MediaConvert.BadRequestException")
    #expect(result.cause?.contains("/preset: '\(preset)' names a bitrate") == true)
  }

  @Test("A preset within range still gives its resolution and bitrate")
  func presetInRange() async throws {
    let world = try world()
    let result = try await createJob(
      [["Preset": "System-Avc_16x9_720p_29_97fps_1152000kbps"]], world: world)
    #expect(result.status == .succeeded)
    let media = world.s3.object(uri: "s3://out/movie.mp4")?.media
    #expect(media?.height == 720)
    #expect(media?.width == 1280)
    #expect(media?.bitrate == 1_152_000_000)
  }

  @Test(
    "Width and Height that are not integers from 1 to 8192 are bad requests naming the field",
    arguments: ["Width", "Height"], hostileIntegers)
  func frameSide(field: String, value: JSON) async throws {
    let world = try world()
    let result = try await createJob(
      [["VideoDescription": [.init(stringLiteral: field): value]]], world: world)
    #expect(result.error == "MediaConvert.BadRequestException")
    let path =
      "/settings/outputGroups/0/outputs/0/videoDescription/\(field.lowercased()): Should be"
    #expect(result.cause?.contains(path) == true)
  }

  @Test(
    "A codec Bitrate or MaxBitrate out of range is a bad request naming the codec setting",
    arguments: ["Bitrate", "MaxBitrate"], hostileIntegers)
  func codecBitrate(field: String, value: JSON) async throws {
    let world = try world()
    let result = try await createJob(
      [
        [
          "VideoDescription": [
            "CodecSettings": [
              "Codec": "H_264", "H264Settings": [.init(stringLiteral: field): value],
            ]
          ]
        ]
      ], world: world)
    #expect(result.error == "MediaConvert.BadRequestException")
    let path =
      "/videoDescription/codecSettings/h264Settings/\(field.prefix(1).lowercased())\(field.dropFirst()): Should be"
    #expect(result.cause?.contains(path) == true)
  }

  @Test("Width and Height at their limits are accepted and give that rendition")
  func frameSideLimits() async throws {
    let world = try world()
    let result = try await createJob(
      [["VideoDescription": ["Width": 8192, "Height": 1]]], world: world)
    #expect(result.status == .succeeded)
    let media = world.s3.object(uri: "s3://out/movie.mp4")?.media
    #expect(media?.width == 8192)
    #expect(media?.height == 1)
  }

  @Test(
    "A job asking for more than 100,000 files (frame captures at 240 fps) is a bad request before anything is written"
  )
  func frameCaptureBudget() async throws {
    let world = try world(durationSeconds: 3600)
    let capture: JSON = [
      "ContainerSettings": ["Container": "RAW"],
      "VideoDescription": [
        "CodecSettings": [
          "Codec": "FRAME_CAPTURE",
          "FrameCaptureSettings": [
            "FramerateNumerator": 240, "FramerateDenominator": 1, "MaxCaptures": 10_000_000,
          ],
        ]
      ],
    ]
    let outputs = (0..<11).map { index -> JSON in
      var output = capture.objectValue ?? [:]
      output["NameModifier"] = .string("_\(index)")
      return .object(output)
    }
    let result = try await createJob(outputs, world: world)
    #expect(result.error == "MediaConvert.BadRequestException")
    #expect(result.cause?.contains("the job would write 110000 files") == true)
    #expect(world.s3.objects(inBucket: "out").isEmpty)
  }

  @Test("A source of absurd dimensions transcodes and captures frames without a trap")
  func absurdSource() async throws {
    let world = MediaWorld()
    try world.s3.putVideo(
      location("s3://in/movie.mp4"),
      media: MediaMetadata(durationSeconds: 2, width: Int.max / 2, height: 3, bitrate: Int.max))
    let capture: JSON = [
      "ContainerSettings": ["Container": "RAW"],
      "VideoDescription": [
        "CodecSettings": [
          "Codec": "FRAME_CAPTURE",
          "FrameCaptureSettings": ["FramerateNumerator": 1, "FramerateDenominator": 1],
        ]
      ],
    ]
    let result = try await createJob(
      [["VideoDescription": ["Height": 720]], capture], world: world, sync: true)
    #expect(result.status == .succeeded)
    let rendition = world.s3.object(uri: "s3://out/movie.mp4")?.media
    #expect(rendition?.height == 720)
    // 720 × (Int.max / 2) / 3 does not fit: the width is computed in floating point and clamped.
    #expect(rendition?.width == Int.max - 1)
    let captures = world.s3.objects(inBucket: "out").filter { $0.key.hasSuffix(".jpg") }
    #expect(captures.count == 3)
    #expect(captures.first?.size == Int64(Int.max / 10))
  }

  @Test(
    "An input whose duration is infinite or not a number completes without a trap",
    arguments: [Double.infinity, -Double.infinity, Double.nan, 1e308, -1])
  func hostileDuration(duration: Double) async throws {
    let world = try world(durationSeconds: duration)
    let capture: JSON = [
      "ContainerSettings": ["Container": "RAW"],
      "VideoDescription": [
        "CodecSettings": [
          "Codec": "FRAME_CAPTURE",
          "FrameCaptureSettings": ["FramerateNumerator": 1, "FramerateDenominator": 1],
        ]
      ],
    ]
    let result = try await createJob(
      [["VideoDescription": ["Height": 720]], capture], world: world, sync: true)
    #expect(result.status == .succeeded)
    let details = result.output?["Job"]?["OutputGroupDetails"]?[0]?["OutputDetails"]?[0]
    let milliseconds = details?["DurationInMs"]?.numberValue?.int64Value
    #expect(milliseconds == Instant.milliseconds(seconds: duration))
    let captures = world.s3.objects(inBucket: "out").filter { $0.key.hasSuffix(".jpg") }
    #expect((1...10).contains(captures.count))
  }
}

@Suite("Hostile container parameters make the container fail, never the process")
struct HostileContainerTests {
  func submit(
    _ work: ContainerWork, _ parameters: JSON, media: MediaMetadata,
    parts: [MediaMetadata] = []
  ) async throws -> (ExecutionResult, MediaWorld) {
    let world = MediaWorld()
    try world.s3.putVideo(location("s3://in/a.mp4"), media: media)
    for (index, part) in parts.enumerated() {
      try world.s3.putVideo(location("s3://parts/p/\(index).mp4"), media: part)
    }
    world.containers.setBehavior(ContainerBehavior(work: work), for: "job")
    var environment: JSONObject = ["INPUT_URI": "s3://in/a.mp4", "OUTPUT_URI": "s3://out/"]
    for (key, value) in parameters.objectValue ?? [:] { environment[key] = value }
    let result = try await call(
      "arn:aws:states:::batch:submitJob.sync",
      [
        "JobName": "j", "JobQueue": "q", "JobDefinition": "job",
        "Parameters": .object(environment),
      ], world: world)
    return (result, world)
  }

  static let clip = MediaMetadata(durationSeconds: 60, width: 960, height: 540, bitrate: 2_000_000)

  @Test(
    "SCALE_FACTOR huge, negative, fractional or not a number fails the container with exit 1",
    arguments: [
      "9223372036854775807", "-9223372036854775808", "99999999999999999999", "-1", "0", "9",
      "2.5", "1e308", "nan", "inf", "two", "",
    ])
  func scaleFactor(value: String) async throws {
    let (result, world) = try await submit(
      .upscale, ["SCALE_FACTOR": .string(value)], media: Self.clip)
    #expect(result.error == "States.TaskFailed")
    #expect(world.containers.runs.first?.exitCode == 1)
    #expect(world.containers.runs.first?.reason?.contains("SCALE_FACTOR must be") == true)
  }

  @Test("SCALE_FACTOR written as a JSON number or 2.0 is the whole number it holds")
  func scaleFactorForms() async throws {
    for value: JSON in [3, "3.0", " 3 "] {
      let (result, world) = try await submit(.upscale, ["SCALE_FACTOR": value], media: Self.clip)
      #expect(result.status == .succeeded)
      #expect(world.s3.object(uri: "s3://out/a.mp4")?.media?.width == 2880)
    }
  }

  @Test("Upscaling a frame whose size would overflow fails the container with exit 1")
  func upscaleOverflow() async throws {
    let huge = MediaMetadata(
      durationSeconds: 10, width: Int.max / 4, height: 1080, bitrate: Int.max / 2)
    let (result, world) = try await submit(.upscale, ["SCALE_FACTOR": "8"], media: huge)
    #expect(result.error == "States.TaskFailed")
    #expect(world.containers.runs.first?.reason?.contains("the result is too large") == true)
  }

  @Test(
    "CHUNK_SECONDS that is not a number of seconds of at least 1 fails the container",
    arguments: ["1e-308", "-1", "0", "nan", "inf", "-inf", "ten", "", "1e308x"])
  func chunkSeconds(value: String) async throws {
    let (result, world) = try await submit(
      .split, ["CHUNK_SECONDS": .string(value)], media: Self.clip)
    #expect(result.error == "States.TaskFailed")
    #expect(world.containers.runs.first?.reason?.contains("CHUNK_SECONDS") == true)
  }

  @Test(
    "Splitting a video of infinite, NaN or negative duration fails or writes one chunk, without a trap",
    arguments: [Double.infinity, Double.nan, -1e300, 1e308])
  func splitHostileDuration(duration: Double) async throws {
    let media = MediaMetadata(durationSeconds: duration, width: 960, height: 540, bitrate: 1000)
    let (result, world) = try await submit(.split, [:], media: media)
    #expect(result.status != .running)
    let chunks = world.s3.objects(inBucket: "out")
    #expect(chunks.count <= 1)
    #expect((result.status == .succeeded) == (chunks.count == 1))
  }

  @Test("Concatenating parts at Int.max bits per second gives Int.max, not a trap")
  func concatenateHugeBitrates() async throws {
    let part = MediaMetadata(durationSeconds: 10, width: 960, height: 540, bitrate: Int.max)
    let world = MediaWorld()
    for index in 0..<3 { try world.s3.putVideo(location("s3://parts/p/\(index).mp4"), media: part) }
    world.containers.setBehavior(ContainerBehavior(work: .concatenate), for: "join")
    let result = try await call(
      "arn:aws:states:::batch:submitJob.sync",
      [
        "JobName": "j", "JobQueue": "q", "JobDefinition": "join",
        "Parameters": ["INPUT_URI": "s3://parts/p/", "OUTPUT_URI": "s3://out/all.mp4"],
      ], world: world)
    #expect(result.status == .succeeded)
    #expect(world.s3.object(uri: "s3://out/all.mp4")?.media?.bitrate == Int.max)
  }
}

@Suite("Hostile DynamoDB expressions and numbers are ValidationExceptions, never a crash")
struct HostileDynamoDBTests {
  func world() -> MediaWorld {
    let world = MediaWorld()
    world.dynamoDB.createTable("T", schema: DynamoDBKeySchema(partitionKey: "id"))
    return world
  }

  func request(
    _ action: String, _ parameters: JSONObject, world: MediaWorld
  ) async throws -> ExecutionResult {
    var parameters = parameters
    parameters["TableName"] = "T"
    return try await call(
      "arn:aws:states:::dynamodb:\(action)", .object(parameters), world: world)
  }

  func expectValidation(_ result: ExecutionResult, _ message: String) {
    #expect(result.error == "DynamoDB.AmazonDynamoDBException")
    #expect(result.cause?.contains("Error Code: ValidationException") == true)
    #expect(result.cause?.contains(message) == true, "\(result.cause ?? "no cause")")
  }

  @Test("A condition nested in 10,000 parentheses is longer than DynamoDB's 4 KB")
  func tenThousandParentheses() async throws {
    let world = world()
    let expression =
      String(repeating: "(", count: 10_000) + "a = :v" + String(repeating: ")", count: 10_000)
    let result = try await request(
      "putItem",
      [
        "Item": ["id": ["S": "x"]], "ConditionExpression": .string(expression),
        "ExpressionAttributeValues": [":v": ["S": "x"]],
      ], world: world)
    expectValidation(
      result,
      "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 20006"
    )
  }

  @Test(
    "Parentheses, NOT and functions nested past 100 levels (within 4 KB) are refused",
    arguments: [
      (String(repeating: "(", count: 150) + "a = :v" + String(repeating: ")", count: 150)),
      (String(repeating: "NOT ", count: 150) + "a = :v"),
    ])
  func deepCondition(expression: String) async throws {
    let world = world()
    let result = try await request(
      "putItem",
      [
        "Item": ["id": ["S": "x"]], "ConditionExpression": .string(expression),
        "ExpressionAttributeValues": [":v": ["S": "x"]],
      ], world: world)
    expectValidation(
      result,
      "Invalid ConditionExpression: The expression is nested too deeply; nesting levels: 101")
  }

  @Test("A condition nested 100 levels deep is still evaluated")
  func nestedWithinLimit() async throws {
    let world = world()
    let expression =
      String(repeating: "(", count: 99) + "attribute_not_exists(id)"
      + String(repeating: ")", count: 99)
    let result = try await request(
      "putItem",
      ["Item": ["id": ["S": "x"]], "ConditionExpression": .string(expression)], world: world)
    #expect(result.status == .succeeded)
  }

  @Test("Functions nested in an update past 100 levels are refused")
  func deepUpdate() async throws {
    let world = world()
    var operand = ":v"
    for _ in 0..<120 { operand = "if_not_exists(a, \(operand))" }
    let result = try await request(
      "updateItem",
      [
        "Key": ["id": ["S": "x"]], "UpdateExpression": .string("SET a = \(operand)"),
        "ExpressionAttributeValues": [":v": ["N": "1"]],
      ], world: world)
    expectValidation(result, "The expression is nested too deeply")
  }

  @Test("IN with more than 100 operands is refused")
  func tooManyInOperands() async throws {
    let world = world()
    let options = (0...100).map { _ in ":v" }.joined(separator: ", ")
    let result = try await request(
      "putItem",
      [
        "Item": ["id": ["S": "x"]], "ConditionExpression": .string("a IN (\(options))"),
        "ExpressionAttributeValues": [":v": ["S": "x"]],
      ], world: world)
    expectValidation(
      result,
      "The IN operator is provided with too many operands; number of operands: 101")
  }

  @Test("A list index past Int.max and a document path deeper than 32 are refused")
  func pathLimits() async throws {
    let world = world()
    let index = try await request(
      "updateItem",
      [
        "Key": ["id": ["S": "x"]],
        "UpdateExpression": "SET l[99999999999999999999999999] = :v",
        "ExpressionAttributeValues": [":v": ["N": "1"]],
      ], world: world)
    expectValidation(
      index,
      "Invalid UpdateExpression: The list index is out of range; index: 99999999999999999999999999")
    let deep = (0..<33).map { "m\($0)" }.joined(separator: ".")
    let path = try await request(
      "updateItem",
      [
        "Key": ["id": ["S": "x"]], "UpdateExpression": .string("SET \(deep) = :v"),
        "ExpressionAttributeValues": [":v": ["N": "1"]],
      ], world: world)
    expectValidation(path, "The document path has too many nesting levels; nesting levels: 33")
  }

  @Test(
    "Numbers DynamoDB cannot store are refused in items and expression values",
    arguments: [
      ("1e400", "Number overflow"), ("1E126", "Number overflow"),
      ("-9.99e999999999999999999", "Number overflow"), ("1e-131", "Number underflow"),
      ("0.00000000000000000000000000000000000000000000001e-100", "Number underflow"),
      (String(repeating: "9", count: 39), "more than 38 significant digits"),
      ("nan", "cannot be converted to a numeric value"),
      ("inf", "cannot be converted to a numeric value"),
      ("0x10", "cannot be converted to a numeric value"), ("1e", "cannot be converted"),
      ("", "cannot be converted"), ("1.2.3", "cannot be converted"), ("--1", "cannot be converted"),
    ])
  func hostileNumbers(text: String, message: String) async throws {
    let world = world()
    let put = try await request(
      "putItem", ["Item": ["id": ["S": "x"], "n": ["N": .string(text)]]], world: world)
    expectValidation(put, message)
    let set = try await request(
      "updateItem",
      [
        "Key": ["id": ["S": "x"]], "UpdateExpression": "SET n = :v",
        "ExpressionAttributeValues": [":v": ["NS": ["1", .string(text)]]],
      ], world: world)
    expectValidation(set, "ExpressionAttributeValues contains invalid value: ")
    expectValidation(set, message)
    #expect(world.dynamoDB.items(inTable: "T").isEmpty)
  }

  @Test(
    "Numbers at DynamoDB's limits are stored as written",
    arguments: [
      "9.9999999999999999999999999999999999999E+125", "-1E-130", "0", "-0.000", "1e-130",
      "12345678901234567890123456789012345678",
    ])
  func numbersAtLimits(text: String) async throws {
    let world = world()
    let put = try await request(
      "putItem", ["Item": ["id": ["S": "x"], "n": ["N": .string(text)]]], world: world)
    #expect(put.status == .succeeded)
    #expect(world.dynamoDB.item(inTable: "T", key: ["id": ["S": "x"]])?["n"]?["N"] == .string(text))
  }

  @Test("ADD and SET arithmetic past DynamoDB's range is a Number overflow")
  func arithmeticOverflow() async throws {
    let world = world()
    _ = try await request(
      "putItem", ["Item": ["id": ["S": "x"], "n": ["N": "9e125"]]], world: world)
    for expression in ["ADD n :v", "SET n = n + :v", "SET n = :v - n"] {
      let value = expression.hasSuffix("- n") ? "-9e125" : "9e125"
      let result = try await request(
        "updateItem",
        [
          "Key": ["id": ["S": "x"]], "UpdateExpression": .string(expression),
          "ExpressionAttributeValues": [":v": ["N": .string(value)]],
        ], world: world)
      expectValidation(
        result, "Number overflow. Attempting to store a number with magnitude larger")
    }
    #expect(world.dynamoDB.item(inTable: "T", key: ["id": ["S": "x"]])?["n"] == ["N": "9e125"])
  }

  @Test("Maps nested more than 32 levels are refused")
  func deepItem() async throws {
    let world = world()
    var value: JSON = ["S": "leaf"]
    for _ in 0..<40 { value = ["M": ["m": value]] }
    let result = try await request(
      "putItem", ["Item": ["id": ["S": "x"], "deep": value]], world: world)
    expectValidation(result, "Nesting Levels have exceeded supported limits")
  }

  @Test("An update nesting a deep value under a deep path is refused past 32 levels")
  func deepUpdateResult() async throws {
    let world = world()
    var value: JSON = ["S": "leaf"]
    for _ in 0..<20 { value = ["M": ["m": value]] }
    _ = try await request("putItem", ["Item": ["id": ["S": "x"], "a": value]], world: world)
    let path = "a" + String(repeating: ".m", count: 19)
    let result = try await request(
      "updateItem",
      [
        "Key": ["id": ["S": "x"]], "UpdateExpression": .string("SET \(path) = :v"),
        "ExpressionAttributeValues": [":v": value],
      ], world: world)
    expectValidation(result, "Nesting Levels have exceeded supported limits")
    #expect(world.dynamoDB.item(inTable: "T", key: ["id": ["S": "x"]])?["a"] == value)
  }

  @Test("list_append doubling a list stops at DynamoDB's 400 KB item size")
  func itemSize() async throws {
    let world = world()
    let chunk = JSON.string(String(repeating: "x", count: 1000))
    _ = try await request(
      "putItem", ["Item": ["id": ["S": "x"], "l": ["L": [["S": chunk]]]]], world: world)
    var failure: ExecutionResult?
    for _ in 0..<20 {
      let result = try await request(
        "updateItem",
        ["Key": ["id": ["S": "x"]], "UpdateExpression": "SET l = list_append(l, l)"],
        world: world)
      if result.status != .succeeded {
        failure = result
        break
      }
    }
    let result = try #require(failure)
    expectValidation(result, "Item size has exceeded the maximum allowed size")
    let stored = world.dynamoDB.item(inTable: "T", key: ["id": ["S": "x"]])
    #expect(stored?["l"]?["L"]?.arrayValue?.count == 256)
  }

  @Test("ADD and DELETE on sets of thousands of members stay fast")
  func largeSets() async throws {
    let world = world()
    let members = (0..<5000).map { JSON.string("m\($0)") }
    let add = try await request(
      "updateItem",
      [
        "Key": ["id": ["S": "x"]], "UpdateExpression": "ADD s :a",
        "ExpressionAttributeValues": [":a": ["SS": .array(members + members)]],
      ], world: world)
    #expect(add.status == .succeeded)
    let delete = try await request(
      "updateItem",
      [
        "Key": ["id": ["S": "x"]], "UpdateExpression": "DELETE s :d",
        "ExpressionAttributeValues": [":d": ["SS": .array(Array(members.prefix(4999)))]],
      ], world: world)
    #expect(delete.status == .succeeded)
    #expect(world.dynamoDB.item(inTable: "T", key: ["id": ["S": "x"]])?["s"] == ["SS": ["m4999"]])
  }
}

@Suite("Hostile values reaching the built-in Lambda functions and queues")
struct HostileFunctionTests {
  @Test(
    "A quality-check threshold that is not finite is a QualityCheckError",
    arguments: ["nan", "inf", "-inf", "1e999"])
  func threshold(value: String) async throws {
    let world = MediaWorld.sample()
    let result = try await call(
      "arn:aws:states:::lambda:invoke",
      [
        "FunctionName": .string(MediaWorld.FunctionName.qualityCheck),
        "Payload": [
          "sourceUri": "s3://video-workflow-source-123456789012/uploads/sample-1080p.mp4",
          "outputs": ["s3://video-workflow-source-123456789012/uploads/sample-1080p.mp4"],
          "threshold": .string(value),
        ],
      ], world: world)
    #expect(result.error == "QualityCheckError")
    #expect(result.cause?.contains("The threshold must be a finite number") == true)
  }

  @Test("Asking a queue for message number -1 gives its first message")
  func negativeMessageIndex() async throws {
    let world = MediaWorld()
    let url = "https://sqs.us-east-1.amazonaws.com/123456789012/q"
    _ = try await call(
      "arn:aws:states:::sqs:sendMessage", ["QueueUrl": .string(url), "MessageBody": "first"],
      world: world)
    let message = await world.sqs.message(at: -1, inQueue: url)
    #expect(message.body == "first")
  }
}
