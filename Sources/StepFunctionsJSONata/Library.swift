import Foundation
import StepFunctionsRegex

/// The built-in functions, by name (without `$`).
enum Library {
  typealias Args = [Value?]

  static func arg(_ args: Args, _ index: Int) -> Value? { index < args.count ? args[index] : nil }
  static func num(_ args: Args, _ index: Int) -> Double? { arg(args, index)?.numberValue }
  static func str(_ args: Args, _ index: Int) -> String? { arg(args, index)?.stringValue }
  static func items(_ args: Args, _ index: Int) -> [Value]? { arg(args, index)?.asItems }

  static let all: [NativeFunction] =
    aggregate + strings + numbers + arrays + objects + higherOrder
    + dates + misc

  // MARK: - Aggregation

  static let aggregate: [NativeFunction] = [
    NativeFunction("sum", "<a<n>:n>") { _, args, _ in
      guard let list = items(args, 0) else { return nil }
      return .number(list.reduce(0) { $0 + ($1.numberValue ?? 0) })
    },
    NativeFunction("count", "<a:n>") { _, args, _ in
      .integer(items(args, 0)?.count ?? 0)
    },
    NativeFunction("max", "<a<n>:n>") { _, args, _ in
      guard let list = items(args, 0), !list.isEmpty else { return nil }
      return .number(list.compactMap(\.numberValue).max() ?? 0)
    },
    NativeFunction("min", "<a<n>:n>") { _, args, _ in
      guard let list = items(args, 0), !list.isEmpty else { return nil }
      return .number(list.compactMap(\.numberValue).min() ?? 0)
    },
    NativeFunction("average", "<a<n>:n>") { _, args, _ in
      guard let list = items(args, 0), !list.isEmpty else { return nil }
      return .number(list.reduce(0) { $0 + ($1.numberValue ?? 0) } / Double(list.count))
    },
  ]

  // MARK: - Strings

