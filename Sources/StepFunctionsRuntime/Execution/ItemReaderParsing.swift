import StepFunctionsJSON
import StepFunctionsLanguage

/// Why an `ItemReader` could not give its items: the cause of the `States.ItemReaderFailed`
/// error that fails the Map Run.
struct ItemReaderFailure: Error, Sendable, Equatable {
  var cause: String
  init(_ cause: String) { self.cause = cause }
}

/// Limits of this local runtime's `ItemReader` (AWS's own are service quotas).
enum ItemReaderLimits {
  /// The largest object an `ItemReader` reads (256 MiB): a larger `ContentLength` or `Body`
  /// fails the Map Run instead of filling the memory.
  static let maximumObjectBytes = 268_435_456
  /// The most items a distributed Map reads (AWS stops reading beyond 100,000,000).
  static let maximumItems = 100_000_000
  /// The most `listObjectsV2` pages in a row without an object before the listing is refused.
  static let maximumEmptyPages = 1_000
}

/// Parsers for the contents an `ItemReader` reads: JSON, JSON Lines, CSV and S3 inventory
/// manifests. Each stops after `limit` items, so a huge object with a small `MaxItems` is cheap.
enum ItemReaderParsing {
  // MARK: JSON

  /// The items of a JSON object: the array itself, or the array `pointer` points at.
  static func jsonItems(_ text: String, pointer: JSONPointer?, limit: Int) throws(ItemReaderFailure)
    -> [JSON]
  {
    let document: JSON
    do {
      document = try JSON(parsing: text)
    } catch {
      throw ItemReaderFailure("The object is not valid JSON: \(error.description)")
    }
    var target = document
    if let pointer {
      for token in pointer.tokens {
        switch target {
        case .object(let object):
          guard let member = object[token] else {
            throw ItemReaderFailure(
              "The ItemsPointer '\(pointer)' does not point at a value of the object.")
          }
          target = member
        case .array(let elements):
          guard let index = Int(token), index >= 0, index < elements.count else {
            throw ItemReaderFailure(
              "The ItemsPointer '\(pointer)' does not point at a value of the object.")
          }
          target = elements[index]
        case .null, .bool, .number, .string:
          throw ItemReaderFailure(
            "The ItemsPointer '\(pointer)' does not point at a value of the object.")
        }
      }
    }
    guard case .array(let elements) = target else {
      throw ItemReaderFailure("Attempting to map over non-iterable node.")
    }
    return elements.count > limit ? Array(elements.prefix(limit)) : elements
  }

  // MARK: JSON Lines

