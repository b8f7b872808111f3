/// A record to be sent by ``KafkaProducer``.
public struct KafkaOutgoingMessage: Sendable {
    public var topic: String
    /// `nil` lets librdkafka's partitioner choose, by key (consistent-random), so equal keys share a partition.
    public var partition: Int32?
    /// `nil` sends a null key, `[]` an empty one.
    public var key: [UInt8]?
    /// `nil` sends a null value (a tombstone), `[]` an empty one.
    public var value: [UInt8]?
    /// Sent in this order; names may repeat.
    public var headers: [KafkaHeader]

    public init(
        topic: String,
        partition: Int32? = nil,
        key: [UInt8]? = nil,
        value: [UInt8]?,
        headers: [KafkaHeader] = []
    ) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
    }
}
