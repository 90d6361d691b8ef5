import StepFunctions

/// Turns a parsed mock configuration document into a ``MockConfiguration``, collecting every
/// problem (with its location) instead of stopping at the first.
struct MockConfigurationReader {
  let document: JSONDocument
  private(set) var problems: [MockConfigurationProblem] = []

  init(document: JSONDocument) {
    self.document = document
  }

  /// The largest invocation number accepted (far beyond any real test, small enough that ranges
  /// never overflow).
  static let largestInvocation = 1_000_000

  mutating func read() -> MockConfiguration {
    for duplicate in document.duplicateKeys {
      problems.append(
        MockConfigurationProblem(
          message:
            "the key '\(duplicate.pointer.tokens.last ?? "")' is written twice in the same object; only the last one would count",
          pointer: duplicate.pointer,
          location: document.source.location(ofOffset: duplicate.offset)))
    }
    let root = JSONPointer()
    guard case .object(let top) = document.value else {
      report("a mock configuration must be a JSON object, not \(article(document.value))", at: root)
      return MockConfiguration(stateMachines: [], mockedResponses: [:])
    }
    for key in top.keys where key != "StateMachines" && key != "MockedResponses" {
      report(
        "unknown top-level field '\(key)'; a mock configuration has only 'StateMachines' and 'MockedResponses'",
        at: root.appending(key), key: true)
    }
    let responses = readMockedResponses(
      top["MockedResponses"], at: root.appending("MockedResponses"))
    var machines: [MockedStateMachine] = []
    let machinesPointer = root.appending("StateMachines")
    switch top["StateMachines"] {
    case nil:
      report("missing the field 'StateMachines'", at: root)
    case .object(let object)?:
      for (name, value) in object {
        if let machine = readStateMachine(
          name: name, value, at: machinesPointer.appending(name), responses: responses)
        {
          machines.append(machine)
        }
      }
    case let other?:
      report("'StateMachines' must be an object, not \(article(other))", at: machinesPointer)
    }
    return MockConfiguration(stateMachines: machines, mockedResponses: responses ?? [:])
  }

  /// `nil` when the field is absent (test cases that name a response then get an error each).
  private mutating func readMockedResponses(_ value: JSON?, at pointer: JSONPointer)
    -> [String: MockedResponse]?
  {
    guard let value else { return nil }
    guard case .object(let object) = value else {
      report("'MockedResponses' must be an object, not \(article(value))", at: pointer)
      return [:]
    }
    var responses: [String: MockedResponse] = [:]
    for (name, body) in object {
      responses[name] = readMockedResponse(name: name, body, at: pointer.appending(name))
    }
    return responses
  }

  private mutating func readMockedResponse(name: String, _ value: JSON, at pointer: JSONPointer)
    -> MockedResponse
  {
    guard case .object(let object) = value else {
      report(
        "the mocked response '\(name)' must be an object of invocation numbers, not \(article(value))",
        at: pointer)
      return MockedResponse(name: name, entries: [])
    }
    var entries: [(MockedResponse.Entry, JSONPointer)] = []
    for (key, body) in object {
      let entryPointer = pointer.appending(key)
      let range = readRange(key, at: entryPointer, response: name)
      let outcome = readOutcome(body, at: entryPointer, response: name, key: key)
      if let range, let outcome {
        entries.append((MockedResponse.Entry(invocations: range, outcome: outcome), entryPointer))
      }
    }
    let sorted = entries.sorted { $0.0.invocations.lowerBound < $1.0.invocations.lowerBound }
    for (previous, next) in zip(sorted, sorted.dropFirst())
    where next.0.invocations.lowerBound <= previous.0.invocations.upperBound {
      report(
        "in the mocked response '\(name)', the key '\(next.1.tokens.last ?? "")' overlaps the key '\(previous.1.tokens.last ?? "")': each invocation must have one answer",
        at: next.1, key: true)
    }
    return MockedResponse(name: name, entries: entries.map(\.0))
  }

  /// `"3"` → 3...3; `"1-2"` → 1...2.
  private mutating func readRange(_ key: String, at pointer: JSONPointer, response: String)
    -> ClosedRange<Int>?
  {
    let parts = key.split(separator: "-", omittingEmptySubsequences: false)
    let numbers = parts.map { part -> Int? in
      guard !part.isEmpty, part.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
      guard let number = Int(part), number <= MockConfigurationReader.largestInvocation else {
        return nil
      }
      return number
    }
    guard (1...2).contains(numbers.count), numbers.allSatisfy({ $0 != nil }) else {
      report(
        "in the mocked response '\(response)', the key '\(key)' is not an invocation number: use a whole number from 0 to \(MockConfigurationReader.largestInvocation) (\"0\") or an inclusive range (\"1-2\")",
        at: pointer, key: true)
      return nil
    }
    let start = numbers[0] ?? 0
    let end = numbers[numbers.count - 1] ?? 0
    guard start <= end else {
      report(
        "in the mocked response '\(response)', the range '\(key)' ends before it starts",
        at: pointer, key: true)
      return nil
    }
    return start...end
  }

