import Foundation
import Testing

@testable import StepFunctionsRuntime

@Suite("Gzip")
struct GzipTests {
  /// `gzip.compress` (Python 3.11, level 9, mtime 0) of inventoryRows: dynamic Huffman codes.
  static let dynamicFile =
    "H4sIAAAAAAACA6XWO27bUBSE4T7LYB0597zuI+tIlU6RnECAZQswsv8wBafVAEMQIEEWP6tvuN1fr7fz6e/j7eN8/dy+brf3y8f99v7n2+Xt9ji11l7uj9yf2367X7x5nsxPYT88vre2ny/7m5/7q/bk2L5sz2KGWAwpZkTMERspxZyIxRHbDykWRCwRyynFkogVYrOkWBGxfsTcXYp1IjYQqyXFBhGbiK0uxSYRW0csIqTYeh4zCBJDE+RMxCBINk2QX0QMgmRqglyIGATJqQlyJWIQpEwT5JWIQZAqTZDfRAyC1JIEMWLPDIJ0lwQxYs8MgvQuCWLEnhkEGU0SxIg9cwgyUhLEiD1zCDKGJIgRe+YQZJokiBF75hBkliSIEXvmEGROSRAj9swhyHJJECP2zCHI6pogxJ45BFlLE4TYMz8E8RaaIMSe+UJsaIIQexaHIG6mCULsWRhiqQlC7Fk4YlMSxIk9i0OQ/e9bEsSJPYtErCRBnNizKMSWJIgTexaHIB4hCeLEnsVArEuCOLFnAUGySYI4sWcBQTIlQZzYs4QgOSVBnNizhCBlkiBO7FlCkCpNEGLPEoLU0gQh9iwhSHdNEGLPEoL0rglC7FlCkNE0QYg9SwgyQhOE2LOEIGNIggSxZwlBpkmCBLFnBUFmSYIEsWcFQeaUBAlizwqCLJcECWLPCoKsLgkSxJ4VBFlLEiSIPatDkPj/bUqM2LPqiA1JkCD2rA5BwpokSBB7VhOx1AQh9qwWYlMTZN+zfxXyb1aMGQAA"
  /// `gzip.compress(b"hello, hello, hello gzip\n")`: fixed Huffman codes.
  static let fixedFile = "H4sIAAAAAAACA8tIzcnJ11HIQKIU0qsyC7gAKghEphkAAAA="
  /// A gzip file with the original file name `data.csv` in its header (FNAME), holding
  /// `a,b\n1,2\n`.
  static let namedFile = "H4sICAAAAAAC/2RhdGEuY3N2AEvUSeIy1DHiAgB7B5cKCAAAAA=="

  /// Sixty S3 Inventory-like CSV rows.
  static var inventoryRows: String {
    (0..<60).map { index in
      let hex = String(index, radix: 16)
      let etag = String(repeating: "0", count: 32 - hex.count) + hex
      let number = String(index)
      let padded = String(repeating: "0", count: 3 - number.count) + number
      return
        "\"media-uploads\",\"incoming/clip-\(padded).mp4\",\"\(1000 + index * 37)\",\"2024-12-31T23:00:00.000Z\",\"\(etag)\"\n"
    }.joined()
  }

  static func bytes(_ base64: String) throws -> [UInt8] {
    [UInt8](try #require(Data(base64Encoded: base64)))
  }

  @Test("A gzip file with dynamic Huffman codes decompresses to its content")
  func dynamicCodes() throws {
    let content = try Gzip.decompress(Self.bytes(Self.dynamicFile), maximumBytes: 1 << 20)
    #expect(String(decoding: content, as: UTF8.self) == Self.inventoryRows)
  }

  @Test("A gzip file with fixed Huffman codes decompresses to its content")
  func fixedCodes() throws {
    let content = try Gzip.decompress(Self.bytes(Self.fixedFile), maximumBytes: 1 << 20)
    #expect(String(decoding: content, as: UTF8.self) == "hello, hello, hello gzip\n")
  }

  @Test("A header with the original file name is skipped")
  func namedHeader() throws {
    let content = try Gzip.decompress(Self.bytes(Self.namedFile), maximumBytes: 1 << 20)
    #expect(String(decoding: content, as: UTF8.self) == "a,b\n1,2\n")
  }

  @Test("Concatenated members decompress to their contents in order")
  func members() throws {
    let file = try Self.bytes(Self.fixedFile) + Self.bytes(Self.namedFile)
    let content = try Gzip.decompress(file, maximumBytes: 1 << 20)
    #expect(String(decoding: content, as: UTF8.self) == "hello, hello, hello gzip\na,b\n1,2\n")
  }

  @Test("Stored blocks round-trip, across the 65,535-byte block limit and when empty")
  func storedRoundTrip() throws {
    for count in [0, 1, 65_535, 65_536, 200_000] {
      let content = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31) }
      let file = Gzip.storedFile(content)
      #expect(Gzip.isGzip(file))
      #expect(try Gzip.decompress(file, maximumBytes: 1 << 20) == content)
    }
  }

  @Test("Content past the limit is refused, not decompressed")
  func limit() throws {
    #expect(throws: Gzip.DecodingError("the content is larger than 100 bytes")) {
      try Gzip.decompress(Self.bytes(Self.dynamicFile), maximumBytes: 100)
    }
  }

  @Test("A changed byte fails the CRC-32 check or the decoding, never crashes")
  func corruption() throws {
    let file = try Self.bytes(Self.dynamicFile)
    var failures = 0
    for index in 10..<file.count {
      var damaged = file
      damaged[index] ^= 0x5a
      if (try? Gzip.decompress(damaged, maximumBytes: 1 << 20)) == nil { failures += 1 }
    }
    #expect(failures == file.count - 10)
  }

  @Test("Every truncation is an error")
  func truncation() throws {
    let file = try Self.bytes(Self.dynamicFile)
    for length in 0..<file.count {
      #expect(throws: Gzip.DecodingError.self) {
        try Gzip.decompress(Array(file[..<length]), maximumBytes: 1 << 20)
      }
    }
  }

  @Test("Not gzip: wrong magic number or method")
  func notGzip() {
    #expect(!Gzip.isGzip(Array("a,b\n".utf8)))
    #expect(throws: Gzip.DecodingError("not a gzip file (no 1f 8b magic number)")) {
      try Gzip.decompress(Array("plain text, not compressed".utf8), maximumBytes: 100)
    }
    var file = Gzip.storedFile([1, 2, 3])
    file[2] = 7
    #expect(throws: Gzip.DecodingError("unsupported gzip compression method 7")) {
      try Gzip.decompress(file, maximumBytes: 100)
    }
  }

  @Test("CRC-32 of the standard check string")
  func crc() {
    #expect(CRC32.checksum(Array("123456789".utf8)[...]) == 0xcbf4_3926)
  }
}
