extension SeededRandom {
  /// A random version 4 UUID (RFC 9562) in its usual text form: 36 characters, lowercase hex,
  /// hyphenated 8-4-4-4-12, the version nibble `4` and the variant bits `10`.
  ///
  /// Draws two 64-bit numbers from the generator.
  public mutating func nextUUIDString() -> String {
    // The 16 bytes are the two numbers, most significant byte first, with the version nibble
    // (byte 6) and the variant bits (byte 8) set.
    let high = (next() & ~(0xF0 << 8)) | (0x40 << 8)
    let low = (next() & ~(0xC0 << 56)) | (0x80 << 56)
    // Written straight into the string's storage: 32 hex digits and 4 hyphens.
    return String(unsafeUninitializedCapacity: 36) { text in
      let digits: StaticString = "0123456789abcdef"
      var position = 0
      digits.withUTF8Buffer { hex in
        for index in 0..<16 {
          if index == 4 || index == 6 || index == 8 || index == 10 {
            text[position] = 0x2D
            position += 1
          }
          let word = index < 8 ? high : low
          let byte = UInt8(truncatingIfNeeded: word >> UInt64(56 - 8 * (index & 7)))
          text[position] = hex[Int(byte >> 4)]
          text[position + 1] = hex[Int(byte & 0x0F)]
          position += 2
        }
      }
      return position
    }
  }
}
