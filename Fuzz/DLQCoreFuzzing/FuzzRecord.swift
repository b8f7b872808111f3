import DLQCore

/// A Kafka record read from a fuzz input, in a byte format simple enough for libFuzzer's mutations to reach
/// every part of the record, and so every envelope reader:
///
///     topic 0xFF key 0xFF value 0xFF header 0xFF header ...
///
/// - The fields are split at every `0xFF` byte (which never occurs in UTF-8 text, so JSON and header text stay
///   intact). The DLQ topic comes first, then the key, then the value, then one field per header, in order.
/// - A key or value field that is missing (too few fields) or exactly the one byte `0xFE` is null.
/// - A header field is its name, then `0xFE`, then its value; without a `0xFE` the header's value is null.
///   Names (and the topic) are read as UTF-8, repaired as the Kafka client repairs them.
///
/// Any byte string is a record, and every record whose fields contain neither `0xFE` nor `0xFF` round-trips
/// through ``fuzzInput``, which writes the seed corpus.
public struct FuzzRecord: Sendable, Equatable {
    public var topic: String
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [RecordHeader]

    static let fieldSeparator: UInt8 = 0xFF
    static let nullOrValueMarker: UInt8 = 0xFE

    public init(topic: String, key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader]) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
    }

    public init(fuzzInput input: [UInt8]) {
        let fields = input.split(separator: Self.fieldSeparator, omittingEmptySubsequences: false)
        func nullable(_ index: Int) -> [UInt8]? {
            guard index < fields.count, fields[index].elementsEqual([Self.nullOrValueMarker]) == false else { return nil }
            return Array(fields[index])
        }
        topic = String(decoding: fields[0], as: UTF8.self)
        key = nullable(1)
        value = nullable(2)
        headers = fields.dropFirst(3).map { field in
            guard let marker = field.firstIndex(of: Self.nullOrValueMarker) else {
                return RecordHeader(name: String(decoding: field, as: UTF8.self), value: nil)
            }
            return RecordHeader(
                name: String(decoding: field[..<marker], as: UTF8.self),
                value: Array(field[field.index(after: marker)...])
            )
        }
    }

    /// The fuzz input that reads back as this record (see the type's documentation for when it cannot).
    public var fuzzInput: [UInt8] {
        var fields: [[UInt8]] = [Array(topic.utf8), key ?? [Self.nullOrValueMarker], value ?? [Self.nullOrValueMarker]]
        for header in headers {
            fields.append(Array(header.name.utf8) + (header.value.map { [Self.nullOrValueMarker] + $0 } ?? []))
        }
        return Array(fields.joined(separator: [Self.fieldSeparator]))
    }
}
