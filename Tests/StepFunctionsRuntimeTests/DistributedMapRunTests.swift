import Foundation
import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

@testable import StepFunctionsRuntime

@Suite("Distributed Map: Map Runs")
struct DistributedMapRunTests {
  /// A distributed Map over the input whose children fail on `{"fail": true}`, with `extra`
  /// members and the child `ExecutionType`.
  static func machine(_ extra: String = "", type: String = "STANDARD", timeout: String = "")
    -> String
  {
    #"""
    {"StartAt": "Fan", \#(timeout) "States": {
      "Fan": {"Type": "Map", "End": true, \#(extra)
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "\#(type)"},
          "StartAt": "Work", "States": {\#(WriterASL.failing)}}}}}
    """#
  }

  static func items(failing: Int, of total: Int) -> JSON {
    .array(
      (0..<total).map { index in ["fail": .bool(index < failing), "n": .number(JSONNumber(index))] }
    )
  }

  @Test("The Map Run record counts items and child executions by status, like DescribeMapRun")
  func countsOnSuccess() async throws {
    let result = try await Executor.run(
      Self.machine(#""MaxConcurrency": 2, "ToleratedFailureCount": 1,"#),
      input: Self.items(failing: 1, of: 4))
    #expect(result.status == .succeeded, "\(result.summary)")
    let run = try #require(result.mapRuns.first)
    #expect(result.mapRuns.count == 1)
    #expect(run.status == .succeeded)
    #expect(run.executionArn == result.executionArn)
    #expect(run.stateName == "Fan")
    #expect(run.maxConcurrency == 2)
    #expect(run.toleratedFailureCount == 1)
    var expected = MapRun.Counts()
    expected.succeeded = 3
    expected.failed = 1
    expected.total = 4
    #expect(run.itemCounts == expected)
    #expect(run.executionCounts == expected)
    #expect(run.stopDate != nil)
    #expect(
      result.events("MapRunStarted").first?.awsJSON["mapRunStartedEventDetails"]?["mapRunArn"]
        == .string(run.mapRunArn))
    let described = run.describe
    #expect(
      described.objectValue?.keys == [
        "mapRunArn", "executionArn", "status", "startDate", "stopDate", "maxConcurrency",
        "toleratedFailurePercentage", "toleratedFailureCount", "itemCounts", "executionCounts",
        "redriveCount",
      ])
    #expect(described["redriveCount"] == 0)
    #expect(described["itemCounts"]?["failed"] == 1)
    #expect(described["status"] == "SUCCEEDED")
  }

  @Test("With history on, the STANDARD child executions are listed with input, status and output")
  func listsChildren() async throws {
    let result = try await Executor.run(
      Self.machine(#""ToleratedFailureCount": 1,"#), input: Self.items(failing: 1, of: 2))
    let run = try #require(result.mapRuns.first)
    #expect(run.executions.count == 2)
    #expect(run.executions.map(\.status) == [.failed, .succeeded])
    #expect(run.executions[0].error == "Item.Bad")
    #expect(run.executions[1].output == ["fail": false, "n": 1])
    #expect(run.executions[1].input == ["fail": false, "n": 1])
    #expect(Set(run.executions.map(\.name)).count == 2)
    let listed = run.listExecutions["executions"]?.arrayValue ?? []
    #expect(listed.count == 2)
    #expect(
      listed.first?.objectValue?.keys == [
        "executionArn", "stateMachineArn", "name", "status", "startDate", "stopDate", "mapRunArn",
        "itemCount",
      ])
    #expect(listed.map { $0["status"] } == ["FAILED", "SUCCEEDED"])
    #expect(listed.first?["mapRunArn"] == .string(run.mapRunArn))
    #expect(
      run.executions.allSatisfy {
        $0.executionArn.hasPrefix("arn:aws:states:us-east-1:123456789012:execution:StateMachine/")
      })
  }

  @Test("With history on, each listed child execution has its own history, numbered from 1")
  func childHistories() async throws {
    let result = try await Executor.run(
      Self.machine(#""ToleratedFailureCount": 1,"#), input: Self.items(failing: 1, of: 2))
    let run = try #require(result.mapRuns.first)
    let failed = run.executions[0].history
    let succeeded = run.executions[1].history
    #expect(
      failed.map(\.type) == [
        "ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited", "FailStateEntered",
        "ExecutionFailed",
      ])
    #expect(
      succeeded.map(\.type) == [
        "ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited", "PassStateEntered",
        "PassStateExited", "ExecutionSucceeded",
      ])
    #expect(succeeded.map(\.id) == Array(1...6))
    #expect(succeeded.map(\.previousEventId) == Array(0...5))
    #expect(
      succeeded.first?.awsJSON["executionStartedEventDetails"]?["input"] == #"{"fail":false,"n":1}"#
    )
    #expect(failed.last?.awsJSON["executionFailedEventDetails"]?["error"] == "Item.Bad")
    // The parent's history holds none of the children's events.
    #expect(!result.eventTypes.contains("ChoiceStateEntered"))
  }

  @Test("A child execution's history keeps its Parallel branches' events in its own numbering")
  func childHistoryWithParallel() async throws {
    let definition = #"""
      {"StartAt": "Fan", "States": {
        "Fan": {"Type": "Map", "End": true,
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Both", "States": {"Both": {"Type": "Parallel", "End": true, "Branches": [
              {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
              {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]}}}}}}
      """#
    let result = try await Executor.run(definition, input: [1])
    let history = try #require(result.mapRuns.first?.executions.first?.history)
    #expect(history.first?.type == "ExecutionStarted")
    #expect(history.last?.type == "ExecutionSucceeded")
    #expect(history.map(\.id) == Array(1...history.count))
    #expect(history.allSatisfy { $0.previousEventId < $0.id })
    let succeeded = try #require(history.first { $0.type == "ParallelStateSucceeded" })
    #expect(succeeded.previousEventId == succeeded.id - 1)
  }

  @Test("A child execution aborted with its Map Run ends its history with ExecutionAborted")
  func abortedChildHistory() async throws {
    let definition = #"""
      {"StartAt": "Fan", "TimeoutSeconds": 10, "States": {
        "Fan": {"Type": "Map", "End": true,
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 60, "End": true}}}}}}
      """#
    let result = try await Executor.run(definition, input: [1])
    let history = try #require(result.mapRuns.first?.executions.first?.history)
    #expect(history.map(\.type) == ["ExecutionStarted", "WaitStateEntered", "ExecutionAborted"])
  }

  @Test("With history off, no child execution is kept: only the counts")
  func historyOffKeepsCounts() async throws {
    let result = try await Executor.run(
      Self.machine(), input: Self.items(failing: 0, of: 2_000)
    ) { $0.recordsHistory = false }
    #expect(result.status == .succeeded)
    let run = try #require(result.mapRuns.first)
    #expect(run.executions.isEmpty)
    var expected = MapRun.Counts()
    expected.succeeded = 2_000
    expected.total = 2_000
    #expect(run.itemCounts == expected)
    #expect(run.executionCounts == expected)
  }

  @Test("EXPRESS children are not listed and have express ARNs; STANDARD ones have execution ARNs")
  func expressChildren() async throws {
    let writer =
      #""ResultWriter": {"WriterConfig": {"OutputType": "JSON", "Transformation": "NONE"}},"#
    let express = try await Executor.run(
      Self.machine(writer, type: "EXPRESS"), input: Self.items(failing: 0, of: 2))
    #expect(express.status == .succeeded, "\(express.summary)")
    let run = try #require(express.mapRuns.first)
    #expect(run.executionType == .express)
    #expect(run.executions.isEmpty)
    let arn = express.output?[0]?["ExecutionArn"]?.stringValue ?? ""
    #expect(arn.hasPrefix("arn:aws:states:us-east-1:123456789012:express:StateMachine/"))
    #expect(arn.split(separator: ":").count == 9)
    let standard = try await Executor.run(
      Self.machine(writer), input: Self.items(failing: 0, of: 2))
    #expect(standard.mapRuns.first?.executionType == .standard)
    let standardArn = standard.output?[0]?["ExecutionArn"]?.stringValue ?? ""
    #expect(standardArn.contains(":execution:StateMachine/"))
    #expect(standardArn.split(separator: ":").count == 8)
  }

  struct Edge: Sendable, CustomTestStringConvertible {
    var tolerance: String
    var failing: Int
    var total: Int
    var succeeds: Bool
    var testDescription: String { "\(tolerance) with \(failing) of \(total) failing" }
  }

  @Test(
    "Failures exactly at the threshold are tolerated; one more fails the Map Run",
    arguments: [
      Edge(tolerance: #""ToleratedFailureCount": 2"#, failing: 2, total: 5, succeeds: true),
      Edge(tolerance: #""ToleratedFailureCount": 2"#, failing: 3, total: 5, succeeds: false),
      Edge(tolerance: #""ToleratedFailureCount": 0"#, failing: 1, total: 5, succeeds: false),
      Edge(tolerance: #""ToleratedFailurePercentage": 20"#, failing: 2, total: 10, succeeds: true),
      Edge(tolerance: #""ToleratedFailurePercentage": 20"#, failing: 3, total: 10, succeeds: false),
      // 25% of 10 items is 2.5: two failures are within it, three are not.
      Edge(tolerance: #""ToleratedFailurePercentage": 25"#, failing: 2, total: 10, succeeds: true),
      Edge(tolerance: #""ToleratedFailurePercentage": 25"#, failing: 3, total: 10, succeeds: false),
      Edge(tolerance: #""ToleratedFailurePercentage": 100"#, failing: 4, total: 4, succeeds: true),
      // 0.29 × 100 is 28.999… in floating point; 29 × 100 / 100 is 29.
      Edge(
        tolerance: #""ToleratedFailurePercentage": 29"#, failing: 29, total: 100, succeeds: true),
      Edge(
        tolerance: #""ToleratedFailurePercentage": 29"#, failing: 30, total: 100, succeeds: false),
    ])
  func toleranceEdges(edge: Edge) async throws {
    let result = try await Executor.run(
      Self.machine(#""MaxConcurrency": 1, \#(edge.tolerance),"#),
      input: Self.items(failing: edge.failing, of: edge.total))
    let run = try #require(result.mapRuns.first)
    if edge.succeeds {
      #expect(result.status == .succeeded, "\(result.summary)")
      #expect(run.status == .succeeded)
      #expect(run.itemCounts.failed == edge.failing)
    } else {
      #expect(result.status == .failed)
      #expect(result.error == "States.ExceedToleratedFailureThreshold")
      #expect(result.cause == "The specified tolerance threshold was exceeded")
      #expect(run.status == .failed)
      #expect(result.eventTypes.contains("MapRunFailed"))
      // The failing items come first and run one at a time: the rest never started.
      #expect(run.itemCounts.failed == edge.failing)
      #expect(run.itemCounts.pending == edge.total - edge.failing)
      #expect(run.itemCounts.succeeded == 0)
    }
  }

  @Test("An item whose ItemSelector fails counts as a failed child execution")
  func itemSelectorFailure() async throws {
    let result = try await Executor.run(
      Self.machine(
        #""ToleratedFailureCount": 1, "ItemSelector": {"fail.$": "$$.Map.Item.Value.fail", "v.$": "$$.Map.Item.Value.missing"},"#
      ),
      input: [["fail": false], ["fail": false, "missing": 1]])
    let run = try #require(result.mapRuns.first)
    var expected = MapRun.Counts()
    expected.succeeded = 1
    expected.failed = 1
    expected.total = 2
    #expect(run.itemCounts == expected, "\(result.summary)")
  }

  @Test("Children running when the Map Run fails count as aborted")
  func abortedChildren() async throws {
    let processor = #"""
      "Work": {"Type": "Choice", "Choices": [{"Variable": "$.fail", "BooleanEquals": true, "Next": "Boom"}],
        "Default": "Slow"},
      "Slow": {"Type": "Wait", "Seconds": 60, "End": true},
      "Boom": {"Type": "Fail", "Error": "Item.Bad"}
      """#
    let definition = #"""
      {"StartAt": "Fan", "States": {
        "Fan": {"Type": "Map", "End": true, "MaxConcurrency": 3,
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Work", "States": {\#(processor)}}}}}
      """#
    let items: JSON = [["fail": false], ["fail": false], ["fail": true], ["fail": false]]
    let result = try await Executor.run(definition, input: items)
    let run = try #require(result.mapRuns.first)
    #expect(run.status == .failed)
    #expect(run.itemCounts.aborted == 2)
    #expect(run.itemCounts.failed == 1)
    #expect(run.itemCounts.pending == 1)
    #expect(run.itemCounts.running == 0)
    #expect(run.executions.filter { $0.status == .aborted }.count == 2)
  }

  @Test("An execution that times out while its Map Run runs writes MapRunAborted")
  func abortedByTimeout() async throws {
    let definition = #"""
      {"StartAt": "Fan", "TimeoutSeconds": 10, "States": {
        "Fan": {"Type": "Map", "End": true,
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 60, "End": true}}}}}}
      """#
    let result = try await Executor.run(definition, input: [1, 2])
    #expect(result.status == .timedOut)
    #expect(
      Array(result.eventTypes.suffix(3)) == ["MapRunStarted", "MapRunAborted", "ExecutionTimedOut"])
    let run = try #require(result.mapRuns.first)
    #expect(run.status == .aborted)
    #expect(run.itemCounts.aborted == 2)
  }

  @Test("An execution stopped from outside aborts its Map Run with MapRunAborted")
  func abortedByStop() async throws {
    let definition = #"""
      {"StartAt": "Fan", "States": {
        "Fan": {"Type": "Map", "End": true,
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Wait", "States": {"Wait": {"Type": "Task",
              "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
              "Parameters": {"token.$": "$$.Task.Token"}, "End": true}}}}}}
      """#
    var options = ExecutionOptions()
    options.waitsForCallbacks = true
    options.handlers.register(
      ClosureTaskHandler { _, _ in [:] },
      forResource: "arn:aws:states:::lambda:invoke.waitForTaskToken")
    let machine = try StateMachine(json: definition)
    let execution = machine.start(input: [1], options: options)
    for await _ in execution.taskTokens { break }
    execution.stop(error: "Stopped", cause: "by test")
    let result = await execution.result()
    #expect(result.status == .aborted)
    #expect(Array(result.eventTypes.suffix(2)) == ["MapRunAborted", "ExecutionAborted"])
    #expect(result.mapRuns.first?.status == .aborted)
  }

  @Test("Two runs with the same seed give the same Map Run records")
  func determinism() async throws {
    var described: [String] = []
    for _ in 0..<2 {
      let result = try await Executor.run(
        Self.machine(#""ToleratedFailurePercentage": 50,"#), input: Self.items(failing: 1, of: 3),
        seed: 42)
      described.append(
        result.mapRuns.map { $0.describe.serialized() + $0.executions.map(\.executionArn).joined() }
          .joined())
    }
    #expect(described[0] == described[1])
  }
}

@Suite("Distributed Map: EXPRESS child executions")
struct DistributedMapExpressTests {
  static func machine(type: String, wait: Int, tolerated: Int) -> String {
    #"""
    {"StartAt": "Fan", "States": {
      "Fan": {"Type": "Map", "End": true, "ToleratedFailureCount": \#(tolerated),
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "\#(type)"},
          "StartAt": "Choose", "States": {
            "Choose": {"Type": "Choice", "Choices": [{"Variable": "$.slow", "BooleanEquals": true,
              "Next": "Slow"}], "Default": "Done"},
            "Slow": {"Type": "Wait", "Seconds": \#(wait), "Next": "Done"},
            "Done": {"Type": "Pass", "End": true}}}}}}
    """#
  }

  static let items: JSON = [["slow": true], ["slow": false]]

  @Test("An EXPRESS child running past five minutes times out with States.Timeout")
  func expressTimesOut() async throws {
    let result = try await Executor.run(
      Self.machine(type: "EXPRESS", wait: 400, tolerated: 1), input: Self.items)
    #expect(result.status == .succeeded, "\(result.summary)")
    #expect(
      result.output?[0] == [
        "Error": "States.Timeout", "Cause": .string(Engine.expressChildTimeoutCause),
      ])
    let run = try #require(result.mapRuns.first)
    #expect(run.itemCounts.timedOut == 1)
    #expect(run.itemCounts.succeeded == 1)
    #expect(result.offsets("MapRunSucceeded") == [300])
  }

  @Test("Without tolerance the timed-out EXPRESS child fails the Map Run")
  func expressTimeoutFailsMap() async throws {
    let result = try await Executor.run(
      Self.machine(type: "EXPRESS", wait: 400, tolerated: 0), input: Self.items)
    #expect(result.error == "States.ExceedToleratedFailureThreshold")
    #expect(result.offsets("MapRunFailed") == [300])
  }

  @Test("A STANDARD child has no five-minute limit; an EXPRESS child within it succeeds")
  func noLimit() async throws {
    let standard = try await Executor.run(
      Self.machine(type: "STANDARD", wait: 400, tolerated: 0), input: Self.items)
    #expect(standard.status == .succeeded, "\(standard.summary)")
    #expect(standard.offsets("MapRunSucceeded") == [400])
    let express = try await Executor.run(
      Self.machine(type: "EXPRESS", wait: 299, tolerated: 0), input: Self.items)
    #expect(express.status == .succeeded, "\(express.summary)")
    #expect(express.mapRuns.first?.itemCounts.timedOut == 0)
  }
}

@Suite("Distributed Map: Map Runs aborted with their branch")
struct DistributedMapAbortTests {
  @Test("A Map Run in a Parallel branch aborted by its sibling's failure writes MapRunAborted then")
  func abortedWithBranch() async throws {
    let definition = #"""
      {"StartAt": "Both", "States": {
        "Both": {"Type": "Parallel", "End": true, "Branches": [
          {"StartAt": "Fan", "States": {"Fan": {"Type": "Map", "End": true,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
              "StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 60, "End": true}}}}}},
          {"StartAt": "Later", "States": {
            "Later": {"Type": "Wait", "Seconds": 5, "Next": "Boom"},
            "Boom": {"Type": "Fail", "Error": "Branch.Failed"}}}]}}}
      """#
    let result = try await Executor.run(definition, input: [1, 2])
    #expect(result.status == .failed)
    let types = result.eventTypes
    let aborted = try #require(types.firstIndex(of: "MapRunAborted"))
    let parallelFailed = try #require(types.firstIndex(of: "ParallelStateFailed"))
    #expect(aborted < parallelFailed)
    #expect(types.filter { $0 == "MapRunAborted" }.count == 1)
    let run = try #require(result.mapRuns.first)
    #expect(run.status == .aborted)
    #expect(run.itemCounts.aborted == 2)
    #expect(result.offset(of: result.events("MapRunAborted")[0]) == 5)
  }

  /// A distributed Map over the input in batches of two whose child fails when its batch holds
  /// an item `{"fail": true}`.
  static func batchedMachine(_ tolerance: String) -> String {
    #"""
    {"StartAt": "Fan", "States": {
      "Fan": {"Type": "Map", "End": true, "ItemBatcher": {"MaxItemsPerBatch": 2}, \#(tolerance)
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
          "StartAt": "Check", "States": {
            "Check": {"Type": "Choice", "Default": "Done", "Choices": [
              {"Variable": "$.Items[0].fail", "BooleanEquals": true, "Next": "Broken"}]},
            "Broken": {"Type": "Fail", "Error": "Broken"},
            "Done": {"Type": "Pass", "End": true}}}}}}
    """#
  }

  @Test(
    "With an ItemBatcher the tolerance counts items: a failed batch of two fails two items",
    arguments: [
      (#""ToleratedFailureCount": 2,"#, true), (#""ToleratedFailureCount": 1,"#, false),
      (#""ToleratedFailurePercentage": 33.4,"#, true),
      (#""ToleratedFailurePercentage": 33,"#, false),
    ])
  func batchTolerance(tolerance: String, succeeds: Bool) async throws {
    let result = try await Executor.run(
      Self.batchedMachine(tolerance), input: DistributedMapRunTests.items(failing: 1, of: 6))
    #expect(result.status == (succeeds ? ExecutionStatus.succeeded : .failed), "\(result.summary)")
    let run = try #require(result.mapRuns.first)
    #expect(run.itemCounts.total == 6)
    #expect(run.executionCounts.total == 3)
    #expect(run.itemCounts.failed == 2)
    #expect(run.executionCounts.failed == 1)
    if !succeeds { #expect(result.error == "States.ExceedToleratedFailureThreshold") }
    // ListExecutions gives each child's batch size (a failed run lists the children it started).
    let listed = run.listExecutions["executions"]?.arrayValue ?? []
    #expect(!listed.isEmpty)
    #expect(listed.allSatisfy { $0["itemCount"] == 2 })
    if succeeds { #expect(listed.count == 3) }
  }

}

@Suite("Distributed Map: AWS's MapStateExited ordering by date")
struct MapStateExitedOrderingTests {
  static let definition = #"""
    {"StartAt": "Fan", "States": {"Fan": {"Type": "Map", "End": true,
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "W", "States": {"W": {"Type": "Pass", "End": true}}}}}}
    """#

  /// The type of the event `MapStateExited` points at, for an execution reproducing `date`.
  static func exitedFollows(_ date: Instant?) async throws -> String? {
    let machine = try StateMachine(json: definition)
    var options = ExecutionOptions()
    options.behaviorDate = date
    let result = await machine.run(input: [1, 2], options: options)
    let events = result.history.events
    let exited = try #require(events.first { $0.type == "MapStateExited" })
    return events.first { $0.id == exited.previousEventId }?.type
  }

  @Test("Today (and from 2024-11-13) MapStateExited follows MapRunStarted, as AWS writes it now")
  func today() async throws {
    #expect(try await Self.exitedFollows(nil) == "MapRunStarted")
    #expect(
      try await Self.exitedFollows(Instant(rfc3339: "2024-11-13T00:00:00Z")) == "MapRunStarted")
  }

  @Test("Before 2024-11-13 MapStateExited follows MapRunSucceeded, as AWS wrote it then")
  func before() async throws {
    #expect(
      try await Self.exitedFollows(Instant(rfc3339: "2024-06-19T14:38:39Z")) == "MapRunSucceeded")
  }
}

@Suite("$$.Execution.RedriveCount by date")
struct RedriveCountContextTests {
  static func context(_ date: Instant?) async throws -> JSON? {
    let machine = try StateMachine(
      json:
        #"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"e.$": "$$.Execution"}, "End": true}}}"#
    )
    var options = ExecutionOptions()
    options.behaviorDate = date
    return await machine.run(input: [:], options: options).output?["e"]
  }

  @Test("Since AWS launched redrive (2023-11-15) $$.Execution has RedriveCount; before, not")
  func byDate() async throws {
    #expect(try await Self.context(nil)?["RedriveCount"] == 0)
    #expect(try await Self.context(Instant(rfc3339: "2023-11-15T00:00:00Z"))?["RedriveCount"] == 0)
    let before = try await Self.context(Instant(rfc3339: "2023-10-24T15:18:16Z"))
    #expect(before?["RoleArn"] != nil)
    #expect(before?["RedriveCount"] == nil)
  }
}
