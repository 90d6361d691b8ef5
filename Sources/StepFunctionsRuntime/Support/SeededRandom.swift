/// A small, fast pseudo-random generator whose sequence depends only on its seed: the same seed
/// gives the same numbers on every machine and every Swift version.
///
/// The generator is xoshiro256** (Blackman and Vigna); its 256-bit state is filled from the
/// 64-bit seed with SplitMix64, as the authors recommend. It is not cryptographically secure,
/// and neither is `States.MathRandom`.
///
/// ```swift
/// var random = SeededRandom(seed: 42)
/// let roll = random.nextInt(in: 1..<7)
/// let id = random.nextUUIDString()
/// ```
public struct SeededRandom: RandomNumberGenerator, Sendable, Hashable {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64

  /// Creates a generator from a seed.
  public init(seed: UInt64) {
    var mixer = SplitMix64(state: seed)
    s0 = mixer.next()
    s1 = mixer.next()
    s2 = mixer.next()
    s3 = mixer.next()
  }

  /// Creates a generator from a signed seed (its two's-complement bits).
  public init(signedSeed seed: Int64) {
    self.init(seed: UInt64(bitPattern: seed))
  }

  /// Creates a generator seeded from the system's random source, for runs that need not repeat.
  public static func systemSeeded() -> SeededRandom {
    var system = SystemRandomNumberGenerator()
    return SeededRandom(seed: system.next())
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    let result = SeededRandom.rotateLeft(s1 &* 5, 7) &* 9
    let shifted = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= shifted
    s3 = SeededRandom.rotateLeft(s3, 45)
    return result
  }

  /// A uniformly distributed integer in `0..<upperBound`; `0` when `upperBound` is `0`.
  ///
  /// Uses Lemire's multiply-and-reject method, so the result is unbiased and the same on every
  /// platform.
  public mutating func next(upperBound: UInt64) -> UInt64 {
    guard upperBound > 0 else { return 0 }
    var product = next().multipliedFullWidth(by: upperBound)
    if product.low < upperBound {
      let threshold = (0 &- upperBound) % upperBound
      while product.low < threshold { product = next().multipliedFullWidth(by: upperBound) }
    }
    return product.high
  }

  /// A uniformly distributed integer in `range`; `range.lowerBound` when the range is empty.
  public mutating func nextInt(in range: Range<Int64>) -> Int64 {
    guard !range.isEmpty else { return range.lowerBound }
    let width = UInt64(bitPattern: range.upperBound &- range.lowerBound)
    return range.lowerBound &+ Int64(bitPattern: next(upperBound: width))
  }

  @inline(__always)
  private static func rotateLeft(_ value: UInt64, _ count: UInt64) -> UInt64 {
    (value << count) | (value >> (64 - count))
  }
}

/// SplitMix64 (Steele, Lea and Flood), used to spread a 64-bit seed over xoshiro's state.
struct SplitMix64 {
  var state: UInt64

  mutating func next() -> UInt64 {
    state = state &+ 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
}
