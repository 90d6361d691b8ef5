import StepFunctionsRegex
import Synchronization

/// A function signature such as `<s-n?:s>`: the types of the parameters, which may be
/// optional (`?`), repeated (`+`) or taken from the context (`-`).
///
/// Arguments are checked as jsonata-js does: each argument becomes a letter (`n`, `s`, `b`,
/// `l`, `a`, `o`, `f`, or `m` when undefined) and the letters are matched against a pattern
/// built from the signature.
final class Signature: Sendable {
  struct Parameter: Sendable {
    var type: Character
    var pattern: String
    var array = false
    var subtype: String?
    var context = false
    var contextPattern: RegularExpression?
    /// The argument letters ``contextPattern`` accepts, as bits by ``Value/signatureRank``
    /// (bit 7: undefined), found once rather than matched at every call.
    var contextLetters: UInt8 = 0
  }

  /// The signature letters in the order of ``Value/signatureRank``, then undefined (`m`).
  private static let lettersByRank: [Character] = ["l", "b", "n", "s", "a", "o", "f", "m"]

  let parameters: [Parameter]
  private let matcher: RegularExpression?
  let text: String
  /// What the pattern matched for each parameter, by argument letters: a function is called
  /// with a handful of argument-type combinations, and matching the pattern each time cost
  /// more than the call.
  private let matches = MatchCache()

  /// Signatures already parsed, by text (at most 256 kept): host functions are made again for
  /// every execution (AWS's six), and parsing a signature compiles regular expressions.
  private static let parsedSignatures = Mutex<[String: Signature]>([:])

  /// The signature `text`, parsed once.
  static func parsed(_ text: String) throws(JSONataError) -> Signature {
    if let known = parsedSignatures.withLock({ $0[text] }) { return known }
    let signature = try Signature(text)
    parsedSignatures.withLock { known in
      if known.count < 256 { known[text] = signature }
    }
    return signature
  }

  /// The groups the pattern matched, by argument letters (at most ``limit`` kept), each
  /// group as the ASCII letters it matched. The letters are keyed packed into an integer
  /// (``MatchCache/key(_:)``) so that a call does not build a string to look its match up.
  final class MatchCache: Sendable {
    static let limit = 64
    /// The most arguments whose letters fit in a key (three bits each, after a marker bit).
    static let maximumKeyedArguments = 20
    private let entries = Mutex<[UInt64: [[UInt8]]]>([:])

    /// The key of the argument letters of `arguments`, or nil when there are too many.
    static func key(_ arguments: [Value?]) -> UInt64? {
      guard arguments.count <= maximumKeyedArguments else { return nil }
      var key: UInt64 = 1
      for argument in arguments { key = key << 3 | UInt64(argument?.signatureRank ?? 7) }
      return key
    }

    func groups(_ key: UInt64) -> [[UInt8]]? { entries.withLock { $0[key] } }

    func store(_ groups: [[UInt8]], _ key: UInt64) {
      entries.withLock { entries in
        if entries.count < Self.limit { entries[key] = groups }
      }
    }
  }

  init(_ text: String) throws(JSONataError) {
    self.text = text
    var parameters: [Parameter] = []
    let characters = Array(text)
    var position = 1
    var current: Parameter?
    var previousType: Character = " "
    func finish() {
      if let current { parameters.append(current) }
      current = nil
    }
    while position < characters.count {
      let symbol = characters[position]
      if symbol == ":" { break }
      switch symbol {
      case "s", "n", "b", "l", "o":
        finish()
        current = Parameter(type: symbol, pattern: "[\(symbol)m]")
        previousType = symbol
      case "a":
        finish()
        current = Parameter(type: "a", pattern: "[asnblfom]", array: true)
        previousType = "a"
      case "f":
        finish()
        current = Parameter(type: "f", pattern: "f")
        previousType = "f"
      case "j":
        finish()
        current = Parameter(type: "j", pattern: "[asnblom]")
        previousType = "j"
      case "x":
        finish()
        current = Parameter(type: "x", pattern: "[asnblfom]")
        previousType = "x"
      case "u":
        finish()
        current = Parameter(type: "u", pattern: "[snblm]")
        previousType = "u"
      case "(":
        finish()
        guard let close = characters[position...].firstIndex(of: ")") else {
          throw JSONataError(code: "S0402", position: position)
        }
        let choice = String(characters[(position + 1)..<close])
        if choice.contains("<") {
          throw JSONataError(code: "S0402", position: position)
        }
        current = Parameter(type: "(", pattern: "[\(choice)m]")
        previousType = "("
        position = close
      case "<":
        guard previousType == "a" || previousType == "f", current != nil else {
          throw JSONataError(code: "S0401", position: position)
        }
        var depth = 1
        var end = position + 1
        while end < characters.count, depth > 0 {
          if characters[end] == "<" { depth += 1 }
          if characters[end] == ">" { depth -= 1 }
          end += 1
        }
        let inner = String(characters[(position + 1)..<(end - 1)])
        if previousType == "a" { current?.subtype = inner }
        position = end - 1
      case "?", "+":
        current?.pattern += String(symbol)
      case "-":
        if let parameter = current {
          current?.context = true
          let contextPattern = try? RegularExpression(
            "^" + parameter.pattern + "$", flavor: .javaScript)
          current?.contextPattern = contextPattern
          if let contextPattern {
            for (rank, letter) in Self.lettersByRank.enumerated()
            where contextPattern.matchesWhole(String(letter)) {
              current?.contextLetters |= 1 << rank
            }
          }
          current?.pattern += "?"
        }
      case ">", " ":
        break
      default:
        throw JSONataError(
          code: "S0401", position: position, message: "Unknown type \(symbol) in signature")
      }
      position += 1
    }
    finish()
    self.parameters = parameters
    let whole = "^" + parameters.map { "(\($0.pattern))" }.joined() + "$"
    matcher = try? RegularExpression(whole, flavor: .javaScript)
  }

