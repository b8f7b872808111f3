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

extension DLQCoordinate {
    /// `topic:partition:offset`. Kafka topic names cannot contain `:`, so the form is unambiguous.
    public var text: String { "\(topic):\(partition):\(offset)" }

    /// Reads ``text``; nil for anything else.
    public init?(text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, let partition = Int32(parts[1]), let offset = Int64(parts[2]),
              partition >= 0, offset >= 0
        else { return nil }
        self.init(topic: String(parts[0]), partition: partition, offset: offset)
    }
}
