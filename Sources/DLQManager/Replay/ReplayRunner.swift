import DLQCore
import Foundation
import Kafka
import Logging
import Postgres

/// Runs a replay job: claims its pending items a step at a time, publishes them with an idempotent producer,
/// and records each item published only once its delivery report says the broker has it.
///
/// Steps are pipelined: while one step's records are on their way to the broker, the previous step's outcomes
/// are recorded and the next step is claimed. A runner holds an advisory lock on its job for as long as its
/// database session lives, so one job never has two runners and a dead runner frees the job at once.
public struct ReplayRunner: Sendable {
    public let configuration: DLQConfiguration
    public let logger: Logger
    /// Receives a producer span per published event that carried trace context; nil when tracing is off.
    public let tracer: TraceExporter?

    /// Steps sent but not yet recorded, at most: enough to keep the broker busy while PostgreSQL records.
    private static let stepsInFlight = 2
    /// With a rate limit, steps are this fraction of a second's worth, so the pace is smooth rather than bursty.
    private static let stepsPerSecond = 20

    public init(configuration: DLQConfiguration, logger: Logger, tracer: TraceExporter? = nil) {
        self.configuration = configuration
        self.logger = logger
        self.tracer = tracer
    }

    /// Runs until every item is published or skipped, a cancel is requested, `shouldStop` returns true (checked
    /// between steps; what is in flight is settled first), or an error. Returns the job as it stands afterwards.
    public func run(
        jobID: Int64,
        operator operatorName: String,
        on connection: PostgresConnection,
        shouldStop: @escaping @Sendable () -> Bool = { false },
        progress: @escaping @Sendable (ReplayProgress) -> Void = { _ in }
    ) async throws -> ReplayJob {
        let store = ReplayJobStore()
        let locked = try await connection.query("""
            SELECT pg_try_advisory_lock(\(ReplayJobStore.lockNamespace), \(Int32(clamping: jobID))) AS locked
            """)
        guard try locked[0].decode(Bool.self, column: 0) else {
            guard try await store.job(jobID, on: connection) != nil else { throw ReplayError.noSuchJob(jobID) }
            throw ReplayError.alreadyRunning(jobID)
        }
        do {
            let job = try await runLocked(jobID, operator: operatorName, on: connection, shouldStop: shouldStop, progress: progress)
            try await unlock(jobID, on: connection)
            return job
        } catch {
            // Best effort: the database may be what failed. A job left "running" without a runner reads as such.
            _ = try? await connection.execute("""
                UPDATE replay_jobs SET state = 'failed', last_error = \(String(describing: error)), finished_at = now()
                WHERE id = \(jobID) AND state = 'running'
                """)
            _ = try? await unlock(jobID, on: connection)
            throw error
        }
    }

    private func unlock(_ jobID: Int64, on connection: PostgresConnection) async throws {
        _ = try await connection.query("""
            SELECT pg_advisory_unlock(\(ReplayJobStore.lockNamespace), \(Int32(clamping: jobID)))
            """)
    }

