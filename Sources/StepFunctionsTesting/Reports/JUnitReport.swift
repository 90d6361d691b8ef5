/// A test report in the JUnit XML format that CI systems show (Jenkins, GitLab, GitHub Actions
/// reporters, Azure DevOps, Buildkite...): `<testsuites>` holding one `<testsuite>` per class
/// name, each holding its `<testcase>` elements with a `<failure>` when the case failed.
///
/// ```swift
/// let report = JUnitReport(name: "sfn test", testCases: [
///   .init(className: "VideoWorkflow", name: "HappyPath", milliseconds: 1_250),
///   .init(className: "VideoWorkflow", name: "LowQuality", milliseconds: 40,
///         failure: .init(message: "expected the status SUCCEEDED, got FAILED",
///                        details: "path: Start → Transcode")),
/// ])
/// try report.xml.write(to: url, atomically: true, encoding: .utf8)
/// ```
///
/// The XML is XML 1.0 and UTF-8. Text and attribute values are escaped (`&`, `<`, `>`, `"`,
/// `'`; line breaks and tabs in attributes as character references), and the characters XML 1.0
/// forbids (control characters other than tab, line feed and carriage return; U+FFFE, U+FFFF)
/// are written as `\u{…}` text. Times are seconds with three decimals, from whole milliseconds,
/// so the same report gives the same bytes.
public struct JUnitReport: Sendable, Hashable {
  /// The `name` of `<testsuites>`.
  public var name: String
  /// The test cases, in order; suites are formed by ``TestCase/className`` in order of first
  /// appearance.
  public var testCases: [TestCase]

  /// One `<testcase>`.
  public struct TestCase: Sendable, Hashable {
    /// `classname`: for a workflow test, the state machine's name.
    public var className: String
    /// `name`: the test case's name.
    public var name: String
    /// `time`, in milliseconds.
    public var milliseconds: Int64
    /// The failure, if the case failed.
    public var failure: Failure?
    /// Whether the case was skipped (`<skipped/>`).
    public var isSkipped: Bool
    /// `<system-out>`: what the case printed, if anything.
    public var standardOutput: String?

    /// Creates a test case.
    public init(
      className: String, name: String, milliseconds: Int64 = 0, failure: Failure? = nil,
      isSkipped: Bool = false, standardOutput: String? = nil
    ) {
      self.className = className
      self.name = name
      self.milliseconds = milliseconds
      self.failure = failure
      self.isSkipped = isSkipped
      self.standardOutput = standardOutput
    }
  }

  /// A `<failure>`.
  public struct Failure: Sendable, Hashable {
    /// The `message` attribute: one line saying what went wrong.
    public var message: String
    /// The `type` attribute.
    public var type: String
    /// The element's text: details such as the path taken.
    public var details: String

    /// Creates a failure.
    public init(message: String, type: String = "failure", details: String = "") {
      self.message = message
      self.type = type
      self.details = details
    }
  }

  /// Creates a report.
  public init(name: String, testCases: [TestCase]) {
    self.name = name
    self.testCases = testCases
  }

  /// The report as an XML document, ending in a line feed.
  public var xml: String {
    var classNames: [String] = []
    var byClass: [String: [TestCase]] = [:]
    for testCase in testCases {
      if byClass[testCase.className] == nil { classNames.append(testCase.className) }
      byClass[testCase.className, default: []].append(testCase)
    }
    var lines = [
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
      "<testsuites \(Self.counts(name: name, testCases))>",
    ]
    for className in classNames {
      let cases = byClass[className] ?? []
      lines.append("  <testsuite \(Self.counts(name: className, cases))>")
      for testCase in cases {
        let head =
          "    <testcase classname=\"\(Self.attribute(testCase.className))\" name=\"\(Self.attribute(testCase.name))\" time=\"\(Self.seconds(testCase.milliseconds))\""
        var children: [String] = []
        if let failure = testCase.failure {
          children.append(
            "      <failure message=\"\(Self.attribute(failure.message))\" type=\"\(Self.attribute(failure.type))\">\(Self.text(failure.details))</failure>"
          )
        }
        if testCase.isSkipped { children.append("      <skipped/>") }
        if let output = testCase.standardOutput {
          children.append("      <system-out>\(Self.text(output))</system-out>")
        }
        if children.isEmpty {
          lines.append(head + "/>")
        } else {
          lines.append(head + ">")
          lines += children
          lines.append("    </testcase>")
        }
      }
      lines.append("  </testsuite>")
    }
    lines.append("</testsuites>")
    return lines.joined(separator: "\n") + "\n"
  }

  private static func counts(name: String, _ cases: [TestCase]) -> String {
    let failures = cases.filter { $0.failure != nil }.count
    let skipped = cases.filter { $0.isSkipped && $0.failure == nil }.count
    let time = seconds(cases.reduce(0) { $0 + $1.milliseconds })
    return
      "name=\"\(attribute(name))\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" time=\"\(time)\""
  }

  /// `1250` → `1.250`.
  static func seconds(_ milliseconds: Int64) -> String {
    let value = max(0, milliseconds)
    let fraction = String(value % 1000)
    return "\(value / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
  }

  /// Character data.
  static func text(_ value: String) -> String { escape(value, inAttribute: false) }

  /// An attribute value in double quotes.
  static func attribute(_ value: String) -> String { escape(value, inAttribute: true) }

  private static func escape(_ value: String, inAttribute: Bool) -> String {
    var result = ""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"" where inAttribute: result += "&quot;"
      case "'" where inAttribute: result += "&apos;"
      case "\n" where inAttribute: result += "&#10;"
      case "\r": result += "&#13;"
      case "\t" where inAttribute: result += "&#9;"
      case "\n", "\t": result.unicodeScalars.append(scalar)
      default:
        let code = scalar.value
        if code < 0x20 || code == 0xFFFE || code == 0xFFFF {
          result += "\\u{" + String(code, radix: 16, uppercase: true) + "}"
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result
  }
}
