import StepFunctionsJSON
import StepFunctionsJSONata

/// An Amazon States Language path, parsed once from its text and never re-parsed.
///
/// ASL paths use the JSONPath dialect of Jayway JsonPath, which the ASL specification names as its
/// reference. A path starts at one of three roots:
///
/// - `$` — the current document (a state's input, or a task's result for `ResultSelector`),
/// - `$$` — the Context Object,
/// - `$name` — the value of the state machine variable `name`.
///
/// and continues with segments: dot names (`.a`, with the spec's backslash escapes such as
/// `.store\.book`), bracket names (`['a']`, `["a"]`), indexes (`[0]`, `[-1]`), unions
/// (`[0,1]`, `['a','b']`), slices (`[1:3]`), wildcards (`.*`, `[*]`), recursive descent
/// (`..name`, `..*`, `..[0]`), filters (`[?(@.price < 10)]`) and, last, a Jayway function
/// (`.length()`).
///
/// ```swift
/// let path = try JSONPath(parsing: "$.orders[0].total")
/// path.isDefinite                 // true
/// path.referencePathViolation     // nil: usable as ResultPath, ItemsPath, ...
/// path.canonicalDescription       // "$['orders'][0]['total']"
/// ```
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
  /// Where a path starts.
  public enum Root: Sendable, Hashable {
    /// `$`: the current document (state input, task result, ...).
    case document
    /// `$$`: the Context Object.
    case context
    /// `$name`: the value of a state machine variable.
    case variable(String)
    /// `@`: the node a filter is testing. Appears only in paths inside filters.
    case current
  }

  /// The text the path was parsed from, exactly as written.
  public let text: String
  /// Where the path starts.
  public let root: Root
  /// The segments after the root, in order.
  public let segments: [JSONPathSegment]
  /// Whether the path can only ever select a single node: no wildcard, recursive descent,
  /// index or name union, slice, or filter. A path ending in a function is definite when the
  /// part before the function is. A name union at the very end (`$['a','b']`) is definite too,
  /// because Jayway merges the named members into one object there.
  public let isDefinite: Bool
  /// The position of the first segment that is not definite, or `segments.count` when every
  /// segment is. Evaluation uses it to decide when a missing member is an error.
  public let firstIndefiniteSegment: Int

  /// How deeply a path may nest filters (`[?( ... )]`), parentheses, `!` negations and array or
  /// object literals inside filters, counted together: 32.
  ///
  /// Parsing, evaluating and comparing a filter recurse once per level, so a bound keeps them
  /// far from the end of the stack (`$[?(@[?(@[?(`... 4,000 levels deep would otherwise
  /// overflow it). Chains of `&&` and `||` do not count: they are kept as balanced trees. Real
  /// paths use a few levels.
  public static let maximumNestingDepth = 32

  /// How many segments may follow a path's root (and the `@` or `$` of a path inside a filter):
  /// 256. Evaluation and `ResultPath` placement take one step per segment, and a `ResultPath`
  /// of *n* names nests the result *n* levels deep.
  public static let maximumSegmentCount = 256

  /// Parses a path.
  ///
  /// - Throws: ``JSONPathSyntaxError`` with a message and the character offset of the problem.
  ///   Paths nested past ``maximumNestingDepth`` or longer than ``maximumSegmentCount`` are
  ///   syntax errors at the character where the limit is passed.
  public init(parsing text: String) throws(JSONPathSyntaxError) {
    // The parser recurses a dozen frames per level of nesting; in a debug build a level takes
    // over 11 KiB of stack, so the 32 levels allowed would nearly fill a 512 KiB secondary
    // thread (Apple platforms). Text that could nest that deep is parsed on a large stack.
    if Self.mayNestDeeply(text) {
      let outcome = try? LargeStack.run {
        Result { () throws(JSONPathSyntaxError) -> JSONPath in try Self.parse(text) }
      }
      guard let outcome else {
        throw JSONPathSyntaxError(message: "the path could not be parsed", offset: 0, text: text)
      }
      self = try outcome.get()
      return
    }
    self = try Self.parse(text)
  }

  /// Parses `text` on the caller's stack.
  static func parse(_ text: String) throws(JSONPathSyntaxError) -> JSONPath {
    var parser = JSONPathParser(text)
    let parsed = try parser.parseTopLevel()
    return JSONPath(text: text, root: parsed.root, segments: parsed.segments)
  }

  /// Whether `text` opens more than 8 filters, parentheses, negations or literals: only then
  /// can its nesting take more stack than any caller has to spare.
  static func mayNestDeeply(_ text: String) -> Bool {
    var openers = 0
    for byte in text.utf8
    where byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[")
      || byte == UInt8(ascii: "!") || byte == UInt8(ascii: "{")
    {
      openers += 1
      if openers > 8 { return true }
    }
    return false
  }

  init(text: String, root: Root, segments: [JSONPathSegment]) {
    self.text = text
    self.root = root
    self.segments = segments
    var firstIndefinite = segments.count
    for (index, segment) in segments.enumerated() {
      let isLast = index == segments.count - 1
      if !segment.isDefinite(atEnd: isLast) {
        firstIndefinite = index
        break
      }
    }
    self.firstIndefiniteSegment = firstIndefinite
    self.isDefinite = firstIndefinite == segments.count
  }

  /// The path text.
  public var description: String { text }

  /// Whether the path ends in a function such as `.length()`.
  public var endsInFunction: Bool {
    if case .function = segments.last { return true }
    return false
  }

  /// Whether the path is a valid ASL Reference Path (see ``referencePathViolation``).
  public var isReferencePath: Bool { referencePathViolation == nil }

  /// Why the path is not a Reference Path, or `nil` when it is one.
  ///
  /// A Reference Path identifies a single node: after its root (`$`, `$$` or a variable) it may
  /// only have member names, in dot (`.name`) or bracket (`['name']`) notation, and single
  /// integer indexes (`[0]`, `[-1]`). The ASL specification excludes the operators `@`, `,`, `:`
  /// and `?`; the AWS documentation also excludes functions such as `length()` and filters; `*`
  /// and `..` can select several nodes, so they are excluded as well.
  ///
  /// Field-specific rules (for example that `ResultPath` must start with `$` and not `$$` or a
  /// variable) are left to the validator, which can read ``root``.
  public var referencePathViolation: String? {
    for segment in segments {
      switch segment {
      case .name, .index:
        continue
      case .names:
        return "a Reference Path cannot use a union of names (',')"
      case .indices:
        return "a Reference Path cannot use a union of indexes (',')"
      case .slice:
        return "a Reference Path cannot use an array slice (':')"
      case .wildcard:
        return "a Reference Path cannot use a wildcard ('*')"
      case .descendant:
        return "a Reference Path cannot use recursive descent ('..')"
      case .filter:
        return "a Reference Path cannot use a filter ('?')"
      case .function(let function):
        return "a Reference Path cannot call a function ('\(function.rawValue)()')"
      }
    }
    return nil
  }

  /// The path as Jayway JsonPath prints it, which is the form AWS uses in error messages:
  /// `$.a.b[0]` is `$['a']['b'][0]`, `$..x[*]` is `$..['x'][*]`, a filter is `[?]`.
  ///
  /// Every root prints as `$`: AWS evaluates `$$` paths and variable paths as `$` paths applied
  /// to the Context Object or the variable's value.
  public var canonicalDescription: String { canonicalDescription(throughSegment: segments.count) }

  /// The canonical form of the root and the first `count` segments.
  public func canonicalDescription(throughSegment count: Int) -> String {
    var output = root == .current ? "@" : "$"
    for segment in segments.prefix(count) { segment.appendCanonical(to: &output) }
    return output
  }
}

