// swift-tools-version: 6.0
import PackageDescription

// The targets follow the pipeline: JSON → language (model, validator) → runtime (plan, executor,
// history) → replay (event comparison, replaying recorded histories) → testing kit and media task
// handlers → command-line library → `sfn`. The regular-expression engine (linear time, for
// JSONPath filters) stands alone beside JSON; the JSONata engine sits between JSON and the
// language target, which compiles a definition's `{% %}` expressions with it.
let package = Package(
  name: "swift-step-functions",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "StepFunctions", targets: ["StepFunctions"]),
    .library(name: "StepFunctionsTesting", targets: ["StepFunctionsTesting"]),
    .library(name: "MediaTasks", targets: ["MediaTasks"]),
    .executable(name: "sfn", targets: ["sfn"]),
  ],
  targets: [
    .target(
      name: "StepFunctionsJSON", linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
    .target(name: "StepFunctionsRegex"),
    .target(
      name: "StepFunctionsJSONata", dependencies: ["StepFunctionsJSON", "StepFunctionsRegex"]),
    .target(
      name: "StepFunctionsLanguage",
      dependencies: ["StepFunctionsJSON", "StepFunctionsRegex", "StepFunctionsJSONata"]),
    .target(name: "StepFunctionsRuntime", dependencies: ["StepFunctionsLanguage"]),
    .target(name: "StepFunctionsReplay", dependencies: ["StepFunctionsRuntime"]),
    .target(
      name: "StepFunctions",
      dependencies: [
        "StepFunctionsJSON", "StepFunctionsLanguage", "StepFunctionsRuntime", "StepFunctionsReplay",
      ]),
    .target(name: "StepFunctionsTesting", dependencies: ["StepFunctions", "StepFunctionsReplay"]),
    .target(name: "MediaTasks", dependencies: ["StepFunctions"]),
    .target(
      name: "StepFunctionsCLI",
      dependencies: ["StepFunctions", "StepFunctionsTesting", "MediaTasks"]),
    .executableTarget(name: "sfn", dependencies: ["StepFunctionsCLI"]),
    .executableTarget(
      name: "sfn-bench", dependencies: ["StepFunctions", "StepFunctionsTesting", "MediaTasks"]),
    .target(
      name: "CorpusSupport", dependencies: ["StepFunctionsJSON"], path: "Tests/CorpusSupport"),
    .testTarget(
      name: "StepFunctionsJSONTests", dependencies: ["StepFunctionsJSON", "CorpusSupport"]),
    .testTarget(name: "StepFunctionsRegexTests", dependencies: ["StepFunctionsRegex"]),
    .testTarget(
      name: "StepFunctionsJSONataTests", dependencies: ["StepFunctionsJSONata", "CorpusSupport"]),
    .testTarget(
      name: "StepFunctionsLanguageTests", dependencies: ["StepFunctionsLanguage", "CorpusSupport"]),
    .testTarget(
      name: "StepFunctionsRuntimeTests",
      dependencies: ["StepFunctionsRuntime", "CorpusSupport", "FuzzChecks"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "StepFunctionsCLITests", dependencies: ["StepFunctionsCLI", "CorpusSupport"]),
    .testTarget(
      name: "StepFunctionsTestingTests", dependencies: ["StepFunctionsTesting", "CorpusSupport"],
      exclude: ["Snapshots"]),
    .testTarget(name: "MediaTasksTests", dependencies: ["MediaTasks", "StepFunctionsTesting"]),
    .testTarget(
      name: "StepFunctionsReplayTests",
      dependencies: ["StepFunctionsReplay", "StepFunctionsTesting", "MediaTasks"]),
  ]
)

// Fuzz targets, one per entry point (Sources/Fuzz/NAME). `Tests/Fuzz/run` builds them with
// libFuzzer; a plain build makes each a reproducer runner that replays the files it is given.
// FuzzChecks holds the checks the unit tests share (they run the committed seeds).
package.targets += [
  .target(name: "FuzzSupport", path: "Sources/Fuzz/FuzzSupport"),
  .target(
    name: "FuzzChecks",
    dependencies: [
      "FuzzSupport", "StepFunctionsRegex", "StepFunctionsJSONata", "StepFunctionsRuntime",
      "StepFunctionsReplay", "MediaTasks",
    ], path: "Sources/Fuzz/FuzzChecks"),
  .testTarget(name: "FuzzSeedTests", dependencies: ["FuzzChecks"]),
]
for (name, library) in [
  ("FuzzJSON", "StepFunctionsJSON"), ("FuzzDefinition", "StepFunctionsRuntime"),
  ("FuzzJSONPath", "StepFunctionsRuntime"), ("FuzzIntrinsics", "StepFunctionsRuntime"),
  ("FuzzMockConfiguration", "StepFunctionsTesting"), ("FuzzExecution", "FuzzChecks"),
  ("FuzzRegex", "FuzzChecks"), ("FuzzHistoryImport", "FuzzChecks"), ("FuzzReplay", "FuzzChecks"),
  ("FuzzJSONata", "FuzzChecks"),
] {
  package.targets.append(
    .executableTarget(
      name: name, dependencies: ["FuzzSupport", .target(name: library)],
      path: "Sources/Fuzz/\(name)"))
}
