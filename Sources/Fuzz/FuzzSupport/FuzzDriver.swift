import Dispatch
import Foundation
import Synchronization

/// The entry point libFuzzer calls with each input.
public typealias FuzzEntry = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

#if FUZZING
  @_silgen_name("LLVMFuzzerRunDriver")
  private func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: FuzzEntry
  ) -> CInt
#endif

/// Runs a fuzz target: under libFuzzer (built with `-sanitize=fuzzer -DFUZZING`), or as a
/// reproducer runner that replays the files it is given (a plain `swift build`).
public enum FuzzDriver {
  /// The bytes libFuzzer passes.
  public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
  }

  #if FUZZING
    /// Hands the command line to libFuzzer, which then calls `entry` with each input.
    public static func runLibFuzzer(
      argc: CInt, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, entry: FuzzEntry
    ) -> CInt {
      var count = argc
      var arguments = argv
      return llvmFuzzerRunDriver(&count, &arguments, entry)
    }
  #endif

  /// Replays every file named on the command line (a folder: every file inside it, sorted)
  /// through `body`, printing each path first so that a violated invariant names its input.
  ///
  /// Exit status: 0 when every input passed, 64 without arguments or with a path that cannot be
  /// read. A violated invariant stops the process (see ``Invariant``).
  public static func replay(
    target: String, arguments: [String], _ body: ([UInt8]) -> Void
  ) -> Int32 {
    guard !arguments.isEmpty, !arguments.contains("--help"), !arguments.contains("-h") else {
      print(
        """
        usage: \(target) FILE-OR-FOLDER...
        Replays each input through the fuzz target's checks (a reproducer runner). Build with
        Tests/Fuzz/run to fuzz instead.
        """)
      return 64
    }
    var files: [String] = []
    for argument in arguments {
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder) else {
        print("\(target): no such file: \(argument)")
        return 64
      }
      if isFolder.boolValue {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []
        for name in names.sorted() {
          let path = (argument as NSString).appendingPathComponent(name)
          var nestedIsFolder: ObjCBool = false
          if FileManager.default.fileExists(atPath: path, isDirectory: &nestedIsFolder),
            !nestedIsFolder.boolValue
          {
            files.append(path)
          }
        }
      } else {
        files.append(argument)
      }
    }
    for file in files {
      guard let data = FileManager.default.contents(atPath: file) else {
        print("\(target): cannot read \(file)")
        return 64
      }
      print("\(target): \(file)")
      let started = DispatchTime.now().uptimeNanoseconds
      body([UInt8](data))
      let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
      print("  ok (\(String(format: "%.3f", elapsed)) s)")
    }
    print("\(target): \(files.count) inputs replayed, every invariant held")
    return 0
  }

  /// Runs `operation` to its end from synchronous code (the libFuzzer callback) and returns its
  /// result.
  public static func wait<Value: Sendable>(
    _ operation: @escaping @Sendable () async -> Value
  ) -> Value {
    let box = ResultBox<Value>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
      let value = await operation()
      box.store(value)
      done.signal()
    }
    done.wait()
    guard let value = box.take() else { Invariant.fail("the operation ended without a result") }
    return value
  }
}

/// Hands a value from a task to the thread waiting for it.
private final class ResultBox<Value: Sendable>: Sendable {
  private let storage = Mutex<Value?>(nil)

  func store(_ value: Value) { storage.withLock { $0 = value } }

  func take() -> Value? { storage.withLock { $0.take() } }
}
