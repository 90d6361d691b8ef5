import Foundation
import StepFunctions

/// What a containerised media task does with its input (named by the `INPUT_URI` environment
/// variable or Batch parameter `inputUri`) and output (`OUTPUT_URI` / `outputUri`).
public enum ContainerWork: String, Sendable, Hashable {
  /// Nothing: the container just runs for its time.
  case none
  /// Reads the input video and reports its metadata (`durationSeconds`, `width`...).
  case probe
  /// Processes the input video into the output (same media properties).
  case transcode
  /// Cuts the input video into chunks of `CHUNK_SECONDS` (default 10) under the output prefix
  /// (`chunk-00000.mp4`...); damaged frames go with the chunk that holds them.
  case split
  /// Upscales the input chunk by `SCALE_FACTOR` (default 2) into the output (a prefix keeps
  /// the input's file name); a chunk with damaged frames fails.
  case upscale
  /// Joins every video under the input prefix, in key order, into the output file.
  case concatenate
}

/// How a task definition (ECS) or job definition (Batch) behaves.
public struct ContainerBehavior: Sendable, Hashable {
  /// What the container does.
  public var work: ContainerWork
  /// Virtual seconds every run takes.
  public var fixedSeconds: Double
  /// Virtual seconds per second of input media.
  public var secondsPerMediaSecond: Double
  /// An exit code every run ends with (non-zero: the container always fails).
  public var exitCode: Int
  /// How many runs fail (exit code 137, as if the instance was reclaimed) before runs succeed.
  public var failuresBeforeSuccess: Int
  /// The error a `.waitForTaskToken` container reports with `SendTaskFailure` when it fails.
  public var callbackError: String

  /// Creates a behavior (defaults: transcode, 30 s plus 0.5 s per media second, exit 0).
  public init(
    work: ContainerWork = .transcode, fixedSeconds: Double = 30,
    secondsPerMediaSecond: Double = 0.5,
    exitCode: Int = 0, failuresBeforeSuccess: Int = 0, callbackError: String = "ContainerError"
  ) {
    self.work = work
    self.fixedSeconds = fixedSeconds
    self.secondsPerMediaSecond = secondsPerMediaSecond
    self.exitCode = exitCode
    self.failuresBeforeSuccess = failuresBeforeSuccess
    self.callbackError = callbackError
  }
}

/// One container run (an ECS task or a Batch job).
public struct ContainerRun: Sendable, Hashable {
  /// `ecs` or `batch`.
  public var service: String
  /// The task or job ID.
  public var id: String
  /// The task definition (ECS) or job definition (Batch) name, without revision.
  public var definition: String
  /// The environment the container saw (overrides and Batch parameters).
  public var environment: [String: String]
  /// The exit code.
  public var exitCode: Int
  /// Why it failed, when it did.
  public var reason: String?
  /// When it started.
  public var startedAt: Instant
  /// When it stopped.
  public var stoppedAt: Instant
  /// The S3 objects it wrote.
  public var outputs: [String]
  /// What it reports (its callback output for `.waitForTaskToken`).
  public var result: JSON
}

/// Runs simulated containers for ECS and Batch against the in-memory S3.
public final class ContainerRunner: @unchecked Sendable {
  private let lock = NSLock()
  private var behaviors: [String: ContainerBehavior] = [:]
  private var failuresSoFar: [String: Int] = [:]
  private var log: [ContainerRun] = []
  private let s3: InMemoryS3
  let identifiers: IdentifierSource
  /// The behavior of definitions nobody configured.
  public var defaultBehavior: ContainerBehavior {
    get { lock.withLock { _defaultBehavior } }
    set { lock.withLock { _defaultBehavior = newValue } }
  }
  private var _defaultBehavior = ContainerBehavior()

  init(s3: InMemoryS3, identifiers: IdentifierSource) {
    self.s3 = s3
    self.identifiers = identifiers
  }

  /// Sets how the task or job definition `name` (family name, no revision) behaves.
  public func setBehavior(_ behavior: ContainerBehavior, for name: String) {
    lock.withLock {
      behaviors[name] = behavior
      failuresSoFar[name] = 0
    }
  }

  /// Makes the next `count` launches (of any definition) fail before a container starts, with
  /// `error` (e.g. `ECS.AmazonECSException` when capacity is short) — to exercise retriers.
  public func rejectNextLaunches(_ count: Int, error: String, cause: String = "") {
    lock.withLock {
      rejections += Array(repeating: TaskFailure(error: error, cause: cause), count: max(0, count))
    }
  }

  private var rejections: [TaskFailure] = []

  /// Takes one injected launch failure, if any.
  func takeRejection() -> TaskFailure? {
    lock.withLock { rejections.isEmpty ? nil : rejections.removeFirst() }
  }

  /// The behavior of `name`.
  public func behavior(for name: String) -> ContainerBehavior {
    lock.withLock { behaviors[name] ?? _defaultBehavior }
  }

