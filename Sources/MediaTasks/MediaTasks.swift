import StepFunctions

/// Namespace for the video task handlers (transcode, quality check, publish).
public enum MediaTasks {}
