import StepFunctions

/// Namespace for the testing kit (virtual-time harness, MockConfigFile mocks, assertions).
public enum StepFunctionsTestingKit {}
