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

    /// Steps sent but not yet recorded, at most: enough to keep the broker busy while PostgreSQL records.
    private static let stepsInFlight = 2
    /// With a rate limit, steps are this fraction of a second's worth, so the pace is smooth rather than bursty.
    private static let stepsPerSecond = 20

    public init(configuration: DLQConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
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
        try await connection.execute("""
            UPDATE replay_jobs SET state = 'running', runs = runs + 1, started_at = coalesce(started_at, now()),
                cancel_requested = false, last_error = NULL, finished_at = NULL
            WHERE id = \(jobID)
            """)
        logger.info("replay job running", metadata: ["replay.job": "\(jobID)", "replay.pending": "\(job.items.pending)"])

        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        let reader: KafkaConsumer
        do {
            reader = try KafkaConsumer(configuration: readerConfiguration(jobID), logger: logger)
        } catch {
            await producer.close()
            throw error
        }
        let outcome: RunOutcome
        do {
            let items = ReplayItemStore(jobID: jobID)
            let recovered = try await ReplayRecovery(jobID: jobID, reader: reader, logger: logger)
                .settle(on: connection, items: items)
            try await rememberOffsets(items: items, reader: reader, on: connection)
            var counts = job.items
            counts.published += Int64(recovered)
            counts.pending -= Int64(recovered)
            outcome = try await publish(job, items: items, counts: counts, producer: producer, on: connection,
                                        shouldStop: shouldStop, progress: progress)
        } catch {
            await producer.close()
            try? await reader.close()
            throw error
        }
        await producer.close()
        try? await reader.close()
        try await finish(jobID, outcome: outcome, operator: operatorName, on: connection)
        guard let finished = try await store.job(jobID, on: connection) else { throw ReplayError.noSuchJob(jobID) }
        return finished
    }

    /// How a run ended.
    private enum RunOutcome {
        case completed, interrupted, cancelled
        case failed(String)
    }

    /// In-flight bookkeeping of one step.
    private struct Step {
        var sent: [Int64]
        var skipped: [(id: Int64, reason: String)]
        var delivery: Task<[Result<KafkaDeliveryReport, KafkaError>], any Error>
    }

    private func publish(
        _ job: ReplayJob,
        items: ReplayItemStore,
        counts initial: ReplayItemCounts,
        producer: KafkaProducer,
        on connection: PostgresConnection,
        shouldStop: @escaping @Sendable () -> Bool,
        progress: @escaping @Sendable (ReplayProgress) -> Void
    ) async throws -> RunOutcome {
        let batchSize = configuration.replay.batchSize
        let stepSize = job.rate.map { max(1, min(batchSize, $0 / Self.stepsPerSecond)) } ?? batchSize
        var counts = initial
        var publishedThisRun: Int64 = 0
        var sentThisRun = 0
        var failure: String?
        var cancelRequested = false
        var cursor: Int64 = 0
        var window: [Step] = []
        let runStart = ContinuousClock.now
        let runStartDate = Date()

        func settle(_ step: Step) async throws {
            let results = try await step.delivery.value
            var published: [(id: Int64, partition: Int32, offset: Int64?)] = []
            published.reserveCapacity(results.count)
            for (id, result) in zip(step.sent, results) {
                switch result {
                case .success(let report):
                    // -1001: delivered after an idempotent retry, offset unknown.
                    published.append((id, report.partition, report.offset >= 0 ? report.offset : nil))
                case .failure(let error):
                    failure = failure ?? "publishing failed: \(error)"
                }
            }
            if try await items.record(published: published, skipped: step.skipped, on: connection) {
                cancelRequested = true
            }
            counts.published += Int64(published.count)
            counts.skipped += Int64(step.skipped.count)
            counts.pending -= Int64(published.count + step.skipped.count)
            publishedThisRun += Int64(published.count)
            progress(ReplayProgress(
                jobID: job.id, total: counts.total, done: counts.published + counts.skipped + counts.cancelled,
                published: counts.published, skipped: counts.skipped, publishedThisRun: publishedThisRun,
                runStartedAt: runStartDate
            ))
        }

        while failure == nil && !cancelRequested && !shouldStop() {
            let claimed = try await items.claim(
                after: cursor, limit: stepSize, includesReplayed: job.includesReplayed, createdAt: job.createdAt,
                maxReplays: configuration.replay.maxReplays,
                on: connection
            )
            guard let last = claimed.last else {
                // End of a pass: settle what is in flight, then see what other jobs still hold.
                for step in window { try await settle(step) }
                window.removeAll()
                guard failure == nil && !cancelRequested && !shouldStop() else { break }
                if try await items.settleHeldElsewhere(on: connection) == 0 { break }
                // Another running job is publishing some of these: wait for it to record or release them.
                try await Task.sleep(for: .milliseconds(200))
                cursor = 0
                continue
            }
            cursor = last.deadLetterID
            var messages: [KafkaOutgoingMessage] = []
            var step = Step(sent: [], skipped: [], delivery: Task { [] })
            messages.reserveCapacity(claimed.count)
            step.sent.reserveCapacity(claimed.count)
            for item in claimed {
                switch item.disposition {
                case let .publish(letter, target, originalPartition, replayCount):
                    let lineage = ReplayLineage(jobID: job.id, count: replayCount, origin: letter.coordinate)
                    let record = ReplayRecord(replaying: letter, lineage: lineage, newSpanID: Self.newSpanID())
                    messages.append(KafkaOutgoingMessage(
                        topic: target,
                        partition: job.preservePartition ? originalPartition : nil,
                        key: record.key,
                        value: record.value,
                        headers: record.headers.map { KafkaHeader(name: $0.name, value: $0.value) }
                    ))
                    step.sent.append(item.deadLetterID)
                case .skip(let reason):
                    step.skipped.append((item.deadLetterID, reason))
                case .heldElsewhere:
                    continue
                }
            }
            if let rate = job.rate {
                try await Task.sleep(until: runStart + .seconds(Double(sentThisRun) / Double(rate)), clock: .continuous)
            }
            sentThisRun += messages.count
            step.delivery = Task { [producer, messages] in try await producer.send(batch: messages) }
            window.append(step)
            if window.count > Self.stepsInFlight {
                try await settle(window.removeFirst())
            }
        }
        for step in window { try await settle(step) }
        if let failure { return .failed(failure) }
        if cancelRequested { return .cancelled }
        if shouldStop() { return .interrupted }
        return .completed
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
            guard let count = try await reader.partitionCount(of: topic, timeout: .seconds(10)) else { continue }
            for partition in 0..<Int32(count) {
                let (_, high) = try await reader.watermarks(KafkaTopicPartition(topic: topic, partition: partition), timeout: .seconds(10))
                offsets.append((topic, partition, high))
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

    /// A fresh W3C span id: 16 lowercase hex digits, not all zero.
    static func newSpanID() -> String {
        let hex = String(UInt64.random(in: 1...UInt64.max), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
