import StepFunctions
import StepFunctionsJSONata

/// `sfn jsonata EXPRESSION [--input JSON|@FILE] [--bindings JSON|@FILE] [--seed N]
/// [--max-depth N]`: evaluates
/// a plain JSONata 2.0.6 expression, as the online exerciser does, offline.
///
/// The input is `$` (absent: undefined), the bindings' members are variables (`$name`), and
/// AWS's added functions (`$partition`, `$range`, `$hash`, `$random`, `$uuid`, `$parse`) are
/// available. Prints the result as JSON, or `undefined`; an error prints
/// `error CODE at position N: message` (exit 1).
///
/// Exit status: 0 a result (or undefined); 1 the expression failed; 64 a bad command line; 65
/// the input or bindings cannot be read or are not valid.
public struct JSONataCommand: Command {
  /// The command's name, options and help.
  public static let configuration = CommandConfiguration(
    name: "jsonata",
    abstract: "Evaluate a JSONata expression (JSONata 2.0.6 with AWS's functions).",
    discussion: """
      Evaluates EXPRESSION with the input as $ and each member of the bindings object as a \
      variable, with the JSONata version AWS Step Functions uses (2.0.6: no ?? or ?:, no $eval) \
      and AWS's functions $partition, $range, $hash, $random, $uuid and $parse. Prints the \
      result as JSON, or `undefined`, or the error with JSONata's code and the character \
      position in the expression. $random, $uuid and $shuffle draw from --seed. An evaluation \
      that nests deeper than --max-depth levels (a runaway recursion) ends in error U1001.

      Exit status: 0 a result (or undefined); 1 the expression failed (syntax or evaluation); \
      64 for a bad command line; 65 when the input or bindings cannot be read or are not valid.
      """,
    options: [
      .option(
        "input", valueName: "json|@file",
        help: "The input document ($): JSON text, or @FILE to read it from a file."),
      .option(
        "bindings", valueName: "json|@file",
        help: "Variables: a JSON object whose members are bound as $name, or @FILE."),
      .option(
        "seed", valueName: "n", help: "The seed for $random, $uuid and $shuffle.",
        defaultValue: "0"),
      .option(
        "max-depth", valueName: "n",
        help: "The deepest the evaluation may nest, 1 to \(maximumDepthLimit); past it, U1001.",
        defaultValue: String(JSONataOptions().maximumDepth)),
    ],
    positionals: [
      PositionalDefinition(
        name: "expression", help: "The JSONata expression.", arity: .required)
    ])

  /// The expression.
  public var expression: String
  /// The input argument as given (JSON text or `@file`).
  public var input: String?
  /// The bindings argument as given (JSON text or `@file`).
  public var bindings: String?
  /// The seed.
  public var seed: UInt64
  /// The evaluation depth limit (``JSONataOptions/maximumDepth``).
  public var maximumDepth: Int
  /// The largest `--max-depth` accepted.
  public static let maximumDepthLimit = 1_000

  /// Creates the command from parsed arguments.
  public init(arguments: ParsedArguments) throws(UsageError) {
    expression = arguments.positional("expression") ?? ""
    input = arguments.value("input")
    bindings = arguments.value("bindings")
    seed = try arguments.seed() ?? 0
    let depthText = arguments.value("max-depth") ?? ""
    guard let depth = Int(depthText), (1...Self.maximumDepthLimit).contains(depth) else {
      throw UsageError(
        "The value '\(depthText)' is invalid for '--max-depth <n>'. Please provide a whole number from 1 to \(Self.maximumDepthLimit)."
      )
    }
    maximumDepth = depth
  }

  /// Evaluates the expression and prints the result.
  public func run(
    context: CommandContext, standardOutput: inout some TextOutputStream,
    standardError: inout some TextOutputStream
  ) async -> ExitCode {
    let inputValue: JSON?
    var variables: [String: JSON] = [:]
    do throws(DefinitionLoading.InputError) {
      inputValue = try Self.document(input, name: "input", context: context)
      if let value = try Self.document(bindings, name: "bindings", context: context) {
        guard case .object(let object) = value else {
          throw DefinitionLoading.InputError(message: "the bindings must be a JSON object")
        }
        for (key, member) in object { variables[key] = member }
      }
    } catch {
      standardError.write("sfn: error: \(error.message)\n")
      return .dataError
    }
    var options = JSONataOptions(maximumDepth: maximumDepth, randomSeed: seed)
    options.functions = AWSFunctions.functions(random: AWSFunctions.seededSource(seed: seed))
    do {
      let compiled = try JSONataExpression(parsing: expression)
      let result = try compiled.evaluate(input: inputValue, bindings: variables, options: options)
      standardOutput.write(
        (result.map { JSONSerializer(style: .pretty).string($0) } ?? "undefined") + "\n")
      return .success
    } catch {
      standardOutput.write(Self.describe(error) + "\n")
      return .failure
    }
  }

  /// `error CODE at position N: message` (without the position when the error has none).
  public static func describe(_ error: JSONataError) -> String {
    let place = error.position.map { " at position \($0)" } ?? ""
    return "error \(error.code)\(place): \(error.message)"
  }

  /// A JSON document given as text or `@FILE`; nil when the option is absent.
  static func document(_ argument: String?, name: String, context: CommandContext)
    throws(DefinitionLoading.InputError) -> JSON?
  {
    guard let argument else { return nil }
    var bytes = Array(argument.utf8)
    if argument.hasPrefix("@") {
      let path = String(argument.dropFirst())
      do {
        bytes = try context.read(path)
      } catch {
        throw DefinitionLoading.InputError(
          message: "cannot read the \(name) file '\(path)': \(error.reason)")
      }
    }
    do {
      return try JSONParser.parse(bytes)
    } catch {
      throw DefinitionLoading.InputError(message: "the \(name) is not valid JSON: \(error)")
    }
  }
}
