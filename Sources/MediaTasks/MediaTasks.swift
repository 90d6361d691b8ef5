import StepFunctions

/// Task handlers for video pipelines, over an in-memory AWS (``MediaWorld``): S3, MediaConvert,
/// a quality-check Lambda, SNS, SQS, DynamoDB, ECS and Batch.
public enum MediaTasks {
  /// The handlers `sfn run` uses: those of a fresh ``MediaWorld/sample(seed:)`` world, which
  /// holds the buckets, sample videos, tables, queues, topics, functions and container
  /// behaviors the workflows in `StateMachines/` need. Each access builds a new world.
  public static var defaultHandlers: TaskHandlerRegistry { MediaWorld.sample().handlers }
}
