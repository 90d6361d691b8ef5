import Foundation
import FuzzChecks
import FuzzSupport

// The entry points: libFuzzer's driver when Tests/Fuzz/run builds the target (-DFUZZING), a
// reproducer runner that replays the files given as arguments in a plain build.
#if FUZZING
  /// Checks one input (libFuzzer calls it).
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    test(FuzzDriver.bytes(data, size))
    return 0
  }

  /// The program's entry point: libFuzzer's driver.
  @_cdecl("FuzzJSONata_main")
  public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>)
    -> CInt
  {
    FuzzDriver.runLibFuzzer(argc: argc, argv: argv, entry: fuzzOneInput)
  }
#else
  /// The reproducer runner: replays the files and folders named on the command line.
  @main
  struct Replay {
    static func main() {
      let arguments = Array(CommandLine.arguments.dropFirst())
      exit(
        FuzzDriver.replay(target: "FuzzJSONata", arguments: arguments) { test($0) })
    }
  }
#endif

/// Checks one input: see `JSONataCheck`.
func test(_ bytes: [UInt8]) {
  let problems = JSONataCheck.problems(bytes)
  Invariant.require(problems.isEmpty, problems.joined(separator: "\n"))
}
