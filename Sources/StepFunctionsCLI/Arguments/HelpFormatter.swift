/// Writes usage lines and help text in swift-argument-parser's layout (`OVERVIEW:`, `USAGE:`,
/// `ARGUMENTS:`, `OPTIONS:`, `SUBCOMMANDS:`), wrapped to ``screenWidth`` columns.
public enum HelpFormatter {
  /// The width help text is wrapped to.
  public static let screenWidth = 80
  /// The column at which descriptions start.
  static let labelWidth = 26

  /// The usage synopsis of a command: `sfn validate [--format <format>] <file> ...`. Required
  /// options are written without brackets (`sfn test --mocks <file> ...`).
  ///
  /// - Parameter commandPath: the words that invoke the command (`sfn validate`).
  public static func usage(for configuration: CommandConfiguration, commandPath: String) -> String {
    var parts = [commandPath]
    for option in configuration.options { parts.append(option.usageSynopsis) }
    for positional in configuration.positionals { parts.append(positional.synopsis) }
    return parts.joined(separator: " ")
  }

  /// The full help of a command, ending with a newline.
  public static func help(for configuration: CommandConfiguration, commandPath: String) -> String {
    var text = ""
    if !configuration.abstract.isEmpty {
      text += wrap("OVERVIEW: " + configuration.abstract) + "\n\n"
    }
    if !configuration.discussion.isEmpty {
      for paragraph in configuration.discussion.split(
        separator: "\n", omittingEmptySubsequences: false)
      {
        // Indented lines (examples) are kept as written; prose is wrapped.
        if paragraph.isEmpty || paragraph.hasPrefix(" ") {
          text += paragraph + "\n"
        } else {
          text += wrap(String(paragraph)) + "\n"
        }
      }
      text += "\n"
    }
    text += wrap("USAGE: " + usage(for: configuration, commandPath: commandPath), hangingIndent: 7)
    text += "\n"
    if !configuration.positionals.isEmpty {
      text += "\nARGUMENTS:\n"
      for positional in configuration.positionals {
        text += entry(label: "<\(positional.name)>", description: positional.help)
      }
    }
    text += "\nOPTIONS:\n"
    for option in configuration.options {
      var label = option.synopsis
      if let short = option.shortName { label = "-\(short), " + label }
      var description = option.help
      var notes: [String] = []
      if option.isRequired { notes.append("required") }
      if !option.allowedValues.isEmpty {
        notes.append("values: " + option.allowedValues.joined(separator: ", "))
      }
      if let value = option.defaultValue { notes.append("default: \(value)") }
      if !notes.isEmpty { description += " (\(notes.joined(separator: "; ")))" }
      text += entry(label: label, description: description)
    }
    text += entry(label: "-h, --help", description: "Show help information.")
    return text
  }

  /// The help of a command group: its abstract, an optional discussion (wrapped), usage, options
  /// (`--version` when `showsVersion`) and subcommand list.
  public static func groupHelp(
    name: String, abstract: String, discussion: String = "", subcommands: [CommandConfiguration],
    showsVersion: Bool = false
  ) -> String {
    var text = wrap("OVERVIEW: " + abstract) + "\n\n"
    if !discussion.isEmpty { text += wrap(discussion) + "\n\n" }
    text += "USAGE: \(name) <subcommand>\n"
    text += "\nOPTIONS:\n"
    if showsVersion { text += entry(label: "--version", description: "Show the version.") }
    text += entry(label: "-h, --help", description: "Show help information.")
    text += "\nSUBCOMMANDS:\n"
    for subcommand in subcommands {
      text += entry(label: subcommand.name, description: subcommand.abstract)
    }
    text += "\n  See '\(name) help <subcommand>' for detailed help.\n"
    return text
  }

  /// One `  label   description` entry, the description wrapped and aligned at
  /// ``labelWidth``; a label too long for its column gets a line of its own.
  static func entry(label: String, description: String) -> String {
    let lead = "  " + label
    let lines = wrapLines(description, width: screenWidth - labelWidth)
    let padding = String(repeating: " ", count: labelWidth)
    var text: String
    if lead.count < labelWidth {
      text = lead + String(repeating: " ", count: labelWidth - lead.count) + lines[0] + "\n"
    } else {
      text = lead + "\n" + padding + lines[0] + "\n"
    }
    for line in lines.dropFirst() { text += padding + line + "\n" }
    return text
  }

  /// Wraps words to `width` columns; lines after the first are indented by `hangingIndent`
  /// spaces (which count towards the width).
  static func wrap(_ text: String, hangingIndent: Int = 0) -> String {
    let first = wrapLines(text, width: screenWidth)
    guard first.count > 1, hangingIndent > 0 else { return first.joined(separator: "\n") }
    let rest = wrapLines(
      first.dropFirst().joined(separator: " "), width: screenWidth - hangingIndent)
    let padding = String(repeating: " ", count: hangingIndent)
    return ([first[0]] + rest.map { padding + $0 }).joined(separator: "\n")
  }

  /// Splits `text` into lines of at most `width` characters at spaces (a longer word gets a line
  /// of its own). Always returns at least one line.
  static func wrapLines(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      if !line.isEmpty, line.count + 1 + word.count > width {
        lines.append(line)
        line = ""
      }
      line += line.isEmpty ? String(word) : " " + word
    }
    if !line.isEmpty || lines.isEmpty { lines.append(line) }
    return lines
  }
}
