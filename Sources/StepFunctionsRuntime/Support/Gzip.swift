/// Decompression of gzip files (RFC 1952) and raw DEFLATE streams (RFC 1951), written here so
/// the distributed Map can read the `.csv.gz` data files of an S3 Inventory report without a
/// package beyond the toolchain. Decoding is bounded: every read is checked against the input,
/// and the output may not grow past a limit the caller gives, so a crafted file ("zip bomb")
/// ends in an error rather than exhausting memory.
enum Gzip {
  /// Why a gzip file could not be decompressed.
  struct DecodingError: Error, Equatable, CustomStringConvertible {
    /// What is wrong, for an error message.
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
  }

  /// Whether `bytes` starts like a gzip file (the magic number `1f 8b`).
  static func isGzip(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
  }

  /// The decompressed content of a gzip file: every member, concatenated, each checked against
  /// its CRC-32 and length.
  ///
  /// - Throws: ``DecodingError`` for a malformed or truncated file, a checksum mismatch, or
  ///   content larger than `maximumBytes`.
  static func decompress(_ bytes: [UInt8], maximumBytes: Int) throws(DecodingError) -> [UInt8] {
    var output: [UInt8] = []
    var offset = 0
    repeat {
      offset = try member(bytes, at: offset, into: &output, maximumBytes: maximumBytes)
      // Trailing zero padding after the last member is tolerated, as gzip(1) does.
    } while offset < bytes.count && !bytes[offset...].allSatisfy({ $0 == 0 })
    return output
  }

  /// Decodes the member at `start`, appending to `output`; returns the offset after it.
  private static func member(
    _ bytes: [UInt8], at start: Int, into output: inout [UInt8], maximumBytes: Int
  ) throws(DecodingError) -> Int {
    guard bytes.count - start >= 18 else { throw DecodingError("the gzip file is truncated") }
    guard bytes[start] == 0x1f, bytes[start + 1] == 0x8b else {
      throw DecodingError("not a gzip file (no 1f 8b magic number)")
    }
    guard bytes[start + 2] == 8 else {
      throw DecodingError("unsupported gzip compression method \(bytes[start + 2])")
    }
    let flags = bytes[start + 3]
    guard flags & 0xe0 == 0 else { throw DecodingError("reserved gzip header flags are set") }
    var offset = start + 10
    func need(_ count: Int) throws(DecodingError) {
      guard count >= 0, bytes.count - offset >= count else {
        throw DecodingError("the gzip header is truncated")
      }
    }
    if flags & 0x04 != 0 {  // FEXTRA
      try need(2)
      let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
      offset += 2
      try need(length)
      offset += length
    }
    for flag in [UInt8(0x08), 0x10] where flags & flag != 0 {  // FNAME, FCOMMENT
      while true {
        try need(1)
        offset += 1
        if bytes[offset - 1] == 0 { break }
      }
    }
    if flags & 0x02 != 0 {  // FHCRC
      try need(2)
      offset += 2
    }
    let first = output.count
    var inflater = Inflater(bytes, start: offset, maximumBytes: maximumBytes)
    try inflater.inflate(into: &output)
    offset = inflater.alignedOffset
    guard bytes.count - offset >= 8 else { throw DecodingError("the gzip trailer is truncated") }
    let expectedCRC = littleEndian32(bytes, offset)
    let expectedSize = littleEndian32(bytes, offset + 4)
    let actualCRC = CRC32.checksum(output[first...])
    guard actualCRC == expectedCRC else {
      throw DecodingError("the gzip CRC-32 does not match the content (the file is corrupt)")
    }
    guard UInt32(truncatingIfNeeded: output.count - first) == expectedSize else {
      throw DecodingError("the gzip length does not match the content (the file is corrupt)")
    }
    return offset + 8
  }

