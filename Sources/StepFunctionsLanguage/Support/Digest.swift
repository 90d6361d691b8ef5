/// The message digests `States.Hash` offers, written for this package: MD5 (RFC 1321), SHA-1,
/// SHA-256, SHA-384 and SHA-512 (FIPS 180-4).
///
/// Each takes the whole message as bytes and returns the digest bytes;
/// ``HashAlgorithm/hexDigest(of:)`` gives the lowercase hex text `States.Hash` returns.
public enum HashAlgorithm: String, Sendable, Hashable, CaseIterable {
  /// MD5, 128-bit digest.
  case md5 = "MD5"
  /// SHA-1, 160-bit digest.
  case sha1 = "SHA-1"
  /// SHA-256, 256-bit digest.
  case sha256 = "SHA-256"
  /// SHA-384, 384-bit digest.
  case sha384 = "SHA-384"
  /// SHA-512, 512-bit digest.
  case sha512 = "SHA-512"

  /// The digest of `message`.
  ///
  /// - Complexity: O(*n*) in the length of the message.
  public func digest(_ message: [UInt8]) -> [UInt8] {
    switch self {
    case .md5: return MD5.digest(message)
    case .sha1: return SHA1.digest(message)
    case .sha256: return SHA256.digest(message)
    case .sha384: return SHA512.digest(message, initial: SHA512.initial384, outputWords: 6)
    case .sha512: return SHA512.digest(message, initial: SHA512.initial512, outputWords: 8)
    }
  }

  /// The digest of `message` as lowercase hexadecimal text.
  public func hexDigest(of message: [UInt8]) -> String {
    HashAlgorithm.hex(digest(message))
  }

  /// The digest of the UTF-8 bytes of `text` as lowercase hexadecimal text.
  public func hexDigest(of text: String) -> String { hexDigest(of: Array(text.utf8)) }

  /// Bytes as lowercase hexadecimal text.
  public static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
  }
}

/// Pads a message the Merkle–Damgård way shared by MD5 and the SHA family: a `0x80` byte,
/// zeros, then the bit length in `lengthBytes` bytes (big- or little-endian), to a multiple of
/// `blockSize`.
private func padded(
  _ message: [UInt8], blockSize: Int, lengthBytes: Int, bigEndian: Bool
) -> [UInt8] {
  var data = message
  let bitLength = UInt64(truncatingIfNeeded: message.count) &* 8
  data.append(0x80)
  let remainder = (data.count + lengthBytes) % blockSize
  if remainder != 0 { data.append(contentsOf: repeatElement(0, count: blockSize - remainder)) }
  // Only the low 64 bits of the length are ever non-zero here.
  var length = [UInt8](repeating: 0, count: lengthBytes)
  for index in 0..<8 {
    let byte = UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(index)))
    if bigEndian { length[lengthBytes - 1 - index] = byte } else { length[index] = byte }
  }
  data.append(contentsOf: length)
  return data
}

private enum MD5 {
  static let table: [UInt32] = [
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a,
    0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
    0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
    0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
    0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
    0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
    0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
    0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
    0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
  ]

  static let shifts: [UInt32] = [
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
    5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
    6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
  ]

  static func digest(_ message: [UInt8]) -> [UInt8] {
    let data = padded(message, blockSize: 64, lengthBytes: 8, bigEndian: false)
    var a0: UInt32 = 0x6745_2301
    var b0: UInt32 = 0xefcd_ab89
    var c0: UInt32 = 0x98ba_dcfe
    var d0: UInt32 = 0x1032_5476
    var words = [UInt32](repeating: 0, count: 16)
    var offset = 0
    while offset < data.count {
      for index in 0..<16 {
        let base = offset + index * 4
        words[index] =
          UInt32(data[base]) | UInt32(data[base + 1]) << 8 | UInt32(data[base + 2]) << 16
          | UInt32(data[base + 3]) << 24
      }
      var a = a0
      var b = b0
      var c = c0
      var d = d0
      for round in 0..<64 {
        var f: UInt32
        let g: Int
        switch round {
        case 0..<16:
          f = (b & c) | (~b & d)
          g = round
        case 16..<32:
          f = (d & b) | (~d & c)
          g = (5 &* round &+ 1) % 16
        case 32..<48:
          f = b ^ c ^ d
          g = (3 &* round &+ 5) % 16
        default:
          f = c ^ (b | ~d)
          g = (7 &* round) % 16
        }
        f = f &+ a &+ table[round] &+ words[g]
        a = d
        d = c
        c = b
        let shift = shifts[round]
        b = b &+ ((f << shift) | (f >> (32 - shift)))
      }
      a0 = a0 &+ a
      b0 = b0 &+ b
      c0 = c0 &+ c
      d0 = d0 &+ d
      offset += 64
    }
    var output: [UInt8] = []
    output.reserveCapacity(16)
    for word in [a0, b0, c0, d0] {
      for shift in stride(from: 0, to: 32, by: 8) {
        output.append(UInt8(truncatingIfNeeded: word >> UInt32(shift)))
      }
    }
    return output
  }
}

