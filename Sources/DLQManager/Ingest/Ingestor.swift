import DLQCore
import Foundation
import Kafka
import Logging
import Postgres
import ServiceLifecycle

/// The ingestion daemon: drains the configured DLQ topics into PostgreSQL, losing nothing and storing nothing
/// twice.
///
/// Each poll batch is decoded and written in one transaction; only after that transaction commits are the
/// batch's offsets stored and committed to Kafka. A crash at any point therefore re-delivers at most the
/// batch in flight, and the store's unique DLQ coordinate absorbs the redelivery.
public struct Ingestor: Service {
    private let configuration: DLQConfiguration
    private let logger: Logger
    private let progress: IngestProgress
    private let health: DaemonHealth?
    private let tracer: TraceExporter?

    public init(configuration: DLQConfiguration, logger: Logger, health: DaemonHealth? = nil, tracer: TraceExporter? = nil) {
        self.configuration = configuration
        self.logger = logger
        self.progress = IngestProgress(logger: logger)
        self.health = health
        self.tracer = tracer
    }

    public func run() async throws {
        guard !configuration.kafka.topics.isEmpty else {
            throw ConfigurationError(key: "kafka.topics", problem: "expected at least one DLQ topic or ^pattern to drain")
        }
        let database = Database(settings: configuration.database, logger: logger)
        guard try await waitForSchema(database) else { return }

        let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        try consumer.subscribe(topics: configuration.kafka.topics)
        logger.info("ingesting", metadata: [
            "topics": "\(configuration.kafka.topics.joined(separator: ","))",
            "group": "\(configuration.kafka.groupID)",
        ])
        let decoder = EnvelopeDecoder(originalTopicRules: OriginalTopicRules(suffixes: configuration.originalTopicSuffixes))
        let classifier = configuration.classifier
        let ingest = configuration.ingest
        let logger = self.logger
        let nextBatch: @Sendable () async throws -> Batch = {
            let records = try await consumer.poll(maxRecords: ingest.batchSize, timeout: ingest.pollTimeout)
            var letters = records.map { record in
                var letter = decoder.decode(record)
                ingest.recordSizeLimit.apply(to: &letter)
                if let size = letter.truncatedFrom {
                    logger.warning("record over ingest.max_record_bytes stored cut", metadata: [
                        "coordinate": "\(letter.coordinate.text)", "bytes": "\(size)",
                    ])
                }
                return ClassifiedDeadLetter(letter, classifier: classifier)
            }
            // Encoded here, ahead of the write: building COPY rows is CPU work that would otherwise keep
            // PostgreSQL waiting between batches.
            let rows = DeadLetterStore.copyRows(letters)
            // The rows hold the records' bytes now; the write path reads only coordinates, classification and
            // group fields, so the batch in memory need not keep a second copy of every payload.
            for index in letters.indices {
                letters[index].letter.key = nil
                letters[index].letter.value = nil
                letters[index].letter.headers = []
                letters[index].letter.stackTrace = nil
            }
            return Batch(letters: letters, rows: rows, nextOffsets: Self.nextOffsets(after: records))
        }

        // A pipeline of two: the next batch is fetched and decoded while this one is written, so Kafka, the
        // decoder and PostgreSQL work at the same time. Offsets still advance only after their own batch's
        // transaction has committed.
        var upcoming = Task { try await nextBatch() }
        var lastCommit: Task<Void, Never>?
        var lastAssignmentCheck: ContinuousClock.Instant?
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let batch = try await upcoming.value
            upcoming = Task { try await nextBatch() }
            if let health, lastAssignmentCheck.map({ .now - $0 > .seconds(2) }) ?? true {
                // For /readyz: a quiet DLQ delivers no records, so the assignment itself is what says "ready".
                health.setConsumerAssigned(!(try await consumer.assignment()).isEmpty)
                lastAssignmentCheck = .now
            }
            guard !batch.letters.isEmpty else { continue }
            let started = ContinuousClock.now
            let startedAt = Date()
            guard let inserted = try await store(batch, in: database) else {
                logger.notice("stopping before the batch in flight was stored; its offsets stay uncommitted, so it will be consumed again")
                break
            }
            try consumer.storeOffsets(batch.nextOffsets)
            // The commit runs on the consumer's thread after the poll already queued there; waiting for the
            // previous one keeps commits in order without waiting for this one.
            await lastCommit?.value
            lastCommit = Task {
                do {
                    try await consumer.commit()
                } catch {
                    // The offsets stay stored and go out with the next commit; at worst the batch is
                    // re-delivered and absorbed as duplicates.
                    logger.warning("offset commit failed; will retry with the next batch", metadata: ["error": "\(error)"])
                }
            }
            DLQMetrics.recordBatch(duration: .now - started)
            DLQMetrics.recordArrivals(inserted, at: Date())
            if let tracer { Self.traceBatch(inserted, started: startedAt, tracer: tracer) }
            progress.record(batch: batch.letters.count, inserted: inserted.count)
        }
        // The batch fetched ahead is dropped unstored; its offsets were never stored, so it is consumed again.
        _ = try? await upcoming.value
        await lastCommit?.value

