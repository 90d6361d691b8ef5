import StepFunctions

extension MediaWorld {
  /// The account every sample resource lives in.
  public static let sampleAccount = "123456789012"

  /// A world ready for the five workflows in `StateMachines/`, so `sfn run` works on them
  /// with no set-up. Everything is in `us-east-1`, account `123456789012`; the sample videos
  /// were uploaded an hour before the default virtual start (2025-01-01T00:00:00Z).
  ///
  /// **video-workflow-orchestration** — bucket `video-workflow-source-123456789012`
  /// (versioned) with `uploads/sample-1080p.mp4` (300 s, 1920×1080, 8 Mb/s: passes the
  /// quality check), `uploads/interview-360p.mp4` (180 s, 640×360: scores about 0.71 and goes
  /// to human review), `uploads/webcam-240p.mp4` (120 s, 320×240: rejected and archived),
  /// `uploads/corrupt-upload.mp4` (MediaConvert job ends in ERROR) and
  /// `uploads/meeting-notes.txt` (not a video); buckets `video-workflow-output-…` and
  /// `video-workflow-archive-…`; table `video-workflow-jobs` (key `JobId`); topic
  /// `video-workflow-notifications`; queue `video-workflow-review`, whose reviewer approves
  /// every video two hours after it is asked; functions `video-workflow-validate-input` and
  /// `video-workflow-quality-check`.
  ///
  /// **media-ingest-pipeline** — bucket `media-uploads-123456789012-prod` with
  /// `incoming/lecture-720p.mp4` (900 s), `incoming/corrupt-lecture.mp4` (corrupt) and
  /// `incoming/already-ingested.mp4` (already recorded in table `MediaAssets-prod`, key
  /// `assetId`); bucket `media-outputs-123456789012-prod`; queue `media-processing-dlq-prod`;
  /// function `job-status-processor-prod`.
  ///
  /// **video-super-resolution** — bucket `vsr-source-videos-123456789012` with
  /// `input/clip-540p.mp4` (120 s, 960×540), `input/damaged-clip-540p.mp4` (one damaged frame
  /// at 15.2 s) and `input/badly-damaged-540p.mp4` (damaged frames in three of its twelve
  /// 10-second chunks); buckets `vsr-processed-frames-…` and `vsr-final-videos-…`; Batch job
  /// definitions `vsr-extract-frames` (split) and `vsr-upscale-model` (upscale, 6 s per media
  /// second); ECS task definition `vsr-recompose-video` (concatenate); topic
  /// `vsr-notifications`.
  ///
  /// **ecs-video-processing** — bucket `streamtech-video-input-123456789012` with
  /// `raw/episode-01.mp4` (1,440 s, 1920×1080); bucket `streamtech-video-output-…`; ECS task
  /// definitions `video-probe-task-prod` (probe) and `video-processing-task-prod` (transcode,
  /// 30 s + 0.5 s per media second); topics `video-processing-completion-prod` and
  /// `video-processing-error-prod`.
  ///
  /// **stream-ingest-processing** — bucket `streamflix-raw-video-123456789012` with
  /// `ingest/vid-1001.mp4`, `ingest/vid-1002.mp4`, `ingest/vid-1003.mp4`; bucket
  /// `streamflix-processed-video-…`; ECS task definition `stream-video-processor-dev`; table
  /// `video-metadata-dev` (key `videoId`); queue `video-processing-dlq-dev`.
  ///
  /// **media-ingest-backfill** — seven more uploads in `media-uploads-123456789012-prod`
  /// (`archive/2024/talk-01.mp4` … `talk-07.mp4`, 300–660 s, 720p), so the bucket holds ten;
  /// bucket `media-inventory-123456789012` with an S3 Inventory report of the uploads bucket:
  /// `media-uploads-123456789012-prod/daily-uploads/2024-12-31T23-30Z/manifest.json` (CSV,
  /// schema `Bucket, Key, Size, LastModifiedDate, ETag`) and its one data file (uncompressed:
  /// this S3 keeps text bodies); bucket `media-backfill-reports-123456789012`; topic
  /// `media-backfill-notifications`. The backfill's child workflow runs
  /// `media-ingest-pipeline`, which the caller registers.
  ///
  /// Topics, queues and buckets not listed are created on first use; tables are not.
  public static func sample(seed: UInt64 = 0) -> MediaWorld {
    let world = MediaWorld(seed: seed)
    world.registerStandardFunctions()
    let uploaded = Instant.defaultVirtualStart.advanced(bySeconds: -3600)
    let account = sampleAccount
    func video(_ uri: String, _ media: MediaMetadata, contentType: String = "video/mp4") {
      guard let location = S3Location(uri: uri) else { return }
      _ = try? world.s3.putVideo(location, media: media, contentType: contentType, at: uploaded)
    }
    func topic(_ name: String) { world.sns.createTopic("arn:aws:sns:us-east-1:\(account):\(name)") }
    func queue(_ name: String) {
      world.sqs.createQueue("https://sqs.us-east-1.amazonaws.com/\(account)/\(name)")
    }

    // video-workflow-orchestration
    world.s3.createBucket("video-workflow-source-\(account)", versioned: true)
    world.s3.createBucket("video-workflow-output-\(account)")
    world.s3.createBucket("video-workflow-archive-\(account)")
    let source = "s3://video-workflow-source-\(account)/uploads/"
    video(
      source + "sample-1080p.mp4",
      MediaMetadata(durationSeconds: 300, width: 1920, height: 1080, bitrate: 8_000_000))
    video(
      source + "interview-360p.mp4",
      MediaMetadata(durationSeconds: 180, width: 640, height: 360, bitrate: 1_000_000))
    video(
      source + "webcam-240p.mp4",
      MediaMetadata(durationSeconds: 120, width: 320, height: 240, bitrate: 400_000))
    video(
      source + "corrupt-upload.mp4",
      MediaMetadata(
        durationSeconds: 240, width: 1920, height: 1080, bitrate: 6_000_000, isCorrupt: true))
    if let notes = S3Location(uri: source + "meeting-notes.txt") {
      _ = try? world.s3.putText(notes, body: "Agenda: review the Q1 video backlog.\n", at: uploaded)
    }
    world.dynamoDB.createTable(
      "video-workflow-jobs", schema: DynamoDBKeySchema(partitionKey: "JobId"))
    topic("video-workflow-notifications")
    queue("video-workflow-review")
    world.sqs.setResponder(
      TaskTokenResponder(delaySeconds: 7200) { message in
        .success([
          "approved": true, "reviewer": "media-ops@example.com",
          "comment": .string(
            "Approved after review of job \(message["jobId"]?.textForm ?? "unknown")"),
        ])
      }, forQueue: "https://sqs.us-east-1.amazonaws.com/\(account)/video-workflow-review")

    // media-ingest-pipeline
    world.s3.createBucket("media-uploads-\(account)-prod", versioned: true)
    world.s3.createBucket("media-outputs-\(account)-prod")
    let uploads = "s3://media-uploads-\(account)-prod/incoming/"
    video(
      uploads + "lecture-720p.mp4",
      MediaMetadata(durationSeconds: 900, width: 1280, height: 720, bitrate: 3_500_000))
    video(
      uploads + "corrupt-lecture.mp4",
      MediaMetadata(
        durationSeconds: 600, width: 1280, height: 720, bitrate: 3_000_000, isCorrupt: true))
    video(
      uploads + "already-ingested.mp4",
      MediaMetadata(durationSeconds: 420, width: 1920, height: 1080, bitrate: 6_000_000))
    world.dynamoDB.createTable(
      "MediaAssets-prod", schema: DynamoDBKeySchema(partitionKey: "assetId"))
    let ingested = world.s3.object(uri: uploads + "already-ingested.mp4")
    let etag = (ingested?.eTag ?? "").replacingOccurrences(of: "\"", with: "")
    world.dynamoDB.seed(
      [
        "assetId": [
          "S": .string("media-uploads-\(account)-prod/incoming/already-ingested.mp4#\(etag)")
        ],
        "status": ["S": "COMPLETE"], "sourceKey": ["S": "incoming/already-ingested.mp4"],
        "createdAt": ["S": "2024-12-31T18:00:00.000Z"],
      ], inTable: "MediaAssets-prod")
    queue("media-processing-dlq-prod")

    // media-ingest-backfill
    for (index, minutes) in [5, 7, 9, 11, 6, 8, 10].enumerated() {
      video(
        "s3://media-uploads-\(account)-prod/archive/2024/talk-0\(index + 1).mp4",
        MediaMetadata(
          durationSeconds: Double(minutes * 60), width: 1280, height: 720, bitrate: 3_000_000))
    }
    addInventoryReport(of: "media-uploads-\(account)-prod", to: world, at: uploaded)
    world.s3.createBucket("media-backfill-reports-\(account)")
    topic("media-backfill-notifications")

    // video-super-resolution
    world.s3.createBucket("vsr-source-videos-\(account)")
    world.s3.createBucket("vsr-processed-frames-\(account)")
    world.s3.createBucket("vsr-final-videos-\(account)")
    let clips = "s3://vsr-source-videos-\(account)/input/"
    video(
      clips + "clip-540p.mp4",
      MediaMetadata(durationSeconds: 120, width: 960, height: 540, bitrate: 2_500_000))
    video(
      clips + "damaged-clip-540p.mp4",
      MediaMetadata(
        durationSeconds: 120, width: 960, height: 540, bitrate: 2_500_000, damagedSeconds: [15.2]))
    video(
      clips + "badly-damaged-540p.mp4",
      MediaMetadata(
        durationSeconds: 120, width: 960, height: 540, bitrate: 2_500_000,
        damagedSeconds: [5, 25, 45]))
    world.containers.setBehavior(
      ContainerBehavior(work: .split, fixedSeconds: 60, secondsPerMediaSecond: 0.25),
      for: "vsr-extract-frames")
    world.containers.setBehavior(
      ContainerBehavior(work: .upscale, fixedSeconds: 45, secondsPerMediaSecond: 6),
      for: "vsr-upscale-model")
    world.containers.setBehavior(
      ContainerBehavior(
        work: .concatenate, fixedSeconds: 60, secondsPerMediaSecond: 0.5,
        callbackError: "RecomposeFailed"),
      for: "vsr-recompose-video")
    topic("vsr-notifications")

    // ecs-video-processing
    world.s3.createBucket("streamtech-video-input-\(account)")
    world.s3.createBucket("streamtech-video-output-\(account)")
    video(
      "s3://streamtech-video-input-\(account)/raw/episode-01.mp4",
      MediaMetadata(durationSeconds: 1440, width: 1920, height: 1080, bitrate: 10_000_000))
    world.containers.setBehavior(
      ContainerBehavior(
        work: .probe, fixedSeconds: 20, secondsPerMediaSecond: 0.01,
        callbackError: "VideoProbeFailed"),
      for: "video-probe-task-prod")
    world.containers.setBehavior(
      ContainerBehavior(work: .transcode, fixedSeconds: 30, secondsPerMediaSecond: 0.5),
      for: "video-processing-task-prod")
    topic("video-processing-completion-prod")
    topic("video-processing-error-prod")

    // stream-ingest-processing
    world.s3.createBucket("streamflix-raw-video-\(account)")
    world.s3.createBucket("streamflix-processed-video-\(account)")
    let raw = "s3://streamflix-raw-video-\(account)/ingest/"
    video(
      raw + "vid-1001.mp4",
      MediaMetadata(durationSeconds: 95, width: 1920, height: 1080, bitrate: 7_000_000))
    video(
      raw + "vid-1002.mp4",
      MediaMetadata(durationSeconds: 42, width: 1280, height: 720, bitrate: 3_000_000))
    video(
      raw + "vid-1003.mp4",
      MediaMetadata(durationSeconds: 310, width: 3840, height: 2160, bitrate: 20_000_000))
    world.containers.setBehavior(
      ContainerBehavior(
        work: .transcode, fixedSeconds: 20, secondsPerMediaSecond: 0.25,
        callbackError: "VideoProcessingFailed"),
      for: "stream-video-processor-dev")
    world.dynamoDB.createTable(
      "video-metadata-dev", schema: DynamoDBKeySchema(partitionKey: "videoId"))
    queue("video-processing-dlq-dev")
    return world
  }

