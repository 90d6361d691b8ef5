import StepFunctionsJSON

/// Why `StartExecution` refuses an execution input, in AWS's words: the exception's name and
/// message. After such a refusal no execution exists.
public struct ExecutionInputError: Error, Sendable, Hashable, CustomStringConvertible {
  /// AWS's exceptions for a refused input.
  public enum Name: String, Sendable, Hashable {
    /// The input is longer than the quota: the API's length constraint on `input` fails.
    case validationException = "ValidationException"
    /// The input is not valid JSON.
    case invalidExecutionInput = "InvalidExecutionInput"
  }

  /// Which exception AWS answers with.
  public var name: Name
  /// What is wrong.
  public var message: String
  /// The parser's error (with its location) when the input is not JSON.
  public var parseError: JSONParseError?

  /// Creates an error.
  public init(name: Name, message: String, parseError: JSONParseError? = nil) {
    self.name = name
    self.message = message
    self.parseError = parseError
  }

  /// `Name: message`, as AWS's clients print an exception.
  public var description: String { "\(name.rawValue): \(message)" }
}

/// An execution input checked the way `StartExecution` checks it: its size against the input
/// quota first, without parsing, then its syntax.
///
/// ```swift
/// let input = try ExecutionInput.parse(bytes)   // refuses more than 262,144 bytes unparsed
/// let result = await machine.run(input: input)
/// ```
public enum ExecutionInput {
  /// AWS's quota on an execution input: 262,144 bytes of UTF-8 text.
  public static let sizeQuota = 262_144

  /// Parses an input given as UTF-8 JSON text. Text longer than `maximumBytes` is refused
  /// (`ValidationException`) before it is parsed; text that is not JSON is refused with
  /// `InvalidExecutionInput` and the parser's error. `nil` disables the size check.
  ///
  /// - Complexity: O(1) for text over the limit; O(*n*) otherwise.
  public static func parse(_ bytes: [UInt8], maximumBytes: Int? = sizeQuota)
    throws(ExecutionInputError) -> JSON
  {
    if let refusal = sizeError(byteCount: bytes.count, maximumBytes: maximumBytes) {
      throw refusal
    }
    do {
      return try JSONParser.parse(bytes)
    } catch {
      throw ExecutionInputError(
        name: .invalidExecutionInput, message: error.description, parseError: error)
    }
  }

  /// The refusal for an input already parsed, measured by its compact serialization, or `nil`
  /// when it fits in `maximumBytes` (or there is no limit).
  ///
  /// - Complexity: O(1) for an object whose size bound is under the limit (objects keep that
  ///   bound up to date); O(*n*) in the size of the value otherwise, without building the text.
  public static func sizeError(of value: JSON, maximumBytes: Int?) -> ExecutionInputError? {
    guard let limit = maximumBytes, value.serializedByteBound > limit else { return nil }
    return sizeError(byteCount: value.serializedByteCount, maximumBytes: limit)
  }

  /// The refusal for an input of `byteCount` bytes, or `nil` when it fits.
  static func sizeError(byteCount: Int, maximumBytes: Int?) -> ExecutionInputError? {
    guard let limit = maximumBytes, byteCount > limit else { return nil }
    return ExecutionInputError(
      name: .validationException,
      message: "1 validation error detected: Value at 'input' failed to satisfy constraint: "
        + "Member must have length less than or equal to \(limit) (the input has \(byteCount) "
        + "bytes)")
  }
}