/// One step of a ``JSONPath`` after its root.
public enum JSONPathSegment: Sendable, Hashable {
  /// A member name: `.name`, `['name']` or `["name"]`.
  case name(String)
  /// Two or more member names: `['a','b']`. At the end of a path Jayway merges the named members
  /// that exist into one object; elsewhere it visits each.
  case names([String])
  /// One array index, negative counting from the end: `[0]`, `[-1]`.
  case index(Int)
  /// Two or more array indexes: `[0,2]`.
  case indices([Int])
  /// An array slice: `[1:3]`, `[:2]`, `[-2:]`.
  case slice(JSONPathSlice)
  /// Every member value of an object or element of an array: `.*` or `[*]`.
  case wildcard
  /// A filter: `[?(@.price < 10)]`.
  case filter(JSONPathFilter)
  /// Recursive descent followed by a selector: `..name`, `..*`, `..[0]`, `..[?(...)]`.
  indirect case descendant(JSONPathSegment)
  /// A Jayway function applied to what the path selected so far: `.length()`.
  case function(JSONPathFunction)

  /// Whether this segment selects at most one node (with `atEnd` telling whether it is the
  /// last segment, which matters for name unions).
  public func isDefinite(atEnd: Bool) -> Bool {
    switch self {
    case .name, .index, .function: return true
    case .names: return atEnd
    case .indices, .slice, .wildcard, .filter, .descendant: return false
    }
  }

