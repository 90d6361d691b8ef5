import Foundation
import StepFunctionsTesting
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Reads an XML document with Foundation's parser: the elements in order, each with its
/// attributes, and the character data of each element; `nil` when it is not well-formed.
final class XMLReader: NSObject, XMLParserDelegate {
  struct Element {
    var name: String
    var attributes: [String: String]
    var text = ""
  }

  private(set) var elements: [Element] = []
  private var open: [Int] = []

  static func read(_ text: String) -> [Element]? {
    let reader = XMLReader()
    let parser = XMLParser(data: Data(text.utf8))
    parser.delegate = reader
    return parser.parse() ? reader.elements : nil
  }

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    open.append(elements.count)
    elements.append(Element(name: elementName, attributes: attributes))
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
    qualifiedName: String?
  ) {
    _ = open.popLast()
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if let index = open.last { elements[index].text += string }
  }
}

@Suite("JUnit XML reports")
struct JUnitReportTests {
  static let hostile = "a & b < c > d \"q\" 'a'\ttab\nline \u{1}\u{8}\u{1B} \u{FFFE} ünï 🎬 ]]>"

  static let report = JUnitReport(
    name: "sfn test",
    testCases: [
      .init(className: "Video", name: "HappyPath", milliseconds: 61_250, standardOutput: "ok"),
      .init(
        className: "Video", name: Self.hostile, milliseconds: 5,
        failure: .init(message: Self.hostile, type: "WorkflowTestFailure", details: Self.hostile)),
      .init(className: "Other", name: "Skipped", isSkipped: true),
    ])

  @Test("The report is well-formed XML that keeps every character that XML allows")
  func wellFormed() throws {
    let xml = Self.report.xml
    let elements = try #require(XMLReader.read(xml), "not well-formed:\n\(xml)")
    #expect(
      elements.map(\.name) == [
        "testsuites", "testsuite", "testcase", "system-out", "testcase", "failure", "testsuite",
        "testcase", "skipped",
      ])
    let expected = "a & b < c > d \"q\" 'a'\ttab\nline \\u{1}\\u{8}\\u{1B} \\u{FFFE} ünï 🎬 ]]>"
    #expect(elements[4].attributes["name"] == expected)
    #expect(elements[5].attributes["message"] == expected)
    #expect(elements[5].text == expected)
    #expect(elements[3].text == "ok")
  }

  @Test("Suites and totals count tests, failures and skipped cases; times are seconds")
  func counts() throws {
    let elements = try #require(XMLReader.read(Self.report.xml))
    let attributes = elements.filter { $0.name.hasPrefix("testsuite") }.map { element in
      ["name", "tests", "failures", "errors", "skipped", "time"].map {
        element.attributes[$0] ?? "-"
      }
    }
    #expect(
      attributes == [
        ["sfn test", "3", "1", "0", "1", "61.255"],
        ["Video", "2", "1", "0", "0", "61.255"],
        ["Other", "1", "0", "0", "1", "0.000"],
      ])
    #expect(elements[2].attributes["classname"] == "Video")
    #expect(elements[2].attributes["time"] == "61.250")
    #expect(elements[5].attributes["type"] == "WorkflowTestFailure")
  }

  @Test("An empty report is well-formed")
  func empty() throws {
    let xml = JUnitReport(name: "none", testCases: []).xml
    #expect(
      xml
        == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"none\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0.000\">\n</testsuites>\n"
    )
    #expect(XMLReader.read(xml)?.map(\.name) == ["testsuites"])
  }
}
