import DLQCore
import Kafka

extension EnvelopeDecoder {
    /// Decodes a consumed Kafka record; the domain module knows nothing of Kafka's types.
    func decode(_ record: KafkaRecord) -> DeadLetter {
        decode(
            coordinate: DLQCoordinate(topic: record.topic, partition: record.partition, offset: record.offset),
            key: record.key,
            value: record.value,
            headers: record.headers.map { RecordHeader(name: $0.name, value: $0.value) },
            kafkaTimestamp: record.timestamp
        )
    }
}
