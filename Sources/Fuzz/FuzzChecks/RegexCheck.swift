import FuzzSupport
import StepFunctionsRegex

/// The checks of the `FuzzRegex` target: the linear-time regular-expression engine
/// (``RegularExpression``), in its Java and JavaScript flavours, on a fuzzed pattern and subject.
///
/// Input: a line of flags, a line with the pattern, then the subject (the rest, newlines
/// included). The flags line starts with `js` for the JavaScript flavour (anything else: Java),
/// and its letters `i`, `m`, `s`, `u`, `x`, `d` after the first space set ``RegularExpression/Options``
/// (`java imsu`, `js u`). Without a second newline the subject is empty.
///
/// Invariants: a rejected pattern has a message and an offset inside it; an accepted one keeps
/// its pattern, flavour and options, and its answers agree with each other: `hasMatch` exactly
/// when there is a first match, `matchesWhole` exactly when there is a whole match, which
/// spans the subject and makes the first match start at the subject's start; the first match
/// is the first of all matches; matches lie in the subject on scalar boundaries, left to right,
/// without overlaps, an empty one moving the search on; each has one range per capture group,
/// inside the match; searching again from a match's start finds that match. The single-search
/// answers also agree on the subject repeated to 2 KiB. Matching in time linear in the subject
/// is checked by the fuzzer's timeout (the engine does not count steps).
public enum RegexCheck {
  /// The most matches listed (a 4 KiB subject has at most 4,097).
  public static let matchLimit = 10_000

  /// The flavour, options, pattern and subject an input stands for.
  public static func parse(_ bytes: [UInt8]) -> (
    flavor: RegularExpression.Flavor, options: RegularExpression.Options, pattern: String,
    subject: String
  ) {
    let (flags, rest) = FuzzInput.firstLine(bytes)
    let (pattern, subject) = FuzzInput.firstLine(rest ?? [])
    let flavor: RegularExpression.Flavor = flags.hasPrefix("js") ? .javaScript : .java
    var options: RegularExpression.Options = []
    let letters = flags.split(separator: " ", maxSplits: 1).dropFirst().first ?? ""
    for letter in letters {
      switch letter {
      case "i": options.insert(.ignoreCase)
      case "m": options.insert(.multiline)
      case "s": options.insert(.dotMatchesLineTerminators)
      case "u": options.insert(.unicode)
      case "x": options.insert(.comments)
      case "d": options.insert(.unixLines)
      default: break
      }
    }
    return (flavor, options, pattern, String(decoding: subject ?? [], as: UTF8.self))
  }

  /// The invariants `bytes` breaks (empty when it breaks none).
  public static func problems(_ bytes: [UInt8]) -> [String] {
    let (flavor, options, pattern, subject) = parse(bytes)
    var problems: [String] = []
    let regex: RegularExpression
    do {
      regex = try RegularExpression(pattern, flavor: flavor, options: options)
    } catch {
      if error.message.isEmpty { problems.append("'\(pattern)': a syntax error without a message") }
      if error.offset < 0 || error.offset > pattern.unicodeScalars.count {
        problems.append("'\(pattern)': syntax error offset \(error.offset) outside the pattern")
      }
      if error.pattern != pattern {
        problems.append("'\(pattern)': the error names another pattern")
      }
      return problems
    }
    if regex.pattern != pattern || regex.flavor != flavor || regex.options != options {
      problems.append("'\(pattern)': the expression forgot its pattern, flavour or options")
    }
    let name = "\(regex) (\(flavor), options \(options.rawValue)) on '\(subject)'"
    let first = regex.firstMatch(in: subject)
    let all = regex.matches(in: subject, limit: matchLimit)
    if regex.hasMatch(in: subject) != (first != nil) {
      problems.append("\(name): hasMatch says \(first == nil), firstMatch \(first != nil)")
    }
    if first != all.first {
      problems.append("\(name): the first match is not the first of all matches")
    }
    let whole = regex.wholeMatch(in: subject)
    if regex.matchesWhole(subject) != (whole != nil) {
      problems.append("\(name): matchesWhole says \(whole == nil), wholeMatch \(whole != nil)")
    }
    if let whole {
      if whole.range != subject.startIndex..<subject.endIndex {
        problems.append("\(name): the whole match does not span the subject")
      }
      if first?.range.lowerBound != subject.startIndex {
        problems.append("\(name): the subject matches whole but the first match starts later")
      }
      problems += matchProblems(whole, regex, subject, name)
    }
    problems += repeatedSubjectProblems(regex, subject, name)
    var previous: RegexMatch?
    for match in all {
      problems += matchProblems(match, regex, subject, name)
      if let previous {
        if match.range.lowerBound < previous.range.upperBound {
          problems.append("\(name): matches overlap or go back")
        }
        if previous.range.isEmpty, match.range.lowerBound == previous.range.lowerBound {
          problems.append("\(name): an empty match did not move the search on")
        }
      }
      if regex.firstMatch(in: subject, from: match.range.lowerBound) != match {
        problems.append("\(name): searching again from a match's start finds another match")
      }
      previous = match
      if problems.count > 10 { break }
    }
    return problems
  }

