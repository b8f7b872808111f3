import Kafka
import Testing

@Suite("Offsets")
struct OffsetTests {
    static func fill(_ cluster: KafkaMockCluster, topic: String, count: Int) async throws {
        try cluster.createTopic(topic, partitions: 1)
        let producer = try Support.producer(cluster)
        let messages = (0..<count).map { KafkaOutgoingMessage(topic: topic, value: Array("\($0)".utf8)) }
        for result in try await producer.send(batch: messages) {
            _ = try result.get()
        }
        await producer.close()
    }

    @Test("a new consumer in the group resumes exactly after the committed offset")
    func resumeAfterCommit() async throws {
        let cluster = try KafkaMockCluster()
        let topic = Support.unique("resume")
        let group = Support.unique("group")
        try await Self.fill(cluster, topic: topic, count: 100)
        let partition = KafkaTopicPartition(topic: topic, partition: 0)

        let first = try Support.consumer(cluster, group: group, topics: [topic], rejoining: true)
        let firstHalf = try await Support.poll(first, count: 50)
        try #require(firstHalf.count == 50)
        try first.storeOffsets([partition: firstHalf[49].offset + 1])
        try await first.commit()
        #expect(try await first.committed([partition], timeout: .seconds(5)) == [partition: 50])
        try await first.close()

        let second = try Support.consumer(cluster, group: group, topics: [topic], rejoining: true)
        let secondHalf = try await Support.poll(second, count: 50)
        #expect(secondHalf.map(\.offset) == Array(50..<100))
        try await second.close()
    }

    @Test("without stored offsets a restarted consumer starts over: nothing is stored or committed automatically")
    func noAutomaticCommit() async throws {
        let cluster = try KafkaMockCluster()
        let topic = Support.unique("nocommit")
        let group = Support.unique("group")
        try await Self.fill(cluster, topic: topic, count: 20)
        let partition = KafkaTopicPartition(topic: topic, partition: 0)

        let first = try Support.consumer(cluster, group: group, topics: [topic], rejoining: true)
        #expect(try await Support.poll(first, count: 20).count == 20)
        // Commit with nothing stored must be a quiet no-op, and still must not commit what was consumed.
        try await first.commit()
        try await first.close()

        let second = try Support.consumer(cluster, group: group, topics: [topic], rejoining: true)
        let committed = try await second.committed([partition], timeout: .seconds(5))
        #expect(committed.count == 1 && committed[partition] == .some(nil))
        let again = try await Support.poll(second, count: 20)
        #expect(again.map(\.offset) == Array(0..<20))
        try await second.close()
    }

    @Test("storing an offset for a partition this member does not own is skipped, not thrown")
    func storeForUnassignedPartition() async throws {
        let cluster = try KafkaMockCluster()
        let consumer = try Support.consumer(cluster, group: Support.unique("group"), topics: [Support.unique("unowned")])
        try consumer.storeOffsets([KafkaTopicPartition(topic: Support.unique("other"), partition: 0): 5])
        try await consumer.close()
    }

    @Test("watermarks report the partition's first and next offset")
    func watermarks() async throws {
        let cluster = try KafkaMockCluster()
        let topic = Support.unique("watermarks")
        try await Self.fill(cluster, topic: topic, count: 7)
        let consumer = try Support.consumer(cluster, group: Support.unique("group"), topics: [topic])
        let marks = try await consumer.watermarks(KafkaTopicPartition(topic: topic, partition: 0), timeout: .seconds(5))
        #expect(marks.low == 0 && marks.high == 7)
        try await consumer.close()
    }

    @Test("a closed consumer refuses further calls, and closing again is harmless")
    func closeIsFinal() async throws {
        let cluster = try KafkaMockCluster()
        let consumer = try Support.consumer(cluster, group: Support.unique("group"), topics: [Support.unique("closed")])
        try await consumer.close()
        try await consumer.close()
        await #expect(throws: KafkaError.self) {
            try await consumer.poll(maxRecords: 1, timeout: .zero)
        }
    }
}
