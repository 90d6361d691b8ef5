import FuzzSupport
import StepFunctionsJSON
import StepFunctionsLanguage
import StepFunctionsRuntime

/// Fuzzes the JSONPath parser and evaluation. Input: the path on the first line, then (after a
/// newline) a JSON document to evaluate it on; without one, a small sample document.
///
/// Invariants: a rejected path has a message and an offset inside the text; an accepted one
/// keeps its text, and its canonical (Jayway) form parses back to the same segments when it
/// can be written without quoting problems (no filter, no `'` or `\` in a name); evaluation
/// gives the same answer twice, `matches(in:)` agrees with `value(in:)`, and a value assigned
/// at a Reference Path (as `ResultPath` does) is read back at that path.
enum JSONPathTarget {
  static let sample: JSON = [
    "a": [1, 2.5, "x", ["b": [true, .null]], []],
    "store": ["book": [["price": 8, "title": "A"], ["price": 12, "isbn": "1"]]],
    "n": -3, "s": "text", "o": ["a": ["a": 1]],
  ]

  static func test(_ bytes: [UInt8]) {
    let (text, rest) = FuzzInput.firstLine(bytes)
    let document = rest.flatMap { try? JSONParser.parse($0) } ?? sample
    let path: JSONPath
    do {
      path = try JSONPath(parsing: text)
    } catch {
      Invariant.require(
        error.offset >= 0 && error.offset <= text.unicodeScalars.count,
        "syntax error offset \(error.offset) outside '\(text)': \(error)")
      Invariant.require(!error.message.isEmpty, "syntax error without a message for '\(text)'")
      return
    }
    Invariant.require(path.text == text, "the path forgot its text: '\(path.text)' for '\(text)'")
    checkCanonicalForm(path)
    checkEvaluation(path, document)
    checkAssignment(path, document)
  }

  /// The canonical form parses back to the same segments (roots all print as `$`).
  static func checkCanonicalForm(_ path: JSONPath) {
    guard path.segments.allSatisfy(isPrintable) else { return }
    let canonical = path.canonicalDescription
    do {
      let reparsed = try JSONPath(parsing: canonical)
      Invariant.require(
        reparsed.segments.map(withoutStep) == path.segments.map(withoutStep),
        "'\(path.text)' prints as '\(canonical)', which parses to other segments: "
          + "\(reparsed.segments) instead of \(path.segments)")
      Invariant.require(
        reparsed.canonicalDescription == canonical,
        "'\(canonical)' prints as '\(reparsed.canonicalDescription)'")
    } catch {
      Invariant.fail("'\(path.text)' prints as '\(canonical)', which does not parse: \(error)")
    }
  }

  /// The segment without a slice step, which Jayway ignores and does not print.
  static func withoutStep(_ segment: JSONPathSegment) -> JSONPathSegment {
    switch segment {
    case .slice(let slice): return .slice(JSONPathSlice(start: slice.start, end: slice.end))
    case .descendant(let selector): return .descendant(withoutStep(selector))
    default: return segment
    }
  }

  /// Whether Jayway's canonical form of the segment can be parsed back: filters print as `[?]`
  /// and names are quoted without escapes, so neither is checked.
  static func isPrintable(_ segment: JSONPathSegment) -> Bool {
    func plain(_ name: String) -> Bool {
      !name.unicodeScalars.contains { $0 == "'" || $0 == "\\" }
    }
    switch segment {
    case .name(let name): return plain(name)
    case .names(let names): return names.allSatisfy(plain)
    case .filter: return false
    case .descendant(let selector): return isPrintable(selector)
    case .index, .indices, .slice, .wildcard, .function: return true
    }
  }

  /// Evaluation is deterministic and its two forms agree.
  static func checkEvaluation(_ path: JSONPath, _ document: JSON) {
    let value = Result { () throws(JSONPathEvaluationError) in try path.value(in: document) }
    let again = Result { () throws(JSONPathEvaluationError) in try path.value(in: document) }
    Invariant.require(same(value, again), "'\(path.text)' evaluates differently twice")
    let matches = Result { () throws(JSONPathEvaluationError) in try path.matches(in: document) }
    switch (value, matches) {
    case (.success(let value), .success(let matches)):
      if path.isDefinite || path.endsInFunction {
        Invariant.require(matches == [value], "'\(path.text)': matches \(matches), value \(value)")
      } else {
        Invariant.require(
          value == .array(matches), "'\(path.text)': matches \(matches), value \(value)")
      }
    case (.failure(let error), .failure):
      Invariant.require(!error.message.isEmpty, "'\(path.text)': an error without a message")
    case (.success(let value), .failure(let error)):
      Invariant.fail("'\(path.text)': value(in:) gives \(value) but matches(in:) throws \(error)")
    case (.failure(let error), .success(let matches)):
      Invariant.fail("'\(path.text)': matches(in:) gives \(matches) but value(in:) throws \(error)")
    }
  }

  /// What `ResultPath` places at a Reference Path is found there.
  static func checkAssignment(_ path: JSONPath, _ document: JSON) {
    guard path.isReferencePath else { return }
    let marker: JSON = ["fuzz": [1, "marker"]]
    guard let assigned = try? path.assigning(marker, into: document) else { return }
    do {
      let read = try path.value(in: assigned)
      Invariant.require(read == marker, "'\(path.text)': assigned \(marker), read back \(read)")
    } catch {
      Invariant.fail("'\(path.text)': a value was assigned but cannot be read back: \(error)")
    }
  }

  static func same(
    _ lhs: Result<JSON, JSONPathEvaluationError>, _ rhs: Result<JSON, JSONPathEvaluationError>
  ) -> Bool {
    switch (lhs, rhs) {
    case (.success(let left), .success(let right)):
      return JSONSerializer().bytes(left) == JSONSerializer().bytes(right)
    case (.failure(let left), .failure(let right)): return left == right
    default: return false
    }
  }
}
