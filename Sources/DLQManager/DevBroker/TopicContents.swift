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
        var start: [KafkaTopicPartition: Int64] = [:]
        var end: [KafkaTopicPartition: Int64] = [:]
        for (partition, low, high) in try await consumer.watermarks(ofTopic: topic, timeout: .seconds(10)) ?? [] where low < high {
            start[partition] = low
            end[partition] = high
        }
        var records: [KafkaRecord] = []
        try await scan(from: start, to: end, with: consumer) { records.append($0) }
        return records
    }

    /// Assigns `consumer` the partitions of `start` at those offsets and hands every record to `visit` until each
    /// partition reached its offset in `end`. Throws when no record comes for `stallTimeout` before that.
    static func scan(
        from start: [KafkaTopicPartition: Int64],
        to end: [KafkaTopicPartition: Int64],
        with consumer: KafkaConsumer,
        stallTimeout: Duration = .seconds(30),
        _ visit: (KafkaRecord) -> Void
    ) async throws {
        guard !start.isEmpty else { return }
        try await consumer.assign(start)
        var next = start
        var lastProgress = ContinuousClock.now
        while next.contains(where: { $0.value < end[$0.key] ?? 0 }) {
            let batch = try await consumer.poll(maxRecords: 5000, timeout: .milliseconds(200))
            guard !batch.isEmpty else {
                if ContinuousClock.now - lastProgress > stallTimeout {
                    throw KafkaError(
                        code: -185, codeName: "_TIMED_OUT", message: "no records for \(stallTimeout) before the end offsets",
                        isRetriable: true, isFatal: false)
                }
                continue
            }
            lastProgress = .now
            for record in batch {
                next[record.topicPartition] = max(next[record.topicPartition] ?? 0, record.offset + 1)
                visit(record)
            }
        }
    }
}
