/// Base64 (RFC 4648 alphabet) as `States.Base64Encode` and `States.Base64Decode` use it.
enum Base64 {
  private static let alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  private static let decodeTable: [UInt8] = {
    var table = [UInt8](repeating: 0xFF, count: 256)
    for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
    return table
  }()

  /// The padded Base64 text of `bytes`, on one line.
  static func encode(_ bytes: [UInt8]) -> String {
    var output: [UInt8] = []
    output.reserveCapacity((bytes.count + 2) / 3 * 4)
    var index = 0
    while index + 3 <= bytes.count {
      let chunk =
        UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
      output.append(alphabet[Int(chunk >> 18 & 0x3F)])
      output.append(alphabet[Int(chunk >> 12 & 0x3F)])
      output.append(alphabet[Int(chunk >> 6 & 0x3F)])
      output.append(alphabet[Int(chunk & 0x3F)])
      index += 3
    }
    let remaining = bytes.count - index
    if remaining == 1 {
      let chunk = UInt32(bytes[index]) << 16
      output.append(alphabet[Int(chunk >> 18 & 0x3F)])
      output.append(alphabet[Int(chunk >> 12 & 0x3F)])
      output.append(contentsOf: [0x3D, 0x3D])
    } else if remaining == 2 {
      let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
      output.append(alphabet[Int(chunk >> 18 & 0x3F)])
      output.append(alphabet[Int(chunk >> 12 & 0x3F)])
      output.append(alphabet[Int(chunk >> 6 & 0x3F)])
      output.append(0x3D)
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// Decodes Base64 text the lenient MIME way: characters outside the alphabet (line breaks,
  /// spaces) are skipped, decoding stops at the first `=`, and missing padding is accepted.
  /// Returns `nil` when a final group has a single character (six bits cannot make a byte).
  static func decode(_ text: String) -> [UInt8]? {
    var output: [UInt8] = []
    output.reserveCapacity(text.utf8.count / 4 * 3)
    var accumulator: UInt32 = 0
    var count = 0
    for byte in text.utf8 {
      if byte == 0x3D { break }
      let value = decodeTable[Int(byte)]
      if value == 0xFF { continue }
      accumulator = accumulator << 6 | UInt32(value)
      count += 1
      if count == 4 {
        output.append(UInt8(truncatingIfNeeded: accumulator >> 16))
        output.append(UInt8(truncatingIfNeeded: accumulator >> 8))
        output.append(UInt8(truncatingIfNeeded: accumulator))
        accumulator = 0
        count = 0
      }
    }
    switch count {
    case 0: break
    case 2:
      output.append(UInt8(truncatingIfNeeded: accumulator >> 4))
    case 3:
      output.append(UInt8(truncatingIfNeeded: accumulator >> 10))
      output.append(UInt8(truncatingIfNeeded: accumulator >> 2))
    default:
      return nil
    }
    return output
  }
}
