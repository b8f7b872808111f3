import Kafka
import Logging

/// Reads consumer groups' lag from the cluster: committed offsets against log-end offsets, per partition.
///
/// It uses a consumer configured with the group's id that never subscribes, so it reads the group's offsets
/// without joining the group or disturbing its members.
public struct ConsumerGroupLagReader: Sendable {
    let settings: KafkaSettings
    let logger: Logger

    public init(settings: KafkaSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// Every partition of `topics` for `group`, in topic and partition order. A topic the cluster does not know
    /// has no rows.
    public func lag(group: String, topics: [String]) async throws -> [PartitionLag] {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: settings.bootstrapServers, groupID: group)
        configuration.properties = settings.passThroughProperties()
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        do {
            var lags: [PartitionLag] = []
            for topic in topics.sorted() {
                guard let watermarks = try await consumer.watermarks(ofTopic: topic, timeout: .seconds(10)) else { continue }
                let committed = try await consumer.committed(watermarks.map(\.partition), timeout: .seconds(10))
                for (partition, low, high) in watermarks {
                    let offset = committed[partition] ?? nil
                    lags.append(PartitionLag(
                        group: group, topic: topic, partition: partition.partition, committed: offset, logEnd: high,
                        lag: max(0, high - max(offset ?? low, low))
                    ))
                }
            }
            try await consumer.close()
            return lags
        } catch {
            try? await consumer.close()
            throw error
        }
    }
}