  /// Writes an S3 Inventory report of `bucket` (every object, CSV, no header row, each field
  /// quoted, as S3 Inventory writes it) into bucket `media-inventory-<account>`: one data file
  /// under `<bucket>/daily-uploads/data/` and the `manifest.json` that lists it.
  static func addInventoryReport(of bucket: String, to world: MediaWorld, at instant: Instant) {
    let destination = "media-inventory-\(sampleAccount)"
    world.s3.createBucket(destination)
    func quoted(_ field: String) -> String {
      "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    let rows = world.s3.objects(inBucket: bucket).map { object in
      [
        object.bucket, object.key, String(object.size), object.lastModified.iso8601,
        object.eTag.replacingOccurrences(of: "\"", with: ""),
      ].map(quoted).joined(separator: ",")
    }
    let data = rows.joined(separator: "\n") + "\n"
    let report = instant.advanced(bySeconds: 1800)
    let dataKey = "\(bucket)/daily-uploads/data/\(HashAlgorithm.md5.hexDigest(of: data)).csv"
    guard let dataLocation = S3Location(uri: "s3://\(destination)/\(dataKey)"),
      let manifestLocation = S3Location(
        uri: "s3://\(destination)/\(bucket)/daily-uploads/2024-12-31T23-30Z/manifest.json"),
      let dataFile = try? world.s3.putText(
        dataLocation, body: data, contentType: "text/csv", at: report)
    else { return }
    let manifest: JSON = [
      "sourceBucket": .string(bucket),
      "destinationBucket": .string("arn:aws:s3:::\(destination)"),
      "version": "2016-11-30",
      "creationTimestamp": .string(String(report.millisecondsSinceEpoch)),
      "fileFormat": "CSV",
      "fileSchema": "Bucket, Key, Size, LastModifiedDate, ETag",
      "files": [
        [
          "key": .string(dataKey), "size": .number(JSONNumber(dataFile.size)),
          "MD5checksum": .string(HashAlgorithm.md5.hexDigest(of: data)),
        ]
      ],
    ]
    _ = try? world.s3.putText(
      manifestLocation, body: manifest.serialized(), contentType: "application/json", at: report)
  }
}