  /// Every run so far, in start order.
  public var runs: [ContainerRun] { lock.withLock { log } }

  /// The family name in a task or job definition reference (`family:3`, an ARN...).
  static func family(_ reference: String) -> String {
    var name = reference
    if let slash = name.lastIndex(of: "/") { name = String(name[name.index(after: slash)...]) }
    if let colon = name.firstIndex(of: ":") { name = String(name[..<colon]) }
    return name
  }

  private func takeTransientFailure(_ name: String, _ behavior: ContainerBehavior) -> Bool {
    lock.withLock {
      let failed = failuresSoFar[name, default: 0]
      guard failed < behavior.failuresBeforeSuccess else { return false }
      failuresSoFar[name] = failed + 1
      return true
    }
  }

  /// Runs one container: does its work in S3 and records it. `now` is the start time.
  func run(
    service: String, definition reference: String, environment: [String: String], now: Instant
  )
    -> ContainerRun
  {
    let name = ContainerRunner.family(reference)
    let behavior = behavior(for: name)
    var exitCode = behavior.exitCode
    var reason: String? =
      exitCode == 0 ? nil : "Essential container in task exited with code \(exitCode)"
    var outputs: [String] = []
    var result: JSON = .object(JSONObject())
    var mediaSeconds = 0.0
    func value(_ names: String...) -> String? {
      for name in names { if let value = environment[name] { return value } }
      return nil
    }
    let input = value("INPUT_URI", "inputUri", "input_uri").flatMap(S3Location.init(uri:))
    let output = value("OUTPUT_URI", "outputUri", "output_uri").flatMap(S3Location.init(uri:))
    if exitCode == 0, takeTransientFailure(name, behavior) {
      exitCode = 137
      reason = "Host EC2 (instance i-0in-memory) terminated."
    }
    let stoppedGuess = now.advanced(bySeconds: behavior.fixedSeconds)
    if exitCode == 0 {
      do {
        (outputs, result, mediaSeconds) = try perform(
          behavior.work, input: input, output: output, environment: environment, at: stoppedGuess)
      } catch {
        exitCode = 1
        reason = error.message
      }
    }
    let seconds = max(0, behavior.fixedSeconds + behavior.secondsPerMediaSecond * mediaSeconds)
    var resultObject = result.objectValue ?? JSONObject()
    resultObject["status"] = .string(exitCode == 0 ? "SUCCEEDED" : "FAILED")
    if let reason { resultObject["reason"] = .string(reason) }
    let run = ContainerRun(
      service: service, id: identifiers.uuid(), definition: name, environment: environment,
      exitCode: exitCode,
      reason: reason, startedAt: now, stoppedAt: now.advanced(bySeconds: seconds), outputs: outputs,
      result: .object(resultObject))
    lock.withLock { log.append(run) }
    return run
  }

  struct WorkError: Error {
    var message: String
  }

  private func requireInput(_ input: S3Location?) throws(WorkError) -> (S3Location, MediaMetadata) {
    guard let input else { throw WorkError(message: "INPUT_URI is not set to an s3:// URI") }
    guard let object = s3.object(at: input) else {
      throw WorkError(message: "input not found: \(input.uri)")
    }
    guard let media = object.media else {
      throw WorkError(message: "input is not a video: \(input.uri)")
    }
    if media.isCorrupt {
      throw WorkError(message: "cannot decode \(input.uri): the stream is corrupt")
    }
    return (input, media)
  }

  private func target(_ output: S3Location?, name: String) throws(WorkError) -> S3Location {
    guard let output else { throw WorkError(message: "OUTPUT_URI is not set to an s3:// URI") }
    return output.isPrefix ? S3Location(bucket: output.bucket, key: output.key + name) : output
  }

  private func write(_ location: S3Location, _ media: MediaMetadata, at instant: Instant)
    throws(WorkError)
  {
    do {
      try s3.putVideo(location, media: media, at: instant)
    } catch {
      throw WorkError(message: "cannot write \(location.uri): \(error.cause)")
    }
  }

