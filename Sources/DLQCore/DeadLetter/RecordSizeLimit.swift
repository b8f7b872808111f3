/// The most bytes of one record the daemon stores, and what it keeps of a record over that.
///
/// Everything the daemon stores arrives from the network, and a DLQ topic configured for large messages (or a
/// hostile producer) can carry records of hundreds of megabytes. Each would cost that much memory in every
/// stage of a batch and that much in the database, and could not be shown, alerted on or replayed sensibly.
/// Such a record is still stored, so nothing goes unrecorded: its coordinate, header names and decoded failure
/// metadata whole, its key, value, header values, message and stack trace cut to ``excerptBytes`` each, and
/// ``DeadLetter/truncatedFrom`` set to its full size. A replay skips it; the full record stays in the DLQ topic
/// until the topic's retention removes it.
public struct RecordSizeLimit: Sendable, Equatable {
    /// Records whose key, value, header names and header values add up to more than this are cut.
    public var maxBytes: Int
    /// How much of each field of a cut record is kept: enough to inspect it.
    public static let excerptBytes = 64 * 1024

    public init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    /// The record's size as this limit counts it: key, value, and every header's name and value.
    public static func size(of letter: DeadLetter) -> Int {
        var size = (letter.key?.count ?? 0) + (letter.value?.count ?? 0)
        for header in letter.headers {
            size += header.name.utf8.count + (header.value?.count ?? 0)
        }
        return size
    }

    /// Cuts `letter` as described above when it is over the limit; leaves it untouched otherwise.
    public func apply(to letter: inout DeadLetter) {
        let size = Self.size(of: letter)
        guard size > maxBytes else { return }
        let excerpt = Self.excerptBytes
        letter.key = letter.key.map { Array($0.prefix(excerpt)) }
        letter.value = letter.value.map { Array($0.prefix(excerpt)) }
        letter.headers = letter.headers.map { header in
            RecordHeader(name: Self.cut(header.name), value: header.value.map { Array($0.prefix(excerpt)) })
        }
        letter.errorMessage = letter.errorMessage.map(Self.cut)
        letter.stackTrace = letter.stackTrace.map(Self.cut)
        // The slice it named may lie past the cut; a replay will not publish this record anyway.
        letter.originalEventRange = nil
        letter.truncatedFrom = Int64(size)
        letter.decodeNotes.append(
            "record of \(size) bytes is over the limit of \(maxBytes) (ingest.max_record_bytes): key, value and "
                + "header values stored cut to their first \(excerpt) bytes; replay skips it")
    }

    /// `text` cut to at most ``excerptBytes`` of UTF-8, before a scalar's first byte so that it stays valid text.
    private static func cut(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.count > excerptBytes else { return text }
        var end = utf8.index(utf8.startIndex, offsetBy: excerptBytes)
        while utf8[end] & 0xC0 == 0x80 {  // a continuation byte: inside a scalar
            end = utf8.index(before: end)
        }
        return String(decoding: utf8[..<end], as: UTF8.self)
    }
}
