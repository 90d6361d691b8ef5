import StepFunctions
import StepFunctionsCLI

/// What one run of `sfn` produced.
struct RunResult {
  var status: Int32
  var output: String
  var error: String
}

/// A context whose files live in memory; paths not in `files` do not exist.
func memoryContext(_ files: [String: String] = [:], standardInput: String? = nil)
  -> CommandContext
{
  CommandContext(
    environment: [:],
    readFile: { path throws(FileReadError) in
      guard let text = files[path] else {
        throw FileReadError(reason: "No such file or directory")
      }
      return Array(text.utf8)
    },
    readStandardInput: { () throws(FileReadError) in
      guard let standardInput else { throw FileReadError(reason: "standard input is closed") }
      return Array(standardInput.utf8)
    })
}

/// Runs `sfn` with `arguments` (without the program name) against in-memory files.
func runSFN(
  _ arguments: [String], files: [String: String] = [:], standardInput: String? = nil
) async -> RunResult {
  await runSFN(arguments, context: memoryContext(files, standardInput: standardInput))
}

/// Runs `sfn` with `arguments` (without the program name) in `context`.
func runSFN(_ arguments: [String], context: CommandContext) async -> RunResult {
  var output = ""
  var error = ""
  let status = await SFNCommand.main(
    arguments: ["sfn"] + arguments, context: context, standardOutput: &output,
    standardError: &error)
  return RunResult(status: status, output: output, error: error)
}
