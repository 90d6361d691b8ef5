import StepFunctions

/// Inputs and definitions the benchmark builds itself, deterministically.
enum Generators {
  /// `count` Pass states in a chain with nothing but `Next`/`End`: the cost of a transition
  /// itself.
  static func plainPassChain(count: Int) -> JSON {
    var states = JSONObject(minimumCapacity: count)
    for number in 1...count {
      var state: JSONObject = ["Type": "Pass"]
      if number < count {
        state["Next"] = .string(stateName(number + 1))
      } else {
        state["End"] = true
      }
      states.append(key: stateName(number), value: .object(state))
    }
    return [
      "Comment": .string("\(count) plain Pass states in a chain"), "StartAt": .string(stateName(1)),
      "States": .object(states),
    ]
  }

  /// The shape of `map_1000.input.json` with `count` items.
  static func mapInput(count: Int) -> JSON {
    var items: [JSON] = []
    items.reserveCapacity(count)
    for index in 0..<count {
      let digits = String(index)
      let id = "item-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
      items.append(["id": .string(id), "v": .number(JSONNumber(index))])
    }
    return ["batch": "b-1", "threshold": 500, "items": .array(items)]
  }

  /// A valid definition with `count` states of every common kind: Pass with Parameters and
  /// ResultPath, Task with Retry and Catch, Choice with two rules, Wait, ending in Succeed.
  static func largeDefinition(count: Int) -> JSON {
    var states = JSONObject(minimumCapacity: count + 2)
    for number in 1...count {
      let name = stateName(number)
      let next: JSON = .string(number < count ? stateName(number + 1) : "Done")
      let state: JSON
      switch number % 4 {
      case 0:
        state = [
          "Type": "Pass", "Comment": "copies fields",
          "Parameters": [
            "step": .number(JSONNumber(number)), "name.$": "$.name",
            "label.$": "States.Format('{}-{}', $.name, $.step)",
            "nested": ["flag": true, "list.$": "$.tags"],
          ],
          "ResultPath": "$.last", "Next": next,
        ]
      case 1:
        state = [
          "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": [
            "FunctionName": "work",
            "Payload": ["input.$": "$", "step": .number(JSONNumber(number))],
          ],
          "ResultSelector": ["value.$": "$.Payload"], "ResultPath": "$.result",
          "TimeoutSeconds": 30,
          "Retry": [
            [
              "ErrorEquals": ["States.Timeout", "Lambda.ServiceException"], "IntervalSeconds": 1,
              "MaxAttempts": 3, "BackoffRate": 2.0,
            ]
          ],
          "Catch": [["ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"]],
          "Next": next,
        ]
      case 2:
        state = [
          "Type": "Choice",
          "Choices": [
            [
              "And": [
                ["Variable": "$.count", "IsNumeric": true],
                ["Variable": "$.count", "NumericGreaterThan": 10],
              ],
              "Next": next,
            ],
            ["Variable": "$.name", "StringMatches": "video-*", "Next": next],
          ],
          "Default": next,
        ]
      default:
        state = ["Type": "Wait", "Seconds": 1, "Next": next]
      }
      states.append(key: name, value: state)
    }
    states.append(key: "Done", value: ["Type": "Succeed"])
    states.append(
      key: "Failed", value: ["Type": "Fail", "Error": "Failed", "Cause": "a task failed"])
    return [
      "Comment": .string("\(count) states of every common kind"), "StartAt": .string(stateName(1)),
      "TimeoutSeconds": 3600, "States": .object(states),
    ]
  }

  /// About `bytes` bytes of JSON shaped like a large execution input: an array of records with
  /// strings (some with escapes and non-ASCII text), integers, decimals, Booleans, nulls,
  /// arrays and nested objects.
  static func largeInput(bytes target: Int) -> [UInt8] {
    var text: [UInt8] = []
    text.reserveCapacity(target + 1024)
    text.append(contentsOf: #"{"source":"benchmark","records":["#.utf8)
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return seed >> 33
    }
    var index = 0
    while text.count < target {
      if index > 0 { text.append(0x2C) }
      let record = """
        {"id":"rec-\(index)","name":"Vidéo \(next() % 100_000) – \\"clip\\"","active":\(next() % 2 == 0),\
        "score":\(Double(next() % 100_000) / 100),"count":\(next()),"ratio":\(Double(next() % 1000) / 7),\
        "tags":["alpha","beta","tag-\(next() % 50)"],"location":{"lat":\(Double(next() % 180_000) / 1000 - 90),\
        "lon":\(Double(next() % 360_000) / 1000 - 180)},"notes":"line one\\nline two\\t\\u00e9 end",\
        "parent":null,"sizes":[\(next() % 1000),\(next() % 1000),\(next() % 1000),\(next() % 1000)]}
        """
      text.append(contentsOf: record.utf8)
      index += 1
    }
    text.append(contentsOf: "]}".utf8)
    return text
  }

  static func stateName(_ number: Int) -> String {
    let digits = String(number)
    return "S" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }
}

