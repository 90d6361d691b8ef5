/// The version of the swift-step-functions package, in one place: `sfn --version` prints it and
/// tools that embed the library can report it.
public enum StepFunctionsVersion {
  /// The current version, as [semantic versioning](https://semver.org) writes it (`0.1.0`).
  public static let current = "0.1.0"
}
