/// How a command ended, as the process exit status.
public struct ExitCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
  /// The status passed to `exit`.
  public var rawValue: Int32

  /// Creates an exit code.
  public init(rawValue: Int32) { self.rawValue = rawValue }

  /// The command did what was asked and found nothing wrong (0).
  public static let success = ExitCode(rawValue: 0)
  /// An output file could not be written (73, `EX_CANTCREAT` from `sysexits.h`): `run
  /// --history-out` to a path that cannot be created.
  public static let cannotCreateOutput = ExitCode(rawValue: 73)
  /// The command ran and the answer is "no" (1): `validate` found errors, an execution ended
  /// `FAILED`, `TIMED_OUT` or `ABORTED`, a test case or a conformance case failed.
  public static let failure = ExitCode(rawValue: 1)
  /// The command line itself is wrong (64, `EX_USAGE` from BSD's `sysexits.h`).
  public static let usageError = ExitCode(rawValue: 64)
  /// What the command was given to work on cannot be used (65, `EX_DATAERR` from `sysexits.h`):
  /// a file that cannot be read, a definition, input or mock file that is not valid, a folder
  /// without conformance cases. For `validate`, an invalid definition is its answer (1), not a
  /// data error; a file it cannot read is 65.
  public static let dataError = ExitCode(rawValue: 65)

  /// The number.
  public var description: String { String(rawValue) }
}

/// Why a file could not be read.
public struct FileReadError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The reason, as the operating system words it (`No such file or directory`).
  public var reason: String

  /// Creates an error.
  public init(reason: String) { self.reason = reason }

  /// The reason.
  public var description: String { reason }
}

/// Why a file could not be written.
public struct FileWriteError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The reason, as the operating system words it (`Permission denied`).
  public var reason: String

  /// Creates an error.
  public init(reason: String) { self.reason = reason }

  /// The reason.
  public var description: String { reason }
}

/// What a command may use from the world outside its arguments: environment variables and
/// files. Tests pass an in-memory context; ``system(environment:)`` is the real one.
public struct CommandContext: Sendable {
  /// The process environment.
  public var environment: [String: String]
  /// Reads the whole file at a path (relative paths are relative to the working directory).
  public var readFile: @Sendable (String) throws(FileReadError) -> [UInt8]
  /// Reads all of standard input (used for the path `-`).
  public var readStandardInput: @Sendable () throws(FileReadError) -> [UInt8]
  /// Creates or replaces the file at a path with the given bytes (`run --history-out`).
  public var writeFile: @Sendable (String, [UInt8]) throws(FileWriteError) -> Void

  /// Creates a context. Without `writeFile`, writing a file fails.
  public init(
    environment: [String: String] = [:],
    readFile: @escaping @Sendable (String) throws(FileReadError) -> [UInt8],
    readStandardInput: @escaping @Sendable () throws(FileReadError) -> [UInt8] = {
      () throws(FileReadError) in
      throw FileReadError(reason: "standard input is not available")
    },
    writeFile: @escaping @Sendable (String, [UInt8]) throws(FileWriteError) -> Void = {
      _, _ throws(FileWriteError) in
      throw FileWriteError(reason: "writing files is not available")
    }
  ) {
    self.environment = environment
    self.readFile = readFile
    self.readStandardInput = readStandardInput
    self.writeFile = writeFile
  }

  /// A context that reads real files and the process's standard input.
  public static func system(environment: [String: String]) -> CommandContext {
    CommandContext(
      environment: environment,
      readFile: { path throws(FileReadError) in try SystemIO.readFile(atPath: path) },
      readStandardInput: { () throws(FileReadError) in try SystemIO.readStandardInput() },
      writeFile: { path, bytes throws(FileWriteError) in
        try SystemIO.writeFile(atPath: path, bytes: bytes)
      })
  }

  /// Reads `path`, where `-` means standard input.
  public func read(_ path: String) throws(FileReadError) -> [UInt8] {
    path == "-" ? try readStandardInput() : try readFile(path)
  }
}

/// One `sfn` subcommand. To add a command, write one type conforming to this protocol and add
/// it to ``SFNCommand/subcommands``; parsing, `--help`, usage errors and the top-level listing
/// follow from its ``configuration``.
public protocol Command: Sendable {
  /// The command's name, abstract, options and positional arguments.
  static var configuration: CommandConfiguration { get }

  /// Creates the command from parsed arguments.
  ///
  /// - Throws: ``UsageError`` when the arguments parse but make no sense together (for
  ///   example a number out of range).
  init(arguments: ParsedArguments) throws(UsageError)

  /// Does the work and says how it went. Output meant for the user or for a pipe goes to
  /// `standardOutput`; problems that are not the command's result (an unreadable file) go to
  /// `standardError`.
  func run(
    context: CommandContext, standardOutput: inout some TextOutputStream,
    standardError: inout some TextOutputStream
  ) async -> ExitCode
}