  /// Checks and adapts the arguments of a call: wraps single values where an array is
  /// expected, supplies the context for a `-` parameter. Throws T0410, T0411 or T0412.
  func validate(_ arguments: [Value?], context: Value?) throws(JSONataError) -> [Value?] {
    let key = MatchCache.key(arguments)
    let groups: [[UInt8]]
    if let key, let cached = matches.groups(key) {
      groups = cached
    } else {
      let supplied = String(arguments.map { $0?.signatureSymbol ?? "m" })
      guard let matcher, let match = matcher.wholeMatch(in: supplied) else {
        throw validationError(arguments, supplied)
      }
      groups = parameters.indices.map { match[$0 + 1].map { Array(supplied[$0].utf8) } ?? [] }
      if let key { matches.store(groups, key) }
    }
    var validated: [Value?] = []
    validated.reserveCapacity(parameters.count)
    var argumentIndex = 0
    for (index, parameter) in parameters.enumerated() {
      let matched = groups[index]
      if matched.isEmpty {
        if parameter.context, parameter.contextPattern != nil {
          let rank = context?.signatureRank ?? 7
          if parameter.contextLetters & (1 << rank) != 0 {
            validated.append(context)
          } else {
            throw JSONataError(
              code: "T0411", value: context?.json(),
              message:
                "Context value is not a compatible type with argument \(argumentIndex + 1) of function {{token}}"
            )
          }
        } else {
          validated.append(argumentIndex < arguments.count ? arguments[argumentIndex] : nil)
          argumentIndex += 1
        }
        continue
      }
      for single in matched {
        let argument = argumentIndex < arguments.count ? arguments[argumentIndex] : nil
        if parameter.type == "a" {
          if single == Self.undefinedLetter {
            validated.append(nil)
          } else {
            guard let argument else {
              validated.append(nil)
              argumentIndex += 1
              continue
            }
            if let subtype = parameter.subtype {
              var arrayOK = true
              if single != Self.arrayLetter, !matched.elementsEqual(subtype.utf8) {
                arrayOK = false
              } else if single == Self.arrayLetter, case .array(let sequence) = argument,
                let first = sequence.items.first
              {
                let itemRank = first.signatureRank
                if subtype.first != Self.lettersByRank[Int(itemRank)] {
                  arrayOK = false
                } else {
                  arrayOK = sequence.items.allSatisfy { $0.signatureRank == itemRank }
                }
              }
              if !arrayOK {
                throw JSONataError(
                  code: "T0412", value: argument.json(),
                  message:
                    "Argument \(argumentIndex + 1) of function {{token}} must be an array of \(Signature.typeNames[subtype] ?? subtype)"
                )
              }
            }
            validated.append(single == Self.arrayLetter ? argument : .plainArray([argument]))
          }
          argumentIndex += 1
        } else {
          validated.append(argument)
          argumentIndex += 1
        }
      }
    }
    return validated
  }

  private static let arrayLetter = UInt8(ascii: "a")
  private static let undefinedLetter = UInt8(ascii: "m")

  private static let typeNames: [String: String] = [
    "a": "arrays", "b": "booleans", "f": "functions", "n": "numbers", "o": "objects",
    "s": "strings",
  ]

  private func validationError(_ arguments: [Value?], _ supplied: String) -> JSONataError {
    var partial = "^"
    var goodTo = 0
    for parameter in parameters {
      partial += parameter.pattern
      guard let regex = try? RegularExpression(partial, flavor: .javaScript),
        let match = regex.firstMatch(in: supplied)
      else {
        return mismatch(arguments, goodTo)
      }
      goodTo = supplied.distance(from: supplied.startIndex, to: match.range.upperBound)
    }
    return mismatch(arguments, goodTo)
  }

  private func mismatch(_ arguments: [Value?], _ index: Int) -> JSONataError {
    let value = index < arguments.count ? arguments[index] : nil
    return JSONataError(
      code: "T0410", value: value?.json(),
      message: "Argument \(index + 1) of function {{token}} does not match function signature")
  }
}
