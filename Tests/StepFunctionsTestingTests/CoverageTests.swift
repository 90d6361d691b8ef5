import Foundation
import StepFunctions
import StepFunctionsTesting
import Testing

/// A machine with every kind of coverable item: a Choice with two rules and a `Default`, a Task
/// with two retriers and two catchers, a Parallel state whose second branch holds an inline
/// Map, a Succeed and a Fail state.
let coverageDefinition = """
  {
    "StartAt": "Route",
    "States": {
      "Route": {
        "Type": "Choice",
        "Choices": [
          {"Variable": "$.mode", "StringEquals": "work", "Next": "Work"},
          {"Variable": "$.mode", "StringEquals": "fan", "Next": "FanOut"}
        ],
        "Default": "Rejected"
      },
      "Work": {
        "Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work",
        "Retry": [
          {"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 2},
          {"ErrorEquals": ["States.Timeout"], "MaxAttempts": 1}
        ],
        "Catch": [
          {"ErrorEquals": ["Broken"], "Next": "Rejected"},
          {"ErrorEquals": ["States.ALL"], "Next": "Done"}
        ],
        "Next": "Done"
      },
      "FanOut": {
        "Type": "Parallel",
        "Branches": [
          {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": true}}},
          {
            "StartAt": "Right",
            "States": {
              "Right": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": {
                  "ProcessorConfig": {"Mode": "INLINE"},
                  "StartAt": "Each",
                  "States": {"Each": {"Type": "Pass", "End": true}}
                },
                "End": true
              }
            }
          }
        ],
        "Next": "Done"
      },
      "Done": {"Type": "Succeed"},
      "Rejected": {"Type": "Fail", "Error": "Rejected"}
    }
  }
  """

let workResource = "arn:aws:lambda:us-east-1:123456789012:function:work"

/// A test of the coverage machine whose `Work` task answers with `responses`.
func coverageTest(_ responses: ScriptedResponse...) throws -> WorkflowTest {
  try WorkflowTest(json: coverageDefinition)
    .handling(resource: workResource, with: ScriptedHandler(responses))
}

/// The items as `description`s with their hits: `["state Route: 1", ...]`.
func described(_ items: [CoverageItem]) -> [String] {
  items.map { "\($0): \($0.hits)" }
}

