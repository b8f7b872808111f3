import Kafka

extension IngestHarness {
    /// How many records of `partitions` the daemons' group has not committed yet: the sum of each partition's end
    /// minus the group's committed offset (its start when nothing is committed).
    func uncommittedRecords(in partitions: Set<Int32>) async throws -> Int64 {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupID: groupID)
        configuration.properties = ["log_level": "3"]
        let consumer = try KafkaConsumer(configuration: configuration, logger: TestDatabase.logger)
        let topicPartitions = partitions.map { KafkaTopicPartition(topic: topic, partition: $0) }
        let committed = try await consumer.committed(topicPartitions, timeout: .seconds(5))
        var backlog: Int64 = 0
        for partition in topicPartitions {
            let (low, high) = try await consumer.watermarks(partition, timeout: .seconds(5))
            backlog += high - ((committed[partition] ?? nil) ?? low)
        }
        try await consumer.close()
        return backlog
    }
}
