import Foundation
import Kafka
import Logging

/// Everything a topic holds right now, read partition by partition from the oldest offset to the end: for
/// `dlq dev-consume`, which shows what a replay published, and for checks that must see a topic whole.
public enum TopicContents {
    /// Empty when the topic does not exist. Throws when a partition stops yielding records before its end.
    public static func read(
        _ topic: String,
        bootstrapServers: String,
        properties: [String: String] = [:],
        logger: Logger
    ) async throws -> [KafkaRecord] {
        // A group id is required by librdkafka, but the consumer only assigns partitions: it never joins or commits.
        var configuration = KafkaConsumerConfiguration(bootstrapServers: bootstrapServers, groupID: "dlq-topic-reader")
        configuration.properties = properties
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        do {
            let records = try await read(topic, with: consumer)
            try await consumer.close()
            return records
        } catch {
            try? await consumer.close()
            throw error
        }
    }

    private static func read(_ topic: String, with consumer: KafkaConsumer) async throws -> [KafkaRecord] {
        guard let partitions = try await consumer.partitionCount(of: topic, timeout: .seconds(10)) else { return [] }
        var next: [KafkaTopicPartition: Int64] = [:]
        var end: [KafkaTopicPartition: Int64] = [:]
        for partition in 0..<Int32(partitions) {
            let tp = KafkaTopicPartition(topic: topic, partition: partition)
            let (low, high) = try await consumer.watermarks(tp, timeout: .seconds(10))
            if low < high {
                next[tp] = low
                end[tp] = high
            }
        }
        guard !next.isEmpty else { return [] }
        try await consumer.assign(next)
        var records: [KafkaRecord] = []
        var lastProgress = ContinuousClock.now
        while next.contains(where: { $0.value < end[$0.key]! }) {
            let batch = try await consumer.poll(maxRecords: 5000, timeout: .milliseconds(200))
            guard !batch.isEmpty else {
                if ContinuousClock.now - lastProgress > .seconds(30) {
                    throw KafkaError(code: -185, codeName: "_TIMED_OUT", message: "\(topic) stopped before its end offsets", isRetriable: true, isFatal: false)
                }
                continue
            }
            lastProgress = .now
            for record in batch {
                records.append(record)
                next[record.topicPartition] = record.offset + 1
            }
        }
        return records
    }
}
