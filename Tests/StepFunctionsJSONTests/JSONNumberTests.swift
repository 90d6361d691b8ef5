import StepFunctionsJSON
import Testing

@Suite("JSON numbers")
struct JSONNumberTests {
  @Test("Integers and decimals are told apart by how they were written")
  func integerOrDecimal() throws {
    #expect(try number("1500").isInteger)
    #expect(try !number("1500.0").isInteger)
    #expect(try !number("1.5e3").isInteger)
    #expect(try !number("15E2").isInteger)
    #expect(try number("-7").isInteger)
  }

  @Test(
    "Equal numeric values are equal whatever their form",
    arguments: [
      ("1500", "1.5e3"), ("1500", "1500.0"), ("1500", "15E+2"), ("0", "-0"), ("0", "0.0"),
      ("0", "-0.0"), ("0.0", "-0.0"), ("1", "1e0"), ("0.5", "5e-1"), ("100", "1E2"),
      ("9223372036854775807", "9223372036854775807"),
      ("10000000000000000000", "1e19"), ("-10000000000000000000", "-1E19"),
      ("9007199254740992", "9007199254740992.0"),
    ])
  func numericEquality(lhs: String, rhs: String) throws {
    let a = try number(lhs)
    let b = try number(rhs)
    #expect(a == b)
    #expect(b == a)
    #expect(a.hashValue == b.hashValue)
    #expect(!(a < b) && !(b < a))
    #expect(JSON.number(a) == JSON.number(b))
    #expect(JSON.number(a).hashValue == JSON.number(b).hashValue)
  }

  @Test(
    "Different numeric values are different and ordered, even past 2^53 and Int64",
    arguments: [
      // (smaller, larger)
      ("9007199254740992", "9007199254740993"),  // 2^53, 2^53 + 1: not equal although Doubles are
      ("9007199254740992.0", "9007199254740993"),
      ("9223372036854775807", "9223372036854775808"),  // Int64.max, Int64.max + 1
      ("-9223372036854775809", "-9223372036854775808"),  // Int64.min - 1, Int64.min
      ("9223372036854775808", "9223372036854775809"),
      ("-18446744073709551616", "18446744073709551616"),
      ("99999999999999999999", "100000000000000000000"),
      ("-100000000000000000000", "-99999999999999999999"),
      ("1e19", "10000000000000000001"),
      ("9999999999999999999", "1e19"),
      ("-10000000000000000001", "-1e19"),
      ("1.5", "2"), ("-2", "-1.5"), ("-0.5", "0"), ("0", "5e-324"), ("-5e-324", "0"),
      ("1", "1.0000000000000002"), ("123456789012345678901234567890", "1e30"),
      ("-1e300", "-99999999999999999999"), ("99999999999999999999", "1e300"),
    ])
  func numericOrder(smaller: String, larger: String) throws {
    let a = try number(smaller)
    let b = try number(larger)
    #expect(a != b)
    #expect(b != a)
    #expect(a < b)
    #expect(!(b < a))
    #expect(b > a)
  }

  @Test("Big integers compare exactly with Doubles that have the same integer value")
  func bigIntegerAgainstDouble() throws {
    // 2^64 is exactly representable as a Double.
    let big = try number("18446744073709551616")
    #expect(big == JSONNumber(18_446_744_073_709_551_616.0))
    #expect(big.hashValue == JSONNumber(18_446_744_073_709_551_616.0).hashValue)
    // 2^64 + 1 rounds to 2^64 as a Double, but is not equal to it.
    let bigPlusOne = try number("18446744073709551617")
    #expect(bigPlusOne != JSONNumber(18_446_744_073_709_551_616.0))
    #expect(JSONNumber(18_446_744_073_709_551_616.0) < bigPlusOne)
    // 1e300 as a Double is not exactly 10^300.
    let tenTo300 = try number("1" + String(repeating: "0", count: 300))
    #expect(tenTo300 != JSONNumber(1e300))
    let exactDouble = try number(
      "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160"
    )
    #expect(exactDouble == JSONNumber(1e300))
    #expect(exactDouble.hashValue == JSONNumber(1e300).hashValue)
  }

  @Test("Equality between numbers is transitive around Int64's edge")
  func transitivity() throws {
    let double = JSONNumber(9.223372036854775808e18)  // 2^63 exactly
    let exact = try number("9223372036854775808")
    let next = try number("9223372036854775809")
    #expect(double == exact)
    #expect(double != next)
    #expect(exact != next)
  }

