import Testing

@testable import StepFunctionsLanguage

/// Published test vectors: RFC 1321 appendix A.5 for MD5; FIPS 180 examples (and NIST's
/// "SHA examples" documents) for the SHA family.
@Suite("Message digests")
struct DigestTests {
  static let message448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
  static let message896 =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"

  @Test(
    "MD5 matches the RFC 1321 test suite",
    arguments: [
      ("", "d41d8cd98f00b204e9800998ecf8427e"),
      ("a", "0cc175b9c0f1b6a831c399e269772661"),
      ("abc", "900150983cd24fb0d6963f7d28e17f72"),
      ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
      ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
      (
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        "d174ab98d277d9f5a5611c2c9f419d9f"
      ),
      (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
    ])
  func md5(message: String, digest: String) {
    #expect(HashAlgorithm.md5.hexDigest(of: message) == digest)
  }

  @Test(
    "SHA-1 matches the FIPS 180 examples",
    arguments: [
      ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
      ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
      (message448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
      (message896, "a49b2446a02c645bf419f995b67091253a04a259"),
    ])
  func sha1(message: String, digest: String) {
    #expect(HashAlgorithm.sha1.hexDigest(of: message) == digest)
  }

  @Test(
    "SHA-256 matches the FIPS 180 examples",
    arguments: [
      ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
      ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
      (message448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
      (message896, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
  func sha256(message: String, digest: String) {
    #expect(HashAlgorithm.sha256.hexDigest(of: message) == digest)
  }

  @Test(
    "SHA-384 matches the FIPS 180 examples",
    arguments: [
      (
        "",
        "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"
      ),
      (
        "abc",
        "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"
      ),
      (
        message448,
        "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b"
      ),
      (
        message896,
        "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039"
      ),
    ])
  func sha384(message: String, digest: String) {
    #expect(HashAlgorithm.sha384.hexDigest(of: message) == digest)
  }

  @Test(
    "SHA-512 matches the FIPS 180 examples",
    arguments: [
      (
        "",
        "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
      ),
      (
        "abc",
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
      ),
      (
        message448,
        "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"
      ),
      (
        message896,
        "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"
      ),
    ])
  func sha512(message: String, digest: String) {
    #expect(HashAlgorithm.sha512.hexDigest(of: message) == digest)
  }

  @Test(
    "One million 'a' characters hash to the published digests",
    arguments: [
      (HashAlgorithm.sha1, "34aa973cd4c4daa4f61eeb2bdbad27316534016f"),
      (HashAlgorithm.sha256, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
      (
        HashAlgorithm.sha384,
        "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985"
      ),
      (
        HashAlgorithm.sha512,
        "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"
      ),
    ])
  func millionA(algorithm: HashAlgorithm, digest: String) {
    let message = [UInt8](repeating: 0x61, count: 1_000_000)
    #expect(algorithm.hexDigest(of: message) == digest)
  }

  @Test("Digests have the standard lengths for messages around every padding boundary")
  func paddingBoundaries() {
    let lengths: [HashAlgorithm: Int] = [
      .md5: 16, .sha1: 20, .sha256: 32, .sha384: 48, .sha512: 64,
    ]
    for algorithm in HashAlgorithm.allCases {
      var seen = Set<[UInt8]>()
      for size in [55, 56, 63, 64, 65, 111, 112, 127, 128, 129] {
        let digest = algorithm.digest([UInt8](repeating: 0x62, count: size))
        #expect(digest.count == lengths[algorithm])
        seen.insert(digest)
      }
      #expect(seen.count == 10, "distinct messages must give distinct digests")
    }
  }

  @Test("Hex output is lowercase")
  func lowercaseHex() {
    #expect(HashAlgorithm.hex([0x00, 0xAB, 0xFF, 0x10]) == "00abff10")
  }
}
