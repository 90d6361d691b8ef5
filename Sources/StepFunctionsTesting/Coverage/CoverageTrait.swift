import Testing

/// A Swift Testing trait that gathers the coverage of every ``WorkflowTest`` run of a test or a
/// suite into a ``CoverageCollector``, then optionally checks it.
///
/// ```swift
/// let videoCoverage = CoverageCollector()
///
/// @Suite(.collectingCoverage(into: videoCoverage) { collector in
///   let coverage = try #require(collector.coverage(of: "VideoWorkflow"))
///   print(coverage)
///   #expect(coverage.uncovered.isEmpty)
/// })
/// struct VideoWorkflowTests { … }
/// ```
///
/// On a suite it sets ``CoverageCollector/current`` once around all the suite's tests, which
/// may run in parallel; `then` runs after the last of them. A check there sees only the tests
/// that ran: run the suite whole (not filtered) for it to mean anything.
public struct CoverageTrait: SuiteTrait, TestTrait, TestScoping {
  /// The collector the runs record into.
  public var collector: CoverageCollector
  /// What to do once the test or suite has run (print, check), if anything.
  public var then: (@Sendable (CoverageCollector) async throws -> Void)?

  /// Runs the test or suite with ``collector`` as ``CoverageCollector/current``, then `then`.
  public func provideScope(
    for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
  ) async throws {
    try await collector.collecting { try await function() }
    try await then?(collector)
  }
}

extension Trait where Self == CoverageTrait {
  /// Gathers the coverage of the test's or suite's ``WorkflowTest`` runs into `collector`, and
  /// then, if given, runs `then` with it (see ``CoverageTrait``).
  public static func collectingCoverage(
    into collector: CoverageCollector,
    then: (@Sendable (CoverageCollector) async throws -> Void)? = nil
  ) -> Self {
    CoverageTrait(collector: collector, then: then)
  }
}
