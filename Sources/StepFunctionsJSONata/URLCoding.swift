/// `encodeURIComponent`, `encodeURI` and their decoders, as JavaScript defines them.
enum URLCoding {
  static let componentSafe: Set<UInt8> = Set(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()".utf8)
  static let uriSafe: Set<UInt8> = componentSafe.union(";,/?:@&=+$#".utf8)
  static let reserved: Set<UInt8> = Set(";,/?:@&=+$#".utf8)

  static func encode(_ text: String, keeping safe: Set<UInt8>, name: String) throws -> String {
    if text.unicodeScalars.contains(where: { $0.value == 0xFFFD }) {
      throw JSONataError(
        code: "D3140", token: name, value: .string(text),
        message: "Malformed URL passed to $\(name)(): \"\(text)\"")
    }
    var output = ""
    for byte in text.utf8 {
      if safe.contains(byte) {
        output.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        let hex = String(byte, radix: 16, uppercase: true)
        output += "%" + (hex.count == 1 ? "0" + hex : hex)
      }
    }
    return output
  }

  static func decode(_ text: String, reserved: Set<UInt8>, name: String) throws -> String {
    let bytes = Array(text.utf8)
    var output: [UInt8] = []
    var index = 0
    func fail() -> JSONataError {
      JSONataError(
        code: "D3140", token: name, value: .string(text),
        message: "Malformed URL passed to $\(name)(): \"\(text)\"")
    }
    func hexValue(_ byte: UInt8) -> UInt8? {
      switch byte {
      case 0x30...0x39: return byte - 0x30
      case 0x41...0x46: return byte - 0x41 + 10
      case 0x61...0x66: return byte - 0x61 + 10
      default: return nil
      }
    }
    while index < bytes.count {
      if bytes[index] == 0x25 {
        guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]),
          let low = hexValue(bytes[index + 2])
        else { throw fail() }
        let byte = high << 4 | low
        if byte < 0x80, reserved.contains(byte) {
          output.append(contentsOf: bytes[index...(index + 2)])
        } else {
          output.append(byte)
        }
        index += 3
      } else {
        output.append(bytes[index])
        index += 1
      }
    }
    guard let decoded = String(validating: output, as: UTF8.self) else { throw fail() }
    return decoded
  }
}
