import StepFunctions

/// A property every explored path must have, with the text that names it in reports.
///
/// Build one in code from the conditions and combinators below, with a closure, or from the
/// small language `sfn explore --expect` takes (``init(parsing:)``):
///
/// ```
/// property  := either [ "=>" either ]          A => B: every path with A has B
/// either    := both { "or" both }
/// both      := unary { "and" unary }
/// unary     := "not" unary | "(" property ")" | condition
/// condition := "enters" names                 the path enters one of the states
///            | "ends-in" names                the last state the path entered is one of them
///            | "status" names                 SUCCEEDED, FAILED, TIMED_OUT, ABORTED, RUNNING, TRUNCATED
///            | "error" names                  the path ended with one of these errors
/// names     := name { "|" name }              a name is a word or a "quoted string"
/// ```
///
/// For example `status SUCCEEDED or error VideoProcessingFailed|InvalidVideo` (every path succeeds
/// or fails with one of the two errors) and `enters TranscodeVideo => enters NotifyFailure|Published`.
public struct ExplorationProperty: Sendable, CustomStringConvertible {
  /// The property in the `--expect` language (or the name given to ``init(_:holds:)``).
  public var description: String
  /// The state names the property mentions (`enters`, `ends-in`), to check them against a
  /// definition.
  public var stateNames: [String]
  private let check: @Sendable (ExploredPath) -> Bool
  /// Whether the description needs parentheses inside `and`, `or`, `not` or `=>`.
  private var isCompound: Bool

  /// Creates a property from a closure; `name` is what reports call it.
  public init(_ name: String, holds: @escaping @Sendable (ExploredPath) -> Bool) {
    self.init(name, stateNames: [], isCompound: false, check: holds)
  }

  private init(
    _ description: String, stateNames: [String], isCompound: Bool,
    check: @escaping @Sendable (ExploredPath) -> Bool
  ) {
    self.description = description
    self.stateNames = stateNames
    self.isCompound = isCompound
    self.check = check
  }

  /// Whether `path` has the property.
  public func holds(_ path: ExploredPath) -> Bool { check(path) }

  /// The path enters one of the states.
  public static func enters(_ names: [String]) -> ExplorationProperty {
    ExplorationProperty("enters " + list(names), stateNames: names, isCompound: false) { path in
      path.states.contains { names.contains($0) }
    }
  }

  /// The last state the path entered is one of these.
  public static func endsIn(_ names: [String]) -> ExplorationProperty {
    ExplorationProperty("ends-in " + list(names), stateNames: names, isCompound: false) { path in
      path.states.last.map { names.contains($0) } ?? false
    }
  }

  /// The path ended with one of these statuses (`SUCCEEDED`, `FAILED`, ..., `TRUNCATED`).
  public static func statusIs(_ statuses: [ExploredPath.Status]) -> ExplorationProperty {
    ExplorationProperty(
      "status " + list(statuses.map(\.rawValue)), stateNames: [], isCompound: false
    ) { path in statuses.contains(path.status) }
  }

  /// The path ended with one of these errors.
  public static func errorIs(_ errors: [String]) -> ExplorationProperty {
    ExplorationProperty("error " + list(errors), stateNames: [], isCompound: false) { path in
      path.error.map { errors.contains($0) } ?? false
    }
  }

  /// Both hold.
  public func and(_ other: ExplorationProperty) -> ExplorationProperty {
    let (first, second) = (self, other)
    return ExplorationProperty(
      "\(first.wrapped) and \(second.wrapped)", stateNames: first.stateNames + second.stateNames,
      isCompound: true
    ) { first.holds($0) && second.holds($0) }
  }

  /// One of them holds.
  public func or(_ other: ExplorationProperty) -> ExplorationProperty {
    let (first, second) = (self, other)
    return ExplorationProperty(
      "\(first.wrapped) or \(second.wrapped)", stateNames: first.stateNames + second.stateNames,
      isCompound: true
    ) { first.holds($0) || second.holds($0) }
  }

  /// Where this holds, `other` holds too.
  public func implies(_ other: ExplorationProperty) -> ExplorationProperty {
    let (first, second) = (self, other)
    return ExplorationProperty(
      "\(first.wrapped) => \(second.wrapped)", stateNames: first.stateNames + second.stateNames,
      isCompound: true
    ) { !first.holds($0) || second.holds($0) }
  }

  /// It does not hold.
  public var negated: ExplorationProperty {
    let inner = self
    return ExplorationProperty(
      "not \(inner.wrapped)", stateNames: inner.stateNames, isCompound: false
    ) { !inner.holds($0) }
  }

  private var wrapped: String { isCompound ? "(\(description))" : description }

  private static func list(_ names: [String]) -> String {
    names.map { name in
      let plain =
        !name.isEmpty
        && name.unicodeScalars.allSatisfy { !" \t\n\"|()".unicodeScalars.contains($0) }
        && !["or", "and", "not", "=>"].contains(name)
      return plain ? name : "\"" + name.map { $0 == "\"" ? "\\\"" : String($0) }.joined() + "\""
    }.joined(separator: "|")
  }

  /// Parses a property of the `--expect` language (see the type's summary).
  ///
  /// - Throws: ``ExplorationPropertySyntaxError`` with the position of the problem.
  public init(parsing text: String) throws(ExplorationPropertySyntaxError) {
    var parser = PropertyParser(text: text)
    self = try parser.parseWhole()
  }
}

/// Why a property text could not be parsed.
public struct ExplorationPropertySyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong.
  public var message: String
  /// The character offset (from 0) where the problem is.
  public var offset: Int

  /// Creates an error.
  public init(message: String, offset: Int) {
    self.message = message
    self.offset = offset
  }

  /// `message (at character N)`.
  public var description: String { "\(message) (at character \(offset + 1))" }
}

