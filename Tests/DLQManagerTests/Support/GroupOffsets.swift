import Foundation
import Kafka

/// An application consumer group's progress on a topic, set up for lag tests.
enum GroupOffsets {
    /// Creates `orders` with 4 partitions of 25 records each.
    static func fillOrders(in cluster: KafkaMockCluster) async throws {
        try cluster.createTopic("orders", partitions: 4)
        var producerConfiguration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
        producerConfiguration.properties = ["log_level": "3"]
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: TestDatabase.logger)
        let messages = (0..<4).flatMap { partition in
            (0..<25).map { KafkaOutgoingMessage(topic: "orders", partition: Int32(partition), value: Array("event \($0)".utf8)) }
        }
        for result in try await producer.send(batch: messages) { _ = try result.get() }
        await producer.close()
    }

    /// Commits the given next offsets for `group`, as an application consumer would after processing.
    static func commit(_ offsets: [String: [Int32: Int64]], group: String, cluster: KafkaMockCluster) async throws {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupID: group)
        configuration.properties = ["log_level": "3"]
        let consumer = try KafkaConsumer(configuration: configuration, logger: TestDatabase.logger)
        var stored: [KafkaTopicPartition: Int64] = [:]
        for (topic, partitions) in offsets {
            for (partition, offset) in partitions { stored[KafkaTopicPartition(topic: topic, partition: partition)] = offset }
        }
        // Assigned without joining: the offsets are stored and committed for exactly these partitions.
        try await consumer.assign(stored)
        try consumer.storeOffsets(stored)
        try await consumer.commit()
        try await consumer.close()
    }
}
