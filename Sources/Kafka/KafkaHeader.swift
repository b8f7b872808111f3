/// One Kafka record header.
///
/// Headers are an ordered list, not a dictionary: Kafka allows a name to repeat and keeps the order, and dead
/// letters are forwarded byte for byte, so both are preserved.
public struct KafkaHeader: Sendable, Hashable {
    /// The header key. Kafka defines it as a UTF-8 string.
    public var name: String
    /// The raw header value; `nil` is Kafka's null value, which is distinct from an empty value.
    public var value: [UInt8]?

    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }
}
