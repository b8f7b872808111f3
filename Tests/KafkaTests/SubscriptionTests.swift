import Kafka
import Testing

@Suite("Subscriptions and groups")
struct SubscriptionTests {
    @Test("a regex subscription picks up matching topics only")
    func regexSubscription() async throws {
        let cluster = try KafkaMockCluster()
        let run = Support.unique("r")
        let matching = ["orders.\(run).eu.dlq", "orders.\(run).us.dlq"]
        let others = ["orders.\(run).eu.retry", "payments.\(run).dlq", "xorders.\(run).dlq"]
        let producer = try Support.producer(cluster)
        for topic in matching + others {
            try cluster.createTopic(topic, partitions: 1)
            _ = try await producer.send(KafkaOutgoingMessage(topic: topic, value: Array(topic.utf8)))
        }
        await producer.close()

        let consumer = try Support.consumer(cluster, group: Support.unique("group"), topics: ["^orders\\..*\\.dlq$"])
        let records = try await Support.poll(consumer, count: 2)
        #expect(Set(records.map(\.topic)) == Set(matching))
        #expect(Set(try await consumer.assignment().map(\.topic)) == Set(matching))
        try await consumer.close()
    }

    @Test(
        "two consumers in one group split the partitions and see every record once",
        arguments: ["range", "cooperative-sticky"]
    )
    func groupSplitsPartitions(strategy: String) async throws {
        let cluster = try KafkaMockCluster()
        let topic = Support.unique("split")
        let group = Support.unique("group")
        try cluster.createTopic(topic, partitions: 4)
        let properties = ["partition.assignment.strategy": strategy]
        let a = try Support.consumer(cluster, group: group, topics: [topic], properties: properties, rejoining: true)
        let b = try Support.consumer(cluster, group: group, topics: [topic], properties: properties, rejoining: true)

        // Let the group settle before producing, so no record is read by one member and then re-read by the
        // other after a rebalance (nothing is committed in this test).
        let settled = try await Support.pollUntil([a, b]) {
            let (left, right) = (try await a.assignment(), try await b.assignment())
            return left.count == 2 && right.count == 2
        }
        try #require(settled)
        let left = Set(try await a.assignment())
        let right = Set(try await b.assignment())
        #expect(left.isDisjoint(with: right))
        #expect(left.union(right).count == 4)

        let producer = try Support.producer(cluster)
        let messages = (0..<400).map { KafkaOutgoingMessage(topic: topic, key: Array("k\($0)".utf8), value: Array("\($0)".utf8)) }
        _ = try await producer.send(batch: messages)
        await producer.close()

        var seen: [KafkaRecord] = []
        let deadline = ContinuousClock.now + .seconds(20)
        var fromA = 0
        while seen.count < 400, ContinuousClock.now < deadline {
            let batchA = try await a.poll(maxRecords: 500, timeout: .milliseconds(100))
            fromA += batchA.count
            seen += batchA
            seen += try await b.poll(maxRecords: 500, timeout: .milliseconds(100))
        }
        #expect(seen.count == 400)
        #expect(Set(seen.map { String(decoding: $0.value ?? [], as: UTF8.self) }) == Set((0..<400).map { "\($0)" }))
        #expect(fromA > 0 && fromA < 400)
        try await a.close()
        try await b.close()
    }
}