@inline(__always)
private func rotateLeft(_ value: UInt32, _ count: UInt32) -> UInt32 {
  (value << count) | (value >> (32 - count))
}

@inline(__always)
private func rotateRight(_ value: UInt32, _ count: UInt32) -> UInt32 {
  (value >> count) | (value << (32 - count))
}

@inline(__always)
private func rotateRight(_ value: UInt64, _ count: UInt64) -> UInt64 {
  (value >> count) | (value << (64 - count))
}

private func bigEndianBytes(_ words: [UInt32]) -> [UInt8] {
  var output: [UInt8] = []
  output.reserveCapacity(words.count * 4)
  for word in words {
    for shift in stride(from: 24, through: 0, by: -8) {
      output.append(UInt8(truncatingIfNeeded: word >> UInt32(shift)))
    }
  }
  return output
}

private enum SHA1 {
  static func digest(_ message: [UInt8]) -> [UInt8] {
    let data = padded(message, blockSize: 64, lengthBytes: 8, bigEndian: true)
    var state: [UInt32] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476, 0xc3d2_e1f0]
    var schedule = [UInt32](repeating: 0, count: 80)
    var offset = 0
    while offset < data.count {
      for index in 0..<16 {
        let base = offset + index * 4
        schedule[index] =
          UInt32(data[base]) << 24 | UInt32(data[base + 1]) << 16 | UInt32(data[base + 2]) << 8
          | UInt32(data[base + 3])
      }
      for index in 16..<80 {
        schedule[index] = rotateLeft(
          schedule[index - 3] ^ schedule[index - 8] ^ schedule[index - 14] ^ schedule[index - 16], 1
        )
      }
      var a = state[0]
      var b = state[1]
      var c = state[2]
      var d = state[3]
      var e = state[4]
      for round in 0..<80 {
        let f: UInt32
        let k: UInt32
        switch round {
        case 0..<20:
          f = (b & c) | (~b & d)
          k = 0x5a82_7999
        case 20..<40:
          f = b ^ c ^ d
          k = 0x6ed9_eba1
        case 40..<60:
          f = (b & c) | (b & d) | (c & d)
          k = 0x8f1b_bcdc
        default:
          f = b ^ c ^ d
          k = 0xca62_c1d6
        }
        let temporary = rotateLeft(a, 5) &+ f &+ e &+ k &+ schedule[round]
        e = d
        d = c
        c = rotateLeft(b, 30)
        b = a
        a = temporary
      }
      state[0] = state[0] &+ a
      state[1] = state[1] &+ b
      state[2] = state[2] &+ c
      state[3] = state[3] &+ d
      state[4] = state[4] &+ e
      offset += 64
    }
    return bigEndianBytes(state)
  }
}

private enum SHA256 {
  static let constants: [UInt32] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ]

  static let initial: [UInt32] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]

  static func digest(_ message: [UInt8]) -> [UInt8] {
    let data = padded(message, blockSize: 64, lengthBytes: 8, bigEndian: true)
    var state = initial
    var schedule = [UInt32](repeating: 0, count: 64)
    var offset = 0
    while offset < data.count {
      for index in 0..<16 {
        let base = offset + index * 4
        schedule[index] =
          UInt32(data[base]) << 24 | UInt32(data[base + 1]) << 16 | UInt32(data[base + 2]) << 8
          | UInt32(data[base + 3])
      }
      for index in 16..<64 {
        let w15 = schedule[index - 15]
        let w2 = schedule[index - 2]
        let s0 = rotateRight(w15, 7) ^ rotateRight(w15, 18) ^ (w15 >> 3)
        let s1 = rotateRight(w2, 17) ^ rotateRight(w2, 19) ^ (w2 >> 10)
        schedule[index] = schedule[index - 16] &+ s0 &+ schedule[index - 7] &+ s1
      }
      var a = state[0]
      var b = state[1]
      var c = state[2]
      var d = state[3]
      var e = state[4]
      var f = state[5]
      var g = state[6]
      var h = state[7]
      for round in 0..<64 {
        let sum1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)
        let choice = (e & f) ^ (~e & g)
        let temporary1 = h &+ sum1 &+ choice &+ constants[round] &+ schedule[round]
        let sum0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)
        let majority = (a & b) ^ (a & c) ^ (b & c)
        let temporary2 = sum0 &+ majority
        h = g
        g = f
        f = e
        e = d &+ temporary1
        d = c
        c = b
        b = a
        a = temporary1 &+ temporary2
      }
      state[0] = state[0] &+ a
      state[1] = state[1] &+ b
      state[2] = state[2] &+ c
      state[3] = state[3] &+ d
      state[4] = state[4] &+ e
      state[5] = state[5] &+ f
      state[6] = state[6] &+ g
      state[7] = state[7] &+ h
      offset += 64
    }
    return bigEndianBytes(state)
  }
}

