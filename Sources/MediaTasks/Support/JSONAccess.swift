import StepFunctions

extension JSON {
  /// The value as a `Double` when it is a number or a string holding one.
  var doubleLike: Double? {
    switch self {
    case .number(let number): return number.doubleValue
    case .string(let text): return Double(text)
    default: return nil
    }
  }

  /// The value as an `Int` when it is an integral number or a string holding one.
  var intLike: Int? {
    switch self {
    case .number(let number): return number.intValue ?? Int(exactly: number.doubleValue.rounded())
    case .string(let text): return Int(text)
    default: return nil
    }
  }

  /// The text a service stores for a parameter given as a string or any other JSON value
  /// (Step Functions sends non-string bodies and messages as JSON text).
  var textForm: String {
    if case .string(let text) = self { return text }
    return serialized()
  }

  /// A number holding `value` rounded to `places` decimal places.
  static func rounded(_ value: Double, places: Int) -> JSON {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    return .number(JSONNumber((value * scale).rounded() / scale))
  }
}

/// The shape every optimized integration adds to a response: HTTP metadata and a request ID.
enum ResponseMetadata {
  static func append(
    to object: inout JSONObject, requestId: String,
    contentType: String = "application/x-amz-json-1.0"
  ) {
    object.append(
      key: "SdkHttpMetadata",
      value: [
        "HttpHeaders": [
          "Content-Type": .string(contentType), "x-amzn-RequestId": .string(requestId),
        ],
        "HttpStatusCode": 200,
      ])
    object.append(key: "SdkResponseMetadata", value: ["RequestId": .string(requestId)])
  }
}

/// The parameters of a task, read with messages that name the missing or mistyped field.
struct Parameters {
  let object: JSONObject

  init(_ value: JSON, service: String) throws(TaskFailure) {
    guard case .object(let object) = value else {
      throw TaskFailure(
        error: "States.Runtime",
        cause: "The \(service) task expects an object of parameters, got \(value.typeName).")
    }
    self.object = object
  }

  subscript(key: String) -> JSON? { object[key] }

  func string(_ key: String) -> String? { object[key]?.stringValue }
}
