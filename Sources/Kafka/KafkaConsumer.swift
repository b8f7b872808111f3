import CRdKafka
import Dispatch
import Logging
import Synchronization

/// A consumer-group member that reads records in batches and commits only what the caller has stored.
///
/// At-least-once by construction: librdkafka never stores or commits offsets on its own here. After the
/// records of a poll are durably handled, call ``storeOffsets(_:)`` with the next offset to read, then
/// ``commit()``. On a rebalance, stored offsets of the revoked partitions are committed before they are
/// handed over, so the next owner resumes where this one stopped.
///
/// Every blocking librdkafka call (poll, commit, close, metadata queries) runs on a serial dispatch queue
/// the consumer owns, never on Swift's cooperative pool, and the async methods await it. Rebalance, error
/// and log callbacks are served from the same queue while polling, so keep calling ``poll(maxRecords:timeout:)``
/// (well within `max.poll.interval.ms`, 5 minutes by default) or the group will evict this member.
public final class KafkaConsumer: Sendable {
    private let configuration: KafkaConsumerConfiguration
    /// Runs the calls that use the consumer queue or may block, one at a time, in submission order.
    private let queue: DispatchQueue
    /// Metadata queries that only need the handle; kept off `queue` so a long poll does not delay them.
    private let queryQueue: DispatchQueue
    /// `nil` once closed. The client itself is destroyed when the last operation holding it finishes.
    private let client: Mutex<RdKafkaClient?>

    public init(configuration: KafkaConsumerConfiguration, logger: Logger) throws {
        for (name, value) in KafkaConsumerConfiguration.enforcedProperties {
            if let requested = configuration.properties[name], requested != value {
                logger.warning(
                    "ignoring consumer property: offsets are stored and committed only by the caller",
                    metadata: ["kafka.property": "\(name)", "kafka.value": "\(requested)"]
                )
            }
        }
        self.configuration = configuration
        queue = DispatchQueue(label: "kafka.consumer.\(configuration.groupID)")
        queryQueue = DispatchQueue(label: "kafka.consumer.\(configuration.groupID).query")
        let client = try RdKafkaClient(
            type: RD_KAFKA_CONSUMER,
            properties: configuration.librdkafkaProperties,
            logger: logger
        ) { conf in
            rd_kafka_conf_set_rebalance_cb(conf, rebalanceCallback)
        }
        self.client = Mutex(client)
    }

    /// Names, or librdkafka regex patterns starting with "^".
    ///
    /// Replaces any previous subscription. Patterns are matched against the cluster's topic list, which
    /// librdkafka refreshes every `topic.metadata.refresh.interval.ms` (5 minutes by default), so topics
    /// created later join the subscription with that delay.
    public func subscribe(topics: [String]) throws {
        try openClient().subscribe(topics)
    }

    /// Waits up to `timeout` for the first record, then returns what is immediately available, at most
    /// `maxRecords`.
    ///
    /// Returns `[]` on timeout. Per-partition errors like partition EOF are not returned as records;
    /// broker/transport errors are logged and, if fatal, thrown.
    public func poll(maxRecords: Int, timeout: Duration) async throws -> [KafkaRecord] {
        try await run(on: queue) { client in
            try client.poll(maxRecords: maxRecords, timeoutMilliseconds: timeout.timeoutMilliseconds)
        }
    }

    /// ``poll(maxRecords:timeout:)`` with the configured ``KafkaConsumerConfiguration/maxPollBatchSize``.
    public func poll(timeout: Duration) async throws -> [KafkaRecord] {
        try await poll(maxRecords: configuration.maxPollBatchSize, timeout: timeout)
    }

    /// Stores the offsets to resume from (i.e. last processed offset + 1) for each partition.
    ///
    /// Only stores; ``commit()`` sends them to the group coordinator. Partitions that were revoked in the
    /// meantime are skipped (logged, not thrown): their new owner re-reads from the last commit.
    public func storeOffsets(_ offsets: [KafkaTopicPartition: Int64]) throws {
        // rd_kafka_offsets_store only updates local state and is thread-safe, so no hop to the queue.
        try openClient().storeOffsets(offsets)
    }

