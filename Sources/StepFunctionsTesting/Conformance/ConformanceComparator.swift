import StepFunctions

/// Compares what an executor reported for a case with what AWS recorded, the way the corpus
/// README prescribes, with the ``EventComparator`` replay uses too
/// (``EventComparator/conformance(vocabulary:)``).
///
/// The actual outcome is read through the corpus's rewrite rules: JSON-text fields of the
/// response whose text starts with `{` are decoded (other payloads stay text but compare as JSON),
/// date-times become `date`, event timestamps `timestamp`. Expected strings that contain
/// placeholders are patterns (see ``PlaceholderVocabulary``). Status, output, error and cause are
/// compared, then the events when AWS's history was recorded: events are aligned by type (so a
/// missing or extra event is reported once, not as a shift of everything after it), and for
/// `parallel_branch_events_sorted` cases the actual history is normalized like the recording
/// (see ``ParallelEventNormalization``) and each Parallel block compared as a multiset.
///
/// Nothing in either input can make the comparison trap; malformed values are simply reported
/// as differences.
public enum ConformanceComparator {
  /// Compares `outcome` with the recording of `testCase`.
  public static func compare(_ testCase: ConformanceCase, _ outcome: ExecutionOutcome)
    -> ConformanceResult
  {
    var values = EventComparator.conformance(vocabulary: PlaceholderVocabulary(for: testCase))
    if testCase.category == .service {
      // The worker that took an activity task names itself; nothing in the state machine or
      // the replayed history gives a local execution that name (replay's rule too).
      values.rules.optionalMembers = ["activityStartedEventDetails"]
    }
    var sink = DifferenceSink()
    let expected = testCase.expected

    if expected.status != outcome.status {
      sink.append(
        ConformanceDifference(
          path: "/status", kind: .mismatch, expected: quoted(expected.status.rawValue),
          actual: quoted(outcome.status.rawValue)))
    }

    compareOutput(expected, outcome, values: values, into: &sink)

    compareOptional(
      expected.error.map { JSON.string($0) }, outcome.error.map { JSON.string($0) }, path: "/error",
      key: "error", values: values, into: &sink)
    compareOptional(
      expected.cause, outcome.cause.map { JSON.string($0) }, path: "/cause", key: "cause",
      values: values,
      into: &sink)

    if let expectedEvents = expected.events {
      if let actualEvents = outcome.events {
        values.compareEventLists(
          expected: expectedEvents, actual: actualEvents,
          parallelBlocksSorted: testCase.eventsNormalization == .parallelBranchEventsSorted,
          into: &sink)
      } else {
        sink.append(
          ConformanceDifference(
            path: "/events", kind: .missing, expected: "\(expectedEvents.count) events",
            actual: nil,
            note: "the outcome has no history"))
      }
    }
    return ConformanceResult(caseName: testCase.name, differences: sink.differences)
  }

  private static func compareOutput(
    _ expected: ConformanceCase.Expected, _ outcome: ExecutionOutcome, values: EventComparator,
    into sink: inout DifferenceSink
  ) {
    if let raw = expected.outputRaw {
      guard let output = outcome.output else {
        sink.append(
          ConformanceDifference(path: "/output", kind: .missing, expected: quoted(raw), actual: nil)
        )
        return
      }
      if values.isWildcard(raw, key: "output") { return }
      let text = output.serialized()
      if !values.textMatches(
        expected: raw, actual: values.rewrite(text, key: "output", level: .payload))
      {
        sink.append(
          ConformanceDifference(
            path: "/output", kind: .mismatch, expected: quoted(raw),
            actual: ConformanceDifference.snippet(output)))
      }
      return
    }
    compareOptional(
      expected.output, outcome.output, path: "/output", key: "output", values: values, into: &sink)
  }

  private static func compareOptional(
    _ expected: JSON?, _ actual: JSON?, path: String, key: String, values: EventComparator,
    into sink: inout DifferenceSink
  ) {
    switch (expected, actual) {
    case (nil, nil):
      return
    case (let expected?, nil):
      sink.append(
        ConformanceDifference(
          path: path, kind: .missing, expected: ConformanceDifference.snippet(expected), actual: nil
        ))
    case (nil, let actual?):
      sink.append(
        ConformanceDifference(
          path: path, kind: .unexpected, expected: nil,
          actual: ConformanceDifference.snippet(actual)))
    case (let expected?, let actual?):
      // The output is a decoded value; error and cause are response fields.
      let level: ValueLevel = key == "output" ? .payload : .response
      values.compare(
        expected, actual, at: JSONPointer([key]), key: key, parentKey: nil, level: level,
        into: &sink)
    }
  }

  private static func quoted(_ text: String) -> String { JSON.string(text).serialized() }
}
