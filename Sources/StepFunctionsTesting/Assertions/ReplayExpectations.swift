import StepFunctions
import Testing

extension ReplayReport {
  /// Expects the replay to have matched the recorded history. When it did not, records an issue
  /// at the caller's source location saying where and how the replay diverged (or what in the
  /// history stopped it), and returns `false`.
  ///
  /// ```swift
  /// let report = try await machine.replay(history)
  /// report.expectMatched()
  /// ```
  @discardableResult
  public func expectMatched(sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
    guard let message = WorkflowChecks.replayMatched(self) else { return true }
    Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    return false
  }
}

extension WorkflowChecks {
  /// Checks that a replay matched its recorded history; the message shows the divergence with
  /// the recorded and replayed values.
  public static func replayMatched(_ report: ReplayReport) -> String? {
    switch report {
    case .matched:
      return nil
    case .incomplete(let limit):
      return "Expected the replay to match the recorded history, but it \(limit)."
    case .diverged(let divergence):
      var lines = [
        "Expected the replay to match the recorded history, but it diverged at \(divergence)."
      ]
      if !divergence.pointer.isEmpty { lines.append("  at \(divergence.pointer)") }
      lines.append("  recorded: \(divergence.recorded.map(ValueDifference.snippet) ?? "nothing")")
      lines.append("  replayed: \(divergence.replayed.map(ValueDifference.snippet) ?? "nothing")")
      return lines.joined(separator: "\n")
    }
  }
}