  /// The size the subject is repeated to, to exercise matching in linear time on longer text
  /// than the fuzzer writes.
  public static let repeatedSubjectBytes = 2_048
  /// The longest pattern (in scalars) matched on the repeated subject.
  public static let repeatedPatternScalars = 100

  /// On the subject repeated to about ``repeatedSubjectBytes`` bytes (for a pattern of at most
  /// ``repeatedPatternScalars`` scalars), the single-search answers agree, and the first match
  /// lies in the text. (Listing every match there would be quadratic for some patterns, in
  /// this engine as in Java's, and is left to the short subject.)
  static func repeatedSubjectProblems(
    _ regex: RegularExpression, _ subject: String, _ name: String
  ) -> [String] {
    let size = subject.utf8.count
    guard size > 0, size < repeatedSubjectBytes,
      regex.pattern.unicodeScalars.count <= repeatedPatternScalars
    else { return [] }
    let text = String(repeating: subject, count: repeatedSubjectBytes / size)
    var problems: [String] = []
    let first = regex.firstMatch(in: text)
    if regex.hasMatch(in: text) != (first != nil) {
      problems.append("\(name), repeated: hasMatch and firstMatch disagree")
    }
    if let first { problems += matchProblems(first, regex, text, name + ", repeated") }
    if regex.matchesWhole(text) != (regex.wholeMatch(in: text) != nil) {
      problems.append("\(name), repeated: matchesWhole and wholeMatch disagree")
    }
    return problems
  }

  /// What is wrong with one match: its ranges must lie in the subject, on scalar boundaries, one
  /// per capture group and inside the match.
  static func matchProblems(
    _ match: RegexMatch, _ regex: RegularExpression, _ subject: String, _ name: String
  ) -> [String] {
    var problems: [String] = []
    let scalars = subject.unicodeScalars
    func onBoundaries(_ range: Range<String.Index>) -> Bool {
      range.lowerBound >= subject.startIndex && range.upperBound <= subject.endIndex
        && range.lowerBound.samePosition(in: scalars) != nil
        && range.upperBound.samePosition(in: scalars) != nil
    }
    if !onBoundaries(match.range) {
      problems.append("\(name): a match lies outside the subject or inside a scalar")
    }
    if match.groupRanges.count != regex.captureGroupCount
      || match.groupNames != regex.captureGroupNames
    {
      problems.append(
        "\(name): \(match.groupRanges.count) group ranges for \(regex.captureGroupCount) groups")
    }
    for case let group? in match.groupRanges {
      if !onBoundaries(group) || !match.range.contains(group) {
        problems.append("\(name): a capture group lies outside its match")
      }
    }
    return problems
  }
}

extension Range where Bound == String.Index {
  /// Whether `other` lies within this range (an empty range at either end counts).
  fileprivate func contains(_ other: Range<String.Index>) -> Bool {
    other.lowerBound >= lowerBound && other.upperBound <= upperBound
  }
}
