import Kafka
import Testing

@Suite("Round trip")
struct RoundTripTests {
    /// Message `i` of the test stream: every field shape Kafka allows, so nothing is lost or normalised.
    static func message(_ i: Int, topic: String) -> KafkaOutgoingMessage {
        let allBytes = (0...255).map(UInt8.init)
        let key: [UInt8]? =
            switch i % 4 {
            case 0: nil
            case 1: []
            case 2: allBytes
            default: [UInt8(i & 0xff), UInt8(i >> 8), 0, 0xff]
            }
        let value: [UInt8]? =
            switch i % 5 {
            case 0: nil
            case 1: []
            case 2: allBytes.reversed()
            case 3: [0]
            default: Array(repeating: UInt8(i % 256), count: i)
            }
        let headers = [
            KafkaHeader(name: "attempt", value: Array("\(i)".utf8)),
            KafkaHeader(name: "binary", value: allBytes),
            KafkaHeader(name: "null", value: nil),
            KafkaHeader(name: "attempt", value: []),
            KafkaHeader(name: "zero", value: [0, 0, 0]),
        ]
        return KafkaOutgoingMessage(topic: topic, partition: 0, key: key, value: value, headers: i % 3 == 0 ? [] : headers)
    }

    @Test("binary keys, values and headers arrive byte-exact and in order")
    func binaryRoundTrip() async throws {
        let cluster = try KafkaMockCluster()
        let topic = Support.unique("binary")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try Support.producer(cluster)
        let sent = (0..<1000).map { Self.message($0, topic: topic) }

        let reports = try await producer.send(batch: sent).map { try $0.get() }
        #expect(reports.map(\.offset) == (0..<1000).map(Int64.init))

        let consumer = try Support.consumer(cluster, group: Support.unique("group"), topics: [topic])
        let records = try await Support.poll(consumer, count: sent.count)
        try #require(records.count == sent.count)
        for (record, message) in zip(records, sent) {
            #expect(record.key == message.key, "key of offset \(record.offset)")
            #expect(record.value == message.value, "value of offset \(record.offset)")
            #expect(record.headers == message.headers, "headers of offset \(record.offset)")
            #expect(record.timestamp != nil)
        }
        #expect(records.map(\.offset) == (0..<1000).map(Int64.init))
        try await consumer.close()
        await producer.close()
    }
}
