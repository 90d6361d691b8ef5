import StepFunctionsJSON

/// A distributed Map state's `ItemReader`: where its items come from instead of the state input.
///
/// The reader calls its `Resource` (`arn:aws:states:::s3:getObject` or
/// `arn:aws:states:::s3:listObjectsV2`) with `Parameters` (JSONPath) or `Arguments` (JSONata),
/// and reads the response as ``ReaderConfig`` says.
public struct ItemReader: Sendable {
  /// `Resource`: the S3 action the reader calls.
  public var resource: String
  /// `Parameters` (JSONPath): the request, a payload template.
  public var parameters: JSON?
  /// `Arguments` (JSONata): the request, with its expressions compiled.
  public var arguments: JSONataTemplate?
  /// `ReaderConfig` (an empty configuration when the field is absent).
  public var readerConfig: ReaderConfig

  /// The S3 actions an `ItemReader` can call.
  public enum Action: String, Sendable, Hashable {
    /// `s3:getObject`: one object, read per ``ReaderConfig/inputType``.
    case getObject
    /// `s3:listObjectsV2`: the objects of a bucket (under a prefix); each is an item.
    case listObjectsV2
  }

  /// The action ``resource`` names (`nil` for a resource an `ItemReader` cannot call).
  public var action: Action? { Self.action(of: resource) }

  /// The action of a resource ARN `arn:<partition>:states:::s3:<action>`, if it is one an
  /// `ItemReader` can call.
  public static func action(of resource: String) -> Action? {
    let parts = resource.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 7, parts[0] == "arn", parts[2] == "states", parts[3].isEmpty,
      parts[4].isEmpty, parts[5] == "s3"
    else { return nil }
    return Action(rawValue: String(parts[6]))
  }
}

/// An `ItemReader`'s `ReaderConfig`.
public struct ReaderConfig: Sendable {
  /// `InputType`: how an object's content is read (`nil` when absent, as for `listObjectsV2`).
  public var inputType: InputType?
  /// `CSVHeaderLocation` (`FIRST_ROW` when absent).
  public var csvHeaderLocation: CSVHeaderLocation = .firstRow
  /// `CSVHeaders`, for `CSVHeaderLocation` `GIVEN`.
  public var csvHeaders: [String]?
  /// `CSVDelimiter` (`COMMA` when absent).
  public var csvDelimiter: CSVDelimiter = .comma
  /// `MaxItems` / `MaxItemsPath` (or a JSONata expression): at most this many items are read;
  /// 0 means no limit.
  public var maxItems: DynamicValue<Int>?
  /// `ItemsPointer` (JSON input): a JSON Pointer to the array of items inside the object.
  public var itemsPointer: JSONPointer?
  /// `ManifestType`.
  public var manifestType: ManifestType?

  /// Creates a configuration with the defaults AWS uses for absent fields.
  public init() {}

  /// `InputType` values.
  public enum InputType: String, Sendable, Hashable, CaseIterable {
    /// Delimited text, one item per row.
    case csv = "CSV"
    /// A JSON array, one item per element.
    case json = "JSON"
    /// JSON Lines, one item per line.
    case jsonl = "JSONL"
    /// An Amazon S3 inventory `manifest.json`; the items are the rows of its CSV data files.
    case manifest = "MANIFEST"
    /// Apache Parquet (not supported locally).
    case parquet = "PARQUET"
  }

  /// `CSVHeaderLocation` values.
  public enum CSVHeaderLocation: String, Sendable, Hashable, CaseIterable {
    /// The first row holds the column names.
    case firstRow = "FIRST_ROW"
    /// The column names are `CSVHeaders`; every row is data.
    case given = "GIVEN"
  }

  /// `CSVDelimiter` values.
  public enum CSVDelimiter: String, Sendable, Hashable, CaseIterable {
    /// `,`
    case comma = "COMMA"
    /// `|`
    case pipe = "PIPE"
    /// `;`
    case semicolon = "SEMICOLON"
    /// ` `
    case space = "SPACE"
    /// A tab.
    case tab = "TAB"

    /// The delimiter character.
    public var character: Unicode.Scalar {
      switch self {
      case .comma: ","
      case .pipe: "|"
      case .semicolon: ";"
      case .space: " "
      case .tab: "\t"
      }
    }
  }

  /// `ManifestType` values.
  public enum ManifestType: String, Sendable, Hashable, CaseIterable {
    /// An Amazon Athena `UNLOAD` manifest: one S3 URI per line (not supported locally).
    case athenaData = "ATHENA_DATA"
    /// An Amazon S3 inventory `manifest.json`.
    case s3Inventory = "S3_INVENTORY"
  }
}

/// A distributed Map state's `ItemBatcher`: each child workflow gets a batch of items,
/// `{"BatchInput": …, "Items": [...]}`.
public struct ItemBatcher: Sendable {
  /// `MaxItemsPerBatch` / `MaxItemsPerBatchPath` (or a JSONata expression).
  public var maxItemsPerBatch: DynamicValue<Int>?
  /// `MaxInputBytesPerBatch` / `MaxInputBytesPerBatchPath` (or a JSONata expression).
  public var maxInputBytesPerBatch: DynamicValue<Int>?
  /// `BatchInput` (JSONPath): a payload template added to every batch.
  public var batchInput: JSON?
  /// `BatchInput` (JSONata), with its expressions compiled.
  public var compiledBatchInput: JSONataTemplate?

  /// The largest batch AWS passes to a child workflow, in bytes (256 KiB), and the largest
  /// `MaxInputBytesPerBatch`.
  public static let maximumBytes = 262_144

  /// Creates an empty batcher.
  public init() {}
}

/// An immutable value kept out of line (see ``MapState/itemReader``).
final class Box<Value: Sendable>: Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}
