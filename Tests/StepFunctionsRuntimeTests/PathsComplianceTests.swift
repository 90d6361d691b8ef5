import CorpusSupport
import Foundation
import StepFunctionsJSON
import StepFunctionsLanguage
import StepFunctionsRuntime
import Testing

/// Where the shared conformance corpus lives: `$SFN_CORPUS`, else `../shared/corpus` next to the
/// package root.
enum PathsCorpus {
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static var directory: URL { Corpus.expectedLocation }

  static func load(_ relativePath: String) -> JSON? {
    let url = directory.appendingPathComponent(relativePath)
    guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
    return try? JSONParser.parse(Array(data))
  }

  static let knownDifferencesURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/jsonpath-known-differences.txt")
}

/// One case of the RFC 9535 compliance suite with its ASL annotation.
struct ComplianceCase: Sendable, CustomTestStringConvertible {
  var name: String
  var selector: String
  var document: JSON?
  /// The acceptable nodelists (several when the order is not determined); empty when the
  /// selector is invalid.
  var results: [[JSON]]
  var isInvalid: Bool
  var isReferencePathSyntax: Bool

  var testDescription: String { name }

  static let all: [ComplianceCase] = {
    guard let corpus = PathsCorpus.load("jsonpath/rfc9535-cases.json"),
      case .array(let cases)? = corpus["cases"]
    else { return [] }
    return cases.compactMap { entry in
      guard let name = entry["name"]?.stringValue, let selector = entry["selector"]?.stringValue
      else { return nil }
      var results: [[JSON]] = []
      if let result = entry["result"]?.arrayValue { results = [result] }
      if let alternatives = entry["results"]?.arrayValue {
        results = alternatives.compactMap(\.arrayValue)
      }
      return ComplianceCase(
        name: name, selector: selector, document: entry["document"], results: results,
        isInvalid: entry["invalid_selector"]?.boolValue ?? false,
        isReferencePathSyntax: entry["asl"]?["reference_path_syntax"]?.boolValue ?? false)
    }
  }()

  /// How this implementation's outcome compares with RFC 9535's, with the reason when it
  /// differs.
  var difference: String? {
    let path: JSONPath
    do {
      path = try JSONPath(parsing: selector)
    } catch {
      return isInvalid ? nil : "Jayway syntax rejects it: \(error.message)"
    }
    if isInvalid {
      return "Jayway syntax accepts what RFC 9535 rejects (read as \(path.canonicalDescription))"
    }
    let selected: [JSON]
    do {
      selected = try path.matches(in: document ?? .null)
    } catch {
      // A definite path that selects nothing throws (AWS reports it as a runtime error); RFC 9535
      // gives an empty nodelist. Both say "nothing here".
      selected = []
    }
    if results.contains(selected) { return nil }
    let expected = results.first.map { JSON.array($0).serialized() } ?? "[]"
    return "Jayway semantics select \(Self.clip(JSON.array(selected).serialized()))"
      + " where RFC 9535 selects \(Self.clip(expected))"
  }

  /// The name under which the parenthesized variant is listed.
  var variantName: String { name + " (as [?(...)])" }

  /// RFC 9535 writes filters `[?expr]`; Jayway (and so AWS) needs `[?(expr)]`. For an RFC-valid
  /// case that uses the RFC form, the same selector with parentheses added, so that the filter
  /// semantics are still checked against RFC 9535.
  var parenthesizedSelector: String? {
    guard !isInvalid, selector.contains("[?"), (try? JSONPath(parsing: selector)) == nil else {
      return nil
    }
    let variant = Self.parenthesizingFilters(Array(selector.unicodeScalars))
    return variant == selector ? nil : variant
  }

  /// How the parenthesized variant compares with RFC 9535, or `nil` when it agrees.
  var parenthesizedDifference: String? {
    guard let variant = parenthesizedSelector else { return nil }
    var copy = self
    copy.selector = variant
    return copy.difference
  }

  static func parenthesizingFilters(_ scalars: [Unicode.Scalar]) -> String {
    var output = String.UnicodeScalarView()
    var index = 0
    while index < scalars.count {
      let startsFilter =
        scalars[index] == "[" && index + 1 < scalars.count && scalars[index + 1] == "?"
        && !(index + 2 < scalars.count && scalars[index + 2] == "(")
      guard startsFilter else {
        output.append(scalars[index])
        index += 1
        continue
      }
      var depth = 0
      var end = index + 2
      var quote: Unicode.Scalar?
      while end < scalars.count {
        let scalar = scalars[end]
        if let open = quote {
          if scalar == "\\" {
            end += 2
            continue
          }
          if scalar == open { quote = nil }
        } else if scalar == "'" || scalar == "\"" {
          quote = scalar
        } else if scalar == "[" {
          depth += 1
        } else if scalar == "]" {
          if depth == 0 { break }
          depth -= 1
        }
        end += 1
      }
      let inner = Array(scalars[(index + 2)..<Swift.min(end, scalars.count)])
      output.append(contentsOf: "[?(".unicodeScalars)
      output.append(contentsOf: parenthesizingFilters(inner).unicodeScalars)
      output.append(contentsOf: ")]".unicodeScalars)
      index = end + 1
    }
    return String(output)
  }

  static func clip(_ text: String) -> String {
    text.count <= 80 ? text : String(text.prefix(77)) + "..."
  }
}

/// The checked-in list of cases this implementation deliberately answers differently from RFC
/// 9535, one `name — reason` per line.
enum KnownDifferences {
  static let separator = " — "