/// A recursive-descent parser of the property language.
private struct PropertyParser {
  enum Token: Equatable {
    case word(String)
    case quoted(String)
    case bar
    case arrow
    case open
    case close
    case end
  }

  var tokens: [(Token, Int)] = []
  var position = 0
  let text: String
  var lexError: ExplorationPropertySyntaxError?
  var depth = 0

  init(text: String) {
    self.text = text
    let characters = Array(text)
    var index = 0
    while index < characters.count {
      let character = characters[index]
      if character.isWhitespace {
        index += 1
      } else if character == "|" {
        tokens.append((.bar, index))
        index += 1
      } else if character == "(" {
        tokens.append((.open, index))
        index += 1
      } else if character == ")" {
        tokens.append((.close, index))
        index += 1
      } else if character == "=", index + 1 < characters.count, characters[index + 1] == ">" {
        tokens.append((.arrow, index))
        index += 2
      } else if character == "\"" {
        let start = index
        var value = ""
        index += 1
        var closed = false
        while index < characters.count {
          if characters[index] == "\\", index + 1 < characters.count {
            value.append(characters[index + 1])
            index += 2
          } else if characters[index] == "\"" {
            closed = true
            index += 1
            break
          } else {
            value.append(characters[index])
            index += 1
          }
        }
        if !closed {
          lexError = ExplorationPropertySyntaxError(
            message: "The quoted name is not closed", offset: start)
          break
        }
        tokens.append((.quoted(value), start))
      } else {
        let start = index
        var word = ""
        while index < characters.count, !characters[index].isWhitespace,
          !"|()\"".contains(characters[index]),
          !(characters[index] == "=" && index + 1 < characters.count
            && characters[index + 1] == ">")
        {
          word.append(characters[index])
          index += 1
        }
        tokens.append((.word(word), start))
      }
    }
    tokens.append((.end, characters.count))
  }

  var current: Token { tokens[min(position, tokens.count - 1)].0 }
  var offset: Int { tokens[min(position, tokens.count - 1)].1 }

  func failure(_ message: String) -> ExplorationPropertySyntaxError {
    ExplorationPropertySyntaxError(message: message, offset: offset)
  }

  mutating func parseWhole() throws(ExplorationPropertySyntaxError) -> ExplorationProperty {
    if let lexError { throw lexError }
    let property = try parseProperty()
    guard current == .end else { throw failure("Unexpected \(describe(current))") }
    return property
  }

  mutating func parseProperty() throws(ExplorationPropertySyntaxError) -> ExplorationProperty {
    let condition = try parseEither()
    guard current == .arrow else { return condition }
    position += 1
    return condition.implies(try parseEither())
  }

  mutating func parseEither() throws(ExplorationPropertySyntaxError) -> ExplorationProperty {
    var property = try parseBoth()
    while current == .word("or") {
      position += 1
      property = property.or(try parseBoth())
    }
    return property
  }

  mutating func parseBoth() throws(ExplorationPropertySyntaxError) -> ExplorationProperty {
    var property = try parseUnary()
    while current == .word("and") {
      position += 1
      property = property.and(try parseUnary())
    }
    return property
  }

  mutating func parseUnary() throws(ExplorationPropertySyntaxError) -> ExplorationProperty {
    depth += 1
    defer { depth -= 1 }
    guard depth <= 64 else { throw failure("The property nests too deeply") }
    switch current {
    case .word("not"):
      position += 1
      return try parseUnary().negated
    case .open:
      position += 1
      let inner = try parseProperty()
      guard current == .close else { throw failure("Expected ')'") }
      position += 1
      return inner
    case .word(let keyword):
      guard ["enters", "ends-in", "error", "status"].contains(keyword) else {
        throw failure(
          "Unknown condition '\(keyword)'; expected enters, ends-in, status, error, not or '('")
      }
      position += 1
      let names = try parseNames(after: keyword)
      switch keyword {
      case "enters": return .enters(names)
      case "ends-in": return .endsIn(names)
      case "error": return .errorIs(names)
      case "status":
        var statuses: [ExploredPath.Status] = []
        for name in names {
          guard let status = ExploredPath.Status(rawValue: name.uppercased()) else {
            throw ExplorationPropertySyntaxError(
              message:
                "Unknown status '\(name)'; expected one of \(ExploredPath.Status.allCases.map(\.rawValue).joined(separator: ", "))",
              offset: tokens[position - 1].1)
          }
          statuses.append(status)
        }
        return .statusIs(statuses)
      default:
        return .enters(names)  // Not reached: the keyword was checked above.
      }
    default:
      throw failure(
        "Expected a condition (enters, ends-in, status, error, not or '('), got \(describe(current))"
      )
    }
  }

  mutating func parseNames(after keyword: String) throws(ExplorationPropertySyntaxError)
    -> [String]
  {
    var names: [String] = []
    while true {
      switch current {
      case .word(let name) where !["or", "and", "not"].contains(name):
        names.append(name)
      case .quoted(let name):
        names.append(name)
      default:
        throw failure("Expected a name after '\(names.isEmpty ? keyword : "|")'")
      }
      position += 1
      guard current == .bar else { return names }
      position += 1
    }
  }

  func describe(_ token: Token) -> String {
    switch token {
    case .word(let word): return "'\(word)'"
    case .quoted(let word): return "\"\(word)\""
    case .bar: return "'|'"
    case .arrow: return "'=>'"
    case .open: return "'('"
    case .close: return "')'"
    case .end: return "the end of the property"
    }
  }
}
