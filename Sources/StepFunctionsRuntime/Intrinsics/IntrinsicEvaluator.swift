import StepFunctionsJSON
import StepFunctionsLanguage

/// Runs intrinsic functions on resolved values, the way Step Functions does.
///
/// Every failure is a `States.IntrinsicFailure` ``StatesError`` whose cause names the function
/// and says what was wrong; nothing a user supplies can trap.
///
/// Behaviour recorded against AWS (and followed here):
/// - Numbers that must be integers are rounded half up (`1.5` → `2`, `-1.5` → `-1`, `-2.5` →
///   `-2`), in `States.MathAdd`, `States.MathRandom`, `States.ArrayRange`,
///   `States.ArrayPartition` and `States.ArrayGetItem`.
/// - `States.Format` writes strings as they are, numbers as JSON, `null` as `null`, arrays as
///   `[a, b]` and objects as `{key=value, other=[]}`.
/// - `States.StringSplit` splits on every character of its second argument and drops empty
///   pieces.
/// - `States.StringToJson` of an empty or blank string is `null`.
/// - `States.JsonMerge` orders the merged keys as a Java `HashMap` would.
public enum IntrinsicEvaluator {
  /// The most elements `States.ArrayRange` may produce.
  public static let maximumRangeCount = 1000
  /// The longest string (in UTF-16 code units, as AWS counts characters) that `States.Hash`,
  /// `States.Base64Encode` and `States.Base64Decode` accept.
  public static let maximumEncodedLength = 10_000
  /// The range `States.MathAdd` accepts for each (rounded) argument.
  public static let mathAddRange: ClosedRange<Int64> = -2_147_483_648...2_147_483_647

  /// Evaluates `function` on already-resolved argument values.
  ///
  /// The first argument of `States.Format` is a template in which `\{`, `\}`, `\'` and `\\`
  /// are escapes; pass a literal template as ``IntrinsicCall/literalValue(at:)`` gives it (with
  /// its escapes intact).
  ///
  /// - Parameters:
  ///   - random: the execution's generator, used by `States.UUID` and by `States.MathRandom`
  ///     without a seed.
  ///   - maximumLength: the longest text (in UTF-8 bytes) `States.Format` and
  ///     `States.JsonToString` may return, usually the payload limit; `nil` for no limit.
  /// - Throws: `States.IntrinsicFailure` with AWS's cause where it is known;
  ///   `States.DataLimitExceeded` for a text longer than `maximumLength`, found before it is
  ///   written out in full.
  public static func evaluate(
    _ function: IntrinsicFunction, arguments: [JSON], random: inout SeededRandom,
    maximumLength: Int? = nil
  ) throws(StatesError) -> JSON {
    guard function.accepts(argumentCount: arguments.count) else {
      throw failure(
        function,
        "expected \(function.expectedArgumentCountDescription) arguments, got \(arguments.count)")
    }
    switch function {
    case .format:
      return .string(try IntrinsicFormat.format(arguments, maximumLength: maximumLength))
    case .stringToJson:
      return try stringToJson(arguments[0])
    case .jsonToString:
      if let maximumLength, arguments[0].serializedByteCount(limit: maximumLength) > maximumLength {
        throw StatesError(
          StatesError.Names.dataLimitExceeded,
          cause:
            "States.JsonToString would return a string with a size exceeding the maximum number of bytes service limit."
        )
      }
      return .string(arguments[0].serialized())
    case .array:
      return .array(arguments)
    case .arrayPartition:
      return try arrayPartition(arguments)
    case .arrayContains:
      let array = try self.array(arguments[0], function, position: 1)
      return .bool(array.contains(arguments[1]))
    case .arrayRange:
      return try arrayRange(arguments)
    case .arrayGetItem:
      return try arrayGetItem(arguments)
    case .arrayLength:
      return .number(JSONNumber(try array(arguments[0], function, position: 1).count))
    case .arrayUnique:
      return .array(unique(try array(arguments[0], function, position: 1)))
    case .base64Encode:
      let text = try boundedString(arguments[0], function)
      return .string(Base64.encode(Array(text.utf8)))
    case .base64Decode:
      let text = try boundedString(arguments[0], function)
      guard let bytes = Base64.decode(text) else {
        throw failure(function, "the argument is not valid Base64 text")
      }
      return .string(String(decoding: bytes, as: UTF8.self))
    case .hash:
      return try hash(arguments)
    case .jsonMerge:
      return try jsonMerge(arguments)
    case .mathRandom:
      return try mathRandom(arguments, random: &random)
    case .mathAdd:
      return try mathAdd(arguments)
    case .stringSplit:
      let text = try string(arguments[0], function, position: 1)
      let delimiters = try string(arguments[1], function, position: 2)
      return .array(split(text, on: delimiters).map { .string($0) })
    case .uuid:
      return .string(random.nextUUIDString())
    }
  }

