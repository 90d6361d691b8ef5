import StepFunctionsJSON
import StepFunctionsJSONata
import Testing

/// Evaluates `text` with the clock fixed at `now` (milliseconds since 1970).
private func run(_ text: String, now: Double = 0) throws -> JSON? {
  try JSONataExpression(parsing: text).evaluate(input: nil, options: JSONataOptions(now: now))
}

/// The number `text` evaluates to, as a double.
private func number(_ text: String, now: Double = 0) throws -> Double? {
  try run(text, now: now)?.numberValue?.doubleValue
}

/// The code of the error `text` raises.
private func code(_ text: String) -> String? {
  do {
    _ = try run(text)
    return nil
  } catch let error as JSONataError {
    return error.code
  } catch {
    return "not a JSONata error: \(error)"
  }
}

/// 2000-02-29T13:04:05.123Z, a Tuesday: day 60 of a leap year, ISO week 2000-W09.
private let leapDay = "951829445123"
/// 2021-01-01T00:00:00Z, a Friday in ISO week 2020-W53 (the week of Thursday 31 December).
private let newYear2021 = "1609459200000"

@Suite("JSONata date-time pictures")
struct JSONataDatePictureTests {
  @Test("A huge width modifier is taken as 1,000 characters instead of allocating without bound")
  func hugeWidth() throws {
    let padded = try run("$fromMillis(0, '[Y0,5555555555555555555555]')")?.stringValue
    #expect(padded?.count == 1_000)
    #expect(padded?.hasSuffix("1970") == true)
    #expect(padded?.dropLast(4).allSatisfy { $0 == "0" } == true)
    let bounded = try run("$fromMillis(0, '[Y0,2-99999999999999]')")?.stringValue
    #expect((bounded?.count ?? 0) <= 1_000)
    #expect(bounded?.hasSuffix("1970") == true)
  }

  @Test(
    "$fromMillis formats each component with its presentation modifier",
    arguments: [
      ("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001]", "2000-02-29T13:04:05.123"),
      ("[FNn], [D1o] [MNn] [Y]", "Tuesday, 29th February 2000"),
      ("[FN,*-3] [MN,3-3] [F]", "TUE FEB tuesday"),
      ("[Dwo] [Mw] [Yw]", "twenty-ninth two two thousand"),
      ("[DWw] [YI] [Mi] [Da] [MA]", "Twenty-Nine MM ii ac B"),
      ("[d] [d001]", "60 060"),
      ("[h]:[m] [P] [PN] [Pn]", "1:04 pm PM pm"),
      ("[H#1] [D#1,2] [M1,2] [Y,2] [Y0001,2-2]", "13 29 02 00 00"),
      ("[X0001]-W[W01]-[F1] [C] [E]", "2000-W09-2 ISO ISO"),
      ("[Y9,999,*]", "2,000"),
      ("[[[Y]]] [ Y 0 0 0 1 ]", "[2000] 2000"),
    ])
  func components(picture: String, expected: String) throws {
    #expect(try run("$fromMillis(\(leapDay), '\(picture)')") == .string(expected))
  }

  @Test("ISO week dates and weeks of the month belong to the Thursday's year and month")
  func weeks() throws {
    let text = "$fromMillis(\(newYear2021), '[X0001]-W[W01]-[F1], week [w] of [xNn]')"
    #expect(try run(text) == "2020-W53-5, week 5 of December")
  }

  @Test(
    "A time zone offset shifts the time and formats as Z, z and their widths",
    arguments: [
      ("[H01]:[m01][Z]", "+0530", "05:30+05:30"),
      ("[H01]:[m01][Z0]", "+0530", "05:30+5:30"),
      ("[D01] [H01]:[m01][Z0101]", "-0800", "31 16:00-0800"),
      ("[H01][z]", "-0800", "16GMT-08:00"),
      ("[H01][Z01:01t]", "0000", "00Z"),
      ("[H01][Z01:01]", "0000", "00+00:00"),
    ])
  func timezones(picture: String, timezone: String, expected: String) throws {
    #expect(try run("$fromMillis(0, '\(picture)', '\(timezone)')") == .string(expected))
  }