    /// Synchronously commits stored offsets (on the consumer's own thread). No-op without error when nothing
    /// is stored.
    public func commit() async throws {
        try await run(on: queue) { try $0.commitStored() }
    }

    /// Current assignment.
    public func assignment() async throws -> [KafkaTopicPartition] {
        try await run(on: queue) { try $0.assignment() }
    }

    /// Committed offsets of this group for the given partitions (nil where none committed).
    public func committed(
        _ partitions: [KafkaTopicPartition],
        timeout: Duration
    ) async throws -> [KafkaTopicPartition: Int64?] {
        try await run(on: queryQueue) {
            try $0.committed(partitions, timeoutMilliseconds: timeout.timeoutMilliseconds)
        }
    }

    /// The oldest and the next offset of a partition as the broker reports them now; `high - committed` is
    /// the group's lag.
    public func watermarks(_ tp: KafkaTopicPartition, timeout: Duration) async throws -> (low: Int64, high: Int64) {
        try await run(on: queryQueue) {
            try $0.watermarks(tp, timeoutMilliseconds: timeout.timeoutMilliseconds)
        }
    }

    /// Reads exactly these partitions from these offsets, without joining the group: for scans that must see
    /// a known range (a replay checking what it already published), never combined with ``subscribe(topics:)``.
    public func assign(_ offsets: [KafkaTopicPartition: Int64]) async throws {
        try await run(on: queue) { try $0.assign(offsets) }
    }

    /// How many partitions the topic has, or nil when the cluster does not know it.
    public func partitionCount(of topic: String, timeout: Duration) async throws -> Int? {
        try await run(on: queryQueue) {
            try $0.partitionCount(of: topic, timeoutMilliseconds: timeout.timeoutMilliseconds)
        }
    }

    /// The oldest and next offset of every partition of `topic`, in partition order; nil when the cluster does
    /// not know the topic.
    public func watermarks(ofTopic topic: String, timeout: Duration) async throws -> [(partition: KafkaTopicPartition, low: Int64, high: Int64)]? {
        guard let count = try await partitionCount(of: topic, timeout: timeout) else { return nil }
        var watermarks: [(partition: KafkaTopicPartition, low: Int64, high: Int64)] = []
        for partition in 0..<Int32(count) {
            let tp = KafkaTopicPartition(topic: topic, partition: partition)
            let (low, high) = try await self.watermarks(tp, timeout: timeout)
            watermarks.append((tp, low, high))
        }
        return watermarks
    }

    /// Leaves the group cleanly (committing stored offsets of the revoked partitions first) and destroys the
    /// handle. Idempotent; every other method throws afterwards.
    public func close() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async { [self] in
                // Taken out here rather than before the hop, so that polls queued earlier still run.
                var client = self.client.withLock { $0.take() }
                var failure: (any Error)?
                do {
                    try client?.closeConsumer()
                } catch {
                    failure = error
                }
                // The last reference, unless a metadata query still runs: the handle is destroyed here.
                client = nil
                if let failure {
                    continuation.resume(throwing: failure)
                } else {
                    continuation.resume()
                }
            }
        }
    }

    private func openClient() throws(KafkaError) -> RdKafkaClient {
        guard let client = client.withLock({ $0 }) else { throw KafkaError.closed("consumer") }
        return client
    }

    /// Runs `body` on `queue` with the open client and awaits it. The client is looked up on the queue, so
    /// work submitted before ``close()`` still sees it and work submitted after throws.
    private func run<Value: Sendable>(
        on queue: DispatchQueue,
        _ body: @escaping @Sendable (RdKafkaClient) throws -> Value
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [self] in
                continuation.resume(with: Result { try body(try self.openClient()) })
            }
        }
    }
}
