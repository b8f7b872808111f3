import CRdKafka

/// Owns an `rd_kafka_topic_partition_list_t` for the duration of one call into librdkafka.
/// Never shared between threads, so it needs no Sendable story.
final class TopicPartitionList {
    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    /// Takes ownership of a list librdkafka allocated (e.g. from `rd_kafka_assignment`).
    init(owning pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        self.pointer = pointer
    }

    init(capacity: Int) {
        pointer = rd_kafka_topic_partition_list_new(Int32(clamping: capacity))
    }

    convenience init(_ partitions: some Collection<KafkaTopicPartition>, offset: (KafkaTopicPartition) -> Int64? = { _ in nil }) {
        self.init(capacity: partitions.count)
        for partition in partitions {
            add(partition, offset: offset(partition))
        }
    }

    deinit {
        rd_kafka_topic_partition_list_destroy(pointer)
    }

    func add(_ topicPartition: KafkaTopicPartition, offset: Int64? = nil) {
        let element = rd_kafka_topic_partition_list_add(pointer, topicPartition.topic, topicPartition.partition)!
        if let offset {
            element.pointee.offset = offset
        }
    }

    var elements: UnsafeMutableBufferPointer<rd_kafka_topic_partition_t> {
        UnsafeMutableBufferPointer(start: pointer.pointee.elems, count: Int(pointer.pointee.cnt))
    }

    /// Topic, partition, offset and per-partition error of every element.
    var entries: [(topicPartition: KafkaTopicPartition, offset: Int64, error: rd_kafka_resp_err_t)] {
        elements.map { element in
            (
                KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition),
                element.offset,
                element.err
            )
        }
    }
}

extension Collection<KafkaTopicPartition> {
    /// For log lines: "orders.dlq[0], orders.dlq[1]".
    var logDescription: String {
        map(\.description).joined(separator: ", ")
    }
}