    private func runLocked(
        _ jobID: Int64,
        operator operatorName: String,
        on connection: PostgresConnection,
        shouldStop: @escaping @Sendable () -> Bool,
        progress: @escaping @Sendable (ReplayProgress) -> Void
    ) async throws -> ReplayJob {
        let store = ReplayJobStore()
        guard let job = try await store.job(jobID, on: connection) else { throw ReplayError.noSuchJob(jobID) }
        guard job.state.isResumable else { throw ReplayError.notResumable(jobID, job.state) }
        try await Self.prepare(connection)
        try await connection.execute("""
            UPDATE replay_jobs SET state = 'running', runs = runs + 1, started_at = coalesce(started_at, now()),
                cancel_requested = false, last_error = NULL, finished_at = NULL
            WHERE id = \(jobID)
            """)
        logger.info("replay job running", metadata: ["replay.job": "\(jobID)", "replay.pending": "\(job.items.pending)"])

        // The producer, a reader of the target topics (for recovery) and a second connection (for recording),
        // closed however the run ends.
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        var reader: KafkaConsumer?
        var recorder: PostgresConnection?
        func closeAll() async {
            await producer.close()
            try? await reader?.close()
            await recorder?.close()
        }
        let outcome: RunOutcome
        do {
            let openReader = try KafkaConsumer(configuration: readerConfiguration(jobID), logger: logger)
            reader = openReader
            let openRecorder = try await PostgresConnection.connect(to: configuration.database.connectionString(), logger: logger)
            recorder = openRecorder
            try await Self.prepare(openRecorder)
            let items = ReplayItemStore(jobID: jobID)
            let recovered = try await ReplayRecovery(jobID: jobID, reader: openReader, logger: logger)
                .settle(on: connection, items: items)
            try await rememberOffsets(items: items, reader: openReader, on: connection)
            var counts = job.items
            counts.published += Int64(recovered)
            counts.pending -= Int64(recovered)
            outcome = try await publish(job, items: items, counts: counts, producer: producer, on: connection,
                                        recorder: openRecorder, shouldStop: shouldStop, progress: progress)
        } catch {
            await closeAll()
            throw error
        }
        await closeAll()
        try await finish(jobID, outcome: outcome, operator: operatorName, on: connection)
        guard let finished = try await store.job(jobID, on: connection) else { throw ReplayError.noSuchJob(jobID) }
        return finished
    }

    /// How a run ended.
    private enum RunOutcome {
        case completed, interrupted, cancelled
        case failed(String)
    }

    /// What recording one step found.
    private struct StepOutcome: Sendable {
        var published: Int64
        var skipped: Int64
        var failure: String?
        /// Sent but not acknowledged.
        var failed: Int
        var cancelRequested: Bool
    }

