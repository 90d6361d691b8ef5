/// Picture strings (XPath F&O): `$formatNumber`, `$formatInteger`/`$parseInteger` and the
/// date-time pictures of `$fromMillis`/`$toMillis`.
enum NumberPicture {
  static func format(_ value: Double, picture: String, options: ObjectBox?) throws -> String {
    throw JSONataError(code: "D3130", message: "$formatNumber pictures are not supported yet")
  }
}

enum IntegerPicture {
  static func format(_ value: Double, picture: String) throws -> String {
    throw JSONataError(code: "D3130", message: "$formatInteger pictures are not supported yet")
  }

  static func parse(_ text: String, picture: String) throws -> Double? {
    throw JSONataError(code: "D3130", message: "$parseInteger pictures are not supported yet")
  }
}

enum DatePicture {
  static func format(_ millis: Double, picture: String, timezone: String?) throws -> String {
    throw JSONataError(code: "D3130", message: "date-time pictures are not supported yet")
  }

  static func parse(_ text: String, picture: String) throws -> Double? {
    throw JSONataError(code: "D3130", message: "date-time pictures are not supported yet")
  }
}