  private func perform(
    _ work: ContainerWork, input: S3Location?, output: S3Location?, environment: [String: String],
    at instant: Instant
  ) throws(WorkError) -> ([String], JSON, Double) {
    switch work {
    case .none:
      return ([], .object(JSONObject()), 0)
    case .probe:
      let (location, media) = try requireInput(input)
      return (
        [], ["inputUri": .string(location.uri), "metadata": media.json], media.durationSeconds
      )
    case .transcode:
      let (location, media) = try requireInput(input)
      let destination = try target(output, name: location.fileName)
      var result = media
      result.damagedSeconds = []
      try write(destination, result, at: instant)
      return (
        [destination.uri],
        [
          "inputUri": .string(location.uri), "outputUri": .string(destination.uri),
          "metadata": result.json,
        ],
        media.durationSeconds
      )
    case .split:
      let (location, media) = try requireInput(input)
      guard let output, output.isPrefix else {
        throw WorkError(message: "OUTPUT_URI must be an s3:// prefix ending in /")
      }
      let text = environment["CHUNK_SECONDS"] ?? environment["chunkSeconds"]
      let requested = text.map { Double($0.trimmingCharacters(in: .whitespaces)) ?? .nan } ?? 10
      guard requested.isFinite, requested >= 1 else {
        throw WorkError(
          message: "CHUNK_SECONDS must be a number of seconds, at least 1, got \(text ?? "")")
      }
      let chunks = (media.durationSeconds / requested).rounded(.up)
      guard chunks.isFinite, chunks <= 10_000 else {
        throw WorkError(
          message: "CHUNK_SECONDS \(requested) would cut the video into more than 10,000 chunks")
      }
      let chunkSeconds = requested
      let count = max(1, Arithmetic.clampedInt(chunks))
      var written: [String] = []
      for index in 0..<count {
        let start = Double(index) * chunkSeconds
        let end = min(media.durationSeconds, start + chunkSeconds)
        var chunk = media
        chunk.durationSeconds = end - start
        chunk.damagedSeconds = media.damagedSeconds.filter { $0 >= start && $0 < end }.map {
          $0 - start
        }
        let digits = String(index)
        let destination = S3Location(
          bucket: output.bucket,
          key: output.key
            + "chunk-\(String(repeating: "0", count: max(0, 5 - digits.count)))\(digits).mp4")
        try write(destination, chunk, at: instant)
        written.append(destination.uri)
      }
      return (
        written,
        [
          "inputUri": .string(location.uri), "outputPrefix": .string(output.uri),
          "chunkCount": .number(JSONNumber(count)),
        ],
        media.durationSeconds
      )
    case .upscale:
      let (location, media) = try requireInput(input)
      if let damaged = media.damagedSeconds.first {
        throw WorkError(
          message:
            "model inference failed on \(location.uri): damaged frame at \(MediaMetadata.format(damaged)) s"
        )
      }
      let text = environment["SCALE_FACTOR"] ?? environment["scaleFactor"]
      let factor =
        text.map { text -> Int? in
          let trimmed = text.trimmingCharacters(in: .whitespaces)
          return Int(trimmed) ?? Double(trimmed).flatMap { Int(exactly: $0) }
        } ?? 2
      guard let factor, (1...8).contains(factor) else {
        throw WorkError(
          message: "SCALE_FACTOR must be a whole number from 1 to 8, got \(text ?? "")")
      }
      var result = media
      guard let width = Arithmetic.product(media.width, factor),
        let height = Arithmetic.product(media.height, factor),
        let bitrate = Arithmetic.product(media.bitrate, factor * factor)
      else {
        throw WorkError(
          message:
            "SCALE_FACTOR \(factor) cannot upscale \(location.uri) (\(media.width)x\(media.height), \(media.bitrate) b/s): the result is too large"
        )
      }
      result.width = width
      result.height = height
      result.bitrate = bitrate
      let destination = try target(output, name: location.fileName)
      try write(destination, result, at: instant)
      return (
        [destination.uri],
        [
          "inputUri": .string(location.uri), "outputUri": .string(destination.uri),
          "metadata": result.json,
        ],
        media.durationSeconds
      )
    case .concatenate:
      guard let input, input.isPrefix else {
        throw WorkError(message: "INPUT_URI must be an s3:// prefix ending in /")
      }
      let parts = s3.objects(under: input).compactMap { object in object.media.map { (object, $0) }
      }
      guard let first = parts.first?.1 else {
        throw WorkError(message: "no video parts under \(input.uri)")
      }
      let total = parts.reduce(0.0) { $0 + $1.1.durationSeconds }
      let weighted = parts.reduce(0.0) { $0 + Double($1.1.bitrate) * $1.1.durationSeconds }
      let result = MediaMetadata(
        durationSeconds: total, width: first.width, height: first.height,
        bitrate: total > 0 ? Arithmetic.clampedInt((weighted / total).rounded()) : first.bitrate,
        frameRate: first.frameRate,
        codec: first.codec)
      let destination = try target(output, name: "output.mp4")
      try write(destination, result, at: instant)
      return (
        [destination.uri],
        [
          "inputPrefix": .string(input.uri), "outputUri": .string(destination.uri),
          "partCount": .number(JSONNumber(parts.count)), "metadata": result.json,
        ],
        total
      )
    }
  }
}

/// Reads a container environment from `[{"Name": ..., "Value": ...}]` lists.
enum ContainerEnvironment {
  static func merge(_ list: JSON?, into environment: inout [String: String]) {
    for entry in list?.arrayValue ?? [] {
      if let name = entry["Name"]?.stringValue, let value = entry["Value"] {
        environment[name] = value.textForm
      }
    }
  }

  static func json(_ environment: [String: String]) -> JSON {
    .array(
      environment.keys.sorted().map {
        ["Name": .string($0), "Value": .string(environment[$0] ?? "")]
      })
  }
}
