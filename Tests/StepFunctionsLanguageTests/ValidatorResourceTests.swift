import StepFunctionsJSON
import StepFunctionsLanguage
import Testing

/// A Task state `S` calling `resource`.
private func task(_ resource: String) -> String {
  ASL.single("\"Type\": \"Task\", \"Resource\": \"\(resource)\", \"End\": true")
}

@Suite("Validator: Task resources")
struct ValidatorResourceTests {
  @Test(
    "Resources Step Functions can call are accepted",
    arguments: [
      "arn:aws:lambda:us-east-1:123456789012:function:Transcode",
      "arn:aws:lambda:us-east-1:123456789012:function:Transcode:$LATEST",
      "arn:aws:lambda:us-east-1:123456789012:function:Transcode:7",
      "arn:aws:lambda:us-east-1:123456789012:function:Transcode:live_alias-1",
      "arn:aws:states:::lambda:invoke",
      "arn:aws:states:::lambda:invoke.waitForTaskToken",
      "arn:aws:states:::dynamodb:getItem",
      "arn:aws:states:::dynamodb:putItem",
      "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "arn:aws:states:::states:startExecution.sync:2",
      "arn:aws:states:::ecs:runTask.sync",
      "arn:aws:states:::mediaconvert:createJob.sync",
      "arn:aws:states:::aws-sdk:s3:listBuckets",
      "arn:aws:states:::aws-sdk:mediaconvert:describeEndpoints.waitForTaskToken",
      "arn:aws:states:::bedrock:invokeModel",
      "arn:aws:states:us-east-1:123456789012:activity:Encode",
      "arn:aws-cn:states:::lambda:invoke",
      "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:F",
    ])
  func acceptedResources(resource: String) {
    #expect(found(task(resource)) == [])
  }

  @Test(
    "A Resource that is not an ARN is INVALID_RESOURCE",
    arguments: [
      "foo:bar", "", "arn:aws", "arn::states:::lambda:invoke", "lambda",
      "arn:aws:states:::dynamodb",
    ])
  func notAnARN(resource: String) {
    #expect(
      found(task(resource)) == [
        .error(
          .invalidResource, "The resource '\(resource)' is not a valid resource ARN",
          at: "/States/S/Resource")
      ])
  }

  @Test(
    "A Lambda function ARN needs a valid name and qualifier",
    arguments: [
      "arn:aws:lambda:us-east-1:123456789012:function:",
      "arn:aws:lambda:us-east-1:123456789012:function:bad name",
      "arn:aws:lambda:us-east-1:123456789012:function:F:",
      "arn:aws:lambda:us-east-1:123456789012:function:F:v1:extra",
      "arn:aws:lambda:us-east-1:123456789012:function:F:$PREVIOUS",
    ])
  func invalidLambdaARN(resource: String) {
    #expect(
      found(task(resource)) == [
        .error(
          .invalidResource, "The resource '\(resource)' is not a valid Lambda function ARN",
          at: "/States/S/Resource")
      ])
  }

  @Test(
    "An optimized integration's unknown action is rejected with AWS's message",
    arguments: [
      "arn:aws:states:::dynamodb:query", "arn:aws:states:::sqs:receiveMessage",
      "arn:aws:states:::lambda:call",
      "arn:aws:states:::sns:publishBatch",
    ])
  func unknownOptimizedAction(resource: String) {
    #expect(
      found(task(resource)) == [
        .schema(
          "The resource provided \(resource) is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.",
          at: "/States/S/Resource")
      ])
  }

  @Test("Resource must be a string")
  func resourceType() {
    #expect(
      found(ASL.single(#""Type": "Task", "Resource": {"Ref": "Fn"}, "End": true"#)) == [
        .schema("The value for the field 'Resource' must be a STRING", at: "/States/S/Resource")
      ])
  }

  @Test("An EXPRESS machine cannot call an activity")
  func expressActivity() {
    let text = task("arn:aws:states:us-east-1:123456789012:activity:Encode")
    #expect(
      found(text, type: .express) == [
        .schema("Express state machine does not support Activity ARN", at: "/States/S/Resource")
      ])
  }

  @Test(
    "An EXPRESS machine cannot wait for a .sync job",
    arguments: [
      "arn:aws:states:::states:startExecution.sync",
      "arn:aws:states:::states:startExecution.sync:2",
    ])
  func expressSync(resource: String) {
    #expect(
      found(task(resource), type: .express) == [
        .schema(
          "Express state machine does not support '.sync' service integration",
          at: "/States/S/Resource")
      ])
  }

  @Test("An EXPRESS machine cannot wait for a task token; AWS's message ends with a space")
  func expressWaitForTaskToken() {
    #expect(
      found(task("arn:aws:states:::sns:publish.waitForTaskToken"), type: .express) == [
        .schema(
          "Express state machine does not support '.waitForTaskToken' service integration ",
          at: "/States/S/Resource")
      ])
  }

  @Test("An EXPRESS machine may use request-response integrations")
  func expressRequestResponse() {
    #expect(found(task("arn:aws:states:::lambda:invoke"), type: .express) == [])
    #expect(found(task(ASL.lambda), type: .express) == [])
  }
}
