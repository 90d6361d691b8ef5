import StepFunctions

extension Coverage {
  /// The coverage as JSON, the shape `sfn test --coverage --format json` prints for each state
  /// machine (see `Docs/Coverage.md`): `{"name", "summary": {"states": {"covered", "total",
  /// "percent"}, "choiceRules", "retriers", "catchers", "branches", "failStates"}, "items",
  /// "uncovered", "executions"}`.
  public var json: JSON {
    var object = JSONObject()
    object.append(key: "name", value: .string(stateMachineName))
    let summary = summary
    var counts = JSONObject()
    for kind in CoverageSummary.Kind.allCases {
      counts.append(key: kind.rawValue, value: summary[kind].json)
    }
    object.append(key: "summary", value: .object(counts))
    object.append(key: "items", value: .array(items.map(\.json)))
    object.append(key: "uncovered", value: .array(uncovered.map(\.json)))
    object.append(key: "executions", value: .number(JSONNumber(executionCount)))
    return .object(object)
  }

  /// `{"stateMachines": [...]}`: the `coverage` object of `sfn test --format json`, one entry
  /// per coverage in the order given.
  public static func json(_ coverages: [Coverage]) -> JSON {
    ["stateMachines": .array(coverages.map(\.json))]
  }
}

extension CoverageItem {
  /// The item as JSON: `{"kind", "state", then "rule" | "retrier" | "catcher" | "branch",
  /// "errorEquals", "next" as the kind has them, "covered", "hits"}`.
  public var json: JSON {
    var object = JSONObject()
    object.append(key: "kind", value: .string(kind.rawValue))
    object.append(key: "state", value: .string(state))
    if let index {
      let key: String
      switch kind {
      case .choiceRule: key = "rule"
      case .retrier: key = "retrier"
      case .catcher: key = "catcher"
      default: key = "branch"
      }
      object.append(key: key, value: .number(JSONNumber(index)))
    }
    if let errorEquals {
      object.append(key: "errorEquals", value: .array(errorEquals.map(JSON.string)))
    }
    if let next { object.append(key: "next", value: .string(next)) }
    object.append(key: "covered", value: .bool(isCovered))
    object.append(key: "hits", value: .number(JSONNumber(hits)))
    return .object(object)
  }
}

extension CoverageCount {
  /// `{"covered", "total", "percent"}`; `percent` is an integer when it is whole.
  public var json: JSON {
    let percent = percent
    let number =
      percent == percent.rounded() ? JSONNumber(Int(percent)) : JSONNumber(percent)
    return [
      "covered": .number(JSONNumber(covered)), "total": .number(JSONNumber(total)),
      "percent": .number(number),
    ]
  }
}