private enum SHA512 {
  static let constants: [UInt64] = [
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f,
    0xe9b5dba58189dbbc, 0x3956c25bf348b538, 0x59f111f1b605d019,
    0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242,
    0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
    0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3,
    0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65, 0x2de92c6f592b0275,
    0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
    0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f,
    0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
    0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc,
    0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
    0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6,
    0x92722c851482353b, 0xa2bfe8a14cf10364, 0xa81a664bbc423001,
    0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
    0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99,
    0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb,
    0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc,
    0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915,
    0xc67178f2e372532b, 0xca273eceea26619c, 0xd186b8c721c0c207,
    0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba,
    0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
    0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a,
    0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
  ]

  static let initial512: [UInt64] = [
    0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1, 0x510e527fade682d1, 0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
  ]

  static let initial384: [UInt64] = [
    0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17,
    0x152fecd8f70e5939, 0x67332667ffc00b31, 0x8eb44a8768581511,
    0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4,
  ]

  static func digest(_ message: [UInt8], initial: [UInt64], outputWords: Int) -> [UInt8] {
    let data = padded(message, blockSize: 128, lengthBytes: 16, bigEndian: true)
    var state = initial
    var schedule = [UInt64](repeating: 0, count: 80)
    var offset = 0
    while offset < data.count {
      for index in 0..<16 {
        let base = offset + index * 8
        var word: UInt64 = 0
        for byte in 0..<8 { word = word << 8 | UInt64(data[base + byte]) }
        schedule[index] = word
      }
      for index in 16..<80 {
        let w15 = schedule[index - 15]
        let w2 = schedule[index - 2]
        let s0 = rotateRight(w15, 1) ^ rotateRight(w15, 8) ^ (w15 >> 7)
        let s1 = rotateRight(w2, 19) ^ rotateRight(w2, 61) ^ (w2 >> 6)
        schedule[index] = schedule[index - 16] &+ s0 &+ schedule[index - 7] &+ s1
      }
      var a = state[0]
      var b = state[1]
      var c = state[2]
      var d = state[3]
      var e = state[4]
      var f = state[5]
      var g = state[6]
      var h = state[7]
      for round in 0..<80 {
        let sum1 = rotateRight(e, 14) ^ rotateRight(e, 18) ^ rotateRight(e, 41)
        let choice = (e & f) ^ (~e & g)
        let temporary1 = h &+ sum1 &+ choice &+ constants[round] &+ schedule[round]
        let sum0 = rotateRight(a, 28) ^ rotateRight(a, 34) ^ rotateRight(a, 39)
        let majority = (a & b) ^ (a & c) ^ (b & c)
        let temporary2 = sum0 &+ majority
        h = g
        g = f
        f = e
        e = d &+ temporary1
        d = c
        c = b
        b = a
        a = temporary1 &+ temporary2
      }
      state[0] = state[0] &+ a
      state[1] = state[1] &+ b
      state[2] = state[2] &+ c
      state[3] = state[3] &+ d
      state[4] = state[4] &+ e
      state[5] = state[5] &+ f
      state[6] = state[6] &+ g
      state[7] = state[7] &+ h
      offset += 128
    }
    var output: [UInt8] = []
    output.reserveCapacity(outputWords * 8)
    for word in state.prefix(outputWords) {
      for shift in stride(from: 56, through: 0, by: -8) {
        output.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
      }
    }
    return output
  }
}