  @Test(
    "Numbers keep their value and their text",
    arguments: [
      ("0", "0"), ("-0", "0"), ("7", "7"), ("-7", "-7"),
      ("9007199254740993", "9007199254740993"),
      ("9223372036854775807", "9223372036854775807"),
      ("-9223372036854775808", "-9223372036854775808"),
      ("9223372036854775808", "9223372036854775808"),
      ("-9223372036854775809", "-9223372036854775809"),
      ("123456789012345678901234567890", "123456789012345678901234567890"),
      ("-123456789012345678901234567890", "-123456789012345678901234567890"),
      ("0.1", "0.1"), ("1.5", "1.5"), ("-0.0", "-0.0"), ("1.0", "1.0"), ("1500.0", "1500.0"),
      ("1.5e3", "1500.0"), ("1e308", "1e+308"),
      ("1.7976931348623157e308", "1.7976931348623157e+308"),
      ("1e-320", "1e-320"), ("5e-324", "5e-324"),
      ("2.2250738585072014E-308", "2.2250738585072014e-308"),
      ("1e-5", "1e-05"), ("1E20", "1e+20"), ("0.30000000000000004", "0.30000000000000004"),
    ])
  func textRoundTrip(input: String, written: String) throws {
    let value = try number(input)
    #expect(value.description == written)
    // What is written reads back to an equal number of the same kind.
    let reread = try number(written)
    #expect(reread == value)
    #expect(reread.isInteger == value.isInteger)
  }

  @Test("A subnormal decimal keeps its exact Double value")
  func subnormal() throws {
    let value = try number("1e-320")
    #expect(value.doubleValue == Double("1e-320"))
    #expect(value.doubleValue.isSubnormal)
    #expect(value != JSONNumber(0))
  }

  @Test("Decimals keep the closest Double")
  func decimalValues() throws {
    #expect(try number("0.1").doubleValue == 0.1)
    #expect(try number("1e308").doubleValue == 1e308)
    #expect(try number("-2.5E-3").doubleValue == -0.0025)
    #expect(try number("-0.0").doubleValue.sign == .minus)
  }

  @Test("Int64 accessors are exact and refuse out-of-range or fractional values")
  func integerAccessors() throws {
    #expect(try number("9223372036854775807").int64Value == Int64.max)
    #expect(try number("-9223372036854775808").int64Value == Int64.min)
    #expect(try number("9223372036854775808").int64Value == nil)
    #expect(try number("9007199254740993").int64Value == 9_007_199_254_740_993)
    #expect(try number("1.5e3").int64Value == 1500)
    #expect(try number("1.5").int64Value == nil)
    #expect(try number("1e19").int64Value == nil)
    #expect(JSONNumber(Double.nan).int64Value == nil)
    #expect(JSONNumber(Double.infinity).int64Value == nil)
    #expect(try number("42").intValue == 42)
    #expect(try number("3.0").isIntegral)
    #expect(try !number("3.5").isIntegral)
    #expect(try number("123456789012345678901234567890").isIntegral)
  }

  @Test("Integer digits are validated and canonicalized")
  func integerDigits() throws {
    #expect(JSONNumber(integerDigits: "") == nil)
    #expect(JSONNumber(integerDigits: "-") == nil)
    #expect(JSONNumber(integerDigits: "+5") == nil)
    #expect(JSONNumber(integerDigits: "1.5") == nil)
    #expect(JSONNumber(integerDigits: "12a") == nil)
    #expect(JSONNumber(integerDigits: "42") == JSONNumber(42))
    let padded = try #require(JSONNumber(integerDigits: "-000123456789012345678901234567890"))
    #expect(padded.description == "-123456789012345678901234567890")
    #expect(padded == (try number("-123456789012345678901234567890")))
  }

  @Test("Equal numbers hash equally across a large sample")
  func hashConsistency() throws {
    var generator = SplitMix64(seed: 0x5EED)
    for _ in 0..<2_000 {
      let integer = Int64(bitPattern: generator.next()) >> Int64(generator.next() % 64)
      let asInteger = JSONNumber(integer)
      let asDouble = JSONNumber(Double(integer))
      if Double(integer) == Double(exactly: integer) {
        #expect(asInteger == asDouble)
        #expect(asInteger.hashValue == asDouble.hashValue)
      } else {
        // The Double rounded: the numbers differ, ordered by the direction of the rounding.
        #expect(asInteger != asDouble)
        let rounded = Double(integer)
        let integerIsSmaller =
          rounded >= 9.223372036854775808e18 ? true : integer < Int64(rounded)
        #expect((asInteger < asDouble) == integerIsSmaller)
        #expect((asDouble < asInteger) == !integerIsSmaller)
      }
    }
  }

  @Test("A number that is not finite is written as null")
  func nonFinite() {
    #expect(JSONNumber(Double.nan).description == "null")
    #expect(JSONNumber(Double.infinity).description == "null")
    #expect(JSON.number(JSONNumber(-Double.infinity)).serialized() == "null")
  }
}
