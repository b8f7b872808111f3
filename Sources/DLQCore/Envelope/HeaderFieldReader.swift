/// Reads typed failure fields out of headers, noting every value that is present but unusable.
///
/// A field that cannot be read is left nil rather than guessed: a wrong original partition would make
/// replay or lineage silently wrong, whereas nil plus a note is visible.
struct HeaderFieldReader {
    let headers: HeaderLookup

    /// UTF-8 text of the last header named `name`, repaired for storage; nil when absent or null.
    func text(_ name: String, notes: inout DecodeNotes) -> String? {
        headers.value(name).map { notes.text(ofHeader: name, $0) }
    }

    /// As ``text(_:notes:)``, but an empty value counts as absent with a note: an empty topic name names nothing.
    func nonEmptyText(_ name: String, notes: inout DecodeNotes) -> String? {
        guard let text = text(name, notes: &notes) else { return nil }
        guard !text.isEmpty else {
            notes.add("header \(name): empty; ignored")
            return nil
        }
        return text
    }

    /// A Java `int` as Kafka's serializers write it: 4 bytes, big-endian.
    func bigEndianInt32(_ name: String, notes: inout DecodeNotes) -> Int32? {
        guard let bytes = headers.value(name) else { return nil }
        guard bytes.count == 4 else {
            notes.add("header \(name): expected a 4-byte big-endian integer, got \(bytes.count) bytes; ignored")
            return nil
        }
        return Int32(bitPattern: UInt32(bigEndianBytes: bytes))
    }

    /// A Java `long` as Kafka's serializers write it: 8 bytes, big-endian.
    func bigEndianInt64(_ name: String, notes: inout DecodeNotes) -> Int64? {
        guard let bytes = headers.value(name) else { return nil }
        guard bytes.count == 8 else {
            notes.add("header \(name): expected an 8-byte big-endian integer, got \(bytes.count) bytes; ignored")
            return nil
        }
        return Int64(bitPattern: UInt64(bigEndianBytes: bytes))
    }

    /// A decimal integer written as UTF-8 text, as Connect and Streams write partitions and offsets.
    func decimal<Integer: FixedWidthInteger>(_ name: String, as type: Integer.Type, notes: inout DecodeNotes) -> Integer? {
        guard let bytes = headers.value(name) else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self),
              let number = Integer(text.trimmingASCIIWhitespace(), radix: 10)
        else {
            notes.add("header \(name): not a decimal integer; ignored")
            return nil
        }
        return number
    }

    /// Partitions, offsets and attempt counts are never negative; a negative one is a producer bug, not data.
    static func nonNegative<Integer: FixedWidthInteger>(_ number: Integer?, field: String, notes: inout DecodeNotes) -> Integer? {
        guard let number else { return nil }
        guard number >= 0 else {
            notes.add("\(field): negative value \(number); ignored")
            return nil
        }
        return number
    }

    /// Connect and Streams both carry the failed record's coordinate as text under `<prefix>topic`,
    /// `<prefix>partition` and `<prefix>offset`, the numbers in decimal.
    func readDecimalOrigin(prefix: String, into letter: inout DeadLetter, notes: inout DecodeNotes) {
        letter.originalTopic = nonEmptyText(prefix + "topic", notes: &notes)
        letter.originalPartition = Self.nonNegative(
            decimal(prefix + "partition", as: Int32.self, notes: &notes),
            field: "header \(prefix)partition", notes: &notes)
        letter.originalOffset = Self.nonNegative(
            decimal(prefix + "offset", as: Int64.self, notes: &notes),
            field: "header \(prefix)offset", notes: &notes)
    }
}

private extension UInt32 {
    init(bigEndianBytes bytes: [UInt8]) {
        self = bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }
}

private extension UInt64 {
    init(bigEndianBytes bytes: [UInt8]) {
        self = bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
