extension SeededRandom {
  /// A random version 4 UUID (RFC 9562) in its usual text form: 36 characters, lowercase hex,
  /// hyphenated 8-4-4-4-12, the version nibble `4` and the variant bits `10`.
  ///
  /// Draws two 64-bit numbers from the generator.
  public mutating func nextUUIDString() -> String {
    var bytes = [UInt8](repeating: 0, count: 16)
    let high = next()
    let low = next()
    for index in 0..<8 {
      bytes[index] = UInt8(truncatingIfNeeded: high >> UInt64(56 - 8 * index))
      bytes[index + 8] = UInt8(truncatingIfNeeded: low >> UInt64(56 - 8 * index))
    }
    bytes[6] = (bytes[6] & 0x0F) | 0x40
    bytes[8] = (bytes[8] & 0x3F) | 0x80
    // Written straight into the string's storage: 32 hex digits and 4 hyphens.
    return String(unsafeUninitializedCapacity: 36) { text in
      let digits: StaticString = "0123456789abcdef"
      var position = 0
      digits.withUTF8Buffer { hex in
        for (index, byte) in bytes.enumerated() {
          if index == 4 || index == 6 || index == 8 || index == 10 {
            text[position] = 0x2D
            position += 1
          }
          text[position] = hex[Int(byte >> 4)]
          text[position + 1] = hex[Int(byte & 0x0F)]
          position += 2
        }
      }
      return position
    }
  }
}
