import Foundation
import StepFunctions
import StepFunctionsTesting

/// A case built by hand, for tests that must run without the corpus.
func handMadeCase(
  _ expected: ConformanceCase.Expected, normalization: ConformanceCase.EventsNormalization? = nil,
  transformers: [JSON] = []
) -> ConformanceCase {
  ConformanceCase(
    name: "hand-made", fileURL: URL(fileURLWithPath: "/cases/hand-made.json"), category: .pure,
    definition: ["StartAt": "A", "States": [:]], input: [:], expected: expected,
    eventsNormalization: normalization,
    source: ConformanceCase.Source(snapshotKey: "hand-made", testTransformers: transformers))
}

/// The paths and kinds of a result's differences, for exact assertions.
func summary(_ result: ConformanceResult) -> [String] {
  result.differences.map { "\($0.kind.rawValue) \($0.path)" }
}

extension JSON {
  /// This value with the member or element at `tokens` replaced by `value`, or removed when
  /// `value` is `nil`. Paths that do not exist leave the value unchanged.
  func replacing(_ tokens: ArraySlice<String>, with value: JSON?) -> JSON {
    guard let first = tokens.first else { return value ?? .null }
    switch self {
    case .object(var object):
      if tokens.count == 1 {
        object[first] = value
      } else if let member = object[first] {
        object[first] = member.replacing(tokens.dropFirst(), with: value)
      }
      return .object(object)
    case .array(var elements):
      guard let index = Int(first), elements.indices.contains(index) else { return self }
      if tokens.count == 1 {
        if let value { elements[index] = value } else { elements.remove(at: index) }
      } else {
        elements[index] = elements[index].replacing(tokens.dropFirst(), with: value)
      }
      return .array(elements)
    case .null, .bool, .number, .string:
      return self
    }
  }

  /// This value with the member at `tokens` (a `/`-separated path) replaced.
  func replacing(_ path: String, with value: JSON?) -> JSON {
    replacing(ArraySlice(path.split(separator: "/").map(String.init)), with: value)
  }

  /// For a JSON-text member at `path`: decodes it, replaces `innerPath` inside, encodes again.
  func replacingInText(_ path: String, _ innerPath: String, with value: JSON) -> JSON {
    let tokens = path.split(separator: "/").map(String.init)
    var current: JSON? = self
    for token in tokens { current = current?[token] ?? Int(token).flatMap { current?[$0] } }
    guard let text = current?.stringValue, let decoded = try? JSON(parsing: text) else {
      return self
    }
    return replacing(path, with: .string(decoded.replacing(innerPath, with: value).serialized()))
  }
}

extension ExecutionOutcome {
  /// This outcome with event `index` changed by `change`.
  func changingEvent(_ index: Int, _ change: (JSON) -> JSON) -> ExecutionOutcome {
    var copy = self
    if var events = copy.events, events.indices.contains(index) {
      events[index] = change(events[index])
      copy.events = events
    }
    return copy
  }
}