  private mutating func readOutcome(
    _ value: JSON, at pointer: JSONPointer, response: String, key: String
  ) -> MockedOutcome? {
    let place = "the mocked response '\(response)' at '\(key)'"
    guard case .object(let object) = value else {
      report(
        "\(place) must be an object with 'Return' or 'Throw', not \(article(value))", at: pointer)
      return nil
    }
    var valid = true
    for field in object.keys where field != "Return" && field != "Throw" {
      report(
        "\(place) has an unknown field '\(field)'; an answer has exactly one of 'Return' or 'Throw'",
        at: pointer.appending(field), key: true)
      valid = false
    }
    switch (object["Return"], object["Throw"]) {
    case (nil, nil):
      report("\(place) needs 'Return' or 'Throw'", at: pointer)
      return nil
    case (.some, .some):
      report(
        "\(place) has both 'Return' and 'Throw'; give exactly one", at: pointer.appending("Throw"),
        key: true)
      return nil
    case (let result?, nil):
      return valid ? .return(result) : nil
    case (nil, let thrown?):
      let throwPointer = pointer.appending("Throw")
      guard case .object(let fields) = thrown else {
        report(
          "'Throw' in \(place) must be an object with 'Error' and 'Cause', not \(article(thrown))",
          at: throwPointer)
        return nil
      }
      for field in fields.keys where field != "Error" && field != "Cause" {
        report(
          "'Throw' in \(place) has an unknown field '\(field)'; it has only 'Error' and 'Cause'",
          at: throwPointer.appending(field), key: true)
        valid = false
      }
      let error = readString(fields["Error"], field: "Error", place: place, at: throwPointer)
      let cause = readString(fields["Cause"], field: "Cause", place: place, at: throwPointer)
      guard valid, let error, let cause else { return nil }
      return .throw(error: error, cause: cause)
    }
  }

  private mutating func readString(
    _ value: JSON?, field: String, place: String, at pointer: JSONPointer
  )
    -> String?
  {
    switch value {
    case nil:
      report("'Throw' in \(place) is missing the string field '\(field)'", at: pointer)
      return nil
    case .string(let text)?:
      return text
    case let other?:
      report(
        "'\(field)' in \(place) must be a string, not \(article(other))",
        at: pointer.appending(field))
      return nil
    }
  }

  private mutating func readStateMachine(
    name: String, _ value: JSON, at pointer: JSONPointer, responses: [String: MockedResponse]?
  ) -> MockedStateMachine? {
    guard case .object(let object) = value else {
      report(
        "the state machine '\(name)' must be an object with 'TestCases', not \(article(value))",
        at: pointer)
      return nil
    }
    for key in object.keys where key != "TestCases" {
      report(
        "the state machine '\(name)' has an unknown field '\(key)'; it has only 'TestCases'",
        at: pointer.appending(key), key: true)
    }
    let casesPointer = pointer.appending("TestCases")
    guard let casesValue = object["TestCases"] else {
      report("the state machine '\(name)' is missing the field 'TestCases'", at: pointer)
      return nil
    }
    guard case .object(let cases) = casesValue else {
      report(
        "'TestCases' of the state machine '\(name)' must be an object, not \(article(casesValue))",
        at: casesPointer)
      return nil
    }
    var testCases: [MockTestCase] = []
    for (caseName, caseValue) in cases {
      let casePointer = casesPointer.appending(caseName)
      guard case .object(let mapping) = caseValue else {
        report(
          "the test case '\(caseName)' must be an object mapping state names to mocked responses, not \(article(caseValue))",
          at: casePointer)
        continue
      }
      var mocks: [MockTestCase.StateMock] = []
      for (stateName, responseValue) in mapping {
        let statePointer = casePointer.appending(stateName)
        guard case .string(let responseName) = responseValue else {
          report(
            "in the test case '\(caseName)', the state '\(stateName)' must name a mocked response (a string), not \(article(responseValue))",
            at: statePointer)
          continue
        }
        guard let responses else {
          report(
            "the test case '\(caseName)' uses the mocked response '\(responseName)', but the file has no 'MockedResponses'",
            at: statePointer)
          continue
        }
        guard let response = responses[responseName] else {
          report(
            "the test case '\(caseName)' uses the mocked response '\(responseName)', which 'MockedResponses' does not define",
            at: statePointer)
          continue
        }
        mocks.append(MockTestCase.StateMock(stateName: stateName, response: response))
      }
      testCases.append(MockTestCase(name: caseName, stateMachineName: name, mocks: mocks))
    }
    return MockedStateMachine(name: name, testCases: testCases)
  }

  private mutating func report(_ message: String, at pointer: JSONPointer, key: Bool = false) {
    problems.append(
      MockConfigurationProblem(
        message: message, pointer: pointer,
        location: key ? document.keyLocation(of: pointer) : document.location(of: pointer)))
  }

  private func article(_ value: JSON) -> String {
    switch value {
    case .null: return "null"
    case .array: return "an array"
    case .object: return "an object"
    default: return "a \(value.typeName)"
    }
  }
}
