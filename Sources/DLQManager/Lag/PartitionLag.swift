/// How far a consumer group is behind on one partition: the log-end offset minus the group's committed offset.
public struct PartitionLag: Sendable, Codable, Equatable {
    public var group: String
    public var topic: String
    public var partition: Int32
    /// The group's committed offset (the next record it will read); nil when it never committed one.
    public var committed: Int64?
    /// The offset the next record written to the partition gets.
    public var logEnd: Int64
    /// `logEnd - committed`; without a committed offset, every record still retained counts.
    public var lag: Int64

    public init(group: String, topic: String, partition: Int32, committed: Int64?, logEnd: Int64, lag: Int64) {
        self.group = group
        self.topic = topic
        self.partition = partition
        self.committed = committed
        self.logEnd = logEnd
        self.lag = lag
    }

    enum CodingKeys: String, CodingKey {
        case group, topic, partition, committed = "current_offset", logEnd = "log_end_offset", lag
    }
}