        do {
            try await consumer.commit()
        } catch {
            logger.warning("final offset commit failed", metadata: ["error": "\(error)"])
        }
        try await consumer.close()
        await database.close()
        progress.finish()
    }

    private var consumerConfiguration: KafkaConsumerConfiguration {
        var kafka = KafkaConsumerConfiguration(
            bootstrapServers: configuration.kafka.bootstrapServers,
            groupID: configuration.kafka.groupID
        )
        kafka.autoOffsetReset = configuration.kafka.autoOffsetReset == "latest" ? .latest : .earliest
        kafka.maxPollBatchSize = configuration.ingest.batchSize
        // Defaults for an alerting daemon, each overridable in kafka.properties. Bounded prefetch: librdkafka's
        // own (64 MB queued plus 50 MB fetches) would dominate the daemon's memory, and a few batches ahead is
        // all the pipeline uses. A shorter fetch wait: librdkafka's 500 ms is added to every alert's latency
        // on a quiet topic (measured: p50 305 ms at 500, 44 ms at 50).
        // Measured on 2 cores (scripts/bench-ingest): 16 MB queued, 21.9k/s; 32 MB, 27k/s; 64 MB, 28k/s at +50 MB
        // (before cross-module optimization, which brought 32 MB to 31k/s).
        kafka.properties = ["queued.max.messages.kbytes": "32768", "fetch.max.bytes": "16777216", "fetch.wait.max.ms": "100"]
            .merging(configuration.kafka.passThroughProperties()) { _, configured in configured }
        return kafka
    }

    /// Writes one batch, retrying with backoff for as long as PostgreSQL is unreachable. Returns the number of
    /// new rows, or nil when shutdown was requested before the batch could be stored.
    /// One consumer span per stored batch, linked to the trace of every dead letter in it that carried one: a
    /// span per dead letter would cost the daemon more than the rest of its work on a busy DLQ.
    private static func traceBatch(_ letters: [ClassifiedDeadLetter], started: Date, tracer: TraceExporter) {
        var links: [(traceID: String, spanID: String)] = []
        var topics: Set<String> = []
        for index in letters.indices {
            topics.insert(letters[index].letter.coordinate.topic)
            if let traceID = letters[index].letter.traceID, let spanID = letters[index].letter.spanID {
                links.append((traceID, spanID))
            }
        }
        guard !links.isEmpty else { return }
        tracer.record(TraceSpan(
            traceID: TraceSpan.randomID(hexDigits: 32), spanID: TraceSpan.randomID(hexDigits: 16),
            name: "dlq ingest", kind: .consumer, start: started, end: Date(),
            attributes: [
                ("messaging.system", "kafka"), ("messaging.operation", "process"),
                ("messaging.destination.name", topics.sorted().joined(separator: ",")),
                ("messaging.batch.message_count", String(letters.count)),
            ],
            links: links
        ))
    }

    /// Returns the dead letters that were new.
    private func store(_ batch: Batch, in database: Database) async throws -> [ClassifiedDeadLetter]? {
        let alerting = configuration.alerting
        return try await withDatabaseRetry(database, what: "store \(batch.letters.count) dead letters") { connection in
            try await connection.withTransaction { transaction in
                let inserted = try await DeadLetterStore().insert(batch.letters, encoded: batch.rows, in: transaction)
                try await ErrorGroupStore().recordArrivals(inserted, alerting: alerting, in: transaction)
                return inserted
            }
        }
    }

    /// Waits for PostgreSQL and checks it was migrated. Returns false when shutdown came first.
    private func waitForSchema(_ database: Database) async throws -> Bool {
        let migrated = try await withDatabaseRetry(database, what: "check the schema") { connection in
            let rows = try await connection.query("SELECT to_regclass('dead_letters') IS NOT NULL AS migrated")
            return try rows.map { try $0.decode(Bool.self, column: "migrated") }.first ?? false
        }
        guard let migrated else { return false }
        guard migrated else {
            throw MigrationError(migration: "0001_dead_letters.sql", problem: "the database is not migrated; run `dlq migrate` first")
        }
        return true
    }

    /// Runs `body`, reconnecting and retrying with exponential backoff while the failure is PostgreSQL's state
    /// (unreachable, read-only, out of disk space): offsets stay uncommitted, so nothing is lost. Other errors (a bug, a constraint the code did not expect) are thrown: retrying cannot fix
    /// them. Returns nil if shutdown is requested while waiting.
    private func withDatabaseRetry<T: Sendable>(
        _ database: Database,
        what: String,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T? {
        var delay = configuration.ingest.retryInitial
        var failures = 0
        while true {
            do {
                let result = try await body(try await database.connection())
                if failures > 0 {
                    logger.notice("PostgreSQL is back", metadata: ["failed_attempts": "\(failures)"])
                }
                return result
            } catch let error as PostgresError where error.isTransactionConflict {
                // Nothing was committed; run the batch again at once.
                logger.notice("transaction conflict, retrying", metadata: ["action": "\(what)", "error": "\(error)"])
            } catch let error as PostgresError where error.isServerUnavailable {
                failures += 1
                // Resources run out only until someone acts, so that is an error for whoever reads the log.
                logger.log(level: error.isOutOfResources ? .error : .warning, "\(error.unavailability ?? "PostgreSQL unavailable"), holding offsets and retrying", metadata: [
                    "action": "\(what)", "error": "\(error)", "retry_in": "\(delay)",
                ])
                let wait = delay
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
                if Task.isShuttingDownGracefully || Task.isCancelled { return nil }
                delay = min(delay * 2, configuration.ingest.retryMaximum)
            }
        }
    }

    /// Records decoded and classified, with the offsets to store once they are durable.
    private struct Batch: Sendable {
        /// Without key, value, headers and stack trace: those are in `rows`.
        var letters: [ClassifiedDeadLetter]
        /// `letters` encoded for COPY.
        var rows: PostgresBinaryCopyRows
        var nextOffsets: [KafkaTopicPartition: Int64]
    }

    /// The offset to resume from per partition: one past the highest offset in the batch.
    static func nextOffsets(after records: [KafkaRecord]) -> [KafkaTopicPartition: Int64] {
        var next: [KafkaTopicPartition: Int64] = [:]
        for record in records {
            let partition = KafkaTopicPartition(topic: record.topic, partition: record.partition)
            next[partition] = max(next[partition] ?? 0, record.offset + 1)
        }
        return next
    }
}