  static let strings: [NativeFunction] = [
    NativeFunction("string", "<x-b?:s>", arity: 1) { _, args, _ in
      guard let value = arg(args, 0) else { return nil }
      let pretty = Evaluator.boolean(arg(args, 1)) ?? false
      return .string(try Functions.string(value, pretty: pretty))
    },
    NativeFunction("length", "<s-:n>") { _, args, _ in
      guard let text = str(args, 0) else { return nil }
      return .integer(text.unicodeScalars.count)
    },
    NativeFunction("substring", "<s-nn?:s>") { _, args, _ in
      guard let text = str(args, 0), let start = num(args, 1) else { return nil }
      let scalars = Array(text.unicodeScalars)
      let count = Double(scalars.count)
      let length = num(args, 2)
      var begin = start.rounded(.down)
      if start < 0 { begin = max(0, count + start.rounded(.down)) }
      if begin >= count { return .string("") }
      var end = count
      if let length {
        if length <= 0 { return .string("") }
        end = min(count, begin + length.rounded(.down))
      }
      if begin >= end { return .string("") }
      var result = String.UnicodeScalarView()
      result.append(contentsOf: scalars[Int(clampingDouble: begin)..<Int(clampingDouble: end)])
      return .string(String(result))
    },
    NativeFunction("substringBefore", "<s-s:s>") { _, args, _ in
      guard let text = str(args, 0) else { return nil }
      guard let chars = str(args, 1) else { return .string(text) }
      if chars.isEmpty { return .string("") }
      guard let range = text.range(of: chars) else { return .string(text) }
      return .string(String(text[..<range.lowerBound]))
    },
    NativeFunction("substringAfter", "<s-s:s>") { _, args, _ in
      guard let text = str(args, 0) else { return nil }
      guard let chars = str(args, 1) else { return .string(text) }
      guard let range = text.range(of: chars) else { return .string(text) }
      return .string(String(text[range.upperBound...]))
    },
    NativeFunction("lowercase", "<s-:s>") { _, args, _ in
      str(args, 0).map { .string($0.lowercased()) }
    },
    NativeFunction("uppercase", "<s-:s>") { _, args, _ in
      str(args, 0).map { .string($0.uppercased()) }
    },
    NativeFunction("trim", "<s-:s>") { _, args, _ in
      guard let text = str(args, 0) else { return nil }
      var result = ""
      var pendingSpace = false
      for scalar in text.unicodeScalars {
        if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
          pendingSpace = true
        } else {
          if pendingSpace, !result.isEmpty { result += " " }
          pendingSpace = false
          result.unicodeScalars.append(scalar)
        }
      }
      return .string(result)
    },
    NativeFunction("pad", "<s-ns?:s>") { _, args, _ in
      guard let text = str(args, 0), let width = num(args, 1) else { return nil }
      let padding = str(args, 2).flatMap { $0.isEmpty ? nil : $0 } ?? " "
      let padScalars = Array(padding.unicodeScalars)
      let target = Int(clampingDouble: width.magnitude.rounded(.down))
      let length = text.unicodeScalars.count
      guard target > length, !padScalars.isEmpty else { return .string(text) }
      var pad = String.UnicodeScalarView()
      for index in 0..<(target - length) { pad.append(padScalars[index % padScalars.count]) }
      return .string(width > 0 ? text + String(pad) : String(pad) + text)
    },
    NativeFunction("contains", "<s-(sf):b>") { evaluator, args, context in
      guard let text = str(args, 0) else { return nil }
      switch arg(args, 1) {
      case .string(let token)?: return .bool(token.isEmpty || text.contains(token))
      case .function(let function)?:
        if case .regex(let regex) = function.kind { return .bool(regex.hasMatch(in: text)) }
        let matches = try Functions.matcherMatches(
          .function(function), text, limit: 1, evaluator: evaluator,
          environment: context.environment, name: "contains")
        return .bool(!matches.isEmpty)
      default: return .bool(false)
      }
    },
    NativeFunction("split", "<s-(sf)n?:a<s>>") { evaluator, args, context in
      guard let text = str(args, 0) else { return nil }
      if let limit = num(args, 2), limit < 0 {
        throw JSONataError(code: "D3020", value: .number(.init(limit)))
      }
      let limit = num(args, 2).map { Int(clampingDouble: $0.rounded(.down)) }
      var result: [String] = []
      switch arg(args, 1) {
      case .string(let separator)?:
        if separator.isEmpty {
          result = text.unicodeScalars.map { String($0) }
        } else {
          result = text.components(separatedBy: separator)
        }
      case .function(let function)?:
        let matches = try Functions.matcherMatches(
          .function(function), text, limit: limit, evaluator: evaluator,
          environment: context.environment, name: "split")
        var start = 0
        for match in matches {
          result.append(Functions.substring(text, utf16: start..<match.start))
          start = match.end
        }
        if limit == nil || matches.count < (limit ?? 0) {
          result.append(Functions.substring(text, utf16: start..<text.utf16.count))
        }
      default:
        return nil
      }
      if let limit { result = Array(result.prefix(limit)) }
      return .plainArray(result.map(Value.string))
    },
    NativeFunction("join", "<a<s>s?:s>") { _, args, _ in
      guard let list = items(args, 0) else { return nil }
      let separator = str(args, 1) ?? ""
      return .string(list.compactMap(\.stringValue).joined(separator: separator))
    },
    NativeFunction("match", "<s-f<s:o>n?:a<o>>") { evaluator, args, context in
      guard let text = str(args, 0) else { return nil }
      if let limit = num(args, 2), limit < 0 {
        throw JSONataError(code: "D3040", value: .number(.init(limit)))
      }
      guard case .function(let function)? = arg(args, 1) else {
        throw JSONataError(code: "T1010", token: "match")
      }
      let limit = num(args, 2).map { Int(clampingDouble: $0.rounded(.down)) }
      if limit == 0 { return .sequence() }
      let matches = try Functions.matcherMatches(
        .function(function), text, limit: limit, evaluator: evaluator,
        environment: context.environment, name: "match")
      return .sequence(matches.map(Functions.matchObject))
    },
    NativeFunction("replace", "<s-(sf)(sf)n?:s>") { evaluator, args, context in
      try replace(evaluator, args, context)
    },
    NativeFunction("base64encode", "<s-:s>") { _, args, _ in
      str(args, 0).map { .string(Data($0.utf8).base64EncodedString()) }
    },
    NativeFunction("base64decode", "<s-:s>") { _, args, _ in
      guard let text = str(args, 0) else { return nil }
      guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
        return .string("")
      }
      return .string(String(decoding: data, as: UTF8.self))
    },
    NativeFunction("encodeUrlComponent", "<s-:s>") { _, args, _ in
      guard let text = str(args, 0) else { return nil }
      return .string(
        try URLCoding.encode(text, keeping: URLCoding.componentSafe, name: "encodeUrlComponent"))
    },
    NativeFunction("encodeUrl", "<s-:s>") { _, args, _ in
      guard let text = str(args, 0) else { return nil }
      return .string(try URLCoding.encode(text, keeping: URLCoding.uriSafe, name: "encodeUrl"))
    },
    NativeFunction("decodeUrlComponent", "<s-:s>") { _, args, _ in
      guard let text = str(args, 0) else { return nil }
      return .string(try URLCoding.decode(text, reserved: [], name: "decodeUrlComponent"))
    },
    NativeFunction("decodeUrl", "<s-:s>") { _, args, _ in
      guard let text = str(args, 0) else { return nil }
      return .string(try URLCoding.decode(text, reserved: URLCoding.reserved, name: "decodeUrl"))
    },
  ]

  static func replace(_ evaluator: Evaluator, _ args: Args, _ context: CallContext) throws -> Value?
  {
    guard let text = str(args, 0) else { return nil }
    if case .string(let pattern)? = arg(args, 1), pattern.isEmpty {
      throw JSONataError(code: "D3010", value: .string(pattern))
    }
    if let limit = num(args, 3), limit < 0 {
      throw JSONataError(code: "D3011", value: .number(.init(limit)))
    }
    let limit = num(args, 3).map { Int(clampingDouble: $0.rounded(.down)) }
    if limit == 0 { return .string(text) }
    guard let replacement = arg(args, 2) else {
      throw JSONataError(
        code: "T0410", value: nil,
        message: "Argument 3 of function replace does not match function signature")
    }
    switch arg(args, 1) {
    case .string(let pattern)?:
      guard case .string(let substitute) = replacement else {
        throw JSONataError(code: "D3012", value: replacement.json())
      }
      var result = ""
      var rest = Substring(text)
      var count = 0
      while limit == nil || count < (limit ?? 0), let range = rest.range(of: pattern) {
        result += rest[..<range.lowerBound]
        result += substitute
        rest = rest[range.upperBound...]
        count += 1
      }
      result += rest
      return .string(result)
    case .function(let function)?:
      let matches = try Functions.matcherMatches(
        .function(function), text, limit: limit, evaluator: evaluator,
        environment: context.environment, name: "replace")
      var result = ""
      var position = 0
      for match in matches {
        result += Functions.substring(text, utf16: position..<match.start)
        switch replacement {
        case .string(let template):
          result += substitute(template, match)
        case .function:
          let value = try evaluator.apply(
            replacement, [Functions.matchObject(match)], nil, context.environment)
          guard case .string(let string)? = value else {
            throw JSONataError(code: "D3012", value: value?.json())
          }
          result += string
        default:
          throw JSONataError(code: "D3012", value: replacement.json())
        }
        position = match.end
      }
      result += Functions.substring(text, utf16: position..<text.utf16.count)
      return .string(result)
    default:
      return nil
    }
  }

  /// Expands `$0`, `$1`…, `$$` in a replacement string.
  static func substitute(_ template: String, _ match: Functions.MatchInfo) -> String {
    let characters = Array(template)
    var output = ""
    var position = 0
    while position < characters.count {
      let character = characters[position]
      guard character == "$" else {
        output.append(character)
        position += 1
        continue
      }
      position += 1
      guard position < characters.count else {
        output += "$"
        break
      }
      let next = characters[position]
      if next == "$" {
        output += "$"
        position += 1
      } else if next == "0" {
        output += match.match
        position += 1
      } else {
        let groupCount = match.groups.count
        let maxDigits = groupCount == 0 ? 1 : String(groupCount).count
        var digits = ""
        var scan = position
        while scan < characters.count, digits.count < maxDigits, characters[scan].isASCII,
          characters[scan].isNumber
        {
          digits.append(characters[scan])
          scan += 1
        }
        if var index = Int(digits) {
          if digits.count > 1, index > groupCount {
            digits.removeLast()
            index = Int(digits) ?? 0
          }
          if groupCount > 0, index >= 1, index <= groupCount, let group = match.groups[index - 1] {
            output += group
          }
          position += String(index).count
        } else {
          output += "$"
        }
      }
    }
    return output
  }

  // MARK: - Numbers

  static let numbers: [NativeFunction] = [
    NativeFunction("number", "<(nsb)-:n>") { _, args, _ in
      guard let value = arg(args, 0) else { return nil }
      switch value {
      case .number, .exactInteger: return value
      case .bool(let bool): return .number(bool ? 1 : 0)
      case .string(let text):
        if let number = parseNumber(text) { return .number(number) }
        throw JSONataError(code: "D3030", value: .string(text))
      default:
        throw JSONataError(code: "D3030", value: value.json())
      }
    },
    NativeFunction("abs", "<n-:n>") { _, args, _ in num(args, 0).map { .number(abs($0)) } },
    NativeFunction("floor", "<n-:n>") { _, args, _ in
      num(args, 0).map { .number($0.rounded(.down)) }
    },
    NativeFunction("ceil", "<n-:n>") { _, args, _ in num(args, 0).map { .number($0.rounded(.up)) }
    },
    NativeFunction("round", "<n-n?:n>") { _, args, _ in
      guard let value = num(args, 0) else { return nil }
      let precision = Swift.max(-400, Swift.min(400, Int(clampingDouble: num(args, 1) ?? 0)))
      return .number(round(value, precision: precision))
    },
    NativeFunction("sqrt", "<n-:n>") { _, args, _ in
      guard let value = num(args, 0) else { return nil }
      if value < 0 { throw JSONataError(code: "D3060", value: .number(.init(value))) }
      return .number(value.squareRoot())
    },
    NativeFunction("power", "<n-n:n>") { _, args, _ in
      guard let base = num(args, 0), let exponent = num(args, 1) else { return nil }
      let result = pow(base, exponent)
      if !result.isFinite {
        throw JSONataError(
          code: "D3061", value: .number(.init(base)),
          message:
            "The power function has resulted in a value that cannot be represented as a JSON number: base=\(Functions.formatNumber(base)), exponent=\(Functions.formatNumber(exponent))"
        )
      }
      return .number(result)
    },
    NativeFunction("random", "<:n>") { evaluator, _, _ in .number(evaluator.nextRandom()) },
    NativeFunction("formatBase", "<n-n?:s>") { _, args, _ in
      guard let value = num(args, 0) else { return nil }
      let rounded = round(value, precision: 0)
      let radix = num(args, 1) ?? 10
      guard radix >= 2, radix <= 36 else {
        throw JSONataError(code: "D3100", value: .number(.init(radix)))
      }
      guard rounded.magnitude < 9.2e18 else { return .string(Functions.formatNumber(rounded)) }
      return .string(String(Int64(rounded), radix: Int(radix)))
    },
    NativeFunction("formatNumber", "<n-so?:s>") { _, args, _ in
      guard let value = num(args, 0), let picture = str(args, 1) else { return nil }
      return .string(
        try NumberPicture.format(value, picture: picture, options: arg(args, 2)?.objectBox))
    },
    NativeFunction("formatInteger", "<n-s:s>") { _, args, _ in
      guard let value = num(args, 0), let picture = str(args, 1) else { return nil }
      return .string(try IntegerPicture.format(value, picture: picture))
    },
    NativeFunction("parseInteger", "<s-s:n>") { _, args, _ in
      guard let text = str(args, 0), let picture = str(args, 1) else { return nil }
      return try IntegerPicture.parse(text, picture: picture).map { .number($0) }
    },
  ]

  /// Rounds half to even at `precision` decimal places, as jsonata's `$round`: the decimal
  /// point is moved by rewriting the exponent of the number's JavaScript text (so no binary
  /// artefact of multiplying by a power of ten creeps in), then moved back the same way.
  static func round(_ value: Double, precision: Int) -> Double {
    func shifted(_ number: Double, by places: Int) -> Double {
      let text = Functions.formatNumber(number)
      var mantissa = Substring(text)
      var exponent = 0
      if let e = text.firstIndex(of: "e") {
        mantissa = text[..<e]
        exponent = Int(text[text.index(after: e)...].replacingOccurrences(of: "+", with: "")) ?? 0
      }
      return Double("\(mantissa)e\(exponent + places)") ?? number
    }
    let start = precision != 0 ? shifted(value, by: precision) : value
    // JavaScript's Math.round: halves go up.
    var result = start.rounded(.down)
    if start - result >= 0.5 { result += 1 }
    if (result - start).magnitude == 0.5, result.truncatingRemainder(dividingBy: 2).magnitude == 1 {
      result -= 1
    }
    if precision != 0 { result = shifted(result, by: -precision) }
    return result == 0 ? 0 : result
  }

  /// `Number(text)` restricted to what jsonata's `$number` accepts.
  static func parseNumber(_ text: String) -> Double? {
    let trimmed = text
    if trimmed.hasPrefix("0x") || trimmed.hasPrefix("0X") {
      return UInt64(trimmed.dropFirst(2), radix: 16).map { Double($0) }
    }
    if trimmed.hasPrefix("0o") || trimmed.hasPrefix("0O") {
      return UInt64(trimmed.dropFirst(2), radix: 8).map { Double($0) }
    }
    if trimmed.hasPrefix("0b") || trimmed.hasPrefix("0B") {
      return UInt64(trimmed.dropFirst(2), radix: 2).map { Double($0) }
    }
    // -?(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?
    var scalars = Array(trimmed.utf8)[...]
    if scalars.first == UInt8(ascii: "-") { scalars = scalars.dropFirst() }
    func digits() -> Int {
      var count = 0
      while let c = scalars.first, c >= 0x30, c <= 0x39 {
        scalars = scalars.dropFirst()
        count += 1
      }
      return count
    }
    if digits() == 0 { return nil }
    if scalars.first == UInt8(ascii: ".") {
      scalars = scalars.dropFirst()
      if digits() == 0 { return nil }
    }
    if scalars.first == UInt8(ascii: "e") || scalars.first == UInt8(ascii: "E") {
      scalars = scalars.dropFirst()
      if scalars.first == UInt8(ascii: "+") || scalars.first == UInt8(ascii: "-") {
        scalars = scalars.dropFirst()
      }
      if digits() == 0 { return nil }
    }
    guard scalars.isEmpty, let value = Double(trimmed), value.isFinite else { return nil }
    return value
  }

  // MARK: - Arrays

  static let arrays: [NativeFunction] = [
    NativeFunction("append", "<xx:a>") { _, args, _ in
      Functions.append(arg(args, 0), arg(args, 1))
    },
    NativeFunction("exists", "<x:b>") { _, args, _ in .bool(arg(args, 0) != nil) },
    NativeFunction("reverse", "<a:a>") { _, args, _ in
      guard let list = items(args, 0) else { return nil }
      return .plainArray(list.reversed())
    },
    NativeFunction("shuffle", "<a:a>") { evaluator, args, _ in
      guard var list = items(args, 0) else { return nil }
      if list.count > 1 {
        for index in stride(from: list.count - 1, to: 0, by: -1) {
          let other = Int(evaluator.nextRandom() * Double(index + 1))
          list.swapAt(index, min(other, index))
        }
      }
      return .plainArray(list)
    },
    NativeFunction("distinct", "<x:x>") { _, args, _ in
      guard let value = arg(args, 0) else { return nil }
      guard case .array(let sequence) = value, sequence.items.count > 1 else { return value }
      var result: [Value] = []
      for item in sequence.items where !result.contains(where: { Operators.deepEqual($0, item) }) {
        result.append(item)
      }
      return .sequence(result)
    },
    NativeFunction("sort", "<af?:a>") { evaluator, args, context in
      guard let list = items(args, 0) else { return nil }
      if list.count <= 1 { return .plainArray(list) }
      if case .function? = arg(args, 1) {
        let sorted = try Functions.mergeSort(list) { a, b in
          Evaluator.boolean(try evaluator.apply(arg(args, 1), [a, b], nil, context.environment))
            == true
        }
        return .plainArray(sorted)
      }
      if list.allSatisfy({ $0.isNumber }) {
        return .plainArray(
          Functions.mergeSort(list) { ($0.numberValue ?? 0) > ($1.numberValue ?? 0) })
      }
      if list.allSatisfy({ $0.isString }) {
        return .plainArray(
          Functions.mergeSort(list) {
            Functions.compareStrings($0.stringValue ?? "", $1.stringValue ?? "") > 0
          })
      }
      throw JSONataError(code: "D3070", value: nil)
    },
    NativeFunction("zip", "<a+>", arity: 1) { _, args, _ in
      let lists = args.map { $0?.asItems ?? [] }
      let length = lists.map(\.count).min() ?? 0
      var result: [Value] = []
      for index in 0..<length { result.append(.plainArray(lists.map { $0[index] })) }
      return .plainArray(result)
    },
  ]

  // MARK: - Objects

  static let objects: [NativeFunction] = [
    NativeFunction("keys", "<x-:a<s>>") { _, args, _ in
      guard let value = arg(args, 0) else { return nil }
      var keys: [String] = []
      var seen: Set<String> = []
      for item in value.asItems {
        guard case .object(let box) = item else { continue }
        for key in box.keys where seen.insert(key).inserted { keys.append(key) }
      }
      return .sequence(keys.map(Value.string))
    },
    NativeFunction("lookup", "<x-s:x>") { _, args, _ in
      guard let key = str(args, 1) else { return nil }
      return Evaluator.lookup(arg(args, 0), key)
    },
    NativeFunction("spread", "<x-:a<o>>") { _, args, _ in
      guard let value = arg(args, 0) else { return nil }
      var result: [Value] = []
      for item in value.asItems {
        if case .object(let box) = item {
          for (key, member) in box.members {
            let single = ObjectBox()
            single.set(key, member)
            result.append(.object(single))
          }
        } else {
          result.append(item)
        }
      }
      return .sequence(result)
    },
    NativeFunction("merge", "<a<o>:o>") { _, args, _ in
      guard let list = items(args, 0) else { return nil }
      var capacity = 0
      for case .object(let box) in list { capacity += box.count }
      let result = ObjectBox(capacity: capacity)
      for item in list {
        guard case .object(let box) = item else { continue }
        for (key, member) in box.members { result.set(key, member) }
      }
      return .object(result)
    },
    NativeFunction("sift", "<o-f?:o>") { evaluator, args, context in
      guard case .object(let box)? = arg(args, 0), case .function(let function)? = arg(args, 1)
      else { return nil }
      let result = ObjectBox()
      for (key, member) in box.members {
        let keep = try evaluator.apply(
          arg(args, 1), Functions.arguments(function, member, .string(key), .object(box)), nil,
          context.environment)
        if Evaluator.boolean(keep) == true { result.set(key, member) }
      }
      return result.count == 0 ? nil : .object(result)
    },
    NativeFunction("each", "<o-f:a>") { evaluator, args, context in
      guard case .object(let box)? = arg(args, 0), case .function(let function)? = arg(args, 1)
      else { return nil }
      var result: [Value] = []
      for (key, member) in box.members {
        if let value = try evaluator.apply(
          arg(args, 1), Functions.arguments(function, member, .string(key), .object(box)), nil,
          context.environment)
        {
          result.append(value)
        }
      }
      return .sequence(result)
    },
    NativeFunction("type", "<x:s>") { _, args, _ in arg(args, 0).map { .string($0.typeName) } },
    NativeFunction("clone", "<(oa)-:o>") { _, args, _ in
      arg(args, 0).map { Functions.deepCopy($0) }
    },
  ]

  // MARK: - Higher-order

  static let higherOrder: [NativeFunction] = [
    NativeFunction("map", "<af>") { evaluator, args, context in
      guard let list = items(args, 0), case .function(let function)? = arg(args, 1) else {
        return nil
      }
      var result: [Value] = []
      let whole = Value.plainArray(list)
      for (index, item) in list.enumerated() {
        if let value = try evaluator.apply(
          arg(args, 1), Functions.arguments(function, item, .integer(index), whole), nil,
          context.environment)
        {
          result.append(value)
        }
      }
      return .sequence(result)
    },
    NativeFunction("filter", "<af>") { evaluator, args, context in
      guard let list = items(args, 0), case .function(let function)? = arg(args, 1) else {
        return nil
      }
      var result: [Value] = []
      let whole = Value.plainArray(list)
      for (index, item) in list.enumerated() {
        let keep = try evaluator.apply(
          arg(args, 1), Functions.arguments(function, item, .integer(index), whole), nil,
          context.environment)
        if Evaluator.boolean(keep) == true { result.append(item) }
      }
      return .sequence(result)
    },
    NativeFunction("single", "<af?>") { evaluator, args, context in
      guard let list = items(args, 0) else { return nil }
      var found: Value? = nil
      var hasFound = false
      let whole = Value.plainArray(list)
      for (index, item) in list.enumerated() {
        var keep = true
        if case .function(let function)? = arg(args, 1) {
          keep =
            Evaluator.boolean(
              try evaluator.apply(
                arg(args, 1), Functions.arguments(function, item, .integer(index), whole), nil,
                context.environment)) == true
        }
        if keep {
          if hasFound { throw JSONataError(code: "D3138", value: nil) }
          found = item
          hasFound = true
        }
      }
      if !hasFound { throw JSONataError(code: "D3139", value: nil) }
      return found
    },
    NativeFunction("reduce", "<afj?:j>") { evaluator, args, context in
      guard let list = items(args, 0), case .function(let function)? = arg(args, 1) else {
        return nil
      }
      let arity = function.arity
      if arity < 2 {
        throw JSONataError(code: "D3050", value: nil)
      }
      var accumulator: Value?
      var start = 0
      if let initial = arg(args, 2) {
        accumulator = initial
      } else if !list.isEmpty {
        accumulator = list[0]
        start = 1
      }
      let whole = Value.plainArray(list)
      var index = start
      while index < list.count {
        var callArguments: [Value?] = [accumulator, list[index]]
        if arity >= 3 { callArguments.append(.integer(index)) }
        if arity >= 4 { callArguments.append(whole) }
        accumulator = try evaluator.apply(arg(args, 1), callArguments, nil, context.environment)
        index += 1
      }
      return accumulator
    },
  ]

  // MARK: - Booleans, errors

  static let misc: [NativeFunction] = [
    NativeFunction("boolean", "<x-:b>") { _, args, _ in
      Evaluator.boolean(arg(args, 0)).map { .bool($0) }
    },
    NativeFunction("not", "<x-:b>") { _, args, _ in
      Evaluator.boolean(arg(args, 0)).map { .bool(!$0) }
    },
    NativeFunction("error", "<s?:x>") { _, args, _ in
      throw JSONataError(
        code: "D3137", value: nil, message: str(args, 0) ?? "$error() function evaluated")
    },
    NativeFunction("assert", "<bs?:x>") { _, args, _ in
      if Evaluator.boolean(arg(args, 0)) != true {
        throw JSONataError(
          code: "D3141", value: nil, message: str(args, 1) ?? "$assert() statement failed")
      }
      return nil
    },
  ]
}