  private static func littleEndian32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
    UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
      | UInt32(bytes[offset + 3]) << 24
  }

  /// A gzip file holding `content` in stored (uncompressed) DEFLATE blocks: valid for every
  /// gzip reader, used to build fixtures.
  static func storedFile(_ content: [UInt8]) -> [UInt8] {
    var file: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]
    var offset = 0
    repeat {
      let length = min(65_535, content.count - offset)
      let isLast = offset + length == content.count
      file.append(isLast ? 1 : 0)
      file += [UInt8(length & 0xff), UInt8(length >> 8)]
      file += [UInt8(~length & 0xff), UInt8((~length >> 8) & 0xff)]
      file += content[offset..<offset + length]
      offset += length
    } while offset < content.count
    for value in [CRC32.checksum(content[...]), UInt32(truncatingIfNeeded: content.count)] {
      file += [0, 8, 16, 24].map { UInt8((value >> $0) & 0xff) }
    }
    return file
  }
}

/// CRC-32 (ISO 3309, the polynomial gzip and PNG use).
enum CRC32 {
  private static let table: [UInt32] = (0..<256).map { index in
    var value = UInt32(index)
    for _ in 0..<8 { value = value & 1 == 1 ? 0xedb8_8320 ^ (value >> 1) : value >> 1 }
    return value
  }

  /// The CRC-32 of `bytes`.
  static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xffff_ffff
    for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
    return ~crc
  }
}

/// A DEFLATE (RFC 1951) decoder over a byte array, reading bits least-significant first.
struct Inflater {
  private let bytes: [UInt8]
  private var offset: Int
  private var bitBuffer: UInt32 = 0
  private var bitCount = 0
  private let maximumBytes: Int

  init(_ bytes: [UInt8], start: Int, maximumBytes: Int) {
    self.bytes = bytes
    self.offset = start
    self.maximumBytes = maximumBytes
  }

  /// The offset of the first whole byte after the stream (once ``inflate(into:)`` returned).
  var alignedOffset: Int { offset - bitCount / 8 }

  private mutating func bits(_ count: Int) throws(Gzip.DecodingError) -> Int {
    while bitCount < count {
      guard offset < bytes.count else {
        throw Gzip.DecodingError("the DEFLATE stream is truncated")
      }
      bitBuffer |= UInt32(bytes[offset]) << UInt32(bitCount)
      offset += 1
      bitCount += 8
    }
    let value = Int(bitBuffer & ((1 << UInt32(count)) - 1))
    bitBuffer >>= UInt32(count)
    bitCount -= count
    return value
  }

  /// A canonical Huffman code: how many codes have each length, and the symbols in code order.
  struct Huffman {
    var counts = [Int](repeating: 0, count: 16)
    var symbols: [Int] = []

    init(lengths: ArraySlice<Int>) throws(Gzip.DecodingError) {
      for length in lengths { counts[length] += 1 }
      counts[0] = 0
      var left = 1
      for length in 1...15 {
        left = left * 2 - counts[length]
        guard left >= 0 else { throw Gzip.DecodingError("a DEFLATE code is over-subscribed") }
      }
      var offsets = [Int](repeating: 0, count: 16)
      for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
      symbols = [Int](repeating: 0, count: lengths.count)
      for (symbol, length) in lengths.enumerated() where length != 0 {
        symbols[offsets[length]] = symbol
        offsets[length] += 1
      }
    }
  }

  private mutating func decode(_ code: Huffman) throws(Gzip.DecodingError) -> Int {
    var value = 0
    var first = 0
    var index = 0
    for length in 1...15 {
      value |= try bits(1)
      let count = code.counts[length]
      if value - count < first { return code.symbols[index + (value - first)] }
      index += count
      first = (first + count) << 1
      value <<= 1
    }
    throw Gzip.DecodingError("the DEFLATE stream has an invalid Huffman code")
  }