    /// Claims on `connection` while earlier steps are on their way to the broker and being recorded on
    /// `recorder`, a second connection: claiming and recording are both PostgreSQL work and overlap that way.
    private func publish(
        _ job: ReplayJob,
        items: ReplayItemStore,
        counts initial: ReplayItemCounts,
        producer: KafkaProducer,
        on connection: PostgresConnection,
        recorder: PostgresConnection,
        shouldStop: @escaping @Sendable () -> Bool,
        progress: @escaping @Sendable (ReplayProgress) -> Void
    ) async throws -> RunOutcome {
        let batchSize = configuration.replay.batchSize
        let stepSize = job.rate.map { max(1, min(batchSize, $0 / Self.stepsPerSecond)) } ?? batchSize
        // Read from the job's selection text once, not at every step.
        let includesReplayed = job.includesReplayed
        var counts = initial
        var publishedThisRun: Int64 = 0
        var pace = job.rate.map(ReplayPace.init(eventsPerSecond:))
        var failure: String?
        var cancelRequested = false
        var cursor: Int64 = 0
        // Each step's recording waits for the one before it, so outcomes are recorded in order on `recorder`.
        var recordings: [Task<StepOutcome, any Error>] = []
        let runStartDate = Date()

        func settleOldest() async throws {
            let outcome = try await recordings.removeFirst().value
            failure = failure ?? outcome.failure
            cancelRequested = cancelRequested || outcome.cancelRequested
            DLQMetrics.recordReplay(status: "published", count: Int(outcome.published))
            DLQMetrics.recordReplay(status: "skipped", count: Int(outcome.skipped))
            DLQMetrics.recordReplay(status: "failed", count: outcome.failed)
            counts.published += outcome.published
            counts.skipped += outcome.skipped
            counts.pending -= outcome.published + outcome.skipped
            publishedThisRun += outcome.published
            progress(ReplayProgress(
                jobID: job.id, total: counts.total, done: counts.published + counts.skipped + counts.cancelled,
                published: counts.published, skipped: counts.skipped, publishedThisRun: publishedThisRun,
                runStartedAt: runStartDate
            ))
        }

        while failure == nil && !cancelRequested && !shouldStop() {
            let claimed = try await items.claim(
                after: cursor, limit: stepSize, includesReplayed: includesReplayed, createdAt: job.createdAt,
                maxReplays: job.maxReplays ?? configuration.replay.maxReplays, on: connection
            )
            guard let last = claimed.last else {
                // End of a pass: settle what is in flight, then see what other jobs still hold.
                while !recordings.isEmpty { try await settleOldest() }
                guard failure == nil && !cancelRequested && !shouldStop() else { break }
                if try await items.settleHeldElsewhere(on: connection) == 0 { break }
                // Another running job is publishing some of these: wait for it to record or release them.
                try await Task.sleep(for: .milliseconds(200))
                cursor = 0
                continue
            }
            cursor = last.deadLetterID
            var messages: [KafkaOutgoingMessage] = []
            var sent: [SentItem] = []
            let stepStart = Date()
            var skipped: [(id: Int64, reason: String)] = []
            messages.reserveCapacity(claimed.count)
            sent.reserveCapacity(claimed.count)
            for item in claimed {
                switch item.disposition {
                case let .publish(letter, target, originalPartition, replayCount, unresolvedGroup):
                    let lineage = ReplayLineage(jobID: job.id, count: replayCount, origin: letter.coordinate)
                    let spanID = Self.newSpanID()
                    let record = ReplayRecord(replaying: letter, lineage: lineage, newSpanID: spanID)
                    messages.append(KafkaOutgoingMessage(
                        topic: target,
                        partition: job.preservePartition ? originalPartition : nil,
                        key: record.key,
                        value: record.value,
                        headers: record.headers.map { KafkaHeader(name: $0.name, value: $0.value) }
                    ))
                    var span: TraceSpan?
                    if tracer != nil, let traceID = letter.traceID, let parent = letter.spanID {
                        // The span the new traceparent names: a child of the failed event's span, in its trace.
                        span = TraceSpan(
                            traceID: traceID, spanID: spanID, parentSpanID: parent, name: "dlq replay \(target)",
                            kind: .producer, start: stepStart, end: stepStart,
                            attributes: [
                                ("messaging.system", "kafka"), ("messaging.operation", "publish"),
                                ("messaging.destination.name", target), ("dlq.replay.job", String(job.id)),
                                ("dlq.replay.origin", letter.coordinate.text),
                            ])
                    }
                    sent.append(SentItem(id: item.deadLetterID, unresolvedGroup: unresolvedGroup, span: span))
                case .skip(let reason):
                    skipped.append((item.deadLetterID, reason))
                case .heldElsewhere:
                    continue
                }
            }
            if let sendAt = pace?.book(messages.count, now: .now) {
                try await Task.sleep(until: sendAt, clock: .continuous)
            }
            let delivery = Task { [producer, messages] in try await producer.send(batch: messages) }
            let previous = recordings.last
            recordings.append(Task { [sent, skipped] in
                _ = try await previous?.value
                return try await Self.record(
                    try await delivery.value, of: sent, skipped: skipped, items: items, tracer: tracer, on: recorder)
            })
            if recordings.count > Self.stepsInFlight {
                try await settleOldest()
            }
        }
        while !recordings.isEmpty { try await settleOldest() }
        if let failure { return .failed(failure) }
        if cancelRequested { return .cancelled }
        if shouldStop() { return .interrupted }
        return .completed
    }

    /// One record of a step, as sent.
    private struct SentItem: Sendable {
        var id: Int64
        var unresolvedGroup: String?
        /// The producer span to export once the broker acknowledged the record.
        var span: TraceSpan?
    }

    private static func record(
        _ results: [Result<KafkaDeliveryReport, KafkaError>],
        of sent: [SentItem],
        skipped: [(id: Int64, reason: String)],
        items: ReplayItemStore,
        tracer: TraceExporter?,
        on connection: PostgresConnection
    ) async throws -> StepOutcome {
        var published: [(id: Int64, partition: Int32, offset: Int64?)] = []
        published.reserveCapacity(results.count)
        var firstReplays: [String: Int64] = [:]
        var failure: String?
        var failed = 0
        for (item, result) in zip(sent, results) {
            switch result {
            case .success(let report):
                // -1001: delivered after an idempotent retry, offset unknown.
                published.append((item.id, report.partition, report.offset >= 0 ? report.offset : nil))
                if let group = item.unresolvedGroup { firstReplays[group, default: 0] += 1 }
                if let tracer, var span = item.span {
                    span.end = Date()
                    span.attributes.append(("messaging.destination.partition.id", String(report.partition)))
                    tracer.record(span)
                }
            case .failure(let error):
                failure = failure ?? "publishing failed: \(error)"
                failed += 1
            }
        }
        let cancelRequested = try await items.record(
            published: published, skipped: skipped, firstReplays: firstReplays, on: connection)
        return StepOutcome(
            published: Int64(published.count), skipped: Int64(skipped.count), failure: failure, failed: failed,
            cancelRequested: cancelRequested
        )
    }