  /// Appends the Jayway form of this segment.
  func appendCanonical(to output: inout String) {
    switch self {
    case .name(let name):
      output += "['"
      output += name
      output += "']"
    case .names(let names):
      output += "["
      output += names.map { "'\($0)'" }.joined(separator: ",")
      output += "]"
    case .index(let index):
      output += "[\(index)]"
    case .indices(let indices):
      output += "[" + indices.map(String.init).joined(separator: ",") + "]"
    case .slice(let slice):
      output += slice.canonicalDescription
    case .wildcard:
      output += "[*]"
    case .filter:
      output += "[?]"
    case .descendant(let selector):
      output += ".."
      selector.appendCanonical(to: &output)
    case .function(let function):
      output += "." + function.rawValue + "()"
    }
  }

  /// The Jayway form of this segment alone (`['a']`, `[0]`, `[*]`, ...).
  public var canonicalFragment: String {
    var output = ""
    appendCanonical(to: &output)
    return output
  }
}

/// An array slice `[start:end]`.
///
/// Jayway reads a step (`[0:10:2]`) but ignores it, and so does evaluation here; it is kept so
/// that the syntax is not lost.
public struct JSONPathSlice: Sendable, Hashable {
  /// The first index, negative counting from the end; `nil` means from the start.
  public var start: Int?
  /// The index to stop before; `nil` means to the end.
  public var end: Int?
  /// The step as written, which Jayway ignores.
  public var step: Int?

  /// Creates a slice.
  public init(start: Int?, end: Int?, step: Int? = nil) {
    self.start = start
    self.end = end
    self.step = step
  }

  /// Jayway's form: `[1:3]`, `[:2]`, `[-2:]` (the step is not printed).
  public var canonicalDescription: String {
    "[" + (start.map(String.init) ?? "") + ":" + (end.map(String.init) ?? "") + "]"
  }
}

/// A Jayway path function, written at the end of a path: `$.items.length()`.
public enum JSONPathFunction: String, Sendable, Hashable, CaseIterable {
  /// The number of elements of an array, members of an object or UTF-16 units of a string.
  case length
  /// Same as ``length``.
  case size
  /// The smallest number in an array.
  case min
  /// The largest number in an array.
  case max
  /// The mean of the numbers in an array.
  case avg
  /// The population standard deviation of the numbers in an array.
  case stddev
  /// The sum of the numbers in an array.
  case sum
  /// The keys of an object.
  case keys
  /// The first element of an array.
  case first
  /// The last element of an array.
  case last
}