  /// Evaluates a parsed call: literals as written, paths through `resolvePath`, nested calls
  /// first (left to right).
  ///
  /// - Parameter resolvePath: reads a path argument (its text, e.g. `$.a` or `$$.Execution.Id`)
  ///   and throws the executor's error when it does not resolve.
  public static func evaluate(
    _ call: IntrinsicCall, random: inout SeededRandom,
    resolvePath: (String) throws(StatesError) -> JSON
  ) throws(StatesError) -> JSON {
    var values: [JSON] = []
    values.reserveCapacity(call.arguments.count)
    for argument in call.arguments {
      switch argument {
      case .path(let path):
        values.append(try resolvePath(path))
      case .call(let nested):
        values.append(try evaluate(nested, random: &random, resolvePath: resolvePath))
      case .string, .formatTemplate, .number, .boolean, .null:
        values.append(argument.literalValue ?? .null)
      }
    }
    return try evaluate(call.function, arguments: values, random: &random)
  }

  // MARK: Errors and argument checks

  static func failure(_ function: IntrinsicFunction, _ detail: String) -> StatesError {
    .intrinsicFailure("Invalid arguments in \(function.name): \(detail).")
  }

  static func article(_ typeName: String) -> String {
    typeName == "array" || typeName == "object" ? "an \(typeName)" : "a \(typeName)"
  }

  private static func mismatch(
    _ function: IntrinsicFunction, position: Int, expected: String, got value: JSON
  ) -> StatesError {
    failure(
      function, "argument \(position) must be \(expected), but it is \(article(value.typeName))")
  }

  private static func array(_ value: JSON, _ function: IntrinsicFunction, position: Int)
    throws(StatesError) -> [JSON]
  {
    guard case .array(let elements) = value else {
      throw mismatch(function, position: position, expected: "an array", got: value)
    }
    return elements
  }

  private static func string(_ value: JSON, _ function: IntrinsicFunction, position: Int)
    throws(StatesError) -> String
  {
    guard case .string(let text) = value else {
      throw mismatch(function, position: position, expected: "a string", got: value)
    }
    return text
  }

  private static func object(_ value: JSON, _ function: IntrinsicFunction, position: Int)
    throws(StatesError) -> JSONObject
  {
    guard case .object(let members) = value else {
      throw mismatch(function, position: position, expected: "an object", got: value)
    }
    return members
  }

  private static func boundedString(_ value: JSON, _ function: IntrinsicFunction)
    throws(StatesError) -> String
  {
    let text = try string(value, function, position: 1)
    guard text.utf16.count <= maximumEncodedLength else {
      throw failure(
        function,
        "the string must have at most \(maximumEncodedLength) characters, but it has "
          + "\(text.utf16.count)")
    }
    return text
  }

  /// An integer argument: a number rounded half up (Java's `Math.round`).
  private static func integer(_ value: JSON, _ function: IntrinsicFunction, position: Int)
    throws(StatesError) -> Int64
  {
    guard case .number(let number) = value else {
      throw mismatch(function, position: position, expected: "a number", got: value)
    }
    guard let rounded = roundHalfUp(number) else {
      throw failure(function, "argument \(position) (\(number)) is out of range")
    }
    return rounded
  }

  /// Rounds half up, as Java's `Math.round` does; `nil` outside the `Int64` range.
  static func roundHalfUp(_ number: JSONNumber) -> Int64? {
    if number.isInteger { return number.int64Value }
    let value = number.doubleValue
    guard value.isFinite else { return nil }
    let floor = value.rounded(.down)
    let rounded = value - floor >= 0.5 ? floor + 1 : floor
    guard rounded >= -9.223372036854775808e18, rounded < 9.223372036854775808e18 else {
      return nil
    }
    return Int64(rounded)
  }

  // MARK: Functions

