/// Where a dead letter was read from: the DLQ topic, partition and offset.
///
/// Unique per dead letter in the store, so redelivery after a crash is absorbed rather than duplicated.
public struct DLQCoordinate: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64

    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}