  @Test("With a time zone and no picture, the ISO 8601 picture is used at that offset")
  func timezoneWithoutPicture() throws {
    #expect(try run("$fromMillis(0, (), '+0100')") == "1970-01-01T01:00:00.000+01:00")
    #expect(try run("$fromMillis(0, (), '0000')") == "1970-01-01T00:00:00.000Z")
  }

  @Test("$now formats the evaluation's fixed clock with a picture and a time zone")
  func now() throws {
    let now = 951_829_445_123.0
    #expect(try run("$now('[D01]/[M01]/[Y0001]')", now: now) == "29/02/2000")
    #expect(try run("$now('[H01]:[m01]', '+0100')", now: now) == "14:04")
  }

  @Test(
    "Bad date-time pictures raise JSONata's codes",
    arguments: [
      ("$fromMillis(0, '[q]')", "D3132"),
      ("$fromMillis(0, '[YN]')", "D3133"),
      ("$fromMillis(0, '[Y')", "D3135"),
      ("$fromMillis(0, '[Z010101]')", "D3134"),
      ("$toMillis('2000', '[q]')", "D3132"),
      ("$toMillis('2000', '[YN]')", "D3133"),
      ("$toMillis('2000-29', '[Y]-[D]')", "D3136"),
      ("$toMillis('2-29 10:30', '[M]-[D] [m]:[s]')", "D3136"),
      ("$toMillis('2020-53-5', '[X]-[W]-[F1]')", "D3136"),
      ("$toMillis('not a date')", "D3110"),
    ])
  func errors(expression: String, expected: String) {
    #expect(code(expression) == expected)
  }

  @Test(
    "$toMillis parses with a picture",
    arguments: [
      ("20000229", "[Y0001][M01][D01]", 951_782_400_000.0),
      ("twenty-ninth of February, two thousand", "[Dwo] of [MNn], [Yw]", 951_782_400_000),
      ("Tue, 29th Feb 2000", "[FNn,*-3], [D1o] [MNn,3-3] [Y]", 951_782_400_000),
      ("29/2/2000 9:15 pm", "[D]/[M]/[Y] [h]:[m] [P]", 951_858_900_000),
      ("29/2/2000 12:15 am", "[D]/[M]/[Y] [h]:[m] [P]", 951_783_300_000),
      ("2000-02-29 10:00 +02:00", "[Y]-[M]-[D] [H]:[m] [Z]", 951_811_200_000),
      ("2000-02-29 03:00 GMT-5", "[Y]-[M]-[D] [H]:[m] [z01]", 951_811_200_000),
      ("2000--060", "[Y]--[d]", 951_782_400_000),
      ("MMXXI", "[YI]", 1_609_459_200_000),
      ("ac ii MM", "[Da] [Mi] [YI]", 951_782_400_000),
    ])
  func parsing(text: String, picture: String, expected: Double) throws {
    #expect(try number("$toMillis('\(text)', '\(picture)')") == expected)
  }

  @Test("$toMillis takes the components before the first given one from the clock")
  func parsingDefaults() throws {
    // 13:45 on the day of the fixed clock (2000-02-29).
    let text = "$toMillis('13:45', '[H]:[m]')"
    #expect(try number(text, now: 951_829_445_123) == 951_831_900_000)
  }

  @Test("$toMillis is undefined when the text does not match or the picture has no component")
  func parsingNoMatch() throws {
    #expect(try run("$toMillis('nothing', '[Y]-[M]')") == nil)
    #expect(try run("$toMillis('Hello', 'Hello')") == nil)
  }
}