  /// The items of a JSON Lines object: one JSON value per line; blank lines are skipped.
  static func jsonLinesItems(_ text: String, limit: Int) throws(ItemReaderFailure) -> [JSON] {
    var items: [JSON] = []
    var lineNumber = 0
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      lineNumber += 1
      guard items.count < limit else { break }
      var content = Substring(line)
      if content.hasSuffix("\r") { content = content.dropLast() }
      if content.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
      do {
        items.append(try JSON(parsing: String(content)))
      } catch {
        throw ItemReaderFailure(
          "Line \(lineNumber) of the JSON Lines object is not valid JSON: \(error.message)")
      }
    }
    return items
  }

  // MARK: CSV

  /// The records of a CSV text (RFC 4180: fields in double quotes may hold the delimiter, line
  /// breaks and `""` for a quote). Empty lines are skipped. At most `limit` records are read.
  static func csvRecords(_ text: String, delimiter: Unicode.Scalar, limit: Int)
    throws(ItemReaderFailure) -> [[String]]
  {
    var records: [[String]] = []
    var record: [String] = []
    var field = String.UnicodeScalarView()
    var line = 1
    var recordLine = 1
    enum Mode { case start, unquoted, quoted, afterQuote }
    var mode = Mode.start
    var sawAnything = false
    var previousWasCarriageReturn = false

    func endRecord() {
      record.append(String(field))
      field = String.UnicodeScalarView()
      // A line with nothing on it is no record.
      if sawAnything || record.count > 1 || !(record.first ?? "").isEmpty {
        records.append(record)
      }
      record = []
      sawAnything = false
      mode = .start
    }

    for scalar in text.unicodeScalars {
      guard records.count < limit else { break }
      if scalar == "\n", previousWasCarriageReturn, mode != .quoted {
        previousWasCarriageReturn = false
        continue
      }
      previousWasCarriageReturn = false
      switch mode {
      case .quoted:
        if scalar == "\"" {
          mode = .afterQuote
        } else {
          if scalar == "\n" { line += 1 }
          field.append(scalar)
        }
      case .afterQuote:
        if scalar == "\"" {
          field.append(scalar)
          mode = .quoted
        } else if scalar == delimiter {
          record.append(String(field))
          field = String.UnicodeScalarView()
          mode = .start
        } else if scalar == "\n" || scalar == "\r" {
          previousWasCarriageReturn = scalar == "\r"
          endRecord()
          line += 1
          recordLine = line
        } else {
          throw ItemReaderFailure(
            "Malformed CSV at line \(line): a quoted field must be followed by the delimiter or the end of the line, not '\(scalar.escaped(asASCII: true))'."
          )
        }
      case .start, .unquoted:
        if scalar == "\"", mode == .start {
          mode = .quoted
          sawAnything = true
        } else if scalar == delimiter {
          record.append(String(field))
          field = String.UnicodeScalarView()
          sawAnything = true
          mode = .start
        } else if scalar == "\n" || scalar == "\r" {
          previousWasCarriageReturn = scalar == "\r"
          endRecord()
          line += 1
          recordLine = line
        } else {
          field.append(scalar)
          sawAnything = true
          mode = .unquoted
        }
      }
    }
    if mode == .quoted {
      throw ItemReaderFailure(
        "Malformed CSV at line \(recordLine): a quoted field is not closed before the end of the object."
      )
    }
    if records.count < limit, sawAnything || !record.isEmpty || !field.isEmpty {
      endRecord()
    }
    return records
  }

  /// The items of a CSV object: one object per row, named by the header row (`FIRST_ROW`) or
  /// by `CSVHeaders` (`GIVEN`). A row with fewer fields gets `""` for the missing ones; fields
  /// beyond the headers are dropped. Every value is a string.
  static func csvItems(_ text: String, config: ReaderConfig, limit: Int) throws(ItemReaderFailure)
    -> [JSON]
  {
    let headerRows = config.csvHeaderLocation == .firstRow ? 1 : 0
    let (rowLimit, overflow) = limit.addingReportingOverflow(headerRows)
    var records = try csvRecords(
      text, delimiter: config.csvDelimiter.character, limit: overflow ? Int.max : rowLimit)
    let headers: [String]
    switch config.csvHeaderLocation {
    case .firstRow:
      guard !records.isEmpty else { return [] }
      headers = records.removeFirst()
    case .given:
      headers = config.csvHeaders ?? []
    }
    return try rows(records, headers: headers)
  }

  /// Rows as objects keyed by `headers`.
  static func rows(_ records: [[String]], headers: [String]) throws(ItemReaderFailure) -> [JSON] {
    guard Set(headers).count == headers.count else {
      throw ItemReaderFailure("CSV headers cannot contain duplicates.")
    }
    var items: [JSON] = []
    items.reserveCapacity(records.count)
    for record in records {
      var object = JSONObject(minimumCapacity: headers.count)
      for (index, header) in headers.enumerated() {
        object.append(key: header, value: .string(index < record.count ? record[index] : ""))
      }
      items.append(.object(object))
    }
    return items
  }

  // MARK: S3 inventory

  /// What an S3 inventory `manifest.json` says: where its data files are and their columns.
  struct InventoryManifest: Equatable {
    /// The bucket holding the data files (the manifest's `destinationBucket`).
    var bucket: String
    /// The data files' keys, in the manifest's order.
    var keys: [String]
    /// The column names (`fileSchema`).
    var columns: [String]
  }

  /// Reads an S3 inventory `manifest.json`. Only CSV inventories can be read.
  static func inventoryManifest(_ text: String) throws(ItemReaderFailure) -> InventoryManifest {
    let manifest: JSON
    do {
      manifest = try JSON(parsing: text)
    } catch {
      throw ItemReaderFailure("The manifest is not valid JSON: \(error.description)")
    }
    guard case .string(let format) = manifest["fileFormat"] ?? .null else {
      throw ItemReaderFailure("The manifest has no fileFormat: it is not an S3 inventory manifest.")
    }
    guard format == "CSV" else {
      throw ItemReaderFailure(
        "The S3 inventory's fileFormat is \(format): only CSV inventories can be read locally.")
    }
    guard case .string(let schema) = manifest["fileSchema"] ?? .null else {
      throw ItemReaderFailure("The manifest has no fileSchema: it is not an S3 inventory manifest.")
    }
    guard case .string(let destination) = manifest["destinationBucket"] ?? .null else {
      throw ItemReaderFailure(
        "The manifest has no destinationBucket: it is not an S3 inventory manifest.")
    }
    let bucket =
      destination.hasPrefix("arn:")
      ? String(destination.split(separator: ":", omittingEmptySubsequences: false).last ?? "")
      : destination
    guard case .array(let files) = manifest["files"] ?? .null else {
      throw ItemReaderFailure("The manifest has no files: it is not an S3 inventory manifest.")
    }
    var keys: [String] = []
    for (index, file) in files.enumerated() {
      guard case .string(let key) = file["key"] ?? .null else {
        throw ItemReaderFailure("The manifest's files[\(index)] has no key.")
      }
      keys.append(key)
    }
    let columns = schema.split(separator: ",").map { column in
      String(column.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
    return InventoryManifest(bucket: bucket, keys: keys, columns: columns)
  }

  /// Whether an object's text starts like a gzip stream (`1f 8b`), as S3 inventory data files
  /// do on AWS; decoded as text, `8b` may have become U+FFFD.
  static func looksCompressed(_ text: String) -> Bool {
    var scalars = text.unicodeScalars.makeIterator()
    guard scalars.next() == "\u{1F}", let second = scalars.next() else { return false }
    return second == "\u{8B}" || second == "\u{FFFD}"
  }

  // MARK: listObjectsV2

  /// An item of a `listObjectsV2` reader, as AWS gives it: `Etag`, `Key`, `LastModified`
  /// (seconds since the epoch), `Size`, `StorageClass`, from one entry of the response's
  /// `Contents`.
  static func listedObject(_ entry: JSON) -> JSON {
    var object = JSONObject(minimumCapacity: 5)
    if let etag = entry["ETag"] ?? entry["Etag"] { object.append(key: "Etag", value: etag) }
    if let key = entry["Key"] { object.append(key: "Key", value: key) }
    if let modified = entry["LastModified"] {
      if case .string(let text) = modified, let instant = Instant(rfc3339: text) {
        let seconds = instant.millisecondsSinceEpoch / 1000
        object.append(key: "LastModified", value: .number(JSONNumber(Int(seconds))))
      } else {
        object.append(key: "LastModified", value: modified)
      }
    }
    if let size = entry["Size"] { object.append(key: "Size", value: size) }
    if let storageClass = entry["StorageClass"] {
      object.append(key: "StorageClass", value: storageClass)
    }
    return .object(object)
  }

  // MARK: Batching

  /// The batches of `items` as AWS builds them: `{"BatchInput": …, "Items": [...]}` (no
  /// `BatchInput` member without one), each holding at most `maxItems` items and at most
  /// `maxBytes` bytes of compact JSON (the whole batch, `BatchInput` included), filled in order.
  /// An item too large for a batch of its own fails the Map Run.
  static func batches(_ items: [JSON], maxItems: Int?, maxBytes: Int, batchInput: JSON?)
    throws(ItemReaderFailure) -> [JSON]
  {
    func batch(_ members: [JSON]) -> JSON {
      var object = JSONObject(minimumCapacity: 2)
      if let batchInput { object.append(key: "BatchInput", value: batchInput) }
      object.append(key: "Items", value: .array(members))
      return .object(object)
    }
    let emptySize = batch([]).serializedByteCount(limit: Int.max)
    let itemLimit = max(1, maxItems ?? Int.max)
    var result: [JSON] = []
    var current: [JSON] = []
    var currentSize = emptySize
    for (index, item) in items.enumerated() {
      let size = item.serializedByteCount(limit: maxBytes)
      let added = size + (current.isEmpty ? 0 : 1)
      if !current.isEmpty, current.count >= itemLimit || currentSize + added > maxBytes {
        result.append(batch(current))
        current = []
        currentSize = emptySize
      }
      if currentSize + size > maxBytes {
        throw ItemReaderFailure(
          "The item at index \(index) does not fit in a batch of at most \(maxBytes) bytes (MaxInputBytesPerBatch, at most 256 KiB)."
        )
      }
      currentSize += size + (current.isEmpty ? 0 : 1)
      current.append(item)
    }
    if !current.isEmpty { result.append(batch(current)) }
    return result
  }
}
