import Foundation
import StepFunctions

/// `sfn-bench [--json] [--case NAME]... [--seconds S] [--bench-dir DIR] [--corpus-dir DIR]
/// [--in-process] [--versus-moto MOTO_SFN.PY [--moto-seconds S]] [--list]`
struct BenchCommand {
  static let usage = """
    USAGE: sfn-bench [--json] [--case NAME]... [--seconds S] [--bench-dir DIR] [--corpus-dir DIR]
                     [--in-process]
           sfn-bench --versus-moto PATH/moto_sfn.py [--moto-seconds S] [--json] [--case NAME]...
           sfn-bench --list

    Measures executions and parsing (build with -c release). Each case runs in a fresh child
    process so its peak RSS (VmHWM) is its own; --in-process runs them all in this one.
    Execution cases build a fresh ExecutionOptions for every execution and await
    StateMachine.run from a plain async function (the main figure) and from the main actor;
    the rate with one options value reused for every execution is a second column.

    OPTIONS:
      --json              One JSON object per line instead of text.
      --case NAME         Run only this case (repeatable). --list shows the names.
      --seconds S         Minimum measuring time per case (default 2).
      --bench-dir DIR     The shared benchmark files (default ../shared/bench, or the folder of
                          the moto script with --versus-moto).
      --corpus-dir DIR    The shared corpus, for the JSONata reference suite (default
                          $SFN_CORPUS, else ../shared/corpus).
      --versus-moto PATH  Run the four shared definitions through moto (best case:
                          --cache-jsonpath --cache-parse) and through this executor; print the
                          ratios.
      --moto-seconds S    moto's measuring time per definition (default 12).
      --runs N            Exactly N measured executions per execution case, no warm-up (for
                          profiling with valgrind; use with --in-process); for jsonata_suite,
                          N rounds of the suite on each side (default 5).
    """

  var printsJSON = false
  var caseNames: [String] = []
  var seconds = 2.0
  var benchDirectory: String?
  var corpusDirectory: String?
  var inProcess = false
  var motoScript: String?
  var motoSeconds = 12.0
  var runs: Int?
  var lists = false
  var childCase: String?

  init(arguments: [String]) throws(BenchError) {
    var remaining = arguments.dropFirst()[...]
    func value(_ flag: String) throws(BenchError) -> String {
      guard let next = remaining.popFirst() else { throw BenchError("\(flag) needs a value") }
      return next
    }
    func number(_ flag: String) throws(BenchError) -> Double {
      let text = try value(flag)
      guard let parsed = Double(text), parsed > 0 else {
        throw BenchError("\(flag) needs a positive number, not \(text)")
      }
      return parsed
    }
    while let argument = remaining.popFirst() {
      switch argument {
      case "--json": printsJSON = true
      case "--case": caseNames.append(try value(argument))
      case "--seconds": seconds = try number(argument)
      case "--bench-dir": benchDirectory = try value(argument)
      case "--corpus-dir": corpusDirectory = try value(argument)
      case "--in-process": inProcess = true
      case "--versus-moto": motoScript = try value(argument)
      case "--moto-seconds": motoSeconds = try number(argument)
      case "--list": lists = true
      case "--runs": runs = Int(try number(argument))
      case "--child": childCase = try value(argument)
      case "--help", "-h": throw BenchError(BenchCommand.usage)
      default: throw BenchError("unknown argument '\(argument)'\n\n\(BenchCommand.usage)")
      }
    }
    for name in caseNames where !Cases.all.contains(where: { $0.name == name }) {
      throw BenchError(
        "unknown case '\(name)'; cases: \(Cases.all.map(\.name).joined(separator: ", "))")
    }
  }

  var settings: BenchSettings {
    let directory =
      benchDirectory ?? motoScript.map { ($0 as NSString).deletingLastPathComponent }
      ?? ProcessInfo.processInfo.environment["SFN_BENCH_DIR"] ?? "../shared/bench"
    let corpus =
      corpusDirectory ?? ProcessInfo.processInfo.environment["SFN_CORPUS"].flatMap {
        $0.isEmpty ? nil : $0
      } ?? "../shared/corpus"
    return BenchSettings(
      benchDirectory: directory.isEmpty ? "." : directory, corpusDirectory: corpus,
      seconds: seconds, runs: runs)
  }

  func selected(sharedOnly: Bool) -> [BenchCase] {
    Cases.all.filter { benchCase in
      (caseNames.isEmpty || caseNames.contains(benchCase.name))
        && (!sharedOnly || benchCase.isShared)
    }
  }

  static func main(_ arguments: [String]) async -> Int32 {
    let command: BenchCommand
    do {
      command = try BenchCommand(arguments: arguments)
    } catch {
      let isHelp = error.message == BenchCommand.usage
      FileHandle.standardError.write(Data((error.message + "\n").utf8))
      return isHelp ? 0 : 64
    }
    do {
      try await command.run()
      return 0
    } catch {
      FileHandle.standardError.write(Data("sfn-bench: \(error.message)\n".utf8))
      return 1
    }
  }

  func run() async throws(BenchError) {
    if lists {
      for benchCase in Cases.all {
        print(benchCase.name.padding(toLength: 24, withPad: " ", startingAt: 0) + benchCase.summary)
      }
      return
    }
    if let childCase {
      guard let benchCase = Cases.all.first(where: { $0.name == childCase }) else {
        throw BenchError("unknown case '\(childCase)'")
      }
      print(try await benchCase.run(settings).jsonLine)
      return
    }
    if let motoScript {
      try await versusMoto(script: motoScript)
      return
    }
    if !printsJSON {
      print(
        "sfn-bench: \(ProcessInfo.processInfo.activeProcessorCount) CPUs, at least \(seconds) s per case"
      )
    }
    for benchCase in selected(sharedOnly: false) {
      var report = try await measure(benchCase)
      report.figures["output"] = nil
      print(printsJSON ? report.jsonLine : report.textLine)
    }
  }

