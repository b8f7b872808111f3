import Kafka
import Testing

@Suite("Producer")
struct ProducerTests {
    @Test("a retriable produce error is retried by the idempotent producer and the send succeeds")
    func retriableErrorIsRetried() async throws {
        let cluster = try KafkaMockCluster()
        let topic = Support.unique("retry")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try Support.producer(cluster)
        _ = try await producer.send(KafkaOutgoingMessage(topic: topic, value: [0]))

        // ApiKey 0 = Produce; 19 = NOT_ENOUGH_REPLICAS, which Kafka clients retry.
        cluster.pushRequestErrors(apiKey: 0, errors: [19, 19])
        let report = try await producer.send(KafkaOutgoingMessage(topic: topic, value: [1]))
        #expect(report.topic == topic && report.partition == 0)
        await producer.close()
    }

    @Test("a non-retriable produce error surfaces from send as a KafkaError")
    func permanentErrorSurfaces() async throws {
        let cluster = try KafkaMockCluster()
        let topic = Support.unique("permanent")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try Support.producer(cluster)
        _ = try await producer.send(KafkaOutgoingMessage(topic: topic, value: [0]))

        // 87 = INVALID_RECORD: the broker rejects the batch for good.
        cluster.pushRequestErrors(apiKey: 0, errors: [87])
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaOutgoingMessage(topic: topic, value: [1]))
        }
        #expect(error?.code == 87)
        #expect(error?.codeName == "INVALID_RECORD")
        #expect(error?.isRetriable == false)
        await producer.close()
    }

    @Test("messages without a partition are spread by key, equal keys to the same partition")
    func partitionerByKey() async throws {
        let cluster = try KafkaMockCluster()
        let topic = Support.unique("bykey")
        try cluster.createTopic(topic, partitions: 8)
        let producer = try Support.producer(cluster)
        let messages = (0..<200).map { KafkaOutgoingMessage(topic: topic, key: Array("key-\($0 % 20)".utf8), value: []) }
        let reports = try await producer.send(batch: messages).map { try $0.get() }
        var partitionOfKey: [[UInt8]: Set<Int32>] = [:]
        for (message, report) in zip(messages, reports) {
            partitionOfKey[message.key!, default: []].insert(report.partition)
        }
        #expect(partitionOfKey.values.allSatisfy { $0.count == 1 })
        #expect(Set(reports.map(\.partition)).count > 1)
        await producer.close()
    }

    @Test("a closed producer refuses to send, and closing again is harmless")
    func closeIsFinal() async throws {
        let cluster = try KafkaMockCluster()
        let producer = try Support.producer(cluster)
        await producer.close()
        await producer.close()
        await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaOutgoingMessage(topic: Support.unique("closed"), value: nil))
        }
    }

    @Test("a send still waiting when the producer closes fails instead of waiting forever")
    func closeFailsOutstandingSends() async throws {
        let cluster = try KafkaMockCluster()
        let topic = Support.unique("abandoned")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try Support.producer(cluster)
        _ = try await producer.send(KafkaOutgoingMessage(topic: topic, value: [0]))

        try cluster.setBrokerDown(1)
        let pending = Task { try await producer.send(KafkaOutgoingMessage(topic: topic, value: [1])) }
        // A flush that times out proves the message is enqueued (flushes run in order with enqueues).
        let deadline = ContinuousClock.now + .seconds(10)
        var enqueued = false
        while !enqueued, ContinuousClock.now < deadline {
            enqueued = (try? await producer.flush(timeout: .milliseconds(100))) == nil
        }
        try #require(enqueued)
        await producer.close()
        let error = await #expect(throws: KafkaError.self) { try await pending.value }
        #expect(error?.codeName.hasPrefix("_PURGE") == true)
    }

    @Test("while the only broker is down a send fails with a retriable timeout; once it is back sends succeed")
    func brokerDownAndUp() async throws {
        let cluster = try KafkaMockCluster()
        let topic = Support.unique("outage")
        try cluster.createTopic(topic, partitions: 1)
        var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
        configuration.properties["message.timeout.ms"] = "1000"
        let producer = try KafkaProducer(configuration: configuration, logger: Support.logger)
        // Connecting and initialising the idempotent producer can take longer than that timeout on a busy
        // machine, so the first send is retried like the ones after recovery below.
        #expect(await Self.sendWithin(.seconds(20), producer, KafkaOutgoingMessage(topic: topic, value: [0])) != nil)

        try cluster.setBrokerDown(1)
        let error = await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaOutgoingMessage(topic: topic, value: [1]))
        }
        #expect(error?.codeName == "_MSG_TIMED_OUT")
        #expect(error?.isRetriable == true)

        try cluster.setBrokerUp(1)
        // librdkafka reconnects with exponential backoff, so the first sends after recovery may still time out.
        #expect(await Self.sendWithin(.seconds(20), producer, KafkaOutgoingMessage(topic: topic, value: [2])) != nil)
        await producer.close()
    }

    /// Sends until one attempt succeeds or the time is up; `nil` if none did.
    static func sendWithin(
        _ limit: Duration,
        _ producer: KafkaProducer,
        _ message: KafkaOutgoingMessage
    ) async -> KafkaDeliveryReport? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let report = try? await producer.send(message) {
                return report
            }
        }
        return nil
    }
}
