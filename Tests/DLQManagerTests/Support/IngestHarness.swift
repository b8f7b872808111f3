import DLQCore
import Foundation
import Kafka
import Logging
import Postgres

/// One ingestion scenario: a private mock Kafka cluster with a DLQ topic, a migrated database, and the
/// environment that points a `dlq ingest` process at both.
struct IngestHarness {
    /// A record's identity in the DLQ topic and the bytes it was produced with.
    struct Coordinate: Hashable {
        var partition: Int32
        var offset: Int64
    }

    struct Record: Equatable {
        var key: [UInt8]?
        var value: [UInt8]?
        var headers: [KafkaHeader]
    }

    let cluster: KafkaMockCluster
    let database: TestDatabase
    let topic: String
    let partitions: Int32
    let groupID = "dlq-test-\(UInt32.random(in: 0...UInt32.max))"

    static func make(topic: String = "orders.dlq", partitions: Int32 = 4, databaseServerURL: String? = nil) async throws -> IngestHarness {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic(topic, partitions: partitions)
        let database = try await TestDatabase.create(serverURL: databaseServerURL)
        return IngestHarness(cluster: cluster, database: database, topic: topic, partitions: partitions)
    }

    /// A member killed with SIGKILL holds its partitions until its session times out (45 s by default), and
    /// the mock cluster also waits that long before completing a rebalance; a short session keeps restart
    /// tests quick. Set through the configuration file, as an operator would.
    private static let configurationFile = writeConfiguration("")

    /// A configuration file with the short Kafka session above plus `yaml` (more top-level sections).
    static func writeConfiguration(_ yaml: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dlq-test-\(UUID().uuidString).yaml").path
        let contents = """
            kafka:
              properties:
                session.timeout.ms: "6000"
                heartbeat.interval.ms: "500"

            """ + yaml
        _ = FileManager.default.createFile(atPath: path, contents: Data(contents.utf8))
        return path
    }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        [
            "DLQ_CONFIG": Self.configurationFile,
            "DLQ_DATABASE_URL": database.url,
            "DLQ_KAFKA_BOOTSTRAP_SERVERS": cluster.bootstrapServers,
            "DLQ_KAFKA_TOPICS": topic,
            "DLQ_KAFKA_GROUP_ID": groupID,
            "DLQ_INGEST_POLL_TIMEOUT_MS": "100",
            "DLQ_LOG_LEVEL": "info",
            // Tests run daemons in parallel: the HTTP endpoint's default port would clash. The tests of the
            // endpoint give each daemon a port of its own.
            "DLQ_HTTP_ADDRESS": "off",
        ].merging(extra) { $1 }
    }

    func startDaemon(_ extra: [String: String] = [:]) throws -> DLQProcess {
        try DLQProcess(["ingest"], environment: environment(extra))
    }

    /// A Spring Kafka dead letter whose group is decided by `exceptionClass` (the message differs only in
    /// an order number, which the normalizer folds).
    func springFailure(exceptionClass: String, index: Int) -> KafkaOutgoingMessage {
        KafkaOutgoingMessage(topic: topic, key: Array("order-\(index)".utf8), value: Array(#"{"orderId": \#(index)}"#.utf8), headers: [
            KafkaHeader(name: "kafka_dlt-original-topic", value: Array("orders".utf8)),
            KafkaHeader(name: "kafka_dlt-exception-fqcn", value: Array(exceptionClass.utf8)),
            KafkaHeader(name: "kafka_dlt-exception-message", value: Array("Card declined for order \(index)".utf8)),
        ])
    }

    /// Produces `count` sample dead letters, rotating through every format, and returns them by coordinate.
    func produceSamples(count: Int, startIndex: Int = 0, valueSize: Int = 600) async throws -> [Coordinate: Record] {
        let messages = (startIndex..<(startIndex + count)).map { index in
            let sample = SampleDeadLetters.make(
                format: EnvelopeFormat.allCases[index % EnvelopeFormat.allCases.count],
                index: index,
                dlqTopic: topic,
                approximateValueSize: valueSize
            )
            return KafkaOutgoingMessage(sample: sample, topic: topic)
        }
        return try await produce(messages)
    }

    func produce(_ messages: [KafkaOutgoingMessage], properties: [String: String] = [:]) async throws -> [Coordinate: Record] {
        var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
        configuration.properties = properties
        let producer = try KafkaProducer(configuration: configuration, logger: TestDatabase.logger)
        let results = try await producer.send(batch: messages)
        await producer.close()
        var produced: [Coordinate: Record] = [:]
        for (message, result) in zip(messages, results) {
            let report = try result.get()
            produced[Coordinate(partition: report.partition, offset: report.offset)] =
                Record(key: message.key, value: message.value, headers: message.headers)
        }
        return produced
    }

    /// Every stored row's record bytes by DLQ coordinate. Fails on a coordinate stored twice (which the
    /// unique constraint should make impossible).
    func storedRecords() async throws -> [Coordinate: Record] {
        let rows = try await database.query("""
            SELECT dlq_partition, dlq_offset, record_key, record_value, header_names, header_values
            FROM dead_letters WHERE dlq_topic = \(topic)
            """)
        var stored: [Coordinate: Record] = [:]
        for row in rows {
            let coordinate = Coordinate(
                partition: try row.decode(Int32.self, column: "dlq_partition"),
                offset: try row.decode(Int64.self, column: "dlq_offset")
            )
            let names = try row.decode([String].self, column: "header_names")
            let values = try row.decode([[UInt8]?].self, column: "header_values")
            let record = Record(
                key: try row.decode([UInt8]?.self, column: "record_key"),
                value: try row.decode([UInt8]?.self, column: "record_value"),
                headers: zip(names, values).map { KafkaHeader(name: $0, value: $1) }
            )
            guard stored.updateValue(record, forKey: coordinate) == nil else {
                throw TestSetupError("coordinate \(coordinate) stored twice")
            }
        }
        return stored
    }

    /// Whether the daemon's group has committed every partition up to its end: nothing is left to consume.
    func groupCommittedEverything(groupID: String? = nil) async throws -> Bool {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupID: groupID ?? self.groupID)
        configuration.properties = ["log_level": "3"]
        let consumer = try KafkaConsumer(configuration: configuration, logger: TestDatabase.logger)
        let partitions = (0..<partitions).map { KafkaTopicPartition(topic: topic, partition: $0) }
        let committed = try await consumer.committed(partitions, timeout: .seconds(5))
        var done = true
        for partition in partitions {
            let high = try await consumer.watermarks(partition, timeout: .seconds(5)).high
            if (committed[partition] ?? nil) != high { done = false }
        }
        try await consumer.close()
        return done
    }
}
