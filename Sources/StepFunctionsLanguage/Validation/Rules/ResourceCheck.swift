/// Checks a Task's `Resource` the way Step Functions does when a definition is created.
enum ResourceCheck {
  struct Problem {
    var code: DiagnosticCode
    var message: String
  }

  /// Optimized service integrations (`arn:aws:states:::service:action`) whose actions Step
  /// Functions knows; an action missing from a listed service is rejected. Services not listed
  /// here are not checked.
  static let optimizedActions: [String: Set<String>] = [
    "lambda": ["invoke"],
    "dynamodb": ["getItem", "putItem", "deleteItem", "updateItem"],
    "sns": ["publish"],
    "sqs": ["sendMessage"],
    "ecs": ["runTask"],
    "batch": ["submitJob"],
    "glue": ["startJobRun"],
    "states": ["startExecution"],
    "mediaconvert": ["createJob"],
    "events": ["putEvents"],
    "apigateway": ["invoke"],
    "http": ["invoke"],
    "databrew": ["startJobRun"],
    "codebuild": [
      "startBuild", "stopBuild", "batchDeleteBuilds", "batchGetReports", "startBuildBatch",
      "retryBuild", "retryBuildBatch", "stopBuildBatch", "batchGetBuilds", "batchGetBuildBatches",
      "deleteBuildBatch",
    ],
    "athena": [
      "startQueryExecution", "stopQueryExecution", "getQueryExecution", "getQueryResults",
      "startCalculationExecution", "stopCalculationExecution", "getCalculationExecution",
      "startSession", "getSessionStatus", "terminateSession",
    ],
  ]

  static func problem(_ resource: String, type: ValidationOptions.StateMachineType) -> Problem? {
    let parts = resource.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(
      String.init)
    guard parts.count >= 6, parts[0] == "arn", !parts[1].isEmpty, !parts[2].isEmpty else {
      return Problem(
        code: .invalidResource, message: "The resource '\(resource)' is not a valid resource ARN")
    }
    let service = parts[2]
    let rest = parts[5]
    if service == "states" && parts[3].isEmpty && parts[4].isEmpty {
      // arn:aws:states:::service:action[.pattern]
      let pieces = rest.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
      guard pieces.count >= 2, !pieces[0].isEmpty, !pieces[1].isEmpty else {
        return Problem(
          code: .invalidResource, message: "The resource '\(resource)' is not a valid resource ARN")
      }
      let target = pieces[0]
      var action = pieces[1...].joined(separator: ":")
      var pattern = ""
      for suffix in [".sync:2", ".sync", ".waitForTaskToken"] where action.hasSuffix(suffix) {
        pattern = suffix
        action = String(action.dropLast(suffix.count))
        break
      }
      if type == .express {
        if pattern.hasPrefix(".sync") {
          return Problem(
            code: .schemaValidationFailed,
            message: "Express state machine does not support '.sync' service integration")
        }
        if pattern == ".waitForTaskToken" {
          return Problem(
            code: .schemaValidationFailed,
            message:
              "Express state machine does not support '.waitForTaskToken' service integration ")
        }
      }
      if target == "aws-sdk" { return nil }
      if let actions = optimizedActions[target], !actions.contains(action) {
        return Problem(
          code: .schemaValidationFailed,
          message:
            "The resource provided \(resource) is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
        )
      }
      return nil
    }
    if service == "states", rest.hasPrefix("activity:") {
      if type == .express {
        return Problem(
          code: .schemaValidationFailed,
          message: "Express state machine does not support Activity ARN")
      }
      return nil
    }
    if service == "lambda", rest.hasPrefix("function:") {
      let pieces = rest.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
      let nameOK =
        pieces.count >= 2 && !pieces[1].isEmpty && pieces[1].allSatisfy(isFunctionNameCharacter)
      let qualifierOK =
        pieces.count == 2
        || (pieces.count == 3
          && (pieces[2] == "$LATEST"
            || (!pieces[2].isEmpty && pieces[2].allSatisfy(isFunctionNameCharacter))))
      if !nameOK || !qualifierOK {
        return Problem(
          code: .invalidResource,
          message: "The resource '\(resource)' is not a valid Lambda function ARN")
      }
    }
    return nil
  }

  static func isFunctionNameCharacter(_ character: Character) -> Bool {
    character.isASCII
      && (character.isLetter || character.isNumber || character == "-" || character == "_")
  }
}