@Suite("JSONata number pictures")
struct JSONataNumberPictureTests {
  @Test(
    "$formatNumber follows the picture",
    arguments: [
      ("$formatNumber(1234567.891, '#,##0.00')", "1,234,567.89"),
      ("$formatNumber(0.5, '0.###')", "0.5"),
      ("$formatNumber(3, '0.###')", "3"),
      ("$formatNumber(-42, '0000')", "-0042"),
      ("$formatNumber(0.256, '00%')", "26%"),
      ("$formatNumber(0.0256, '0.0‰')", "25.6‰"),
      ("$formatNumber(98765.4321, '0.00e00')", "9.88e04"),
      ("$formatNumber(0.00123, '0.0e0')", "1.2e-3"),
      ("$formatNumber(-1234.5, '#,##0.0;(#,##0.0)')", "(1,234.5)"),
      ("$formatNumber(12345678, '#,##,###')", "123,45,678"),
      ("$formatNumber(0.123456, '0.000,000')", "0.123,456"),
      ("$formatNumber(7, 'Nr 00 total')", "Nr 07 total"),
    ])
  func pictures(expression: String, expected: String) throws {
    #expect(try run(expression) == .string(expected))
  }

  @Test("Decimal-format options replace the separators and the digit family")
  func options() throws {
    let european = "{'decimal-separator': ',', 'grouping-separator': '.'}"
    #expect(try run("$formatNumber(1234.5, '#.##0,00', \(european))") == "1.234,50")
    #expect(try run("$formatNumber(0.25, '0pct', {'percent': 'pct'})") == "25pct")
    #expect(try run("$formatNumber(305, '٠٠٠٠', {'zero-digit': '٠'})") == "٠٣٠٥")
  }

  @Test("$formatNumber of undefined is undefined")
  func undefinedInput() throws {
    #expect(try run("$formatNumber(nothing, '0')") == nil)
  }

  @Test(
    "Bad number pictures raise JSONata's codes",
    arguments: [
      ("0;0;0", "D3080"), ("0.0.0", "D3081"), ("##%%", "D3082"), ("0‰‰", "D3083"),
      ("0%‰", "D3084"), (".e00", "D3085"), ("0a0", "D3086"), ("0,.0", "D3087"),
      ("0,", "D3088"), ("0,,000", "D3089"), ("0#", "D3090"), ("0.#0", "D3091"),
      ("0e0%", "D3092"), ("0e#", "D3093"),
    ])
  func errors(picture: String, expected: String) {
    #expect(code("$formatNumber(1, '\(picture)')") == expected)
  }

  @Test("$round moves the decimal point in the number's text, then rounds half to even")
  func roundTinyValues() throws {
    #expect(try number("$round(6.5e-21, 21)") == 6e-21)
    #expect(try number("$round(1.25e-30, 31)") == 1.2e-30)
    #expect(try number("$round(2.675, 2)") == 2.68)
    #expect(try number("$round(-2.5)") == -2)
  }

  @Test("$parseInteger refuses a picture without a mandatory digit")
  func parseIntegerNeedsDigit() {
    #expect(code("$parseInteger('12', '##')") == "D3130")
  }
}

@Suite("JSONata custom matchers")
struct JSONataMatcherTests {
  /// A matcher for `-`, in the shape jsonata-js gives regex matchers.
  static let matcher = """
    $dash := function($s, $offset) {(
      $i := $length($substringBefore($s, '-'));
      $i < $length($s) ? {
        'match': '-', 'start': $offset + $i, 'end': $offset + $i + 1, 'groups': [],
        'next': function() { $dash($substringAfter($s, '-'), $offset + $i + 1) }
      }
    )};
    $matcher := function($s) { $dash($s, 0) };
    """

  @Test("A function that returns match objects works in place of a regex")
  func customMatcher() throws {
    #expect(try run("(\(Self.matcher) $split('a-b-c', $matcher))") == ["a", "b", "c"])
    #expect(try run("(\(Self.matcher) $replace('a-b-c', $matcher, '+'))") == "a+b+c")
    #expect(try run("(\(Self.matcher) $contains('a-b', $matcher))") == true)
    #expect(try run("(\(Self.matcher) $contains('ab', $matcher))") == false)
    #expect(try run("(\(Self.matcher) $match('x-y-z', $matcher).index)") == [1, 3])
  }

  @Test("A matcher that returns something else than a match object is T1010")
  func badMatcher() {
    #expect(code("$split('some text', $uppercase)") == "T1010")
    #expect(code("$match('some text', $uppercase)") == "T1010")
  }
}
