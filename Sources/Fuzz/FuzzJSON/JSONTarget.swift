import FuzzSupport
import StepFunctionsJSON

/// Fuzzes `JSONParser` and the serializers.
///
/// Invariants: a rejected text has an error with a message and a location inside the text, the
/// same with and without location recording; an accepted text round-trips (parse → serialize →
/// parse gives the same value, and serializing that gives the same bytes, compact and pretty),
/// every recorded offset is inside the text, `serializedByteCount` is the compact length and
/// `serializedByteBound` is not below it, and rejecting duplicate keys fails exactly when the
/// document has some.
enum JSONTarget {
  static func test(_ bytes: [UInt8]) {
    let document: JSONDocument
    do {
      document = try JSONParser.parseDocument(bytes)
    } catch {
      checkRejected(bytes, error)
      return
    }
    let value = document.value
    for (pointer, offset) in document.valueOffsets {
      Invariant.require(
        offset >= 0 && offset < max(bytes.count, 1), "value offset \(offset) of \(pointer)")
      let location = document.location(of: pointer)
      Invariant.require(location.line >= 1 && location.column >= 1, "location of \(pointer)")
    }
    for (pointer, offset) in document.keyOffsets {
      Invariant.require(offset >= 0 && offset < bytes.count, "key offset \(offset) of \(pointer)")
    }
    for duplicate in document.duplicateKeys {
      Invariant.require(
        duplicate.offset >= 0 && duplicate.offset < bytes.count,
        "duplicate key offset \(duplicate.offset)")
    }
    do {
      let plain = try JSONParser.parse(bytes)
      Invariant.require(plain == value, "parse and parseDocument disagree")
    } catch {
      Invariant.fail("parseDocument accepted what parse rejects: \(error)")
    }

    let compact = JSONSerializer().bytes(value)
    Invariant.require(
      value.serializedByteCount == compact.count,
      "serializedByteCount \(value.serializedByteCount) but \(compact.count) bytes written")
    Invariant.require(
      value.serializedByteBound >= compact.count,
      "serializedByteBound \(value.serializedByteBound) below \(compact.count) bytes written")
    for style in [JSONSerializer.Style.compact, .pretty] {
      let written = style == .compact ? compact : JSONSerializer(style: style).bytes(value)
      let reread: JSON
      do {
        reread = try JSONParser.parse(written)
      } catch {
        Invariant.fail("the serializer wrote what the parser rejects (\(error)): \(text(written))")
      }
      Invariant.require(reread == value, "round trip changed the value: \(text(written))")
      let rewritten = JSONSerializer(style: style).bytes(reread)
      Invariant.require(
        rewritten == written,
        "serialize → parse → serialize changed the bytes: \(text(written)) → \(text(rewritten))")
    }

    let strict = try? JSONParser.parse(
      bytes, options: JSONParser.Options(rejectsDuplicateKeys: true))
    Invariant.require(
      (strict == nil) == !document.duplicateKeys.isEmpty,
      "rejectsDuplicateKeys disagrees with the \(document.duplicateKeys.count) duplicates recorded")
  }

  /// A rejected text: the error is located inside the text, and both parsers agree on it.
  static func checkRejected(_ bytes: [UInt8], _ error: JSONParseError) {
    let location = error.location
    Invariant.require(
      location.offset >= 0 && location.offset <= bytes.count,
      "error offset \(location.offset) outside the \(bytes.count) bytes: \(error)")
    Invariant.require(location.line >= 1 && location.column >= 1, "error location \(location)")
    Invariant.require(
      location.line <= SourceText(bytes).lineCount, "error line \(location.line) past the text")
    Invariant.require(!error.message.isEmpty, "error without a message")
    do {
      _ = try JSONParser.parse(bytes)
      Invariant.fail("parse accepted what parseDocument rejects: \(error)")
    } catch let plain {
      Invariant.require(
        plain == error, "parse and parseDocument fail differently: \(plain), \(error)")
    }
  }

  static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