  /// Runs a case in a fresh child process (or here with `--in-process`).
  func measure(_ benchCase: BenchCase) async throws(BenchError) -> CaseReport {
    if inProcess { return try await benchCase.run(settings) }
    let arguments =
      [
        "--child", benchCase.name, "--seconds", String(seconds), "--bench-dir",
        settings.benchDirectory, "--corpus-dir", settings.corpusDirectory,
      ] + (runs.map { ["--runs", String($0)] } ?? [])
    let output = try runProcess(executable: try executablePath(), arguments: arguments)
    guard output.status == 0 else {
      throw BenchError("case \(benchCase.name) failed: \(output.standardError)")
    }
    guard let line = output.standardOutput.split(separator: "\n").last,
      let parsed = try? JSONParser.parse(String(line)), case .object(let figures) = parsed
    else {
      throw BenchError("case \(benchCase.name) printed no report: \(output.standardOutput)")
    }
    return CaseReport(name: benchCase.name, figures: figures)
  }

  func executablePath() throws(BenchError) -> String {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return path
    }
    guard let path = Bundle.main.executablePath else {
      throw BenchError("cannot find this executable's path")
    }
    return path
  }

  // MARK: Side by side with moto

  func versusMoto(script: String) async throws(BenchError) {
    let settings = settings
    if !printsJSON {
      print(
        "sfn-bench versus moto (\(script)): moto's best case, --cache-jsonpath --cache-parse, up to \(motoSeconds) s each"
      )
    }
    for definition in Cases.shared
    where caseNames.isEmpty || caseNames.contains(definition.caseName) {
      var arguments = [
        script, "run", settings.path(definition.definition), "--cache-jsonpath", "--cache-parse",
        "--repeat",
        String(definition.motoRepeat), "--max-seconds", String(motoSeconds),
      ]
      if let input = definition.input { arguments += ["--input", "@" + settings.path(input)] }
      if let testCase = definition.mockTestCase {
        arguments += [
          "--mock-config", settings.path("video_workflow.mock.json"), "--test-case", testCase,
        ]
      }
      let moto = try runProcess(executable: "/usr/bin/env", arguments: ["python3"] + arguments)
      guard let motoReport = try? JSONParser.parse(moto.standardOutput),
        let motoRate = motoReport["executions_per_second"]?.numberValue?.doubleValue
      else {
        throw BenchError(
          "moto printed no timing report for \(definition.caseName): \(moto.standardOutput) \(moto.standardError)"
        )
      }
      guard let benchCase = Cases.all.first(where: { $0.name == definition.caseName }) else {
        continue
      }
      let ours = try await measure(benchCase)
      guard let ourRate = ours.number("executions_per_second") else {
        throw BenchError("no executions per second for \(definition.caseName)")
      }
      var report = CaseReport(name: definition.caseName)
      report.set("ours_executions_per_second", ourRate)
      report.set("moto_executions_per_second", motoRate)
      report.set("ratio", ourRate / motoRate)
      if let mainActor = ours.number("main_actor_executions_per_second") {
        report.set("main_actor_executions_per_second", mainActor)
        report.set("ratio_main_actor", mainActor / motoRate)
      }
      if let reused = ours.number("reused_options_executions_per_second") {
        report.set("reused_options_executions_per_second", reused)
        report.set("ratio_reused_options", reused / motoRate)
      }
      report.set(
        "moto_transitions_per_second",
        motoReport["state_transitions_per_second"]?.numberValue?.doubleValue)
      report.set("ours_transitions_per_second", ours.number("transitions_per_second"))
      report.set("moto_executions", integer: motoReport["executions"]?.numberValue?.intValue)
      // The outputs should agree (moto's first result against ours).
      if let motoOutput = motoReport["first_result"]?["output"],
        case .string(let ourText)? = ours.figures["output"],
        let ourOutput = try? JSONParser.parse(ourText)
      {
        report.set("same_output", bool: motoOutput == ourOutput)
      }
      print(printsJSON ? report.jsonLine : report.textLine)
    }
  }
}

/// What a child process printed.
struct ProcessOutput {
  var status: Int32
  var standardOutput: String
  var standardError: String
}

/// Runs a program to its end and collects what it printed.
func runProcess(executable: String, arguments: [String]) throws(BenchError) -> ProcessOutput {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  let standardOutput = Pipe()
  let standardError = Pipe()
  process.standardOutput = standardOutput
  process.standardError = standardError
  do {
    try process.run()
  } catch {
    throw BenchError("cannot run \(executable): \(error)")
  }
  // Read both pipes to the end before waiting, so a chatty child cannot block on a full pipe.
  let errorData = LockedData()
  let errorReader = Thread {
    errorData.set(standardError.fileHandleForReading.readDataToEndOfFile())
  }
  errorReader.start()
  let outputData = standardOutput.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  while !errorData.isSet { usleep(1000) }
  return ProcessOutput(
    status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
    standardError: String(decoding: errorData.value, as: UTF8.self))
}

/// Data handed from a reader thread.
final class LockedData: @unchecked Sendable {
  private let lock = NSLock()
  private var data: Data?

  func set(_ value: Data) { lock.withLock { data = value } }
  var isSet: Bool { lock.withLock { data != nil } }
  var value: Data { lock.withLock { data ?? Data() } }
}