  static let entries: [String: String] = {
    guard let data = FileManager.default.contents(atPath: PathsCorpus.knownDifferencesURL.path)
    else { return [:] }
    var entries: [String: String] = [:]
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
      guard !line.hasPrefix("#"), let range = line.range(of: separator) else { continue }
      entries[String(line[..<range.lowerBound])] = String(line[range.upperBound...])
    }
    return entries
  }()
}

@Suite("RFC 9535 compliance suite", .requiresCorpus)
struct PathsComplianceTests {
  @Test("The compliance corpus has every case")
  func corpusIsComplete() {
    #expect(ComplianceCase.all.count == 703)
  }

  @Test("The annotated cases are exactly the upstream cts.json cases")
  func annotatedCasesMatchUpstream() throws {
    let upstream = try #require(
      PathsCorpus.load("jsonpath/rfc9535-cts/cts.json")?["tests"]?.arrayValue,
      "cts.json not found under \(PathsCorpus.directory.path)")
    #expect(upstream.count == ComplianceCase.all.count)
    for (entry, annotated) in zip(upstream, ComplianceCase.all) {
      #expect(entry["name"]?.stringValue == annotated.name)
      #expect(entry["selector"]?.stringValue == annotated.selector)
    }
  }

  @Test(
    "Each case agrees with RFC 9535 or is a listed known difference", arguments: ComplianceCase.all)
  func complianceCase(_ testCase: ComplianceCase) {
    if testCase.parenthesizedSelector != nil {
      let listedVariant = KnownDifferences.entries[testCase.variantName] != nil
      if let difference = testCase.parenthesizedDifference {
        #expect(listedVariant, "'\(testCase.variantName)' is not listed: \(difference)")
      } else {
        #expect(!listedVariant, "'\(testCase.variantName)' now agrees; remove it from the list")
      }
    }
    let listed = KnownDifferences.entries[testCase.name] != nil
    if let difference = testCase.difference {
      #expect(
        listed,
        "'\(testCase.name)' (\(testCase.selector)) differs from RFC 9535 but is not listed in jsonpath-known-differences.txt: \(difference)"
      )
    } else {
      #expect(
        !listed,
        "'\(testCase.name)' now agrees with RFC 9535; remove it from jsonpath-known-differences.txt"
      )
    }
  }

  @Test(
    "Selectors annotated as Reference Path syntax parse as Reference Paths",
    arguments: ComplianceCase.all.filter(\.isReferencePathSyntax))
  func referencePathSyntax(_ testCase: ComplianceCase) {
    do {
      let path = try JSONPath(parsing: testCase.selector)
      #expect(path.referencePathViolation == nil)
      #expect(path.isDefinite)
    } catch {
      // Indexes beyond 32 bits, which Jayway cannot read, are listed known differences.
      #expect(
        KnownDifferences.entries[testCase.name] != nil,
        "rejected but not a listed known difference: \(error)")
    }
  }

  @Test("The known-differences list names only corpus cases and the counts add up")
  func knownDifferencesSummary() throws {
    let cases = ComplianceCase.all
    try #require(!cases.isEmpty, "corpus not found at \(PathsCorpus.directory.path)")
    let names = Set(cases.map(\.name) + cases.map(\.variantName))
    let stale = KnownDifferences.entries.keys.filter { !names.contains($0) }
    #expect(stale.isEmpty, "listed but not in the corpus: \(stale.sorted())")

    var differing: [(String, String)] = []
    for testCase in cases {
      if let difference = testCase.difference { differing.append((testCase.name, difference)) }
      if let difference = testCase.parenthesizedDifference {
        differing.append((testCase.variantName, difference))
      }
    }
    let variants = cases.filter { $0.parenthesizedSelector != nil }
    let agreeingVariants = variants.filter { $0.parenthesizedDifference == nil }.count
    print(
      "JSONPath compliance, RFC filters rewritten as [?(...)]: \(agreeingVariants)/\(variants.count) agree"
    )
    let valid = cases.filter { !$0.isInvalid }
    let agreeingValid = valid.filter { $0.difference == nil }.count
    let invalid = cases.filter(\.isInvalid)
    let agreeingInvalid = invalid.filter { $0.difference == nil }.count
    let differingCases = cases.filter { $0.difference != nil }.count
    print(
      "JSONPath compliance: \(cases.count) cases, \(cases.count - differingCases) agree with RFC 9535 "
        + "(\(agreeingValid)/\(valid.count) valid selectors, \(agreeingInvalid)/\(invalid.count) invalid ones), "
        + "\(differingCases) listed as known differences")

    if ProcessInfo.processInfo.environment["SFN_RECORD_JSONPATH_DIFFERENCES"] == "1" {
      var text =
        "# RFC 9535 compliance cases (jsonpath/rfc9535-cases.json) that this implementation\n"
        + "# deliberately answers differently, following Jayway JsonPath as AWS Step Functions does.\n"
        + "# One line per case: name — reason. Re-record with SFN_RECORD_JSONPATH_DIFFERENCES=1.\n"
      for (name, reason) in differing {
        text += name + KnownDifferences.separator + Self.printable(reason) + "\n"
      }
      try Data(text.utf8).write(to: PathsCorpus.knownDifferencesURL)
    }
    #expect(differing.count == KnownDifferences.entries.count)
  }

  /// Control characters written as `\u{..}` so that the list stays one line per case.
  static func printable(_ text: String) -> String {
    var output = ""
    for scalar in text.unicodeScalars {
      if scalar.value < 0x20 || scalar.value == 0x7F {
        output += "\\u{" + String(scalar.value, radix: 16) + "}"
      } else {
        output.unicodeScalars.append(scalar)
      }
    }
    return output
  }
}