  private static let lengthBase = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
    131, 163, 195, 227, 258,
  ]
  private static let lengthExtra = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
  ]
  private static let distanceBase = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
  ]
  private static let distanceExtra = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
  ]

  /// Decodes blocks until the last one, appending to `output`.
  mutating func inflate(into output: inout [UInt8]) throws(Gzip.DecodingError) {
    let first = output.count
    var isLast = false
    while !isLast {
      isLast = try bits(1) == 1
      switch try bits(2) {
      case 0: try stored(into: &output, first: first)
      case 1:
        let lengths =
          [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112)
          + [Int](repeating: 7, count: 24) + [Int](repeating: 8, count: 8)
        try codes(
          literals: try Huffman(lengths: lengths[...]),
          distances: try Huffman(lengths: [Int](repeating: 5, count: 30)[...]),
          into: &output, first: first)
      case 2:
        let (literals, distances) = try dynamicCodes()
        try codes(literals: literals, distances: distances, into: &output, first: first)
      default:
        throw Gzip.DecodingError("the DEFLATE stream has an invalid block type")
      }
    }
  }

  private mutating func stored(into output: inout [UInt8], first: Int) throws(Gzip.DecodingError) {
    // Discard the rest of the current byte; whole bytes still buffered are given back.
    offset -= bitCount / 8
    bitBuffer = 0
    bitCount = 0
    guard bytes.count - offset >= 4 else {
      throw Gzip.DecodingError("the DEFLATE stream is truncated")
    }
    let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
    let complement = Int(bytes[offset + 2]) | Int(bytes[offset + 3]) << 8
    guard length == ~complement & 0xffff else {
      throw Gzip.DecodingError("a stored DEFLATE block has a corrupt length")
    }
    offset += 4
    guard bytes.count - offset >= length else {
      throw Gzip.DecodingError("the DEFLATE stream is truncated")
    }
    try reserve(length, in: output, first: first)
    output += bytes[offset..<offset + length]
    offset += length
  }

  private func reserve(_ count: Int, in output: [UInt8], first: Int) throws(Gzip.DecodingError) {
    if output.count - first + count > maximumBytes {
      throw Gzip.DecodingError("the content is larger than \(maximumBytes) bytes")
    }
  }

  private mutating func dynamicCodes() throws(Gzip.DecodingError) -> (Huffman, Huffman) {
    let literalCount = try bits(5) + 257
    let distanceCount = try bits(5) + 1
    let codeLengthCount = try bits(4) + 4
    guard literalCount <= 286, distanceCount <= 30 else {
      throw Gzip.DecodingError("the DEFLATE stream has too many codes")
    }
    let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
    var codeLengths = [Int](repeating: 0, count: 19)
    for index in 0..<codeLengthCount { codeLengths[order[index]] = try bits(3) }
    let lengthCode = try Huffman(lengths: codeLengths[...])
    var lengths: [Int] = []
    lengths.reserveCapacity(literalCount + distanceCount)
    while lengths.count < literalCount + distanceCount {
      let symbol = try decode(lengthCode)
      switch symbol {
      case 0...15: lengths.append(symbol)
      case 16:
        guard let previous = lengths.last else {
          throw Gzip.DecodingError("a DEFLATE length repeat has nothing to repeat")
        }
        lengths += [Int](repeating: previous, count: 3 + (try bits(2)))
      case 17: lengths += [Int](repeating: 0, count: 3 + (try bits(3)))
      default: lengths += [Int](repeating: 0, count: 11 + (try bits(7)))
      }
    }
    guard lengths.count == literalCount + distanceCount else {
      throw Gzip.DecodingError("DEFLATE code lengths run past their count")
    }
    guard lengths[256] != 0 else { throw Gzip.DecodingError("the DEFLATE block has no end code") }
    return (
      try Huffman(lengths: lengths[0..<literalCount]),
      try Huffman(lengths: lengths[literalCount...])
    )
  }

  private mutating func codes(
    literals: Huffman, distances: Huffman, into output: inout [UInt8], first: Int
  ) throws(Gzip.DecodingError) {
    while true {
      let symbol = try decode(literals)
      if symbol < 256 {
        try reserve(1, in: output, first: first)
        output.append(UInt8(symbol))
      } else if symbol == 256 {
        return
      } else {
        let index = symbol - 257
        guard index < 29 else {
          throw Gzip.DecodingError("the DEFLATE stream has an invalid length")
        }
        let length = Self.lengthBase[index] + (try bits(Self.lengthExtra[index]))
        let distanceSymbol = try decode(distances)
        guard distanceSymbol < 30 else {
          throw Gzip.DecodingError("the DEFLATE stream has an invalid distance")
        }
        let distance =
          Self.distanceBase[distanceSymbol] + (try bits(Self.distanceExtra[distanceSymbol]))
        guard distance <= output.count - first else {
          throw Gzip.DecodingError("a DEFLATE distance reaches before the start of the content")
        }
        try reserve(length, in: output, first: first)
        let start = output.count - distance
        for step in 0..<length { output.append(output[start + step]) }
      }
    }
  }
}
