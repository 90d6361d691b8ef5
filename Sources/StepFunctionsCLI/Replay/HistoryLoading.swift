import StepFunctions

/// Why a history file could not be read as a history.
struct HistoryLoadError: Error, Sendable, CustomStringConvertible {
  /// What is wrong, naming the event and field (and its line:column when known).
  var message: String

  var description: String { message }
}

/// Reads an execution history with the history importer
/// (``StepFunctionsRuntime/ExecutionHistory/init(importing:fileName:)``): what
/// `aws stepfunctions get-execution-history --output json` prints (`{"events": [...]}`),
/// `sfn run --format json --history` output (which has `events` too), or a bare array of events.
func loadHistory(bytes: [UInt8], fileName: String? = nil) throws(HistoryLoadError)
  -> ExecutionHistory
{
  do {
    return try ExecutionHistory(importing: bytes, fileName: fileName)
  } catch {
    throw HistoryLoadError(message: error.description)
  }
}
