import Foundation
import Kafka
import Testing

@Suite("Throughput")
struct ThroughputTests {
    static let count = 200_000

    @Test("200,000 records of 1 KB go through send(batch:) and poll() complete and in partition order")
    func throughput() async throws {
        let cluster = try KafkaMockCluster()
        let topic = Support.unique("throughput")
        // The mock keeps only ~5 MB per partition; 64 partitions hold the 200 MB without loss.
        try cluster.createTopic(topic, partitions: 64)
        let producer = try Support.producer(cluster)
        let payload = [UInt8](repeating: 0x5a, count: 1024)
        let messages = (0..<Self.count).map {
            KafkaOutgoingMessage(topic: topic, key: Array("\($0)".utf8), value: payload, headers: [KafkaHeader(name: "n", value: [1])])
        }

        let produceStart = ContinuousClock.now
        let results = try await producer.send(batch: messages)
        let produceTime = ContinuousClock.now - produceStart
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        await producer.close()

        let consumer = try Support.consumer(cluster, group: Support.unique("group"), topics: [topic])
        // Wait for the group join (about 3 s on the mock) before the clock starts.
        var records = try await Support.poll(consumer, count: 1)
        let consumeStart = ContinuousClock.now
        var nextOffset: [Int32: Int64] = [:]
        var inOrder = true
        let deadline = consumeStart + .seconds(60)
        while records.count < Self.count, ContinuousClock.now < deadline {
            let batch = try await consumer.poll(maxRecords: 5000, timeout: .milliseconds(500))
            records += batch
        }
        let consumeTime = ContinuousClock.now - consumeStart
        for record in records {
            if let expected = nextOffset[record.partition], expected != record.offset { inOrder = false }
            nextOffset[record.partition] = record.offset + 1
        }
        #expect(records.count == Self.count)
        #expect(inOrder)
        #expect(records.allSatisfy { $0.value?.count == 1024 })
        try await consumer.close()

        func rate(_ n: Int, _ d: Duration) -> Int {
            Int(Double(n) / (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18))
        }
        print("throughput: send(batch:) \(Self.count) x 1 KB in \(produceTime): \(rate(Self.count, produceTime)) records/s")
        print("throughput: poll() \(records.count - 1) x 1 KB in \(consumeTime): \(rate(records.count - 1, consumeTime)) records/s")
    }
}