/// Task handlers that answer each state with the `Return` (or `Throw`) a Step Functions Local
/// mock file gives it for one test case — enough for `AllMocked` until the testing kit reads
/// mock files itself.
struct MockFileHandler: TaskHandler {
  struct Response: Sendable {
    var attempts: ClosedRange<Int>
    var returns: JSON?
    var error: String
    var cause: String
  }

  /// Responses by state name.
  var responses: [String: [Response]]

  init(mockFile: JSON, stateMachine: String, testCase: String) throws(BenchError) {
    guard
      let testCases = mockFile["StateMachines"]?[stateMachine]?["TestCases"]?[testCase]?.objectValue
    else {
      throw BenchError("the mock file has no test case \(stateMachine)/\(testCase)")
    }
    var responses: [String: [Response]] = [:]
    for (state, reference) in testCases {
      guard let name = reference.stringValue,
        let entries = mockFile["MockedResponses"]?[name]?.objectValue
      else {
        throw BenchError("the mock file has no response named \(reference) for \(state)")
      }
      var list: [Response] = []
      for (key, entry) in entries {
        let bounds = key.split(separator: "-").compactMap { Int($0) }
        guard let low = bounds.first, let high = bounds.last, low <= high else {
          throw BenchError("the mock response \(name) has an invalid key \(key)")
        }
        if let value = entry["Return"] {
          list.append(Response(attempts: low...high, returns: value, error: "", cause: ""))
        } else if let thrown = entry["Throw"] {
          list.append(
            Response(
              attempts: low...high, returns: nil, error: thrown["Error"]?.stringValue ?? "",
              cause: thrown["Cause"]?.stringValue ?? ""))
        }
      }
      responses[state] = list
    }
    self.responses = responses
  }

  func invoke(_ request: TaskRequest, context: TaskContext) async throws -> JSON {
    guard let list = responses[request.stateName],
      let response = list.first(where: { $0.attempts.contains(request.attempt) }) ?? list.last
    else {
      throw TaskFailure(
        error: "States.TaskFailed", cause: "no mocked response for \(request.stateName)")
    }
    if let value = response.returns { return value }
    throw TaskFailure(error: response.error, cause: response.cause)
  }
}

