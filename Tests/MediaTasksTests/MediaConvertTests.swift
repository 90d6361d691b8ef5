import MediaTasks
import StepFunctions
import Testing

@Suite("Simulated MediaConvert")
struct MediaConvertTests {
  let role = "arn:aws:iam::123456789012:role/MediaConvertRole"

  /// A world with a 200-second 1080p source at s3://in/movie.mp4.
  func world() throws -> MediaWorld {
    let world = MediaWorld()
    try world.s3.putVideo(
      location("s3://in/movie.mp4"),
      media: MediaMetadata(durationSeconds: 200, width: 1920, height: 1080, bitrate: 8_000_000))
    return world
  }

  func settings(input: String = "s3://in/movie.mp4", groups: [JSON]? = nil) -> JSON {
    let defaultGroups: [JSON] = [
      [
        "OutputGroupSettings": [
          "Type": "HLS_GROUP_SETTINGS",
          "HlsGroupSettings": ["Destination": "s3://out/hls/", "SegmentLength": 6],
        ],
        "Outputs": [
          [
            "NameModifier": "_720p", "ContainerSettings": ["Container": "M3U8"],
            "VideoDescription": [
              "Width": 1280, "Height": 720,
              "CodecSettings": ["Codec": "H_264", "H264Settings": ["Bitrate": 3_000_000]],
            ],
          ],
          ["NameModifier": "_480p", "VideoDescription": ["Height": 480]],
        ],
      ],
      [
        "OutputGroupSettings": [
          "Type": "DASH_ISO_GROUP_SETTINGS",
          "DashIsoGroupSettings": ["Destination": "s3://out/dash/"],
        ],
        "Outputs": [
          [
            "NameModifier": "_720p", "ContainerSettings": ["Container": "MPD"],
            "VideoDescription": ["Height": 720],
          ]
        ],
      ],
      [
        "OutputGroupSettings": [
          "Type": "FILE_GROUP_SETTINGS", "FileGroupSettings": ["Destination": "s3://out/mp4/"],
        ],
        "Outputs": [["Preset": "System-Avc_16x9_1080p_29_97fps_8500kbps"]],
      ],
      [
        "OutputGroupSettings": [
          "Type": "FILE_GROUP_SETTINGS",
          "FileGroupSettings": ["Destination": "s3://out/thumbs/poster"],
        ],
        "Outputs": [
          [
            "ContainerSettings": ["Container": "RAW"],
            "VideoDescription": [
              "Width": 640, "Height": 360,
              "CodecSettings": [
                "Codec": "FRAME_CAPTURE",
                "FrameCaptureSettings": [
                  "FramerateNumerator": 1, "FramerateDenominator": 60, "MaxCaptures": 5,
                ],
              ],
            ],
          ]
        ],
      ],
    ]
    return [
      "Inputs": [["FileInput": .string(input)]], "OutputGroups": .array(groups ?? defaultGroups),
    ]
  }

  @Test("createJob (request-response) returns the job SUBMITTED and spends no time")
  func requestResponse() async throws {
    let world = try world()
    let result = try await call(
      "arn:aws:states:::mediaconvert:createJob", ["Role": .string(role), "Settings": settings()],
      world: world)
    #expect(result.status == .succeeded)
    #expect(result.output?["Job"]?["Status"] == "SUBMITTED")
    #expect(result.output?["Job"]?["OutputGroupDetails"] == nil)
    #expect(elapsedSeconds(result) == 0)
    #expect(world.mediaConvert.jobs.count == 1)
  }

