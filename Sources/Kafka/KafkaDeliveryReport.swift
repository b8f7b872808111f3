/// Where the broker stored a message sent by ``KafkaProducer``.
public struct KafkaDeliveryReport: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    /// The offset assigned by the broker. librdkafka reports -1001 (unknown) when an idempotent producer had
    /// to retry the message and lost track of it, even though it was delivered.
    public var offset: Int64

    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}
