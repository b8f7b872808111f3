import DLQCore
import DLQManager
import Foundation
import Kafka
import Postgres
import Testing

/// One replay scenario: a private mock cluster with the original topic, a migrated database holding stored dead
/// letters, and the environment that points `dlq replay` at both.
struct ReplayHarness {
    let cluster: KafkaMockCluster
    let database: TestDatabase
    let dlqTopic = "orders.dlq"
    /// Where the sample dead letters came from, and so where a replay sends them.
    let originalTopic = "orders"

    static func make(originalTopicPartitions: Int32 = 8) async throws -> ReplayHarness {
        let cluster = try KafkaMockCluster()
        let harness = ReplayHarness(cluster: cluster, database: try await TestDatabase.create())
        try cluster.createTopic(harness.originalTopic, partitions: originalTopicPartitions)
        return harness
    }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        [
            "DLQ_DATABASE_URL": database.url,
            "DLQ_KAFKA_BOOTSTRAP_SERVERS": cluster.bootstrapServers,
            "DLQ_LOG_LEVEL": "notice",
            "DLQ_OPERATOR": "test-operator",
        ].merging(extra) { $1 }
    }

    /// Runs `dlq replay ARGUMENTS` to completion.
    func replay(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> (status: Int32, output: String, log: String) {
        try await DLQProcess.run(["replay"] + arguments, environment: environment(extra))
    }

    /// Stores `count` sample dead letters rotating through every format, through the decoder and store the
    /// daemon uses, at DLQ offsets `firstOffset...` of partition 0. Returns them in id order.
    @discardableResult
    func storeSamples(count: Int, firstOffset: Int64 = 0, valueSize: Int = 600) async throws -> [DeadLetter] {
        let letters = (0..<count).map { index in
            let sample = SampleDeadLetters.make(
                format: EnvelopeFormat.allCases[index % EnvelopeFormat.allCases.count],
                index: index, dlqTopic: dlqTopic, approximateValueSize: valueSize
            )
            return EnvelopeDecoder().decode(
                coordinate: DLQCoordinate(topic: dlqTopic, partition: 0, offset: firstOffset + Int64(index)),
                key: sample.key, value: sample.value, headers: sample.headers, kafkaTimestamp: Date()
            )
        }
        try await store(letters)
        return letters
    }

    func store(_ letters: [DeadLetter]) async throws {
        let classifier = try DLQConfiguration.load(filePath: nil, environment: [:]).classifier
        try await database.storeArrivals(letters.map { ClassifiedDeadLetter($0, classifier: classifier) })
    }

    /// Every record of `topic`, all partitions from their start to their end as of now.
    func readTopic(_ topic: String) async throws -> [KafkaRecord] {
        try await Self.readTopic(topic, in: cluster)
    }

    static func readTopic(_ topic: String, in cluster: KafkaMockCluster) async throws -> [KafkaRecord] {
        try await TopicContents.read(topic, bootstrapServers: cluster.bootstrapServers, properties: ["log_level": "3"], logger: TestDatabase.logger)
    }

    /// A replayed record's lineage origin: which dead letter it came from.
    static func origin(of record: KafkaRecord) -> DLQCoordinate? {
        record.headers.last { $0.name == "dlq-replay-origin" }?.value
            .flatMap { DLQCoordinate(text: String(decoding: $0, as: UTF8.self)) }
    }

    /// Checks that the original topic holds each of `letters` exactly once, and nothing else.
    func expectEachPublishedOnce(_ letters: [DeadLetter], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let copies = try await expectEachPublishedOnceBesidesRetryCopies(letters, sourceLocation: sourceLocation)
        #expect(copies == 0, "events published more than once", sourceLocation: sourceLocation)
    }

    /// As ``expectEachPublishedOnce(_:sourceLocation:)`` after the broker dropped the producer's connection in one
    /// run of a job. librdkafka 2.0.2's mock cluster does not deduplicate an idempotent producer's retries as a
    /// real broker does (by producer id and sequence number), so a batch it appended before the connection
    /// dropped is appended again when the producer retries it. Such copies are the same bytes, headers included,
    /// and are allowed; the replay sending an event twice is not (a run never sends an item twice, so the
    /// caller checks that one run did the job). Returns the number of such copies.
    func expectEachPublishedOnceBesidesRetryCopies(_ letters: [DeadLetter], sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int {
        let records = try await readTopic(originalTopic)
        var copies: [DLQCoordinate: [KafkaRecord]] = [:]
        for record in records {
            if let origin = Self.origin(of: record) { copies[origin, default: []].append(record) }
        }
        let differing = copies.values.filter { records in
            records.contains { $0.key != records[0].key || $0.value != records[0].value || $0.headers != records[0].headers }
        }.count
        let missing = letters.filter { copies[$0.coordinate] == nil }.count
        #expect(differing == 0, "events published twice with different bytes", sourceLocation: sourceLocation)
        #expect(missing == 0, "events never published", sourceLocation: sourceLocation)
        #expect(copies.count == letters.count, sourceLocation: sourceLocation)
        return records.count - copies.count
    }

    /// How many replay items are recorded as published, over all jobs.
    func publishedCount() async throws -> Int64 {
        try await count("SELECT count(*) FROM replay_items WHERE state = 'published'")
    }

    /// Waits until at least `count` items are recorded as published (a job is under way), and returns how many.
    func publishedWhen(atLeast count: Int64) async throws -> Int64 {
        var published: Int64 = 0
        try await eventually("\(count) items are published") {
            published = try await publishedCount()
            return published >= count
        }
        return published
    }

    func count(_ sql: String) async throws -> Int64 {
        let rows = try await database.query(PostgresQuery(unsafeSQL: sql))
        return try rows[0].decode(Int64.self, column: 0)
    }
}
