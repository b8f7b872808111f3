import Foundation

/// A record read from Kafka by ``KafkaConsumer``.
///
/// Keys, values and header values are raw bytes: a dead-letter queue must not assume an encoding. `nil` and
/// an empty array are different on the wire (null vs. zero-length) and are kept different here.
public struct KafkaRecord: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// `nil` for a null key, `[]` for an empty one.
    public var key: [UInt8]?
    /// `nil` for a null value (a tombstone), `[]` for an empty one.
    public var value: [UInt8]?
    /// In wire order, repeated names kept.
    public var headers: [KafkaHeader]
    /// Create time or log-append time, whichever the topic uses; `nil` when the broker sent none.
    public var timestamp: Date?

    public init(
        topic: String,
        partition: Int32,
        offset: Int64,
        key: [UInt8]?,
        value: [UInt8]?,
        headers: [KafkaHeader] = [],
        timestamp: Date? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }

    /// The partition this record came from, the key under which its next offset is stored.
    public var topicPartition: KafkaTopicPartition {
        KafkaTopicPartition(topic: topic, partition: partition)
    }
}