@Suite("Coverage")
struct CoverageTests {
  @Test(
    "The items of a definition are every state, rule, Default, retrier, catcher, branch and Fail state, in definition order"
  )
  func universe() throws {
    let coverage = Coverage(try StateMachine(json: coverageDefinition), name: "Router")
    #expect(
      coverage.items.map(\.description) == [
        "state Route", "choice rule 0 of Route → Work", "choice rule 1 of Route → FanOut",
        "Default of Route → Rejected", "state Work", "retrier 0 of Work [Flaky]",
        "retrier 1 of Work [States.Timeout]", "catcher 0 of Work [Broken] → Rejected",
        "catcher 1 of Work [States.ALL] → Done", "state FanOut", "branch 0 of FanOut",
        "branch 1 of FanOut", "state Left", "state Right", "branch 0 of Right", "state Each",
        "state Done", "state Rejected", "Fail state Rejected",
      ])
    #expect(coverage.uncovered.count == coverage.items.count)
    let summary = coverage.summary
    #expect(summary[.states] == CoverageCount(covered: 0, total: 8))
    #expect(summary[.choiceRules] == CoverageCount(covered: 0, total: 3))
    #expect(summary[.retriers].total == 2)
    #expect(summary[.catchers].total == 2)
    #expect(summary[.branches].total == 3)
    #expect(summary[.failStates].total == 1)
    #expect(summary[.states].percent == 0)
  }

  @Test("Without recordsCoverage an execution has no coverage record")
  func offByDefault() async throws {
    let machine = try StateMachine(json: coverageDefinition)
    let result = await machine.run(input: ["mode": "nothing"])
    #expect(result.coverage == nil)
    var coverage = Coverage(machine)
    coverage.add(result)
    #expect(coverage.executionCount == 0)
    #expect(coverage.uncovered.count == coverage.items.count)
  }

  @Test("A rule taken, a retrier that fired and the states entered are covered; the rest is not")
  func ruleAndRetrier() async throws {
    let collector = CoverageCollector()
    let run = try await coverageTest(.throwing("Flaky"), .returning([:]))
      .collectingCoverage(into: collector, as: "Router").run(input: ["mode": "work"])
    run.expectSucceeded()
    let coverage = try #require(collector.coverage(of: "Router"))
    #expect(
      described(coverage.items.filter(\.isCovered)) == [
        "state Route: 1", "choice rule 0 of Route → Work: 1", "state Work: 1",
        "retrier 0 of Work [Flaky]: 1", "state Done: 1",
      ])
    #expect(coverage.summary[.retriers] == CoverageCount(covered: 1, total: 2))
    #expect(coverage.summary[.retriers].percent == 50)
    #expect(coverage.summary[.choiceRules].percent == 33.33)
  }

  @Test("The Default, a Fail state and a catcher are covered when taken, reached and caught")
  func defaultFailAndCatcher() async throws {
    let collector = CoverageCollector()
    let rejected = try await coverageTest().collectingCoverage(into: collector, as: "Router")
      .run(input: ["mode": "other"])
    rejected.expectFailed(error: "Rejected")
    let broken = try await coverageTest(.throwing("Broken"))
      .collectingCoverage(into: collector, as: "Router").run(input: ["mode": "work"])
    broken.expectFailed(error: "Rejected")
    let coverage = try #require(collector.coverage(of: "Router"))
    let covered = described(coverage.items.filter(\.isCovered))
    #expect(covered.contains("Default of Route → Rejected: 1"))
    #expect(covered.contains("catcher 0 of Work [Broken] → Rejected: 1"))
    #expect(covered.contains("Fail state Rejected: 2"))
    #expect(covered.contains("state Route: 2"))
    #expect(!covered.contains { $0.hasPrefix("retrier") || $0.hasPrefix("catcher 1") })
    #expect(coverage.summary[.failStates].percent == 100)
    #expect(coverage.executionCount == 2)
  }

  @Test("Parallel branches, an inline Map's iterations and the states inside them are covered")
  func nestedParallelAndMap() async throws {
    let machine = try StateMachine(json: coverageDefinition)
    var options = ExecutionOptions()
    options.recordsCoverage = true
    let result = await machine.run(input: ["mode": "fan", "items": [1, 2, 3]], options: options)
    #expect(result.status == .succeeded)
    let record = try #require(result.coverage)
    #expect(record.count(of: .branch(state: "FanOut", branch: 0)) == 1)
    #expect(record.count(of: .branch(state: "FanOut", branch: 1)) == 1)
    #expect(record.count(of: .branch(state: "Right", branch: 0)) == 3)
    #expect(record.count(of: .stateEntered("Each")) == 3)
    var coverage = Coverage(machine, name: "Router")
    coverage.add(result)
    #expect(coverage.summary[.branches] == CoverageCount(covered: 3, total: 3))
    #expect(
      described(coverage.uncovered) == [
        "choice rule 0 of Route → Work: 0", "Default of Route → Rejected: 0", "state Work: 0",
        "retrier 0 of Work [Flaky]: 0", "retrier 1 of Work [States.Timeout]: 0",
        "catcher 0 of Work [Broken] → Rejected: 0", "catcher 1 of Work [States.ALL] → Done: 0",
        "state Rejected: 0", "Fail state Rejected: 0",
      ])
  }

  @Test("Coverage merges across executions: hits add up and every path run counts")
  func mergesAcrossExecutions() async throws {
    let machine = try StateMachine(json: coverageDefinition)
    var first = Coverage(machine, name: "Router")
    var second = Coverage(machine, name: "Router")
    let collector = CoverageCollector()
    first.add(await collector.run(machine, as: "Router", input: ["mode": "fan", "items": [1]]))
    second.add(
      await collector.run(machine, as: "Router", input: ["mode": "fan", "items": [1, 2]]))
    second.add(await collector.run(machine, as: "Router", input: ["mode": "other"]))
    first.merge(second)
    #expect(first.executionCount == 3)
    #expect(first.items.first { $0.description == "state Each" }?.hits == 3)
    #expect(first.items.first { $0.description == "Fail state Rejected" }?.hits == 1)
    #expect(first.items.first { $0.description == "state Rejected" }?.hits == 1)
    let collected = try #require(collector.coverage(of: "Router"))
    #expect(collected.items == first.items)
  }

  @Test("A retrier that fired and then a catcher that caught are both covered, with their counts")
  func retriesThenCatch() async throws {
    let collector = CoverageCollector()
    let run = try await coverageTest(.throwing("Flaky"), .throwing("Flaky"), .throwing("Flaky"))
      .collectingCoverage(into: collector, as: "Router").run(input: ["mode": "work"])
    run.expectSucceeded()
    let coverage = try #require(collector.coverage(of: "Router"))
    #expect(coverage.items.first { $0.description == "retrier 0 of Work [Flaky]" }?.hits == 2)
    #expect(
      coverage.items.first { $0.description == "catcher 1 of Work [States.ALL] → Done" }?.hits
        == 1)
    #expect(coverage.summary[.catchers] == CoverageCount(covered: 1, total: 2))
  }

  @Test("A JSONata Choice records the rule taken and the Default")
  func jsonataChoice() async throws {
    let machine = try StateMachine(
      json: """
        {
          "QueryLanguage": "JSONata",
          "StartAt": "Pick",
          "States": {
            "Pick": {
              "Type": "Choice",
              "Choices": [{"Condition": "{% $states.input.n > 1 %}", "Next": "Big"}],
              "Default": "Small"
            },
            "Big": {"Type": "Succeed"},
            "Small": {"Type": "Succeed"}
          }
        }
        """)
    let collector = CoverageCollector()
    _ = await collector.run(machine, as: "Pick", input: ["n": 5])
    _ = await collector.run(machine, as: "Pick", input: ["n": 0])
    _ = await collector.run(machine, as: "Pick", input: ["n": 0])
    let coverage = try #require(collector.coverage(of: "Pick"))
    #expect(
      described(coverage.items) == [
        "state Pick: 3", "choice rule 0 of Pick → Big: 1", "Default of Pick → Small: 2",
        "state Big: 1", "state Small: 2",
      ])
    #expect(coverage.uncovered.isEmpty)
  }

  @Test("A distributed Map's child executions record their states and iterations")
  func distributedMap() async throws {
    let machine = try StateMachine(
      json: """
        {
          "StartAt": "Fan",
          "States": {
            "Fan": {
              "Type": "Map",
              "ItemsPath": "$.items",
              "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Check",
                "States": {
                  "Check": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$", "NumericGreaterThan": 1, "Next": "Big"}],
                    "Default": "Small"
                  },
                  "Big": {"Type": "Pass", "End": true},
                  "Small": {"Type": "Pass", "End": true}
                }
              },
              "End": true
            }
          }
        }
        """)
    let collector = CoverageCollector()
    let result = await collector.run(machine, as: "Fan", input: ["items": [1, 2, 3]])
    #expect(result.status == .succeeded)
    let coverage = try #require(collector.coverage(of: "Fan"))
    #expect(
      described(coverage.items) == [
        "state Fan: 1", "branch 0 of Fan: 3", "state Check: 3", "choice rule 0 of Check → Big: 2",
        "Default of Check → Small: 1", "state Big: 2", "state Small: 1",
      ])
  }

  @Test("A replay with recordsCoverage covers what the recorded execution covered")
  func replay() async throws {
    let machine = try StateMachine(json: coverageDefinition)
    var options = ExecutionOptions()
    options.recordsCoverage = true
    options.handlers.register(
      ScriptedHandler([.throwing("Flaky"), .returning(["ok": true])]), forResource: workResource)
    let recorded = await machine.run(input: ["mode": "work"], options: options)
    #expect(recorded.status == .succeeded)
    var replayOptions = ReplayOptions()
    replayOptions.recordsCoverage = true
    let replayed = try await machine.replayResult(for: recorded.history, options: replayOptions)
    #expect(replayed.report.isMatched)
    var fromReplay = Coverage(machine, name: "Router")
    fromReplay.add(replayed)
    var fromRun = Coverage(machine, name: "Router")
    fromRun.add(recorded)
    #expect(fromReplay.items == fromRun.items)
    #expect(fromReplay.items.first { $0.description == "retrier 0 of Work [Flaky]" }?.hits == 1)
    let collector = CoverageCollector()
    collector.record(replayed, of: machine, as: "Router")
    #expect(collector.coverage(of: "Router")?.items == fromRun.items)
  }

  @Test("A redrive with recordsCoverage covers only what runs after the redrive")
  func redrive() async throws {
    let machine = try StateMachine(
      json: """
        {
          "StartAt": "Prepare",
          "States": {
            "Prepare": {"Type": "Pass", "Next": "Call"},
            "Call": {"Type": "Task", "Resource": "\(workResource)", "Next": "Done"},
            "Done": {"Type": "Succeed"}
          }
        }
        """)
    var options = ExecutionOptions()
    options.recordsCoverage = true
    options.handlers.register(ScriptedHandler(.throwing("Broken")), forResource: workResource)
    let failed = await machine.run(input: [:], options: options)
    #expect(failed.status == .failed)
    var redriving = RedriveOptions()
    redriving.recordsCoverage = true
    redriving.handlers.register(ScriptedHandler(.returning([:])), forResource: workResource)
    let redriven = try await machine.redrive(failed.history, options: redriving)
    #expect(redriven.status == .succeeded)
    var coverage = Coverage(machine, name: "Redriven")
    coverage.add(redriven)
    #expect(described(coverage.items) == ["state Prepare: 0", "state Call: 1", "state Done: 1"])
    coverage.add(failed)
    #expect(described(coverage.items) == ["state Prepare: 1", "state Call: 2", "state Done: 1"])
  }

  @Test("A collector shared by many parallel tasks loses no hit")
  func parallelCollection() async throws {
    let machine = try StateMachine(json: coverageDefinition)
    let collector = CoverageCollector()
    await withTaskGroup(of: Void.self) { group in
      for index in 0..<40 {
        group.addTask {
          let input: JSON = index % 2 == 0 ? ["mode": "fan", "items": [1, 2]] : ["mode": "other"]
          _ = await collector.run(machine, as: "Router", input: input)
        }
      }
    }
    let coverage = try #require(collector.coverage(of: "Router"))
    #expect(coverage.executionCount == 40)
    #expect(coverage.items.first { $0.description == "state Route" }?.hits == 40)
    #expect(coverage.items.first { $0.description == "state Each" }?.hits == 40)
    #expect(coverage.items.first { $0.description == "Fail state Rejected" }?.hits == 20)
  }

  @Test("Two state machines are kept apart by name, and a registered one shows at 0%")
  func perStateMachine() async throws {
    let machine = try StateMachine(json: coverageDefinition)
    let other = try StateMachine(
      json: #"{"StartAt": "Only", "States": {"Only": {"Type": "Pass", "End": true}}}"#)
    let collector = CoverageCollector()
    collector.register(other, as: "Other")
    _ = await collector.run(machine, as: "Router", input: ["mode": "other"])
    #expect(collector.coverages.map(\.stateMachineName) == ["Other", "Router"])
    let unrun = try #require(collector.coverage(of: "Other"))
    #expect(unrun.summary[.states] == CoverageCount(covered: 0, total: 1))
    #expect(unrun.summary[.choiceRules].percent == 100)
    #expect(unrun.executionCount == 0)
  }

  @Test("The JSON shape has the summary per kind, the items and the uncovered items")
  func jsonShape() async throws {
    let collector = CoverageCollector()
    _ = try await coverageTest(.throwing("Broken"))
      .collectingCoverage(into: collector, as: "Router").run(input: ["mode": "work"])
    let coverage = try #require(collector.coverage(of: "Router"))
    let json = Coverage.json([coverage])
    let machine = try #require(json["stateMachines"]?[0])
    #expect(machine["name"] == "Router")
    #expect(machine["summary"]?["states"] == ["covered": 3, "total": 8, "percent": 37.5])
    #expect(machine["summary"]?["failStates"] == ["covered": 1, "total": 1, "percent": 100])
    #expect(machine["summary"]?["branches"] == ["covered": 0, "total": 3, "percent": 0])
    #expect(
      machine["summary"]?.objectValue?.keys.map { $0 } == [
        "states", "choiceRules", "retriers", "catchers", "branches", "failStates",
      ])
    #expect(
      machine["items"]?[1]
        == [
          "kind": "choiceRule", "state": "Route", "rule": 0, "next": "Work", "covered": true,
          "hits": 1,
        ])
    #expect(
      machine["items"]?[3]
        == [
          "kind": "choiceDefault", "state": "Route", "next": "Rejected", "covered": false,
          "hits": 0,
        ])
    #expect(
      machine["items"]?[5]
        == [
          "kind": "retrier", "state": "Work", "retrier": 0, "errorEquals": ["Flaky"],
          "covered": false,
          "hits": 0,
        ])
    #expect(
      machine["items"]?[7]
        == [
          "kind": "catcher", "state": "Work", "catcher": 0, "errorEquals": ["Broken"],
          "next": "Rejected",
          "covered": true, "hits": 1,
        ])
    #expect(
      machine["items"]?[10] == [
        "kind": "branch", "state": "FanOut", "branch": 0, "covered": false, "hits": 0,
      ])
    #expect(
      machine["items"]?[18] == [
        "kind": "failState", "state": "Rejected", "covered": true, "hits": 1,
      ])
    #expect(machine["uncovered"]?.arrayValue?.count == coverage.uncovered.count)
    #expect(
      machine["uncovered"]?[0] == [
        "kind": "choiceRule", "state": "Route", "rule": 1, "next": "FanOut", "covered": false,
        "hits": 0,
      ])
  }

  @Test("The text report has a table per kind and names the uncovered items")
  func textReport() async throws {
    let machine = try StateMachine(json: coverageDefinition)
    let collector = CoverageCollector()
    _ = await collector.run(machine, as: "Router", input: ["mode": "fan", "items": [1]])
    let coverage = try #require(collector.coverage(of: "Router"))
    #expect(
      coverage.description == """
        Coverage of Router (1 execution):
          states              6/8  75%
          choice rules        1/3  33.33%
          retriers            0/2  0%
          catchers            0/2  0%
          branches            3/3  100%
          Fail states         0/1  0%
          uncovered:
            choice rule 0 of Route → Work
            Default of Route → Rejected
            state Work
            retrier 0 of Work [Flaky]
            retrier 1 of Work [States.Timeout]
            catcher 0 of Work [Broken] → Rejected
            catcher 1 of Work [States.ALL] → Done
            state Rejected
            Fail state Rejected

        """)
  }
}