  private static func stringToJson(_ argument: JSON) throws(StatesError) -> JSON {
    let text = try string(argument, .stringToJson, position: 1)
    if text.unicodeScalars.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
      return .null
    }
    do {
      return try JSONParser.parse(text)
    } catch {
      throw failure(.stringToJson, "the string is not valid JSON: \(error.message)")
    }
  }

  private static func arrayPartition(_ arguments: [JSON]) throws(StatesError) -> JSON {
    let elements = try array(arguments[0], .arrayPartition, position: 1)
    let size = try integer(arguments[1], .arrayPartition, position: 2)
    guard size > 0 else {
      throw failure(.arrayPartition, "the chunk size must be a positive integer, but it is \(size)")
    }
    var chunks: [JSON] = []
    var start = 0
    while start < elements.count {
      let remaining = elements.count - start
      let end = start + (Int64(remaining) < size ? remaining : Int(size))
      chunks.append(.array(Array(elements[start..<end])))
      start = end
    }
    return .array(chunks)
  }

  private static func arrayRange(_ arguments: [JSON]) throws(StatesError) -> JSON {
    let first = try integer(arguments[0], .arrayRange, position: 1)
    let last = try integer(arguments[1], .arrayRange, position: 2)
    let step = try integer(arguments[2], .arrayRange, position: 3)
    guard step != 0 else { throw failure(.arrayRange, "the step must not be 0") }
    if (step > 0 && first > last) || (step < 0 && first < last) { return .array([]) }
    // The true distance fits in 64 unsigned bits even when the signed subtraction wraps.
    let distance = UInt64(bitPattern: step > 0 ? last &- first : first &- last)
    let (count, overflow) = (distance / step.magnitude).addingReportingOverflow(1)
    guard !overflow, count <= UInt64(maximumRangeCount) else {
      throw failure(.arrayRange, "the range would have more than \(maximumRangeCount) elements")
    }
    var elements: [JSON] = []
    elements.reserveCapacity(Int(count))
    var value = first
    for _ in 0..<count {
      elements.append(.number(JSONNumber(value)))
      value = value &+ step
    }
    return .array(elements)
  }

  private static func arrayGetItem(_ arguments: [JSON]) throws(StatesError) -> JSON {
    let elements = try array(arguments[0], .arrayGetItem, position: 1)
    let index = try integer(arguments[1], .arrayGetItem, position: 2)
    guard index >= 0, index < Int64(elements.count) else {
      throw failure(
        .arrayGetItem,
        "the index \(index) is out of bounds for an array of \(elements.count) element"
          + (elements.count == 1 ? "" : "s"))
    }
    return elements[Int(index)]
  }

  private static func unique(_ elements: [JSON]) -> [JSON] {
    var seen = Set<JSON>(minimumCapacity: elements.count)
    var result: [JSON] = []
    result.reserveCapacity(elements.count)
    for element in elements where seen.insert(element).inserted { result.append(element) }
    return result
  }

  private static func hash(_ arguments: [JSON]) throws(StatesError) -> JSON {
    let text = try boundedString(arguments[0], .hash)
    let name = try string(arguments[1], .hash, position: 2)
    guard let algorithm = HashAlgorithm(rawValue: name) else {
      throw failure(
        .hash,
        "'\(name)' is not a supported algorithm; use one of "
          + HashAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))
    }
    return .string(algorithm.hexDigest(of: text))
  }

  private static func jsonMerge(_ arguments: [JSON]) throws(StatesError) -> JSON {
    let first = try object(arguments[0], .jsonMerge, position: 1)
    let second = try object(arguments[1], .jsonMerge, position: 2)
    guard case .bool(let deep) = arguments[2] else {
      throw mismatch(.jsonMerge, position: 3, expected: "the boolean false", got: arguments[2])
    }
    guard !deep else {
      throw failure(.jsonMerge, "deep merging is not supported; argument 3 must be false")
    }
    var merged = first
    for (key, value) in second { merged[key] = value }
    return .object(JavaHashMapOrder.reordered(merged))
  }

  private static func mathRandom(_ arguments: [JSON], random: inout SeededRandom)
    throws(StatesError) -> JSON
  {
    let start = try integer(arguments[0], .mathRandom, position: 1)
    let end = try integer(arguments[1], .mathRandom, position: 2)
    guard start < end else {
      throw failure(
        .mathRandom, "the start (\(start)) must be less than the end (\(end)), which is exclusive")
    }
    if arguments.count == 3 {
      let seed = try integer(arguments[2], .mathRandom, position: 3)
      var seeded = SeededRandom(signedSeed: seed)
      return .number(JSONNumber(seeded.nextInt(in: start..<end)))
    }
    return .number(JSONNumber(random.nextInt(in: start..<end)))
  }

  private static func mathAdd(_ arguments: [JSON]) throws(StatesError) -> JSON {
    try mathAdd(arguments[0], arguments[1])
  }

  /// `States.MathAdd` of two resolved arguments.
  static func mathAdd(_ firstArgument: JSON, _ secondArgument: JSON) throws(StatesError) -> JSON {
    let first = try integer(firstArgument, .mathAdd, position: 1)
    let second = try integer(secondArgument, .mathAdd, position: 2)
    try checkMathAddRange(first, position: 1)
    try checkMathAddRange(second, position: 2)
    return .number(JSONNumber(first + second))
  }

  private static func checkMathAddRange(_ value: Int64, position: Int) throws(StatesError) {
    guard !mathAddRange.contains(value) else { return }
    throw failure(
      .mathAdd,
      "argument \(position) (\(value)) must be between \(mathAddRange.lowerBound) and "
        + "\(mathAddRange.upperBound)")
  }

  /// Splits on every Unicode scalar of `delimiters`, dropping empty pieces (Java's
  /// `StringTokenizer`).
  static func split(_ text: String, on delimiters: String) -> [String] {
    let set = Set(delimiters.unicodeScalars)
    var pieces: [String] = []
    var current = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if set.contains(scalar) {
        if !current.isEmpty {
          pieces.append(String(current))
          current = String.UnicodeScalarView()
        }
      } else {
        current.append(scalar)
      }
    }
    if !current.isEmpty { pieces.append(String(current)) }
    return pieces
  }
}

extension IntrinsicFunction {
  /// Evaluates the function on resolved argument values; see
  /// ``IntrinsicEvaluator/evaluate(_:arguments:random:)``.
  public func evaluate(arguments: [JSON], random: inout SeededRandom) throws(StatesError) -> JSON {
    try IntrinsicEvaluator.evaluate(self, arguments: arguments, random: &random)
  }
}
