import StepFunctions
import StepFunctionsTesting
import Testing

@Suite("Date-times are recognized as the recording tool did")
struct DateTimeRewritingTests {
  @Test(
    "Whole date-times",
    arguments: [
      ("2024-11-04T11:03:38Z", true),
      ("2024-11-04T11:03:38.123Z", true),
      ("2024-11-04T11:03:38.123000+00:00", true),
      ("2024-11-04T11:03:38.123456789-0530", true),
      ("2024-11-04T11:03:38+01", true),
      ("2024-02-29T00:00:00Z", true),
      ("2000-02-29T00:00:00Z", true),
      ("1900-02-29T00:00:00Z", false),
      ("2023-02-29T00:00:00Z", false),
      ("2024-04-31T00:00:00Z", false),
      ("2016-13-05T21:29:29Z", false),
      ("2016-03-05T24:00:00Z", false),
      ("2016-03-05T21:29:29", false),
      ("2016-03-05 21:29:29Z", false),
      ("2016-03-05T21:29:29.1234567890Z", false),
      ("0999-03-05T21:29:29Z", false),
      ("2016-03-05T21:29:29+25:00", false),
      ("", false),
      ("date", false),
    ])
  func wholeDateTime(_ text: String, _ isDateTime: Bool) {
    #expect(DateTimeRewriting.isDateTime(text) == isDateTime)
  }

  @Test(
    "Date-times inside text become date",
    arguments: [
      ("Started at 2024-11-04T11:03:38.123Z, done", "Started at date, done"),
      (
        #"{"a":"2024-11-04T11:03:38Z","b":["2020-01-01T00:00:00+00:00"]}"#,
        #"{"a":"date","b":["date"]}"#
      ),
      ("12016-01-01T00:00:00Z", "1date"),
      ("format string: 2016-13-05T21:29:29Z", "format string: 2016-13-05T21:29:29Z"),
      ("no dates here at all, none", "no dates here at all, none"),
      ("ünïcödé 2024-11-04T11:03:38Z ✓", "ünïcödé date ✓"),
    ])
  func replacement(_ text: String, _ rewritten: String) {
    #expect(DateTimeRewriting.replacingDateTimes(in: text) == rewritten)
  }
}

@Suite("Placeholders in expected strings are wildcards")
struct PlaceholderVocabularyTests {
  static let vocabulary = PlaceholderVocabulary(testWords: ["bucket-name", "lambda_function_name"])

  @Test(
    "Fragments match the real values they replaced",
    arguments: [
      (
        "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:abc",
        "arn:aws:states:us-east-1:123456789012:execution:MyMachine:abc", true
      ),
      (
        "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:abc",
        "arn:aws:states:us-east-1:123456789012:execution:MyMachine:abd", false
      ),
      (
        "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:abc",
        "arn:aws:states:us-east-1:12345678901:execution:MyMachine:abc", false
      ),
      (
        "arn:<partition>:lambda:<region>:111111111111:function:lambda_function_name",
        "arn:aws-cn:lambda:cn-north-1:000000000000:function:lambda_func_a1b2", true
      ),
      ("s3://bucket-name/key", "s3://my-bucket-7f/key", true),
      ("s3://bucket-name/key", "s3:///key", false),
      ("Request ID: <request_id>)", "Request ID: 3f2504e0-4f89-11d3-9a0c-0305e82c3301)", true),
      ("<uuid:1>", "", false),
      ("a < b and c > d", "a < b and c > d", true),
      ("a < b and c > d", "a < x and c > d", false),
      ("plain", "plain", true),
      ("plain", "Plain", false),
    ])
  func fragments(_ expected: String, _ actual: String, _ matches: Bool) {
    #expect(Self.vocabulary.matches(expected: expected, actual: actual) == matches)
  }

  @Test(
    "Whole-value placeholders",
    arguments: [
      ("date", nil, true),
      ("timestamp", "timestamp", true),
      ("snf_role_arn", "roleArn", true),
      ("<headers-date>", "Date", true),
      ("X-Amzn-Trace-Id", "X-Amzn-Trace-Id", true),
      ("bucket-name", "Bucket", true),
      ("a date", nil, false),
      ("<a> <b>", nil, false),
      ("<>", nil, false),
      ("value", "key", false),
    ] as [(String, String?, Bool)])
  func wholeValues(_ expected: String, _ key: String?, _ isWildcard: Bool) {
    #expect(Self.vocabulary.isWholeValueWildcard(expected, key: key) == isWildcard)
  }

  @Test("A case's vocabulary takes the replacement words of its snapshot transformers")
  func caseWords() {
    let testCase = handMadeCase(
      .init(status: .succeeded),
      transformers: [
        ["type": "regex", "regex": "<<py:s3_create_bucket()>>", "replacement": "bucket-name"],
        [
          "type": "jsonpath", "jsonpath": "$..FunctionResult",
          "replacement": "RandomNumberGenerated",
        ],
        ["type": "jsonpath", "jsonpath": "$..TaskToken", "replacement": "<task_token>"],
        ["type": "regex", "regex": "x", "replacement": #"\"requestId\":<request-id>\""#],
        ["type": "utility", "name": "sfn_sqs_integration"],
      ])
    #expect(
      PlaceholderVocabulary(for: testCase).testWords == ["RandomNumberGenerated", "bucket-name"])
  }

  @Test("A long text with many placeholders is matched quickly")
  func pathologicalPattern() {
    let expected = String(repeating: "<a>x", count: 40) + "y"
    let actual = String(repeating: "x", count: 4000)
    #expect(!Self.vocabulary.matches(expected: expected, actual: actual))
  }
}