    private func finish(_ jobID: Int64, outcome: RunOutcome, operator operatorName: String, on connection: PostgresConnection) async throws {
        try await connection.withTransaction { transaction in
            let state: ReplayJobState
            var error: String?
            switch outcome {
            case .completed: state = .completed
            case .interrupted: state = .interrupted
            case .failed(let message):
                state = .failed
                error = message
            case .cancelled:
                state = .cancelled
                try await transaction.execute("""
                    UPDATE replay_items SET state = 'cancelled' WHERE job_id = \(jobID) AND state = 'pending'
                    """)
            }
            try await transaction.execute("""
                UPDATE replay_jobs SET state = \(state.rawValue), last_error = \(error), finished_at = now(),
                    cancel_requested = false
                WHERE id = \(jobID)
                """)
            let rows = try await transaction.query("""
                SELECT count(*) FILTER (WHERE state = 'published') AS published,
                       count(*) FILTER (WHERE state = 'skipped') AS skipped,
                       count(*) FILTER (WHERE state = 'pending') AS pending
                FROM replay_items WHERE job_id = \(jobID)
                """)
            let published = try rows[0].decode(Int64.self, column: "published")
            let skipped = try rows[0].decode(Int64.self, column: "skipped")
            let pending = try rows[0].decode(Int64.self, column: "pending")
            try await AuditLog().record(
                operator: operatorName, action: "replay-run", reason: nil, selection: nil, eventCount: published,
                jobID: jobID,
                outcome: "\(state.rawValue): \(published) published, \(skipped) skipped, \(pending) pending"
                    + (error.map { "; \($0)" } ?? ""),
                in: transaction
            )
        }
        logger.info("replay job run ended", metadata: ["replay.job": "\(jobID)", "replay.outcome": "\(outcome)"])
    }

    /// The end of every partition of the pending items' target topics, remembered from the job's first run so a
    /// later recovery knows where its records can be.
    private func rememberOffsets(items: ReplayItemStore, reader: KafkaConsumer, on connection: PostgresConnection) async throws {
        var offsets: [(topic: String, partition: Int32, offset: Int64)] = []
        for topic in try await items.pendingTargetTopics(on: connection) {
            for (tp, _, high) in try await reader.watermarks(ofTopic: topic, timeout: .seconds(10)) ?? [] {
                offsets.append((topic, tp.partition, high))
            }
        }
        try await items.rememberOffsets(offsets, on: connection)
    }

    private var producerConfiguration: KafkaProducerConfiguration {
        var producer = KafkaProducerConfiguration(bootstrapServers: configuration.kafka.bootstrapServers)
        // Java producers partition keys with murmur2; librdkafka's default (CRC32) would send a replayed event
        // to another partition than its siblings. Overridable in kafka.properties.
        producer.properties = ["partitioner": "murmur2_random"]
            .merging(configuration.kafka.passThroughProperties()) { _, configured in configured }
        return producer
    }

    private func readerConfiguration(_ jobID: Int64) -> KafkaConsumerConfiguration {
        // Never joins the group or commits: it only assigns partitions and reads.
        var reader = KafkaConsumerConfiguration(
            bootstrapServers: configuration.kafka.bootstrapServers, groupID: "dlq-replay-\(jobID)")
        reader.properties = configuration.kafka.passThroughProperties()
        return reader
    }

    /// The runner's statements are many small ones over a large table: the planner's cost estimates cross the
    /// JIT threshold, and compiling each statement cost more than running it (measured: 330 ms a step with JIT,
    /// 30 ms without).
    private static func prepare(_ connection: PostgresConnection) async throws {
        try await connection.execute("SET jit = off")
    }

    /// A fresh W3C span id: 16 lowercase hex digits, not all zero.
    static func newSpanID() -> String {
        let hex = String(UInt64.random(in: 1...UInt64.max), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
