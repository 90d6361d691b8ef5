/// Which fields each state type accepts, in each query language.
enum StateFieldTable {
  static let types = ["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"]

  /// The three tables below for each type, built once (each state's fields are checked
  /// against them).
  static let commonByType = table(common(building:))
  static let jsonPathOnlyByType = table(jsonPathOnly(building:))
  static let jsonataOnlyByType = table(jsonataOnly(building:))

  static func table(_ build: (String) -> Set<String>) -> [String: Set<String>] {
    Dictionary(uniqueKeysWithValues: types.map { ($0, build($0)) })
  }

  /// Fields every language allows for the type.
  static func common(_ type: String) -> Set<String> {
    commonByType[type] ?? common(building: type)
  }

  /// Fields only JSONPath states allow for the type.
  static func jsonPathOnly(_ type: String) -> Set<String> {
    jsonPathOnlyByType[type] ?? jsonPathOnly(building: type)
  }

  /// Fields only JSONata states allow for the type.
  static func jsonataOnly(_ type: String) -> Set<String> {
    jsonataOnlyByType[type] ?? jsonataOnly(building: type)
  }

  static func common(building type: String) -> Set<String> {
    var fields: Set<String> = ["Type", "Comment", "QueryLanguage"]
    switch type {
    case "Pass": fields.formUnion(["Next", "End", "Assign"])
    case "Task":
      fields.formUnion([
        "Next", "End", "Assign", "Retry", "Catch", "Resource", "TimeoutSeconds", "HeartbeatSeconds",
        "Credentials",
      ])
    case "Choice": fields.formUnion(["Choices", "Default", "Assign"])
    case "Wait": fields.formUnion(["Next", "End", "Assign", "Seconds", "Timestamp"])
    case "Succeed": break
    case "Fail": fields.formUnion(["Error", "Cause"])
    case "Parallel": fields.formUnion(["Next", "End", "Assign", "Retry", "Catch", "Branches"])
    case "Map":
      fields.formUnion([
        "Next", "End", "Assign", "Retry", "Catch", "ItemProcessor", "Iterator", "ItemReader",
        "ItemBatcher", "ResultWriter", "ItemSelector", "MaxConcurrency", "ToleratedFailureCount",
        "ToleratedFailurePercentage", "Label",
      ])
    default: break
    }
    return fields
  }

  static func jsonPathOnly(building type: String) -> Set<String> {
    var fields: Set<String> = []
    if type != "Fail" { fields.formUnion(["InputPath", "OutputPath"]) }
    switch type {
    case "Pass": fields.formUnion(["Parameters", "ResultPath", "Result"])
    case "Task":
      fields.formUnion([
        "Parameters", "ResultPath", "ResultSelector", "TimeoutSecondsPath", "HeartbeatSecondsPath",
      ])
    case "Wait": fields.formUnion(["SecondsPath", "TimestampPath"])
    case "Fail": fields.formUnion(["ErrorPath", "CausePath"])
    case "Parallel": fields.formUnion(["Parameters", "ResultPath", "ResultSelector"])
    case "Map":
      fields.formUnion([
        "Parameters", "ResultPath", "ResultSelector", "ItemsPath", "MaxConcurrencyPath",
        "ToleratedFailureCountPath", "ToleratedFailurePercentagePath",
      ])
    default: break
    }
    return fields
  }

  static func jsonataOnly(building type: String) -> Set<String> {
    var fields: Set<String> = []
    if type != "Fail" { fields.insert("Output") }
    switch type {
    case "Task", "Parallel": fields.insert("Arguments")
    case "Map": fields.insert("Items")
    default: break
    }
    return fields
  }
}