  @Test(
    "createJob.sync takes queue time plus half the input's duration and returns the job COMPLETE")
  func syncCompletes() async throws {
    let world = try world()
    let result = try await call(
      "arn:aws:states:::mediaconvert:createJob.sync",
      ["Role": .string(role), "Settings": settings()], world: world)
    #expect(result.status == .succeeded)
    let job = try #require(result.output?["Job"])
    #expect(job["Status"] == "COMPLETE")
    #expect(elapsedSeconds(result) == 105)
    #expect(
      job["Timing"]?["FinishTime"]
        == .number(JSONNumber(Instant.defaultVirtualStart.millisecondsSinceEpoch + 105_000)))
    #expect(
      job["Arn"]?.stringValue?.hasPrefix(
        "arn:aws:mediaconvert:us-east-1:123456789012:jobs/1735689600000-") == true)
    let details = try #require(job["OutputGroupDetails"]?.arrayValue)
    #expect(details.count == 4)
    #expect(details[0]["OutputDetails"]?[1]?["VideoDetails"]?["WidthInPx"] == 854)
    #expect(details[0]["OutputDetails"]?[0]?["DurationInMs"] == 200_000)
  }

  @Test("The job writes HLS, DASH, MP4 and thumbnail files to S3 with their media metadata")
  func outputsWritten() async throws {
    let world = try world()
    _ = try await call(
      "arn:aws:states:::mediaconvert:createJob.sync",
      ["Role": .string(role), "Settings": settings()], world: world)
    let keys = world.s3.objects(inBucket: "out").map(\.key)
    #expect(
      keys == [
        "dash/movie.mpd", "dash/movie_720p.mp4", "hls/movie.m3u8", "hls/movie_480p.m3u8",
        "hls/movie_720p.m3u8",
        "mp4/movie.mp4", "thumbs/poster.0000000.jpg", "thumbs/poster.0000001.jpg",
        "thumbs/poster.0000002.jpg",
        "thumbs/poster.0000003.jpg",
      ])
    let rendition = try #require(world.s3.object(uri: "s3://out/hls/movie_720p.m3u8")?.media)
    #expect(
      rendition == MediaMetadata(durationSeconds: 200, width: 1280, height: 720, bitrate: 3_000_000)
    )
    #expect(world.s3.object(uri: "s3://out/hls/movie_480p.m3u8")?.media?.width == 854)
    #expect(world.s3.object(uri: "s3://out/mp4/movie.mp4")?.media?.bitrate == 8_500_000)
    #expect(
      world.s3.object(uri: "s3://out/hls/movie.m3u8")?.body.contains("RESOLUTION=1280x720") == true)
    #expect(world.mediaConvert.jobs.first?.videoOutputURIs.count == 4)
  }

  @Test("A larger speed factor makes the job slower")
  func speedFactor() async throws {
    let world = try world()
    world.mediaConvert.behavior = MediaConvertBehavior(secondsPerMediaSecond: 3, queueSeconds: 0)
    let result = try await call(
      "arn:aws:states:::mediaconvert:createJob.sync",
      ["Role": .string(role), "Settings": settings()], world: world)
    #expect(elapsedSeconds(result) == 600)
  }

  static let badRequests: [(String, String)] = [
    ("role", "/role"), ("settings", "/settings"), ("inputs", "/settings/inputs"),
    ("fileInput", "is not an s3://"),
    ("groups", "/settings/outputGroups"), ("destination", "is not an s3:// URI"),
    ("container", "cannot be used"),
    ("outputs", "/outputs: Should have"), ("description", "needs a VideoDescription"),
    ("type", "is not one of"),
  ]

  @Test(
    "Job settings a user gets wrong are refused with MediaConvert.BadRequestException",
    arguments: badRequests)
  func badRequest(mistake: String, message: String) async throws {
    let world = try world()
    var parameters: JSONObject = ["Role": .string(role), "Settings": settings()]
    let group: (JSON, JSON) -> JSON = { settings, outputs in
      ["OutputGroupSettings": settings, "Outputs": outputs]
    }
    let hls: JSON = [
      "Type": "HLS_GROUP_SETTINGS", "HlsGroupSettings": ["Destination": "s3://out/"],
    ]
    switch mistake {
    case "role": parameters["Role"] = "MediaConvertRole"
    case "settings": parameters["Settings"] = nil
    case "inputs": parameters["Settings"] = ["Inputs": [], "OutputGroups": []]
    case "fileInput": parameters["Settings"] = settings(input: "https://example.com/movie.mp4")
    case "groups": parameters["Settings"] = settings(groups: [])
    case "destination":
      parameters["Settings"] = settings(groups: [
        group(
          ["Type": "HLS_GROUP_SETTINGS", "HlsGroupSettings": ["Destination": "/tmp/out"]],
          [["Preset": "p"]])
      ])
    case "container":
      parameters["Settings"] = settings(groups: [
        group(
          hls, [["ContainerSettings": ["Container": "MP4"], "VideoDescription": ["Height": 720]]])
      ])
    case "outputs": parameters["Settings"] = settings(groups: [group(hls, [])])
    case "description":
      parameters["Settings"] = settings(groups: [group(hls, [["NameModifier": "_x"]])])
    default:
      parameters["Settings"] = settings(groups: [
        group(["Type": "RTMP_GROUP_SETTINGS"], [["Preset": "p"]])
      ])
    }
    let result = try await call(
      "arn:aws:states:::mediaconvert:createJob", .object(parameters), world: world)
    #expect(result.status == .failed)
    #expect(result.error == "MediaConvert.BadRequestException")
    #expect(result.cause?.contains(message) == true)
    #expect(world.mediaConvert.jobs.isEmpty)
  }

  @Test("A job whose input is missing ends in ERROR 1030, which .sync reports as States.TaskFailed")
  func missingInput() async throws {
    let world = try world()
    let result = try await call(
      "arn:aws:states:::mediaconvert:createJob.sync",
      ["Role": .string(role), "Settings": settings(input: "s3://in/absent.mp4")], world: world)
    #expect(result.error == "States.TaskFailed")
    let cause = try JSON(parsing: result.cause ?? "")
    #expect(cause["Status"] == "ERROR")
    #expect(cause["ErrorCode"] == 1030)
    #expect(world.s3.objects(inBucket: "out").isEmpty)
  }

  @Test("Injected job failures end in ERROR with the given code, then jobs complete again")
  func injectedJobFailure() async throws {
    let world = try world()
    world.mediaConvert.behavior.failure = .failJobs(
      errorCode: 1517, message: "Insufficient capacity", count: 1)
    let parameters: JSON = ["Role": .string(role), "Settings": settings()]
    let failed = try await call(
      "arn:aws:states:::mediaconvert:createJob.sync", parameters, world: world)
    #expect(failed.error == "States.TaskFailed")
    #expect(try JSON(parsing: failed.cause ?? "")["ErrorMessage"] == "Insufficient capacity")
    let next = try await call(
      "arn:aws:states:::mediaconvert:createJob.sync", parameters, world: world)
    #expect(next.status == .succeeded)
    #expect(world.mediaConvert.jobs.map(\.finalStatus) == ["ERROR", "COMPLETE"])
  }

  @Test("Rejected requests fail with the injected error and a retrier gets through once they stop")
  func rejectedThenRetried() async throws {
    let world = try world()
    world.mediaConvert.behavior.failure = .rejectRequests(
      error: "MediaConvert.TooManyRequestsException", message: "Too many requests", count: 2)
    let retry: JSON = [
      [
        "ErrorEquals": ["MediaConvert.TooManyRequestsException"], "IntervalSeconds": 10,
        "MaxAttempts": 3, "BackoffRate": 2,
      ]
    ]
    let result = try await call(
      "arn:aws:states:::mediaconvert:createJob", ["Role": .string(role), "Settings": settings()],
      world: world,
      extra: ["Retry": retry])
    #expect(result.status == .succeeded)
    #expect(count("TaskFailed", in: result) == 2)
    #expect(elapsedSeconds(result) == 30)
    #expect(world.mediaConvert.jobs.count == 1)
  }

  @Test("A Task TimeoutSeconds shorter than the job fails with States.Timeout at that time")
  func timeout() async throws {
    let world = try world()
    world.mediaConvert.behavior.secondsPerMediaSecond = 50
    let result = try await call(
      "arn:aws:states:::mediaconvert:createJob.sync",
      ["Role": .string(role), "Settings": settings()], world: world,
      extra: ["TimeoutSeconds": 7200])
    #expect(result.error == "States.Timeout")
    #expect(elapsedSeconds(result) == 7200)
  }

  @Test("getJob reports SUBMITTED, PROGRESSING then COMPLETE as virtual time passes")
  func getJob() async throws {
    let world = try world()
    let created = try await call(
      "arn:aws:states:::mediaconvert:createJob", ["Role": .string(role), "Settings": settings()],
      world: world)
    let id = try #require(created.output?["Job"]?["Id"])
    let definition: JSON = [
      "StartAt": "Early",
      "States": [
        "Early": [
          "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:mediaconvert:getJob",
          "Parameters": ["Id": id],
          "ResultSelector": ["s.$": "$.Job.Status"], "ResultPath": "$.early", "Next": "Wait",
        ],
        "Wait": ["Type": "Wait", "Seconds": 50, "Next": "Middle"],
        "Middle": [
          "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:mediaconvert:getJob",
          "Parameters": ["Id": id],
          "ResultSelector": ["s.$": "$.Job.Status"], "ResultPath": "$.middle", "Next": "Later",
        ],
        "Later": ["Type": "Wait", "Seconds": 100, "Next": "Late"],
        "Late": [
          "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:mediaconvert:getJob",
          "Parameters": ["Id": id],
          "ResultSelector": ["s.$": "$.Job.Status"], "ResultPath": "$.late", "End": true,
        ],
      ],
    ]
    let machine = try StateMachine(json: definition.serialized())
    let result = await machine.run(input: [:], options: options(world))
    #expect(
      result.output == [
        "early": ["s": "SUBMITTED"], "middle": ["s": "PROGRESSING"], "late": ["s": "COMPLETE"],
      ])
    let missing = try await call(
      "arn:aws:states:::aws-sdk:mediaconvert:getJob", ["Id": "nope"], world: world)
    #expect(missing.error == "MediaConvert.NotFoundException")
  }
}