extension Generators {
  /// A realistic definition of `count` states in all (nested ones included), built from a cycle
  /// of ten top-level kinds: Pass with `Parameters` (`.$` paths and intrinsics:
  /// `States.Format`, `States.Array`, `States.MathAdd`, `States.StringToJson`), Lambda Task with
  /// `Parameters`, `ResultSelector`, `Retry` and `Catch`, Choice (`And`/`Or`/`Not`,
  /// `StringMatches`, `…Path` comparisons), Parallel with two one-state branches, inline Map
  /// (`ItemsPath`, `ItemSelector` with `$$.Map.Item`, a two-state processor, `Retry`/`Catch`),
  /// JSONata Pass (`Output`, `Assign`), JSONata Task (`Arguments`, `Output`, `Retry`/`Catch`),
  /// JSONata Choice (`Condition`), Wait with `SecondsPath`, and an SQS `.waitForTaskToken` Task
  /// with `$$.Task.Token` and `HeartbeatSeconds`; ending in Succeed, with a Fail for the
  /// catchers. Without `jsonata`, the three JSONata kinds are left out of the cycle.
  static func realisticDefinition(count: Int, jsonata: Bool = true) -> JSON {
    var states = JSONObject(minimumCapacity: count + 2)
    var total = 2
    var number = 0
    var names: [String] = []
    var bodies: [JSON] = []
    while total < count {
      number += 1
      let name = stateName(number)
      let step = JSON.number(JSONNumber(number))
      let retry: JSON = [
        [
          "ErrorEquals": ["States.Timeout", "Lambda.ServiceException"], "IntervalSeconds": 2,
          "MaxAttempts": 3, "BackoffRate": 2.0, "MaxDelaySeconds": 30, "JitterStrategy": "FULL",
        ],
        ["ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 1],
      ]
      let state: JSON
      switch jsonata ? number % 10 : [0, 1, 2, 3, 4, 8, 9][number % 7] {
      case 0:
        state = [
          "Type": "Pass", "Comment": "shapes the record",
          "Parameters": [
            "step": step, "name.$": "$.name", "count.$": "$.count",
            "label.$": "States.Format('{}-{} of {}', $.name, $.step, $$.Execution.Name)",
            "pair.$": "States.Array($.name, $.count)",
            "next.$": "States.MathAdd($.count, 1)",
            "parsed.$": "States.StringToJson($.encoded)",
            "nested": ["flag": true, "list.$": "$.tags[0:2]", "first.$": "$.items[0].id"],
          ],
          "ResultPath": "$.shaped",
        ]
      case 1:
        state = [
          "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": [
            "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:work",
            "Payload": [
              "input.$": "$", "step": step, "token.$": "$$.Execution.Id",
              "hash.$": "States.Hash($.name, 'SHA-256')",
            ],
          ],
          "ResultSelector": ["value.$": "$.Payload", "status.$": "$.StatusCode"],
          "ResultPath": "$.result", "OutputPath": "$", "TimeoutSeconds": 30,
          "Retry": retry,
          "Catch": [
            ["ErrorEquals": ["States.Timeout"], "ResultPath": "$.error", "Next": "Failed"],
            ["ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"],
          ],
        ]
      case 2:
        state = [
          "Type": "Choice",
          "Choices": [
            [
              "And": [
                ["Variable": "$.count", "IsPresent": true],
                ["Variable": "$.count", "IsNumeric": true],
                ["Variable": "$.count", "NumericGreaterThan": 10],
              ],
              "Next": "NEXT",
            ],
            [
              "Or": [
                ["Variable": "$.name", "StringMatches": "video-*"],
                ["Not": ["Variable": "$.limit", "NumericLessThanEqualsPath": "$.count"]],
              ],
              "Next": "NEXT",
            ],
          ],
          "Default": "NEXT",
        ]
      case 3:
        let branches: [JSON] = (1...2).map { branch in
          let inner = "\(name)-B\(branch)"
          return [
            "StartAt": .string(inner),
            "States": [
              inner: [
                "Type": "Pass",
                "Parameters": ["branch": .number(JSONNumber(branch)), "in.$": "$.name"],
                "End": true,
              ]
            ],
          ]
        }
        state = [
          "Type": "Parallel", "Branches": .array(branches), "ResultPath": "$.branches",
          "Retry": [["ErrorEquals": ["States.ALL"], "MaxAttempts": 2]],
          "Catch": [["ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"]],
        ]
        total += 2
      case 4:
        let first = "\(name)-Item"
        let second = "\(name)-Work"
        state = [
          "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 10,
          "ItemSelector": [
            "value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index", "batch.$": "$.batch",
          ],
          "ItemProcessor": [
            "ProcessorConfig": ["Mode": "INLINE"], "StartAt": .string(first),
            "States": [
              first: [
                "Type": "Pass", "Parameters": ["id.$": "$.value.id", "at.$": "$.index"],
                "Next": .string(second),
              ],
              second: [
                "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:item",
                "Retry": retry, "End": true,
              ],
            ],
          ],
          "ResultPath": "$.mapped",
          "Catch": [["ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"]],
        ]
        total += 2
      case 5:
        state = [
          "Type": "Pass", "QueryLanguage": "JSONata",
          "Output":
            .string(
              "{% $merge([$states.input, {'step': \(number), 'total': $sum($states.input.items.v), 'upper': $uppercase($states.input.name)}]) %}"
            ),
          "Assign": [
            "seen": "{% $count($states.input.items) %}",
            "label": .string("{% $states.input.name & '-\(number)' %}"),
          ],
        ]
      case 6:
        state = [
          "Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke",
          "Arguments": [
            "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:work",
            "Payload": .string("{% {'input': $states.input, 'step': \(number), 'seen': $seen} %}"),
          ],
          "Output": "{% $merge([$states.input, {'result': $states.result.Payload}]) %}",
          "TimeoutSeconds": 60, "Retry": retry,
          "Catch": [
            [
              "ErrorEquals": ["States.ALL"],
              "Output": "{% $merge([$states.input, {'error': $states.errorOutput}]) %}",
              "Next": "Failed",
            ]
          ],
        ]
      case 7:
        state = [
          "Type": "Choice", "QueryLanguage": "JSONata",
          "Choices": [
            [
              "Condition": .string(
                "{% $states.input.count > \(number % 50) and $exists($states.input.name) %}"),
              "Next": "NEXT",
            ]
          ],
          "Default": "NEXT",
        ]
      case 8:
        state = ["Type": "Wait", "SecondsPath": "$.delay"]
      default:
        state = [
          "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
          "Parameters": [
            "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/queue",
            "MessageBody": ["token.$": "$$.Task.Token", "name.$": "$.name"],
          ],
          "HeartbeatSeconds": 60, "TimeoutSeconds": 600, "ResultPath": "$.callback",
        ]
      }
      names.append(name)
      bodies.append(state)
      total += 1
    }
    for (index, name) in names.enumerated() {
      let next = index + 1 < names.count ? names[index + 1] : "Done"
      guard case .object(var object) = bodies[index] else { continue }
      if object["Type"] == "Choice" {
        object["Choices"] = .array(
          (object["Choices"]?.arrayValue ?? []).map { choice in
            guard case .object(var rule) = choice else { return choice }
            rule["Next"] = .string(next)
            return .object(rule)
          })
        object["Default"] = .string(next)
      } else {
        object["Next"] = .string(next)
      }
      states.append(key: name, value: .object(object))
    }
    states.append(key: "Done", value: ["Type": "Succeed"])
    states.append(
      key: "Failed", value: ["Type": "Fail", "Error": "Failed", "Cause": "a task failed"])
    return [
      "Comment": .string("\(total) states of every common kind, JSONPath and JSONata"),
      "StartAt": .string(names.first ?? "Done"), "TimeoutSeconds": 3600, "States": .object(states),
    ]
  }
}
