/// Last-wins access to a record's headers by name.
///
/// Kafka headers may repeat; every producer convention we decode (Spring's `lastHeader`, Connect, Streams)
/// treats the last occurrence as current, so lookups here do too. Built once per record: linear in the
/// header count however many fields are looked up.
struct HeaderLookup {
    let headers: [RecordHeader]
    private var lastIndexByName: [String: Int] = [:]
    private var lastIndexByLowercasedName: [String: Int] = [:]

    init(_ headers: [RecordHeader]) {
        self.headers = headers
        for (index, header) in headers.enumerated() {
            lastIndexByName[header.name] = index
            lastIndexByLowercasedName[header.name.lowercased()] = index
        }
    }

    /// The last value of the header named exactly `name`; nil when absent or when that last value is null.
    func value(_ name: String) -> [UInt8]? {
        lastIndexByName[name].flatMap { headers[$0].value }
    }

    /// As ``value(_:)`` but matching names case-insensitively, for conventions born in HTTP (trace headers,
    /// hand-rolled `Retry-Count`), where case carries no meaning.
    func valueIgnoringCase(_ name: String) -> (name: String, value: [UInt8])? {
        guard let index = lastIndexByLowercasedName[name.lowercased()], let value = headers[index].value else {
            return nil
        }
        return (headers[index].name, value)
    }

    func containsName(withPrefix prefix: String) -> Bool {
        headers.contains { $0.name.hasPrefix(prefix) }
    }
}
