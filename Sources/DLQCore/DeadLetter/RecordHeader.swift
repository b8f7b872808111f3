/// One Kafka record header exactly as consumed.
///
/// Kafka allows a header to repeat and its value to be null, so headers are kept as an ordered list of these
/// rather than a dictionary, and `nil` is distinct from an empty value.
public struct RecordHeader: Sendable, Hashable {
    public var name: String
    public var value: [UInt8]?

    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }

    /// A header whose value is the UTF-8 encoding of `text`, as most producers write string headers.
    public init(name: String, text: String) {
        self.init(name: name, value: Array(text.utf8))
    }
}
