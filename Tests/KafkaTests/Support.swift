import Foundation
import Kafka
import Logging

/// Shared by the tests: every test starts its own mock cluster and uses names no other test uses.
enum Support {
    static let logger: Logger = {
        var logger = Logger(label: "kafka-tests")
        logger.logLevel = .notice
        return logger
    }()

    static func unique(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    static func consumer(
        _ cluster: KafkaMockCluster,
        group: String,
        topics: [String],
        properties: [String: String] = [:],
        rejoining: Bool = false
    ) throws -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupID: group)
        configuration.properties = properties
        if rejoining {
            // The mock makes a member joining a group that others have left wait `session.timeout.ms - 1 s`
            // (44 s by default), where Kafka would rebalance at once: keep that short for tests that restart
            // a group member. Not below 4 s: a first join takes 3 s and must not outlast the session.
            configuration.sessionTimeout = .seconds(4)
            configuration.properties["heartbeat.interval.ms"] = "1000"
        }
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        try consumer.subscribe(topics: topics)
        return consumer
    }

    static func producer(_ cluster: KafkaMockCluster) throws -> KafkaProducer {
        try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers), logger: logger)
    }

    /// Polls until `count` records arrived or the deadline passed; returns what arrived (maybe fewer).
    static func poll(
        _ consumer: KafkaConsumer,
        count: Int,
        within limit: Duration = .seconds(20)
    ) async throws -> [KafkaRecord] {
        let deadline = ContinuousClock.now + limit
        var records: [KafkaRecord] = []
        while records.count < count, ContinuousClock.now < deadline {
            records += try await consumer.poll(maxRecords: count - records.count, timeout: .milliseconds(200))
        }
        return records
    }

    /// Polls (serving rebalances) until `condition` holds or the deadline passed; returns whether it held.
    static func pollUntil(
        _ consumers: [KafkaConsumer],
        within limit: Duration = .seconds(20),
        _ condition: () async throws -> Bool
    ) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            for consumer in consumers {
                let unexpected = try await consumer.poll(maxRecords: 1, timeout: .milliseconds(100))
                precondition(unexpected.isEmpty, "pollUntil is for topics without records")
            }
        }
        return try await condition()
    }
}