/// Shared by the suite below: its trait gathers the suite's runs here.
let traitCollector = CoverageCollector()

@Suite(
  "The coverage trait",
  .collectingCoverage(into: traitCollector) { collector in
    // Both tests of the suite have run: their paths together cover all three choices.
    let coverage = try #require(collector.coverage(of: "Router"))
    #expect(coverage.executionCount == 2)
    #expect(coverage.summary[.choiceRules] == CoverageCount(covered: 2, total: 3))
  })
struct CoverageTraitTests {
  @Test("A WorkflowTest run inside the trait records into its collector without being told")
  func recordsIntoCurrent() async throws {
    #expect(CoverageCollector.current === traitCollector)
    let run = try await coverageTest().coverageName("Router").run(input: ["mode": "other"])
    run.expectFailed(error: "Rejected")
    #expect(run.result.coverage != nil)
  }

  @Test("Runs from parallel tests of the suite land in the same collector")
  func secondTest() async throws {
    let run = try await coverageTest(.returning([:])).coverageName("Router")
      .run(input: ["mode": "work"])
    run.expectSucceeded()
  }

  @Test(
    "A test trait gathers one test's runs, and a mock test case names its state machine",
    .collectingCoverage(into: CoverageCollector()))
  func testTrait() async throws {
    let collector = try #require(CoverageCollector.current)
    #expect(collector !== traitCollector)
    let mocks = try MockConfiguration(
      json: """
        {
          "StateMachines": {"Router": {"TestCases": {"Works": {"Work": "Ok"}}}},
          "MockedResponses": {"Ok": {"0": {"Return": {"done": true}}}}
        }
        """)
    let run = try await WorkflowTest(json: coverageDefinition)
      .mocking(testCase: "Works", in: mocks).run(input: ["mode": "work"])
    run.expectSucceeded()
    #expect(collector.coverages.map(\.stateMachineName) == ["Router"])
  }
}
