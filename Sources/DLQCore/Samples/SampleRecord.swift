/// The parts of a Kafka record a sample dead letter consists of, ready to produce to a DLQ topic.
public struct SampleRecord: Sendable, Hashable {
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [RecordHeader]

    public init(key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader]) {
        self.key = key
        self.value = value
        self.headers = headers
    }
}
