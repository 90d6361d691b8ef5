import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

/// A Task state `S` with `extra` members.
private func task(_ extra: String, language: QueryLanguage? = nil) -> String {
  ASL.single(
    #""Type": "Task", "Resource": "\#(ASL.lambda)", "End": true, \#(extra)"#, language: language)
}

/// A Map state `S` (inline processor with one Pass state `M`) with `extra` members.
private func map(_ extra: String, language: QueryLanguage? = nil) -> String {
  let members = #""Type": "Map", "ItemProcessor": \#(ASL.graph("M")), "End": true"#
  return ASL.single(extra.isEmpty ? members : members + ", " + extra, language: language)
}

/// A distributed Map state `S` with `extra` members.
private func distributedMap(_ extra: String) -> String {
  let processor =
    #"{"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "M", "States": {"M": {"Type": "Pass", "End": true}}}"#
  return ASL.single(#""Type": "Map", "ItemProcessor": \#(processor), "End": true, \#(extra)"#)
}

/// The codes and pointers of the errors, for rules whose wording comes from the expression
/// parsers.
private func codesAndPointers(_ text: String) -> [String] {
  errors(text).map { "\($0.code) \($0.pointer)" }
}

@Suite("Validator: field types, ranges and exclusive pairs")
struct ValidatorFieldValueTests {
  // MARK: Task timeouts

  @Test(
    "Task TimeoutSeconds and HeartbeatSeconds must be positive integers",
    arguments: ["TimeoutSeconds", "HeartbeatSeconds"])
  func taskTimeoutRange(key: String) {
    #expect(
      found(task("\"\(key)\": 0")) == [
        .schema("Minimum value is 1", at: "/States/S/\(key)")
      ])
    #expect(
      found(task("\"\(key)\": 2.5")) == [
        .schema("The value for the field '\(key)' must be an INTEGER", at: "/States/S/\(key)")
      ])
    #expect(
      found(task("\"\(key)\": 99999999999999999999999")) == [
        .schema("Maximum value is 99999999", at: "/States/S/\(key)")
      ])
    #expect(
      found(task("\"\(key)\": -99999999999999999999999")) == [
        .schema("Minimum value is 1", at: "/States/S/\(key)")
      ])
    #expect(found(task("\"\(key)\": 1")) == [])
  }

  @Test("HeartbeatSeconds must be smaller than TimeoutSeconds")
  func heartbeatBelowTimeout() {
    #expect(
      found(task(#""TimeoutSeconds": 10, "HeartbeatSeconds": 10"#)) == [
        .schema(
          "The value for the field 'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'",
          at: "/States/S/HeartbeatSeconds")
      ])
    #expect(found(task(#""TimeoutSeconds": 10, "HeartbeatSeconds": 9"#)) == [])
  }

  @Test(
    "A field and its ...Path form are mutually exclusive",
    arguments: [
      (
        #""TimeoutSeconds": 5, "TimeoutSecondsPath": "$.t""#, "TimeoutSeconds", "TimeoutSecondsPath"
      ),
      (
        #""HeartbeatSeconds": 5, "HeartbeatSecondsPath": "$.h""#, "HeartbeatSeconds",
        "HeartbeatSecondsPath"
      ),
    ])
  func taskExclusivePairs(members: String, first: String, second: String) {
    #expect(
      found(task(members)) == [
        .schema("The fields '\(first)' and '\(second)' are mutually exclusive", at: "/States/S")
      ])
  }

  @Test("TimeoutSecondsPath and HeartbeatSecondsPath must be reference paths")
  func timeoutPaths() {
    #expect(
      found(task(#""TimeoutSecondsPath": "$.t", "HeartbeatSecondsPath": "$$.Execution.x""#)) == [])
    #expect(
      codesAndPointers(task(#""TimeoutSecondsPath": "t""#)) == [
        "SCHEMA_VALIDATION_FAILED /States/S/TimeoutSecondsPath"
      ])
  }

  @Test("In JSONata, TimeoutSeconds may be an expression but not another string")
  func jsonataTimeout() {
    #expect(found(task(#""TimeoutSeconds": "{% 5 %}""#, language: .jsonata)) == [])
    #expect(
      found(task(#""TimeoutSeconds": "5""#, language: .jsonata)) == [
        .schema(
          "The value for the field 'TimeoutSeconds' must be an INTEGER or a JSONata expression",
          at: "/States/S/TimeoutSeconds")
      ])
  }

  // MARK: Credentials

  @Test("Credentials require RoleArn, as AWS says")
  func credentialsRequireRoleArn() {
    #expect(
      found(task(#""Credentials": {}"#)) == [
        .schema("The field 'RoleArn' is required but was missing", at: "/States/S/Credentials")
      ])
    #expect(found(task(#""Credentials": {"RoleArn": "arn:aws:iam::123456789012:role/r"}"#)) == [])
    #expect(found(task(#""Credentials": {"RoleArn.$": "$.role"}"#)) == [])
  }

  @Test("Credentials with only an unknown field get only AWS's RoleArn error")
  func credentialsUnknownField() {
    let text = ASL.single(
      #""Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": "{% $states.input %}", "Credentials": {"InvalidField": "invalid"}, "End": true"#,
      language: .jsonata)
    #expect(
      found(text) == [
        .schema("The field 'RoleArn' is required but was missing", at: "/States/S/Credentials")
      ])
  }

  @Test("Credentials must be an object")
  func credentialsType() {
    #expect(
      found(task(#""Credentials": "role""#)) == [
        .schema(
          "The value for the field 'Credentials' must be an OBJECT", at: "/States/S/Credentials")
      ])
  }

  // MARK: Retry

  @Test("A retrier without optional fields gets the defaults 1, 3 and 2.0")
  func retrierDefaults() throws {
    let definition = try StateMachineDefinition(
      json: task(#""Retry": [{"ErrorEquals": ["States.ALL"]}]"#))
    let retrier = try #require(definition.graph.states.first?.retriers.first)
    #expect(retrier.errorEquals == ["States.ALL"])
    #expect(retrier.intervalSeconds == 1)
    #expect(retrier.maxAttempts == 3)
    #expect(retrier.backoffRate == 2.0)
    #expect(retrier.maxDelaySeconds == nil)
    #expect(retrier.jitterStrategy == .none)
  }

  @Test(
    "Retrier fields are range-checked",
    arguments: [
      (
        "\"IntervalSeconds\": 0", "IntervalSeconds", "Minimum value is 1"
      ),
      (
        "\"IntervalSeconds\": 1.5", "IntervalSeconds",
        "The value for the field 'IntervalSeconds' must be an INTEGER"
      ),
      (
        "\"MaxAttempts\": -1", "MaxAttempts", "Minimum value is 0"
      ),
      (
        "\"MaxAttempts\": 100000000", "MaxAttempts", "Maximum value is 99999999"
      ),
      (
        "\"BackoffRate\": 0.5", "BackoffRate",
        "The value for the field 'BackoffRate' must be greater than or equal to 1.0"
      ),
      (
        "\"BackoffRate\": \"2\"", "BackoffRate",
        "The value for the field 'BackoffRate' must be a NUMBER"
      ),
      (
        "\"MaxDelaySeconds\": 0", "MaxDelaySeconds", "Minimum value is 1"
      ),
      (
        "\"JitterStrategy\": \"HALF\"", "JitterStrategy",
        "The value for the field 'JitterStrategy' must be one of [FULL, NONE]"
      ),
    ])
  func retrierRanges(member: String, key: String, message: String) {
    let text = task("\"Retry\": [{\"ErrorEquals\": [\"States.ALL\"], \(member)}]")
    #expect(found(text) == [.schema(message, at: "/States/S/Retry/0/\(key)")])
  }

  @Test("Retrier fields at their limits are accepted and kept")
  func retrierLimits() throws {
    let text = task(
      #""Retry": [{"ErrorEquals": ["A"], "IntervalSeconds": 99999999, "MaxAttempts": 0, "BackoffRate": 1, "MaxDelaySeconds": 31622400, "JitterStrategy": "FULL", "Comment": "c"}]"#
    )
    #expect(found(text) == [])
    let retrier = try #require(
      try StateMachineDefinition(json: text).graph.states.first?.retriers.first)
    #expect(retrier.intervalSeconds == 99_999_999)
    #expect(retrier.maxAttempts == 0)
    #expect(retrier.backoffRate == 1.0)
    #expect(retrier.maxDelaySeconds == 31_622_400)
    #expect(retrier.jitterStrategy == .full)
    #expect(retrier.comment == "c")
  }

  @Test("An unknown field in a retrier is not supported")
  func retrierUnknownField() {
    #expect(
      found(task(#""Retry": [{"ErrorEquals": ["A"], "Next": "S"}]"#)) == [
        .schema("Field 'Next' is not supported", at: "/States/S/Retry/0")
      ])
  }

  @Test("Retry must be an array of objects")
  func retryShape() {
    #expect(
      found(task(#""Retry": {}"#)) == [
        .schema("The value for the field 'Retry' must be an ARRAY", at: "/States/S/Retry")
      ])
    #expect(
      found(task(#""Retry": [1]"#)) == [
        .schema("A Retrier must be an OBJECT", at: "/States/S/Retry/0")
      ])
  }

  // MARK: ErrorEquals

  @Test("ErrorEquals is required, non-empty and made of strings", arguments: ["Retry", "Catch"])
  func errorEqualsShape(field: String) {
    let next = field == "Catch" ? ", \"Next\": \"S\"" : ""
    #expect(
      found(task("\"\(field)\": [{\"MaxAttempts\": 1\(next)}]".replacingMaxAttempts(field))) == [
        .schema("The field 'ErrorEquals' is required but was missing", at: "/States/S/\(field)/0")
      ])
    #expect(
      found(task("\"\(field)\": [{\"ErrorEquals\": []\(next)}]")) == [
        .schema("The field 'ErrorEquals' must not be empty", at: "/States/S/\(field)/0/ErrorEquals")
      ])
    #expect(
      found(task("\"\(field)\": [{\"ErrorEquals\": [\"A\", 1]\(next)}]")) == [
        .schema(
          "The values of 'ErrorEquals' must be STRINGs", at: "/States/S/\(field)/0/ErrorEquals/1")
      ])
    #expect(
      found(task("\"\(field)\": [{\"ErrorEquals\": \"States.ALL\"\(next)}]")) == [
        .schema(
          "The value for the field 'ErrorEquals' must be an ARRAY",
          at: "/States/S/\(field)/0/ErrorEquals")
      ])
  }

  @Test("States.ALL must appear alone", arguments: ["Retry", "Catch"])
  func statesAllAlone(field: String) {
    let next = field == "Catch" ? ", \"Next\": \"S\"" : ""
    #expect(
      found(task("\"\(field)\": [{\"ErrorEquals\": [\"States.ALL\", \"States.Timeout\"]\(next)}]"))
        == [
          .schema(
            "'States.ALL' must appear alone in 'ErrorEquals'",
            at: "/States/S/\(field)/0/ErrorEquals")
        ])
  }

  @Test("States.ALL must be in the last retrier and the last catcher")
  func statesAllLast() {
    #expect(
      found(task(#""Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["A"]}]"#)) == [
        .schema("A Retrier with 'States.ALL' must be the last Retrier", at: "/States/S/Retry/0")
      ])
    #expect(
      found(
        task(
          #""Catch": [{"ErrorEquals": ["States.ALL"], "Next": "S"}, {"ErrorEquals": ["A"], "Next": "S"}]"#
        )) == [
          .schema("A Catcher with 'States.ALL' must be the last Catcher", at: "/States/S/Catch/0")
        ])
    #expect(
      found(task(#""Retry": [{"ErrorEquals": ["A"]}, {"ErrorEquals": ["States.ALL"]}]"#)) == [])
  }

  // MARK: Catch

  @Test("A catcher needs Next, and only that error is reported")
  func catcherNeedsNext() {
    #expect(
      found(task(#""Catch": [{"ErrorEquals": ["States.ALL"]}]"#)) == [
        .schema("The field 'Next' is required but was missing", at: "/States/S/Catch/0")
      ])
  }

  @Test("Catcher fields depend on the query language")
  func catcherFields() {
    #expect(
      found(
        task(
          #""Catch": [{"ErrorEquals": ["A"], "Next": "S", "ResultPath": "$.e", "Comment": "c", "Assign": {"x": 1}}]"#
        )) == [])
    #expect(
      found(task(#""Catch": [{"ErrorEquals": ["A"], "Next": "S", "Output": {}}]"#)) == [
        .schema("Field 'Output' is not supported", at: "/States/S/Catch/0")
      ])
    #expect(
      found(
        task(
          #""Catch": [{"ErrorEquals": ["A"], "Next": "S", "Output": "{% $states.errorOutput %}"}]"#,
          language: .jsonata)) == [])
    #expect(
      found(
        task(
          #""Catch": [{"ErrorEquals": ["A"], "Next": "S", "ResultPath": "$.e"}]"#,
          language: .jsonata)) == [
          .schema("Field 'ResultPath' is not supported", at: "/States/S/Catch/0")
        ])
    #expect(
      found(task(#""Catch": [1]"#)) == [
        .schema("A Catcher must be an OBJECT", at: "/States/S/Catch/0")
      ])
  }

  // MARK: Wait

  @Test(
    "A Wait state has exactly one of Seconds, SecondsPath, Timestamp and TimestampPath",
    arguments: [
      (#""Seconds": 1"#, nil),
      (#""SecondsPath": "$.s""#, nil),
      (#""Timestamp": "2016-03-14T01:59:00Z""#, nil),
      (#""TimestampPath": "$.t""#, nil),
      (
        #""Seconds": 1, "SecondsPath": "$.s""#,
        "A Wait state must have only one of 'Seconds', 'SecondsPath'"
      ),
      (
        #""Seconds": 1, "Timestamp": "2016-03-14T01:59:00Z", "TimestampPath": "$.t""#,
        "A Wait state must have only one of 'Seconds', 'Timestamp', 'TimestampPath'"
      ),
    ] as [(String, String?)])
  func waitForms(members: String, message: String?) {
    let text = ASL.single("\"Type\": \"Wait\", \(members), \"End\": true")
    #expect(found(text) == (message.map { [.schema($0, at: "/States/S")] } ?? []))
  }

  @Test("A Wait state with no duration is rejected")
  func waitWithoutDuration() {
    #expect(
      found(ASL.single(#""Type": "Wait", "End": true"#)) == [
        .schema(
          "A Wait state must have exactly one of 'Seconds', 'SecondsPath', 'Timestamp' or 'TimestampPath'",
          at: "/States/S")
      ])
  }

  @Test("Wait Seconds must be an integer from 0 to 99999999")
  func waitSecondsRange() {
    #expect(found(ASL.single(#""Type": "Wait", "Seconds": 0, "End": true"#)) == [])
    #expect(
      found(ASL.single(#""Type": "Wait", "Seconds": -1, "End": true"#)) == [
        .schema("Minimum value is 0", at: "/States/S/Seconds")
      ])
    // AWS's words (CloudFormation's report of CreateStateMachine, cfn-lint#4075).
    #expect(
      found(ASL.single(#""Type": "Wait", "Seconds": 10000000000000000, "End": true"#)) == [
        .schema("Maximum value is 99999999", at: "/States/S/Seconds")
      ])
  }

  @Test(
    "Valid RFC 3339 timestamps are accepted",
    arguments: [
      "2016-03-14T01:59:00Z", "2016-03-14T01:59:00.123Z", "2016-03-14T01:59:00+02:00",
      "2016-03-14T01:59:00-05:30", "2016-02-29T23:59:59Z", "2016-03-14t01:59:00z",
    ])
  func validTimestamps(timestamp: String) {
    #expect(
      found(ASL.single("\"Type\": \"Wait\", \"Timestamp\": \"\(timestamp)\", \"End\": true")) == [])
  }

  @Test(
    "Each invalid timestamp shape is rejected with AWS's message",
    arguments: [
      "2016-13-05T21:29:29Z",  // bad month
      "2016-12-05T25:29:29Z",  // bad hour
      "2016-12-05 21:29:29Z",  // space instead of T
      "20161205T212929Z",  // no separators
      "2016-12-05T21:29:29",  // no Z or offset
      "05-12-2016T21:29:29Z",  // not ISO order
      "2015-02-29T00:00:00Z",  // not a leap year
      "2016-12-05",  // no time
      "2016-12-05T21:29:29.Z",  // empty fraction
      "2016-12-05T21:29:29+0200",  // offset without colon
      "{% $now() %}",  // JSONata in a JSONPath state
    ])
  func invalidTimestamps(timestamp: String) {
    #expect(
      found(ASL.single("\"Type\": \"Wait\", \"Timestamp\": \"\(timestamp)\", \"End\": true")) == [
        .schema("String does not match RFC3339 timestamp", at: "/States/S/Timestamp")
      ])
  }

  @Test("A JSONata Wait state may compute its timestamp")
  func jsonataTimestamp() {
    let text = ASL.single(
      #""Type": "Wait", "Timestamp": "{% $states.input.when %}", "End": true"#, language: .jsonata)
    #expect(found(text) == [])
  }

  // MARK: Fail

  @Test("Error/ErrorPath and Cause/CausePath are mutually exclusive")
  func failExclusivePairs() {
    #expect(
      found(ASL.single(#""Type": "Fail", "Error": "E", "ErrorPath": "$.e""#)) == [
        .schema("The fields 'Error' and 'ErrorPath' are mutually exclusive", at: "/States/S")
      ])
    #expect(
      found(ASL.single(#""Type": "Fail", "Cause": "C", "CausePath": "$.c""#)) == [
        .schema("The fields 'Cause' and 'CausePath' are mutually exclusive", at: "/States/S")
      ])
  }

  @Test("ErrorPath and CausePath may be paths or intrinsic calls")
  func failPaths() {
    #expect(
      found(
        ASL.single(#""Type": "Fail", "ErrorPath": "$.e", "CausePath": "States.Format('{}', $.c)""#))
        == [])
    #expect(
      found(ASL.single(#""Type": "Fail", "ErrorPath": 1"#)) == [
        .schema("The value for the field 'ErrorPath' must be a STRING", at: "/States/S/ErrorPath")
      ])
    #expect(
      codesAndPointers(ASL.single(#""Type": "Fail", "CausePath": "cause""#)) == [
        "SCHEMA_VALIDATION_FAILED /States/S/CausePath"
      ])
  }

  @Test("Error and Cause must be strings")
  func failFieldTypes() {
    #expect(
      found(ASL.single(#""Type": "Fail", "Error": 1"#)) == [
        .schema("The value for the field 'Error' must be a STRING", at: "/States/S/Error")
      ])
  }

  // MARK: Parallel

  @Test("Parallel Branches are required and must not be empty")
  func parallelBranches() {
    #expect(
      found(ASL.single(#""Type": "Parallel", "End": true"#)) == [
        .schema("The field 'Branches' is required but was missing", at: "/States/S")
      ])
    #expect(
      found(ASL.single(#""Type": "Parallel", "Branches": [], "End": true"#)) == [
        .schema("The field 'Branches' must not be empty", at: "/States/S/Branches")
      ])
    #expect(
      found(ASL.single(#""Type": "Parallel", "Branches": [1], "End": true"#)) == [
        .schema("A branch must be an OBJECT", at: "/States/S/Branches/0")
      ])
  }

  @Test("A branch needs StartAt and States and allows nothing else but Comment")
  func branchFields() {
    #expect(
      found(
        ASL.single(
          #""Type": "Parallel", "Branches": [{"States": {"B": {"Type": "Succeed"}}}], "End": true"#)
      ) == [
        .schema("These fields are required: [StartAt]", at: "/States/S/Branches/0")
      ])
    let extra =
      #"{"StartAt": "B", "Comment": "c", "ProcessorConfig": {}, "States": {"B": {"Type": "Succeed"}}}"#
    #expect(
      found(ASL.single("\"Type\": \"Parallel\", \"Branches\": [\(extra)], \"End\": true")) == [
        .schema("Field 'ProcessorConfig' is not supported", at: "/States/S/Branches/0")
      ])
  }

  // MARK: Map

  @Test("A Map state needs an ItemProcessor (or Iterator)")
  func mapNeedsProcessor() {
    #expect(
      found(ASL.single(#""Type": "Map", "End": true"#)) == [
        .schema("The field 'ItemProcessor' is required but was missing", at: "/States/S")
      ])
    let iterator = ASL.single("\"Type\": \"Map\", \"Iterator\": \(ASL.graph("M")), \"End\": true")
    #expect(found(iterator) == [])
  }

  @Test(
    "Map's older and newer field names, and value and ...Path forms, are mutually exclusive",
    arguments: [
      ("\"Iterator\": \(ASL.graph("I"))", "ItemProcessor", "Iterator"),
      (#""ItemSelector": {}, "Parameters": {}"#, "ItemSelector", "Parameters"),
      (
        #""MaxConcurrency": 1, "MaxConcurrencyPath": "$.m""#, "MaxConcurrency", "MaxConcurrencyPath"
      ),
      (
        #""ToleratedFailureCount": 1, "ToleratedFailureCountPath": "$.c""#, "ToleratedFailureCount",
        "ToleratedFailureCountPath"
      ),
      (
        #""ToleratedFailurePercentage": 1, "ToleratedFailurePercentagePath": "$.p""#,
        "ToleratedFailurePercentage",
        "ToleratedFailurePercentagePath"
      ),
    ])
  func mapExclusivePairs(members: String, first: String, second: String) {
    #expect(
      errors(map(members)) == [
        .schema("The fields '\(first)' and '\(second)' are mutually exclusive", at: "/States/S")
      ])
  }

  @Test("Items and ItemsPath are mutually exclusive")
  func itemsAndItemsPath() {
    let text = map(#""Items": [1], "ItemsPath": "$.items""#)
    #expect(
      errors(text).contains(
        .schema("The fields 'Items' and 'ItemsPath' are mutually exclusive", at: "/States/S")))
  }

  @Test("ItemReader MaxItems and MaxItemsPath are mutually exclusive")
  func itemReaderPair() {
    let reader =
      #""ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON", "MaxItems": 1, "MaxItemsPath": "$.m"}}"#
    #expect(
      errors(distributedMap(reader)) == [
        .schema(
          "The fields 'MaxItems' and 'MaxItemsPath' are mutually exclusive",
          at: "/States/S/ItemReader/ReaderConfig")
      ])
  }

  @Test(
    "ItemBatcher value and ...Path forms are mutually exclusive",
    arguments: [
      (#""MaxItemsPerBatch": 1, "MaxItemsPerBatchPath": "$.m""#, "MaxItemsPerBatch"),
      (#""MaxInputBytesPerBatch": 1, "MaxInputBytesPerBatchPath": "$.m""#, "MaxInputBytesPerBatch"),
    ])
  func itemBatcherPairs(members: String, key: String) {
    #expect(
      errors(distributedMap("\"ItemBatcher\": {\(members)}")) == [
        .schema(
          "The fields '\(key)' and '\(key)Path' are mutually exclusive", at: "/States/S/ItemBatcher"
        )
      ])
  }

  @Test("ItemReader needs a Resource and ItemBatcher allows only its own fields")
  func readerAndBatcherFields() {
    #expect(
      errors(distributedMap(#""ItemReader": {"ReaderConfig": {}}"#)) == [
        .schema("The field 'Resource' is required but was missing", at: "/States/S/ItemReader")
      ])
    #expect(
      errors(distributedMap(#""ItemBatcher": {"Size": 1, "MaxItemsPerBatch": 2}"#)) == [
        .schema("Field 'Size' is not supported", at: "/States/S/ItemBatcher")
      ])
  }

  @Test("MaxConcurrency and the tolerated failure fields are range-checked")
  func mapRanges() {
    #expect(
      found(map(#""MaxConcurrency": -1"#)) == [
        .schema("Minimum value is 0", at: "/States/S/MaxConcurrency")
      ])
    #expect(
      found(map(#""ToleratedFailurePercentage": 101"#)) == [
        .schema(
          "The value for the field 'ToleratedFailurePercentage' must be between 0 and 100",
          at: "/States/S/ToleratedFailurePercentage")
      ])
    #expect(
      found(
        map(#""MaxConcurrency": 0, "ToleratedFailureCount": 0, "ToleratedFailurePercentage": 12.5"#)
      ) == [])
  }

  @Test("ProcessorConfig Mode and ExecutionType take AWS's values")
  func processorConfig() {
    let text: (String) -> String = { config in
      ASL.single(
        #""Type": "Map", "ItemProcessor": {"ProcessorConfig": \#(config), "StartAt": "M", "States": {"M": {"Type": "Pass", "End": true}}}, "End": true"#
      )
    }
    #expect(found(text(#"{"Mode": "INLINE"}"#)) == [])
    #expect(
      found(text(#"{"Mode": "PARALLEL"}"#)) == [
        .schema(
          "The value for the field 'Mode' must be one of [INLINE, DISTRIBUTED]",
          at: "/States/S/ItemProcessor/ProcessorConfig/Mode")
      ])
    #expect(
      found(text(#"{"Mode": "DISTRIBUTED"}"#)) == [
        .schema(
          "The field 'ExecutionType' is required but was missing",
          at: "/States/S/ItemProcessor/ProcessorConfig")
      ])
    #expect(
      found(text(#"{"Mode": "DISTRIBUTED", "ExecutionType": "FAST"}"#)) == [
        .schema(
          "The value for the field 'ExecutionType' must be one of [STANDARD, EXPRESS]",
          at: "/States/S/ItemProcessor/ProcessorConfig/ExecutionType")
      ])
  }

  @Test("An ItemProcessor does not take a QueryLanguage; it is reported once")
  func processorQueryLanguage() {
    let text = ASL.single(
      #""Type": "Map", "ItemProcessor": {"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Pass", "End": true}}}, "End": true"#
    )
    #expect(
      found(text) == [
        .schema("Field 'QueryLanguage' is not supported", at: "/States/S/ItemProcessor")
      ])
  }

  @Test("Items is an array or a JSONata expression")
  func itemsShape() {
    #expect(found(map(#""Items": [1, 2]"#, language: .jsonata)) == [])
    #expect(found(map(#""Items": "{% $states.input.list %}""#, language: .jsonata)) == [])
    #expect(
      found(map(#""Items": {"a": 1}"#, language: .jsonata)) == [
        .schema(
          "The value for the field 'Items' must be an ARRAY or a JSONata expression",
          at: "/States/S/Items")
      ])
  }

  // MARK: Map Label

  @Test("A Label of up to 40 allowed characters is accepted")
  func validLabel() {
    #expect(found(distributedMap("\"Label\": \"\(String(repeating: "a", count: 40))\"")) == [])
    #expect(found(distributedMap(#""Label": "my-label_1.(ok)!@=+'/""#)) == [])
  }

  @Test("An empty Label is rejected")
  func emptyLabel() {
    #expect(
      found(distributedMap(#""Label": """#)) == [
        .schema("Label cannot be empty", at: "/States/S/Label")
      ])
  }

  @Test("A Label longer than 40 characters is rejected")
  func longLabel() {
    #expect(
      found(distributedMap("\"Label\": \"\(String(repeating: "a", count: 41))\"")) == [
        .schema("Label cannot exceed 40 characters", at: "/States/S/Label")
      ])
  }

  @Test(
    "Each character AWS forbids in a Label is rejected",
    arguments: [
      " ", "\"", "#", "$", "%", "&", "*", ",", ":", ";", "<", ">", "?", "[", "\\", "]", "^", "`",
      "{", "|",
      "}", "~", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}",
    ])
  func forbiddenLabelCharacter(character: String) throws {
    let label = "label_" + character
    let encoded = JSONSerializer().string(.string(label))
    let result = found(distributedMap("\"Label\": \(encoded)"))
    #expect(result.count == 1)
    let only = try #require(result.first)
    #expect(only.code == "SCHEMA_VALIDATION_FAILED")
    #expect(only.pointer == "/States/S/Label")
    #expect(only.message.hasPrefix("Label contains invalid character: '"))
  }
}

extension String {
  /// Drops the `MaxAttempts` member from a catcher (catchers do not have it), keeping the object
  /// free of other problems.
  fileprivate func replacingMaxAttempts(_ field: String) -> String {
    guard field == "Catch" else { return self }
    var copy = self
    if let range = copy.range(of: "\"MaxAttempts\": 1, ") { copy.removeSubrange(range) }
    return copy
  }
}
