import StepFunctionsJSON
import StepFunctionsJSONata
import Synchronization

/// The functions AWS Step Functions adds to JSONata: `$partition`, `$range`, `$hash`,
/// `$random([seed])`, `$uuid()` and `$parse`, as ``JSONataFunction``s to pass in
/// ``JSONataOptions/functions``.
///
/// As AWS documents, parameters that must be integers are rounded down. `$random()` without a
/// seed and `$uuid()` draw from the random source the caller supplies, so an evaluation is
/// deterministic when the source is. Errors in arguments are JSONata errors with code `D3137`
/// (JSONata's code for a message raised by a function) and a message naming the function.
public enum AWSFunctions {
  /// The largest array `$range` builds, as JSONata's own range operator (`1..n`) allows.
  public static let maximumRangeCount = 10_000_000

  /// AWS's functions, drawing random numbers from `random` (each call returns 64 random bits).
  public static func functions(random: @escaping @Sendable () -> UInt64) -> [JSONataFunction] {
    var functions: [JSONataFunction] = []
    let table: [(String, String, @Sendable ([JSON?]) throws(JSONataError) -> JSON?)] = [
      ("partition", "<an:a>", partition),
      ("range", "<nnn:a>", range),
      ("hash", "<ss:s>", hash),
      (
        "random", "<n?:n>",
        { arguments throws(JSONataError) in try randomNumber(arguments, random) }
      ),
      ("uuid", "<:s>", { _ in .string(uuid(random)) }),
      ("parse", "<s:x>", parse),
    ]
    for (name, signature, implementation) in table {
      // The signatures above are fixed and well formed.
      if let function = try? JSONataFunction(
        name: name, signature: signature, implementation: implementation)
      {
        functions.append(function)
      }
    }
    return functions
  }

  /// A deterministic source of random bits for ``functions(random:)``: SplitMix64 from `seed`.
  /// Safe to call from several evaluations at once (calls are serialized).
  public static func seededSource(seed: UInt64) -> @Sendable () -> UInt64 {
    let state = Mutex(seed)
    return {
      state.withLock { value in
        value &+= 0x9E37_79B9_7F4A_7C15
        return mix(value)
      }
    }
  }

  // MARK: Implementations

  static func partition(_ arguments: [JSON?]) throws(JSONataError) -> JSON? {
    guard let array = arguments.first??.arrayValue else { return nil }
    let size = try integer(arguments, at: 1, function: "partition", name: "chunk size")
    guard size >= 1 else {
      throw failure("partition", "the chunk size must be a positive integer")
    }
    var chunks: [JSON] = []
    var start = 0
    while start < array.count {
      let end = start + min(size, array.count - start)
      chunks.append(.array(Array(array[start..<end])))
      start = end
    }
    return .array(chunks)
  }

  static func range(_ arguments: [JSON?]) throws(JSONataError) -> JSON? {
    let start = try integer(arguments, at: 0, function: "range", name: "start")
    let end = try integer(arguments, at: 1, function: "range", name: "end")
    let step = try integer(arguments, at: 2, function: "range", name: "step")
    guard step != 0 else { throw failure("range", "the step must not be 0") }
    guard (step > 0 && start <= end) || (step < 0 && start >= end) else { return .array([]) }
    let span = end.subtractingReportingOverflow(start)
    let count = span.overflow ? Int.max : span.partialValue / step + 1
    guard count <= maximumRangeCount else {
      throw failure(
        "range", "the range would have \(count) items; the limit is \(maximumRangeCount)")
    }
    // AWS's `$range` answers with a JSONata sequence: one item is that item, not an array of
    // one (corpus: `test_array_range_exec_hist_resp_2`, `$range(1, 9, 9)` gives `1`).
    if count == 1 { return .number(JSONNumber(start)) }
    return .array((0..<count).map { .number(JSONNumber(start + $0 * step)) })
  }

  static func hash(_ arguments: [JSON?]) throws(JSONataError) -> JSON? {
    guard case .string(let text)?? = arguments.first else { return nil }
    guard arguments.count > 1, case .string(let name)? = arguments[1] else {
      throw failure("hash", "the algorithm is required")
    }
    guard let algorithm = HashAlgorithm(rawValue: name) else {
      throw failure(
        "hash",
        "the algorithm '\(name)' is not supported; use one of "
          + HashAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))
    }
    return .string(algorithm.hexDigest(of: text))
  }

  static func randomNumber(_ arguments: [JSON?], _ random: @Sendable () -> UInt64)
    throws(JSONataError) -> JSON?
  {
    guard arguments.count > 0, arguments[0] != nil else {
      return .number(JSONNumber(unitInterval(random())))
    }
    let seed = try integer(arguments, at: 0, function: "random", name: "seed")
    return .number(
      JSONNumber(unitInterval(mix(UInt64(bitPattern: Int64(seed)) &+ 0x9E37_79B9_7F4A_7C15))))
  }

  /// A version-4 UUID, lowercase, from 128 random bits.
  static func uuid(_ random: @Sendable () -> UInt64) -> String {
    var bytes: [UInt8] = []
    for word in [random(), random()] {
      for shift in stride(from: 56, through: 0, by: -8) {
        bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
      }
    }
    bytes[6] = (bytes[6] & 0x0F) | 0x40
    bytes[8] = (bytes[8] & 0x3F) | 0x80
    let hex = HashAlgorithm.hex(bytes)
    let characters = Array(hex)
    var text = ""
    for (index, character) in characters.enumerated() {
      if [8, 12, 16, 20].contains(index) { text.append("-") }
      text.append(character)
    }
    return text
  }

  static func parse(_ arguments: [JSON?]) throws(JSONataError) -> JSON? {
    guard case .string(let text)?? = arguments.first else { return nil }
    do {
      return try JSONParser.parse(Array(text.utf8))
    } catch {
      throw failure("parse", "the argument is not valid JSON: \(error.message)")
    }
  }

  // MARK: Helpers

  /// The integer argument at `index`, rounded down. Missing or not finite: an error.
  static func integer(_ arguments: [JSON?], at index: Int, function: String, name: String)
    throws(JSONataError) -> Int
  {
    guard index < arguments.count, let number = arguments[index]?.numberValue else {
      throw failure(function, "the \(name) is required")
    }
    if let exact = number.intValue { return exact }
    let value = number.doubleValue.rounded(.down)
    guard value.isFinite, let integer = Int(exactly: value) else {
      throw failure(function, "the \(name) must be a finite integer")
    }
    return integer
  }

  static func failure(_ function: String, _ message: String) -> JSONataError {
    JSONataError(code: "D3137", token: function, message: "$\(function): \(message)")
  }

  /// SplitMix64's output function.
  static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A number in [0, 1) from the top 53 bits.
  static func unitInterval(_ bits: UInt64) -> Double {
    Double(bits >> 11) * 0x1p-53
  }
}
