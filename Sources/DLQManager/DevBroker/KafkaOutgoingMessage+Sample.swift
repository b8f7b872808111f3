import DLQCore
import Kafka

extension KafkaOutgoingMessage {
    /// A sample dead letter, ready to produce to `topic`.
    public init(sample: SampleRecord, topic: String) {
        self.init(
            topic: topic,
            key: sample.key,
            value: sample.value,
            headers: sample.headers.map { KafkaHeader(name: $0.name, value: $0.value) }
        )
    }
}
