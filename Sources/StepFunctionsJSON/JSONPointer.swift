/// A JSON Pointer (RFC 6901): a path of reference tokens into a JSON value, written
/// `/States/Transcode/Retry/0/BackoffRate`. The empty pointer (`""`) is the whole document.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible, ExpressibleByArrayLiteral {
  /// The unescaped reference tokens, outermost first.
  public var tokens: [String]

  /// Creates a pointer from unescaped tokens.
  public init(_ tokens: [String] = []) { self.tokens = tokens }

  /// Creates a pointer from unescaped tokens.
  public init(arrayLiteral elements: String...) { tokens = elements }

  /// Parses the RFC 6901 string form (`""` or `/a/b~1c`). Returns `nil` when the text does not
  /// start with `/` or has a `~` not followed by `0` or `1`.
  public init?(parsing text: String) {
    if text.isEmpty {
      tokens = []
      return
    }
    // RFC 6901 works on code points: split and unescape Unicode scalars, not Characters, so a
    // `/` or `~` followed by a combining mark is still a separator or an escape.
    var scalars = text.unicodeScalars.makeIterator()
    guard scalars.next() == "/" else { return nil }
    var result: [String] = []
    var token = String.UnicodeScalarView()
    while let scalar = scalars.next() {
      switch scalar {
      case "/":
        result.append(String(token))
        token = String.UnicodeScalarView()
      case "~":
        switch scalars.next() {
        case "0": token.append("~")
        case "1": token.append("/")
        default: return nil
        }
      default:
        token.append(scalar)
      }
    }
    result.append(String(token))
    tokens = result
  }

  /// The pointer one level down, at a member key.
  public func appending(_ key: String) -> JSONPointer { JSONPointer(tokens + [key]) }

  /// The pointer one level down, at an array index.
  public func appending(_ index: Int) -> JSONPointer { JSONPointer(tokens + [String(index)]) }

  /// The pointer one level up, or `nil` for the root.
  public var parent: JSONPointer? { tokens.isEmpty ? nil : JSONPointer(Array(tokens.dropLast())) }

  /// The RFC 6901 string form.
  public var description: String {
    var text = ""
    for token in tokens {
      text.append("/")
      text.append(JSONPointer.escape(token))
    }
    return text
  }

  /// Escapes one reference token (`~` → `~0`, `/` → `~1`).
  public static func escape(_ token: String) -> String {
    guard token.utf8.contains(where: { $0 == 0x7E || $0 == 0x2F }) else { return token }
    var escaped = String.UnicodeScalarView()
    for scalar in token.unicodeScalars {
      switch scalar {
      case "~": escaped.append(contentsOf: "~0".unicodeScalars)
      case "/": escaped.append(contentsOf: "~1".unicodeScalars)
      default: escaped.append(scalar)
      }
    }
    return String(escaped)
  }

  /// The value this pointer designates in `value`, or `nil` if it designates nothing.
  public func resolve(in value: JSON) -> JSON? {
    var current = value
    for token in tokens {
      switch current {
      case .object(let object):
        guard let next = object[token] else { return nil }
        current = next
      case .array(let array):
        guard let index = JSONPointer.arrayIndex(token), index < array.count else { return nil }
        current = array[index]
      default:
        return nil
      }
    }
    return current
  }

  /// The array index a token denotes: decimal digits, no leading zero unless it is `0`.
  static func arrayIndex(_ token: String) -> Int? {
    let utf8 = token.utf8
    guard let first = utf8.first, utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    if first == 0x30 && utf8.count > 1 { return nil }
    return Int(token)
  }
}
