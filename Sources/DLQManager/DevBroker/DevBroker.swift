import Foundation
import Kafka
import Logging
import ServiceLifecycle

/// The development broker: librdkafka's mock cluster, which speaks the Kafka protocol on loopback, kept alive
/// until graceful shutdown. It stands in for a real cluster in the demo and the tests; it keeps only about the
/// last 5 MB of each partition, so large workloads need more partitions.
public struct DevBroker: Service {
    /// A topic to create at start, e.g. `orders.dlq:4`.
    public struct Topic: Sendable {
        public var name: String
        public var partitions: Int32

        /// Parses `name` or `name:partitions`.
        public init?(_ specification: String, defaultPartitions: Int32 = 4) {
            let parts = specification.split(separator: ":", omittingEmptySubsequences: false)
            guard let name = parts.first, !name.isEmpty, parts.count <= 2 else { return nil }
            self.name = String(name)
            if parts.count == 2 {
                guard let partitions = Int32(parts[1]), partitions > 0 else { return nil }
                self.partitions = partitions
            } else {
                self.partitions = defaultPartitions
            }
        }
    }

    private let brokers: Int
    private let topics: [Topic]
    private let bootstrapFile: String?
    private let logger: Logger
    private let onReady: @Sendable (String) -> Void

    /// - Parameter onReady: called with the bootstrap servers once the cluster listens and its topics exist.
    public init(brokers: Int, topics: [Topic], bootstrapFile: String?, logger: Logger, onReady: @escaping @Sendable (String) -> Void) {
        self.brokers = brokers
        self.topics = topics
        self.bootstrapFile = bootstrapFile
        self.logger = logger
        self.onReady = onReady
    }

    public func run() async throws {
        let cluster = try KafkaMockCluster(brokers: brokers)
        for topic in topics {
            try cluster.createTopic(topic.name, partitions: topic.partitions)
        }
        if let bootstrapFile {
            // Written whole and renamed, so a script waiting for the file never reads half of it.
            let temporary = bootstrapFile + ".tmp"
            try Data((cluster.bootstrapServers + "\n").utf8).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, bootstrapFile) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: bootstrapFile])
            }
        }
        logger.info("dev broker ready", metadata: [
            "bootstrap_servers": "\(cluster.bootstrapServers)",
            "topics": "\(topics.map { "\($0.name):\($0.partitions)" }.joined(separator: ","))",
        ])
        onReady(cluster.bootstrapServers)
        try? await gracefulShutdown()
        logger.info("dev broker stopping")
        if let bootstrapFile {
            try? FileManager.default.removeItem(atPath: bootstrapFile)
        }
        withExtendedLifetime(cluster) {}
    }
}
