import StepFunctionsJSON

extension HistoryEvent {
  /// The event as the AWS CLI (v2) prints it: ``awsJSON`` with the timestamp as Python's
  /// `datetime.isoformat()` writes it, in UTC (`2024-11-18T13:06:54.574000+00:00`).
  public var awsCLIJSON: JSON {
    guard case .object(var object) = awsJSON else { return awsJSON }
    object["timestamp"] = .string(HistoryTimestamp.awsCLIText(timestamp))
    return .object(object)
  }
}

extension ExecutionHistory {
  /// The history as `aws stepfunctions get-execution-history --output json` prints it:
  /// `{"events": [...]}` with timestamps as the CLI writes them, in UTC.
  public var awsCLIJSON: JSON {
    .object(["events": .array(events.map(\.awsCLIJSON))])
  }

  /// The text `aws stepfunctions get-execution-history --output json` prints for this history,
  /// byte for byte as the AWS CLI v2 writes it in the UTC time zone: Python's
  /// `json.dump(indent=4, ensure_ascii=False)` — four-space indentation, one member per line, `": "`
  /// separators, non-ASCII characters as they are — and a final newline. Import it again with
  /// `init(importing:fileName:)` (bytes).
  public var awsCLIText: String {
    var output: [UInt8] = []
    output.reserveCapacity(count * 256)
    AWSCLIJSONWriter.write(awsCLIJSON, into: &output, indent: 0)
    output.append(0x0A)
    return String(decoding: output, as: UTF8.self)
  }
}

/// Writes JSON the way the AWS CLI does (`json.dump(response, indent=4, ensure_ascii=False)`).
/// Strings are escaped exactly as Python escapes them (`\"`, `\\`, `\b \f \n \r \t`, other
/// control characters as `\u00xx`), which is what ``JSONSerializer`` does too.
enum AWSCLIJSONWriter {
  static func write(_ value: JSON, into output: inout [UInt8], indent: Int) {
    switch value {
    case .array(let elements) where !elements.isEmpty:
      output.append(0x5B)
      for (position, element) in elements.enumerated() {
        if position > 0 { output.append(0x2C) }
        newline(&output, indent: indent + 1)
        write(element, into: &output, indent: indent + 1)
      }
      newline(&output, indent: indent)
      output.append(0x5D)
    case .object(let object) where !object.isEmpty:
      output.append(0x7B)
      for (position, member) in object.enumerated() {
        if position > 0 { output.append(0x2C) }
        newline(&output, indent: indent + 1)
        JSONSerializer.writeString(member.key, into: &output)
        output.append(contentsOf: [0x3A, 0x20])
        write(member.value, into: &output, indent: indent + 1)
      }
      newline(&output, indent: indent)
      output.append(0x7D)
    default:
      JSONSerializer().write(value, into: &output)
    }
  }

  private static func newline(_ output: inout [UInt8], indent: Int) {
    output.append(0x0A)
    output.append(contentsOf: repeatElement(0x20, count: indent * 4))
  }
}
