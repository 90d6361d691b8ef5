import Foundation
import StepFunctions
import Synchronization

// The tasks a distributed Map runs in its child executions are not in the parent's history,
// but for the simplest shape their results can still be read from it: when each child workflow
// is one Task state that ends it, with no data-flow field, the child's output is the task's
// result, and the Map state's result (its recorded `MapStateExited` output, at its
// `ResultPath`) is the list of those outputs. With `ResultPath: null` the results are not
// observable at all, so any success reproduces the recording. ``ConformanceChildAnswers``
// answers the child tasks of such Maps; others stay unanswerable (the case is skipped).

/// Answers for the Task states of distributed Map child workflows, read from a recorded
/// parent history where its shape allows it.
struct ConformanceChildAnswers: Sendable {
  /// A distributed Map whose child workflow is a single plain Task state.
  struct SimpleMap: Sendable {
    /// The Map state's `ResultPath`: `nil` when absent (`$`), `.some(nil)` when `null`.
    var resultPath: String??
    /// The Map state's results, one list per recorded `MapStateExited`, in order.
    var results: [[JSON]]
  }

  /// The answerable Maps, by state name.
  let maps: [String: SimpleMap]

  /// The simple distributed Maps of `definition`, with their recorded results in `events`;
  /// `nil` unless every distributed Map that runs a Task in its children is one of them.
  init?(definition: JSON, events: [JSON]) {
    var found: [String: SimpleMap] = [:]
    var unanswerable = false
    Self.collect(definition, into: &found, unanswerable: &unanswerable)
    guard !unanswerable, !found.isEmpty else { return nil }
    for (name, map) in found {
      guard case .some(.some(let path)) = map.resultPath else { continue }
      var results: [[JSON]] = []
      for event in events where event["type"] == "MapStateExited" {
        let details = event["stateExitedEventDetails"]
        guard details?["name"] == .string(name) else { continue }
        var output = details?["output"] ?? .null
        if case .string(let text) = output, let parsed = try? JSONParser.parse(text) {
          output = parsed
        }
        var value: JSON? = output
        if path != "$" {
          guard path.hasPrefix("$.") else { return nil }
          for key in path.dropFirst(2).split(separator: ".") { value = value?[String(key)] }
        }
        guard case .array(let list)? = value else { return nil }
        results.append(list)
      }
      found[name]?.results = results
    }
    maps = found
  }

  /// Finds the distributed Maps running Task states; `unanswerable` when one is not simple.
  private static func collect(
    _ value: JSON, into found: inout [String: SimpleMap], unanswerable: inout Bool
  ) {
    switch value {
    case .object(let object):
      if case .object(let states)? = object["States"] {
        for (name, state) in states {
          guard state["Type"] == "Map",
            let processor = state["ItemProcessor"] ?? state["Iterator"],
            processor["ProcessorConfig"]?["Mode"] == "DISTRIBUTED",
            case .object(let inner)? = processor["States"]
          else { continue }
          let innerTasks = inner.values.filter { $0["Type"] == "Task" }
          guard !innerTasks.isEmpty else { continue }
          let dataFields = [
            "InputPath", "Parameters", "Arguments", "ResultSelector", "ResultPath", "OutputPath",
            "Output", "Assign", "Catch",
          ]
          guard inner.count == 1, let task = innerTasks.first, task["End"] == true,
            dataFields.allSatisfy({ task[$0] == nil })
          else {
            unanswerable = true
            continue
          }
          var resultPath: String?? = .some("$")
          switch state["ResultPath"] {
          case nil: resultPath = .some("$")
          case .null?: resultPath = .some(nil)
          case .string(let path)?: resultPath = .some(path)
          default: unanswerable = true
          }
          found[name] = SimpleMap(resultPath: resultPath, results: [])
        }
      }
      for (_, child) in object { collect(child, into: &found, unanswerable: &unanswerable) }
    case .array(let elements):
      for element in elements { collect(element, into: &found, unanswerable: &unanswerable) }
    case .null, .bool, .number, .string:
      return
    }
  }

  /// How many times each `Map|index` child was started, in one replay.
  private final class Starts: Sendable {
    let counts = Mutex<[String: Int]>([:])
  }

  /// Handlers answering each child Task with the recorded result of its item (a `null` result
  /// where the Map discards them).
  var handlers: TaskHandlerRegistry {
    let starts = Starts()
    let maps = maps
    var registry = TaskHandlerRegistry()
    registry.registerFallback(
      ClosureTaskHandler { request, _ in
        for case .mapIteration(let name, let index) in request.scopes.reversed() {
          guard let map = maps[name] else { continue }
          let key = "\(name)|\(index)"
          let occurrence = starts.counts.withLock { counts -> Int in
            let seen = counts[key, default: 0]
            if request.attempt == 0 { counts[key] = seen + 1 }
            return max(0, request.attempt == 0 ? seen : seen - 1)
          }
          guard case .some(.some) = map.resultPath else { return .null }
          guard occurrence < map.results.count, index < map.results[occurrence].count else {
            break
          }
          return map.results[occurrence][index]
        }
        throw TaskFailure(
          error: "Conformance.Unrecorded",
          cause:
            "The task '\(request.stateName)' runs in a distributed Map child execution whose result the recorded history does not give."
        )
      })
    return registry
  }
}
