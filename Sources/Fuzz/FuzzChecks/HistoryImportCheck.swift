import StepFunctionsJSON
import StepFunctionsRuntime

/// The contract of ``ExecutionHistory/init(importing:fileName:)`` on any bytes, checked by the
/// `FuzzHistoryImport` target and by the importer's mutation tests.
///
/// Invariants: importing never traps. A refused file gets an error with a location, a message,
/// the file name; when the file is JSON (and the error is not about the JSON text), the
/// error's JSON Pointer resolves in it, and a pointer into an event (`/events/N/…`, or `/N/…` in a
/// bare array) comes with `eventIndex` N. An imported history written as AWS CLI text imports
/// again to the same text and the same number of events, and so does the history written in
/// the `awsJSON` form; every warning has a location, a message and a count.
public enum HistoryImportCheck {
  /// What importing one input did.
  public struct Outcome: Sendable {
    /// Whether the input imported.
    public var imported: Bool
    /// The invariants it broke (empty when it broke none).
    public var problems: [String]
  }

  /// The file name the checks import under, which errors must carry.
  public static let fileName = "m.json"

  /// Imports `bytes` and checks the contract.
  public static func check(_ bytes: [UInt8]) -> Outcome {
    var problems: [String] = []
    do {
      let history = try ExecutionHistory(importing: bytes, fileName: fileName)
      let text = history.awsCLIText
      for warning in history.importWarnings
      where warning.location == nil || warning.occurrences < 1 || warning.message.isEmpty {
        problems.append("a warning without a location, a count or a message: \(warning)")
      }
      problems += reimported(Array(text.utf8), as: "AWS CLI text", text, history.count)
      problems += reimported(
        JSONSerializer().bytes(history.awsJSON), as: "awsJSON form", text, history.count)
      return Outcome(imported: true, problems: problems)
    } catch {
      if error.location == nil { problems.append("an error without a location: \(error)") }
      if error.message.isEmpty { problems.append("an error without a message: \(error)") }
      if error.fileName != fileName { problems.append("an error without the file name: \(error)") }
      if error.kind != .invalidJSON, let value = try? JSONParser.parse(bytes) {
        if error.pointer.resolve(in: value) == nil {
          problems.append("the error's pointer \(error.pointer) is not in the file: \(error)")
        }
        let tokens = error.pointer.tokens
        let inEvent =
          (tokens.first == "events" && tokens.count >= 2)
          || (value.arrayValue != nil && !tokens.isEmpty)
        if inEvent {
          let index = Int(tokens[tokens.first == "events" ? 1 : 0])
          if error.eventIndex != index {
            problems.append("the error's event index is not the pointer's: \(error)")
          }
        }
      }
      return Outcome(imported: false, problems: problems)
    }
  }

  /// The problems of importing `bytes`, an export of a history whose AWS CLI text is `text`.
  private static func reimported(_ bytes: [UInt8], as form: String, _ text: String, _ count: Int)
    -> [String]
  {
    do {
      let again = try ExecutionHistory(importing: bytes)
      var problems: [String] = []
      if again.awsCLIText != text {
        problems.append("the \(form) imports to other text:\n\(again.awsCLIText)\n---\n\(text)")
      }
      if again.count != count {
        problems.append("the \(form) imports to \(again.count) events instead of \(count)")
      }
      return problems
    } catch {
      return ["the \(form) of an imported history does not import: \(error)"]
    }
  }
}
