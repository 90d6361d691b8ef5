/// One of the 18 intrinsic functions of the Amazon States Language (JSONPath states only).
///
/// The raw value is the name as written in a definition, `States.Format` and so on; names are
/// case-sensitive.
public enum IntrinsicFunction: String, Sendable, Hashable, CaseIterable {
  /// `States.Format(template, values...)`: fills each `{}` of the template with a value.
  case format = "States.Format"
  /// `States.StringToJson(string)`: parses JSON text.
  case stringToJson = "States.StringToJson"
  /// `States.JsonToString(value)`: writes a value as compact JSON text.
  case jsonToString = "States.JsonToString"
  /// `States.Array(values...)`: an array of the arguments.
  case array = "States.Array"
  /// `States.ArrayPartition(array, chunkSize)`: splits an array into chunks.
  case arrayPartition = "States.ArrayPartition"
  /// `States.ArrayContains(array, value)`: whether the array holds the value.
  case arrayContains = "States.ArrayContains"
  /// `States.ArrayRange(first, last, step)`: an array of integers (at most 1000).
  case arrayRange = "States.ArrayRange"
  /// `States.ArrayGetItem(array, index)`: the element at a zero-based index.
  case arrayGetItem = "States.ArrayGetItem"
  /// `States.ArrayLength(array)`: the number of elements.
  case arrayLength = "States.ArrayLength"
  /// `States.ArrayUnique(array)`: the array without repeated values, first occurrences kept.
  case arrayUnique = "States.ArrayUnique"
  /// `States.Base64Encode(string)`: the Base64 text of the string's UTF-8 bytes.
  case base64Encode = "States.Base64Encode"
  /// `States.Base64Decode(string)`: the UTF-8 text of decoded Base64.
  case base64Decode = "States.Base64Decode"
  /// `States.Hash(string, algorithm)`: a lowercase hex digest (`MD5`, `SHA-1`, `SHA-256`,
  /// `SHA-384`, `SHA-512`).
  case hash = "States.Hash"
  /// `States.JsonMerge(object, object, false)`: a shallow merge, the second object winning.
  case jsonMerge = "States.JsonMerge"
  /// `States.MathRandom(start, end[, seed])`: a random integer, start inclusive, end exclusive.
  case mathRandom = "States.MathRandom"
  /// `States.MathAdd(a, b)`: the sum of two integers.
  case mathAdd = "States.MathAdd"
  /// `States.StringSplit(string, delimiters)`: splits on any delimiter character.
  case stringSplit = "States.StringSplit"
  /// `States.UUID()`: a random version 4 UUID.
  case uuid = "States.UUID"

  /// The name as written in a definition, e.g. `States.Format`.
  public var name: String { rawValue }

  /// The fewest arguments a call takes.
  public var minimumArgumentCount: Int {
    switch self {
    case .array, .uuid: return 0
    case .format, .stringToJson, .jsonToString, .arrayLength, .arrayUnique, .base64Encode,
      .base64Decode:
      return 1
    case .arrayPartition, .arrayContains, .arrayGetItem, .hash, .mathRandom, .mathAdd,
      .stringSplit:
      return 2
    case .arrayRange, .jsonMerge: return 3
    }
  }

  /// The most arguments a call takes, or `nil` when there is no limit (`States.Format`,
  /// `States.Array`).
  public var maximumArgumentCount: Int? {
    switch self {
    case .format, .array: return nil
    case .mathRandom: return 3
    default: return minimumArgumentCount
    }
  }

  /// Whether a call may pass `count` arguments.
  public func accepts(argumentCount count: Int) -> Bool {
    guard count >= minimumArgumentCount else { return false }
    if let maximum = maximumArgumentCount { return count <= maximum }
    return true
  }

  /// How many arguments the function takes, in words: `"2"`, `"2 or 3"`, `"at least 1"`.
  public var expectedArgumentCountDescription: String {
    let minimum = minimumArgumentCount
    guard let maximum = maximumArgumentCount else { return "at least \(minimum)" }
    if maximum == minimum { return "\(minimum)" }
    if maximum == minimum + 1 { return "\(minimum) or \(maximum)" }
    return "\(minimum) to \(maximum)"
  }
}
